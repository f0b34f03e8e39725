/* test-knownhosts.c: known_hosts lookups of the ssh transport without a
 * server: keys made with ssh-keygen (tests/data/knownhosts/, .pub files) checked
 * against plain, [host]:port, hashed and messy files, and accept-new writes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sshc.h"

#define KH	TEST_DATA "/knownhosts/"

struct key {
	unsigned char blob[1024];
	size_t	len;
	int	type;		/* LIBSSH2_HOSTKEY_TYPE_* */
};

static int
b64val(int c)
{
	const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/";
	const char *p = c ? strchr(t, c) : NULL;

	return p ? (int)(p - t) : -1;
}

/* Reads "type base64 comment" from a .pub file into a raw key blob. */
static void
load_key(const char *name, struct key *k)
{
	char path[512], line[2048], *sp, *b;
	unsigned acc = 0;
	int bits = 0, v;
	FILE *f;

	snprintf(path, sizeof(path), KH "%s", name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	k->type = strncmp(line, "ssh-ed25519 ", 12) == 0 ? 6 :
	    strncmp(line, "ecdsa-sha2-nistp256 ", 20) == 0 ? 3 : 0;
	assert_int_not_equal(k->type, 0);
	sp = strchr(line, ' ');
	assert_non_null(sp);
	k->len = 0;
	for (b = sp + 1; *b && *b != ' ' && *b != '\n'; b++) {
		if ((v = b64val((unsigned char)*b)) < 0)
			continue;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			k->blob[k->len++] = (unsigned char)(acc >> bits);
		}
	}
	assert_true(k->len > 32);
}

static enum kh_result
check(const char *file, const char *host, int port, const struct key *k)
{
	char path[512], err[256];

	snprintf(path, sizeof(path), KH "%s", file);
	return knownhosts_check(path, host, port, k->blob, k->len, k->type,
	    err, sizeof(err));
}

static void
test_plain(void **state)
{
	struct key ed, other, ec;

	(void)state;
	load_key("host_ed25519.pub", &ed);
	load_key("other_ed25519.pub", &other);
	load_key("host_ecdsa.pub", &ec);
	assert_int_equal(check("known_hosts_plain", "172.16.1.11", 22, &ed),
	    KH_MATCH);
	/* Same host, same type, another key: the man-in-the-middle case. */
	assert_int_equal(check("known_hosts_plain", "172.16.1.11", 22,
	    &other), KH_MISMATCH);
	assert_int_equal(check("known_hosts_plain", "10.9.9.9", 22, &ed),
	    KH_NOTFOUND);
	/* Only an ed25519 key is known: an ECDSA key is "not found" here;
	 * knownhosts_types lets the session call that a change. */
	assert_int_equal(check("known_hosts_plain", "172.16.1.11", 22, &ec),
	    KH_NOTFOUND);
	/* Comma-separated names on one line. */
	assert_int_equal(check("known_hosts_plain", "relay-c.example.jp", 22,
	    &ed), KH_MATCH);
	assert_int_equal(check("known_hosts_plain", "172.16.1.13", 22,
	    &other), KH_MISMATCH);
}

static void
test_port(void **state)
{
	struct key ec, ed;

	(void)state;
	load_key("host_ecdsa.pub", &ec);
	load_key("host_ed25519.pub", &ed);
	assert_int_equal(check("known_hosts_plain", "172.16.1.12", 2222,
	    &ec), KH_MATCH);
	/* [host]:2222 says nothing about port 22, nor the reverse. */
	assert_int_equal(check("known_hosts_plain", "172.16.1.12", 22, &ec),
	    KH_NOTFOUND);
	assert_int_equal(check("known_hosts_plain", "172.16.1.11", 2222,
	    &ed), KH_NOTFOUND);
}

static void
test_hashed(void **state)
{
	struct key ed, other, ec;
	char path[512], types[128];

	(void)state;
	load_key("host_ed25519.pub", &ed);
	load_key("other_ed25519.pub", &other);
	load_key("host_ecdsa.pub", &ec);
	assert_int_equal(check("known_hosts_hashed", "172.16.1.11", 22, &ed),
	    KH_MATCH);
	assert_int_equal(check("known_hosts_hashed", "172.16.1.11", 22,
	    &other), KH_MISMATCH);
	assert_int_equal(check("known_hosts_hashed", "172.16.1.12", 2222,
	    &ec), KH_MATCH);
	assert_int_equal(check("known_hosts_hashed", "172.16.1.13", 22, &ed),
	    KH_MATCH);
	assert_int_equal(check("known_hosts_hashed", "172.16.1.14", 22, &ed),
	    KH_NOTFOUND);
	snprintf(path, sizeof(path), KH "known_hosts_hashed");
	knownhosts_types(path, "172.16.1.11", 22, types, sizeof(types));
	assert_string_equal(types, "ssh-ed25519");
	knownhosts_types(path, "172.16.1.12", 2222, types, sizeof(types));
	assert_string_equal(types, "ecdsa-sha2-nistp256");
	knownhosts_types(path, "172.16.1.12", 22, types, sizeof(types));
	assert_string_equal(types, "");
}

static void
test_junk_and_missing(void **state)
{
	struct key ed, other;

	(void)state;
	load_key("host_ed25519.pub", &ed);
	load_key("other_ed25519.pub", &other);
	/* Unparseable lines before the entry do not hide it. */
	assert_int_equal(check("known_hosts_junk", "172.16.1.11", 22, &ed),
	    KH_MATCH);
	assert_int_equal(check("known_hosts_junk", "172.16.1.11", 22,
	    &other), KH_MISMATCH);
	/* A missing file knows no host (accept-new may create it). */
	assert_int_equal(check("no-such-file", "172.16.1.11", 22, &ed),
	    KH_NOTFOUND);
}

static void
test_append(void **state)
{
	struct key ed, ec;
	char path[] = "/tmp/relaytop-kh-XXXXXX", err[256], buf[4096];
	size_t n;
	FILE *f;
	int fd;

	(void)state;
	load_key("host_ed25519.pub", &ed);
	load_key("host_ecdsa.pub", &ec);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	/* An existing last line without its newline stays intact. */
	assert_int_equal(write(fd, "# no newline", 12), 12);
	close(fd);
	assert_int_equal(knownhosts_check(path, "172.16.1.11", 22, ed.blob,
	    ed.len, ed.type, err, sizeof(err)), KH_NOTFOUND);
	assert_int_equal(knownhosts_append(path, "172.16.1.11", 22, ed.blob,
	    ed.len, ed.type, err, sizeof(err)), 0);
	assert_int_equal(knownhosts_append(path, "172.16.1.12", 2222, ec.blob,
	    ec.len, ec.type, err, sizeof(err)), 0);
	assert_int_equal(knownhosts_check(path, "172.16.1.11", 22, ed.blob,
	    ed.len, ed.type, err, sizeof(err)), KH_MATCH);
	assert_int_equal(knownhosts_check(path, "172.16.1.12", 2222, ec.blob,
	    ec.len, ec.type, err, sizeof(err)), KH_MATCH);
	assert_int_equal(knownhosts_check(path, "172.16.1.12", 22, ec.blob,
	    ec.len, ec.type, err, sizeof(err)), KH_NOTFOUND);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "# no newline\n172.16.1.11 ssh-ed25519 "));
	assert_non_null(strstr(buf, "\n[172.16.1.12]:2222 ecdsa-sha2-nistp256 "));
	assert_int_equal(buf[n - 1], '\n');
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_port),
		cmocka_unit_test(test_hashed),
		cmocka_unit_test(test_junk_and_missing),
		cmocka_unit_test(test_append),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
