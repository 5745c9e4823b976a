/* unit_parse.c - tests for the /proc text parsers in src/scan/parse.c.
 *
 * Inputs are real text: a /proc/self/stat line and /proc/self/mountinfo lines
 * copied from the development machine, and the fdinfo of every fd kind from
 * /work/shared/notes/fdinfo-samples.txt, verbatim.  Every input is handed to
 * the parser in a heap block of exactly its length with no NUL after it, so
 * the sanitizers catch any read past the length the parser was given. */
#include "scan/parse.h"
#include "kinds/kinds.h"
#include "check.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* n bytes of s in a heap block of exactly n bytes (no terminator). */
static char *exact_copy(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);

	if (!p) {
		perror("malloc");
		exit(2);
	}
	memcpy(p, s, n);
	return p;
}

static int stat_n(const char *s, size_t n, struct stat_info *si)
{
	char *b = exact_copy(s, n);
	int r = parse_stat(b, n, si);

	free(b);
	return r;
}

static int stat_of(const char *s, struct stat_info *si)
{
	return stat_n(s, strlen(s), si);
}

static int status_n(const char *s, size_t n, struct status_info *st)
{
	char *b = exact_copy(s, n);
	int r = parse_status(b, n, st);

	free(b);
	return r;
}

static int status_of(const char *s, struct status_info *st)
{
	return status_n(s, strlen(s), st);
}

static int fdinfo_n(const char *s, size_t n, struct fdinfo *fi)
{
	char *b = exact_copy(s, n);
	int r = parse_fdinfo(b, n, fi);

	free(b);
	return r;
}

static int fdinfo_of(const char *s, struct fdinfo *fi)
{
	return fdinfo_n(s, strlen(s), fi);
}

/* What the kind table makes of a target text (kinds.h). */
struct link_facts {
	enum fd_kind kind;
	bool path, deleted;
};

static void link_n(const char *s, size_t n, struct link_facts *li)
{
	char *b = exact_copy(s, n);

	li->kind = kind_recognise(b, n, false, 0);
	li->path = kind_target_is_path(b, n);
	li->deleted = kind_target_says_deleted(b, n);
	free(b);
}

static void link_of(const char *s, struct link_facts *li)
{
	link_n(s, strlen(s), li);
}

static int mount_n(const char *s, size_t n, struct mount_entry *me)
{
	char *b = exact_copy(s, n);
	int r = parse_mountinfo_line(b, n, me);

	free(b);
	return r;
}

static int mount_of(const char *s, struct mount_entry *me)
{
	return mount_n(s, strlen(s), me);
}

/* ---- parse_stat ---- */

/* Copied from /proc/self/stat of `cat` on the development machine. */
static const char real_stat[] =
	"4570 (cat) R 4565 4565 3379 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 41698 "
	"3133440 417 18446744073709551615 94786685751296 94786685771177 140736492080576 "
	"0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94786685787184 94786685788800 94787074383872 "
	"140736492083645 140736492083665 140736492083665 140736492085227 0\n";

/* Fields 3.. with distinct values: state S, ppid 11, pgrp 12, session 13,
 * tty 34817, tpgid 14, flags, minflt..nice 15..24, num_threads 7 (field 20),
 * itrealvalue 0, start_time 99999 (field 22), then more fields. */
static const char synth_tail[] =
	" S 11 12 13 34817 14 4194560 15 16 17 18 19 20 21 22 23 24 7 0 99999 "
	"4096 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0\n";

/* Build "PID (COMM)" + synth_tail, parse, and check every field. */
static void check_synth_stat(const char *pid, const char *comm, const char *want_comm, const char *label)
{
	char line[512], what[160];
	struct stat_info si;
	int r;

	snprintf(line, sizeof(line), "%s (%s)%s", pid, comm, synth_tail);
	r = stat_of(line, &si);
	snprintf(what, sizeof(what), "stat %s: parses", label);
	CHECK(r == 0, what);
	if (r != 0)
		return;
	snprintf(what, sizeof(what), "stat %s: comm", label);
	CHECK_STR(si.comm, want_comm, what);
	snprintf(what, sizeof(what), "stat %s: pid", label);
	CHECK(si.pid == 321, what);
	snprintf(what, sizeof(what), "stat %s: state", label);
	CHECK(si.state == 'S', what);
	snprintf(what, sizeof(what), "stat %s: ppid", label);
	CHECK(si.ppid == 11, what);
	snprintf(what, sizeof(what), "stat %s: pgrp", label);
	CHECK(si.pgrp == 12, what);
	snprintf(what, sizeof(what), "stat %s: session", label);
	CHECK(si.session == 13, what);
	snprintf(what, sizeof(what), "stat %s: num_threads (field 20)", label);
	CHECK(si.num_threads == 7, what);
	snprintf(what, sizeof(what), "stat %s: start_time (field 22)", label);
	CHECK(si.start_time == 99999ULL, what);
}

static void test_stat(void)
{
	struct stat_info si;
	char line[512];
	const char *cut;
	char long_comm[80];

	/* a real line */
	CHECK(stat_of(real_stat, &si) == 0, "stat real: parses");
	CHECK(si.pid == 4570, "stat real: pid");
	CHECK_STR(si.comm, "cat", "stat real: comm");
	CHECK(si.state == 'R', "stat real: state");
	CHECK(si.ppid == 4565, "stat real: ppid");
	CHECK(si.pgrp == 4565, "stat real: pgrp");
	CHECK(si.session == 3379, "stat real: session");
	CHECK(si.num_threads == 1, "stat real: num_threads");
	CHECK(si.start_time == 41698ULL, "stat real: start_time (field 22)");
	/* the same line without its trailing newline */
	CHECK(stat_n(real_stat, strlen(real_stat) - 1, &si) == 0 && si.start_time == 41698ULL,
	      "stat real without newline: start_time");

	/* odd comms: fields are found from the last ')' */
	check_synth_stat("321", "Web Content", "Web Content", "comm with spaces");
	check_synth_stat("321", "a) b", "a) b", "comm with ')'");
	check_synth_stat("321", "a\nb", "a\nb", "comm with newline");
	check_synth_stat("321", "a(b", "a(b", "comm with '('");
	check_synth_stat("321", "(", "(", "comm '('");
	check_synth_stat("321", ")", ")", "comm ')'");
	check_synth_stat("321", "", "", "empty comm");
	check_synth_stat("321", "x) R 1 2 3", "x) R 1 2 3", "comm imitating fields");
	check_synth_stat("321", "kworker/u16:3-events_unbound", "kworker/u16:3-events_unbound",
			 "long kworker comm");
	/* a comm longer than the buffer is cut to 63 bytes, fields still right */
	memset(long_comm, 'c', 70);
	long_comm[70] = '\0';
	check_synth_stat("321", long_comm,
			 "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
			 "70-byte comm");

	/* truncated lines */
	cut = strstr(real_stat, " 41698 ");
	CHECK(cut != NULL, "stat: locate field 22 in the real line");
	if (cut)
		CHECK(stat_n(real_stat, (size_t)(cut - real_stat) + 1, &si) == -1,
		      "stat truncated before field 22 -> -1");
	CHECK(stat_of("4570 (cat) R 4565 4565 3379 0 -1 4194304 100 0 0", &si) == -1,
	      "stat truncated after field 12 -> -1");
	CHECK(stat_of("4570 (cat) R", &si) == -1, "stat truncated after state -> -1");
	CHECK(stat_of("4570 (cat)", &si) == -1, "stat truncated after comm -> -1");
	CHECK(stat_of("4570 (ca", &si) == -1, "stat truncated inside comm -> -1");
	CHECK(stat_n(real_stat, 8, &si) == -1, "stat length-limited inside comm -> -1");
	CHECK(stat_n(real_stat, 0, &si) == -1, "stat empty -> -1");

	/* garbage */
	CHECK(stat_of("garbage", &si) == -1, "stat garbage -> -1");
	CHECK(stat_of(")(", &si) == -1, "stat ')(' -> -1");
	CHECK(stat_of("1 (x) S a b c d e f g h i j k l m n o p q r s t", &si) == -1,
	      "stat non-numeric fields -> -1");
	CHECK(stat_of("\n\n\n", &si) == -1, "stat newlines only -> -1");

	/* pid not numeric */
	snprintf(line, sizeof(line), "abc (x)%s", synth_tail);
	CHECK(stat_of(line, &si) == -1, "stat pid 'abc' -> -1");
	snprintf(line, sizeof(line), "12a (x)%s", synth_tail);
	CHECK(stat_of(line, &si) == -1, "stat pid '12a' -> -1");
	snprintf(line, sizeof(line), "-5 (x)%s", synth_tail);
	CHECK(stat_of(line, &si) == -1, "stat pid '-5' -> -1");
	snprintf(line, sizeof(line), "(x)%s", synth_tail);
	CHECK(stat_of(line, &si) == -1, "stat without pid -> -1");
	snprintf(line, sizeof(line), "99999999999 (x)%s", synth_tail);
	CHECK(stat_of(line, &si) == -1, "stat pid overflowing int -> -1");
}

