/* test-shard.c: --shard K/N: the hash is FNV-1a and stable (known
 * values), every host falls in exactly one of N shards and the shards are
 * not lopsided, bad K/N is refused with a message, shard_apply keeps a
 * shard's hosts and the jump hosts they need (indexes remapped) and names
 * the rest as peers; and the command line around --serve, --console and
 * --shard, with serve_addr_parse's addresses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "cli.h"
#include "config.h"
#include "serve.h"
#include "shard.h"

static void
test_hash(void **state)
{
	(void)state;
	/* FNV-1a 32-bit reference values */
	assert_int_equal(shard_hash(""), 0x811c9dc5u);
	assert_int_equal(shard_hash("a"), 0xe40c292cu);
	assert_int_equal(shard_hash("foobar"), 0xbf9cf968u);
	assert_int_equal(shard_of("relay-c", 1), 1);
	assert_int_equal(shard_of("anything", 1), 1);
	assert_int_equal(shard_of("relay-c", 7),
	    (int)(shard_hash("relay-c") % 7) + 1);
}

/* 500 bench-like names over N shards: each in exactly one, none empty,
 * none over twice its share. */
static void
test_coverage(void **state)
{
	int n, k, i, count[16];
	char name[32];

	(void)state;
	for (n = 1; n <= 16; n++) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < 500; i++) {
			int in = 0;

			snprintf(name, sizeof(name), "host-%03d", i);
			for (k = 1; k <= n; k++)
				if (shard_of(name, n) == k)
					in++;
			assert_int_equal(in, 1);
			count[shard_of(name, n) - 1]++;
		}
		for (k = 0; k < n; k++) {
			assert_true(count[k] > 0);
			assert_true(count[k] <= 2 * 500 / n + 5);
		}
	}
}

