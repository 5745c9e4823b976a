/* render_wrap.c - see render_wrap.h. */
#include "render_wrap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

size_t render_term_width(int fd)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long v;

	if (!isatty(fd))
		return 0;
	if (env && *env) {
		v = strtol(env, &end, 10);
		if (!*end && v > 0 && v < 10000)
			return (size_t)v;
	}
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Columns taken by n bytes of UTF-8 (continuation bytes take none). */
static size_t columns_of(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Bytes of s that fit in cols columns (at least one character). */
static size_t bytes_fitting(const char *s, size_t n, size_t cols)
{
	size_t i = 0, c = 0;

	while (i < n) {
		size_t next = i + 1;
		while (next < n && ((unsigned char)s[next] & 0xC0) == 0x80)
			next++;
		if (c + 1 > cols && i > 0)
			break;
		c++;
		i = next;
	}
	return i;
}

void wrap_write(FILE *out, const char *text, size_t first_used, size_t indent, size_t width)
{
	size_t used = first_used, len, cols;
	const char *p = text;
	int first_word = 1;

	if (!width || indent + 8 > width) {
		fprintf(out, "%s\n", text);
		return;
	}
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		len = strcspn(p, " ");
		cols = columns_of(p, len);
		if (!first_word && used + 1 + cols > width) {
			fprintf(out, "\n%*s", (int)indent, "");
			used = indent;
			first_word = 1;
		}
		if (!first_word) {
			fputc(' ', out);
			used++;
		}
		/* a word wider than a whole line: cut it */
		while (used + cols > width && len) {
			size_t part = bytes_fitting(p, len, width - used);
			fprintf(out, "%.*s\n%*s", (int)part, p, (int)indent, "");
			p += part;
			len -= part;
			cols = columns_of(p, len);
			used = indent;
		}
		fprintf(out, "%.*s", (int)len, p);
		used += cols;
		p += len;
		first_word = 0;
	}
	fputc('\n', out);
}

const char *color_on(int color, const char *name)
{
	if (!color)
		return "";
	if (strcmp(name, "red") == 0)
		return "\033[1;31m";
	if (strcmp(name, "yellow") == 0)
		return "\033[33m";
	if (strcmp(name, "cyan") == 0)
		return "\033[36m";
	return "\033[1m";
}

const char *color_off(int color)
{
	return color ? "\033[0m" : "";
}
