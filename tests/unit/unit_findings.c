/* unit_findings.c - every rule of src/findings/findings.c on hand-built models: each
 * code fires on its situation and stays silent on the look-alikes an admin
 * would not want flagged; thresholds, --ignore, --min-severity and scope.
 *
 * A model here is what model_build() would leave: processes sorted by pid,
 * each fd pointing at its process and at its open file description, and
 * descriptions whose holders are sorted by pid then fd. */
#include "check.h"
#include "model/endpoint.h"
#include "findings/findings.h"
#include "findings_lookup.h"
#include "model/tree.h"
#include "scan/waits.h"

#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#define MAXP 16
#define MAXFD 32

/* fdinfo flags as the kernel prints them */
#define O_W 01
#define O_RW 02
#define F_APPEND 02000
#define F_NONBLOCK 04000
#define F_CLOEXEC 02000000

static struct process procs[MAXP];
static struct ofd_group groups[MAXP];
static struct model model;

static void reset(void)
{
	size_t i, j;

	for (i = 0; i < model.nprocs; i++) {
		for (j = 0; j < procs[i].nfds; j++)
			free(procs[i].fds[j].target);
		free(procs[i].fds);
		free(procs[i].exe);
		free(procs[i].comm);
	}
	for (i = 0; i < model.nofds; i++)
		free(groups[i].holders);
	tree_free(model.tree);
	memset(procs, 0, sizeof(procs));
	memset(groups, 0, sizeof(groups));
	memset(&model, 0, sizeof(model));
	model.procs = procs;
	model.ofds = groups;
}

/* Processes must be added in pid order. */
static struct process *proc(int pid, int ppid, const char *comm, const char *exe)
{
	struct process *p = &procs[model.nprocs++];

	p->pid = p->tgid = pid;
	p->ppid = ppid;
	p->state = 'S';
	p->comm = strdup(comm);
	p->exe = exe ? strdup(exe) : NULL;
	p->exe_len = exe ? strlen(exe) : 0;
	p->fds = calloc(MAXFD, sizeof(*p->fds));
	p->have_nofile = true;
	p->nofile.soft = 1024;
	p->nofile.hard = 4096;
	return p;
}

/* Fds must be added in fd order per process. */
static struct fd_entry *fd(struct process *p, int num, enum fd_kind type, const char *target,
			   unsigned flags)
{
	struct fd_entry *f = &p->fds[p->nfds++];

	f->fd = num;
	f->proc = p;
	f->kind = type;
	f->target = strdup(target);
	f->target_len = strlen(target);
	f->have_facts = true;
	f->access = (flags & 3) == 1 ? ACCESS_W : (flags & 3) == 2 ? ACCESS_RW : ACCESS_R;
	f->cloexec = (flags & F_CLOEXEC) != 0;
	f->status = flags & ~(3u | F_CLOEXEC);
	f->ino = 1000 + (unsigned long long)num;
	f->have_stat = type == KIND_REG;
	return f;
}

/* One description held by the fds given (NULL-terminated), in pid/fd order. */
static struct ofd_group *share(bool verified, ...)
{
	struct ofd_group *g = &groups[model.nofds++];
	struct fd_entry *f;
	va_list ap;

	g->id = (int)model.nofds;
	g->proof = verified ? PROOF_KCMP : PROOF_NONE;
	g->unverified_err = verified ? 0 : 1;
	g->holders = calloc(MAXFD, sizeof(*g->holders));
	va_start(ap, verified);
	while ((f = va_arg(ap, struct fd_entry *)) != NULL) {
		if (!g->nholders || g->holders[g->nholders - 1]->proc != f->proc)
			g->nprocs++;
		g->holders[g->nholders++] = f;
		f->ofd = g->id;
		f->in_shared_ofd = true;
	}
	va_end(ap);
	return g;
}

static struct findings found;
static struct findings_config cfg;

static void run(enum findings_scope scope)
{
	findings_free(&found);
	findings_compute(&model, &cfg, scope, &found);
}

static const struct evidence *ev(const struct finding *f, const char *key)
{
	size_t i;

	for (i = 0; f && i < f->nev; i++)
		if (strcmp(f->ev[i].key, key) == 0)
			return &f->ev[i];
	return NULL;
}

static bool has_fd(const struct finding *f, int pid, int num)
{
	size_t i;

	for (i = 0; f && i < f->nfds; i++)
		if (f->fds[i].pid == pid && f->fds[i].fd == num)
			return true;
	return false;
}

/* ---- exec-leak ---- */

/* A server (pid 10) opened fd N of FILE; its child 11 runs CHILD_EXE and
 * still has fd N. */
static void leak_world(const char *child_exe, unsigned parent_flags, unsigned child_flags,
		       int parent_fd, int child_fd, bool verified)
{
	struct process *a, *b;
	struct fd_entry *fa, *fb;

	reset();
	proc(1, 0, "init", "/sbin/init");
	a = proc(10, 1, "server", "/usr/sbin/server");
	b = proc(11, 10, "child", child_exe);
	fa = fd(a, parent_fd, KIND_REG, "/var/lib/state.db", parent_flags);
	fb = fd(b, child_fd, KIND_REG, "/var/lib/state.db", child_flags);
	share(verified, fa, fb, NULL);
}

