/* options.c - the option table (see options.h) and the --help text made
 * from it.  Keep each help line short enough for an 80-column terminal:
 * the text starts at column 31 and may use 49 columns. */
#include "options.h"

#include <string.h>

#define HELP_COLUMN 30

const struct option_spec option_specs[] = {
	{ "With no selection: an overview of the whole system, findings first.",
	  OPT_PID, 'p', "pid", required_argument, "PID[,PID...]", "list these processes' fds" },
	{ NULL, OPT_USER, 'u', "user", required_argument, "USER[,USER...]",
	  "processes whose real user is USER (name or uid)" },
	{ NULL, OPT_COMMAND, 'c', "command", required_argument, "PREFIX",
	  "processes whose command name begins with PREFIX" },
	{ NULL, 0, 0, NULL, 0, "PATH...",
	  "who holds these files: fds (by open file\ndescription), cwd, rtd, txt, mem; a directory:\neverything under it; a mount point: all on it" },
	{ NULL, OPT_PATH_TIMEOUT, 0, "path-timeout", required_argument, "SECONDS",
	  "give up resolving a PATH after SECONDS\n(default 5; a dead mount): match it by name" },

	{ "Output:", OPT_JSON, 'J', "json", no_argument, NULL, "JSON (schema 1, see fdshare(1))" },
	{ NULL, OPT_OUTPUT, 'o', "output", required_argument, "LIST",
	  "fd table columns (\"+LIST\" adds to the defaults)" },
	{ NULL, OPT_LIST_COLUMNS, 'l', "list-columns", no_argument, NULL, "list the columns and exit" },
	{ NULL, OPT_RAW, 'r', "raw", no_argument, NULL,
	  "rows only, cells separated by one space\n(blanks in a cell escaped as \\x20)" },
	{ NULL, OPT_NOHEADINGS, 'n', "noheadings", no_argument, NULL,
	  "rows only: no header line, no titles" },
	{ NULL, OPT_FINDINGS, 0, "findings", no_argument, NULL, "only the findings" },
	{ NULL, OPT_ALL_HOLDERS, 0, "all-holders", no_argument, NULL,
	  "also what is shared only through /dev/null,\n/dev/zero or a terminal (and who shares it)" },
	{ NULL, OPT_COLOR, 0, "color", optional_argument, "[=WHEN]",
	  "colour: auto (a terminal; the default),\nalways or never; NO_COLOR=1 means never" },
	{ NULL, OPT_NO_KCMP, 0, "no-kcmp", no_argument, NULL,
	  "do not call kcmp(2): groups are unverified" },
	{ NULL, OPT_TYPE, 0, "type", required_argument, "LIST",
	  "only fds of these kinds: reg, pipe, fifo,\nsocket, eventfd, mqueue, nsfs, pty, ... or\nprotocols: unix, tcp, udp6, raw, netlink, ...\n(an unknown one: the error lists them all)" },
	{ NULL, OPT_HELP, 'h', "help", no_argument, NULL, "this help" },
	{ NULL, OPT_VERSION, 'V', "version", no_argument, NULL, "print the version" },

	{ "Leaks in progress (see fdshare(1), INTERVAL):",
	  OPT_INTERVAL, 0, "interval", required_argument, "SECONDS",
	  "scan twice, SECONDS apart (-p/-u/-c or all):\nfd counts before and after, rate, what\nappeared, started and ended processes;\n--count N: N scans" },

	{ "Process tree:", OPT_TREE, 0, "tree", no_argument, NULL,
	  "the process tree (with -p/-u/-c: their\nancestry and subtrees), zombies by parent" },
	{ NULL, OPT_ASCII, 0, "ascii", no_argument, NULL, "draw the tree in ASCII" },
	{ NULL, OPT_KTHREADS, 0, "kernel-threads", no_argument, NULL, "show kernel threads in the tree" },

	{ "Watch process events (proc connector; see fdshare(1), WATCH MODE):",
	  OPT_WATCH, 0, "watch", no_argument, NULL,
	  "fork, exec, exit, reparent, zombie, reaped\nand lost events, one line each (-J: NDJSON);\nwith -p: those processes and their children" },
	{ NULL, OPT_EVENTS, 0, "events", required_argument, "LIST", "only these kinds (comma-separated)" },
	{ NULL, OPT_COUNT, 0, "count", required_argument, "N",
	  "end after N events (with --interval: N scans)" },
	{ NULL, OPT_DURATION, 0, "duration", required_argument, "SECONDS",
	  "end after SECONDS (Ctrl-C ends it too)" },

	{ "Findings and health checks (see fdshare(1), FINDINGS):",
	  OPT_CHECK, 0, "check", no_argument, NULL,
	  "one status line with performance data; exit\n0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN" },
	{ NULL, OPT_PROMETHEUS, 0, "prometheus", no_argument, NULL,
	  "metrics in the Prometheus text format" },
	{ NULL, OPT_FORMAT, 0, "format", required_argument, "FORMAT", "text, json or prometheus" },
	{ NULL, OPT_WARN, 0, "warn", required_argument, "NAME=VALUE[,...]",
	  "warning thresholds: fd-limit=80 (percent),\nzombies=1 (per parent), deleted-size=1G" },
	{ NULL, OPT_CRIT, 0, "crit", required_argument, "NAME=VALUE[,...]",
	  "critical thresholds: fd-limit=95,\nzombies=20, deleted-size=none" },
	{ NULL, OPT_IGNORE, 0, "ignore", required_argument, "CODE[,CODE...]",
	  "leave these finding codes out" },
	{ NULL, OPT_MIN_SEVERITY, 0, "min-severity", required_argument, "LEVEL",
	  "info, warning or critical" },
	{ NULL, OPT_TOP, 0, "top", required_argument, "N",
	  "--prometheus: fd counts of the N processes\nholding the most (default 10)" },
};
const size_t option_nspecs = sizeof(option_specs) / sizeof(option_specs[0]);
_Static_assert(sizeof(option_specs) / sizeof(option_specs[0]) <= OPTIONS_MAX,
	       "raise OPTIONS_MAX in options.h");

