/* test-check-logs.c: the doctor's log, queue and port rules (on maillog
 * lines captured on the lab), the port test's command and classification
 * (run for real against local sockets), value expansion and the output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-check-util.h"
#include "../../src/check-int.h"
#include "port-probe.h"

/* Feeds every line of a captured maillog to host h; returns the newest
 * event's time. */
static time_t
feed(struct tlab *L, int h, const char *file)
{
	char *text = slurp(file), *line, *save = NULL;
	time_t last = 0;

	for (line = strtok_r(text, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		struct mail_event ev;

		if (maillog_parse_line(line, strlen(line), 2026, &ev) != 0)
			continue;
		model_add_event(&L->m, &L->m.hosts[h], &ev);
		if (ev.when > last)
			last = ev.when;
	}
	free(text);
	assert_true(last > 0);
	return last;
}

static void
test_relay_denied(void **state)
{
	struct tlab L;
	const struct finding *f;
	time_t t;

	tl_init(&L);
	t = feed(&L, C, "captured/relay-c.maillog.relay-denied.txt");
	/* the cause still in place: a warning that points at the rule */
	tl_set(&L, C, "mynetworks", "127.0.0.1, 172.16.10.6");
	tl_run_ports(&L, NULL, t + 60);
	assert_string_equal(tl_ids(&L), "origin-not-in-mynetworks,"
	    "log-relay-denied");
	f = tl_get(&L, "log-relay-denied");
	assert_int_equal(f->sev, SEV_WARNING);
	assert_string_equal(f->see, "origin-not-in-mynetworks");
	assert_int_equal(f->hosts[0], C);
	assert_int_equal(f->hosts[1], A);
	assert_non_null(strstr(f->evidence, "Relay access denied"));
	assert_non_null(strstr(f->what, "see origin-not-in-mynetworks"));
	assert_non_null(strstr(f->fix, "172.16.10.6, 172.16.10.5"));
	/* fixed since: information only */
	tl_set(&L, C, "mynetworks", "127.0.0.1, 172.16.10.5, 172.16.10.6");
	tl_run_ports(&L, NULL, t + 60);
	assert_string_equal(tl_ids(&L), "");
	assert_int_equal(tl_get(&L, "log-relay-denied")->sev, SEV_INFO);
	assert_int_equal(L.status, 0);
	/* outside the window: nothing */
	tl_run_ports(&L, NULL, t + CHECK_LOG_WINDOW_S + 60);
	assert_int_equal(L.f.n, 0);
	tl_free(&L);
}

static void
test_loop_log(void **state)
{
	struct tlab L;
	const struct finding *f;
	time_t t;

	tl_init(&L);
	t = feed(&L, A, "captured/origin-a.maillog.loop.txt");
	tl_set(&L, C, "myhostname", "mail-a.example.jp");
	tl_run_ports(&L, NULL, t + 5);
	assert_string_equal(tl_ids(&L), "myhostname-loop,log-mail-loop");
	f = tl_get(&L, "log-mail-loop");
	assert_string_equal(f->see, "myhostname-loop");
	assert_non_null(strstr(f->evidence, "loops back to myself"));
	tl_free(&L);
}

static void
test_connect_failed(void **state)
{
	struct port_result r[1];
	struct port_results pr = { r, 1 };
	struct tlab L;
	time_t t;

	tl_init(&L);
	t = feed(&L, A, "captured/origin-a.maillog.failover.txt");
	memset(r, 0, sizeof(r));
	r[0].from = A;
	r[0].to = C;
	r[0].kind = EDGE_PRIMARY;
	snprintf(r[0].host, sizeof(r[0].host), "172.16.1.11");
	r[0].port = 25;
	r[0].state = PORT_OPEN;
	tl_run_ports(&L, &pr, t + 30);
	assert_string_equal(tl_ids(&L), "");
	assert_int_equal(tl_get(&L, "log-connect-failed")->sev, SEV_INFO);
	/* C on loopback: the refusal is explained, and the port test's
	 * refusal lands in that finding's evidence */
	tl_set(&L, C, "inet_interfaces", "loopback-only");
	r[0].state = PORT_REFUSED;
	tl_run_ports(&L, &pr, t + 30);
	assert_string_equal(tl_ids(&L), "relay-loopback-only,"
	    "log-connect-failed");
	assert_string_equal(tl_get(&L, "log-connect-failed")->see,
	    "relay-loopback-only");
	assert_non_null(strstr(tl_get(&L, "relay-loopback-only")->evidence,
	    "port 25 refused from origin-a"));
	tl_free(&L);
}

/* Both relays refused origin-a: one finding per relay, each naming its
 * own (the address of each connect line is looked up on its own). */
static void
test_connect_failed_both(void **state)
{
	struct tlab L;
	size_t i;
	int peers = 0;
	time_t t;

	tl_init(&L);
	t = feed(&L, A, "captured/origin-a.maillog.both-down.txt");
	tl_run_ports(&L, NULL, t + 30);
	assert_int_equal(tl_count(&L, "log-connect-failed"), 2);
	for (i = 0; i < L.f.n; i++) {
		const struct finding *f = &L.f.v[i];

		if (strcmp(f->id, "log-connect-failed") != 0)
			continue;
		assert_int_equal(f->hosts[0], A);
		assert_int_equal(f->nhosts, 2);
		peers |= 1 << f->hosts[1];
	}
	assert_int_equal(peers, 1 << C | 1 << D);
	tl_free(&L);
}

static void
test_ports(void **state)
{
	struct port_result r[3];
	struct port_results pr = { r, 3 };
	const struct finding *f;
	struct tlab L;

	tl_init(&L);
	memset(r, 0, sizeof(r));
	r[0].from = A; r[0].to = C; r[0].kind = EDGE_PRIMARY;
	r[1].from = A; r[1].to = D; r[1].kind = EDGE_FALLBACK;
	r[2].from = B; r[2].to = D; r[2].kind = EDGE_FALLBACK;
	snprintf(r[0].host, sizeof(r[0].host), "172.16.1.11");
	snprintf(r[1].host, sizeof(r[1].host), "172.16.1.12");
	snprintf(r[2].host, sizeof(r[2].host), "172.16.1.12");
	r[0].port = r[1].port = r[2].port = 25;
	r[0].state = PORT_OPEN;
	r[1].state = PORT_TIMEOUT;
	r[1].elapsed_ms = 4003;
	r[2].state = PORT_OPEN;
	tl_run_ports(&L, &pr, time(NULL));
	assert_string_equal(tl_ids(&L), "port25-unreachable");
	f = tl_get(&L, "port25-unreachable");
	assert_int_equal(f->sev, SEV_WARNING);	/* fallback only */
	assert_int_equal(f->hosts[0], A);
	assert_int_equal(f->hosts[1], D);
	assert_non_null(strstr(f->what, "timed out (filtered)"));
	assert_non_null(strstr(f->evidence, "172.16.1.12:25: timed out"));
	assert_non_null(strstr(f->fix, "allow TCP 172.16.10.5 -> 172.16.1.12 "
	    "port 25"));
	assert_non_null(strstr(f->fix, "ip saddr 172.16.10.5 tcp dport 25 "
	    "accept"));
	assert_int_equal(L.status, 1);
	r[0].state = PORT_REFUSED;
	tl_run_ports(&L, &pr, time(NULL));
	assert_string_equal(tl_ids(&L), "port25-unreachable,"
	    "port25-unreachable");
	assert_int_equal(L.f.v[0].sev, SEV_CRITICAL);
	assert_int_equal(L.f.v[0].hosts[1], C);
	assert_non_null(strstr(L.f.v[0].fix, "on relay-c: make smtpd listen"));
	assert_int_equal(L.status, 2);
	r[0].state = PORT_OPEN;
	r[1].state = PORT_ERROR;
	snprintf(r[1].detail, sizeof(r[1].detail), "bash: not found");
	tl_run_ports(&L, &pr, time(NULL));
	assert_string_equal(tl_ids(&L), "port25-untested");
	assert_int_equal(L.status, 3);
	tl_free(&L);
}

static void
test_queue(void **state)
{
	struct port_result r[1];
	struct port_results pr = { r, 1 };
	struct queue_summary q;
	struct tlab L;
	time_t now = time(NULL);
	const struct finding *f;

	tl_init(&L);
	memset(&q, 0, sizeof(q));
	q.count[Q_DEFERRED] = 3;
	q.oldest[Q_DEFERRED] = now - 600;
	q.ntop = 1;
	q.top[0].count = 3;
	snprintf(q.top[0].text, sizeof(q.top[0].text), "connect to "
	    "172.16.1.12[172.16.1.12]:25: Connection timed out");
	model_set_queue(&L.m, &L.m.hosts[A], &q);
	tl_run_ports(&L, NULL, now);
	assert_string_equal(tl_ids(&L), "");	/* young and few */
	q.oldest[Q_DEFERRED] = now - CHECK_DEFERRED_AGE_S - 60;
	model_set_queue(&L.m, &L.m.hosts[A], &q);
	memset(r, 0, sizeof(r));
	r[0].from = A; r[0].to = D; r[0].kind = EDGE_FALLBACK; r[0].port = 25;
	snprintf(r[0].host, sizeof(r[0].host), "172.16.1.12");
	r[0].state = PORT_TIMEOUT;
	tl_run_ports(&L, &pr, now);
	assert_string_equal(tl_ids(&L), "port25-unreachable,queue-deferred");
	f = tl_get(&L, "queue-deferred");
	assert_string_equal(f->see, "port25-unreachable");
	assert_non_null(strstr(f->fix, "then on origin-a: postqueue -f"));
	q.oldest[Q_DEFERRED] = now;
	q.count[Q_DEFERRED] = CHECK_DEFERRED_MANY;
	model_set_queue(&L.m, &L.m.hosts[A], &q);
	tl_run_ports(&L, NULL, now);
	assert_string_equal(tl_ids(&L), "queue-deferred");
	assert_string_equal(tl_get(&L, "queue-deferred")->see, "");
	tl_free(&L);
}

static void
test_queue_growing(void **state)
{
	struct queue_summary q;
	struct tlab L;
	time_t t = 0;
	int i;

	tl_init(&L);
	for (i = 0; i < 4; i++)		/* 4 x 3 deferrals, nothing sent */
		t = feed(&L, A, "captured/origin-a.maillog.both-down.txt");
	memset(&q, 0, sizeof(q));
	q.count[Q_DEFERRED] = 9;
	q.oldest[Q_DEFERRED] = t - 120;
	model_set_queue(&L.m, &L.m.hosts[A], &q);
	tl_run_ports(&L, NULL, t + 30);
	assert_string_equal(tl_ids(&L), "");	/* 9 < 10 in the queue */
	q.count[Q_DEFERRED] = 12;
	model_set_queue(&L.m, &L.m.hosts[A], &q);
	tl_run_ports(&L, NULL, t + 30);
	assert_string_equal(tl_ids(&L), "queue-deferred");
	assert_non_null(strstr(tl_get(&L, "queue-deferred")->what,
	    "growing"));
	/* long after those deferrals: no longer "growing" */
	q.oldest[Q_DEFERRED] = t + 1200 - 120;
	model_set_queue(&L.m, &L.m.hosts[A], &q);
	tl_run_ports(&L, NULL, t + 1200);
	assert_string_equal(tl_ids(&L), "");
	tl_free(&L);
}

static void
test_classify(void **state)
{
	char d[160];

	assert_int_equal(port_probe_classify(0, "RT-OPEN\n220 relay-c."
	    "example.jp ESMTP Postfix (Debian/GNU)\r\n", "", d, sizeof(d)),
	    PORT_OPEN);
	assert_int_equal(strncmp(d, "220 relay-c.example.jp ESMTP", 28), 0);
	assert_int_equal(port_probe_classify(124, "", "", d, sizeof(d)),
	    PORT_TIMEOUT);
	assert_int_equal(port_probe_classify(3, "", "172.16.1.11: connect: "
	    "Connection refused\n172.16.1.11: line 1: /dev/tcp/172.16.1.11/25:"
	    " Connection refused\n", d, sizeof(d)), PORT_REFUSED);
	assert_string_equal(d, "172.16.1.11: connect: Connection refused");
	assert_int_equal(port_probe_classify(3, "", "x: connect: No route to "
	    "host\n", d, sizeof(d)), PORT_UNREACHABLE);
	assert_int_equal(port_probe_classify(127, "", "sh: 1: exec: timeout: "
	    "not found\n", d, sizeof(d)), PORT_ERROR);
	/* a hostile banner is cut to one sanitised line */
	assert_int_equal(port_probe_classify(0, "RT-OPEN\n220 \x1b[31mx\n",
	    "", d, sizeof(d)), PORT_OPEN);
	assert_null(strchr(d, '\x1b'));
}

static void
test_command(void **state)
{
	char buf[1024];

	assert_int_equal(port_probe_command("172.16.1.11", 25, 4, buf,
	    sizeof(buf)), 0);
	assert_non_null(strstr(buf, "exec timeout 4 bash -c '"));
	assert_non_null(strstr(buf, "' '172.16.1.11' '25'"));
	assert_int_equal(port_probe_command("a;rm -rf /", 25, 4, buf,
	    sizeof(buf)), -1);
	assert_int_equal(port_probe_command("$(reboot)", 25, 4, buf,
	    sizeof(buf)), -1);
	assert_int_equal(port_probe_command("h'x", 25, 4, buf, sizeof(buf)),
	    -1);
	assert_int_equal(port_probe_command("172.16.1.11", 0, 4, buf,
	    sizeof(buf)), -1);
	assert_int_equal(port_probe_command("172.16.1.11", 25, 4, buf, 40),
	    -1);
}

/* Runs the real command locally; returns the classification. */
static enum port_state
run_local(int port, char *detail, size_t dlen)
{
	char cmd[1200], out[4096] = "", err[4096] = "";
	FILE *fp;
	size_t n;
	int st;

	assert_int_equal(port_probe_command("127.0.0.1", port, 3, cmd,
	    sizeof(cmd) - 40), 0);
	strcat(cmd, " 2>/tmp/rt-port-err.$PPID");
	fp = popen(cmd, "r");
	assert_non_null(fp);
	n = fread(out, 1, sizeof(out) - 1, fp);
	out[n] = '\0';
	st = pclose(fp);
	snprintf(cmd, sizeof(cmd), "/tmp/rt-port-err.%d", (int)getpid());
	if ((fp = fopen(cmd, "r")) != NULL) {
		n = fread(err, 1, sizeof(err) - 1, fp);
		err[n] = '\0';
		fclose(fp);
		unlink(cmd);
	}
	return port_probe_classify(WIFEXITED(st) ? WEXITSTATUS(st) : -1, out,
	    err, detail, dlen);
}

static void
test_command_runs(void **state)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	char d[160];
	int s, port;
	pid_t pid;

	s = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(s, 4), 0);
	getsockname(s, (struct sockaddr *)&sa, &sl);
	port = ntohs(sa.sin_port);
	pid = fork();
	if (pid == 0) {
		int c = accept(s, NULL, NULL);
		char b[64];

		if (write(c, "220 test ESMTP\r\n", 16) < 0 ||
		    read(c, b, sizeof(b)) < 0)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(run_local(port, d, sizeof(d)), PORT_OPEN);
	assert_int_equal(strncmp(d, "220 test ESMTP", 14), 0);
	waitpid(pid, NULL, 0);
	close(s);
	/* the same port, now closed */
	assert_int_equal(run_local(port, d, sizeof(d)), PORT_REFUSED);
	assert_non_null(strstr(d, "refused"));
}

