/* test-parse-maillog-sec.c: the TLS and SASL lines of the maillog parser
 * (src/parse-maillog-sec.c) on real lab output (tests/data/captured/
 * *.tls*.txt: scenario tls, verified, untrusted without a CA file, STARTTLS
 * not offered; scenario smarthost: SASL on D's submission port, a wrong
 * password, no worthy mechs) and hand-made edge cases (tests/data/maillog/sec-edge.txt:
 * SASL failures, IPv6 peers, truncated lines, unknown level words). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "test-data.h"

#include "event.h"

static void
span_eq(struct span s, const char *lit)
{
	char buf[512];

	assert_true(s.n < sizeof buf);
	memcpy(buf, s.p ? s.p : "", s.n);
	buf[s.n] = '\0';
	assert_string_equal(buf, lit);
}

/* The n-th line (0-based) of a data file, parsed; the text stays in a
 * static buffer until the next call. */
static void
parse_nth(const char *name, int nth, struct mail_event *ev)
{
	static char *buf;
	size_t len;
	char *p, *nl;
	int i;

	free(buf);
	buf = test_data_slurp(name, &len);
	p = buf;
	for (i = 0; i < nth; i++) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		p = nl + 1;
	}
	nl = strchr(p, '\n');
	assert_int_equal(maillog_parse_line(p, nl ? (size_t)(nl - p) :
	    strlen(p), 2026, ev), 0);
}

static void
test_captured_verified(void **state)
{
	struct mail_event ev;

	(void)state;
	parse_nth("captured/origin-a.maillog.tls.txt", 3, &ev);
	assert_int_equal(ev.kind, EV_TLS);
	assert_int_equal(ev.tls, TLS_L_VERIFIED);
	assert_int_equal(ev.tls_in, 0);
	assert_int_equal(ev.pid, 23475);
	span_eq(ev.relay_addr, "172.16.1.11");
	assert_int_equal(ev.relay_port, 25);
	span_eq(ev.tls_proto, "TLSv1.3");
	span_eq(ev.tls_cipher, "TLS_AES_256_GCM_SHA384");
	span_eq(ev.reason, "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)");
	assert_int_equal(ev.secfail, SF_NONE);
	/* the delivery that follows is untouched */
	parse_nth("captured/origin-a.maillog.tls.txt", 4, &ev);
	assert_int_equal(ev.kind, EV_DELIVERY);
	assert_int_equal(ev.tls, TLS_L_NONE);

	parse_nth("captured/relay-c.maillog.tls.txt", 1, &ev);
	assert_int_equal(ev.kind, EV_TLS);
	assert_int_equal(ev.tls, TLS_L_ANONYMOUS);
	assert_int_equal(ev.tls_in, 1);
	span_eq(ev.client_addr, "172.16.10.5");
	span_eq(ev.client_name, "unknown");
	span_eq(ev.tls_cipher, "TLS_AES_256_GCM_SHA384");
	parse_nth("captured/relay-c.maillog.tls.txt", 2, &ev);
	assert_int_equal(ev.kind, EV_CLIENT);
	assert_int_equal(ev.sasl_method.n, 0);
}

static void
test_captured_failures(void **state)
{
	struct mail_event ev;

	(void)state;
	parse_nth("captured/origin-a.maillog.tls-fail.txt", 5, &ev);
	assert_int_equal(ev.kind, EV_WARNING);
	assert_int_equal(ev.secfail, SF_CERT_VERIFY);
	span_eq(ev.relay_addr, "172.16.1.11");
	span_eq(ev.reason, "untrusted issuer /CN=relaytop lab h14 CA");
	parse_nth("captured/origin-a.maillog.tls-fail.txt", 6, &ev);
	assert_int_equal(ev.kind, EV_TLS);
	assert_int_equal(ev.tls, TLS_L_UNTRUSTED);
	parse_nth("captured/origin-a.maillog.tls-fail.txt", 7, &ev);
	assert_int_equal(ev.kind, EV_WARNING);
	assert_int_equal(ev.secfail, SF_CERT_VERIFY);
	span_eq(ev.qid, "58639104688");
	parse_nth("captured/origin-a.maillog.tls-fail.txt", 10, &ev);
	assert_int_equal(ev.kind, EV_DELIVERY);
	assert_int_equal(ev.status, ST_DEFERRED);
	parse_nth("captured/origin-a.maillog.tls-fail.txt", 14, &ev);
	assert_int_equal(ev.kind, EV_WARNING);
	assert_int_equal(ev.secfail, SF_TLS_NOT_OFFERED);
	span_eq(ev.relay_addr, "172.16.1.11");
	span_eq(ev.qid, "58639104688");
}

