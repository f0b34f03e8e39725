/* test-probe-feed.c: what a finished probe does to the model, from real lab
 * output (first contact, no sudo, Postfix stopped) and hand-made cases
 * (sudo wants a password, no Postfix, journal, garbled, cut short, session
 * failure, a quick "same", alone and with a queue reading): settings, events, queue, status and problems, never a crash
 * and never a silently empty host. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "test-data.h"

#include "model.h"
#include "probe.h"
#include "test-probe-fixture.h"

/* A probe fixture (tests/data/probe/name), whole. */
static char *
slurp(const char *name, size_t *len)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "probe/%s", name);
	return test_data_slurp(rel, len);
}

/* Feeds the fixture tests/data/probe/name as one finished run. */
static void
feed_file(struct fx *f, const char *name)
{
	size_t len;
	char *out = slurp(name, &len);

	feed(f, out, len);
	free(out);
}

static void
test_real_first_contact(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	size_t len;
	char *out = slurp("origin-a.first.out", &len);

	feed(f, out, len);
	assert_int_equal(h->conn, HC_UP);
	assert_int_equal(h->last_answer != 0, 1);
	assert_int_equal(h->problems, 0);
	assert_true(h->settings_valid);
	assert_string_equal(host_setting(h, "relayhost"), "[172.16.1.11]");
	assert_string_equal(host_setting(h, "myorigin"), "example.jp");
	assert_string_equal(h->mail_version, "3.7.11");
	assert_int_equal(h->role, ROLE_ORIGIN);
	assert_int_equal(h->postfix_running, 1);
	assert_string_equal(h->maillog_path, "/var/log/maillog");
	assert_true(h->queue_valid);
	assert_true(h->events.count > 0);	/* the lab log has deliveries */
	assert_int_equal(probe_runs_done(f->p), 1);
	free(out);
}

static void
test_real_no_sudo(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	size_t len;
	char *out = slurp("origin-a.nosudo.out", &len);

	feed(f, out, len);
	assert_int_equal(h->conn, HC_UP);
	assert_true(h->problems & HP_LOG_UNREADABLE);
	assert_non_null(strstr(h->problem_msg, "permission denied"));
	assert_int_equal(h->events.count, 0);
	assert_true(h->settings_valid);
	free(out);
}

/* "same": the host found nothing changed since its last answer (no exec
 * ran). Everything that answer told stands: problems, settings, events,
 * status, the log; only the answer's time moves. Cut short, it counts as
 * garbled, not as "same". */
static void
test_quick_same(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	size_t events;
	char msg[sizeof(h->problem_msg)];
	unsigned problems;
	int running;

	feed_file(f, "origin-a.nosudo.out");
	problems = h->problems;
	events = h->events.count;
	running = h->postfix_running;
	snprintf(msg, sizeof(msg), "%s", h->problem_msg);
	assert_true(problems & HP_LOG_UNREADABLE);
	h->last_answer = 0;
	feed_str(f, BEGIN H "same\n" H "end\n");
	assert_int_equal(h->answers_same, 1);
	assert_int_equal(h->answers_full, 1);
	assert_int_equal(probe_runs_done(f->p), 2);
	assert_int_not_equal(h->last_answer, 0);
	assert_int_equal(h->problems, problems);
	assert_string_equal(h->problem_msg, msg);
	assert_int_equal(h->events.count, events);
	assert_int_equal(h->postfix_running, running);
	assert_true(h->settings_valid);
	assert_string_equal(host_setting(h, "relayhost"), "[172.16.1.11]");
	feed_str(f, BEGIN H "same\n");
	assert_int_equal(h->answers_same, 1);
	assert_int_equal(h->answers_full, 1);
	assert_true(h->problems & HP_PROBE_GARBLED);
}

/* "same" with a queue reading (a timed one, no full run): the reading is
 * taken and judges the queue's problem alone; the rest stands. A host
 * with another problem keeps its problems as they were. */
