/* churn.c - a fork/exec/exit storm for the churn test (tests/cases/99-churn.sh).
 *
 *   churn SECONDS [WORKERS]     print "ready" once the workers run, end
 *                               (and every process it made) after SECONDS
 *
 * Each worker loops: make a pipe and open a file, fork; the child either
 * execs /bin/true (an exec with inherited fds), forks a grandchild and exits
 * at once (the grandchild is reparented, holds the pipe a moment, exits),
 * or holds its fds a random moment and exits.  The worker reaps its
 * children now or a few rounds later (zombies come and go), and keeps one
 * long-lived child that shares a file description with it, so verified
 * sharings exist while everything around them churns.  PIDs are reused
 * within seconds in a small pid namespace.  Run it as pid 1's child in a
 * pid namespace of its own: reparented grandchildren go to that init. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned next_rand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void hold_and_exit(unsigned *seed)
{
	usleep(next_rand(seed) % 3000);
	_exit(0);
}

static void one_round(unsigned *seed, const char *file)
{
	int p[2], fd;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	pid = fork();
	if (pid == 0) {
		switch (next_rand(seed) % 3) {
		case 0:
			dup2(p[1], 10);   /* not close-on-exec: inherited by true */
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		case 1:
			if (fork() == 0)
				hold_and_exit(seed);
			_exit(0);
		default:
			hold_and_exit(seed);
		}
	}
	close(p[0]);
	close(p[1]);
	if (fd >= 0)
		close(fd);
}

static void worker(unsigned seed, const char *file, time_t end)
{
	int shared = open(file, O_RDONLY | O_CLOEXEC);
	pid_t keeper;
	unsigned round = 0;

	(void)shared;
	/* one child that shares the description of "shared" the whole time */
	keeper = fork();
	if (keeper == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			pause();
	}
	while (time(NULL) < end) {
		one_round(&seed, file);
		/* reap now, or let zombies stand a few rounds */
		if (++round % 4 == 0 || next_rand(&seed) % 2)
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
		usleep(500 + next_rand(&seed) % 1500);
	}
	kill(keeper, SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	_exit(0);
}

int main(int argc, char **argv)
{
	int seconds = argc > 1 ? atoi(argv[1]) : 10, workers = argc > 2 ? atoi(argv[2]) : 4, i;
	time_t end = time(NULL) + seconds;
	char file[] = "/tmp/fdshare-churn.XXXXXX";
	int fd = mkstemp(file);

	if (fd < 0 || seconds <= 0 || workers <= 0) {
		fprintf(stderr, "usage: churn SECONDS [WORKERS]\n");
		return 100;
	}
	close(fd);
	for (i = 0; i < workers; i++)
		if (fork() == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			worker(0x9e3779b9u * (unsigned)(i + 1), file, end);
		}
	printf("ready\n");
	fflush(stdout);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	unlink(file);
	return 0;
}