/* ---- parse_status ---- */

static void test_status(void)
{
	struct status_info st;
	char big[1024];
	size_t off;
	int i, ok;
	static const char real_status[] =
		"Name:\tcat\n"
		"Umask:\t0022\n"
		"State:\tR (running)\n"
		"Tgid:\t8247\n"
		"Ngid:\t0\n"
		"Pid:\t8247\n"
		"PPid:\t8245\n"
		"TracerPid:\t0\n"
		"Uid:\t1000\t1001\t1002\t1003\n"
		"Gid:\t0\t0\t0\t0\n"
		"FDSize:\t256\n"
		"Groups:\t \n"
		"NStgid:\t8247\n"
		"NSpid:\t8247\n"
		"NSpgid:\t8245\n"
		"NSsid:\t3379\n"
		"Kthread:\t0\n"
		"VmPeak:\t    2424 kB\n";
	static const char three_levels[] =
		"Name:\tsleep\n"
		"Uid:\t0\t0\t0\t0\n"
		"NStgid:\t16714\t57\t1\n"
		"NSpid:\t16714\t57\t1\n";

	CHECK(status_of(real_status, &st) == 0, "status one level: parses");
	CHECK(st.nspid_count == 1, "status one level: nspid_count");
	CHECK(st.nspid[0] == 8247, "status one level: nspid[0]");
	CHECK(st.have_uid, "status one level: have_uid");
	CHECK(st.ruid == 1000, "status: ruid");
	CHECK(st.euid == 1001, "status: euid");

	CHECK(status_of(three_levels, &st) == 0, "status three levels: parses");
	CHECK(st.nspid_count == 3, "status three levels: nspid_count");
	CHECK(st.nspid[0] == 16714 && st.nspid[1] == 57 && st.nspid[2] == 1,
	      "status three levels: outermost first");
	CHECK(st.ruid == 0 && st.euid == 0 && st.have_uid, "status three levels: uid 0 read");

	CHECK(status_of("Name:\tx\nUid:\t5\t6\t7\t8\n", &st) == 0, "status without NSpid: parses");
	CHECK(st.nspid_count == 0, "status without NSpid: count 0");
	CHECK(st.ruid == 5 && st.euid == 6, "status without NSpid: uids");

	CHECK(status_of("Name:\tx\nNSpid:\t42\n", &st) == 0, "status without Uid: parses");
	CHECK(!st.have_uid, "status without Uid: have_uid false");
	CHECK(st.nspid_count == 1 && st.nspid[0] == 42, "status without Uid: nspid");

	/* the signal masks the tree needs (the listing no longer asks libproc2) */
	CHECK(status_of("Uid:\t0\t0\t0\t0\nSigQ:\t0/31\nSigPnd:\t0000000000000000\n"
			"ShdPnd:\t0000000000000000\nSigBlk:\t0000000000010000\n"
			"SigIgn:\t0000000000001000\nSigCgt:\t00000001a0014a07\n", &st) == 0,
	      "status with signal masks: parses");
	CHECK(strcmp(st.sigblocked, "0000000000010000") == 0, "status: SigBlk kept as printed");
	CHECK(strcmp(st.sigignore, "0000000000001000") == 0, "status: SigIgn kept as printed");
	CHECK(strcmp(st.sigcatch, "00000001a0014a07") == 0, "status: SigCgt kept as printed");
	CHECK(status_of("Uid:\t0\t0\t0\t0\n", &st) == 0 && !st.sigblocked[0] &&
	      !st.sigignore[0] && !st.sigcatch[0], "status without masks: empty");
	CHECK(status_of("SigIgn:\t00000000000010000\n", &st) == -1, "status SigIgn of 17 digits -> -1");
	CHECK(status_of("SigCgt:\t00x1\n", &st) == -1, "status SigCgt not hex -> -1");
	CHECK(status_of("SigBlk:\t\n", &st) == -1, "status empty SigBlk -> -1");
	/* "SigPnd:" and "ShdPnd:" are not masks we keep */
	CHECK(status_of("SigPnd:\tzz\n", &st) == 0, "status SigPnd ignored");

	CHECK(status_of("Uid:\tabc\tdef\t0\t0\n", &st) == -1, "status malformed Uid -> -1");
	CHECK(status_of("Uid:\t1000\n", &st) == -1, "status Uid with one value -> -1");
	CHECK(status_of("Uid:\n", &st) == -1, "status empty Uid -> -1");
	CHECK(status_of("NSpid:\t12\tabc\n", &st) == -1, "status malformed NSpid -> -1");
	CHECK(status_of("NSpid:\t99999999999\n", &st) == -1, "status NSpid overflowing int -> -1");

	/* "NStgid:" and "NSpgid:" are not "NSpid:" */
	CHECK(status_of("NStgid:\t7\t8\nNSpgid:\t9\n", &st) == 0 && st.nspid_count == 0,
	      "status NStgid/NSpgid are not NSpid");

	/* more values than NSPID_MAX: kept to NSPID_MAX, no overflow */
	off = (size_t)snprintf(big, sizeof(big), "NSpid:");
	for (i = 0; i < NSPID_MAX + 8; i++)
		off += (size_t)snprintf(big + off, sizeof(big) - off, "\t%d", 1000 + i);
	snprintf(big + off, sizeof(big) - off, "\n");
	CHECK(status_of(big, &st) == 0, "status 40 NSpid levels: parses");
	CHECK(st.nspid_count == NSPID_MAX, "status 40 NSpid levels: count capped at NSPID_MAX");
	ok = 1;
	for (i = 0; i < NSPID_MAX; i++)
		if (st.nspid[i] != 1000 + i)
			ok = 0;
	CHECK(ok, "status 40 NSpid levels: first NSPID_MAX values in order");

	/* length-limited: the Uid line lies beyond len */
	CHECK(status_n(real_status, (size_t)(strstr(real_status, "Uid:") - real_status), &st) == 0,
	      "status length-limited: parses");
	CHECK(!st.have_uid && st.nspid_count == 0, "status length-limited: nothing past len read");
	/* cut inside the NSpid value: "NSpid:\t82" of 8247 */
	CHECK(status_n(real_status, (size_t)(strstr(real_status, "NSpid:") - real_status) + 9, &st) == 0
	      && st.nspid_count == 1 && st.nspid[0] == 82,
	      "status length-limited inside NSpid value");
	CHECK(status_n("", 0, &st) == 0 && st.nspid_count == 0 && !st.have_uid, "status empty: nothing");
}

/* ---- parse_fdinfo ---- */

/* The samples from fdinfo-samples.txt, verbatim. */
static const char fi_reg_posix[] = /* fd 3: O_RDWR|O_CLOEXEC + POSIX F_SETLK [0,4) */
	"pos:\t5\n"
	"flags:\t02100002\n"
	"mnt_id:\t26\n"
	"ino:\t10953121\n"
	"lock:\t1: POSIX  ADVISORY  WRITE 16712 fe:00:10953121 0 3\n";
static const char fi_reg_rdonly[] = /* fd 4: O_RDONLY /etc/hostname */
	"pos:\t0\n"
	"flags:\t0100000\n"
	"mnt_id:\t26\n"
	"ino:\t733\n";
static const char fi_append_nonblock[] = /* fd 5: O_WRONLY|O_APPEND|O_NONBLOCK */
	"pos:\t0\n"
	"flags:\t0106001\n"
	"mnt_id:\t26\n"
	"ino:\t10953137\n";
static const char fi_flock[] = /* fd 6: flock LOCK_EX */
	"pos:\t0\n"
	"flags:\t0100002\n"
	"mnt_id:\t26\n"
	"ino:\t10953153\n"
	"lock:\t1: FLOCK  ADVISORY  WRITE 16712 fe:00:10953153 0 EOF\n";
static const char fi_ofd[] = /* fd 7: OFD F_RDLCK [10,EOF) */
	"pos:\t0\n"
	"flags:\t0100002\n"
	"mnt_id:\t26\n"
	"ino:\t10953169\n"
	"lock:\t1: OFDLCK ADVISORY  READ -1 fe:00:10953169 10 EOF\n";
