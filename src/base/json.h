/* json.h - a small streaming JSON writer.
 *
 * Writes straight to a FILE* as it goes: a whole-system document is never held
 * in memory.  Memory writers render a part of a document apart (on another
 * thread, or once for many places) and hand it to the stream's writer.  The writer tracks nesting and inserts commas itself; callers
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

/* A writer into memory (for json_rebase and json_append); json_free frees
 * it.  Used alone it writes a whole document, without the trailing newline. */
struct json *json_new_memory(bool pretty);
/* Empty m and make it continue where j stands now (its nesting and
 * pending key): what m writes next is what j would write there, but for
 * the comma before m's first member.  j is only read. */
void json_rebase(struct json *m, const struct json *j);
/* Write m's output to j as if j had written it, the comma before its first
 * member included: j must stand where m was rebased (the same depth and
 * kind of container, or the same pending key) and m must have closed what
 * it opened; else j fails as on any misuse.  m is left as it is (append it
 * again elsewhere, or json_rebase it). */
void json_append(struct json *j, const struct json *m);
/* Whether json_append(j, m) would take m's output now. */
bool json_can_append(const struct json *j, const struct json *m);

/* Containers.  Inside an object every value must be preceded by json_key(). */
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
/* Member name for the next value (must be inside an object). */
void json_key(struct json *j, const char *key);
/* A member name quoted and escaped once, for writing many times (the fd
 * table's keys, once per fd). */
struct json_qkey {
	size_t len;          /* 0: not made */
	char text[48];
};
/* Quote key into q; false when it does not fit (then use json_key). */
bool json_qkey_make(struct json_qkey *q, const char *key);
/* json_key with a quoted name. */
void json_key_quoted(struct json *j, const struct json_qkey *q);

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
