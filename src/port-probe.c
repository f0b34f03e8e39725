/* port-probe.c: the port-25 test of the relay doctor. From each origin, over
 * its own SSH session, bash opens /dev/tcp/RELAY/25 under coreutils'
 * `timeout` (both Essential on Debian), reads the banner and says QUIT. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "port-probe.h"
#include "fleet.h"
#include "sanitize.h"
#include "shquote.h"
#include "sshc.h"

#define PORT_OUT_MAX	2048

struct port_job {
	struct port_probe *p;
	size_t	idx;
};

struct port_probe {
	struct port_results res;
	struct port_job *jobs;
	size_t	pending;
	int	abandoned;
};

/* The script never changes; host and port arrive as $0 and $1. */
static const char script[] =
	"if exec 3<>\"/dev/tcp/$0/$1\"; then echo RT-OPEN; "
	"IFS= read -r -t 2 l <&3; printf \"%.200s\\n\" \"$l\"; "
	"printf \"QUIT\\r\\n\" >&3; else exit 3; fi";

int
port_probe_command(const char *host, int port, int timeout_s, char *buf,
    size_t len)
{
	char p[16];
	int r;

	if (host == NULL || !valid_hostname_or_addr(host) || port < 1 ||
	    port > 65535 || timeout_s < 1 || timeout_s > 600)
		return -1;
	r = snprintf(buf, len, "PATH=/usr/bin:/bin:$PATH; export PATH; "
	    "exec timeout %d bash -c ", timeout_s);
	if (r < 0 || (size_t)r >= len)
		return -1;
	snprintf(p, sizeof(p), "%d", port);
	if (shquote_append(buf, len, script) != 0 ||
	    strlen(buf) + 2 >= len)
		return -1;
	strcat(buf, " ");
	if (shquote_append(buf, len, host) != 0 || strlen(buf) + 2 >= len)
		return -1;
	strcat(buf, " ");
	return shquote_append(buf, len, p);
}

enum port_state
port_probe_classify(int exit_status, const char *out, const char *err,
    char *detail, size_t dlen)
{
	const char *o = out ? strstr(out, "RT-OPEN\n") : NULL;
	const char *e = err ? err : "";
	const char *nl;

	detail[0] = '\0';
	if (o != NULL) {
		size_t n;

		o += 8;
		nl = strchr(o, '\n');
		n = nl ? (size_t)(nl - o) : strlen(o);
		while (n > 0 && o[n - 1] == '\r')
			n--;
		sanitize_copy(detail, dlen, o, n);
		return PORT_OPEN;
	}
	if (exit_status == 124 || exit_status == 137) {
		snprintf(detail, dlen, "no answer within the time limit");
		return PORT_TIMEOUT;
	}
	/* bash's first complaint ("H: connect: Connection refused") */
	nl = strchr(e, '\n');
	sanitize_copy(detail, dlen, e, nl ? (size_t)(nl - e) : strlen(e));
	if (strstr(e, "refused") != NULL)
		return PORT_REFUSED;
	if (strstr(e, "No route") != NULL || strstr(e, "nreachable") != NULL ||
	    strstr(e, "not permitted") != NULL)
		return PORT_UNREACHABLE;
	if (strstr(e, "timed out") != NULL)
		return PORT_TIMEOUT;
	if (detail[0] == '\0')
		snprintf(detail, dlen, "exit status %d", exit_status);
	return PORT_ERROR;
}

static void
probe_done_one(void *arg, const struct sshc_result *r)
{
	struct port_job *j = arg;
	struct port_probe *p = j->p;
	struct port_result *res = &p->res.v[j->idx];

	res->elapsed_ms = r->elapsed_ms;
	if (r->error != SSHE_NONE && r->exit_status < 0) {
		res->state = PORT_ERROR;
		snprintf(res->detail, sizeof(res->detail), "ssh: %s",
		    sshc_error_name(r->error));
	} else {
		res->state = port_probe_classify(r->exit_status, r->out,
		    r->err, res->detail, sizeof(res->detail));
	}
	if (--p->pending == 0 && p->abandoned) {
		free(p->res.v);
		free(p->jobs);
		free(p);
	}
}

static int
seen(const struct port_results *res, const struct edge *e)
{
	size_t i;

	for (i = 0; i < res->n; i++)
		if (res->v[i].from == e->from && res->v[i].kind == (int)e->kind &&
		    res->v[i].port == e->target.port &&
		    strcasecmp(res->v[i].host, e->target.host) == 0)
			return 1;
	return 0;
}

void
port_result_of_edge(struct port_result *r, const struct edge *e,
    enum port_state st)
{
	memset(r, 0, sizeof(*r));
	r->from = e->from;
	r->to = e->to;
	r->kind = (int)e->kind;
	snprintf(r->host, sizeof(r->host), "%s", e->target.host);
	r->port = e->target.port;
	r->state = st;
}

struct port_probe *
port_probe_start(struct fleet *f, const struct model *m,
    const struct topology *t, int timeout_s)
{
	struct port_probe *p = calloc(1, sizeof(*p));
	char cmd[1024];
	size_t k;

	if (p == NULL)
		return NULL;
	p->res.v = calloc(t->n + 1, sizeof(p->res.v[0]));
	p->jobs = calloc(t->n + 1, sizeof(p->jobs[0]));
	if (p->res.v == NULL || p->jobs == NULL) {
		free(p->res.v);
		free(p->jobs);
		free(p);
		return NULL;
	}
	if (timeout_s < 1)
		timeout_s = 4;
	for (k = 0; k < t->n; k++) {
		const struct edge *e = &t->v[k];
		struct port_result *r;
		struct sshc *s;
		int host_to;

		if ((e->kind != EDGE_PRIMARY && e->kind != EDGE_FALLBACK) ||
		    e->from < 0 || (size_t)e->from >= m->n || seen(&p->res, e))
			continue;
		r = &p->res.v[p->res.n];
		port_result_of_edge(r, e, PORT_ERROR);
		p->jobs[p->res.n].p = p;
		p->jobs[p->res.n].idx = p->res.n;
		p->res.n++;
		s = fleet_session(f, e->from);
		if (port_probe_command(r->host, r->port, timeout_s, cmd,
		    sizeof(cmd)) != 0) {
			snprintf(r->detail, sizeof(r->detail), "relay name "
			    "does not validate");
			continue;
		}
		if (s == NULL || sshc_state(s) != SSHC_READY) {
			snprintf(r->detail, sizeof(r->detail), "ssh session "
			    "to the origin not ready");
			continue;
		}
		host_to = m->hosts[e->from].cfg ? m->hosts[e->from].cfg->
		    timeout_s : 10;
		r->state = PORT_UNTESTED;
		p->pending++;
		if (sshc_exec(s, cmd, NULL, 0, PORT_OUT_MAX,
		    (timeout_s + (host_to > 0 ? host_to : 10)) * 1000,
		    probe_done_one, &p->jobs[p->res.n - 1]) != 0) {
			p->pending--;
			r->state = PORT_ERROR;
			snprintf(r->detail, sizeof(r->detail), "could not "
			    "start the test command");
		}
	}
	return p;
}

int
port_probe_done(const struct port_probe *p)
{
	return p == NULL || p->pending == 0;
}

const struct port_results *
port_probe_results(const struct port_probe *p)
{
	return p ? &p->res : NULL;
}

void
port_probe_free(struct port_probe *p)
{
	if (p == NULL)
		return;
	if (p->pending > 0) {
		p->abandoned = 1;	/* the last callback frees it */
		return;
	}
	free(p->res.v);
	free(p->jobs);
	free(p);
}