static const char fi_opath_dir[] = /* fd 8: O_PATH dir /etc */
	"pos:\t0\n"
	"flags:\t010200000\n"
	"mnt_id:\t26\n"
	"ino:\t19\n";
static const char fi_pipe_r[] = /* fd 9: pipe read */
	"pos:\t0\n"
	"flags:\t02000000\n"
	"mnt_id:\t16\n"
	"ino:\t80330\n";
static const char fi_pipe_w[] = /* fd 11: pipe write */
	"pos:\t0\n"
	"flags:\t02000001\n"
	"mnt_id:\t16\n"
	"ino:\t80330\n";
static const char fi_unix[] = /* fd 12: unix socketpair */
	"pos:\t0\n"
	"flags:\t02\n"
	"mnt_id:\t10\n"
	"ino:\t80335\n"
	"scm_fds: 0\n";
static const char fi_tcp[] = /* fd 14: tcp socket */
	"pos:\t0\n"
	"flags:\t02000002\n"
	"mnt_id:\t10\n"
	"ino:\t80339\n";
static const char fi_eventfd[] = /* fd 15: eventfd(5, EFD_SEMAPHORE) */
	"pos:\t0\n"
	"flags:\t04002\n"
	"mnt_id:\t17\n"
	"ino:\t1038\n"
	"eventfd-count:                5\n"
	"eventfd-id: 1\n"
	"eventfd-semaphore: 1\n";
static const char fi_epoll[] = /* fd 16: epoll on pipe-r (EPOLLIN|EPOLLET) and eventfd (EPOLLOUT) */
	"pos:\t0\n"
	"flags:\t02\n"
	"mnt_id:\t17\n"
	"ino:\t1038\n"
	"tfd:       15 events:       1c data:                f  pos:0 ino:40e sdev:10\n"
	"tfd:        9 events: 80000019 data:         deadbeef  pos:0 ino:139ca sdev:f\n";
static const char fi_signalfd[] = /* fd 17: signalfd USR1|TERM */
	"pos:\t0\n"
	"flags:\t02000002\n"
	"mnt_id:\t17\n"
	"ino:\t1038\n"
	"sigmask:\t0000000000004200\n";
static const char fi_timerfd[] = /* fd 18: timerfd mono 10s, interval 1.5s */
	"pos:\t0\n"
	"flags:\t02\n"
	"mnt_id:\t17\n"
	"ino:\t1038\n"
	"clockid: 1\n"
	"ticks: 0\n"
	"settime flags: 00\n"
	"it_value: (9, 999987407)\n"
	"it_interval: (1, 500000000)\n";
static const char fi_inotify[] = /* fd 19: inotify /tmp CREATE|DELETE */
	"pos:\t0\n"
	"flags:\t04000\n"
	"mnt_id:\t17\n"
	"ino:\t1038\n"
	"inotify wd:1 ino:3c51a sdev:fe00000 mask:300 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:1ac5030000000000\n";
static const char fi_inotify_hex[] = /* watch descriptors 10 and 17: the kernel prints %x */
	"pos:\t0\n"
	"flags:\t00\n"
	"mnt_id:\t17\n"
	"ino:\t1038\n"
	"inotify wd:a ino:3c51b sdev:fe00000 mask:2 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:1bc5030000000000\n"
	"inotify wd:11 ino:3c51c sdev:fe00000 mask:2 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:1cc5030000000000\n";
static const char fi_fanotify[] = /* fd 20: fanotify */
	"pos:\t0\n"
	"flags:\t02\n"
	"mnt_id:\t17\n"
	"ino:\t1038\n"
	"fanotify flags:0 event-flags:8000\n"
	"fanotify ino:3c51a sdev:fe00000 mflags:0 mask:20 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:1ac5030000000000\n";
static const char fi_pidfd_live[] = /* fd 21: pidfd (live child) */
	"pos:\t0\n"
	"flags:\t02000002\n"
	"mnt_id:\t4\n"
	"ino:\t16715\n"
	"Pid:\t16714\n"
	"NSpid:\t16714\n";
static const char fi_memfd[] = /* fd 22: memfd 8192 bytes sealed */
	"pos:\t0\n"
	"flags:\t02100002\n"
	"mnt_id:\t0\n"
	"ino:\t1024\n";
static const char fi_devnull[] = /* fd 23: /dev/null */
	"pos:\t0\n"
	"flags:\t0100001\n"
	"mnt_id:\t23\n"
	"ino:\t3\n";
static const char fi_pidfd_reaped[] = /* fd 21: pidfd (child reaped) */
	"pos:\t0\n"
	"flags:\t02000002\n"
	"mnt_id:\t4\n"
	"ino:\t16715\n"
	"Pid:\t-1\n"
	"NSpid:\t-1\n";

/* The special-kind fields of a plain fd: all absent. */
static void check_no_extras(const struct fdinfo *fi, const char *label)
{
	char what[160];

	snprintf(what, sizeof(what), "fdinfo %s: no locks", label);
	CHECK(fi->d.nlocks == 0 && fi->d.lock_kinds == 0 && !fi->d.lock_write, what);
	snprintf(what, sizeof(what), "fdinfo %s: no kind-specific data", label);
	CHECK(!fi->d.have_scm_fds && !fi->d.have_eventfd && fi->d.eventfd_id == -1 && !fi->d.have_pidfd
	      && !fi->d.have_sigmask && !fi->d.have_timerfd && fi->d.ntargets == 0 && fi->d.targets == NULL
	      && fi->d.inotify_watches == 0 && fi->d.fanotify_marks == 0, what);
}

/* Parse and check the four basic keys. */
static int check_basic(const char *text, struct fdinfo *fi, const char *label,
		       unsigned long long pos, unsigned flags, int mnt_id, unsigned long long ino)
{
	char what[160];
	int r = fdinfo_of(text, fi);

	snprintf(what, sizeof(what), "fdinfo %s: parses", label);
	CHECK(r == 0, what);
	if (r != 0)
		return -1;
	snprintf(what, sizeof(what), "fdinfo %s: have_basic", label);
	CHECK(fi->have_basic, what);
	snprintf(what, sizeof(what), "fdinfo %s: pos", label);
	CHECK(fi->pos == pos, what);
	snprintf(what, sizeof(what), "fdinfo %s: flags", label);
	CHECK(fi->flags == flags, what);
	snprintf(what, sizeof(what), "fdinfo %s: mnt_id", label);
	CHECK(fi->mnt_id == mnt_id, what);
	snprintf(what, sizeof(what), "fdinfo %s: ino", label);
	CHECK(fi->ino == ino, what);
	return 0;
}

