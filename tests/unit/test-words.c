/* test-words.c: the words every view uses (src/words.c, in the core
 * archive): host states with ages, edge words, event lines from real
 * captured Postfix 3.7 maillog lines, the filter match, that no control
 * character survives into an event line, host names, and the findings
 * counted on a host or an edge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test-fixture.h"
#include "config.h"
#include "event.h"
#include "model.h"
#include "topology.h"
#include "words.h"

static const char inventory[] =
    "[defaults]\nuser = relayop\nrefresh = 2\ntimeout = 5\n"
    "[origin-a]\naddress = 172.16.10.5\nrole = origin\n"
    "[relay-c]\naddress = 172.16.1.11\nrole = relay\n";

static int
fx_setup(void **state)
{
	fx_open(state, inventory, 16);
	return 0;
}

static void
test_age(void **state)
{
	char b[16];

	(void)state;
	assert_string_equal(age_text(-3, b, sizeof b), "0s");
	assert_string_equal(age_text(59, b, sizeof b), "59s");
	assert_string_equal(age_text(119, b, sizeof b), "119s");
	assert_string_equal(age_text(120, b, sizeof b), "2m");
	assert_string_equal(age_text(7199, b, sizeof b), "119m");
	assert_string_equal(age_text(7200, b, sizeof b), "2h");
	assert_string_equal(age_text(3 * 86400, b, sizeof b), "3d");
}

static void
test_host_states(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	time_t now = 1800000000;
	char b[64];

	assert_string_equal(host_state_text(h, now, b, sizeof b), "new");
	assert_int_equal(host_tone(h, now), TONE_DIM);
	h->conn = HC_UP;
	assert_string_equal(host_state_text(h, now, b, sizeof b), "probing");
	h->last_answer = now - 3;
	h->postfix_running = 1;
	assert_string_equal(host_state_text(h, now, b, sizeof b), "up");
	assert_int_equal(host_tone(h, now), TONE_GOOD);
	/* refresh 2 + timeout 5: stale after 2 * 2 + 5 = 9 s */
	h->last_answer = now - 9;
	assert_string_equal(host_state_text(h, now, b, sizeof b), "up");
	h->last_answer = now - 10;
	assert_string_equal(host_state_text(h, now, b, sizeof b), "stale 10s");
	assert_int_equal(host_tone(h, now), TONE_WARN);
	h->conn = HC_UNREACHABLE;
	assert_string_equal(host_state_text(h, now, b, sizeof b),
	    "unreachable 10s");
	assert_int_equal(host_tone(h, now), TONE_BAD);
	h->conn = HC_HOSTKEY_CHANGED;
	assert_string_equal(host_state_text(h, now, b, sizeof b),
	    "HOST KEY CHANGED");
	h->conn = HC_UP;
	h->last_answer = now;
	h->problems = HP_SUDO_PASSWORD;
	assert_string_equal(host_state_text(h, now, b, sizeof b),
	    "no permission (sudo)");
	assert_int_equal(host_tone(h, now), TONE_ACCENT);
	h->problems = HP_POSTFIX_STOPPED;
	assert_string_equal(host_state_text(h, now, b, sizeof b),
	    "postfix stopped");
	h->problems = 0;
	h->postfix_running = 0;
	assert_string_equal(host_state_text(h, now, b, sizeof b),
	    "postfix stopped");
}

static void
add_line(struct model *m, struct host *h, const char *line)
{
	struct mail_event ev;

	assert_int_equal(maillog_parse_line(line, strlen(line), 2026, &ev), 0);
	model_add_event(m, h, &ev);
}

