/* kind_tty.h - pseudo-terminals and tun/tap devices: character devices whose
 * fdinfo says more than the device number.
 *
 * A pty master is an open of /dev/ptmx (char 5:2); fdinfo "tty-index:" says
 * which pty it made.  A slave is /dev/pts/N (char majors 136-143, N =
 * (major - 136) * 256 + minor).  The master's other end is the holders of its
 * slave, and the other way round: linked as pipes are (kind_tty_link).
 * A tun/tap fd is an open of /dev/net/tun (char 10:200); fdinfo "iff:" names
 * the interface it is attached to (none before TUNSETIFF). */
#ifndef FDSHARE_KIND_TTY_H
#define FDSHARE_KIND_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/json.h"
#include "base/util.h"

enum chr_kind { CHR_PLAIN, CHR_PTY_MASTER, CHR_PTY_SLAVE, CHR_TUN };

struct chr_detail {
	enum chr_kind kind;
	int tty_index;               /* pty number; -1 unknown */
	char iface[24];              /* tun/tap: the interface (IFNAMSIZ 16), "" none */
	bool ambiguous;              /* pty: slaves of that number on several devpts
	                                instances, the master's own unknown: not linked */
};

/* What a character device is, by its device number. */
enum chr_kind chr_kind_of(dev_t rdev);
/* The pty number of a slave's device number; -1 when not a slave. */
int pty_slave_index(dev_t rdev);
/* Read "tty-index:" (a pty master) or "iff:" (tun) from fdinfo text into
 * out, whose kind is set. */
void chr_parse_fdinfo(const char *buf, size_t len, struct chr_detail *out);
/* "ptmx", "pts", "tun", or NULL for a plain device. */
const char *chr_kind_name(enum chr_kind k);

/* "pty 3 master", "pty 3 slave", "interface tap0" ("no interface attached"). */
void chr_text(const struct chr_detail *d, struct strbuf *o);
/* The JSON value of key "pty" ({"role": "master", "index": 3}) or of
 * key "tun" ({"interface": "tap0"}), as the kind says. */
void chr_json(const struct chr_detail *d, struct json *j);

#endif
