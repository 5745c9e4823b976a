/* lockparse.c - parse the kernel's lock lines (see lockparse.h).
 *
 * The kernel (fs/locks.c, lock_get_status) prints one lock per line:
 *
 *     ID: KIND MODE TYPE PID MAJ:MIN:INO START END
 *     1: POSIX  ADVISORY  WRITE 16712 fe:00:10953121 0 3
 *     2: FLOCK  ADVISORY  WRITE 0 fe:00:10953056 0 EOF
 *     3: OFDLCK ADVISORY  READ -1 fe:00:10953169 10 EOF
 *     4: LEASE  ACTIVE    READ 880 08:01:1234 0 EOF
 *     4: -> FLOCK  ADVISORY  WRITE 8 fe:00:10953056 0 EOF
 *     4:  -> FLOCK  ADVISORY  READ 9 fe:00:10953056 0 EOF
 *
 * KIND is POSIX, OFDLCK, FLOCK, LEASE, DELEG (or ACCESS, LAYOUT, UNKNOWN:
 * kept as "other"); MODE is ADVISORY, MANDATORY, *NOINODE* for POSIX-style
 * locks, ACTIVE, BREAKING or BREAKER for leases; TYPE is READ, WRITE or
 * UNLCK.  Columns are padded with several spaces.  A request waiting for a
 * lock follows it with "-> " after the id, right-aligned in a field that
 * grows by one space per level of nesting.  MAJ and MIN are hex, INO
 * decimal; "<none>:0" stands for a lock without an inode.  END is "EOF" or
 * the last byte (inclusive).  PID is the reader's pid namespace's: -1 for
 * OFD locks, 0 when the pid is not visible there.  fdinfo prints the same
 * text after "lock:\t" for the locks taken through that file. */
#include "scan/lockparse.h"
#include "base/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct cursor { const char *s, *end; };

static void skip_blanks(struct cursor *c)
{
	while (c->s < c->end && (*c->s == ' ' || *c->s == '\t'))
		c->s++;
}

/* The next run of non-blank bytes (at most cap-1) into tok; 0 or -1. */
static int token(struct cursor *c, char *tok, size_t cap)
{
	size_t n = 0;

	skip_blanks(c);
	while (c->s < c->end && *c->s != ' ' && *c->s != '\t') {
		if (n + 1 >= cap)
			return -1;
		tok[n++] = *c->s++;
	}
	tok[n] = '\0';
	return n ? 0 : -1;
}

static int to_ll(const char *tok, int base, long long *out)
{
	char *end;

	if (!*tok || (base != 10 && (*tok == '-' || *tok == '+')))
		return -1;
	errno = 0;
	*out = strtoll(tok, &end, base);
	return errno || *end ? -1 : 0;
}

static int to_ull(const char *tok, int base, unsigned long long *out)
{
	char *end;

	if (!*tok || *tok == '-' || *tok == '+' || *tok == ' ')
		return -1;
	errno = 0;
	*out = strtoull(tok, &end, base);
	return errno || *end ? -1 : 0;
}

static int parse_kind(const char *tok, enum lk_kind *k)
{
	static const struct { const char *name; enum lk_kind kind; } kinds[] = {
		{ "POSIX", LK_POSIX }, { "OFDLCK", LK_OFD }, { "FLOCK", LK_FLOCK },
		{ "LEASE", LK_LEASE }, { "DELEG", LK_DELEG }, { "ACCESS", LK_OTHER },
		{ "LAYOUT", LK_OTHER }, { "UNKNOWN", LK_OTHER },
	};
	size_t i;

	for (i = 0; i < ARRAY_LEN(kinds); i++)
		if (strcmp(tok, kinds[i].name) == 0) {
			*k = kinds[i].kind;
			return 0;
		}
	return -1;
}

static int parse_type(const char *tok, enum lk_type *t)
{
	if (strcmp(tok, "READ") == 0)
		*t = LK_READ;
	else if (strcmp(tok, "WRITE") == 0)
		*t = LK_WRITE;
	else if (strcmp(tok, "UNLCK") == 0)
		*t = LK_UNLCK;
	else
		return -1;
	return 0;
}

