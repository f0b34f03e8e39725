/* test-config.c: hosts.ini loading. Every tests/data/config/bad-*.ini names
 * its expected one-line error in its first line ("; expect: 4: ..."); good
 * files, the lab and example inventories, defaults, limits and jump chains
 * are checked field by field. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <dirent.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"

#define DIR_CONFIG	TEST_DATA "/config"
#define ASSETS		TEST_DATA "/../../assets"

static char err[1024];

static void
load_ok(const char *path, struct inventory *inv)
{
	if (config_load(path, inv, err, sizeof(err)) != 0)
		fail_msg("%s: %s", path, err);
}

/* Runs every bad-*.ini and compares the error with its "; expect:" line. */
static void
test_bad_files(void **state)
{
	DIR *d = opendir(DIR_CONFIG);
	struct dirent *e;
	struct inventory inv;
	char path[1024], line[512], want[1600], *nl;
	FILE *f;
	int count = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "bad-", 4) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", DIR_CONFIG, e->d_name);
		f = fopen(path, "r");
		assert_non_null(f);
		assert_non_null(fgets(line, sizeof(line), f));
		fclose(f);
		assert_int_equal(strncmp(line, "; expect: ", 10), 0);
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		if (line[10] >= '0' && line[10] <= '9')
			snprintf(want, sizeof(want), "%s:%s", path, line + 10);
		else
			snprintf(want, sizeof(want), "%s: %s", path, line + 10);
		memset(&inv, 0xff, sizeof(inv));
		if (config_load(path, &inv, err, sizeof(err)) != -1)
			fail_msg("%s: loaded", e->d_name);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("%s:\n got: %s\nwant: %s", e->d_name, err,
			    want);
		assert_null(strchr(err, '\n'));
		assert_null(inv.hosts);
		assert_int_equal(inv.n, 0);
		config_free(&inv);
		count++;
	}
	closedir(d);
	assert_true(count >= 48);
}

static void
test_good_full(void **state)
{
	struct inventory inv;
	const struct host_config *h;

	setenv("HOME", "/home/tester", 1);
	load_ok(DIR_CONFIG "/good-full.ini", &inv);
	assert_int_equal(inv.n, 5);
	assert_int_equal(inv.read_only, 1);
	assert_string_equal(inv.path, DIR_CONFIG "/good-full.ini");

	h = &inv.hosts[0];
	assert_string_equal(h->name, "origin-a");
	assert_string_equal(h->address, "172.16.10.5");
	assert_int_equal(h->port, 22);
	assert_string_equal(h->user, "relayop");
	assert_string_equal(h->identity, "/home/tester/.ssh/id_test");
	assert_string_equal(h->known_hosts, "/etc/relaytop/known_hosts");
	assert_int_equal(h->role, ROLE_ORIGIN);
	assert_int_equal(h->sudo, 1);
	assert_string_equal(h->maillog, "/var/log/maillog");
	assert_string_equal(h->postfix_config, "");
	assert_string_equal(h->jump, "bastion");
	assert_int_equal(h->jump_index, 4);
	assert_int_equal(h->refresh_s, 7);
	assert_int_equal(h->timeout_s, 20);
	assert_int_equal(h->queue_interval_s, 0);
	assert_string_equal(h->test_to, "postmaster@dest.example");
	assert_int_equal(h->hostkey_policy, HOSTKEY_ACCEPT_NEW);
	assert_int_equal(h->line, 16);

	h = &inv.hosts[1];
	assert_int_equal(h->port, 2222);
	assert_string_equal(h->user, "other_op");
	assert_int_equal(h->sudo, 0);
	assert_int_equal(h->jump_index, 4);

	h = &inv.hosts[2];
	assert_string_equal(h->address, "relay-c.example.com");
	assert_int_equal(h->role, ROLE_RELAY);
	assert_string_equal(h->maillog, "journal");
	assert_string_equal(h->postfix_config, "/etc/postfix-out");
	assert_string_equal(h->identity, "");	/* explicit: agent only */
	assert_int_equal(h->jump_index, -1);

	h = &inv.hosts[3];
	assert_string_equal(h->address, "2001:db8::12");
	assert_int_equal(h->role, ROLE_AUTO);
	assert_int_equal(h->hostkey_policy, HOSTKEY_STRICT);
	assert_int_equal(h->refresh_s, 3600);
	assert_int_equal(h->timeout_s, 1);
	assert_int_equal(h->queue_interval_s, 3600);
	assert_string_equal(h->test_to, "other+tag@dest.example");

	h = &inv.hosts[4];
	assert_string_equal(h->name, "bastion");
	assert_string_equal(h->maillog, "auto");

	assert_int_equal(config_find(&inv, "relay-d"), 3);
	assert_int_equal(config_find(&inv, "nope"), -1);
	assert_int_equal(config_find(&inv, NULL), -1);
	config_free(&inv);
	assert_null(inv.hosts);
	assert_int_equal(inv.n, 0);
	config_free(&inv);	/* twice is harmless */
}

