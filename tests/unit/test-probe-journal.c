/* test-probe-journal.c: the journal read (journal_take, and through
 * probe_feed into the model) on real journalctl output captured from the
 * lab's journald (tests/data/captured/capture-journald.sh): a first read,
 * reads on by --cursor=C that start with C's own entry, a read after a
 * vacuum removed C's entry (and journalctl's --after-cursor of the same
 * state, which loses the entry after C), a read after a journald restart;
 * plus hand-made edges (continuation lines, no entry, bad cursors). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test-data.h"

#include "model.h"
#include "probe.h"

#define SENT	"status=sent"

static char *
cap(const char *name, size_t *len)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "captured/%s", name);
	return test_data_slurp(rel, len);
}

/* journal_take on a captured file: the taken text (NUL-ended, to free). */
static char *
take(struct journal_pos *jp, const char *name, size_t *skip)
{
	size_t len, n;
	char *d = cap(name, &len), *t;

	journal_take(jp, d, len, skip, &n);
	assert_true(*skip + n <= len);
	t = malloc(n + 1);
	assert_non_null(t);
	memcpy(t, d + *skip, n);
	t[n] = '\0';
	free(d);
	return t;
}

/* The value of the file's "-- cursor: " line. */
static void
cursor_of(const char *name, char *buf, size_t len)
{
	size_t n;
	char *d = cap(name, &n), *c = strstr(d, "-- cursor: "), *e;

	assert_non_null(c);
	c += 11;
	e = strchr(c, '\n');
	assert_non_null(e);
	assert_true((size_t)(e - c) < len);
	memcpy(buf, c, (size_t)(e - c));
	buf[e - c] = '\0';
	free(d);
}

/* The chain of reads the probe made on the lab: every mail once. */
static void
test_captured_chain(void **state)
{
	struct journal_pos jp;
	char want[256], *t;
	size_t skip, n;
	char *d;

	(void)state;
	memset(&jp, 0, sizeof(jp));
	/* first contact (-n 500): all of it, the cursor taken */
	t = take(&jp, "origin-a.journal.first.txt", &skip);
	assert_int_equal(skip, 0);
	assert_int_equal(test_count_str(t, SENT), 3);
	assert_null(strstr(t, "-- cursor"));
	cursor_of("origin-a.journal.first.txt", want, sizeof(want));
	assert_string_equal(jp.cursor, want);
	assert_true(jp.have_last);
	free(t);
	/* --cursor=C: C's own entry (qmgr "removed") comes back first and is
	 * left out; the two new mails are taken */
	d = cap("origin-a.journal.cursor.txt", &n);
	t = take(&jp, "origin-a.journal.cursor.txt", &skip);
	assert_true(skip > 0);
	assert_int_equal(skip, (size_t)(strchr(d, '\n') - d) + 1);
	assert_non_null(strstr(d, ": removed\n"));
	assert_int_equal(test_count_str(t, SENT), 2);
	assert_int_equal(test_count_str(t, ": removed"), 2);
	free(d);
	free(t);
	/* after rotate + vacuum C's entry is gone: the first entry is new and
	 * taken; journalctl's own --after-cursor=C lost it (one line fewer) */
	t = take(&jp, "origin-a.journal.vacuumed.txt", &skip);
	assert_int_equal(skip, 0);
	assert_int_equal(test_count_str(t, SENT), 2);
	assert_int_equal(test_count_str(t, "postfix/pickup"), 2);
	d = cap("origin-a.journal.after-cursor-vacuumed.txt", &n);
	assert_int_equal(test_count_str(d, "postfix/pickup"), 1);
	/* its lines: one entry fewer, plus its cursor line */
	assert_int_equal(test_count_str(d, "\n"), test_count_str(t, "\n"));
	free(d);
	free(t);
	/* after a journald restart the cursor still holds */
	t = take(&jp, "origin-a.journal.restart.txt", &skip);
	assert_true(skip > 0);
	assert_int_equal(test_count_str(t, SENT), 1);
	cursor_of("origin-a.journal.restart.txt", want, sizeof(want));
	assert_string_equal(jp.cursor, want);
	free(t);
	/* the relay's journal (RHEL's unit postfix.service): 3 deliveries */
	memset(&jp, 0, sizeof(jp));
	t = take(&jp, "relay-c.journal.first.txt", &skip);
	assert_int_equal(test_count_str(t, "relay=172.16.30.25[172.16.30.25]:25"),
	    3);
	free(t);
}

/* The same reads through the whole probe: parsed into the model, each
 * delivery counted once (8 sent on origin-a: 3 + 2 + 2 + 1). */
