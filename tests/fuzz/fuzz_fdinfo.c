/* fuzz_fdinfo.c - parse_fdinfo (/proc/PID/fdinfo/N): the arrays it
 * allocates hold what it counted, and fdinfo_free releases them. */
#include "fuzz.h"
#include "scan/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	struct fdinfo fi;
	size_t i;

	if (parse_fdinfo(s, size, &fi) == 0) {
		FUZZ_ASSERT(fi.have_basic);
		FUZZ_ASSERT(fi.d.nwatches <= (size_t)(fi.d.inotify_watches < 0 ? 0 : fi.d.inotify_watches));
		FUZZ_ASSERT(fi.d.ntargets == 0 || fi.d.targets != NULL);
		FUZZ_ASSERT(fi.d.nwatches == 0 || fi.d.watches != NULL);
		for (i = 0; i < fi.d.ntargets; i++)
			FUZZ_ASSERT(fi.d.targets[i].tfd >= 0);
		FUZZ_ASSERT(fi.d.nlocks >= 0);
	}
	fdinfo_free(&fi);
	free(s);
	return 0;
}