/* Built-in defaults, with and without ~/.ssh/id_ed25519. */
static void
test_defaults(void **state)
{
	char home[] = "/tmp/relaytop-test-home-XXXXXX", p[512];
	struct inventory inv;
	const struct host_config *h;
	FILE *f;

	assert_non_null(mkdtemp(home));
	setenv("HOME", home, 1);
	load_ok(DIR_CONFIG "/good-minimal.ini", &inv);
	h = &inv.hosts[0];
	assert_int_equal(inv.read_only, 0);
	assert_int_equal(h->port, 22);
	assert_int_equal(h->role, ROLE_AUTO);
	assert_int_equal(h->sudo, 0);
	assert_string_equal(h->maillog, "auto");
	assert_int_equal(h->refresh_s, 5);
	assert_int_equal(h->timeout_s, 10);
	assert_int_equal(h->queue_interval_s, 30);
	assert_int_equal(h->hostkey_policy, HOSTKEY_STRICT);
	assert_string_equal(h->identity, "");	/* no id_ed25519: agent */
	assert_string_equal(h->jump, "");
	assert_int_equal(h->jump_index, -1);
	assert_string_equal(h->test_to, "");
	snprintf(p, sizeof(p), "%s/.ssh/known_hosts", home);
	assert_string_equal(h->known_hosts, p);
	assert_string_equal(h->global_known_hosts, "/etc/ssh/ssh_known_hosts");
	/* The local user, from the passwd entry. */
	assert_non_null(getpwuid(getuid()));
	assert_string_equal(h->user, getpwuid(getuid())->pw_name);
	config_free(&inv);

	snprintf(p, sizeof(p), "%s/.ssh", home);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/.ssh/id_ed25519", home);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	load_ok(DIR_CONFIG "/good-minimal.ini", &inv);
	assert_string_equal(inv.hosts[0].identity, p);
	config_free(&inv);

	unlink(p);
	snprintf(p, sizeof(p), "%s/.ssh", home);
	rmdir(p);
	rmdir(home);
}

static void
test_crlf_bom(void **state)
{
	struct inventory inv;

	load_ok(DIR_CONFIG "/good-crlf-bom.ini", &inv);
	assert_int_equal(inv.n, 2);
	assert_string_equal(inv.hosts[0].name, "relay-c");
	assert_int_equal(inv.hosts[0].port, 2022);
	assert_int_equal(inv.hosts[0].line, 1);
	assert_string_equal(inv.hosts[1].address, "172.16.10.5");
	assert_int_equal(inv.hosts[1].role, ROLE_ORIGIN);
	assert_int_equal(inv.hosts[1].line, 5);
	config_free(&inv);
}

