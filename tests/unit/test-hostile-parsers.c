/* test-hostile-parsers.c: hostile remote output fed to the parsers and the
 * probe: truncated, random garbage, enormous postqueue/postconf output,
 * megabyte log lines, NULs, invalid UTF-8 and terminal escapes. Never a
 * crash or overread (run under ASan by `make asan`), always bounded, and
 * whatever is kept is clean text (sanitize_is_clean). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "event.h"
#include "logsum.h"
#include "model.h"
#include "postconf.h"
#include "probe.h"
#include "probe-host.h"
#include "queue.h"
#include "sanitize.h"

#define TOK	"0123456789abcdef0123456789abcdef"
#define RTOK	"00112233445566778899aabb"
#define H	"\n@@RT-" TOK RTOK " "
#define BEGIN	"@@RT-" TOK " begin " RTOK "\n"
#define MB	(1024 * 1024)

/* the nastiest bytes a remote side can send */
static const char nasty[] = "\033]0;pwned\007\033[2J\033[31m\0\xff\xfe\xc3("
    "\xe2\x82\x9b\r\b\x7f\x9b" "1m\xf4\x90\x80\x80";
#define NASTY_LEN	(sizeof(nasty) - 1)

static uint32_t rng = 12345;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* A growable buffer; every test frees its own. */
struct buf {
	char	*p;
	size_t	n, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_fill(struct buf *b, char c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_add(b, &c, 1);
}

static void
buf_random(struct buf *b, size_t n)
{
	size_t i;
	char c;

	for (i = 0; i < n; i++) {
		c = (char)(rnd() & 0xff);
		buf_add(b, &c, 1);
	}
}

/* --- postconf ------------------------------------------------------------ */

static void
assert_settings_clean(const struct pc_settings *s)
{
	size_t i;

	assert_true(s->n <= PC_MAX);
	for (i = 0; i < s->n; i++) {
		assert_true(strlen(s->v[i].name) < PC_NAME_MAX);
		assert_true(sanitize_is_clean(s->v[i].name,
		    strlen(s->v[i].name)));
		assert_true(strlen(s->v[i].value) < PC_VALUE_MAX);
		assert_true(sanitize_is_clean(s->v[i].value,
		    strlen(s->v[i].value)));
	}
}

static void
test_postconf_enormous(void **state)
{
	struct pc_settings s = { 0 };
	struct buf b = { 0 };
	char line[128], err[256];
	int i, rc;

	(void)state;
	/* 50 000 settings (1 MB): kept at most PC_MAX, no crash */
	for (i = 0; i < 50000; i++) {
		snprintf(line, sizeof(line), "name_%d = value %d\n", i, i);
		buf_str(&b, line);
	}
	/* plus one value of 2 MB and one made of escapes */
	buf_str(&b, "relayhost = ");
	buf_fill(&b, 'x', 2 * MB);
	buf_str(&b, "\nmyhostname = a");
	buf_add(&b, nasty, NASTY_LEN);
	buf_str(&b, "b\n");
	rc = postconf_parse(b.p, b.n, &s, err, sizeof(err));
	assert_true(rc >= 0 && rc <= PC_MAX);
	assert_settings_clean(&s);
	postconf_free(&s);
	free(b.p);
}

static void
test_postconf_truncated_and_garbage(void **state)
{
	static const char real[] = "relayhost = [172.16.1.11]\n"
	    "mynetworks = 127.0.0.1, 172.16.10.5,\n    172.16.10.6\n"
	    "smtp_fallback_relay = [172.16.1.12]\n";
	struct pc_settings s = { 0 };
	struct buf b = { 0 };
	char err[256];
	size_t cut;
	int i, rc;

	(void)state;
	/* every prefix of real output parses or fails cleanly */
	for (cut = 0; cut <= sizeof(real) - 1; cut++) {
		rc = postconf_parse(real, cut, &s, err, sizeof(err));
		assert_true(rc >= -1 && rc <= 3);
		assert_settings_clean(&s);
	}
	/* the whole thing is intact afterwards */
	assert_int_equal(postconf_parse(real, sizeof(real) - 1, &s, err,
	    sizeof(err)), 3);
	assert_string_equal(postconf_get(&s, "relayhost"), "[172.16.1.11]");
	/* garbage: -1 with a clean message, the old settings kept */
	for (i = 0; i < 300; i++) {
		b.n = 0;
		buf_random(&b, 1 + rnd() % 4096);
		err[0] = '\0';
		rc = postconf_parse(b.p, b.n, &s, err, sizeof(err));
		if (rc < 0) {
			assert_true(err[0] != '\0');
			assert_true(sanitize_is_clean(err, strlen(err)));
			assert_string_equal(postconf_get(&s, "relayhost"),
			    "[172.16.1.11]");
		}
		assert_settings_clean(&s);
		if (rc >= 0)	/* restore for the next round */
			assert_int_equal(postconf_parse(real,
			    sizeof(real) - 1, &s, err, sizeof(err)), 3);
	}
	/* NUL inside a line */
	rc = postconf_parse("relayhost = [a]\0; touch /tmp/x\n", 31, &s, err,
	    sizeof(err));
	assert_settings_clean(&s);
	postconf_mark_explicit(&s, "relayhost\0\xff\n\033[2J", 16);
	assert_settings_clean(&s);
	postconf_free(&s);
	free(b.p);
}

/* --- postqueue ----------------------------------------------------------- */

static void
assert_queue_clean(const struct queue_summary *q)
{
	size_t i;

	assert_true(q->ntop <= QUEUE_TOP_REASONS);
	for (i = 0; i < q->ntop; i++) {
		assert_true(strlen(q->top[i].text) < QUEUE_REASON_MAX);
		assert_true(sanitize_is_clean(q->top[i].text,
		    strlen(q->top[i].text)));
	}
}

static void
test_postqueue_json_enormous(void **state)
{
	struct queue_summary q;
	struct buf b = { 0 };
	char line[512], err[256];
	unsigned i;
	int rc;

	(void)state;
	/* 30 000 deferred messages with 1000 distinct reasons */
	for (i = 0; i < 30000; i++) {
		snprintf(line, sizeof(line), "{\"queue_name\": \"deferred\", "
		    "\"queue_id\": \"%08X\", \"arrival_time\": %u, "
		    "\"message_size\": 100, \"sender\": \"a@b\", "
		    "\"recipients\": [{\"address\": \"x@y\", \"delay_reason\":"
		    " \"reason %u \\u001b]0;pwned\\u0007 x\"}]}\n",
		    i, 1700000000 + i, i % 1000);
		buf_str(&b, line);
	}
	/* a record holding a 2 MB reason, and a 1 MB line of garbage */
	buf_str(&b, "{\"queue_name\": \"deferred\", \"queue_id\": \"ABCDEF\","
	    " \"recipients\": [{\"address\": \"x@y\", \"delay_reason\": \"");
	buf_fill(&b, 'r', 2 * MB);
	buf_str(&b, "\"}]}\n");
	buf_random(&b, MB);
	buf_str(&b, "\n{\"queue_name\": \"deferred\", \"queue_id\": \"AB");
	rc = queue_parse_json(b.p, b.n, &q, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_true(q.count[Q_DEFERRED] >= 30000);
	assert_true(q.count[Q_DEFERRED] <= 30001);
	assert_true(q.malformed >= 1);	/* the truncated last record */
	assert_queue_clean(&q);
	free(b.p);
}

static void
test_postqueue_garbage(void **state)
{
	static const char realj[] = "{\"queue_name\": \"deferred\", "
	    "\"queue_id\": \"6A6D8104354\", \"arrival_time\": 1700000000, "
	    "\"message_size\": 421, \"sender\": \"a@example.jp\", "
	    "\"recipients\": [{\"address\": \"probe@dest.example\", "
	    "\"delay_reason\": \"connect to 172.16.1.11[172.16.1.11]:25: "
	    "Connection refused\"}]}\n";
	static const char realp[] = "-Queue ID-  --Size-- ----Arrival Time----"
	    " -Sender/Recipient-------\n6A6D8104354      421 Sat Nov 28 "
	    "01:28:36  a@example.jp\n(connect to 172.16.1.11[172.16.1.11]:25:"
	    " Connection refused)\n                                         "
	    "probe@dest.example\n\n-- 0 Kbytes in 1 Request.\n";
	struct queue_summary q;
	struct buf b = { 0 };
	char err[256];
	size_t cut;
	int i, rc;

	(void)state;
	for (cut = 0; cut <= sizeof(realj) - 1; cut++) {
		rc = queue_parse_json(realj, cut, &q, err, sizeof(err));
		assert_true(rc == 0 || rc == -1);
		assert_queue_clean(&q);
		assert_true(q.count[Q_DEFERRED] <= 1);
	}
	for (cut = 0; cut <= sizeof(realp) - 1; cut++) {
		rc = queue_parse_text(realp, cut, 1700000000, &q, err,
		    sizeof(err));
		assert_true(rc == 0 || rc == -1);
		assert_queue_clean(&q);
		assert_true(q.count[Q_DEFERRED] <= 1);
	}
	for (i = 0; i < 300; i++) {
		b.n = 0;
		buf_random(&b, 1 + rnd() % 8192);
		err[0] = '\0';
		rc = queue_parse_json(b.p, b.n, &q, err, sizeof(err));
		assert_int_equal(rc, -1);	/* never a record */
		assert_true(sanitize_is_clean(err, strlen(err)));
		assert_true(err[0] != '\0');
		err[0] = '\0';
		rc = queue_parse_text(b.p, b.n, 1700000000, &q, err,
		    sizeof(err));
		assert_queue_clean(&q);
		if (rc < 0) {
			assert_true(err[0] != '\0');
			assert_true(sanitize_is_clean(err, strlen(err)));
		}
	}
	/* the text form, enormous: 50 000 entries with escape-laden reasons */
	b.n = 0;
	buf_str(&b, "-Queue ID-  --Size-- ----Arrival Time---- "
	    "-Sender/Recipient-------\n");
	for (i = 0; i < 50000; i++) {
		char line[256];

		/* ids as Postfix makes them: "%05X" usec, "%lX" inode */
		snprintf(line, sizeof(line), "%05X%X      421 Sat Nov 28 "
		    "01:28:36  a@example.jp\n(reason %d ", i, i + 0x100,
		    i % 300);
		buf_str(&b, line);
		buf_add(&b, nasty, NASTY_LEN);
		buf_str(&b, ")\n                                         "
		    "probe@dest.example\n\n");
	}
	buf_str(&b, "-- 20000 Kbytes in 50000 Requests.\n");
	rc = queue_parse_text(b.p, b.n, 1700000000, &q, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_int_equal(q.count[Q_DEFERRED], 50000);
	assert_queue_clean(&q);
	free(b.p);
}

/* --- maillog lines ------------------------------------------------------- */

static void
assert_span_in(const struct span *s, const char *line, size_t len)
{
	if (s->n == 0)
		return;
	assert_true(s->p >= line);
	assert_true(s->p + s->n <= line + len);
}

static void
assert_event_in(const struct mail_event *ev, const char *line, size_t len)
{
	assert_span_in(&ev->host, line, len);
	assert_span_in(&ev->prog, line, len);
	assert_span_in(&ev->qid, line, len);
	assert_span_in(&ev->to, line, len);
	assert_span_in(&ev->from, line, len);
	assert_span_in(&ev->relay, line, len);
	assert_span_in(&ev->reason, line, len);
	assert_span_in(&ev->message_id, line, len);
	assert_span_in(&ev->text, line, len);
	assert_span_in(&ev->dsn, line, len);
	assert_span_in(&ev->queued_as, line, len);
}

static void
test_maillog_hostile_lines(void **state)
{
	static const char pre[] = "Nov 28 01:28:36 mail-a postfix/smtp[23309]: "
	    "6A6D8104354: to=<probe@dest.example>, relay=172.16.1.12"
	    "[172.16.1.12]:25, delay=0.16, delays=0.01/0/0.07/0.08, "
	    "dsn=4.4.1, status=deferred (";
	struct mail_event ev;
	struct buf b = { 0 };
	size_t cut, len;
	char *copy;
	int i, rc;

	(void)state;
	/* a 1 MB reason with escapes, NULs and bad UTF-8 inside */
	buf_str(&b, pre);
	for (i = 0; i < 20000; i++)
		buf_add(&b, nasty, NASTY_LEN);
	buf_fill(&b, 'z', MB - b.n);
	buf_str(&b, ")");
	rc = maillog_parse_line(b.p, b.n, 2026, &ev);
	assert_int_equal(rc, 0);
	assert_int_equal(ev.kind, EV_DELIVERY);
	assert_int_equal(ev.status, ST_DEFERRED);
	assert_event_in(&ev, b.p, b.n);
	assert_string_equal(ev.qid.n == 11 ? "ok" : "bad", "ok");
	/* every truncation of it, read from an exact-size heap copy so ASan
	 * sees any byte read past the end */
	for (cut = 0; cut < sizeof(pre) + 40; cut++) {
		copy = malloc(cut ? cut : 1);
		assert_non_null(copy);
		memcpy(copy, b.p, cut);
		memset(&ev, 0, sizeof(ev));
		rc = maillog_parse_line(copy, cut, 2026, &ev);
		assert_true(rc == 0 || rc == -1);
		if (rc == 0)
			assert_event_in(&ev, copy, cut);
		free(copy);
	}
	/* random garbage and garbage after a valid header */
	for (i = 0; i < 2000; i++) {
		b.n = 0;
		if (i & 1)
			buf_add(&b, pre, 44 + rnd() % (sizeof(pre) - 44));
		buf_random(&b, rnd() % 600);
		len = b.n;
		copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, b.p, len);
		rc = maillog_parse_line(copy, len, 2026, &ev);
		assert_true(rc == 0 || rc == -1);
		if (rc == 0)
			assert_event_in(&ev, copy, len);
		free(copy);
	}
	free(b.p);
}

/* Every branch that searches for a second token after a first one must
 * cope with "not found". Each message below starts with what makes the
 * parser take a branch and lacks what that branch then looks for; with
 * and without a queue id, after postfix/smtp and postfix/smtpd. Found by
 * libFuzzer: "host said: x" made maillog_msg_said split a relay ending at
 * NULL (SIGSEGV in --log, --once and the console). */
static void
test_maillog_search_not_found(void **state)
{
	static const char *const msgs[] = {
		"host said: x", "host said: ", "host  said: x", "host X said:",
		"host [ said: x", "host ] said: x", "host said:  said: x",
		"client=", "client=[", "client=x[y", "client=, ",
		"connect to ", "connect to x", "connect to x[", "connect to ]:",
		"connect to x[1]:", "connect to x[1]:99999999999999999999: y",
		"reject: RCPT from", "reject: RCPT from x[", "reject: RCPT from ]",
		"reject: RCPT from x[1]: ", "reject: RCPT from x[1]: 5; from=",
		"reject: RCPT from x[1]: 5; from=<a> to=<",
		"from=<", "from=<>, status=", "to=<", "to=<a>, relay=",
		"to=<a>, relay=[", "to=<a>, relay=]:", "to=<a>, status=sent (",
		"to=<a>, status=sent (queued as ", "to=<a>, status=sent ()",
		"to=<a>, delays=1/", "to=<a>, delays=/", "uid=0 from=<",
		"uid=0 from=", "message-id=<", "message-id=", "removed",
		"warning: ", "mail for ", "mail for x loops back to myself",
		"", " ", ":",
	};
	static const char *const pres[] = {
		"Nov 28 01:28:33 mail-a postfix/smtp[1]: 335E3104025: ",
		"Nov 28 01:28:33 mail-a postfix/smtp[1]: ",
		"Nov 28 01:28:33 mail-a postfix/smtpd[1]: NOQUEUE: ",
		"2026-11-28T01:28:33.123456+09:00 mail-a postfix/qmgr[1]: "
		    "4jhsvB3zL7z88V3: ",
	};
	struct mail_event ev;
	struct logsum sum;
	char line[256], *copy;
	size_t i, j, n;
	int rc;

	(void)state;
	assert_int_equal(logsum_init(&sum, 2026), 0);
	for (i = 0; i < sizeof(pres) / sizeof(pres[0]); i++) {
		for (j = 0; j < sizeof(msgs) / sizeof(msgs[0]); j++) {
			n = (size_t)snprintf(line, sizeof(line), "%s%s",
			    pres[i], msgs[j]);
			copy = malloc(n);
			assert_non_null(copy);
			memcpy(copy, line, n);
			memset(&ev, 0, sizeof(ev));
			rc = maillog_parse_line(copy, n, 2026, &ev);
			assert_true(rc == 0 || rc == -1);
			if (rc == 0)
				assert_event_in(&ev, copy, n);
			logsum_feed(&sum, copy, n);
			free(copy);
		}
	}
	logsum_free(&sum);

	/* the line of the report: taken as a reply with no host, never a
	 * relay that runs past the line */
	n = (size_t)snprintf(line, sizeof(line), "%s",
	    "Nov 28 01:28:33 mail-a postfix/smtp[1]: 335E3104025: host said: "
	    "x");
	copy = malloc(n);
	assert_non_null(copy);
	memcpy(copy, line, n);
	assert_int_equal(maillog_parse_line(copy, n, 2026, &ev), 0);
	assert_int_equal(ev.relay.n, 0);
	assert_int_equal(ev.reason.n, 1);
	assert_memory_equal(ev.reason.p, "x", 1);
	free(copy);
}

/* --- probe sections and the model ---------------------------------------- */

static void
test_sections_hostile(void **state)
{
	struct probe_output *o = calloc(1, sizeof(*o));
	struct buf b = { 0 };
	int i, rc;

	(void)state;
	assert_non_null(o);
	/* 10 000 sections: -1, and no more than fit */
	buf_str(&b, BEGIN);
	for (i = 0; i < 10000; i++)
		buf_str(&b, H "step x rc=0\n");
	rc = probe_sections_split(b.p, b.n, TOK, o);
	assert_int_equal(rc, -1);
	assert_true(o->n <= PROBE_SECTIONS_MAX);
	/* a section name of 1 MB, NULs and escapes in headers */
	b.n = 0;
	buf_str(&b, BEGIN "\n@@RT-" TOK RTOK " ");
	buf_fill(&b, 'n', MB);
	buf_str(&b, " a=b\nbody");
	buf_str(&b, H "meta ");
	buf_add(&b, nasty, NASTY_LEN);
	buf_str(&b, "=1\n");
	buf_add(&b, nasty, NASTY_LEN);
	buf_str(&b, H "end\n");
	rc = probe_sections_split(b.p, b.n, TOK, o);
	assert_true(rc == 0 || rc == -1);
	assert_true(o->n <= PROBE_SECTIONS_MAX);
	for (i = 0; i < (int)o->n; i++) {
		assert_true(strlen(o->v[i].name) < sizeof(o->v[i].name));
		assert_true(o->v[i].body >= b.p || o->v[i].body_len == 0);
		assert_true(o->v[i].body_len == 0 ||
		    o->v[i].body + o->v[i].body_len <= b.p + b.n);
	}
	/* random garbage after a good begin line */
	for (i = 0; i < 500; i++) {
		b.n = 0;
		buf_str(&b, BEGIN);
		buf_random(&b, rnd() % 2048);
		if (i & 1)
			buf_str(&b, H);
		buf_random(&b, rnd() % 64);
		rc = probe_sections_split(b.p, b.n, TOK, o);
		assert_true(rc == 0 || rc == -1);
		assert_true(o->n <= PROBE_SECTIONS_MAX);
	}
	free(o);
	free(b.p);
}

static struct host_config hc[1];
static struct inventory inv = { .hosts = hc, .n = 1 };

static void
feed(struct probe *p, const char *out, size_t len)
{
	struct sshc_result r;

	memset(&r, 0, sizeof(r));
	r.out = out;
	r.out_len = len;
	r.err = "\033]0;stderr-title\007";
	r.err_len = strlen(r.err);
	r.elapsed_ms = 42;
	probe_feed(p, TOK, &r);
	assert_false(probe_running(p));
}

static void
assert_host_clean(const struct host *h)
{
	size_t i;
	int k;
	const struct ev_rec *e;

	assert_true(sanitize_is_clean(h->conn_msg, strlen(h->conn_msg)));
	assert_true(sanitize_is_clean(h->problem_msg, strlen(h->problem_msg)));
	assert_true(sanitize_is_clean(h->last_outcome,
	    strlen(h->last_outcome)));
	assert_true(sanitize_is_clean(h->maillog_path,
	    strlen(h->maillog_path)));
	assert_true(h->events.count <= h->events.cap);
	for (i = 0; i < h->events.count; i++) {
		e = model_event(h, i);
		assert_non_null(e);
		for (k = 0; k < RS_MAX; k++) {
			const char *s = rec_str(e, (enum rec_str)k);

			assert_true(sanitize_is_clean(s, strlen(s)));
		}
	}
	assert_settings_clean(&h->settings);
	assert_queue_clean(&h->queue);
}

static void
test_probe_feed_hostile_log(void **state)
{
	static const char line[] = "Nov 28 01:28:36 mail-a postfix/smtp[23309]: "
	    "6A6D8104354: to=<probe@dest.example>, relay=172.16.1.12"
	    "[172.16.1.12]:25, delay=0.16, delays=0.01/0/0.07/0.08, "
	    "dsn=4.4.1, status=deferred (";
	struct model m;
	struct probe *p;
	struct buf log = { 0 }, out = { 0 };
	char hdr[512];
	int i;

	(void)state;
	probe_host_set(&hc[0]);
	assert_int_equal(model_init(&m, &inv, 100), 0);
	p = probe_new(&m, &m.hosts[0]);
	assert_non_null(p);

	/* a log chunk: good lines with hostile reasons, a megabyte line, NULs,
	 * invalid UTF-8, bare garbage; cut at PROBE_LOG_CAP like the script */
	for (i = 0; i < 200; i++) {
		buf_str(&log, line);
		buf_add(&log, nasty, NASTY_LEN);
		buf_str(&log, ")\n");
	}
	buf_str(&log, line);
	buf_fill(&log, 'M', PROBE_LOG_CAP / 2);
	buf_str(&log, ")\n");
	buf_random(&log, 64 * 1024);
	buf_str(&log, "\n");
	buf_str(&log, line);
	buf_str(&log, "last)\n");
	if (log.n > PROBE_LOG_CAP)
		log.n = PROBE_LOG_CAP;
	snprintf(hdr, sizeof(hdr), BEGIN H "meta\nstamp=\nnopostfix=0\n"
	    H "logfile ino=9 size=%zu\n/var/log/maillog"
	    H "log kind=first ino=9 start=0 end=%zu fsize=%zu base=0\n",
	    log.n, log.n, log.n);
	buf_str(&out, hdr);
	buf_add(&out, log.p, log.n);
	buf_str(&out, H "step logread rc=0\n" H "end\n");
	feed(p, out.p, out.n);
	assert_true(m.hosts[0].events.count >= 100);
	assert_true(m.hosts[0].events.count <= 100);	/* the ring's cap */
	assert_host_clean(&m.hosts[0]);
	assert_int_equal(m.hosts[0].problems, 0);

	/* a log path carrying escapes is not used, and said so cleanly */
	out.n = 0;
	buf_str(&out, BEGIN H "meta\nstamp=\nnopostfix=0\n"
	    H "logfile ino=9 size=3\n/var/log/maillog\033]0;x\007"
	    H "log kind=first ino=9 start=0 end=3 fsize=3 base=0\nab\n"
	    H "step logread rc=0\n" H "end\n");
	feed(p, out.p, out.n);
	assert_true(m.hosts[0].problems & HP_LOG_UNREADABLE);
	assert_host_clean(&m.hosts[0]);

	/* then pure garbage outputs: a clear garbled state, still clean */
	for (i = 0; i < 200; i++) {
		out.n = 0;
		if (i & 1)
			buf_str(&out, BEGIN);
		buf_random(&out, rnd() % 4096);
		feed(p, out.p, out.n);
		assert_true(m.hosts[0].problems != 0 ||
		    m.hosts[0].conn != HC_UP);
		assert_host_clean(&m.hosts[0]);
	}
	probe_free(p);
	model_free(&m);
	free(log.p);
	free(out.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_postconf_enormous),
		cmocka_unit_test(test_postconf_truncated_and_garbage),
		cmocka_unit_test(test_postqueue_json_enormous),
		cmocka_unit_test(test_postqueue_garbage),
		cmocka_unit_test(test_maillog_hostile_lines),
		cmocka_unit_test(test_maillog_search_not_found),
		cmocka_unit_test(test_sections_hostile),
		cmocka_unit_test(test_probe_feed_hostile_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
