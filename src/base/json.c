/* json.c - the streaming JSON writer of json.h.
 *
 * Each token is written as soon as it is known; the writer keeps only a small
 * nesting stack, its own output buffer and one reusable buffer for escaping
 * strings.  Misuse (a value in an object without a key, a mismatched end,
 * nesting too deep) never crashes: it sets a sticky error, later calls do
 * nothing, and json_free() reports -1, so a half-written document is never
 * mistaken for a good one.
 *
 * Speed (bench/json_speed.c): tokens go into a 64 KiB buffer of our own that
 * reaches the stream in large fwrite()s, not one locked stdio call per token;
 * strings of bytes that need no escaping (the common case: keys, paths,
 * names) are copied as they are, and only the rest goes through
 * escape_json(); numbers are formatted without printf. */
#include "base/json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/escape.h"
#include "base/util.h"

#define JSON_MAX_DEPTH 64
#define JSON_BUF_SIZE (64 * 1024)

enum {
	LEVEL_OBJECT = 1,	/* else an array */
	LEVEL_NONEMPTY = 2,	/* a member was written: the next needs a comma */
};

struct json {
	FILE *out;		/* NULL: a memory writer, buf grows instead */
	bool pretty;
	bool error;
	bool write_error;	/* the stream took fewer bytes than given */
	bool have_key;		/* a key was written, its value is due */
	bool top_done;		/* the one top-level value is complete */
	int depth;
	int base;		/* rebased at this depth: what lies below is another writer's */
	bool base_key;		/* rebased where a member's value was due */
	unsigned char level[JSON_MAX_DEPTH];
	struct strbuf sb;
	size_t len;		/* bytes in buf: waiting for the stream, or the memory writer's output */
	size_t cap;
	char *buf;
};

/* Bytes that JSON and escape_json() copy unchanged, one by one: printable
 * ASCII but '"' and the backslash.  Everything else (controls, quotes, backslashes,
 * every byte >= 0x80) goes through escape_json(). */
static const unsigned char plain_byte[256] = {
	[0x20 ... 0x21] = 1,	/* '"' is 0x22 */
	[0x23 ... 0x5b] = 1,	/* the backslash is 0x5c */
	[0x5d ... 0x7e] = 1,
};

static void flush_buf(struct json *j)
{
	if (!j->out)
		return;
	if (j->len > 0 && fwrite(j->buf, 1, j->len, j->out) != j->len)
		j->write_error = true;
	j->len = 0;
}

struct json *json_new(FILE *out, bool pretty)
{
	struct json *j = xcalloc(1, sizeof(*j));

	j->out = out;
	j->pretty = pretty;
	j->cap = JSON_BUF_SIZE;
	j->buf = xmalloc(j->cap);
	sb_init(&j->sb);
	return j;
}

struct json *json_new_memory(bool pretty)
{
	struct json *j = xcalloc(1, sizeof(*j));

	j->pretty = pretty;
	sb_init(&j->sb);
	return j;
}

/* The slow half of room(): flush to the stream, or grow a memory writer. */
static bool make_room(struct json *j, size_t n)
{
	if (!j->out) {
		size_t cap = j->cap ? j->cap : 4096;
		while (cap < j->len + n)
			cap *= 2;
		j->buf = xreallocarray(j->buf, cap, 1);
		j->cap = cap;
		return true;
	}
	flush_buf(j);
	return n <= j->cap;
}

/* Room for n more bytes in buf, or false when n alone does not fit (the
 * caller then writes straight to the stream). */
static inline bool room(struct json *j, size_t n)
{
	if (j->len + n <= j->cap)
		return true;
	return make_room(j, n);
}

