/* bench-metrics.c: where a /metrics scrape's time goes at scale, without a
 * fleet (no SSH; links build/librelaytop.a): H hosts (a tenth relays, the
 * rest origins with a relayhost and a fallback relay among them) each fed a
 * first-contact probe answer in the format of tests/data/probe/
 * origin-a.first.out with ~E maillog events (deliveries through the relays,
 * connect failures and fallbacks, relays' onward deliveries and refusals),
 * through probe_feed, as when their answers land in one loop turn. Then:
 * a steady refresh's answers (a few new lines a host) for all H together;
 * the scrape's parts: watch_derive (topology + doctor) after a model
 * change, and metrics_write of that model (the body), each timed.
 * METRICS_RELAYS=R: R relays (a tenth by default); METRICS_LOG=FILE:
 * every host's first answer carries FILE's lines instead (the bench fleet's
 * hosts share one maillog: tests/bench/gen-maillog --form maillog_file).
 * BENCH_SERVE=1: the real server scraped by a child meanwhile (and the
 * turns it said it had work no fd would announce: MHD_get_timeout 0),
 * with "Accept-Encoding: gzip" as Prometheus asks when SCRAPE_GZIP=1;
 * the body gzipped (serve_gzip) at levels 1, 6 and 9: size and CPU;
 * BENCH_TURNS=1: a loop turn's own cost at HOSTS sessions (turns_bench).
 * Usage: bench-metrics HOSTS EVENTS SCRAPES [BODY-FILE [NOW]] (key=value
 * lines out; BODY-FILE gets the last body, NOW (Unix time) fixes the clock
 * of the generated log and the scrape, so two builds can be compared). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-time.h"
#include "check.h"
#include "config.h"
#include "metrics.h"
#include "model.h"
#include "probe.h"
#include "serve.h"
#include "watch.h"
/* the server's fd and turn as the loop calls them (no fleet runs here) */
#include "../../src/watch-int.h"
#include "actions.h"
#include "clock.h"
#include "fleet.h"

#define TOK	"0123456789abcdef0123456789abcdef"
#define RTOK	"ae0b4ccf654601e8e4e02bd4"
#define SEC	"\n@@RT-" TOK RTOK " "

struct buf {
	char	*s;
	size_t	len, cap;
};

static void
put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#include <stdarg.h>
static void
put(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < b->cap - b->len)
			break;
		b->cap = b->cap * 2 + (size_t)n + 4096;
		if ((b->s = realloc(b->s, b->cap)) == NULL)
			exit(2);
	}
	b->len += (size_t)n;
}

static int nrelays;

static void
addr_of(int i, char *a, size_t n)
{
	snprintf(a, n, "10.78.%d.%d", i / 250 + 1, i % 250 + 1);
}

/* h1..hR relays, the rest origins. */
static char *
inventory_text(int n)
{
	struct buf b = { NULL, 0, 0 };
	char a[32];
	int i;

	put(&b, "[defaults]\nuser = relayop\nsudo = yes\n");
	for (i = 0; i < n; i++) {
		addr_of(i, a, sizeof(a));
		put(&b, "[h%d]\naddress = %s\nrole = %s\n", i + 1, a,
		    i < nrelays ? "relay" : "origin");
	}
	return b.s;
}

static unsigned long long qseq = 0x11214B;

static void
qid(char *q)
{
	snprintf(q, 12, "%011llX", qseq++);
}

static void
stamp(char *t, size_t n, time_t when)
{
	struct tm tm;

	localtime_r(&when, &tm);
	strftime(t, n, "%b %e %H:%M:%S", &tm);
}

/* One message's lines on host i (an origin: to its relay, sometimes
 * refused then through the fallback; a relay: onward to an MX or a
 * refusal). Returns how many lines. */
