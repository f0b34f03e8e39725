/* test-check-secfiles.c: the probe's secfiles section (probe-secfiles.c)
 * on the body captured on the lab's smarthost set-up and on hostile
 * variants, and the doctor's rules over it (check-rules-secfiles.c): the
 * password map's .db, its keys against relayhost, the SASL mechanisms a
 * client can use, the server certificate's end date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hostsec.h"
#include "test-check-util.h"

static void
parse_file(const char *name, struct host_sec *s)
{
	char *t = slurp(name);

	assert_int_equal(hostsec_parse(t, strlen(t), s), 0);
	free(t);
}

static void
test_parse_captured(void **state)
{
	struct host_sec b, d;
	struct tm tm = { .tm_year = 127, .tm_mon = 1, .tm_mday = 4,
	    .tm_hour = 12, .tm_min = 55, .tm_sec = 50 };

	(void)state;
	parse_file("captured/origin-b.secfiles.smarthost.txt", &b);
	assert_true(b.valid);
	assert_int_equal(b.nmap, 1);
	assert_string_equal(b.map[0].type, "hash");
	assert_string_equal(b.map[0].path, "/etc/postfix/sasl_passwd");
	assert_true(b.map[0].src_mtime > 0);
	assert_true(b.map[0].db_mtime >= b.map[0].src_mtime);
	assert_int_equal(b.keys, HSK_READ);
	assert_string_equal(b.keys_via, "sudo");
	assert_int_equal(b.nkeys, 1);
	assert_string_equal(b.key[0], "[172.16.1.12]:587");
	assert_int_equal(b.cert, -1);
	assert_int_equal(b.sasl_offer, -1);	/* B offers no SASL: no line */
	assert_true(b.plugins_known);
	assert_non_null(strstr(b.plugins, "plain"));

	parse_file("captured/relay-d.secfiles.sasl.txt", &d);
	assert_int_equal(d.nmap, 0);
	assert_int_equal(d.keys, HSK_NONE);
	assert_int_equal(d.cert, 1);
	assert_true(d.cert_end == timegm(&tm));
	assert_string_equal(d.mechs, "PLAIN LOGIN");
	assert_int_equal(d.sasl_offer, 1);
}

/* Remote text: bad numbers, relative paths, control bytes, blanks in a
 * key (a value: never kept), refusals, openssl errors, cut lines. */
static void
test_parse_hostile(void **state)
{
	static const char body[] =
	    "map hash sasl_passwd 1 2\n"			/* relative */
	    "map hash /etc/postfix/a 12x 2\n"			/* not a number */
	    "map hash /etc/postfix/b 1234567890123456789 2\n"	/* too long */
	    "map btree /etc/postfix/c - 5\n"
	    "keys rc=0 via=direct /etc/postfix/c\n"
	    "key a\033[2Jb\n"					/* escape */
	    "key user:secret more\n"				/* blank */
	    "key #comment\n"
	    "key [h]:587\n"
	    "cert 0 notAfter=Feb 31 99:00:00 2027 GMT\n"
	    "mechs PLAIN\001LOGIN\n"
	    "sasloffer 99999\n"
	    "plugins plain\n"
	    "unknown line\n"
	    "key late\n";
	static const char refused[] =
	    "keys rc=1 via=sudo /etc/postfix/sasl_passwd\n"
	    "err sudo: a password is required\033]0;x\007\n"
	    "key [h]:587\n"
	    "cert 1 unable to load certificate\n";
	struct host_sec s;

	(void)state;
	hostsec_parse(body, sizeof(body) - 1, &s);
	assert_int_equal(s.nmap, 1);
	assert_string_equal(s.map[0].type, "btree");
	assert_true(s.map[0].src_mtime == -1 && s.map[0].db_mtime == 5);
	assert_int_equal(s.nkeys, 2);
	assert_string_equal(s.key[0], "[h]:587");
	assert_string_equal(s.key[1], "late");
	assert_int_equal(s.cert, 0);		/* 99:00 is no time */
	assert_null(strchr(s.mechs, '\001'));
	assert_int_equal(s.sasl_offer, -1);
	hostsec_parse(refused, sizeof(refused) - 1, &s);
	assert_int_equal(s.keys, HSK_UNREADABLE);
	assert_int_equal(s.nkeys, 0);
	assert_null(strchr(s.keys_err, '\033'));
	assert_non_null(strstr(s.keys_err, "sudo: a password is required"));
	assert_int_equal(s.cert, 0);
	assert_non_null(strstr(s.cert_err, "unable to load certificate"));
	/* no newline at the end, and a NUL inside: bounded by len */
	hostsec_parse("key x\0y", 7, &s);
	assert_int_equal(s.nkeys, 0);
}

