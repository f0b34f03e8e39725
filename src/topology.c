/* topology.c: the relay graph. Edges come from each host's relayhost and
 * smtp_fallback_relay (matched to inventory hosts) and from each relay's
 * recent onward deliveries; an edge's state is the newest outcome that the
 * sending host logged for that destination. Each host's level in a chain
 * of any depth (origin 0, relay 1, outbound relay 2, ...) follows. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "postconf.h"
#include "sanitize.h"
#include "event.h"
#include "topology.h"

#define ONWARD_MAX	4	/* onward edges kept per relay */
#define ONWARD_SCAN	500	/* newest events looked at for them */

struct parse_ctx {
	struct relay_target *out;
	size_t	max, n;
	int	bad;
};

static int
port_parse(const char *p, size_t n)
{
	long v = 0;
	size_t i;

	if (n == 4 && strncasecmp(p, "smtp", 4) == 0)
		return 25;
	if (n == 10 && strncasecmp(p, "submission", 10) == 0)
		return 587;
	if (n == 5 && strncasecmp(p, "smtps", 5) == 0)
		return 465;
	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v >= 1 && v <= 65535 ? (int)v : -1;
}

static int
host_ok(const char *p, size_t n)
{
	size_t i;

	if (n == 0 || n >= sizeof(((struct relay_target *)0)->host))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!isalnum(c) && c != '.' && c != '-' && c != '_' && c != ':')
			return 0;
	}
	return 1;
}

/* One item: "[host]", "[host]:port", "host", "host:port". */
static int
target_parse_one(const char *p, size_t n, struct relay_target *t)
{
	const char *h = p, *rest;
	size_t hn, rn;
	int port = 25;

	memset(t, 0, sizeof(*t));
	if (n > 0 && p[0] == '[') {
		const char *close = memchr(p, ']', n);

		if (close == NULL)
			return -1;
		h = p + 1;
		hn = (size_t)(close - h);
		if (hn > 5 && strncasecmp(h, "ipv6:", 5) == 0) {
			h += 5;
			hn -= 5;
		}
		rest = close + 1;
		rn = n - (size_t)(rest - p);
		t->bracketed = 1;
		if (rn > 0) {
			if (rest[0] != ':')
				return -1;
			port = port_parse(rest + 1, rn - 1);
		}
	} else {
		const char *colon = memchr(p, ':', n);

		hn = n;
		if (colon != NULL &&
		    memchr(colon + 1, ':', n - (size_t)(colon + 1 - p)) == NULL) {
			hn = (size_t)(colon - p);
			port = port_parse(colon + 1, n - hn - 1);
		}
	}
	if (port < 0 || !host_ok(h, hn))
		return -1;
	memcpy(t->host, h, hn);
	t->host[hn] = '\0';
	t->port = port;
	return 0;
}

static void
parse_item(const char *item, size_t n, void *arg)
{
	struct parse_ctx *c = arg;
	struct relay_target t;

	if (target_parse_one(item, n, &t) != 0) {
		c->bad = 1;
		return;
	}
	if (c->n < c->max)
		c->out[c->n++] = t;
}

int
relay_target_parse(const char *value, struct relay_target *out, size_t max)
{
	struct parse_ctx c = { out, max, 0, 0 };

	if (value == NULL || value[0] == '\0')
		return 0;
	postconf_list_each(value, parse_item, &c);
	if (c.bad)
		return -1;
	return (int)c.n;
}

const char *
edge_state_name(enum edge_state s)
{
	switch (s) {
	case EDGE_SENT:
		return "sent";
	case EDGE_DEFERRED:
		return "deferred";
	case EDGE_REFUSED:
		return "refused";
	case EDGE_BOUNCED:
		return "bounced";
	case EDGE_HANDOFF:
		return "handed-off";
	default:
		return "unknown";
	}
}

static int
edge_add(struct topology *t, size_t *cap, const struct edge *e)
{
	if (t->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct edge *v = realloc(t->v, ncap * sizeof(*v));

		if (v == NULL)
			return -1;
		t->v = v;
		*cap = ncap;
	}
	t->v[t->n++] = *e;
	return 0;
}

/* "name[addr]:port" -> name */
static size_t
relay_name_len(const char *relay)
{
	const char *br = strchr(relay, '[');

	return br ? (size_t)(br - relay) : strlen(relay);
}

static int
key_match(const char *key, const struct ev_rec *r)
{
	size_t kn = strlen(key), rn;
	char pat[80];

	if (kn == 0)
		return 0;
	if (strcasecmp(rec_relay_addr(r), key) == 0)
		return 1;
	rn = relay_name_len(rec_relay(r));
	if (rn == kn && strncasecmp(rec_relay(r), key, kn) == 0)
		return 1;
	if (snprintf(pat, sizeof(pat), "[%s]", key) >= (int)sizeof(pat))
		return 0;
	/* connect failures and relay=none deferrals name it in the text */
	if (r->kind == EV_CONNECT_FAIL || rec_relay(r)[0] == '\0' ||
	    strncmp(rec_relay(r), "none", 4) == 0)
		return strstr(rec_reason(r), pat) != NULL ||
		    strstr(rec_text(r), pat) != NULL;
	return 0;
}