static int
message(struct buf *b, int i, time_t when, unsigned k)
{
	char t[32], q[12], q2[12], p[32], f[32], me[16];
	int pr = nrelays > 0 ? i % nrelays : 0;
	int fb = nrelays > 1 ? (i + 1) % nrelays : pr;

	stamp(t, sizeof(t), when);
	qid(q);
	qid(q2);
	addr_of(pr, p, sizeof(p));
	addr_of(fb, f, sizeof(f));
	snprintf(me, sizeof(me), "h%d", i + 1);
	if (i < nrelays) {
		if (k % 7 == 3) {
			put(b, "%s %s postfix/smtpd[%u]: NOQUEUE: reject: RCPT "
			    "from unknown[198.51.100.%u]: 554 5.7.1 <x@dest."
			    "example>: Relay access denied; from=<s@spam."
			    "example> to=<x@dest.example> proto=ESMTP helo="
			    "<spam>\n", t, me, 3000 + k % 900, k % 250 + 1);
			return 1;
		}
		put(b, "%s %s postfix/smtpd[%u]: %s: client=h%u[%s]\n"
		    "%s %s postfix/cleanup[%u]: %s: message-id=<%s@mail>\n"
		    "%s %s postfix/qmgr[301]: %s: from=<a@example.jp>, "
		    "size=900, nrcpt=1 (queue active)\n"
		    "%s %s postfix/smtp[%u]: %s: to=<u%u@dest%u.example>, "
		    "relay=mx%u.dest%u.example[203.0.113.%u]:25, delay=0.4, "
		    "delays=0.1/0/0.1/0.2, dsn=%s, status=%s (%s)\n"
		    "%s %s postfix/qmgr[301]: %s: removed\n",
		    t, me, 3000 + k % 900, q, nrelays + 1 + k % 40, f,
		    t, me, 4000 + k % 900, q, q,
		    t, me, q,
		    t, me, 5000 + k % 900, q, k % 97, k % 3, k % 3, k % 3,
		    k % 3 + 10, k % 11 == 5 ? "4.4.1" : "2.0.0",
		    k % 11 == 5 ? "deferred" : "sent", k % 11 == 5 ?
		    "connect to mx.dest.example[203.0.113.9]:25: Connection "
		    "timed out" : "250 2.0.0 Ok: queued as 4F1A2B3C",
		    t, me, q);
		return 5;
	}
	put(b, "%s %s postfix/pickup[300]: %s: uid=0 from=<a@example.jp>\n"
	    "%s %s postfix/cleanup[%u]: %s: message-id=<%s@mail>\n"
	    "%s %s postfix/qmgr[301]: %s: from=<a@example.jp>, size=900, "
	    "nrcpt=1 (queue active)\n", t, me, q, t, me, 4000 + k % 900, q, q,
	    t, me, q);
	if (k % 9 == 4) {
		put(b, "%s %s postfix/smtp[%u]: connect to h%d[%s]:25: "
		    "Connection refused\n"
		    "%s %s postfix/smtp[%u]: %s: to=<u%u@dest.example>, "
		    "relay=h%d[%s]:25, delay=0.6, delays=0.1/0/0.3/0.2, "
		    "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %s)\n",
		    t, me, 5000 + k % 900, pr + 1, p, t, me, 5000 + k % 900,
		    q, k % 97, fb + 1, f, q2);
	} else if (k % 23 == 7) {
		put(b, "%s %s postfix/smtp[%u]: %s: to=<u%u@dest.example>, "
		    "relay=none, delay=30, delays=0.1/0/30/0, dsn=4.4.1, "
		    "status=deferred (connect to h%d[%s]:25: Connection "
		    "timed out)\n", t, me, 5000 + k % 900, q, k % 97,
		    fb + 1, f);
		return 4;
	} else {
		put(b, "%s %s postfix/smtp[%u]: %s: to=<u%u@dest.example>, "
		    "relay=h%d[%s]:25, delay=0.5, delays=0.1/0/0.2/0.2, "
		    "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %s)\n",
		    t, me, 5000 + k % 900, q, k % 97, pr + 1, p, q2);
	}
	put(b, "%s %s postfix/qmgr[301]: %s: removed\n", t, me, q);
	return 5;
}

/* The log lines of host i: about `events` of them, over the last hour. */
static void
log_lines(struct buf *b, int i, int events, time_t now, unsigned *k)
{
	int got = 0;

	while (got < events) {
		got += message(b, i, now - 3600 + (time_t)got * 3600 /
		    (events + 1), *k);
		(*k)++;
	}
}