#define QSUM(d) "queue fmt=s\nq active 0 0\nq deferred " d "\nq hold 0 0\n" \
	"q incoming 0 0\nq maildrop 0 0\nbytes 10\nbad 0\nrc 0\n" H \
	"step queue rc=0\n"
#define QFAIL H "queue fmt=s\n" H "step queue rc=1\npostqueue: fatal: " \
	"Connection refused\n" H "queue fmt=p\n" H "step queue rc=1\n" \
	"postqueue: fatal: Connection refused\n"
static void
test_quick_same_queue(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	unsigned reads;

	feed_file(f, "origin-a.first.out");
	assert_int_equal(h->problems, 0);
	reads = h->queue_reads;
	feed_str(f, BEGIN H "same\n" H QSUM("2 1700000000") H "end\n");
	assert_int_equal(h->answers_same, 1);
	assert_int_equal(h->answers_full, 1);
	assert_int_equal(h->queue_reads, reads + 1);
	assert_true(h->queue_valid);
	assert_int_equal(h->queue.count[Q_DEFERRED], 2);
	assert_int_equal(h->queue.oldest[Q_DEFERRED], 1700000000);
	assert_int_equal(h->problems, 0);
	assert_string_equal(host_setting(h, "relayhost"), "[172.16.1.11]");
	/* a failed reading is the host's problem, the next good one ends it */
	feed_str(f, BEGIN H "same\n" QFAIL H "end\n");
	assert_int_equal(h->problems, HP_QUEUE_UNREADABLE);
	assert_non_null(strstr(h->problem_msg, "Connection refused"));
	assert_false(h->queue_valid);
	/* a "same" without a reading says nothing of the queue */
	feed_str(f, BEGIN H "same\n" H "end\n");
	assert_int_equal(h->problems, HP_QUEUE_UNREADABLE);
	feed_str(f, BEGIN H "same\n" H QSUM("0 0") H "end\n");
	assert_int_equal(h->problems, 0);
	assert_true(h->queue_valid);
	assert_int_equal(h->queue.count[Q_DEFERRED], 0);
	assert_int_equal(h->answers_same, 4);
	assert_int_equal(h->answers_full, 1);
	assert_int_equal(h->queue_reads, reads + 2);	/* the failed one is none */
}

/* The resident's own answers, captured on the lab (its channel's writes,
 * by strace): "same" with the summary of a queue holding one deferred
 * mail, then a plain "same". */
static void
test_real_same(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];

	feed_file(f, "origin-a.first.out");
	feed_file(f, "origin-a.same-queue.out");
	assert_int_equal(h->answers_same, 1);
	assert_int_equal(h->problems, 0);
	assert_true(h->queue_valid);
	assert_int_equal(h->queue.count[Q_DEFERRED], 1);
	assert_int_equal(h->queue.oldest[Q_DEFERRED], 1796644380);
	assert_int_equal(h->queue.bytes, 333);
	assert_string_equal(h->queue.top[0].text,
	    "connect to 172.16.1.12[172.16.1.12]:25: Connection refused");
	feed_file(f, "origin-a.same.out");
	assert_int_equal(h->answers_same, 2);
	assert_int_equal(h->answers_full, 1);
	assert_int_equal(h->queue.count[Q_DEFERRED], 1);
}

static void
test_quick_same_queue_other_problem(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	char msg[sizeof(h->problem_msg)];
	unsigned problems;

	feed_file(f, "origin-a.nosudo.out");
	problems = h->problems;
	assert_true(problems & HP_LOG_UNREADABLE);
	snprintf(msg, sizeof(msg), "%s", h->problem_msg);
	feed_str(f, BEGIN H "same\n" QFAIL H "end\n");
	assert_int_equal(h->problems, problems);
	assert_string_equal(h->problem_msg, msg);
	feed_str(f, BEGIN H "same\n" H QSUM("3 1700000000") H "end\n");
	assert_int_equal(h->problems, problems);
	assert_int_equal(h->queue.count[Q_DEFERRED], 3);
}

