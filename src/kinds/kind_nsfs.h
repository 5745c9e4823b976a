/* kind_nsfs.h - namespace fds (open("/proc/PID/ns/net"), setns handles,
 * "ip netns" keepers): which namespace, from the link text alone.
 *
 * The link of such an fd is "TYPE:[INODE]" ("net:[4026531840]"); a file of
 * that name on a disk links as "/dir/net:[4026531840]", so the text cannot
 * be mistaken.  /proc/PID/ns/pid_for_children and time_for_children open
 * the same kinds of namespace and link as "pid:[...]" and "time:[...]".
 * The target is never opened (NS_GET_NSTYPE would need that). */
#ifndef FDSHARE_KIND_NSFS_H
#define FDSHARE_KIND_NSFS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/json.h"
#include "base/util.h"

struct nsfs_detail {
	char type[8];                /* "net", "user", "pid", "mnt", "uts", "ipc", "cgroup", "time" */
	unsigned long long ino;      /* the namespace's inode, as in /proc/PID/ns/TYPE */
};

/* Whether a link text of len bytes is a namespace's (the kind table's test). */
bool nsfs_is_link(const char *t, size_t len);
/* Parse a link text of len bytes; 0, or -1 when it is not a namespace's. */
int nsfs_parse_link(const char *t, size_t len, struct nsfs_detail *out);
/* "net namespace 4026531840" */
void nsfs_text(const struct nsfs_detail *d, struct strbuf *o);
/* The JSON value of key "namespace": {"type": "net", "ino": 4026531840}. */
void nsfs_json(const struct nsfs_detail *d, struct json *j);

#endif