static void test_exec_leak(void)
{
	const struct finding *f;

	leak_world("/usr/bin/sleep", 0, 0, 3, 3, true);
	run(SCOPE_ALL);
	f = findings_first_code(&found, "exec-leak");
	CHECK(findings_count_code(&found, "exec-leak") == 1, "exec-leak: fork, exec of another program, fd 3 kept");
	CHECK(f && f->severity == SEV_WARNING, "exec-leak: severity warning");
	CHECK(f && f->npids == 2 && f->pids[0] == 10 && f->pids[1] == 11, "exec-leak: pids 10, 11");
	CHECK(has_fd(f, 10, 3) && has_fd(f, 11, 3) && f->nfds == 2, "exec-leak: fds 10:3 and 11:3");
	CHECK(ev(f, "source_pid") && ev(f, "source_pid")->number == 10, "exec-leak: evidence source_pid 10");
	CHECK_STR(ev(f, "holder_exe") ? ev(f, "holder_exe")->text : NULL, "/usr/bin/sleep",
		  "exec-leak: evidence holder_exe");
	CHECK(f && strstr(f->message, "10 (server)") && strstr(f->message, "11 (child)"),
	      "exec-leak: the message names both processes");
	CHECK(f && strstr(f->hint, "O_CLOEXEC"), "exec-leak: the hint says O_CLOEXEC");

	leak_world("/usr/bin/sleep", 0, F_CLOEXEC, 3, 3, true);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "exec-leak") == 0, "exec-leak twin: the holder's fd has close-on-exec");
	leak_world("/usr/sbin/server", 0, 0, 3, 3, true);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "exec-leak") == 0, "exec-leak twin: a forked child of the same program");
	leak_world("/usr/sbin/server (deleted)", 0, 0, 3, 3, true);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "exec-leak") == 0, "exec-leak twin: same program, binary replaced on disk");
	leak_world("/usr/bin/sleep", 0, 0, 1, 1, true);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "exec-leak") == 0, "exec-leak twin: fds 0-2 are inherited on purpose");
	leak_world("/usr/bin/sleep", 0, 0, 7, 3, true);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "exec-leak") == 0, "exec-leak twin: handed over on another number (dup2)");
	leak_world("/usr/bin/sleep", F_CLOEXEC, 0, 3, 3, true);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "exec-leak") == 0, "exec-leak twin: the parent keeps its copy close-on-exec");
	leak_world("/usr/bin/sleep", 0, 0, 3, 3, false);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "exec-leak") == 0, "exec-leak twin: sharing not proven by kcmp");
	leak_world(NULL, 0, 0, 3, 3, true);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "exec-leak") == 0, "exec-leak twin: the holder's program is unknown");
}

static void test_exec_leak_chain(void)
{
	struct process *a, *b, *c, *d, *sh, *t1, *t2, *s1, *s2;
	struct fd_entry *fa, *fb, *fc;
	const struct finding *f;

	reset();
	proc(1, 0, "init", "/sbin/init");
	a = proc(20, 1, "a", "/bin/a");
	b = proc(21, 20, "b", "/bin/b");
	c = proc(22, 21, "c", "/bin/c");
	fa = fd(a, 5, KIND_PIPE, "pipe:[77]", O_W);
	fb = fd(b, 5, KIND_PIPE, "pipe:[77]", O_W);
	fc = fd(c, 5, KIND_PIPE, "pipe:[77]", O_W);
	share(true, fa, fb, fc, NULL);
	run(SCOPE_ALL);
	f = findings_first_code(&found, "exec-leak");
	CHECK(findings_count_code(&found, "exec-leak") == 1, "exec-leak chain a -> b -> c: one finding for the chain");
	CHECK(ev(f, "source_pid") && ev(f, "source_pid")->is_number && ev(f, "source_pid")->number == 20,
	      "exec-leak chain: the source is the top, a, which opened it (its parent holds none of it)");
	CHECK(ev(f, "leaked_into") && ev(f, "leaked_into")->number == 2, "exec-leak chain: leaked into b and c");
	CHECK_STR(ev(f, "origin") ? ev(f, "origin")->text : NULL, "proven", "exec-leak chain: origin proven");

	/* two chains from a job shell that has ended: 30 (tini) and 40 (su) got
	 * fd 5 from it, and each passed it across exec into its child */
	reset();
	proc(1, 0, "init", "/sbin/init");
	t1 = proc(30, 1, "tini", "/usr/bin/tini");
	t2 = proc(31, 30, "app", "/usr/bin/app");
	s1 = proc(40, 1, "su", "/usr/bin/su");
	s2 = proc(41, 40, "worker", "/usr/bin/worker");
	d = proc(50, 1, "stranger", "/bin/d");   /* holds it, passed it to nobody */
	share(true, fd(t1, 5, KIND_REG, "/tmp/job.out", O_W), fd(t2, 5, KIND_REG, "/tmp/job.out", O_W),
	      fd(s1, 5, KIND_REG, "/tmp/job.out", O_W), fd(s2, 5, KIND_REG, "/tmp/job.out", O_W),
	      fd(d, 5, KIND_REG, "/tmp/job.out", O_W), NULL);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "exec-leak") == 2, "exec-leak: two chains of one description, two findings");
	f = findings_first_code(&found, "exec-leak");
	CHECK(f && has_fd(f, 30, 5) && has_fd(f, 31, 5) && !has_fd(f, 40, 5) && !has_fd(f, 50, 5),
	      "exec-leak: the first chain names tini and its child only");
	CHECK(f && ev(f, "source_pid") && !ev(f, "source_pid")->is_number && !ev(f, "source_pid")->text,
	      "exec-leak: no source named when it came from a process that has ended (source_pid null)");
	CHECK_STR(ev(f, "origin") ? ev(f, "origin")->text : NULL, "ended", "exec-leak: origin ended");
	CHECK(f && strstr(f->message, "came from a process that has ended") && !strstr(f->hint, "O_CLOEXEC) in"),
	      "exec-leak: the message says it came from a process that has ended; no O_CLOEXEC fix for tini");
	CHECK(ev(f, "passed_by") && ev(f, "passed_by")->number == 30, "exec-leak: passed_by tini");

	/* the shell lock idiom: exec 9>lock; flock 9; make (which runs cc) */
	reset();
	proc(1, 0, "init", "/sbin/init");
	sh = proc(60, 1, "bash", "/usr/bin/bash");
	a = proc(61, 60, "flock", "/usr/bin/flock");
	b = proc(62, 60, "make", "/usr/bin/make");
	c = proc(63, 62, "cc", "/usr/bin/cc");
	share(true, fd(sh, 9, KIND_REG, "/run/lock/job", O_W), fd(a, 9, KIND_REG, "/run/lock/job", O_W),
	      fd(b, 9, KIND_REG, "/run/lock/job", O_W), fd(c, 9, KIND_REG, "/run/lock/job", O_W), NULL);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "exec-leak") == 0,
	      "exec-leak twin: a shell hands fd 9 to its commands on purpose, and what they run inherits it");
	free(sh->exe);
	sh->exe = strdup("/usr/bin/busybox");
	sh->exe_len = strlen(sh->exe);
	free(sh->comm);
	sh->comm = strdup("sh");
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "exec-leak") == 0, "exec-leak twin: busybox sh");
	free(sh->comm);
	sh->comm = strdup("httpd");
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "exec-leak") == 1, "exec-leak: busybox httpd is no shell");

	/* socket activation: the service got it on fd 3 from 70, then leaked it */
	reset();
	a = proc(70, 0, "systemd", "/usr/lib/systemd/systemd");
	b = proc(71, 70, "svc", "/usr/sbin/svc");
	c = proc(72, 71, "helper", "/usr/bin/helper");
	share(true, fd(a, 17, KIND_SOCKET, "socket:[9]", O_RW), fd(b, 3, KIND_SOCKET, "socket:[9]", O_RW),
	      fd(c, 3, KIND_SOCKET, "socket:[9]", O_RW), NULL);
	run(SCOPE_ALL);
	f = findings_first_code(&found, "exec-leak");
	CHECK(findings_count_code(&found, "exec-leak") == 1 && ev(f, "source_pid") && ev(f, "source_pid")->number == 71,
	      "exec-leak: handed over on fd 3, then leaked by the service: the service is the source");
	CHECK(f && !has_fd(f, 70, 17), "exec-leak: the hand-over itself is not part of it");
}

