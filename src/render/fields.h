/* fields.h - the one table of fd fields that drives both text columns and
 * JSON keys, so the two outputs cannot drift apart. */
#ifndef FDSHARE_FIELDS_H
#define FDSHARE_FIELDS_H

#include <stdbool.h>
#include "base/json.h"
#include "model/model.h"
#include "base/util.h"

struct fd_field {
	const char *column;      /* text column name ("FD"), NULL if JSON only */
	const char *json_key;    /* JSON key ("fd"), NULL if text only */
	const char *help;        /* one line for --list-columns */
	bool right;              /* right-align the column */
	bool wide;               /* folded in its cell on a narrow terminal (render_fit_table) */
	/* Append the cell's raw text (libsmartcols escapes odd bytes itself). */
	void (*text)(const struct model *m, const struct fd_entry *f, struct strbuf *out);
	/* Write the JSON value (the key is written by the caller). */
	void (*json)(const struct model *m, const struct fd_entry *f, struct json *j);
	/* Whether the JSON key applies to f at all (kind keys: "watches" only
	 * for epoll fds); NULL: every fd has it. */
	bool (*present)(const struct fd_entry *f);
};

extern const struct fd_field fd_fields[];
extern const size_t fd_nfields;

/* Default columns of the per-process fd table, of the PATH table and of the
 * overview's table of shared descriptions (one row per description). */
extern const char *const fd_default_columns;
extern const char *const path_default_columns;
extern const char *const overview_default_columns;

/* Whether f is one of types[] (JSON type names, or socket protocols such as
 * "unix", "tcp", "udp6"); true when ntypes is 0. */
bool fd_type_matches(const struct fd_entry *f, const char *const *types, size_t ntypes);
/* Whether process p holds a related fd (one sharing a description with a
 * selected process) that is one of types[]. */
bool fd_related_of_types(const struct process *p, const char *const *types, size_t ntypes);
/* Whether name is a type --type accepts. */
bool fd_type_known(const char *name);
/* Every name --type accepts, ", "-separated, appended to out. */
void fd_type_list(struct strbuf *out);

/* The field whose column name is name (case-insensitive), or NULL. */
const struct fd_field *field_by_column(const char *name);

/* Text of the SHARED cell: who else holds f's description, or whether another
 * fd opens the same file separately.  Appended to out. */
void shared_text(const struct model *m, const struct fd_entry *f, struct strbuf *out);

/* Text of the HOLDERS cell: every holder of f's description, per process
 * ("1234 (bash) fd 0,1; 1240 (cat) fd 1"), at most a few processes. */
void holders_text(const struct model *m, const struct fd_entry *f, struct strbuf *out);

/* Whether f is a file nearly every process holds from its parent: /dev/null,
 * /dev/zero, a terminal.  -p leaves out processes that share only these. */
bool fd_commonplace(const struct fd_entry *f);

/* "1234 (comm) fd 3" for a holder; comm as raw bytes. */
void holder_text(const struct fd_entry *f, const struct process *viewer, struct strbuf *out);

/* Human name of an unverified group's reason ("EPERM", "kcmp disabled"). */
const char *unverified_reason(const struct ofd_group *g);

/* Resolve a column list ("FD,TYPE" or "+MNTID" to add to defaults) into
 * out[] (at most max).  Returns the count, or -1 with *bad naming the first
 * unknown column (a pointer into a static buffer). */
int columns_parse(const char *list, const char *defaults, const struct fd_field **out,
		  size_t max, const char **bad);

/* User name for a uid (cached getpwuid_r), or the number as text; kept
 * until the program ends.  Safe on several threads. */
const char *uid_name(unsigned uid);
#endif
