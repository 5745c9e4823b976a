/* unit_bpf_scan.c - the BPF iterators (src/scan/bpf/) against this very
 * process: what each record says of our own fds is checked against what we
 * made them and against /proc/self/fdinfo; one description through dup(),
 * fork() and two processes; another through a second open(); close-on-exec
 * per fd; a thread's private fd table (unshare(CLONE_FILES)) left out; the
 * subreaper flag.  Where the kernel refuses BPF (not root, no BTF, a
 * container) it says why ("skip:") and checks nothing else. */
#define _GNU_SOURCE
#include "check.h"
#include "scan/bpf_scan.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct bpf_fd *find(const struct bpf_scan *s, int pid, int fd)
{
	size_t n, i;
	const struct bpf_fd *r = bpf_scan_process(s, pid, &n);

	for (i = 0; i < n; i++)
		if (r[i].fd == fd)
			return &r[i];
	return NULL;
}

/* Lock i of record f. */
static struct bpf_lock lock_of(const struct bpf_scan *s, const struct bpf_fd *f, size_t i)
{
	struct bpf_lock l;

	bpf_scan_lock(s, f, (unsigned)i, &l);
	return l;
}

/* fdinfo's four lines of one of our fds. */
static int fdinfo(int fd, unsigned long long *pos, unsigned *flags, int *mnt_id, unsigned long long *ino)
{
	char path[64], buf[4096];
	int got = 0, f;
	ssize_t n;
	char *line;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if ((f = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		got += sscanf(line, "pos: %llu", pos);
		got += sscanf(line, "flags: %o", flags);
		got += sscanf(line, "mnt_id: %d", mnt_id);
		got += sscanf(line, "ino: %llu", ino);
	}
	return got == 4 ? 0 : -1;
}

/* A thread that leaves our fd table and opens an fd of its own. */
static int private_fd = -1;
static int go_pipe[2], done_pipe[2];

static void *private_table(void *arg)
{
	char c;

	(void)arg;
	if (unshare(CLONE_FILES) == 0)
		private_fd = open("/dev/zero", O_RDONLY);
	if (write(go_pipe[1], "x", 1) != 1 || read(done_pipe[0], &c, 1) != 1)
		return NULL;
	return NULL;
}

int main(void)
{
	struct bpf_scan_options o = { .files = true, .paths = true, .subreapers = true };
	struct bpf_scan s, bare;
	char why[256], tmpl[] = "/tmp/unit_bpf_scan.XXXXXX", c;
	const struct bpf_fd *r, *d, *e, *again, *pr, *pw, *sk, *mf, *del, *child_r;
	unsigned long long pos, ino;
	unsigned flags;
	int mnt_id, file, dup_fd, cloexec_fd, other, p[2], sv[2], memfd, gone, me = getpid();
	const struct subreaper_flag *t;
	struct stat st;
	pthread_t th;
	pid_t child;
	size_t i, n, checked = 0, agree = 0;

	/* what the records will be checked against */
	file = mkstemp(tmpl);
	if (file < 0 || write(file, "hello", 5) != 5)
		return 1;
	dup_fd = dup(file);
	cloexec_fd = fcntl(file, F_DUPFD_CLOEXEC, 0);
	other = open(tmpl, O_RDONLY | O_APPEND);
	flock(file, LOCK_SH);
	{
		struct flock posix = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 2, .l_len = 2 };
		struct flock ofd = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 4, .l_len = 0 };
		if (fcntl(other, F_SETLK, &posix) < 0 || fcntl(other, F_OFD_SETLK, &ofd) < 0)
			return 1;
	}
	if (pipe2(p, O_NONBLOCK) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	memfd = memfd_create("unit", 0);
	gone = open("/tmp", O_TMPFILE | O_RDWR, 0600);
	if (gone < 0) {
		char t2[] = "/tmp/unit_bpf_scan_gone.XXXXXX";
		gone = mkstemp(t2);
		unlink(t2);
	}
	unlink(tmpl);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pipe(go_pipe) < 0 || pipe(done_pipe) < 0 ||
	    pthread_create(&th, NULL, private_table, NULL) != 0 || read(go_pipe[0], &c, 1) != 1)
		return 1;
	child = fork();
	if (child == 0) {
		/* holds every fd of ours (one description each) until killed */
		for (;;)
			pause();
	}

	if (bpf_scan_read(&o, &s, why, sizeof(why)) < 0) {
		printf("skip: the kernel refused BPF here (%s): %s\n", errno_name(errno), why);
		return 0;
	}
	CHECK(s.nfds > 0 && s.nfiles > 0 && s.nfiles <= s.nfds, "records of the whole system, fewer descriptions than fds");
	r = find(&s, me, file);
	d = find(&s, me, dup_fd);
	e = find(&s, me, cloexec_fd);
	again = find(&s, me, other);
	CHECK(r && d && e && again, "our file's four fds are in the records");
	if (!(r && d && e && again))
		return check_done();
	CHECK(r->file_id == d->file_id && r->file_id == e->file_id, "dup() and F_DUPFD_CLOEXEC: one description (same id)");
	CHECK(again->file_id != r->file_id, "a second open(): another description");
	CHECK(r->pos == 5 && again->pos == 0, "pos: 5 after writing 5 bytes, 0 on the second open");
	CHECK(!r->cloexec && !d->cloexec && e->cloexec, "close-on-exec: only on the F_DUPFD_CLOEXEC fd (per fd)");
	CHECK((again->flags & O_APPEND) && !(r->flags & O_APPEND), "O_APPEND on the second open only");
	CHECK((r->flags & O_ACCMODE) == O_RDWR && (again->flags & O_ACCMODE) == O_RDONLY, "access modes");
	CHECK(r->path && strstr(r->path, "/tmp/unit_bpf_scan.") && strstr(r->path, " (deleted)") && r->nlink == 0,
	      "an unlinked file: its path with \" (deleted)\", nlink 0");
	CHECK(fstat(file, &st) == 0 && r->ino == st.st_ino && r->dev == st.st_dev && S_ISREG(r->i_mode) && r->size == 5,
	      "ino, dev, type and size as fstat() says");

	CHECK(r->locked && again->locked, "a file with a flock: locked, on every fd of it");
	CHECK(!r->locks_unread && r->nlocks == 1 && lock_of(&s, r, 0).kind == LK_FLOCK && lock_of(&s, r, 0).type == LK_READ &&
	      lock_of(&s, r, 0).pid == me && lock_of(&s, r, 0).start == 0 && lock_of(&s, r, 0).end == -1,
	      "the flock (LOCK_SH) on the fd it was taken through: FLOCK READ, our pid, 0 to EOF");
	CHECK(d->nlocks == 1 && lock_of(&s, d, 0).kind == LK_FLOCK, "... and on its dup (one description)");
	CHECK(!again->locks_unread && again->nlocks == 2 &&
	      ((lock_of(&s, again, 0).kind == LK_POSIX && lock_of(&s, again, 1).kind == LK_OFD) ||
	       (lock_of(&s, again, 0).kind == LK_OFD && lock_of(&s, again, 1).kind == LK_POSIX)),
	      "the second open: its POSIX and OFD locks, not the first one's flock");
	for (i = 0; i < again->nlocks; i++) {
		struct bpf_lock l = lock_of(&s, again, i);
		if (l.kind == LK_POSIX)
			CHECK(l.pid == me && l.start == 2 && l.end == 3 && l.type == LK_READ,
			      "POSIX READ 2-3, our pid");
		else
			CHECK(l.pid == -1 && l.start == 4 && l.end == -1 && l.type == LK_READ,
			      "OFDLCK READ 4 to EOF, pid -1");
	}
	pr = find(&s, me, p[0]);
	pw = find(&s, me, p[1]);
	CHECK(pr && pw && pr->file_id != pw->file_id && pr->ino == pw->ino && S_ISFIFO(pr->i_mode),
	      "a pipe: two descriptions, one inode");
	CHECK(pr && pr->path && strncmp(pr->path, "pipe:[", 6) == 0 && (pr->flags & O_NONBLOCK),
	      "a pipe: \"pipe:[ino]\", O_NONBLOCK");
	CHECK(pr && !pr->locked, "a pipe: no lock");
	sk = find(&s, me, sv[0]);
	CHECK(sk && strcmp(sk->proto, "UNIX-STREAM") == 0 && S_ISSOCK(sk->i_mode), "a socketpair: protocol UNIX-STREAM");
	mf = find(&s, me, memfd);
	CHECK(mf && mf->path && strncmp(mf->path, "/memfd:unit", 11) == 0, "a memfd: \"/memfd:unit (deleted)\"");
	del = find(&s, me, gone);
	CHECK(del && del->nlink == 0, "an O_TMPFILE (or unlinked) file: nlink 0");

	child_r = find(&s, child, file);
	CHECK(child_r && child_r->file_id == r->file_id, "the forked child's copy: the same description (same id)");
	CHECK(child_r && child_r->nlocks == 1 && lock_of(&s, child_r, 0).kind == LK_FLOCK && lock_of(&s, child_r, 0).pid == me,
	      "... showing our flock (the description's), with our pid");
	child_r = find(&s, child, other);
	CHECK(child_r && child_r->nlocks == 1 && lock_of(&s, child_r, 0).kind == LK_OFD,
	      "the child's copy of the second open: the OFD lock (the description's), not our POSIX lock");
	/* the thread's /dev/zero is in its table only (we never open it) */
	r = bpf_scan_process(&s, me, &n);
	for (i = 0, c = 0; i < n; i++)
		c |= r[i].path && strcmp(r[i].path, "/dev/zero") == 0;
	CHECK(private_fd >= 0 && n > 0 && !c,
	      "a thread's private fd table (unshare(CLONE_FILES)): not read as the process's");

	/* every fd of ours agrees with fdinfo */
	r = bpf_scan_process(&s, me, &n);
	for (i = 0; i < n; i++) {
		char link[4096], lpath[64];
		ssize_t ln;
		if (fdinfo(r[i].fd, &pos, &flags, &mnt_id, &ino) < 0)
			continue;
		snprintf(lpath, sizeof(lpath), "/proc/self/fd/%d", r[i].fd);
		if ((ln = readlink(lpath, link, sizeof(link) - 1)) < 0)
			continue;
		link[ln] = '\0';
		checked++;
		agree += pos == r[i].pos && (flags & ~02000000u) == r[i].flags &&
			!!(flags & 02000000u) == r[i].cloexec && mnt_id == r[i].mnt_id && ino == r[i].ino &&
			r[i].path && strcmp(r[i].path, link) == 0 && r[i].path_len == (size_t)ln;
	}
	CHECK(checked >= 10 && agree == checked,
	      "pos, flags, cloexec, mnt_id, ino and path agree with fdinfo and readlink on every fd of ours");
	if (agree != checked)
		printf("      %zu of %zu agree\n", agree, checked);

	t = bpf_scan_task(&s, me);
	CHECK(t && t->is_child_subreaper, "the task iterator: our PR_SET_CHILD_SUBREAPER flag");
	t = bpf_scan_task(&s, child);
	CHECK(t && !t->is_child_subreaper && t->has_child_subreaper, "our child: not a subreaper, has one above");

	o.paths = false;
	o.subreapers = false;
	if (bpf_scan_read(&o, &bare, why, sizeof(why)) == 0) {
		r = find(&bare, me, file);
		CHECK(r && !r->path && r->pos == 5 && bare.subreapers.n == 0, "without paths: no path, the same facts");
		bpf_scan_free(&bare);
	} else {
		CHECK(0, "without paths: loads");
	}
	bpf_scan_free(&s);

	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	if (write(done_pipe[1], "x", 1) != 1)
		return 1;
	pthread_join(th, NULL);
	return check_done();
}
