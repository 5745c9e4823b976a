/* unit_holds.c - the pure parts behind "who keeps it busy" and "leaks in
 * progress": /proc/PID/maps lines, mountinfo mount points, matching a held
 * file against a PATH query, and the steadiness verdict of a count series. */
#include "check.h"
#include "scan/parse_maps.h"
#include "scan/pathq.h"
#include "model/trend.h"

#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

static int maps(const char *line, struct maps_entry *e)
{
	return parse_maps_line(line, strlen(line), e);
}

static void test_maps(void)
{
	static const char nul_perms[] = "7f00-7f01 r\0xp 00000000 00:01 1 /x";
	struct maps_entry e;
	const char *lib = "7f33a5e5d000-7f33a5e5e000 r-xp 00002000 fe:00 10953553                   /usr/lib/x86_64-linux-gnu/libc.so.6";
	const char *del = "555b0f87d000-555b0f882000 r-xp 00002000 fe:00 10953537                   /tmp/a b/sleep-old (deleted)";

	CHECK(maps(lib, &e) == 0, "maps: a library line parses");
	CHECK(e.start == 0x7f33a5e5d000ULL && e.end == 0x7f33a5e5e000ULL && e.offset == 0x2000,
	      "maps: start, end and offset are hex");
	CHECK(e.major == 0xfe && e.minor == 0 && e.ino == 10953553, "maps: device fe:00 and decimal inode");
	CHECK(e.path_len == strlen("/usr/lib/x86_64-linux-gnu/libc.so.6") &&
	      memcmp(e.path, "/usr/lib/x86_64-linux-gnu/libc.so.6", e.path_len) == 0, "maps: the path after the padding");
	CHECK(maps_is_private_text(&e), "maps: r-xp is private code");
	CHECK(maps(del, &e) == 0 && e.path_len == strlen("/tmp/a b/sleep-old (deleted)"),
	      "maps: a path with a space and ' (deleted)' is kept whole");
	CHECK(maps("7ffd1000-7ffd2000 rw-p 00000000 00:00 0                          [stack]", &e) == 0 &&
	      e.ino == 0 && e.path[0] == '[', "maps: a pseudo path parses with inode 0");
	CHECK(maps("7ffd1000-7ffd2000 rw-p 00000000 00:00 0", &e) == 0 && e.path_len == 0,
	      "maps: an anonymous mapping has no path");
	CHECK(maps("7f00-7f01 rw-s 00000000 00:01 1234 /dev/zero (deleted)", &e) == 0 &&
	      !maps_is_private_text(&e), "maps: a shared mapping is not private code");
	CHECK(maps("7f00-7f01 r-xs 00000000 00:01 1234 /memfd:jit (deleted)", &e) == 0 &&
	      !maps_is_private_text(&e), "maps: r-xs (shared) is not private code");
	CHECK(maps("7f00-7f01 rwxp 00000000 00:01 1234 /x", &e) == 0 && !maps_is_private_text(&e),
	      "maps: a writable mapping is not private code");
	CHECK(maps("7f00-7f01 r-xp 00000000 00:01 12a4 /x", &e) == -1, "maps: a non-decimal inode is refused");
	CHECK(maps("7g00-7f01 r-xp 00000000 00:01 1 /x", &e) == -1, "maps: a bad hex digit is refused");
	CHECK(maps("7f00-7f01 r-xp 00000000 0001 1 /x", &e) == -1, "maps: a device without ':' is refused");
	CHECK(maps("7f00-7f01 r-x", &e) == -1, "maps: a cut line is refused");
	CHECK(parse_maps_line(nul_perms, sizeof(nul_perms) - 1, &e) == -1 &&
	      maps("7f00-7f01 rwxq 00000000 00:01 1 /x", &e) == -1,
	      "maps: a permission field other than [r-][w-][x-][sp] is refused");
	CHECK(maps("", &e) == -1, "maps: an empty line is refused");
	CHECK(maps("10000000000000000-1 r-xp 0 0:0 1 /x", &e) == -1, "maps: an address over 64 bits is refused");
	CHECK(maps("1-2 r-xp 0 1000:0 1 /x", &e) == -1, "maps: a major over 12 bits is refused");
}

