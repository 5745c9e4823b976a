/* watch_proc.c - /proc reads for watch mode (see watch_proc.h). */
#include "watch/watch_proc.h"
#include "scan/procfs.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CMDLINE_MAX 4096   /* enough to say which program; longer ones are cut */

static ssize_t read_file(const char *root, int pid, const char *name, char *buf, size_t cap)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%d/%s", root, pid, name);
	return procfs_read_at(AT_FDCWD, path, buf, cap);
}

static int probe_stat(void *ctx, int pid, struct stat_info *out)
{
	char buf[1024];
	ssize_t n = read_file(ctx, pid, "stat", buf, sizeof(buf));

	if (n < 0)
		return -1;
	if (parse_stat(buf, (size_t)n, out) < 0) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* NUL-separated arguments into a NULL-terminated array (parse_cmdline). */
static char **probe_argv(void *ctx, int pid)
{
	char *buf = xmalloc(CMDLINE_MAX + 1), **argv;
	ssize_t n = read_file(ctx, pid, "cmdline", buf, CMDLINE_MAX + 1);

	argv = n < 0 ? NULL : parse_cmdline(buf, (size_t)n);
	free(buf);
	return argv;
}

static bool probe_is_ns_init(void *ctx, int pid)
{
	struct status_info si;
	char buf[4096];
	ssize_t n = read_file(ctx, pid, "status", buf, sizeof(buf));

	return n >= 0 && parse_status(buf, (size_t)n, &si) == 0 &&
		si.nspid_count > 0 && si.nspid[si.nspid_count - 1] == 1;
}

struct wprobe watch_proc_probe(const char *procroot)
{
	struct wprobe p = { probe_stat, probe_argv, probe_is_ns_init, (void *)procroot };
	return p;
}

ssize_t watch_proc_scan(const char *procroot, struct stat_info **out)
{
	DIR *d = opendir(procroot);
	struct dirent *e;
	struct stat_info *procs = NULL;
	size_t n = 0, cap = 0;
	int pid, self = getpid();

	*out = NULL;
	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (parse_pid_name(e->d_name, &pid) < 0 || pid == self)
			continue;
		grow_array((void **)&procs, &cap, n + 1, sizeof(*procs));
		if (probe_stat((void *)procroot, pid, &procs[n]) == 0)
			n++;
	}
	closedir(d);
	*out = procs;
	return (ssize_t)n;
}
