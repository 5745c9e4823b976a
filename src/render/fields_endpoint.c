/* fields_endpoint.c - ENDPOINT cells and the JSON of other ends and IPC
 * kinds (see fields_endpoint.h).  Reads the model only. */
#include "render/fields_endpoint.h"
#include "model/endpoint.h"
#include "render/fields.h"
#include "render/fields_kinds.h"
#include "render/json_cache.h"
#include "base/signame.h"

#include <errno.h>
#include <pthread.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define ENDS_LISTED 8
#define WATCHES_LISTED 4
#define ENDS_CACHED 4   /* shorter arrays are written as cheaply as copied */

static const struct fd_detail *detail(const struct fd_entry *f)
{
	return f->detail;
}

static const struct sock_info *sock_of(const struct fd_entry *f)
{
	return f->detail && f->detail->have_sock ? f->detail->sock : NULL;
}

/* ---- text ---- */

void endpoint_ends_text(const struct fd_detail *d, const struct fd_entry *f, struct strbuf *o)
{
	size_t i;

	for (i = 0; i < d->nends; i++) {
		if (i == ENDS_LISTED) {
			sb_printf(o, ", ... %zu more", d->nends - i);
			return;
		}
		if (i)
			sb_adds(o, ", ");
		holder_text(d->ends[i], f->proc, o);
	}
}

static void pipe_text(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	const struct fd_detail *d = detail(f);
	bool rd = f->access == ACCESS_R || f->access == ACCESS_PATH, wr = f->access == ACCESS_W;
	const char *arrow = rd ? "<-" : wr ? "->" : "<->";

	if (d->nends) {
		sb_printf(o, "%s ", arrow);
		endpoint_ends_text(d, f, o);
		return;
	}
	sb_printf(o, "%s %s", arrow, rd ? "no writer" : wr ? "no reader" : "no other holder");
	/* an unreadable process may hold it: do not claim more than we saw */
	if (m->unreadable)
		sb_adds(o, " found (some processes not readable)");
}

static void sock_error_text(int err, struct strbuf *o)
{
	const char *why = "";

	switch (err) {
	case EPERM: why = " (its network namespace could not be entered: run as root)"; break;
	case EACCES: why = " (its network namespace is not readable)"; break;
	case ENOENT: why = " (not in the sock_diag dump: closed or opened meanwhile?)"; break;
	case EPROTONOSUPPORT: case EAFNOSUPPORT: case EINVAL:
		why = " (no netlink sock_diag in this kernel)"; break;
	}
	sb_printf(o, "? peer unknown: %s%s", errno_name(err), why);
}

static void name_text(const struct sock_info *s, struct strbuf *o)
{
	if (!s->name_len)
		return;
	if (s->name[0] == '\0') {
		sb_adds(o, "@");
		sb_add(o, s->name + 1, s->name_len - 1);
	} else {
		sb_add(o, s->name, strnlen(s->name, s->name_len));
	}
}

static void unix_text(const struct fd_entry *f, struct strbuf *o)
{
	const struct fd_detail *d = detail(f);
	const struct sock_info *s = d->sock;

	if (s->state == TCP_LISTEN) {
		sb_adds(o, "LISTEN ");
		name_text(s, o);
		sb_printf(o, ", %u pending (backlog %u)", s->rqueue, s->wqueue);
		if (d->nends)
			sb_adds(o, ": ");
		endpoint_ends_text(d, f, o);
		return;
	}
	name_text(s, o);
	if (s->name_len)
		sb_adds(o, " ");
	if (d->awaiting_accept)
		sb_adds(o, "awaiting accept by ");
	else if (s->have_peer && s->peer)
		sb_adds(o, "peer ");
	else
		sb_adds(o, d->nends ? "from " : "unconnected");
	endpoint_ends_text(d, f, o);
	if (s->have_peer && s->peer && !d->nends)
		sb_printf(o, "socket:[%llu]%s", s->peer,
			  d->peer_found ? " (held by no process read)" : " (gone)");
}

static void addr_port_text(const struct sock_addr *a, struct strbuf *o)
{
	char buf[64];

	sock_addr_text(a, buf, sizeof(buf));
	sb_printf(o, strchr(buf, ':') ? "[%s]:%u" : "%s:%u", buf, a->port);
}

