/* fields_kinds.c - ENDPOINT text and JSON of namespaces, BPF objects,
 * io_uring, ptys, tun/tap and message queues (see fields_kinds.h).
 * Reads the model only. */
#include "render/fields_kinds.h"
#include "kinds/kind_detail.h"
#include "model/endpoint.h"
#include "render/fields.h"

#define ENDS_LISTED 8

static const struct chr_detail *chr_of(const struct fd_entry *f, enum chr_kind k)
{
	if (f->type != FD_CHR || !f->kind || f->kind->u.chr.kind != k)
		return NULL;
	return &f->kind->u.chr;
}

static const struct chr_detail *pty_of(const struct fd_entry *f)
{
	const struct chr_detail *c = chr_of(f, CHR_PTY_MASTER);

	return c ? c : chr_of(f, CHR_PTY_SLAVE);
}

static void ends_text(const struct fd_detail *d, const struct fd_entry *f, struct strbuf *o)
{
	size_t i;

	for (i = 0; i < d->nends; i++) {
		if (i == ENDS_LISTED) {
			sb_printf(o, ", ... %zu more", d->nends - i);
			return;
		}
		if (i)
			sb_adds(o, ", ");
		holder_text(d->ends[i], f->proc, o);
	}
}

/* "; no slave open" ends with a caution when some process was not read. */
static void none_text(const struct model *m, const char *what, struct strbuf *o)
{
	sb_printf(o, "; %s", what);
	if (m->unreadable)
		sb_adds(o, " (some processes not readable)");
}

static void pty_text(const struct model *m, const struct fd_entry *f, const struct chr_detail *c,
		     struct strbuf *o)
{
	const struct fd_detail *d = f->detail;
	bool master = c->kind == CHR_PTY_MASTER;

	chr_text(c, o);
	if (c->ambiguous) {
		sb_adds(o, "; slave unknown (that number is open on several devpts instances)");
	} else if (d && d->nends) {
		sb_adds(o, master ? "; slave: " : "; master: ");
		ends_text(d, f, o);
	} else if (d && d->have_ends) {
		none_text(m, master ? "no slave open" : "master held by no process read", o);
	}
}

static void mqueue_text(const struct model *m, const struct fd_entry *f, struct strbuf *o)
{
	const struct fd_detail *d = f->detail;

	sb_adds(o, "queue");
	if (d && d->nends) {
		sb_adds(o, "; also open in ");
		ends_text(d, f, o);
	} else if (d && d->have_ends) {
		none_text(m, "open nowhere else", o);
	}
}

bool kinds_endpoint_text(const struct model *m, const struct fd_entry *f, struct strbuf *out)
{
	const struct chr_detail *c;

	if (f->type == FD_MQUEUE) {
		mqueue_text(m, f, out);
		return true;
	}
	if (!f->kind)
		return false;
	switch (f->type) {
	case FD_NSFS: nsfs_text(&f->kind->u.nsfs, out); return true;
	case FD_BPF_MAP: case FD_BPF_PROG: case FD_BPF_LINK: bpf_text(&f->kind->u.bpf, out); return true;
	case FD_IO_URING: io_uring_text(&f->kind->u.uring, out); return true;
	case FD_CHR:
		if ((c = pty_of(f)))
			pty_text(m, f, c, out);
		else if ((c = chr_of(f, CHR_TUN)))
			chr_text(c, out);
		else
			return false;
		return true;
	default:
		return false;
	}
}

bool kinds_is_nsfs(const struct fd_entry *f) { return f->type == FD_NSFS && f->kind; }
bool kinds_is_bpf(const struct fd_entry *f)
{
	return (f->type == FD_BPF_MAP || f->type == FD_BPF_PROG || f->type == FD_BPF_LINK) && f->kind;
}
bool kinds_is_io_uring(const struct fd_entry *f) { return f->type == FD_IO_URING && f->kind; }
bool kinds_is_pty(const struct fd_entry *f) { return pty_of(f) != NULL; }
bool kinds_is_tun(const struct fd_entry *f) { return chr_of(f, CHR_TUN) != NULL; }

void kinds_json_namespace(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	nsfs_json(&f->kind->u.nsfs, j);
}

void kinds_json_bpf(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	bpf_json(&f->kind->u.bpf, j);
}

void kinds_json_io_uring(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	io_uring_json(&f->kind->u.uring, j);
}

void kinds_json_pty(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	chr_json(pty_of(f), j);
}

void kinds_json_tun(const struct model *m, const struct fd_entry *f, struct json *j)
{
	(void)m;
	chr_json(chr_of(f, CHR_TUN), j);
}

const char *kinds_chr_name(const struct fd_entry *f)
{
	return f->type == FD_CHR && f->kind ? chr_kind_name(f->kind->u.chr.kind) : NULL;
}
