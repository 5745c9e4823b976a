/* fields_kinds.h - ENDPOINT cells and JSON keys of the kinds in
 * kinds/kind_detail.h (namespaces, BPF objects, io_uring, ptys, tun/tap)
 * and of message queues, for the field table in fields.c.  Each json/present
 * function has the signature of struct fd_field's member. */
#ifndef FDSHARE_FIELDS_KINDS_H
#define FDSHARE_FIELDS_KINDS_H

#include <stdbool.h>
#include "base/json.h"
#include "base/util.h"
#include "model/model.h"
#include "scan/sock.h"

/* Append f's ENDPOINT text when f is one of these kinds; false otherwise
 * (nothing appended). */
bool kinds_endpoint_text(const struct model *m, const struct fd_entry *f, struct strbuf *out);

/* "namespace": {"type", "ino"} of an nsfs fd. */
bool kinds_is_nsfs(const struct fd_entry *f);
void kinds_json_namespace(const struct model *m, const struct fd_entry *f, struct json *j);
/* "bpf": {"object", "type", "id", ...} of a BPF map, prog or link. */
bool kinds_is_bpf(const struct fd_entry *f);
void kinds_json_bpf(const struct model *m, const struct fd_entry *f, struct json *j);
/* "io_uring": {"sq_entries", ...}. */
bool kinds_is_io_uring(const struct fd_entry *f);
void kinds_json_io_uring(const struct model *m, const struct fd_entry *f, struct json *j);
/* "pty": {"role", "index"} of a pty master or slave. */
bool kinds_is_pty(const struct fd_entry *f);
void kinds_json_pty(const struct model *m, const struct fd_entry *f, struct json *j);
/* "tun": {"interface"} of a tun/tap fd. */
bool kinds_is_tun(const struct fd_entry *f);
void kinds_json_tun(const struct model *m, const struct fd_entry *f, struct json *j);

/* ENDPOINT text of a socket still open but in no dump (endpoint.h). */
void kinds_absent_text(int absent, struct strbuf *out);
/* "unlisted": why a socket still open is in no dump ("other-netns",
 * "unbound-or-other-netns"), or null. */
void kinds_json_unlisted(const struct model *m, const struct fd_entry *f, struct json *j);

/* ENDPOINT text of a raw, ping, packet or netlink socket's dump entry. */
void kinds_socket_text(const struct sock_info *s, struct strbuf *out);
/* "ip_protocol": a raw socket's IP protocol number. */
bool kinds_is_raw(const struct fd_entry *f);
void kinds_json_ip_protocol(const struct model *m, const struct fd_entry *f, struct json *j);
/* "packet": {"type", "ethertype", "ethertype_name", "ifindex", "interface"}. */
bool kinds_is_packet(const struct fd_entry *f);
void kinds_json_packet(const struct model *m, const struct fd_entry *f, struct json *j);
/* "netlink": {"protocol", "protocol_number", "portid", "dst_portid",
 * "dst_group", "groups"}. */
bool kinds_is_netlink(const struct fd_entry *f);
void kinds_json_netlink(const struct model *m, const struct fd_entry *f, struct json *j);

/* The fine name of a character device's kind ("ptmx", "pts", "tun"), or
 * NULL: --type accepts these beside the type names. */
const char *kinds_chr_name(const struct fd_entry *f);

#endif
