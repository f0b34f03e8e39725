/* check.c: the relay doctor's runner. Builds the run context, runs the rule
 * groups in order (hosts, loops, settings, topology, ports, logs), sorts the
 * findings and turns them into the --check exit status. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-int.h"

const char *
severity_name(enum severity s)
{
	switch (s) {
	case SEV_OK:
		return "ok";
	case SEV_WARNING:
		return "warning";
	case SEV_CRITICAL:
		return "critical";
	case SEV_UNKNOWN:
		return "unknown";
	case SEV_INFO:
		return "info";
	}
	return "?";
}

struct finding *
chk_add(struct check_ctx *c, const char *id, enum severity sev)
{
	struct findings *o = c->out;
	struct finding *f;

	if (c->nomem)
		return NULL;
	if (o->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		struct finding *v = realloc(o->v, ncap * sizeof(*v));

		if (v == NULL) {
			c->nomem = 1;
			return NULL;
		}
		o->v = v;
		c->cap = ncap;
	}
	f = &o->v[o->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->id, sizeof(f->id), "%s", id);
	f->sev = sev;
	f->fix_host = -1;
	return f;
}

void
chk_host(struct finding *f, int host)
{
	int i;

	if (f == NULL || host < 0)
		return;
	for (i = 0; i < f->nhosts; i++)
		if (f->hosts[i] == host)
			return;
	if (f->nhosts < FINDING_MAX_HOSTS)
		f->hosts[f->nhosts++] = host;
}

/* vsnprintf that marks a cut with "..." */
static void __attribute__((format(printf, 4, 0)))
vput(char *dst, size_t len, size_t off, const char *fmt, va_list ap)
{
	int r;

	if (off >= len - 1)
		return;
	r = vsnprintf(dst + off, len - off, fmt, ap);
	if (r >= 0 && (size_t)r >= len - off && len > 4)
		memcpy(dst + len - 4, "...", 4);
}

void
chk_what(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	if (f == NULL)
		return;
	va_start(ap, fmt);
	vput(f->what, sizeof(f->what), 0, fmt, ap);
	va_end(ap);
}

void
chk_evidence(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	if (f == NULL)
		return;
	va_start(ap, fmt);
	vput(f->evidence, sizeof(f->evidence), 0, fmt, ap);
	va_end(ap);
}

void
chk_evidence_append(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	if (f == NULL)
		return;
	va_start(ap, fmt);
	vput(f->evidence, sizeof(f->evidence), strlen(f->evidence), fmt, ap);
	va_end(ap);
}

void
chk_fix(struct finding *f, int host, const char *fmt, ...)
{
	va_list ap;

	if (f == NULL)
		return;
	f->fix_host = host;
	va_start(ap, fmt);
	vput(f->fix, sizeof(f->fix), 0, fmt, ap);
	va_end(ap);
}

struct finding *
chk_add_hosts(struct check_ctx *c, const char *id, enum severity sev, int a,
    int b)
{
	struct finding *f = chk_add(c, id, sev);

	chk_host(f, a);
	chk_host(f, b);
	return f;
}

void
chk_fix_main(struct check_ctx *c, struct finding *f, int host,
    const char *fmt, ...)
{
	char line[sizeof(f->fix)];
	va_list ap;

	if (f == NULL)
		return;
	va_start(ap, fmt);
	vput(line, sizeof(line), 0, fmt, ap);
	va_end(ap);
	chk_fix(f, host, "%s main.cf: %s", chk_name(c, host), line);
}

static int
has_host(const struct finding *f, int h)
{
	int i;

	for (i = 0; i < f->nhosts; i++)
		if (f->hosts[i] == h)
			return 1;
	return 0;
}

struct finding *
chk_find(struct check_ctx *c, const char *id, int a, int b)
{
	size_t i;

	for (i = 0; i < c->out->n; i++) {
		struct finding *f = &c->out->v[i];

		/* hosts first: most findings are another host's */
		if (has_host(f, a) && (b < 0 || has_host(f, b)) &&
		    strcmp(f->id, id) == 0)
			return f;
	}
	return NULL;
}

const char *
chk_name(const struct check_ctx *c, int host)
{
	if (host < 0 || (size_t)host >= c->m->n || c->m->hosts[host].cfg ==
	    NULL)
		return "?";
	return c->m->hosts[host].cfg->name;
}

int
chk_usable(const struct check_ctx *c, int host)
{
	return host >= 0 && (size_t)host < c->m->n &&
	    c->m->hosts[host].settings_valid;
}

int
chk_edge_live(const struct check_ctx *c, size_t k)
{
	const struct edge *e = &c->t->v[k];

	return (e->kind == EDGE_PRIMARY || e->kind == EDGE_FALLBACK) &&
	    e->to >= 0 && (size_t)e->to < c->m->n && e->from >= 0 &&
	    (size_t)e->from < c->m->n && !c->bad_edge[k];
}

