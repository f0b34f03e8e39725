/* test-seed.h: the seed's network as a model for unit tests: origin-a,
 * origin-b, relay-c, relay-d with the lab's captured settings, and captured
 * maillogs fed in through the real parser. Include after <cmocka.h> and
 * test-data.h, in one test file only per binary (it defines statics). */
#ifndef RELAYTOP_TEST_SEED_H
#define RELAYTOP_TEST_SEED_H

#include <stdio.h>
#include <string.h>

#include "event.h"
#include "model.h"
#include "postconf.h"

static struct host_config hc[4];
static struct inventory inv = { .hosts = hc, .n = 4 };

/* A captured file (tests/data/captured/name), whole. */
static char *
slurp(const char *name, size_t *len)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "captured/%s", name);
	return test_data_slurp(rel, len);
}

/* postconf output (buf, len) as h's settings. */
static void
load_settings_text(struct model *m, struct host *h, const char *buf,
    size_t len)
{
	struct pc_settings s = { NULL, 0 };
	char err[128];

	assert_true(postconf_parse(buf, len, &s, err, sizeof(err)) > 0);
	model_set_settings(m, h, &s);
	postconf_free(&s);
}

static void
load_settings(struct model *m, struct host *h, const char *file)
{
	size_t len;
	char *buf = slurp(file, &len);

	load_settings_text(m, h, buf, len);
	free(buf);
}

static void
load_log(struct model *m, struct host *h, const char *file)
{
	size_t len, i = 0;
	char *buf = slurp(file, &len);

	while (i < len) {
		char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;
		struct mail_event ev;

		if (maillog_parse_line(buf + i, end - i, 2026, &ev) == 0 &&
		    ev.kind != EV_NONE)
			model_add_event(m, h, &ev);
		i = end + 1;
	}
	free(buf);
}

static void
seed(struct model *m)
{
	static const char *const names[] = { "origin-a", "origin-b", "relay-c",
		"relay-d" };
	static const char *const addrs[] = { "172.16.10.5", "172.16.10.6",
		"172.16.1.11", "172.16.1.12" };
	int i;

	memset(hc, 0, sizeof(hc));
	for (i = 0; i < 4; i++) {
		snprintf(hc[i].name, sizeof(hc[i].name), "%s", names[i]);
		snprintf(hc[i].address, sizeof(hc[i].address), "%s", addrs[i]);
		hc[i].port = 22;
	}
	assert_int_equal(model_init(m, &inv, 0), 0);
	load_settings(m, &m->hosts[0], "origin-a.postconf-params.txt");
	load_settings(m, &m->hosts[1], "origin-a.postconf-params.txt");
	load_settings(m, &m->hosts[2], "relay-c.postconf-params.txt");
	load_settings(m, &m->hosts[3], "relay-c.postconf-params.txt");
}

#endif
