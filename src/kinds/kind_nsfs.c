/* kind_nsfs.c - namespace fds (see kind_nsfs.h).
 *
 * Link format (fs/nsfs.c, ns_dname): "%s:[%lu]" with the namespace type's
 * name and the inode number in decimal. */
#include "kinds/kind_nsfs.h"

#include <string.h>

static const char *const ns_types[] = {
	"cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts",
};

int nsfs_parse_link(const char *t, size_t len, struct nsfs_detail *out)
{
	const char *colon = memchr(t, ':', len);
	unsigned long long ino = 0;
	size_t n, i;

	if (!colon)
		return -1;
	n = (size_t)(colon - t);
	/* ":[" then at least one digit then "]" and nothing after */
	if (len < n + 4 || colon[1] != '[' || t[len - 1] != ']')
		return -1;
	for (i = n + 2; i < len - 1; i++) {
		if (t[i] < '0' || t[i] > '9' || ino > (~0ULL - 9) / 10)
			return -1;
		ino = ino * 10 + (unsigned)(t[i] - '0');
	}
	for (i = 0; i < ARRAY_LEN(ns_types); i++)
		if (strlen(ns_types[i]) == n && memcmp(ns_types[i], t, n) == 0) {
			memcpy(out->type, t, n);
			out->type[n] = '\0';
			out->ino = ino;
			return 0;
		}
	return -1;
}

bool nsfs_is_link(const char *t, size_t len)
{
	struct nsfs_detail d;

	return nsfs_parse_link(t, len, &d) == 0;
}

void nsfs_text(const struct nsfs_detail *d, struct strbuf *o)
{
	sb_printf(o, "%s namespace %llu", d->type, d->ino);
}

void nsfs_json(const struct nsfs_detail *d, struct json *j)
{
	json_object_begin(j);
	json_kv_string(j, "type", d->type);
	json_kv_uint(j, "ino", d->ino);
	json_object_end(j);
}