/* ---- shared-offset-write ---- */

static void writers_world(unsigned flags, enum fd_kind type, int num)
{
	struct process *a, *b;
	struct fd_entry *fa, *fb;

	reset();
	a = proc(40, 1, "writer", "/bin/w");
	b = proc(41, 40, "writer", "/bin/w");
	fa = fd(a, num, type, "/var/log/out.log", flags);
	fb = fd(b, num, type, "/var/log/out.log", flags);
	fa->pos = fb->pos = 7;
	share(true, fa, fb, NULL);
}

static void test_shared_offset_write(void)
{
	const struct finding *f;
	struct process *a;

	writers_world(O_W, KIND_REG, 3);
	run(SCOPE_ALL);
	f = findings_first_code(&found, "shared-offset-write");
	CHECK(findings_count_code(&found, "shared-offset-write") == 1 && f->severity == SEV_INFO,
	      "shared-offset-write: two writers, one description, no O_APPEND, written: info");
	CHECK(has_fd(f, 40, 3) && has_fd(f, 41, 3), "shared-offset-write: both fds");
	CHECK_STR(ev(f, "mode") ? ev(f, "mode")->text : NULL, "w", "shared-offset-write: evidence mode w");
	CHECK(findings_count_code(&found, "write-clobber") == 0, "write-clobber twin: one shared description does not clobber");
	writers_world(O_RW, KIND_REG, 3);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "shared-offset-write") == 1, "shared-offset-write: rw too");
	writers_world(O_W | F_APPEND, KIND_REG, 3);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "shared-offset-write") == 0, "shared-offset-write twin: O_APPEND");
	writers_world(0, KIND_REG, 3);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "shared-offset-write") == 0, "shared-offset-write twin: read-only");
	writers_world(O_W, KIND_PIPE, 3);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "shared-offset-write") == 0, "shared-offset-write twin: a pipe has no offset");
	writers_world(O_W, KIND_REG, 1);
	run(SCOPE_ALL);
	CHECK(found.n == 0, "shared-offset-write twin: a job's redirected stdout (cmd >log 2>&1 &): nothing");
	writers_world(O_W, KIND_REG, 3);
	procs[0].fds[0].pos = procs[1].fds[0].pos = 0;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "shared-offset-write") == 0, "shared-offset-write twin: offset 0, nothing written");
	writers_world(O_W, KIND_REG, 9);
	free(procs[0].exe);
	procs[0].exe = strdup("/bin/bash");
	procs[0].exe_len = strlen(procs[0].exe);
	run(SCOPE_ALL);
	CHECK(found.n == 0, "shared-offset-write twin: a shell and its command (exec 9>lock; echo $$ >&9; cmd)");

	reset();
	a = proc(50, 1, "one", "/bin/one");
	share(true, fd(a, 3, KIND_REG, "/x", O_W), fd(a, 4, KIND_REG, "/x", O_W), NULL);
	a->fds[0].pos = a->fds[1].pos = 9;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "shared-offset-write") == 0, "shared-offset-write twin: dup() in one process");
}

/* ---- write-clobber ---- */

/* A parent 80 and child 81 each open()ed /var/log/app.log (separate
 * descriptions) with flags; the parent wrote 7 bytes, the child 6. */
static void clobber_world(unsigned parent_flags, unsigned child_flags, unsigned long long pos)
{
	struct process *a, *b;
	struct fd_entry *fa, *fb;

	reset();
	a = proc(80, 1, "app", "/bin/app");
	b = proc(81, 80, "app", "/bin/app");
	fa = fd(a, 3, KIND_REG, "/var/log/app.log", parent_flags);
	fb = fd(b, 4, KIND_REG, "/var/log/app.log", child_flags);
	fa->ino = fb->ino = 4242;
	fa->st_dev = fb->st_dev = 8;
	fa->pos = pos ? 7 : 0;
	fb->pos = pos ? 6 : 0;
	share(true, fa, NULL);
	share(true, fb, NULL);
}

