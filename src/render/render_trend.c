/* render_trend.c - the --interval outputs: a table of fd counts over time
 * and what appeared, and one JSON document with every scan's counts (keys
 * documented in fdshare(1), INTERVAL). */
#include "render/render.h"
#include "base/escape.h"
#include "base/json.h"
#include "model/trend.h"
#include "base/util.h"

#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#define GROUPS_SHOWN 3

static const char *status_name(enum trend_status s)
{
	switch (s) {
	case TREND_RUNNING: return "running";
	case TREND_STARTED: return "started";
	case TREND_ENDED: return "ended";
	}
	return "?";
}

/* "+20 reg /var/log/x.log, +20 socket tcp 10.0.0.5:5432 (40 new descriptions)" */
static void new_cell(const struct trend_proc *tp, struct strbuf *sb)
{
	size_t k, shown = 0;

	for (k = 0; k < tp->ngroups && k < GROUPS_SHOWN; k++) {
		sb_printf(sb, "%s+%zu ", k ? ", " : "", tp->groups[k].count);
		sb_adds(sb, tp->groups[k].what);
		shown += tp->groups[k].count;
	}
	if (tp->appeared > shown)
		sb_printf(sb, "%s+%zu other", shown ? ", " : "", tp->appeared - shown);
	if (tp->appeared)
		sb_printf(sb, " (%zu new description%s)", tp->new_ofds, tp->new_ofds == 1 ? "" : "s");
}

static void set(struct libscols_line *ln, size_t col, struct strbuf *sb)
{
	scols_line_set_data(ln, col, sb->buf ? sb->buf : "");
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

static void trend_row(struct libscols_table *tb, const struct trend_proc *tp, struct strbuf *sb)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);

	sb_printf(sb, "%d", tp->pid);
	set(ln, 0, sb);
	scols_line_set_data(ln, 1, tp->comm);
	if (tp->status == TREND_STARTED)
		sb_adds(sb, "-");
	else
		sb_printf(sb, "%ld", tp->before);
	set(ln, 2, sb);
	if (tp->status == TREND_ENDED)
		sb_adds(sb, "-");
	else
		sb_printf(sb, "%ld", tp->after);
	set(ln, 3, sb);
	if (tp->status != TREND_RUNNING) {
		scols_line_set_data(ln, 4, status_name(tp->status));
		return;
	}
	sb_printf(sb, "%+ld", tp->after - tp->before);
	set(ln, 4, sb);
	sb_printf(sb, "%+.1f", tp->rate);
	set(ln, 5, sb);
	scols_line_set_data(ln, 6, tp->steady ? "yes" : "no");
	if (tp->have_limit)
		sb_printf(sb, "%llu", tp->limit);
	else
		sb_adds(sb, "-");
	set(ln, 7, sb);
	if (tp->seconds_to_limit >= 0)
		sb_duration(sb, tp->seconds_to_limit);
	else
		sb_adds(sb, "-");
	set(ln, 8, sb);
	new_cell(tp, sb);
	set(ln, 9, sb);
}

/* After the table: how many did not change, what was not read, findings. */
static void trend_footer(const struct model *m, const struct render_options *o, size_t shown,
			 size_t quiet)
{
	fprintf(o->out, "%s%zu process%s without change\n", shown ? "\n" : "", quiet, quiet == 1 ? "" : "es");
	if (m->unreadable)
		fprintf(o->out, "%zu process%s could not be read: not followed\n", m->unreadable,
			m->unreadable == 1 ? "" : "es");
	if (o->findings)
		render_findings_text(o->findings, o);
}

int render_trend_text(const struct model *m, const struct trend *t, const struct render_options *o)
{
	static const char *const cols[] = { "PID", "COMMAND", "BEFORE", "AFTER", "CHANGE", "RATE/S",
					    "STEADY", "LIMIT", "TIME-TO-LIMIT", "NEW" };
	struct libscols_table *tb;
	bool rows_only = render_rows_only(o);
	struct strbuf sb;
	size_t i, quiet = 0, shown = 0;
	unsigned s;

	if (!rows_only)
		fprintf(o->out, "interval: %u scans %g s apart, fd counts sampled %d times per interval\n",
			t->scans, t->interval, TREND_STEPS);
	for (s = 0; s < t->scans && !rows_only; s++)
		fprintf(o->out, "scan %u at %.1f s: %zu process%s, %zu fds%s\n", s + 1, t->scan[s].at,
			t->scan[s].processes, t->scan[s].processes == 1 ? "" : "es", t->scan[s].fds,
			t->scan[s].unreadable ? " (some processes not readable)" : "");
	tb = render_table_new(o);
	if (!tb)
		return -1;
	for (i = 0; i < ARRAY_LEN(cols); i++)
		scols_table_new_column(tb, cols[i], 0,
				       i == 1 || i >= 6 ? (i == 9 ? SCOLS_FL_WRAP : 0) : SCOLS_FL_RIGHT);
	sb_init(&sb);
	for (i = 0; i < t->nprocs; i++) {
		const struct trend_proc *tp = &t->procs[i];
		if (tp->status == TREND_RUNNING && tp->before == tp->after && !tp->appeared) {
			quiet++;
			continue;
		}
		trend_row(tb, tp, &sb);
		shown++;
	}
	sb_free(&sb);
	if (!rows_only)
		fputc('\n', o->out);
	if (shown)
		render_print_table(tb, o);
	else
		scols_unref_table(tb);
	if (!rows_only)
		trend_footer(m, o, shown, quiet);
	fflush(o->out);
	return ferror(o->out) ? -1 : 0;
}

