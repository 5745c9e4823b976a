/* table_plain.h - print a filled libsmartcols table the way
 * scols_print_table() prints it to a stream that is not a terminal, in one
 * pass over its cells, when every cell is plain ASCII.
 *
 * Why: libsmartcols measures every cell character by character through the
 * locale (mbrtowc, wcwidth), more than once; the overview's table of shared
 * descriptions at 100,000 fds has 16,000 rows with long HOLDERS cells and
 * took 150 ms to print that way, a third of the whole run.  A cell of
 * printable ASCII (no "\x", which libsmartcols would encode) is as wide as
 * it is long and is printed as it is, so the layout can be made from
 * lengths: each column as wide as its widest cell or header, one space
 * between columns, left or right aligned, the last column unpadded unless
 * right aligned, no line for an empty table; raw output (-r) unpadded,
 * a blank and a backslash in a cell written \x20 and \x5c (as
 * libsmartcols 2.38 does; tests/unit/unit_table_plain.c compares the two
 * byte for byte).  Anything else (a terminal, JSON output, colours, a
 * tree, a column flag other than RIGHT and WRAP, a cell outside printable
 * ASCII) is left to libsmartcols. */
#ifndef FDSHARE_TABLE_PLAIN_H
#define FDSHARE_TABLE_PLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct libscols_table;

/* Whether text[0..len) prints unchanged through libsmartcols: printable
 * ASCII without a backslash before an 'x'. */
bool table_plain_text(const char *text, size_t len);

/* Write one row of ncols cells (text[c], len[c] bytes) laid out in columns
 * of width[c] (right[c]: right aligned), or raw, as libsmartcols writes a
 * row of plain cells. */
void table_plain_row(FILE *out, const char *const *text, const size_t *len, const size_t *width,
		     const bool *right, size_t ncols, bool raw);

/* Whether the one-pass printer may be used at all: not when
 * FDSHARE_TEXT_TABLES=libsmartcols (for tests: the suite compares the two
 * on real output, fdshare(1) ENVIRONMENT). */
bool table_plain_allowed(void);

/* Whether table_plain_print() prints tb exactly as scols_print_table()
 * would to out (which must not be a terminal: the caller knows). */
bool table_plain_fits(struct libscols_table *tb);

/* Print tb to out as scols_print_table() would; 0, or -1 when writing
 * failed.  Only for a table table_plain_fits() accepted. */
int table_plain_print(struct libscols_table *tb, FILE *out);

#endif
