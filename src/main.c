/* main.c - options, orchestration and exit codes.  The only file that exits.
 *
 * Exit status (documented in man/fdshare.1):
 *   0   complete answer
 *   1   answer printed, but something could not be read (see "complete")
 *   2   a selector matched nothing (no such PID, PATH held by nobody ...)
 *   100 usage error
 *   111 system error (no /proc, out of memory, output failed) */
#include "fields.h"
#include "model.h"
#include "procfs.h"
#include "render.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define FDSHARE_VERSION "0.1.0"

enum { EXIT_COMPLETE = 0, EXIT_PARTIAL = 1, EXIT_NOMATCH = 2, EXIT_USAGE = 100, EXIT_SYSTEM = 111 };
enum { OPT_NO_KCMP = 256, OPT_ASCII };

struct cli {
	int *pids; size_t npids, pidcap;
	unsigned *uids; size_t nuids, uidcap;
	const char **comms; size_t ncomms, commcap;
	const char **paths; size_t npaths;
	dev_t *devs; ino_t *inos;
	bool json, raw, noheadings, list_columns, no_kcmp;
	const char *columns;
};

static void usage(FILE *out)
{
	fputs("Usage: fdshare [options] [PATH...]\n"
	      "\n"
	      "Show file descriptors and which of them share one open file description\n"
	      "(offset, status flags, OFD locks), proven with kcmp(2).\n"
	      "\n"
	      "With no selection: an overview of the whole system.\n"
	      "  -p, --pid PID[,PID...]      list these processes' fds\n"
	      "  -u, --user USER[,USER...]   processes whose real user is USER (name or uid)\n"
	      "  -c, --command PREFIX        processes whose command name begins with PREFIX\n"
	      "  PATH...                     who holds these files, by open file description\n"
	      "\n"
	      "Output:\n"
	      "  -J, --json                  JSON (schema 1, see fdshare(1))\n"
	      "  -o, --output LIST           fd table columns (\"+LIST\" adds to the defaults)\n"
	      "  -l, --list-columns          list the columns and exit\n"
	      "  -r, --raw                   raw output: no alignment\n"
	      "  -n, --noheadings            no header line\n"
	      "      --no-kcmp               do not call kcmp(2): groups are unverified\n"
	      "  -h, --help                  this help\n"
	      "  -V, --version               print the version\n"
	      "\n"
	      "Exit status: 0 complete, 1 incomplete (something was not readable),\n"
	      "2 nothing matched, 100 usage error, 111 system error.\n", out);
}

static void usage_error(const char *msg, const char *arg)
{
	warn("%s '%s' (try --help)", msg, arg);
	exit(EXIT_USAGE);
}

static void add_pids(struct cli *c, const char *list)
{
	char *copy = xstrdup(list), *save = NULL, *tok;
	int pid, tgid;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (parse_pid_name(tok, &pid) < 0 || pid <= 0)
			usage_error("not a process id:", tok);
		/* a thread id: its fd table is its process's (threads share it) */
		tgid = procfs_tgid_of("/proc", pid);
		if (tgid > 0 && tgid != pid) {
			warn("%d is a thread of process %d: showing %d", pid, tgid, tgid);
			pid = tgid;
		}
		grow_array((void **)&c->pids, &c->pidcap, c->npids + 1, sizeof(int));
		c->pids[c->npids++] = pid;
	}
	free(copy);
}

static void add_users(struct cli *c, const char *list)
{
	char *copy = xstrdup(list), *save = NULL, *tok, buf[4096];
	struct passwd pw, *res;
	int uid;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		res = NULL;
		if (getpwnam_r(tok, &pw, buf, sizeof(buf), &res) == 0 && res)
			uid = (int)pw.pw_uid;
		else if (parse_pid_name(tok, &uid) < 0)
			usage_error("no such user:", tok);
		grow_array((void **)&c->uids, &c->uidcap, c->nuids + 1, sizeof(unsigned));
		c->uids[c->nuids++] = (unsigned)uid;
	}
	free(copy);
}

static void add_comm(struct cli *c, const char *prefix)
{
	grow_array((void **)&c->comms, &c->commcap, c->ncomms + 1, sizeof(char *));
	c->comms[c->ncomms++] = prefix;
}

static void parse_args(int argc, char **argv, struct cli *c)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "user", required_argument, NULL, 'u' },
		{ "command", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'J' },
		{ "output", required_argument, NULL, 'o' },
		{ "list-columns", no_argument, NULL, 'l' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "no-kcmp", no_argument, NULL, OPT_NO_KCMP },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "p:u:c:Jo:lrnhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p': add_pids(c, optarg); break;
		case 'u': add_users(c, optarg); break;
		case 'c': add_comm(c, optarg); break;
		case 'J': c->json = true; break;
		case 'o': c->columns = optarg; break;
		case 'l': c->list_columns = true; break;
		case 'r': c->raw = true; break;
		case 'n': c->noheadings = true; break;
		case OPT_NO_KCMP: c->no_kcmp = true; break;
		case 'h': usage(stdout); exit(EXIT_COMPLETE);
		case 'V': printf("fdshare %s\n", FDSHARE_VERSION); exit(EXIT_COMPLETE);
		default: usage(stderr); exit(EXIT_USAGE);
		}
	}
	c->paths = (const char **)argv + optind;
	c->npaths = (size_t)(argc - optind);
}

