/* promcheck.c - a strict checker of the Prometheus text exposition format
 * (version 0.0.4), for the tests of fdshare --prometheus where promtool is
 * not installed (Debian's prometheus package is ~100 MB).
 *
 *   promcheck FILE      exit 0 and "ok: N families, M samples", or exit 1
 *                       with "FILE:LINE: what is wrong" for each error
 *
 * The format, as the reference parser (expfmt) reads it:
 *   - lines end in '\n', the last one too; empty lines are ignored;
 *   - "# HELP name text": text escapes only "\\" and "\n";
 *   - "# TYPE name counter|gauge|histogram|summary|untyped", at most once
 *     per name and before its first sample; other "#" lines are comments;
 *   - samples: name[{label="value",...}] value [timestamp] with names
 *     [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* (not
 *     "__..." and not twice in one sample), values escaping only "\\", "\""
 *     and "\n", a trailing comma allowed; value a float (NaN, +Inf, -Inf
 *     too); timestamp an integer;
 *   - everything valid UTF-8.
 * Stricter than the format in one more way: no raw control character
 * (below 0x20, or DEL) in a label value.
 * Stricter than expfmt, as promtool's lint is: every family has HELP and
 * TYPE, a family's lines are contiguous, no series appears twice, and a
 * counter/gauge/untyped family's samples carry exactly its name. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FAMILIES 1024
#define MAX_SERIES 65536

struct family {
	char name[256];
	char type[16];
	bool help, typed, sampled, closed;
};

static struct family fams[MAX_FAMILIES];
static size_t nfams;
static char *series[MAX_SERIES];
static size_t nseries, nsamples;
static const char *file;
static int line_no, errors;

static void err(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s:%d: ", file, line_no);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	errors++;
}

/* Strict UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
static bool utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	unsigned c, lo, hi;

	while (i < n) {
		c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c < 0xc2 || c > 0xf4)
			return false;
		len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
		if (i + len > n)
			return false;
		for (k = 1; k < len; k++, lo = 0x80, hi = 0xbf)
			if (s[i + k] < lo || s[i + k] > hi)
				return false;
		i += len;
	}
	return true;
}

static bool name_start(int c, bool colon) { return isalpha(c) || c == '_' || (colon && c == ':'); }
static bool name_char(int c, bool colon) { return isalnum(c) || c == '_' || (colon && c == ':'); }

/* A metric (colon true) or label name at *p; copied into out. */
static bool take_name(const char **p, bool colon, char *out, size_t cap)
{
	size_t n = 0;

	if (!name_start((unsigned char)**p, colon))
		return false;
	while (name_char((unsigned char)**p, colon)) {
		if (n + 1 < cap)
			out[n++] = **p;
		(*p)++;
	}
	out[n] = '\0';
	return n + 1 < cap;
}

