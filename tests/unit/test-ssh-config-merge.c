/* test-ssh-config-merge.c: hosts.ini with [defaults] ssh_config, loaded
 * through the real `ssh -G` of this machine on ssh_config files written
 * here (Include, Match, wildcards, ProxyJump chains): which value wins
 * (host section, then [defaults], then ssh, then built-ins), the
 * StrictHostKeyChecking and ProxyJump mapping, and the clear refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "ssh-config.h"

static char dir[64], err[1024];
static struct inventory inv;

static void
put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Loads "[defaults]\nssh_config = DIR/conf\n" + ini; conf written first
 * with every "^" replaced by the directory. */
static int
load(const char *conf, const char *ini)
{
	char text[4096], c[4096];
	size_t n = 0;

	for (; *conf != '\0' && n + sizeof(dir) < sizeof(c); conf++) {
		if (*conf == '^') {
			strcpy(c + n, dir);
			n += strlen(dir);
		} else
			c[n++] = *conf;
	}
	c[n] = '\0';
	put("conf", c);
	snprintf(text, sizeof(text), "[defaults]\nssh_config = %s/conf\n%s",
	    dir, ini);
	config_free(&inv);
	return config_load_string(text, "s", &inv, err, sizeof(err));
}

static const struct host_config *
host(const char *name)
{
	int i = config_find(&inv, name);

	assert_true(i >= 0);
	return &inv.hosts[i];
}

