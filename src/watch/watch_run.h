/* watch_run.h - watch mode: subscribe to the kernel's process events, seed
 * the picture from /proc, then print events until a count, a duration or a
 * signal (SIGINT, SIGTERM, SIGHUP) ends it, and print a summary.
 *
 * Threads: a reader thread drains the netlink socket (watch_queue.h); this
 * one waits in poll() on the queue's eventfd and a signalfd only, with a
 * timeout for the periodic zombie checks and the duration.  It reads /proc
 * and writes the output, so a slow reader of stdout costs no events. */
#ifndef FDSHARE_WATCH_RUN_H
#define FDSHARE_WATCH_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct watch_options {
	const int *pids;              /* -p: these and their descendants (npids 0: all) */
	size_t npids;
	unsigned kinds;               /* bit (1 << enum wkind) per kind to print */
	bool json;                    /* NDJSON instead of text */
	unsigned long long count;     /* end after printing this many events; 0: no limit */
	double duration;              /* end after this many seconds; 0: no limit */
	size_t rcvbuf;                /* socket receive buffer to ask for, bytes */
	FILE *out;
};

enum watch_end {
	WATCH_ENDED,                  /* as asked: count, duration or signal */
	WATCH_NO_SUBSCRIPTION,        /* the kernel's events are out of reach */
	WATCH_NO_SUCH_PID,            /* a -p pid is not a process */
	WATCH_SYSTEM,                 /* reading /proc or the socket failed */
	WATCH_OUTPUT,                 /* writing the output failed */
};

struct watch_result {
	enum watch_end end;
	int err;                      /* errno of the failure */
	const char *what;             /* what failed or is missing, in words */
	int pid;                      /* WATCH_NO_SUCH_PID: which */
};

/* Run watch mode.  Returns 0 when it ended as asked, else -1 with *res
 * saying why (nothing is printed on stderr: the caller words it). */
int watch_run(const struct watch_options *o, struct watch_result *res);

#endif
