/* render_json.c - the JSON document, schema 1, streamed as it is written.
 * Every key is documented in man/fdshare.1 (JSON OUTPUT). */
#include "render/render.h"
#include "render/render_locks.h"
#include "render/render_parallel.h"
#include "render/json_cache.h"
#include "base/escape.h"
#include "scan/fd.h"
#include "scan/holds.h"
#include "base/json.h"
#include "model/tree.h"
#include "base/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_VERSION 1


static const char *kcmp_state_name(enum kcmp_state k)
{
	switch (k) {
	case KCMP_OK: return "ok";
	case KCMP_PARTIAL_EPERM: return "EPERM";
	case KCMP_UNAVAILABLE: return "ENOSYS";
	case KCMP_DISABLED: return "disabled";
	}
	return "unknown";
}

static void write_scan(struct json *j, const struct model *m)
{
	size_t i, live = 0, shared = 0;

	for (i = 0; i < m->nprocs; i++)
		live += !m->procs[i].gone;
	for (i = 0; i < m->nofds; i++)
		shared += m->ofds[i].nholders > 1;
	json_key(j, "scan");
	json_object_begin(j);
	json_kv_uint(j, "processes", live);
	json_kv_uint(j, "fds", m->nfds);
	json_kv_uint(j, "unreadable", m->unreadable);
	json_kv_uint(j, "fd_errors", m->fd_errors);
	json_kv_uint(j, "vanished", m->vanished);
	json_kv_uint(j, "ofds", m->nofds);
	json_kv_uint(j, "shared_ofds", shared);
	json_kv_string(j, "kcmp", kcmp_state_name(m->kcmp));
	json_kv_uint(j, "kcmp_calls", m->kcmp_calls);
	json_kv_int(j, "milliseconds", (long long)(m->scan_seconds * 1000.0 + 0.5));
	json_kv_string(j, "source", m->source ? m->source : "proc");
	if (m->source_fallback[0])
		json_kv_string(j, "fallback", m->source_fallback);
	if (m->relocated_by)
		json_kv_string(j, "relocated_by", m->relocated_by);
	json_kv_bool(j, "narrowed", m->narrowed);
	if (m->narrow_refused[0])
		json_kv_string(j, "narrow_refused", m->narrow_refused);
	json_object_end(j);
}

/* Every process whose fds could not be read, whatever the mode: with -p
 * these are the places a sharing holder could hide. */
void render_unreadable_json(struct json *j, const struct model *m)
{
	size_t i;

	json_key(j, "unreadable");
	json_array_begin(j);
	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		if (p->gone || !p->err)
			continue;
		json_object_begin(j);
		json_kv_int(j, "pid", p->pid);
		json_kv_bytes(j, "comm", p->comm, strlen(p->comm));
		json_kv_string(j, "error", errno_name(p->err));
		json_object_end(j);
	}
	json_array_end(j);
}

/* The fd table's JSON fields with their keys quoted once (a key per field
 * per fd is most of what the document spends on keys). */
static struct fd_json_field {
	const struct fd_field *field;
	struct json_qkey key;
} *fd_json_fields;
static size_t fd_json_nfields;
static pthread_once_t fd_json_once = PTHREAD_ONCE_INIT;

static void fd_json_fields_make(void)
{
	size_t i;

	fd_json_fields = xcalloc(fd_nfields, sizeof(*fd_json_fields));
	for (i = 0; i < fd_nfields; i++) {
		struct fd_json_field *jf = &fd_json_fields[fd_json_nfields];
		if (!fd_fields[i].json_key || !fd_fields[i].json)
			continue;
		jf->field = &fd_fields[i];
		json_qkey_make(&jf->key, fd_fields[i].json_key);   /* else json_key */
		fd_json_nfields++;
	}
}

static void write_fd(struct json *j, const struct model *m, const struct fd_entry *f)
{
	size_t i;

	json_object_begin(j);
	for (i = 0; i < fd_json_nfields; i++) {
		const struct fd_json_field *jf = &fd_json_fields[i];
		if (jf->field->present && !jf->field->present(f))
			continue;
		if (jf->key.len)
			json_key_quoted(j, &jf->key);
		else
			json_key(j, jf->field->json_key);
		jf->field->json(m, f, j);
	}
	json_object_end(j);
}

/* "cmdline", and "cmdline_hex" (every argument's bytes in hex) right after
 * it when an argument is not valid UTF-8, as for any other _hex key. */