static void
test_real_stopped(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	size_t len;
	char *out = slurp("relay-c.stopped.out", &len);

	feed(f, out, len);
	assert_true(h->problems & HP_POSTFIX_STOPPED);
	assert_false(h->problems & HP_QUEUE_UNREADABLE);
	assert_int_equal(h->postfix_running, 0);
	assert_false(h->queue_valid);
	assert_non_null(strstr(h->problem_msg, "not running"));
	free(out);
}

/* The queue: a host-side summary (fmt=s) is taken; an answer without a
 * queue section (not asked for) keeps the reading; the next refresh reads
 * it again only after log activity, when old, or always with
 * queue_interval = 0, never sooner than 5 times its cost. */
static void
test_queue_summary_and_gating(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	int64_t before, now;	/* each feed's own time is between them */

	hc[0].queue_interval_s = 30;
	assert_true(probe_wants_queue(f->p, clock_ms()));	/* none held */
	before = clock_ms();
	feed_str(f, BEGIN H "meta\nstamp=1 2 \nnopostfix=0\n"
	    H "status pid=7 mst=1.2" H "step status rc=0\n"
	    H "queue fmt=s\nq active 1 1795829000\nq deferred 2 1795829321\n"
	    "q hold 0 0\nq incoming 0 0\nq maildrop 0 0\nbytes 969\nbad 0\n"
	    "r 2 connect to 172.16.1.12[172.16.1.12]:25: Connection refused\n"
	    "rc 0\n" H "step queue rc=0\n" H "end\n");
	now = clock_ms();
	assert_int_equal(h->problems, 0);
	assert_true(h->queue_valid);
	assert_int_equal(h->queue.count[Q_DEFERRED], 2);
	assert_int_equal(h->queue.count[Q_ACTIVE], 1);
	assert_int_equal(h->queue.bytes, 969);
	assert_string_equal(h->queue.top[0].text,
	    "connect to 172.16.1.12[172.16.1.12]:25: Connection refused");
	/* read 42 ms ago (r.elapsed_ms): not again within 5 x 42 ms */
	assert_false(probe_wants_queue(f->p, before + 100));
	/* the first reading (or a late one): the next timed one anywhere in
	 * queue_interval
	 * (a fleet's first snapshot read every queue at once; from the
	 * run's token: 0x4567 % 30000 = 17767 ms early) */
	assert_false(probe_wants_queue(f->p, before + 30000 - 17767 - 100));
	assert_true(probe_wants_queue(f->p, now + 30000 - 17767 + 100));
	before = clock_ms();
	feed_str(f, BEGIN H "meta\nstamp=1 2 \nnopostfix=0\n"
	    H "status pid=7 mst=1.2" H "step status rc=0\n"
	    H "queue fmt=s\nq active 1 1795829000\nq deferred 2 1795829321\n"
	    "q hold 0 0\nq incoming 0 0\nq maildrop 0 0\nbytes 969\nbad 0\n"
	    "rc 0\n" H "step queue rc=0\n" H "end\n");
	now = clock_ms();
	/* later readings: nothing happened: not before 3/4 of
	 * queue_interval (each host's own point of the last quarter: here
	 * 0x4567 % 7500 = 2767 ms early), always after it */
	assert_false(probe_wants_queue(f->p, before + 5000));
	assert_false(probe_wants_queue(f->p, before + 22000));
	assert_false(probe_wants_queue(f->p, before + 30000 - 2767 - 100));
	assert_true(probe_wants_queue(f->p, now + 30000 - 2767 + 100));
	assert_true(probe_wants_queue(f->p, now + 31000));
	hc[0].queue_interval_s = 0;
	assert_true(probe_wants_queue(f->p, now));
	hc[0].queue_interval_s = 30;

	/* an answer without the queue: the reading stays; its log activity
	 * makes the next refresh read the queue */
	feed_str(f, BEGIN H "meta\nstamp=1 2 \nnopostfix=0\n"
	    H "status pid=7 mst=1.2" H "step status rc=0\n"
	    H "journal\n"
	    "Nov 28 01:28:34 origin-a postfix/smtp[23317]: 15C7A104342: "
	    "to=<probe@dest.example>, relay=172.16.1.11[172.16.1.11]:25, "
	    "delay=0.06, delays=0.03/0.03/0/0, dsn=4.4.1, status=deferred "
	    "(connect to 172.16.1.11[172.16.1.11]:25: Connection refused)\n"
	    H "step journal rc=0\n" H "end\n");
	assert_true(h->queue_valid);
	assert_int_equal(h->queue.count[Q_DEFERRED], 2);
	assert_false(probe_wants_queue(f->p, before + 100));
	assert_true(probe_wants_queue(f->p, now + 5000));

	/* a summary cut short (no rc line) is an unreadable queue */
	feed_str(f, BEGIN H "meta\nstamp=1 2 \nnopostfix=0\n"
	    H "status pid=7 mst=1.2" H "step status rc=0\n"
	    H "queue fmt=s\nq active 0 0\n" H "step queue rc=0\n" H "end\n");
	assert_true(h->problems & HP_QUEUE_UNREADABLE);
	assert_non_null(strstr(h->problem_msg, "queue summary"));
	assert_true(probe_wants_queue(f->p, now + 100));	/* none held */
}

