/* unit_locks.c - the lock line parser (lockparse.c) on the kernel's own
 * lines and on broken ones, and the dead-set analysis (lockgraph.c) on
 * made-up wait-for graphs: deadlocks, chains, shared locks, self-waits. */
#include "check.h"
#include "model/lockgraph.h"
#include "scan/lockparse.h"

#include <stdlib.h>
#include <string.h>

static int parse(const char *s, struct lock_line *l)
{
	return lock_line_parse(s, strlen(s), l);
}

static void test_lines(void)
{
	struct lock_line l;

	CHECK(parse("1: POSIX  ADVISORY  WRITE 16712 fe:00:10953121 0 3", &l) == 0 &&
	      l.id == 1 && l.depth == 0 && l.kind == LK_POSIX && l.type == LK_WRITE &&
	      l.pid == 16712 && l.have_inode && l.major == 0xfe && l.minor == 0 &&
	      l.ino == 10953121 && l.start == 0 && l.end == 3, "a POSIX lock line");
	CHECK(parse("2: FLOCK  ADVISORY  WRITE 0 fe:00:10953056 0 EOF\n", &l) == 0 &&
	      l.kind == LK_FLOCK && l.pid == 0 && l.end == -1, "a flock whose taker is not visible (pid 0), EOF");
	CHECK(parse("3: OFDLCK ADVISORY  READ -1 08:1f:42 10 EOF", &l) == 0 &&
	      l.kind == LK_OFD && l.type == LK_READ && l.pid == -1 && l.major == 8 &&
	      l.minor == 0x1f && l.start == 10, "an OFD read lock, pid -1, hex minor");
	CHECK(parse("4: LEASE  ACTIVE    READ 880 00:2a:1234 0 EOF", &l) == 0 &&
	      l.kind == LK_LEASE && l.pid == 880 && l.major == 0 && l.minor == 0x2a, "a lease");
	CHECK(parse("4: LEASE  BREAKING  UNLCK 880 00:2a:1234 0 EOF", &l) == 0 &&
	      l.type == LK_UNLCK, "a lease being broken");
	CHECK(parse("5: DELEG  ACTIVE    READ 1 00:2a:1 0 EOF", &l) == 0 && l.kind == LK_DELEG,
	      "a delegation");
	CHECK(parse("6: -> FLOCK  ADVISORY  WRITE 8 fe:00:10953056 0 EOF", &l) == 0 &&
	      l.depth == 1 && l.id == 6 && l.pid == 8, "a waiter (->)");
	CHECK(parse("6:  -> POSIX  ADVISORY  READ 9 fe:00:5 100 199", &l) == 0 &&
	      l.depth == 2 && l.start == 100 && l.end == 199, "a waiter queued behind a waiter");
	CHECK(parse("7: POSIX  *NOINODE* WRITE 3 <none>:0 0 EOF", &l) == 0 && !l.have_inode,
	      "a lock without an inode");
	CHECK(parse("8: ACCESS ADVISORY  READ 3 fe:00:5 0 EOF", &l) == 0 && l.kind == LK_OTHER,
	      "an ACCESS lock is 'other'");
	CHECK(parse("9: POSIX  ADVISORY  WRITE 12 fe:01:5 9223372036854775806 EOF", &l) == 0 &&
	      l.start == 9223372036854775806LL, "an offset near LLONG_MAX");
	CHECK_STR(lk_kind_name(LK_OFD), "ofd", "kind name ofd");
	CHECK_STR(lk_type_name(LK_WRITE), "write", "type name write");
	CHECK(lk_kind_per_description(LK_FLOCK) && lk_kind_per_description(LK_OFD) &&
	      !lk_kind_per_description(LK_POSIX), "flock and OFD belong to the description, POSIX not");
}