static void inet_text(const struct fd_entry *f, struct strbuf *o)
{
	const struct fd_detail *d = detail(f);
	const struct sock_info *s = d->sock;

	addr_port_text(&s->local, o);
	if (s->remote.port) {
		sb_adds(o, " -> ");
		addr_port_text(&s->remote, o);
	}
	sb_printf(o, " %s", sock_state_name(s));
	if (s->state == TCP_LISTEN)
		sb_printf(o, ", %u pending (backlog %u)%s", s->rqueue, s->wqueue, d->nends ? ": " : "");
	else if (d->awaiting_accept)
		sb_adds(o, ", awaiting accept by ");
	else if (d->nends)
		sb_adds(o, ", peer ");
	else if (d->peer_found)
		sb_adds(o, ", peer held by no process read");
	endpoint_ends_text(d, f, o);
}

static void socket_text(const struct fd_entry *f, struct strbuf *o)
{
	const struct fd_detail *d = detail(f);

	if (!d) {
		sb_adds(o, "-");
	} else if (d->err) {
		sock_error_text(d->err, o);
	} else if (d->absent) {
		kinds_absent_text(d->absent, o);
	} else if (d->have_sock) {
		if (d->sock->dump == SOCK_UNIX)
			unix_text(f, o);
		else if (sock_is_inet(d->sock->dump) && d->sock->dump != SOCK_IPRAW &&
			 d->sock->dump != SOCK_IPRAW6)
			inet_text(f, o);
		else
			kinds_socket_text(d->sock, o);
	}
}

static void eventfd_text(const struct fd_entry *f, struct strbuf *o)
{
	const struct fd_detail *d = detail(f);

	if (fd_details_of(f)->eventfd_id >= 0)
		sb_printf(o, "id %lld, ", fd_details_of(f)->eventfd_id);
	sb_printf(o, "count %llu", fd_details_of(f)->eventfd_count);
	if (d && d->nends) {
		sb_adds(o, "; also ");
		endpoint_ends_text(d, f, o);
	}
}

static void watch_text(const struct fd_entry *f, const struct epoll_watch *w, struct strbuf *o)
{
	if (!w->fd) {
		sb_printf(o, "tfd %d (no such fd now)", w->tfd);
		return;
	}
	holder_text(w->fd, f->proc, o);
	sb_printf(o, "%s (%s", w->verified ? "" : "?", kind_name(w->fd->kind));
	if (w->fd->fd != w->tfd)
		sb_printf(o, ", registered as fd %d", w->tfd);
	sb_adds(o, ")");
}

static void epoll_text(const struct fd_entry *f, struct strbuf *o)
{
	const struct fd_detail *d = detail(f);
	int err = 0;
	size_t i;

	if (!d || !d->nwatches) {
		sb_adds(o, "watches nothing");
		return;
	}
	sb_adds(o, "watches ");
	for (i = 0; i < d->nwatches; i++) {
		if (i == ENDS_LISTED) {
			sb_printf(o, ", ... %zu more", d->nwatches - i);
			break;
		}
		if (i)
			sb_adds(o, ", ");
		watch_text(f, &d->watches[i], o);
		if (d->watches[i].fd && !d->watches[i].verified)
			err = d->watches[i].err;
	}
	if (err)
		sb_printf(o, " (unverified: %s)", err < 0 ? "disabled" : errno_name(err));
}

static void pidfd_text(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	const struct process *p;
	int pid = fd_details_of(f)->pidfd_pid;

	if (!fd_details_of(f)->have_pidfd)
		sb_adds(o, "-");
	else if (pid < 0)
		sb_adds(o, "reaped");
	else if (pid == 0)
		sb_adds(o, "a process outside this pid namespace");
	else if ((p = model_process(m, pid)) && !p->gone)
		sb_printf(o, "pid %d (%s)%s", pid, p->comm, p->state == 'Z' ? ", zombie" : "");
	else
		sb_printf(o, "pid %d", pid);
}

/* "USR1" for signal 10, "RTMIN+8" for 42 (signame.h). */
static void signal_name(int sig, bool prefix, struct strbuf *o)
{
	char buf[24];

	sb_adds(o, signame(sig, prefix, buf, sizeof(buf)));
}

static void signalfd_text(const struct fd_entry *f, struct strbuf *o)
{
	int sig, n = 0;

	if (!fd_details_of(f)->have_sigmask) {
		sb_adds(o, "-");
		return;
	}
	sb_adds(o, "signals ");
	for (sig = 1; sig <= 64; sig++) {
		if (!(fd_details_of(f)->sigmask & (1ULL << (sig - 1))))
			continue;
		if (n++)
			sb_adds(o, ",");
		signal_name(sig, false, o);
	}
	if (!n)
		sb_adds(o, "none");
}

