/* fields_endpoint.h - the ENDPOINT column and the JSON keys of the other
 * ends and of each IPC kind (endpoint.h), as cells for the field table in
 * fields.c.  Each function has the signature of struct fd_field's text,
 * json or present member. */
#ifndef FDSHARE_FIELDS_ENDPOINT_H
#define FDSHARE_FIELDS_ENDPOINT_H

#include <stdbool.h>
#include "base/json.h"
#include "model/model.h"
#include "base/util.h"

/* ENDPOINT: the other end in words ("-> 1240 (cat) fd 0", "peer ...",
 * "127.0.0.1:8080 LISTEN, 1 pending (backlog 8)", "watches fd 3 (pipe)"). */
void endpoint_text(const struct model *m, const struct fd_entry *f, struct strbuf *out);

/* The ends of d as "1240 (cat) fd 0, 1234 fd 4" (f's own process by
 * number only), at most a few, then "... N more". */
struct fd_detail;
void endpoint_ends_text(const struct fd_detail *d, const struct fd_entry *f, struct strbuf *o);

/* "endpoints": [{"pid","fd","comm"}] of the other end, or null. */
void endpoint_json_ends(const struct model *m, const struct fd_entry *f, struct json *j);
/* "endpoint_error": why the other end is unknown ("EPERM"), or null. */
void endpoint_json_error(const struct model *m, const struct fd_entry *f, struct json *j);

/* Socket keys, present for every socket fd; null where unknown. */
bool endpoint_is_socket(const struct fd_entry *f);
void endpoint_json_protocol(const struct model *m, const struct fd_entry *f, struct json *j);
void endpoint_json_socket_type(const struct model *m, const struct fd_entry *f, struct json *j);
void endpoint_json_state(const struct model *m, const struct fd_entry *f, struct json *j);
void endpoint_json_listening(const struct model *m, const struct fd_entry *f, struct json *j);
void endpoint_json_pending(const struct model *m, const struct fd_entry *f, struct json *j);
void endpoint_json_backlog(const struct model *m, const struct fd_entry *f, struct json *j);
void endpoint_json_awaiting(const struct model *m, const struct fd_entry *f, struct json *j);
void endpoint_json_peer_ino(const struct model *m, const struct fd_entry *f, struct json *j);
void endpoint_json_name(const struct model *m, const struct fd_entry *f, struct json *j);
void endpoint_json_local(const struct model *m, const struct fd_entry *f, struct json *j);
void endpoint_json_remote(const struct model *m, const struct fd_entry *f, struct json *j);

/* epoll: "watches". */
bool endpoint_is_epoll(const struct fd_entry *f);
void endpoint_json_watches(const struct model *m, const struct fd_entry *f, struct json *j);
/* eventfd: "eventfd_id", "eventfd_count". */
bool endpoint_is_eventfd(const struct fd_entry *f);
void endpoint_json_eventfd_id(const struct model *m, const struct fd_entry *f, struct json *j);
void endpoint_json_eventfd_count(const struct model *m, const struct fd_entry *f, struct json *j);
/* pidfd: "pidfd_pid" (null once reaped). */
bool endpoint_is_pidfd(const struct fd_entry *f);
void endpoint_json_pidfd_pid(const struct model *m, const struct fd_entry *f, struct json *j);
/* signalfd: "signals". */
bool endpoint_is_signalfd(const struct fd_entry *f);
void endpoint_json_signals(const struct model *m, const struct fd_entry *f, struct json *j);
/* timerfd: "clock", "timer". */
bool endpoint_is_timerfd(const struct fd_entry *f);
void endpoint_json_clock(const struct model *m, const struct fd_entry *f, struct json *j);
void endpoint_json_timer(const struct model *m, const struct fd_entry *f, struct json *j);
/* inotify: "inotify_watches". */
bool endpoint_is_inotify(const struct fd_entry *f);
void endpoint_json_inotify(const struct model *m, const struct fd_entry *f, struct json *j);

#endif