static void
test_expand(void **state)
{
	struct tlab L;
	char buf[512];
	const struct host *h;

	tl_init(&L);
	tl_set(&L, C, "fallback_relay", "[172.16.1.12]");
	tl_set(&L, C, "multi_instance_name", "");
	tl_run(&L);
	h = &L.m.hosts[C];
	assert_int_equal(chk_setting(h, "smtpd_relay_restrictions", buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "permit_mynetworks, "
	    "permit_sasl_authenticated, defer_unauth_destination");
	assert_int_equal(chk_setting(h, "smtp_fallback_relay", buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "[172.16.1.12]");
	assert_int_equal(chk_setting(h, "syslog_name", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "postfix");
	assert_int_equal(chk_setting(h, "myorigin", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "example.jp");
	assert_int_equal(chk_expand(h, "${mydomain?{x-$mydomain}:{none}} "
	    "$$ ${nosuch:y}", buf, sizeof(buf)), -1);
	assert_int_equal(chk_expand(h, "${mydomain?{x-$mydomain}:{none}} $$",
	    buf, sizeof(buf)), 0);
	assert_string_equal(buf, "x-example.jp $");
	assert_int_equal(chk_expand(h, "${{$mail_version} >=level {3.7} ? "
	    "{new} : {old}}", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "new");
	assert_int_equal(chk_expand(h, "${{a} == {b} ? {same} : {diff}}",
	    buf, sizeof(buf)), 0);
	assert_string_equal(buf, "diff");
	assert_int_equal(chk_expand(h, "${{a} == {b} ? {same}", buf,
	    sizeof(buf)), -1);
	assert_int_equal(chk_expand(h, "$(myhostname)", buf, 8), -1);
	tl_free(&L);
}

static void
test_expand_recursion(void **state)
{
	struct tlab L;
	char buf[256];

	tl_init(&L);
	tl_set(&L, C, "mynetworks", "$mynetworks");
	tl_run(&L);
	assert_int_equal(chk_setting(&L.m.hosts[C], "mynetworks", buf,
	    sizeof(buf)), -1);
	assert_int_equal(tl_count(&L, "origin-not-in-mynetworks"), 0);
	tl_free(&L);
}

/* Random texts over the expander's alphabet: never a crash, never a
 * result that is not NUL-terminated inside the buffer. */
static void
test_expand_garbage(void **state)
{
	static const char alpha[] = "${}()?:=!<> ,{}$$mydomain_level1.x";
	struct tlab L;
	char in[64], out[48];
	unsigned seed = 12345;
	int i, k;

	tl_init(&L);
	tl_run(&L);
	for (i = 0; i < 20000; i++) {
		int n = 1 + (int)(seed % 60);

		for (k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			in[k] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
		}
		in[n] = '\0';
		memset(out, 'Z', sizeof(out));
		if (chk_expand(&L.m.hosts[C], in, out, sizeof(out)) == 0)
			assert_non_null(memchr(out, '\0', sizeof(out)));
		else
			assert_int_equal(out[0], '\0');
	}
	tl_free(&L);
}

static void
test_format(void **state)
{
	struct tlab L;
	json_t *root, *f0;
	json_error_t je;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	tl_init(&L);
	tl_set(&L, C, "mynetworks", "0.0.0.0/0");
	tl_set(&L, A, "smtp_fallback_relay", "");
	tl_run(&L);
	snprintf(L.f.v[1].evidence, sizeof(L.f.v[1].evidence), "bad \x1b]0;x"
	    "\x07 text");
	fp = open_memstream(&buf, &len);
	assert_int_equal(check_print_json(fp, &L.m, &L.f, L.status), 0);
	fclose(fp);
	assert_null(strchr(buf, '\x1b'));
	root = json_loads(buf, 0, &je);
	assert_non_null(root);
	assert_int_equal(json_integer_value(json_object_get(root, "version")),
	    1);
	assert_int_equal(json_integer_value(json_object_get(root, "status")),
	    2);
	assert_int_equal(json_array_size(json_object_get(root, "findings")),
	    2);
	f0 = json_array_get(json_object_get(root, "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f0, "id")),
	    "open-relay");
	assert_string_equal(json_string_value(json_object_get(f0,
	    "severity")), "critical");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(f0, "hosts"), 0)), "relay-c");
	assert_string_equal(json_string_value(json_object_get(f0,
	    "fix_host")), "relay-c");
	assert_non_null(json_object_get(f0, "what"));
	assert_non_null(json_object_get(f0, "evidence"));
	assert_non_null(strstr(json_string_value(json_object_get(f0, "fix")),
	    "mynetworks = "));
	json_decref(root);
	free(buf);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	assert_int_equal(check_print_text(fp, &L.m, &L.f, L.status), 0);
	fclose(fp);
	assert_null(strchr(buf, '\x1b'));
	assert_int_equal(strncmp(buf, "relaytop check CRITICAL: 1 critical, "
	    "1 warning, 0 unknown, 0 info on 4 host(s)\n", 70), 0);
	assert_non_null(strstr(buf, "\ncritical open-relay [relay-c]\n"
	    "  what:     "));
	assert_non_null(strstr(buf, "\nwarning no-fallback [origin-a, "
	    "relay-c]\n"));
	free(buf);
	tl_free(&L);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relay_denied),
		cmocka_unit_test(test_loop_log),
		cmocka_unit_test(test_connect_failed),
		cmocka_unit_test(test_connect_failed_both),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_queue),
		cmocka_unit_test(test_queue_growing),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_command_runs),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_expand_recursion),
		cmocka_unit_test(test_expand_garbage),
		cmocka_unit_test(test_format),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
