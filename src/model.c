/* model.c: per-host state that the probe writes and the views read:
 * connection state, problems, settings, queue, status. Events and counters
 * live in model-events.c. Every remote string is sanitised on the way in. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cidr.h"
#include "model.h"
#include "postconf.h"
#include "sanitize.h"

int
model_init(struct model *m, const struct inventory *inv, size_t ring_cap)
{
	return model_init_room(m, inv, ring_cap, 0);
}

int
model_init_room(struct model *m, const struct inventory *inv,
    size_t ring_cap, size_t room)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	m->inv = inv;
	m->ring_cap = ring_cap;
	if (inv->n == 0)
		return 0;
	m->hosts = calloc(inv->n + room, sizeof(*m->hosts));
	if (m->hosts == NULL)
		return -1;
	m->n = inv->n;
	m->cap = inv->n + room;
	for (i = 0; i < m->n; i++)
		model_host_init(m, i);
	return 0;
}

/* A value no model had before (model-match.c's cache is keyed by it, and
 * a new model may sit where a freed one was). */
static void
names_changed(struct model *m)
{
	static uint64_t seq;

	m->names_gen = ++seq;
}

void
model_host_init(struct model *m, size_t i)
{
	struct host *h = &m->hosts[i];

	memset(h, 0, sizeof(*h));
	h->cfg = &m->inv->hosts[i];
	names_changed(m);
	h->index = (int)i;
	h->conn = HC_NEW;
	h->role = h->cfg->role;
	h->postfix_running = -1;
	h->events.cap = model_ring_cap(m, h);
}

size_t
model_ring_cap(const struct model *m, const struct host *h)
{
	if (m->ring_cap != 0)
		return m->ring_cap;
	if (h->cfg != NULL && h->cfg->history > 0)
		return (size_t)h->cfg->history;
	return CFG_HISTORY_DEFAULT;
}

void
model_free(struct model *m)
{
	size_t i;

	if (m == NULL || m->hosts == NULL)
		return;
	for (i = 0; i < m->n; i++) {
		struct host *h = &m->hosts[i];

		model_ring_free(&h->events);
		free(h->instances);
		postconf_free(&h->settings);
	}
	free(m->hosts);
	memset(m, 0, sizeof(*m));
}

void
model_set_settings(struct model *m, struct host *h, struct pc_settings *s)
{
	const char *v;

	postconf_free(&h->settings);
	h->settings = *s;
	names_changed(m);	/* myhostname may have changed */
	s->v = NULL;
	s->n = 0;
	h->settings_valid = 1;
	h->settings_time = time(NULL);
	v = postconf_get(&h->settings, "mail_version");
	if (v != NULL)
		sanitize_copy(h->mail_version, sizeof(h->mail_version), v,
		    strlen(v));
	h->role = host_effective_role(h);
	m->generation++;
}

void
model_set_queue(struct model *m, struct host *h,
    const struct queue_summary *q)
{
	h->queue = *q;
	h->queue_valid = 1;
	h->queue_reads++;
	m->generation++;
}

void
model_clear_queue(struct model *m, struct host *h)
{
	if (!h->queue_valid)
		return;
	h->queue_valid = 0;
	m->generation++;
}

void
model_set_conn(struct model *m, struct host *h, enum host_conn c,
    const char *msg)
{
	char buf[sizeof(h->conn_msg)];

	if (msg == NULL)
		msg = "";
	sanitize_copy(buf, sizeof(buf), msg, strlen(msg));
	if (h->conn == c && strcmp(buf, h->conn_msg) == 0)
		return;
	h->conn = c;
	memcpy(h->conn_msg, buf, sizeof(buf));
	m->generation++;
}

void
model_set_problems(struct model *m, struct host *h, unsigned bits,
    const char *msg)
{
	char buf[sizeof(h->problem_msg)];

	if (msg == NULL)
		msg = "";
	sanitize_copy(buf, sizeof(buf), msg, strlen(msg));
	if (h->problems == bits && strcmp(buf, h->problem_msg) == 0)
		return;
	h->problems = bits;
	memcpy(h->problem_msg, buf, sizeof(buf));
	m->generation++;
}

