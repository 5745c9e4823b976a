/* unit_kinds.c - the pure parts of the fd kinds (src/kinds/) and signal
 * names (src/base/signame.c), on fdinfo and link texts as kernel 6.x
 * prints them, and on malformed ones. */
#include "check.h"
#include "base/json.h"
#include "base/signame.h"
#include "base/util.h"
#include "kinds/fdinfo_kv.h"
#include "kinds/kind_bpf.h"
#include "kinds/kind_io_uring.h"
#include "kinds/kind_nsfs.h"
#include "kinds/kind_tty.h"
#include "kinds/kinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define S(lit) lit, sizeof(lit) - 1

static void test_signame(void)
{
	char b[24];

	CHECK_STR(signame(10, true, b, sizeof(b)), "SIGUSR1", "signal 10 is SIGUSR1");
	CHECK_STR(signame(10, false, b, sizeof(b)), "USR1", "without prefix: USR1");
	CHECK_STR(signame(42, true, b, sizeof(b)), "SIGRTMIN+8", "signal 42 is SIGRTMIN+8 (glibc's SIGRTMIN is 34)");
	CHECK_STR(signame(42, false, b, sizeof(b)), "RTMIN+8", "without prefix: RTMIN+8");
	CHECK_STR(signame(34, false, b, sizeof(b)), "RTMIN", "34 is RTMIN");
	CHECK_STR(signame(64, false, b, sizeof(b)), "RTMIN+30", "64 is RTMIN+30");
	CHECK_STR(signame(32, false, b, sizeof(b)), "SIG32", "32 (glibc-internal) has no name");
	CHECK_STR(signame(33, true, b, sizeof(b)), "SIG33", "33 (glibc-internal) has no name");
	CHECK_STR(signame(65, true, b, sizeof(b)), "SIG65", "past 64: a number");
	CHECK_STR(signame(0, true, b, sizeof(b)), "SIG0", "0: a number");
	CHECK_STR(signame(31, true, b, sizeof(b)), "SIGSYS", "31 is SIGSYS");
}

static void test_kv(void)
{
	static const char text[] = "pos:\t0\nno colon here\n:empty key\nSqMask:\t0x7  \nname: a b\nlast:9";
	struct fdinfo_kv kv;
	size_t off = 0;
	long long v;
	char buf[8];
	int n = 0;

	while (fdinfo_kv_next(text, sizeof(text) - 1, &off, &kv))
		n++;
	CHECK(n == 4, "kv: four key lines (no colon and empty key skipped)");
	off = 0;
	fdinfo_kv_next(text, sizeof(text) - 1, &off, &kv);
	fdinfo_kv_next(text, sizeof(text) - 1, &off, &kv);
	CHECK(fdinfo_kv_is(&kv, "SqMask") && fdinfo_kv_ll(&kv, 16, &v) == 0 && v == 7,
	      "kv: hex value with trailing blanks");
	fdinfo_kv_next(text, sizeof(text) - 1, &off, &kv);
	CHECK(fdinfo_kv_str(&kv, buf, sizeof(buf)) && strcmp(buf, "a b") == 0, "kv: string value");
	CHECK(fdinfo_kv_ll(&kv, 10, &v) < 0, "kv: a word is no number");
	fdinfo_kv_next(text, sizeof(text) - 1, &off, &kv);
	CHECK(fdinfo_kv_is(&kv, "last") && fdinfo_kv_ll(&kv, 10, &v) == 0 && v == 9,
	      "kv: last line without newline");
	kv.val = "0123456789";
	kv.vlen = 10;
	CHECK(!fdinfo_kv_str(&kv, buf, sizeof(buf)) && buf[0] == '\0', "kv: too long for the buffer: refused");
	kv.val = "a\033b";
	kv.vlen = 3;
	CHECK(!fdinfo_kv_str(&kv, buf, sizeof(buf)), "kv: control byte refused");
	kv.val = "99999999999999999999999";
	kv.vlen = strlen(kv.val);
	CHECK(fdinfo_kv_ll(&kv, 10, &v) < 0, "kv: overflow refused");
}

static void test_nsfs(void)
{
	struct nsfs_detail d;
	struct strbuf sb;

	CHECK(nsfs_parse_link(S("net:[4026531840]"), &d) == 0 && strcmp(d.type, "net") == 0 &&
	      d.ino == 4026531840ULL, "nsfs: net:[4026531840]");
	CHECK(nsfs_parse_link(S("cgroup:[4026531835]"), &d) == 0 && strcmp(d.type, "cgroup") == 0,
	      "nsfs: cgroup");
	CHECK(nsfs_parse_link(S("time:[4026531834]"), &d) == 0, "nsfs: time");
	CHECK(nsfs_parse_link(S("pipe:[123]"), &d) < 0, "nsfs: pipe:[] is not a namespace");
	CHECK(nsfs_parse_link(S("/tmp/net:[4026531840]"), &d) < 0, "nsfs: a file named like one is not");
	CHECK(nsfs_parse_link(S("net:[]"), &d) < 0, "nsfs: no digits");
	CHECK(nsfs_parse_link(S("net:[12x]"), &d) < 0, "nsfs: not digits");
	CHECK(nsfs_parse_link(S("net:[12] "), &d) < 0, "nsfs: trailing bytes");
	CHECK(nsfs_parse_link(S("net:[99999999999999999999999]"), &d) < 0, "nsfs: overflow");
	CHECK(nsfs_parse_link(S("foo:[1]"), &d) < 0, "nsfs: unknown namespace type");
	nsfs_parse_link(S("user:[4026531837]"), &d);
	sb_init(&sb);
	nsfs_text(&d, &sb);
	CHECK_STR(sb.buf, "user namespace 4026531837", "nsfs: text");
	sb_free(&sb);
}

