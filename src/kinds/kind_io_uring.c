/* kind_io_uring.c - io_uring instances (see kind_io_uring.h).
 *
 * fdinfo keys read (io_uring/fdinfo.c, 6.x): "SqMask:\t0x7" and
 * "CqMask:\t0xf" (hex: ring entries - 1), "SQEs:\t0", "CQEs:\t0",
 * "SqThread:\t-1" (the SQPOLL thread, -1 without SQPOLL),
 * "SqThreadCpu:\t-1", "UserFiles:\t0", "UserBufs:\t0".  Lines listing each
 * registered file or pending request follow; they are not read.
 * SqThread is the thread's id in the initial pid namespace (the kernel
 * prints task->pid), not the reader's: shown as printed. */
#include "kinds/kind_io_uring.h"
#include "kinds/fdinfo_kv.h"

#include <string.h>

void io_uring_parse_fdinfo(const char *buf, size_t len, struct io_uring_detail *out)
{
	static const struct { const char *key; int base; size_t off; bool mask; } keys[] = {
		{ "SqMask", 16, offsetof(struct io_uring_detail, sq_entries), true },
		{ "CqMask", 16, offsetof(struct io_uring_detail, cq_entries), true },
		{ "SqThread", 10, offsetof(struct io_uring_detail, sq_thread), false },
		{ "SqThreadCpu", 10, offsetof(struct io_uring_detail, sq_thread_cpu), false },
		{ "UserFiles", 10, offsetof(struct io_uring_detail, user_files), false },
		{ "UserBufs", 10, offsetof(struct io_uring_detail, user_bufs), false },
		{ "SQEs", 10, offsetof(struct io_uring_detail, sq_pending), false },
		{ "CQEs", 10, offsetof(struct io_uring_detail, cq_pending), false },
	};
	struct fdinfo_kv kv;
	size_t off = 0, i;
	long long v;

	for (i = 0; i < ARRAY_LEN(keys); i++)
		*(long long *)((char *)out + keys[i].off) = -1;
	while (fdinfo_kv_next(buf, len, &off, &kv))
		for (i = 0; i < ARRAY_LEN(keys); i++)
			if (fdinfo_kv_is(&kv, keys[i].key) && fdinfo_kv_ll(&kv, keys[i].base, &v) == 0) {
				if (keys[i].mask)
					v = v >= 0 ? v + 1 : -1;
				*(long long *)((char *)out + keys[i].off) = v < -1 ? -1 : v;
			}
}

static void count_text(struct strbuf *o, long long n, const char *one, const char *many)
{
	sb_printf(o, ", %lld %s", n, n == 1 ? one : many);
}

void io_uring_text(const struct io_uring_detail *d, struct strbuf *o)
{
	if (d->sq_entries >= 0)
		sb_printf(o, "%lld entries", d->sq_entries);
	else
		sb_adds(o, "entries ?");
	if (d->cq_entries >= 0)
		sb_printf(o, " (cq %lld)", d->cq_entries);
	if (d->sq_thread >= 0) {
		sb_printf(o, ", sqpoll thread %lld", d->sq_thread);
		if (d->sq_thread_cpu >= 0)
			sb_printf(o, " on cpu %lld", d->sq_thread_cpu);
	}
	if (d->user_files > 0)
		count_text(o, d->user_files, "file registered", "files registered");
	if (d->user_bufs > 0)
		count_text(o, d->user_bufs, "buffer registered", "buffers registered");
}

static void kv_count(struct json *j, const char *key, long long v)
{
	if (v >= 0)
		json_kv_int(j, key, v);
	else
		json_kv_null(j, key);
}

void io_uring_json(const struct io_uring_detail *d, struct json *j)
{
	json_object_begin(j);
	json_kv_bool(j, "sqpoll", d->sq_thread >= 0);
	kv_count(j, "sq_entries", d->sq_entries);
	kv_count(j, "cq_entries", d->cq_entries);
	kv_count(j, "sq_thread", d->sq_thread);
	kv_count(j, "sq_thread_cpu", d->sq_thread_cpu);
	kv_count(j, "registered_files", d->user_files);
	kv_count(j, "registered_buffers", d->user_bufs);
	kv_count(j, "sq_pending", d->sq_pending);
	kv_count(j, "cq_pending", d->cq_pending);
	json_object_end(j);
}
