/* unit_record.c - model_set_ofd_numbers() and model_set_ofds() on a model
 * made by hand: descriptions numbered by their first holder (pid, then
 * fd), each one's holders in that order, fds of ended processes left out,
 * shared flags and holder process counts, verified or not as info says. */
#include "check.h"
#include "model/record.h"
#include "scan/source.h"

#include <stdlib.h>
#include <string.h>

#define NPROCS 4
#define MAXFDS 4

static struct process procs[NPROCS];
static struct fd_entry fds[NPROCS][MAXFDS];
static struct model m;

/* Process i (pid 10 * (i + 1)) holds fds 3.. with the given group numbers
 * (0: none), n of them. */
static void proc_with(size_t i, const int *groups, size_t n)
{
	size_t j;

	procs[i].pid = 10 * ((int)i + 1);
	procs[i].fds = fds[i];
	procs[i].nfds = n;
	for (j = 0; j < n; j++) {
		memset(&fds[i][j], 0, sizeof(fds[i][j]));
		fds[i][j].fd = 3 + (int)j;
		fds[i][j].proc = &procs[i];
		fds[i][j].ofd = groups[j];
	}
}

static void world(void)
{
	/* group 5 first held by pid 10 fd 3 -> id 1; group 2 by 10 fd 4 ->
	 * id 2; group 9 only by the ended pid 30: none; group 1 by 20 fd 5 */
	static const int g0[] = { 5, 2, 0 }, g1[] = { 2, 5, 1 }, g2[] = { 9, 2 }, g3[] = { 5, 77, -1 };

	memset(&m, 0, sizeof(m));
	memset(procs, 0, sizeof(procs));
	proc_with(0, g0, 3);
	proc_with(1, g1, 3);
	proc_with(2, g2, 2);
	proc_with(3, g3, 3);
	procs[2].gone = true;
	m.procs = procs;
	m.nprocs = NPROCS;
}

static bool holders_are(const struct ofd_group *g, const int (*want)[2], size_t n)
{
	size_t i;

	if (g->nholders != n)
		return false;
	for (i = 0; i < n; i++)
		if (g->holders[i]->proc->pid != want[i][0] || g->holders[i]->fd != want[i][1])
			return false;
	return true;
}

int main(void)
{
	static const int first[][2] = { { 10, 3 }, { 20, 4 }, { 40, 3 } };
	static const int second[][2] = { { 10, 4 }, { 20, 3 } };
	static const int third[][2] = { { 20, 5 } };
	struct ofd_group_info info[10];
	struct ofd_item items[3];

	world();
	memset(info, 0, sizeof(info));
	info[4].verified = true;        /* group 5 */
	info[1].err = 1;                /* group 2: unverified, EPERM */
	info[0].verified = true;
	model_set_ofd_numbers(&m, 10, info, PROOF_KCMP);
	CHECK(m.nofds == 3, "three descriptions held by live processes (ended and out of range left out)");
	CHECK(m.ofds[0].id == 1 && holders_are(&m.ofds[0], first, 3),
	      "id 1: first held by pid 10 fd 3, holders by pid then fd");
	CHECK(m.ofds[1].id == 2 && holders_are(&m.ofds[1], second, 2), "id 2: next first holder");
	CHECK(m.ofds[2].id == 3 && holders_are(&m.ofds[2], third, 1), "id 3: held once");
	CHECK(fds[0][0].ofd == 1 && fds[1][1].ofd == 1 && fds[3][0].ofd == 1 && fds[0][1].ofd == 2 &&
	      fds[1][2].ofd == 3, "every fd carries its description's id");
	CHECK(fds[2][0].ofd == 0 && fds[2][1].ofd == 0, "an ended process's fds get none");
	CHECK(fds[0][2].ofd == 0 && fds[3][1].ofd == 0 && fds[3][2].ofd == 0,
	      "no number, a number out of range, a negative one: none");
	CHECK(fds[0][0].in_shared_ofd && fds[0][1].in_shared_ofd && !fds[1][2].in_shared_ofd,
	      "shared: held by another fd too");
	CHECK(m.ofds[0].nprocs == 3 && m.ofds[1].nprocs == 2 && m.ofds[2].nprocs == 1,
	      "holder processes counted once each");
	CHECK(m.ofds[0].proof == PROOF_KCMP && m.ofds[1].proof == PROOF_NONE &&
	      m.ofds[1].unverified_err == 1 && m.ofds[2].proof == PROOF_KCMP, "proof as info says");
	CHECK(m.ofd_holders == m.ofds[0].holders && m.ofds[1].holders == m.ofds[0].holders + 3,
	      "one array holds every description's holders, in id order");
	free(m.ofds);
	free(m.ofd_holders);

	world();
	model_set_ofd_numbers(&m, 10, NULL, PROOF_KERNEL);
	CHECK(m.nofds == 3 && m.ofds[1].proof == PROOF_KERNEL, "no info: every description proven");
	free(m.ofds);
	free(m.ofd_holders);

	/* items: fds not among them lose any number they had */
	world();
	memset(items, 0, sizeof(items));
	items[0].user = &fds[1][2];
	items[0].group = 0;
	items[1].user = &fds[0][2];
	items[1].group = 0;
	items[2].user = &fds[3][0];
	items[2].group = -1;
	memset(info, 0, sizeof(info));
	info[0].verified = true;
	model_set_ofds(&m, items, 3, info, 1, PROOF_KCMP);
	CHECK(m.nofds == 1 && m.ofds[0].nholders == 2 && m.ofds[0].holders[0] == &fds[0][2] &&
	      m.ofds[0].holders[1] == &fds[1][2], "items: one group, by holder");
	CHECK(fds[0][0].ofd == 0 && fds[3][0].ofd == 0, "items: fds left out have no description");
	free(m.ofds);
	free(m.ofd_holders);
	return check_done();
}
