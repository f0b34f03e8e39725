/* fuzz-postmulti.c: libFuzzer harness for the postmulti -l parser: every
 * instance it keeps must have a name, directory and syslog_name that pass
 * their allowlists (they go into hosts' names and remote commands). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "postmulti.h"
#include "shquote.h"

#define NAME_CH	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct host_instance v[HOST_INSTANCES_MAX];
	char *copy = malloc(size ? size : 1);
	int n, i;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	n = postmulti_parse(copy, size, v, HOST_INSTANCES_MAX);
	if (n < 0 || n > HOST_INSTANCES_MAX)
		abort();
	for (i = 0; i < n; i++) {
		const struct host_instance *in = &v[i];

		if (in->name[0] == '\0' || strcmp(in->name, "-") == 0 ||
		    strspn(in->name, NAME_CH) != strlen(in->name) ||
		    !valid_path(in->config_dir) ||
		    in->syslog_name[0] == '\0' ||
		    strspn(in->syslog_name, NAME_CH "/") !=
		    strlen(in->syslog_name) ||
		    (in->enabled != 0 && in->enabled != 1))
			abort();
	}
	free(copy);
	return 0;
}