static void test_fdinfo_samples(void)
{
	struct fdinfo fi;

	if (check_basic(fi_reg_posix, &fi, "regular+POSIX lock", 5, 02100002, 26, 10953121) == 0) {
		CHECK((fi.flags & 3) == 2, "fdinfo regular+POSIX lock: O_RDWR");
		CHECK((fi.flags & 02000000) != 0, "fdinfo regular+POSIX lock: O_CLOEXEC set");
		CHECK(fi.d.nlocks == 1, "fdinfo regular+POSIX lock: one lock");
		CHECK(fi.d.lock_kinds == LOCK_POSIX, "fdinfo regular+POSIX lock: kind POSIX");
		CHECK(fi.d.lock_write, "fdinfo regular+POSIX lock: WRITE");
		CHECK(!fi.d.have_scm_fds && !fi.d.have_eventfd && fi.d.ntargets == 0,
		      "fdinfo regular+POSIX lock: nothing else");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_reg_rdonly, &fi, "regular O_RDONLY", 0, 0100000, 26, 733) == 0) {
		CHECK((fi.flags & 3) == 0, "fdinfo regular O_RDONLY: access mode 0");
		check_no_extras(&fi, "regular O_RDONLY");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_append_nonblock, &fi, "O_APPEND|O_NONBLOCK", 0, 0106001, 26, 10953137) == 0) {
		CHECK((fi.flags & 3) == 1, "fdinfo O_APPEND|O_NONBLOCK: O_WRONLY");
		CHECK((fi.flags & 02000) != 0, "fdinfo O_APPEND|O_NONBLOCK: O_APPEND bit");
		CHECK((fi.flags & 04000) != 0, "fdinfo O_APPEND|O_NONBLOCK: O_NONBLOCK bit");
		CHECK((fi.flags & 02000000) == 0, "fdinfo O_APPEND|O_NONBLOCK: no O_CLOEXEC");
		check_no_extras(&fi, "O_APPEND|O_NONBLOCK");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_flock, &fi, "flock", 0, 0100002, 26, 10953153) == 0) {
		CHECK(fi.d.nlocks == 1, "fdinfo flock: one lock");
		CHECK(fi.d.lock_kinds == LOCK_FLOCK, "fdinfo flock: kind FLOCK");
		CHECK(fi.d.lock_write, "fdinfo flock: WRITE");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_ofd, &fi, "OFD lock", 0, 0100002, 26, 10953169) == 0) {
		CHECK(fi.d.nlocks == 1, "fdinfo OFD lock: one lock");
		CHECK(fi.d.lock_kinds == LOCK_OFD, "fdinfo OFD lock: kind OFD");
		CHECK(!fi.d.lock_write, "fdinfo OFD lock: READ, not write");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_opath_dir, &fi, "O_PATH dir", 0, 010200000, 26, 19) == 0) {
		CHECK((fi.flags & 010000000) != 0, "fdinfo O_PATH dir: O_PATH bit");
		CHECK((fi.flags & 0200000) != 0, "fdinfo O_PATH dir: O_DIRECTORY bit");
		check_no_extras(&fi, "O_PATH dir");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_pipe_r, &fi, "pipe read end", 0, 02000000, 16, 80330) == 0) {
		CHECK((fi.flags & 3) == 0, "fdinfo pipe read end: O_RDONLY");
		check_no_extras(&fi, "pipe read end");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_pipe_w, &fi, "pipe write end", 0, 02000001, 16, 80330) == 0) {
		CHECK((fi.flags & 3) == 1, "fdinfo pipe write end: O_WRONLY");
		check_no_extras(&fi, "pipe write end");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_unix, &fi, "unix socket", 0, 02, 10, 80335) == 0) {
		CHECK(fi.d.have_scm_fds, "fdinfo unix socket: have_scm_fds");
		CHECK(fi.d.scm_fds == 0, "fdinfo unix socket: scm_fds 0");
		CHECK(fi.d.nlocks == 0 && !fi.d.have_eventfd, "fdinfo unix socket: nothing else");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_tcp, &fi, "tcp socket", 0, 02000002, 10, 80339) == 0) {
		check_no_extras(&fi, "tcp socket");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_eventfd, &fi, "eventfd", 0, 04002, 17, 1038) == 0) {
		CHECK(fi.d.have_eventfd, "fdinfo eventfd: have_eventfd");
		CHECK(fi.d.eventfd_count == 5, "fdinfo eventfd: count 5");
		CHECK(fi.d.eventfd_id == 1, "fdinfo eventfd: id 1");
		CHECK(fi.d.eventfd_semaphore, "fdinfo eventfd: semaphore");
		CHECK(fi.d.ntargets == 0 && !fi.d.have_sigmask, "fdinfo eventfd: nothing else");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_epoll, &fi, "epoll", 0, 02, 17, 1038) == 0) {
		CHECK(fi.d.ntargets == 2, "fdinfo epoll: two targets");
		CHECK(fi.d.targets != NULL, "fdinfo epoll: target array");
		if (fi.d.ntargets == 2 && fi.d.targets) {
			CHECK(fi.d.targets[0].tfd == 15, "fdinfo epoll: target 0 tfd 15");
			CHECK(fi.d.targets[0].events == 0x1c, "fdinfo epoll: target 0 events 0x1c");
			CHECK(fi.d.targets[0].data == 0xf, "fdinfo epoll: target 0 data 0xf");
			CHECK(fi.d.targets[0].pos == 0, "fdinfo epoll: target 0 pos 0");
			CHECK(fi.d.targets[0].ino == 0x40e, "fdinfo epoll: target 0 ino 0x40e");
			CHECK(fi.d.targets[0].sdev == 0x10, "fdinfo epoll: target 0 sdev 0x10");
			CHECK(fi.d.targets[1].tfd == 9, "fdinfo epoll: target 1 tfd 9");
			CHECK(fi.d.targets[1].events == 0x80000019u, "fdinfo epoll: target 1 events 0x80000019");
			CHECK(fi.d.targets[1].data == 0xdeadbeefULL, "fdinfo epoll: target 1 data 0xdeadbeef");
			CHECK(fi.d.targets[1].pos == 0, "fdinfo epoll: target 1 pos 0");
			CHECK(fi.d.targets[1].ino == 0x139ca, "fdinfo epoll: target 1 ino 0x139ca");
			CHECK(fi.d.targets[1].sdev == 0xf, "fdinfo epoll: target 1 sdev 0xf");
		}
		/* the targets' "pos:"/"ino:" must not overwrite the epoll fd's own */
		CHECK(fi.ino == 1038 && fi.pos == 0, "fdinfo epoll: own ino kept");
		fdinfo_free(&fi);
		CHECK(fi.d.targets == NULL && fi.d.ntargets == 0, "fdinfo_free: clears targets");
		fdinfo_free(&fi);  /* a second free is harmless */
	}
	if (check_basic(fi_signalfd, &fi, "signalfd", 0, 02000002, 17, 1038) == 0) {
		CHECK(fi.d.have_sigmask, "fdinfo signalfd: have_sigmask");
		CHECK(fi.d.sigmask == 0x4200, "fdinfo signalfd: sigmask 0x4200 (USR1|TERM)");
		CHECK(!fi.d.have_eventfd && !fi.d.have_timerfd, "fdinfo signalfd: nothing else");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_timerfd, &fi, "timerfd", 0, 02, 17, 1038) == 0) {
		CHECK(fi.d.have_timerfd, "fdinfo timerfd: have_timerfd");
		CHECK(fi.d.timer_clockid == 1, "fdinfo timerfd: clockid 1 (CLOCK_MONOTONIC)");
		CHECK(fi.d.timer_ticks == 0, "fdinfo timerfd: ticks 0");
		CHECK(fi.d.timer_value_sec == 9, "fdinfo timerfd: it_value sec 9");
		CHECK(fi.d.timer_value_nsec == 999987407, "fdinfo timerfd: it_value nsec 999987407");
		CHECK(fi.d.timer_interval_sec == 1, "fdinfo timerfd: it_interval sec 1");
		CHECK(fi.d.timer_interval_nsec == 500000000, "fdinfo timerfd: it_interval nsec 500000000");
		/* "settime flags: 00" is not the fd's "flags:" */
		CHECK(fi.flags == 02, "fdinfo timerfd: settime flags ignored");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_inotify, &fi, "inotify", 0, 04000, 17, 1038) == 0) {
		CHECK(fi.d.inotify_watches == 1, "fdinfo inotify: one watch");
		CHECK(fi.d.nwatches == 1 && fi.d.watches[0].wd == 1 && fi.d.watches[0].ino == 0x3c51a &&
		      fi.d.watches[0].sdev == 0xfe00000 && fi.d.watches[0].mask == 0x300,
		      "fdinfo inotify: the watch: wd 1, ino 3c51a, sdev fe00000, mask 300");
		CHECK(fi.d.fanotify_marks == 0, "fdinfo inotify: no fanotify marks");
		CHECK(fi.ino == 1038, "fdinfo inotify: watch's ino: not taken as the fd's");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_inotify_hex, &fi, "inotify hex", 0, 0, 17, 1038) == 0) {
		CHECK(fi.d.inotify_watches == 2 && fi.d.nwatches == 2, "fdinfo inotify: wd:a and wd:11 both kept");
		CHECK(fi.d.nwatches == 2 && fi.d.watches[0].wd == 10 && fi.d.watches[1].wd == 17,
		      "fdinfo inotify: watch descriptors are hex (a = 10, 11 = 17)");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_fanotify, &fi, "fanotify", 0, 02, 17, 1038) == 0) {
		CHECK(fi.d.fanotify_marks == 1, "fdinfo fanotify: one mark (the flags line is not a mark)");
		CHECK(fi.d.inotify_watches == 0, "fdinfo fanotify: no inotify watches");
		CHECK(fi.flags == 02, "fdinfo fanotify: 'fanotify flags:' ignored");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_pidfd_live, &fi, "pidfd live", 0, 02000002, 4, 16715) == 0) {
		CHECK(fi.d.have_pidfd, "fdinfo pidfd live: have_pidfd");
		CHECK(fi.d.pidfd_pid == 16714, "fdinfo pidfd live: Pid 16714");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_pidfd_reaped, &fi, "pidfd reaped", 0, 02000002, 4, 16715) == 0) {
		CHECK(fi.d.have_pidfd, "fdinfo pidfd reaped: have_pidfd");
		CHECK(fi.d.pidfd_pid == -1, "fdinfo pidfd reaped: Pid -1");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_memfd, &fi, "memfd", 0, 02100002, 0, 1024) == 0) {
		check_no_extras(&fi, "memfd");
		fdinfo_free(&fi);
	}
	if (check_basic(fi_devnull, &fi, "/dev/null", 0, 0100001, 23, 3) == 0) {
		check_no_extras(&fi, "/dev/null");
		fdinfo_free(&fi);
	}
}

