/* json_speed.c - how fast the JSON writer (src/base/json.c) writes a document
 * shaped like `fdshare --json` on a big machine.
 *
 * Not a test: bench/run builds and runs it (bench/run --json-speed), or by hand:
 *   gcc -O2 -Isrc -o bench/out/json_speed bench/json_speed.c \
 *       src/base/json.c src/base/escape.c src/base/util.c
 *   bench/out/json_speed [-n FDS] [-r RUNS] [--pretty] [-o FILE]
 *
 * The document has FDS fds (default 100,000) in processes of 100 fds each, each
 * fd an object with the keys and kinds of value fdshare writes (paths, pipe and
 * socket names, flag lists, integers of every size, nulls, booleans), one in a
 * hundred names holding bytes that need escaping or are not UTF-8, then one
 * open file description per two fds with its holders.  The document is the
 * same byte for byte on every run, so `-o FILE` before and after a change of
 * the writer shows whether its output changed.  Prints bytes written and the
 * median throughput of RUNS runs (default 5) in MB/s (10^6 bytes/s), each run
 * timed from json_new() to json_free() (the final flush included), by the wall
 * clock and by the process's CPU time (steadier on a busy machine). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/json.h"

static const char *const kinds[] = { "reg", "pipe", "sock", "chr", "dir", "anon", "eventfd", "epoll" };
static const char *const comms[] = { "nginx", "postgres", "bash", "systemd-journal", "sshd", "java" };

static double now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A target of the kind of fd i, as /proc shows it; now and then hostile bytes. */
static size_t target(char *buf, size_t cap, unsigned long i, unsigned long ino)
{
	switch (i % 8) {
	case 1: return (size_t)snprintf(buf, cap, "pipe:[%lu]", ino);
	case 2: return (size_t)snprintf(buf, cap, "socket:[%lu]", ino);
	case 3: return (size_t)snprintf(buf, cap, "/dev/null");
	case 5: return (size_t)snprintf(buf, cap, "anon_inode:[eventpoll]");
	}
	if (i % 97 == 0)   /* a name with a newline, a quote and an invalid byte */
		return (size_t)snprintf(buf, cap, "/srv/upload/in\nbox \"%lu\" \xff.tmp", i);
	if (i % 89 == 0)   /* valid UTF-8 beyond ASCII */
		return (size_t)snprintf(buf, cap, "/home/j\xc3\xb6rg/caf\xc3\xa9-%lu.txt", i);
	return (size_t)snprintf(buf, cap, "/var/lib/postgresql/15/main/base/16384/%lu", ino % 100000);
}

/* The targets, made before the clock starts: the caller's snprintf is not the
 * writer's time. */
static char (*targets)[96];
static size_t *target_lens;

static unsigned long ino_of(unsigned long i)
{
	return 1000000 + i * 7919 % 9000000;
}

static void write_fd(struct json *j, unsigned long i, unsigned long fd)
{
	static const char *const flag_names[] = { "O_APPEND", "O_NONBLOCK", "O_LARGEFILE" };
	unsigned long ino = ino_of(i);
	const char *buf = targets[i];
	size_t n = target_lens[i], k;

	json_object_begin(j);
	json_kv_uint(j, "fd", fd);
	json_kv_string(j, "type", kinds[i % 8]);
	json_kv_bytes(j, "target", buf, n);
	json_kv_string(j, "mode", i % 3 ? "rw" : "r");
	json_kv_uint(j, "pos", i % 5 ? 0 : i * 4096 + 17);
	json_key(j, "flags");
	json_array_begin(j);
	for (k = 0; k < i % 4; k++)
		json_string(j, flag_names[k]);
	json_array_end(j);
	json_kv_string(j, "flags_octal", i % 2 ? "02100002" : "0100000");
	json_kv_bool(j, "cloexec", i % 2);
	json_kv_uint(j, "mnt_id", 20 + i % 40);
	json_kv_uint(j, "ino", ino);
	json_kv_uint(j, "ofd", i / 2 + 1);
	json_kv_bool(j, "ofd_verified", true);
	json_kv_bool(j, "shared", i % 3 == 0);
	json_key(j, "endpoints");
	if (i % 8 == 1 || i % 8 == 2) {
		json_array_begin(j);
		json_object_begin(j);
		json_kv_int(j, "pid", (long long)(1000 + i / 100));
		json_kv_int(j, "fd", (long long)(fd ^ 1));
		json_kv_string(j, "comm", comms[i % 6]);
		json_object_end(j);
		json_array_end(j);
	} else {
		json_null(j);
	}
	json_kv_null(j, "endpoint_error");
	json_key(j, "locks");
	json_array_begin(j);
	json_array_end(j);
	json_kv_bool(j, "deleted", false);
	if (i % 8 == 0 || i % 8 == 4) {
		json_kv_int(j, "size", (long long)(i * 8192 % 1000000007));
		json_kv_string(j, "dev", "254:1");
	} else {
		json_kv_null(j, "size");
		json_kv_null(j, "dev");
	}
	json_kv_null(j, "stat_skipped");
	json_kv_null(j, "error");
	json_object_end(j);
}

