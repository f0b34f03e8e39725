/* fuzz-probe.c: libFuzzer harness for a finished probe: arbitrary bytes as
 * the remote script's output go through section splitting, the parsers and
 * the model (probe_feed), twice, so the log cursor's second-refresh paths run
 * too. Seeds: real probe output captured on the lab (tests/data/probe/),
 * one-shot and the resident's "same" answers. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "probe.h"
#include "../unit/probe-host.h"

#define TOK	"0123456789abcdef0123456789abcdef"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct host_config hc[1];
	struct inventory inv = { .hosts = hc, .n = 1 };
	struct sshc_result r;
	struct model m;
	struct probe *p;
	char *buf;
	int pass;

	probe_host_set(&hc[0]);
	if (model_init(&m, &inv, 64) != 0)
		return 0;
	p = probe_new(&m, &m.hosts[0]);
	/* The session hands over NUL-terminated output. */
	buf = malloc(size + 1);
	if (p != NULL && buf != NULL) {
		memcpy(buf, data, size);
		buf[size] = '\0';
		for (pass = 0; pass < 2; pass++) {
			memset(&r, 0, sizeof(r));
			r.out = buf;
			r.out_len = size;
			r.err = "";
			r.exit_status = 0;
			probe_feed(p, TOK, &r);
		}
	}
	free(buf);
	probe_free(p);
	model_free(&m);
	return 0;
}
