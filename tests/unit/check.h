/* check.h - the unit tests' tiny assertion kit.
 *
 * Each CHECK prints one line, "pass: <what>" or "fail: <what> (file:line)";
 * tests/run counts those lines.  A test binary ends with
 * `return check_done();`, which exits non-zero when anything failed. */
#ifndef FDSHARE_CHECK_H
#define FDSHARE_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(cond, what) do { \
	if (cond) { \
		printf("pass: %s\n", (what)); \
	} else { \
		printf("fail: %s (%s:%d: %s)\n", (what), __FILE__, __LINE__, #cond); \
		check_failures++; \
	} \
} while (0)

#define CHECK_STR(got, want, what) do { \
	const char *check_g_ = (got), *check_w_ = (want); \
	int check_ok_ = check_g_ && check_w_ && strcmp(check_g_, check_w_) == 0; \
	CHECK(check_ok_, what); \
	if (!check_ok_) \
		printf("      got  \"%s\"\n      want \"%s\"\n", check_g_ ? check_g_ : "(null)", check_w_); \
} while (0)

static inline int check_done(void)
{
	fflush(stdout);
	return check_failures ? 1 : 0;
}

#endif
