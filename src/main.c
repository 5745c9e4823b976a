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
#include "model/endpoint.h"
#include "base/escape.h"
#include "render/fields.h"
#include "findings/findings.h"
#include "model/model.h"
#include "options.h"
#include "scan/pathq.h"
#include "scan/procfs.h"
#include "scan/source.h"
#include "render/render.h"
#include "render/render_wrap.h"
#include "model/trend.h"
#include "base/util.h"
#include "watch/watch_run.h"
#include "watch/watch_state.h"

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

#if defined(__SANITIZE_ADDRESS__)
#define FREE_MODEL_AT_EXIT 1
#else
#define FREE_MODEL_AT_EXIT 0
#endif

#define FDSHARE_VERSION "0.1.0"

enum { EXIT_COMPLETE = 0, EXIT_PARTIAL = 1, EXIT_NOMATCH = 2, EXIT_USAGE = 100, EXIT_SYSTEM = 111 };
enum { CHECK_OK = 0, CHECK_WARNING = 1, CHECK_CRITICAL = 2, CHECK_UNKNOWN = 3 };

/* --check given: usage errors end as a monitoring plugin's do (UNKNOWN, 3) */
static bool check_mode;

#define WATCH_RCVBUF (16u << 20)   /* bytes; FDSHARE_WATCH_RCVBUF overrides */
#define PATH_TIMEOUT 5.0   /* seconds to resolve the PATH arguments; --path-timeout */
#define TOP_DEFAULT 10     /* --prometheus: processes with their own fd series */
#define SCANS_MAX 100      /* --interval --count: 10 counts per interval each */

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
	const char *source;       /* --source as given, or NULL (auto) */
	bool findings_only, all_holders;   /* --findings, --all-holders */
	const char *color;        /* --color's WHEN as given, or NULL */
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

/* Usage errors exit 100; with --check, as a monitoring plugin: an UNKNOWN
 * status line on stdout and 3. */
static void usage_error(const char *msg, const char *arg)
{
	warn("%s '%s'", msg, arg);
	fputs("Try 'fdshare --help'.\n", stderr);
	if (check_mode) {
		printf("FDSHARE UNKNOWN - usage error: %s '%s'\n", msg, arg);
		exit(CHECK_UNKNOWN);
	}
	exit(EXIT_USAGE);
}

/* getopt_long's complaint in our words (opterr is 0: it prints nothing).
 * word is the argument being parsed: "--name[=value]" or a bundle "-Jx". */
static void option_error(int ch, const char *word)
{
	char name[64];
	bool is_long = strncmp(word, "--", 2) == 0;

	if (is_long)
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(word, "="), word);
	else
		snprintf(name, sizeof(name), "-%c", optopt);
	if (ch == ':')
		usage_error("option requires an argument:", name);
	if (is_long && optopt)
		usage_error("option takes no argument:", name);
	if (is_long && options_matching(name + 2) > 1)
		usage_error("ambiguous option (give more of its name)", name);
	usage_error(is_long ? "unrecognized option" : "invalid option", name);
}

/* The argument getopt_long was parsing when it failed: the first option
 * word at or after index (it steps over the operands it permutes; inside a
 * bundle "-Jx" optind stays on the bundle until its last letter). */
static const char *option_word(int argc, char **argv, int index)
{
	while (index < argc && (argv[index][0] != '-' || argv[index][1] == '\0'))
		index++;
	return index < argc ? argv[index] : argv[argc - 1];
}

/* -p '', -u '', -c '': an empty selector would select everything. */
static void nonempty_selector(const char *opt, const char *list)
{
	if (strspn(list, ",") == strlen(list))
		usage_error("empty value for", opt);
}

static void add_pids(struct cli *c, const char *list)
{
	char *copy = xstrdup(list), *save = NULL, *tok;
	int pid, tgid;

	nonempty_selector("--pid", list);
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

	nonempty_selector("--user", list);
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
	nonempty_selector("--command", prefix);
	grow_array((void **)&c->comms, &c->commcap, c->ncomms + 1, sizeof(char *));
	c->comms[c->ncomms++] = prefix;
}

