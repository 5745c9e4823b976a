/* render_prom.c - metrics in the Prometheus text exposition format (0.0.4),
 * for node_exporter's textfile collector:
 *
 *   # HELP name text        (text escapes only backslash and newline)
 *   # TYPE name gauge
 *   name{label="value",...} number
 *
 * Every metric is a gauge: each run is a fresh snapshot.  Label values pass
 * through escape_prom_label() (backslash, double quote and newline escaped,
 * invalid UTF-8 replaced).  findings carries every code with every severity,
 * zeros included, so a series never vanishes when a problem goes away;
 * fdshare_zombies has an unlabelled 0 sample when there are none. */
#include "render/render.h"
#include "base/escape.h"
#include "findings/findings.h"
#include "model/stats.h"
#include "base/util.h"

#include <string.h>

static void family(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* Counts print as integers, the rest with six significant digits. */
static void gauge(FILE *out, const char *name, const char *help, double v)
{
	family(out, name, help);
	if (v == (double)(long long)v)
		fprintf(out, "%s %lld\n", name, (long long)v);
	else
		fprintf(out, "%s %.6g\n", name, v);
}

static void findings_family(FILE *out, const struct findings *fs)
{
	size_t r, i, n;
	int sev;

	family(out, "fdshare_findings", "Findings by code and severity (see fdshare(1), FINDINGS).");
	for (r = 0; r < findings_rule_count(); r++) {
		const char *code = findings_rule_code(r);
		for (sev = 0; sev < SEV_COUNT; sev++) {
			for (n = 0, i = 0; i < fs->n; i++)
				n += fs->v[i].severity == (enum severity)sev && strcmp(fs->v[i].code, code) == 0;
			fprintf(out, "fdshare_findings{code=\"%s\",severity=\"%s\"} %zu\n", code,
				severity_name((enum severity)sev), n);
		}
	}
}

static void zombies_family(FILE *out, const struct scan_stats *s)
{
	struct strbuf sb;
	size_t i;

	family(out, "fdshare_zombies", "Zombie processes, by the command name of their parent.");
	sb_init(&sb);
	for (i = 0; i < s->nzombie_parents; i++) {
		const char *comm = s->zombie_parents[i].parent_comm;
		sb.len = 0;
		escape_prom_label(&sb, comm, strlen(comm));
		fprintf(out, "fdshare_zombies{parent_comm=\"%s\"} %zu\n", sb.buf,
			s->zombie_parents[i].zombies);
	}
	/* No zombies: one sample of 0 (an absent series would read as "no
	 * data" to an alert); sum(fdshare_zombies) is the total either way. */
	if (!s->nzombie_parents)
		fprintf(out, "fdshare_zombies 0\n");
	sb_free(&sb);
}

int render_prometheus(const struct model *m, const struct findings *fs, bool selected_only, FILE *out)
{
	struct scan_stats s;

	stats_compute(m, selected_only, &s);
	gauge(out, "fdshare_processes", "Processes scanned (with -p/-u/-c: the selected ones).",
	      (double)s.processes);
	gauge(out, "fdshare_processes_unreadable",
	      "Processes whose fds could not be read (their findings are missing).", (double)s.unreadable);
	gauge(out, "fdshare_processes_vanished", "Processes that ended during the scan.",
	      (double)s.vanished);
	gauge(out, "fdshare_fds_open", "File descriptors open in the processes scanned.", (double)s.fds);
	gauge(out, "fdshare_fds_unreadable", "File descriptors whose details could not be read.",
	      (double)s.fd_errors);
	gauge(out, "fdshare_open_file_descriptions", "Open file descriptions found.", (double)s.ofds);
	gauge(out, "fdshare_open_file_descriptions_shared",
	      "Open file descriptions held by several processes.", (double)s.shared_ofds);
	zombies_family(out, &s);
	findings_family(out, fs);
	gauge(out, "fdshare_fd_usage_ratio_max",
	      "Highest ratio of open fds to the soft RLIMIT_NOFILE of one process.",
	      s.fd_usage_max < 0 ? 0 : s.fd_usage_max / 100);
	gauge(out, "fdshare_deleted_open_bytes",
	      "Bytes of deleted files still held open, each file counted once.",
	      (double)s.deleted_bytes);
	gauge(out, "fdshare_scan_complete", "1 when every process and fd could be read, else 0.",
	      s.complete ? 1 : 0);
	gauge(out, "fdshare_scan_duration_seconds", "How long the scan took.", m->scan_seconds);
	stats_free(&s);
	fflush(out);
	return ferror(out) ? -1 : 0;
}