void
model_set_status(struct model *m, struct host *h, int running,
    const char *maillog_path)
{
	char buf[sizeof(h->maillog_path)];

	if (maillog_path == NULL)
		maillog_path = "";
	sanitize_copy(buf, sizeof(buf), maillog_path, strlen(maillog_path));
	if (h->postfix_running == running && strcmp(buf, h->maillog_path) == 0)
		return;
	h->postfix_running = running;
	memcpy(h->maillog_path, buf, sizeof(buf));
	m->generation++;
}

void
model_set_log_via(struct model *m, struct host *h, const char *via)
{
	if ((strcmp(via, "direct") != 0 && strcmp(via, "sudo") != 0) ||
	    strcmp(via, h->maillog_via) == 0)
		return;
	memcpy(h->maillog_via, via, strlen(via) + 1);
	m->generation++;
}

void
model_set_log_group(struct model *m, struct host *h, const char *grp)
{
	size_t n = strlen(grp);

	if (n >= sizeof(h->maillog_group) ||
	    strspn(grp, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") != n)
		grp = "";
	if (strcmp(grp, h->maillog_group) == 0)
		return;
	memcpy(h->maillog_group, grp, strlen(grp) + 1);
	m->generation++;
}

void
model_mark_answer(struct model *m, struct host *h, time_t now, int ms)
{
	h->last_answer = now;
	h->probe_ms = ms;
	if (h->conn != HC_UP || h->conn_msg[0] != '\0') {
		h->conn = HC_UP;
		h->conn_msg[0] = '\0';
	}
	m->generation++;
}

const char *
host_setting(const struct host *h, const char *name)
{
	const char *v;

	if (!h->settings_valid)
		return "";
	v = postconf_get(&h->settings, name);
	return v != NULL ? v : "";
}

/* inet_interfaces that keep smtpd on loopback only. */
static int
loopback_only(const char *v)
{
	return v[0] == '\0' || strcasecmp(v, "loopback-only") == 0 ||
	    strcasecmp(v, "localhost") == 0 || strcmp(v, "127.0.0.1") == 0 ||
	    strcmp(v, "[::1]") == 0 || strcmp(v, "127.0.0.1, [::1]") == 0;
}

/* mynetworks names a client other than loopback and h's own address (a
 * network, or another host): h relays for other hosts. Items that are not
 * addresses (maps, $names) do not count. */
static int
relays_for_others(const struct host *h)
{
	const char *p = host_setting(h, "mynetworks"), *it;
	struct cidr net, own;
	size_t n;
	int have_own = h->cfg != NULL && cidr_parse_addr(h->cfg->address,
	    strlen(h->cfg->address), &own) == 0;

	while (postconf_list_next(&p, &it, &n)) {
		if (cidr_parse(it, n, &net) != 0 || cidr_is_loopback(&net))
			continue;
		if (have_own && cidr_host_bits(&net) == 0 &&
		    cidr_contains(&net, &own))
			continue;
		return 1;
	}
	return 0;
}

enum host_role
host_effective_role(const struct host *h)
{
	const char *relayhost, *ifaces;

	if (h->cfg != NULL && h->cfg->role != ROLE_AUTO)
		return h->cfg->role;
	if (!h->settings_valid)
		return ROLE_AUTO;
	relayhost = host_setting(h, "relayhost");
	ifaces = host_setting(h, "inet_interfaces");
	/* a relay in the middle of a longer chain has a relayhost too */
	if (relayhost[0] != '\0')
		return !loopback_only(ifaces) && relays_for_others(h) ?
		    ROLE_RELAY : ROLE_ORIGIN;
	if (!loopback_only(ifaces))
		return ROLE_RELAY;
	return ROLE_AUTO;
}

const char *
host_conn_name(enum host_conn c)
{
	static const char *const names[HC_MAX] = {
		[HC_NEW] = "new", [HC_CONNECTING] = "connecting",
		[HC_UP] = "up", [HC_UNREACHABLE] = "unreachable",
		[HC_HOSTKEY_CHANGED] = "hostkey-changed",
		[HC_HOSTKEY_UNKNOWN] = "hostkey-unknown",
		[HC_AUTH_FAILED] = "auth-failed", [HC_ERROR] = "error",
	};

	return (unsigned)c < HC_MAX ? names[c] : "?";
}

const char *
host_role_name(enum host_role r)
{
	switch (r) {
	case ROLE_ORIGIN:
		return "origin";
	case ROLE_RELAY:
		return "relay";
	default:
		return "unknown";
	}
}