static void test_mountinfo_point(void)
{
	char buf[64];
	const char *l = "36 35 98:0 /mnt1 /mnt/my\\040disk rw,noatime master:1 - ext3 /dev/root rw";

	CHECK(parse_mountinfo_point(l, strlen(l), buf, sizeof(buf)) == 12, "mountinfo: the point's length");
	CHECK_STR(buf, "/mnt/my disk", "mountinfo: \\040 is a space");
	CHECK(parse_mountinfo_point(l, strlen(l), buf, 8) == -1, "mountinfo: a point too long for the buffer is refused");
	CHECK(parse_mountinfo_point("36 35 98:0", 10, buf, sizeof(buf)) == -1, "mountinfo: a cut line is refused");
}

static struct held_file held(dev_t dev, unsigned long long ino, const char *path)
{
	struct held_file h = { true, true, dev, ino, path, path ? strlen(path) : 0 };
	return h;
}

static void test_match(void)
{
	struct path_query file = { .kind = PQ_FILE, .dev = makedev(8, 1), .ino = 42, .canon = "/srv/a.log" };
	struct path_query dir = { .kind = PQ_DIR, .dev = makedev(8, 1), .ino = 7, .canon = "/srv/data" };
	struct path_query mnt = { .kind = PQ_MOUNT, .dev = makedev(0, 55), .ino = 1, .canon = "/mnt" };
	struct path_query name = { .kind = PQ_NAME, .canon = "/net/dead" };
	struct held_file h;

	file.canon_len = strlen(file.canon);
	dir.canon_len = strlen(dir.canon);
	mnt.canon_len = strlen(mnt.canon);
	name.canon_len = strlen(name.canon);
	h = held(makedev(8, 1), 42, "/elsewhere/hardlink");
	CHECK(pathq_match(&file, &h), "file: the same device and inode match, whatever the name");
	h = held(makedev(8, 2), 42, "/srv/a.log");
	CHECK(!pathq_match(&file, &h), "file: the same inode on another device does not");
	h = held(makedev(8, 1), 0, "/srv/a.log");
	h.have_ino = false;
	CHECK(pathq_match(&file, &h), "file: a remote file without inode matches by name on its device");
	h.dev = makedev(8, 9);
	CHECK(!pathq_match(&file, &h), "file: ... but not on another device");
	h = held(makedev(8, 1), 99, "/srv/data/x/y.db");
	CHECK(pathq_match(&dir, &h), "dir: a file under it matches");
	h = held(makedev(8, 1), 7, "/srv/data");
	CHECK(pathq_match(&dir, &h), "dir: the directory itself matches");
	h = held(makedev(8, 1), 98, "/srv/data-old/y.db");
	CHECK(!pathq_match(&dir, &h), "dir: a sibling whose name begins the same does not");
	h = held(makedev(8, 1), 97, "/srv/data/gone (deleted)");
	CHECK(pathq_match(&dir, &h), "dir: a deleted file under it matches");
	h = held(makedev(0, 55), 1234, "/other/bind/of/it");
	CHECK(pathq_match(&mnt, &h), "mount: any file of its device matches");
	h = held(makedev(8, 1), 1234, "/mnt/under/but/another/fs");
	CHECK(!pathq_match(&mnt, &h), "mount: a file of another device below it does not");
	h = held(0, 0, "/net/dead/file");
	h.have_dev = h.have_ino = false;
	CHECK(pathq_match(&name, &h), "name: a path under it matches");
	h.path = "/net/deadline";
	h.path_len = strlen(h.path);
	CHECK(!pathq_match(&name, &h), "name: a longer name does not");
	file.err = 2;
	h = held(makedev(8, 1), 42, "/srv/a.log");
	CHECK(!pathq_match(&file, &h), "a query that failed matches nothing");
}

