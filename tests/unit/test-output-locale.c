/* test-output-locale.c: the text outputs (--once, --check, --test-send
 * lines) follow the locale: UTF-8 as is under a UTF-8 codeset; in any
 * other locale not one byte >= 0x80 (a non-UTF-8 terminal reads 0x80-0x9F
 * as C1 controls), symbols as ASCII stand-ins, the rest as <U+XXXX>.
 * --log's summary too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "check.h"
#include "logsum.h"
#include "model.h"
#include "output-locale.h"
#include "output.h"
#include "topology.h"

static const time_t NOW = 1795830000;
/* remote text: e-acute, an arrow, an ellipsis, C1-bearing U+0100 and
 * U+2192, a U+FFFD left by sanitize, an emoji */
#define REMOTE	"caf\xc3\xa9 \xe2\x86\x92 x\xe2\x80\xa6 \xc4\x80 \xef\xbf\xbd " \
		"\xf0\x9f\x98\x80"
#define ASCII	"caf<U+00E9> -> x... <U+0100> ? <U+1F600>"

static void
assert_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			fail_msg("byte 0x%02x in text output",
			    (unsigned char)*s);
}

static void
test_copy(void **state)
{
	char out[128];

	(void)state;
	out_locale_force(0);
	assert_int_equal(out_locale_copy(out, sizeof(out), REMOTE),
	    strlen(ASCII));
	assert_string_equal(out, ASCII);
	out_locale_copy(out, sizeof(out), "bad \xc3( \x9b \xe2\x82");
	assert_string_equal(out, "bad ?( ? ??");
	/* a stand-in or escape is never cut */
	assert_int_equal(out_locale_copy(out, 8, "ab\xc3\xa9"), 2);
	assert_int_equal(out_locale_copy(out, 11, "ab\xc3\xa9"), 10);
	assert_int_equal(out_locale_copy(out, 4, "a\xe2\x80\xa6"), 1);
	out_locale_force(1);
	assert_int_equal(out_locale_copy(out, sizeof(out), REMOTE),
	    strlen(REMOTE));
	assert_string_equal(out, REMOTE);
	/* nor, in UTF-8, a sequence */
	assert_int_equal(out_locale_copy(out, 4, "ab\xc3\xa9"), 2);
	out_locale_force(-1);
}

static struct host_config hc[2];
static struct inventory inv = { .hosts = hc, .n = 2 };

static char *
once_text(struct model *m, int width)
{
	struct topology t;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(topology_build(m, &t), 0);
	assert_int_equal(output_text(f, m, &t, NOW, width), 0);
	fclose(f);
	topology_free(&t);
	return buf;
}

static void
build(struct model *m)
{
	struct queue_summary q;
	struct mail_event ev;
	int i;

	memset(hc, 0, sizeof(hc));
	for (i = 0; i < 2; i++) {
		snprintf(hc[i].name, sizeof(hc[i].name), "host-%d", i);
		snprintf(hc[i].address, sizeof(hc[i].address), "10.0.0.%d",
		    i + 1);
	}
	assert_int_equal(model_init(m, &inv, 0), 0);
	model_mark_answer(m, &m->hosts[0], NOW, 10);
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_DELIVERY;
	ev.status = ST_DEFERRED;
	ev.when = NOW - 60;
	ev.to.p = "m\xc3\xbcller@dest.example";
	ev.to.n = strlen(ev.to.p);
	model_add_event(m, &m->hosts[0], &ev);
	memset(&q, 0, sizeof(q));
	q.count[Q_DEFERRED] = 2;
	q.ntop = 1;
	q.top[0].count = 2;
	snprintf(q.top[0].text, sizeof(q.top[0].text), "%s", REMOTE);
	model_set_queue(m, &m->hosts[0], &q);
	model_set_conn(m, &m->hosts[1], HC_ERROR, REMOTE);
}

static void
test_once(void **state)
{
	struct model m;
	char *out, *line;

	(void)state;
	build(&m);
	out_locale_force(0);
	out = once_text(&m, 0);
	assert_ascii(out);
	assert_non_null(strstr(out, "to m<U+00FC>ller@dest.example"));
	assert_non_null(strstr(out, "2 x " ASCII "\n"));
	assert_non_null(strstr(out, "host-1: error: " ASCII "\n"));
	free(out);
	/* escapes are counted in the width they take */
	out = once_text(&m, 90);
	assert_ascii(out);
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, "relaytop ", 9) != 0 && line[0] != ' ')
			assert_true(strlen(line) <= 90);
	free(out);
	out_locale_force(1);
	out = once_text(&m, 0);
	assert_non_null(strstr(out, "to m\xc3\xbcller@dest.example"));
	assert_non_null(strstr(out, "2 x " REMOTE "\n"));
	free(out);
	out_locale_force(-1);
	model_free(&m);
}

static void
test_check(void **state)
{
	struct finding x;
	struct findings f = { &x, 1 };
	struct model m;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	build(&m);
	memset(&x, 0, sizeof(x));
	snprintf(x.id, sizeof(x.id), "log-deferred");
	x.sev = SEV_WARNING;
	x.hosts[0] = 0;
	x.nhosts = 1;
	snprintf(x.what, sizeof(x.what), "mail waits");
	snprintf(x.evidence, sizeof(x.evidence), "%s", REMOTE);
	snprintf(x.fix, sizeof(x.fix), "look");
	x.fix_host = -1;
	out_locale_force(0);
	fp = open_memstream(&buf, &len);
	assert_int_equal(check_print_text(fp, &m, &f, 1), 0);
	fclose(fp);
	assert_ascii(buf);
	assert_non_null(strstr(buf, "  evidence: " ASCII "\n"));
	free(buf);
	out_locale_force(1);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	assert_int_equal(check_print_text(fp, &m, &f, 1), 0);
	fclose(fp);
	assert_non_null(strstr(buf, "  evidence: " REMOTE "\n"));
	free(buf);
	out_locale_force(-1);
	model_free(&m);
}

static void
test_log_summary(void **state)
{
	static const char log[] = "Nov 28 01:28:36 mail-a postfix/smtp[1]: "
	    "6A6D8104354: to=<a@dest.example>, relay=172.16.1.12"
	    "[172.16.1.12]:25, delay=0.16, delays=0.01/0/0.07/0.08, "
	    "dsn=4.4.1, status=deferred (" REMOTE ")\n";
	struct logsum s;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	assert_int_equal(logsum_init(&s, 2026), 0);
	logsum_feed(&s, log, sizeof(log) - 1);
	out_locale_force(0);
	fp = open_memstream(&buf, &len);
	logsum_print_text(&s, "/var/log/m\xc3\xa4illog", fp);
	fclose(fp);
	assert_ascii(buf);
	assert_non_null(strstr(buf, "/var/log/m<U+00E4>illog"));
	assert_non_null(strstr(buf, "<U+00E9>"));
	free(buf);
	out_locale_force(-1);
	logsum_free(&s);
}

/* The codeset comes from the environment, as setlocale(LC_CTYPE, "")
 * would read it, and the program's own locale is left alone. */
static void
test_environment(void **state)
{
	(void)state;
	setenv("LC_ALL", "C", 1);
	out_locale_force(-1);
	assert_int_equal(out_locale_utf8(), 0);
	setenv("LC_ALL", "C.UTF-8", 1);
	out_locale_force(-1);
	assert_int_equal(out_locale_utf8(), 1);
	unsetenv("LC_ALL");
	out_locale_force(-1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_once),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_log_summary),
		cmocka_unit_test(test_environment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
