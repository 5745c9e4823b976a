/* fuzz_json.c - libFuzzer harness for escape.c and json.c (no raw control,
 * bidirectional or zero-width character gets through an escaper).
 *
 * The whole input goes through each escaper, whose output is checked for
 * forbidden bytes and decoded back to the input.  Then the input drives the
 * JSON writer, its bytes read as a program of calls and string contents; every
 * document the writer calls good must pass the strict parser below, which
 * shares no code with the writer.  Any failed property calls abort(). */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/escape.h"
#include "base/json.h"
#include "base/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ASSERT(c) do { \
	if (!(c)) { \
		fprintf(stderr, "fuzz_json: %s (line %d)\n", #c, __LINE__); \
		abort(); \
	} \
} while (0)

/* ---- an independent UTF-8 check: decode first, judge the value after ---- */

static bool utf8_ok(const unsigned char *s, size_t len)
{
	static const unsigned min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t i = 0, n, k;
	unsigned cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0)
			n = 2, cp = s[i] & 0x1f;
		else if ((s[i] & 0xf0) == 0xe0)
			n = 3, cp = s[i] & 0x0f;
		else if ((s[i] & 0xf8) == 0xf0)
			n = 4, cp = s[i] & 0x07;
		else
			return false;
		if (len - i < n)
			return false;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n;
	}
	return true;
}

static int hexval(unsigned c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
}

/* ---- a strict JSON parser (RFC 8259), accept or reject ---- */

struct parser {
	const unsigned char *p, *end;
	int depth;
	struct strbuf *dec;	/* when set, strings are decoded into it */
};

static bool p_value(struct parser *ps);

static void p_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
				   *ps->p == '\r'))
		ps->p++;
}

static bool p_is(struct parser *ps, unsigned char c)
{
	if (ps->p < ps->end && *ps->p == c) {
		ps->p++;
		return true;
	}
	return false;
}

static bool p_literal(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return false;
	ps->p += n;
	return true;
}

static bool p_digits(struct parser *ps)
{
	const unsigned char *start = ps->p;

	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return ps->p > start;
}

static bool p_number(struct parser *ps)
{
	p_is(ps, '-');
	if (!p_is(ps, '0')) {
		if (ps->p >= ps->end || *ps->p < '1' || *ps->p > '9')
			return false;
		p_digits(ps);
	}
	if (p_is(ps, '.') && !p_digits(ps))
		return false;
	if (p_is(ps, 'e') || p_is(ps, 'E')) {
		if (!p_is(ps, '+'))
			p_is(ps, '-');
		if (!p_digits(ps))
			return false;
	}
	return true;
}

static long p_hex4(struct parser *ps)
{
	long v = 0;
	int i, d;

	if (ps->end - ps->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		if ((d = hexval(*ps->p++)) < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

static void put_utf8(struct strbuf *sb, unsigned long cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6), n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12), n = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18), n = 4;
	}
	for (size_t i = 1; i < n; i++)
		b[i] = (char)(0x80 | (cp >> (6 * (n - 1 - i)) & 0x3f));
	sb_add(sb, b, n);
}

/* After "\u": one code point, joining a surrogate pair. */
static bool p_unicode(struct parser *ps)
{
	long cp = p_hex4(ps), lo;

	if (cp < 0 || (cp >= 0xdc00 && cp <= 0xdfff))
		return false;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (!p_is(ps, '\\') || !p_is(ps, 'u'))
			return false;
		lo = p_hex4(ps);
		if (lo < 0xdc00 || lo > 0xdfff)
			return false;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (ps->dec)
		put_utf8(ps->dec, (unsigned long)cp);
	return true;
}

static bool p_escape(struct parser *ps)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *k;

	if (ps->p >= ps->end)
		return false;
	if (*ps->p == 'u') {
		ps->p++;
		return p_unicode(ps);
	}
	if (*ps->p == '\0' || (k = strchr(from, *ps->p)) == NULL)
		return false;
	ps->p++;
	if (ps->dec)
		sb_add(ps->dec, &to[k - from], 1);
	return true;
}

static bool p_string(struct parser *ps)
{
	unsigned char c;

	if (!p_is(ps, '"'))
		return false;
	for (;;) {
		if (ps->p >= ps->end)
			return false;
		c = *ps->p++;
		if (c == '"')
			return true;
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (!p_escape(ps))
				return false;
		} else if (ps->dec) {
			sb_add(ps->dec, (const char *)&c, 1);
		}
	}
}

