/* model-instances.c: several Postfix instances on one machine (postmulti):
 * the instance entries the watch adds to the model, the instances a host
 * lists, and which of them a log line of the shared maillog belongs to
 * (by the syslog_name its program carries). */
#include <stdlib.h>
#include <string.h>

#include "model.h"

int
model_add_host(struct model *m)
{
	if (m->hosts == NULL || m->inv->n != m->n + 1 || m->n >= m->cap)
		return -1;
	model_host_init(m, m->n);
	m->n++;
	m->generation++;
	return (int)m->n - 1;
}

void
model_free_last(struct model *m)
{
	if (m->n == 0)
		return;
	m->n--;
	model_ring_free(&m->hosts[m->n].events);
	free(m->hosts[m->n].instances);
	memset(&m->hosts[m->n], 0, sizeof(m->hosts[m->n]));
	m->generation++;
}

void
model_set_instances(struct model *m, struct host *h,
    const struct host_instance *v, int n)
{
	struct host_instance *nv = NULL;

	if (n < 0)
		n = 0;
	if (n > HOST_INSTANCES_MAX)
		n = HOST_INSTANCES_MAX;
	if (n == h->n_instances && (n == 0 ||
	    memcmp(h->instances, v, (size_t)n * sizeof(*v)) == 0))
		return;
	if (n > 0) {
		if ((nv = malloc((size_t)n * sizeof(*v))) == NULL)
			return;		/* the old list stays */
		memcpy(nv, v, (size_t)n * sizeof(*v));
	}
	free(h->instances);
	h->instances = nv;
	h->n_instances = n;
	h->instances_gen++;
	m->generation++;
}

/* 1 when the program's syslog_name part p[0..n) is name, or name followed
 * by a service ("postfix-out/submission" for "postfix-out"). */
static int
claims(const char *name, const char *p, size_t n)
{
	size_t k = strlen(name);

	return k > 0 && n >= k && memcmp(p, name, k) == 0 &&
	    (n == k || p[k] == '/');
}

int
model_host_takes(const struct host *h, const struct mail_event *ev)
{
	const char *p = ev->prog.p;
	size_t n = ev->prog.n;
	const char *own = h->settings_valid ?
	    postconf_get(&h->settings, "syslog_name") : NULL;
	int i;

	/* "postfix-out/smtp": the syslog_name is all before the daemon */
	if (p == NULL)
		n = 0;
	else if (ev->service.n < n && p[n - ev->service.n - 1] == '/')
		n -= ev->service.n + 1;
	if (h->cfg->instance[0] != '\0')
		return claims(h->cfg->syslog_name, p, n);
	for (i = 0; i < h->n_instances; i++) {
		const char *s = h->instances[i].syslog_name;

		/* an instance logging under this host's own name cannot be
		 * told apart: its lines stay here */
		if (own != NULL && strcmp(s, own) == 0)
			continue;
		if (claims(s, p, n))
			return 0;
	}
	return 1;
}

int
model_machine_of(const struct model *m, int i)
{
	int p;

	if (i < 0 || (size_t)i >= m->n)
		return i;
	p = m->hosts[i].cfg->instance[0] != '\0' ?
	    m->hosts[i].cfg->instance_of : i;
	return p >= 0 && (size_t)p < m->n ? p : i;
}