static void test_write_clobber(void)
{
	const struct fd_details locked = { .nlocks = 1, .eventfd_id = -1 };
	const struct finding *f;

	clobber_world(O_W, O_W, 1);
	run(SCOPE_ALL);
	f = findings_first_code(&found, "write-clobber");
	CHECK(findings_count_code(&found, "write-clobber") == 1 && f->severity == SEV_WARNING,
	      "write-clobber: parent and child each open() one log, no O_APPEND: warning");
	CHECK(has_fd(f, 80, 3) && has_fd(f, 81, 4), "write-clobber: both fds");
	CHECK(ev(f, "descriptions") && ev(f, "descriptions")->number == 2, "write-clobber: 2 descriptions");
	CHECK_STR(ev(f, "offsets") ? ev(f, "offsets")->text : NULL, "7,6", "write-clobber: offsets 7,6");
	CHECK(f && strstr(f->message, "80 (app) fd 3 at offset 7") && strstr(f->hint, "O_APPEND"),
	      "write-clobber: the message gives each description's offset; the hint O_APPEND");
	clobber_world(O_W | F_APPEND, O_W, 1);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "write-clobber") == 1, "write-clobber: one without O_APPEND overwrites the appended");
	clobber_world(O_W | F_APPEND, O_W | F_APPEND, 1);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "write-clobber") == 0, "write-clobber twin: every writer has O_APPEND");
	clobber_world(O_W, O_W, 0);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "write-clobber") == 0, "write-clobber twin: all at offset 0 (two shells' exec 9>lock)");
	clobber_world(O_W, O_W, 1);
	procs[0].fds[0].details = &locked;
	run(SCOPE_ALL);
	procs[0].fds[0].details = NULL;
	CHECK(findings_count_code(&found, "write-clobber") == 0, "write-clobber twin: a lock file (flock held through one; pids written)");
	clobber_world(O_RW, O_RW, 1);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "write-clobber") == 0, "write-clobber twin: read-write (a database's files)");
	clobber_world(O_W, 0, 1);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "write-clobber") == 0, "write-clobber twin: one writer and a reader (tail -f)");
	clobber_world(O_W, O_W, 1);
	procs[1].fds[0].ino = 4243;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "write-clobber") == 0, "write-clobber twin: two different files");
}

/* ---- deleted-open ---- */

static void test_deleted_open(void)
{
	struct process *a, *b;
	struct fd_entry *f1, *f2, *m;
	const struct finding *f;

	findings_config_init(&cfg);
	reset();
	a = proc(60, 1, "daemon", "/bin/d");
	b = proc(61, 60, "daemon", "/bin/d");
	f1 = fd(a, 3, KIND_REG, "/var/log/big.log (deleted)", O_W);
	f2 = fd(b, 3, KIND_REG, "/var/log/big.log (deleted)", O_W | F_APPEND);
	f1->deleted = f2->deleted = true;
	f1->st_size = f2->st_size = 4096;
	f2->ino = f1->ino;
	m = fd(b, 4, KIND_MEMFD, "/memfd:cache (deleted)", O_RW);
	m->have_stat = true;
	m->st_size = 1LL << 40;
	run(SCOPE_ALL);
	f = findings_first_code(&found, "deleted-open");
	CHECK(findings_count_code(&found, "deleted-open") == 1, "deleted-open: one finding per deleted file (memfd left out)");
	CHECK(f && f->severity == SEV_INFO, "deleted-open: 4 KiB is info");
	CHECK(has_fd(f, 60, 3) && has_fd(f, 61, 3) && !has_fd(f, 61, 4), "deleted-open: both holders, not the memfd");
	CHECK(ev(f, "size") && ev(f, "size")->number == 4096, "deleted-open: evidence size 4096");
	CHECK(f && strstr(f->message, "4.0 KiB"), "deleted-open: the message gives the size");
	CHECK(f && !strstr(f->hint, "/proc/") && strstr(f->hint, "still has it open for writing"),
	      "deleted-open: held for writing: no truncating advice (it may be the writer's output)");
	f1->access = f2->access = ACCESS_R;
	run(SCOPE_ALL);
	f = findings_first_code(&found, "deleted-open");
	CHECK(f && strstr(f->hint, ": > /proc/60/fd/3"), "deleted-open: read-only holders (tail -f): truncating is offered");
	f1->access = f2->access = ACCESS_W;
	f2->status = FDF_APPEND;

	f1->st_size = f2->st_size = 2LL << 30;
	run(SCOPE_ALL);
	f = findings_first_code(&found, "deleted-open");
	CHECK(f && f->severity == SEV_WARNING, "deleted-open: 2 GiB is past the 1 GiB warning threshold");
	CHECK(findings_set_thresholds(&cfg, true, "deleted-size=1536M", &(const char *){ NULL }) == 0,
	      "--crit deleted-size=1536M accepted");
	run(SCOPE_ALL);
	f = findings_first_code(&found, "deleted-open");
	CHECK(f && f->severity == SEV_CRITICAL, "deleted-open: 2 GiB past --crit deleted-size=1536M");
	f1->deleted = f2->deleted = false;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "deleted-open") == 0, "deleted-open twin: the file is not deleted");
	findings_config_init(&cfg);
}

/* ---- fd-limit ---- */

static struct process *fds_world(int pid, size_t nfds, unsigned long long soft)
{
	struct process *p = proc(pid, 1, "busy", "/bin/busy");
	size_t i;

	for (i = 0; i < nfds; i++)
		fd(p, (int)i, KIND_CHR, "/dev/null", O_RW);
	p->nofile.soft = soft;
	return p;
}

static void test_fd_limit(void)
{
	const struct finding *f;
	struct process *p;

	reset();
	fds_world(70, 17, 20);                 /* 85 % */
	fds_world(71, 19, 20);                 /* 95 % */
	fds_world(72, 5, 20);                  /* 25 % */
	p = fds_world(73, 19, 20);
	p->nofile.soft_unlimited = true;
	p = fds_world(74, 19, 20);
	p->have_nofile = false;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "fd-limit") == 2, "fd-limit: two processes at or past 80 %");
	f = findings_first_code(&found, "fd-limit");
	CHECK(f && f->severity == SEV_CRITICAL && f->pids[0] == 71, "fd-limit: 19 of 20 is critical (sorted first)");
	CHECK(f && ev(f, "percent") && ev(f, "percent")->number == 95 && ev(f, "soft_limit")->number == 20,
	      "fd-limit: evidence percent 95, soft_limit 20");
	CHECK(found.n >= 2 && found.v[1].severity == SEV_WARNING && found.v[1].pids[0] == 70,
	      "fd-limit: 17 of 20 is a warning");
	CHECK(f && f->nfds == 0 && f->npids == 1, "fd-limit: names the process, no fds");
	CHECK(findings_set_thresholds(&cfg, false, "fd-limit=20%", &(const char *){ NULL }) == 0,
	      "--warn fd-limit=20% accepted");
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "fd-limit") == 3, "fd-limit: --warn fd-limit=20 adds the 25 % one");
	findings_config_init(&cfg);
}