void options_getopt(struct option *longopts, char *shortopts)
{
	size_t i, n = 0, s = 0;

	shortopts[s++] = ':';
	for (i = 0; i < option_nspecs; i++) {
		const struct option_spec *o = &option_specs[i];
		if (!o->name)
			continue;
		longopts[n].name = o->name;
		longopts[n].has_arg = o->has_arg;
		longopts[n].flag = NULL;
		longopts[n].val = (int)o->id;
		n++;
		if (o->short_name) {
			shortopts[s++] = o->short_name;
			if (o->has_arg != no_argument)
				shortopts[s++] = ':';
			if (o->has_arg == optional_argument)
				shortopts[s++] = ':';
		}
	}
	memset(&longopts[n], 0, sizeof(longopts[n]));
	shortopts[s] = '\0';
}

size_t options_matching(const char *prefix)
{
	size_t i, n = 0, len = strlen(prefix);

	for (i = 0; i < option_nspecs; i++)
		n += option_specs[i].name && strncmp(option_specs[i].name, prefix, len) == 0;
	return n;
}

/* "  -p, --pid PID[,PID...]" padded to HELP_COLUMN, then the help lines. */
static void usage_row(FILE *out, const struct option_spec *o)
{
	char left[128];
	const char *h = o->help, *nl;
	int n;

	if (o->name)
		n = snprintf(left, sizeof(left), "  %c%c%s--%s%s%s",
			     o->short_name ? '-' : ' ', o->short_name ? o->short_name : ' ',
			     o->short_name ? ", " : "  ", o->name,
			     o->argname && o->has_arg != optional_argument ? " " : "",
			     o->argname ? o->argname : "");
	else
		n = snprintf(left, sizeof(left), "  %s", o->argname);
	if (n >= HELP_COLUMN)
		fprintf(out, "%s\n%*s", left, HELP_COLUMN, "");
	else
		fprintf(out, "%-*s", HELP_COLUMN, left);
	while ((nl = strchr(h, '\n'))) {
		fprintf(out, "%.*s\n%*s", (int)(nl - h), h, HELP_COLUMN, "");
		h = nl + 1;
	}
	fprintf(out, "%s\n", h);
}

void options_usage(FILE *out)
{
	size_t i;

	fputs("Usage: fdshare [options] [PATH...]\n"
	      "\n"
	      "Show file descriptors and which of them share one open file description\n"
	      "(offset, status flags, OFD locks), proven with kcmp(2).\n", out);
	for (i = 0; i < option_nspecs; i++) {
		if (option_specs[i].section)
			fprintf(out, "\n%s\n", option_specs[i].section);
		usage_row(out, &option_specs[i]);
	}
	fputs("\nExit status: 0 complete, 1 incomplete (something was not readable),\n"
	      "2 nothing matched, 100 usage error, 111 system error.\n", out);
}