static void json_ms(struct json *j, const char *key, double seconds)
{
	json_kv_int(j, key, (long long)(seconds * 1000 + 0.5));
}

static void write_trend_proc(struct json *j, const struct trend *t, const struct trend_proc *tp)
{
	size_t i;
	unsigned s;

	json_object_begin(j);
	json_kv_int(j, "pid", tp->pid);
	json_kv_bytes(j, "comm", tp->comm, strlen(tp->comm));
	json_kv_uint(j, "start_time", tp->start_time);
	json_kv_string(j, "status", status_name(tp->status));
	json_key(j, "counts");
	json_array_begin(j);
	for (s = 0; s < t->scans; s++) {
		long v = tp->samples[(size_t)s * TREND_STEPS];
		if (v < 0)
			json_null(j);
		else
			json_int(j, v);
	}
	json_array_end(j);
	json_key(j, "samples");
	json_array_begin(j);
	for (i = 0; i < t->nsamples; i++) {
		if (tp->samples[i] < 0)
			json_null(j);
		else
			json_int(j, tp->samples[i]);
	}
	json_array_end(j);
	if (tp->before < 0) {
		json_kv_null(j, "before");
		json_kv_null(j, "after");
		json_kv_null(j, "change");
	} else {
		json_kv_int(j, "before", tp->before);
		json_kv_int(j, "after", tp->after);
		json_kv_int(j, "change", tp->after - tp->before);
	}
	json_ms(j, "milliseconds", tp->seen_seconds);
	json_kv_int(j, "per_minute", (long long)(tp->rate * 60 + (tp->rate < 0 ? -0.5 : 0.5)));
	json_kv_uint(j, "steps", tp->steps);
	json_kv_uint(j, "rises", tp->rises);
	json_kv_uint(j, "falls", tp->falls);
	json_kv_bool(j, "steady", tp->steady);
	if (tp->have_limit)
		json_kv_uint(j, "limit", tp->limit);
	else
		json_kv_null(j, "limit");
	if (tp->seconds_to_limit >= 0)
		json_kv_int(j, "seconds_to_limit", (long long)(tp->seconds_to_limit + 0.5));
	else
		json_kv_null(j, "seconds_to_limit");
	json_kv_uint(j, "appeared_fds", tp->appeared);
	json_kv_uint(j, "new_ofds", tp->new_ofds);
	json_key(j, "appeared");
	json_array_begin(j);
	for (i = 0; i < tp->ngroups; i++) {
		json_object_begin(j);
		json_kv_bytes(j, "what", tp->groups[i].what, strlen(tp->groups[i].what));
		json_kv_uint(j, "count", tp->groups[i].count);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

int render_trend_json(const struct model *m, const struct trend *t, const struct render_options *o)
{
	struct json *j = json_new(o->out, o->pretty);
	size_t i;
	unsigned s;

	json_object_begin(j);
	json_kv_int(j, "schema", 1);
	json_kv_string(j, "version", o->version);
	json_kv_string(j, "mode", "interval");
	json_kv_bool(j, "complete", trend_complete(t));
	json_key(j, "interval");
	json_object_begin(j);
	json_ms(j, "milliseconds", t->interval);
	json_kv_uint(j, "scans", t->scans);
	json_kv_int(j, "samples_per_interval", TREND_STEPS);
	json_key(j, "sample_milliseconds");
	json_array_begin(j);
	for (i = 0; i < t->nsamples; i++)
		json_int(j, (long long)(t->sample_at[i] * 1000 + 0.5));
	json_array_end(j);
	json_object_end(j);
	json_key(j, "scans");
	json_array_begin(j);
	for (s = 0; s < t->scans; s++) {
		json_object_begin(j);
		json_ms(j, "at_milliseconds", t->scan[s].at);
		json_kv_uint(j, "processes", t->scan[s].processes);
		json_kv_uint(j, "fds", t->scan[s].fds);
		json_kv_uint(j, "unreadable", t->scan[s].unreadable);
		json_kv_bool(j, "complete", t->scan[s].complete);
		json_object_end(j);
	}
	json_array_end(j);
	json_key(j, "processes");
	json_array_begin(j);
	for (i = 0; i < t->nprocs; i++)
		write_trend_proc(j, t, &t->procs[i]);
	json_array_end(j);
	render_unreadable_json(j, m);
	render_findings_json(j, o->findings);
	json_object_end(j);
	return json_free(j);
}
