/* test-ssh-buffers.c: the resident command's output buffers after its
 * answer is handed over (sshc_cmds_finish, no server needed: the channel is
 * not touched): one large answer (max_out, up to 32 MiB a host) is let go,
 * a small buffer is kept for the next request. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../src/ssh-internal.h"

static size_t handed;

static void
answer_cb(void *arg, const struct sshc_result *r)
{
	(void)arg;
	handed = r->out_len;
}

/* A resident that just read an answer of `len` bytes into its buffers. */
static void
resident_answered(struct sshc *c, struct sshc_cmd *k, size_t len)
{
	memset(c, 0, sizeof(*c));
	memset(k, 0, sizeof(*k));
	c->state = SSHC_READY;
	c->cmds = c->resident = k;
	k->resident = 1;
	k->st = CMD_IDLE;
	k->finished = 1;
	k->cb = answer_cb;
	k->out.max = k->err.max = 32u << 20;
	k->out.cap = len + 1;
	k->out.p = malloc(k->out.cap);
	assert_non_null(k->out.p);
	memset(k->out.p, 'x', len);
	k->out.len = len;
	k->err.cap = 16384;
	k->err.p = malloc(k->err.cap);
	assert_non_null(k->err.p);
	handed = 0;
}

static void
test_large_answer_let_go(void **state)
{
	struct sshc c;
	struct sshc_cmd k;

	(void)state;
	resident_answered(&c, &k, 32u << 20);
	sshc_cmds_finish(&c);
	assert_int_equal(handed, 32u << 20);	/* the answer was whole */
	assert_ptr_equal(c.cmds, &k);		/* the resident stays */
	assert_null(k.out.p);
	assert_int_equal(k.out.cap, 0);
	assert_non_null(k.err.p);		/* small: kept */
	assert_int_equal(k.err.cap, 16384);
	free(k.err.p);
}

static void
test_small_answer_kept(void **state)
{
	struct sshc c;
	struct sshc_cmd k;
	char *p;

	(void)state;
	resident_answered(&c, &k, 20000);	/* a refresh with new lines */
	p = k.out.p;
	sshc_cmds_finish(&c);
	assert_int_equal(handed, 20000);
	assert_ptr_equal(k.out.p, p);
	free(k.out.p);
	free(k.err.p);
}

/* A first answer (its 256 KiB log tail) is let go too: 500 hosts kept
 * ~150 KB each after their first snapshot (issue 16's RSS target). */
static void
test_first_answer_let_go(void **state)
{
	struct sshc c;
	struct sshc_cmd k;

	(void)state;
	resident_answered(&c, &k, 200000);
	sshc_cmds_finish(&c);
	assert_int_equal(handed, 200000);
	assert_null(k.out.p);
	assert_int_equal(k.out.cap, 0);
	free(k.err.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_large_answer_let_go),
		cmocka_unit_test(test_small_answer_kept),
		cmocka_unit_test(test_first_answer_let_go),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
