/* render_locks.c - locks in text and JSON (see render_locks.h). */
#include "render/render_locks.h"
#include "base/escape.h"
#include "model/locks.h"
#include "render/render_wrap.h"
#include "render/render_parallel.h"

#include <libsmartcols.h>
#include <stdlib.h>
#include <string.h>

#define FD_LOCKS_MAX 64          /* locks listed per fd; more are a pathology */

/* ---- per fd ---- */

void locks_text_cell(const struct model *m, const struct fd_entry *f, struct strbuf *out)
{
	const struct held_lock *v[FD_LOCKS_MAX];
	size_t n = locks_of_fd(m, f, v, FD_LOCKS_MAX), i;

	if (!n) {
		sb_adds(out, "-");
		return;
	}
	for (i = 0; i < n; i++) {
		if (i)
			sb_adds(out, "; ");
		locks_say_lock(v[i], out);
		if (v[i]->nwaiters)
			sb_printf(out, ", %zu waiting", v[i]->nwaiters);
	}
}

static void json_range(struct json *j, bool have, long long start, long long end)
{
	if (!have) {
		json_kv_null(j, "start");
		json_kv_null(j, "end");
		return;
	}
	json_kv_int(j, "start", start);
	if (end < 0)
		json_kv_null(j, "end");
	else
		json_kv_int(j, "end", end);
}

static void json_pid_or_null(struct json *j, const char *key, int pid)
{
	if (pid > 0)
		json_kv_int(j, key, pid);
	else
		json_kv_null(j, key);
}

static void write_waiter(struct json *j, const struct model *m, const struct lock_waiter *w,
			 bool with_state)
{
	const struct process *p = w->pid > 0 ? model_process(m, w->pid) : NULL;
	struct strbuf sb;

	json_object_begin(j);
	json_pid_or_null(j, "pid", w->pid);
	json_pid_or_null(j, "tid", w->tid);
	if (w->fd >= 0)
		json_kv_int(j, "fd", w->fd);
	else
		json_kv_null(j, "fd");
	json_kv_string(j, "kind", lk_kind_name(w->kind));
	json_kv_string(j, "type", w->have_type ? lk_type_name(w->type) : NULL);
	json_range(j, w->have_range, w->start, w->end);
	json_kv_int(j, "depth", w->depth);
	if (with_state) {
		sb_init(&sb);
		if (p && !p->gone)
			locks_say_state(m, p, &sb);
		json_kv_bytes(j, "activity", sb.len ? sb.buf : NULL, sb.len);
		sb_free(&sb);
	}
	json_object_end(j);
}

/* The keys a lock has in both places (per fd and top level). */
static void write_lock_keys(struct json *j, const struct model *m, const struct held_lock *l,
			    bool with_state)
{
	size_t i;

	json_kv_int(j, "id", l->id);
	json_kv_string(j, "kind", lk_kind_name(l->kind));
	json_kv_string(j, "type", lk_type_name(l->type));
	json_range(j, true, l->start, l->end);
	/* the owner of a POSIX lock; flock, OFD and lease belong to the description */
	json_pid_or_null(j, "pid", l->kind == LK_POSIX ? l->pid : 0);
	json_pid_or_null(j, "taken_by", l->kind != LK_POSIX && l->kind != LK_OFD ? l->pid : 0);
	if (l->ofd)
		json_kv_int(j, "ofd", l->ofd);
	else
		json_kv_null(j, "ofd");
	json_key(j, "waiters");
	json_array_begin(j);
	for (i = 0; i < l->nwaiters; i++)
		write_waiter(j, m, &l->waiters[i], with_state);
	json_array_end(j);
}

void locks_json_cell(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct held_lock *v[FD_LOCKS_MAX];
	size_t n = locks_of_fd(m, f, v, FD_LOCKS_MAX), i;

	json_array_begin(j);
	for (i = 0; i < n; i++) {
		json_object_begin(j);
		write_lock_keys(j, m, v[i], false);
		json_object_end(j);
	}
	json_array_end(j);
}

/* ---- which locks an output lists ---- */

static const struct fd_entry *waiter_fd(const struct model *m, const struct lock_waiter *w)
{
	const struct process *p = w->pid > 0 ? model_process(m, w->pid) : NULL;
	size_t i;

	for (i = 0; p && w->fd >= 0 && i < p->nfds; i++)
		if (p->fds[i].fd == w->fd)
			return &p->fds[i];
	return NULL;
}