static int
refused_text(const char *s)
{
	return strstr(s, "refused") != NULL || strstr(s, "connect to") != NULL;
}

/* Newest outcome on the way from host `from` to keys[]. */
static void
edge_state_fill(const struct host *from, const char *const keys[], size_t nk,
    struct edge *e)
{
	const struct ev_rec *r;
	const char *why;
	size_t i, k;

	for (i = 0; (r = model_event(from, i)) != NULL; i++) {
		int hit = 0;

		if (r->kind != EV_DELIVERY && r->kind != EV_CONNECT_FAIL)
			continue;
		for (k = 0; k < nk && !hit; k++)
			hit = key_match(keys[k], r);
		if (!hit)
			continue;
		if (r->kind == EV_CONNECT_FAIL) {
			e->state = EDGE_REFUSED;
		} else if (rec_relay(r)[0] == '\0' ||
		    strncmp(rec_relay(r), "none", 4) == 0) {
			e->state = refused_text(rec_reason(r)) ? EDGE_REFUSED :
			    EDGE_DEFERRED;
		} else {
			switch (r->status) {
			case ST_SENT:
				e->state = EDGE_SENT;
				break;
			case ST_DEFERRED:
				e->state = EDGE_DEFERRED;
				break;
			case ST_BOUNCED:
			case ST_EXPIRED:
				e->state = EDGE_BOUNCED;
				break;
			default:
				continue;
			}
		}
		e->last = r->when;
		why = rec_reason(r)[0] ? rec_reason(r) : rec_text(r);
		sanitize_copy(e->last_reason, sizeof(e->last_reason), why,
		    strlen(why));
		return;
	}
}

static int
edges_from_setting(const struct model *m, struct topology *t, size_t *cap,
    size_t i, const char *name, enum edge_kind kind)
{
	struct relay_target tg[8];
	int n, k;

	n = relay_target_parse(host_setting(&m->hosts[i], name), tg, 8);
	for (k = 0; k < n; k++) {
		struct edge e;
		const char *keys[2];
		size_t nk = 0;

		memset(&e, 0, sizeof(e));
		e.from = (int)i;
		e.kind = kind;
		e.target = tg[k];
		e.to = model_match_host(m, tg[k].host, NULL);
		keys[nk++] = tg[k].host;
		if (e.to >= 0)
			keys[nk++] = m->hosts[e.to].cfg->address;
		edge_state_fill(&m->hosts[i], keys, nk, &e);
		sec_fact_edge(m, &m->hosts[i], e.to, keys, nk, &e.sec);
		if (edge_add(t, cap, &e) != 0)
			return -1;
	}
	return 0;
}

static int
is_local_relay(const char *relay)
{
	size_t n = relay_name_len(relay);

	return n == 0 || (n == 4 && strncmp(relay, "none", 4) == 0) ||
	    (n == 5 && strncmp(relay, "local", 5) == 0) ||
	    (n == 7 && strncmp(relay, "virtual", 7) == 0) ||
	    strchr(relay, '[') == NULL;
}

/* True when host i already has a configured edge to key. */
static int
configured(const struct topology *t, size_t first, int from, const char *key)
{
	size_t k;

	for (k = first; k < t->n; k++)
		if (t->v[k].from == from &&
		    strcasecmp(t->v[k].target.host, key) == 0)
			return 1;
	return 0;
}

static int
edges_onward(const struct model *m, struct topology *t, size_t *cap,
    size_t i, size_t first)
{
	const struct host *h = &m->hosts[i];
	const struct ev_rec *r;
	size_t k, start = t->n;
	int found = 0;

	for (k = 0; k < ONWARD_SCAN && (r = model_event(h, k)) != NULL; k++) {
		const char *key;
		struct edge e;
		size_t j, nn;
		int dup = 0;

		/* a content filter's hand-off is inside the host */
		if (r->kind != EV_DELIVERY || is_local_relay(rec_relay(r)) ||
		    model_rec_is_handoff(r))
			continue;
		key = rec_relay_addr(r)[0] ? rec_relay_addr(r) : rec_relay(r);
		for (j = start; j < t->n; j++)
			if (strcasecmp(t->v[j].target.host, key) == 0)
				dup = 1;
		if (dup || configured(t, first, (int)i, key))
			continue;
		memset(&e, 0, sizeof(e));
		e.from = (int)i;
		e.kind = EDGE_ONWARD;
		e.to = model_match_relay(m, rec_relay(r), rec_relay_addr(r));
		nn = strlen(key);
		if (nn >= sizeof(e.target.host))
			continue;
		memcpy(e.target.host, key, nn + 1);
		e.target.port = r->relay_port ? r->relay_port : 25;
		e.target.bracketed = 1;
		{
			const char *keys[1] = { key };

			edge_state_fill(h, keys, 1, &e);
			sec_fact_edge(m, h, e.to, keys, 1, &e.sec);
		}
		if (edge_add(t, cap, &e) != 0)
			return -1;
		if (++found == ONWARD_MAX)
			break;
	}
	return 0;
}

