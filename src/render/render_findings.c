/* render_findings.c - findings for people (the text section), for scripts
 * (the JSON "findings" array) and for monitoring (the --check status line
 * with performance data, as Nagios, Icinga and Sensu read it). */
#include "render/render.h"
#include "render/render_wrap.h"
#include "base/escape.h"
#include "findings/findings.h"
#include "model/stats.h"
#include "base/util.h"

#include <ctype.h>
#include <libsmartcols.h>
#include <string.h>

#define REFS_LISTED 12     /* pids/fds named per finding in text; JSON has all */
#define BRIEF_LISTED 5     /* findings the overview shows before its tables */

static void upper(struct strbuf *sb, const char *s)
{
	for (; *s; s++)
		sb_printf(sb, "%c", toupper((unsigned char)*s));
}

static const char *severity_color(enum severity sev)
{
	return sev == SEV_CRITICAL ? "red" : sev == SEV_WARNING ? "yellow" : "cyan";
}

/* "WARNING exec-leak: message", the severity in its colour, folded to the
 * terminal's width. */
static void headline(const struct finding *f, const struct render_options *o)
{
	struct strbuf sb;
	size_t lead;

	sb_init(&sb);
	upper(&sb, severity_name(f->severity));
	lead = sb.len;
	fprintf(o->out, "%s%s%s", color_on(o->color, severity_color(f->severity)), sb.buf,
		color_off(o->color));
	sb.len = 0;
	sb_printf(&sb, " %s: ", f->code);
	escape_text(&sb, f->message, strlen(f->message));
	/* the leading blank is part of the text: the first word goes on this line */
	fputc(' ', o->out);
	wrap_write(o->out, sb.buf + 1, lead + 1, 4, o->width);
	sb_free(&sb);
}

/* "4210 fd 3, 4211 fd 3" or, without fds, "4210, 4211". */
static void refs_words(struct strbuf *sb, const struct finding *f)
{
	size_t i, n = f->nfds ? f->nfds : f->npids;

	for (i = 0; i < n && i < REFS_LISTED; i++) {
		if (i)
			sb_adds(sb, ", ");
		if (f->nfds)
			sb_printf(sb, "%d fd %d", f->fds[i].pid, f->fds[i].fd);
		else
			sb_printf(sb, "%d", f->pids[i]);
	}
	if (n > REFS_LISTED)
		sb_printf(sb, ", ... %zu more (-J lists all)", n - REFS_LISTED);
}

static void finding_text(const struct finding *f, const struct render_options *o)
{
	struct strbuf sb;

	fputc('\n', o->out);
	headline(f, o);
	sb_init(&sb);
	sb_adds(&sb, f->nfds ? "    fds: " : "    pids: ");
	refs_words(&sb, f);
	wrap_write(o->out, sb.buf, 0, 8, o->width);
	sb.len = 0;
	sb_adds(&sb, "    hint: ");
	escape_text(&sb, f->hint, strlen(f->hint));
	wrap_write(o->out, sb.buf, 0, 10, o->width);
	sb_free(&sb);
}

static void tally_line(const struct findings *fs, const struct render_options *o)
{
	size_t counts[SEV_COUNT];

	if (!fs->n) {
		fputs("\nFindings: none\n", o->out);
		return;
	}
	findings_tally(fs, counts);
	fprintf(o->out, "\nFindings: %s%zu critical%s, %s%zu warning%s, %zu info\n",
		color_on(o->color && counts[SEV_CRITICAL], "red"), counts[SEV_CRITICAL],
		color_off(o->color && counts[SEV_CRITICAL]),
		color_on(o->color && counts[SEV_WARNING], "yellow"), counts[SEV_WARNING],
		color_off(o->color && counts[SEV_WARNING]), counts[SEV_INFO]);
}

void render_findings_text(const struct findings *fs, const struct render_options *o)
{
	size_t i;

	tally_line(fs, o);
	for (i = 0; i < fs->n; i++)
		finding_text(&fs->v[i], o);
}

void render_findings_brief(const struct findings *fs, const struct render_options *o)
{
	size_t i;

	tally_line(fs, o);
	for (i = 0; i < fs->n && i < BRIEF_LISTED; i++)
		headline(&fs->v[i], o);
	if (fs->n > BRIEF_LISTED)
		fprintf(o->out, "... and %zu more; evidence and hints: fdshare --findings\n",
			fs->n - BRIEF_LISTED);
	else if (fs->n)
		fputs("Evidence and hints: fdshare --findings\n", o->out);
}

/* -r/-n --findings: SEVERITY CODE FDS MESSAGE, one row per finding. */
static void findings_rows(const struct findings *fs, const struct render_options *o)
{
	struct libscols_table *tb = render_table_new(o);
	struct strbuf sb;
	size_t i;

	if (!tb)
		return;
	scols_table_new_column(tb, "SEVERITY", 0, 0);
	scols_table_new_column(tb, "CODE", 0, 0);
	scols_table_new_column(tb, "FDS", 0, SCOLS_FL_WRAP);
	scols_table_new_column(tb, "MESSAGE", 0, SCOLS_FL_WRAP);
	sb_init(&sb);
	for (i = 0; i < fs->n; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		scols_line_set_data(ln, 0, severity_name(fs->v[i].severity));
		scols_line_set_data(ln, 1, fs->v[i].code);
		sb.len = 0;
		refs_words(&sb, &fs->v[i]);
		scols_line_set_data(ln, 2, sb.buf ? sb.buf : "");
		sb.len = 0;
		sb_add(&sb, fs->v[i].message, strlen(fs->v[i].message));
		scols_line_set_data(ln, 3, sb.buf ? sb.buf : "");
	}
	sb_free(&sb);
	scols_print_table(tb);
	scols_unref_table(tb);
}