/* A probe answer of host i: first contact (settings, status, the log's
 * tail as kind=first) or a steady refresh (kind=cur from *off). */
static void
answer(struct buf *b, int i, const char *log, size_t loglen, uint64_t *off,
    int first)
{
	char p[32], f[32], me[32];
	int pr = nrelays > 0 ? i % nrelays : 0;
	int fb = nrelays > 1 ? (i + 1) % nrelays : pr;

	addr_of(pr, p, sizeof(p));
	addr_of(fb, f, sizeof(f));
	b->len = 0;
	put(b, "@@RT-" TOK " begin " RTOK "\n");
	put(b, SEC "meta\nstamp=1795829478.825.1122406 1795829477.6984.1122408 "
	    "\nnopostfix=0\n");
	if (first) {
		/* a few findings from the settings too: every 50th origin
		 * shares one myhostname, relay h4 listens on loopback only */
		if (i >= nrelays && i % 50 == 7)
			snprintf(me, sizeof(me), "shared");
		else
			snprintf(me, sizeof(me), "h%d", i + 1);
		put(b, SEC "settings\nmyhostname = %s.example.jp\nmydomain = "
		    "example.jp\nmyorigin = example.jp\nmydestination = "
		    "localhost\ninet_interfaces = %s\ninet_protocols = ipv4\n"
		    "mynetworks = %s\nrelayhost = %s%s%s\nsmtp_fallback_relay = "
		    "%s%s%s\nrelay_domains =\nsmtpd_relay_restrictions = "
		    "permit_mynetworks, permit_sasl_authenticated, "
		    "defer_unauth_destination\ndefault_transport = smtp\n"
		    "transport_maps =\nsender_dependent_relayhost_maps =\n"
		    "maillog_file = /var/log/maillog\nsyslog_name = postfix\n"
		    "mail_version = 3.7.11\nqueue_directory = /var/spool/"
		    "postfix\n"
		    /* the rest of the names the probe asks for (probe.sh),
		     * as Debian 12 ships them */
		    "smtp_tls_security_level = may\nsmtp_tls_CAfile =\n"
		    "smtp_tls_CApath =\nsmtp_tls_wrappermode = no\n"
		    "smtp_tls_loglevel = 0\nsmtp_sasl_auth_enable = no\n"
		    "smtp_sasl_password_maps =\nsmtp_sasl_security_options = "
		    "noplaintext, noanonymous\nsmtpd_tls_security_level = "
		    "may\nsmtpd_tls_cert_file = /etc/ssl/certs/ssl-cert-"
		    "snakeoil.pem\nsmtpd_tls_key_file = /etc/ssl/private/"
		    "ssl-cert-snakeoil.key\nsmtpd_tls_loglevel = 0\n"
		    "smtpd_sasl_auth_enable = no\nsmtp_sasl_type = cyrus\n"
		    "smtpd_sasl_type = cyrus\nsmtp_sasl_mechanism_filter =\n"
		    "smtp_sender_dependent_authentication = no\n"
		    "cyrus_sasl_config_path =\nsmtpd_sasl_path = smtpd\n",
		    me, i < nrelays && i != 3 ? "all" : "loopback-only",
		    i < nrelays ? "127.0.0.0/8 10.78.0.0/16" : "127.0.0.1",
		    i < nrelays ? "" : "[", i < nrelays ? "" : p,
		    i < nrelays ? "" : "]", i < nrelays ? "" : "[",
		    i < nrelays ? "" : f, i < nrelays ? "" : "]");
		put(b, SEC "step settings rc=0\n");
		put(b, SEC "postconf-n\nmyhostname =\nmydomain =\ninet_interfaces"
		    " =\nmynetworks =\nrelayhost =\nsmtp_fallback_relay =\n");
		put(b, SEC "step postconf-n rc=0\n");
		put(b, SEC "status\n" SEC "step status rc=0\n");
	}
	put(b, SEC "logfile ino=1122326 size=%llu\n/var/log/maillog",
	    (unsigned long long)(*off + loglen));
	put(b, SEC "log kind=%s ino=1122326 start=%llu end=%llu fsize=%llu "
	    "base=%llu\n", first ? "first" : "cur", (unsigned long long)*off,
	    (unsigned long long)(*off + loglen),
	    (unsigned long long)(*off + loglen),
	    (unsigned long long)(*off / 4096 * 4096));
	/* the chunk's body starts at base: pad the lead as the script does */
	if (*off % 4096) {
		size_t lead = (size_t)(*off % 4096);

		while (b->len + lead + 1 > b->cap) {
			b->cap = b->cap * 2 + lead + 4096;
			if ((b->s = realloc(b->s, b->cap)) == NULL)
				exit(2);
		}
		memset(b->s + b->len, 'x', lead);
		b->len += lead;
		b->s[b->len] = '\0';
	}
	put(b, "%.*s", (int)loglen, log);
	put(b, SEC "step logread rc=0\n");
	put(b, SEC "queue fmt=j\n" SEC "step queue rc=0\n" SEC "end\n");
	*off += loglen;
}

