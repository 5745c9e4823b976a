/* subreaper_bpf.c - load the task iterator of src/bpf/subreaper.bpf.c
 * (through its skeleton, build/bpf/subreaper.skel.h), read its records, and
 * turn them into a table sorted by pid.  Without HAVE_BPF: a stub.
 *
 * Steps, each one a way to fail (the first errno is returned):
 *   open and load the object  libbpf relocates it against the running
 *                             kernel's BTF; the verifier checks it (EPERM
 *                             without CAP_BPF/CAP_PERFMON, EINVAL, ENOENT)
 *   attach the iterator       a bpf_link
 *   create an iterator fd     each read() runs the program over more tasks
 *   read to the end           records of struct subreaper_rec, 16 bytes
 *
 * Start times: the program reads task->start_boottime (ns since boot);
 * /proc/PID/stat shows it in clock ticks, shifted by the reader's time
 * namespace offset (/proc/self/timens_offsets, "boottime SECS NSECS"), so
 * the same conversion is made here. */
#include "scan/subreaper_bpf.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void subreaper_table_free(struct subreaper_table *t)
{
	if (!t)
		return;
	free(t->flags);
	t->flags = NULL;
	t->n = 0;
}

int subreaper_bpf_read_at(const char *procroot, struct subreaper_table *out)
{
	char path[4096], link[32];
	ssize_t n;

	out->flags = NULL;
	out->n = 0;
	if (!subreaper_bpf_built()) {
		errno = ENOSYS;
		return -1;
	}
	if (geteuid() != 0) {
		errno = EPERM;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/self", procroot);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0 || (link[n] = '\0', strtol(link, NULL, 10) != (long)getpid())) {
		errno = EXDEV;
		return -1;
	}
	return subreaper_bpf_read(out);
}

#ifndef HAVE_BPF

bool subreaper_bpf_built(void)
{
	return false;
}

int subreaper_bpf_read(struct subreaper_table *out)
{
	out->flags = NULL;
	out->n = 0;
	errno = ENOSYS;
	return -1;
}

#else /* HAVE_BPF */

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdint.h>
#include <string.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#include "subreaper.skel.h"
#pragma GCC diagnostic pop

/* As written by the program (src/bpf/subreaper.bpf.c). */
struct subreaper_rec {
	uint32_t pid;
	uint8_t is_child_subreaper;
	uint8_t has_child_subreaper;
	uint8_t pad[2];
	uint64_t start_boottime;
};
_Static_assert(sizeof(struct subreaper_rec) == 16, "the program writes 16-byte records");

bool subreaper_bpf_built(void)
{
	return true;
}

static int cmp_flag(const void *a, const void *b)
{
	const struct subreaper_flag *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* The boottime offset of our time namespace in ns; 0 without one. */
static long long boottime_offset(void)
{
	char line[128];
	long long secs, nsecs, off = 0;
	FILE *f = fopen("/proc/self/timens_offsets", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "boottime %lld %lld", &secs, &nsecs) == 2)
			off = secs * 1000000000LL + nsecs;
	fclose(f);
	return off;
}

/* Read the iterator's whole output; returns its length or -1 with errno. */
static ssize_t read_all(int fd, char **buf)
{
	size_t cap = 0, len = 0;
	ssize_t r;

	*buf = NULL;
	for (;;) {
		grow_array((void **)buf, &cap, len + 4096, 1);
		r = read(fd, *buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return (ssize_t)len;
		len += (size_t)r;
	}
}

static int fill(struct subreaper_table *out, const char *buf, size_t len)
{
	long hz = sysconf(_SC_CLK_TCK);
	long long off = boottime_offset();
	size_t i, n = len / sizeof(struct subreaper_rec);

	if (hz <= 0 || 1000000000L % hz) {
		errno = EINVAL;
		return -1;
	}
	out->flags = xcalloc(n + 1, sizeof(*out->flags));
	for (i = 0; i < n; i++) {
		struct subreaper_rec r;
		struct subreaper_flag *f = &out->flags[out->n];
		long long ns;
		memcpy(&r, buf + i * sizeof(r), sizeof(r));
		if (r.pid == 0 || r.pid > INT32_MAX)
			continue;
		ns = (long long)r.start_boottime + off;
		f->pid = (int)r.pid;
		f->start_time = ns < 0 ? 0 : (unsigned long long)ns / (unsigned long long)(1000000000L / hz);
		f->is_child_subreaper = r.is_child_subreaper;
		f->has_child_subreaper = r.has_child_subreaper;
		out->n++;
	}
	qsort(out->flags, out->n, sizeof(*out->flags), cmp_flag);
	return 0;
}

int subreaper_bpf_read(struct subreaper_table *out)
{
	struct subreaper *skel = NULL;
	struct bpf_link *link = NULL;
	char *buf = NULL;
	ssize_t len = -1;
	int fd = -1, err = 0;

	out->flags = NULL;
	out->n = 0;
	if (geteuid() != 0) {
		errno = EPERM;
		return -1;
	}
	libbpf_set_print(quiet);
	skel = subreaper__open_and_load();
	if (!skel) {
		err = errno ? errno : EPERM;
		goto done;
	}
	link = bpf_program__attach_iter(skel->progs.subreaper, NULL);
	if (!link) {
		err = errno ? errno : EINVAL;
		goto done;
	}
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		err = errno ? errno : EINVAL;
		goto done;
	}
	len = read_all(fd, &buf);
	if (len < 0)
		err = errno;
	else if (fill(out, buf, (size_t)len) < 0)
		err = errno;
done:
	free(buf);
	if (fd >= 0)
		close(fd);
	bpf_link__destroy(link);
	subreaper__destroy(skel);
	if (err) {
		subreaper_table_free(out);
		errno = err;
		return -1;
	}
	return 0;
}

#endif /* HAVE_BPF */
