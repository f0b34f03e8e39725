/* test-ssh-agent-check.c: the bounded look at the ssh-agent: an agent that
 * answers is usable; one that accepts and stays silent, a missing socket
 * and a wrong answer are not, each within the deadline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../src/ssh-internal.h"

static char dir[] = "/tmp/rt-agent-XXXXXX";
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

/* A child that answers one request with `reply` (n bytes). */
static pid_t
agent_child(int lfd, const char *reply, size_t n)
{
	pid_t pid = fork();
	char req[5];
	int c;

	assert_true(pid >= 0);
	if (pid == 0) {
		c = accept(lfd, NULL, NULL);
		if (c >= 0 && read(c, req, sizeof(req)) == (ssize_t)sizeof(req))
			(void)!write(c, reply, n);
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
	assert_non_null(strstr(why, "did not answer within 300 ms"));
	close(lfd);

	/* an agent: SSH_AGENT_IDENTITIES_ANSWER with no key */
	lfd = listener();
	pid = agent_child(lfd, "\0\0\0\5\14\0\0\0\0", 9);
	assert_int_equal(sshc_agent_answers(path, 2000, why, sizeof(why)), 1);
	waitpid(pid, &st, 0);
	close(lfd);

	/* something else that answers: not an agent */
	lfd = listener();
	pid = agent_child(lfd, "HTTP/1.0 400\r\n", 14);
	assert_int_equal(sshc_agent_answers(path, 2000, why, sizeof(why)), 0);
	assert_non_null(strstr(why, "unexpected answer"));
	waitpid(pid, &st, 0);
	close(lfd);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agent_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