static void write_document(struct json *j, unsigned long nfds)
{
	static const char *const argv[] = { "/usr/sbin/nginx", "-g", "daemon off;" };
	unsigned long i, p, k;

	json_object_begin(j);
	json_kv_int(j, "schema", 1);
	json_kv_string(j, "version", "0.1.0");
	json_key(j, "processes");
	json_array_begin(j);
	for (i = 0, p = 0; i < nfds; p++) {
		json_object_begin(j);
		json_kv_int(j, "pid", (long long)(1000 + p));
		json_kv_int(j, "ppid", 1);
		json_kv_bytes(j, "comm", comms[p % 6], strlen(comms[p % 6]));
		json_key(j, "cmdline");
		json_array_begin(j);
		for (k = 0; k < 3; k++)
			json_string(j, argv[k]);
		json_array_end(j);
		json_kv_string(j, "state", "S");
		json_kv_int(j, "uid", 33);
		json_kv_string(j, "user", "www-data");
		json_kv_int(j, "start_time", (long long)(123456 + p));
		json_key(j, "fds");
		json_array_begin(j);
		for (k = 0; k < 100 && i < nfds; k++, i++)
			write_fd(j, i, k);
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	json_key(j, "ofds");
	json_array_begin(j);
	for (i = 0; i < nfds / 2; i++) {
		json_object_begin(j);
		json_kv_uint(j, "id", i + 1);
		json_kv_bool(j, "verified", true);
		json_kv_null(j, "unverified_reason");
		json_kv_string(j, "type", kinds[(2 * i) % 8]);
		json_kv_string(j, "mode", "rw");
		json_kv_uint(j, "pos", 0);
		json_kv_uint(j, "processes", 1 + i % 3);
		json_key(j, "holders");
		json_array_begin(j);
		for (k = 0; k < 1 + i % 3; k++) {
			json_object_begin(j);
			json_kv_int(j, "pid", (long long)(1000 + (2 * i + k) / 100));
			json_kv_int(j, "fd", (long long)((2 * i) % 100));
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned long nfds = 100000, runs = 5, r;
	const char *path = "/dev/null";
	bool pretty = false;
	double *secs, *cpu;
	long bytes = 0;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc)
			nfds = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-r") && i + 1 < argc)
			runs = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--pretty"))
			pretty = true;
		else {
			fprintf(stderr, "usage: json_speed [-n FDS] [-r RUNS] [--pretty] [-o FILE]\n");
			return 2;
		}
	}
	if (runs == 0 || nfds == 0) {
		fprintf(stderr, "json_speed: -n and -r take positive numbers\n");
		return 2;
	}
	secs = calloc(runs, sizeof(*secs));
	cpu = calloc(runs, sizeof(*cpu));
	targets = calloc(nfds, sizeof(*targets));
	target_lens = calloc(nfds, sizeof(*target_lens));
	if (secs == NULL || cpu == NULL || targets == NULL || target_lens == NULL) {
		perror("json_speed");
		return 1;
	}
	for (r = 0; r < nfds; r++)
		target_lens[r] = target(targets[r], sizeof(targets[r]), r, ino_of(r));
	for (r = 0; r < runs; r++) {
		FILE *out = fopen(path, "w");
		struct json *j;
		double t0, c0;

		if (out == NULL) {
			perror(path);
			return 1;
		}
		t0 = now(CLOCK_MONOTONIC);
		c0 = now(CLOCK_PROCESS_CPUTIME_ID);
		j = json_new(out, pretty);
		write_document(j, nfds);
		if (json_free(j) != 0) {
			fprintf(stderr, "json_speed: the writer reported an error\n");
			return 1;
		}
		secs[r] = now(CLOCK_MONOTONIC) - t0;
		cpu[r] = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
		/* /dev/null does not count: count what the writer wrote */
		if (r == 0) {
			char *mem = NULL;
			size_t len = 0;
			FILE *m = open_memstream(&mem, &len);

			j = json_new(m, pretty);
			write_document(j, nfds);
			json_free(j);
			fclose(m);
			bytes = (long)len;
			free(mem);
		}
		fclose(out);
	}
	qsort(secs, runs, sizeof(*secs), cmp_double);
	qsort(cpu, runs, sizeof(*cpu), cmp_double);
	printf("%lu fds, %ld bytes%s: wall median %.1f ms (%.1f-%.1f) = %.0f MB/s;"
	       " CPU median %.1f ms (%.1f-%.1f) = %.0f MB/s\n", nfds, bytes, pretty ? " (pretty)" : "",
	       secs[runs / 2] * 1e3, secs[0] * 1e3, secs[runs - 1] * 1e3,
	       (double)bytes / secs[runs / 2] / 1e6, cpu[runs / 2] * 1e3, cpu[0] * 1e3,
	       cpu[runs - 1] * 1e3, (double)bytes / cpu[runs / 2] / 1e6);
	free(secs);
	free(cpu);
	free(targets);
	free(target_lens);
	return 0;
}
