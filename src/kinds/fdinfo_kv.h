/* fdinfo_kv.h - walk the "key:<blanks>value" lines of an fdinfo text.
 *
 * fdinfo is one "key:" per line, a tab or spaces, then the value (kernel
 * 6.x: "map_type:\t2", "SqThread:\t-1", "tty-index:\t0", "iff:\ttap0").
 * Lines without a colon are skipped; unknown keys are the caller's to
 * ignore, so newer kernels do not break a parser.  Pure: no I/O. */
#ifndef FDSHARE_FDINFO_KV_H
#define FDSHARE_FDINFO_KV_H

#include <stdbool.h>
#include <stddef.h>

struct fdinfo_kv {
	const char *key, *val;   /* borrowed from the text, not NUL-terminated */
	size_t klen, vlen;       /* the value without its leading blanks nor the newline */
};

/* The next key/value line at or after *off in buf[0..len); false at the end. */
bool fdinfo_kv_next(const char *buf, size_t len, size_t *off, struct fdinfo_kv *kv);
/* Whether kv's key is exactly key. */
bool fdinfo_kv_is(const struct fdinfo_kv *kv, const char *key);
/* The value as a whole number in base (0: 0x for hex, else decimal), an
 * optional leading '-' allowed; 0, or -1 when it is not one number. */
int fdinfo_kv_ll(const struct fdinfo_kv *kv, int base, long long *out);
/* Copy the value into buf (cap bytes, NUL-terminated, cut to fit); returns
 * false when it did not fit or holds a NUL or control byte. */
bool fdinfo_kv_str(const struct fdinfo_kv *kv, char *buf, size_t cap);

#endif
