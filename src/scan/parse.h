/* parse.h - pure parsers for the /proc text formats fdshare reads.
 *
 * No I/O here: every function takes bytes already read and fills a struct, so
 * each is unit-tested on its own (tests/unit/unit_parse.c).  All return 0 on
 * success and -1 when the text is malformed (the caller then treats the
 * record as unreadable, never as zeros). */
#ifndef FDSHARE_PARSE_H
#define FDSHARE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "kinds/details.h"

/* ---- /proc/PID/stat ---- */
struct stat_info {
	int pid;
	char comm[64];               /* raw bytes up to the LAST ')' (may hold ')' or '\n') */
	char state;
	int ppid, pgrp, session;
	int num_threads;
	unsigned long long start_time;   /* clock ticks since boot (field 22) */
};
/* Parse one stat line; comm is taken between the first '(' and the last ')'. */
int parse_stat(const char *buf, size_t len, struct stat_info *out);

/* ---- /proc/PID/status ---- */
#define NSPID_MAX 32
struct status_info {
	int nspid[NSPID_MAX];        /* outermost first, as the kernel prints them */
	int nspid_count;             /* 0 when the line is missing */
	unsigned ruid, euid;         /* from "Uid:" */
	bool have_uid;
	/* SigBlk:, SigIgn:, SigCgt: as the kernel prints them (16 hex digits),
	 * "" when missing; a malformed one makes the whole parse fail */
	char sigblocked[17], sigignore[17], sigcatch[17];
};
/* Read NSpid:, Uid: and the signal masks from a status file's text; other
 * lines are ignored. */
int parse_status(const char *buf, size_t len, struct status_info *out);

/* ---- /proc/PID/limits ---- */
struct nofile_limit {
	bool soft_unlimited, hard_unlimited;
	unsigned long long soft, hard;   /* valid unless *_unlimited */
};
/* Read the "Max open files" line (RLIMIT_NOFILE) of a limits file's text;
 * -1 when it is missing or malformed. */
int parse_limits_nofile(const char *buf, size_t len, struct nofile_limit *out);

/* ---- /proc/PID/task/TID/syscall ---- */
struct syscall_info {
	bool running;                /* "running": on a CPU, nothing to show */
	long nr;                     /* the call it is blocked in; -1 blocked outside any */
	unsigned long long arg0;     /* its first argument (the fd of read, accept, epoll_wait ...) */
	unsigned long long arg1;     /* its second (waitid's id, flock's operation, fcntl's
	                                command); 0 when not shown */
	int tid;                     /* the thread (set by procfs_task_syscalls), else 0 */
};
/* Parse "running", "-1 SP PC" or "NR ARG1 ... ARG6 SP PC" (hex args). */
int parse_syscall(const char *buf, size_t len, struct syscall_info *out);

/* ---- /proc/PID/fdinfo/N ---- */
struct fdinfo {
	/* Every fd has these four; have_basic is true when all four were read. */
	unsigned long long pos;
	unsigned flags;              /* octal in the file; includes O_CLOEXEC of this fd */
	int mnt_id;
	unsigned long long ino;
	bool have_basic;
	struct fd_details d;         /* what the kind's lines say (kinds/details.h) */
};
/* Parse an fdinfo file's text into *out (zeroed first).  Unknown keys are
 * ignored so newer kernels do not break us.  Returns -1 if pos/flags/mnt_id/ino
 * are missing or malformed. */
int parse_fdinfo(const char *buf, size_t len, struct fdinfo *out);
/* Free what parse_fdinfo allocated (its details). */
void fdinfo_free(struct fdinfo *fi);

/* ---- /proc/PID/mountinfo ---- */
struct mount_entry {
	int mnt_id;
	unsigned major, minor;
	char fstype[32];
};
/* Parse one mountinfo line (no trailing newline needed). */
int parse_mountinfo_line(const char *line, size_t len, struct mount_entry *out);

/* ---- /proc/PID/cmdline ---- */
/* Split len bytes of NUL-ended arguments into a new NULL-terminated array of
 * new strings (free with cmdline_free); an empty buffer gives an empty array.
 * Unlike libproc2's PIDS_CMDLINE_V, a newline inside an argument stays in it. */
char **parse_cmdline(const char *buf, size_t len);
void cmdline_free(char **argv);

/* ---- small helpers shared by the parsers ---- */
/* Strict decimal conversion of a whole NUL-terminated token; 0 or -1. */
int parse_int(const char *s, int *out);
/* Parse a directory entry name of /proc or /proc/PID/fd: digits only. */
int parse_pid_name(const char *name, int *out);

#endif