/* ---- nonblock-shared ---- */

static void nonblock_world(const char *child_exe, unsigned flags)
{
	struct process *a, *b;

	reset();
	a = proc(80, 1, "shell", "/bin/bash");
	b = proc(81, 80, "node", child_exe);
	share(true, fd(a, 0, KIND_PIPE, "pipe:[5]", flags), fd(b, 0, KIND_PIPE, "pipe:[5]", flags), NULL);
}

static void test_nonblock_shared(void)
{
	const struct finding *f;

	nonblock_world("/usr/bin/node", F_NONBLOCK);
	run(SCOPE_ALL);
	f = findings_first_code(&found, "nonblock-shared");
	CHECK(findings_count_code(&found, "nonblock-shared") == 1 && f->severity == SEV_INFO,
	      "nonblock-shared: two programs share a non-blocking description: info");
	nonblock_world("/bin/bash", F_NONBLOCK);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "nonblock-shared") == 0, "nonblock-shared twin: workers of one program");
	nonblock_world("/usr/bin/node", 0);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "nonblock-shared") == 0, "nonblock-shared twin: blocking");
}

/* ---- zombie, reparented (from the tree) ---- */

static void build_tree(void)
{
	tree_free(model.tree);
	model.tree = tree_build(procs, model.nprocs, 0, 100);
}

static void zombie_world(int nzombies)
{
	struct process *p;
	int i;

	reset();
	p = proc(100, 1, "parent", "/bin/parent");
	p->sid = 50;
	snprintf(p->sigcatch, sizeof(p->sigcatch), "0000000000000000");
	snprintf(p->sigignore, sizeof(p->sigignore), "0000000000000000");
	snprintf(p->sigblocked, sizeof(p->sigblocked), "0000000000000000");
	for (i = 0; i < nzombies; i++) {
		p = proc(101 + i, 100, "worker", NULL);
		p->state = 'Z';
		p->threads = 1;
		p->sid = 50;
	}
	build_tree();
}

static void test_zombie(void)
{
	const struct finding *f;

	zombie_world(3);
	run(SCOPE_ALL);
	f = findings_first_code(&found, "zombie");
	CHECK(findings_count_code(&found, "zombie") == 1 && f->severity == SEV_WARNING, "zombie: 3 unreaped children, one warning");
	CHECK(f && f->npids == 4 && f->pids[0] == 100 && f->pids[3] == 103, "zombie: pids parent and zombies");
	CHECK_STR(ev(f, "reason") ? ev(f, "reason")->text : NULL, "sigchld-default",
		  "zombie: evidence reason from the tree");
	CHECK(f && ev(f, "zombies")->number == 3 && strstr(f->hint, "100"), "zombie: count 3, the hint names the parent");
	findings_set_thresholds(&cfg, true, "zombies=3", &(const char *){ NULL });
	run(SCOPE_ALL);
	CHECK(findings_first_code(&found, "zombie") && findings_first_code(&found, "zombie")->severity == SEV_CRITICAL, "zombie: --crit zombies=3 makes it critical");
	findings_config_init(&cfg);
	findings_set_thresholds(&cfg, false, "zombies=5", &(const char *){ NULL });
	run(SCOPE_ALL);
	CHECK(findings_first_code(&found, "zombie") && findings_first_code(&found, "zombie")->severity == SEV_INFO, "zombie: below --warn zombies=5 it is info");
	findings_config_init(&cfg);
	zombie_world(0);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "zombie") == 0, "zombie twin: a parent without zombies");
}

static void reparent_world(int child_sid)
{
	struct process *a, *c;

	reset();
	a = proc(200, 1, "supervisor", "/bin/sv");
	a->sid = 150;                           /* never called setsid */
	c = proc(201, 200, "service", "/bin/svc");
	c->sid = child_sid;
	build_tree();
}

static void test_reparented(void)
{
	const struct finding *f;

	reparent_world(190);                    /* a session its parent never had */
	run(SCOPE_ALL);
	f = findings_first_code(&found, "reparented");
	CHECK(findings_count_code(&found, "reparented") == 1 && f->severity == SEV_INFO, "reparented: proven by the session rule, info");
	CHECK(f && f->npids == 2 && f->pids[0] == 200 && f->pids[1] == 201, "reparented: adopter and adoptee");
	CHECK_STR(ev(f, "adopter") ? ev(f, "adopter")->text : NULL, "subreaper", "reparented: adopted by a subreaper");
	CHECK_STR(ev(f, "evidence") ? ev(f, "evidence")->text : NULL, "session", "reparented: evidence session");
	reparent_world(150);                    /* its parent's session: no proof */
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "reparented") == 0, "reparented twin: same session, unknown is not a finding");
}

/* ---- listener-leak ---- */

static struct fd_detail listen_detail;
static struct sock_info listen_sock;

static struct thread_wait waits_accept[1] = { { .kind = WAIT_ACCEPT, .fd = 3 } };
static struct thread_wait waits_pause[1] = { { .kind = WAIT_OTHER, .fd = -1 } };
static struct thread_wait waits_running[1] = { { .kind = WAIT_UNKNOWN, .fd = -1 } };
static struct thread_wait waits_read0[1] = { { .kind = WAIT_READ, .fd = 0 } };
static struct thread_wait waits_child[1] = { { .kind = WAIT_CHILD, .fd = -1, .children = WAIT_ANY_CHILD } };
static struct thread_wait waits_epoll[1] = { { .kind = WAIT_EPOLL, .fd = 4 } };
static struct thread_wait waits_child411[1] = {
	{ .kind = WAIT_CHILD, .fd = -1, .children = WAIT_ONE_CHILD, .id = 411 } };

static void set_waits(struct process *p, struct thread_wait *w)
{
	p->waits = w;
	p->nwaits = 1;
}

