/* main.c - options, orchestration and exit codes.  The only file that exits.
 *
 * Exit status (documented in man/fdshare.1):
 *   0   complete answer
 *   1   answer printed, but something could not be read (see "complete")
 *   2   a selector matched nothing (no such PID, PATH held by nobody ...)
 *   100 usage error
 *   111 system error (no /proc, out of memory, output failed)
 * --watch ends with 0 when its --count, --duration or a signal ends it,
 * 2 when a -p pid does not exist, 111 when process events are out of reach.
 * --check exits as a monitoring plugin: 0 OK, 1 WARNING, 2 CRITICAL,
 * 3 UNKNOWN (usage error, no /proc, a selector matching nothing).
 * --prometheus exits 0 once the metrics are written, even for an incomplete
 * scan (fdshare_scan_complete says so), 2, 100 or 111 as above. */
#include "endpoint.h"
#include "fields.h"
#include "findings.h"
#include "pathq.h"
#include "model.h"
#include "procfs.h"
#include "render.h"
#include "trend.h"
#include "util.h"
#include "watch_run.h"
#include "watch_state.h"

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
enum { OPT_NO_KCMP = 256, OPT_ASCII, OPT_TREE, OPT_KTHREADS };
enum { OPT_WATCH = 512, OPT_EVENTS, OPT_COUNT, OPT_DURATION };
enum { OPT_TYPE = 1024 };
enum { OPT_PATH_TIMEOUT = 1280, OPT_INTERVAL, OPT_TOP };
#define TOP_DEFAULT 10     /* --prometheus: processes with their own fd series */
#define SCANS_MAX 100      /* --interval --count: 10 counts per interval each */

#define PATH_TIMEOUT 5.0   /* seconds to resolve the PATH arguments; --path-timeout */
enum { OPT_CHECK = 768, OPT_PROMETHEUS, OPT_FORMAT, OPT_WARN, OPT_CRIT, OPT_IGNORE, OPT_MIN_SEVERITY };
enum { CHECK_OK = 0, CHECK_WARNING = 1, CHECK_CRITICAL = 2, CHECK_UNKNOWN = 3 };

/* --check given: usage errors end as a monitoring plugin's do (UNKNOWN, 3) */
static bool check_mode;

#define WATCH_RCVBUF (16u << 20)   /* bytes; FDSHARE_WATCH_RCVBUF overrides */

