/* mqprobe.h - the device of fdshare's own IPC namespace's POSIX message
 * queue file system, learnt once per run.
 *
 * mq_open() fds sit on the kernel's internal mqueue mount, listed in no
 * mountinfo: when /dev/mqueue is not mounted either, only the device number
 * tells a queue from a regular file.  The probe makes a queue of its own
 * (O_CREAT|O_EXCL, a name with fdshare's pid), stats it, and removes it at
 * once, as lsfd does: the one moment fdshare creates anything, and only
 * when some fd looks like a queue. */
#ifndef FDSHARE_MQPROBE_H
#define FDSHARE_MQPROBE_H

#include <sys/types.h>

/* The device of the mqueue file system of the caller's IPC namespace into
 * *dev: 0, or -1 with errno (ENOSYS without POSIX message queues, EMFILE,
 * EACCES ...).  The answer is cached: later calls do nothing. */
int mqprobe_dev(dev_t *dev);

#endif