/* A file's text (METRICS_LOG: a maillog every host's first answer
 * carries, as the bench fleet's hosts share one), at most 16 MiB. */
static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *s = malloc((1 << 24) + 1);
	size_t n;

	if (fp == NULL || s == NULL) {
		fprintf(stderr, "bench-metrics: %s: cannot read\n", path);
		exit(2);
	}
	n = fread(s, 1, 1 << 24, fp);
	s[n] = '\0';
	fclose(fp);
	return s;
}

static double
feed(struct probe *p, const struct buf *b)
{
	struct sshc_result r;
	double t0 = cpu_ms();

	memset(&r, 0, sizeof(r));
	r.out = b->s;
	r.out_len = b->len;
	r.err = "";
	r.elapsed_ms = 40;
	probe_feed(p, TOK, &r);
	return cpu_ms() - t0;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	return v[n / 2];
}

/* One /metrics body into a memory stream; its length in *len. */
static double
render(struct watch *w, time_t now, size_t *len)
{
	char *body = NULL;
	FILE *fp;
	double t0 = cpu_ms();

	fp = open_memstream(&body, len);
	if (fp == NULL || metrics_write(fp, watch_model(w), watch_topology(w),
	    watch_findings(w), now, METRICS_PROMETHEUS) != 0)
		exit(2);
	fclose(fp);
	free(body);
	return cpu_ms() - t0;
}

/* The client (a child process): n scrapes of 127.0.0.1:port, one after
 * the other, SCRAPE_GAP_MS (20) apart, each timed from connect to the
 * body's end (gzip asked for with SCRAPE_GZIP=1, as Prometheus does); the
 * median and the worst in ms and the last reply's bytes on fd out. */
static void
scraper(int port, int n, int out)
{
	static const char plain[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n"
	    "Connection: close\r\n\r\n", gz[] = "GET /metrics HTTP/1.1\r\n"
	    "Host: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n";
	const char *req = getenv("SCRAPE_GZIP") != NULL ? gz : plain;
	size_t reqlen = strlen(req), bytes = 0;
	struct sockaddr_in sa;
	char buf[65536];
	double *v = calloc((size_t)n, sizeof(*v)), t0;
	int i, fd, gap_ms = getenv("SCRAPE_GAP_MS") != NULL ?
	    atoi(getenv("SCRAPE_GAP_MS")) : 20;
	ssize_t got;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < n && v != NULL; i++) {
		t0 = now_ms();
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
		    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
		    write(fd, req, reqlen) != (ssize_t)reqlen)
			_exit(2);
		for (bytes = 0; (got = read(fd, buf, sizeof(buf))) > 0;)
			bytes += (size_t)got;
		close(fd);
		v[i] = now_ms() - t0;
		usleep((useconds_t)gap_ms * 1000);
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	snprintf(buf, sizeof(buf), "%.2f %.2f %zu\n", v[n / 2], v[n - 1],
	    bytes);
	if (write(out, buf, strlen(buf)) < 0)
		_exit(2);
	_exit(0);
}