static void test_fdinfo_edges(void)
{
	struct fdinfo fi;
	char *big;
	size_t n, i;
	const char *p;
	static const char no_nul[] =
		"pos:\t0\n"
		"flags:\t02\n"
		"mnt_id:\t7\n"
		"ino:\t12345\n";

	/* malformed or missing basic keys */
	CHECK(fdinfo_of("pos:\t0\nflags:\t02\nmnt_id:\t26\n", &fi) == -1, "fdinfo missing ino -> -1");
	CHECK(fdinfo_of("flags:\t02\nmnt_id:\t26\nino:\t5\n", &fi) == -1, "fdinfo missing pos -> -1");
	CHECK(fdinfo_of("pos:\t0\nmnt_id:\t26\nino:\t5\n", &fi) == -1, "fdinfo missing flags -> -1");
	CHECK(fdinfo_of("pos:\t0\nflags:\t02\nino:\t5\n", &fi) == -1, "fdinfo missing mnt_id -> -1");
	CHECK(fdinfo_of("pos:\t0\nflags:\t09\nmnt_id:\t26\nino:\t5\n", &fi) == -1,
	      "fdinfo non-octal flags 09 -> -1");
	CHECK(fdinfo_of("pos:\t0\nflags:\t0x2\nmnt_id:\t26\nino:\t5\n", &fi) == -1,
	      "fdinfo flags 0x2 -> -1");
	CHECK(fdinfo_of("pos:\t0\nflags:\t\nmnt_id:\t26\nino:\t5\n", &fi) == -1,
	      "fdinfo empty flags -> -1");
	CHECK(fdinfo_of("pos:\t0\nflags:\t02\nmnt_id:\t26\nino:\t12x\n", &fi) == -1,
	      "fdinfo ino 12x -> -1");
	CHECK(fdinfo_of("pos:\t0\nflags:\t02\nmnt_id:\t26\nino:\tabc\n", &fi) == -1,
	      "fdinfo ino abc -> -1");
	CHECK(fdinfo_of("pos:\t-1\nflags:\t02\nmnt_id:\t26\nino:\t5\n", &fi) == -1,
	      "fdinfo negative pos -> -1");
	CHECK(fdinfo_of("pos:\t0\nflags:\t02\nmnt_id:\t-3\nino:\t5\n", &fi) == -1,
	      "fdinfo negative mnt_id -> -1");
	CHECK(fdinfo_of("pos:\t0\nflags:\t02\nmnt_id:\t26\nino:\t99999999999999999999999\n", &fi) == -1,
	      "fdinfo ino overflowing 64 bits -> -1");
	CHECK(fdinfo_of("", &fi) == -1, "fdinfo empty -> -1");
	CHECK(fdinfo_of("garbage\n\n", &fi) == -1, "fdinfo garbage -> -1");
	/* a malformed basic key after the epoll targets were allocated (ASan: no leak) */
	CHECK(fdinfo_of("pos:\t0\nflags:\t02\nmnt_id:\t17\n"
			"tfd:       15 events:       1c data:                f  pos:0 ino:40e sdev:10\n"
			"ino:\tbad\n", &fi) == -1,
	      "fdinfo bad ino after tfd lines -> -1");

	/* unknown keys are ignored, in any order */
	CHECK(fdinfo_of("ino:\t42\n"
			"future-key:\tsomething new\n"
			"pos_hint: 9\n"
			"mnt_id:\t3\n"
			"\n"
			"Extra: ( )\n"
			"flags:\t0100002\n"
			"pos:\t77\n"
			"another_new_key:\n", &fi) == 0,
	      "fdinfo unknown keys: parses");
	CHECK(fi.pos == 77 && fi.flags == 0100002 && fi.mnt_id == 3 && fi.ino == 42,
	      "fdinfo unknown keys: basic values");
	check_no_extras(&fi, "unknown keys");
	fdinfo_free(&fi);

	/* the last line without its newline */
	CHECK(fdinfo_n(fi_reg_rdonly, strlen(fi_reg_rdonly) - 1, &fi) == 0 && fi.ino == 733,
	      "fdinfo last line without newline");
	fdinfo_free(&fi);

	/* a very long line (100 kB) between known keys is skipped */
	n = 100000;
	big = malloc(n + 256);
	if (!big)
		exit(2);
	p = "pos:\t3\nflags:\t02\nlong-key: ";
	strcpy(big, p);
	i = strlen(big);
	memset(big + i, 'x', n);
	i += n;
	strcpy(big + i, "\nmnt_id:\t8\nino:\t99\nscm_fds: 2\n");
	CHECK(fdinfo_of(big, &fi) == 0, "fdinfo 100 kB line: parses");
	CHECK(fi.pos == 3 && fi.mnt_id == 8 && fi.ino == 99, "fdinfo 100 kB line: keys after it read");
	CHECK(fi.d.have_scm_fds && fi.d.scm_fds == 2, "fdinfo 100 kB line: scm_fds after it read");
	fdinfo_free(&fi);
	/* ... and a very long last line without a newline */
	strcpy(big, "pos:\t3\nflags:\t02\nmnt_id:\t8\nino:\t99\nlock:\t");
	i = strlen(big);
	memset(big + i, 'L', n);
	i += n;
	CHECK(fdinfo_n(big, i, &fi) == 0 && fi.ino == 99, "fdinfo 100 kB last line without newline: parses");
	CHECK(fi.d.nlocks == 0, "fdinfo 100 kB lock line: skipped, not counted");
	fdinfo_free(&fi);
	free(big);

	/* input not NUL-terminated: only len bytes count */
	n = (size_t)(strstr(no_nul, "ino:\t12345") - no_nul) + strlen("ino:\t123");
	CHECK(fdinfo_n(no_nul, strlen(no_nul), &fi) == 0 && fi.ino == 12345,
	      "fdinfo full buffer: ino 12345");
	fdinfo_free(&fi);
	CHECK(fdinfo_n(no_nul, n, &fi) == 0, "fdinfo length-limited: parses");
	CHECK(fi.ino == 123, "fdinfo length-limited: ino 123, not 12345");
	fdinfo_free(&fi);
	n = (size_t)(strstr(no_nul, "ino:") - no_nul);
	CHECK(fdinfo_n(no_nul, n, &fi) == -1, "fdinfo length-limited before ino -> -1");
	n = (size_t)(strstr(fi_epoll, "tfd:        9") - fi_epoll);
	CHECK(fdinfo_n(fi_epoll, n, &fi) == 0 && fi.d.ntargets == 1 && fi.d.targets && fi.d.targets[0].tfd == 15,
	      "fdinfo epoll length-limited: one target");
	fdinfo_free(&fi);
	n = (size_t)(strstr(fi_eventfd, "eventfd-id: 1") - fi_eventfd) + strlen("eventfd-id: ");
	CHECK(fdinfo_n(fi_eventfd, n, &fi) == 0 && fi.d.eventfd_count == 5 && fi.d.eventfd_id == -1,
	      "fdinfo eventfd length-limited before id: id -1");
	fdinfo_free(&fi);

	/* lock variants */
	CHECK(fdinfo_of("pos:\t0\nflags:\t02\nmnt_id:\t1\nino:\t2\n"
			"lock:\t1: POSIX  ADVISORY  READ 1 fe:00:2 0 EOF\n"
			"lock:\t2: FLOCK  ADVISORY  READ 1 fe:00:2 0 EOF\n"
			"lock:\t3: LEASE  ACTIVE    READ 1 fe:00:2 0 EOF\n", &fi) == 0,
	      "fdinfo three locks: parses");
	CHECK(fi.d.nlocks == 3, "fdinfo three locks: nlocks 3");
	CHECK(fi.d.lock_kinds == (LOCK_POSIX | LOCK_FLOCK | LOCK_OTHER), "fdinfo three locks: kinds");
	CHECK(!fi.d.lock_write, "fdinfo three read locks: not write");
	fdinfo_free(&fi);

	/* many epoll targets: the array grows */
	big = malloc(64 * 100 + 128);
	if (!big)
		exit(2);
	i = (size_t)sprintf(big, "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\n");
	for (n = 0; n < 50; n++)
		i += (size_t)sprintf(big + i, "tfd: %5zu events: 19 data: %zx  pos:0 ino:1 sdev:2\n", n + 100, n);
	CHECK(fdinfo_of(big, &fi) == 0 && fi.d.ntargets == 50, "fdinfo 50 epoll targets");
	CHECK(fi.d.ntargets == 50 && fi.d.targets && fi.d.targets[49].tfd == 149 && fi.d.targets[49].data == 49,
	      "fdinfo 50 epoll targets: last one");
	fdinfo_free(&fi);
	free(big);
}

