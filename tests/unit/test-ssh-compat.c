/* test-ssh-compat.c: the libssh2 version differences: version strings to
 * numbers, the RSA decision by libssh2 version and server banner (banners as
 * Debian 12's, Debian 13's and older sshd send them), RSA key blobs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/ssh-compat.h"

#define DEB12	"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u7"
#define DEB13	"SSH-2.0-OpenSSH_10.0p2 Debian-7"

static void
test_version_num(void **state)
{
	static const struct { const char *s; unsigned long want; } t[] = {
		{ "1.10.0", 0x010a00 }, { "1.11.1", 0x010b01 },
		{ "1.11.0", 0x010b00 }, { "1.9", 0x010900 },
		{ "1.11.1_DEV", 0x010b01 }, { "2.0.0", 0x020000 },
		/* Not a version: 0, which the RSA decision treats as old. */
		{ NULL, 0 }, { "", 0 }, { "1", 0 }, { "1.", 0 }, { "1.x", 0 },
		{ "1.11.", 0 }, { "1.11.1.2", 0 }, { "1.256.0", 0 },
		{ "1.0011.0", 0 }, { "v1.11.0", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (ssh_compat_version_num(t[i].s) != t[i].want)
			fail_msg("%s: got %#lx, want %#lx", t[i].s ? t[i].s :
			    "NULL", ssh_compat_version_num(t[i].s), t[i].want);
	}
}

static void
test_running_version(void **state)
{
	/* The library this test links: what the headers say, or newer. */
	assert_true(ssh_compat_libssh2_num() >= LIBSSH2_VERSION_NUM);
	assert_int_equal(ssh_compat_version_num(ssh_compat_libssh2_str()),
	    ssh_compat_libssh2_num());
}

static void
test_rsa_by_version(void **state)
{
	/* libssh2 1.11+ signs rsa-sha2: any server. */
	assert_int_equal(ssh_compat_rsa(0x010b00, DEB12), SSH_RSA_WORKS);
	assert_int_equal(ssh_compat_rsa(0x010b01, DEB13), SSH_RSA_WORKS);
	assert_int_equal(ssh_compat_rsa(0x020000, NULL), SSH_RSA_WORKS);
	assert_int_equal(ssh_compat_rsa(0x010b01, "SSH-2.0-dropbear_2022.83"),
	    SSH_RSA_WORKS);
	/* 1.10 (Debian 12): OpenSSH 8.8+ refuses its SHA-1 signatures. */
	assert_int_equal(ssh_compat_rsa(0x010a00, DEB12), SSH_RSA_REFUSED);
	assert_int_equal(ssh_compat_rsa(0x010a00, DEB13), SSH_RSA_REFUSED);
	assert_int_equal(ssh_compat_rsa(0x010a00, "SSH-2.0-OpenSSH_8.8"),
	    SSH_RSA_REFUSED);
	assert_int_equal(ssh_compat_rsa(0x010aff, "SSH-2.0-OpenSSH_8.9p1 "
	    "Ubuntu-3ubuntu0.10"), SSH_RSA_REFUSED);
	assert_int_equal(ssh_compat_rsa(0, DEB12), SSH_RSA_REFUSED);
	/* An older OpenSSH still takes ssh-rsa. */
	assert_int_equal(ssh_compat_rsa(0x010a00, "SSH-2.0-OpenSSH_8.7"),
	    SSH_RSA_WORKS);
	assert_int_equal(ssh_compat_rsa(0x010a00, "SSH-2.0-OpenSSH_7.4"),
	    SSH_RSA_WORKS);
	/* Not OpenSSH, or no readable version: tried, explained on failure. */
	assert_int_equal(ssh_compat_rsa(0x010a00, NULL), SSH_RSA_MAYBE);
	assert_int_equal(ssh_compat_rsa(0x010a00, "SSH-2.0-dropbear_2022.83"),
	    SSH_RSA_MAYBE);
	assert_int_equal(ssh_compat_rsa(0x010a00, "SSH-2.0-OpenSSH_"),
	    SSH_RSA_MAYBE);
	assert_int_equal(ssh_compat_rsa(0x010a00, "SSH-2.0-OpenSSH_9"),
	    SSH_RSA_MAYBE);
	assert_int_equal(ssh_compat_rsa(0x010a00, "SSH-2.0-OpenSSHX_9.2"),
	    SSH_RSA_MAYBE);
}

static void
test_rsa_advice(void **state)
{
	char buf[256], small[16];

	ssh_compat_rsa_advice(buf, sizeof(buf));
	assert_non_null(strstr(buf, ssh_compat_libssh2_str()));
	assert_non_null(strstr(buf, "ssh-keygen -t ed25519"));
	assert_null(strchr(buf, '\n'));
	ssh_compat_rsa_advice(small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
}

static void
test_blob_is_rsa(void **state)
{
	static const unsigned char rsa[] = "\0\0\0\7ssh-rsa\0\0\0\3\1\0\1";
	static const unsigned char cert[] =
	    "\0\0\0\34ssh-rsa-cert-v01@openssh.com";
	static const unsigned char ed[] = "\0\0\0\13ssh-ed25519\0\0\0\40";
	static const unsigned char sha2[] = "\0\0\0\14rsa-sha2-256";
	static const unsigned char longer[] = "\0\0\0\10ssh-rsax";

	assert_true(ssh_compat_blob_is_rsa(rsa, sizeof(rsa) - 1));
	assert_true(ssh_compat_blob_is_rsa(cert, sizeof(cert) - 1));
	assert_false(ssh_compat_blob_is_rsa(ed, sizeof(ed) - 1));
	assert_false(ssh_compat_blob_is_rsa(sha2, sizeof(sha2) - 1));
	assert_false(ssh_compat_blob_is_rsa(longer, sizeof(longer) - 1));
	/* Truncated: the name's length runs past the blob. */
	assert_false(ssh_compat_blob_is_rsa(rsa, 10));
	assert_false(ssh_compat_blob_is_rsa(rsa, 3));
	assert_false(ssh_compat_blob_is_rsa(NULL, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_num),
		cmocka_unit_test(test_running_version),
		cmocka_unit_test(test_rsa_by_version),
		cmocka_unit_test(test_rsa_advice),
		cmocka_unit_test(test_blob_is_rsa),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
