/* test-postmulti.c: a relay with two Postfix instances (postmulti), on real
 * Postfix 3.7 output (tests/data/captured/ *.postmulti*, made by
 * capture-postmulti.sh): `postmulti -l` as the login, and one maillog
 * written by both instances (syslog_names postfix and postfix-out). The
 * instance list parser (plus hand-made hostile lines), the `instances`
 * key, instance entries in the inventory and the model, which host each
 * log line belongs to, the counts (N sent at the instance, N handed off at
 * the default, none sent there), the hand-off edge between them and the
 * log view's follower across them (the test mail's trace: e2e). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "event.h"
#include "logsum.h"
#include "model.h"
#include "postconf.h"
#include "postmulti.h"
#include "topology.h"
#include "trace.h"
#include "test-data.h"

#define POSTMULTI_L	"captured/relay-c.postmulti-l.txt"
#define MAILLOG_C	"captured/relay-c.maillog.postmulti.txt"
/* grep on the capture: 3 mails, each handed by the default (postfix/smtp
 * to 127.0.0.1:10026, "queued as") to postfix-out, which delivered it */
#define MAILS		3

static void
test_parse_captured(void **state)
{
	struct host_instance v[HOST_INSTANCES_MAX];
	size_t len;
	char *buf = test_data_slurp(POSTMULTI_L, &len);

	(void)state;
	assert_int_equal(postmulti_parse(buf, len, v, HOST_INSTANCES_MAX), 1);
	assert_string_equal(v[0].name, "postfix-out");
	assert_string_equal(v[0].config_dir, "/etc/postfix-out");
	assert_int_equal(v[0].enabled, 1);
	/* plain postmulti -l has no syslog_name: Postfix's default for an
	 * instance is its name */
	assert_string_equal(v[0].syslog_name, "postfix-out");
	free(buf);
}

static void
test_parse_probe_form(void **state)
{
	static const char in[] =
	    "postfix-out     mta   y   /etc/postfix-out   out/mx\r\n"
	    "-               -     y   /etc/postfix\n"
	    "bad;name        mta   y   /etc/postfix-x   x\n"
	    "relative        mta   y   etc/postfix-r    r\n"
	    "quoted          mta   y   /etc/post'fix    q\n"
	    "maybe           mta   m   /etc/postfix-m   m\n"
	    "short           mta   y\n"
	    "weird-syslog    mta   y   /etc/postfix-w   a$b\n"
	    "\n"
	    "postfix-in      -     n   /etc/postfix-in";	/* no newline */
	struct host_instance v[HOST_INSTANCES_MAX];

	(void)state;
	assert_int_equal(postmulti_parse(in, strlen(in), v,
	    HOST_INSTANCES_MAX), 2);
	assert_string_equal(v[0].name, "postfix-out");
	assert_string_equal(v[0].syslog_name, "out/mx");
	assert_string_equal(v[1].name, "postfix-in");
	assert_string_equal(v[1].config_dir, "/etc/postfix-in");
	assert_int_equal(v[1].enabled, 0);
	/* at most max kept; never past len */
	assert_int_equal(postmulti_parse(in, strlen(in), v, 1), 1);
	assert_int_equal(postmulti_parse(in, 20, v, HOST_INSTANCES_MAX), 0);
	assert_int_equal(postmulti_parse("", 0, v, HOST_INSTANCES_MAX), 0);
}