struct cli {
	int *pids; size_t npids, pidcap;
	unsigned *uids; size_t nuids, uidcap;
	const char **comms; size_t ncomms, commcap;
	const char **paths; size_t npaths;
	struct path_query *queries;   /* the PATHs resolved (pathq.h) */
	const char *path_timeout;     /* --path-timeout, as given */
	bool paths_unresolved;        /* a PATH was not resolved in time */
	const char *interval;         /* --interval SECONDS, as given */
	const char *top;              /* --top N, as given */
	const char **types; size_t ntypes, typecap;   /* --type, tokens in typebufs */
	char **typebufs; size_t ntypebufs;
	bool json, raw, noheadings, list_columns, no_kcmp;
	bool tree, ascii, kthreads;
	const char *columns;
	struct {                  /* --watch and its options (as given) */
		bool on;
		const char *events, *count, *duration;
	} watch;
	struct {                  /* findings and the health outputs */
		bool check, prometheus;
		struct findings_config cfg;
	} health;
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
	      "  PATH...                     who holds these files: fds (by open file\n"
	      "                              description), cwd, rtd, txt, mem; a directory:\n"
	      "                              everything under it; a mount point: everything\n"
	      "                              on that file system\n"
	      "      --path-timeout SECONDS  give up resolving a PATH after SECONDS (default\n"
	      "                              5; a dead mount): then match it by name only\n"
	      "\n"
	      "Output:\n"
	      "  -J, --json                  JSON (schema 1, see fdshare(1))\n"
	      "  -o, --output LIST           fd table columns (\"+LIST\" adds to the defaults)\n"
	      "  -l, --list-columns          list the columns and exit\n"
	      "  -r, --raw                   raw output: no alignment\n"
	      "  -n, --noheadings            no header line\n"
	      "      --no-kcmp               do not call kcmp(2): groups are unverified\n"
	      "      --type LIST             only fds of these types: reg, pipe, fifo, socket,\n"
	      "                              eventfd, epoll, ... or unix, tcp, tcp6, udp, udp6\n"
	      "  -h, --help                  this help\n"
	      "  -V, --version               print the version\n"
	      "\n"
	      "Leaks in progress (see fdshare(1), INTERVAL):\n"
	      "      --interval SECONDS      scan twice, SECONDS apart (with -p/-u/-c or\n"
	      "                              everything): fd counts before and after, rate,\n"
	      "                              what appeared, started and ended processes\n"
	      "      --count N               with --interval: N scans (default 2)\n"
	      "\n"
	      "Process tree:\n"
	      "      --tree                  the process tree (with -p/-u/-c: their ancestry\n"
	      "                              and subtrees), zombies by parent and why\n"
	      "      --ascii                 draw the tree in ASCII\n"
	      "      --kernel-threads        show kernel threads in the tree\n"
	      "\n"
	      "Watch process events (proc connector; see fdshare(1), WATCH MODE):\n"
	      "      --watch                 fork, exec, exit, reparent, zombie, reaped\n"
	      "                              and lost events, one line each (-J: NDJSON);\n"
	      "                              with -p: those processes and their descendants\n"
	      "      --events LIST           only these kinds (comma-separated)\n"
	      "      --count N               end after N events\n"
	      "      --duration SECONDS      end after SECONDS (Ctrl-C ends it too)\n"
	      "\n"
	      "Findings and health checks (see fdshare(1), FINDINGS):\n"
	      "      --check                 one status line with performance data; exit\n"
	      "                              0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n"
	      "      --prometheus            metrics in the Prometheus text format\n"
	      "      --format FORMAT         text, json or prometheus\n"
	      "      --warn NAME=VALUE[,...] warning thresholds: fd-limit=80 (percent),\n"
	      "                              zombies=1 (per parent), deleted-size=1G\n"
	      "      --crit NAME=VALUE[,...] critical thresholds: fd-limit=95, zombies=20,\n"
	      "                              deleted-size=none\n"
	      "      --ignore CODE[,CODE...] leave these finding codes out\n"
	      "      --min-severity LEVEL    info, warning or critical\n"
	      "      --top N                 --prometheus: fd counts of the N processes\n"
	      "                              holding the most (default 10)\n"
	      "\n"
	      "Exit status: 0 complete, 1 incomplete (something was not readable),\n"
	      "2 nothing matched, 100 usage error, 111 system error.\n", out);
}

/* Usage errors exit 100; with --check, as a monitoring plugin: an UNKNOWN
 * status line on stdout and 3. */
static void usage_exit(const char *msg, const char *arg)
{
	if (check_mode) {
		printf("FDSHARE UNKNOWN - usage error: %s '%s'\n", msg, arg);
		exit(CHECK_UNKNOWN);
	}
	exit(EXIT_USAGE);
}

static void usage_error(const char *msg, const char *arg)
{
	warn("%s '%s' (try --help)", msg, arg);
	usage_exit(msg, arg);
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

static void add_types(struct cli *c, const char *list)
{
	char *copy = xstrdup(list), *save = NULL, *tok;

	c->typebufs = xreallocarray(c->typebufs, c->ntypebufs + 1, sizeof(char *));
	c->typebufs[c->ntypebufs++] = copy;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!fd_type_known(tok))
			usage_error("unknown type:", tok);
		grow_array((void **)&c->types, &c->typecap, c->ntypes + 1, sizeof(char *));
		c->types[c->ntypes++] = tok;
	}
}

static void free_types(struct cli *c)
{
	size_t i;

	for (i = 0; i < c->ntypebufs; i++)
		free(c->typebufs[i]);
	free(c->typebufs);
	free(c->types);
}