void render_findings_only(const struct findings *fs, const struct render_options *o)
{
	if (render_rows_only(o))
		findings_rows(fs, o);
	else
		render_findings_text(fs, o);
}

/* ---- JSON ---- */

static void evidence_json(struct json *j, const struct finding *f)
{
	size_t i;

	json_key(j, "evidence");
	json_object_begin(j);
	for (i = 0; i < f->nev; i++) {
		const struct evidence *e = &f->ev[i];
		if (e->is_number)
			json_kv_int(j, e->key, e->number);
		else if (e->text)
			json_kv_bytes(j, e->key, e->text, e->len);
		else
			json_kv_null(j, e->key);
	}
	json_object_end(j);
}

static void finding_json(struct json *j, const struct finding *f)
{
	size_t i;

	json_object_begin(j);
	json_kv_string(j, "code", f->code);
	json_kv_string(j, "severity", severity_name(f->severity));
	json_key(j, "pids");
	json_array_begin(j);
	for (i = 0; i < f->npids; i++)
		json_int(j, f->pids[i]);
	json_array_end(j);
	json_key(j, "fds");
	json_array_begin(j);
	for (i = 0; i < f->nfds; i++) {
		json_object_begin(j);
		json_kv_int(j, "pid", f->fds[i].pid);
		json_kv_int(j, "fd", f->fds[i].fd);
		json_object_end(j);
	}
	json_array_end(j);
	json_kv_bytes(j, "message", f->message, strlen(f->message));
	json_kv_bytes(j, "hint", f->hint, strlen(f->hint));
	evidence_json(j, f);
	json_object_end(j);
}

void render_findings_json(struct json *j, const struct findings *fs)
{
	size_t i;

	json_key(j, "findings");
	json_array_begin(j);
	for (i = 0; fs && i < fs->n; i++)
		finding_json(j, &fs->v[i]);
	json_array_end(j);
}

/* ---- --check ---- */

static const char *const status_words[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* "exec-leak x2, fd-limit": the codes in finding order, each once. */
static void codes_words(struct strbuf *sb, const struct findings *fs)
{
	size_t i, k, same;

	for (i = 0; i < fs->n; i++) {
		for (k = 0; k < i && strcmp(fs->v[k].code, fs->v[i].code) != 0; k++)
			;
		if (k < i)
			continue;
		for (same = 0, k = i; k < fs->n; k++)
			same += strcmp(fs->v[k].code, fs->v[i].code) == 0;
		sb_printf(sb, "%s%s", i ? ", " : "", fs->v[i].code);
		if (same > 1)
			sb_printf(sb, " x%zu", same);
	}
}

static void summary_words(struct strbuf *sb, const struct findings *fs, const struct scan_stats *s)
{
	size_t counts[SEV_COUNT];

	findings_tally(fs, counts);
	if (!fs->n) {
		sb_adds(sb, "no findings");
	} else {
		sb_printf(sb, "%zu critical, %zu warning, %zu info (", counts[SEV_CRITICAL],
			  counts[SEV_WARNING], counts[SEV_INFO]);
		codes_words(sb, fs);
		sb_adds(sb, ")");
	}
	sb_printf(sb, "; %zu processes, %zu fds", s->processes, s->fds);
	if (s->unreadable)
		sb_printf(sb, "; incomplete: %zu process%s not readable", s->unreadable,
			  s->unreadable == 1 ? "" : "es");
}

/* Performance data: 'label'=value[UOM];[warn];[crit];[min];[max]. */
static void perfdata(struct strbuf *sb, const struct findings *fs, const struct scan_stats *s,
		     const struct findings_config *c, double seconds)
{
	size_t counts[SEV_COUNT];

	findings_tally(fs, counts);
	sb_printf(sb, "processes=%zu unreadable=%zu fds=%zu shared_ofds=%zu zombies=%zu",
		  s->processes, s->unreadable, s->fds, s->shared_ofds, s->zombies);
	sb_printf(sb, " findings_critical=%zu findings_warning=%zu findings_info=%zu",
		  counts[SEV_CRITICAL], counts[SEV_WARNING], counts[SEV_INFO]);
	sb_printf(sb, " fd_usage_max=%.0f%%;", s->fd_usage_max < 0 ? 0 : s->fd_usage_max);
	if (c->warn[TH_FD_LIMIT] >= 0)
		sb_printf(sb, "%g", c->warn[TH_FD_LIMIT]);
	sb_adds(sb, ";");
	if (c->crit[TH_FD_LIMIT] >= 0)
		sb_printf(sb, "%g", c->crit[TH_FD_LIMIT]);
	sb_printf(sb, ";0;100 deleted_open=%lluB scan_time=%.3fs", s->deleted_bytes, seconds);
}

int render_check(const struct model *m, const struct findings *fs, const struct findings_config *c,
		 int status, bool selected_only, FILE *out)
{
	struct scan_stats s;
	struct strbuf sb;

	stats_compute(m, selected_only, &s);
	sb_init(&sb);
	sb_printf(&sb, "FDSHARE %s - ", status_words[status >= 0 && status <= 3 ? status : 3]);
	summary_words(&sb, fs, &s);
	sb_adds(&sb, " | ");
	perfdata(&sb, fs, &s, c, m->scan_seconds);
	fprintf(out, "%s\n", sb.buf);
	sb_free(&sb);
	stats_free(&s);
	fflush(out);
	return ferror(out) ? -1 : 0;
}