static void add_types(struct cli *c, const char *list)
{
	char *copy = xstrdup(list), *save = NULL, *tok;

	c->typebufs = xreallocarray(c->typebufs, c->ntypebufs + 1, sizeof(char *));
	c->typebufs[c->ntypebufs++] = copy;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!fd_type_known(tok)) {
			static struct strbuf known;   /* static: usage_error exits */
			sb_init(&known);
			sb_adds(&known, "unknown type (known: ");
			fd_type_list(&known);
			sb_adds(&known, "):");
			usage_error(known.buf, tok);
		}
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
	struct option longopts[OPTIONS_MAX + 1];
	char shortopts[3 * OPTIONS_MAX + 2];
	int ch;

	options_getopt(longopts, shortopts);
	opterr = 0;
	for (;;) {
		int before = optind;
		if ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) == -1)
			break;
		switch (ch) {
		case OPT_PID: add_pids(c, optarg); break;
		case OPT_USER: add_users(c, optarg); break;
		case OPT_COMMAND: add_comm(c, optarg); break;
		case OPT_JSON: c->json = true; break;
		case OPT_OUTPUT: c->columns = optarg; break;
		case OPT_LIST_COLUMNS: c->list_columns = true; break;
		case OPT_RAW: c->raw = true; break;
		case OPT_NOHEADINGS: c->noheadings = true; break;
		case OPT_FINDINGS: c->findings_only = true; break;
		case OPT_ALL_HOLDERS: c->all_holders = true; break;
		case OPT_COLOR: c->color = optarg ? optarg : "always"; break;
		case OPT_NO_KCMP: c->no_kcmp = true; break;
		case OPT_SOURCE:
			if (strcmp(optarg, "auto") && strcmp(optarg, "bpf") && strcmp(optarg, "proc"))
				usage_error("--source takes auto, bpf or proc, not", optarg);
			c->source = optarg;
			break;
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
		case OPT_HELP: options_usage(stdout); exit(EXIT_COMPLETE);
		case OPT_VERSION: printf("fdshare %s\n", FDSHARE_VERSION); exit(EXIT_COMPLETE);
		default: option_error(ch, option_word(argc, argv, before));
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

/* The fd table's columns when -o gives none: the overview lists shared
 * descriptions; -r/-n rows of several processes need to say whose. */
static const char *default_columns(const struct cli *c)
{
	if (c->npaths)
		return path_default_columns;
	if (!c->npids && !c->nuids && !c->ncomms)
		return overview_default_columns;
	if (c->raw || c->noheadings)
		return "PID,COMMAND,FD,TYPE,MODE,CLOEXEC,POS,FLAGS,OFD,SHARED,ENDPOINT,TARGET";
	return fd_default_columns;
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

/* Whether any selected process is still there to show. */
static bool any_selected(const struct model *m)
{
	size_t i;

	for (i = 0; i < m->nprocs; i++)
		if (m->procs[i].selected && !m->procs[i].gone)
			return true;
	return false;
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

#define UNREADABLE_NAMED 5   /* processes named on stderr; JSON lists all */

/* Whether p's fds were left unread because the BPF iterators did not show
 * it (bpf_unseen.h), not because they were refused. */
static bool unseen_by_bpf(const struct process *p)
{
	return p->err == EOPNOTSUPP;
}

/* "1 (systemd), 412 (sshd) and 3 more": the unreadable processes (unseen:
 * those the BPF iterators did not show, else the others), comm escaped;
 * total: how many there are. */
static void unreadable_names(const struct model *m, bool unseen, size_t total, struct strbuf *sb)
{
	size_t i, named = 0;

	for (i = 0; i < m->nprocs && named < UNREADABLE_NAMED; i++) {
		const struct process *p = &m->procs[i];
		if (p->gone || !p->err || model_short_of_resource(p->err) || unseen_by_bpf(p) != unseen)
			continue;
		sb_printf(sb, "%s%d (", named++ ? ", " : "", p->pid);
		escape_text(sb, p->comm, strlen(p->comm));
		sb_adds(sb, ")");
	}
	if (total > named)
		sb_printf(sb, " and %zu more (-J lists all)", total - named);
}

/* What could not be read, on stderr.  complete: the answer asked for is
 * whole (a selection read in full), and only sharing with the unreadable
 * processes is unknown.  What the scan could not read for want of a
 * resource of its own (EMFILE ...) is said as such, never as denied. */
static void report_incomplete(const struct model *m, bool complete)
{
	size_t denied = m->unreadable - m->short_processes, fds = m->fd_errors - m->short_fds;
	size_t unseen = 0, i;
	const char *why = geteuid() ? "another user's; run as root" : "permission denied";
	struct strbuf sb;

	for (i = 0; i < m->nprocs; i++)
		unseen += !m->procs[i].gone && unseen_by_bpf(&m->procs[i]);
	denied -= unseen < denied ? unseen : denied;
	if (m->short_processes || m->short_fds)
		warn("the scan ran out of a resource of its own (%s, %s): %zu process%s and %zu fd%s "
		     "could not be read", errno_name(m->short_err), strerror(m->short_err),
		     m->short_processes, m->short_processes == 1 ? "" : "es",
		     m->short_fds, m->short_fds == 1 ? "" : "s");
	for (i = 0; i < 2; i++) {
		size_t n = i ? unseen : denied;
		if (!n)
			continue;
		if (i)   /* listed from /proc: the BPF iterators did not show them */
			why = "not shown by the BPF iterators; --source proc reads them";
		sb_init(&sb);
		unreadable_names(m, i == 1, n, &sb);
		if (complete)
			warn("sharing with %zu process%s not readable (%s) is unknown: %s",
			     n, n == 1 ? "" : "es", why, sb.buf);
		else
			warn("%zu process%s could not be read (%s): %s; their fds and any sharing with them are not shown",
			     n, n == 1 ? "" : "es", why, sb.buf);
		sb_free(&sb);
	}
	if (fds)
		warn("%zu fd%s could not be read in full", fds, fds == 1 ? "" : "s");
}

/* ---- --watch ---- */

/* The options that mean nothing to --watch, and --watch's own without it. */
static void check_watch_options(const struct cli *c)
{
	if (!c->watch.on)
		usage_error("needs --watch:", c->watch.events ? "--events"
			    : c->watch.count ? "--count" : "--duration");
	if (c->nuids || c->ncomms || c->npaths || c->columns || c->list_columns ||
	    c->raw || c->noheadings || c->no_kcmp || c->source)
		usage_error("--watch takes only -p, -J, --events, --count and --duration; not",
			    c->nuids ? "-u" : c->ncomms ? "-c" : c->npaths ? c->paths[0]
			    : c->columns ? "-o" : c->list_columns ? "-l" : c->raw ? "-r"
			    : c->noheadings ? "-n" : c->no_kcmp ? "--no-kcmp" : "--source");
	if (c->ntypes || c->tree || c->ascii || c->kthreads || c->health.check || c->health.prometheus)
		usage_error("--watch takes only -p, -J, --events, --count and --duration; not",
			    c->ntypes ? "--type" : c->tree ? "--tree" : c->ascii ? "--ascii"
			    : c->kthreads ? "--kernel-threads" : c->health.check ? "--check"
			    : "--prometheus");
	if (c->findings_only || c->all_holders)
		usage_error("--watch takes only -p, -J, --events, --count and --duration; not",
			    c->findings_only ? "--findings" : "--all-holders");
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

/* The scan holds a few fds at a time, but one fd table's epoll or socket
 * reads and the netlink dumps like headroom: up to the hard limit. */
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
	/* findings over a scan cut short by our own limits would claim OK */
	if (m->short_processes || m->short_fds) {
		report_incomplete(m, false);
		printf("FDSHARE UNKNOWN - the scan ran out of a resource (%s): %zu processes and %zu fds "
		       "not read\n", errno_name(m->short_err), m->short_processes, m->short_fds);
		return CHECK_UNKNOWN;
	}
	findings_tally(fs, counts);
	status = counts[SEV_CRITICAL] ? CHECK_CRITICAL : counts[SEV_WARNING] ? CHECK_WARNING : CHECK_OK;
	if (render_check(m, fs, &c->health.cfg, status, m->selection, stdout) < 0)
		return CHECK_UNKNOWN;
	return status;
}

/* --interval: SCANS full scans SECONDS apart, the trend, its findings
 * (fd-growth among them), then the table or JSON, or --check/--prometheus
 * over the last scan.  ro carries the output settings. */
/* Why the model could not be built (--source bpf refused), filled by
 * model_build() (model_options.source_why). */
static char source_why[256];

/* The scan could not start: no process table, or --source bpf refused
 * (source_why says why).  Returns the exit status. */
static int scan_failed(void)
{
	if (source_why[0]) {
		warn("--source bpf: %s", source_why);
		if (check_mode)
			printf("FDSHARE UNKNOWN - --source bpf: %s\n", source_why);
	} else {
		warn("cannot read the process table:");
		if (check_mode)
			printf("FDSHARE UNKNOWN - cannot read the process table: %s\n", strerror(errno));
	}
	return check_mode ? CHECK_UNKNOWN : EXIT_SYSTEM;
}

/* --source: where fds are read.  auto (the default): BPF, else /proc
 * silently; with --no-kcmp, /proc (it asks for /proc without kcmp). */
static void choose_source(const struct cli *c, struct model_options *mo)
{
	bool proc = c->source && strcmp(c->source, "proc") == 0;
	bool bpf = c->source && strcmp(c->source, "bpf") == 0;

	if (bpf && c->no_kcmp)
		usage_error("--no-kcmp reads /proc without kcmp(2): not with", "--source bpf");
	mo->source = proc || c->no_kcmp ? &proc_source : &bpf_source;
	mo->source_fallback = !bpf;
	mo->source_why = source_why;
	mo->source_whylen = sizeof(source_why);
	/* --source proc: nothing from BPF, the subreaper flags included */
	mo->exact_subreapers = (c->json || c->tree) && !proc;
}

static int run_interval(const struct cli *c, const struct model_options *mo,
			struct render_options *ro)
{
	double interval = seconds_arg(c->interval);
	unsigned long long scans = c->watch.count ? positive_arg("not a count of scans:", c->watch.count) : 2;
	struct findings fs;
	struct trend t;
	struct model m;
	int status, r;

	if (scans < 2 || scans > SCANS_MAX)
		usage_error("--interval needs 2 to 100 scans (--count):", c->watch.count);
	if (c->npaths || c->tree || c->columns || c->findings_only)
		usage_error("--interval takes -p, -u or -c; not", c->npaths ? c->paths[0]
			    : c->tree ? "--tree" : c->columns ? "-o" : "--findings");
	if (trend_collect(mo, interval, (unsigned)scans, &t, &m) < 0) {
		return scan_failed();
	}
	m.trend = &t;
	findings_compute(&m, &c->health.cfg, m.selection ? SCOPE_SELECTED : SCOPE_ALL, &fs);
	if (c->health.check || c->health.prometheus) {
		status = run_health(c, &m, &fs);
	} else {
		ro->findings = &fs;
		r = c->json ? render_trend_json(&m, &t, ro) : render_trend_text(&m, &t, ro);
		if (r < 0 || fflush(stdout) != 0) {
			warn("writing output failed:");
			status = EXIT_SYSTEM;
		} else {
			status = report_unmatched(c, &m) ? EXIT_NOMATCH
				: trend_complete(&t) ? EXIT_COMPLETE : EXIT_PARTIAL;
			if (status == EXIT_PARTIAL)
				report_incomplete(&m, false);
		}
	}
	findings_free(&fs);
	model_free(&m);
	trend_free(&t);
	return status;
}

/* --check out of memory: a monitoring plugin still prints its one line
 * and exits 0-3.  write(2), not stdio: stdout's buffer may not exist yet,
 * and nothing else was printed to it. */
static void check_oom_exit(void)
{
	static const char line[] = "FDSHARE UNKNOWN - out of memory\n";
	ssize_t n = write(STDOUT_FILENO, line, sizeof(line) - 1);

	(void)n;
	_exit(CHECK_UNKNOWN);
}

/* --color[=WHEN] and NO_COLOR (https://no-color.org: a command-line choice
 * overrides it): whether to colour stdout. */
static bool use_color(const char *when)
{
	const char *no_color = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (when && strcmp(when, "always") == 0)
		return true;
	if (when && strcmp(when, "never") == 0)
		return false;
	if (when && strcmp(when, "auto") != 0)
		usage_error("unknown colour mode (auto, always, never):", when);
	if (!when && no_color && *no_color)
		return false;
	return isatty(STDOUT_FILENO) && !(term && strcmp(term, "dumb") == 0);
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
	bool unmatched, complete;

	setlocale(LC_ALL, "");
	raise_fd_limit();
	check_mode = wants_check(argc, argv);
	if (check_mode)
		set_oom_exit(check_oom_exit);
	findings_config_init(&c.health.cfg);
	parse_args(argc, argv, &c);
	ro.color = use_color(c.color);
	ro.width = render_term_width(STDOUT_FILENO);
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
	n = columns_parse(c.columns, default_columns(&c), columns, ARRAY_LEN(columns), &bad);
	if (n < 0)
		usage_error("unknown column:", bad);
	if (c.tree && c.npaths)
		usage_error("--tree takes -p, -u or -c, not a PATH:", c.paths[0]);
	if (c.tree && (c.columns || c.findings_only))
		usage_error("--tree has its own columns and no findings; not",
			    c.columns ? "-o" : "--findings");
	check_health_options(&c);
	if (c.npaths)
		resolve_paths(&c);

	mo.procroot = "/proc";
	mo.use_kcmp = !c.no_kcmp;
	choose_source(&c, &mo);
	mo.pids = c.pids; mo.npids = c.npids;
	mo.uids = c.uids; mo.nuids = c.nuids;
	mo.comms = c.comms; mo.ncomms = c.ncomms;
	mo.queries = c.queries; mo.nqueries = c.npaths;
	ro.out = stdout;
	ro.raw = c.raw;
	ro.noheadings = c.noheadings;
	ro.pretty = isatty(STDOUT_FILENO);
	ro.version = FDSHARE_VERSION;
	if (c.interval) {
		status = run_interval(&c, &mo, &ro);
		free(c.pids); free(c.uids); free(c.comms); free_types(&c);
		return status;
	}
	/* -p alone may read only what relates to the selection; --tree shows
	 * the ancestry and subtree in full, a PATH or -u/-c select otherwise */
	mo.narrow = c.npids && !c.nuids && !c.ncomms && !c.npaths && !c.tree;
	if (model_build(&mo, &m) < 0) {
		status = scan_failed();
		free(c.pids); free(c.uids); free(c.comms); free_types(&c);
		return status;
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
	ro.findings_only = c.findings_only;
	ro.all_holders = c.all_holders;
	/* A selection matching nothing prints nothing but its message (text). */
	unmatched = report_unmatched(&c, &m);
	if (unmatched && !c.json && m.selection && !any_selected(&m))
		r = 0;
	else
		r = c.json ? render_json(&m, &ro) : c.tree ? render_tree(&m, &ro) : render_text(&m, &ro);
	if (r < 0 || fflush(stdout) != 0) {
		warn("writing output failed:");
		findings_free(&fs);
		model_free(&m);
		return EXIT_SYSTEM;
	}
	complete = c.npaths ? model_complete(&m) : model_selection_complete(&m);
	status = unmatched ? EXIT_NOMATCH : complete ? EXIT_COMPLETE : EXIT_PARTIAL;
	if (status != EXIT_NOMATCH && !model_complete(&m))
		report_incomplete(&m, complete);
	/* The process ends here: the kernel takes a 100k-fd model back at
	 * once, where freeing it piece by piece costs tens of milliseconds.
	 * Sanitizer builds still free it, so LeakSanitizer sees every leak. */
	if (FREE_MODEL_AT_EXIT) {
		findings_free(&fs);
		model_free(&m);
	}
	if (c.queries)
		pathq_free(c.queries, c.npaths);
	free(c.pids); free(c.uids); free(c.comms); free(c.queries);
	free_types(&c);
	return status;
}