/* --check, --prometheus, --format and the findings options. */
static void health_option(struct cli *c, int ch, const char *arg)
{
	const char *bad = NULL;
	enum severity sev;

	switch (ch) {
	case OPT_CHECK: c->health.check = true; break;
	case OPT_PROMETHEUS: c->health.prometheus = true; break;
	case OPT_FORMAT:
		if (strcmp(arg, "json") == 0)
			c->json = true;
		else if (strcmp(arg, "prometheus") == 0)
			c->health.prometheus = true;
		else if (strcmp(arg, "text") != 0)
			usage_error("unknown format (text, json, prometheus):", arg);
		break;
	case OPT_WARN: case OPT_CRIT:
		if (findings_set_thresholds(&c->health.cfg, ch == OPT_CRIT, arg, &bad) < 0)
			usage_error("bad threshold (fd-limit=PERCENT, zombies=N, deleted-size=SIZE):", bad);
		break;
	case OPT_IGNORE:
		if (findings_ignore(&c->health.cfg, arg, &bad) < 0)
			usage_error("unknown finding code:", bad);
		break;
	case OPT_MIN_SEVERITY:
		if (severity_parse(arg, &sev) < 0)
			usage_error("unknown severity (info, warning, critical):", arg);
		c->health.cfg.min_severity = sev;
		break;
	}
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
		{ "type", required_argument, NULL, OPT_TYPE },
		{ "path-timeout", required_argument, NULL, OPT_PATH_TIMEOUT },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "tree", no_argument, NULL, OPT_TREE },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "kernel-threads", no_argument, NULL, OPT_KTHREADS },
		{ "watch", no_argument, NULL, OPT_WATCH },
		{ "events", required_argument, NULL, OPT_EVENTS },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "prometheus", no_argument, NULL, OPT_PROMETHEUS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "warn", required_argument, NULL, OPT_WARN },
		{ "crit", required_argument, NULL, OPT_CRIT },
		{ "ignore", required_argument, NULL, OPT_IGNORE },
		{ "min-severity", required_argument, NULL, OPT_MIN_SEVERITY },
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
		case OPT_TYPE: add_types(c, optarg); break;
		case OPT_PATH_TIMEOUT: c->path_timeout = optarg; break;
		case OPT_INTERVAL: c->interval = optarg; break;
		case OPT_TOP: c->top = optarg; break;
		case OPT_TREE: c->tree = true; break;
		case OPT_ASCII: c->ascii = true; break;
		case OPT_KTHREADS: c->kthreads = true; break;
		case OPT_WATCH: c->watch.on = true; break;
		case OPT_EVENTS: c->watch.events = optarg; break;
		case OPT_COUNT: c->watch.count = optarg; break;
		case OPT_DURATION: c->watch.duration = optarg; break;
		case OPT_CHECK: case OPT_PROMETHEUS: case OPT_FORMAT: case OPT_WARN:
		case OPT_CRIT: case OPT_IGNORE: case OPT_MIN_SEVERITY:
			health_option(c, ch, optarg);
			break;
		case 'h': usage(stdout); exit(EXIT_COMPLETE);
		case 'V': printf("fdshare %s\n", FDSHARE_VERSION); exit(EXIT_COMPLETE);
		default: usage(stderr); usage_exit("bad option", argv[optind - 1]);
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

static double seconds_arg(const char *s);

/* Resolve each PATH the user named, once, within --path-timeout: a lookup on
 * a dead network or FUSE mount must not hang us.  One that timed out is
 * matched by name only and makes the answer incomplete. */
static void resolve_paths(struct cli *c)
{
	double timeout = c->path_timeout ? seconds_arg(c->path_timeout) : PATH_TIMEOUT;
	size_t i;

	c->queries = xcalloc(c->npaths, sizeof(*c->queries));
	pathq_resolve(c->paths, c->npaths, timeout, c->queries);
	for (i = 0; i < c->npaths; i++) {
		const struct path_query *q = &c->queries[i];
		if (q->timed_out) {
			warn("%s: not resolved within %g s (a dead network or FUSE mount?): not checked "
			     "by device and inode, holders matched by name only", q->arg, timeout);
			c->paths_unresolved = true;
		} else if (q->err) {
			errno = q->err;
			warn("%s:", q->arg);
			exit(q->err == ENOENT || q->err == ENOTDIR ? EXIT_NOMATCH : EXIT_SYSTEM);
		}
	}
}