static void test_bad_lines(void)
{
	static const char *const bad[] = {
		"", "1:", "1: POSIX", "x: POSIX  ADVISORY  WRITE 1 fe:00:1 0 EOF",
		"1: BOGUS  ADVISORY  WRITE 1 fe:00:1 0 EOF",
		"1: POSIX  ADVISORY  MAYBE 1 fe:00:1 0 EOF",
		"1: POSIX  ADVISORY  WRITE one fe:00:1 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 fe:00 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 zz:00:1 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 fe:00:-1 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 fe:00:1 5 3",
		"1: POSIX  ADVISORY  WRITE 1 fe:00:1 0 EOF trailing",
		"1: POSIX  ADVISORY  WRITE 99999999999 fe:00:1 0 EOF",
		"1: POSIX  ADVISORY  WRITE 1 fe:00:1 0 99999999999999999999",
		"1: POSIX  ADVISORY  WRITE 1 fffffffff:00:1 0 EOF",
		"-1: POSIX  ADVISORY  WRITE 1 fe:00:1 0 EOF",
	};
	struct lock_line l;
	size_t i;
	int ok = 1;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &l) == 0) {
			printf("      accepted: \"%s\"\n", bad[i]);
			ok = 0;
		}
	CHECK(ok, "malformed lock lines are refused");
	CHECK(lock_line_parse("1: POSIX  ADVISORY  WRITE 1 fe:00:1\0 0 EOF", 40, &l) < 0,
	      "a NUL inside a line is refused");
}

static void test_table(void)
{
	static const char text[] =
		"1: FLOCK  ADVISORY  WRITE 12 fe:00:100 0 EOF\n"
		"1: -> FLOCK  ADVISORY  WRITE 13 fe:00:100 0 EOF\n"
		"1: -> FLOCK  ADVISORY  READ 14 fe:00:100 0 EOF\n"
		"garbage line\n"
		"2: OFDLCK ADVISORY  WRITE -1 fe:00:200 0 EOF\n"
		"2: -> OFDLCK ADVISORY  WRITE -1 fe:00:200 0 9";   /* no final newline */
	struct lock_line *v;
	size_t bad, n = lock_lines_parse(text, sizeof(text) - 1, &v, &bad);

	CHECK(n == 5 && bad == 1, "a /proc/locks text: 5 lines, 1 malformed skipped");
	CHECK(n == 5 && v[0].depth == 0 && v[1].depth == 1 && v[2].depth == 1 && v[2].type == LK_READ &&
	      v[3].kind == LK_OFD && v[4].depth == 1 && v[4].end == 9, "waiters stay after their lock");
	free(v);
	n = lock_lines_parse("", 0, &v, &bad);
	CHECK(n == 0 && !v && bad == 0, "an empty /proc/locks");
}

/* ---- the graph ---- */

struct fixture {
	bool stuck[8], dead[8];
	size_t h[8][8], nh[8];
	const size_t *hp[8];
	struct lockgraph_wait w[16];
	struct lockgraph g;
};

static void fx_init(struct fixture *fx, size_t nodes, size_t locks)
{
	size_t i;

	memset(fx, 0, sizeof(*fx));
	for (i = 0; i < 8; i++)
		fx->hp[i] = fx->h[i];
	fx->g = (struct lockgraph){ .nnodes = nodes, .nlocks = locks, .stuck = fx->stuck,
		.holders = fx->hp, .nholders = fx->nh, .waits = fx->w };
}

static void hold(struct fixture *fx, size_t lock, size_t node)
{
	fx->h[lock][fx->nh[lock]++] = node;
}

static void wait_for(struct fixture *fx, size_t node, int thread, size_t lock)
{
	fx->w[fx->g.nwaits++] = (struct lockgraph_wait){ node, thread, lock };
}

