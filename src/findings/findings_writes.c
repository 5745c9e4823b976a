/* findings_writes.c - the rules about processes writing one regular file.
 *
 * Since Linux 3.14 write() moves a description's offset atomically: the
 * processes that write through ONE description append after each other and
 * never overwrite each other ("cmd >log 2>&1 &" relies on it).  The
 * clobbering comes from SEPARATE descriptions of one file, each with its
 * own offset: each writes where it last was, over what the other wrote.
 *
 *  write-clobber        two or more descriptions of one regular file, each
 *                       open write-only, at least one without O_APPEND, and
 *                       at least one already written through (offset > 0),
 *                       held by live processes: their writes overwrite each
 *                       other.  Not: every writer with O_APPEND; files open
 *                       read-write (databases and mmap'd files write at
 *                       offsets they choose, under locks); a lock file (a
 *                       lock taken through one of its fds: the lock rules'
 *                       subject); descriptions all
 *                       at offset 0, nothing written yet (two shells' lock
 *                       files, "exec 9>lock; flock 9"); one description
 *                       shared by many (below).
 *  shared-offset-write  info: one description of a regular file, open for
 *                       writing without O_APPEND, held as an fd above 2 by
 *                       two or more processes that are not shells, already
 *                       written through (offset > 0).  Their writes do not
 *                       overwrite each other, but an lseek() or ftruncate()
 *                       in one moves the others' offset.  Not: a job's
 *                       stdout/stderr redirected to a file (fds 0-2: normal
 *                       operation); a description a shell hands its commands
 *                       (the lock idiom, "exec 3>out; cmd >&3"); offset 0.
 *
 * Readers through one description (a parent and child splitting a file's
 * data) get no verdict: "{ read header; sort; } <file" and every "while
 * read" loop whose commands read stdin rely on that shared offset, and a
 * snapshot cannot tell a handoff from a race. */
#include "findings/findings_rules.h"
#include "scan/fd.h"

#include <stdlib.h>
#include <string.h>

/* ---- shared-offset-write ---- */

/* Holders of g that count: processes that are not shells holding it as an
 * fd above 2. */
static int writers_beyond_stdio(const struct ofd_group *g)
{
	const struct process *last = NULL;
	int n = 0;
	size_t j;

	for (j = 0; j < g->nholders; j++) {
		const struct fd_entry *h = g->holders[j];
		if (h->fd <= 2 || h->proc == last || is_shell(h->proc))
			continue;
		last = h->proc;
		n++;
	}
	return n;
}

void check_shared_offset_write(const struct model *m, const struct findings_config *c,
			       const struct rule *r, struct findings *out)
{
	size_t i, j;

	(void)c;
	for (i = 0; i < m->nofds; i++) {
		const struct ofd_group *g = &m->ofds[i];
		const struct fd_entry *h = g->holders[0];
		struct finding *f;
		struct strbuf sb;
		int n;

		if (!proven_shared(g) || h->kind != KIND_REG || !fd_writable(h) || fd_append(h) ||
		    h->pos == 0 || (n = writers_beyond_stdio(g)) < 2)
			continue;
		f = finding_new(out, r, r->severity);
		sb_init(&sb);
		say_target(&sb, h);
		sb_printf(&sb, " is open for writing without O_APPEND in one open file description "
			  "that %d processes share (", g->nprocs);
		say_holders(&sb, g);
		sb_adds(&sb, "): their writes follow each other at one offset and do not overwrite "
			"each other, but a seek or truncate in one moves where the others write");
		finding_message(f, &sb);
		sb_adds(&sb, "nothing to do if they only write; if one seeks or truncates, give each "
			"process its own description (open the file in each, with O_APPEND for logs) "
			"or write with pwrite(2)");
		finding_hint(f, &sb);
		for (j = 0; j < g->nholders; j++)
			finding_fd(f, g->holders[j]);
		finding_num(f, "ofd", g->id);
		finding_bytes(f, "target", h->target, h->target_len);
		finding_str(f, "mode", fd_access_name(h));
		finding_num(f, "pos", (long long)h->pos);
		finding_num(f, "processes", g->nprocs);
		finding_num(f, "writers", n);
		finding_done(f);
	}
}

