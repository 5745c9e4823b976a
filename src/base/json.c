/* json.c - the streaming JSON writer of json.h.
 *
 * Each token is written as soon as it is known; the writer keeps only a small
 * nesting stack and one reusable buffer for escaping strings.  Misuse (a value
 * in an object without a key, a mismatched end, nesting too deep) never
 * crashes: it sets a sticky error, later calls do nothing, and json_free()
 * reports -1, so a half-written document is never mistaken for a good one. */
#include "base/json.h"

#include <stdlib.h>
#include <string.h>

#include "base/escape.h"
#include "base/util.h"

#define JSON_MAX_DEPTH 64

enum {
	LEVEL_OBJECT = 1,	/* else an array */
	LEVEL_NONEMPTY = 2,	/* a member was written: the next needs a comma */
};

struct json {
	FILE *out;
	bool pretty;
	bool error;
	bool have_key;		/* a key was written, its value is due */
	bool top_done;		/* the one top-level value is complete */
	int depth;
	unsigned char level[JSON_MAX_DEPTH];
	struct strbuf sb;
};

struct json *json_new(FILE *out, bool pretty)
{
	struct json *j = xcalloc(1, sizeof(*j));

	j->out = out;
	j->pretty = pretty;
	sb_init(&j->sb);
	return j;
}

int json_free(struct json *j)
{
	int rc;

	if (j == NULL)
		return -1;
	/* top_done is only set once every container is closed again; an empty
	 * document is no more valid JSON than an unclosed one */
	rc = j->error || !j->top_done ? -1 : 0;
	putc('\n', j->out);
	if (fflush(j->out) != 0 || ferror(j->out))
		rc = -1;
	sb_free(&j->sb);
	free(j);
	return rc;
}

static bool fail(struct json *j)
{
	j->error = true;
	return false;
}

static void put(struct json *j, const char *s, size_t n)
{
	fwrite(s, 1, n, j->out);
}

static void newline_indent(struct json *j, int depth)
{
	static const char spaces[] = "                                ";
	size_t n = 2 * (size_t)depth;

	putc('\n', j->out);
	while (n > 0) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		put(j, spaces, k);
		n -= k;
	}
}

/* Comma and indentation before a new member of the innermost container. */
static void separate(struct json *j)
{
	unsigned char *top = &j->level[j->depth - 1];

	if (*top & LEVEL_NONEMPTY)
		putc(',', j->out);
	*top |= LEVEL_NONEMPTY;
	if (j->pretty)
		newline_indent(j, j->depth);
}

/* Check that a value may come next and write what precedes it. */
static bool begin_value(struct json *j)
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

static void end_value(struct json *j)
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
	putc(c, j->out);
}

static void close_level(struct json *j, unsigned char kind, char c)
{
	unsigned char top;

	if (j->error)
		return;
	if (j->depth == 0 || j->have_key ||
	    (j->level[j->depth - 1] & LEVEL_OBJECT) != kind) {
		fail(j);
		return;
	}
	top = j->level[j->depth - 1];
	j->depth--;
	if (j->pretty && (top & LEVEL_NONEMPTY))
		newline_indent(j, j->depth);
	putc(c, j->out);
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

/* Write the quoted, escaped s[0..len) followed by suffix (plain ASCII). */
static bool put_string(struct json *j, const char *s, size_t len, const char *suffix)
{
	bool replaced;

	j->sb.len = 0;
	sb_add(&j->sb, "\"", 1);
	replaced = escape_json(&j->sb, s, len);
	sb_adds(&j->sb, suffix);
	sb_add(&j->sb, "\"", 1);
	put(j, j->sb.buf, j->sb.len);
	return replaced;
}

static void key_suffix(struct json *j, const char *key, const char *suffix)
{
	if (j->error)
		return;
	if (key == NULL || j->depth == 0 || !(j->level[j->depth - 1] & LEVEL_OBJECT) ||
	    j->have_key) {
		fail(j);
		return;
	}
	separate(j);
	put_string(j, key, strlen(key), suffix);
	if (j->pretty)
		put(j, ": ", 2);
	else
		putc(':', j->out);
	j->have_key = true;
}

void json_key(struct json *j, const char *key)
{
	key_suffix(j, key, "");
}

static void put_literal(struct json *j, const char *s)
{
	if (!begin_value(j))
		return;
	fputs(s, j->out);
	end_value(j);
}

void json_null(struct json *j)
{
	put_literal(j, "null");
}

void json_bool(struct json *j, bool v)
{
	put_literal(j, v ? "true" : "false");
}

/* Digits of v, sign in front, without printf's format parsing per number. */
static void put_number(struct json *j, unsigned long long v, bool negative)
{
	char buf[24], *p = buf + sizeof(buf);

	if (!begin_value(j))
		return;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	if (negative)
		*--p = '-';
	put(j, p, (size_t)(buf + sizeof(buf) - p));
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
	if (s == NULL)
		json_null(j);
	else
		json_string_len(j, s, strlen(s));
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
	replaced = put_string(j, s, len, "");
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
	key_suffix(j, key, "_hex");
	if (!begin_value(j))
		return;
	j->sb.len = 0;
	sb_add(&j->sb, "\"", 1);
	hex_encode(&j->sb, s, len);
	sb_add(&j->sb, "\"", 1);
	put(j, j->sb.buf, j->sb.len);
}
