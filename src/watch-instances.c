/* watch-instances.c: Postfix instances (postmulti) become hosts of their
 * own. When a host's probe lists instances its `instances` key wants, the
 * watch appends an entry "HOST/NAME" to the inventory, the model and the
 * fleet (each kept room for them: nothing moves), which then connects and
 * probes it like any host, with postconf/postqueue -c its directory. An
 * instance that goes away stays listed until relaytop restarts. */
#include <stdlib.h>
#include <string.h>

#include "watch-int.h"

int
watch_instances_room(struct watch *w)
{
	struct host_config *v;

	v = calloc(w->inv->n + CFG_INSTANCE_SLOTS, sizeof(*v));
	if (v == NULL)
		return -1;
	if (w->inv->n > 0)
		memcpy(v, w->inv->hosts, w->inv->n * sizeof(*v));
	w->inv_hosts = w->inv->hosts;
	w->inv_n = w->inv->n;
	w->inv->hosts = v;
	w->inv_lent = 1;
	return 0;
}

void
watch_instances_unroom(struct watch *w)
{
	if (!w->inv_lent)
		return;
	free(w->inv->hosts);
	w->inv->hosts = w->inv_hosts;
	w->inv->n = w->inv_n;
	w->inv_hosts = NULL;
	w->inv_n = 0;
	w->inv_lent = 0;
}

static int
present(const struct inventory *inv, int parent, const char *name)
{
	size_t i;

	for (i = 0; i < inv->n; i++)
		if (inv->hosts[i].instance[0] != '\0' &&
		    inv->hosts[i].instance_of == parent &&
		    strcmp(inv->hosts[i].instance, name) == 0)
			return 1;
	return 0;
}

static void
add_one(struct watch *w, int parent, const struct host_instance *in)
{
	if (present(w->inv, parent, in->name))
		return;
	if (config_add_instance(w->inv, w->m.cap, parent, in->name,
	    in->config_dir, in->syslog_name) < 0)
		return;
	if (model_add_host(&w->m) < 0) {
		w->inv->n--;
		return;
	}
	if (fleet_add_host(w->f) < 0) {
		model_free_last(&w->m);
		w->inv->n--;
	}
}

void
watch_instances_sync(struct watch *w)
{
	size_t i, n = w->m.n;
	int k;

	for (i = 0; i < n; i++) {
		struct host *h = &w->m.hosts[i];

		if (h->instances_synced == h->instances_gen ||
		    h->cfg->instance[0] != '\0')
			continue;
		h->instances_synced = h->instances_gen;
		for (k = 0; k < h->n_instances; k++)
			if (config_instance_wanted(h->cfg, h->instances[k].name,
			    h->instances[k].enabled))
				add_one(w, (int)i, &h->instances[k]);
	}
}
