/* fdinfo_kv.c - fdinfo key/value lines (see fdinfo_kv.h). */
#include "kinds/fdinfo_kv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool fdinfo_kv_next(const char *buf, size_t len, size_t *off, struct fdinfo_kv *kv)
{
	while (*off < len) {
		const char *line = buf + *off;
		const char *nl = memchr(line, '\n', len - *off);
		size_t n = nl ? (size_t)(nl - line) : len - *off;
		const char *colon = memchr(line, ':', n);

		*off += n + (nl ? 1 : 0);
		if (!colon || colon == line)
			continue;
		kv->key = line;
		kv->klen = (size_t)(colon - line);
		kv->val = colon + 1;
		kv->vlen = n - kv->klen - 1;
		while (kv->vlen && (*kv->val == ' ' || *kv->val == '\t')) {
			kv->val++;
			kv->vlen--;
		}
		while (kv->vlen && (kv->val[kv->vlen - 1] == ' ' || kv->val[kv->vlen - 1] == '\t'))
			kv->vlen--;
		return true;
	}
	return false;
}

bool fdinfo_kv_is(const struct fdinfo_kv *kv, const char *key)
{
	size_t n = strlen(key);

	return kv->klen == n && memcmp(kv->key, key, n) == 0;
}

int fdinfo_kv_ll(const struct fdinfo_kv *kv, int base, long long *out)
{
	char tmp[32], *end;
	long long v;

	if (kv->vlen == 0 || kv->vlen >= sizeof(tmp))
		return -1;
	memcpy(tmp, kv->val, kv->vlen);
	tmp[kv->vlen] = '\0';
	if (tmp[0] != '-' && (tmp[0] < '0' || tmp[0] > '9'))
		return -1;
	errno = 0;
	v = strtoll(tmp, &end, base);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

bool fdinfo_kv_str(const struct fdinfo_kv *kv, char *buf, size_t cap)
{
	size_t i;

	if (!cap)
		return false;
	buf[0] = '\0';
	if (kv->vlen >= cap)
		return false;
	for (i = 0; i < kv->vlen; i++)
		if ((unsigned char)kv->val[i] < 0x20 || kv->val[i] == 0x7f)
			return false;
	memcpy(buf, kv->val, kv->vlen);
	buf[kv->vlen] = '\0';
	return true;
}