/* First contact: postqueue tells whether master runs (status via=queue),
 * no sudo; "mail system is down" is a stopped Postfix, not a queue fault. */
static void
test_status_by_queue(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];

	feed_str(f, BEGIN H "meta\nstamp=1 2 \nnopostfix=0\n"
	    H "status via=queue\n"
	    H "queue fmt=s\n" H "step queue rc=69\npostqueue: fatal: Queue "
	    "report unavailable - mail system is down (Connect to the Postfix "
	    "showq service: Connection refused)\n" H "end\n");
	assert_int_equal(h->postfix_running, 0);
	assert_true(h->problems & HP_POSTFIX_STOPPED);
	assert_false(h->problems & HP_QUEUE_UNREADABLE);
	assert_false(h->queue_valid);

	feed_str(f, BEGIN H "meta\nstamp=1 2 \nnopostfix=0\n"
	    H "status via=queue\n"
	    H "queue fmt=s\nq active 0 0\nq deferred 0 0\nq hold 0 0\n"
	    "q incoming 0 0\nq maildrop 0 0\nbytes 0\nbad 0\nrc 0\n"
	    H "step queue rc=0\n" H "end\n");
	assert_int_equal(h->postfix_running, 1);
	assert_int_equal(h->problems, 0);
	assert_true(h->queue_valid);

	/* another postqueue failure says nothing about master */
	feed_str(f, BEGIN H "meta\nstamp=1 2 \nnopostfix=0\n"
	    H "status via=queue\n"
	    H "queue fmt=s\n" H "step queue rc=75\npostqueue: fatal: "
	    "Permission denied\n" H "queue fmt=p\n" H "step queue rc=75\n"
	    "postqueue: fatal: Permission denied\n" H "end\n");
	assert_int_equal(h->postfix_running, -1);
	assert_true(h->problems & HP_QUEUE_UNREADABLE);
	assert_false(h->problems & HP_POSTFIX_STOPPED);
}

static void
test_sudo_password(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];

	feed_str(f, BEGIN H "meta\nstamp=1.2.3 4.5.6 \nnopostfix=0\n"
	    H "status" H "step status rc=1\nsudo: a password is required"
	    H "logfile" "\n/var/log/maillog"
	    H "step logstat rc=1\nsudo: a password is required"
	    H "queue fmt=j\n" H "step queue rc=0\n" H "end\n");
	assert_int_equal(h->conn, HC_UP);
	assert_true(h->problems & HP_SUDO_PASSWORD);
	assert_false(h->problems & HP_POSTFIX_STOPPED);
	/* the hint names what ran and where the rule comes from */
	assert_non_null(strstr(h->problem_msg, "/usr/bin/cat"));
	assert_non_null(strstr(h->problem_msg, "relaytop --sudoers"));
	assert_int_equal(h->postfix_running, -1);
	feed_str(f, BEGIN H "journal via=sudo\n" H "step journal rc=1\n"
	    "sudo: a password is required" H "end\n");
	assert_true(h->problems & HP_SUDO_PASSWORD);
	assert_non_null(strstr(h->problem_msg, "/usr/bin/journalctl"));
	assert_string_equal(h->maillog_via, "");	/* nothing was read */
}

