/* fuzz-postconf.c: libFuzzer harness for the postconf parser: parse, mark
 * explicit from the same bytes, look names up, split every value as a
 * Postfix list; every kept value must be sanitised text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "postconf.h"
#include "sanitize.h"

static void
item(const char *p, size_t n, void *arg)
{
	size_t *total = arg;

	if (n == 0)
		abort();
	*total += n + (size_t)(p[0] == '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pc_settings s = { NULL, 0 };
	char err[128];
	size_t i, total = 0;
	char *copy = malloc(size ? size : 1);

	memcpy(copy, data, size);
	if (postconf_parse(copy, size, &s, err, sizeof err) >= 0) {
		postconf_mark_explicit(&s, copy, size);
		if (s.n > PC_MAX)
			abort();
		for (i = 0; i < s.n; i++) {
			const char *v = s.v[i].value;

			if (strlen(v) >= PC_VALUE_MAX ||
			    !sanitize_is_clean(v, strlen(v)) ||
			    postconf_get(&s, s.v[i].name) == NULL)
				abort();
			(void)postconf_list_each(v, item, &total);
		}
	}
	postconf_free(&s);
	free(copy);
	return 0;
}