static struct fd_entry *sock_fd(struct process *p)
{
	struct fd_entry *f = fd(p, 3, KIND_SOCKET, "socket:[900]", O_RW);

	f->sock_proto = "TCP";
	f->detail = &listen_detail;
	return f;
}

/* A server 300 listening; children 301 and 302 (same program unless
 * other_exe) with the given waits. */
static void listener_world(struct thread_wait *w1, struct thread_wait *w2, bool other_exe)
{
	struct process *s, *a, *b;

	reset();
	memset(&listen_detail, 0, sizeof(listen_detail));
	memset(&listen_sock, 0, sizeof(listen_sock));
	listen_detail.sock = &listen_sock;
	listen_detail.have_sock = true;
	listen_sock.state = TCP_LISTEN;
	listen_sock.family = AF_INET;
	listen_sock.local.port = 8080;
	s = proc(300, 1, "server", "/bin/server");
	a = proc(301, 300, "server", "/bin/server");
	b = proc(302, 300, other_exe ? "cgi" : "server", other_exe ? "/bin/cgi" : "/bin/server");
	set_waits(s, waits_accept);
	set_waits(a, w1);
	set_waits(b, w2);
	share(true, sock_fd(s), sock_fd(a), sock_fd(b), NULL);
}

static void unset_waits(void)
{
	size_t i;

	for (i = 0; i < model.nprocs; i++)
		procs[i].waits = NULL, procs[i].nwaits = 0;
}

/* nginx's binary upgrade: the old master 300 (no workers left after
 * WINCH) forked and exec'd the new master 301, whose workers 310 and 311
 * (its children) wait in epoll_wait with the listener registered. */
static void test_listener_upgrade(void)
{
	struct process *old, *newm, *w1, *w2;
	struct fd_entry *ep1, *ep2, *l1, *l2;
	static struct epoll_watch watch1, watch2;
	static struct fd_detail ep_detail1, ep_detail2;
	const struct finding *f;
	int i;

	reset();
	old = proc(300, 1, "nginx", "/usr/sbin/nginx");
	newm = proc(301, 300, "nginx", "/usr/sbin/nginx");
	w1 = proc(310, 301, "nginx", "/usr/sbin/nginx");
	w2 = proc(311, 301, "nginx", "/usr/sbin/nginx");
	set_waits(old, waits_pause);
	set_waits(newm, waits_pause);
	set_waits(w1, waits_epoll);
	set_waits(w2, waits_epoll);
	l1 = sock_fd(w1);
	l2 = sock_fd(w2);
	share(true, sock_fd(old), sock_fd(newm), l1, l2, NULL);
	ep1 = fd(w1, 4, KIND_EPOLL, "anon_inode:[eventpoll]", O_RW);
	ep2 = fd(w2, 4, KIND_EPOLL, "anon_inode:[eventpoll]", O_RW);
	watch1.fd = l1;
	watch2.fd = l2;
	ep_detail1.watches = &watch1;
	ep_detail1.nwatches = 1;
	ep_detail2.watches = &watch2;
	ep_detail2.nwatches = 1;
	ep1->detail = &ep_detail1;
	ep2->detail = &ep_detail2;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "listener-leak") == 0,
	      "listener-leak twin: a new master whose workers (its children) epoll on the listener");
	set_waits(w1, waits_running);
	ep_detail1.nwatches = ep_detail2.nwatches = 0;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "listener-leak") == 0,
	      "listener-leak twin: a descendant running or in poll/select (unknown) may accept");
	set_waits(w1, waits_pause);
	set_waits(w2, waits_pause);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "listener-leak") == 0,
	      "listener-leak twin: one program, each a forked copy of a giver that does not accept "
	      "either (workers at their limit, or a hung server: no leak)");
	for (i = 0; i < 3; i++) {
		struct process *p = i == 0 ? newm : i == 1 ? w1 : w2;
		free(p->exe);
		p->exe = strdup("/usr/local/bin/broken");
		p->exe_len = strlen(p->exe);
	}
	run(SCOPE_ALL);
	f = findings_first_code(&found, "listener-leak");
	CHECK(f && has_fd(f, 301, 3) && has_fd(f, 300, 3) && !has_fd(f, 310, 3) &&
	      ev(f, "idle_holders")->number == 1,
	      "listener-leak: a new binary that runs another program, and neither it nor its "
	      "forked children accept");
}

static void test_listener_leak(void)
{
	const struct finding *f;

	listener_world(waits_pause, waits_pause, false);
	run(SCOPE_ALL);
	f = findings_first_code(&found, "listener-leak");
	CHECK(findings_count_code(&found, "listener-leak") == 1 && f->severity == SEV_WARNING,
	      "listener-leak: forked handlers that never accept");
	CHECK(f && has_fd(f, 301, 3) && has_fd(f, 302, 3) && has_fd(f, 300, 3),
	      "listener-leak: the idle holders and the server they got it from");
	CHECK(f && ev(f, "port")->number == 8080 && ev(f, "idle_holders")->number == 2,
	      "listener-leak: evidence port 8080, 2 idle holders");
	CHECK(f && strstr(f->message, "(tcp ") && strstr(f->message, ":8080)"),
	      "listener-leak: the message gives protocol and port");
	listener_world(waits_accept, waits_pause, false);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "listener-leak") == 0, "listener-leak twin: prefork, one worker accepts, one is busy");
	listener_world(waits_accept, waits_accept, false);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "listener-leak") == 0, "listener-leak twin: every worker accepts");
	listener_world(waits_running, waits_pause, false);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "listener-leak") == 0, "listener-leak twin: a worker running (unknown) counts as a worker");
	listener_world(waits_accept, waits_pause, true);
	run(SCOPE_ALL);
	f = findings_first_code(&found, "listener-leak");
	CHECK(f && f->npids == 2 && has_fd(f, 302, 3) && !has_fd(f, 301, 3),
	      "listener-leak: another program beside accepting workers is still a leak");
	CHECK(f && strncmp(f->hint, "302 (cgi) runs another program", 30) == 0,
	      "listener-leak: a program run by exec gets the exec hint (end it, SOCK_CLOEXEC)");
	listener_world(waits_pause, waits_pause, false);
	run(SCOPE_ALL);
	f = findings_first_code(&found, "listener-leak");
	CHECK(f && strncmp(f->hint, "close the listening fd in the child", 35) == 0,
	      "listener-leak: forked handlers get the fork hint");
	unset_waits();
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "listener-leak") == 0, "listener-leak twin: waits unknown (not readable)");
	test_listener_upgrade();
	listener_world(waits_pause, waits_pause, false);
	listen_sock.state = 1;                   /* TCP_ESTABLISHED */
	set_waits(&procs[1], waits_pause);
	set_waits(&procs[2], waits_pause);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "listener-leak") == 0, "listener-leak twin: not a listening socket");
}