/* ---- parse_link ---- */

static void test_link(void)
{
	struct link_facts li;
	static const char odd_path[] = "/tmp/a\nb\xff" "c";
	static const char odd_deleted[] = "/tmp/a\n\xff (deleted)";

	link_of("/etc/hostname", &li);
	CHECK(li.path && !li.deleted && li.kind == KIND_UNKNOWN, "link /etc/hostname: path");
	link_of("/tmp/x (deleted)", &li);
	CHECK(li.path, "link /tmp/x (deleted): path");
	CHECK(li.deleted, "link /tmp/x (deleted): deleted");
	link_of("/tmp/x(deleted)", &li);
	CHECK(li.path && !li.deleted, "link /tmp/x(deleted) without space: not deleted");
	link_of("/memfd:foo (deleted)", &li);
	CHECK(li.kind == KIND_MEMFD && !li.path, "link /memfd:foo (deleted): memfd");
	CHECK(!li.deleted, "link /memfd:foo (deleted): not a deleted file");
	link_of("/memfd:mymemfd (deleted)", &li);
	CHECK(li.kind == KIND_MEMFD && !li.path && !li.deleted, "link /memfd:mymemfd (deleted): memfd");

	link_of("pipe:[80330]", &li);
	CHECK(li.kind == KIND_PIPE, "link pipe:[80330]: pipe");
	link_of("socket:[80335]", &li);
	CHECK(li.kind == KIND_SOCKET, "link socket:[80335]: socket");
	link_of("pipe:[7]", &li);
	CHECK(li.kind == KIND_PIPE, "link pipe:[7]: single-digit ino");
	link_of("socket:[3]", &li);
	CHECK(li.kind == KIND_SOCKET, "link socket:[3]: single-digit ino");
	link_of("pipe:[18446744073709551615]", &li);
	CHECK(li.kind == KIND_PIPE, "link pipe: largest ino");
	link_of("pipe:[]", &li);
	CHECK(li.kind != KIND_PIPE, "link pipe:[]: not a pipe");
	link_of("pipe:[12x]", &li);
	CHECK(li.kind != KIND_PIPE, "link pipe:[12x]: not a pipe");
	link_of("pipe:[ 12]", &li);
	CHECK(li.kind != KIND_PIPE, "link 'pipe:[ 12]': not a pipe");
	link_of("pipe:[-1]", &li);
	CHECK(li.kind != KIND_PIPE, "link pipe:[-1]: not a pipe");
	link_of("pipe:[abc]", &li);
	CHECK(li.kind != KIND_PIPE, "link pipe:[abc]: not a pipe");
	link_of("pipe:[123", &li);
	CHECK(li.kind != KIND_PIPE, "link pipe:[123 unclosed: not a pipe");
	link_of("pipe:[99999999999999999999]", &li);
	CHECK(li.kind != KIND_PIPE, "link pipe: ino overflowing 64 bits: not a pipe");
	link_of("socket:[]", &li);
	CHECK(li.kind != KIND_SOCKET, "link socket:[]: not a socket");

	link_of("anon_inode:[eventfd]", &li);
	CHECK(li.kind == KIND_EVENTFD, "link anon_inode:[eventfd]");
	link_of("anon_inode:[eventpoll]", &li);
	CHECK(li.kind == KIND_EPOLL, "link anon_inode:[eventpoll]");
	link_of("anon_inode:[signalfd]", &li);
	CHECK(li.kind == KIND_SIGNALFD, "link anon_inode:[signalfd]");
	link_of("anon_inode:[timerfd]", &li);
	CHECK(li.kind == KIND_TIMERFD, "link anon_inode:[timerfd]");
	link_of("anon_inode:inotify", &li);
	CHECK(li.kind == KIND_INOTIFY, "link anon_inode:inotify");
	link_of("anon_inode:[fanotify]", &li);
	CHECK(li.kind == KIND_FANOTIFY, "link anon_inode:[fanotify]");
	link_of("anon_inode:[pidfd]", &li);
	CHECK(li.kind == KIND_PIDFD, "link anon_inode:[pidfd]");
	link_of("anon_inode:[io_uring]", &li);
	CHECK(li.kind == KIND_IO_URING, "link anon_inode:[io_uring]: io_uring");
	link_of("anon_inode:[eventfdx]", &li);
	CHECK(li.kind == KIND_ANON, "link anon_inode:[eventfdx]: other");
	link_of("anon_inode:[event]", &li);
	CHECK(li.kind == KIND_ANON, "link anon_inode:[event]: other");
	link_of("anon_inode:", &li);
	CHECK(li.kind == KIND_ANON, "link anon_inode: empty: other");
	link_of("anon_inode:[", &li);
	CHECK(li.kind == KIND_ANON, "link anon_inode:[ : other");
	link_of("anon_inode:[]", &li);
	CHECK(li.kind == KIND_ANON, "link anon_inode:[] : other");

	link_of("net:[4026531840]", &li);
	CHECK(li.kind == KIND_NSFS && !li.path, "link net:[4026531840]: nsfs");
	link_of("mnt:[4026531841]", &li);
	CHECK(li.kind == KIND_NSFS && !li.path, "link mnt:[4026531841]: nsfs");
	link_of("foo:[4026531841]", &li);
	CHECK(li.kind == KIND_UNKNOWN && !li.path, "link foo:[4026531841]: other");
	link_of("relative/path", &li);
	CHECK(li.kind == KIND_UNKNOWN && !li.path, "link relative path: other");
	link_n("", 0, &li);
	CHECK(li.kind == KIND_UNKNOWN && !li.path && !li.deleted, "link empty: other");

	link_n(odd_path, sizeof(odd_path) - 1, &li);
	CHECK(li.path && !li.deleted, "link path with newline and 0xff: path");
	link_n(odd_deleted, sizeof(odd_deleted) - 1, &li);
	CHECK(li.path && li.deleted, "link path with newline and 0xff (deleted): deleted");

	/* length-limited: bytes after len must not count */
	link_n("/tmp/x (deleted)", 6, &li);
	CHECK(li.path && !li.deleted, "link length-limited '/tmp/x': not deleted");
	link_n("pipe:[80330]", 11, &li);
	CHECK(li.kind != KIND_PIPE, "link length-limited 'pipe:[80330': not a pipe");
	link_n("pipe:[80330]trailing", 12, &li);
	CHECK(li.kind == KIND_PIPE, "link length-limited 'pipe:[80330]'+junk: pipe");
	link_n("socket:[80335]]", 13, &li);
	CHECK(li.kind != KIND_SOCKET, "link length-limited 'socket:[80335': not a socket");
	link_n("anon_inode:[eventfd]", 19, &li);
	CHECK(li.kind == KIND_ANON, "link length-limited 'anon_inode:[eventfd': other");
	link_n("anon_inode:[eventfd]]]", 20, &li);
	CHECK(li.kind == KIND_EVENTFD, "link length-limited anon_inode:[eventfd]+junk");
	link_n("anon_inode:inotifyfoo", 18, &li);
	CHECK(li.kind == KIND_INOTIFY, "link length-limited anon_inode:inotify+junk");
	link_n("/memfd:foo", 6, &li);
	CHECK(li.path, "link length-limited '/memfd': a path, not memfd");
}

/* ---- parse_mountinfo_line ---- */