/* 1 when host c (an instance entry) logged queue id qid. */
static int
instance_has(const struct host *c, const char *qid)
{
	const struct ev_rec *r;
	size_t k;

	for (k = 0; (r = model_event(c, k)) != NULL; k++)
		if (strcmp(rec_qid(r), qid) == 0)
			return 1;
	return 0;
}

/* The edge from host i to its instance entry c: the newest delivery of i
 * to a loopback address that c took ("queued as" an id c logged; with one
 * instance, also i's loopback deferrals and bounces). */
static int
edge_instance(const struct model *m, struct topology *t, size_t *cap,
    size_t i, size_t c, int only)
{
	const struct host *h = &m->hosts[i];
	const struct ev_rec *r;
	struct edge e;
	size_t k;

	memset(&e, 0, sizeof(e));
	e.from = (int)i;
	e.to = (int)c;
	e.kind = EDGE_ONWARD;
	strcpy(e.target.host, "127.0.0.1");
	e.target.port = 25;
	e.target.bracketed = 1;
	for (k = 0; k < ONWARD_SCAN && (r = model_event(h, k)) != NULL; k++) {
		if (r->kind != EV_DELIVERY || r->status == ST_NONE ||
		    !maillog_addr_is_loopback(rec_relay_addr(r),
		    strlen(rec_relay_addr(r))))
			continue;
		if (model_rec_is_handoff(r) ? !instance_has(&m->hosts[c],
		    rec_queued_as(r)) : !only)
			continue;
		snprintf(e.target.host, sizeof(e.target.host), "%s",
		    rec_relay_addr(r));
		e.target.port = r->relay_port ? r->relay_port : 25;
		e.state = model_rec_is_handoff(r) ? EDGE_HANDOFF :
		    r->status == ST_DEFERRED ? EDGE_DEFERRED : EDGE_BOUNCED;
		e.last = r->when;
		sanitize_copy(e.last_reason, sizeof(e.last_reason),
		    rec_reason(r), strlen(rec_reason(r)));
		break;
	}
	return edge_add(t, cap, &e);
}

/* Host i's edges to the instance entries of its machine. */
static int
edges_instances(const struct model *m, struct topology *t, size_t *cap,
    size_t i)
{
	size_t c, n = 0;

	if (m->hosts[i].cfg->instance[0] != '\0')
		return 0;
	for (c = 0; c < m->n; c++)
		n += m->hosts[c].cfg->instance[0] != '\0' &&
		    m->hosts[c].cfg->instance_of == (int)i;
	for (c = 0; c < m->n && n > 0; c++)
		if (m->hosts[c].cfg->instance[0] != '\0' &&
		    m->hosts[c].cfg->instance_of == (int)i &&
		    edge_instance(m, t, cap, i, c, n == 1) != 0)
			return -1;
	return 0;
}

int
topology_build(const struct model *m, struct topology *t)
{
	size_t i, cap = 0;

	t->v = NULL;
	t->n = 0;
	for (i = 0; i < m->n; i++) {
		size_t first = t->n;

		if (!m->hosts[i].settings_valid)
			continue;
		if (edges_from_setting(m, t, &cap, i, "relayhost",
		    EDGE_PRIMARY) != 0 ||
		    edges_from_setting(m, t, &cap, i, "smtp_fallback_relay",
		    EDGE_FALLBACK) != 0)
			goto fail;
		if (host_effective_role(&m->hosts[i]) == ROLE_RELAY &&
		    edges_onward(m, t, &cap, i, first) != 0)
			goto fail;
		if (edges_instances(m, t, &cap, i) != 0)
			goto fail;
	}
	return 0;
fail:
	topology_free(t);
	return -1;
}

void
topology_free(struct topology *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

int
topology_levels(const struct model *m, const struct topology *t, int *level)
{
	size_t i, k, round;
	int changed = 1, deepest = -1;

	for (i = 0; i < m->n; i++)
		level[i] = 0;
	/* longest path from a host nobody sends to: relax every edge, at most
	 * m->n - 1 rounds (a chain without loops is settled by then); no
	 * level reaches m->n (a loop would grow it) */
	for (round = 0; changed && round + 1 < m->n; round++) {
		changed = 0;
		for (k = 0; k < t->n; k++) {
			const struct edge *e = &t->v[k];

			if (e->from < 0 || e->to < 0 || e->from == e->to ||
			    (size_t)e->from >= m->n || (size_t)e->to >= m->n ||
			    level[e->to] >= level[e->from] + 1 ||
			    level[e->from] + 1 >= (int)m->n)
				continue;
			level[e->to] = level[e->from] + 1;
			changed = 1;
		}
	}
	for (i = 0; i < m->n; i++)
		if (level[i] > deepest)
			deepest = level[i];
	return deepest + 1;
}