static void write_cmdline(struct json *j, const struct process *p)
{
	struct strbuf sb;
	bool invalid = false;
	size_t i;

	json_key(j, "cmdline");
	json_array_begin(j);
	for (i = 0; p->cmdline && p->cmdline[i]; i++)
		invalid |= json_string_len(j, p->cmdline[i], strlen(p->cmdline[i]));
	json_array_end(j);
	if (!invalid)
		return;
	json_key(j, "cmdline_hex");
	json_array_begin(j);
	sb_init(&sb);
	for (i = 0; p->cmdline[i]; i++) {
		sb.len = 0;
		hex_encode(&sb, p->cmdline[i], strlen(p->cmdline[i]));
		json_string(j, sb.buf);
	}
	sb_free(&sb);
	json_array_end(j);
}

/* The program, the fd limit and the signal dispositions, as the findings
 * use them; null where unknown (a kernel thread, a zombie, unreadable). */
static void write_process_more(struct json *j, const struct process *p)
{
	bool masks = p->sigignore[0] && p->sigcatch[0] && p->sigblocked[0];

	json_kv_bytes(j, "exe", p->exe, p->exe ? p->exe_len : 0);
	if (p->have_nofile) {
		json_key(j, "fd_limit");
		json_object_begin(j);
		if (p->nofile.soft_unlimited)
			json_kv_null(j, "soft");
		else
			json_kv_uint(j, "soft", p->nofile.soft);
		if (p->nofile.hard_unlimited)
			json_kv_null(j, "hard");
		else
			json_kv_uint(j, "hard", p->nofile.hard);
		json_object_end(j);
	} else {
		json_kv_null(j, "fd_limit");
	}
	json_kv_string(j, "sigignore", masks ? p->sigignore : NULL);
	json_kv_string(j, "sigcatch", masks ? p->sigcatch : NULL);
	json_kv_string(j, "sigblocked", masks ? p->sigblocked : NULL);
}

static void write_process_head(struct json *j, const struct process *p, bool partial)
{
	char state[2] = { p->state, '\0' };
	int i;

	json_kv_int(j, "pid", p->pid);
	json_kv_int(j, "ppid", p->ppid);
	json_kv_int(j, "tgid", p->tgid);
	json_kv_int(j, "pgrp", p->pgrp);
	json_kv_int(j, "sid", p->sid);
	json_kv_bytes(j, "comm", p->comm, strlen(p->comm));
	write_cmdline(j, p);
	json_kv_string(j, "state", state);
	json_kv_uint(j, "uid", p->ruid);
	json_kv_uint(j, "euid", p->euid);
	json_kv_string(j, "user", uid_name(p->ruid));
	json_kv_int(j, "threads", p->threads);
	json_key(j, "nspid");
	json_array_begin(j);
	for (i = 0; i < p->nspid_count; i++)
		json_int(j, p->nspid[i]);
	json_array_end(j);
	json_kv_uint(j, "start_time", p->start_time);
	json_kv_bool(j, "kernel_thread", p->is_kthread);
	write_process_more(j, p);
	json_kv_string(j, "error", p->err ? errno_name(p->err) : NULL);
	json_kv_bool(j, "partial", partial);
}

static void json_kv_tri(struct json *j, const char *key, enum tri v)
{
	if (v == TRI_UNKNOWN)
		json_kv_null(j, key);
	else
		json_kv_bool(j, key, v == TRI_TRUE);
}

/* Tree keys of a process (fdshare(1), TREE): what /proc proves about its
 * parent and about it as a subreaper, or the kernel's subreaper flag when
 * the BPF part read it ("source": "bpf"); null where nothing can be said. */
static void write_tree_keys(struct json *j, const struct tree *t, const struct process *p)
{
	const struct tree_node *nd = tree_node_of(t, p);
	unsigned bit;

	if (!nd)
		return;
	json_kv_bool(j, "pidns_init", nd->pidns_init);
	json_kv_bool(j, "zombie", nd->zombie);
	json_kv_tri(j, "subreaper", nd->subreaper);
	json_kv_tri(j, "reparented", nd->reparented);
	json_kv_string(j, "source", nd->exact ? "bpf" : "evidence");
	json_key(j, "reparent_evidence");
	json_array_begin(j);
	for (bit = 1; bit <= REPARENT_START; bit <<= 1)
		if (nd->evidence & bit)
			json_string(j, reparent_evidence_name(bit));
	json_array_end(j);
	if (nd->reparented == TRI_TRUE) {
		json_kv_int(j, "adopted_by", t->nodes[nd->parent].proc->pid);
		json_kv_string(j, "adopter", nd->adopter == ADOPTER_PIDNS_INIT ? "pidns_init" : "subreaper");
	} else {
		json_kv_null(j, "adopted_by");
		json_kv_null(j, "adopter");
	}
}

/* which: 0 all fds, 1 related fds only, 2 PATH matches only; and only
 * those of the --type types */
