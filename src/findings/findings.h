/* findings.h - verdicts over the finished model: what is wrong, who is
 * involved, why it matters and what to do about it.
 *
 * A table of rules {code, default severity, check}: each check reads the
 * model (processes, fds, open file descriptions, the tree) and adds struct
 * finding records.  No I/O, so tests/unit/unit_findings.c runs every rule
 * on hand-built models.  The codes are part of the JSON contract and each
 * is documented in fdshare(1), FINDINGS.
 *
 * Rules about a shared description only look at descriptions whose sharing
 * kcmp proved: a finding is never built on a guess. */
#ifndef FDSHARE_FINDINGS_H
#define FDSHARE_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"

enum severity { SEV_INFO, SEV_WARNING, SEV_CRITICAL };
#define SEV_COUNT 3

/* The values a finding's severity depends on (--warn / --crit NAME=VALUE). */
enum threshold { TH_FD_LIMIT, TH_ZOMBIES, TH_DELETED_SIZE, TH_COUNT };

struct findings_config {
	double warn[TH_COUNT], crit[TH_COUNT];   /* a value at or above: that severity; <0 never */
	unsigned long long ignore;   /* one bit per rule (its index in the table) */
	enum severity min_severity;
};

/* One piece of evidence: a number, or raw bytes (names and paths from the
 * system: escape them when printing). */
struct evidence {
	const char *key;          /* static */
	bool is_number;
	long long number;
	char *text;               /* owned, NUL-terminated; NULL writes null */
	size_t len;
};

struct finding {
	const char *code;         /* static: "exec-leak" */
	enum severity severity;
	int *pids;                /* distinct, ascending */
	size_t npids;
	struct fd_ref *fds;       /* by pid then fd */
	size_t nfds;
	char *message;            /* one sentence; may hold raw bytes of names */
	char *hint;               /* what to do; may hold raw bytes of names */
	struct evidence *ev;
	size_t nev;
};

struct findings {
	struct finding *v;        /* most severe first, then by code and first pid */
	size_t n;
};

/* Which findings an output reports: all, or those that involve a selected
 * process (-p/-u/-c), or an fd of a PATH argument. */
enum findings_scope { SCOPE_ALL, SCOPE_SELECTED, SCOPE_PATHS };

/* Defaults: fd-limit 80 % / 95 %, zombies 1 / 20 per parent, deleted-size
 * 1 GiB / never; nothing ignored; every severity. */
void findings_config_init(struct findings_config *c);
/* Apply "NAME=VALUE[,NAME=VALUE...]" to the warning (crit false) or critical
 * thresholds; VALUE is a number, a size with K/M/G/T (binary), or "none".
 * Returns 0, or -1 with *bad naming the bad item (static storage). */
int findings_set_thresholds(struct findings_config *c, bool crit, const char *list, const char **bad);
/* Ignore the codes of "CODE[,CODE...]"; 0, or -1 with *bad the unknown code. */
int findings_ignore(struct findings_config *c, const char *list, const char **bad);

/* "info", "warning", "critical". */
const char *severity_name(enum severity s);
/* The severity named s; 0, or -1 when s is not a severity name. */
int severity_parse(const char *s, enum severity *out);

/* Number of rules, and the code and default severity of rule i, in the
 * table's order (the order the man page lists them). */
size_t findings_rule_count(void);
const char *findings_rule_code(size_t i);
enum severity findings_rule_severity(size_t i);
/* The name used by --warn/--crit for a threshold ("fd-limit"). */
const char *findings_threshold_name(enum threshold t);

/* Run every rule not ignored over m, keep what reaches c->min_severity and
 * falls in scope, sorted.  out is overwritten; free with findings_free(). */
void findings_compute(const struct model *m, const struct findings_config *c,
		      enum findings_scope scope, struct findings *out);
void findings_free(struct findings *fs);

/* How many findings of each severity (counts[SEV_INFO] ...). */
void findings_tally(const struct findings *fs, size_t counts[SEV_COUNT]);
/* Percentage of p's soft RLIMIT_NOFILE its fds use, or -1 when unknown or
 * unlimited. */
double fd_limit_percent(const struct process *p);

#endif
