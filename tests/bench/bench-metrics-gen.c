/* bench-metrics-gen.c: the bench-metrics driver's synthetic hosts: their
 * inventory (a tenth relays by default, the rest origins with a relayhost
 * and a fallback relay among them), their maillog lines (deliveries
 * through the relays, connect failures and fallbacks, relays' onward
 * deliveries and refusals) and their probe answers in the format of
 * tests/data/probe/origin-a.first.out, first contact or steady refresh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-metrics.h"

#define SEC	"\n@@RT-" TOK RTOK " "

/* h1..hR are relays (bench-metrics.h) */
int bm_nrelays;

static void
addr_of(int i, char *a, size_t n)
{
	snprintf(a, n, "10.78.%d.%d", i / 250 + 1, i % 250 + 1);
}

/* h1..hR relays, the rest origins. */
char *
bm_inventory_text(int n)
{
	struct buf b = { NULL, 0, 0 };
	char a[32];
	int i;

	bm_put(&b, "[defaults]\nuser = relayop\nsudo = yes\n");
	for (i = 0; i < n; i++) {
		addr_of(i, a, sizeof(a));
		bm_put(&b, "[h%d]\naddress = %s\nrole = %s\n", i + 1, a,
		    i < bm_nrelays ? "relay" : "origin");
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
int
bm_message(struct buf *b, int i, time_t when, unsigned k)
{
	char t[32], q[12], q2[12], p[32], f[32], me[16];
	int pr = bm_nrelays > 0 ? i % bm_nrelays : 0;
	int fb = bm_nrelays > 1 ? (i + 1) % bm_nrelays : pr;

	stamp(t, sizeof(t), when);
	qid(q);
	qid(q2);
	addr_of(pr, p, sizeof(p));
	addr_of(fb, f, sizeof(f));
	snprintf(me, sizeof(me), "h%d", i + 1);
	if (i < bm_nrelays) {
		if (k % 7 == 3) {
			bm_put(b, "%s %s postfix/smtpd[%u]: NOQUEUE: reject: "
			    "RCPT from unknown[198.51.100.%u]: 554 5.7.1 "
			    "<x@dest.example>: Relay access denied; from="
			    "<s@spam.example> to=<x@dest.example> proto=ESMTP "
			    "helo=<spam>\n", t, me, 3000 + k % 900,
			    k % 250 + 1);
			return 1;
		}
		bm_put(b, "%s %s postfix/smtpd[%u]: %s: client=h%u[%s]\n"
		    "%s %s postfix/cleanup[%u]: %s: message-id=<%s@mail>\n"
		    "%s %s postfix/qmgr[301]: %s: from=<a@example.jp>, "
		    "size=900, nrcpt=1 (queue active)\n"
		    "%s %s postfix/smtp[%u]: %s: to=<u%u@dest%u.example>, "
		    "relay=mx%u.dest%u.example[203.0.113.%u]:25, delay=0.4, "
		    "delays=0.1/0/0.1/0.2, dsn=%s, status=%s (%s)\n"
		    "%s %s postfix/qmgr[301]: %s: removed\n",
		    t, me, 3000 + k % 900, q, bm_nrelays + 1 + k % 40, f,
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
	bm_put(b, "%s %s postfix/pickup[300]: %s: uid=0 from=<a@example.jp>\n"
	    "%s %s postfix/cleanup[%u]: %s: message-id=<%s@mail>\n"
	    "%s %s postfix/qmgr[301]: %s: from=<a@example.jp>, size=900, "
	    "nrcpt=1 (queue active)\n", t, me, q, t, me, 4000 + k % 900, q, q,
	    t, me, q);
	if (k % 9 == 4) {
		bm_put(b, "%s %s postfix/smtp[%u]: connect to h%d[%s]:25: "
		    "Connection refused\n"
		    "%s %s postfix/smtp[%u]: %s: to=<u%u@dest.example>, "
		    "relay=h%d[%s]:25, delay=0.6, delays=0.1/0/0.3/0.2, "
		    "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %s)\n",
		    t, me, 5000 + k % 900, pr + 1, p, t, me, 5000 + k % 900,
		    q, k % 97, fb + 1, f, q2);
	} else if (k % 23 == 7) {
		bm_put(b, "%s %s postfix/smtp[%u]: %s: to=<u%u@dest.example>, "
		    "relay=none, delay=30, delays=0.1/0/30/0, dsn=4.4.1, "
		    "status=deferred (connect to h%d[%s]:25: Connection "
		    "timed out)\n", t, me, 5000 + k % 900, q, k % 97,
		    fb + 1, f);
		return 4;
	} else {
		bm_put(b, "%s %s postfix/smtp[%u]: %s: to=<u%u@dest.example>, "
		    "relay=h%d[%s]:25, delay=0.5, delays=0.1/0/0.2/0.2, "
		    "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as %s)\n",
		    t, me, 5000 + k % 900, q, k % 97, pr + 1, p, q2);
	}
	bm_put(b, "%s %s postfix/qmgr[301]: %s: removed\n", t, me, q);
	return 5;
}

/* The log lines of host i: about `events` of them, over the last hour. */
void
bm_log_lines(struct buf *b, int i, int events, time_t now, unsigned *k)
{
	int got = 0;

	while (got < events) {
		got += bm_message(b, i, now - 3600 + (time_t)got * 3600 /
		    (events + 1), *k);
		(*k)++;
	}
}

/* A probe answer of host i: first contact (settings, status, the log's
 * tail as kind=first) or a steady refresh (kind=cur from *off). */
void
bm_answer(struct buf *b, int i, const char *log, size_t loglen, uint64_t *off,
    int first)
{
	char p[32], f[32], me[32];
	int pr = bm_nrelays > 0 ? i % bm_nrelays : 0;
	int fb = bm_nrelays > 1 ? (i + 1) % bm_nrelays : pr;

	addr_of(pr, p, sizeof(p));
	addr_of(fb, f, sizeof(f));
	b->len = 0;
	bm_put(b, "@@RT-" TOK " begin " RTOK "\n");
	bm_put(b, SEC "meta\nstamp=1795829478.825.1122406 "
	    "1795829477.6984.1122408 \nnopostfix=0\n");
	if (first) {
		/* a few findings from the settings too: every 50th origin
		 * shares one myhostname, relay h4 listens on loopback only */
		if (i >= bm_nrelays && i % 50 == 7)
			snprintf(me, sizeof(me), "shared");
		else
			snprintf(me, sizeof(me), "h%d", i + 1);
		bm_put(b, SEC "settings\nmyhostname = %s.example.jp\n"
		    "mydomain = example.jp\nmyorigin = example.jp\n"
		    "mydestination = localhost\ninet_interfaces = %s\n"
		    "inet_protocols = ipv4\nmynetworks = %s\n"
		    "relayhost = %s%s%s\nsmtp_fallback_relay = %s%s%s\n"
		    "relay_domains =\nsmtpd_relay_restrictions = "
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
		    me, i < bm_nrelays && i != 3 ? "all" : "loopback-only",
		    i < bm_nrelays ? "127.0.0.0/8 10.78.0.0/16" : "127.0.0.1",
		    i < bm_nrelays ? "" : "[", i < bm_nrelays ? "" : p,
		    i < bm_nrelays ? "" : "]", i < bm_nrelays ? "" : "[",
		    i < bm_nrelays ? "" : f, i < bm_nrelays ? "" : "]");
		bm_put(b, SEC "step settings rc=0\n");
		bm_put(b, SEC "postconf-n\nmyhostname =\nmydomain =\n"
		    "inet_interfaces =\nmynetworks =\nrelayhost =\n"
		    "smtp_fallback_relay =\n");
		bm_put(b, SEC "step postconf-n rc=0\n");
		bm_put(b, SEC "status\n" SEC "step status rc=0\n");
	}
	bm_put(b, SEC "logfile ino=1122326 size=%llu\n/var/log/maillog",
	    (unsigned long long)(*off + loglen));
	bm_put(b, SEC "log kind=%s ino=1122326 start=%llu end=%llu fsize=%llu "
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
	bm_put(b, "%.*s", (int)loglen, log);
	bm_put(b, SEC "step logread rc=0\n");
	bm_put(b, SEC "queue fmt=j\n" SEC "step queue rc=0\n" SEC "end\n");
	*off += loglen;
}

/* A file's text (METRICS_LOG: a maillog every host's first answer
 * carries, as the bench fleet's hosts share one), at most 16 MiB. */
char *
bm_slurp(const char *path)
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