static const char *clock_name(int id)
{
	switch (id) {
	case 0: return "REALTIME";
	case 1: return "MONOTONIC";
	case 7: return "BOOTTIME";
	case 8: return "REALTIME_ALARM";
	case 9: return "BOOTTIME_ALARM";
	}
	return NULL;
}

static void seconds_text(long long sec, long long nsec, struct strbuf *o)
{
	sb_printf(o, "%lld.%03llds", sec, nsec / 1000000);
}

static void timerfd_text(const struct fd_entry *f, struct strbuf *o)
{
	const struct fd_details *i = fd_details_of(f);
	const char *name = clock_name(i->timer_clockid);

	if (!i->have_timerfd) {
		sb_adds(o, "-");
		return;
	}
	if (name)
		sb_adds(o, name);
	else
		sb_printf(o, "clock %d", i->timer_clockid);
	if (!i->timer_value_sec && !i->timer_value_nsec) {
		sb_adds(o, ", disarmed");
	} else {
		sb_adds(o, ", next in ");
		seconds_text(i->timer_value_sec, i->timer_value_nsec, o);
		if (i->timer_interval_sec || i->timer_interval_nsec) {
			sb_adds(o, ", every ");
			seconds_text(i->timer_interval_sec, i->timer_interval_nsec, o);
		}
	}
	sb_printf(o, ", %llu ticks", i->timer_ticks);
}

static void inotify_text(const struct fd_entry *f, struct strbuf *o)
{
	size_t i;

	sb_printf(o, "%d watch%s", fd_details_of(f)->inotify_watches, fd_details_of(f)->inotify_watches == 1 ? "" : "es");
	for (i = 0; i < fd_details_of(f)->nwatches && i < WATCHES_LISTED; i++) {
		const struct inotify_watch *w = &fd_details_of(f)->watches[i];
		sb_printf(o, "%s ino %llu on %llu:%llu", i ? "," : ":", w->ino, w->sdev >> 20,
			  w->sdev & 0xfffff);
	}
	if (fd_details_of(f)->nwatches > WATCHES_LISTED)
		sb_printf(o, ", ... %zu more", fd_details_of(f)->nwatches - WATCHES_LISTED);
}

void endpoint_text(const struct model *m, const struct fd_entry *f, struct strbuf *out)
{
	if (!endpoint_live(f)) {
		sb_adds(out, "-");
		return;
	}
	switch (f->kind) {
	case KIND_PIPE: case KIND_FIFO:
		if (detail(f))
			pipe_text(m, f, out);
		else
			sb_adds(out, "-");
		break;
	case KIND_SOCKET: socket_text(f, out); break;
	case KIND_EVENTFD: eventfd_text(f, out); break;
	case KIND_EPOLL: epoll_text(f, out); break;
	case KIND_PIDFD: pidfd_text(m, f, out); break;
	case KIND_SIGNALFD: signalfd_text(f, out); break;
	case KIND_TIMERFD: timerfd_text(f, out); break;
	case KIND_INOTIFY: inotify_text(f, out); break;
	default:
		if (!kinds_endpoint_text(m, f, out))
			sb_adds(out, "-");
		break;
	}
}

/* ---- JSON: the other end ---- */

/* The keys of an end, quoted once: there are hundreds of thousands. */
static struct json_qkey end_pid, end_fd;
static pthread_once_t end_keys_once = PTHREAD_ONCE_INIT;

static void end_keys_make(void)
{
	json_qkey_make(&end_pid, "pid");
	json_qkey_make(&end_fd, "fd");
}

static void ends_json(struct json *j, const void *key)
{
	const struct fd_detail *d = key;
	size_t i;

	pthread_once(&end_keys_once, end_keys_make);
	json_array_begin(j);
	for (i = 0; i < d->nends; i++) {
		const struct fd_entry *e = d->ends[i];
		json_object_begin(j);
		json_key_quoted(j, &end_pid);
		json_int(j, e->proc->pid);
		json_key_quoted(j, &end_fd);
		json_int(j, e->fd);
		json_kv_bytes(j, "comm", e->proc->comm, strlen(e->proc->comm));
		json_object_end(j);
	}
	json_array_end(j);
}