static void
test_instances_key(void **state)
{
	struct inventory inv;
	struct host_config h;
	char err[256];

	(void)state;
	assert_true(config_instances_valid("all"));
	assert_true(config_instances_valid("none"));
	assert_true(config_instances_valid("postfix-out"));
	assert_true(config_instances_valid("postfix-out, postfix-in"));
	assert_false(config_instances_valid(""));
	assert_false(config_instances_valid("postfix-out;rm"));
	assert_false(config_instances_valid("-"));
	assert_false(config_instances_valid("postfix-out all"));
	memset(&h, 0, sizeof(h));
	strcpy(h.instances, "all");
	assert_true(config_instance_wanted(&h, "postfix-out", 1));
	assert_false(config_instance_wanted(&h, "postfix-out", 0));
	strcpy(h.instances, "none");
	assert_false(config_instance_wanted(&h, "postfix-out", 1));
	strcpy(h.instances, "postfix-in postfix-out");
	assert_true(config_instance_wanted(&h, "postfix-out", 0));
	assert_false(config_instance_wanted(&h, "postfix", 1));
	assert_false(config_instance_wanted(&h, "postfix-o", 1));

	memset(&inv, 0, sizeof(inv));
	assert_int_equal(config_load_string("[defaults]\nuser = op\n"
	    "known_hosts = /tmp/kh\ninstances = postfix-out\n[relay-c]\n"
	    "address = 172.16.1.11\n[relay-d]\naddress = 172.16.1.12\n"
	    "instances = none\n", "t.ini", &inv, err, sizeof(err)), 0);
	assert_string_equal(inv.hosts[0].instances, "postfix-out");
	assert_string_equal(inv.hosts[1].instances, "none");
	config_free(&inv);
	assert_int_equal(config_load_string("[relay-c]\nuser = op\n"
	    "known_hosts = /tmp/kh\naddress = 172.16.1.11\n"
	    "instances = postfix-out;x\n", "t.ini", &inv, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "t.ini:5:"));
	assert_non_null(strstr(err, "instances"));
	/* unset: all */
	assert_int_equal(config_load_string("[relay-c]\nuser = op\n"
	    "known_hosts = /tmp/kh\naddress = 172.16.1.11\n", "t.ini", &inv,
	    err, sizeof(err)), 0);
	assert_string_equal(inv.hosts[0].instances, "all");
	config_free(&inv);
}

/* relay-c and its instance entry relay-c/postfix-out, as the watch makes
 * them; each host's probe reads the same maillog, each keeps its lines. */
struct pm_fx {
	struct host_config hc[2];
	struct inventory inv;
	struct model m;
};

static void
set_settings(struct model *m, struct host *h, const char *pc)
{
	struct pc_settings st = { 0 };
	char err[128];

	assert_true(postconf_parse(pc, strlen(pc), &st, err, sizeof(err)) >= 0);
	model_set_settings(m, h, &st);
}

static void
fx_make(struct pm_fx *f)
{
	struct host_instance v[HOST_INSTANCES_MAX];
	size_t len;
	char *buf;

	memset(f, 0, sizeof(*f));
	strcpy(f->hc[0].name, "relay-c");
	strcpy(f->hc[0].address, "172.16.1.11");
	strcpy(f->hc[0].instances, "all");
	f->hc[0].role = ROLE_RELAY;
	f->inv.hosts = f->hc;
	f->inv.n = 1;
	assert_int_equal(model_init_room(&f->m, &f->inv, 0, 1), 0);
	buf = test_data_slurp(POSTMULTI_L, &len);
	model_set_instances(&f->m, &f->m.hosts[0], v,
	    postmulti_parse(buf, len, v, HOST_INSTANCES_MAX));
	free(buf);
	assert_int_equal(f->m.hosts[0].n_instances, 1);
	/* no room in the inventory beyond 2 */
	assert_int_equal(config_add_instance(&f->inv, 2, 0, "postfix-out",
	    "/etc/postfix-out", "postfix-out"), 1);
	assert_int_equal(config_add_instance(&f->inv, 2, 0, "postfix-in",
	    "/etc/postfix-in", "postfix-in"), -1);
	assert_int_equal(model_add_host(&f->m), 1);
	assert_int_equal(model_add_host(&f->m), -1);
	assert_string_equal(f->m.hosts[1].cfg->name, "relay-c/postfix-out");
	assert_string_equal(f->m.hosts[1].cfg->postfix_config,
	    "/etc/postfix-out");
	assert_int_equal(model_machine_of(&f->m, 1), 0);
	assert_int_equal(model_machine_of(&f->m, 0), 0);
	set_settings(&f->m, &f->m.hosts[0], "syslog_name = postfix\n"
	    "inet_interfaces = all\nrelayhost =\n");
	set_settings(&f->m, &f->m.hosts[1], "syslog_name = postfix-out\n"
	    "inet_interfaces = loopback-only\nrelayhost =\n");
}