static void test_bpf(void)
{
	static const char map[] = "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t26\nmap_type:\t2\n"
		"key_size:\t4\nvalue_size:\t8\nmax_entries:\t4\nmap_flags:\t0x0\nmap_extra:\t0x0\n"
		"memlock:\t344\nmap_id:\t26\nfrozen:\t0\n";
	static const char prog[] = "pos:\t0\nprog_type:\t1\nprog_jited:\t1\nprog_tag:\t59f4a931744dcdc6\n"
		"memlock:\t4096\nprog_id:\t222\nrun_time_ns:\t0\n";
	static const char link[] = "pos:\t0\nlink_type:\tnetns\nlink_id:\t5\nprog_tag:\tabc\nprog_id:\t223\n"
		"netns_ino:\t4026532303\nattach_type:\t17\n";
	static const char odd[] = "map_type:\t999\nmap_id:\tx\n";
	struct bpf_detail d;
	struct strbuf sb;

	bpf_parse_fdinfo(BPF_OBJ_MAP, S(map), &d);
	CHECK(strcmp(d.type, "array") == 0 && d.id == 26 && d.prog_id == -1, "bpf: map array id 26");
	sb_init(&sb);
	bpf_text(&d, &sb);
	CHECK_STR(sb.buf, "map array id 26", "bpf: map text");
	bpf_parse_fdinfo(BPF_OBJ_PROG, S(prog), &d);
	CHECK(strcmp(d.type, "socket_filter") == 0 && d.id == 222 && strcmp(d.tag, "59f4a931744dcdc6") == 0,
	      "bpf: prog socket_filter id 222 with tag");
	bpf_parse_fdinfo(BPF_OBJ_LINK, S(link), &d);
	CHECK(strcmp(d.type, "netns") == 0 && d.id == 5 && d.prog_id == 223 && d.tag[0] == '\0',
	      "bpf: link netns id 5 prog 223");
	sb.len = 0;
	bpf_text(&d, &sb);
	CHECK_STR(sb.buf, "link netns id 5 prog 223", "bpf: link text");
	bpf_parse_fdinfo(BPF_OBJ_MAP, S(odd), &d);
	CHECK(strcmp(d.type, "type 999") == 0 && d.id == -1, "bpf: unknown type number shown, bad id unknown");
	bpf_parse_fdinfo(BPF_OBJ_MAP, "", 0, &d);
	CHECK(d.type[0] == '\0' && d.id == -1, "bpf: empty fdinfo: nothing known");
	sb_free(&sb);
}

static void test_io_uring(void)
{
	static const char plain[] = "pos:\t0\nflags:\t02000002\nmnt_id:\t17\nino:\t10798552\nSqMask:\t0x7\n"
		"SqHead:\t0\nSqTail:\t0\nCachedSqHead:\t0\nCqMask:\t0xf\nCqHead:\t0\nCqTail:\t0\n"
		"CachedCqTail:\t0\nSQEs:\t0\nCQEs:\t0\nSqThread:\t-1\nSqThreadCpu:\t-1\nSqTotalTime:\t0\n"
		"SqWorkTime:\t0\nUserFiles:\t0\nUserBufs:\t0\nPollList:\nCqOverflowList:\nNAPI:\tdisabled\n";
	static const char sqpoll[] = "SqMask:\t0x3\nCqMask:\t0x7\nSqThread:\t4242\nSqThreadCpu:\t1\n"
		"UserFiles:\t2\nUserBufs:\t1\n";
	struct io_uring_detail d;
	struct strbuf sb;

	io_uring_parse_fdinfo(S(plain), &d);
	CHECK(d.sq_entries == 8 && d.cq_entries == 16 && d.sq_thread == -1 && d.user_files == 0,
	      "io_uring: 8 entries, cq 16, no sq thread");
	sb_init(&sb);
	io_uring_text(&d, &sb);
	CHECK_STR(sb.buf, "8 entries (cq 16)", "io_uring: plain text");
	io_uring_parse_fdinfo(S(sqpoll), &d);
	sb.len = 0;
	io_uring_text(&d, &sb);
	CHECK_STR(sb.buf, "4 entries (cq 8), sqpoll thread 4242 on cpu 1, 2 files registered, 1 buffer registered",
		  "io_uring: SQPOLL text");
	io_uring_parse_fdinfo("", 0, &d);
	CHECK(d.sq_entries == -1 && d.sq_thread == -1 && d.user_bufs == -1, "io_uring: empty: unknown");
	sb_free(&sb);
}