/* ---- write-clobber ---- */

/* A write-only regular file's fd with a known description, of a live
 * process, whose file identity was read. */
static bool file_writer(const struct fd_entry *f)
{
	return f->kind == KIND_REG && f->have_stat && f->ofd > 0 && f->have_facts &&
		f->access == ACCESS_W;
}

static int cmp_writer(const void *x, const void *y)
{
	const struct fd_entry *a = *(struct fd_entry *const *)x, *b = *(struct fd_entry *const *)y;
	struct fd_ref ra = { a->proc->pid, a->fd }, rb = { b->proc->pid, b->fd };
	int c = cmp_file_id(a, b);

	if (c)
		return c;
	if (a->ofd != b->ofd)
		return a->ofd < b->ofd ? -1 : 1;
	return cmp_fd_ref(&ra, &rb);
}

/* One file: v[0..n) are its write-only fds, by description. */
static void check_file(const struct rule_ctx *x, struct fd_entry **v, size_t n)
{
	const struct rule *r = x->r;
	struct findings *out = x->out;
	size_t i, shown = 0, descs = 0, appending = 0;
	bool written = false;
	struct finding *f;
	struct strbuf sb, offs;

	for (i = 0; i < n; i++) {
		if (v[i]->details.nlocks)
			return;   /* a lock file: the lock rules' subject */
		if (i && v[i]->ofd == v[i - 1]->ofd)
			continue;
		descs++;
		appending += fd_append(v[i]);
		written |= v[i]->pos > 0;
	}
	if (descs < 2 || appending == descs || !written)
		return;
	f = finding_new(out, r, r->severity);
	sb_init(&sb);
	sb_init(&offs);
	sb_add(&sb, v[0]->target, undeleted_len(v[0]->target, v[0]->target_len));
	sb_printf(&sb, " is open for writing through %zu separate open file descriptions", descs);
	sb_adds(&sb, appending ? ", not all with O_APPEND (" : " without O_APPEND (");
	for (i = 0; i < n; i++) {
		if (i && v[i]->ofd == v[i - 1]->ofd)
			continue;
		if (shown < NAMES_LISTED) {
			sb_adds(&sb, shown ? ", " : "");
			say_proc(&sb, v[i]->proc);
			sb_printf(&sb, " fd %d at offset %llu%s", v[i]->fd, v[i]->pos,
				  fd_append(v[i]) ? " (O_APPEND)" : "");
		}
		sb_printf(&offs, "%s%llu", shown ? "," : "", v[i]->pos);
		shown++;
	}
	if (descs > NAMES_LISTED)
		sb_printf(&sb, " and %zu more", descs - NAMES_LISTED);
	sb_adds(&sb, "): each writes at its own offset, over what the others wrote");
	finding_message(f, &sb);
	sb_adds(&sb, "open the file with O_APPEND in every writer (each write then lands at the "
		"end: >> in a shell), or let one process write it (the others send it their lines)");
	finding_hint(f, &sb);
	for (i = 0; i < n; i++)
		finding_fd(f, v[i]);
	finding_bytes(f, "target", v[0]->target, v[0]->target_len);
	finding_num(f, "ino", (long long)v[0]->ino);
	finding_num(f, "descriptions", (long long)descs);
	finding_num(f, "append_descriptions", (long long)appending);
	finding_bytes(f, "offsets", offs.buf, offs.len);
	sb_free(&offs);
	finding_done(f);
}

void check_write_clobber(const struct model *m, const struct findings_config *c,
			 const struct rule *r, struct findings *out)
{
	struct rule_ctx x = { m, c, r, out };

	for_each_fd_run(&x, file_writer, cmp_writer, one_file, check_file);
}