static void
test_jump_chain(void **state)
{
	struct inventory inv;

	load_ok(DIR_CONFIG "/good-jump-chain.ini", &inv);
	assert_int_equal(inv.n, 3);
	assert_int_equal(inv.hosts[0].jump_index, 1);	/* a -> b */
	assert_int_equal(inv.hosts[1].jump_index, 2);	/* b -> c (defaults) */
	assert_int_equal(inv.hosts[2].jump_index, -1);	/* c cleared it */
	config_free(&inv);
}

static void
test_lab_and_example(void **state)
{
	struct inventory inv;
	int i;

	load_ok(ASSETS "/lab/hosts.ini", &inv);
	assert_int_equal(inv.n, 4);
	i = config_find(&inv, "relay-c");
	assert_true(i >= 0);
	assert_string_equal(inv.hosts[i].address, "172.16.1.11");
	assert_int_equal(inv.hosts[i].role, ROLE_RELAY);
	assert_string_equal(inv.hosts[i].user, "relayop");
	assert_int_equal(inv.hosts[i].sudo, 1);
	assert_string_equal(inv.hosts[i].identity,
	    "/etc/relaytop-lab/id_ed25519");
	i = config_find(&inv, "origin-a");
	assert_true(i >= 0);
	assert_string_equal(inv.hosts[i].address, "172.16.10.5");
	assert_int_equal(inv.hosts[i].role, ROLE_ORIGIN);
	config_free(&inv);

	setenv("HOME", "/home/op", 1);
	load_ok(ASSETS "/hosts.example.ini", &inv);
	assert_int_equal(inv.n, 4);
	assert_int_equal(inv.read_only, 0);
	assert_string_equal(inv.hosts[0].identity, "/home/op/.ssh/id_ed25519");
	assert_string_equal(inv.hosts[3].jump, "");
	assert_int_equal(inv.hosts[3].jump_index, -1);
	config_free(&inv);
}

/* Builds "[hN]\naddress = 10.0.x.y\n" for n hosts. */
static char *
many_hosts(int n)
{
	size_t cap = (size_t)n * 48 + 64, len = 0;
	char *s = malloc(cap);
	int i;

	assert_non_null(s);
	s[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len,
		    "[h%d]\naddress = 10.0.%d.%d\n", i, i / 250, i % 250 + 1);
	return s;
}

