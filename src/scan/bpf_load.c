/* bpf_load.c - load fdshare's two BPF objects: by the kernel through their
 * light skeletons, else by libbpf through their skeletons (bpf_load.h).
 *
 * Why two ways.  libbpf relocates a program in user space: it reads the
 * kernel's BTF (/sys/kernel/btf/vmlinux, 6 MB here, 126,669 types), parses
 * it, and for each kernel type the program names searches all of them for
 * candidates.  On this machine that took 50-70 ms of each object's load,
 * every run, and about 15 MB of memory: more than the fd walk of 100,000
 * fds.  A light skeleton carries a loader program instead; the kernel runs
 * it and relocates against the BTF it already holds, keeping the candidates
 * it found for the next load.  Kernels before 5.17 cannot (no BPF CO-RE in
 * the kernel, or no syscall programs): there libbpf loads the same object.
 *
 * The two objects load side by side on two threads, each by whichever way
 * works; libbpf's messages go to keep_first_warning from both. */
#include "scan/bpf_load.h"
#include "base/parallel.h"
#include "base/util.h"

#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wpointer-arith"
#include <bpf/skel_internal.h>
#include "fdshare_files_bpf.skel.h"
#include "fdshare_tasks_bpf.skel.h"
#include "fdshare_files_lskel.h"
#include "fdshare_tasks_lskel.h"
#pragma GCC diagnostic pop

/* The fd iterator object's maps in its light skeleton, by name (libbpf's
 * skeleton finds them by name itself).  rodata and bss are not looked up. */
static const struct {
	const char *name;
	size_t at;                    /* of its struct bpf_map_desc in the skeleton */
} files_light_maps[] = {
#define LIGHT_MAP(m) { #m, offsetof(struct fdshare_files_lskel, maps.m) }
	LIGHT_MAP(file_bufs), LIGHT_MAP(pick_bits), LIGHT_MAP(pick_conf),
	LIGHT_MAP(pick_tgids), LIGHT_MAP(pick_files), LIGHT_MAP(pick_inodes),
	LIGHT_MAP(pick_rdevs), LIGHT_MAP(pick_first), LIGHT_MAP(pick_counts),
#undef LIGHT_MAP
};

_Static_assert(sizeof(((struct fdshare_files_lskel *)0)->maps) ==
	       (sizeof(files_light_maps) / sizeof(files_light_maps[0]) + 2) * sizeof(struct bpf_map_desc),
	       "a map added to the fd iterator's object is named in files_light_maps");

static struct bpf_map_desc *files_light_map(struct fdshare_files_lskel *l, size_t i)
{
	return (struct bpf_map_desc *)((char *)l + files_light_maps[i].at);
}

struct bpf_objects {
	struct bpf_scan_options opt;
	/* each object: its light skeleton, or else libbpf's */
	struct fdshare_files_lskel *files_light;
	struct fdshare_tasks_lskel *tasks_light;
	struct fdshare_files_bpf *files;
	struct fdshare_tasks_bpf *tasks;
	int prog[BPF_PROG_COUNT];     /* -1: not loaded, or not asked for */
	int files_err, tasks_err;     /* each object's load: 0 or errno */
	bool files_opened, tasks_opened;  /* libbpf could read its embedded object */
};

/* ---- libbpf's messages: kept, never printed ---- */

/* The first warning libbpf gave during the load (one line), for the reason.
 * The two objects load on two threads: libbpf calls this from both. */
static char libbpf_said[256];
static pthread_mutex_t libbpf_said_lock = PTHREAD_MUTEX_INITIALIZER;

static int keep_first_warning(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *nl;

	if (level != LIBBPF_WARN)
		return 0;
	pthread_mutex_lock(&libbpf_said_lock);
	if (!libbpf_said[0]) {
		vsnprintf(libbpf_said, sizeof(libbpf_said), fmt, ap);
		if ((nl = strchr(libbpf_said, '\n')))
			*nl = '\0';
	}
	pthread_mutex_unlock(&libbpf_said_lock);
	return 0;
}

/* Whether the kernel is locked down for confidentiality: then BPF may not
 * read kernel memory, which both programs do. */
static bool locked_down(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/security/lockdown", "re");

	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strstr(buf, "[confidentiality]") != NULL;
}

/* Why the load failed with err, in an admin's words. */
static void explain_load(int err, char *why, size_t whylen)
{
	const char *said = libbpf_said[0] ? libbpf_said : "no detail from libbpf";

	if (locked_down())
		snprintf(why, whylen, "the kernel is locked down (confidentiality): BPF may not "
			 "read kernel memory (%s)", errno_name(err));
	else if (err == EPERM)
		snprintf(why, whylen, "the kernel refused BPF (EPERM): a container or a security "
			 "policy without CAP_BPF and CAP_PERFMON");
	else if (err == ENOENT || err == ESRCH)
		snprintf(why, whylen, "the programs could not be matched to this kernel's types "
			 "(%s): %s", errno_name(err), said);
	else
		snprintf(why, whylen, "the kernel's verifier refused the programs (%s): %s",
			 errno_name(err), said);
}

