/* signame.c - signal names (see signame.h).
 *
 * The real-time range is fixed here rather than read from SIGRTMIN at run
 * time: glibc's SIGRTMIN is a function call whose value (34 on Linux with
 * NPTL) names signals in the processes we look at, not in fdshare, and every
 * glibc program on Linux sees the same 34. */
#define _GNU_SOURCE   /* sigabbrev_np */
#include "base/signame.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#define GLIBC_RTMIN 34   /* glibc's SIGRTMIN: the kernel's 32 + 2 reserved */
#define KERNEL_RTMAX 64  /* _NSIG on x86-64, arm64 and the generic ABI */

const char *signame(int sig, bool prefix, char *buf, size_t cap)
{
	const char *pre = prefix ? "SIG" : "";
	const char *abbrev = sig > 0 && sig < 32 ? sigabbrev_np(sig) : NULL;

	if (abbrev)
		snprintf(buf, cap, "%s%s", pre, abbrev);
	else if (sig == GLIBC_RTMIN)
		snprintf(buf, cap, "%sRTMIN", pre);
	else if (sig > GLIBC_RTMIN && sig <= KERNEL_RTMAX)
		snprintf(buf, cap, "%sRTMIN+%d", pre, sig - GLIBC_RTMIN);
	else
		snprintf(buf, cap, "SIG%d", sig);
	return buf;
}