static void
test_limits(void **state)
{
	struct inventory inv;
	char *s, line[5000], path[1100];
	int n;

	s = many_hosts(1000);
	assert_int_equal(config_load_string(s, "big", &inv, err,
	    sizeof(err)), 0);
	assert_int_equal(inv.n, 1000);
	assert_int_equal(config_find(&inv, "h999"), 999);
	config_free(&inv);
	free(s);

	s = many_hosts(1001);
	assert_int_equal(config_load_string(s, "big", &inv, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "big:2001: too many hosts (at most 1000)");
	free(s);

	/* A 900-byte path: longer than inih's default 200-byte line. */
	memset(path, 'p', 900);
	path[0] = '/';
	path[900] = '\0';
	snprintf(line, sizeof(line), "[h]\naddress = a.example\n"
	    "maillog = %s\n", path);
	assert_int_equal(config_load_string(line, "long", &inv, err,
	    sizeof(err)), 0);
	assert_string_equal(inv.hosts[0].maillog, path);
	config_free(&inv);

	/* A line over 4000 bytes. */
	n = snprintf(line, sizeof(line), "[h]\naddress = a.example\n; ");
	memset(line + n, 'x', 4100);
	line[n + 4100] = '\0';
	assert_int_equal(config_load_string(line, "huge", &inv, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "huge:3: line too long (at most 4000 "
	    "bytes)");

	/* More than 1 MiB. */
	s = malloc(1100 * 1024);
	assert_non_null(s);
	memset(s, '#', 1100 * 1024 - 1);
	s[1100 * 1024 - 1] = '\0';
	assert_int_equal(config_load_string(s, "mib", &inv, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "mib: larger than 1 MiB");
	free(s);
}

static void
test_file_errors(void **state)
{
	struct inventory inv;

	assert_int_equal(config_load(DIR_CONFIG "/no-such.ini", &inv, err,
	    sizeof(err)), -1);
	assert_string_equal(err, DIR_CONFIG "/no-such.ini: No such file or "
	    "directory");
	assert_int_equal(config_load(DIR_CONFIG, &inv, err, sizeof(err)), -1);
	assert_string_equal(err, DIR_CONFIG ": not a regular file");
	assert_int_equal(config_load_string("", "empty", &inv, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "empty: no [host] section");
}

/* Bad values in [defaults] and odd spacing are still caught. */
static void
test_strings(void **state)
{
	struct inventory inv;

	assert_int_equal(config_load_string("[defaults]\nuser = a;b\n[h]\n"
	    "address = x\n", "s", &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "s:2: bad user 'a;b' ([a-z_][a-z0-9_.-]*, "
	    "at most 32)");
	assert_int_equal(config_load_string("  [h]  ; c\n  address =  x.y  "
	    "\n", "s", &inv, err, sizeof(err)), 0);
	assert_string_equal(inv.hosts[0].address, "x.y");
	config_free(&inv);
	assert_int_equal(config_load_string("[h] junk\naddress = x\n", "s",
	    &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "s:1: text after section header");
	assert_int_equal(config_load_string("[h]\nAddress = x\n", "s",
	    &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "s:2: unknown key 'Address'");
	assert_int_equal(config_load_string("[h]\naddress = x\nuser = "
	    "\x1b]0;t\x07\n", "s", &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "s:3: control character in line");
	assert_int_equal(config_load_string("[h]\naddress = 1.2.3.4\n"
	    "address = \xc3\xa9\xc0\n", "s", &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "s:3: duplicate key 'address' (first at "
	    "line 2)");
	/* ~/ with an unusable $HOME is refused, naming the key. */
	setenv("HOME", "/home/a b", 1);
	assert_int_equal(config_load_string("[h]\naddress = x\nidentity = "
	    "~/.ssh/k\n", "s", &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "s:3: bad identity '~/.ssh/k' (absolute path "
	    "of [A-Za-z0-9._/+@:-], ~/ allowed)");
	assert_int_equal(config_load_string("[h]\naddress = x\n", "s", &inv,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "s:1: [h]: no known_hosts set and $HOME is "
	    "not usable; set known_hosts");
	setenv("HOME", "/root", 1);
	assert_int_equal(config_load_string("[h]\naddress = \xc3\xa9\xc0\n",
	    "s", &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "s:2: bad address '\xc3\xa9?' (host name, "
	    "IPv4 or IPv6 address)");
}

/* history: 2000 unset, [defaults] for every host, a host's own wins, the
 * bounds 10 and 100000 taken (one past them: tests/data/config/
 * bad-history*.ini). */
static void
test_history(void **state)
{
	struct inventory inv;

	setenv("HOME", "/root", 1);
	assert_int_equal(config_load_string("[a]\naddress = x\n", "s", &inv,
	    err, sizeof(err)), 0);
	assert_int_equal(inv.hosts[0].history, 2000);
	config_free(&inv);
	assert_int_equal(config_load_string("[defaults]\nhistory = 50\n"
	    "[a]\naddress = x\n[b]\naddress = y\nhistory = 100000\n"
	    "[c]\naddress = z\nhistory = 10\n", "s", &inv, err,
	    sizeof(err)), 0);
	assert_int_equal(inv.hosts[0].history, 50);
	assert_int_equal(inv.hosts[1].history, 100000);
	assert_int_equal(inv.hosts[2].history, 10);
	config_free(&inv);
	assert_int_equal(config_load_string("[a]\naddress = x\nhistory = "
	    "-5\n", "s", &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "s:3: bad history '-5' (events kept per "
	    "host, 10..100000)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_good_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_crlf_bom),
		cmocka_unit_test(test_jump_chain),
		cmocka_unit_test(test_lab_and_example),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