/* scenario smarthost: B -> [172.16.1.12]:587 with SASL, D offering it */
static void
smarthost(struct tlab *L)
{
	tl_init(L);
	tl_set(L, B, "relayhost", "[172.16.1.12]:587");
	tl_set(L, B, "smtp_fallback_relay", "[172.16.1.11]");
	tl_set(L, B, "smtp_sasl_auth_enable", "yes");
	tl_set(L, B, "smtp_sasl_password_maps",
	    "hash:/etc/postfix/sasl_passwd");
	tl_set(L, B, "smtp_sasl_security_options", "noanonymous");
	parse_file("captured/origin-b.secfiles.smarthost.txt",
	    &L->m.hosts[B].sec);
	parse_file("captured/relay-d.secfiles.sasl.txt", &L->m.hosts[D].sec);
}

static int
ours(const struct tlab *L)
{
	return tl_count(L, "sasl-map-stale") + tl_count(L,
	    "sasl-key-mismatch") + tl_count(L, "sasl-keys-unreadable") +
	    tl_count(L, "sasl-no-usable-mech") + tl_count(L,
	    "tls-cert-expiring");
}

static void
test_clean(void **state)
{
	struct tlab L;

	(void)state;
	smarthost(&L);
	tl_run(&L);
	assert_int_equal(ours(&L), 0);
	tl_free(&L);
}

static void
test_map_stale(void **state)
{
	struct tlab L;
	const struct finding *f;

	(void)state;
	smarthost(&L);
	L.m.hosts[B].sec.map[0].db_mtime = L.m.hosts[B].sec.map[0].src_mtime -
	    60;
	tl_run(&L);
	assert_int_equal(ours(&L), 1);
	f = tl_get(&L, "sasl-map-stale");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARNING);
	assert_int_equal(f->hosts[0], B);
	assert_int_equal(f->hosts[1], D);
	assert_int_equal(f->fix_host, B);
	assert_string_equal(f->fix,
	    "origin-b: postmap hash:/etc/postfix/sasl_passwd");
	assert_non_null(strstr(f->what, "postmap forgotten"));
	tl_free(&L);
	/* no .db at all: critical */
	smarthost(&L);
	L.m.hosts[B].sec.map[0].db_mtime = -1;
	tl_run(&L);
	f = tl_get(&L, "sasl-map-stale");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_non_null(strstr(f->evidence, "/etc/postfix/sasl_passwd.db "
	    "missing"));
	tl_free(&L);
	/* SASL off: the map does not matter */
	smarthost(&L);
	L.m.hosts[B].sec.map[0].db_mtime = -1;
	tl_set(&L, B, "smtp_sasl_auth_enable", "no");
	tl_run(&L);
	assert_int_equal(ours(&L), 0);
	tl_free(&L);
}

