/* kind_bpf.h - BPF objects held through fds: maps, programs and links.
 *
 * Recognised by the kind table from their anon-inode link text
 * ("anon_inode:bpf-map", "anon_inode:bpf-prog", "anon_inode:bpf_link"); their fdinfo gives the
 * object's type and system-wide id, the ids bpftool shows ("bpftool map
 * show id 26").  Map and program types are numbers in fdinfo: named here as
 * bpftool names them; a link's type is printed by the kernel as a name. */
#ifndef FDSHARE_KIND_BPF_H
#define FDSHARE_KIND_BPF_H

#include <stdbool.h>
#include <stddef.h>

#include "base/json.h"
#include "base/util.h"

enum bpf_object { BPF_OBJ_NONE, BPF_OBJ_MAP, BPF_OBJ_PROG, BPF_OBJ_LINK };

struct bpf_detail {
	enum bpf_object obj;
	char type[32];               /* "array", "socket_filter", "netns"; "" unknown */
	long long id;                /* map_id, prog_id or link_id; -1 unknown */
	long long prog_id;           /* a link's program; -1 unknown or not a link */
	char tag[24];                /* a program's tag (16 hex digits), or "" */
};

/* "map", "prog", "link". */
const char *bpf_object_name(enum bpf_object o);
/* Read the object's details from its fdinfo text (unknown keys ignored). */
void bpf_parse_fdinfo(enum bpf_object o, const char *buf, size_t len, struct bpf_detail *out);
/* "map array id 26", "prog socket_filter id 222 tag 59f4...", "link netns id 5 prog 223" */
void bpf_text(const struct bpf_detail *d, struct strbuf *o);
/* The JSON value of key "bpf": {"object", "type", "id", "prog_id", "tag"}. */
void bpf_json(const struct bpf_detail *d, struct json *j);

#endif