static void
test_split_captured(void **state)
{
	struct pm_fx f;
	size_t len, n, lines = 0, taken[2] = { 0, 0 };
	char *buf, *p, *nl;
	unsigned rc[2][ST_MAX];
	time_t last = 0;
	struct mail_event ev;
	int i;

	(void)state;
	fx_make(&f);
	buf = test_data_slurp(MAILLOG_C, &len);
	for (p = buf; p < buf + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		if (nl == NULL)
			nl = buf + len;
		if ((n = (size_t)(nl - p)) == 0)
			continue;
		assert_int_equal(maillog_parse_line(p, n, 2026, &ev), 0);
		lines++;
		if (ev.when > last)
			last = ev.when;
		/* every line is exactly one instance's */
		assert_int_equal(model_host_takes(&f.m.hosts[0], &ev) +
		    model_host_takes(&f.m.hosts[1], &ev), 1);
		for (i = 0; i < 2; i++)
			if (model_host_takes(&f.m.hosts[i], &ev)) {
				taken[i]++;
				assert_true(memcmp(ev.prog.p, i ? "postfix-out/" :
				    "postfix/", i ? 12 : 8) == 0);
				model_add_event(&f.m, &f.m.hosts[i], &ev);
			}
	}
	free(buf);
	assert_int_equal(lines, 42);
	assert_int_equal(taken[0], 21);		/* grep -c 'postfix/' */
	assert_int_equal(taken[1], 21);		/* grep -c 'postfix-out/' */
	for (i = 0; i < 2; i++)
		model_count_recent(&f.m.hosts[i], last + 1, 60, rc[i]);
	/* one delivered outcome per mail, at the last instance */
	assert_int_equal(rc[0][ST_SENT], 0);
	assert_int_equal(rc[1][ST_SENT], MAILS);
	assert_int_equal(model_count_handoffs(&f.m.hosts[0], last + 1, 60),
	    MAILS);
	assert_int_equal(model_count_handoffs(&f.m.hosts[1], last + 1, 60), 0);
	assert_non_null(strstr(f.m.hosts[1].last_outcome, "via 172.16.30.25"));
	assert_string_equal(f.m.hosts[0].last_outcome, "");

	/* the topology: relay-c -> relay-c/postfix-out handed off on 10026,
	 * the instance -> dest sent; relay-c has no edge to dest itself */
	{
		struct topology t = { NULL, 0 };
		size_t k, hand = 0, onward = 0;

		assert_int_equal(topology_build(&f.m, &t), 0);
		for (k = 0; k < t.n; k++) {
			const struct edge *e = &t.v[k];

			if (e->from == 0) {
				assert_int_equal(e->to, 1);
				assert_int_equal(e->state, EDGE_HANDOFF);
				assert_int_equal(e->target.port, 10026);
				assert_string_equal(e->target.host,
				    "127.0.0.1");
				hand++;
			} else if (e->from == 1 && e->kind == EDGE_ONWARD) {
				assert_int_equal(e->to, -1);
				assert_int_equal(e->state, EDGE_SENT);
				assert_string_equal(e->target.host,
				    "172.16.30.25");
				onward++;
			}
		}
		assert_int_equal(hand, 1);
		assert_int_equal(onward, 1);
		assert_string_equal(edge_state_name(EDGE_HANDOFF), "handed-off");
		topology_free(&t);
	}
	/* the log view's follower: from either instance's id to both, in
	 * order (the ids of the capture's first mail) */
	{
		struct mail_hop hops[4];

		assert_int_equal(trace_follow(&f.m, 1, "7AEA71060D3", hops, 4),
		    2);
		assert_int_equal(hops[0].host, 0);
		assert_string_equal(hops[0].qid, "0EA23104411");
		assert_int_equal(hops[1].host, 1);
		assert_string_equal(hops[1].qid, "7AEA71060D3");
		assert_int_equal(trace_follow(&f.m, 0, "0EA23104411", hops, 4),
		    2);
		assert_int_equal(hops[1].host, 1);
		assert_string_equal(hops[1].qid, "7AEA71060D3");
	}
	model_free(&f.m);
}

/* --log on the shared maillog: grep's truth, each mail one delivery, the
 * default's hand-offs apart. */
static void
test_logsum_captured(void **state)
{
	struct logsum s;
	size_t len;
	char *buf = test_data_slurp(MAILLOG_C, &len);

	(void)state;
	assert_int_equal(logsum_init(&s, 2026), 0);
	logsum_feed(&s, buf, len);
	assert_int_equal(s.status[ST_SENT], MAILS);
	assert_int_equal(s.handoffs, MAILS);
	logsum_free(&s);
	free(buf);
}

