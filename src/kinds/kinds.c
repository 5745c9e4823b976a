/* kinds.c - the table of fd kinds and their recognition from neutral facts. */
#include "kinds/kinds.h"
#include "base/util.h"
#include "kinds/kind_nsfs.h"

#include <ctype.h>
#include <string.h>
#include <sys/stat.h>

/* Order matters only among entries that could match one target: the first
 * wins.  A new kind is one entry here (and its value in enum fd_kind). */
static const struct kind_entry table[KIND_COUNT] = {
	[KIND_UNKNOWN]  = { "unknown", KC_NONE, KM_NONE, NULL, 0, "a file of a type not known" },
	[KIND_REG]      = { "reg", KC_FILE, KM_MODE, NULL, S_IFREG, "a regular file" },
	[KIND_DIR]      = { "dir", KC_FILE, KM_MODE, NULL, S_IFDIR, "a directory" },
	[KIND_CHR]      = { "chr", KC_FILE, KM_MODE, NULL, S_IFCHR, "a character device" },
	[KIND_BLK]      = { "blk", KC_FILE, KM_MODE, NULL, S_IFBLK, "a block device" },
	[KIND_FIFO]     = { "fifo", KC_FILE, KM_MODE, NULL, S_IFIFO, "a named pipe (FIFO)" },
	[KIND_PIPE]     = { "pipe", KC_PIPE, KM_BRACKET, "pipe:[", 0, "an unnamed pipe" },
	[KIND_SOCKET]   = { "socket", KC_SOCKET, KM_BRACKET, "socket:[", S_IFSOCK, "a socket" },
	[KIND_EVENTFD]  = { "eventfd", KC_ANON, KM_ANON_NAME, "eventfd", 0, "an eventfd counter" },
	[KIND_EPOLL]    = { "epoll", KC_ANON, KM_ANON_NAME, "eventpoll", 0, "an epoll instance" },
	[KIND_SIGNALFD] = { "signalfd", KC_ANON, KM_ANON_NAME, "signalfd", 0, "a signalfd" },
	[KIND_TIMERFD]  = { "timerfd", KC_ANON, KM_ANON_NAME, "timerfd", 0, "a timerfd" },
	[KIND_INOTIFY]  = { "inotify", KC_ANON, KM_ANON_NAME, "inotify", 0, "an inotify instance" },
	[KIND_FANOTIFY] = { "fanotify", KC_ANON, KM_ANON_NAME, "fanotify", 0, "a fanotify group" },
	[KIND_PIDFD]    = { "pidfd", KC_ANON, KM_ANON_NAME, "pidfd", 0, "a pidfd" },
	/* memfd links always end in " (deleted)": it was never linked */
	[KIND_MEMFD]    = { "memfd", KC_MEMFD, KM_PREFIX, "/memfd:", 0, "a memfd" },
	[KIND_ANON]     = { "anon", KC_ANON, KM_NONE, NULL, 0, "another anon inode" },
	/* the kinds with details of their own (kind_*.c) */
	[KIND_NSFS]     = { "nsfs", KC_FILE, KM_TEST, NULL, 0, "a namespace (kind_nsfs.h)", nsfs_is_link },
	/* only an O_PATH|O_NOFOLLOW open holds a symlink itself */
	[KIND_SYMLINK]  = { "symlink", KC_FILE, KM_MODE, NULL, S_IFLNK, "a symbolic link itself (O_PATH)" },
	/* a regular file whose mount is mqueue: the source tells (kind_scan.h) */
	[KIND_MQUEUE]   = { "mqueue", KC_FILE, KM_NONE, NULL, 0, "a POSIX message queue" },
	[KIND_BPF_MAP]  = { "bpf-map", KC_ANON, KM_ANON_NAME, "bpf-map", 0, "a BPF map (kind_bpf.h)" },
	[KIND_BPF_PROG] = { "bpf-prog", KC_ANON, KM_ANON_NAME, "bpf-prog", 0, "a BPF program" },
	[KIND_BPF_LINK] = { "bpf-link", KC_ANON, KM_ANON_NAME, "bpf_link", 0, "a BPF link" },
	[KIND_IO_URING] = { "io_uring", KC_ANON, KM_ANON_NAME, "io_uring", 0, "an io_uring instance (kind_io_uring.h)" },
};

#define ANON_PREFIX "anon_inode:"

const struct kind_entry *kind_entry(enum fd_kind k)
{
	return &table[(unsigned)k < KIND_COUNT ? k : KIND_UNKNOWN];
}

const char *kind_name(enum fd_kind k)
{
	return kind_entry(k)->name;
}

enum kind_class kind_class(enum fd_kind k)
{
	return kind_entry(k)->cls;
}

int kind_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < KIND_COUNT; i++)
		if (strcmp(name, table[i].name) == 0)
			return (int)i;
	return -1;
}

static bool has_prefix(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(s, prefix, n) == 0;
}

/* prefix, then 1-20 digits making a 64-bit number, then ']' ending it. */
static bool bracket_ino(const char *s, size_t len, const char *prefix)
{
	size_t start = strlen(prefix), i;
	unsigned long long v = 0;

	if (!has_prefix(s, len, prefix) || len < start + 2 || s[len - 1] != ']')
		return false;
	for (i = start; i < len - 1; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (!isdigit((unsigned char)s[i]) || v > (~0ULL - d) / 10)
			return false;
		v = v * 10 + d;
	}
	return true;
}

/* "anon_inode:[eventfd]" and "anon_inode:inotify" both occur. */
static bool anon_named(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name);

	if (!has_prefix(s, len, ANON_PREFIX))
		return false;
	s += strlen(ANON_PREFIX);
	len -= strlen(ANON_PREFIX);
	if (len && *s == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	return len == n && memcmp(s, name, n) == 0;
}

static bool matches(const struct kind_entry *e, const char *t, size_t len, bool have_mode, mode_t mode)
{
	switch (e->match) {
	case KM_MODE: return have_mode && (mode & S_IFMT) == e->ifmt;
	case KM_BRACKET: return bracket_ino(t, len, e->text);
	case KM_PREFIX: return has_prefix(t, len, e->text);
	case KM_ANON_NAME: return anon_named(t, len, e->text);
	case KM_TEST: return e->test(t, len);
	case KM_NONE: break;
	}
	return false;
}

bool kind_target_is_path(const char *t, size_t len)
{
	return t && len && t[0] == '/' && !has_prefix(t, len, table[KIND_MEMFD].text);
}

bool kind_target_says_deleted(const char *t, size_t len)
{
	static const char mark[] = " (deleted)";
	size_t n = sizeof(mark) - 1;

	return kind_target_is_path(t, len) && len >= n && memcmp(t + len - n, mark, n) == 0;
}

enum fd_kind kind_recognise(const char *t, size_t len, bool have_mode, mode_t mode)
{
	bool path = kind_target_is_path(t, len);
	size_t i;

	if (!t)
		return KIND_UNKNOWN;
	for (i = 0; i < KIND_COUNT; i++) {
		const struct kind_entry *e = &table[i];
		/* file type bits speak only for paths; a socket's too (a bound
		 * unix socket opened with O_PATH) */
		if (e->match == KM_MODE || (e->ifmt && path)) {
			if (path && have_mode && (mode & S_IFMT) == e->ifmt)
				return (enum fd_kind)i;
			continue;
		}
		if (!path && matches(e, t, len, have_mode, mode))
			return (enum fd_kind)i;
	}
	return has_prefix(t, len, ANON_PREFIX) ? KIND_ANON : KIND_UNKNOWN;
}