static void test_graph(void)
{
	struct fixture fx;
	size_t cy[8], n;

	/* A holds L0 and waits for L1; B holds L1 and waits for L0 */
	fx_init(&fx, 2, 2);
	hold(&fx, 0, 0);
	hold(&fx, 1, 1);
	wait_for(&fx, 0, 1, 1);
	wait_for(&fx, 1, 1, 0);
	fx.stuck[0] = fx.stuck[1] = true;
	lockgraph_dead(&fx.g, fx.dead);
	CHECK(fx.dead[0] && fx.dead[1], "two processes waiting for each other's flock: deadlock");
	n = lockgraph_cycle(&fx.g, fx.dead, 0, cy, 8);
	CHECK(n == 2 && cy[0] == 0 && cy[1] == 1, "the cycle is A -> B");

	/* the same, but B has another thread that is not waiting */
	fx.stuck[1] = false;
	lockgraph_dead(&fx.g, fx.dead);
	CHECK(!fx.dead[0] && !fx.dead[1], "twin: B has a thread that can still release: no deadlock");

	/* a chain without a cycle: A waits for B, B waits for C, C runs */
	fx_init(&fx, 3, 2);
	hold(&fx, 0, 1);
	hold(&fx, 1, 2);
	wait_for(&fx, 0, 1, 0);
	wait_for(&fx, 1, 1, 1);
	fx.stuck[0] = fx.stuck[1] = true;
	lockgraph_dead(&fx.g, fx.dead);
	CHECK(!fx.dead[0] && !fx.dead[1] && !fx.dead[2], "twin: a chain ending at a running holder");

	/* a shared lock (prefork): L0 held by B and C; A waits; B waits for L1 held by A; C runs */
	fx_init(&fx, 3, 2);
	hold(&fx, 0, 1);
	hold(&fx, 0, 2);
	hold(&fx, 1, 0);
	wait_for(&fx, 0, 1, 0);
	wait_for(&fx, 1, 1, 1);
	fx.stuck[0] = fx.stuck[1] = true;
	lockgraph_dead(&fx.g, fx.dead);
	CHECK(!fx.dead[0] && !fx.dead[1], "twin: one holder of a shared description can still run");

	/* a self-wait: A holds L0 through one description and waits for it through another */
	fx_init(&fx, 1, 1);
	hold(&fx, 0, 0);
	wait_for(&fx, 0, 1, 0);
	fx.stuck[0] = true;
	lockgraph_dead(&fx.g, fx.dead);
	n = lockgraph_cycle(&fx.g, fx.dead, 0, cy, 8);
	CHECK(fx.dead[0] && n == 1 && cy[0] == 0, "a process waiting for its own flock: deadlock of one");

	/* one waiting behind a cycle: C waits for L0 held by A, A and B in a cycle */
	fx_init(&fx, 3, 2);
	hold(&fx, 0, 0);
	hold(&fx, 1, 1);
	wait_for(&fx, 0, 1, 1);
	wait_for(&fx, 1, 1, 0);
	wait_for(&fx, 2, 1, 0);
	fx.stuck[0] = fx.stuck[1] = fx.stuck[2] = true;
	lockgraph_dead(&fx.g, fx.dead);
	n = lockgraph_cycle(&fx.g, fx.dead, 2, cy, 8);
	CHECK(fx.dead[2] && n == 2 && cy[0] != 2 && cy[1] != 2, "C waits behind the cycle, not in it");

	/* holders unknown: never dead */
	fx_init(&fx, 1, 1);
	wait_for(&fx, 0, 1, 0);
	fx.stuck[0] = true;
	lockgraph_dead(&fx.g, fx.dead);
	CHECK(!fx.dead[0], "twin: a lock whose holders could not be read is not a deadlock");

	/* holder outside the graph (index >= nnodes) */
	fx_init(&fx, 1, 1);
	hold(&fx, 0, 5);
	wait_for(&fx, 0, 1, 0);
	fx.stuck[0] = true;
	lockgraph_dead(&fx.g, fx.dead);
	CHECK(!fx.dead[0], "twin: a holder whose threads were not read saves its waiters");
}

int main(void)
{
	test_lines();
	test_bad_lines();
	test_table();
	test_graph();
	return check_done();
}