static void
test_no_postfix(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];

	feed_str(f, BEGIN H "meta\nstamp=\nnopostfix=1\n" H "nolog\n"
	    H "end\n");
	assert_true(h->problems & HP_NO_POSTFIX);
	assert_true(h->problems & HP_LOG_NONE);
	assert_non_null(strstr(h->problem_msg, "not installed"));
	assert_int_equal(h->conn, HC_UP);
}

static void
test_journal(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];

	feed_str(f, BEGIN H "meta\nstamp=1 2 \nnopostfix=0\n"
	    H "journal\n"
	    "Nov 28 01:28:34 relay-c postfix/smtp[23317]: 15C7A104342: "
	    "to=<probe@dest.example>, relay=172.16.30.25[172.16.30.25]:25, "
	    "delay=0.06, delays=0.03/0.03/0/0, dsn=2.0.0, status=sent "
	    "(250 2.0.0 Ok)\n"
	    "-- cursor: s=0a1b;i=5;b=77;m=1;t=2;x=3\n"
	    H "step journal rc=0\n" H "end\n");
	assert_int_equal(h->problems, 0);
	assert_string_equal(h->maillog_path, "journal");
	assert_int_equal(h->events.count, 1);
	assert_int_equal(model_event(h, 0)->status, ST_SENT);
	/* journalctl failing is a log problem, not a crash */
	feed_str(f, BEGIN H "journal\n" H "step journal rc=1\n"
	    "Failed to get journal: Permission denied" H "end\n");
	assert_true(h->problems & HP_LOG_UNREADABLE);
}

static void
test_log_chunks_and_cursor(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	static const char line[] = "Nov 28 01:28:36 mail-a postfix/smtp[23309]: "
	    "6A6D8104354: to=<probe@dest.example>, relay=172.16.1.12"
	    "[172.16.1.12]:25, delay=0.16, delays=0.01/0/0.07/0.08, "
	    "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 8FE05104353)\n";
	char out[4096];
	size_t n = strlen(line);

	/* first contact from 0: one line and a partial one */
	snprintf(out, sizeof(out), BEGIN H "logfile ino=9 size=%zu\n"
	    "/var/log/maillog" H "log kind=first ino=9 start=0 end=%zu "
	    "fsize=%zu base=0\n%sNov 28 01:2" H "step logread rc=0\n"
	    H "end\n", n + 11, n + 11, n + 11, line);
	feed_str(f, out);
	assert_int_equal(h->problems, 0);
	assert_int_equal(h->events.count, 1);
	assert_string_equal(h->maillog_via, "");	/* not said */
	/* a chunk that does not start at the cursor is not consumed */
	snprintf(out, sizeof(out), BEGIN H "logfile ino=9 size=999\n"
	    "/var/log/maillog" H "log kind=cur ino=9 start=5 end=%zu "
	    "fsize=999 base=0\n%s" H "step logread rc=0\n" H "end\n",
	    n + 5, line);
	feed_str(f, out);
	assert_int_equal(h->events.count, 1);
	/* the right continuation (block-aligned base) is */
	snprintf(out, sizeof(out), BEGIN H "logfile ino=9 size=999\n"
	    "/var/log/maillog" H "log kind=cur ino=9 start=%zu end=%zu "
	    "fsize=999 base=0 via=sudo\n%s%s" H "step logread rc=0\n" H "end\n",
	    n, 2 * n, line, line);
	feed_str(f, out);
	assert_int_equal(h->events.count, 2);
	assert_string_equal(h->maillog_via, "sudo");	/* how it was read */
	/* data without its step after it was cut: not consumed */
	snprintf(out, sizeof(out), BEGIN H "logfile ino=9 size=999\n"
	    "/var/log/maillog" H "log kind=cur ino=9 start=%zu end=%zu "
	    "fsize=999 base=0 via=direct\n%s", 2 * n, 3 * n, line);
	feed_str(f, out);
	assert_int_equal(h->events.count, 2);
	assert_true(h->problems & HP_PROBE_GARBLED);
	assert_string_equal(h->maillog_via, "sudo");	/* that read failed */
	/* a read the host says was direct; an unknown word is ignored */
	snprintf(out, sizeof(out), BEGIN H "logfile ino=9 size=999\n"
	    "/var/log/maillog" H "log kind=cur ino=9 start=%zu end=%zu "
	    "fsize=999 base=0 via=direct\n%s%s%s" H "step logread rc=0\n"
	    H "end\n", 2 * n, 3 * n, line, line, line);
	feed_str(f, out);
	assert_int_equal(h->events.count, 3);
	assert_string_equal(h->maillog_via, "direct");
	snprintf(out, sizeof(out), BEGIN H "logfile ino=9 size=999\n"
	    "/var/log/maillog" H "log kind=cur ino=9 start=%zu end=%zu "
	    "fsize=999 base=0 via=\033[2J\n%s%s%s%s" H "step logread rc=0\n"
	    H "end\n", 3 * n, 4 * n, line, line, line, line);
	feed_str(f, out);
	assert_int_equal(h->events.count, 4);
	assert_string_equal(h->maillog_via, "direct");
}