/* The server in a loop of its own, as watch_run polls it (poll its fd,
 * then its turn), while a child scrapes n times; each turn first takes a
 * steady answer from every host whose second came (refresh = 1). Prints
 * the scrapes' wall times and the turns the loop made. */
static int
serve_bench(struct watch *w, struct probe **pr, uint64_t *off, int hosts,
    int n, unsigned *k)
{
	struct model *m = watch_model(w);
	struct buf log = { NULL, 0, 0 }, ans = { NULL, 0, 0 };
	struct serve *s = NULL;
	struct pollfd pfd;
	char addr[32], err[256], res[96] = "", *reply;
	unsigned long turns = 0;
	double t0 = now_ms(), fed = 0, c0, srv_cpu = 0, srv_max = 0, feed_max = 0;
	int port, pipefd[2], st, next = 0, due, wait, pending = 0;
	pid_t kid;

	for (port = 20000 + getpid() % 20000; s == NULL && port < 65000;
	    port += 97) {
		snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
		s = serve_start(w, addr, NULL, err, sizeof(err));
	}
	port -= 97;
	if (s == NULL || pipe(pipefd) != 0 || (kid = fork()) < 0)
		return -1;
	if (kid == 0) {
		close(pipefd[0]);
		scraper(port, n, pipefd[1]);
	}
	close(pipefd[1]);
	for (;;) {
		pfd.fd = w->srv_fd(w->srv_arg);
		pfd.events = POLLIN;
		pfd.revents = 0;
		/* 50 ms at most (answers are fed each turn), less if the
		 * server says, as the real loop does */
		wait = w->srv_wait != NULL ? w->srv_wait(w->srv_arg) : -1;
		pending += wait == 0;
		poll(&pfd, 1, wait >= 0 && wait < 50 ? wait : 50);
		/* the hosts due since the last turn answer now */
		due = (int)((now_ms() - t0) / 1000.0 * hosts) - (int)fed;
		c0 = cpu_ms();
		for (; due > 0; due--, fed++) {
			log.len = 0;
			message(&log, next, time(NULL), (*k)++);
			answer(&ans, next, log.s, log.len, &off[next], 0);
			feed(pr[next], &ans);
			next = (next + 1) % hosts;
		}
		if (cpu_ms() - c0 > feed_max)
			feed_max = cpu_ms() - c0;
		c0 = cpu_ms();
		w->srv_run(w->srv_arg);
		c0 = cpu_ms() - c0;
		srv_cpu += c0;
		if (c0 > srv_max)
			srv_max = c0;
		turns++;
		if (waitpid(kid, &st, WNOHANG) == kid)
			break;
	}
	if (read(pipefd[0], res, sizeof(res) - 1) <= 0 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return -1;
	close(pipefd[0]);
	/* "MEDIAN MAX BYTES": the reply's bytes on a line of their own */
	if ((reply = strrchr(res, ' ')) != NULL)
		*reply++ = '\0';
	printf("serve_scrapes=%d\nserve_wall_median_max_ms=%s\n"
	    "serve_reply_bytes=%s"
	    "serve_loop_turns=%lu\nserve_answers_fed=%.0f\n"
	    "serve_model_generation=%llu\nserve_cpu_per_scrape_ms=%.2f\n"
	    "serve_turn_max_cpu_ms=%.2f\nserve_feed_turn_max_cpu_ms=%.2f\n"
	    "serve_turns_server_pending=%d\nserve_renders=%lu\n"
	    "serve_gzips=%lu\n",
	    n, res, reply != NULL ? reply : "?\n", turns, fed,
	    (unsigned long long)m->generation, srv_cpu / n, srv_max, feed_max,
	    pending, serve_renders(s), serve_gzips(s));
	serve_stop(s);
	free(log.s);
	free(ans.s);
	return 0;
}

/* --- BENCH_TURNS: what one loop turn costs at H hosts, no SSH ---------- */

/* A loop turn's counter (watch_client.on_tick). */
static void
count_turn(void *arg)
{
	(*(unsigned long *)arg)++;
}

/* CPU microseconds a call of each O(hosts) piece of a loop turn costs
 * (median of 9 rounds of `reps` calls), at hosts sessions. */
#define TIME_PIECE(label, call) do {					\
	double v_[9];							\
	int r_, k_;							\
	for (r_ = 0; r_ < 9; r_++) {					\
		double t_ = cpu_ms();					\
		for (k_ = 0; k_ < reps; k_++)				\
			call;						\
		v_[r_] = (cpu_ms() - t_) * 1000.0 / reps;		\
	}								\
	printf("turn_%s_us=%.2f\n", label, median(v_, 9));		\
} while (0)

