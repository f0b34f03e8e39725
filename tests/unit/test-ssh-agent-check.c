/* test-ssh-agent-check.c: the bounded ssh-agent client: an agent that
 * answers is usable; one that accepts and stays silent, a missing socket
 * and a wrong answer are not, each within the deadline. Its keys are
 * listed; a signature is taken out of the agent's answer; a sign request
 * left unanswered fails within its deadline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../src/ssh-internal.h"

static char dir[] = "/tmp/rt-agent-XXXXXX";
static char dir2[] = "/tmp/rt-agent-XXXXXX";
static char path[100];

static int
listener(void)
{
	struct sockaddr_un sa;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 8), 0);
	return fd;
}

/* A child that answers one request of any length with `reply`, or, when
 * reply is NULL, reads it and stays silent for 3 s. */
static pid_t
agent_child_any(int lfd, const char *reply, size_t n)
{
	pid_t pid = fork();
	char req[4096];
	int c;

	assert_true(pid >= 0);
	if (pid == 0) {
		c = accept(lfd, NULL, NULL);
		if (c >= 0 && read(c, req, sizeof(req)) > 0) {
			if (reply)
				(void)!write(c, reply, n);
			else
				sleep(3);
		}
		_exit(0);
	}
	return pid;
}

static void
test_agent_check(void **state)
{
	char why[300];
	int64_t t0;
	int lfd, st;
	pid_t pid;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/agent.sock", dir);

	/* nothing there */
	assert_int_equal(sshc_agent_answers(path, 300, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "No such file"));

	/* accepts (in the backlog) and never answers: 0 in about 300 ms */
	lfd = listener();
	t0 = clock_ms();
	assert_int_equal(sshc_agent_answers(path, 300, why, sizeof(why)), 0);
	assert_true(clock_ms() - t0 >= 250 && clock_ms() - t0 < 2000);
	assert_non_null(strstr(why, "did not answer a request for its keys within 300 ms"));
	close(lfd);

	/* an agent: SSH_AGENT_IDENTITIES_ANSWER with no key */
	lfd = listener();
	pid = agent_child_any(lfd, "\0\0\0\5\14\0\0\0\0", 9);
	assert_int_equal(sshc_agent_answers(path, 2000, why, sizeof(why)), 1);
	waitpid(pid, &st, 0);
	close(lfd);

	/* something else that answers: not an agent */
	lfd = listener();
	pid = agent_child_any(lfd, "HTTP/1.0 400\r\n", 14);
	assert_int_equal(sshc_agent_answers(path, 2000, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "unexpected answer"));
	waitpid(pid, &st, 0);
	close(lfd);
	unlink(path);
	rmdir(dir);
}

static void
test_agent_list_sign(void **state)
{
	/* one key "KEY1" (comment "c"), then a second entry cut short */
	static const char list[] = "\0\0\0\26\14\0\0\0\2"
	    "\0\0\0\4KEY1\0\0\0\1c" "\0\0\0\x09";
	/* SIGN_RESPONSE: string(string "ssh-ed25519", string "SIG") */
	static const char sig[] = "\0\0\0\33\16\0\0\0\26"
	    "\0\0\0\13ssh-ed25519\0\0\0\3SIG";
	struct agent_keys k;
	unsigned char *out;
	size_t olen;
	char why[300];
	int64_t t0;
	int lfd, st;
	pid_t pid;

	(void)state;
	assert_non_null(mkdtemp(dir2));
	snprintf(path, sizeof(path), "%s/agent.sock", dir2);
	lfd = listener();
	pid = agent_child_any(lfd, list, sizeof(list) - 1);
	assert_int_equal(sshc_agent_list(path, 2000, &k, why, sizeof(why)), 1);
	assert_int_equal(k.len[0], 4);
	assert_memory_equal(k.blob[0], "KEY1", 4);
	waitpid(pid, &st, 0);

	pid = agent_child_any(lfd, sig, sizeof(sig) - 1);
	assert_int_equal(sshc_agent_sign(path, k.blob[0], k.len[0],
	    (const unsigned char *)"data", 4, 2000, &out, &olen, why,
	    sizeof(why)), 0);
	assert_int_equal(olen, 3);
	assert_memory_equal(out, "SIG", 3);
	free(out);
	waitpid(pid, &st, 0);

	/* a sign request read and never answered: -1 in about 300 ms */
	pid = agent_child_any(lfd, NULL, 0);
	t0 = clock_ms();
	assert_int_equal(sshc_agent_sign(path, k.blob[0], k.len[0],
	    (const unsigned char *)"data", 4, 300, &out, &olen, why,
	    sizeof(why)), -1);
	assert_true(clock_ms() - t0 >= 250 && clock_ms() - t0 < 2000);
	assert_non_null(strstr(why, "did not answer a sign request within "
	    "300 ms"));
	assert_null(out);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	sshc_agent_keys_free(&k);
	close(lfd);
	unlink(path);
	rmdir(dir2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agent_check),
		cmocka_unit_test(test_agent_list_sign),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
