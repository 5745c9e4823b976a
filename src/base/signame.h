/* signame.h - signal numbers to the names admins type to kill(1).
 *
 * Classic signals by their glibc abbreviation ("SIGUSR1").  Real-time
 * signals relative to glibc's SIGRTMIN (34: glibc keeps the kernel's 32 and
 * 33 for its threads library), as util-linux kill(1) and bash accept them:
 * 34 "SIGRTMIN", 42 "SIGRTMIN+8", 64 "SIGRTMIN+30".  32 and 33 have no name
 * a program can use: "SIG32", "SIG33". */
#ifndef FDSHARE_SIGNAME_H
#define FDSHARE_SIGNAME_H

#include <stdbool.h>
#include <stddef.h>

/* Write the name of signal sig into buf (cap bytes, 16 is enough), with the
 * "SIG" prefix when prefix is true ("USR1" / "SIGUSR1", "RTMIN+8" /
 * "SIGRTMIN+8"); an unknown number as "SIG<n>" either way.  Returns buf. */
const char *signame(int sig, bool prefix, char *buf, size_t cap);

#endif