static bool wants_files_object(const struct bpf_scan_options *o)
{
	return o->files || o->subreapers;
}

static bool wants_tasks_object(const struct bpf_scan_options *o)
{
	return o->tasks || o->maps;
}

/* Tests take libbpf's way on a kernel that allows the light one. */
static bool light_refused_for_tests(void)
{
	const char *v = getenv("FDSHARE_TEST_BPF_LOADER");
	return v && strcmp(v, "libbpf") == 0;
}

/* ---- the fd iterator's object ---- */

/* The -p filter's tables (pick.bpf.h) but its one-entry conf: a run that
 * does not narrow needs no room in them, and sized for -p they cost the
 * kernel megabytes to allocate and clear. */
static bool is_pick_table(const char *name)
{
	return strncmp(name, "pick_", 5) == 0 && strcmp(name, "pick_conf") != 0;
}

static bool needs_pick_tables(const struct bpf_scan_options *o)
{
	return o->files && o->pick;
}

/* One entry for each pick_ table when not narrowing (0 keeps the size the
 * object was built with). */
static void size_files_lskel_maps(struct fdshare_files_lskel *l, const struct bpf_scan_options *o)
{
	size_t i;

	for (i = 0; i < sizeof(files_light_maps) / sizeof(files_light_maps[0]); i++)
		if (is_pick_table(files_light_maps[i].name))
			files_light_map(l, i)->max_entries = needs_pick_tables(o) ? 0 : 1;
}

/* The light way: both programs are loaded (the skeleton cannot leave one
 * out; the subreaper program is small).  0, or -1 with errno. */
static int load_files_light(struct bpf_objects *b)
{
	struct fdshare_files_lskel *l = fdshare_files_lskel__open();
	int err;

	if (!l)
		return -1;
	l->rodata->with_paths = b->opt.paths;
	size_files_lskel_maps(l, &b->opt);
	err = fdshare_files_lskel__load(l);
	if (err) {
		fdshare_files_lskel__destroy(l);
		errno = err < 0 ? -err : EINVAL;
		return -1;
	}
	b->files_light = l;
	b->prog[BPF_PROG_FILES] = l->progs.files.prog_fd;
	b->prog[BPF_PROG_SUBREAPER] = l->progs.subreaper.prog_fd;
	return 0;
}

/* libbpf's way: only the programs asked for.  0, or -1 with errno. */
static int load_files_libbpf(struct bpf_objects *b)
{
	const struct bpf_scan_options *o = &b->opt;
	struct bpf_map *m;

	b->files = fdshare_files_bpf__open();
	if (!b->files)
		return -1;
	b->files_opened = true;
	b->files->rodata->with_paths = o->paths;
	bpf_program__set_autoload(b->files->progs.files, o->files);
	bpf_program__set_autoload(b->files->progs.subreaper, o->subreapers);
	if (!needs_pick_tables(o))
		bpf_object__for_each_map(m, b->files->obj)
			if (is_pick_table(bpf_map__name(m)))
				bpf_map__set_max_entries(m, 1);
	if (fdshare_files_bpf__load(b->files) < 0)
		return -1;
	b->prog[BPF_PROG_FILES] = bpf_program__fd(b->files->progs.files);
	b->prog[BPF_PROG_SUBREAPER] = bpf_program__fd(b->files->progs.subreaper);
	return 0;
}

static void load_files_side(void *arg)
{
	struct bpf_objects *b = arg;

	if (!wants_files_object(&b->opt))
		return;
	if (!light_refused_for_tests() && load_files_light(b) == 0)
		return;
	errno = 0;
	if (load_files_libbpf(b) < 0)
		b->files_err = errno ? errno : EINVAL;
}

/* ---- the process iterators' object ---- */

/* The light way: all three programs (the cmdline one needs a sleepable
 * task iterator, kernel 5.18: before, libbpf's way leaves it out).  0, or
 * -1 with errno. */
static int load_tasks_light(struct bpf_objects *b)
{
	struct fdshare_tasks_lskel *l = fdshare_tasks_lskel__open();
	int err;

	if (!l)
		return -1;
	err = fdshare_tasks_lskel__load(l);
	if (err) {
		fdshare_tasks_lskel__destroy(l);
		errno = err < 0 ? -err : EINVAL;
		return -1;
	}
	b->tasks_light = l;
	b->prog[BPF_PROG_TASKS] = l->progs.tasks.prog_fd;
	b->prog[BPF_PROG_CMDLINES] = l->progs.cmdlines.prog_fd;
	b->prog[BPF_PROG_VMAS] = l->progs.vmas.prog_fd;
	return 0;
}

/* libbpf's way, the cmdline program only with cmdlines.  0, or -1 with
 * errno. */
