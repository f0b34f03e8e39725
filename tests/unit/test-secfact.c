/* test-secfact.c: the security facts of topology edges (src/secfact.c)
 * from captured lab logs of scenario tls: a Verified hop with protocol,
 * cipher, family, port and "no SASL" from the relay's client= line; a hop
 * refused for want of STARTTLS (failed) next to a verified fallback; an
 * untrusted hop under verify; cleartext as fallback ("may") and as
 * configured (TLS off); SASL from a hand-made client= line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test-data.h"

#include "model.h"
#include "postconf.h"
#include "topology.h"

static struct host_config hc[4];
static struct inventory inv = { .hosts = hc, .n = 4 };

static void
set(struct model *m, int h, const char *text)
{
	struct pc_settings s = { NULL, 0 };
	char err[128];

	assert_true(postconf_parse(text, strlen(text), &s, err,
	    sizeof(err)) > 0);
	model_set_settings(m, &m->hosts[h], &s);
	postconf_free(&s);
}

static void
feed(struct model *m, int h, const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;
		struct mail_event ev;

		if (maillog_parse_line(buf + i, end - i, 2026, &ev) == 0 &&
		    ev.kind != EV_NONE)
			model_add_event(m, &m->hosts[h], &ev);
		i = end + 1;
	}
}

static void
load(struct model *m, int h, const char *name)
{
	size_t len;
	char *buf = test_data_slurp(name, &len);

	feed(m, h, buf, len);
	free(buf);
}

#define ORIGIN "relayhost = [172.16.1.11]\nsmtp_fallback_relay = " \
	"[172.16.1.12]\nsmtp_tls_loglevel = 1\nsmtp_tls_security_level = "

static void
init(struct model *m, const char *level)
{
	static const char *const names[] = { "origin-a", "origin-b",
		"relay-c", "relay-d" };
	static const char *const addrs[] = { "172.16.10.5", "172.16.10.6",
		"172.16.1.11", "172.16.1.12" };
	char o[256];
	int i;

	memset(hc, 0, sizeof(hc));
	for (i = 0; i < 4; i++) {
		snprintf(hc[i].name, sizeof(hc[i].name), "%s", names[i]);
		snprintf(hc[i].address, sizeof(hc[i].address), "%s", addrs[i]);
		hc[i].port = 22;
	}
	assert_int_equal(model_init(m, &inv, 0), 0);
	snprintf(o, sizeof(o), "%s%s\n", ORIGIN, level);
	set(m, 0, o);
	set(m, 1, o);
	set(m, 2, "inet_interfaces = all\nrelayhost =\n");
	set(m, 3, "inet_interfaces = all\nrelayhost =\n");
}

static const struct edge *
edge_to(const struct topology *t, int from, int to)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].from == from && t->v[i].to == to)
			return &t->v[i];
	return NULL;
}

static void
test_verified(void **state)
{
	struct model m;
	struct topology t;
	const struct edge *e;
	char buf[300];

	(void)state;
	init(&m, "verify");
	load(&m, 0, "captured/origin-a.maillog.tls.txt");
	load(&m, 2, "captured/relay-c.maillog.tls.txt");
	assert_int_equal(topology_build(&m, &t), 0);
	assert_non_null(e = edge_to(&t, 0, 2));
	assert_int_equal(e->sec.state, SEC_TLS);
	assert_int_equal(e->sec.tls, TLS_L_VERIFIED);
	assert_string_equal(e->sec.proto, "TLSv1.3");
	assert_string_equal(e->sec.cipher, "TLS_AES_256_GCM_SHA384");
	assert_int_equal(e->sec.family, 4);
	assert_int_equal(e->sec.port, 25);
	assert_int_equal(e->sec.sasl, 0);
	assert_false(sec_fact_is_bad(&e->sec));
	assert_string_equal(sec_fact_line(&e->sec, buf, sizeof(buf)),
	    "Verified TLSv1.3 TLS_AES_256_GCM_SHA384  sasl no  ipv4 port 25");
	/* the fallback hop, not used yet: no family or port to show */
	assert_non_null(e = edge_to(&t, 0, 3));
	assert_string_equal(sec_fact_line(&e->sec, buf, sizeof(buf)),
	    "TLS unknown  sasl ?  ipv? port ?");
	/* the relay's onward hop: TLS off there */
	assert_non_null(e = edge_to(&t, 2, -1));
	assert_int_equal(e->sec.state, SEC_PLAIN);
	topology_free(&t);

	/* SASL on the relay's client= line of the mail's queued-as id */
	{
		static const char l[] = "Dec 06 08:55:04 relay-c postfix/"
		    "smtpd[23480]: 379B7104685: client=unknown[172.16.10.5], "
		    "sasl_method=PLAIN, sasl_username=origin-a\n";

		feed(&m, 2, l, sizeof(l) - 1);
	}
	assert_int_equal(topology_build(&m, &t), 0);
	e = edge_to(&t, 0, 2);
	assert_int_equal(e->sec.sasl, 1);
	assert_string_equal(e->sec.sasl_method, "PLAIN");
	topology_free(&t);
	model_free(&m);
}

