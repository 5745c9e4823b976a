/* kind_tty.c - pty masters and slaves, tun/tap (see kind_tty.h).
 *
 * fdinfo keys read: "tty-index:\t3" (drivers/tty/pty.c, a master's pty
 * number), "iff:\ttap0" (drivers/net/tun.c, once an interface is attached).
 * Device numbers: TTYAUX_MAJOR 5 minor 2 is /dev/ptmx (and every devpts
 * instance's pts/ptmx); UNIX98_PTY_SLAVE_MAJOR 136, 8 majors of 256 slaves;
 * MISC_MAJOR 10 minor 200 is /dev/net/tun. */
#include "kinds/kind_tty.h"
#include "kinds/fdinfo_kv.h"

#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#define PTMX_MAJOR 5
#define PTMX_MINOR 2
#define PTS_MAJOR 136
#define PTS_MAJORS 8
#define TUN_MAJOR 10
#define TUN_MINOR 200

int pty_slave_index(dev_t rdev)
{
	unsigned ma = major(rdev);

	if (ma < PTS_MAJOR || ma >= PTS_MAJOR + PTS_MAJORS)
		return -1;
	return (int)((ma - PTS_MAJOR) * 256 + minor(rdev));
}

enum chr_kind chr_kind_of(dev_t rdev)
{
	if (major(rdev) == PTMX_MAJOR && minor(rdev) == PTMX_MINOR)
		return CHR_PTY_MASTER;
	if (pty_slave_index(rdev) >= 0)
		return CHR_PTY_SLAVE;
	if (major(rdev) == TUN_MAJOR && minor(rdev) == TUN_MINOR)
		return CHR_TUN;
	return CHR_PLAIN;
}

const char *chr_kind_name(enum chr_kind k)
{
	switch (k) {
	case CHR_PTY_MASTER: return "ptmx";
	case CHR_PTY_SLAVE: return "pts";
	case CHR_TUN: return "tun";
	default: return NULL;
	}
}

void chr_parse_fdinfo(const char *buf, size_t len, struct chr_detail *out)
{
	struct fdinfo_kv kv;
	size_t off = 0;
	long long v;

	while (fdinfo_kv_next(buf, len, &off, &kv)) {
		if (out->kind == CHR_PTY_MASTER && fdinfo_kv_is(&kv, "tty-index") &&
		    fdinfo_kv_ll(&kv, 10, &v) == 0 && v >= 0 && v <= 0x7fffffff)
			out->tty_index = (int)v;
		else if (out->kind == CHR_TUN && fdinfo_kv_is(&kv, "iff") &&
			 !fdinfo_kv_str(&kv, out->iface, sizeof(out->iface)))
			out->iface[0] = '\0';
	}
}

void chr_text(const struct chr_detail *d, struct strbuf *o)
{
	switch (d->kind) {
	case CHR_PTY_MASTER:
	case CHR_PTY_SLAVE:
		if (d->tty_index >= 0)
			sb_printf(o, "pty %d ", d->tty_index);
		else
			sb_adds(o, "pty ? ");
		sb_adds(o, d->kind == CHR_PTY_MASTER ? "master" : "slave");
		break;
	case CHR_TUN:
		if (d->iface[0])
			sb_printf(o, "interface %s", d->iface);
		else
			sb_adds(o, "no interface attached");
		break;
	default:
		break;
	}
}

void chr_json(const struct chr_detail *d, struct json *j)
{
	json_object_begin(j);
	if (d->kind == CHR_TUN) {
		json_kv_string(j, "interface", d->iface[0] ? d->iface : NULL);
	} else {
		json_kv_string(j, "role", d->kind == CHR_PTY_MASTER ? "master" : "slave");
		if (d->tty_index >= 0)
			json_kv_int(j, "index", d->tty_index);
		else
			json_kv_null(j, "index");
	}
	json_object_end(j);
}