static bool lock_listed(const struct model *m, const struct held_lock *l, enum render_mode mode)
{
	const struct process *p;
	const struct fd_entry *f;
	size_t i;

	if (mode == MODE_OVERVIEW || (mode == MODE_PATHS && l->path_match))
		return true;
	for (i = 0; i < l->nfds; i++)
		if (mode == MODE_SELECTION ? l->fds[i]->proc->selected : l->fds[i]->path_match)
			return true;
	if (mode == MODE_SELECTION && l->owner && l->owner->selected)
		return true;
	for (i = 0; i < l->nwaiters; i++) {
		p = l->waiters[i].pid > 0 ? model_process(m, l->waiters[i].pid) : NULL;
		f = waiter_fd(m, &l->waiters[i]);
		if (mode == MODE_SELECTION ? p && p->selected : f && f->path_match)
			return true;
	}
	return false;
}

/* ---- top-level JSON ---- */

static void write_holders(struct json *j, const struct model *m, const struct held_lock *l)
{
	const struct process *const *procs = l->holders;
	size_t n = l->nholders, i, k;
	struct strbuf sb;

	sb_init(&sb);
	json_key(j, "holders");
	json_array_begin(j);
	for (i = 0; i < n; i++) {
		json_object_begin(j);
		json_kv_int(j, "pid", procs[i]->pid);
		json_key(j, "fds");
		json_array_begin(j);
		for (k = 0; k < l->nfds; k++)
			if (l->fds[k]->proc == procs[i])
				json_int(j, l->fds[k]->fd);
		json_array_end(j);
		sb.len = 0;
		locks_say_state(m, procs[i], &sb);
		json_kv_bytes(j, "activity", sb.buf, sb.len);
		json_object_end(j);
	}
	json_array_end(j);
	sb_free(&sb);
}

struct lock_items {
	const struct model *m;
	enum render_mode mode;
};

static size_t lock_weight(size_t i, void *arg)
{
	const struct lock_items *li = arg;

	return 1 + li->m->locks->locks[i].nfds;
}

static void write_lock_item(struct json *j, size_t i, void *arg)
{
	const struct lock_items *li = arg;
	const struct held_lock *l = &li->m->locks->locks[i];
	struct strbuf sb;
	char dev[32];

	if (!lock_listed(li->m, l, li->mode))
		return;
	json_object_begin(j);
	write_lock_keys(j, li->m, l, true);
	snprintf(dev, sizeof(dev), "%02x:%02x", l->major, l->minor);
	json_kv_string(j, "dev", dev);
	json_kv_uint(j, "inode", l->ino);
	sb_init(&sb);
	if (l->nfds || l->via)
		locks_say_file(l, &sb);
	json_kv_bytes(j, "file", sb.len ? sb.buf : NULL, sb.len);
	sb_free(&sb);
	json_kv_bool(j, "in_proc_locks", l->in_proc_locks);
	write_holders(j, li->m, l);
	json_object_end(j);
}

void render_locks_json(struct json *j, const struct model *m, enum render_mode mode)
{
	const struct lock_table *t = m->locks;
	struct lock_items li = { m, mode };
	struct render_items it = { t ? t->nlocks : 0, lock_weight, write_lock_item, &li };

	/* what /proc/locks could not tell (the fdinfo lock lines still count) */
	json_kv_string(j, "locks_error", t && t->proc_locks_err ? errno_name(t->proc_locks_err) : NULL);
	json_key(j, "locks");
	json_array_begin(j);
	render_items_json(j, &it, render_threads());
	json_array_end(j);
}

/* ---- text ---- */

