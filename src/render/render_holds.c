/* render_holds.c - the PATH output's sections besides the fd table: what each
 * PATH argument is, and the processes holding it as cwd, rtd, txt or mem;
 * and the "holds" key of a process in JSON.  One function per section, so
 * render_text.c's PATH mode stays a list of sections. */
#include "render/render.h"
#include "scan/holds.h"
#include "base/escape.h"
#include "base/util.h"

#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

void render_path_queries(const struct render_options *o)
{
	struct strbuf sb;
	size_t i;

	if (!o->queries || render_rows_only(o))
		return;
	sb_init(&sb);
	for (i = 0; i < o->npaths; i++) {
		const struct path_query *q = &o->queries[i];
		sb.len = 0;
		escape_text(&sb, q->arg, strlen(q->arg));
		if (q->kind == PQ_MOUNT)
			fprintf(o->out, "%s: mount point (%s, device %u:%u): everything on that file system\n",
				sb.buf, q->fstype, major(q->dev), minor(q->dev));
		else if (q->kind == PQ_DIR)
			fprintf(o->out, "%s: directory: it and everything under it\n", sb.buf);
		else if (q->kind == PQ_NAME)
			fprintf(o->out, "%s: could not be resolved in time (a dead mount?): matched by name only\n",
				sb.buf);
	}
	sb_free(&sb);
}

static void hold_row(struct libscols_table *tb, const struct process *p, const struct hold *h,
		     struct strbuf *sb)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);

	sb->len = 0;
	sb_printf(sb, "%d", p->pid);
	scols_line_set_data(ln, 0, sb->buf);
	scols_line_set_data(ln, 1, p->comm);
	scols_line_set_data(ln, 2, hold_how_name(h->how));
	sb->len = 0;
	if (h->have_dev)
		sb_printf(sb, "%u:%u", major(h->dev), minor(h->dev));
	else
		sb_adds(sb, "?");
	scols_line_set_data(ln, 3, sb->buf);
	sb->len = 0;
	if (h->have_ino)
		sb_printf(sb, "%llu", h->ino);
	else
		sb_adds(sb, "?");
	scols_line_set_data(ln, 4, sb->buf);
	scols_line_set_data(ln, 5, h->path);
}

void render_path_holds(const struct model *m, const struct render_options *o)
{
	struct libscols_table *tb;
	struct strbuf sb;
	size_t i, j, n = 0, procs = 0;

	for (i = 0; i < m->nprocs; i++) {
		size_t k = 0;
		for (j = 0; !m->procs[i].gone && j < m->procs[i].nholds; j++)
			k += m->procs[i].holds[j].path_match;
		n += k;
		procs += k > 0;
	}
	if (!n || o->ntypes)
		return;
	if (!render_rows_only(o))
		fprintf(o->out, "\n%zu process%s hold%s it otherwise (cwd, rtd root directory, txt program, mem mapped):\n",
			procs, procs == 1 ? "" : "es", procs == 1 ? "s" : "");
	tb = render_table_new(o);
	if (!tb)
		return;
	scols_table_new_column(tb, "PID", 0, SCOLS_FL_RIGHT);
	scols_table_new_column(tb, "COMMAND", 0, 0);
	scols_table_new_column(tb, "HOW", 0, 0);
	scols_table_new_column(tb, "DEVICE", 0, 0);
	scols_table_new_column(tb, "INODE", 0, SCOLS_FL_RIGHT);
	scols_table_new_column(tb, "TARGET", 0, SCOLS_FL_WRAP);
	sb_init(&sb);
	for (i = 0; i < m->nprocs; i++)
		for (j = 0; !m->procs[i].gone && j < m->procs[i].nholds; j++)
			if (m->procs[i].holds[j].path_match)
				hold_row(tb, &m->procs[i], &m->procs[i].holds[j], &sb);
	sb_free(&sb);
	render_print_table(tb, o);
}

/* An fd matching a PATH as a hold: "how": "fd 3", with its fd number. */
static void fd_hold_json(struct json *j, const struct fd_entry *f)
{
	char how[32], dev[32];

	snprintf(how, sizeof(how), "fd %d", f->fd);
	json_object_begin(j);
	json_kv_string(j, "how", how);
	json_kv_int(j, "fd", f->fd);
	json_kv_bytes(j, "path", f->target, f->target_len);
	snprintf(dev, sizeof(dev), "%u:%u", major(f->st_dev), minor(f->st_dev));
	json_kv_string(j, "dev", f->have_stat ? dev : NULL);
	if (f->have_facts)
		json_kv_uint(j, "ino", f->ino);
	else
		json_kv_null(j, "ino");
	json_kv_bool(j, "deleted", f->deleted);
	json_kv_bool(j, "deleted_code", false);
	json_object_end(j);
}

void render_holds_json(struct json *j, const struct process *p, bool path_mode)
{
	char dev[32];
	size_t i;

	json_key(j, "holds");
	json_array_begin(j);
	for (i = 0; path_mode && i < p->nfds; i++)
		if (p->fds[i].path_match)
			fd_hold_json(j, &p->fds[i]);
	for (i = 0; i < p->nholds; i++) {
		const struct hold *h = &p->holds[i];
		if (path_mode ? !h->path_match : !h->deleted_text)
			continue;
		json_object_begin(j);
		json_kv_string(j, "how", hold_how_name(h->how));
		json_kv_bytes(j, "path", h->path, h->path_len);
		snprintf(dev, sizeof(dev), "%u:%u", major(h->dev), minor(h->dev));
		json_kv_string(j, "dev", h->have_dev ? dev : NULL);
		if (h->have_ino)
			json_kv_uint(j, "ino", h->ino);
		else
			json_kv_null(j, "ino");
		json_kv_bool(j, "deleted", h->deleted);
		json_kv_bool(j, "deleted_code", h->deleted_text);
		json_object_end(j);
	}
	json_array_end(j);
	json_kv_string(j, "holds_error", p->holds_err ? errno_name(p->holds_err) : NULL);
}