/* Debian 12's mail.log (root:adm 0640) read by a member of adm: the probe
 * says grp=adm; a read without grp clears it; a name that is no group name
 * is not kept. The line: captured by capture-rsyslog.sh. */
static void
test_log_group(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	static const char line[] = "2026-12-06T08:57:00.347999+00:00 relay-c "
	    "postfix/smtp[31693]: 140BB1062E0: to=<probe@dest.example>, "
	    "relay=172.16.30.25[172.16.30.25]:25, delay=0.44, "
	    "delays=0.21/0.22/0.01/0, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n";
	char out[4096];
	size_t n = strlen(line);

	snprintf(out, sizeof(out), BEGIN H "logfile ino=7 size=%zu\n"
	    "/var/log/mail.log" H "log kind=first ino=7 start=0 end=%zu "
	    "fsize=%zu base=0 via=direct grp=adm\n%s" H "step logread rc=0\n"
	    H "end\n", n, n, n, line);
	feed_str(f, out);
	assert_int_equal(h->problems, 0);
	assert_int_equal(h->events.count, 1);
	assert_int_equal(model_event(h, 0)->status, ST_SENT);
	assert_string_equal(h->maillog_path, "/var/log/mail.log");
	assert_string_equal(h->maillog_via, "direct");
	assert_string_equal(h->maillog_group, "adm");
	snprintf(out, sizeof(out), BEGIN H "logfile ino=7 size=%zu\n"
	    "/var/log/mail.log" H "log kind=cur ino=7 start=%zu end=%zu "
	    "fsize=%zu base=%zu via=direct grp=a\033[2Jb\n%s" H "step "
	    "logread rc=0\n" H "end\n", 2 * n, n, 2 * n, 2 * n, n, line);
	feed_str(f, out);
	assert_int_equal(h->events.count, 2);
	assert_string_equal(h->maillog_group, "");
	snprintf(out, sizeof(out), BEGIN H "logfile ino=7 size=%zu\n"
	    "/var/log/mail.log" H "log kind=cur ino=7 start=%zu end=%zu "
	    "fsize=%zu base=%zu via=direct grp=adm\n%s" H "step logread "
	    "rc=0\n" H "end\n", 3 * n, 2 * n, 3 * n, 3 * n, 2 * n, line);
	feed_str(f, out);
	assert_string_equal(h->maillog_group, "adm");
	snprintf(out, sizeof(out), BEGIN H "logfile ino=7 size=%zu\n"
	    "/var/log/mail.log" H "log kind=cur ino=7 start=%zu end=%zu "
	    "fsize=%zu base=%zu via=sudo\n%s" H "step logread rc=0\n" H "end\n",
	    4 * n, 3 * n, 4 * n, 4 * n, 3 * n, line);
	feed_str(f, out);
	assert_int_equal(h->events.count, 4);
	assert_string_equal(h->maillog_via, "sudo");
	assert_string_equal(h->maillog_group, "");
}

