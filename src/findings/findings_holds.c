/* findings_holds.c - the rule about what processes hold besides fds.
 *
 *  deleted-mapped  a process still runs code that is gone from disk: its
 *                  program, or a library it maps, was deleted or replaced
 *                  (a package upgrade renames the new file over the old),
 *                  so it runs the old version until restarted.  Proven from
 *                  /proc/PID/maps alone: a private, executable, read-only
 *                  mapping of a file whose name the kernel ends with
 *                  " (deleted)".  Not: memfd mappings (/memfd:..., never a
 *                  file on disk, JIT code lives there), shared mappings
 *                  (shared anonymous memory shows as "/dev/zero (deleted)",
 *                  SysV segments as "/SYSV... (deleted)", double-mapped JIT
 *                  buffers), deleted data files mapped without exec, and a
 *                  deleted file only open through an fd (deleted-open). */
#include "findings/findings_rules.h"
#include "scan/holds.h"

#include <string.h>

#define FILES_NAMED 3

/* "the program /usr/sbin/x (deleted), the library ... and 2 more" */
static void say_deleted(struct strbuf *sb, const struct process *p, size_t n)
{
	size_t i, named = 0;

	for (i = 0; i < p->nholds; i++) {
		const struct hold *h = &p->holds[i];
		if (!h->deleted_text)
			continue;
		if (named == FILES_NAMED) {
			sb_printf(sb, " and %zu more", n - named);
			return;
		}
		if (named++)
			sb_adds(sb, named == n ? " and " : ", ");
		sb_adds(sb, h->how == HOLD_TXT ? "its program " : "");
		sb_add(sb, h->path, h->path_len);
	}
}

void check_deleted_mapped(const struct model *m, const struct findings_config *c,
			  const struct rule *r, struct findings *out)
{
	size_t i, j;

	(void)c;
	for (i = 0; i < m->nprocs; i++) {
		const struct process *p = &m->procs[i];
		const struct hold *program = NULL, *first = NULL;
		size_t n = 0;
		struct finding *f;
		struct strbuf sb;

		for (j = 0; j < p->nholds && !p->gone; j++)
			if (p->holds[j].deleted_text) {
				n++;
				first = first ? first : &p->holds[j];
				if (p->holds[j].how == HOLD_TXT)
					program = &p->holds[j];
			}
		if (!n)
			continue;
		f = finding_new(out, r, r->severity);
		sb_init(&sb);
		say_proc(&sb, p);
		sb_printf(&sb, " runs code deleted from disk: ");
		say_deleted(&sb, p, n);
		sb_adds(&sb, ": it still runs the old version of files an upgrade replaced or removed");
		finding_message(f, &sb);
		sb_printf(&sb, "restart it (its service) to run the files now on disk; "
			  "fdshare --json -p %d lists them under \"holds\"", p->pid);
		finding_hint(f, &sb);
		finding_pid(f, p->pid);
		finding_num(f, "deleted_files", (long long)n);
		if (program)
			finding_bytes(f, "program", program->path, program->path_len);
		else
			finding_bytes(f, "program", NULL, 0);
		finding_bytes(f, "file", first->path, first->path_len);
		finding_done(f);
		sb_free(&sb);
	}
}
