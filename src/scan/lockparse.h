/* lockparse.h - pure parsers of the kernel's lock lines, as /proc/locks and
 * the "lock:" lines of /proc/PID/fdinfo/N print them.
 *
 * No I/O: bytes in, records out, so tests/unit/unit_locks.c and the fuzz
 * harness tests/unit/fuzz_locks.c drive them directly.  The format is
 * described at the top of lockparse.c. */
#ifndef FDSHARE_LOCKPARSE_H
#define FDSHARE_LOCKPARSE_H

#include <stdbool.h>
#include <stddef.h>

enum lk_kind { LK_POSIX, LK_OFD, LK_FLOCK, LK_LEASE, LK_DELEG, LK_OTHER, LK_KIND_COUNT };
enum lk_type { LK_READ, LK_WRITE, LK_UNLCK };

struct lock_line {
	long long id;             /* the line's number (per file: /proc/locks or one fdinfo) */
	int depth;                /* 0: a lock held; 1: a request waiting for it ("->");
	                             2 ...: a request queued behind another request */
	enum lk_kind kind;
	enum lk_type type;
	int pid;                  /* as printed: -1 for OFD locks; 0 when the pid that took
	                             it is not visible in the reader's pid namespace */
	bool have_inode;          /* false for "<none>:0" (a lock without an inode) */
	unsigned major, minor;    /* the file's superblock device (hex in the text) */
	unsigned long long ino;
	long long start;
	long long end;            /* inclusive; -1: to the end of the file ("EOF") */
};

/* Parse one line (without or with its newline; an fdinfo line without its
 * "lock:\t" key).  Returns 0, or -1 when it is not a well-formed lock line. */
int lock_line_parse(const char *s, size_t len, struct lock_line *out);

/* Parse a whole /proc/locks text: every well-formed line, in order, into a
 * malloc'd array *out (caller frees; NULL when none).  Returns the count;
 * *bad counts the malformed lines skipped.  A waiter line stays right after
 * the line it waits for, as the kernel prints it. */
size_t lock_lines_parse(const char *buf, size_t len, struct lock_line **out, size_t *bad);

/* "posix", "ofd", "flock", "lease", "delegation", "other": text and JSON. */
const char *lk_kind_name(enum lk_kind k);
/* "read", "write", "unlock". */
const char *lk_type_name(enum lk_type t);
/* Whether locks of this kind belong to an open file description (flock,
 * OFD, lease, delegation), not to a process (POSIX). */
bool lk_kind_per_description(enum lk_kind k);

#endif