static void
test_key_mismatch(void **state)
{
	struct tlab L;
	const struct finding *f;

	(void)state;
	smarthost(&L);
	snprintf(L.m.hosts[B].sec.key[0], HOSTSEC_KEY_MAX, "172.16.1.12:587");
	tl_run(&L);
	assert_int_equal(ours(&L), 1);
	f = tl_get(&L, "sasl-key-mismatch");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_int_equal(f->fix_host, B);
	assert_string_equal(f->fix, "origin-b /etc/postfix/sasl_passwd: the "
	    "line \"[172.16.1.12]:587 USER:PASSWORD\" in place of the line "
	    "keyed 172.16.1.12:587, then postmap "
	    "hash:/etc/postfix/sasl_passwd");
	assert_string_equal(f->evidence, "origin-b: relayhost = "
	    "[172.16.1.12]:587; keys of /etc/postfix/sasl_passwd: "
	    "172.16.1.12:587");
	tl_free(&L);
	/* Postfix looks the host name up first: that key works */
	smarthost(&L);
	snprintf(L.m.hosts[B].sec.key[0], HOSTSEC_KEY_MAX, "172.16.1.12");
	tl_run(&L);
	assert_int_equal(ours(&L), 0);
	tl_free(&L);
	/* sender-dependent keys are addresses: no claim */
	smarthost(&L);
	snprintf(L.m.hosts[B].sec.key[0], HOSTSEC_KEY_MAX, "x@example.jp");
	tl_set(&L, B, "smtp_sender_dependent_authentication", "yes");
	tl_run(&L);
	assert_int_equal(ours(&L), 0);
	tl_free(&L);
}

/* Keys unreadable: said so (info); with D refusing B's mail as not logged
 * in, the mismatch is inferred from the log (critical, and it says the
 * keys could not be read). */
static void
test_keys_unreadable(void **state)
{
	static const char line[] = "Dec  6 12:30:01 mail-b postfix/smtp[4242]:"
	    " 5A1B2C3D4E: to=<probe@dest.example>, relay=172.16.1.12"
	    "[172.16.1.12]:587, delay=0.2, delays=0.01/0.01/0.1/0.01, "
	    "dsn=5.7.1, status=bounced (host 172.16.1.12[172.16.1.12] said: "
	    "554 5.7.1 <probe@dest.example>: Relay access denied (in reply "
	    "to RCPT TO command))";
	struct mail_event ev;
	struct tlab L;
	const struct finding *f;

	(void)state;
	smarthost(&L);
	L.m.hosts[B].sec.keys = HSK_UNREADABLE;
	L.m.hosts[B].sec.nkeys = 0;
	snprintf(L.m.hosts[B].sec.keys_err, sizeof(L.m.hosts[B].sec.keys_err),
	    "sudo: a password is required");
	tl_run(&L);
	f = tl_get(&L, "sasl-keys-unreadable");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_INFO);
	assert_int_equal(tl_count(&L, "sasl-key-mismatch"), 0);
	assert_non_null(strstr(f->evidence, "sudo: a password is required"));
	assert_int_equal(maillog_parse_line(line, strlen(line), 2026, &ev), 0);
	model_add_event(&L.m, &L.m.hosts[B], &ev);
	tl_run_ports(&L, NULL, ev.when + 60);
	f = tl_get(&L, "sasl-key-mismatch");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_non_null(strstr(f->what, "could not read the keys"));
	assert_non_null(strstr(f->evidence, "Relay access denied"));
	assert_non_null(strstr(f->fix, "\"[172.16.1.12]:587 USER:PASSWORD\""));
	assert_int_equal(tl_count(&L, "sasl-keys-unreadable"), 0);
	tl_free(&L);
}

