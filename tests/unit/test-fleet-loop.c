/* test-fleet-loop.c: the order of one turn of fleet_run: a scrape that
 * came in (the server's fd ready) is answered before the sessions' work of
 * that turn, and the server runs again after it. The session is a real one
 * connecting to a loopback listener that never answers: its step moves it
 * from CONNECTING to HANDSHAKE, which the server hook sees or not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "clock.h"
#include "config.h"
#include "fleet.h"
#include "model.h"
#include "sshc.h"

#define SEEN_MAX	8

struct turn {
	struct fleet *f;
	int	pipe_r;			/* always readable: a scrape waits */
	enum sshc_state seen[SEEN_MAX];	/* the session at each on_aux */
	int	nseen;
};

/* Before each poll(): while the session connects, wait (up to 2 s) until
 * its connect has completed, so that the poll() of this turn finds its fd
 * and the server's ready together. */
static int
aux_fd(void *arg)
{
	struct turn *t = arg;
	struct sshc *c = fleet_session(t->f, 0);
	struct pollfd p;
	short ev = 0;

	if (c != NULL && sshc_state(c) == SSHC_CONNECTING) {
		p.fd = sshc_poll_fd(c, &ev);
		p.events = ev;
		p.revents = 0;
		if (p.fd >= 0)
			assert_int_equal(poll(&p, 1, 2000), 1);
	}
	return t->pipe_r;
}

static void
on_aux(void *arg)
{
	struct turn *t = arg;
	struct sshc *c = fleet_session(t->f, 0);

	if (t->nseen < SEEN_MAX)
		t->seen[t->nseen++] = c != NULL ? sshc_state(c) : SSHC_IDLE;
}

static int
done(void *arg)
{
	const struct turn *t = arg;

	return t->nseen >= 2;
}

static void
test_scrape_before_sessions(void **state)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	struct inventory inv;
	struct model m;
	struct turn t;
	char ini[256], err[200];
	int lfd, p[2];

	(void)state;
	/* a listener on loopback that accepts nothing: a connect completes
	 * (the kernel's backlog), the SSH banner never comes */
	assert_true((lfd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 4), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &salen), 0);
	snprintf(ini, sizeof(ini), "[defaults]\nuser = relayop\n"
	    "ssh_config = no\ntimeout = 10\n"
	    "[origin-a]\naddress = 127.0.0.1\nport = %u\nrole = origin\n",
	    (unsigned)ntohs(sa.sin_port));
	memset(&inv, 0, sizeof(inv));
	if (config_load_string(ini, "t.ini", &inv, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(model_init(&m, &inv, 16), 0);
	memset(&t, 0, sizeof(t));
	assert_non_null(t.f = fleet_new(&inv, &m));
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	t.pipe_r = p[0];
	{
		const struct loop_hooks hooks = { .input_fd = -1,
		    .done = done, .arg = &t, .aux_fd = aux_fd,
		    .on_aux = on_aux, .aux_arg = &t };

		assert_int_equal(fleet_run(t.f, &hooks, clock_ms() + 5000),
		    0);
	}
	/* the first turn: the server ran before the session's step (still
	 * connecting), then after it (the connect taken, the handshake
	 * begun) */
	assert_int_equal(t.nseen, 2);
	assert_int_equal(t.seen[0], SSHC_CONNECTING);
	assert_int_equal(t.seen[1], SSHC_HANDSHAKE);
	fleet_free(t.f);
	model_free(&m);
	config_free(&inv);
	close(p[0]);
	close(p[1]);
	close(lfd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scrape_before_sessions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
