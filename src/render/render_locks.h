/* render_locks.h - the locks in every output: the LOCKS column and the
 * per-fd JSON "locks" (through the field table, fields.c), the top-level
 * JSON "locks" array, and the text "Locks:" section with who waits for whom
 * (PATH and -p output).  Reads the finished model only (locks.h). */
#ifndef FDSHARE_RENDER_LOCKS_H
#define FDSHARE_RENDER_LOCKS_H

#include "base/json.h"
#include "model/model.h"
#include "render/render.h"
#include "base/util.h"

/* The LOCKS cell of f: "flock write, 1 waiting; posix read 0-99" or "-". */
void locks_text_cell(const struct model *m, const struct fd_entry *f, struct strbuf *out);
/* The JSON value of f's "locks": an array (empty when none). */
void locks_json_cell(const struct model *m, const struct fd_entry *f, struct json *j);
/* The top-level "locks" array: every lock (overview), those a selected
 * process holds or waits for (-p/-u/-c), those on a PATH argument. */
void render_locks_json(struct json *j, const struct model *m, enum render_mode mode);
/* The text "Locks:" section for the same choice of locks, then one line
 * per waiter: what it waits for, who holds it and what they are doing.
 * Nothing when there is no such lock. */
void render_locks_text(const struct model *m, const struct render_options *o);

#endif
