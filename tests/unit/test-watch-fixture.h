/* test-watch-fixture.h: what the watch-layer unit tests share: a two-host
 * inventory (origin-a, relay-c) and a watch over it, built without a
 * network (no session connects before watch_run). Include after
 * <cmocka.h>. */
#ifndef RELAYTOP_TEST_WATCH_FIXTURE_H
#define RELAYTOP_TEST_WATCH_FIXTURE_H

#include "config.h"
#include "watch.h"

/* Loads the inventory into *inv and returns a watch over it. */
static inline struct watch *
watch_fixture_open(struct inventory *inv)
{
	static const char ini[] =
	    "[defaults]\nuser = relayop\n"
	    "[origin-a]\naddress = 172.16.10.5\nrole = origin\n"
	    "[relay-c]\naddress = 172.16.1.11\nrole = relay\n";
	struct watch *w;
	char err[200];

	assert_int_equal(config_load_string(ini, "t.ini", inv, err,
	    sizeof(err)), 0);
	assert_non_null(w = watch_new(inv, 1, 0));
	return w;
}

static inline void
watch_fixture_close(struct inventory *inv, struct watch *w)
{
	watch_free(w);
	config_free(inv);
}

#endif
