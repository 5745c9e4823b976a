/* render_wrap.h - paragraphs folded to the terminal's width, and the colour
 * marks of text output (both only when writing to a terminal, or asked). */
#ifndef FDSHARE_RENDER_WRAP_H
#define FDSHARE_RENDER_WRAP_H

#include <stddef.h>
#include <stdio.h>

/* Columns of the terminal on fd, 0 when fd is not a terminal (no folding).
 * COLUMNS, when set to a number, wins (as libsmartcols does). */
size_t render_term_width(int fd);

/* Write text (printable, as escape_text made it) and a newline, folded at
 * blanks so that no line passes width columns (0: one line); lines after the
 * first start with indent blanks.  first_used: columns already taken on the
 * first line.  A word longer than a line is cut.  Text that fits is
 * written as it is (runs of blanks kept); leading blanks always are. */
void wrap_write(FILE *out, const char *text, size_t first_used, size_t indent, size_t width);

struct libscols_table;
/* Fit a filled table into width columns (0: leave it alone) before it is
 * printed: when its rows are wider, the columns flagged SCOLS_FL_WRAP share
 * what the others leave, each cell of theirs folded onto lines of its
 * cell (at blanks, else after a '/', else anywhere) and printed through
 * libsmartcols' newline wrapping.  When the other columns leave less than
 * 8 columns each, libsmartcols wraps them at any byte instead.  Nothing
 * is truncated. */
void render_fit_table(struct libscols_table *tb, size_t width);

/* SGR sequences: start a colour ("red", "yellow", "cyan", "bold") and end it;
 * "" when color is false. */
const char *color_on(int color, const char *name);
const char *color_off(int color);

#endif