static void skip_blanks(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

static struct family *find(const char *name)
{
	size_t i;

	for (i = 0; i < nfams; i++)
		if (strcmp(fams[i].name, name) == 0)
			return &fams[i];
	return NULL;
}

/* The family a new HELP/TYPE/sample line of name belongs to; closes the
 * previous one (a family's lines must be contiguous). */
static struct family *enter(const char *name)
{
	struct family *f = find(name);

	if (f && f->closed) {
		err("lines of family %s are not contiguous", name);
		return f;
	}
	if (nfams && &fams[nfams - 1] != f)
		fams[nfams - 1].closed = true;
	if (!f) {
		if (nfams == MAX_FAMILIES) {
			err("too many families%s", "");
			return &fams[0];
		}
		f = &fams[nfams++];
		snprintf(f->name, sizeof(f->name), "%s", name);
	}
	return f;
}

static void help_line(const char *p)
{
	char name[256];
	struct family *f;

	if (!take_name(&p, true, name, sizeof(name)) || (*p != ' ' && *p != '\t' && *p)) {
		err("HELP without a valid metric name%s", "");
		return;
	}
	f = enter(name);
	if (f->help)
		err("second HELP for %s", name);
	f->help = true;
	for (; *p; p++)
		if (*p == '\\' && (p[1] == '\\' || p[1] == 'n'))
			p++;
		else if (*p == '\\')
			err("HELP text of %s has an escape other than \\\\ or \\n", name);
}

static void type_line(const char *p)
{
	static const char *const types[] = { "counter", "gauge", "histogram", "summary", "untyped" };
	char name[256];
	struct family *f;
	size_t i;

	if (!take_name(&p, true, name, sizeof(name)) || (*p != ' ' && *p != '\t')) {
		err("TYPE without a valid metric name%s", "");
		return;
	}
	skip_blanks(&p);
	for (i = 0; i < sizeof(types) / sizeof(types[0]) && strcmp(p, types[i]) != 0; i++)
		;
	if (i == sizeof(types) / sizeof(types[0]))
		err("unknown TYPE '%s'", p);
	f = enter(name);
	if (f->typed)
		err("second TYPE for %s", name);
	if (f->sampled)
		err("TYPE for %s after its samples", name);
	f->typed = true;
	snprintf(f->type, sizeof(f->type), "%s", p);
}

static void comment_line(const char *p)
{
	skip_blanks(&p);
	if (strncmp(p, "HELP", 4) == 0 && (p[4] == ' ' || p[4] == '\t')) {
		p += 4;
		skip_blanks(&p);
		help_line(p);
	} else if (strncmp(p, "TYPE", 4) == 0 && (p[4] == ' ' || p[4] == '\t')) {
		p += 4;
		skip_blanks(&p);
		type_line(p);
	}
}

/* label="value" pairs up to '}'; appends a canonical form to key. */
static bool labels(const char **p, char *key, size_t cap)
{
	char names[64][128], name[128];
	size_t n = 0, i, len;

	(*p)++;
	for (;;) {
		skip_blanks(p);
		if (**p == '}')
			break;
		if (!take_name(p, false, name, sizeof(name)))
			return err("bad label name%s", ""), false;
		if (name[0] == '_' && name[1] == '_')
			err("reserved label name %s", name);
		for (i = 0; i < n; i++)
			if (strcmp(names[i], name) == 0)
				err("label %s twice", name);
		if (n < 64)
			snprintf(names[n++], sizeof(names[0]), "%s", name);
		skip_blanks(p);
		if (*(*p)++ != '=')
			return err("no '=' after label %s", name), false;
		skip_blanks(p);
		if (*(*p)++ != '"')
			return err("label %s: value not quoted", name), false;
		len = strlen(key);
		snprintf(key + len, cap - len, "%s=\"", name);
		for (; **p && **p != '"'; (*p)++) {
			if (**p == '\\') {
				(*p)++;
				if (**p != '\\' && **p != '"' && **p != 'n')
					return err("label %s: bad escape", name), false;
			} else if (**p == '\n') {
				return err("label %s: raw newline", name), false;
			} else if ((unsigned char)**p < 0x20 || **p == 0x7f) {
				/* legal in the format, but a terminal or a dashboard
				 * would act on it: fdshare never writes one */
				return err("label %s: raw control character", name), false;
			}
			len = strlen(key);
			if (len + 2 < cap) {
				key[len] = **p;
				key[len + 1] = '\0';
			}
		}
		if (*(*p)++ != '"')
			return err("label %s: unterminated value", name), false;
		len = strlen(key);
		snprintf(key + len, cap - len, "\",");
		skip_blanks(p);
		if (**p == ',')
			(*p)++;
		else if (**p != '}')
			return err("expected ',' or '}' after label %s", name), false;
	}
	(*p)++;
	return true;
}

/* [+-]?(digits[.digits]|.digits)([eE][+-]?digits)?, or NaN, +Inf, -Inf. */
static bool float_ok(const char *s)
{
	size_t digits = 0;

	if (!strcmp(s, "NaN") || !strcmp(s, "+Inf") || !strcmp(s, "-Inf"))
		return true;
	if (*s == '+' || *s == '-')
		s++;
	for (; isdigit((unsigned char)*s); s++)
		digits++;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			digits++;
	if (!digits)
		return false;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

static bool int_ok(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static void add_series(const char *key)
{
	size_t i;

	for (i = 0; i < nseries; i++)
		if (strcmp(series[i], key) == 0) {
			err("series %s appears twice", key);
			return;
		}
	if (nseries < MAX_SERIES)
		series[nseries++] = strdup(key);
}

static void sample_line(const char *p)
{
	char name[256], key[4096], value[64], ts[64];
	const char *q;
	struct family *f;
	size_t n;

	if (!take_name(&p, true, name, sizeof(name))) {
		err("bad metric name%s", "");
		return;
	}
	f = enter(name);
	if (!f->typed || !f->help)
		err("sample of %s without HELP and TYPE before it", name);
	if (f->typed && strcmp(f->type, "histogram") && strcmp(f->type, "summary") &&
	    strcmp(f->name, name))
		err("sample %s in another family", name);
	f->sampled = true;
	snprintf(key, sizeof(key), "%s{", name);
	q = p;
	skip_blanks(&p);
	if (*p == '{') {
		if (!labels(&p, key, sizeof(key)))
			return;
		skip_blanks(&p);
	} else if (p == q) {
		err("no blank between %s and its value", name);
		return;
	}
	strncat(key, "}", sizeof(key) - strlen(key) - 1);
	n = strcspn(p, " \t");
	if (n == 0 || n >= sizeof(value)) {
		err("no value for %s", name);
		return;
	}
	memcpy(value, p, n);
	value[n] = '\0';
	if (!float_ok(value))
		err("bad value '%s'", value);
	p += n;
	skip_blanks(&p);
	if (*p) {
		n = strcspn(p, " \t");
		snprintf(ts, sizeof(ts), "%.*s", (int)(n < 63 ? n : 63), p);
		p += n;
		skip_blanks(&p);
		if (!int_ok(ts) || *p)
			err("bad timestamp or trailing text '%s'", ts);
	}
	add_series(key);
	nsamples++;
}

int main(int argc, char **argv)
{
	static char buf[1 << 22];
	size_t len, i, start;
	FILE *in;

	if (argc != 2) {
		fprintf(stderr, "usage: promcheck FILE\n");
		return 2;
	}
	file = argv[1];
	in = fopen(file, "rb");
	if (!in) {
		perror(file);
		return 2;
	}
	len = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	buf[len] = '\0';
	if (len == 0 || buf[len - 1] != '\n') {
		line_no = 0;
		err("%s", len ? "the last line does not end in a newline" : "empty");
	}
	if (memchr(buf, '\0', len) || !utf8_ok((const unsigned char *)buf, len))
		err("%s", "not valid UTF-8 (or holds a NUL byte)");
	for (start = 0, i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		buf[i] = '\0';
		line_no++;
		if (buf[start] == '#')
			comment_line(buf + start + 1);
		else if (buf[start])
			sample_line(buf + start);
		start = i + 1;
	}
	for (i = 0; i < nfams; i++)
		if (!fams[i].help || !fams[i].typed) {
			line_no = 0;
			err("family %s lacks HELP or TYPE", fams[i].name);
		}
	for (i = 0; i < nseries; i++)
		free(series[i]);
	if (errors)
		return 1;
	printf("ok: %zu families, %zu samples\n", nfams, nsamples);
	return 0;
}
