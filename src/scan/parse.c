/* parse.c - pure parsers for /proc text (see parse.h).
 *
 * Formats read here (kernel 6.x):
 *
 * stat:      "PID (COMM) S PPID PGRP SID TTY TPGID FLAGS ... NUM_THREADS 0 STARTTIME ..."
 *            COMM may hold spaces, ')' and newlines, so the fields after it are
 *            found from the LAST ')' (ss's `%[^)]` breaks on such names).
 * status:    "Key:\tvalue" lines; we read "Uid:\tR E S F" and "NSpid:\tA B ...".
 * syscall:   "running", "-1 0xSP 0xPC" (blocked outside a call), or
 *            "NR 0xA1 0xA2 0xA3 0xA4 0xA5 0xA6 0xSP 0xPC" (NR decimal).
 * limits:    a header line, then "NAME  SOFT  HARD  UNITS" in fixed-width
 *            columns; NAME holds spaces ("Max open files"), SOFT and HARD are
 *            decimal or "unlimited".
 * fdinfo:    "pos:\tN", "flags:\t0OCTAL", "mnt_id:\tN", "ino:\tN", then per kind:
 *            "lock:\t1: POSIX  ADVISORY  WRITE PID MAJ:MIN:INO START END",
 *            "scm_fds: N", "eventfd-count: HEX", "eventfd-id: N",
 *            "eventfd-semaphore: 0|1", "tfd: N events: HEX data: HEX pos:N ino:HEX sdev:HEX",
 *            "Pid:\tN" (pidfd), "sigmask:\tHEX", "clockid: N", "ticks: N",
 *            "it_value: (S, NS)", "it_interval: (S, NS)", "inotify wd:...", "fanotify ino:...".
 *            Unknown keys are ignored: newer kernels add lines.
 * links:     "/path", "/path (deleted)", "pipe:[INO]", "socket:[INO]",
 *            "anon_inode:[eventfd]" (or without brackets, e.g. "anon_inode:inotify"),
 *            "/memfd:NAME (deleted)".
 * mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPER".
 * cmdline:   the arguments, each ended by a NUL ("a\0\0b\0" is "a", "", "b");
 *            any byte but NUL may be in one (newlines too).  A process that
 *            rewrote its argument area may leave the last one unterminated.
 */
#include "scan/parse.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_int(const char *s, int *out)
{
	char *end;
	long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

int parse_pid_name(const char *name, int *out)
{
	const char *p;

	for (p = name; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	return parse_int(name, out);
}

/* strtoull with full validation of the token starting at s (no sign, base as
 * given); *end gets the first byte after the number. */
static int to_ull(const char *s, int base, unsigned long long *out, const char **end)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!isxdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoull(s, &e, base);
	if (errno || e == s)
		return -1;
	if (end)
		*end = e;
	return 0;
}

static int to_ll(const char *s, long long *out, const char **end)
{
	char *e;

	errno = 0;
	*out = strtoll(s, &e, 10);
	if (errno || e == s)
		return -1;
	if (end)
		*end = e;
	return 0;
}

/* A whole-value conversion: digits then only trailing whitespace. */
static int value_ull(const char *s, int base, unsigned long long *out)
{
	const char *end;

	if (to_ull(s, base, out, &end) < 0)
		return -1;
	while (*end == ' ' || *end == '\t')
		end++;
	return *end ? -1 : 0;
}

/* ---- stat ---- */

int parse_stat(const char *buf, size_t len, struct stat_info *out)
{
	const char *open, *close, *p;
	char rest[1024];
	size_t comm_len, rest_len;
	unsigned long long start;
	int n;

	memset(out, 0, sizeof(*out));
	open = memchr(buf, '(', len);
	close = NULL;
	for (p = buf + len; p > buf; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (!open || !close || close < open)
		return -1;
	{
		char pidbuf[16];
		size_t pl = (size_t)(open - buf);
		while (pl && buf[pl - 1] == ' ')
			pl--;
		if (pl == 0 || pl >= sizeof(pidbuf))
			return -1;
		memcpy(pidbuf, buf, pl);
		pidbuf[pl] = '\0';
		if (parse_pid_name(pidbuf, &out->pid) < 0)
			return -1;
	}
	comm_len = (size_t)(close - open - 1);
	if (comm_len >= sizeof(out->comm))
		comm_len = sizeof(out->comm) - 1;
	memcpy(out->comm, open + 1, comm_len);
	out->comm[comm_len] = '\0';

	rest_len = len - (size_t)(close + 1 - buf);
	if (rest_len >= sizeof(rest))
		rest_len = sizeof(rest) - 1;
	memcpy(rest, close + 1, rest_len);
	rest[rest_len] = '\0';
	/* fields 3..22: state ppid pgrp session tty tpgid flags minflt cminflt
	 * majflt cmajflt utime stime cutime cstime priority nice num_threads
	 * itrealvalue starttime */
	n = sscanf(rest, " %c %d %d %d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %d %*d %llu",
		   &out->state, &out->ppid, &out->pgrp, &out->session, &out->num_threads, &start);
	if (n != 6)
		return -1;
	out->start_time = start;
	return 0;
}

/* ---- line iteration shared by status and fdinfo ---- */

/* Copy the next line of buf[*off..len) into line (NUL-terminated, truncated
 * to cap-1 bytes); returns false at the end.  *truncated says whether the line
 * was longer than the buffer (such lines are skipped by callers). */
static bool next_line(const char *buf, size_t len, size_t *off, char *line, size_t cap, bool *truncated)
{
	const char *start, *nl;
	size_t n;

	if (*off >= len)
		return false;
	start = buf + *off;
	nl = memchr(start, '\n', len - *off);
	n = nl ? (size_t)(nl - start) : len - *off;
	*off += n + (nl ? 1 : 0);
	*truncated = n >= cap;
	if (n >= cap)
		n = cap - 1;
	memcpy(line, start, n);
	line[n] = '\0';
	return true;
}

/* If line starts with key (including its ':'), return the value after it. */
static const char *value_of(const char *line, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n) != 0)
		return NULL;
	line += n;
	while (*line == ' ' || *line == '\t')
		line++;
	return line;
}