/* Members of an object or array, after its opening bracket. */
static bool p_members(struct parser *ps, unsigned char close, bool object)
{
	if (++ps->depth > 512)
		return false;
	p_ws(ps);
	if (!p_is(ps, close)) {
		do {
			if (object) {
				p_ws(ps);
				if (!p_string(ps))
					return false;
				p_ws(ps);
				if (!p_is(ps, ':'))
					return false;
			}
			if (!p_value(ps))
				return false;
			p_ws(ps);
		} while (p_is(ps, ','));
		if (!p_is(ps, close))
			return false;
	}
	ps->depth--;
	return true;
}

static bool p_value(struct parser *ps)
{
	p_ws(ps);
	if (ps->p >= ps->end)
		return false;
	switch (*ps->p) {
	case '{':
		ps->p++;
		return p_members(ps, '}', true);
	case '[':
		ps->p++;
		return p_members(ps, ']', false);
	case '"':
		return p_string(ps);
	case 't':
		return p_literal(ps, "true");
	case 'f':
		return p_literal(ps, "false");
	case 'n':
		return p_literal(ps, "null");
	}
	return p_number(ps);
}

static bool json_document_ok(const char *s, size_t len)
{
	struct parser ps = { (const unsigned char *)s, (const unsigned char *)s + len, 0, NULL };

	if (!p_value(&ps))
		return false;
	p_ws(&ps);
	return ps.p == ps.end;
}

/* ---- the escapers ---- */

/* No raw control may survive: C0, DEL, or C1 as UTF-8 (C2 80..9F). */
static void assert_no_controls(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		ASSERT(s[i] >= 0x20 && s[i] != 0x7f);
		ASSERT(!(s[i] == 0xc2 && i + 1 < len && s[i + 1] <= 0x9f));
	}
}

/* No character that hides or reorders text may survive raw: bidirectional
 * controls, zero-width characters, U+2028/9, BOM ... (escape.c's list). */
static void assert_no_invisible(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		unsigned b1 = s[i + 1], b2 = i + 2 < len ? s[i + 2] : 0;

		ASSERT(!(s[i] == 0xc2 && b1 == 0xad));
		ASSERT(!(s[i] == 0xd8 && b1 == 0x9c));
		ASSERT(!(s[i] == 0xe1 && b1 == 0xa0 && b2 == 0x8e));
		ASSERT(!(s[i] == 0xe2 && b1 == 0x80 && ((b2 >= 0x8b && b2 <= 0x8f) || (b2 >= 0xa8 && b2 <= 0xae))));
		ASSERT(!(s[i] == 0xe2 && b1 == 0x81 && ((b2 >= 0xa0 && b2 <= 0xa4) || (b2 >= 0xa6 && b2 <= 0xaf))));
		ASSERT(!(s[i] == 0xef && b1 == 0xbb && b2 == 0xbf));
		ASSERT(!(s[i] == 0xef && b1 == 0xbf && b2 >= 0xb9 && b2 <= 0xbb));
	}
}

/* escape_invisible leaves controls to the table layer but writes no
 * invisible character raw, and adds no backslash. */
static void check_escape_invisible(const char *s, size_t len)
{
	struct strbuf out;
	size_t in_bs = 0, out_bs = 0, i;

	sb_init(&out);
	escape_invisible(&out, s, len);
	assert_no_invisible((const unsigned char *)out.buf, out.len);
	for (i = 0; i < len; i++)
		in_bs += s[i] == '\\';
	for (i = 0; i < out.len; i++)
		out_bs += out.buf[i] == '\\';
	ASSERT(in_bs == out_bs);
	sb_free(&out);
}

/* escape_text is lossless: "\\" and "\xHH" are its only escapes. */
static void unescape_text(struct strbuf *out, const char *s, size_t len)
{
	size_t i = 0;
	char c;

	while (i < len) {
		if (s[i] != '\\') {
			sb_add(out, s + i++, 1);
			continue;
		}
		ASSERT(i + 1 < len);
		if (s[i + 1] == '\\') {
			sb_add(out, "\\", 1);
			i += 2;
			continue;
		}
		ASSERT(s[i + 1] == 'x' && i + 3 < len);
		ASSERT(hexval((unsigned char)s[i + 2]) >= 0 && hexval((unsigned char)s[i + 3]) >= 0);
		c = (char)(hexval((unsigned char)s[i + 2]) << 4 | hexval((unsigned char)s[i + 3]));
		sb_add(out, &c, 1);
		i += 4;
	}
}

static void check_escape_text(const char *s, size_t len)
{
	struct strbuf out, back;
	char *dup, *prefix;

	sb_init(&out);
	sb_init(&back);
	escape_text(&out, s, len);
	assert_no_controls((const unsigned char *)out.buf, out.len);
	assert_no_invisible((const unsigned char *)out.buf, out.len);
	ASSERT(utf8_ok((const unsigned char *)out.buf, out.len));
	unescape_text(&back, out.buf, out.len);
	ASSERT(back.len == len && memcmp(back.buf, s, len) == 0);

	prefix = xmemdup0(s, len);
	dup = escape_text_dup(prefix);
	out.len = 0;
	escape_text(&out, prefix, strlen(prefix));
	ASSERT(strcmp(dup, out.buf) == 0);
	free(dup);
	free(prefix);
	sb_free(&out);
	sb_free(&back);
}

