/* render.h - turn a finished model into text or JSON.  Renderers only read
 * the model; they return 0, or -1 when writing failed. */
#ifndef FDSHARE_RENDER_H
#define FDSHARE_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "render/fields.h"
#include "model/model.h"

struct findings;
struct findings_config;
struct path_query;

struct render_options {
	FILE *out;
	bool raw;                 /* libsmartcols raw mode */
	bool noheadings;
	bool pretty;              /* indented JSON */
	const struct fd_field **columns;   /* the fd table's columns */
	size_t ncolumns;
	const char *const *paths; /* PATH mode: the arguments as given */
	size_t npaths;
	const struct path_query *queries;  /* PATH mode: what each argument is (pathq.h) */
	const char *version;
	const char *const *types; /* --type: only fds of these types (fd_type_matches), or none */
	size_t ntypes;
	const struct findings *findings;   /* listed at the end of text and in JSON; NULL: none */
	bool tree;                /* --tree: the process tree instead of fds */
	bool ascii;               /* --ascii: tree lines in ASCII */
	bool kernel_threads;      /* --kernel-threads: show them in the tree */
	bool color;               /* --color: severities and marks in colour */
	size_t width;             /* terminal columns to fold paragraphs at; 0: none */
	bool findings_only;       /* --findings: the findings section alone */
	bool all_holders;         /* --all-holders: -p lists holders of commonplace files too */
};

/* What each mode lists: the whole-system overview, the selected processes
 * (-p/-u/-c), or the holders of PATH arguments. */
enum render_mode { MODE_OVERVIEW, MODE_SELECTION, MODE_PATHS };
enum render_mode render_mode_of(const struct model *m, const struct render_options *o);

int render_text(const struct model *m, const struct render_options *o);
/* -r or -n: rows only, no titles, summaries or findings (as lsfd -rn). */
bool render_rows_only(const struct render_options *o);
/* Whether libsmartcols lays o's tables out for a terminal (it asks of
 * standard output, whatever the stream; rows only never are): then they
 * are its to print, never the one-pass printer's (table_plain.h). */
bool render_for_terminal(const struct render_options *o);

struct libscols_table;
/* A libsmartcols table writing to o->out with o's raw/noheadings settings;
 * the caller adds columns and unrefs it.  NULL when out of memory. */
struct libscols_table *render_table_new(const struct render_options *o);
/* Print a filled table (fitted to the terminal unless rows only) and free
 * it; 0 or -1. */
int render_print_table(struct libscols_table *tb, const struct render_options *o);
int render_json(const struct model *m, const struct render_options *o);
/* The "unreadable" array: every process whose fds could not be read. */
void render_unreadable_json(struct json *j, const struct model *m);
/* --tree text: the process tree, then the zombie groups in full (render_tree.c). */
int render_tree(const struct model *m, const struct render_options *o);
/* A short "zombies:" section for the overview (all groups) or a selection
 * (groups whose parent or a zombie is selected); nothing when none. */
void render_zombies_brief(const struct model *m, const struct render_options *o);

/* PATH mode sections (render_holds.c): what each PATH is when it is not a
 * plain file (a directory, a mount point, unresolved); the processes
 * holding it as cwd, rtd, txt or mem; and a process's JSON "holds": in PATH
 * mode every way it holds a PATH ("fd 3", "cwd" ...), else the deleted code
 * it maps. */
void render_path_queries(const struct render_options *o);
void render_path_holds(const struct model *m, const struct render_options *o);
void render_holds_json(struct json *j, const struct process *p, bool path_mode);

/* --interval (render_trend.c): the fd counts over time as a table, or as
 * one JSON document with every scan's counts; m is the last scan's model. */
struct trend;
int render_trend_text(const struct model *m, const struct trend *t, const struct render_options *o);
int render_trend_json(const struct model *m, const struct trend *t, const struct render_options *o);

/* The findings section closing the text output, most severe first
 * (render_findings.c). */
void render_findings_text(const struct findings *fs, const struct render_options *o);
/* The overview's findings, before its tables: the tally and the worst few
 * in full, then how to see the rest (--findings). */
void render_findings_brief(const struct findings *fs, const struct render_options *o);
/* --findings: every finding in full; with -r/-n one row per finding
 * (SEVERITY CODE FDS MESSAGE). */
void render_findings_only(const struct findings *fs, const struct render_options *o);
/* The "findings" array of the JSON document (empty when fs is NULL). */
void render_findings_json(struct json *j, const struct findings *fs);
/* --check: one line "FDSHARE OK|WARNING|CRITICAL|UNKNOWN - summary | perfdata"
 * for status (0..3), counting the selected processes only if selected_only. */
int render_check(const struct model *m, const struct findings *fs, const struct findings_config *c,
		 int status, bool selected_only, FILE *out);
/* --prometheus: metrics in the text exposition format (render_prom.c). */
int render_prometheus(const struct model *m, const struct findings *fs, bool selected_only, FILE *out);
/* --prometheus, per process: fds and soft limit of the top processes by fd
 * count (render_prom_top.c). */
int render_prometheus_top(const struct model *m, bool selected_only, size_t top, FILE *out);

#endif