/* ---- status ---- */

/* A signal mask: 1 to 16 hex digits, copied as they are. */
static int parse_sigmask(const char *v, char dst[17])
{
	size_t n = strspn(v, "0123456789abcdefABCDEF");

	if (n == 0 || n > 16 || v[n] != '\0')
		return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

static int parse_nspid(const char *v, struct status_info *out)
{
	const char *end;
	long long x;

	out->nspid_count = 0;
	while (*v) {
		while (*v == ' ' || *v == '\t')
			v++;
		if (!*v)
			break;
		if (to_ll(v, &x, &end) < 0 || x < INT_MIN || x > INT_MAX)
			return -1;
		if (out->nspid_count < NSPID_MAX)
			out->nspid[out->nspid_count++] = (int)x;
		v = end;
	}
	return 0;
}

int parse_status(const char *buf, size_t len, struct status_info *out)
{
	char line[512];
	size_t off = 0;
	bool trunc;
	const char *v;

	memset(out, 0, sizeof(*out));
	while (next_line(buf, len, &off, line, sizeof(line), &trunc)) {
		if (trunc)
			continue;
		if ((v = value_of(line, "NSpid:"))) {
			if (parse_nspid(v, out) < 0)
				return -1;
		} else if ((v = value_of(line, "Uid:"))) {
			if (sscanf(v, "%u %u", &out->ruid, &out->euid) != 2)
				return -1;
			out->have_uid = true;
		} else if ((v = value_of(line, "SigBlk:"))) {
			if (parse_sigmask(v, out->sigblocked) < 0)
				return -1;
		} else if ((v = value_of(line, "SigIgn:"))) {
			if (parse_sigmask(v, out->sigignore) < 0)
				return -1;
		} else if ((v = value_of(line, "SigCgt:"))) {
			if (parse_sigmask(v, out->sigcatch) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- syscall ---- */

int parse_syscall(const char *buf, size_t len, struct syscall_info *out)
{
	char line[256];
	const char *v, *end;
	long long nr;
	size_t off = 0;
	bool trunc;

	memset(out, 0, sizeof(*out));
	if (!next_line(buf, len, &off, line, sizeof(line), &trunc) || trunc)
		return -1;
	if (strcmp(line, "running") == 0) {
		out->running = true;
		out->nr = -1;
		return 0;
	}
	if (to_ll(line, &nr, &end) < 0 || nr < -1 || nr > 100000 || (*end != ' ' && *end))
		return -1;
	out->nr = (long)nr;
	if (nr == -1)
		return 0;
	v = end;
	while (*v == ' ')
		v++;
	if (strncmp(v, "0x", 2) != 0 || to_ull(v + 2, 16, &out->arg0, &end) < 0 ||
	    (*end != ' ' && *end))
		return -1;
	for (v = end; *v == ' '; v++)
		;
	if (strncmp(v, "0x", 2) == 0 && (to_ull(v + 2, 16, &out->arg1, &end) < 0 ||
					 (*end != ' ' && *end)))
		return -1;
	return 0;
}

/* ---- limits ---- */

/* One limit value at *s: decimal or "unlimited"; *s moves past it. */
static int limit_value(const char **s, bool *unlimited, unsigned long long *v)
{
	const char *end;

	while (**s == ' ' || **s == '\t')
		(*s)++;
	*unlimited = strncmp(*s, "unlimited", 9) == 0;
	if (*unlimited) {
		end = *s + 9;
	} else if (**s < '0' || **s > '9' || to_ull(*s, 10, v, &end) < 0) {
		return -1;
	}
	if (*end != ' ' && *end != '\t' && *end != '\0')
		return -1;
	*s = end;
	return 0;
}

int parse_limits_nofile(const char *buf, size_t len, struct nofile_limit *out)
{
	char line[256];
	size_t off = 0;
	bool trunc;
	const char *v;

	memset(out, 0, sizeof(*out));
	while (next_line(buf, len, &off, line, sizeof(line), &trunc)) {
		/* the name column is padded with spaces: "Max open files" must
		 * be followed by one, not be the start of a longer name */
		if (trunc || !(v = value_of(line, "Max open files ")))
			continue;
		if (limit_value(&v, &out->soft_unlimited, &out->soft) < 0 ||
		    limit_value(&v, &out->hard_unlimited, &out->hard) < 0)
			return -1;
		return 0;
	}
	return -1;
}

/* ---- fdinfo ---- */

static void parse_lock_line(const char *v, struct fd_details *out)
{
	/* "1: POSIX  ADVISORY  WRITE 16712 fe:00:10953121 0 3" */
	char kind[16] = "", mode[16] = "";

	struct lock_line line;

	out->nlocks++;
	if (lock_line_parse(v, strlen(v), &line) == 0) {
		out->lock_lines = xreallocarray(out->lock_lines, out->nlock_lines + 1, sizeof(line));
		out->lock_lines[out->nlock_lines++] = line;
	}
	if (sscanf(v, "%*d: %15s %*s %15s", kind, mode) < 1)
		return;
	if (strcmp(kind, "POSIX") == 0)
		out->lock_kinds |= LOCK_POSIX;
	else if (strcmp(kind, "FLOCK") == 0)
		out->lock_kinds |= LOCK_FLOCK;
	else if (strcmp(kind, "OFDLCK") == 0)
		out->lock_kinds |= LOCK_OFD;
	else
		out->lock_kinds |= LOCK_OTHER;
	if (strcmp(mode, "WRITE") == 0)
		out->lock_write = true;
}

static int parse_epoll_target(const char *v, struct fd_details *out, size_t *cap)
{
	struct epoll_target t;
	int n;

	/* "15 events:       1c data:                f  pos:0 ino:40e sdev:10" */
	n = sscanf(v, "%d events: %x data: %llx pos:%llu ino:%llx sdev:%llx",
		   &t.tfd, &t.events, &t.data, &t.pos, &t.ino, &t.sdev);
	if (n != 6 || t.tfd < 0)   /* an fd number is never negative */
		return -1;
	grow_array((void **)&out->targets, cap, out->ntargets + 1, sizeof(t));
	out->targets[out->ntargets++] = t;
	return 0;
}

static void parse_inotify_watch(const char *v, struct fd_details *out, size_t *cap)
{
	struct inotify_watch w;
	unsigned wd;

	/* "a ino:3c51a sdev:fe00000 mask:300 ignored_mask:0 fhandle-bytes:8 ...":
	 * the kernel prints the watch descriptor in hex ("inotify wd:%x"). */
	out->inotify_watches++;
	if (sscanf(v, "%x ino:%llx sdev:%llx mask:%x", &wd, &w.ino, &w.sdev, &w.mask) != 4 ||
	    wd > INT_MAX)
		return;
	w.wd = (int)wd;
	grow_array((void **)&out->watches, cap, out->nwatches + 1, sizeof(w));
	out->watches[out->nwatches++] = w;
}

static int parse_timespec_pair(const char *v, long long *sec, long long *nsec)
{
	return sscanf(v, "(%lld, %lld)", sec, nsec) == 2 ? 0 : -1;
}

/* The four keys every fd has; returns 1 when line was one of them, -1 on a
 * malformed value, 0 otherwise. */
static int parse_basic_key(const char *line, struct fdinfo *out, unsigned *seen)
{
	const char *v;
	unsigned long long x;

	if ((v = value_of(line, "pos:"))) {
		if (value_ull(v, 10, &out->pos) < 0)
			return -1;
		*seen |= 1;
	} else if ((v = value_of(line, "flags:"))) {
		if (value_ull(v, 8, &x) < 0 || x > UINT_MAX)
			return -1;
		out->flags = (unsigned)x;
		*seen |= 2;
	} else if ((v = value_of(line, "mnt_id:"))) {
		if (value_ull(v, 10, &x) < 0 || x > INT_MAX)
			return -1;
		out->mnt_id = (int)x;
		*seen |= 4;
	} else if ((v = value_of(line, "ino:"))) {
		if (value_ull(v, 10, &out->ino) < 0)
			return -1;
		*seen |= 8;
	} else {
		return 0;
	}
	return 1;
}

/* Keys of the special kinds.  Malformed values are ignored (the detail is
 * then simply absent): only the four basic keys decide validity. */
static void parse_kind_key(const char *line, struct fd_details *out, size_t *tcap, size_t *wcap)
{
	const char *v;
	unsigned long long x;
	long long a, b;

	if ((v = value_of(line, "lock:"))) {
		parse_lock_line(v, out);
	} else if ((v = value_of(line, "scm_fds:"))) {
		if (value_ull(v, 10, &x) == 0 && x <= INT_MAX) {
			out->have_scm_fds = true;
			out->scm_fds = (int)x;
		}
	} else if ((v = value_of(line, "eventfd-count:"))) {
		if (value_ull(v, 16, &out->eventfd_count) == 0)
			out->have_eventfd = true;
	} else if ((v = value_of(line, "eventfd-id:"))) {
		if (value_ull(v, 10, &x) == 0)
			out->eventfd_id = (long long)x;
	} else if ((v = value_of(line, "eventfd-semaphore:"))) {
		out->eventfd_semaphore = *v == '1';
	} else if ((v = value_of(line, "tfd:"))) {
		parse_epoll_target(v, out, tcap);
	} else if ((v = value_of(line, "Pid:"))) {
		if (to_ll(v, &a, NULL) == 0 && a >= -1 && a <= INT_MAX) {
			out->have_pidfd = true;
			out->pidfd_pid = (int)a;
		}
	} else if ((v = value_of(line, "sigmask:"))) {
		if (value_ull(v, 16, &out->sigmask) == 0)
			out->have_sigmask = true;
	} else if ((v = value_of(line, "clockid:"))) {
		if (value_ull(v, 10, &x) == 0 && x <= INT_MAX) {
			out->have_timerfd = true;
			out->timer_clockid = (int)x;
		}
	} else if ((v = value_of(line, "ticks:"))) {
		value_ull(v, 10, &out->timer_ticks);
	} else if ((v = value_of(line, "it_value:"))) {
		if (parse_timespec_pair(v, &a, &b) == 0) {
			out->timer_value_sec = a;
			out->timer_value_nsec = b;
		}
	} else if ((v = value_of(line, "it_interval:"))) {
		if (parse_timespec_pair(v, &a, &b) == 0) {
			out->timer_interval_sec = a;
			out->timer_interval_nsec = b;
		}
	} else if ((v = value_of(line, "inotify wd:"))) {
		parse_inotify_watch(v, out, wcap);
	} else if (value_of(line, "fanotify ino:")) {
		out->fanotify_marks++;
	}
}

int parse_fdinfo(const char *buf, size_t len, struct fdinfo *out)
{
	char line[512];
	size_t off = 0, tcap = 0, wcap = 0;
	unsigned seen = 0;
	bool trunc;

	memset(out, 0, sizeof(*out));
	out->d = fd_details_none;
	while (next_line(buf, len, &off, line, sizeof(line), &trunc)) {
		int r;

		if (trunc)
			continue;
		r = parse_basic_key(line, out, &seen);
		if (r < 0) {
			fdinfo_free(out);
			return -1;
		}
		if (r == 0)
			parse_kind_key(line, &out->d, &tcap, &wcap);
	}
	out->have_basic = seen == 15;
	if (!out->have_basic) {
		fdinfo_free(out);
		return -1;
	}
	return 0;
}

void fd_details_free(struct fd_details *d)
{
	free(d->targets);
	d->targets = NULL;
	d->ntargets = 0;
	free(d->watches);
	d->watches = NULL;
	d->nwatches = 0;
	free(d->lock_lines);
	d->lock_lines = NULL;
	d->nlock_lines = 0;
	free(d->more);
	d->more = NULL;
}

const struct fd_details fd_details_none = { .eventfd_id = -1 };

/* Details many fds have alike, kept once: none at all, and a unix socket
 * with no fd in flight ("scm_fds: 0", every unix socket on kernels that
 * print it). */
static const struct fd_details details_scm_none = { .eventfd_id = -1, .have_scm_fds = true };
static const struct fd_details *const common_details[] = { &fd_details_none, &details_scm_none };

const struct fd_details *fd_details_keep(struct fd_details *d)
{
	struct fd_details *kept;
	size_t i;

	/* the struct is only ever made from fd_details_none, padding included */
	for (i = 0; i < sizeof(common_details) / sizeof(common_details[0]); i++)
		if (memcmp(d, common_details[i], sizeof(*d)) == 0)
			return common_details[i];
	kept = xmalloc(sizeof(*kept));
	*kept = *d;
	*d = fd_details_none;
	return kept;
}

struct fd_details *fd_details_writable(const struct fd_details **slot)
{
	struct fd_details *own;
	size_t i;

	if (*slot != NULL) {
		for (i = 0; i < sizeof(common_details) / sizeof(common_details[0]); i++)
			if (*slot == common_details[i])
				break;
		if (i == sizeof(common_details) / sizeof(common_details[0]))
			return (struct fd_details *)*slot;   /* owned already */
	}
	own = xmalloc(sizeof(*own));
	*own = *slot ? **slot : fd_details_none;
	*slot = own;
	return own;
}

void fd_details_release(const struct fd_details *d)
{
	struct fd_details *owned = (struct fd_details *)d;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < sizeof(common_details) / sizeof(common_details[0]); i++)
		if (d == common_details[i])
			return;
	fd_details_free(owned);
	free(owned);
}

void fdinfo_free(struct fdinfo *fi)
{
	fd_details_free(&fi->d);
}

/* ---- mountinfo ---- */

int parse_mountinfo_line(const char *line, size_t len, struct mount_entry *out)
{
	char buf[4096];
	const char *sep;
	size_t used;
	int n;

	/* The fields read here precede the super options, which can run past
	 * 4 kB (overlayfs lowerdirs): parse a long line from its first bytes. */
	used = len < sizeof(buf) ? len : sizeof(buf) - 1;
	memcpy(buf, line, used);
	buf[used] = '\0';
	memset(out, 0, sizeof(*out));
	n = sscanf(buf, "%d %*d %u:%u", &out->mnt_id, &out->major, &out->minor);
	if (n != 3)
		return -1;
	/* the optional fields end at a lone "-" */
	sep = strstr(buf, " - ");
	if (!sep || sscanf(sep + 3, "%31s", out->fstype) != 1)
		return -1;
	/* ... unless that cut fell inside the fstype */
	if (used < len && (size_t)(sep + 3 - buf) + strlen(out->fstype) >= used)
		return -1;
	return 0;
}

char **parse_cmdline(const char *buf, size_t len)
{
	size_t i, n = 0, start = 0;
	char **argv;

	for (i = 0; i < len; i++)
		n += buf[i] == '\0';
	n += len > 0 && buf[len - 1] != '\0';
	argv = xcalloc(n + 1, sizeof(char *));
	for (n = 0, i = 0; i < len; i++) {
		if (buf[i] != '\0')
			continue;
		argv[n++] = xmemdup0(buf + start, i - start);
		start = i + 1;
	}
	if (start < len)
		argv[n++] = xmemdup0(buf + start, len - start);
	return argv;
}

void cmdline_free(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}