static void set_cell(struct libscols_line *ln, size_t col, struct strbuf *sb)
{
	scols_line_set_data(ln, col, sb->buf ? sb->buf : "");
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

static void lock_holders_text(const struct held_lock *l, struct strbuf *sb)
{
	size_t i;

	if (!l->nfds) {
		if (l->owner)
			sb_printf(sb, "%d (%s)", l->owner->pid, l->owner->comm);
		else
			sb_adds(sb, "? (not readable)");
		return;
	}
	for (i = 0; i < l->nfds; i++) {
		if (i)
			sb_adds(sb, ", ");
		sb_printf(sb, "%d (%s) fd %d", l->fds[i]->proc->pid, l->fds[i]->proc->comm, l->fds[i]->fd);
	}
}

static void waiter_text(const struct model *m, const struct lock_waiter *w, struct strbuf *sb)
{
	const struct process *p = w->pid > 0 ? model_process(m, w->pid) : NULL;

	if (p)
		sb_printf(sb, "%d (%s)", p->pid, p->comm);
	else if (w->pid > 0)
		sb_printf(sb, "%d", w->pid);
	else
		sb_adds(sb, "?");
	if (w->fd >= 0)
		sb_printf(sb, " fd %d", w->fd);
}

static void lock_row(struct libscols_table *tb, const struct model *m, const struct held_lock *l,
		     struct strbuf *cell)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	size_t i;

	sb_printf(cell, "%d", l->id);
	set_cell(ln, 0, cell);
	sb_adds(cell, lk_kind_name(l->kind));
	set_cell(ln, 1, cell);
	sb_adds(cell, lk_type_name(l->type));
	set_cell(ln, 2, cell);
	if (l->end < 0)
		sb_printf(cell, "%lld-EOF", l->start);
	else
		sb_printf(cell, "%lld-%lld", l->start, l->end);
	set_cell(ln, 3, cell);
	if (l->pid > 0)
		sb_printf(cell, "%d", l->pid);
	else
		sb_adds(cell, "-");
	set_cell(ln, 4, cell);
	lock_holders_text(l, cell);
	set_cell(ln, 5, cell);
	for (i = 0; i < l->nwaiters; i++) {
		if (i)
			sb_adds(cell, ", ");
		waiter_text(m, &l->waiters[i], cell);
	}
	if (!l->nwaiters)
		sb_adds(cell, "-");
	set_cell(ln, 6, cell);
	locks_say_file(l, cell);
	set_cell(ln, 7, cell);
}

/* "  17 (flock) fd 3 waits for lock 1 (flock write): held by 12 (bash),
 * sleeping in wait4 (do_wait)" */
static void wait_line(const struct model *m, const struct held_lock *l, const struct lock_waiter *w,
		      const struct render_options *o, struct strbuf *sb)
{
	const struct process *const *procs = l->holders;
	size_t n = l->nholders, i;
	struct strbuf esc;

	sb->len = 0;
	sb_adds(sb, "  ");
	waiter_text(m, w, sb);
	sb_printf(sb, " waits for lock %d (", l->id);
	locks_say_lock(l, sb);
	sb_adds(sb, n ? "), held by " : "), held by a process that could not be read");
	for (i = 0; i < n; i++) {
		const struct held_lock *next = locks_awaited(m, procs[i]);
		if (i)
			sb_adds(sb, "; ");
		sb_printf(sb, "%d (%s): ", procs[i]->pid, procs[i]->comm);
		locks_say_state(m, procs[i], sb);
		if (next)   /* the chain goes on: its own Waiting line follows it */
			sb_printf(sb, ", itself waiting for lock %d", next->id);
	}
	/* names are raw bytes: escape them for the terminal, then fold */
	sb_init(&esc);
	escape_text(&esc, sb->buf, sb->len);
	wrap_write(o->out, esc.buf ? esc.buf : "", 0, 4, o->width);
	sb_free(&esc);
}

void render_locks_text(const struct model *m, const struct render_options *o)
{
	enum render_mode mode = render_mode_of(m, o);
	const struct lock_table *t = m->locks;
	struct libscols_table *tb;
	struct strbuf cell;
	size_t i, k, shown = 0, waiting = 0;
	static const char *const columns[] = {
		"LOCK", "KIND", "TYPE", "RANGE", "PID", "HOLDERS", "WAITERS", "FILE",
	};

	for (i = 0; t && i < t->nlocks; i++)
		if (lock_listed(m, &t->locks[i], mode)) {
			shown++;
			waiting += t->locks[i].nwaiters;
		}
	if (!shown || !(tb = render_table_new(o)))
		return;
	for (i = 0; i < ARRAY_LEN(columns); i++)
		scols_table_new_column(tb, columns[i], 0,
				       i == 0 || i == 4 ? SCOLS_FL_RIGHT : i >= 5 ? SCOLS_FL_WRAP : 0);
	sb_init(&cell);
	fputs("\nLocks:\n", o->out);
	for (i = 0; i < t->nlocks; i++)
		if (lock_listed(m, &t->locks[i], mode))
			lock_row(tb, m, &t->locks[i], &cell);
	render_print_table(tb, o);   /* HOLDERS, WAITERS, FILE fold on a narrow terminal */
	if (waiting) {
		fputs("Waiting:\n", o->out);
		for (i = 0; i < t->nlocks; i++)
			for (k = 0; lock_listed(m, &t->locks[i], mode) && k < t->locks[i].nwaiters; k++)
				wait_line(m, &t->locks[i], &t->locks[i].waiters[k], o, &cell);
	}
	sb_free(&cell);
}