static void
test_event_lines(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	char b[1024];
	enum word_tone r;
	const char *p;

	/* real lines from tests/data/captured/origin-a.maillog.failover.txt */
	add_line(&f->m, h, "Nov 28 01:28:36 mail-a postfix/smtp[23309]: "
	    "connect to 172.16.1.11[172.16.1.11]:25: Connection refused");
	add_line(&f->m, h, "Nov 28 01:28:36 mail-a postfix/smtp[23309]: "
	    "6A6D8104354: to=<probe@dest.example>, relay=172.16.1.12[172.16.1."
	    "12]:25, delay=0.16, delays=0.01/0/0.07/0.08, dsn=2.0.0, status="
	    "sent (250 2.0.0 Ok: queued as 8FE05104353)");
	event_text(model_event(h, 0), b, sizeof b, &r);
	assert_int_equal(r, TONE_GOOD);
	assert_string_equal(b, "6A6D8104354 sent     to=<probe@dest.example> "
	    "relay=172.16.1.12[172.16.1.12]:25 dsn=2.0.0 (250 2.0.0 Ok: queued "
	    "as 8FE05104353)");
	assert_true(text_match(b, "QUEUED AS 8fe05104353"));
	assert_true(text_match(b, ""));
	assert_false(text_match(b, "deferred"));
	event_text(model_event(h, 1), b, sizeof b, &r);
	assert_int_equal(r, TONE_BAD);
	assert_non_null(strstr(b, "connect-fail"));
	assert_non_null(strstr(b, "Connection refused"));

	/* escapes in a remote line never reach the text a view draws */
	add_line(&f->m, h, "Nov 28 01:29:00 mail-a postfix/smtp[1]: ABCDE12345:"
	    " to=<e@dest.example>, relay=none, delay=1, delays=0/0/0/1, dsn=4."
	    "4.1, status=deferred (\033]0;pwned\007 \033[2J\033[31mboom)");
	event_text(model_event(h, 0), b, sizeof b, &r);
	assert_int_equal(r, TONE_WARN);
	for (p = b; *p != '\0'; p++)
		assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
	assert_non_null(strstr(b, "?]0;pwned? ?[2J?[31mboom"));
}

static void
test_edge_words(void **state)
{
	(void)state;
	assert_string_equal(edge_state_name(EDGE_SENT), "sent");
	assert_string_equal(edge_state_name(EDGE_DEFERRED), "deferred");
	assert_string_equal(edge_state_name(EDGE_REFUSED), "refused");
	assert_string_equal(edge_state_name(EDGE_UNKNOWN), "unknown");
	assert_string_equal(edge_state_name((enum edge_state)99), "unknown");
}

/* Findings on hosts and edges: WARNING or worse only, the worst first
 * (CRITICAL > UNKNOWN > WARNING); an edge needs both its ends named. */
static void
test_findings_words(void **state)
{
	struct fx *f = *state;
	struct finding v[4];
	struct findings fs = { v, 4 };
	enum severity w;

	memset(v, 0, sizeof(v));
	v[0].sev = SEV_WARNING;
	v[0].nhosts = 1;
	v[0].hosts[0] = 0;
	v[1].sev = SEV_UNKNOWN;
	v[1].nhosts = 2;
	v[1].hosts[0] = 0;
	v[1].hosts[1] = 1;
	v[2].sev = SEV_INFO;
	v[2].nhosts = 1;
	v[2].hosts[0] = 1;
	v[3].sev = SEV_CRITICAL;
	v[3].nhosts = 1;
	v[3].hosts[0] = 1;
	assert_int_equal(host_findings(&fs, 0, &w), 2);
	assert_int_equal(w, SEV_UNKNOWN);
	assert_int_equal(host_findings(&fs, 1, &w), 2);
	assert_int_equal(w, SEV_CRITICAL);
	assert_int_equal(host_findings(&fs, 5, &w), 0);
	assert_int_equal(w, SEV_OK);
	assert_int_equal(edge_findings(&fs, 0, 1, &w), 1);
	assert_int_equal(w, SEV_UNKNOWN);
	assert_int_equal(edge_findings(&fs, 0, -1, &w), 0);
	assert_int_equal(host_findings(NULL, 0, NULL), 0);
	assert_string_equal(host_name(&f->m, 1), "relay-c");
	assert_string_equal(host_name(&f->m, 2), "?");
	assert_string_equal(host_name(&f->m, -1), "?");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_age),
		cmocka_unit_test_setup_teardown(test_host_states, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_event_lines, fx_setup,
		    fx_teardown),
		cmocka_unit_test(test_edge_words),
		cmocka_unit_test_setup_teardown(test_findings_words, fx_setup,
		    fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