/* The fds of one description and its holders share d (endpoint_detail.h):
 * a long array is rendered once and copied for the others. */
void endpoint_json_ends(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct fd_detail *d = detail(f);

	(void)m;
	if (!d || !d->have_ends)
		json_null(j);
	else if (d->nends >= ENDS_CACHED)
		json_cache_value(j, d, ends_json);
	else
		ends_json(j, d);
}

void endpoint_json_error(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	json_string(j, f->detail && f->detail->err ? errno_name(f->detail->err) : NULL);
}

/* ---- JSON: sockets ---- */

bool endpoint_is_socket(const struct fd_entry *f)
{
	return f->kind == KIND_SOCKET;
}

void endpoint_json_protocol(const struct model *m, const struct fd_entry *f, struct json *j)
{
	char buf[24];

	(void)m;
	json_string(j, endpoint_protocol(f, buf, sizeof(buf)) ? buf : NULL);
}

void endpoint_json_socket_type(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct sock_info *s = sock_of(f);

	(void)m;
	if (!s || s->dump != SOCK_UNIX)
		json_null(j);
	else
		json_string(j, s->type == SOCK_STREAM ? "stream" : s->type == SOCK_DGRAM ? "dgram"
			    : s->type == SOCK_SEQPACKET ? "seqpacket" : "other");
}

void endpoint_json_state(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct sock_info *s = sock_of(f);

	(void)m;
	json_string(j, s ? sock_state_name(s) : NULL);
}

void endpoint_json_listening(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct sock_info *s = sock_of(f);

	(void)m;
	if (s)
		json_bool(j, s->state == TCP_LISTEN);
	else
		json_null(j);
}

void endpoint_json_pending(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct sock_info *s = sock_of(f);

	(void)m;
	if (s && s->state == TCP_LISTEN && s->have_queues)
		json_uint(j, s->rqueue);
	else
		json_null(j);
}

void endpoint_json_backlog(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct sock_info *s = sock_of(f);

	(void)m;
	if (s && s->state == TCP_LISTEN && s->have_queues)
		json_uint(j, s->wqueue);
	else
		json_null(j);
}

void endpoint_json_awaiting(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	if (sock_of(f))
		json_bool(j, f->detail->awaiting_accept);
	else
		json_null(j);
}

void endpoint_json_peer_ino(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct sock_info *s = sock_of(f);

	(void)m;
	if (s && s->have_peer && s->peer)
		json_uint(j, s->peer);
	else
		json_null(j);
}

void endpoint_json_name(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct sock_info *s = sock_of(f);
	struct strbuf sb;

	(void)m;
	if (!s || !s->name_len) {
		json_null(j);
		return;
	}
	sb_init(&sb);
	name_text(s, &sb);
	json_string_len(j, sb.buf, sb.len);
	sb_free(&sb);
}

static void addr_json(const struct sock_addr *a, struct json *j)
{
	char buf[64];

	sock_addr_text(a, buf, sizeof(buf));
	json_object_begin(j);
	json_kv_string(j, "address", buf);
	json_kv_uint(j, "port", a->port);
	json_object_end(j);
}

void endpoint_json_local(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct sock_info *s = sock_of(f);

	(void)m;
	if (s && sock_has_addrs(s->dump))
		addr_json(&s->local, j);
	else
		json_null(j);
}

void endpoint_json_remote(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct sock_info *s = sock_of(f);

	(void)m;
	if (s && sock_has_addrs(s->dump) && (s->remote.port || !sock_addr_is_any(&s->remote)))
		addr_json(&s->remote, j);
	else
		json_null(j);
}

/* ---- JSON: epoll ---- */

bool endpoint_is_epoll(const struct fd_entry *f)
{
	return f->kind == KIND_EPOLL;
}

static void watch_json(const struct epoll_watch *w, struct json *j)
{
	json_object_begin(j);
	json_kv_int(j, "tfd", w->tfd);
	json_kv_uint(j, "events", w->events);
	json_kv_uint(j, "data", w->data);
	json_kv_uint(j, "ino", w->ino);
	if (w->fd) {
		json_kv_int(j, "pid", w->fd->proc->pid);
		json_kv_int(j, "fd", w->fd->fd);
		json_kv_string(j, "type", kind_name(w->fd->kind));
	} else {
		json_kv_null(j, "pid");
		json_kv_null(j, "fd");
		json_kv_null(j, "type");
	}
	json_kv_bool(j, "verified", w->verified);
	json_kv_string(j, "unverified_reason", !w->fd || w->verified ? NULL
		       : w->err < 0 ? "disabled" : errno_name(w->err));
	json_object_end(j);
}

