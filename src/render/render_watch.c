/* render_watch.c - watch mode's text lines and NDJSON objects (see render_watch.h).
 *
 * Text:  "HH:MM:SS.mmm KIND     PID (COMM) details", local time.
 * NDJSON: {"event": KIND, "time": RFC 3339 UTC with microseconds,
 *          "mono_ns": CLOCK_MONOTONIC, then the keys of that kind}. */
#include "render/render_watch.h"
#include "base/escape.h"
#include "base/signame.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

/* "SIGKILL", "SIGRTMIN+8" (signame.h; static storage). */
static const char *signal_name(int sig)
{
	static char buf[24];

	return signame(sig, true, buf, sizeof(buf));
}

static void wall_clock(const struct watch_render *o, unsigned long long mono, struct timespec *ts)
{
	long long ns = (long long)mono + o->real_minus_mono_ns;

	ts->tv_sec = (time_t)(ns / 1000000000LL);
	ts->tv_nsec = (long)(ns % 1000000000LL);
}

/* ---- text ---- */

static void text_head(struct strbuf *sb, const struct watch_render *o, unsigned long long mono, const char *kind)
{
	struct timespec ts;
	struct tm tm;
	char hms[16];

	wall_clock(o, mono, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	sb_printf(sb, "%s.%03ld %-8s", hms, ts.tv_nsec / 1000000, kind);
}

/* "PID (COMM)", or "PID" when the name is unknown. */
static void text_proc(struct strbuf *sb, int pid, const char *comm)
{
	sb_printf(sb, "%d", pid);
	if (comm) {
		sb_adds(sb, " (");
		escape_text(sb, comm, strlen(comm));
		sb_adds(sb, ")");
	}
}

static void text_status(struct strbuf *sb, unsigned status)
{
	if (WIFSIGNALED(status))
		sb_printf(sb, " killed by %s%s", signal_name(WTERMSIG(status)),
			  WCOREDUMP(status) ? " (core dumped)" : "");
	else
		sb_printf(sb, " code %d", WEXITSTATUS(status));
}

static void text_reparent(struct strbuf *sb, const struct wreport *r)
{
	if (r->adopter == ADOPT_THREAD) {
		sb_printf(sb, " parent %d: its thread exited, another thread of ", r->old_ppid);
		text_proc(sb, r->ppid, r->pcomm);
		sb_adds(sb, " has it");
	} else {
		sb_printf(sb, " parent %d -> ", r->old_ppid);
		text_proc(sb, r->ppid, r->pcomm);
		sb_printf(sb, " %s", wadopter_name(r->adopter));
	}
	if (r->birth_ppid)
		sb_printf(sb, ", born of %d", r->birth_ppid);
	else
		sb_adds(sb, ", birth parent unknown");
}

static void text_details(struct strbuf *sb, const struct wreport *r)
{
	size_t i;

	switch (r->kind) {
	case WK_FORK:
		sb_adds(sb, " parent ");
		text_proc(sb, r->ppid, r->pcomm);
		if (r->parent_tid != r->ppid)
			sb_printf(sb, " thread %d", r->parent_tid);
		break;
	case WK_EXEC:
		sb_adds(sb, " was ");
		if (r->old_comm)
			escape_text(sb, r->old_comm, strlen(r->old_comm));
		else
			sb_adds(sb, "?");
		sb_adds(sb, ":");
		for (i = 0; r->argv && r->argv[i]; i++) {
			sb_adds(sb, " ");
			escape_text(sb, r->argv[i], strlen(r->argv[i]));
		}
		if (!r->argv)
			sb_adds(sb, " (command line unreadable)");
		break;
	case WK_EXIT:
		text_status(sb, r->status);
		sb_adds(sb, ", parent ");
		text_proc(sb, r->ppid, r->pcomm);
		break;
	case WK_ZOMBIE:
		sb_adds(sb, " not reaped yet by ");
		text_proc(sb, r->ppid, r->pcomm);
		break;
	case WK_REAPED:
		sb_adds(sb, " by ");
		text_proc(sb, r->ppid, r->pcomm);
		if (r->zombie_ns >= 0)
			sb_printf(sb, " after %.3f s", (double)r->zombie_ns / 1e9);
		else
			sb_adds(sb, " after an unknown time (a zombie already when first seen)");
		break;
	case WK_REPARENT:
		text_reparent(sb, r);
		break;
	default:
		break;
	}
}

static int text_line(const struct watch_render *o, struct strbuf *sb)
{
	sb_adds(sb, "\n");
	fwrite(sb->buf, 1, sb->len, o->out);
	sb_free(sb);
	return ferror(o->out) ? -1 : 0;
}

static int text_event(const struct watch_render *o, const struct wreport *r)
{
	struct strbuf sb;

	sb_init(&sb);
	text_head(&sb, o, r->ts_ns, wkind_name(r->kind));
	if (r->kind == WK_LOST) {
		sb_printf(&sb, " events were lost (%s): /proc re-read, %zu processes",
			  r->lost_err == ENOBUFS ? "the kernel found the receive buffer full"
			  : "fdshare's backlog was full", r->processes);
	} else {
		sb_adds(&sb, " ");
		text_proc(&sb, r->pid, r->comm);
		text_details(&sb, r);
	}
	return text_line(o, &sb);
}

/* ---- NDJSON ---- */

static struct json *json_head(const struct watch_render *o, unsigned long long mono, const char *kind)
{
	struct json *j = json_new(o->out, false);
	struct timespec ts;
	struct tm tm;
	char when[64];

	wall_clock(o, mono, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + strlen(when), sizeof(when) - strlen(when), ".%06ldZ", ts.tv_nsec / 1000);
	json_object_begin(j);
	json_kv_string(j, "event", kind);
	json_kv_string(j, "time", when);
	json_kv_uint(j, "mono_ns", mono);
	return j;
}

static void json_nullable_int(struct json *j, const char *key, long long v, bool known)
{
	if (known)
		json_kv_int(j, key, v);
	else
		json_kv_null(j, key);
}

static void json_bytes_or_null(struct json *j, const char *key, const char *s)
{
	if (s)
		json_kv_bytes(j, key, s, strlen(s));
	else
		json_kv_null(j, key);
}

static void json_exit(struct json *j, unsigned status)
{
	bool sig = WIFSIGNALED(status);

	json_kv_uint(j, "status", status);
	json_nullable_int(j, "code", WEXITSTATUS(status), !sig);
	if (sig)
		json_kv_string(j, "signal", signal_name(WTERMSIG(status)));
	else
		json_kv_null(j, "signal");
	json_kv_bool(j, "core_dumped", sig && WCOREDUMP(status));
}

static void json_argv(struct json *j, char *const *argv)
{
	size_t i;

	json_key(j, "argv");
	if (!argv) {
		json_null(j);
		return;
	}
	json_array_begin(j);
	for (i = 0; argv[i]; i++)
		json_string_len(j, argv[i], strlen(argv[i]));
	json_array_end(j);
}

static void json_details(struct json *j, const struct wreport *r)
{
	switch (r->kind) {
	case WK_FORK:
		json_kv_int(j, "parent_tid", r->parent_tid);
		break;
	case WK_EXEC:
		json_bytes_or_null(j, "old_comm", r->old_comm);
		json_argv(j, r->argv);
		break;
	case WK_EXIT:
		json_exit(j, r->status);
		break;
	case WK_REAPED:
		json_nullable_int(j, "zombie_ms", r->zombie_ns / 1000000, r->zombie_ns >= 0);
		break;
	case WK_REPARENT:
		json_kv_int(j, "old_ppid", r->old_ppid);
		json_kv_string(j, "adopter", wadopter_name(r->adopter));
		json_nullable_int(j, "birth_ppid", r->birth_ppid, r->birth_ppid > 0);
		break;
	default:
		break;
	}
}

static int json_event(const struct watch_render *o, const struct wreport *r)
{
	struct json *j = json_head(o, r->ts_ns, wkind_name(r->kind));

	if (r->kind == WK_LOST) {
		json_kv_string(j, "reason", r->lost_err == ENOBUFS ? "kernel" : "backlog");
		json_kv_uint(j, "processes", r->processes);
	} else {
		json_kv_int(j, "pid", r->pid);
		json_bytes_or_null(j, "comm", r->comm);
		json_kv_int(j, "ppid", r->ppid);
		json_bytes_or_null(j, "parent_comm", r->pcomm);
		json_details(j, r);
	}
	json_object_end(j);
	return json_free(j);
}

int render_watch_event(const struct watch_render *o, const struct wreport *r)
{
	return o->json ? json_event(o, r) : text_event(o, r);
}

/* ---- first and last lines ---- */

static void text_kinds(struct strbuf *sb, unsigned kinds)
{
	const char *sep = "";
	int k;

	for (k = 0; k < WK_COUNT; k++)
		if (kinds & (1u << k)) {
			sb_printf(sb, "%s%s", sep, wkind_name((enum wkind)k));
			sep = ",";
		}
}

int render_watch_start(const struct watch_render *o, const struct watch_start *st)
{
	struct strbuf sb;
	struct json *j;
	size_t i;
	int k;

	if (!o->json) {
		sb_init(&sb);
		text_head(&sb, o, st->ts_ns, "start");
		sb_printf(&sb, " watching %zu processes", st->processes);
		for (i = 0; i < st->npids; i++)
			sb_printf(&sb, "%s%d", i ? "," : " (subtrees of ", st->pids[i]);
		sb_adds(&sb, st->npids ? "); events " : "; events ");
		text_kinds(&sb, st->kinds);
		sb_printf(&sb, "; kernel filter %s; receive buffer %zu KiB",
			  st->filtered ? "on" : "unavailable", st->rcvbuf / 1024);
		return text_line(o, &sb);
	}
	j = json_head(o, st->ts_ns, "start");
	json_kv_uint(j, "processes", st->processes);
	json_key(j, "pids");
	if (st->npids) {
		json_array_begin(j);
		for (i = 0; i < st->npids; i++)
			json_int(j, st->pids[i]);
		json_array_end(j);
	} else {
		json_null(j);
	}
	json_key(j, "events");
	json_array_begin(j);
	for (k = 0; k < WK_COUNT; k++)
		if (st->kinds & (1u << k))
			json_string(j, wkind_name((enum wkind)k));
	json_array_end(j);
	json_kv_bool(j, "kernel_filter", st->filtered);
	json_kv_uint(j, "rcvbuf", st->rcvbuf);
	json_object_end(j);
	return json_free(j);
}

int render_watch_summary(const struct watch_render *o, const struct watch_summary *sm)
{
	struct strbuf sb;
	struct json *j;
	int k;

	if (!o->json) {
		sb_init(&sb);
		text_head(&sb, o, sm->ts_ns, "summary");
		for (k = 0; k < WK_COUNT; k++)
			sb_printf(&sb, " %s %llu", wkind_name((enum wkind)k), sm->counts[k]);
		sb_printf(&sb, "; ended by %s after %.1f s",
			  strcmp(sm->ended, "signal") == 0 ? signal_name(sm->signal) : sm->ended,
			  sm->seconds);
		return text_line(o, &sb);
	}
	j = json_head(o, sm->ts_ns, "summary");
	json_key(j, "counts");
	json_object_begin(j);
	for (k = 0; k < WK_COUNT; k++)
		json_kv_uint(j, wkind_name((enum wkind)k), sm->counts[k]);
	json_object_end(j);
	json_kv_string(j, "ended", sm->ended);
	if (strcmp(sm->ended, "signal") == 0)
		json_kv_string(j, "signal", signal_name(sm->signal));
	else
		json_kv_null(j, "signal");
	json_kv_int(j, "milliseconds", (long long)(sm->seconds * 1000.0 + 0.5));
	json_object_end(j);
	return json_free(j);
}
