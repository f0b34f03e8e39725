/* test-watch.c: the watch layer without a network (no session connects
 * before watch_run): the host-state rules every front end shares (what a
 * retry will not mend, the connection grace and its shorter form for a
 * refused or unroutable host), topology and findings derived in one place
 * when the model changes, and the port-25 test's results kept for the
 * findings when no origin session is ready, or none under read-only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "postconf.h"
#include "watch.h"
#include "test-watch-fixture.h"

struct fx {
	struct inventory inv;
	struct watch *w;
};

static int
fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->w = watch_fixture_open(&f->inv);
	*state = f;
	return 0;
}

static int
fx_teardown(void **state)
{
	struct fx *f = *state;

	watch_fixture_close(&f->inv, f->w);
	free(f);
	return 0;
}

static void
test_host_rules(void **state)
{
	struct fx *f = *state;
	struct model *m = watch_model(f->w);
	struct host *h = &m->hosts[0];
	int64_t t0 = 1000000;

	assert_int_equal(watch_host_ready(f->w, 0), 0);
	/* a new host: the whole grace */
	assert_int_equal(watch_host_given_up(f->w, 0, t0, t0 + 29999), 0);
	assert_int_equal(watch_host_given_up(f->w, 0, t0, t0 +
	    WATCH_CONNECT_GRACE_S * 1000), 1);
	/* refused or no route: the short grace */
	model_set_conn(m, h, HC_UNREACHABLE, "connection refused");
	assert_int_equal(watch_host_hopeless(h), 0);
	assert_int_equal(watch_host_given_up(f->w, 0, t0, t0 + 9999), 0);
	assert_int_equal(watch_host_given_up(f->w, 0, t0, t0 +
	    WATCH_UNREACHABLE_S * 1000), 1);
	/* a changed key or a refused login: at once, after an attempt */
	model_set_conn(m, h, HC_HOSTKEY_CHANGED, "key changed");
	assert_int_equal(watch_host_hopeless(h), 1);
	h->last_attempt = 0;
	assert_int_equal(watch_host_given_up(f->w, 0, t0, t0), 0);
	h->last_attempt = 1;
	assert_int_equal(watch_host_given_up(f->w, 0, t0, t0), 1);
	model_set_conn(m, h, HC_AUTH_FAILED, "no key accepted");
	assert_int_equal(watch_host_hopeless(h), 1);
	/* no such host */
	assert_int_equal(watch_host_given_up(f->w, 7, t0, t0), 1);
	assert_int_equal(watch_host_ready(f->w, 7), 0);
}

static void
settings(struct model *m, int i, const char *text)
{
	struct pc_settings s = { NULL, 0 };
	char err[128];

	assert_true(postconf_parse(text, strlen(text), &s, err,
	    sizeof(err)) > 0);
	model_set_settings(m, &m->hosts[i], &s);
	postconf_free(&s);
}

static void
test_derive_and_ports(void **state)
{
	struct fx *f = *state;
	struct model *m = watch_model(f->w);
	const struct topology *t = watch_topology(f->w);
	const struct port_results *pr;
	time_t now = 1800000000, when;

	assert_int_equal(watch_derive(f->w, now), 0);
	assert_int_equal(t->n, 0);
	assert_null(watch_ports(f->w, NULL));
	/* the model changes: the same pointer shows the new topology */
	settings(m, 0, "relayhost = [172.16.1.11]\n"
	    "inet_interfaces = loopback-only\n");
	assert_int_equal(watch_derive(f->w, now), 0);
	assert_ptr_equal(watch_topology(f->w), t);
	assert_true(t->n >= 1);
	assert_int_equal(t->v[0].from, 0);
	assert_int_equal(t->v[0].to, 1);
	/* no origin session is ready: the test ends at once, each hop an
	 * error, and the findings are redone with it */
	assert_int_equal(watch_ports_start(f->w, 4), 0);
	assert_int_equal(watch_ports_running(f->w), 0);
	pr = watch_ports(f->w, &when);
	assert_non_null(pr);
	assert_true(when != 0);
	assert_int_equal(pr->n, 1);
	assert_int_equal(pr->v[0].state, PORT_ERROR);
	assert_string_equal(pr->v[0].host, "172.16.1.11");
	assert_int_equal(watch_derive(f->w, now), 0);
	assert_non_null(watch_findings(f->w));
	watch_ports_stop(f->w);		/* none in flight: no-op */
	assert_non_null(watch_ports(f->w, NULL));
}

/* 1 when the findings hold one with id. */
static const struct finding *
find_id(const struct findings *fs, const char *id)
{
	size_t i;

	for (i = 0; fs != NULL && i < fs->n; i++)
		if (strcmp(fs->v[i].id, id) == 0)
			return &fs->v[i];
	return NULL;
}

/* Read-only (--read-only sets the inventory's read_only): no port test
 * runs; each hop is kept as not run because of read-only, and the finding
 * says so (information, not a failure or an unknown). */
static void
test_ports_read_only(void **state)
{
	struct fx *f = *state;
	struct model *m = watch_model(f->w);
	const struct port_results *pr;
	const struct finding *fd;
	time_t now = 1800000000;

	f->inv.read_only = 1;
	settings(m, 0, "relayhost = [172.16.1.11]\n");
	assert_int_equal(watch_derive(f->w, now), 0);
	assert_int_equal(watch_ports_start(f->w, 4), 2);
	assert_int_equal(watch_ports_running(f->w), 0);
	assert_non_null(pr = watch_ports(f->w, NULL));
	assert_int_equal(pr->n, 1);
	assert_int_equal(pr->v[0].state, PORT_READ_ONLY);
	assert_string_equal(port_state_name(pr->v[0].state),
	    "not run (read-only)");
	assert_int_equal(watch_derive(f->w, now), 0);
	assert_non_null(fd = find_id(watch_findings(f->w), "port25-not-run"));
	assert_int_equal(fd->sev, SEV_INFO);
	assert_non_null(strstr(fd->what, "was not run: read-only"));
	assert_null(find_id(watch_findings(f->w), "port25-untested"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_host_rules, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_derive_and_ports, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_ports_read_only, fx_setup,
		    fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