void endpoint_json_watches(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct fd_detail *d = detail(f);
	size_t i;

	(void)m;
	if (!d) {
		json_null(j);
		return;
	}
	json_array_begin(j);
	for (i = 0; i < d->nwatches; i++)
		watch_json(&d->watches[i], j);
	json_array_end(j);
}

/* ---- JSON: eventfd, pidfd, signalfd, timerfd, inotify ---- */

bool endpoint_is_eventfd(const struct fd_entry *f) { return f->kind == KIND_EVENTFD; }
bool endpoint_is_pidfd(const struct fd_entry *f) { return f->kind == KIND_PIDFD; }
bool endpoint_is_signalfd(const struct fd_entry *f) { return f->kind == KIND_SIGNALFD; }
bool endpoint_is_timerfd(const struct fd_entry *f) { return f->kind == KIND_TIMERFD; }
bool endpoint_is_inotify(const struct fd_entry *f) { return f->kind == KIND_INOTIFY; }

void endpoint_json_eventfd_id(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	if (fd_details_of(f)->have_eventfd && fd_details_of(f)->eventfd_id >= 0)
		json_int(j, fd_details_of(f)->eventfd_id);
	else
		json_null(j);
}

void endpoint_json_eventfd_count(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	if (fd_details_of(f)->have_eventfd)
		json_uint(j, fd_details_of(f)->eventfd_count);
	else
		json_null(j);
}

void endpoint_json_pidfd_pid(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	if (fd_details_of(f)->have_pidfd && fd_details_of(f)->pidfd_pid >= 0)
		json_int(j, fd_details_of(f)->pidfd_pid);
	else
		json_null(j);
}

void endpoint_json_signals(const struct model *m, const struct fd_entry *f, struct json *j)
{
	struct strbuf sb;
	int sig;

	(void)m;
	if (!fd_details_of(f)->have_sigmask) {
		json_null(j);
		return;
	}
	sb_init(&sb);
	json_array_begin(j);
	for (sig = 1; sig <= 64; sig++) {
		if (!(fd_details_of(f)->sigmask & (1ULL << (sig - 1))))
			continue;
		sb.len = 0;
		signal_name(sig, true, &sb);
		json_string(j, sb.buf);
	}
	json_array_end(j);
	sb_free(&sb);
}

void endpoint_json_clock(const struct model *m, const struct fd_entry *f, struct json *j)
{
	char buf[32];
	const char *name = clock_name(fd_details_of(f)->timer_clockid);

	(void)m;
	if (!fd_details_of(f)->have_timerfd) {
		json_null(j);
		return;
	}
	if (name)
		snprintf(buf, sizeof(buf), "CLOCK_%s", name);
	else
		snprintf(buf, sizeof(buf), "%d", fd_details_of(f)->timer_clockid);
	json_string(j, buf);
}

void endpoint_json_timer(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct fd_details *i = fd_details_of(f);

	(void)m;
	if (!i->have_timerfd) {
		json_null(j);
		return;
	}
	json_object_begin(j);
	json_kv_int(j, "value_ns", i->timer_value_sec * 1000000000LL + i->timer_value_nsec);
	json_kv_int(j, "interval_ns", i->timer_interval_sec * 1000000000LL + i->timer_interval_nsec);
	json_kv_uint(j, "ticks", i->timer_ticks);
	json_object_end(j);
}

void endpoint_json_inotify(const struct model *m, const struct fd_entry *f, struct json *j)
{
	char dev[48];
	size_t i;

	(void)m;
	json_array_begin(j);
	for (i = 0; i < fd_details_of(f)->nwatches; i++) {
		const struct inotify_watch *w = &fd_details_of(f)->watches[i];
		snprintf(dev, sizeof(dev), "%llu:%llu", w->sdev >> 20, w->sdev & 0xfffff);
		json_object_begin(j);
		json_kv_int(j, "wd", w->wd);
		json_kv_uint(j, "ino", w->ino);
		json_kv_string(j, "dev", dev);
		json_kv_uint(j, "mask", w->mask);
		json_object_end(j);
	}
	json_array_end(j);
}