/* Warn about each selector that matched nothing; true if any did. */
static bool report_unmatched(const struct cli *c, const struct model *m)
{
	bool none = false;
	size_t i, k;

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
	for (k = 0; k < c->npaths && k < m->npath_held; k++) {
		if (m->path_held[k])
			continue;
		/* nobody among those read: "nobody" only if everyone was read */
		if (m->unreadable || c->paths_unresolved) {
			warn("%s: not held by any process that could be read; %zu could not be read, "
			     "so this is not known", c->paths[k], m->unreadable);
			continue;
		}
		warn("%s: not held by any process", c->paths[k]);
		none = true;
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

/* ---- --watch ---- */

/* The options that mean nothing to --watch, and --watch's own without it. */
static void check_watch_options(const struct cli *c)
{
	if (!c->watch.on)
		usage_error("needs --watch:", c->watch.events ? "--events"
			    : c->watch.count ? "--count" : "--duration");
	if (c->nuids || c->ncomms || c->npaths || c->columns || c->list_columns ||
	    c->raw || c->noheadings || c->no_kcmp)
		usage_error("--watch takes only -p, -J, --events, --count and --duration; not",
			    c->nuids ? "-u" : c->ncomms ? "-c" : c->npaths ? c->paths[0]
			    : c->columns ? "-o" : c->list_columns ? "-l" : c->raw ? "-r"
			    : c->noheadings ? "-n" : "--no-kcmp");
	if (c->ntypes || c->tree || c->ascii || c->kthreads || c->health.check || c->health.prometheus)
		usage_error("--watch takes only -p, -J, --events, --count and --duration; not",
			    c->ntypes ? "--type" : c->tree ? "--tree" : c->ascii ? "--ascii"
			    : c->kthreads ? "--kernel-threads" : c->health.check ? "--check"
			    : "--prometheus");
}

/* A whole positive number (--count, FDSHARE_WATCH_RCVBUF). */
static unsigned long long positive_arg(const char *what, const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || *s == '+' || v == 0)
		usage_error(what, s);
	return v;
}

static double seconds_arg(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 1e9)
		usage_error("not a number of seconds:", s);
	return v;
}

static void watch_options_from(const struct cli *c, struct watch_options *o)
{
	const char *bad = NULL, *env = getenv("FDSHARE_WATCH_RCVBUF");

	memset(o, 0, sizeof(*o));
	o->pids = c->pids;
	o->npids = c->npids;
	o->json = c->json;
	o->out = stdout;
	o->kinds = WK_ALL;
	if (c->watch.events && wkinds_parse(c->watch.events, &o->kinds, &bad) < 0)
		usage_error("unknown event kind (fork, exec, exit, reparent, zombie, reaped, lost):", bad);
	/* Lost events are never hidden: whatever else was chosen is incomplete. */
	o->kinds |= 1u << WK_LOST;
	if (c->watch.count)
		o->count = positive_arg("not a positive count:", c->watch.count);
	if (c->watch.duration)
		o->duration = seconds_arg(c->watch.duration);
	o->rcvbuf = env && *env ? positive_arg("FDSHARE_WATCH_RCVBUF: not a size in bytes:", env)
		: WATCH_RCVBUF;
}

