/* mqprobe.c - our IPC namespace's mqueue device (see mqprobe.h). */
#include "scan/mqprobe.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* Asked once per run, whichever scan thread asks first (pthread_once):
 * two probes at once would collide on the queue's name. */
static int state;          /* 1 known, -1 failed */
static dev_t known;
static int err;
static pthread_once_t probed = PTHREAD_ONCE_INIT;

static void probe(void)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 1 };
	char name[64];
	struct stat st;
	mqd_t q;

	snprintf(name, sizeof(name), "/fdshare-probe-%d", (int)getpid());
	q = mq_open(name, O_CREAT | O_EXCL | O_RDONLY | O_CLOEXEC, 0600, &attr);
	if (q == (mqd_t)-1) {
		err = errno;
		state = -1;
		return;
	}
	mq_unlink(name);
	if (fstat((int)q, &st) < 0) {
		err = errno;
		state = -1;
	} else {
		known = st.st_dev;
		state = 1;
	}
	mq_close(q);
}

int mqprobe_dev(dev_t *dev)
{
	pthread_once(&probed, probe);
	if (state < 0) {
		errno = err;
		return -1;
	}
	*dev = known;
	return 0;
}