static void
test_parse(void **state)
{
	static const char *const bad[] = { "", "1", "/3", "1/", "0/3", "4/3",
		"1/0", "a/3", "1/3x", " 1/3", "1/1001", "-1/3", "1//3",
		"99999999999999999999/3", NULL };
	char err[200];
	int k, n, i;

	(void)state;
	assert_int_equal(shard_parse("2/3", &k, &n, err, sizeof(err)), 0);
	assert_int_equal(k, 2);
	assert_int_equal(n, 3);
	assert_int_equal(shard_parse("1/1", &k, &n, err, sizeof(err)), 0);
	assert_int_equal(shard_parse("1000/1000", &k, &n, err, sizeof(err)), 0);
	for (i = 0; bad[i] != NULL; i++) {
		err[0] = '\0';
		if (shard_parse(bad[i], &k, &n, err, sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad[i]);
		assert_non_null(strstr(err, "--shard"));
	}
	assert_int_equal(shard_parse("4/3", &k, &n, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "K is at most N"));
}

/* Two hosts behind a jump host: whichever shard a host lands in, its jump
 * host comes with it (index remapped), the rest become peers, and every
 * host is watched by some shard. */
static void
test_apply(void **state)
{
	static const char ini[] =
	    "[bastion]\naddress = 192.0.2.1\n"
	    "[origin-a]\naddress = 172.16.10.5\njump = bastion\n"
	    "[origin-b]\naddress = 172.16.10.6\njump = bastion\n"
	    "[relay-c]\naddress = 172.16.1.11\n"
	    "[relay-d]\naddress = 172.16.1.12\n";
	const char *names[] = { "bastion", "origin-a", "origin-b", "relay-c",
		"relay-d" };
	int seen[5] = { 0 }, n = 3, k, i;
	struct inventory inv;
	char err[200];
	size_t j;

	(void)state;
	for (k = 1; k <= n; k++) {
		assert_int_equal(config_load_string(ini, "t.ini", &inv, err,
		    sizeof(err)), 0);
		assert_int_equal(shard_apply(&inv, k, n), 0);
		assert_int_equal(inv.shard_k, k);
		assert_int_equal(inv.n + inv.npeers, 5);
		for (j = 0; j < inv.n; j++) {
			const struct host_config *h = &inv.hosts[j];

			for (i = 0; i < 5; i++)
				if (strcmp(h->name, names[i]) == 0 &&
				    shard_of(h->name, n) == k)
					seen[i]++;
			if (strcmp(h->name, "origin-a") == 0 ||
			    strcmp(h->name, "origin-b") == 0) {
				/* its jump host is here, at the new index */
				assert_true(h->jump_index >= 0 &&
				    (size_t)h->jump_index < inv.n);
				assert_string_equal(
				    inv.hosts[h->jump_index].name, "bastion");
			} else
				assert_int_equal(h->jump_index, -1);
			/* a kept host not of this shard is a jump host */
			if (shard_of(h->name, n) != k)
				assert_string_equal(h->name, "bastion");
		}
		for (j = 0; j < inv.npeers; j++) {
			assert_true(shard_of(inv.peers[j].name, n) != k);
			assert_ptr_equal(shard_peer_find(&inv,
			    inv.peers[j].address), &inv.peers[j]);
			assert_ptr_equal(shard_peer_find(&inv,
			    inv.peers[j].name), &inv.peers[j]);
		}
		assert_null(shard_peer_find(&inv, "192.0.2.99"));
		config_free(&inv);
	}
	for (i = 0; i < 5; i++)
		assert_int_equal(seen[i], 1);	/* each host: one shard */
}

static void
test_serve_addr(void **state)
{
	static const char *const bad[] = { "", "0", "65536", "x", ":9464",
		"localhost:9464", "1.2.3:9464", "[::1]", "[::1]9464",
		"::1:9464", "[1.2.3.4]:9464", "127.0.0.1:", "127.0.0.1:99x",
		NULL };
	struct sockaddr_storage ss;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	char err[200], a[64];
	int i;

	(void)state;
	assert_int_equal(serve_addr_parse("9464", &ss, &len, err,
	    sizeof(err)), 0);
	assert_int_equal(v4->sin_family, AF_INET);
	assert_int_equal(ntohs(v4->sin_port), 9464);
	assert_int_equal(ntohl(v4->sin_addr.s_addr), INADDR_LOOPBACK);
	assert_int_equal(len, sizeof(*v4));
	assert_int_equal(serve_addr_parse("172.16.1.100:80", &ss, &len, err,
	    sizeof(err)), 0);
	inet_ntop(AF_INET, &v4->sin_addr, a, sizeof(a));
	assert_string_equal(a, "172.16.1.100");
	assert_int_equal(serve_addr_parse("[::1]:9464", &ss, &len, err,
	    sizeof(err)), 0);
	assert_int_equal(v6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(v6->sin6_port), 9464);
	for (i = 0; bad[i] != NULL; i++) {
		err[0] = '\0';
		if (serve_addr_parse(bad[i], &ss, &len, err, sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad[i]);
		assert_non_null(strstr(err, "--serve"));
	}
}

static enum cli_result
parse(const char *a1, const char *a2, const char *a3, const char *a4,
    struct options *o, enum cli_mode *mode, char *err)
{
	char *argv[6] = { "relaytop", (char *)a1, (char *)a2, (char *)a3,
		(char *)a4, NULL };
	int argc = 1;

	while (argc < 5 && argv[argc] != NULL)
		argc++;
	return cli_parse(argc, argv, o, mode, err, 300);
}

static void
test_cli(void **state)
{
	struct options o;
	enum cli_mode mode;
	char err[300];

	(void)state;
	assert_int_equal(parse("--serve", "9464", NULL, NULL, &o, &mode, err),
	    CLI_RUN);
	assert_int_equal(mode, CLI_SERVE);
	assert_string_equal(o.serve, "9464");
	assert_int_equal(parse("--serve", "9464", "--console", NULL, &o, &mode,
	    err), CLI_RUN);
	assert_int_equal(mode, CLI_CONSOLE);
	assert_int_equal(o.console, 1);
	assert_int_equal(parse("--serve", "9464", "--shard", "2/3", &o, &mode,
	    err), CLI_RUN);
	assert_int_equal(o.shard_k, 2);
	assert_int_equal(o.shard_n, 3);
	assert_int_equal(parse("--once", "--shard", "1/2", NULL, &o, &mode,
	    err), CLI_RUN);
	assert_int_equal(mode, CLI_ONCE);
	/* refusals, each with its reason */
	assert_int_equal(parse("--console", NULL, NULL, NULL, &o, &mode, err),
	    CLI_ERROR);
	assert_non_null(strstr(err, "--console works with --serve"));
	assert_int_equal(parse("--serve", "9464", "--once", NULL, &o, &mode,
	    err), CLI_ERROR);
	assert_non_null(strstr(err, "--serve"));
	assert_int_equal(parse("--serve", "9464", "--json", NULL, &o, &mode,
	    err), CLI_ERROR);
	assert_int_equal(parse("--serve", "nope", NULL, NULL, &o, &mode, err),
	    CLI_ERROR);
	assert_non_null(strstr(err, "bad --serve 'nope'"));
	assert_int_equal(parse("--serve", "9464", "--timeout", "5", &o, &mode,
	    err), CLI_ERROR);
	assert_int_equal(parse("--shard", "3/2", NULL, NULL, &o, &mode, err),
	    CLI_ERROR);
	assert_non_null(strstr(err, "K is at most N"));
	assert_int_equal(parse("--flush", "all", "--shard", "1/2", &o, &mode,
	    err), CLI_ERROR);
	assert_non_null(strstr(err, "--shard works with"));
	/* an escape in the argument never reaches the message raw */
	assert_int_equal(parse("--serve", "\x1b[31m9", NULL, NULL, &o, &mode,
	    err), CLI_ERROR);
	assert_null(strchr(err, '\x1b'));
	assert_int_equal(parse("--shard", "\x1b[2J", NULL, NULL, &o, &mode,
	    err), CLI_ERROR);
	assert_null(strchr(err, '\x1b'));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_serve_addr),
		cmocka_unit_test(test_cli),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