static void test_lexical(void)
{
	static const struct { const char *cwd, *arg, *want; } t[] = {
		{ NULL, "/net/dead/file", "/net/dead/file" },
		{ "/home/me", "data/x", "/home/me/data/x" },
		{ "/home/me", "/a/./b/../c/", "/a/c" },
		{ "/home/me", "../../../..", "/" },
		{ "/", ".", "/" },
		{ "/srv", "a//b///c", "/srv/a/b/c" },
		{ "/srv", "..x/.y", "/srv/..x/.y" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *got = pathq_lexical_absolute(t[i].cwd, t[i].arg);
		char what[128];
		snprintf(what, sizeof(what), "lexical: %s + %s", t[i].cwd ? t[i].cwd : "(none)", t[i].arg);
		CHECK_STR(got, t[i].want, what);
		free(got);
	}
}

/* Judge the series v (n counts, -1 unknown) taken 0.2 s apart. */
static struct trend_proc judge(const long *v, size_t n, unsigned long long limit)
{
	static double at[64];
	struct trend_proc tp;
	size_t i;

	memset(&tp, 0, sizeof(tp));
	tp.samples = (long *)v;
	tp.in_first = tp.in_last = true;
	tp.have_limit = limit > 0;
	tp.limit = limit;
	tp.seconds_to_limit = -1;
	for (i = 0; i < n; i++)
		at[i] = 0.2 * (double)i;
	trend_judge(&tp, at, n);
	return tp;
}

static void test_steady(void)
{
	static const long leak[] = { 5, 9, 13, 17, 21, 25, 29, 33, 37, 41, 45 };
	static const long flicker[] = { 5, 5, 6, 5, 5, 5, 6, 5, 5, 5, 6 };
	static const long batch[] = { 5, 5, 5, 5, 45, 45, 45, 45, 45, 45, 45 };
	static const long noisy[] = { 5, 9, 13, 12, 21, 25, 29, 33, 37, 41, 45 };
	static const long gaps[] = { 5, -1, 13, 17, -1, 25, 29, 33, 37, 41, 45 };
	static const long slow[] = { 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 7 };
	struct trend_proc tp;

	tp = judge(leak, 11, 4096);
	CHECK(tp.steady && tp.before == 5 && tp.after == 45 && tp.rises == 10 && tp.steps == 10,
	      "steady: +4 every sample is steady");
	CHECK(tp.rate > 19.99 && tp.rate < 20.01, "steady: 40 fds in 2 s is 20 a second");
	CHECK(tp.seconds_to_limit > (4096 - 45) / 20.0 - 0.01 && tp.seconds_to_limit < (4096 - 45) / 20.0 + 0.01,
	      "steady: time to the limit at that rate");
	tp = judge(flicker, 11, 4096);
	CHECK(!tp.steady, "steady: opening and closing as many is not");
	tp = judge(batch, 11, 4096);
	CHECK(!tp.steady && tp.after - tp.before == 40, "steady: a batch opened in one step is growth, not steady");
	tp = judge(noisy, 11, 4096);
	CHECK(tp.steady && tp.falls == 1, "steady: one fall in ten steps is tolerated");
	tp = judge(gaps, 11, 0);
	CHECK(tp.steady && tp.steps == 8 && tp.seconds_to_limit < 0,
	      "steady: unknown samples are skipped; no limit, no time to it");
	tp = judge(slow, 11, 4096);
	CHECK(!tp.steady, "steady: rising in 2 of 10 steps is too slow to call");
	tp = judge(leak, 11, 40);
	CHECK(tp.seconds_to_limit == 0, "steady: past the limit already: 0 s left");
}

int main(void)
{
	test_maps();
	test_mountinfo_point();
	test_match();
	test_lexical();
	test_steady();
	return check_done();
}