static int
setup(void **state)
{
	strcpy(dir, "/tmp/rt-sshg-merge.XXXXXX");
	assert_non_null(mkdtemp(dir));
	setenv("HOME", dir, 1);
	put("id_relayop", "key\n");
	put("inc.conf", "Host origin-b\n  HostName 172.16.10.6\n"
	    "  ProxyJump relay-c,relay-d\n");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	config_free(&inv);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#define LAB_CONF \
	"Include ^/inc.conf\n" \
	"Host origin-*\n  User relayop\n  IdentityFile ^/missing\n" \
	"  IdentityFile %d/id_%r\n" \
	"Match host 172.16.10.6\n  Port 2222\n" \
	"Host relay-c\n  HostName 172.16.1.11\n  StrictHostKeyChecking yes\n" \
	"Host relay-d\n  HostName 172.16.1.12\n  ProxyJump relay-c\n" \
	"Host *\n  ConnectTimeout 7\n  StrictHostKeyChecking accept-new\n" \
	"  UserKnownHostsFile ^/kh ~/.ssh/known_hosts2\n" \
	"  GlobalKnownHostsFile ^/gkh /etc/ssh/ssh_known_hosts2\n"

static void
test_lab_chain(void **state)
{
	const struct host_config *c, *d, *b;
	char kh[128], id[128];

	assert_int_equal(load(LAB_CONF, "[relay-c]\n[relay-d]\n[origin-b]\n"
	    "timeout = 3\n"), 0);
	snprintf(kh, sizeof(kh), "%s/kh", dir);
	snprintf(id, sizeof(id), "%s/id_relayop", dir);
	c = host("relay-c");
	d = host("relay-d");
	b = host("origin-b");
	assert_string_equal(c->address, "172.16.1.11");
	assert_int_equal(c->port, 22);
	assert_int_equal(c->hostkey_policy, HOSTKEY_STRICT);
	assert_int_equal(c->timeout_s, 7);
	assert_string_equal(c->known_hosts, kh);
	snprintf(kh, sizeof(kh), "%s/gkh", dir);
	assert_string_equal(c->global_known_hosts, kh);
	assert_string_equal(c->identity, "");	/* ssh's defaults: none exist */
	assert_int_equal(c->jump_index, -1);
	assert_string_equal(d->address, "172.16.1.12");
	assert_int_equal(d->hostkey_policy, HOSTKEY_ACCEPT_NEW);
	assert_string_equal(d->jump, "relay-c");
	assert_int_equal(d->jump_index, config_find(&inv, "relay-c"));
	assert_string_equal(b->address, "172.16.10.6");	/* Include */
	assert_int_equal(b->port, 2222);			/* Match */
	assert_string_equal(b->user, "relayop");		/* wildcard */
	assert_string_equal(b->identity, id);	/* first that exists */
	assert_int_equal(b->timeout_s, 3);	/* hosts.ini wins */
	assert_string_equal(b->jump, "relay-d");	/* last hop */
	assert_int_equal(b->jump_index, config_find(&inv, "relay-d"));
}

static void
test_precedence(void **state)
{
	const struct host_config *b;

	/* host section > [defaults] > ssh > built-in */
	if (load(LAB_CONF, "user = alice\nport = 2022\n[relay-c]\n"
	    "[origin-b]\nuser = bob\naddress = 127.0.0.1\njump = relay-c\n"
	    "host_key_policy = strict\n") != 0)
		fail_msg("%s", err);
	b = host("origin-b");
	assert_string_equal(b->address, "127.0.0.1");
	assert_string_equal(b->user, "bob");
	assert_int_equal(b->port, 2022);
	assert_int_equal(b->hostkey_policy, HOSTKEY_STRICT);
	assert_string_equal(b->jump, "relay-c");	/* not ProxyJump */
	assert_string_equal(host("relay-c")->user, "alice");
	assert_int_equal(host("relay-c")->timeout_s, 7);
	/* ConnectTimeout none: the built-in 10 s */
	assert_int_equal(load("Host *\n  HostName 127.0.0.1\n", "[x]\n"), 0);
	assert_int_equal(host("x")->timeout_s, 10);
	assert_int_equal(host("x")->hostkey_policy, HOSTKEY_STRICT); /* ask */
	assert_string_equal(host("x")->global_known_hosts,
	    "/etc/ssh/ssh_known_hosts");	/* ssh's default, the first */
	assert_int_equal(load("Host *\n  GlobalKnownHostsFile none\n",
	    "[x]\n"), 0);
	assert_string_equal(host("x")->global_known_hosts, "");
	/* A hop named by address, with the user and port of that host */
	if (load("Host b\n  ProxyJump relayop@127.0.0.2:2200\n", "[a]\n"
	    "address = 127.0.0.2\nuser = relayop\nport = 2200\n[b]\n") != 0)
		fail_msg("%s", err);
	assert_string_equal(host("b")->jump, "a");
}

/* A runner that fails: shows where ssh is not run at all. */
static int runs;
static int
ssh_fails(const char *cfgpath, const char *name, char *out, size_t cap,
    size_t *len, char *why, size_t whylen)
{
	runs++;
	snprintf(why, whylen, "not here");
	return -1;
}

static void
test_address_less(void **state)
{
	/* files written before ssh_config: no ssh run when every host has an
	 * address */
	sshg_set_runner(ssh_fails);
	config_free(&inv);
	assert_int_equal(config_load_string("[web]\naddress = 127.0.0.1\n",
	    "s", &inv, err, sizeof(err)), 0);
	assert_int_equal(runs, 0);
	config_free(&inv);
	assert_int_equal(config_load_string("[web]\n", "s", &inv, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "s:1: [web]: ssh -G: not here");
	assert_int_equal(runs, 1);
	sshg_set_runner(NULL);

	/* ssh_config unset: a host without address asks ssh (usual files);
	 * a host with one does not */
	config_free(&inv);
	assert_int_equal(config_load_string("[db1]\n[web]\naddress = "
	    "127.0.0.1\n", "s", &inv, err, sizeof(err)), 0);
	assert_string_equal(host("db1")->address, "db1");
	assert_int_equal(host("db1")->port, 22);
	config_free(&inv);
	assert_int_equal(config_load_string("[defaults]\nssh_config = no\n"
	    "[db1]\n", "s", &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "s:3: [db1]: missing address (ssh_config = "
	    "no)");
}

static void
expect(const char *conf, const char *ini, const char *want)
{
	assert_int_equal(load(conf, ini), -1);
	assert_string_equal(err, want);
}

static void
test_refusals(void **state)
{
	char want[512];

	expect("Host *\n  StrictHostKeyChecking no\n", "[a]\n",
	    "s:3: [a]: ssh gives StrictHostKeyChecking 'no' (relaytop never "
	    "turns host-key checks off); set host_key_policy = strict or "
	    "accept-new");
	assert_int_equal(load("Host *\n  StrictHostKeyChecking no\n",
	    "[a]\nhost_key_policy = accept-new\n"), 0);
	expect("Host a\n  ProxyCommand nc %h %p\n", "[a]\n",
	    "s:3: [a]: ssh gives ProxyCommand 'nc %h %p' (relaytop runs no "
	    "command; use ProxyJump); set jump");
	expect("Host a\n  ProxyJump bastion\n", "[a]\n",
	    "s:3: [a]: ssh ProxyJump hop 'bastion' is not a host of this file "
	    "(add it as a [host]; with no address ssh_config fills it in) or "
	    "set jump");
	expect("Host a\n  ProxyJump c,b\n", "[a]\n[b]\n[c]\n",
	    "s:3: [a]: ssh ProxyJump goes to b through c, but [b] jumps "
	    "directly; make them agree or set jump");
	expect("Host a\n  ProxyJump bob@b\n", "[a]\n[b]\nuser = relayop\n",
	    "s:3: [a]: ssh ProxyJump hop 'bob@b' differs from [b] "
	    "(relayop@...:22); relaytop goes as [b] says");
	expect("Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n", "[a]\n[b]\n",
	    "s:3: jump loop: a -> b -> a");
	expect("Host a\n  UserKnownHostsFile none\n", "[a]\n",
	    "s:3: [a]: ssh gives UserKnownHostsFile 'none' (relaytop needs one "
	    "absolute path of [A-Za-z0-9._/+@:-]); set known_hosts");
	expect("Host a\n  IdentityFile %i/k\n", "[a]\n",
	    "s:3: [a]: IdentityFile token '%i' is not supported; set "
	    "identity");
	expect("Host a\n  HostName bad..name\n", "[a]\n",
	    "s:3: [a]: ssh gives HostName 'bad..name' (not a host name or "
	    "address); set address");
	snprintf(want, sizeof(want), "s:3: [a]: ssh -G: %s/conf: line 2: "
	    "Bad configuration option: bogus", dir);
	expect("Host a\n  Bogus 1\n", "[a]\n", want);
	config_free(&inv);
	assert_int_equal(config_load_string("[a]\nssh_config = yes\n", "s",
	    &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "s:2: ssh_config is allowed in [defaults] "
	    "only");
	assert_int_equal(config_load_string("[defaults]\nssh_config = maybe\n"
	    "[a]\n", "s", &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "s:2: bad ssh_config 'maybe' (yes, no, or an "
	    "absolute path of [A-Za-z0-9._/+@:-], ~/ allowed)");
	assert_int_equal(config_load_string("[defaults]\nssh_config = "
	    "/nonexistent/c\n[a]\n", "s", &inv, err, sizeof(err)), -1);
	assert_string_equal(err, "s:3: [a]: ssh -G: Can't open user config "
	    "file /nonexistent/c: No such file or directory");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lab_chain),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_address_less),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
