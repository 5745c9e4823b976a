/* text_table.h - the text renderer's tables of fds: cells kept as text in
 * one arena, printed in one pass when they are plain (table_plain.h), else
 * handed whole to libsmartcols.
 *
 * Why: a libsmartcols table keeps each cell as an allocation of its own
 * with its bookkeeping; the overview's table of shared descriptions at a
 * million fds has 162,000 rows of 8 cells, and kept that way it put the
 * text overview's peak above lsof's.  Here a cell is an offset and a length
 * into one growing buffer.  Printed to a pipe or a file without colours,
 * a table of printable ASCII goes through table_plain (the bytes
 * libsmartcols would print); a terminal (fitted, folded), colours, or any
 * other cell goes to libsmartcols, built from the arena at print time. */
#ifndef FDSHARE_TEXT_TABLE_H
#define FDSHARE_TEXT_TABLE_H

#include <stdbool.h>
#include <stddef.h>

struct render_options;
struct text_table;

/* An empty table for o's output; never NULL. */
struct text_table *text_table_new(const struct render_options *o);
/* Add a column: right aligned, or wide (folded on a narrow terminal). */
void text_table_column(struct text_table *t, const char *name, bool right, bool wide);
/* Start a row; its cells follow, one per column, in order. */
void text_table_row(struct text_table *t);
/* The next cell of the current row: text[0..len) (copied), shown in
 * colour (a color_on() name) when the output has colours, or NULL. */
void text_table_cell(struct text_table *t, const char *text, size_t len, const char *color);
/* Rows added so far. */
size_t text_table_rows(const struct text_table *t);
/* Print t (nothing when it has no rows, as libsmartcols) and free it: 0,
 * or -1 when writing failed. */
int text_table_print(struct text_table *t);
/* Free t unprinted; safe on NULL. */
void text_table_free(struct text_table *t);

#endif