static void test_chr(void)
{
	struct chr_detail d;
	struct strbuf sb;

	CHECK(chr_kind_of(makedev(5, 2)) == CHR_PTY_MASTER, "chr: 5:2 is ptmx");
	CHECK(chr_kind_of(makedev(136, 3)) == CHR_PTY_SLAVE && pty_slave_index(makedev(136, 3)) == 3,
	      "chr: 136:3 is pts 3");
	CHECK(pty_slave_index(makedev(137, 1)) == 257, "chr: 137:1 is pts 257");
	CHECK(chr_kind_of(makedev(144, 0)) == CHR_PLAIN, "chr: 144 is past the pty majors");
	CHECK(chr_kind_of(makedev(10, 200)) == CHR_TUN, "chr: 10:200 is tun");
	CHECK(chr_kind_of(makedev(1, 3)) == CHR_PLAIN, "chr: /dev/null is plain");
	CHECK(chr_kind_of(makedev(4, 1)) == CHR_PLAIN, "chr: a virtual console is plain");
	d = (struct chr_detail){ .kind = CHR_PTY_MASTER, .tty_index = -1 };
	chr_parse_fdinfo(S("pos:\t0\ntty-index:\t7\n"), &d);
	CHECK(d.tty_index == 7, "chr: tty-index 7");
	sb_init(&sb);
	chr_text(&d, &sb);
	CHECK_STR(sb.buf, "pty 7 master", "chr: master text");
	d = (struct chr_detail){ .kind = CHR_PTY_MASTER, .tty_index = -1 };
	chr_parse_fdinfo(S("tty-index:\t-4\n"), &d);
	CHECK(d.tty_index == -1, "chr: negative index refused");
	d = (struct chr_detail){ .kind = CHR_TUN, .tty_index = -1 };
	chr_parse_fdinfo(S("iff:\ttap0\n"), &d);
	sb.len = 0;
	chr_text(&d, &sb);
	CHECK_STR(sb.buf, "interface tap0", "chr: tun interface");
	d = (struct chr_detail){ .kind = CHR_TUN, .tty_index = -1 };
	chr_parse_fdinfo(S("iff:\tan-interface-name-far-too-long\n"), &d);
	sb.len = 0;
	chr_text(&d, &sb);
	CHECK_STR(sb.buf, "no interface attached", "chr: an impossible interface name is dropped");
	sb_free(&sb);
}

/* The kind table recognises these kinds from the target text and mode. */
static void test_recognise(void)
{
	CHECK(kind_recognise(S("net:[4026531840]"), false, 0) == KIND_NSFS, "table: net:[...] is nsfs");
	CHECK(kind_recognise(S("/tmp/net:[4026531840]"), true, S_IFREG) == KIND_REG,
	      "table: a file named like a namespace is reg");
	CHECK(kind_recognise(S("pipe:[123]"), false, 0) == KIND_PIPE, "table: pipe:[] stays a pipe");
	CHECK(kind_recognise(S("foo:[1]"), false, 0) == KIND_UNKNOWN, "table: an unknown X:[N] is unknown");
	CHECK(kind_recognise(S("/tmp/link"), true, S_IFLNK) == KIND_SYMLINK, "table: a symlink's mode is symlink");
	CHECK(kind_recognise(S("anon_inode:bpf-map"), false, 0) == KIND_BPF_MAP, "table: bpf-map");
	CHECK(kind_recognise(S("anon_inode:bpf-prog"), false, 0) == KIND_BPF_PROG, "table: bpf-prog");
	CHECK(kind_recognise(S("anon_inode:bpf_link"), false, 0) == KIND_BPF_LINK, "table: bpf_link");
	CHECK(kind_recognise(S("anon_inode:bpf-map2"), false, 0) == KIND_ANON, "table: exact names only");
	CHECK(kind_recognise(S("anon_inode:[io_uring]"), false, 0) == KIND_IO_URING, "table: io_uring");
	CHECK(kind_recognise(S("anon_inode:[eventfd]"), false, 0) == KIND_EVENTFD, "table: eventfd stays eventfd");
	CHECK(kind_recognise(S("/probeq"), true, S_IFREG) == KIND_REG,
	      "table: a queue is reg until its mount says mqueue (kind_scan.c)");
	CHECK(kind_by_name("mqueue") == KIND_MQUEUE && kind_by_name("bpf-link") == KIND_BPF_LINK,
	      "table: names mqueue, bpf-link");
}

int main(void)
{
	test_signame();
	test_kv();
	test_nsfs();
	test_bpf();
	test_io_uring();
	test_chr();
	test_recognise();
	return check_done();
}