/* H hosts all at 127.0.0.1:PORT, where a socket listens and never
 * accepts: the first contacts the fleet lets start (FLEET_FIRST_MAX)
 * connect and wait for an SSH banner that never comes, the rest wait for a
 * slot; nothing leaves the loopback. Then: each piece of a turn timed
 * alone, and the loop itself (watch_run, poll() waiting at most 1 ms)
 * for a second, its CPU a turn. */
static int
turns_bench(int hosts)
{
	struct buf b = { NULL, 0, 0 };
	struct sockaddr_in sa;
	struct inventory inv;
	struct watch_client c;
	struct pollfd *pfd;
	struct watch *w;
	socklen_t sl = sizeof(sa);
	char err[256];
	unsigned long turns = 0;
	double t0, c0;
	int lfd, i, n, reps = 2000;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(lfd, 1024) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sa, &sl) != 0)
		return -1;
	put(&b, "[defaults]\nuser = relayop\nssh_config = no\ntimeout = 300\n"
	    "refresh = 1\n");
	for (i = 0; i < hosts; i++)
		put(&b, "[t%d]\naddress = 127.0.0.1\nport = %d\n", i + 1,
		    ntohs(sa.sin_port));
	if (config_load_string(b.s, "turns", &inv, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench-metrics: turns: %s\n", err);
		return -1;
	}
	if ((w = watch_new(&inv, 1, 0)) == NULL ||
	    (pfd = calloc((size_t)hosts + 3, sizeof(*pfd))) == NULL)
		return -1;
	memset(&c, 0, sizeof(c));
	c.input_fd = -1;
	c.on_tick = count_turn;
	c.arg = &turns;
	c.max_wait_ms = 1;
	/* the first contacts start and wait for their banner */
	watch_run(w, &c, clock_ms() + 300);
	TIME_PIECE("fleet_tick", fleet_tick(w->f, clock_ms()));
	TIME_PIECE("fleet_deadline", (void)fleet_deadline(w->f));
	TIME_PIECE("fleet_pollfds", (void)fleet_pollfds(w->f, pfd, hosts));
	n = fleet_pollfds(w->f, pfd, hosts);
	for (i = 0; i < n; i++)
		pfd[i].revents = 0;
	TIME_PIECE("fleet_step", fleet_step(w->f, pfd, n, clock_ms()));
	TIME_PIECE("instances_sync", watch_instances_sync(w));
	TIME_PIECE("actions_tick", actions_tick(w->a));
	TIME_PIECE("queue_tick", watch_queue_tick(w));
	for (i = n = 0; i < hosts; i++)
		n += pfd[i].fd >= 0;
	turns = 0;
	t0 = now_ms();
	c0 = cpu_ms();
	watch_run(w, &c, clock_ms() + 1000);
	printf("turn_sessions_with_fd=%d\nturn_loop_turns_per_s=%.0f\n"
	    "turn_loop_cpu_us=%.1f\n", n, turns * 1000.0 / (now_ms() - t0),
	    turns ? (cpu_ms() - c0) * 1000.0 / turns : 0.0);
	watch_free(w);
	config_free(&inv);
	close(lfd);
	free(pfd);
	free(b.s);
	return 0;
}

/* The body gzipped (serve_gzip) at zlib levels 1, 6 and 9: its bytes and
 * the CPU of one compression (median of reps), as a gzip scrape's first
 * request for a body pays it (serve-cache.c); SERVE_GZIP_LEVEL's as
 * gzip_bytes, gzip_median_cpu_ms. */
