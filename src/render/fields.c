/* fields.c - the fd field table (see fields.h) and the SHARED wording. */
#include "render/fields.h"
#include "model/endpoint.h"
#include "base/escape.h"
#include "base/intern.h"
#include "scan/fd.h"
#include "render/fields_endpoint.h"
#include "render/fields_kinds.h"
#include "render/render_locks.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <pwd.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/sysmacros.h>

#define SHARED_PROCS_LISTED 2   /* SHARED names at most this many other processes */
#define HOLDERS_LISTED 6        /* HOLDERS names at most this many processes */

const char *const fd_default_columns = "FD,TYPE,MODE,CLOEXEC,POS,FLAGS,OFD,SHARED,ENDPOINT,TARGET";
const char *const path_default_columns = "OFD,PID,COMMAND,FD,TYPE,MODE,POS,FLAGS,SHARED,ENDPOINT,TARGET";
const char *const overview_default_columns = "OFD,TYPE,MODE,POS,VERIFIED,PROCS,TARGET,HOLDERS";

const char *unverified_reason(const struct ofd_group *g)
{
	if (ofd_proven(g))
		return NULL;
	if (g->unverified_err < 0)
		return "disabled";
	return errno_name(g->unverified_err);
}

/* "1234 (bash) fd 3", or "1234 fd 3" when viewer is its process. */
void holder_text(const struct fd_entry *f, const struct process *viewer, struct strbuf *out)
{
	sb_add_int(out, f->proc->pid);
	if (f->proc != viewer) {
		sb_adds(out, " (");
		sb_adds(out, f->proc->comm);
		sb_addc(out, ')');
	}
	sb_adds(out, " fd ");
	sb_add_int(out, f->fd);
}

void shared_text(const struct model *m, const struct fd_entry *f, struct strbuf *out)
{
	const struct ofd_group *g = model_ofd(m, f->ofd);
	size_t i, listed = 0;
	int others;

	if (!g) {
		sb_adds(out, f->err ? "?" : "-");
		return;
	}
	if (g->nholders < 2) {
		if (f->same_file && f->same_file->proc == f->proc)
			sb_printf(out, "no: fd %d opens the same file separately", f->same_file->fd);
		else if (f->same_file)
			sb_printf(out, "no: %d (%s) fd %d opens the same file separately",
				  f->same_file->proc->pid, f->same_file->proc->comm, f->same_file->fd);
		else
			sb_adds(out, "-");
		return;
	}
	if (!ofd_proven(g))
		sb_adds(out, "? ");
	/* this process's other fds by number, the other processes by name when
	 * they are few, else counted (HOLDERS or -J lists them) */
	others = g->nprocs - 1;
	for (i = 0; i < g->nholders; i++) {
		const struct fd_entry *h = g->holders[i];
		if (h == f || (h->proc != f->proc && others > SHARED_PROCS_LISTED))
			continue;
		if (listed++)
			sb_adds(out, ", ");
		holder_text(h, f->proc, out);
	}
	if (others > SHARED_PROCS_LISTED)
		sb_printf(out, "%s%d other processes", listed ? ", " : "", others);
	if (!ofd_proven(g))
		sb_printf(out, " (unverified: %s)", unverified_reason(g));
}

/* "1234 (bash) fd 0,1; 1240 (cat) fd 1", at most HOLDERS_LISTED processes
 * (a file inherited by hundreds would make one line of kilobytes). */
void holders_text(const struct model *m, const struct fd_entry *f, struct strbuf *sb)
{
	const struct ofd_group *g = model_ofd(m, f->ofd);
	size_t i;
	int procs = 0;

	for (i = 0; g && i < g->nholders; i++) {
		const struct fd_entry *h = g->holders[i];
		if (i && h->proc == g->holders[i - 1]->proc) {
			sb_addc(sb, ',');
			sb_add_int(sb, h->fd);
			continue;
		}
		if (procs == HOLDERS_LISTED) {
			sb_printf(sb, "; ... %d more process%s (-J lists all)", g->nprocs - procs,
				  g->nprocs - procs == 1 ? "" : "es");
			return;
		}
		if (procs++)
			sb_adds(sb, "; ");
		holder_text(h, NULL, sb);
	}
}

