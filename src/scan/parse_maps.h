/* parse_maps.h - pure parsers for the two /proc texts that say where a
 * process's files live without touching them: /proc/PID/maps lines (every
 * file mapping with the device and inode the kernel knows) and the mount
 * point field of a mountinfo line.  No I/O; tested by tests/unit/unit_holds.c. */
#ifndef FDSHARE_PARSE_MAPS_H
#define FDSHARE_PARSE_MAPS_H

#include <stdbool.h>
#include <stddef.h>

/* One line of /proc/PID/maps:
 *   START-END PERMS OFFSET MAJ:MIN INODE [spaces PATHNAME]
 * (hex, hex, "rwxp"/"r-xs"..., hex, hex:hex, decimal).  The pathname runs to
 * the end of the line and may hold spaces; the kernel writes a newline in it
 * as "\012" and adds " (deleted)" to an unlinked file's name.  Pseudo paths
 * ("[heap]", "[vdso]") and anonymous mappings (no pathname, inode 0) parse
 * too: callers check inode and the leading '/'. */
struct maps_entry {
	unsigned long long start, end, offset;
	char perms[5];              /* "r-xp": read, write, exec, p(rivate) or s(hared) */
	unsigned major, minor;      /* the device, as the kernel numbers it */
	unsigned long long ino;
	const char *path;           /* into the line, not NUL-terminated; len 0 when none */
	size_t path_len;
};
/* Parse one line (without its newline); 0, or -1 when malformed. */
int parse_maps_line(const char *line, size_t len, struct maps_entry *out);
/* Whether a mapping can run code (perms[2] == 'x'), is private (copy on
 * write: a program's or library's text) and not writable. */
bool maps_is_private_text(const struct maps_entry *e);

/* The mount point (field 5) of a mountinfo line, unescaped ("\040" is a
 * space), into buf (NUL-terminated).  Returns its length, or -1 when the
 * line is malformed or the point does not fit in cap. */
long parse_mountinfo_point(const char *line, size_t len, char *buf, size_t cap);

#endif
