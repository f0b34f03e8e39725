/* test-probe-fixture.h: what the probe unit tests share: one host
 * (origin-a) in a model, its probe, and answers fed to it as finished runs
 * with the fixed token TOK (H: a section header, BEGIN: the first line).
 * Include after <cmocka.h>. */
#ifndef RELAYTOP_TEST_PROBE_FIXTURE_H
#define RELAYTOP_TEST_PROBE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "probe.h"
#include "probe-host.h"

#define TOK	"0123456789abcdef0123456789abcdef"
#define RTOK	"00112233445566778899aabb"
#define H	"\n@@RT-" TOK RTOK " "
#define BEGIN	"@@RT-" TOK " begin " RTOK "\n"

static struct host_config hc[1];
static struct inventory inv = { .hosts = hc, .n = 1 };

struct fx {
	struct model m;
	struct probe *p;
};

static inline int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	probe_host_set(&hc[0]);
	if (f == NULL || model_init(&f->m, &inv, 0) != 0)
		return -1;
	f->p = probe_new(&f->m, &f->m.hosts[0]);
	*state = f;
	return f->p ? 0 : -1;
}

static inline int
teardown(void **state)
{
	struct fx *f = *state;

	probe_free(f->p);
	model_free(&f->m);
	free(f);
	return 0;
}

static inline void
feed(struct fx *f, const char *out, size_t len)
{
	struct sshc_result r;

	memset(&r, 0, sizeof(r));
	r.out = out;
	r.out_len = len;
	r.err = "";
	r.elapsed_ms = 42;
	probe_feed(f->p, TOK, &r);
	assert_false(probe_running(f->p));
}

static inline void
feed_str(struct fx *f, const char *out)
{
	feed(f, out, strlen(out));
}

#endif
