/* parse_maps.c - /proc/PID/maps lines and mountinfo mount points (see
 * parse_maps.h).  Both are space-separated fields whose numbers are read with
 * checked conversions; the pathname is whatever follows the inode. */
#include "scan/parse_maps.h"

#include <string.h>

/* The value of digit c in base (10 or 16), or -1. */
static int digit_value(char c, int base)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (base == 16 && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (base == 16 && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Read an unsigned number in base at s[*i..len): at least one digit, no
 * sign, no overflow; 0 or -1.  *i ends on the first byte after it. */
static int take_num(const char *s, size_t len, size_t *i, int base, unsigned long long *out)
{
	unsigned long long v = 0;
	size_t start = *i;
	int d;

	for (; *i < len && (d = digit_value(s[*i], base)) >= 0; (*i)++) {
		if (v > (~0ULL - (unsigned long long)d) / (unsigned long long)base)
			return -1;
		v = v * (unsigned long long)base + (unsigned long long)d;
	}
	if (*i == start)
		return -1;
	*out = v;
	return 0;
}

/* Whether p[0..4) is a permission field as the kernel writes it: "rwxp",
 * each letter or '-', the last 's' (shared) or 'p' (private). */
static bool valid_perms(const char *p)
{
	return (p[0] == 'r' || p[0] == '-') && (p[1] == 'w' || p[1] == '-') &&
	       (p[2] == 'x' || p[2] == '-') && (p[3] == 's' || p[3] == 'p');
}

/* Expect byte c at s[*i] and step over it. */
static int take_char(const char *s, size_t len, size_t *i, char c)
{
	if (*i >= len || s[*i] != c)
		return -1;
	(*i)++;
	return 0;
}

int parse_maps_line(const char *s, size_t len, struct maps_entry *out)
{
	unsigned long long major, minor;
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	if (take_num(s, len, &i, 16, &out->start) < 0 || take_char(s, len, &i, '-') < 0 ||
	    take_num(s, len, &i, 16, &out->end) < 0 || take_char(s, len, &i, ' ') < 0)
		return -1;
	if (i + 5 > len || s[i + 4] != ' ' || !valid_perms(s + i))
		return -1;
	memcpy(out->perms, s + i, 4);
	i += 5;
	if (take_num(s, len, &i, 16, &out->offset) < 0 || take_char(s, len, &i, ' ') < 0 ||
	    take_num(s, len, &i, 16, &major) < 0 || take_char(s, len, &i, ':') < 0 ||
	    take_num(s, len, &i, 16, &minor) < 0 || take_char(s, len, &i, ' ') < 0)
		return -1;
	if (major > 0xfff || minor > 0xfffff)
		return -1;
	out->major = (unsigned)major;
	out->minor = (unsigned)minor;
	/* the inode ends the line of an anonymous mapping */
	if (take_num(s, len, &i, 10, &out->ino) < 0 || (i < len && s[i] != ' '))
		return -1;
	while (i < len && s[i] == ' ')
		i++;
	out->path = s + i;
	out->path_len = len - i;
	return 0;
}

bool maps_is_private_text(const struct maps_entry *e)
{
	return e->perms[2] == 'x' && e->perms[3] == 'p' && e->perms[1] != 'w';
}

static int octal_digit(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

long parse_mountinfo_point(const char *s, size_t len, char *buf, size_t cap)
{
	size_t i = 0, n = 0;
	int field;

	/* skip mount id, parent id, MAJ:MIN and root */
	for (field = 0; field < 4; field++) {
		while (i < len && s[i] != ' ')
			i++;
		if (i >= len)
			return -1;
		i++;
	}
	for (; i < len && s[i] != ' '; i++) {
		char c = s[i];
		if (c == '\\' && i + 3 < len && octal_digit(s[i + 1]) >= 0 && octal_digit(s[i + 2]) >= 0 &&
		    octal_digit(s[i + 3]) >= 0) {
			c = (char)(octal_digit(s[i + 1]) * 64 + octal_digit(s[i + 2]) * 8 + octal_digit(s[i + 3]));
			i += 3;
		}
		if (n + 1 >= cap)
			return -1;
		buf[n++] = c;
	}
	if (n == 0 || i >= len)
		return -1;
	buf[n] = '\0';
	return (long)n;
}