/* Hand-made: which lines an instance claims. */
static void
test_takes_forms(void **state)
{
	struct pm_fx f;
	struct mail_event ev;
	static const struct {
		const char *line;
		int host;	/* which host takes it */
	} cases[] = {
		{ "Dec 06 08:56:50 relay-c postfix/smtp[1]: 0EA23104411: "
		    "to=<p@dest.example>, relay=none, delay=1, "
		    "delays=0/0/1/0, dsn=4.4.1, status=deferred (x)", 0 },
		{ "Dec 06 08:56:50 relay-c postfix/submission/smtpd[1]: "
		    "0EA23104411: client=unknown[172.16.10.5]", 0 },
		{ "Dec 06 08:56:50 relay-c-out postfix-out/smtpd[1]: "
		    "0EA23104411: client=localhost[127.0.0.1]", 1 },
		{ "Dec 06 08:56:50 relay-c-out postfix-out/submission/smtpd[1]"
		    ": 0EA23104411: client=localhost[127.0.0.1]", 1 },
		/* a prefix of the name is not the name */
		{ "Dec 06 08:56:50 relay-c postfix-outer/smtpd[1]: "
		    "0EA23104411: client=localhost[127.0.0.1]", 0 },
		{ "Dec 06 08:56:50 relay-c postfix-ou/smtpd[1]: "
		    "0EA23104411: client=localhost[127.0.0.1]", 0 },
	};
	size_t k;

	(void)state;
	fx_make(&f);
	for (k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
		assert_int_equal(maillog_parse_line(cases[k].line,
		    strlen(cases[k].line), 2026, &ev), 0);
		assert_int_equal(model_host_takes(&f.m.hosts[0], &ev),
		    cases[k].host == 0);
		assert_int_equal(model_host_takes(&f.m.hosts[1], &ev),
		    cases[k].host == 1);
	}
	/* an instance that logs under the default's own name cannot be
	 * told apart: its lines stay with the default */
	{
		struct host_instance v[1];

		memset(v, 0, sizeof(v));
		strcpy(v[0].name, "postfix-same");
		strcpy(v[0].config_dir, "/etc/postfix-same");
		strcpy(v[0].syslog_name, "postfix");
		v[0].enabled = 1;
		model_set_instances(&f.m, &f.m.hosts[0], v, 1);
		assert_int_equal(maillog_parse_line(cases[0].line,
		    strlen(cases[0].line), 2026, &ev), 0);
		assert_true(model_host_takes(&f.m.hosts[0], &ev));
	}
	model_free(&f.m);
}

/* The host's list of instances lives on the heap (model-instances.c): the
 * same list again changes nothing, an empty one frees it, a new one is a
 * copy (the caller's array may go). */
static void
test_instances_list(void **state)
{
	struct pm_fx f;
	struct host_instance v[2];
	struct host *h;
	unsigned gen;

	(void)state;
	fx_make(&f);
	h = &f.m.hosts[0];
	assert_non_null(h->instances);
	assert_string_equal(h->instances[0].syslog_name, "postfix-out");
	gen = h->instances_gen;
	memcpy(v, h->instances, sizeof(v[0]));
	model_set_instances(&f.m, h, v, 1);
	assert_int_equal(h->instances_gen, gen);
	model_set_instances(&f.m, h, v, 0);
	assert_int_equal(h->instances_gen, gen + 1);
	assert_int_equal(h->n_instances, 0);
	assert_null(h->instances);
	model_set_instances(&f.m, h, v, 0);
	assert_int_equal(h->instances_gen, gen + 1);
	v[1] = v[0];
	strcpy(v[1].syslog_name, "postfix-in");
	model_set_instances(&f.m, h, v, 2);
	memset(v, 0, sizeof(v));
	assert_int_equal(h->instances_gen, gen + 2);
	assert_int_equal(h->n_instances, 2);
	assert_string_equal(h->instances[0].syslog_name, "postfix-out");
	assert_string_equal(h->instances[1].syslog_name, "postfix-in");
	model_free(&f.m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_captured),
		cmocka_unit_test(test_parse_probe_form),
		cmocka_unit_test(test_instances_key),
		cmocka_unit_test(test_split_captured),
		cmocka_unit_test(test_takes_forms),
		cmocka_unit_test(test_instances_list),
		cmocka_unit_test(test_logsum_captured),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
