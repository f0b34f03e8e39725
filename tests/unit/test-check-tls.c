/* test-check-tls.c: the doctor's TLS and SASL settings rules
 * (src/check-rules-tls.c) on the lab's real captured postconf output, one
 * fault at a time, and the clean TLS set-up of scenario tls (no finding). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test-check-util.h"

/* scenario tls: relays offer STARTTLS, origins verify with the lab CA */
static void
tls_lab(struct tlab *L)
{
	int h;

	tl_init(L);
	for (h = A; h <= B; h++) {
		tl_set(L, h, "smtp_tls_security_level", "verify");
		tl_set(L, h, "smtp_tls_CAfile", "/etc/postfix/tls/ca.pem");
	}
	for (h = C; h <= D; h++) {
		tl_set(L, h, "smtpd_tls_security_level", "may");
		tl_set(L, h, "smtpd_tls_cert_file", "/etc/postfix/tls/cert.pem");
	}
}

static void
test_clean_tls(void **state)
{
	struct tlab L;

	tls_lab(&L);
	tl_run(&L);
	if (L.f.n)
		tl_dump(&L);
	assert_int_equal(L.f.n, 0);
	assert_int_equal(L.status, 0);
	tl_free(&L);
}

static void
test_verify_no_ca(void **state)
{
	struct tlab L;
	const struct finding *f;

	tls_lab(&L);
	tl_set(&L, A, "smtp_tls_CAfile", "");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "tls-verify-no-ca");
	f = tl_get(&L, "tls-verify-no-ca");
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_int_equal(f->hosts[0], A);
	assert_int_equal(f->fix_host, A);
	assert_non_null(strstr(f->fix, "origin-a main.cf: smtp_tls_CAfile = "));
	tl_free(&L);
	/* a CA path is enough */
	tls_lab(&L);
	tl_set(&L, A, "smtp_tls_CAfile", "");
	tl_set(&L, A, "smtp_tls_CApath", "/etc/ssl/certs");
	tl_run(&L);
	assert_int_equal(L.f.n, 0);
	tl_free(&L);
}

static void
test_wrappermode(void **state)
{
	struct tlab L;
	const struct finding *f;

	tl_init(&L);
	tl_set(&L, B, "relayhost", "[172.16.1.11]:465");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "relayhost-wrappermode");
	f = tl_get(&L, "relayhost-wrappermode");
	assert_int_equal(f->hosts[0], B);
	assert_int_equal(f->hosts[1], C);
	assert_string_equal(f->fix, "origin-b main.cf: smtp_tls_wrappermode = "
	    "yes and smtp_tls_security_level = encrypt");
	tl_free(&L);
	/* 465 with it is right; then the fallback on 25 is not */
	tl_init(&L);
	tl_set(&L, B, "relayhost", "[172.16.1.11]:465");
	tl_set(&L, B, "smtp_tls_wrappermode", "yes");
	tl_run(&L);
	assert_int_equal(tl_count(&L, "relayhost-wrappermode"), 1);
	f = tl_get(&L, "relayhost-wrappermode");
	assert_int_equal(f->hosts[1], D);
	assert_string_equal(f->evidence, "origin-b: smtp_fallback_relay = "
	    "[172.16.1.12], smtp_tls_wrappermode = yes");
	tl_free(&L);
}

static void
test_sasl_no_map(void **state)
{
	struct tlab L;
	const struct finding *f;

	tl_init(&L);
	tl_set(&L, B, "relayhost", "[172.16.1.12]:587");
	tl_set(&L, B, "smtp_fallback_relay", "[172.16.1.11]");
	tl_set(&L, B, "smtp_sasl_auth_enable", "yes");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "sasl-no-password-map");
	f = tl_get(&L, "sasl-no-password-map");
	assert_int_equal(f->hosts[0], B);
	assert_non_null(strstr(f->fix, "\"[172.16.1.12]:587 USER:PASSWORD\""));
	tl_free(&L);
	tl_init(&L);
	tl_set(&L, B, "smtp_sasl_auth_enable", "yes");
	tl_set(&L, B, "smtp_sasl_password_maps", "hash:/etc/postfix/sasl_passwd");
	tl_run(&L);
	assert_int_equal(L.f.n, 0);
	tl_free(&L);
}

static void
test_starttls(void **state)
{
	struct tlab L;
	const struct finding *f;

	tls_lab(&L);
	tl_set(&L, C, "smtpd_tls_security_level", "none");
	tl_set(&L, B, "smtp_tls_security_level", "may");
	tl_run(&L);
	assert_string_equal(tl_ids(&L), "tls-required-not-offered,tls-cleartext");
	f = tl_get(&L, "tls-required-not-offered");
	assert_int_equal(f->sev, SEV_CRITICAL);
	assert_int_equal(f->hosts[0], C);
	assert_int_equal(f->hosts[1], A);
	assert_int_equal(f->fix_host, C);
	f = tl_get(&L, "tls-cleartext");
	assert_int_equal(f->sev, SEV_WARNING);
	assert_int_equal(f->hosts[1], B);
	tl_free(&L);
	/* no certificate: no STARTTLS either */
	tls_lab(&L);
	tl_set(&L, D, "smtpd_tls_cert_file", "");
	tl_run(&L);
	assert_int_equal(tl_count(&L, "tls-required-not-offered"), 2);
	tl_free(&L);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_tls),
		cmocka_unit_test(test_verify_no_ca),
		cmocka_unit_test(test_wrappermode),
		cmocka_unit_test(test_sasl_no_map),
		cmocka_unit_test(test_starttls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