static void
test_no_usable_mech(void **state)
{
	struct tlab L;
	const struct finding *f;

	(void)state;
	smarthost(&L);
	tl_set(&L, B, "smtp_sasl_security_options", "noanonymous, noplaintext");
	tl_run(&L);
	assert_int_equal(ours(&L), 1);
	f = tl_get(&L, "sasl-no-usable-mech");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_int_equal(f->hosts[0], B);
	assert_int_equal(f->hosts[1], D);
	assert_non_null(strstr(f->fix, "origin-b main.cf: "
	    "smtp_sasl_security_options = noanonymous"));
	assert_non_null(strstr(f->evidence, "relay-d: mech_list PLAIN LOGIN"));
	tl_free(&L);
	/* the client plugins missing (libsasl2-modules) */
	smarthost(&L);
	snprintf(L.m.hosts[B].sec.plugins, sizeof(L.m.hosts[B].sec.plugins),
	    " sasldb");
	tl_run(&L);
	f = tl_get(&L, "sasl-no-usable-mech");
	assert_non_null(f);
	assert_non_null(strstr(f->fix, "install libsasl2-modules"));
	tl_free(&L);
	/* a mechanism filter that leaves none */
	smarthost(&L);
	tl_set(&L, B, "smtp_sasl_mechanism_filter", "cram-md5");
	tl_run(&L);
	assert_non_null(tl_get(&L, "sasl-no-usable-mech"));
	tl_free(&L);
	/* no claim: D offers no SASL, a mechanism not in the table, an
	 * option not known */
	smarthost(&L);
	tl_set(&L, B, "smtp_sasl_security_options", "noanonymous, noplaintext");
	L.m.hosts[D].sec.sasl_offer = 0;
	tl_run(&L);
	assert_int_equal(ours(&L), 0);
	tl_free(&L);
	smarthost(&L);
	tl_set(&L, B, "smtp_sasl_security_options", "noanonymous, noplaintext");
	snprintf(L.m.hosts[D].sec.mechs, sizeof(L.m.hosts[D].sec.mechs),
	    "PLAIN GSSAPI");
	tl_run(&L);
	assert_int_equal(ours(&L), 0);
	tl_free(&L);
	smarthost(&L);
	tl_set(&L, B, "smtp_sasl_security_options", "noplaintext, "
	    "forward_secrecy");
	tl_run(&L);
	assert_int_equal(ours(&L), 0);
	tl_free(&L);
}

static void
test_cert_expiring(void **state)
{
	struct tlab L;
	const struct finding *f;
	time_t now = time(NULL);

	(void)state;
	smarthost(&L);
	tl_set(&L, D, "smtpd_tls_cert_file", "/etc/postfix/tls/cert.pem");
	L.m.hosts[D].sec.cert_end = now + 6 * 86400 - 10;
	tl_run_ports(&L, NULL, now);
	assert_int_equal(ours(&L), 1);
	f = tl_get(&L, "tls-cert-expiring");
	assert_non_null(f);
	assert_int_equal(f->sev, SEV_WARNING);
	assert_int_equal(f->hosts[0], D);
	assert_non_null(strstr(f->what, "expires in 6 days"));
	assert_non_null(strstr(f->evidence, "relay-d: smtpd_tls_cert_file = "
	    "/etc/postfix/tls/cert.pem, notAfter "));
	assert_string_equal(f->fix, "relay-d: renew /etc/postfix/tls/cert.pem "
	    "(and smtpd_tls_key_file with it), then postfix reload");
	/* expired: critical; 14 days or more: nothing */
	L.m.hosts[D].sec.cert_end = now - 1;
	tl_run_ports(&L, NULL, now);
	assert_int_equal(tl_get(&L, "tls-cert-expiring")->sev, SEV_CRITICAL);
	L.m.hosts[D].sec.cert_end = now + 14 * 86400;	/* CHECK_CERT_DAYS */
	tl_run_ports(&L, NULL, now);
	assert_int_equal(ours(&L), 0);
	tl_free(&L);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_captured),
		cmocka_unit_test(test_parse_hostile),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_map_stale),
		cmocka_unit_test(test_key_mismatch),
		cmocka_unit_test(test_keys_unreadable),
		cmocka_unit_test(test_no_usable_mech),
		cmocka_unit_test(test_cert_expiring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
