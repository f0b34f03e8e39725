/* fuzz-web-config.c: libFuzzer harness for the --web-config parser: any
 * text is parsed or refused with FILE:LINE, and what it keeps holds: both
 * TLS files or neither, users within bounds, each a bcrypt hash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web-config.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_config c;
	char err[256], *text = malloc(size + 1);
	size_t i;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';	/* a NUL inside ends the text, as a file read refuses it */
	if (web_config_parse(text, "f.yml", &c, err, sizeof(err)) == 0) {
		if ((c.cert_file[0] == '\0') != (c.key_file[0] == '\0') ||
		    c.nusers > WEB_USERS_MAX)
			abort();
		for (i = 0; i < c.nusers; i++)
			if (strlen(c.users[i].hash) != 60 ||
			    c.users[i].hash[0] != '$' || c.users[i].name[0] == '\0')
				abort();
	} else if (strncmp(err, "f.yml:", 6) != 0)
		abort();
	free(text);
	return 0;
}