bool fd_commonplace(const struct fd_entry *f)
{
	static const char *const devices[] = {
		"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
		"/dev/tty", "/dev/console", "/dev/ptmx",
	};
	size_t i;

	if (f->kind != KIND_CHR || !f->target)
		return false;
	for (i = 0; i < ARRAY_LEN(devices); i++)
		if (strcmp(f->target, devices[i]) == 0)
			return true;
	/* terminals: /dev/pts/N, /dev/ttyN, /dev/ttySN, /dev/ttyUSBN ... */
	return strncmp(f->target, "/dev/pts/", 9) == 0 || strncmp(f->target, "/dev/tty", 8) == 0;
}

/* ---- cells ---- */

static void t_fd(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	sb_add_int(o, f->fd);
}

static void t_type(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	sb_adds(o, kind_name(f->kind));
}

static void t_mode(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	sb_adds(o, fd_access_name(f));
}

static void t_cloexec(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	sb_adds(o, !f->have_facts ? "?" : f->cloexec ? "yes" : "no");
}

static void t_pos(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	if (f->have_facts)
		sb_add_uint(o, f->pos);
	else
		sb_adds(o, "?");
}

static void t_flags(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	const char *names[20];
	size_t n, i;

	(void)m;
	if (!f->have_facts) {
		sb_adds(o, "?");
		return;
	}
	n = fd_flag_names(f, names, ARRAY_LEN(names));
	for (i = 0; i < n; i++) {
		/* "O_APPEND" -> "append", as lsfd prints them */
		const char *s = names[i] + 2;
		if (i)
			sb_adds(o, ",");
		for (; *s; s++)
			sb_addc(o, *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s);
	}
	if (!n)
		sb_adds(o, "-");
}

static void t_ofd(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	if (f->ofd)
		sb_add_int(o, f->ofd);
	else
		sb_adds(o, "?");
}

static void t_target(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	if (f->target)
		sb_add(o, f->target, f->target_len);
	else
		sb_printf(o, "(%s)", errno_name(f->err));
}

static void t_pid(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	sb_add_int(o, f->proc->pid);
}

static void t_command(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	sb_adds(o, f->proc->comm);
}

static void t_mntid(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	if (f->have_facts)
		sb_add_int(o, f->mnt_id);
}

static void t_ino(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	if (f->have_facts)
		sb_add_uint(o, f->ino);
}

static void t_deleted(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	sb_adds(o, f->deleted ? "yes" : "no");
}

static void t_error(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	(void)m;
	sb_adds(o, f->err ? errno_name(f->err) : f->stat_skipped ? "stat skipped" : "-");
}

static void t_verified(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	const struct ofd_group *g = model_ofd(m, f->ofd);

	if (!g)
		sb_adds(o, "?");
	else if (ofd_proven(g))
		sb_adds(o, "yes");
	else
		sb_printf(o, "? %s", unverified_reason(g));
}

static void t_procs(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	const struct ofd_group *g = model_ofd(m, f->ofd);

	sb_add_int(o, g ? g->nprocs : 1);
}

/* ---- JSON values ---- */

static void j_fd(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	json_int(j, f->fd);
}

static void j_type(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	json_string(j, kind_name(f->kind));
}

/* The raw link bytes; when they are not UTF-8, a "target_hex" sibling keeps
 * every byte (the value itself then holds U+FFFD replacements). */
static void j_target(const struct model *m, const struct fd_entry *f, struct json *j)
{
	struct strbuf hex;

	(void)m;
	if (!f->target) {
		json_null(j);
		return;
	}
	if (!json_string_len(j, f->target, f->target_len))
		return;
	sb_init(&hex);
	hex_encode(&hex, f->target, f->target_len);
	json_kv_string(j, "target_hex", hex.buf);
	sb_free(&hex);
}

static void j_mode(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	if (f->have_facts)
		json_string(j, fd_access_name(f));
	else
		json_null(j);
}

static void j_cloexec(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	if (f->have_facts)
		json_bool(j, f->cloexec);
	else
		json_null(j);
}

static void j_pos(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	if (f->have_facts)
		json_uint(j, f->pos);
	else
		json_null(j);
}

static void j_flags(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const char *names[20];
	size_t n, i;

	(void)m;
	if (!f->have_facts) {
		json_null(j);
		return;
	}
	n = fd_flag_names(f, names, ARRAY_LEN(names));
	json_array_begin(j);
	for (i = 0; i < n; i++)
		json_string(j, names[i]);
	json_array_end(j);
}

static void j_flags_octal(const struct model *m, const struct fd_entry *f, struct json *j)
{
	char buf[24], *p;

	(void)m;
	if (!f->have_facts) {
		json_null(j);
		return;
	}
	buf[sizeof(buf) - 1] = '\0';
	p = fmt_digits(buf + sizeof(buf) - 1, fd_kernel_flags(f), 8);
	*--p = '0';
	json_string(j, p);
}