static void
test_captured_sasl(void **state)
{
	struct mail_event ev;

	(void)state;
	/* scenario smarthost: B to D's submission port with SASL */
	parse_nth("captured/origin-b.maillog.sasl.txt", 3, &ev);
	assert_int_equal(ev.kind, EV_TLS);
	assert_int_equal(ev.tls, TLS_L_TRUSTED);
	assert_int_equal(ev.relay_port, 587);
	parse_nth("captured/relay-d.maillog.sasl.txt", 2, &ev);
	assert_int_equal(ev.kind, EV_CLIENT);
	span_eq(ev.sasl_method, "PLAIN");
	span_eq(ev.client_addr, "172.16.10.6");
	span_eq(ev.prog, "postfix/submission/smtpd");
	/* a wrong password, then noplaintext */
	parse_nth("captured/origin-b.maillog.sasl-fail.txt", 5, &ev);
	assert_int_equal(ev.kind, EV_WARNING);
	assert_int_equal(ev.secfail, SF_SASL_AUTH);
	span_eq(ev.relay_addr, "172.16.1.12");
	span_eq(ev.reason, "535 5.7.8 Error: authentication failed: "
	    "authentication failure");
	parse_nth("captured/origin-b.maillog.sasl-fail.txt", 11, &ev);
	assert_int_equal(ev.secfail, SF_SASL_NO_MECH);
	span_eq(ev.reason, "No worthy mechs found");
	parse_nth("captured/origin-b.maillog.sasl-fail.txt", 12, &ev);
	assert_int_equal(ev.secfail, SF_SASL_NO_MECH);
	span_eq(ev.relay_addr, "172.16.1.12");
	span_eq(ev.qid, "7BAEC104670");
	parse_nth("captured/relay-d.maillog.sasl-fail.txt", 2, &ev);
	assert_int_equal(ev.secfail, SF_SASL_AUTH);
	span_eq(ev.reason, "Password verification failed");
	parse_nth("captured/relay-d.maillog.sasl-fail.txt", 3, &ev);
	assert_int_equal(ev.secfail, SF_SASL_AUTH);
	span_eq(ev.client_addr, "172.16.10.6");
	span_eq(ev.reason, "SASL PLAIN authentication failed: authentication "
	    "failure, sasl_username=origin-b@relay-d.example.jp");
}

/* smtp_tls_wrappermode = yes toward STARTTLS ports (587, 25) */
static void
test_captured_wrappermode(void **state)
{
	const char *f = "captured/origin-b.maillog.wrappermode.txt";
	struct mail_event ev;

	(void)state;
	parse_nth(f, 2, &ev);
	assert_int_equal(ev.kind, EV_WARNING);
	assert_int_equal(ev.secfail, SF_TLS_HANDSHAKE);
	span_eq(ev.relay_addr, "172.16.1.12");
	assert_int_equal(ev.relay_port, 587);
	span_eq(ev.reason, "-1");
	parse_nth(f, 3, &ev);
	assert_int_equal(ev.secfail, SF_TLS_HANDSHAKE);
	assert_int_equal(ev.relay.n, 0);
	parse_nth(f, 7, &ev);
	assert_int_equal(ev.kind, EV_DELIVERY);
	assert_int_equal(ev.secfail, SF_NONE);
}

static void
test_edges(void **state)
{
	const char *f = "maillog/sec-edge.txt";
	struct mail_event ev;

	(void)state;
	parse_nth(f, 0, &ev);		/* no ": params" */
	assert_int_equal(ev.kind, EV_TLS);
	span_eq(ev.relay_addr, "172.16.1.11");
	assert_int_equal(ev.tls_proto.n, 0);
	parse_nth(f, 1, &ev);		/* unknown level word */
	assert_int_equal(ev.kind, EV_NONE);
	parse_nth(f, 2, &ev);
	assert_int_equal(ev.tls, TLS_L_TRUSTED);
	span_eq(ev.relay_addr, "2001:db8::1");
	assert_int_equal(ev.relay_port, 587);
	span_eq(ev.tls_proto, "TLSv1.2");
	span_eq(ev.tls_cipher, "ECDHE-RSA-AES256-GCM-SHA384");
	parse_nth(f, 3, &ev);		/* truncated after "to " */
	assert_int_equal(ev.kind, EV_TLS);
	assert_int_equal(ev.relay.n, 0);
	parse_nth(f, 4, &ev);
	assert_int_equal(ev.secfail, SF_SASL_AUTH);
	span_eq(ev.relay_addr, "172.16.1.12");
	span_eq(ev.reason, "535 5.7.8 Error: authentication failed: authentication failure");
	parse_nth(f, 5, &ev);
	assert_int_equal(ev.secfail, SF_SASL_NO_MECH);
	span_eq(ev.relay_addr, "172.16.1.12");
	parse_nth(f, 6, &ev);
	assert_int_equal(ev.secfail, SF_SASL_NO_MECH);
	assert_int_equal(ev.kind, EV_WARNING);
	parse_nth(f, 7, &ev);
	assert_int_equal(ev.secfail, SF_SASL_AUTH);
	span_eq(ev.client_addr, "172.16.10.6");
	parse_nth(f, 8, &ev);
	assert_int_equal(ev.kind, EV_CLIENT);
	span_eq(ev.sasl_method, "PLAIN");
	span_eq(ev.client_addr, "172.16.10.6");
	parse_nth(f, 9, &ev);
	assert_int_equal(ev.secfail, SF_TLS_HANDSHAKE);
	span_eq(ev.client_addr, "172.16.10.6");
	span_eq(ev.reason, "lost connection");
	parse_nth(f, 10, &ev);
	assert_int_equal(ev.secfail, SF_TLS_HANDSHAKE);
	assert_int_equal(ev.relay_port, 465);
	parse_nth(f, 11, &ev);
	assert_int_equal(ev.secfail, SF_TLS_HANDSHAKE);
	parse_nth(f, 12, &ev);		/* "SASL" with nothing after */
	assert_int_equal(ev.secfail, SF_NONE);
	assert_int_equal(ev.kind, EV_WARNING);
	assert_string_equal(tls_level_name(TLS_L_VERIFIED), "Verified");
	assert_string_equal(tls_level_name((enum tls_level)99), "");
	assert_string_equal(sec_fail_name(SF_SASL_NO_MECH), "sasl-no-mech");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captured_verified),
		cmocka_unit_test(test_captured_failures),
		cmocka_unit_test(test_captured_sasl),
		cmocka_unit_test(test_captured_wrappermode),
		cmocka_unit_test(test_edges),
	};

	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