static int
gzip_bench(struct watch *w, time_t now, int reps)
{
	static const int lv[] = { 1, 6, 9 };
	char *body = NULL, *z;
	size_t len = 0, zlen = 0;
	double *v = calloc((size_t)reps, sizeof(*v)), t0;
	FILE *fp;
	int i, r;

	if (v == NULL || (fp = open_memstream(&body, &len)) == NULL ||
	    metrics_write(fp, watch_model(w), watch_topology(w),
	    watch_findings(w), now, METRICS_PROMETHEUS) != 0 || fclose(fp))
		return -1;
	for (i = 0; i < (int)(sizeof(lv) / sizeof(lv[0])); i++) {
		for (r = 0; r < reps; r++) {
			t0 = cpu_ms();
			if (serve_gzip(body, len, lv[i], &z, &zlen) != 0)
				return -1;
			v[r] = cpu_ms() - t0;
			free(z);
		}
		printf("gzip_l%d_bytes=%zu\ngzip_l%d_median_cpu_ms=%.2f\n",
		    lv[i], zlen, lv[i], median(v, reps));
		if (lv[i] == SERVE_GZIP_LEVEL)
			printf("gzip_bytes=%zu\ngzip_median_cpu_ms=%.2f\n",
			    zlen, median(v, reps));
	}
	free(body);
	free(v);
	return 0;
}

/* The body into path, the doctor's findings as --check prints them into
 * path.check. */
static int
dump(struct watch *w, time_t now, const char *path)
{
	char p2[4096];
	FILE *fp = fopen(path, "w"), *fc;

	snprintf(p2, sizeof(p2), "%s.check", path);
	if (fp == NULL || (fc = fopen(p2, "w")) == NULL)
		return -1;
	metrics_write(fp, watch_model(w), watch_topology(w),
	    watch_findings(w), now, METRICS_PROMETHEUS);
	check_print_text(fc, watch_model(w), watch_findings(w), 0);
	fclose(fc);
	return fclose(fp);
}

/* "finding_ids=rule:count ..." of the doctor's findings. */
static void
finding_ids(const struct findings *f)
{
	size_t i, j;

	fputs("finding_ids=", stdout);
	for (i = 0; i < f->n; i++) {
		size_t c = 0;

		for (j = 0; j < i && strcmp(f->v[j].id, f->v[i].id) != 0; j++)
			;
		if (j < i)
			continue;
		for (j = i; j < f->n; j++)
			c += strcmp(f->v[j].id, f->v[i].id) == 0;
		printf("%s%s:%zu", i ? " " : "", f->v[i].id, c);
	}
	putchar('\n');
}

