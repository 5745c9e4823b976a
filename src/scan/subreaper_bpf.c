/* subreaper_bpf.c - the subreaper flags alone, through bpf_scan.c (which
 * loads src/scan/bpf/ and runs only the task iterator when asked so). */
#include "scan/subreaper_bpf.h"
#include "scan/bpf_scan.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void subreaper_table_free(struct subreaper_table *t)
{
	if (!t)
		return;
	free(t->flags);
	t->flags = NULL;
	t->n = 0;
}

int subreaper_bpf_read_at(const char *procroot, struct subreaper_table *out)
{
	out->flags = NULL;
	out->n = 0;
	if (geteuid() != 0) {
		errno = EPERM;
		return -1;
	}
	if (!bpf_scan_procroot_ours(procroot)) {
		errno = EXDEV;
		return -1;
	}
	return subreaper_bpf_read(out);
}

int subreaper_bpf_read(struct subreaper_table *out)
{
	struct bpf_scan_options o = { .subreapers = true };
	struct bpf_scan s;
	char why[256];

	out->flags = NULL;
	out->n = 0;
	if (bpf_scan_read(&o, &s, why, sizeof(why)) < 0)
		return -1;
	*out = s.subreapers;
	s.subreapers.flags = NULL;
	s.subreapers.n = 0;
	bpf_scan_free(&s);
	return 0;
}