/* ---- pipe-eof-blocked ---- */

static void test_pipe_eof_blocked(void)
{
	struct process *w, *r;
	struct fd_entry *f;
	const struct finding *fi;

	/* the reader kept the write end */
	reset();
	r = proc(400, 1, "cat", "/bin/cat");
	fd(r, 0, KIND_PIPE, "pipe:[55]", 0)->ino = 55;
	fd(r, 4, KIND_PIPE, "pipe:[55]", O_W)->ino = 55;
	set_waits(r, waits_read0);
	run(SCOPE_ALL);
	fi = findings_first_code(&found, "pipe-eof-blocked");
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 1 && fi->severity == SEV_WARNING,
	      "pipe-eof-blocked: the reader holds the write end itself");
	CHECK_STR(ev(fi, "case") ? ev(fi, "case")->text : NULL, "reader-holds-write-end", "pipe-eof-blocked: case");
	CHECK(has_fd(fi, 400, 0) && has_fd(fi, 400, 4), "pipe-eof-blocked: fds 0 and 4");
	set_waits(r, waits_pause);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 0, "pipe-eof-blocked twin: not blocked reading it");
	set_waits(r, waits_read0);
	r->fds[1].cloexec = true;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 0, "pipe-eof-blocked twin: a self-pipe (its write end close-on-exec)");
	r->fds[1].cloexec = false;
	r->threads = 3;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 0,
	      "pipe-eof-blocked twin: a multi-threaded reader (another thread may write)");
	r->threads = 1;
	w = proc(401, 1, "producer", "/bin/producer");
	fd(w, 4, KIND_PIPE, "pipe:[55]", O_W)->ino = 55;
	set_waits(w, waits_pause);
	run(SCOPE_ALL);
	fi = findings_first_code(&found, "pipe-eof-blocked");
	CHECK(fi && ev(fi, "writer_pid")->number == 400,
	      "pipe-eof-blocked: the reader holds its write end, even while another process writes");
	fd(w, 5, KIND_PIPE, "pipe:[55]", 0)->ino = 55;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 0,
	      "pipe-eof-blocked twin: a token pool, every writer reads it too (make's jobserver)");

	/* the writer waits for the reader */
	reset();
	w = proc(410, 1, "sh", "/bin/sh");
	r = proc(411, 410, "cat", "/bin/cat");
	f = fd(w, 5, KIND_PIPE, "pipe:[56]", O_W);
	f->ino = 56;
	fd(r, 0, KIND_PIPE, "pipe:[56]", 0)->ino = 56;
	set_waits(w, waits_child);
	set_waits(r, waits_read0);
	run(SCOPE_ALL);
	fi = findings_first_code(&found, "pipe-eof-blocked");
	CHECK(fi && ev(fi, "writer_pid")->number == 410 && ev(fi, "reader_pid")->number == 411,
	      "pipe-eof-blocked: the writer waits in wait4 for its reader child");
	set_waits(w, waits_child411);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 1, "pipe-eof-blocked: the writer waits for its reader by pid");
	set_waits(w, waits_child);
	proc(412, 410, "sleep", "/bin/sleep");
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 0,
	      "pipe-eof-blocked twin: wait4(-1) with another child that can end (a shell's coproc)");
	set_waits(w, waits_child411);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 1,
	      "pipe-eof-blocked: waitpid(reader) while another child runs: still stuck");
	set_waits(w, waits_child);
	procs[2].ppid = 1;
	model.self_parent = 410;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 0,
	      "pipe-eof-blocked twin: the writer is fdshare's parent (it waits for fdshare)");
	model.self_parent = 0;
	procs[2].ppid = 410;
	procs[2].state = 'Z';
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 0,
	      "pipe-eof-blocked twin: wait4(-1) with a zombie child to reap (it goes on)");
	procs[2].ppid = 1;
	set_waits(w, waits_pause);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 0, "pipe-eof-blocked twin: the writer is a producer, not waiting");
	set_waits(w, waits_child);
	r->ppid = 1;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 0, "pipe-eof-blocked twin: the waiting writer is not its ancestor");
	r->ppid = 410;
	fd(r, 7, KIND_PIPE, "pipe:[56]", O_W | F_CLOEXEC)->ino = 56;
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 0,
	      "pipe-eof-blocked twin: the reader may write itself (a close-on-exec copy, as self-pipes have)");

	/* a FIFO opened O_RDWR and read through that one fd: on purpose */
	reset();
	r = proc(420, 1, "daemon", "/bin/d");
	fd(r, 0, KIND_FIFO, "/run/ctl.fifo", O_RW)->ino = 57;
	set_waits(r, waits_read0);
	run(SCOPE_ALL);
	CHECK(findings_count_code(&found, "pipe-eof-blocked") == 0, "pipe-eof-blocked twin: a FIFO held open O_RDWR on purpose");
}

/* ---- which children a wait may reap (waits.c) ---- */