/* probe-failed / probe-incomplete / log-unreadable */
void
check_rules_hosts(struct check_ctx *c)
{
	size_t i;

	for (i = 0; i < c->m->n; i++) {
		const struct host *h = &c->m->hosts[i];
		struct finding *f;

		if (h->conn != HC_UP) {
			f = chk_add(c, "probe-failed", SEV_UNKNOWN);
			chk_host(f, (int)i);
			chk_what(f, h->conn == HC_NEW || h->conn ==
			    HC_CONNECTING ? "%s has not answered yet (%s): "
			    "its part of the chain is not checked" :
			    "%s could not be probed (%s): its part of the "
			    "chain is not checked", chk_name(c, (int)i),
			    host_conn_name(h->conn));
			chk_evidence(f, "%s: %s%s", chk_name(c, (int)i),
			    h->conn_msg[0] ? h->conn_msg : "no answer",
			    h->last_answer ? " (rules use its last answer)" :
			    "");
			switch (h->conn) {
			case HC_HOSTKEY_UNKNOWN:
				chk_fix(f, (int)i, "add %s's host key to "
				    "known_hosts (or run with --accept-new)",
				    chk_name(c, (int)i));
				break;
			case HC_HOSTKEY_CHANGED:
				chk_fix(f, (int)i, "verify %s's new host key "
				    "out of band, then replace it in "
				    "known_hosts", chk_name(c, (int)i));
				break;
			case HC_AUTH_FAILED:
				chk_fix(f, (int)i, "install the inventory's "
				    "public key for user %s on %s",
				    h->cfg->user, chk_name(c, (int)i));
				break;
			default:
				chk_fix(f, (int)i, "make sshd on %s:%d "
				    "reachable from this console",
				    h->cfg->address, h->cfg->port);
			}
			continue;
		}
		if (h->problems & HP_NO_POSTFIX)
			continue;	/* said by relayhost-unknown if used */
		if (!h->settings_valid || (h->problems & (HP_SUDO_PASSWORD |
		    HP_PROBE_GARBLED))) {
			f = chk_add(c, "probe-incomplete", SEV_UNKNOWN);
			chk_host(f, (int)i);
			chk_what(f, "%s answered but its Postfix settings "
			    "could not be read: its rules are not checked",
			    chk_name(c, (int)i));
			chk_evidence(f, "%s: %s", chk_name(c, (int)i),
			    h->problem_msg[0] ? h->problem_msg :
			    "no settings");
			chk_fix(f, (int)i, (h->problems & HP_SUDO_PASSWORD) ?
			    "install for user %s the sudo rule relaytop "
			    "--sudoers prints on %s (or set sudo = no)" :
			    "check that user %s can run postconf on %s",
			    h->cfg->user, chk_name(c, (int)i));
			continue;
		}
		if (h->problems & (HP_LOG_UNREADABLE | HP_LOG_NONE)) {
			f = chk_add(c, "log-unreadable", SEV_INFO);
			chk_host(f, (int)i);
			chk_what(f, "%s's maillog could not be read: the "
			    "log rules see nothing from it",
			    chk_name(c, (int)i));
			chk_evidence(f, "%s: %s", chk_name(c, (int)i),
			    h->problem_msg[0] ? h->problem_msg :
			    "no maillog");
			chk_fix(f, (int)i, "set maillog = PATH (or journal) "
			    "for %s in the inventory, readable by its login "
			    "(group adm) or through the relaytop --sudoers rule",
			    chk_name(c, (int)i));
		}
	}
}

static int
sev_rank(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL:
		return 0;
	case SEV_WARNING:
		return 1;
	case SEV_UNKNOWN:
		return 2;
	case SEV_INFO:
		return 3;
	default:
		return 4;
	}
}

static int
finding_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;
	int r = sev_rank(x->sev) - sev_rank(y->sev);

	if (r == 0)
		r = strcmp(x->id, y->id);
	if (r == 0 && x->nhosts && y->nhosts)
		r = x->hosts[0] - y->hosts[0];
	return r;
}

int
check_run_ports(const struct model *m, const struct topology *t,
    const struct port_results *ports, time_t now, struct findings *out)
{
	static const struct topology none = { NULL, 0 };
	struct check_ctx c;

	memset(&c, 0, sizeof(c));
	out->v = NULL;
	out->n = 0;
	c.m = m;
	c.t = t ? t : &none;
	c.ports = ports;
	c.now = now;
	c.out = out;
	c.bad_edge = calloc(c.t->n + 1, 1);
	c.has_origins = calloc(m->n + 1, 1);
	if (c.bad_edge == NULL || c.has_origins == NULL)
		c.nomem = 1;
	if (!c.nomem) {
		check_rules_hosts(&c);
		if (check_loops_mark(&c) != 0)
			c.nomem = 1;
	}
	if (!c.nomem) {
		check_rules_settings(&c);
		check_rules_family(&c);
		check_rules_topology(&c);
		check_rules_ports(&c);
		check_rules_logs(&c);
		check_rules_tls(&c);
		check_rules_secfiles(&c);
		check_rules_seclogs(&c);
	}
	free(c.bad_edge);
	free(c.has_origins);
	if (c.nomem) {
		findings_free(out);
		return -1;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(out->v[0]), finding_cmp);
	return 0;
}

int
check_run(const struct model *m, const struct topology *t, time_t now,
    struct findings *out)
{
	return check_run_ports(m, t, NULL, now, out);
}

void
findings_free(struct findings *f)
{
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

int
findings_exit_status(const struct findings *f, const struct model *m)
{
	int worst = 0;	/* rank: 0 ok, 1 unknown, 2 warning, 3 critical */
	size_t i;
	static const int code[] = { 0, 3, 1, 2 };

	for (i = 0; i < f->n; i++) {
		int r = f->v[i].sev == SEV_CRITICAL ? 3 :
		    f->v[i].sev == SEV_WARNING ? 2 :
		    f->v[i].sev == SEV_UNKNOWN ? 1 : 0;

		if (r > worst)
			worst = r;
	}
	for (i = 0; m != NULL && i < m->n && worst < 1; i++)
		if (m->hosts[i].conn != HC_UP)
			worst = 1;
	return code[worst];
}
