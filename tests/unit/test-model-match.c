/* test-model-match.c: the one host matcher (src/model-match.c) that the
 * trace, the topology and the event words share, on the ambiguous cases:
 * two entries with one address, a name that is also another host's
 * myhostname, names against addresses, ports, relay=none, and relays
 * outside the inventory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test-fixture.h"
#include "config.h"
#include "model.h"
#include "postconf.h"

/* relay-e's myhostname is relay-f's inventory address, and relay-e comes
 * first; lab-x and lab-y are two Postfix entries on one machine. */
static const char inventory[] =
    "[defaults]\nuser = relayop\n"
    "[origin-a]\naddress = 172.16.10.5\nrole = origin\n"
    "[relay-c]\naddress = 172.16.1.11\nrole = relay\n"
    "[relay-e]\naddress = 172.16.1.14\nrole = relay\n"
    "[relay-f]\naddress = relay-f.example.jp\nrole = relay\n"
    "[lab-x]\naddress = 127.0.0.1\nport = 2201\n"
    "[lab-y]\naddress = 127.0.0.1\nport = 2202\n";

enum { ORIGIN_A, RELAY_C, RELAY_E, RELAY_F, LAB_X, LAB_Y };

static void
myhostname(struct model *m, int i, const char *name)
{
	struct pc_settings s = { NULL, 0 };
	char text[200], err[128];

	snprintf(text, sizeof(text), "myhostname = %s\n", name);
	assert_true(postconf_parse(text, strlen(text), &s, err,
	    sizeof(err)) > 0);
	model_set_settings(m, &m->hosts[i], &s);
	postconf_free(&s);
}

static int
fx_setup(void **state)
{
	struct fx *f = fx_open(state, inventory, 16);

	myhostname(&f->m, RELAY_C, "relay-c.example.jp");
	myhostname(&f->m, RELAY_E, "relay-f.example.jp");
	myhostname(&f->m, LAB_Y, "lab-y.example.jp");
	return 0;
}

/* relay=NAME[ADDR] as Postfix logs it: the address decides. */
static void
test_address_first(void **state)
{
	struct fx *f = *state;

	assert_int_equal(model_match_host(&f->m, "relay-c.example.jp",
	    "172.16.1.11"), RELAY_C);
	assert_int_equal(model_match_relay(&f->m,
	    "relay-c.example.jp[172.16.1.11]", "172.16.1.11"), RELAY_C);
	/* a name that says otherwise does not beat the address */
	assert_int_equal(model_match_host(&f->m, "relay-f.example.jp",
	    "172.16.1.11"), RELAY_C);
	/* case does not matter */
	assert_int_equal(model_match_host(&f->m, "RELAY-C", NULL), RELAY_C);
}

/* Two entries with one address: the one the name names, else the first. */
static void
test_shared_address(void **state)
{
	struct fx *f = *state;

	assert_int_equal(model_match_host(&f->m, "lab-y.example.jp",
	    "127.0.0.1"), LAB_Y);
	assert_int_equal(model_match_host(&f->m, "lab-y", "127.0.0.1"),
	    LAB_Y);
	assert_int_equal(model_match_relay(&f->m,
	    "lab-y.example.jp[127.0.0.1]:25", "127.0.0.1"), LAB_Y);
	assert_int_equal(model_match_host(&f->m, "localhost", "127.0.0.1"),
	    LAB_X);
	assert_int_equal(model_match_host(&f->m, NULL, "127.0.0.1"), LAB_X);
}

/* A name alone: an inventory address beats an inventory name, which beats
 * a myhostname, whatever the order of the hosts (relay-e, whose myhostname
 * is relay-f's address, comes first). */
static void
test_names_against_addresses(void **state)
{
	struct fx *f = *state;

	assert_int_equal(model_match_host(&f->m, "relay-f.example.jp", NULL),
	    RELAY_F);
	assert_int_equal(model_match_relay(&f->m,
	    "relay-f.example.jp[10.9.9.9]", "10.9.9.9"), RELAY_F);
	assert_int_equal(model_match_host(&f->m, "relay-e", NULL), RELAY_E);
	assert_int_equal(model_match_host(&f->m, "lab-y.example.jp", NULL),
	    LAB_Y);
	/* an address the inventory does not know, a name it does: the relay
	 * seen through another address (NAT, a second interface) */
	assert_int_equal(model_match_host(&f->m, "relay-c.example.jp",
	    "10.0.0.7"), RELAY_C);
}

/* Brackets and ports are the parsers' to strip; a key with them is no
 * host. The relay string's port never reaches the name. */
static void
test_ports(void **state)
{
	struct fx *f = *state;

	assert_int_equal(model_match_host(&f->m, "172.16.1.11:25", NULL), -1);
	assert_int_equal(model_match_host(&f->m, "[172.16.1.11]", NULL), -1);
	assert_int_equal(model_match_relay(&f->m, "relay-c[172.16.1.11]:2525",
	    ""), RELAY_C);
	/* the SSH port of the inventory is not the relay's port */
	assert_int_equal(model_match_host(&f->m, "127.0.0.1:2202", NULL), -1);
}

static void
test_outside(void **state)
{
	struct fx *f = *state;

	assert_int_equal(model_match_relay(&f->m,
	    "gmail-smtp-in.l.google.com[142.250.1.26]:25", "142.250.1.26"),
	    -1);
	assert_int_equal(model_match_relay(&f->m, "none", ""), -1);
	assert_int_equal(model_match_host(&f->m, "none", NULL), -1);
	assert_int_equal(model_match_host(&f->m, NULL, NULL), -1);
	assert_int_equal(model_match_host(&f->m, "", ""), -1);
	assert_int_equal(model_match_relay(&f->m, NULL, NULL), -1);
}

/* The matcher keeps its answers (500 hosts: one scan per event was most
 * of the first snapshot's CPU); a myhostname learnt later, or a new model
 * where a freed one was, must not be answered from what was kept. */
static void
test_cached_answers_follow_changes(void **state)
{
	struct fx *f = *state;

	assert_int_equal(model_match_host(&f->m, "mx9.example.jp", NULL), -1);
	assert_int_equal(model_match_host(&f->m, "mx9.example.jp", NULL), -1);
	myhostname(&f->m, LAB_X, "mx9.example.jp");
	assert_int_equal(model_match_host(&f->m, "mx9.example.jp", NULL),
	    LAB_X);
	assert_int_equal(model_match_relay(&f->m, "mx9.example.jp[10.9.9.9]:25",
	    "10.9.9.9"), LAB_X);
	myhostname(&f->m, LAB_X, "lab-x.example.jp");
	assert_int_equal(model_match_host(&f->m, "mx9.example.jp", NULL), -1);
	/* the same name and address asked of a fresh model at once */
	fx_teardown(state);
	fx_setup(state);
	f = *state;
	assert_int_equal(model_match_host(&f->m, "lab-y.example.jp",
	    "127.0.0.1"), LAB_Y);
	assert_int_equal(model_match_host(&f->m, "mx9.example.jp", NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_address_first, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_shared_address, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_names_against_addresses,
		    fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_ports, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_outside, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_cached_answers_follow_changes, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
