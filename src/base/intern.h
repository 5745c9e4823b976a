/* intern.h - one shared copy of each short name many records repeat (a file
 * system type, a socket protocol), so a record holds a pointer, not an array.
 *
 * The copies live until the program ends (a handful: the kernel's names);
 * safe to call from several threads. */
#ifndef FDSHARE_INTERN_H
#define FDSHARE_INTERN_H

#include <stddef.h>

/* The shared copy of s[0..len) (NUL-terminated); equal strings give the
 * same pointer.  Never NULL (allocation failure exits). */
const char *intern_len(const char *s, size_t len);
/* The same for the NUL-terminated s. */
const char *intern(const char *s);

#endif
