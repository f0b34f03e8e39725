/* words.c: the words (and their tones) views show for a host's state, an
 * age, a time, a log event and the findings on a host or an edge, so every
 * view says the same thing the same way, readable without colour. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "words.h"

const char *
age_text(time_t age, char *buf, size_t len)
{
	if (age < 0)
		age = 0;
	if (age < 120)
		snprintf(buf, len, "%llds", (long long)age);
	else if (age < 7200)
		snprintf(buf, len, "%lldm", (long long)(age / 60));
	else if (age < 2 * 86400)
		snprintf(buf, len, "%lldh", (long long)(age / 3600));
	else
		snprintf(buf, len, "%lldd", (long long)(age / 86400));
	return buf;
}

/* Seconds after which an answer is old: two refreshes plus a timeout. */
static time_t
stale_after(const struct host *h)
{
	int r = 5, t = 10;

	if (h->cfg != NULL) {
		if (h->cfg->refresh_s > 0)
			r = h->cfg->refresh_s;
		if (h->cfg->timeout_s > 0)
			t = h->cfg->timeout_s;
	}
	return (time_t)(2 * r + t);
}

/* The state in words into buf, and its tone. */
static enum word_tone
host_class(const struct host *h, time_t now, char *buf, size_t len)
{
	char age[16];
	time_t a = h->last_answer > 0 ? now - h->last_answer : 0;
	int stale = h->last_answer > 0 && a > stale_after(h);

	age_text(a, age, sizeof age);
	switch (h->conn) {
	case HC_NEW:
		snprintf(buf, len, "new");
		return TONE_DIM;
	case HC_CONNECTING:
		if (h->last_answer > 0) {
			snprintf(buf, len, "stale %s", age);
			return TONE_WARN;
		}
		snprintf(buf, len, "connecting");
		return TONE_DIM;
	case HC_UNREACHABLE:
		if (h->last_answer > 0)
			snprintf(buf, len, "unreachable %s", age);
		else
			snprintf(buf, len, "unreachable");
		return TONE_BAD;
	case HC_HOSTKEY_CHANGED:
		snprintf(buf, len, "HOST KEY CHANGED");
		return TONE_BAD;
	case HC_HOSTKEY_UNKNOWN:
		snprintf(buf, len, "host key unknown");
		return TONE_BAD;
	case HC_AUTH_FAILED:
		snprintf(buf, len, "no permission (auth)");
		return TONE_ACCENT;
	case HC_ERROR:
		snprintf(buf, len, "error");
		return TONE_BAD;
	case HC_UP:
	default:
		break;
	}
	if (stale) {
		snprintf(buf, len, "stale %s", age);
		return TONE_WARN;
	}
	if (h->problems & HP_NO_POSTFIX) {
		snprintf(buf, len, "no postfix");
		return TONE_BAD;
	}
	if ((h->problems & HP_POSTFIX_STOPPED) || h->postfix_running == 0) {
		snprintf(buf, len, "postfix stopped");
		return TONE_BAD;
	}
	if (h->problems & HP_SUDO_PASSWORD) {
		snprintf(buf, len, "no permission (sudo)");
		return TONE_ACCENT;
	}
	if (h->problems & (HP_LOG_UNREADABLE | HP_QUEUE_UNREADABLE)) {
		snprintf(buf, len, "no permission (%s)",
		    (h->problems & HP_LOG_UNREADABLE) ? "log" : "queue");
		return TONE_ACCENT;
	}
	if (h->problems & HP_PROBE_GARBLED) {
		snprintf(buf, len, "up, garbled");
		return TONE_WARN;
	}
	if (h->problems & HP_LOG_NONE) {
		snprintf(buf, len, "up, no maillog");
		return TONE_WARN;
	}
	if (h->last_answer == 0) {
		/* session open, first probe not answered yet */
		snprintf(buf, len, "probing");
		return TONE_DIM;
	}
	snprintf(buf, len, "up");
	return TONE_GOOD;
}

const char *
host_state_text(const struct host *h, time_t now, char *buf, size_t len)
{
	host_class(h, now, buf, len);
	return buf;
}

enum word_tone
host_tone(const struct host *h, time_t now)
{
	char buf[64];

	return host_class(h, now, buf, sizeof buf);
}

