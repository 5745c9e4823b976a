/* bpf_pick.h - -p PID with the BPF source: read the selected processes and
 * only those fds of the others that can change what is shown for them,
 * chosen in the kernel (src/scan/bpf/pick.bpf.h), instead of every fd.
 *
 * Related to a selected process, and so read, is every fd of another
 * process on
 *   - a struct file a selected process holds (fork, dup, SCM_RIGHTS): the
 *     description's other holders;
 *   - an inode a selected process has open, anon inodes excepted: the other
 *     end of a pipe or FIFO, another open of the same file (SHARED's "opens
 *     the same file separately", write-clobber), a message queue's other
 *     ends, the holders of its locks;
 *   - a socket the endpoint code links to a selected socket (sock_diag, in
 *     fdshare's network namespace, dumped once: the endpoint code takes the
 *     dumps where they hold every socket read of their kinds): a unix peer, the clients in a
 *     listener's backlog and the listener of a client waiting in one, a
 *     datagram socket's senders, a TCP or UDP loopback peer by its
 *     address tuple, the server of a connection not yet accepted;
 *   - the other side of a pty (a master's slave by its index; every master
 *     for a slave);
 *   - the inodes of /proc/locks lines reached from the selection through
 *     holders and waiters, step by step (a wait chain or deadlock through
 *     other files and processes).
 * Every process is counted (its fd count stays exact), none but these is
 * read.  Where the narrowed scan could answer differently (a selected
 * socket of another network namespace, a table too large for the filter)
 * it refuses, says why, and the caller reads everything. */
#ifndef FDSHARE_BPF_PICK_H
#define FDSHARE_BPF_PICK_H

#include "scan/bpf_scan.h"
#include "model/record.h"

struct bpf_pick_count {
	int pid;
	unsigned long long fds;      /* every fd of its table, read or not */
};

struct sock_table;

/* What the narrowed scan learned besides its records. */
struct bpf_pick {
	struct bpf_pick_count *counts;   /* sorted by pid; owned */
	size_t ncounts;
	struct sock_table *socks;        /* the dumps of fdshare's network namespace
	                                    it made, when they hold every socket it
	                                    read of their kinds, else NULL; owned */
};

/* What the narrowed scan can read before the programs are loaded, read on
 * a thread of its own while they load (opaque): /proc/locks, and the socket
 * dumps the selection's sockets need (their protocols from /proc). */
struct bpf_pick_ahead;

/* Start reading it for pids[0..npids); NULL when no thread could be
 * started (bpf_pick_run then reads it itself).  /proc/locks is taken from
 * early (the model's own read of it, proc_locks_read.h: read once, not
 * twice) when not NULL; early must outlive the returned read-ahead. */
struct proc_locks_early;
struct bpf_pick_ahead *bpf_pick_ahead_start(const char *procroot, const int *pids, size_t npids,
					    struct proc_locks_early *early);
/* Wait for it and free it; safe on NULL. */
void bpf_pick_ahead_free(struct bpf_pick_ahead *a);

/* Run the narrowed scan of pids[0..npids) into *out (as bpf_scanner_run:
 * the task iterator whole, the task_file one filtered) and *pk, with what
 * ahead read (NULL: read it now).  0, or -1 with why filled (then nothing
 * is kept: read everything instead). */
int bpf_pick_run(struct bpf_scanner *s, const int *pids, size_t npids, const char *procroot,
		 struct bpf_pick_ahead *ahead, struct bpf_scan *out, struct bpf_pick *pk,
		 char *why, size_t whylen);
/* pid's fd count as the filter counted it, or -1 when it saw no fd of it. */
long long bpf_pick_fd_count(const struct bpf_pick *pk, int pid);
/* Which processes of m (listed, not yet read) the narrowed scan reads, as
 * a new array of m->nprocs flags: the selected ones, those with records in
 * scan, and the parent and children of each (the tree and zombie keys shown
 * for them).  The others stay unread. */
bool *bpf_pick_these(const struct model *m, const struct bpf_scan *scan, const int *pids,
		     size_t npids);
/* After the read: each process read but not selected holds only its
 * related fds; give it its whole fd count (fds_partial, fd_count). */
void bpf_pick_set_counts(struct model *m, const struct bpf_pick *pk, const int *pids,
			 size_t npids);
/* The socket dumps made (endpoint_link takes them: model.sock_dumps), or
 * NULL; pk no longer owns them. */
struct sock_table *bpf_pick_take_socks(struct bpf_pick *pk);
/* Free what bpf_pick_run filled; safe on a zeroed one. */
void bpf_pick_free(struct bpf_pick *pk);

#endif
