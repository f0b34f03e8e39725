/* test-ssh-config.c: the `ssh -G` output parser on output captured from this
 * machine's OpenSSH 9.2 (tests/data/ssh-config/) and on hand-made edge
 * cases, and the runner's bounds (time, output size, ssh's own error). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "ssh-config.h"
#include "test-data.h"

static char what[512];
static struct sshg_opts o;

static void
test_default_capture(void **state)
{
	size_t len;
	char *t = test_data_slurp("ssh-config/G-default-relay-c.txt", &len);

	assert_int_equal(sshg_parse(t, len, &o, what, sizeof(what)), 0);
	assert_string_equal(o.hostname, "relay-c");
	assert_string_equal(o.user, "root");
	assert_int_equal(o.port, 22);
	assert_int_equal(o.n_identity, 7);
	assert_string_equal(o.identity[0], "~/.ssh/id_rsa");
	assert_string_equal(o.identity[3], "~/.ssh/id_ed25519");
	assert_string_equal(o.user_known_hosts, "/root/.ssh/known_hosts");
	assert_string_equal(o.global_known_hosts, "/etc/ssh/ssh_known_hosts");
	assert_string_equal(o.strict, "ask");
	assert_int_equal(o.connect_timeout, 0);
	assert_string_equal(o.proxyjump, "");
	assert_string_equal(o.proxycommand, "");
	free(t);
}

static void
test_lab_capture(void **state)
{
	size_t len;
	char *t = test_data_slurp("ssh-config/G-lab-origin-b.txt", &len);

	assert_int_equal(sshg_parse(t, len, &o, what, sizeof(what)), 0);
	assert_string_equal(o.hostname, "172.16.10.6");	/* from Include */
	assert_string_equal(o.user, "relayop");		/* Host origin-* */
	assert_int_equal(o.port, 2222);			/* Match host */
	assert_int_equal(o.n_identity, 1);
	assert_string_equal(o.identity[0], "%d/.ssh/lab_%r");
	assert_string_equal(o.proxyjump, "relay-d,relay-c");
	assert_string_equal(o.user_known_hosts,
	    "/etc/relaytop-lab/known_hosts");
	assert_string_equal(o.strict, "accept-new");
	assert_int_equal(o.connect_timeout, 7);
	free(t);
}

static int
parse_str(const char *s)
{
	return sshg_parse(s, strlen(s), &o, what, sizeof(what));
}

static void
test_edges(void **state)
{
	char big[5000];
	int i;

	assert_int_equal(parse_str("user x\n"), -1);
	assert_string_equal(what, "no hostname in ssh -G output");
	assert_int_equal(parse_str("hostname a\nport 0\n"), -1);
	assert_string_equal(what, "bad port in ssh -G output");
	assert_int_equal(parse_str("hostname a\nport 65536\n"), -1);
	assert_int_equal(parse_str("hostname a\nport 22x\n"), -1);
	assert_int_equal(parse_str("hostname a\nconnecttimeout -1\n"), -1);
	assert_string_equal(what, "bad connecttimeout in ssh -G output");
	assert_int_equal(parse_str("hostname a\x1b[2J\n"), -1);
	assert_string_equal(what, "control character in ssh -G output");
	memset(big, 'x', sizeof(big));
	memcpy(big, "hostname ", 9);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(parse_str(big), -1);
	assert_string_equal(what, "ssh -G output line too long");
	big[3000] = '\0';
	assert_int_equal(parse_str(big), -1);
	assert_string_equal(what, "hostname too long in ssh -G output");
	/* no final newline, a line without value, an unknown key */
	assert_int_equal(parse_str("bogus\nfoo bar\nhostname b"), 0);
	assert_string_equal(o.hostname, "b");
	/* only the first SSHG_IDENT_MAX identities are kept */
	big[0] = '\0';
	strcat(big, "hostname a\n");
	for (i = 0; i < SSHG_IDENT_MAX + 3; i++)
		sprintf(big + strlen(big), "identityfile /k%d\n", i);
	assert_int_equal(parse_str(big), 0);
	assert_int_equal(o.n_identity, SSHG_IDENT_MAX);
	assert_string_equal(o.identity[SSHG_IDENT_MAX - 1], "/k15");
	/* ConnectTimeout none: no timeout given */
	assert_int_equal(parse_str("hostname a\nconnecttimeout none\n"), 0);
	assert_int_equal(o.connect_timeout, 0);
}