static void check_escape_json(const char *s, size_t len)
{
	struct strbuf out, dec;
	struct parser ps;
	bool valid = utf8_ok((const unsigned char *)s, len);

	ASSERT(utf8_valid(s, len) == valid);
	sb_init(&out);
	sb_init(&dec);
	sb_add(&out, "\"", 1);
	ASSERT(escape_json(&out, s, len) == !valid);
	sb_add(&out, "\"", 1);
	assert_no_controls((const unsigned char *)out.buf, out.len);
	assert_no_invisible((const unsigned char *)out.buf, out.len);
	ASSERT(utf8_ok((const unsigned char *)out.buf, out.len));
	ASSERT(memmem(out.buf, out.len, "\xe2\x80\xa8", 3) == NULL);
	ASSERT(memmem(out.buf, out.len, "\xe2\x80\xa9", 3) == NULL);
	ps = (struct parser){ (const unsigned char *)out.buf,
			      (const unsigned char *)out.buf + out.len, 0, &dec };
	ASSERT(p_string(&ps) && ps.p == ps.end);
	if (valid)
		ASSERT(dec.len == len && memcmp(dec.buf, s, len) == 0);
	sb_free(&out);
	sb_free(&dec);
}

static void check_hex(const char *s, size_t len)
{
	struct strbuf out;

	sb_init(&out);
	hex_encode(&out, s, len);
	ASSERT(out.len == 2 * len);
	for (size_t i = 0; i < 2 * len; i++)
		ASSERT((out.buf[i] >= '0' && out.buf[i] <= '9') || (out.buf[i] >= 'a' && out.buf[i] <= 'f'));
	for (size_t i = 0; i < len; i++)
		ASSERT((hexval((unsigned char)out.buf[2 * i]) << 4 |
			hexval((unsigned char)out.buf[2 * i + 1])) == (unsigned char)s[i]);
	sb_free(&out);
}

/* ---- the writer, driven by the input ---- */

struct input {
	const uint8_t *d;
	size_t n, pos;
};

static unsigned take(struct input *in)
{
	return in->pos < in->n ? in->d[in->pos++] : 0;
}

static size_t take_str(struct input *in, const char **s)
{
	size_t len = take(in) % 24;

	if (len > in->n - in->pos)
		len = in->n - in->pos;
	*s = (const char *)in->d + in->pos;
	in->pos += len;
	return len;
}