static void
test_garbled(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];

	feed_str(f, "Welcome to host!\n\033[31mrandom junk\n");
	assert_int_equal(h->conn, HC_UP);
	assert_true(h->problems & HP_PROBE_GARBLED);
	assert_null(strchr(h->problem_msg, '\033'));
	feed_str(f, BEGIN H "meta\nstamp=\n" H "log kind=first ino=1 start=0 "
	    "end=2 fsize=2 base=0\nxx" H "step logread rc=0\n" H "end\n");
	assert_true(h->problems & HP_PROBE_GARBLED);
	feed_str(f, BEGIN H "logfile ino=1 size=2\n/var/log/maillog"
	    H "log kind=zzz ino=1\nxx"
	    H "step logread rc=0\n" H "end\n");
	assert_true(h->problems & HP_PROBE_GARBLED);
	feed_str(f, BEGIN H "meta\nstamp=\n" H "settings\n" H
	    "step settings rc=1\npostconf: fatal: open /etc/postfix/main.cf: "
	    "Permission denied" H "end\n");
	assert_true(h->problems & HP_PROBE_GARBLED);
	assert_non_null(strstr(h->problem_msg, "postconf failed"));
	assert_false(h->settings_valid);
}

static void
test_session_failure(void **state)
{
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	struct sshc_result r;

	memset(&r, 0, sizeof(r));
	r.exit_status = -1;
	r.error = SSHE_TIMEOUT;
	probe_feed(f->p, TOK, &r);
	assert_int_equal(h->conn, HC_UNREACHABLE);
	assert_non_null(strstr(h->conn_msg, "probe failed: timed out after "
	    "0.0 s (no output"));
	assert_int_equal(h->last_answer, 0);
	assert_int_equal(probe_runs_done(f->p), 1);
}

/* A run that timed out after its settings step ended: the message names
 * the step, the time and when each section began (from the marks). */
static void
test_timeout_step(void **state)
{
	static const char out[] = "@@RT-" TOK " begin ab\n"
	    "\n@@RT-" TOK "ab meta \nstamp=1 2 \nnopostfix=0\n"
	    "\n@@RT-" TOK "ab settings \nmyhostname = x\n"
	    "\n@@RT-" TOK "ab step settings rc=0\n";
	static const struct sshc_mark marks[] = { { 100, 120 }, { 200, 1500 } };
	struct fx *f = *state;
	struct host *h = &f->m.hosts[0];
	struct sshc_result r;

	memset(&r, 0, sizeof(r));
	r.exit_status = -1;
	r.error = SSHE_TIMEOUT;
	r.msg = "timed out reading the answer";
	r.out = out;
	r.out_len = sizeof(out) - 1;
	r.elapsed_ms = 5012;
	r.marks = marks;
	r.nmarks = 2;
	probe_feed(f->p, TOK, &r);
	assert_int_equal(h->conn, HC_UNREACHABLE);
	assert_string_equal(h->conn_msg, "probe failed: timed out after step "
	    "settings (postconf -x) ended, at 5.0 s; first byte 0.12 s; steps "
	    "began at (s): meta 0.12 settings 1.50");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_real_first_contact, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_real_no_sudo, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_quick_same, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_quick_same_queue, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_real_same, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quick_same_queue_other_problem,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_real_stopped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_queue_summary_and_gating,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_by_queue,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_sudo_password, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_no_postfix, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_chunks_and_cursor,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_group, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_garbled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_failure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_timeout_step, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