int
main(int argc, char **argv)
{
	struct inventory inv;
	struct watch *w;
	struct model *m;
	struct probe **pr;
	struct buf log = { NULL, 0, 0 }, ans = { NULL, 0, 0 };
	uint64_t *off;
	char err[256], *text, *logf = NULL;
	double t, tmax = 0, tsum = 0, *v;
	time_t now = time(NULL);
	size_t len = 0, ev = 0, i;
	unsigned k = 0;
	int hosts, events, scrapes, s;

	if (argc < 4 || (hosts = atoi(argv[1])) < 2 ||
	    (events = atoi(argv[2])) < 1 || (scrapes = atoi(argv[3])) < 1) {
		fprintf(stderr, "usage: bench-metrics HOSTS EVENTS SCRAPES\n");
		return 2;
	}
	if (argc > 5)
		now = (time_t)atoll(argv[5]);
	nrelays = hosts / 10 > 1 ? hosts / 10 : 1;
	if (getenv("METRICS_RELAYS") != NULL &&
	    (nrelays = atoi(getenv("METRICS_RELAYS"))) < 1)
		nrelays = 1;
	if (getenv("METRICS_LOG") != NULL &&
	    (logf = slurp(getenv("METRICS_LOG"))) == NULL)
		return 2;
	if ((text = inventory_text(hosts)) == NULL ||
	    config_load_string(text, "bench", &inv, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench-metrics: setup: %s\n", err);
		return 2;
	}
	if ((w = watch_new(&inv, 1, 0)) == NULL)
		return 2;
	m = watch_model(w);
	pr = calloc((size_t)hosts, sizeof(*pr));
	off = calloc((size_t)hosts, sizeof(*off));
	v = calloc((size_t)(scrapes > hosts ? scrapes : hosts), sizeof(*v));
	if (pr == NULL || off == NULL || v == NULL)
		return 2;
	/* 1. every host's first answer, in one go */
	for (s = 0; s < hosts; s++) {
		if ((pr[s] = probe_new(m, &m->hosts[s])) == NULL)
			return 2;
		log.len = 0;
		if (logf != NULL)
			put(&log, "%s", logf);
		else
			log_lines(&log, s, events + events / 5, now, &k);
		answer(&ans, s, log.s, log.len, &off[s], 1);
		t = feed(pr[s], &ans);
		tsum += t;
		if (t > tmax)
			tmax = t;
	}
	for (i = 0; i < m->n; i++) {
		ev += m->hosts[i].events.count;
		if (m->hosts[i].conn != HC_UP || m->hosts[i].problems != 0) {
			fprintf(stderr, "bench-metrics: h%zu: %s %s\n", i + 1,
			    host_conn_name(m->hosts[i].conn),
			    m->hosts[i].problem_msg);
			return 1;
		}
	}
	printf("hosts=%d\nrelays=%d\nevents_per_host=%zu\n"
	    "first_answers_cpu_ms=%.1f\nfirst_answer_max_cpu_ms=%.2f\n",
	    hosts, nrelays, ev / m->n, tsum, tmax);
	/* 2. a steady refresh: every host's answer with a few new lines, all
	 * landing in one loop turn */
	tsum = tmax = 0;
	for (s = 0; s < hosts; s++) {
		log.len = 0;
		message(&log, s, now, k++);
		answer(&ans, s, log.s, log.len, &off[s], 0);
		t = feed(pr[s], &ans);
		tsum += t;
		if (t > tmax)
			tmax = t;
	}
	printf("steady_answers_cpu_ms=%.1f\nsteady_answer_max_cpu_ms=%.3f\n",
	    tsum, tmax);
	/* 3. a scrape after a change: derive (topology + doctor), render */
	for (s = 0; s < scrapes; s++) {
		m->generation++;
		t = cpu_ms();
		if (watch_derive(w, now) != 0)
			return 2;
		v[s] = cpu_ms() - t;
	}
	printf("edges=%zu\nfindings=%zu\nderive_median_cpu_ms=%.2f\n",
	    watch_topology(w)->n, watch_findings(w)->n, median(v, scrapes));
	finding_ids(watch_findings(w));
	for (s = 0; s < scrapes; s++)
		v[s] = render(w, now, &len);
	printf("render_median_cpu_ms=%.2f\nbody_bytes=%zu\n",
	    median(v, scrapes), len);
	/* 4. the whole scrape as reply_metrics does it, model changed */
	for (s = 0; s < scrapes; s++) {
		m->generation++;
		t = cpu_ms();
		watch_derive(w, now);
		render(w, now, &len);
		v[s] = cpu_ms() - t;
	}
	printf("scrape_changed_median_cpu_ms=%.2f\n", median(v, scrapes));
	/* 4b. that body gzipped, as a gzip scrape has it */
	if (gzip_bench(w, now, scrapes < 10 ? scrapes : 10) != 0)
		return 2;
	if (argc > 4 && dump(w, now, argv[4]) != 0)
		return 2;
	/* 5. the same through the server, the model changing all along */
	if (getenv("BENCH_SERVE") != NULL &&
	    serve_bench(w, pr, off, hosts, scrapes, &k) != 0)
		return 2;
	/* 6. a loop turn's own cost, apart (BENCH_TURNS) */
	if (getenv("BENCH_TURNS") != NULL && turns_bench(hosts) != 0)
		return 2;
	for (s = 0; s < hosts; s++)
		probe_free(pr[s]);
	free(pr);
	free(off);
	free(v);
	free(log.s);
	free(ans.s);
	free(text);
	free(logf);
	watch_free(w);
	config_free(&inv);
	return 0;
}