static void j_proof(const struct model *m, const struct fd_entry *f, struct json *j)
{
	const struct ofd_group *g = model_ofd(m, f->ofd);

	if (g)
		json_string(j, ofd_proof_name(g->proof));
	else
		json_null(j);
}

static void j_ofd(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	if (f->ofd)
		json_int(j, f->ofd);
	else
		json_null(j);
}

static void j_ofd_verified(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	if (f->ofd)
		json_bool(j, ofd_proven(model_ofd(m, f->ofd)));
	else
		json_null(j);
}

static void j_shared(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	json_bool(j, f->in_shared_ofd);
}

static void j_mnt_id(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	if (f->have_facts)
		json_int(j, f->mnt_id);
	else
		json_null(j);
}

static void j_ino(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	if (f->have_facts)
		json_uint(j, f->ino);
	else
		json_null(j);
}

static void j_deleted(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	json_bool(j, f->deleted);
}

static void j_size(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	if (f->have_stat && (f->kind == KIND_REG || f->kind == KIND_BLK || f->kind == KIND_DIR))
		json_int(j, (long long)f->st_size);
	else
		json_null(j);
}

static void j_dev(const struct model *m, const struct fd_entry *f, struct json *j)
{
	char buf[48], *p;

	(void)m;
	if (!f->have_stat) {
		json_null(j);
		return;
	}
	buf[sizeof(buf) - 1] = '\0';
	p = fmt_digits(buf + sizeof(buf) - 1, minor(f->st_dev), 10);
	*--p = ':';
	p = fmt_digits(p, major(f->st_dev), 10);
	json_string(j, p);
}

static void j_stat_skipped(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	json_string(j, f->stat_skipped);
}

static void j_error(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	json_string(j, f->err ? errno_name(f->err) : NULL);
}

