/* escape.h - make untrusted bytes (comm, cmdline, link targets) safe to print.
 *
 * Process names and paths are arbitrary bytes chosen by other users: they may
 * hold newlines, terminal escape sequences or invalid UTF-8.  Nothing from
 * /proc reaches a terminal or a JSON document without passing through here. */
#ifndef FDSHARE_ESCAPE_H
#define FDSHARE_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include "base/util.h"

/* Append s[0..len) to out for a terminal: valid printable UTF-8 is copied,
 * a backslash becomes "\\", and every control character (C0, DEL, C1 encoded
 * as UTF-8), every invisible or text-reordering character (bidirectional
 * controls such as U+202E, zero-width characters, U+2028/U+2029: each of
 * its bytes), and every byte that is not part of a valid UTF-8 sequence,
 * becomes "\xHH".  Lossless; output is plain ASCII-or-valid-UTF-8 with no
 * controls. */
void escape_text(struct strbuf *out, const char *s, size_t len);

/* Append s[0..len) to out with only the invisible and text-reordering
 * characters escape_text names written as "<U+XXXX>"; everything else is
 * copied, for a table library that encodes controls, invalid UTF-8 and
 * backslashes itself ("\x5c": so no backslash here) but not these. */
void escape_invisible(struct strbuf *out, const char *s, size_t len);

/* Convenience: escape a NUL-terminated string into a new malloc'd string. */
char *escape_text_dup(const char *s);

/* True when s[0..len) is entirely valid UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). */
bool utf8_valid(const char *s, size_t len);

/* Append s[0..len) as the body of a JSON string (no surrounding quotes):
 * '"' and '\\' are escaped, control characters become \n \t \r \b \f or
 * \u00XX, DEL, C1 controls and the invisible characters escape_text
 * escapes are \u escaped, valid UTF-8 is copied, and each
 * byte of an invalid UTF-8 sequence becomes U+FFFD (the replacement
 * character).  Returns true when any byte had to be replaced (the string was
 * not valid UTF-8), so callers can add a lossless hex companion field. */
bool escape_json(struct strbuf *out, const char *s, size_t len);

/* Append s[0..len) as the body of a Prometheus label value (text exposition
 * format): the name as escape_text shows it (so no control, invisible or
 * invalid byte survives, and nothing is lost), then '\\' and '"' escaped as
 * the format requires. */
void escape_prom_label(struct strbuf *out, const char *s, size_t len);

/* Append the lowercase hex encoding of s[0..len) to out. */
void hex_encode(struct strbuf *out, const char *s, size_t len);

#endif