static void test_mountinfo(void)
{
	struct mount_entry me;
	char *big;
	size_t n;
	/* copied from /proc/self/mountinfo of the development machine (no optional fields there) */
	static const char root_line[] =
		"26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534";
	static const char proc_line[] = "21 26 0:20 / /proc rw,relatime - proc proc rw";
	static const char cgroup2_line[] =
		"40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw";
	/* the standard format with optional fields, as a systemd host prints it */
	static const char shared_line[] =
		"29 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro";
	static const char two_opt_line[] =
		"318 29 0:61 / /run/user/1000 rw,nosuid,nodev shared:5 master:1 - tmpfs tmpfs rw,size=3271876k,mode=700";
	/* a mount point holding " - " is escaped by the kernel */
	static const char escaped_line[] =
		"77 26 8:17 /data /mnt/a\\040-\\040b rw,relatime - xfs /dev/sdb1 rw,attr2";

	CHECK(mount_of(root_line, &me) == 0, "mountinfo root: parses");
	CHECK(me.mnt_id == 26, "mountinfo root: mnt_id 26");
	CHECK(me.major == 254 && me.minor == 0, "mountinfo root: 254:0");
	CHECK_STR(me.fstype, "ext4", "mountinfo root: fstype");

	CHECK(mount_of(proc_line, &me) == 0, "mountinfo proc: parses");
	CHECK(me.mnt_id == 21, "mountinfo proc: mnt_id 21");
	CHECK(me.major == 0 && me.minor == 20, "mountinfo proc: 0:20");
	CHECK_STR(me.fstype, "proc", "mountinfo proc: fstype");

	CHECK(mount_of(cgroup2_line, &me) == 0, "mountinfo cgroup2: parses");
	CHECK(me.mnt_id == 40 && me.major == 0 && me.minor == 37, "mountinfo cgroup2: 40, 0:37");
	CHECK_STR(me.fstype, "cgroup2", "mountinfo cgroup2: fstype");

	CHECK(mount_of(shared_line, &me) == 0, "mountinfo shared:1: parses");
	CHECK(me.mnt_id == 29, "mountinfo shared:1: mnt_id 29");
	CHECK(me.major == 259 && me.minor == 2, "mountinfo shared:1: 259:2");
	CHECK_STR(me.fstype, "ext4", "mountinfo shared:1: fstype");

	CHECK(mount_of(two_opt_line, &me) == 0, "mountinfo two optional fields: parses");
	CHECK(me.mnt_id == 318 && me.major == 0 && me.minor == 61, "mountinfo two optional fields: 318, 0:61");
	CHECK_STR(me.fstype, "tmpfs", "mountinfo two optional fields: fstype");

	CHECK(mount_of(escaped_line, &me) == 0, "mountinfo escaped ' - ' in mount point: parses");
	CHECK(me.major == 8 && me.minor == 17, "mountinfo escaped mount point: 8:17");
	CHECK_STR(me.fstype, "xfs", "mountinfo escaped mount point: fstype");

	/* with its trailing newline, as read from the file */
	CHECK(mount_of("21 26 0:20 / /proc rw,relatime - proc proc rw\n", &me) == 0, "mountinfo with newline: parses");
	CHECK_STR(me.fstype, "proc", "mountinfo with newline: fstype");

	/* length-limited: the next line in the buffer does not count */
	n = strlen(proc_line);
	{
		char two[256];
		snprintf(two, sizeof(two), "%s\n%s\n", proc_line, root_line);
		CHECK(mount_n(two, n, &me) == 0 && me.mnt_id == 21, "mountinfo length-limited: first line");
		CHECK_STR(me.fstype, "proc", "mountinfo length-limited: fstype");
		/* cut inside the fstype: "- pro" */
		CHECK(mount_n(two, (size_t)(strstr(two, " - ") - two) + 6, &me) == 0, "mountinfo cut fstype: parses");
		CHECK_STR(me.fstype, "pro", "mountinfo cut fstype: only len bytes");
		/* cut before " - " */
		CHECK(mount_n(two, (size_t)(strstr(two, " - ") - two), &me) == -1,
		      "mountinfo cut before ' - ' -> -1");
	}

	CHECK(mount_of("21 26 0:20 / /proc rw,relatime proc proc rw", &me) == -1,
	      "mountinfo without ' - ' -> -1");
	CHECK(mount_of("21 26 0:20 / /proc rw,relatime -", &me) == -1, "mountinfo without fstype -> -1");
	CHECK(mount_of("21 26 0:20 / /proc rw,relatime - ", &me) == -1, "mountinfo empty fstype -> -1");
	CHECK(mount_of("x 26 0:20 / /proc rw - proc proc rw", &me) == -1, "mountinfo non-numeric id -> -1");
	CHECK(mount_of("21 26 020 / /proc rw - proc proc rw", &me) == -1, "mountinfo no major:minor -> -1");
	CHECK(mount_of("", &me) == -1, "mountinfo empty -> -1");

	/* a line longer than 4 kB (overlayfs with many lowerdirs): the fields
	 * we need come before the long super options */
	n = 9000;
	big = malloc(n + 256);
	if (!big)
		exit(2);
	strcpy(big, "512 26 0:99 / /var/lib/ctr/merged rw,relatime - overlay overlay rw,lowerdir=");
	memset(big + strlen(big), 'l', n);
	big[strlen("512 26 0:99 / /var/lib/ctr/merged rw,relatime - overlay overlay rw,lowerdir=") + n] = '\0';
	CHECK(mount_of(big, &me) == 0, "mountinfo 9 kB overlay line: parses");
	CHECK(me.mnt_id == 512 && me.major == 0 && me.minor == 99, "mountinfo 9 kB overlay line: 512, 0:99");
	CHECK_STR(me.fstype, "overlay", "mountinfo 9 kB overlay line: fstype");
	/* but a long line whose " - " lies past what is examined is still rejected, not misread */
	strcpy(big, "513 26 0:98 / /");
	memset(big + strlen(big), 'm', n);
	strcpy(big + strlen("513 26 0:98 / /") + n, " rw - ext4 /dev/x rw");
	CHECK(mount_of(big, &me) == -1, "mountinfo 9 kB mount point: -1, not misread");
	/* wherever a long line puts its fields, the answer is -1 or right, never a cut fstype */
	{
		size_t k;
		int bad = 0, good = 0;

		for (k = 3000; k < 9000; k++) {
			memcpy(big, "514 26 0:97 / /", 15);
			memset(big + 15, 'm', k);
			strcpy(big + 15 + k, " rw - overlay overlay rw,lowerdir=/a:/b");
			if (mount_of(big, &me) == 0) {
				if (strcmp(me.fstype, "overlay") != 0 || me.mnt_id != 514 || me.minor != 97)
					bad++;
				else
					good++;
			}
		}
		CHECK(bad == 0, "mountinfo long mount points: never a misread fstype");
		CHECK(good > 0, "mountinfo long mount points: some still parse");
	}
	free(big);
}

/* ---- /proc/PID/limits ---- */

static int limits_of(const char *s, struct nofile_limit *nl)
{
	char *b = exact_copy(s, strlen(s));
	int r = parse_limits_nofile(b, strlen(s), nl);

	free(b);
	return r;
}

/* /proc/self/limits on the development machine, verbatim (trailing blanks too). */
static const char limits_sample[] =
	"Limit                     Soft Limit           Hard Limit           Units     \n"
	"Max cpu time              unlimited            unlimited            seconds   \n"
	"Max file size             unlimited            unlimited            bytes     \n"
	"Max data size             unlimited            unlimited            bytes     \n"
	"Max stack size            8388608              unlimited            bytes     \n"
	"Max core file size        0                    unlimited            bytes     \n"
	"Max resident set          unlimited            unlimited            bytes     \n"
	"Max processes             96365                96365                processes \n"
	"Max open files            20000                524288               files     \n"
	"Max locked memory         8388608              8388608              bytes     \n"
	"Max address space         unlimited            unlimited            bytes     \n"
	"Max file locks            unlimited            unlimited            locks     \n"
	"Max pending signals       96365                96365                signals   \n"
	"Max msgqueue size         819200               819200               bytes     \n"
	"Max nice priority         0                    0                    \n"
	"Max realtime priority     0                    0                    \n"
	"Max realtime timeout      unlimited            unlimited            us        \n";