static int load_tasks_libbpf(struct bpf_objects *b, bool cmdlines)
{
	const struct bpf_scan_options *o = &b->opt;

	fdshare_tasks_bpf__destroy(b->tasks);
	b->tasks = fdshare_tasks_bpf__open();
	if (!b->tasks)
		return -1;
	b->tasks_opened = true;
	bpf_program__set_autoload(b->tasks->progs.tasks, o->tasks);
	bpf_program__set_autoload(b->tasks->progs.vmas, o->maps);
	bpf_program__set_autoload(b->tasks->progs.cmdlines, cmdlines);
	if (fdshare_tasks_bpf__load(b->tasks) < 0)
		return -1;
	b->prog[BPF_PROG_TASKS] = bpf_program__fd(b->tasks->progs.tasks);
	b->prog[BPF_PROG_CMDLINES] = cmdlines ? bpf_program__fd(b->tasks->progs.cmdlines) : -1;
	b->prog[BPF_PROG_VMAS] = bpf_program__fd(b->tasks->progs.vmas);
	return 0;
}

static void load_tasks_side(void *arg)
{
	struct bpf_objects *b = arg;
	const struct bpf_scan_options *o = &b->opt;

	if (!wants_tasks_object(o))
		return;
	if (!light_refused_for_tests() && load_tasks_light(b) == 0)
		return;
	/* a kernel without sleepable task iterators or bpf_copy_from_user_task
	 * (before 5.18) refuses the cmdline program: then the arguments are
	 * read from /proc instead */
	errno = 0;
	if (load_tasks_libbpf(b, o->tasks) < 0 && (!o->tasks || load_tasks_libbpf(b, false) < 0))
		b->tasks_err = errno ? errno : EINVAL;
}

/* ---- the whole ---- */

/* Forget the fds of programs o did not ask for (the light skeletons load
 * them all). */
static void keep_asked(struct bpf_objects *b)
{
	const struct bpf_scan_options *o = &b->opt;

	if (!o->files)
		b->prog[BPF_PROG_FILES] = -1;
	if (!o->subreapers)
		b->prog[BPF_PROG_SUBREAPER] = -1;
	if (!o->tasks) {
		b->prog[BPF_PROG_TASKS] = -1;
		b->prog[BPF_PROG_CMDLINES] = -1;
	}
	if (!o->maps)
		b->prog[BPF_PROG_VMAS] = -1;
}

void bpf_objects_close(struct bpf_objects *b)
{
	if (!b)
		return;
	fdshare_files_lskel__destroy(b->files_light);
	fdshare_tasks_lskel__destroy(b->tasks_light);
	fdshare_files_bpf__destroy(b->files);
	fdshare_tasks_bpf__destroy(b->tasks);
	free(b);
}

int bpf_objects_load(const struct bpf_scan_options *o, struct bpf_objects **out,
		     char *why, size_t whylen)
{
	struct bpf_objects *b = xcalloc(1, sizeof(*b));
	int i, err;
	bool opened;

	*out = NULL;
	why[0] = '\0';
	b->opt = *o;
	for (i = 0; i < BPF_PROG_COUNT; i++)
		b->prog[i] = -1;
	libbpf_said[0] = '\0';
	libbpf_set_print(keep_first_warning);
	if (wants_files_object(o) && wants_tasks_object(o) && parallel_threads(2) > 1)
		parallel_two(load_files_side, b, load_tasks_side, b);
	else {
		load_files_side(b);
		if (!b->files_err)
			load_tasks_side(b);
	}
	libbpf_set_print(NULL);
	if (b->files_err || b->tasks_err) {
		err = b->files_err ? b->files_err : b->tasks_err;
		opened = b->files_err ? b->files_opened : b->tasks_opened;
		if (!opened)
			snprintf(why, whylen, "libbpf could not open the embedded object (%s): %s",
				 errno_name(err), libbpf_said[0] ? libbpf_said : "no detail");
		else
			explain_load(err, why, whylen);
		bpf_objects_close(b);
		errno = err;
		return -1;
	}
	keep_asked(b);
	*out = b;
	return 0;
}

int bpf_objects_prog(const struct bpf_objects *b, enum bpf_prog_id id)
{
	return b && id < BPF_PROG_COUNT ? b->prog[id] : -1;
}

int bpf_objects_map_fd(const struct bpf_objects *b, const char *name)
{
	size_t i;

	if (!b || (!needs_pick_tables(&b->opt) && strncmp(name, "pick_", 5) == 0))
		return -1;
	if (b->files)
		return bpf_object__find_map_fd_by_name(b->files->obj, name);
	for (i = 0; b->files_light && i < sizeof(files_light_maps) / sizeof(files_light_maps[0]); i++)
		if (strcmp(files_light_maps[i].name, name) == 0)
			return files_light_map(b->files_light, i)->map_fd;
	return -1;
}

void bpf_objects_rewind_files(struct bpf_objects *b)
{
	if (b->files_light)
		b->files_light->bss->last_task = NULL;
	else if (b->files)
		b->files->bss->last_task = NULL;
}

void bpf_objects_rewind_vmas(struct bpf_objects *b)
{
	if (b->tasks_light)
		b->tasks_light->bss->vma_task = NULL;
	else if (b->tasks)
		b->tasks->bss->vma_task = NULL;
}

const char *bpf_objects_relocated_by(const struct bpf_objects *b)
{
	return b->files || b->tasks ? "libbpf" : "kernel";
}