const struct fd_field fd_fields[] = {
	{ "FD", "fd", "file descriptor number", true, false, t_fd, j_fd, NULL },
	{ "TYPE", "type", "reg, dir, chr, blk, fifo, pipe, socket, eventfd, epoll, ...", false, false, t_type, j_type, NULL },
	{ NULL, "target", "link target (see TARGET)", false, false, NULL, j_target, NULL },
	{ "MODE", "mode", "access mode: r, w, rw or path (O_PATH)", false, false, t_mode, j_mode, NULL },
	{ "POS", "pos", "file offset of the open file description", true, false, t_pos, j_pos, NULL },
	{ "FLAGS", "flags", "status flags of the open file description", false, false, t_flags, j_flags, NULL },
	{ NULL, "flags_octal", "fdinfo flags as printed by the kernel", false, false, NULL, j_flags_octal, NULL },
	{ "CLOEXEC", "cloexec", "close-on-exec, a per-fd flag: yes or no", false, false, t_cloexec, j_cloexec, NULL },
	{ "MNTID", "mnt_id", "mount id of the file", true, false, t_mntid, j_mnt_id, NULL },
	{ "INO", "ino", "inode number of the file", true, false, t_ino, j_ino, NULL },
	{ "OFD", "ofd", "id of the open file description (same id = same description)", true, false, t_ofd, j_ofd, NULL },
	{ NULL, "ofd_verified", "the grouping was proven by kcmp", false, false, NULL, j_ofd_verified, NULL },
	{ NULL, "proof", "what proved the grouping: kernel, kcmp or none", false, false, NULL, j_proof, NULL },
	{ NULL, "shared", "the description is held by another fd too", false, false, NULL, j_shared, NULL },
	{ "SHARED", NULL, "who else holds this open file description", false, true, shared_text, NULL, NULL },
	{ "ENDPOINT", "endpoints", "the other end: its holders, or what the fd watches or refers to", false, true, endpoint_text, endpoint_json_ends, NULL },
	{ NULL, "endpoint_error", "why the other end is not known (EPERM ...)", false, false, NULL, endpoint_json_error, NULL },
	{ NULL, "protocol", "a socket's protocol: unix, tcp, tcp6, udp, udp6, netlink ...", false, false, NULL, endpoint_json_protocol, endpoint_is_socket },
	{ NULL, "socket_type", "a unix socket's type: stream, dgram, seqpacket", false, false, NULL, endpoint_json_socket_type, endpoint_is_socket },
	{ NULL, "state", "a socket's state: LISTEN, ESTABLISHED, UNCONN ...", false, false, NULL, endpoint_json_state, endpoint_is_socket },
	{ NULL, "listening", "the socket listens for connections", false, false, NULL, endpoint_json_listening, endpoint_is_socket },
	{ NULL, "pending", "a listener's connections waiting for accept()", false, false, NULL, endpoint_json_pending, endpoint_is_socket },
	{ NULL, "backlog", "a listener's backlog", false, false, NULL, endpoint_json_backlog, endpoint_is_socket },
	{ NULL, "awaiting_accept", "a client not yet accepted: endpoints are the listener's holders", false, false, NULL, endpoint_json_awaiting, endpoint_is_socket },
	{ NULL, "peer_ino", "a unix socket's peer inode", false, false, NULL, endpoint_json_peer_ino, endpoint_is_socket },
	{ NULL, "name", "a unix socket's path or @abstract name", false, false, NULL, endpoint_json_name, endpoint_is_socket },
	{ NULL, "local", "an inet socket's local address and port", false, false, NULL, endpoint_json_local, endpoint_is_socket },
	{ NULL, "remote", "an inet socket's remote address and port", false, false, NULL, endpoint_json_remote, endpoint_is_socket },
	{ NULL, "watches", "what an epoll fd watches", false, false, NULL, endpoint_json_watches, endpoint_is_epoll },
	{ NULL, "eventfd_id", "an eventfd's id", false, false, NULL, endpoint_json_eventfd_id, endpoint_is_eventfd },
	{ NULL, "eventfd_count", "an eventfd's counter", false, false, NULL, endpoint_json_eventfd_count, endpoint_is_eventfd },
	{ NULL, "pidfd_pid", "the process a pidfd refers to (null once reaped)", false, false, NULL, endpoint_json_pidfd_pid, endpoint_is_pidfd },
	{ NULL, "signals", "the signals a signalfd takes", false, false, NULL, endpoint_json_signals, endpoint_is_signalfd },
	{ NULL, "clock", "a timerfd's clock", false, false, NULL, endpoint_json_clock, endpoint_is_timerfd },
	{ NULL, "timer", "a timerfd's next expiry, interval and ticks", false, false, NULL, endpoint_json_timer, endpoint_is_timerfd },
	{ NULL, "inotify_watches", "the inodes an inotify fd watches", false, false, NULL, endpoint_json_inotify, endpoint_is_inotify },
	{ NULL, "unlisted", "a socket still open but in no sock_diag dump: other-netns or unbound-or-other-netns", false, false, NULL, kinds_json_unlisted, endpoint_is_socket },
	{ NULL, "ip_protocol", "a raw socket's IP protocol number", false, false, NULL, kinds_json_ip_protocol, kinds_is_raw },
	{ NULL, "packet", "a packet socket's type, ethertype and interface", false, false, NULL, kinds_json_packet, kinds_is_packet },
	{ NULL, "netlink", "a netlink socket's protocol, port id and multicast groups", false, false, NULL, kinds_json_netlink, kinds_is_netlink },
	{ NULL, "namespace", "an nsfs fd's namespace: type (net, user, pid ...) and inode", false, false, NULL, kinds_json_namespace, kinds_is_nsfs },
	{ NULL, "bpf", "a BPF map, program or link: object, type, id", false, false, NULL, kinds_json_bpf, kinds_is_bpf },
	{ NULL, "io_uring", "an io_uring's ring sizes, polling thread, registered files and buffers", false, false, NULL, kinds_json_io_uring, kinds_is_io_uring },
	{ NULL, "pty", "a pty master or slave: role and number", false, false, NULL, kinds_json_pty, kinds_is_pty },
	{ NULL, "tun", "a tun/tap fd's interface", false, false, NULL, kinds_json_tun, kinds_is_tun },
	{ "LOCKS", "locks", "locks carried by the fd's description or owned through it, and how many wait", false, true, locks_text_cell, locks_json_cell, NULL },
	{ "DELETED", "deleted", "the file was deleted while open: yes or no", false, false, t_deleted, j_deleted, NULL },
	{ NULL, "size", "size of a regular file or block device", false, false, NULL, j_size, NULL },
	{ NULL, "dev", "device of the file system holding it (major:minor)", false, false, NULL, j_dev, NULL },
	{ NULL, "stat_skipped", "why the file was not stat()ed (remote file system ...)", false, false, NULL, j_stat_skipped, NULL },
	{ "ERROR", "error", "what could not be read about this fd", false, false, t_error, j_error, NULL },
	{ "PID", NULL, "process id of the holder", true, false, t_pid, NULL, NULL },
	{ "COMMAND", NULL, "command name of the holder", false, false, t_command, NULL, NULL },
	{ "TARGET", NULL, "what the fd refers to (path, pipe:[ino], socket:[ino], ...)", false, true, t_target, NULL, NULL },
	{ "VERIFIED", NULL, "the description's sharing was proven by kcmp: yes, or ? and why not", false, false, t_verified, NULL, NULL },
	{ "PROCS", NULL, "how many processes hold the description", true, false, t_procs, NULL, NULL },
	{ "HOLDERS", NULL, "every holder of the description: pid (comm) fd N,...", false, true, holders_text, NULL, NULL },
};
const size_t fd_nfields = ARRAY_LEN(fd_fields);

