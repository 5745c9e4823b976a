/* kind_io_uring.h - io_uring instances: ring sizes, the kernel's polling
 * thread, registered files and buffers, from fdinfo ("anon_inode:[io_uring]").
 *
 * Kept small: what tells an admin what the ring is for and whether it costs
 * a CPU (SQPOLL); the queue positions and per-request lists are left out. */
#ifndef FDSHARE_KIND_IO_URING_H
#define FDSHARE_KIND_IO_URING_H

#include <stdbool.h>
#include <stddef.h>

#include "base/json.h"
#include "base/util.h"

struct io_uring_detail {
	long long sq_entries, cq_entries;   /* SqMask + 1, CqMask + 1; -1 unknown */
	long long sq_thread;                /* SQPOLL thread's id in the initial pid namespace
	                                       (as fdinfo prints it); -1: no SQPOLL */
	long long sq_thread_cpu;            /* its CPU; -1 not pinned or none */
	long long user_files, user_bufs;    /* registered files and buffers; -1 unknown */
	long long sq_pending, cq_pending;   /* SQEs not yet consumed, CQEs not yet reaped */
};

/* Read the details from fdinfo text (unknown keys ignored). */
void io_uring_parse_fdinfo(const char *buf, size_t len, struct io_uring_detail *out);
/* "8 entries (cq 16), sqpoll thread 1234 on cpu 1, 2 files, 1 buffer registered" */
void io_uring_text(const struct io_uring_detail *d, struct strbuf *o);
/* The JSON value of key "io_uring". */
void io_uring_json(const struct io_uring_detail *d, struct json *j);

#endif
