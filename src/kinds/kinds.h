/* kinds.h - the table of fd kinds: one entry per kind fdshare names ("reg",
 * "pipe", "eventfd" ...), saying how a kind is recognised from neutral facts
 * (the target text as the kernel names it, the file type bits) and what it
 * is: a file in a file system, an anon inode, a socket.
 *
 * Every source (the /proc scanner, the BPF iterator) recognises kinds here,
 * and every reader names them from here, so adding a kind is one entry in
 * kinds.c (and its enum value below) plus, when it has details to show, a
 * file of its own (kind_NAME.c).  The table is constant; nothing is owned. */
#ifndef FDSHARE_KINDS_H
#define FDSHARE_KINDS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum fd_kind {
	KIND_UNKNOWN, KIND_REG, KIND_DIR, KIND_CHR, KIND_BLK, KIND_FIFO, KIND_PIPE,
	KIND_SOCKET, KIND_EVENTFD, KIND_EPOLL, KIND_SIGNALFD, KIND_TIMERFD,
	KIND_INOTIFY, KIND_FANOTIFY, KIND_PIDFD, KIND_MEMFD, KIND_ANON,
	KIND_NSFS, KIND_SYMLINK, KIND_MQUEUE, KIND_BPF_MAP, KIND_BPF_PROG, KIND_BPF_LINK,
	KIND_IO_URING,
	KIND_COUNT
};

/* What a kind is, for the derivations that treat whole classes alike. */
enum kind_class {
	KC_NONE,      /* unknown: nothing can be said of it */
	KC_FILE,      /* a file reached by a path: same-file links, holds, locks, PATH matches */
	KC_PIPE,      /* an unnamed pipe of pipefs */
	KC_SOCKET,    /* a socket of sockfs */
	KC_ANON,      /* an anon inode: all share one inode, the name tells them apart */
	KC_MEMFD,     /* a memfd: a file of its own, never linked */
};

/* How a kind is recognised; the first entry of the table that matches wins. */
enum kind_match {
	KM_NONE,      /* never recognised directly (the fallback of its class) */
	KM_MODE,      /* a path target whose file type bits (S_IFMT) are .ifmt */
	KM_BRACKET,   /* the target is .text followed by a decimal inode and ']' */
	KM_PREFIX,    /* the target begins with .text */
	KM_ANON_NAME, /* "anon_inode:NAME" or "anon_inode:[NAME]" with NAME = .text */
	KM_TEST,      /* .test(target) says so (a namespace's "net:[4026531840]") */
};

struct kind_entry {
	const char *name;         /* as printed in text and JSON, accepted by --type */
	enum kind_class cls;
	enum kind_match match;
	const char *text;         /* prefix or anon inode name, for KM_BRACKET/PREFIX/ANON_NAME */
	mode_t ifmt;              /* for KM_MODE */
	const char *about;        /* one line for --help and the man page */
	bool (*test)(const char *target, size_t len);   /* for KM_TEST */
};

/* The entry of a kind (KIND_UNKNOWN's for an out-of-range value). */
const struct kind_entry *kind_entry(enum fd_kind k);
/* "reg", "pipe", ... as used in text and JSON. */
const char *kind_name(enum fd_kind k);
/* The kind named so, or -1. */
int kind_by_name(const char *name);
/* Its class. */
enum kind_class kind_class(enum fd_kind k);

/* The kind of an fd from its target text (len bytes, as the kernel names
 * it: readlink of /proc/PID/fd/N or d_path) and, when have_mode, its file
 * type bits.  A path whose type is not known is KIND_UNKNOWN. */
enum fd_kind kind_recognise(const char *target, size_t len, bool have_mode, mode_t mode);
/* Whether a target names a file in a file system ("/..."), memfd included. */
bool kind_target_is_path(const char *target, size_t len);
/* Whether a path target carries the kernel's " (deleted)" mark (never a
 * memfd's, which is never linked).  nlink, when known, settles it. */
bool kind_target_says_deleted(const char *target, size_t len);

#endif