/* Socket protocols and device kinds --type accepts beside the JSON type
 * names ("pty" is either end of a pty). */
static const char *const protocol_names[] = {
	"unix", "tcp", "tcp6", "udp", "udp6", "raw", "raw6", "netlink", "packet",
	"ping", "ping6", "udplite", "udplite6", "ptmx", "pts", "pty", "tun",
};

bool fd_type_known(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(protocol_names); i++)
		if (strcmp(name, protocol_names[i]) == 0)
			return true;
	return kind_by_name(name) >= 0;
}

void fd_type_list(struct strbuf *out)
{
	size_t i;

	for (i = 0; i < KIND_COUNT; i++)
		sb_printf(out, "%s%s", i ? ", " : "", kind_name((enum fd_kind)i));
	for (i = 0; i < ARRAY_LEN(protocol_names); i++)
		sb_printf(out, ", %s", protocol_names[i]);
}

bool fd_type_matches(const struct fd_entry *f, const char *const *types, size_t ntypes)
{
	char proto[24];
	bool have_proto;
	const char *chr;
	size_t i;

	if (!ntypes)
		return true;
	have_proto = endpoint_protocol(f, proto, sizeof(proto));
	chr = kinds_chr_name(f);

	for (i = 0; i < ntypes; i++)
		if (strcmp(types[i], kind_name(f->kind)) == 0 ||
		    (have_proto && strcmp(types[i], proto) == 0) ||
		    (chr && (strcmp(types[i], chr) == 0 ||
			     (strcmp(types[i], "pty") == 0 && strcmp(chr, "tun") != 0))))
			return true;
	return false;
}

bool fd_related_of_types(const struct process *p, const char *const *types, size_t ntypes)
{
	size_t i;

	for (i = 0; i < p->nfds; i++)
		if (p->fds[i].related && fd_type_matches(&p->fds[i], types, ntypes))
			return true;
	return false;
}

const struct fd_field *field_by_column(const char *name)
{
	size_t i;

	for (i = 0; i < fd_nfields; i++)
		if (fd_fields[i].column && strcasecmp(fd_fields[i].column, name) == 0)
			return &fd_fields[i];
	return NULL;
}

static int add_columns(const char *list, const struct fd_field **out, size_t n, size_t max,
		       const char **bad)
{
	static char badname[64];
	char *copy = xstrdup(list), *save = NULL, *tok;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		const struct fd_field *f = field_by_column(tok);
		if (!f || n >= max) {
			snprintf(badname, sizeof(badname), "%s", tok);
			*bad = badname;
			free(copy);
			return -1;
		}
		out[n++] = f;
	}
	free(copy);
	return (int)n;
}

int columns_parse(const char *list, const char *defaults, const struct fd_field **out,
		  size_t max, const char **bad)
{
	int n = 0;

	if (!list || *list == '+') {
		n = add_columns(defaults, out, 0, max, bad);
		if (n < 0 || !list)
			return n;
		list++;
	}
	return add_columns(list, out, (size_t)n, max, bad);
}

/* Every uid looked up so far, under a lock: renderers call this on several
 * threads, and a machine has few users (the names are interned, kept). */
const char *uid_name(unsigned uid)
{
	static struct { unsigned uid; const char *name; } *cache;
	static size_t ncache, cap;
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct passwd pw, *res = NULL;
	char buf[1024], num[16];
	const char *name = NULL;
	size_t i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < ncache && !name; i++)
		if (cache[i].uid == uid)
			name = cache[i].name;
	if (!name) {
		if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) != 0 || !res) {
			snprintf(num, sizeof(num), "%u", uid);
			res = NULL;
		}
		name = intern(res ? pw.pw_name : num);
		grow_array((void **)&cache, &cap, ncache + 1, sizeof(*cache));
		cache[ncache].uid = uid;
		cache[ncache++].name = name;
	}
	pthread_mutex_unlock(&lock);
	return name;
}
