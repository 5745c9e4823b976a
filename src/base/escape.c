/* escape.c - strict UTF-8 decoding and the escapers built on it: one for
 * terminals (lossless, "\xHH" for anything unsafe), one for JSON string
 * bodies (U+FFFD for invalid bytes), and hex encoding.
 *
 * Safe bytes are copied in runs rather than one at a time: the escapers run
 * once per string of every process on the system. */
#include "base/escape.h"

#include <string.h>

static const char hexdigits[] = "0123456789abcdef";

/* Length of the well-formed UTF-8 sequence at s (1 to 4), storing its code
 * point in *cp, or 0 when the lead byte does not start one.  The lo/hi bounds
 * on the second byte are what reject overlongs, surrogates and values above
 * U+10FFFF (Unicode table 3-7). */
static size_t utf8_seq(const unsigned char *s, size_t len, unsigned *cp)
{
	unsigned c = s[0], lo = 0x80, hi = 0xbf, v;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xc2 || c > 0xf4)
		return 0;
	if (c < 0xe0) {
		n = 2;
		v = c & 0x1f;
	} else if (c < 0xf0) {
		n = 3;
		v = c & 0x0f;
		lo = c == 0xe0 ? 0xa0 : 0x80;
		hi = c == 0xed ? 0x9f : 0xbf;
	} else {
		n = 4;
		v = c & 0x07;
		lo = c == 0xf0 ? 0x90 : 0x80;
		hi = c == 0xf4 ? 0x8f : 0xbf;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
		v = v << 6 | (s[i] & 0x3f);
	}
	*cp = v;
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_seq(p + i, len - i, &cp);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

static void add_xhex(struct strbuf *out, unsigned char c)
{
	char e[4] = { '\\', 'x', hexdigits[c >> 4], hexdigits[c & 15] };

	sb_add(out, e, sizeof(e));
}

/* Characters that are printable by Unicode's rules but change how the text
 * around them is shown: bidirectional controls (U+202E turns "exe.txt"
 * into "txt.exe"), zero-width and invisible characters, and the line and
 * paragraph separators.  Names show them escaped, never raw. */
static bool invisible_format(unsigned cp)
{
	return cp == 0xad || cp == 0x61c || cp == 0x180e || (cp >= 0x200b && cp <= 0x200f) ||
		(cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
		(cp >= 0x2066 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

void escape_text(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, n, k;
	unsigned cp;

	while (i < len) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\') {
			i++;
			continue;
		}
		n = p[i] >= 0x80 ? utf8_seq(p + i, len - i, &cp) : 0;
		if (n > 0 && cp > 0x9f && !invisible_format(cp)) {
			i += n;
			continue;
		}
		sb_add(out, s + run, i - run);
		if (p[i] == '\\') {
			sb_add(out, "\\\\", 2);
			i++;
		} else if (n > 0) {
			/* a C1 control or an invisible character: every byte of
			 * it, so it stays visibly one character */
			for (k = 0; k < n; k++)
				add_xhex(out, p[i + k]);
			i += n;
		} else {
			add_xhex(out, p[i]);
			i++;
		}
		run = i;
	}
	sb_add(out, s + run, i - run);
}

void escape_invisible(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, n;
	unsigned cp;

	while (i < len) {
		n = p[i] >= 0x80 ? utf8_seq(p + i, len - i, &cp) : 0;
		if (n == 0 || !invisible_format(cp)) {
			i += n ? n : 1;
			continue;
		}
		sb_add(out, s + run, i - run);
		sb_printf(out, "<U+%04X>", cp);
		i += n;
		run = i;
	}
	sb_add(out, s + run, i - run);
}

char *escape_text_dup(const char *s)
{
	struct strbuf sb;

	sb_init(&sb);
	escape_text(&sb, s, strlen(s));
	return sb_detach(&sb);
}

/* The escape for a character JSON (or a JavaScript consumer) cannot take
 * raw; NULL when cp may be copied as is. */
static const char *json_short_escape(unsigned cp)
{
	switch (cp) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\n': return "\\n";
	case '\t': return "\\t";
	case '\r': return "\\r";
	case '\b': return "\\b";
	case '\f': return "\\f";
	}
	return NULL;
}

static bool json_needs_escape(unsigned cp)
{
	return cp < 0x20 || cp == '"' || cp == '\\' || (cp >= 0x7f && cp <= 0x9f) ||
		invisible_format(cp);
}

static void add_uhex(struct strbuf *out, unsigned cp)
{
	char e[6] = { '\\', 'u', hexdigits[cp >> 12 & 15], hexdigits[cp >> 8 & 15],
		hexdigits[cp >> 4 & 15], hexdigits[cp & 15] };

	sb_add(out, e, sizeof(e));
}

bool escape_json(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, n;
	unsigned cp;
	bool replaced = false;
	const char *e;

	while (i < len) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\') {
			i++;
			continue;
		}
		n = utf8_seq(p + i, len - i, &cp);
		if (n > 0 && !json_needs_escape(cp)) {
			i += n;
			continue;
		}
		sb_add(out, s + run, i - run);
		if (n == 0) {
			sb_add(out, "\xef\xbf\xbd", 3);
			replaced = true;
			n = 1;
		} else if ((e = json_short_escape(cp)) != NULL) {
			sb_adds(out, e);
		} else {
			add_uhex(out, cp);
		}
		i += n;
		run = i;
	}
	sb_add(out, s + run, i - run);
	return replaced;
}

void escape_prom_label(struct strbuf *out, const char *s, size_t len)
{
	struct strbuf shown;
	size_t i, run = 0;

	sb_init(&shown);
	escape_text(&shown, s, len);
	/* what escape_text leaves holds no newline: only these two remain */
	for (i = 0; i < shown.len; i++) {
		if (shown.buf[i] != '"' && shown.buf[i] != '\\')
			continue;
		sb_add(out, shown.buf + run, i - run);
		sb_add(out, "\\", 1);
		run = i;
	}
	sb_add(out, shown.buf + run, shown.len - run);
	sb_free(&shown);
}

void hex_encode(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	char *d;
	size_t i;

	grow_array((void **)&out->buf, &out->cap, out->len + 2 * len + 1, 1);
	d = out->buf + out->len;
	for (i = 0; i < len; i++) {
		*d++ = hexdigits[p[i] >> 4];
		*d++ = hexdigits[p[i] & 15];
	}
	*d = '\0';
	out->len += 2 * len;
}