static void put(struct json *j, const char *s, size_t n)
{
	if (!room(j, n)) {
		if (fwrite(s, 1, n, j->out) != n)
			j->write_error = true;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static inline void put_char(struct json *j, char c)
{
	if (j->len == j->cap)
		make_room(j, 1);
	j->buf[j->len++] = c;
}

int json_free(struct json *j)
{
	int rc;

	if (j == NULL)
		return -1;
	/* top_done is only set once every container is closed again; an empty
	 * document is no more valid JSON than an unclosed one */
	rc = j->error || !j->top_done ? -1 : 0;
	if (j->out) {
		put_char(j, '\n');
		flush_buf(j);
		if (j->write_error || fflush(j->out) != 0 || ferror(j->out))
			rc = -1;
	} else if (j->base > 0 || j->base_key) {
		rc = j->error ? -1 : 0;   /* a part of another document */
	}
	sb_free(&j->sb);
	free(j->buf);
	free(j);
	return rc;
}

static bool fail(struct json *j)
{
	j->error = true;
	return false;
}

static void newline_indent(struct json *j, int depth)
{
	static const char spaces[] = "                                ";
	size_t n = 2 * (size_t)depth;

	put_char(j, '\n');
	while (n > 0) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		put(j, spaces, k);
		n -= k;
	}
}

/* Comma and indentation before a new member of the innermost container. */
static inline void separate(struct json *j)
{
	unsigned char *top = &j->level[j->depth - 1];

	if (*top & LEVEL_NONEMPTY)
		put_char(j, ',');
	*top |= LEVEL_NONEMPTY;
	if (j->pretty)
		newline_indent(j, j->depth);
}

/* Check that a value may come next and write what precedes it. */
static inline bool begin_value(struct json *j)
{
	if (j->error)
		return false;
	if (j->depth == 0)
		return j->top_done ? fail(j) : true;
	if (j->level[j->depth - 1] & LEVEL_OBJECT) {
		if (!j->have_key)
			return fail(j);
		j->have_key = false;
		return true;
	}
	separate(j);
	return true;
}

static inline void end_value(struct json *j)
{
	if (j->depth == 0)
		j->top_done = true;
}

static void open_level(struct json *j, unsigned char kind, char c)
{
	if (!begin_value(j))
		return;
	if (j->depth == JSON_MAX_DEPTH) {
		fail(j);
		return;
	}
	j->level[j->depth++] = kind;
	put_char(j, c);
}

static void close_level(struct json *j, unsigned char kind, char c)
{
	unsigned char top;

	if (j->error)
		return;
	if (j->depth <= j->base || j->have_key ||
	    (j->level[j->depth - 1] & LEVEL_OBJECT) != kind) {
		fail(j);
		return;
	}
	top = j->level[j->depth - 1];
	j->depth--;
	if (j->pretty && (top & LEVEL_NONEMPTY))
		newline_indent(j, j->depth);
	put_char(j, c);
	end_value(j);
}

void json_object_begin(struct json *j)
{
	open_level(j, LEVEL_OBJECT, '{');
}

void json_object_end(struct json *j)
{
	close_level(j, LEVEL_OBJECT, '}');
}

void json_array_begin(struct json *j)
{
	open_level(j, 0, '[');
}

void json_array_end(struct json *j)
{
	close_level(j, 0, ']');
}

/* Copy the run of plain bytes at the start of s[0..len) to d and return its
 * length: eight at a time while eight remain (a word holding any byte to
 * escape ends that, exact or not: the byte loop then finds where), then one
 * at a time.  d has room for len bytes. */
static inline size_t copy_plain(char *d, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	size_t n = 0;

	for (; n + 8 <= len; n += 8) {
		uint64_t x, quote, bslash, stop;

		memcpy(&x, p + n, 8);
		quote = x ^ (ones * '"');
		bslash = x ^ (ones * '\\');
		stop = (x | (x + ones)) |			/* >= 0x7f */
			((x - ones * 0x20) & ~x) |		/* < 0x20 */
			((quote - ones) & ~quote) |		/* '"' */
			((bslash - ones) & ~bslash);		/* backslash */
		if (stop & highs)
			break;
		memcpy(d + n, &x, 8);
	}
	while (n < len && plain_byte[p[n]]) {
		d[n] = s[n];
		n++;
	}
	return n;
}

/* Write the quoted s[0..len) followed by suffix[0..slen) (plain ASCII).  Plain
 * bytes are copied as they are; from the first byte that needs escaping,
 * escape_json() takes over, from a character boundary, so the output is what
 * it makes of the whole string. */
static bool put_string(struct json *j, const char *s, size_t len, const char *suffix, size_t slen)
{
	size_t plain;
	bool replaced = false;

	if (room(j, len + slen + 2)) {
		char *d = j->buf + j->len;

		*d++ = '"';
		plain = copy_plain(d, s, len);
		if (plain == len) {
			d += len;
			memcpy(d, suffix, slen);
			d[slen] = '"';
			j->len = (size_t)(d + slen + 1 - j->buf);
			return false;
		}
		j->len += 1 + plain;
	} else {
		/* longer than the buffer: to the stream as it comes */
		char *tmp = xmalloc(len);

		plain = copy_plain(tmp, s, len);
		free(tmp);
		put_char(j, '"');
		put(j, s, plain);
	}
	if (plain < len) {
		j->sb.len = 0;
		replaced = escape_json(&j->sb, s + plain, len - plain);
		put(j, j->sb.buf, j->sb.len);
	}
	put(j, suffix, slen);
	put_char(j, '"');
	return replaced;
}

/* The same for the NUL-terminated s: keys and short values are copied while
 * they are scanned, in one pass; anything else goes to put_string(). */
static bool put_cstring(struct json *j, const char *s, const char *suffix, size_t slen)
{
	enum { SHORT = 128 };
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	if (room(j, SHORT + slen + 2)) {
		char *d = j->buf + j->len + 1;

		while (n < SHORT && plain_byte[p[n]]) {
			d[n] = s[n];
			n++;
		}
		if (p[n] == '\0') {
			d[-1] = '"';
			memcpy(d + n, suffix, slen);
			d[n + slen] = '"';
			j->len += n + slen + 2;
			return false;
		}
	}
	return put_string(j, s, n + strlen(s + n), suffix, slen);
}

static void key_suffix(struct json *j, const char *key, const char *suffix, size_t slen)
{
	if (j->error)
		return;
	if (key == NULL || j->depth == 0 || !(j->level[j->depth - 1] & LEVEL_OBJECT) ||
	    j->have_key) {
		fail(j);
		return;
	}
	separate(j);
	put_cstring(j, key, suffix, slen);
	if (j->pretty)
		put(j, ": ", 2);
	else
		put_char(j, ':');
	j->have_key = true;
}

bool json_qkey_make(struct json_qkey *q, const char *key)
{
	struct strbuf sb;
	bool fits;

	sb_init(&sb);
	sb_add(&sb, "\"", 1);
	escape_json(&sb, key, strlen(key));
	sb_add(&sb, "\"", 1);
	fits = sb.len <= sizeof(q->text);
	memset(q, 0, sizeof(*q));
	q->len = fits ? sb.len : 0;
	if (fits)
		memcpy(q->text, sb.buf, sb.len);
	sb_free(&sb);
	return fits;
}

void json_key_quoted(struct json *j, const struct json_qkey *q)
{
	if (j->error)
		return;
	if (!q->len || j->depth == 0 || !(j->level[j->depth - 1] & LEVEL_OBJECT) || j->have_key) {
		fail(j);
		return;
	}
	separate(j);
	if (room(j, sizeof(q->text) + 2)) {
		char *d = j->buf + j->len;
		memcpy(d, q->text, sizeof(q->text));   /* a fixed size: a few moves, no call */
		d += q->len;
		*d++ = ':';
		if (j->pretty)
			*d++ = ' ';
		j->len = (size_t)(d - j->buf);
	}
	j->have_key = true;
}

void json_key(struct json *j, const char *key)
{
	key_suffix(j, key, "", 0);
}

static void put_literal(struct json *j, const char *s, size_t n)
{
	if (!begin_value(j))
		return;
	put(j, s, n);
	end_value(j);
}

void json_null(struct json *j)
{
	put_literal(j, "null", 4);
}

void json_bool(struct json *j, bool v)
{
	if (v)
		put_literal(j, "true", 4);
	else
		put_literal(j, "false", 5);
}

/* Digits of v, sign in front, without printf's format parsing per number. */
static void put_number(struct json *j, unsigned long long v, bool negative)
{
	char digits[24], *p;

	if (!begin_value(j))
		return;
	p = fmt_digits(digits + sizeof(digits), v, 10);
	if (negative)
		*--p = '-';
	put(j, p, (size_t)(digits + sizeof(digits) - p));
	end_value(j);
}

void json_int(struct json *j, long long v)
{
	/* negate in unsigned arithmetic so LLONG_MIN does not overflow */
	if (v < 0)
		put_number(j, 0ULL - (unsigned long long)v, true);
	else
		put_number(j, (unsigned long long)v, false);
}

void json_uint(struct json *j, unsigned long long v)
{
	put_number(j, v, false);
}

void json_string(struct json *j, const char *s)
{
	if (s == NULL) {
		json_null(j);
		return;
	}
	if (!begin_value(j))
		return;
	put_cstring(j, s, "", 0);
	end_value(j);
}

bool json_string_len(struct json *j, const char *s, size_t len)
{
	bool replaced;

	if (s == NULL) {
		json_null(j);
		return false;
	}
	if (!begin_value(j))
		return false;
	replaced = put_string(j, s, len, "", 0);
	end_value(j);
	return replaced;
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_int(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_uint(struct json *j, const char *key, unsigned long long v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_kv_null(struct json *j, const char *key)
{
	json_key(j, key);
	json_null(j);
}

void json_kv_bytes(struct json *j, const char *key, const char *s, size_t len)
{
	json_key(j, key);
	if (!json_string_len(j, s, len) || j->error)
		return;
	key_suffix(j, key, "_hex", 4);
	if (!begin_value(j))
		return;
	j->sb.len = 0;
	sb_add(&j->sb, "\"", 1);
	hex_encode(&j->sb, s, len);
	sb_add(&j->sb, "\"", 1);
	put(j, j->sb.buf, j->sb.len);
}

void json_rebase(struct json *m, const struct json *j)
{
	m->len = 0;
	m->pretty = j->pretty;
	m->error = j->error;
	m->have_key = j->have_key;
	m->top_done = j->top_done;
	m->depth = m->base = j->depth;
	m->base_key = j->have_key;
	memcpy(m->level, j->level, sizeof(m->level));
	/* whether the container already has members is j's to know when m's
	 * output is appended (json_append), not now */
	if (m->depth > 0 && !m->have_key)
		m->level[m->depth - 1] &= (unsigned char)~LEVEL_NONEMPTY;
}

bool json_can_append(const struct json *j, const struct json *m)
{
	int d = m->base;

	return !m->error && m->depth == d && j->depth == d && j->have_key == m->base_key &&
	       j->pretty == m->pretty &&
	       (d == 0 || (j->level[d - 1] & LEVEL_OBJECT) == (m->level[d - 1] & LEVEL_OBJECT));
}

void json_append(struct json *j, const struct json *m)
{
	int d = m->base;

	if (j->error)
		return;
	if (!json_can_append(j, m)) {
		fail(j);
		return;
	}
	if (m->base_key) {
		if (m->have_key)
			return;   /* m wrote nothing: the value is still due */
		j->have_key = false;
	} else if (m->have_key) {
		fail(j);      /* a key without its value */
		return;
	} else if (d > 0 && (m->level[d - 1] & LEVEL_NONEMPTY)) {
		if (j->level[d - 1] & LEVEL_NONEMPTY)
			put_char(j, ',');
		j->level[d - 1] |= LEVEL_NONEMPTY;
	}
	if (m->len)   /* a writer that wrote nothing has no buffer yet */
		put(j, m->buf, m->len);
	if (d == 0)
		j->top_done = m->top_done;
}
