/* unit_bpf_unseen.c - bpf_unseen_missing() and bpf_unseen_was_there():
 * which of /proc's pids the task iterator did not list, and which of those
 * were there before it began (the others are newcomers, not in the scan). */
#include "check.h"
#include "scan/bpf_unseen.h"

#define HZ 100ULL

int main(void)
{
	const int listed[] = { 2, 3, 7, 10, 11 };
	const int have[] = { 1, 2, 3, 5, 7, 11, 12 };
	int out[8];
	size_t n;

	n = bpf_unseen_missing(listed, 5, have, 7, out);
	CHECK(n == 3 && out[0] == 1 && out[1] == 5 && out[2] == 12,
	      "the pids /proc has and the iterator did not list: below, between and above the listed ones");
	n = bpf_unseen_missing(listed, 5, listed, 5, out);
	CHECK(n == 0, "nothing is missing when /proc has what was listed");
	n = bpf_unseen_missing(listed, 5, have + 1, 2, out);
	CHECK(n == 0, "a listed pid that /proc no longer has is not missing (it ended)");
	n = bpf_unseen_missing(NULL, 0, have, 7, out);
	CHECK(n == 7 && out[0] == 1 && out[6] == 12, "with nothing listed, every pid is missing");

	CHECK(bpf_unseen_was_there(10 * HZ, 100 * HZ, HZ), "a process started long before the iterator was there");
	CHECK(!bpf_unseen_was_there(100 * HZ - HZ / 2, 100 * HZ, HZ),
	      "one started within the margin before it is a newcomer");
	CHECK(!bpf_unseen_was_there(100 * HZ + 5, 100 * HZ, HZ), "one started after it began is a newcomer");
	CHECK(!bpf_unseen_was_there(99 * HZ, 100 * HZ, HZ), "exactly the margin before: a newcomer still");
	return check_done();
}
