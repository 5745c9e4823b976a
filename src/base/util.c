/* util.c - see util.h. */
#include "base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;
	size_t n = strlen(fmt);

	fputs("fdshare: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
	errno = saved;
}

static void (*oom_exit)(void);

void set_oom_exit(void (*fn)(void))
{
	oom_exit = fn;
}

static void *die_oom(void)
{
	static atomic_flag dying = ATOMIC_FLAG_INIT;

	/* threads out of memory at once (the scan's run side by side): the
	 * first says so and ends the process, the others wait for that, so
	 * that --check's one line is printed once */
	if (atomic_flag_test_and_set(&dying))
		for (;;)
			pause();
	if (oom_exit)
		oom_exit();
	fputs("fdshare: out of memory\n", stderr);
	exit(111);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	return p ? p : die_oom();
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	return p ? p : die_oom();
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return die_oom();
	p = realloc(p, (n * size) != 0 ? n * size : 1);
	return p ? p : die_oom();
}

char *xstrdup(const char *s)
{
	return xmemdup0(s, strlen(s));
}

char *xmemdup0(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void grow_array(void **array, size_t *cap, size_t need, size_t elem)
{
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return;
	while (n < need)
		n *= 2;
	*array = xreallocarray(*array, n, elem);
	*cap = n;
}

void sb_init(struct strbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	grow_array((void **)&sb->buf, &sb->cap, 1, 1);
	sb->buf[0] = '\0';
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void sb_add(struct strbuf *sb, const char *s, size_t n)
{
	grow_array((void **)&sb->buf, &sb->cap, sb->len + n + 1, 1);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void sb_add_uint(struct strbuf *sb, unsigned long long v)
{
	char digits[24], *p = fmt_digits(digits + sizeof(digits), v, 10);

	sb_add(sb, p, (size_t)(digits + sizeof(digits) - p));
}

void sb_add_int(struct strbuf *sb, long long v)
{
	if (v < 0) {
		sb_addc(sb, '-');
		/* -(v + 1) + 1: LLONG_MIN has no positive twin */
		sb_add_uint(sb, (unsigned long long)(-(v + 1)) + 1);
		return;
	}
	sb_add_uint(sb, (unsigned long long)v);
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	grow_array((void **)&sb->buf, &sb->cap, sb->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

char *sb_detach(struct strbuf *sb)
{
	char *p = sb->buf;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

char *fmt_digits(char *end, unsigned long long v, unsigned base)
{
	static const char digit[] = "0123456789abcdef";
	unsigned shift = base == 16 ? 4 : 3;

	if (base == 10) {   /* a constant divisor: a multiplication, not a division */
		do {
			*--end = (char)('0' + v % 10);
			v /= 10;
		} while (v > 0);
		return end;
	}
	do {
		*--end = digit[v & (base - 1)];
		v >>= shift;
	} while (v > 0);
	return end;
}

const char *errno_name(int err)
{
	static __thread char unknown[24];   /* renderers call this on several threads */

	switch (err) {
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EBADF: return "EBADF";
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	case ENOMEM: return "ENOMEM";
	case EMFILE: return "EMFILE";
	case ENFILE: return "ENFILE";
	case EIO: return "EIO";
	case ENOTDIR: return "ENOTDIR";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ELOOP: return "ELOOP";
	case EOVERFLOW: return "EOVERFLOW";
	/* what netlink sock_diag and setns() answer */
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EBADMSG: return "EBADMSG";
	case ENOBUFS: return "ENOBUFS";
	case ENODATA: return "ENODATA";
	case EXDEV: return "EXDEV";   /* subreaper_bpf: a /proc of another pid namespace */
	}
	snprintf(unknown, sizeof(unknown), "E%d", err);
	return unknown;
}

unsigned long long hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	unsigned long long h = 1469598103934665603ULL;

	while (n--) {
		h ^= *s++;
		h *= 1099511628211ULL;
	}
	return h;
}

void sb_duration(struct strbuf *sb, double seconds)
{
	unsigned long s = seconds < 0 ? 0 : (unsigned long)seconds;

	if (seconds < 0)
		sb_adds(sb, "?");
	else if (s < 60)
		sb_printf(sb, "%lus", s);
	else if (s < 3600)
		sb_printf(sb, "%lum%02lus", s / 60, s % 60);
	else if (s < 86400)
		sb_printf(sb, "%luh%02lum", s / 3600, s % 3600 / 60);
	else
		sb_printf(sb, "%lud%02luh", s / 86400, s % 86400 / 3600);
}

bool int_list_has(const int *v, size_t n, int x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}