static void
test_failures(void **state)
{
	struct model m;
	struct topology t;
	const struct edge *e;

	(void)state;
	init(&m, "verify");
	load(&m, 0, "captured/origin-a.maillog.tls-fail.txt");
	assert_int_equal(topology_build(&m, &t), 0);
	e = edge_to(&t, 0, 2);
	assert_int_equal(e->sec.state, SEC_FAILED);
	assert_string_equal(e->sec.fail, "TLS is required, but was not "
	    "offered by host 172.16.1.11[172.16.1.11]");
	assert_true(sec_fact_is_bad(&e->sec));
	e = edge_to(&t, 0, 3);
	assert_int_equal(e->sec.state, SEC_TLS);
	assert_int_equal(e->sec.tls, TLS_L_VERIFIED);
	assert_int_equal(e->sec.sasl, -1);	/* D's log not loaded */
	topology_free(&t);
	model_free(&m);

	/* only the first part: untrusted under verify, then a failure */
	init(&m, "verify");
	{
		size_t len;
		char *buf = test_data_slurp(
		    "captured/origin-a.maillog.tls-fail.txt", &len);
		char *cut = strstr(buf, "postfix-script");

		assert_non_null(cut = strstr(cut + 1, "postfix-script"));
		while (cut > buf && cut[-1] != '\n')
			cut--;
		feed(&m, 0, buf, (size_t)(cut - buf));
		free(buf);
	}
	assert_int_equal(topology_build(&m, &t), 0);
	e = edge_to(&t, 0, 2);
	assert_int_equal(e->sec.state, SEC_TLS_UNVERIFIED);
	assert_int_equal(e->sec.tls, TLS_L_UNTRUSTED);
	assert_true(sec_fact_is_bad(&e->sec));
	topology_free(&t);
	model_free(&m);
}

static void
test_cleartext(void **state)
{
	struct model m;
	struct topology t;
	const struct edge *e;

	(void)state;
	init(&m, "may");
	load(&m, 0, "captured/origin-a.maillog.normal.txt");
	assert_int_equal(topology_build(&m, &t), 0);
	e = edge_to(&t, 0, 2);
	assert_int_equal(e->sec.state, SEC_CLEAR_FALLBACK);
	assert_true(sec_fact_is_bad(&e->sec));
	topology_free(&t);
	model_free(&m);

	init(&m, "none");
	load(&m, 0, "captured/origin-a.maillog.normal.txt");
	assert_int_equal(topology_build(&m, &t), 0);
	e = edge_to(&t, 0, 2);
	assert_int_equal(e->sec.state, SEC_PLAIN);
	assert_false(sec_fact_is_bad(&e->sec));
	/* nothing logged toward D: unknown */
	assert_int_equal(edge_to(&t, 0, 3)->sec.state, SEC_UNKNOWN);
	assert_string_equal(sec_state_name(SEC_CLEAR_FALLBACK),
	    "cleartext-fallback");
	topology_free(&t);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verified),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_cleartext),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