int
host_findings(const struct findings *fs, int host, enum severity *worst)
{
	size_t i;
	int j, n = 0;
	enum severity w = SEV_OK;
	const struct finding *fd;

	for (i = 0; fs != NULL && i < fs->n; i++) {
		fd = &fs->v[i];
		if (fd->sev == SEV_OK || fd->sev == SEV_INFO)
			continue;
		for (j = 0; j < fd->nhosts && j < FINDING_MAX_HOSTS; j++) {
			if (fd->hosts[j] != host)
				continue;
			n++;
			/* CRITICAL outranks UNKNOWN outranks WARNING */
			if (fd->sev == SEV_CRITICAL || (fd->sev == SEV_UNKNOWN
			    && w != SEV_CRITICAL) || w == SEV_OK)
				w = fd->sev;
			break;
		}
	}
	if (worst != NULL)
		*worst = w;
	return n;
}

int
edge_findings(const struct findings *fs, int from, int to,
    enum severity *worst)
{
	size_t i;
	int j, n = 0, hf, ht;
	enum severity w = SEV_OK;
	const struct finding *fd;

	for (i = 0; fs != NULL && i < fs->n && to >= 0; i++) {
		fd = &fs->v[i];
		if (fd->sev == SEV_OK || fd->sev == SEV_INFO)
			continue;
		hf = ht = 0;
		for (j = 0; j < fd->nhosts && j < FINDING_MAX_HOSTS; j++) {
			hf |= fd->hosts[j] == from;
			ht |= fd->hosts[j] == to;
		}
		if (!hf || !ht)
			continue;
		n++;
		if (fd->sev == SEV_CRITICAL || w == SEV_OK)
			w = fd->sev;
	}
	if (worst != NULL)
		*worst = w;
	return n;
}

const char *
host_name(const struct model *m, int host)
{
	if (host < 0 || (size_t)host >= m->n || m->hosts[host].cfg == NULL)
		return "?";
	return m->hosts[host].cfg->name;
}

const char *
clock_text(time_t t, time_t now, char *buf, size_t len)
{
	struct tm tm, tn;

	if (t <= 0) {
		snprintf(buf, len, "--:--:--");
		return buf;
	}
	localtime_r(&t, &tm);
	localtime_r(&now, &tn);
	if (tm.tm_yday == tn.tm_yday && tm.tm_year == tn.tm_year)
		strftime(buf, len, "%H:%M:%S", &tm);
	else
		strftime(buf, len, "%b %d %H:%M", &tm);
	return buf;
}

const char *
event_text(const struct ev_rec *e, char *buf, size_t len,
    enum word_tone *tn)
{
	const char *qid = rec_qid(e)[0] ? rec_qid(e) : "-";
	enum word_tone r = TONE_NORMAL;

	if (e->kind == EV_DELIVERY) {
		switch (e->status) {
		case ST_SENT:
			r = TONE_GOOD;
			break;
		case ST_DEFERRED:
			r = TONE_WARN;
			break;
		default:
			r = TONE_BAD;
			break;
		}
		snprintf(buf, len, "%-11s %-8s to=<%s> relay=%s dsn=%s (%s)",
		    qid, mail_status_name(e->status), rec_to(e), rec_relay(e),
		    rec_dsn(e), rec_reason(e));
	} else {
		if (e->kind == EV_CONNECT_FAIL || e->kind == EV_RELAY_DENIED ||
		    e->kind == EV_LOOP)
			r = TONE_BAD;
		else if (e->kind == EV_WARNING)
			r = TONE_WARN;
		else
			r = TONE_DIM;
		if (e->kind == EV_CLIENT)
			snprintf(buf, len, "%-11s %-8s client=%s", qid,
			    ev_kind_name(e->kind), rec_client(e));
		else if (e->kind == EV_MESSAGE_ID)
			snprintf(buf, len, "%-11s %-8s <%s>", qid,
			    ev_kind_name(e->kind), rec_message_id(e));
		else if (e->kind == EV_FROM)
			snprintf(buf, len, "%-11s %-8s <%s>", qid,
			    ev_kind_name(e->kind), rec_from(e));
		else
			snprintf(buf, len, "%-11s %-8s %s", qid,
			    ev_kind_name(e->kind), rec_text(e));
	}
	if (tn != NULL)
		*tn = r;
	return buf;
}

int
text_match(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return 1;
	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}
