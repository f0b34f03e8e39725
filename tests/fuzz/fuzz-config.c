/* fuzz-config.c: libFuzzer harness for the hosts.ini loader. Any input must
 * either load into an inventory whose every value passes the validators and
 * whose jump chains end, or fail with one line naming the file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "shquote.h"

static void
check_host(const struct inventory *inv, size_t i)
{
	const struct host_config *h = &inv->hosts[i];
	int j, steps = 0;

	if (!valid_host_name(h->name) || !valid_hostname_or_addr(h->address) ||
	    !valid_user(h->user) || h->port < 1 || h->port > 65535 ||
	    (h->identity[0] != '\0' && !valid_path(h->identity)) ||
	    !valid_path(h->known_hosts) ||
	    (h->global_known_hosts[0] != '\0' &&
	    !valid_path(h->global_known_hosts)) ||
	    (strcmp(h->maillog, "auto") != 0 &&
	    strcmp(h->maillog, "journal") != 0 && !valid_path(h->maillog)) ||
	    (h->postfix_config[0] != '\0' && !valid_path(h->postfix_config)) ||
	    (h->test_to[0] != '\0' && !valid_email(h->test_to)) ||
	    h->refresh_s < 1 || h->refresh_s > 3600 ||
	    h->timeout_s < 1 || h->timeout_s > 300)
		abort();
	if ((h->jump[0] == '\0') != (h->jump_index < 0))
		abort();
	for (j = h->jump_index; j >= 0; j = inv->hosts[j].jump_index) {
		if ((size_t)j >= inv->n || j == (int)i || ++steps > 1000)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inventory inv;
	char err[1024], *text;
	size_t i;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (config_load_string(text, "fuzz.ini", &inv, err, sizeof(err)) == 0) {
		if (inv.n == 0 || inv.n > 1000)
			abort();
		for (i = 0; i < inv.n; i++)
			check_host(&inv, i);
		config_free(&inv);
	} else {
		if (strncmp(err, "fuzz.ini:", 9) != 0 ||
		    strchr(err, '\n') != NULL || inv.n != 0 ||
		    inv.hosts != NULL)
			abort();
	}
	free(text);
	return 0;
}