/* A stand-in `ssh` first on PATH: the runner's bounds against a child that
 * hangs, floods or fails. */
static char bindir[64];

static void
fake_ssh(const char *body)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/ssh", bindir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

static void
test_runner_bounds(void **state)
{
	static char out[SSHG_OUT_MAX + 1];
	const char *oldpath = getenv("PATH");
	char *saved = strdup(oldpath ? oldpath : "/usr/bin:/bin");
	char newpath[4096];
	size_t len;
	time_t t0;

	strcpy(bindir, "/tmp/rt-sshg-bin.XXXXXX");
	assert_non_null(mkdtemp(bindir));
	snprintf(newpath, sizeof(newpath), "%s:%s", bindir, saved);
	setenv("PATH", newpath, 1);

	/* argv reaches ssh as given, never through a shell */
	fake_ssh("for a; do echo \"arg $a\"; done; echo hostname x");
	assert_int_equal(sshg_run("/etc/x;y", "h", out, sizeof(out), &len,
	    what, sizeof(what)), -1);
	assert_string_equal(what, "bad ssh_config path");
	assert_int_equal(sshg_run(NULL, "-oProxyCommand=x", out, sizeof(out),
	    &len, what, sizeof(what)), -1);
	assert_string_equal(what, "bad host name for ssh -G");
	assert_int_equal(sshg_run("/etc/c", "h-1", out, sizeof(out), &len,
	    what, sizeof(what)), 0);
	assert_string_equal(out, "arg -F\narg /etc/c\narg -G\narg --\n"
	    "arg h-1\nhostname x\n");

	fake_ssh("echo 'oops: \033[31mred' >&2; exit 255");
	assert_int_equal(sshg_run(NULL, "h", out, sizeof(out), &len, what,
	    sizeof(what)), -1);
	assert_string_equal(what, "oops: ?[31mred");

	fake_ssh("head -c 70000 /dev/zero | tr '\\0' x");
	assert_int_equal(sshg_run(NULL, "h", out, sizeof(out), &len, what,
	    sizeof(what)), -1);
	assert_string_equal(what, "output over 65536 bytes");

	fake_ssh("exec sleep 30");
	t0 = time(NULL);
	assert_int_equal(sshg_run(NULL, "h", out, sizeof(out), &len, what,
	    sizeof(what)), -1);
	assert_string_equal(what, "no answer within 5 s");
	assert_true(time(NULL) - t0 < 8);

	setenv("PATH", "/nonexistent", 1);
	assert_int_equal(sshg_run(NULL, "h", out, sizeof(out), &len, what,
	    sizeof(what)), -1);
	assert_string_equal(what, "cannot run ssh: No such file or directory");

	setenv("PATH", saved, 1);
	free(saved);
	unlink(strcat(bindir, "/ssh"));
	*strrchr(bindir, '/') = '\0';
	rmdir(bindir);
}

/* The real ssh on this machine, through the real runner. */
static void
test_real_ssh(void **state)
{
	char conf[] = "/tmp/rt-sshg-real.XXXXXX", path[128];
	FILE *f;

	assert_non_null(mkdtemp(conf));
	snprintf(path, sizeof(path), "%s/c", conf);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "Host web*\n  HostName 127.0.0.9\n  Port 2200\n");
	fclose(f);
	assert_int_equal(sshg_query(SSHG_FILE, path, "web1", &o, what,
	    sizeof(what)), 0);
	assert_string_equal(o.hostname, "127.0.0.9");
	assert_int_equal(o.port, 2200);
	assert_int_equal(sshg_query(SSHG_FILE, path, "db1", &o, what,
	    sizeof(what)), 0);
	assert_string_equal(o.hostname, "db1");
	assert_int_equal(o.port, 22);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "Host x\n  Bogus 1\n");
	fclose(f);
	assert_int_equal(sshg_query(SSHG_FILE, path, "x", &o, what,
	    sizeof(what)), -1);
	assert_non_null(strstr(what, "ssh -G: "));
	assert_non_null(strstr(what, "line 2: Bad configuration option: "
	    "bogus"));
	unlink(path);
	rmdir(conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_capture),
		cmocka_unit_test(test_lab_capture),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_runner_bounds),
		cmocka_unit_test(test_real_ssh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