static void
test_captured_probe(void **state)
{
	static const char *const files[] = {
		"origin-a.journal.first.txt", "origin-a.journal.cursor.txt",
		"origin-a.journal.vacuumed.txt", "origin-a.journal.restart.txt",
	};
	static const char tok[] = "0123456789abcdef0123456789abcdef";
	static const char hdr[] = "\n@@RT-0123456789abcdef0123456789abcdef"
	    "00112233445566778899aabb ";
	struct host_config hc;
	struct inventory inv = { .hosts = &hc, .n = 1 };
	struct model m;
	struct probe *p;
	size_t i, k, sent = 0;

	(void)state;
	memset(&hc, 0, sizeof(hc));
	snprintf(hc.name, sizeof(hc.name), "origin-a");
	snprintf(hc.address, sizeof(hc.address), "172.16.10.5");
	snprintf(hc.maillog, sizeof(hc.maillog), "auto");
	hc.port = 22;
	hc.sudo = 1;
	assert_int_equal(model_init(&m, &inv, 0), 0);
	p = probe_new(&m, &m.hosts[0]);
	assert_non_null(p);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct sshc_result r;
		size_t len;
		char *d = cap(files[i], &len), *out = malloc(len + 512);
		int n;

		assert_non_null(out);
		n = snprintf(out, 512, "@@RT-%s begin 00112233445566778899aabb\n"
		    "%smeta\nstamp=1 2 \nnopostfix=0\n%sjournal via=sudo\n",
		    tok, hdr, hdr);
		memcpy(out + n, d, len);
		n += (int)len;
		n += snprintf(out + n, 256, "%sstep journal rc=0\n%send\n",
		    hdr, hdr);
		memset(&r, 0, sizeof(r));
		r.out = out;
		r.out_len = (size_t)n;
		r.err = "";
		probe_feed(p, tok, &r);
		if (m.hosts[0].problems)
			fprintf(stderr, "%s\n", m.hosts[0].problem_msg);
		assert_int_equal(m.hosts[0].problems, 0);
		free(out);
		free(d);
	}
	assert_string_equal(m.hosts[0].maillog_path, "journal");
	assert_string_equal(m.hosts[0].maillog_via, "sudo");
	for (k = 0; k < m.hosts[0].events.count; k++)
		if (model_event(&m.hosts[0], k)->status == ST_SENT)
			sent++;
	assert_int_equal(sent, 8);
	/* every event once: 34 if the two reads that start with their
	 * cursor's entry ("removed") took it again */
	assert_int_equal(m.hosts[0].events.count, 32);
	probe_free(p);
	model_free(&m);
}

static void
take_str(struct journal_pos *jp, const char *s, size_t *skip, size_t *n)
{
	journal_take(jp, s, strlen(s), skip, n);
}

/* Hand-made edges. */
static void
test_edges(void **state)
{
	struct journal_pos jp;
	size_t skip, n;
	static const char one[] = "Dec 06 09:03:55 a postfix/qmgr[1]: X: removed\n"
	    "  continued\n"
	    "-- cursor: s=1;i=2\n";
	static const char again[] = "Dec 06 09:03:55 a postfix/qmgr[1]: X: removed\n"
	    "  continued\n"
	    "Dec 06 09:03:56 a postfix/pickup[2]: Y: uid=0\n"
	    "-- cursor: s=1;i=3\n";

	(void)state;
	memset(&jp, 0, sizeof(jp));
	take_str(&jp, one, &skip, &n);
	assert_int_equal(skip, 0);
	assert_int_equal(n, strlen(one) - strlen("-- cursor: s=1;i=2\n"));
	assert_string_equal(jp.cursor, "s=1;i=2");
	/* the cursor's entry with its continuation line left out */
	take_str(&jp, again, &skip, &n);
	assert_int_equal(skip, strlen(one) - strlen("-- cursor: s=1;i=2\n"));
	assert_int_equal(n, strlen("Dec 06 09:03:56 a postfix/pickup[2]: Y: "
	    "uid=0\n"));
	assert_string_equal(jp.cursor, "s=1;i=3");
	/* only the cursor's own entry again: nothing to take */
	take_str(&jp, "Dec 06 09:03:56 a postfix/pickup[2]: Y: uid=0\n"
	    "-- cursor: s=1;i=3\n", &skip, &n);
	assert_int_equal(n, 0);
	/* no entry: nothing taken, position kept */
	take_str(&jp, "-- cursor: s=9;i=9\n", &skip, &n);
	assert_int_equal(n, 0);
	assert_string_equal(jp.cursor, "s=1;i=3");
	take_str(&jp, "", &skip, &n);
	assert_int_equal(n, 0);
	/* a cursor with a character a shell or sudo rule must not see, or
	 * too long: not taken (the entries are) */
	take_str(&jp, "Dec 06 09:04:00 a postfix/smtp[3]: Z: x\n"
	    "-- cursor: s=1;i=4' ; rm\n", &skip, &n);
	assert_true(n > 0);
	assert_string_equal(jp.cursor, "s=1;i=3");
	{
		char big[400];

		memset(big, 'a', sizeof(big));
		memcpy(big, "X y\n-- cursor: ", 15);
		big[sizeof(big) - 1] = '\0';
		take_str(&jp, big, &skip, &n);
		assert_int_equal(n, 4);
		assert_string_equal(jp.cursor, "s=1;i=3");
	}
	/* journalctl's own "-- ..." lines and a last line without newline */
	memset(&jp, 0, sizeof(jp));
	take_str(&jp, "-- Boot 77 --\nDec 06 09:04:00 a postfix/smtp[3]: Z: x",
	    &skip, &n);
	assert_int_equal(skip, 0);
	assert_int_equal(n, strlen("-- Boot 77 --\nDec 06 09:04:00 a "
	    "postfix/smtp[3]: Z: x"));
	assert_false(jp.have_last);	/* no cursor printed: nothing moved */
	/* a position without its hash never skips */
	memset(&jp, 0, sizeof(jp));
	snprintf(jp.cursor, sizeof(jp.cursor), "s=1;i=2");
	take_str(&jp, again, &skip, &n);
	assert_int_equal(skip, 0);
}

