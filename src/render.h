/* render.h - turn a finished model into text or JSON.  Renderers only read
 * the model; they return 0, or -1 when writing failed. */
#ifndef FDSHARE_RENDER_H
#define FDSHARE_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "fields.h"
#include "model.h"

struct render_options {
	FILE *out;
	bool raw;                 /* libsmartcols raw mode */
	bool noheadings;
	bool pretty;              /* indented JSON */
	const struct fd_field **columns;   /* the fd table's columns */
	size_t ncolumns;
	const char *const *paths; /* PATH mode: the arguments as given */
	size_t npaths;
	const char *version;
};

/* What each mode lists: the whole-system overview, the selected processes
 * (-p/-u/-c), or the holders of PATH arguments. */
enum render_mode { MODE_OVERVIEW, MODE_SELECTION, MODE_PATHS };
enum render_mode render_mode_of(const struct model *m, const struct render_options *o);

int render_text(const struct model *m, const struct render_options *o);
int render_json(const struct model *m, const struct render_options *o);

#endif