static void test_wait_children(void)
{
	struct thread_wait w;

	waits_children(SYS_wait4, (unsigned long long)-1LL, 0, &w);
	CHECK(w.children == WAIT_ANY_CHILD, "wait4(-1): any child");
	waits_children(SYS_wait4, 0xffffffffULL, 0, &w);
	CHECK(w.children == WAIT_ANY_CHILD, "wait4(-1) shown as a 32-bit 0xffffffff: any child");
	waits_children(SYS_wait4, 123, 0, &w);
	CHECK(w.children == WAIT_ONE_CHILD && w.id == 123, "wait4(123): that child");
	waits_children(SYS_wait4, 0, 0, &w);
	CHECK(w.children == WAIT_GROUP_CHILD && w.id == 0, "wait4(0): the caller's group");
	waits_children(SYS_wait4, (unsigned long long)-55LL, 0, &w);
	CHECK(w.children == WAIT_GROUP_CHILD && w.id == 55, "wait4(-55): group 55");
	waits_children(SYS_waitid, 0, 0, &w);
	CHECK(w.children == WAIT_ANY_CHILD, "waitid(P_ALL): any child");
	waits_children(SYS_waitid, 1, 7, &w);
	CHECK(w.children == WAIT_ONE_CHILD && w.id == 7, "waitid(P_PID, 7)");
	waits_children(SYS_waitid, 2, 9, &w);
	CHECK(w.children == WAIT_GROUP_CHILD && w.id == 9, "waitid(P_PGID, 9)");
	waits_children(SYS_waitid, 3, 4, &w);
	CHECK(w.children == WAIT_UNKNOWN_CHILD, "waitid(P_PIDFD, 4): not known which");
}

/* ---- configuration, filters, order ---- */

static void test_config(void)
{
	const char *bad = NULL;
	struct findings_config c;
	enum severity s;

	findings_config_init(&c);
	CHECK(c.warn[TH_FD_LIMIT] == 80 && c.crit[TH_FD_LIMIT] == 95, "defaults: fd-limit 80 / 95");
	CHECK(findings_set_thresholds(&c, false, "fd-limit=90,zombies=5", &bad) == 0 &&
	      c.warn[TH_FD_LIMIT] == 90 && c.warn[TH_ZOMBIES] == 5, "--warn fd-limit=90,zombies=5");
	CHECK(findings_set_thresholds(&c, true, "deleted-size=2G", &bad) == 0 &&
	      c.crit[TH_DELETED_SIZE] == 2.0 * 1024 * 1024 * 1024, "--crit deleted-size=2G is 2 GiB");
	CHECK(findings_set_thresholds(&c, true, "deleted-size=1.5k", &bad) == 0 &&
	      c.crit[TH_DELETED_SIZE] == 1536, "--crit deleted-size=1.5k is 1536");
	CHECK(findings_set_thresholds(&c, true, "zombies=none", &bad) == 0 && c.crit[TH_ZOMBIES] < 0,
	      "--crit zombies=none");
	bad = NULL;
	CHECK(findings_set_thresholds(&c, false, "fd-limit=90,bogus=1", &bad) == -1 && bad &&
	      strcmp(bad, "bogus=1") == 0, "--warn bogus=1 refused, named");
	CHECK(findings_set_thresholds(&c, false, "fd-limit", &bad) == -1, "--warn fd-limit (no value) refused");
	CHECK(findings_set_thresholds(&c, false, "fd-limit=abc", &bad) == -1, "--warn fd-limit=abc refused");
	CHECK(findings_set_thresholds(&c, false, "fd-limit=-5", &bad) == -1, "--warn fd-limit=-5 refused");
	CHECK(findings_set_thresholds(&c, false, "fd-limit=5X", &bad) == -1, "--warn fd-limit=5X refused");
	CHECK(findings_set_thresholds(&c, false, "fd-limit=1e999", &bad) == -1, "--warn fd-limit=1e999 refused");
	CHECK(findings_ignore(&c, "exec-leak,fd-limit", &bad) == 0, "--ignore exec-leak,fd-limit");
	CHECK(findings_ignore(&c, "nope", &bad) == -1 && strcmp(bad, "nope") == 0, "--ignore nope refused");
	CHECK(severity_parse("warning", &s) == 0 && s == SEV_WARNING, "severity warning");
	CHECK(severity_parse("CRITICAL", &s) == 0 && s == SEV_CRITICAL, "severity CRITICAL (any case)");
	CHECK(severity_parse("severe", &s) == -1, "severity severe refused");
	CHECK_STR(severity_name(SEV_INFO), "info", "severity name info");
	CHECK(findings_rule_count() >= 5, "the table has the rules");
}

static void test_filters(void)
{
	const char *bad = NULL;

	leak_world("/usr/bin/sleep", 0, 0, 3, 3, true);
	fds_world(90, 19, 20);                  /* critical fd-limit, pid 90 */
	run(SCOPE_ALL);
	CHECK(found.n == 2 && found.v[0].severity == SEV_CRITICAL && strcmp(found.v[1].code, "exec-leak") == 0,
	      "order: critical first, then warning");
	findings_ignore(&cfg, "fd-limit", &bad);
	run(SCOPE_ALL);
	CHECK(found.n == 1 && findings_count_code(&found, "fd-limit") == 0, "--ignore fd-limit leaves it out");
	findings_config_init(&cfg);
	cfg.min_severity = SEV_CRITICAL;
	run(SCOPE_ALL);
	CHECK(found.n == 1 && findings_count_code(&found, "fd-limit") == 1, "--min-severity critical keeps only critical");
	findings_config_init(&cfg);
	procs[2].selected = true;               /* pid 11, the leaker */
	run(SCOPE_SELECTED);
	CHECK(found.n == 1 && findings_count_code(&found, "exec-leak") == 1, "scope: only findings naming a selected process");
	procs[2].fds[0].path_match = true;
	run(SCOPE_PATHS);
	CHECK(found.n == 1 && findings_count_code(&found, "exec-leak") == 1, "scope: only findings naming a PATH's fd");
}

int main(void)
{
	findings_config_init(&cfg);
	reset();
	test_exec_leak();
	test_exec_leak_chain();
	test_shared_offset_write();
	test_write_clobber();
	test_deleted_open();
	test_fd_limit();
	test_nonblock_shared();
	test_zombie();
	test_reparented();
	test_listener_leak();
	test_pipe_eof_blocked();
	test_wait_children();
	test_config();
	test_filters();
	findings_free(&found);
	reset();
	return check_done();
}
