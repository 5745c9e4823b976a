/* unit_intern.c - one shared copy per name: equal strings give one pointer,
 * different ones (a prefix, an embedded NUL's length) stay apart, and the
 * copy does not depend on the caller's buffer. */
#include "check.h"
#include "base/intern.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static const char *seen[2][64];

static void *intern_many(void *arg)
{
	int t = *(int *)arg, i;
	char name[24];

	for (i = 0; i < 64; i++) {
		snprintf(name, sizeof(name), "proto%d", i);
		seen[t][i] = intern(name);
	}
	return NULL;
}

int main(void)
{
	char buf[16] = "TCPv6";
	const char *a = intern(buf), *b;
	pthread_t th[2];
	int ids[2] = { 0, 1 }, i, all = 1;

	CHECK(strcmp(a, "TCPv6") == 0, "the copy holds the name");
	memcpy(buf, "UDPv6", 6);
	CHECK(strcmp(a, "TCPv6") == 0, "the copy does not follow the caller's buffer");
	CHECK(intern("TCPv6") == a, "the same name gives the same pointer");
	b = intern("TCP");
	CHECK(b != a && strcmp(b, "TCP") == 0, "a prefix is another name");
	CHECK(intern_len("TCPv6xyz", 5) == a, "intern_len takes the first len bytes");
	CHECK(intern("") != a && intern("")[0] == '\0', "the empty name is a name of its own");
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, intern_many, &ids[i]);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 64; i++)
		all &= seen[0][i] == seen[1][i] && seen[0][i] != NULL;
	CHECK(all, "two threads interning the same 64 names get the same 64 pointers");
	return check_done();
}