static void test_limits(void)
{
	struct nofile_limit nl;

	CHECK(limits_of(limits_sample, &nl) == 0 && nl.soft == 20000 && nl.hard == 524288 &&
	      !nl.soft_unlimited && !nl.hard_unlimited, "limits: Max open files 20000 / 524288");
	CHECK(limits_of("Limit                     Soft Limit           Hard Limit           Units     \n"
			"Max open files            unlimited            unlimited            files     ",
			&nl) == 0 && nl.soft_unlimited && nl.hard_unlimited,
	      "limits: unlimited both, no trailing newline");
	CHECK(limits_of("Max open files            16                   unlimited            files\n",
			&nl) == 0 && nl.soft == 16 && nl.hard_unlimited && !nl.soft_unlimited,
	      "limits: soft 16, hard unlimited");
	CHECK(limits_of("Max open files 4 8", &nl) == 0 && nl.soft == 4 && nl.hard == 8,
	      "limits: no units column, single spaces");
	CHECK(limits_of("Max processes             96365                96365                processes \n",
			&nl) == -1, "limits: no Max open files line -> -1");
	CHECK(limits_of("", &nl) == -1, "limits: empty -> -1");
	CHECK(limits_of("Max open files            abc                  20                   files\n",
			&nl) == -1, "limits: non-numeric soft -> -1");
	CHECK(limits_of("Max open files            20x                  20                   files\n",
			&nl) == -1, "limits: trailing garbage after soft -> -1");
	CHECK(limits_of("Max open files            -1                   20                   files\n",
			&nl) == -1, "limits: negative soft -> -1");
	CHECK(limits_of("Max open files            20\n", &nl) == -1, "limits: hard missing -> -1");
	CHECK(limits_of("Max open files            unlimitedx           20                   files\n",
			&nl) == -1, "limits: 'unlimitedx' -> -1");
	CHECK(limits_of("Max open filesystems      1                    2                    fs\n",
			&nl) == -1, "limits: a longer name starting the same is not it");
	CHECK(limits_of("Max open files            99999999999999999999999 1              files\n",
			&nl) == -1, "limits: soft beyond 64 bits -> -1");
}

/* ---- /proc/PID/task/TID/syscall ---- */

static int syscall_of(const char *s, struct syscall_info *si)
{
	char *b = exact_copy(s, strlen(s));
	int r = parse_syscall(b, strlen(s), si);

	free(b);
	return r;
}

static void test_syscall(void)
{
	struct syscall_info si;

	/* a child of python blocked in accept4(3, ...), read on the development machine */
	CHECK(syscall_of("288 0x3 0x7ffda3e57dc0 0x7ffda3e57db4 0x80000 0x0 0x0 0x7ffda3e57d88 0x7fe7ead28f63\n",
			 &si) == 0 && !si.running && si.nr == 288 && si.arg0 == 3, "syscall: accept4 on fd 3");
	CHECK(syscall_of("0 0x1f 0x555d55723580 0x2000 0x1000 0x0 0x0 0x7ffd 0x7fe7", &si) == 0 &&
	      si.nr == 0 && si.arg0 == 31, "syscall: read on fd 0x1f, no newline");
	/* bash blocked in wait4(-1, ...); waitid(P_PID, 0x1c3, ...) */
	CHECK(syscall_of("61 0xffffffffffffffff 0x7ffc2e5e0b50 0x0 0x0 0x0 0x0 0x7ffc 0x7f20\n", &si) == 0 &&
	      si.nr == 61 && si.arg0 == ~0ULL && si.arg1 == 0x7ffc2e5e0b50, "syscall: wait4(-1), its second argument");
	CHECK(syscall_of("247 0x1 0x1c3 0x7ffc 0x4 0x0 0x0 0x7ffc 0x7f20\n", &si) == 0 &&
	      si.arg0 == 1 && si.arg1 == 0x1c3, "syscall: waitid(P_PID, 451)");
	CHECK(syscall_of("running\n", &si) == 0 && si.running, "syscall: running");
	CHECK(syscall_of("-1 0x7ffd 0x7fe7\n", &si) == 0 && !si.running && si.nr == -1,
	      "syscall: -1 (blocked outside a call)");
	CHECK(syscall_of("", &si) == -1, "syscall: empty -> -1");
	CHECK(syscall_of("abc 0x1\n", &si) == -1, "syscall: non-numeric -> -1");
	CHECK(syscall_of("7 3\n", &si) == -1, "syscall: argument without 0x -> -1");
	CHECK(syscall_of("7 0xzz\n", &si) == -1, "syscall: bad hex -> -1");
	CHECK(syscall_of("-2 0x1\n", &si) == -1, "syscall: -2 -> -1");
	CHECK(syscall_of("7x 0x1\n", &si) == -1, "syscall: 7x -> -1");
}

/* ---- parse_int / parse_pid_name ---- */

static size_t argv_len(char **v)
{
	size_t n = 0;

	while (v[n])
		n++;
	return n;
}

static void test_cmdline(void)
{
	static const char nl[] = "x\ny\0" "301\0";
	static const char empty_args[] = "a\0\0b\0";
	static const char unterminated[] = "prog\0half";
	char **v;

	v = parse_cmdline(nl, sizeof(nl) - 1);
	CHECK(argv_len(v) == 2, "cmdline: a newline does not split an argument (2 arguments)");
	CHECK_STR(v[0], "x\ny", "cmdline: the first argument keeps its newline");
	CHECK_STR(v[1], "301", "cmdline: the second argument");
	cmdline_free(v);
	v = parse_cmdline(empty_args, sizeof(empty_args) - 1);
	CHECK(argv_len(v) == 3 && strcmp(v[1], "") == 0 && strcmp(v[2], "b") == 0,
	      "cmdline: an empty argument in the middle is kept");
	cmdline_free(v);
	v = parse_cmdline(unterminated, sizeof(unterminated) - 1);
	CHECK(argv_len(v) == 2 && strcmp(v[1], "half") == 0,
	      "cmdline: a last argument without its NUL (rewritten argv) is kept");
	cmdline_free(v);
	v = parse_cmdline("", 0);
	CHECK(argv_len(v) == 0, "cmdline: nothing (kernel thread, zombie): no argument");
	cmdline_free(v);
	v = parse_cmdline("\0", 1);
	CHECK(argv_len(v) == 1 && v[0][0] == '\0', "cmdline: one NUL is one empty argument");
	cmdline_free(v);
}

static void test_ints(void)
{
	int v;

	v = -7;
	CHECK(parse_int("123", &v) == 0 && v == 123, "parse_int 123");
	v = -7;
	CHECK(parse_int("0", &v) == 0 && v == 0, "parse_int 0");
	v = 0;
	CHECK(parse_int("-1", &v) == 0 && v == -1, "parse_int -1");
	CHECK(parse_int("2147483647", &v) == 0 && v == INT_MAX, "parse_int INT_MAX");
	CHECK(parse_int("-2147483648", &v) == 0 && v == INT_MIN, "parse_int INT_MIN");
	CHECK(parse_int("12a", &v) == -1, "parse_int 12a -> -1");
	CHECK(parse_int("", &v) == -1, "parse_int empty -> -1");
	CHECK(parse_int(" 1", &v) == -1, "parse_int ' 1' -> -1");
	CHECK(parse_int("1 ", &v) == -1, "parse_int '1 ' -> -1");
	CHECK(parse_int("99999999999", &v) == -1, "parse_int 99999999999 -> -1");
	CHECK(parse_int("2147483648", &v) == -1, "parse_int INT_MAX+1 -> -1");
	CHECK(parse_int("-2147483649", &v) == -1, "parse_int INT_MIN-1 -> -1");
	CHECK(parse_int("99999999999999999999999", &v) == -1, "parse_int beyond long -> -1");
	CHECK(parse_int("-", &v) == -1, "parse_int '-' -> -1");
	CHECK(parse_int("0x10", &v) == -1, "parse_int 0x10 -> -1");
	CHECK(parse_int(NULL, &v) == -1, "parse_int NULL -> -1");

	v = -7;
	CHECK(parse_pid_name("123", &v) == 0 && v == 123, "parse_pid_name 123");
	v = -7;
	CHECK(parse_pid_name("0", &v) == 0 && v == 0, "parse_pid_name 0");
	CHECK(parse_pid_name("4194304", &v) == 0 && v == 4194304, "parse_pid_name pid_max");
	CHECK(parse_pid_name("-1", &v) == -1, "parse_pid_name -1 -> -1");
	CHECK(parse_pid_name("+1", &v) == -1, "parse_pid_name +1 -> -1");
	CHECK(parse_pid_name("12a", &v) == -1, "parse_pid_name 12a -> -1");
	CHECK(parse_pid_name("", &v) == -1, "parse_pid_name empty -> -1");
	CHECK(parse_pid_name(" 1", &v) == -1, "parse_pid_name ' 1' -> -1");
	CHECK(parse_pid_name("99999999999", &v) == -1, "parse_pid_name 99999999999 -> -1");
	CHECK(parse_pid_name("self", &v) == -1, "parse_pid_name self -> -1");
	CHECK(parse_pid_name(".", &v) == -1, "parse_pid_name . -> -1");
}

int main(void)
{
	test_stat();
	test_status();
	test_fdinfo_samples();
	test_fdinfo_edges();
	test_link();
	test_mountinfo();
	test_cmdline();
	test_ints();
	test_limits();
	test_syscall();
	return check_done();
}
