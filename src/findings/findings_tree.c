/* findings_tree.c - the rules over the process tree (tree.h): zombies by
 * parent, with the tree's reason and hint; processes proven re-parented, by
 * adopter.  What the tree cannot prove (unknown) is never a finding. */
#include "findings/findings_rules.h"
#include "model/tree.h"

#include <stdlib.h>
#include <string.h>

/* ---- zombie ---- */

/* pids of nodes idx[0..n), at most NAMES_LISTED, then how many more. */
static void node_pids_words(struct strbuf *sb, const struct tree *t, const int *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < NAMES_LISTED; i++)
		sb_printf(sb, "%s%d", i ? ", " : "", t->nodes[idx[i]].proc->pid);
	if (n > NAMES_LISTED)
		sb_printf(sb, " and %zu more", n - NAMES_LISTED);
}

/* One finding per parent with unreaped zombies, with the tree's reason. */
void check_zombie(const struct model *m, const struct findings_config *c,
		  const struct rule *r, struct findings *out)
{
	const struct tree *t = m->tree;
	size_t i, j;

	for (i = 0; t && i < t->ngroups; i++) {
		const struct zombie_group *g = &t->groups[i];
		const struct process *parent = t->nodes[g->parent].proc;
		struct finding *f = finding_new(out, r, severity_by(c, TH_ZOMBIES, (double)g->nchildren, SEV_INFO));
		struct strbuf sb;

		sb_init(&sb);
		say_proc(&sb, parent);
		sb_printf(&sb, " has %zu zombie child%s it has not reaped (", g->nchildren,
			  g->nchildren == 1 ? "" : "ren");
		node_pids_words(&sb, t, g->children, g->nchildren);
		sb_printf(&sb, "): %s", zombie_reason_text(g->reason));
		finding_message(f, &sb);
		zombie_hint(t, g, &sb);
		finding_hint(f, &sb);
		finding_pid(f, parent->pid);
		for (j = 0; j < g->nchildren; j++)
			finding_pid(f, t->nodes[g->children[j]].proc->pid);
		finding_num(f, "parent_pid", parent->pid);
		finding_num(f, "zombies", (long long)g->nchildren);
		finding_str(f, "reason", zombie_reason_code(g->reason));
		if (g->heir >= 0)
			finding_num(f, "heir_pid", t->nodes[g->heir].proc->pid);
		else
			finding_bytes(f, "heir_pid", NULL, 0);
		finding_done(f);
	}
}

/* ---- reparented ---- */

/* "session, start_time": the names of the evidence bits. */
static void evidence_words(struct strbuf *sb, unsigned bits)
{
	unsigned bit;
	bool first = true;

	for (bit = 1; bit && bit <= bits; bit <<= 1)
		if (bits & bit) {
			sb_printf(sb, "%s%s", first ? "" : ", ", reparent_evidence_name(bit));
			first = false;
		}
}

/* One finding per adopter: the processes proven orphaned and adopted by it. */
static void report_adopted(const struct tree *t, int adopter, const int *kids, size_t n,
			   const struct rule *r, struct findings *out)
{
	const struct tree_node *a = &t->nodes[adopter];
	struct finding *f = finding_new(out, r, r->severity);
	unsigned bits = 0;
	struct strbuf sb;
	size_t i;

	sb_init(&sb);
	if (n == 1)
		say_proc(&sb, t->nodes[kids[0]].proc);
	else
		sb_printf(&sb, "%zu processes", n);
	sb_printf(&sb, " %s orphaned and adopted by ", n == 1 ? "was" : "were");
	say_proc(&sb, a->proc);
	sb_adds(&sb, a->pidns_init ? ", the init of its pid namespace" : ", a subreaper");
	for (i = 0; n > 1 && i < n && i < NAMES_LISTED; i++) {
		sb_adds(&sb, i ? ", " : ": ");
		say_proc(&sb, t->nodes[kids[i]].proc);
	}
	if (n > NAMES_LISTED)
		sb_printf(&sb, " and %zu more", n - NAMES_LISTED);
	for (i = 0; i < n; i++)
		bits |= t->nodes[kids[i]].evidence;
	sb_adds(&sb, " (evidence: ");
	evidence_words(&sb, bits);
	sb_adds(&sb, ")");
	finding_message(f, &sb);
	sb_adds(&sb, "their parent ended without them: if they must not outlive it, have it end "
		"them (PR_SET_PDEATHSIG, killing the process group); to detach on purpose, "
		"start them with setsid or as a service of their own");
	finding_hint(f, &sb);
	finding_pid(f, a->proc->pid);
	for (i = 0; i < n; i++)
		finding_pid(f, t->nodes[kids[i]].proc->pid);
	finding_num(f, "adopter_pid", a->proc->pid);
	finding_str(f, "adopter", a->pidns_init ? "pidns_init" : "subreaper");
	finding_num(f, "processes", (long long)n);
	sb_init(&sb);
	evidence_words(&sb, bits);
	finding_str(f, "evidence", sb.buf);
	sb_free(&sb);
	finding_done(f);
}

void check_reparented(const struct model *m, const struct findings_config *c,
		      const struct rule *r, struct findings *out)
{
	const struct tree *t = m->tree;
	int *kids = NULL;
	size_t i, j, n, cap = 0;

	(void)c;
	for (i = 0; t && i < t->n; i++) {
		for (n = 0, j = 0; j < t->nodes[i].nchildren; j++) {
			int k = t->nodes[i].children[j];
			if (t->nodes[k].reparented != TRI_TRUE || !t->nodes[k].present)
				continue;
			grow_array((void **)&kids, &cap, n + 1, sizeof(*kids));
			kids[n++] = k;
		}
		if (n)
			report_adopted(t, (int)i, kids, n, r, out);
	}
	free(kids);
}