/* A NUL-terminated string (a key) from the input, in buf[32]. */
static const char *take_key(struct input *in, char *buf)
{
	const char *s;
	size_t len = take_str(in, &s);

	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

static unsigned long long take_u64(struct input *in)
{
	unsigned long long v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | take(in);
	return v;
}

static void put_scalar(struct json *j, struct input *in, unsigned op)
{
	const char *s;
	size_t len;
	char key[32];

	switch (op) {
	case 4:
		json_string(j, take_key(in, key));
		break;
	case 5:
		json_int(j, (long long)take_u64(in));
		break;
	case 6:
		json_uint(j, take_u64(in));
		break;
	case 7:
		if (take(in) % 3 == 0)
			json_null(j);
		else
			json_bool(j, take(in) & 1);
		break;
	default:
		len = take_str(in, &s);
		json_string_len(j, s, len);
	}
}

static void put_member(struct json *j, struct input *in, unsigned op)
{
	const char *s;
	size_t len;
	char key[32], val[32];

	take_key(in, key);
	switch (op == 9 ? take(in) % 5 : 5) {
	case 0:
		json_kv_string(j, key, take_key(in, val));
		break;
	case 1:
		json_kv_int(j, key, (long long)take_u64(in));
		break;
	case 2:
		json_kv_uint(j, key, take_u64(in));
		break;
	case 3:
		json_kv_bool(j, key, take(in) & 1);
		break;
	case 4:
		json_kv_null(j, key);
		break;
	default:
		len = take_str(in, &s);
		json_kv_bytes(j, key, s, len);
	}
}

static void close_kind(struct json *j, char kind)
{
	if (kind == '{')
		json_object_end(j);
	else
		json_array_end(j);
}

/* Well-formed calls only: the writer must accept them. */
static void drive_valid(struct json *j, struct input *in)
{
	char kinds[32], key[32];
	int depth = 0;
	bool started = false;
	unsigned op;

	while (in->pos < in->n && !(started && depth == 0)) {
		op = take(in) % 10;
		if (op == 2) {
			if (depth > 0)
				close_kind(j, kinds[--depth]);
			continue;
		}
		if (depth > 0 && kinds[depth - 1] == '{') {
			if (op >= 8) {
				put_member(j, in, op);
				continue;
			}
			json_key(j, take_key(in, key));
		}
		started = true;
		if (op <= 1 && depth < (int)sizeof(kinds)) {
			kinds[depth++] = op == 0 ? '{' : '[';
			if (op == 0)
				json_object_begin(j);
			else
				json_array_begin(j);
		} else {
			put_scalar(j, in, op);
		}
	}
	while (depth > 0)
		close_kind(j, kinds[--depth]);
	if (!started)
		json_null(j);
}

/* Any calls at all: the writer may refuse, but must not crash or lie. */
static void drive_chaos(struct json *j, struct input *in)
{
	char key[32];
	unsigned op;

	while (in->pos < in->n) {
		switch (op = take(in) % 14) {
		case 0: json_object_begin(j); break;
		case 1: json_object_end(j); break;
		case 2: json_array_begin(j); break;
		case 3: json_array_end(j); break;
		case 10: json_key(j, take_key(in, key)); break;
		case 11: json_key(j, NULL); break;
		case 12: json_kv_bytes(j, "k", NULL, 0); break;
		case 8:
		case 9: put_member(j, in, op); break;
		default: put_scalar(j, in, op);
		}
	}
}

/* The document with whitespace outside strings removed. */
static void strip_ws(struct strbuf *out, const char *s, size_t len)
{
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		if (in_str && s[i] == '\\') {
			sb_add(out, s + i++, 2);
			continue;
		}
		if (s[i] == '"')
			in_str = !in_str;
		if (in_str || (s[i] != ' ' && s[i] != '\n'))
			sb_add(out, s + i, 1);
	}
}

/* Run a driver into memory; returns json_free's result, text in *buf. */
static int write_doc(void (*drive)(struct json *, struct input *), const uint8_t *data,
		     size_t size, bool pretty, char **buf, size_t *len)
{
	struct input in = { data, size, 0 };
	FILE *f = open_memstream(buf, len);
	struct json *j;
	int rc;

	ASSERT(f != NULL);
	j = json_new(f, pretty);
	drive(j, &in);
	rc = json_free(j);
	fclose(f);
	return rc;
}

static void check_document(const char *buf, size_t len)
{
	ASSERT(len > 0 && buf[len - 1] == '\n');
	ASSERT(utf8_ok((const unsigned char *)buf, len));
	ASSERT(json_document_ok(buf, len));
}

static void check_writer(const uint8_t *data, size_t size)
{
	char *compact, *pretty;
	size_t clen, plen;
	struct strbuf a, b;

	ASSERT(write_doc(drive_valid, data, size, false, &compact, &clen) == 0);
	ASSERT(write_doc(drive_valid, data, size, true, &pretty, &plen) == 0);
	check_document(compact, clen);
	check_document(pretty, plen);
	ASSERT(memchr(compact, '\n', clen) == compact + clen - 1);
	sb_init(&a);
	sb_init(&b);
	strip_ws(&a, compact, clen);
	strip_ws(&b, pretty, plen);
	ASSERT(a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0);
	sb_free(&a);
	sb_free(&b);
	free(compact);
	free(pretty);

	if (write_doc(drive_chaos, data, size, size & 1, &compact, &clen) == 0)
		check_document(compact, clen);
	free(compact);
}

/* kv_bytes: the _hex sibling appears exactly when the bytes are not UTF-8. */
static void check_kv_bytes(const char *s, size_t len)
{
	struct strbuf want;
	char *buf;
	size_t n;
	FILE *f = open_memstream(&buf, &n);
	struct json *j;

	ASSERT(f != NULL);
	j = json_new(f, false);
	json_object_begin(j);
	json_kv_bytes(j, "k", s, len);
	json_object_end(j);
	ASSERT(json_free(j) == 0);
	fclose(f);
	sb_init(&want);
	sb_adds(&want, "{\"k\":\"");
	if (escape_json(&want, s, len)) {
		sb_adds(&want, "\",\"k_hex\":\"");
		hex_encode(&want, s, len);
	}
	sb_adds(&want, "\"}\n");
	ASSERT(n == want.len && memcmp(buf, want.buf, n) == 0);
	sb_free(&want);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	check_escape_text(s, size);
	check_escape_invisible(s, size);
	check_escape_json(s, size);
	check_hex(s, size);
	check_kv_bytes(s, size);
	check_writer(data, size);
	return 0;
}
