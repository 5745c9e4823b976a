/* unit_escape_json.c - unit tests for escape.c and json.c.
 *
 * The escapers are checked byte for byte on each class of hostile input; the
 * writer on exact compact and pretty output, on misuse, and by handing a large
 * document of arbitrary bytes to jq, a parser we did not write. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "base/escape.h"
#include "base/json.h"
#include "base/util.h"

/* String literal with its length, so embedded NULs count. */
#define LIT(s) (s), sizeof(s) - 1

static void text_is(const char *in, size_t len, const char *want, const char *what)
{
	struct strbuf sb;

	sb_init(&sb);
	escape_text(&sb, in, len);
	CHECK_STR(sb.buf, want, what);
	sb_free(&sb);
}

static void json_is(const char *in, size_t len, const char *want, bool want_replaced,
		    const char *what)
{
	struct strbuf sb;
	bool replaced;
	char flag[200];

	sb_init(&sb);
	replaced = escape_json(&sb, in, len);
	CHECK_STR(sb.buf, want, what);
	snprintf(flag, sizeof(flag), "%s: returns %s", what, want_replaced ? "true" : "false");
	CHECK(replaced == want_replaced, flag);
	sb_free(&sb);
}

static void test_escape_text(void)
{
	char *dup;

	text_is(LIT("hello, world ~"), "hello, world ~", "text: plain ASCII copied");
	text_is(LIT(""), "", "text: empty string");
	text_is(LIT("a\\b"), "a\\\\b", "text: backslash doubled");
	text_is(LIT("a\nb"), "a\\x0ab", "text: newline");
	text_is(LIT("\x1b[31mred"), "\\x1b[31mred", "text: ESC sequence");
	text_is(LIT("\t"), "\\x09", "text: tab");
	text_is(LIT("\x7f"), "\\x7f", "text: DEL");
	text_is(LIT("x\xc2\x9by"), "x\\xc2\\x9by", "text: C1 CSI (C2 9B)");
	text_is(LIT("\xc2\x80\xc2\x9f"), "\\xc2\\x80\\xc2\\x9f", "text: C1 bounds U+0080 U+009F");
	text_is(LIT("\xc2\xa0"), "\xc2\xa0", "text: U+00A0 just past C1 copied");
	text_is(LIT("caf\xc3\xa9"), "caf\xc3\xa9", "text: 2-byte UTF-8 copied");
	text_is(LIT("\xe2\x82\xac"), "\xe2\x82\xac", "text: 3-byte UTF-8 copied");
	text_is(LIT("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80", "text: 4-byte UTF-8 copied");
	text_is(LIT("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf", "text: U+10FFFF copied");
	text_is(LIT("\xc0\xaf"), "\\xc0\\xaf", "text: overlong 2-byte");
	text_is(LIT("\xe0\x80\xaf"), "\\xe0\\x80\\xaf", "text: overlong 3-byte");
	text_is(LIT("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf", "text: overlong 4-byte");
	text_is(LIT("\xed\xa0\x80"), "\\xed\\xa0\\x80", "text: surrogate U+D800");
	text_is(LIT("\xed\x9f\xbf"), "\xed\x9f\xbf", "text: U+D7FF copied");
	text_is(LIT("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80", "text: above U+10FFFF");
	text_is(LIT("\xe2\x82"), "\\xe2\\x82", "text: truncated at end");
	text_is(LIT("\xe2\x82z"), "\\xe2\\x82z", "text: truncated before ASCII");
	text_is(LIT("\x80"), "\\x80", "text: stray continuation byte");
	text_is(LIT("\xfe\xff\xf5"), "\\xfe\\xff\\xf5", "text: bytes never in UTF-8");
	text_is(LIT("a\0b"), "a\\x00b", "text: embedded NUL");
	text_is(LIT("evil\xe2\x80\xaetxt.exe"), "evil\\xe2\\x80\\xaetxt.exe", "text: U+202E RLO escaped");
	text_is(LIT("\xe2\x81\xa6\xe2\x81\xa9"), "\\xe2\\x81\\xa6\\xe2\\x81\\xa9", "text: U+2066 LRI, U+2069 PDI");
	text_is(LIT("a\xe2\x80\x8b" "b\xef\xbb\xbf"), "a\\xe2\\x80\\x8bb\\xef\\xbb\\xbf", "text: zero-width space, BOM");
	text_is(LIT("\xd8\x9c\xc2\xad"), "\\xd8\\x9c\\xc2\\xad", "text: U+061C ALM, soft hyphen");
	text_is(LIT("\xe2\x80\xa8"), "\\xe2\\x80\\xa8", "text: U+2028 line separator");
	text_is(LIT("\xe2\x80\x90\xe2\x81\xa5"), "\xe2\x80\x90\xe2\x81\xa5", "text: U+2010 hyphen, U+2065 (unassigned) copied");
	dup = escape_text_dup("p\x1b]0;x\x07q");
	CHECK_STR(dup, "p\\x1b]0;x\\x07q", "text: escape_text_dup");
	free(dup);
}

static void test_utf8_valid(void)
{
	CHECK(utf8_valid(LIT("")), "utf8: empty is valid");
	CHECK(utf8_valid(LIT("a\0\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80")),
	      "utf8: ASCII, NUL, DEL and 2/3/4-byte sequences");
	CHECK(utf8_valid(LIT("\xc2\x9b")), "utf8: C1 control is valid UTF-8");
	CHECK(!utf8_valid(LIT("\xc0\xaf")), "utf8: overlong 2-byte rejected");
	CHECK(!utf8_valid(LIT("\xe0\x80\xaf")), "utf8: overlong 3-byte rejected");
	CHECK(!utf8_valid(LIT("\xed\xa0\x80")), "utf8: surrogate rejected");
	CHECK(!utf8_valid(LIT("\xf4\x90\x80\x80")), "utf8: above U+10FFFF rejected");
	CHECK(!utf8_valid(LIT("\xe2\x82")), "utf8: truncated rejected");
	CHECK(!utf8_valid(LIT("ab\x80")), "utf8: stray continuation rejected");
}

static void test_escape_json(void)
{
	json_is(LIT("plain /path"), "plain /path", false, "json: plain ASCII");
	json_is(LIT("a\"b\\c"), "a\\\"b\\\\c", false, "json: quote and backslash");
	json_is(LIT("\n\t\r\b\f"), "\\n\\t\\r\\b\\f", false, "json: short escapes");
	json_is(LIT("\x01\x1b[31m\x1f"), "\\u0001\\u001b[31m\\u001f", false, "json: C0 controls");
	json_is(LIT("a\0b"), "a\\u0000b", false, "json: embedded NUL");
	json_is(LIT("\x7f"), "\\u007f", false, "json: DEL");
	json_is(LIT("\xc2\x80\xc2\x9b\xc2\x9f"), "\\u0080\\u009b\\u009f", false, "json: C1 controls");
	json_is(LIT("\xe2\x80\xa8\xe2\x80\xa9"), "\\u2028\\u2029", false, "json: U+2028 U+2029");
	json_is(LIT("a\xe2\x80\xae" "b\xe2\x80\x8b"), "a\\u202eb\\u200b", false, "json: U+202E RLO, zero-width space");
	json_is(LIT("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		false, "json: 2/3/4-byte UTF-8 copied");
	json_is(LIT("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd", true, "json: overlong, one U+FFFD per byte");
	json_is(LIT("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", true, "json: surrogate");
	json_is(LIT("\xf4\x90\x80\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", true,
		"json: above U+10FFFF");
	json_is(LIT("x\xe2\x82"), "x\xef\xbf\xbd\xef\xbf\xbd", true, "json: truncated");
	json_is(LIT("\x80\""), "\xef\xbf\xbd\\\"", true, "json: stray continuation");
}

static void prom_is(const char *s, size_t len, const char *want, const char *what)
{
	struct strbuf sb;

	sb_init(&sb);
	escape_prom_label(&sb, s, len);
	CHECK_STR(sb.buf, want, what);
	sb_free(&sb);
}

/* Prometheus label values: the name as the text output shows it (every
 * control, invisible character and invalid byte as \xHH, backslash doubled),
 * then backslash and double quote escaped as the format requires. */
static void test_prom_label(void)
{
	prom_is(LIT("nginx"), "nginx", "prom: plain");
	prom_is(LIT("a\\b\"c\nd"), "a\\\\\\\\b\\\"c\\\\x0ad", "prom: backslash, quote, newline");
	prom_is(LIT("t\tx\x1b]0;t\x07"), "t\\\\x09x\\\\x1b]0;t\\\\x07", "prom: ESC, BEL, tab escaped");
	prom_is(LIT("\x7f\xc2\x9b"), "\\\\x7f\\\\xc2\\\\x9b", "prom: DEL, C1 CSI escaped");
	prom_is(LIT("x\xe2\x80\xaey"), "x\\\\xe2\\\\x80\\\\xaey", "prom: U+202E escaped");
	prom_is(LIT("caf\xc3\xa9"), "caf\xc3\xa9", "prom: UTF-8 copied");
	prom_is(LIT("a\xff\"b"), "a\\\\xff\\\"b", "prom: invalid byte, then a quote");
	prom_is(LIT("x\xe2\x82"), "x\\\\xe2\\\\x82", "prom: truncated sequence");
	prom_is(LIT(""), "", "prom: empty");
}

static void test_invisible(void)
{
	struct strbuf sb;

	sb_init(&sb);
	escape_invisible(&sb, LIT("evil\xe2\x80\xae" "txt\xe2\x80\x8b.exe"));
	CHECK_STR(sb.buf, "evil<U+202E>txt<U+200B>.exe", "invisible: RLO and zero-width space as <U+XXXX>");
	sb.len = 0;
	escape_invisible(&sb, LIT("a\\b\x1b\xff caf\xc3\xa9"));
	CHECK(sb.len == 11 && memcmp(sb.buf, "a\\b\x1b\xff caf\xc3\xa9", 11) == 0,
	      "invisible: backslash, controls, invalid bytes and UTF-8 left to the table layer");
	sb_free(&sb);
}

static void test_hex(void)
{
	struct strbuf sb;

	sb_init(&sb);
	hex_encode(&sb, LIT("\x00\xff" "Az"));
	CHECK_STR(sb.buf, "00ff417a", "hex: lowercase, NUL and 0xff");
	hex_encode(&sb, LIT(""));
	CHECK_STR(sb.buf, "00ff417a", "hex: empty input appends nothing");
	sb_free(&sb);
}

/* A writer onto memory; finish() closes it and hands back the text. */
struct capture {
	char *buf;
	size_t size;
	FILE *f;
	struct json *j;
};

static struct json *start(struct capture *c, bool pretty)
{
	c->buf = NULL;
	c->f = open_memstream(&c->buf, &c->size);
	c->j = json_new(c->f, pretty);
	return c->j;
}

static int finish(struct capture *c)
{
	int rc = json_free(c->j);

	fclose(c->f);
	return rc;
}

static void writer_is(struct capture *c, const char *want, const char *what)
{
	int rc = finish(c);
	char status[200];

	snprintf(status, sizeof(status), "%s: json_free returns 0", what);
	CHECK(rc == 0, status);
	CHECK_STR(c->buf, want, what);
	free(c->buf);
}

static void test_writer_compact(void)
{
	struct capture c;
	struct json *j = start(&c, false);

	json_object_begin(j);
	json_kv_int(j, "a", 1);
	json_key(j, "b");
	json_array_begin(j);
	json_bool(j, true);
	json_bool(j, false);
	json_null(j);
	json_string(j, "x");
	json_string(j, NULL);
	json_array_begin(j);
	json_array_end(j);
	json_object_begin(j);
	json_object_end(j);
	json_array_end(j);
	json_key(j, "c");
	json_object_begin(j);
	json_kv_int(j, "d", -5);
	json_kv_uint(j, "e", 18446744073709551615ULL);
	json_kv_null(j, "f");
	json_kv_bool(j, "g", true);
	json_object_end(j);
	json_kv_int(j, "min", INT64_MIN);
	json_kv_int(j, "zero", 0);
	json_kv_string(j, "k\"ey\n", "v\\al");
	json_key(j, "nul");
	json_string_len(j, LIT("a\0b"));
	json_object_end(j);
	writer_is(&c, "{\"a\":1,\"b\":[true,false,null,\"x\",null,[],{}],"
		  "\"c\":{\"d\":-5,\"e\":18446744073709551615,\"f\":null,\"g\":true},"
		  "\"min\":-9223372036854775808,\"zero\":0,\"k\\\"ey\\n\":\"v\\\\al\","
		  "\"nul\":\"a\\u0000b\"}\n", "writer: compact nested document");

	j = start(&c, false);
	json_uint(j, 42);
	writer_is(&c, "42\n", "writer: top-level scalar");
}

static void test_writer_pretty(void)
{
	struct capture c;
	struct json *j = start(&c, true);

	json_object_begin(j);
	json_kv_string(j, "name", "fdshare");
	json_key(j, "list");
	json_array_begin(j);
	json_int(j, 1);
	json_object_begin(j);
	json_kv_bool(j, "deep", false);
	json_object_end(j);
	json_array_end(j);
	json_key(j, "empty");
	json_array_begin(j);
	json_array_end(j);
	json_key(j, "obj");
	json_object_begin(j);
	json_object_end(j);
	json_object_end(j);
	writer_is(&c, "{\n"
		  "  \"name\": \"fdshare\",\n"
		  "  \"list\": [\n"
		  "    1,\n"
		  "    {\n"
		  "      \"deep\": false\n"
		  "    }\n"
		  "  ],\n"
		  "  \"empty\": [],\n"
		  "  \"obj\": {}\n"
		  "}\n", "writer: pretty document");
}

static void test_kv_bytes(void)
{
	struct capture c;
	struct json *j = start(&c, false);

	json_object_begin(j);
	json_kv_bytes(j, "path", LIT("/tmp/caf\xc3\xa9"));
	json_kv_bytes(j, "bad", LIT("/tmp/\xff\n"));
	json_kv_int(j, "after", 1);
	json_object_end(j);
	writer_is(&c, "{\"path\":\"/tmp/caf\xc3\xa9\","
		  "\"bad\":\"/tmp/\xef\xbf\xbd\\n\",\"bad_hex\":\"2f746d702fff0a\","
		  "\"after\":1}\n", "writer: kv_bytes adds _hex only for invalid UTF-8");

	j = start(&c, true);
	json_object_begin(j);
	json_kv_bytes(j, "p", LIT("\x80"));
	json_object_end(j);
	writer_is(&c, "{\n  \"p\": \"\xef\xbf\xbd\",\n  \"p_hex\": \"80\"\n}\n",
		  "writer: kv_bytes in pretty mode");
}

/* Run a sequence of calls that misuse the writer; it must report -1. */
static void misuse_is_error(void (*calls)(struct json *), const char *what)
{
	struct capture c;

	calls(start(&c, false));
	CHECK(finish(&c) == -1, what);
	free(c.buf);
}

static void value_without_key(struct json *j)
{
	json_object_begin(j);
	json_int(j, 1);
	json_object_end(j);
}

static void key_in_array(struct json *j)
{
	json_array_begin(j);
	json_key(j, "k");
	json_int(j, 1);
	json_array_end(j);
}

static void key_at_top(struct json *j)
{
	json_key(j, "k");
}

static void mismatched_end(struct json *j)
{
	json_object_begin(j);
	json_array_end(j);
}

static void unclosed(struct json *j)
{
	json_array_begin(j);
	json_object_begin(j);
}

static void extra_end(struct json *j)
{
	json_array_begin(j);
	json_array_end(j);
	json_array_end(j);
}

static void two_top_values(struct json *j)
{
	json_int(j, 1);
	json_int(j, 2);
}

static void key_then_end(struct json *j)
{
	json_object_begin(j);
	json_key(j, "k");
	json_object_end(j);
}

static void two_keys(struct json *j)
{
	json_object_begin(j);
	json_key(j, "k");
	json_key(j, "l");
	json_int(j, 1);
	json_object_end(j);
}

static void null_key(struct json *j)
{
	json_object_begin(j);
	json_kv_int(j, NULL, 1);
	json_object_end(j);
}

static void nothing(struct json *j)
{
	(void)j;
}

static void nest(struct json *j, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		json_array_begin(j);
	for (i = 0; i < depth; i++)
		json_array_end(j);
}

static void too_deep(struct json *j)
{
	nest(j, 65);
}

static void test_misuse(void)
{
	struct capture c;
	FILE *full;
	struct json *j;

	misuse_is_error(value_without_key, "misuse: value in object without key");
	misuse_is_error(key_in_array, "misuse: key inside array");
	misuse_is_error(key_at_top, "misuse: key at top level");
	misuse_is_error(mismatched_end, "misuse: object closed as array");
	misuse_is_error(unclosed, "misuse: containers left open");
	misuse_is_error(extra_end, "misuse: end with nothing open");
	misuse_is_error(two_top_values, "misuse: two top-level values");
	misuse_is_error(key_then_end, "misuse: key without value");
	misuse_is_error(two_keys, "misuse: two keys in a row");
	misuse_is_error(null_key, "misuse: NULL key");
	misuse_is_error(too_deep, "misuse: nesting deeper than 64");
	misuse_is_error(nothing, "misuse: empty document");

	j = start(&c, false);
	nest(j, 64);
	CHECK(finish(&c) == 0, "writer: nesting of 64 is accepted");
	free(c.buf);

	CHECK(json_free(NULL) == -1, "misuse: json_free(NULL)");

	full = fopen("/dev/full", "w");
	CHECK(full != NULL, "open /dev/full");
	if (full) {
		j = json_new(full, false);
		json_string(j, "no space left");
		CHECK(json_free(j) == -1, "writer: write error is reported");
		fclose(full);
	}
}

/* Arbitrary bytes of random length from a fixed-seed generator. */
static size_t random_bytes(char *buf, size_t max, unsigned long long *state)
{
	size_t n, i;

	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	n = (size_t)(*state >> 33) % max;
	for (i = 0; i < n; i++) {
		*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
		buf[i] = (char)(*state >> 56);
	}
	return n;
}

/* The big document for jq: every byte value alone and together, as values
 * and as keys, plus random byte strings. */
static void write_big_document(struct json *j)
{
	char buf[256], key[2] = { 0, 0 };
	unsigned long long state = 1;
	int i;

	json_object_begin(j);
	json_key(j, "single");
	json_array_begin(j);
	for (i = 0; i < 256; i++) {
		buf[0] = (char)i;
		json_string_len(j, buf, 1);
	}
	json_array_end(j);
	json_key(j, "keys");
	json_object_begin(j);
	for (i = 1; i < 256; i++) {
		key[0] = (char)i;
		json_kv_bytes(j, key, key, 1);
	}
	json_object_end(j);
	for (i = 0; i < 256; i++)
		buf[i] = (char)i;
	json_kv_bytes(j, "all", buf, 256);
	json_key(j, "random");
	json_array_begin(j);
	for (i = 0; i < 5000; i++) {
		size_t n = random_bytes(buf, sizeof(buf), &state);
		json_object_begin(j);
		json_kv_bytes(j, "s", buf, n);
		json_kv_int(j, "i", (long long)state);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

/* jq's exit status for a filter run over file; its stdout goes to out. */
static int run_jq(const char *filter, const char *file, char *out, size_t *outlen)
{
	char cmd[512];
	FILE *p;
	size_t n = 0;

	snprintf(cmd, sizeof(cmd), "jq %s '%s' '%s'", out ? "-j" : "-e", filter, file);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	if (out)
		n = fread(out, 1, *outlen, p);
	else
		while (fgetc(p) != EOF)
			;
	if (outlen)
		*outlen = n;
	return pclose(p);
}

/* jq repairs invalid UTF-8 rather than rejecting it, so the document's bytes
 * are checked here too: valid UTF-8, and no raw control but newlines. */
static bool file_is_clean(const char *path)
{
	FILE *f = fopen(path, "r");
	struct strbuf sb;
	char chunk[65536];
	size_t n, i;
	bool ok;

	if (f == NULL)
		return false;
	sb_init(&sb);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_add(&sb, chunk, n);
	fclose(f);
	ok = sb.len > 0 && utf8_valid(sb.buf, sb.len);
	for (i = 0; ok && i < sb.len; i++) {
		unsigned char c = (unsigned char)sb.buf[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			ok = false;
	}
	sb_free(&sb);
	return ok;
}

static void test_jq(bool pretty)
{
	char path[] = "/tmp/unit_escape_json.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	struct json *j;

	if (f == NULL) {
		CHECK(f != NULL, "jq: temporary file");
		return;
	}
	j = json_new(f, pretty);
	write_big_document(j);
	CHECK(json_free(j) == 0, pretty ? "jq: big pretty document written" :
	      "jq: big compact document written");
	fclose(f);
	CHECK(file_is_clean(path), pretty ? "jq: pretty document is UTF-8 without raw controls" :
	      "jq: compact document is UTF-8 without raw controls");
	CHECK(run_jq(".", path, NULL, NULL) == 0,
	      pretty ? "jq: accepts big pretty document" : "jq: accepts big compact document");
	unlink(path);
}

/* A valid UTF-8 string must come back from a real parser byte for byte. */
static void test_jq_roundtrip(void)
{
	char path[] = "/tmp/unit_escape_json.XXXXXX";
	char in[256], out[512];
	size_t n = 0, outlen = sizeof(out);
	int fd = mkstemp(path), c;
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	struct json *j;

	if (f == NULL) {
		CHECK(f != NULL, "jq roundtrip: temporary file");
		return;
	}
	for (c = 0; c < 0x80; c++)
		in[n++] = (char)c;
	memcpy(in + n, LIT("\xc2\x80\xc2\x9b\xc3\xa9\xe2\x80\xa8\xe2\x80\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
	n += sizeof("\xc2\x80\xc2\x9b\xc3\xa9\xe2\x80\xa8\xe2\x80\xa9\xe2\x82\xac\xf0\x9f\x98\x80") - 1;
	j = json_new(f, false);
	CHECK(!json_string_len(j, in, n), "jq roundtrip: valid input needs no replacement");
	CHECK(json_free(j) == 0, "jq roundtrip: written");
	fclose(f);
	CHECK(run_jq(".", path, out, &outlen) == 0, "jq roundtrip: jq ran");
	CHECK(outlen == n && memcmp(in, out, n) == 0, "jq roundtrip: decoded bytes equal input");
	unlink(path);
}

/* The writer copies plain bytes itself and hands escape_json() only the rest:
 * its strings must be exactly '"' + escape_json(whole string) + '"', for every
 * length (across its 8-byte words and its 64 KiB buffer, and longer than
 * that) and wherever the first byte to escape falls.  json_string (NUL
 * terminated) and json_string_len must agree, and keys are written the same. */
static void test_writer_strings_as_escape_json(void)
{
	static const size_t lens[] = { 0, 1, 7, 8, 9, 15, 16, 17, 127, 128, 129, 65533,
				       65534, 65535, 65536, 65537, 200000 };
	static const unsigned char hostile[] = { '"', '\\', '\n', 0x01, 0x1f, 0x7f, 0x80, 0xc2,
						 0xe2, 0xff, 0x20, 0x7e, 0x21, 0x5b, 0x5d, 0x00 };
	unsigned seed = 12345;
	size_t li, at, bad = 0, cases = 0;

	for (li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
		size_t len = lens[li];
		for (at = 0; at <= len && at < 24; at++) {
			size_t where[2] = { at, len > at ? len - 1 - at : 0 };
			for (int w = 0; w < 2; w++) {
				char *s = xmalloc(len + 1);
				struct strbuf want;
				struct capture c;
				struct json *j;
				size_t i;

				for (i = 0; i < len; i++)
					s[i] = (char)('a' + (seed = seed * 1103515245 + 12345) % 26);
				if (len > 0) {
					seed = seed * 1103515245 + 12345;
					s[where[w]] = (char)hostile[seed % sizeof(hostile)];
				}
				s[len] = '\0';
				sb_init(&want);
				sb_adds(&want, "{\"");
				escape_json(&want, s, len);
				sb_adds(&want, "\":[\"");
				escape_json(&want, s, len);
				sb_adds(&want, "\",\"");
				escape_json(&want, s, strlen(s));
				sb_adds(&want, "\"]}");
				j = start(&c, false);
				json_object_begin(j);
				json_key(j, strlen(s) == len ? s : "");
				if (strlen(s) != len) {
					/* a NUL inside: the key is empty, want the same */
					want.len = 0;
					sb_adds(&want, "{\"\":[\"");
					escape_json(&want, s, len);
					sb_adds(&want, "\",\"");
					escape_json(&want, s, strlen(s));
					sb_adds(&want, "\"]}");
				}
				json_array_begin(j);
				json_string_len(j, s, len);
				json_string(j, s);
				json_array_end(j);
				json_object_end(j);
				finish(&c);
				sb_adds(&want, "\n");
				cases++;
				if (c.size != want.len || memcmp(c.buf, want.buf, want.len) != 0)
					bad++;
				free(c.buf);
				sb_free(&want);
				free(s);
			}
		}
	}
	CHECK(cases > 500, "writer strings: cases were made");
	CHECK(bad == 0, "writer strings: every length and position as escape_json writes it");
}

/* One document, written by doc(j, parts): straight when parts is NULL, else
 * with some pieces made in memory writers (json_rebase from j where they
 * go, json_append after) and with quoted keys.  Both must be the same bytes. */
static void doc_part(struct json *j, struct json *m, bool use, void (*piece)(struct json *))
{
	if (!use) {
		piece(j);
		return;
	}
	json_rebase(m, j);
	piece(m);
	json_append(j, m);
}

static void piece_elements(struct json *j)
{
	json_int(j, 2);
	json_object_begin(j);
	json_kv_string(j, "k\"ey\n", "v");
	json_key(j, "list");
	json_array_begin(j);
	json_array_end(j);
	json_object_end(j);
}

static void piece_none(struct json *j)
{
	(void)j;
}

static void piece_members(struct json *j)
{
	json_kv_int(j, "m", -1);
	json_kv_bytes(j, "p", LIT("a\xff"));
}

static void piece_value(struct json *j)
{
	json_array_begin(j);
	json_string(j, "x");
	json_array_end(j);
}

static void doc(struct json *j, struct json *m)
{
	struct json_qkey q;
	bool use = m != NULL;

	json_object_begin(j);
	json_key(j, "first");
	json_array_begin(j);
	doc_part(j, m, use, piece_elements);     /* into an empty array */
	doc_part(j, m, use, piece_none);         /* nothing: no comma */
	doc_part(j, m, use, piece_elements);     /* after elements: a comma */
	json_array_end(j);
	json_key(j, "empty");
	json_array_begin(j);
	doc_part(j, m, use, piece_none);
	json_array_end(j);
	doc_part(j, m, use, piece_members);      /* members of an object */
	json_key(j, "value");
	doc_part(j, m, use, piece_value);        /* a pending key's value */
	if (use && json_qkey_make(&q, "k\"ey\n"))
		json_key_quoted(j, &q);
	else
		json_key(j, "k\"ey\n");
	json_int(j, 7);
	json_object_end(j);
}

static void test_parts(bool pretty)
{
	struct capture straight, parts;
	struct json *m = json_new_memory(pretty);
	char what[120];

	doc(start(&straight, pretty), NULL);
	finish(&straight);
	doc(start(&parts, pretty), m);
	snprintf(what, sizeof(what), "writer%s: parts made in memory writers and appended, "
		 "quoted keys: the same bytes as written straight", pretty ? " (pretty)" : "");
	writer_is(&parts, straight.buf, what);
	free(straight.buf);
	json_free(m);
}

/* Appending where the part was not rebased from fails the writer. */
static void test_append_misuse(void)
{
	struct capture c;
	struct json *j = start(&c, false), *m = json_new_memory(false), *open = json_new_memory(false);
	struct json_qkey q;

	json_array_begin(j);
	json_rebase(m, j);
	json_rebase(open, j);
	json_int(m, 1);
	json_object_begin(open);                 /* left open */
	CHECK(json_can_append(j, m), "append: a part rebased here fits here");
	CHECK(!json_can_append(j, open), "append: a part that left a container open does not fit");
	json_object_begin(j);
	CHECK(!json_can_append(j, m), "append: a part of an array does not fit into an object");
	json_append(j, m);
	json_object_end(j);
	json_array_end(j);
	CHECK(finish(&c) != 0, "append: at the wrong place the document fails");
	free(c.buf);
	json_free(m);
	json_free(open);

	j = start(&c, false);
	json_array_begin(j);
	CHECK(json_qkey_make(&q, "k"), "quoted key: made");
	json_key_quoted(j, &q);
	json_array_end(j);
	CHECK(finish(&c) != 0, "quoted key: in an array the document fails");
	free(c.buf);
}

static void digits_are(unsigned long long v, unsigned base, const char *want)
{
	char buf[32], what[80];

	buf[sizeof(buf) - 1] = '\0';
	snprintf(what, sizeof(what), "fmt_digits %llu base %u", v, base);
	CHECK_STR(fmt_digits(buf + sizeof(buf) - 1, v, base), want, what);
}

static void test_fmt_digits(void)
{
	digits_are(0, 10, "0");
	digits_are(7, 10, "7");
	digits_are(1234567890, 10, "1234567890");
	digits_are(18446744073709551615ULL, 10, "18446744073709551615");
	digits_are(0, 8, "0");
	digits_are(02100002, 8, "2100002");
	digits_are(18446744073709551615ULL, 8, "1777777777777777777777");
	digits_are(0xbeef, 16, "beef");
}

int main(void)
{
	test_parts(false);
	test_parts(true);
	test_append_misuse();
	test_fmt_digits();
	test_escape_text();
	test_utf8_valid();
	test_escape_json();
	test_hex();
	test_prom_label();
	test_invisible();
	test_writer_compact();
	test_writer_pretty();
	test_kv_bytes();
	test_writer_strings_as_escape_json();
	test_misuse();
	test_jq(false);
	test_jq(true);
	test_jq_roundtrip();
	return check_done();
}