static int run_watch(const struct cli *c)
{
	struct watch_options o;
	struct watch_result res;

	check_watch_options(c);
	watch_options_from(c, &o);
	if (watch_run(&o, &res) == 0)
		return EXIT_COMPLETE;
	errno = res.err;
	switch (res.end) {
	case WATCH_NO_SUCH_PID:
		warn("no such process: %d", res.pid);
		return EXIT_NOMATCH;
	case WATCH_NO_SUBSCRIPTION:
		warn("cannot watch process events: %s", res.what);
		return EXIT_SYSTEM;
	default:
		warn("%s:", res.what ? res.what : "watching process events failed");
		return EXIT_SYSTEM;
	}
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

/* --check and --prometheus must be the only output; --check also the only
 * status line. */
static void check_health_options(const struct cli *c)
{
	if (!c->health.check && !c->health.prometheus)
		return;
	if (c->health.check && c->health.prometheus)
		usage_error("--check and --prometheus exclude each other:", "--prometheus");
	if (c->json || c->tree || c->npaths || c->columns)
		usage_error(c->health.check ? "--check takes no -J, -o, --tree or PATH:"
			    : "--prometheus takes no -J, -o, --tree or PATH:",
			    c->json ? "-J" : c->tree ? "--tree" : c->npaths ? c->paths[0] : "-o");
}

/* --top N (0 allowed: no per-process series), only with --prometheus. */
static size_t top_arg(const struct cli *c)
{
	unsigned long long v;
	char *end;

	if (!c->top)
		return TOP_DEFAULT;
	errno = 0;
	v = strtoull(c->top, &end, 10);
	if (errno || end == c->top || *end || *c->top == '-' || *c->top == '+' || v > 1000000)
		usage_error("not a number of processes:", c->top);
	return (size_t)v;
}

/* --check: the status line and the plugin's exit status; --prometheus: the
 * metrics, exit 0 once written even if incomplete (they say so). */
static int run_health(const struct cli *c, const struct model *m, const struct findings *fs)
{
	size_t counts[SEV_COUNT];
	int status;

	if (report_unmatched(c, m)) {
		if (c->health.check)
			printf("FDSHARE UNKNOWN - the selection matches no process\n");
		return c->health.check ? CHECK_UNKNOWN : EXIT_NOMATCH;
	}
	if (c->health.prometheus)
		return render_prometheus(m, fs, m->selection, stdout) < 0 ||
			render_prometheus_top(m, m->selection, top_arg(c), stdout) < 0
			? EXIT_SYSTEM : EXIT_COMPLETE;
	findings_tally(fs, counts);
	status = counts[SEV_CRITICAL] ? CHECK_CRITICAL : counts[SEV_WARNING] ? CHECK_WARNING : CHECK_OK;
	if (render_check(m, fs, &c->health.cfg, status, m->selection, stdout) < 0)
		return CHECK_UNKNOWN;
	return status;
}

static void render_options_from(const struct cli *c, struct render_options *ro);

/* --interval: SCANS full scans SECONDS apart, the trend, its findings
 * (fd-growth among them), then the table or JSON, or --check/--prometheus
 * over the last scan. */
static int run_interval(const struct cli *c, const struct model_options *mo)
{
	double interval = seconds_arg(c->interval);
	unsigned long long scans = c->watch.count ? positive_arg("not a count of scans:", c->watch.count) : 2;
	struct render_options ro;
	struct findings fs;
	struct trend t;
	struct model m;
	int status, r;

	if (scans < 2 || scans > SCANS_MAX)
		usage_error("--interval needs 2 to 100 scans (--count):", c->watch.count);
	if (c->npaths || c->tree || c->columns)
		usage_error("--interval takes -p, -u or -c; not", c->npaths ? c->paths[0]
			    : c->tree ? "--tree" : "-o");
	if (trend_collect(mo, interval, (unsigned)scans, &t, &m) < 0) {
		warn("cannot read the process table:");
		if (check_mode)
			printf("FDSHARE UNKNOWN - cannot read the process table: %s\n", strerror(errno));
		return check_mode ? CHECK_UNKNOWN : EXIT_SYSTEM;
	}
	m.trend = &t;
	findings_compute(&m, &c->health.cfg, m.selection ? SCOPE_SELECTED : SCOPE_ALL, &fs);
	if (c->health.check || c->health.prometheus) {
		status = run_health(c, &m, &fs);
	} else {
		render_options_from(c, &ro);
		ro.findings = &fs;
		r = c->json ? render_trend_json(&m, &t, &ro) : render_trend_text(&m, &t, &ro);
		if (r < 0 || fflush(stdout) != 0) {
			warn("writing output failed:");
			status = EXIT_SYSTEM;
		} else {
			status = report_unmatched(c, &m) ? EXIT_NOMATCH
				: trend_complete(&t) ? EXIT_COMPLETE : EXIT_PARTIAL;
			if (status == EXIT_PARTIAL)
				report_incomplete(&m);
		}
	}
	findings_free(&fs);
	model_free(&m);
	trend_free(&t);
	return status;
}

/* Whether argv asks for --check (before the options are parsed, so that
 * even a usage error ends as a plugin's would). */
static bool wants_check(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--check") == 0)
			return true;
	return false;
}

static void render_options_from(const struct cli *c, struct render_options *ro)
{
	memset(ro, 0, sizeof(*ro));
	ro->out = stdout;
	ro->raw = c->raw;
	ro->noheadings = c->noheadings;
	ro->pretty = isatty(STDOUT_FILENO);
	ro->version = FDSHARE_VERSION;
}

int main(int argc, char **argv)
{
	struct cli c = { 0 };
	struct model_options mo = { 0 };
	struct render_options ro = { 0 };
	const struct fd_field *columns[64];
	const char *bad = NULL;
	struct findings fs;
	struct model m;
	int n, r, status;

	setlocale(LC_ALL, "");
	raise_fd_limit();
	check_mode = wants_check(argc, argv);
	findings_config_init(&c.health.cfg);
	parse_args(argc, argv, &c);
	if (c.interval && (c.watch.on || c.watch.events || c.watch.duration))
		usage_error("--interval and --watch exclude each other:", "--interval");
	if (c.top && !c.health.prometheus)
		usage_error("needs --prometheus:", "--top");
	if (c.watch.on || c.watch.events || (c.watch.count && !c.interval) || c.watch.duration) {
		status = run_watch(&c);
		free(c.pids); free(c.uids); free(c.comms); free_types(&c);
		return status;
	}
	if (c.list_columns) {
		list_columns();
		return EXIT_COMPLETE;
	}
	n = columns_parse(c.columns, c.npaths ? path_default_columns : fd_default_columns,
			  columns, ARRAY_LEN(columns), &bad);
	if (n < 0)
		usage_error("unknown column:", bad);
	if (c.tree && c.npaths)
		usage_error("--tree takes -p, -u or -c, not a PATH:", c.paths[0]);
	check_health_options(&c);
	if (c.npaths)
		resolve_paths(&c);

	mo.procroot = "/proc";
	mo.use_kcmp = !c.no_kcmp;
	mo.exact_subreapers = c.json || c.tree;
	mo.pids = c.pids; mo.npids = c.npids;
	mo.uids = c.uids; mo.nuids = c.nuids;
	mo.comms = c.comms; mo.ncomms = c.ncomms;
	mo.queries = c.queries; mo.nqueries = c.npaths;
	if (c.interval) {
		status = run_interval(&c, &mo);
		free(c.pids); free(c.uids); free(c.comms); free_types(&c);
		return status;
	}
	if (model_build(&mo, &m) < 0) {
		warn("cannot read the process table:");
		if (check_mode)
			printf("FDSHARE UNKNOWN - cannot read the process table: %s\n", strerror(errno));
		return check_mode ? CHECK_UNKNOWN : EXIT_SYSTEM;
	}
	findings_compute(&m, &c.health.cfg, c.npaths ? SCOPE_PATHS : m.selection ? SCOPE_SELECTED
			 : SCOPE_ALL, &fs);
	if (c.health.check || c.health.prometheus) {
		status = run_health(&c, &m, &fs);
		findings_free(&fs);
		model_free(&m);
		free(c.pids); free(c.uids); free(c.comms); free_types(&c);
		return status;
	}

	render_options_from(&c, &ro);
	ro.columns = columns;
	ro.ncolumns = (size_t)n;
	ro.paths = c.paths;
	ro.npaths = c.npaths;
	ro.queries = c.queries;
	ro.types = c.types;
	ro.ntypes = c.ntypes;
	ro.findings = &fs;
	ro.tree = c.tree;
	ro.ascii = c.ascii;
	ro.kernel_threads = c.kthreads;
	r = c.json ? render_json(&m, &ro) : c.tree ? render_tree(&m, &ro) : render_text(&m, &ro);
	if (r < 0 || fflush(stdout) != 0) {
		warn("writing output failed:");
		findings_free(&fs);
		model_free(&m);
		return EXIT_SYSTEM;
	}
	status = report_unmatched(&c, &m) ? EXIT_NOMATCH
		: model_complete(&m) ? EXIT_COMPLETE : EXIT_PARTIAL;
	if (status == EXIT_PARTIAL)
		report_incomplete(&m);
	findings_free(&fs);
	model_free(&m);
	if (c.queries)
		pathq_free(c.queries, c.npaths);
	free(c.pids); free(c.uids); free(c.comms); free(c.queries);
	free_types(&c);
	return status;
}
