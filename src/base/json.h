/* json.h - a small streaming JSON writer.
 *
 * Writes straight to a FILE* as it goes: a whole-system document is never held
 * in memory.  The writer tracks nesting and inserts commas itself; callers
 * only say what comes next.  Strings pass through escape_json(), so output is
 * always valid UTF-8 JSON whatever bytes come in. */
#ifndef FDSHARE_JSON_H
#define FDSHARE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct json;   /* opaque */

/* Start a writer on out; pretty != 0 indents with two spaces per level. */
struct json *json_new(FILE *out, bool pretty);
/* Finish (a trailing newline is written) and free the writer; returns 0, or -1
 * if nesting was unbalanced or a write error occurred on the stream.
 * Also -1: no value was written at all (an empty document is not JSON), or
 * any misuse (a value in an object without a key, a key outside an object, a
 * second top-level value, nesting deeper than 64); after misuse the writer
 * ignores every call, so the output is cut short.  The stream is flushed but
 * not closed. */
int json_free(struct json *j);

/* Containers.  Inside an object every value must be preceded by json_key(). */
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
/* Member name for the next value (must be inside an object). */
void json_key(struct json *j, const char *key);

/* Values. */
void json_null(struct json *j);
void json_bool(struct json *j, bool v);
void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
/* NUL-terminated string; NULL writes null. */
void json_string(struct json *j, const char *s);
/* Byte string of length len (may hold NULs or invalid UTF-8).  When the bytes
 * are not valid UTF-8 the value holds U+FFFD replacements; returns true then.
 * s == NULL writes null (and returns false), as in json_string and
 * json_kv_bytes. */
bool json_string_len(struct json *j, const char *s, size_t len);

/* Key + value shortcuts. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, long long v);
void json_kv_uint(struct json *j, const char *key, unsigned long long v);
void json_kv_bool(struct json *j, const char *key, bool v);
void json_kv_null(struct json *j, const char *key);
/* Writes key: string and, only when s is not valid UTF-8, key_hex: "<hex of the
 * raw bytes>" right after it, so no byte of a path is lost. */
void json_kv_bytes(struct json *j, const char *key, const char *s, size_t len);

#endif