static void list_columns(void)
{
	size_t i;

	for (i = 0; i < fd_nfields; i++)
		if (fd_fields[i].column)
			printf("%-8s %s\n", fd_fields[i].column, fd_fields[i].help);
}

/* stat() each PATH the user named (their own path: no scan-time rule applies). */
static void resolve_paths(struct cli *c)
{
	struct stat st;
	size_t i;

	c->devs = xcalloc(c->npaths, sizeof(dev_t));
	c->inos = xcalloc(c->npaths, sizeof(ino_t));
	for (i = 0; i < c->npaths; i++) {
		if (stat(c->paths[i], &st) < 0) {
			warn("%s:", c->paths[i]);
			exit(errno == ENOENT ? EXIT_NOMATCH : EXIT_SYSTEM);
		}
		c->devs[i] = st.st_dev;
		c->inos[i] = st.st_ino;
	}
}

/* Warn about each selector that matched nothing; true if any did. */
static bool report_unmatched(const struct cli *c, const struct model *m)
{
	bool none = false;
	size_t i, j, k, held;

	for (i = 0; i < c->npids; i++) {
		const struct process *p = model_process(m, c->pids[i]);
		if (!p || p->gone) {
			warn("no such process: %d", c->pids[i]);
			none = true;
		}
	}
	if ((c->nuids || c->ncomms) && m->nselected == 0) {
		warn("no process matches the selection");
		none = true;
	}
	for (k = 0; k < c->npaths; k++) {
		for (held = 0, i = 0; i < m->nprocs; i++)
			for (j = 0; j < m->procs[i].nfds; j++)
				held += !m->procs[i].gone && m->procs[i].fds[j].path_match &&
					m->procs[i].fds[j].st_dev == c->devs[k] &&
					m->procs[i].fds[j].info.ino == c->inos[k];
		if (!held) {
			warn("%s: not held open by any process that could be read", c->paths[k]);
			none = true;
		}
	}
	return none;
}

static void report_incomplete(const struct model *m)
{
	if (m->unreadable)
		warn("%zu process%s could not be read (%s): their fds and any sharing with them are not shown",
		     m->unreadable, m->unreadable == 1 ? "" : "es",
		     geteuid() ? "another user's; run as root" : "permission denied");
	if (m->fd_errors)
		warn("%zu fd%s could not be read in full", m->fd_errors, m->fd_errors == 1 ? "" : "s");
}

/* One /proc/PID dirfd is held per process during a scan: make room for
 * every process there may be, up to the hard limit. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct model_options mo = { 0 };
	struct render_options ro = { 0 };
	const struct fd_field *columns[64];
	const char *bad = NULL;
	struct model m;
	int n, r, status;

	setlocale(LC_ALL, "");
	raise_fd_limit();
	parse_args(argc, argv, &c);
	if (c.list_columns) {
		list_columns();
		return EXIT_COMPLETE;
	}
	n = columns_parse(c.columns, c.npaths ? path_default_columns : fd_default_columns,
			  columns, ARRAY_LEN(columns), &bad);
	if (n < 0)
		usage_error("unknown column:", bad);
	if (c.npaths)
		resolve_paths(&c);

	mo.procroot = "/proc";
	mo.use_kcmp = !c.no_kcmp;
	mo.pids = c.pids; mo.npids = c.npids;
	mo.uids = c.uids; mo.nuids = c.nuids;
	mo.comms = c.comms; mo.ncomms = c.ncomms;
	mo.path_devs = c.devs; mo.path_inos = c.inos; mo.npaths = c.npaths;
	if (model_build(&mo, &m) < 0) {
		warn("cannot read the process table:");
		return EXIT_SYSTEM;
	}

	ro.out = stdout;
	ro.raw = c.raw;
	ro.noheadings = c.noheadings;
	ro.pretty = isatty(STDOUT_FILENO);
	ro.columns = columns;
	ro.ncolumns = (size_t)n;
	ro.paths = c.paths;
	ro.npaths = c.npaths;
	ro.version = FDSHARE_VERSION;
	r = c.json ? render_json(&m, &ro) : render_text(&m, &ro);
	if (r < 0 || fflush(stdout) != 0) {
		warn("writing output failed:");
		model_free(&m);
		return EXIT_SYSTEM;
	}
	status = report_unmatched(&c, &m) ? EXIT_NOMATCH
		: model_complete(&m) ? EXIT_COMPLETE : EXIT_PARTIAL;
	if (status == EXIT_PARTIAL)
		report_incomplete(&m);
	model_free(&m);
	free(c.pids); free(c.uids); free(c.comms); free(c.devs); free(c.inos);
	return status;
}