static void write_process(struct json *j, const struct model *m, const struct process *p, int which,
			  const struct render_options *o)
{
	size_t i;

	json_object_begin(j);
	write_process_head(j, p, which != 0);
	write_tree_keys(j, m->tree, p);
	json_kv_uint(j, "fd_count", p->fds_partial ? p->fd_count : p->nfds);
	json_key(j, "fds");
	json_array_begin(j);
	for (i = 0; i < p->nfds; i++) {
		const struct fd_entry *f = &p->fds[i];
		if ((which == 1 && !f->related) || (which == 2 && !f->path_match) ||
		    !fd_type_matches(f, o->types, o->ntypes))
			continue;
		write_fd(j, m, f);
	}
	json_array_end(j);
	render_holds_json(j, p, which == 2);
	json_object_end(j);
}

static bool has_path_match(const struct process *p)
{
	size_t i;
	for (i = 0; i < p->nfds; i++)
		if (p->fds[i].path_match)
			return true;
	return holds_any_match(p);
}

struct process_items {
	const struct model *m;
	enum render_mode mode;
	const bool *view;
	const struct render_options *o;
};

static size_t process_weight(size_t i, void *arg)
{
	const struct process_items *pi = arg;

	return 1 + pi->m->procs[i].nfds;
}

/* Process i, in full or its related or matching fds, if it is listed. */
static void write_process_item(struct json *j, size_t i, void *arg)
{
	const struct process_items *pi = arg;
	const struct process *p = &pi->m->procs[i];
	const struct render_options *o = pi->o;
	enum render_mode mode = pi->mode;

	if (p->gone)
		return;
	if (pi->view) {
		if (pi->view[i])
			write_process(j, pi->m, p, 0, o);
	} else if (mode == MODE_OVERVIEW)
		write_process(j, pi->m, p, 0, o);
	else if (mode == MODE_SELECTION && p->selected)
		write_process(j, pi->m, p, 0, o);
	else if (mode == MODE_SELECTION && p->related && fd_related_of_types(p, o->types, o->ntypes))
		write_process(j, pi->m, p, 1, o);
	else if (mode == MODE_PATHS && has_path_match(p))
		write_process(j, pi->m, p, 2, o);
}

/* view: with --tree, exactly the processes of the tree view, in full */
static void write_processes(struct json *j, const struct model *m, enum render_mode mode,
			    const bool *view, const struct render_options *o)
{
	struct process_items pi = { m, mode, view, o };
	struct render_items it = { m->nprocs, process_weight, write_process_item, &pi };

	json_key(j, "processes");
	json_array_begin(j);
	render_items_json(j, &it, render_threads());
	json_array_end(j);
}

static bool ofd_listed(const struct ofd_group *g, enum render_mode mode,
		       const struct render_options *o)
{
	size_t i;

	if (g->nholders < 2 || !fd_type_matches(g->holders[0], o->types, o->ntypes))
		return false;
	for (i = 0; i < g->nholders; i++) {
		const struct fd_entry *f = g->holders[i];
		if (mode == MODE_OVERVIEW || (mode == MODE_SELECTION && f->proc->selected) ||
		    (mode == MODE_PATHS && f->path_match))
			return true;
	}
	return false;
}

struct ofd_items {
	const struct model *m;
	enum render_mode mode;
	const struct render_options *o;
};

static size_t ofd_weight(size_t i, void *arg)
{
	const struct ofd_items *oi = arg;

	return 1 + oi->m->ofds[i].nholders / 2;   /* a holder is half an fd's keys */
}

static void write_ofd(struct json *j, const struct ofd_group *g);

static void write_ofd_item(struct json *j, size_t i, void *arg)
{
	const struct ofd_items *oi = arg;

	if (ofd_listed(&oi->m->ofds[i], oi->mode, oi->o))
		write_ofd(j, &oi->m->ofds[i]);
}

