/* replay.c - run a fuzz harness over the inputs kept for it, without
 * libFuzzer, in the ordinary (gcc) and ASan builds of the test suite.
 *
 *   unit_fuzz_NAME [FILE|DIR...]
 *
 * With no argument, every file in fixtures/fuzz/NAME/ (NAME from the
 * program's own name): its seeds and every input that once made it crash.
 * One "pass:" line per input; a failed property aborts (so the suite counts
 * the crash as a failure). */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		printf("fail: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	do {
		if (len == cap) {
			cap = cap ? 2 * cap : 4096;
			data = realloc(data, cap);
			if (!data)
				abort();
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	/* an exact-size copy: ASan sees any read past the input */
	{
		unsigned char *exact = malloc(len ? len : 1);
		if (!exact)
			abort();
		memcpy(exact, data, len);
		free(data);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	printf("pass: %s (%zu bytes) replayed, every property held\n", path, len);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL, path[4096];
	size_t n = 0, i;
	int failed = 0;

	if (!d) {
		printf("fail: cannot list %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		if (!names || !(names[n] = strdup(e->d_name)))
			abort();
		n++;
	}
	closedir(d);
	if (n == 0) {
		printf("fail: %s holds no input\n", dir);
		return 1;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		failed |= replay_file(path);
		free(names[i]);
	}
	free(names);
	return failed;
}

static int replay(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return replay_dir(path);
	return replay_file(path);
}

int main(int argc, char **argv)
{
	const char *self = strrchr(argv[0], '/'), *name;
	char dir[512];
	int i, failed = 0;

	self = self ? self + 1 : argv[0];
	name = strncmp(self, "unit_fuzz_", 10) == 0 ? self + 10 : self;
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			failed |= replay(argv[i]);
		return failed;
	}
	snprintf(dir, sizeof(dir), "fixtures/fuzz/%s", name);
	return replay_dir(dir);
}
