/* util.h - error reporting, allocators that die on exhaustion, growable buffers.
 *
 * One error idiom (samurai's): warn() prints "fdshare: " + message; a format
 * ending in ':' appends ": strerror(errno)".  Only main.c calls fatal-style
 * exits; library code returns -1 with errno set, or records the error as data. */
#ifndef FDSHARE_UTIL_H
#define FDSHARE_UTIL_H

#include <stddef.h>
#include <stdbool.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Print "fdshare: <fmt>" to stderr; a trailing ':' in fmt appends strerror(errno). */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* malloc/calloc/realloc/strdup that end the program on exhaustion: through
 * the function given to set_oom_exit() (which must not return), else with
 * "out of memory" on stderr and status 111. */
void set_oom_exit(void (*fn)(void));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
/* Copy exactly len bytes of s into a new NUL-terminated string. */
char *xmemdup0(const char *s, size_t len);

/* Grow *array (element size elem) so that it holds at least need elements;
 * *cap is updated.  Amortised doubling. */
void grow_array(void **array, size_t *cap, size_t need, size_t elem);

/* The digits of v in base 8, 10 or 16 (lowercase; another base is taken for 8), written backwards to
 * end at end (room for 22 bytes before it); returns where they start.  No
 * printf format parsing: the renderers write millions of numbers. */
char *fmt_digits(char *end, unsigned long long v, unsigned base);

/* A growable byte string; always NUL-terminated when len > 0 or after sb_init. */
struct strbuf {
	char *buf;
	size_t len, cap;
};
void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
void sb_add(struct strbuf *sb, const char *s, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append one byte; a number in decimal (no printf: the text renderers
 * write one per cell). */
void sb_addc(struct strbuf *sb, char c);
void sb_add_int(struct strbuf *sb, long long v);
void sb_add_uint(struct strbuf *sb, unsigned long long v);
/* Append a duration: "45s", "3m05s", "2h03m", "4d07h"; "?" when negative
 * (unknown). */
void sb_duration(struct strbuf *sb, double seconds);
/* Hand the buffer to the caller (who frees it) and reset sb. */
char *sb_detach(struct strbuf *sb);

/* Name of an errno value ("EACCES"), or "E<number>" for unknown ones.
 * Returns a pointer into static storage for known values; the "E<n>" form uses
 * a static buffer overwritten by the next call. */
const char *errno_name(int err);

/* 64-bit FNV-1a hash of n bytes. */
unsigned long long hash_bytes(const void *p, size_t n);

/* Whether x is one of v[0..n). */
bool int_list_has(const int *v, size_t n, int x);

#endif