/* "fe:00:10953121" (hex:hex:decimal) or "<none>:0". */
static int parse_file(const char *tok, struct lock_line *out)
{
	char part[3][32];
	const char *p = tok, *colon;
	unsigned long long v[3];
	int i;

	if (strcmp(tok, "<none>:0") == 0) {
		out->have_inode = false;
		return 0;
	}
	for (i = 0; i < 3; i++) {
		colon = i < 2 ? strchr(p, ':') : p + strlen(p);
		if (!colon || (size_t)(colon - p) >= sizeof(part[i]) || colon == p)
			return -1;
		memcpy(part[i], p, (size_t)(colon - p));
		part[i][colon - p] = '\0';
		if (to_ull(part[i], i < 2 ? 16 : 10, &v[i]) < 0)
			return -1;
		p = colon + 1;
	}
	if (v[0] > UINT_MAX || v[1] > UINT_MAX)
		return -1;
	out->have_inode = true;
	out->major = (unsigned)v[0];
	out->minor = (unsigned)v[1];
	out->ino = v[2];
	return 0;
}

/* "ID:" then, for a waiter, blanks and "->"; sets id and depth. */
static int parse_head(struct cursor *c, struct lock_line *out)
{
	char tok[32];
	size_t n, blanks = 0;

	if (token(c, tok, sizeof(tok)) < 0 || (n = strlen(tok)) < 2 || tok[n - 1] != ':')
		return -1;
	tok[n - 1] = '\0';
	if (to_ll(tok, 10, &out->id) < 0 || out->id < 0)
		return -1;
	while (c->s + blanks < c->end && c->s[blanks] == ' ')
		blanks++;
	out->depth = 0;
	if (c->end - c->s >= (long)blanks + 2 && strncmp(c->s + blanks, "->", 2) == 0) {
		/* one blank always follows "ID:"; each further one is a level */
		out->depth = blanks >= 1 && blanks < 1000 ? (int)blanks : 1;
		c->s += blanks + 2;
	}
	return 0;
}

int lock_line_parse(const char *s, size_t len, struct lock_line *out)
{
	struct cursor c = { s, s + len };
	char tok[64];
	long long v;

	memset(out, 0, sizeof(*out));
	while (c.end > c.s && (c.end[-1] == '\n' || c.end[-1] == ' ' || c.end[-1] == '\t'))
		c.end--;
	if (memchr(s, '\0', (size_t)(c.end - c.s)) || memchr(s, '\n', (size_t)(c.end - c.s)))
		return -1;
	if (parse_head(&c, out) < 0)
		return -1;
	if (token(&c, tok, sizeof(tok)) < 0 || parse_kind(tok, &out->kind) < 0)
		return -1;
	if (token(&c, tok, sizeof(tok)) < 0)        /* ADVISORY, ACTIVE, ... */
		return -1;
	if (token(&c, tok, sizeof(tok)) < 0 || parse_type(tok, &out->type) < 0)
		return -1;
	if (token(&c, tok, sizeof(tok)) < 0 || to_ll(tok, 10, &v) < 0 || v < INT_MIN || v > INT_MAX)
		return -1;
	out->pid = (int)v;
	if (token(&c, tok, sizeof(tok)) < 0 || parse_file(tok, out) < 0)
		return -1;
	if (token(&c, tok, sizeof(tok)) < 0 || to_ll(tok, 10, &out->start) < 0)
		return -1;
	if (token(&c, tok, sizeof(tok)) < 0)
		return -1;
	if (strcmp(tok, "EOF") == 0)
		out->end = -1;
	else if (to_ll(tok, 10, &out->end) < 0 || out->end < out->start)
		return -1;
	skip_blanks(&c);
	return c.s == c.end ? 0 : -1;
}

size_t lock_lines_parse(const char *buf, size_t len, struct lock_line **out, size_t *bad)
{
	size_t off = 0, n = 0, cap = 0;
	struct lock_line line;

	*out = NULL;
	*bad = 0;
	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - buf) : len;

		if (end > off) {
			if (lock_line_parse(buf + off, end - off, &line) == 0) {
				grow_array((void **)out, &cap, n + 1, sizeof(line));
				(*out)[n++] = line;
			} else {
				(*bad)++;
			}
		}
		off = end + 1;
	}
	return n;
}

const char *lk_kind_name(enum lk_kind k)
{
	static const char *const names[LK_KIND_COUNT] = {
		[LK_POSIX] = "posix", [LK_OFD] = "ofd", [LK_FLOCK] = "flock",
		[LK_LEASE] = "lease", [LK_DELEG] = "delegation", [LK_OTHER] = "other",
	};
	return (unsigned)k < LK_KIND_COUNT ? names[k] : "other";
}

const char *lk_type_name(enum lk_type t)
{
	return t == LK_WRITE ? "write" : t == LK_READ ? "read" : "unlock";
}

bool lk_kind_per_description(enum lk_kind k)
{
	return k == LK_OFD || k == LK_FLOCK || k == LK_LEASE || k == LK_DELEG;
}
