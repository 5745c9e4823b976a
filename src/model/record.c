/* record.c - accessors of the neutral fd record (model.h) that readers
 * share: the access mode's name, the status flags' names, and the flags
 * as the kernel would print them. */
#include "model/model.h"
#include "base/util.h"

#define K_ACCMODE 03u
#define K_CLOEXEC 02000000u
#define K_PATH    010000000u

const char *fd_access_name(const struct fd_entry *f)
{
	if (!f->have_facts)
		return "?";
	switch (f->access) {
	case ACCESS_R: return "r";
	case ACCESS_W: return "w";
	case ACCESS_RW: return "rw";
	case ACCESS_PATH: return "path";
	case ACCESS_UNKNOWN: break;
	}
	return "?";
}

unsigned fd_kernel_flags(const struct fd_entry *f)
{
	unsigned acc = f->access == ACCESS_R ? 0 : f->access == ACCESS_W ? 1
		: f->access == ACCESS_RW ? 2 : f->access == ACCESS_PATH ? K_PATH : K_ACCMODE;

	return f->status | acc | (f->cloexec ? K_CLOEXEC : 0);
}

size_t fd_flag_names(const struct fd_entry *f, const char **names, size_t max)
{
	static const struct { unsigned bit; const char *name; } table[] = {
		{ FDF_APPEND, "O_APPEND" }, { FDF_NONBLOCK, "O_NONBLOCK" },
		{ FDF_DSYNC, "O_DSYNC" }, { FDF_ASYNC, "O_ASYNC" },
		{ FDF_DIRECT, "O_DIRECT" }, { FDF_LARGEFILE, "O_LARGEFILE" },
		{ FDF_DIRECTORY, "O_DIRECTORY" }, { FDF_NOFOLLOW, "O_NOFOLLOW" },
		{ FDF_NOATIME, "O_NOATIME" }, { FDF_SYNC, "O_SYNC" },
		{ K_PATH, "O_PATH" }, { FDF_TMPFILE, "O_TMPFILE" },
	};
	unsigned flags = fd_kernel_flags(f);
	size_t i, n = 0;

	for (i = 0; i < ARRAY_LEN(table) && n < max; i++)
		if (flags & table[i].bit)
			names[n++] = table[i].name;
	return n;
}

const char *ofd_proof_name(enum ofd_proof p)
{
	switch (p) {
	case PROOF_KERNEL: return "kernel";
	case PROOF_KCMP: return "kcmp";
	case PROOF_NONE: break;
	}
	return "none";
}
