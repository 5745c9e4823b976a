/* options.h - the one table of command-line options.  getopt_long's arrays,
 * the --help text and the completion check (tests/cases/84-completions.sh,
 * which reads --help) all come from it: a new option is one row in
 * options.c plus its case in main.c. */
#ifndef FDSHARE_OPTIONS_H
#define FDSHARE_OPTIONS_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

/* What getopt_long returns for each option: the short letter when there is
 * one, else a number above any character. */
enum option_id {
	OPT_PID = 'p', OPT_USER = 'u', OPT_COMMAND = 'c', OPT_JSON = 'J', OPT_OUTPUT = 'o',
	OPT_LIST_COLUMNS = 'l', OPT_RAW = 'r', OPT_NOHEADINGS = 'n', OPT_HELP = 'h',
	OPT_VERSION = 'V',
	OPT_NO_KCMP = 256, OPT_TYPE, OPT_FINDINGS, OPT_ALL_HOLDERS, OPT_COLOR,
	OPT_TREE, OPT_ASCII, OPT_KTHREADS,
	OPT_WATCH, OPT_EVENTS, OPT_COUNT, OPT_DURATION,
	OPT_CHECK, OPT_PROMETHEUS, OPT_FORMAT, OPT_WARN, OPT_CRIT, OPT_IGNORE, OPT_MIN_SEVERITY,
	OPT_PATH_TIMEOUT, OPT_INTERVAL, OPT_TOP,
	OPT_SOURCE,
};

struct option_spec {
	const char *section;     /* a heading printed before this row in --help, or NULL */
	enum option_id id;
	char short_name;         /* 'p', or 0 for a long-only option */
	const char *name;        /* long name without "--"; NULL for a help-only row (PATH...) */
	int has_arg;             /* no_argument, required_argument or optional_argument */
	const char *argname;     /* "PID[,PID...]" as --help shows it, or NULL */
	const char *help;        /* help text; '\n' starts an indented continuation line */
};

/* Room callers make for the table (options.c asserts it is enough). */
#define OPTIONS_MAX 64

extern const struct option_spec option_specs[];
extern const size_t option_nspecs;

/* Fill longopts (OPTIONS_MAX + 1 entries, the last zeroed) and shortopts
 * (3 * OPTIONS_MAX + 2 bytes) for getopt_long.
 * shortopts starts with ':' so that a missing argument is told apart. */
void options_getopt(struct option *longopts, char *shortopts);

/* How many long options begin with prefix (getopt_long takes a unique
 * prefix; two or more make it ambiguous). */
size_t options_matching(const char *prefix);

/* The --help text: usage line, description, each row of the table. */
void options_usage(FILE *out);

#endif