/* The journal has no postfix* entry (fresh or vacuumed): journalctl 252
 * fails with ENODATA; that is an empty read, not a problem. Then a run
 * that found the journal file unchanged (same=1) takes nothing. */
static void
test_no_data(void **state)
{
	static const char tok[] = "0123456789abcdef0123456789abcdef";
	static const char out[] = "@@RT-0123456789abcdef0123456789abcdef begin "
	    "00112233445566778899aabb\n\n@@RT-0123456789abcdef0123456789abcdef"
	    "00112233445566778899aabb meta\nstamp=1 2 \nnopostfix=0\n"
	    "\n@@RT-0123456789abcdef0123456789abcdef00112233445566778899aabb "
	    "journal via=direct\n"
	    "\n@@RT-0123456789abcdef0123456789abcdef00112233445566778899aabb "
	    "step journal rc=1\nFailed to add filter for units: No data "
	    "available"
	    "\n@@RT-0123456789abcdef0123456789abcdef00112233445566778899aabb "
	    "end\n";
	static const char same[] = "@@RT-0123456789abcdef0123456789abcdef begin "
	    "00112233445566778899aabb\n"
	    "\n@@RT-0123456789abcdef0123456789abcdef00112233445566778899aabb "
	    "meta\nstamp=1 2 \nnopostfix=0\n"
	    "\n@@RT-0123456789abcdef0123456789abcdef00112233445566778899aabb "
	    "journal via=sudo same=1\nDec 06 09:03:55 a postfix/smtp[1]: "
	    "9B3591066A3: to=<p@d>, relay=x[1.2.3.4]:25, status=sent (ok)\n"
	    "\n@@RT-0123456789abcdef0123456789abcdef00112233445566778899aabb "
	    "step journal rc=0\n"
	    "\n@@RT-0123456789abcdef0123456789abcdef00112233445566778899aabb "
	    "end\n";
	struct host_config hc;
	struct inventory inv = { .hosts = &hc, .n = 1 };
	struct sshc_result r;
	struct model m;
	struct probe *p;

	(void)state;
	memset(&hc, 0, sizeof(hc));
	snprintf(hc.name, sizeof(hc.name), "origin-a");
	snprintf(hc.maillog, sizeof(hc.maillog), "auto");
	assert_int_equal(model_init(&m, &inv, 0), 0);
	p = probe_new(&m, &m.hosts[0]);
	assert_non_null(p);
	memset(&r, 0, sizeof(r));
	r.out = out;
	r.out_len = strlen(out);
	r.err = "";
	probe_feed(p, tok, &r);
	assert_int_equal(m.hosts[0].problems, 0);
	assert_string_equal(m.hosts[0].maillog_path, "journal");
	assert_string_equal(m.hosts[0].maillog_via, "direct");
	/* the journal file's stamp unchanged: journalctl did not run, the
	 * body (were there one) is not taken */
	r.out = same;
	r.out_len = strlen(same);
	probe_feed(p, tok, &r);
	assert_int_equal(m.hosts[0].problems, 0);
	assert_int_equal(m.hosts[0].events.count, 0);
	probe_free(p);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_captured_chain),
		cmocka_unit_test(test_captured_probe),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_no_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
