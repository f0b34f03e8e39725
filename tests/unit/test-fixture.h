/* test-fixture.h: the fixture several unit tests share: an inventory from
 * hosts.ini text and a model over it, for cmocka setup/teardown. Include
 * after <cmocka.h>. */
#ifndef RELAYTOP_TEST_FIXTURE_H
#define RELAYTOP_TEST_FIXTURE_H

#include <stdlib.h>

#include "config.h"
#include "model.h"

struct fx {
	struct inventory inv;
	struct model m;
};

/* Loads ini into a new fixture with rings of ring events into *state. */
static inline struct fx *
fx_open(void **state, const char *ini, size_t ring)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[200];

	assert_non_null(f);
	assert_int_equal(config_load_string(ini, "t.ini", &f->inv, err,
	    sizeof(err)), 0);
	assert_int_equal(model_init(&f->m, &f->inv, ring), 0);
	*state = f;
	return f;
}

static inline int
fx_teardown(void **state)
{
	struct fx *f = *state;

	model_free(&f->m);
	config_free(&f->inv);
	free(f);
	return 0;
}

#endif