static void write_ofd(struct json *j, const struct ofd_group *g)
{
	const struct fd_entry *f = g->holders[0];
	size_t i;

	json_object_begin(j);
	json_kv_int(j, "id", g->id);
	json_kv_bool(j, "verified", ofd_proven(g));
	json_kv_string(j, "proof", ofd_proof_name(g->proof));
	json_kv_string(j, "unverified_reason", unverified_reason(g));
	json_kv_string(j, "type", kind_name(f->kind));
	json_kv_bytes(j, "target", f->target, f->target_len);
	json_kv_string(j, "mode", fd_access_name(f));
	json_kv_uint(j, "pos", f->pos);
	json_kv_int(j, "processes", g->nprocs);
	json_key(j, "holders");
	json_array_begin(j);
	for (i = 0; i < g->nholders; i++) {
		json_object_begin(j);
		json_kv_int(j, "pid", g->holders[i]->proc->pid);
		json_kv_int(j, "fd", g->holders[i]->fd);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

/* A zombie group is listed when its parent or one of its zombies is among
 * the processes listed (all of them in the overview). */
static bool group_listed(const struct model *m, const struct zombie_group *g,
			 enum render_mode mode, const bool *view)
{
	const struct tree *t = m->tree;
	size_t i;

	for (i = 0; i <= g->nchildren; i++) {
		int k = i < g->nchildren ? g->children[i] : g->parent;
		const struct process *p = t->nodes[k].proc;
		if (view ? view[k] : mode == MODE_OVERVIEW || (mode == MODE_SELECTION &&
		    (p->selected || p->related)) || (mode == MODE_PATHS && has_path_match(p)))
			return true;
	}
	return false;
}

static void write_zombie_group(struct json *j, const struct tree *t, const struct zombie_group *g)
{
	const struct process *p = t->nodes[g->parent].proc;
	char state[2] = { p->state, '\0' };
	struct strbuf sb;
	size_t i;
	int r;

	json_object_begin(j);
	json_kv_int(j, "parent", p->pid);
	json_kv_bytes(j, "parent_comm", p->comm, strlen(p->comm));
	json_kv_string(j, "parent_state", state);
	json_kv_bool(j, "parent_pidns_init", t->nodes[g->parent].pidns_init);
	json_kv_uint(j, "count", g->nchildren);
	json_key(j, "children");
	json_array_begin(j);
	for (i = 0; i < g->nchildren; i++) {
		const struct tree_node *c = &t->nodes[g->children[i]];
		double age = tree_age(t, c->proc);
		json_object_begin(j);
		json_kv_int(j, "pid", c->proc->pid);
		json_kv_bytes(j, "comm", c->proc->comm, strlen(c->proc->comm));
		if (age < 0)
			json_kv_null(j, "age_seconds");
		else
			json_kv_uint(j, "age_seconds", (unsigned long long)age);
		json_kv_tri(j, "reparented", c->reparented);
		json_object_end(j);
	}
	json_array_end(j);
	json_kv_string(j, "reason", zombie_reason_code(g->reason));
	json_key(j, "reasons");
	json_array_begin(j);
	for (r = 0; r < ZR_COUNT; r++)
		if (g->reasons & (1u << r))
			json_string(j, zombie_reason_code((enum zombie_reason)r));
	json_array_end(j);
	json_kv_string(j, "explanation", zombie_reason_text(g->reason));
	sb_init(&sb);
	zombie_hint(t, g, &sb);
	json_kv_string(j, "hint", sb.buf);
	sb_free(&sb);
	if (g->heir >= 0)
		json_kv_int(j, "heir", t->nodes[g->heir].proc->pid);
	else
		json_kv_null(j, "heir");
	json_object_end(j);
}

static void write_zombie_groups(struct json *j, const struct model *m, enum render_mode mode,
				const bool *view)
{
	size_t i;

	json_key(j, "zombie_groups");
	json_array_begin(j);
	for (i = 0; i < m->tree->ngroups; i++)
		if (group_listed(m, &m->tree->groups[i], mode, view))
			write_zombie_group(j, m->tree, &m->tree->groups[i]);
	json_array_end(j);
}

int render_json(const struct model *m, const struct render_options *o)
{
	enum render_mode mode = render_mode_of(m, o);
	struct json *j = json_new(o->out, o->pretty);
	bool *view = o->tree ? tree_view(m->tree, m->selection, o->kernel_threads) : NULL;
	struct ofd_items oi = { m, mode, o };
	struct render_items ofds = { m->nofds, ofd_weight, write_ofd_item, &oi };

	json_cache_new_generation();
	pthread_once(&fd_json_once, fd_json_fields_make);
	json_object_begin(j);
	json_kv_int(j, "schema", SCHEMA_VERSION);
	json_kv_string(j, "version", o->version);
	json_kv_bool(j, "complete", model_complete(m));
	json_kv_bool(j, "selection_complete", model_selection_complete(m));
	write_scan(j, m);
	render_unreadable_json(j, m);
	json_kv_string(j, "subreaper_source", m->tree->exact ? "bpf" : "evidence");
	json_kv_string(j, "subreaper_bpf", m->tree->exact ? "ok" : errno_name(m->tree->exact_err));
	write_processes(j, m, mode, view, o);
	json_key(j, "ofds");
	json_array_begin(j);
	render_items_json(j, &ofds, render_threads());
	json_array_end(j);
	write_zombie_groups(j, m, mode, view);
	render_locks_json(j, m, mode);
	free(view);
	render_findings_json(j, o->findings);
	json_object_end(j);
	return json_free(j);
}
