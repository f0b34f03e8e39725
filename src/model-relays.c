/* model-relays.c: delivery outcomes per host and relay since start, the
 * counters /metrics serves: they only grow (a reconnect or a rotated log
 * adds new lines, never takes any back), one row per relay, bounded. */
#include <string.h>
#include <strings.h>

#include "model.h"
#include "sanitize.h"

/* The relay's name for the tally: its inventory name, else what the log
 * wrote before '[' ("local", "none", an address outside the inventory). */
static void
relay_key(const struct model *m, const struct ev_rec *r, char *out,
    size_t len)
{
	const char *br;
	size_t n;
	int k = model_match_relay(m, rec_relay(r), rec_relay_addr(r));

	if (k >= 0) {
		sanitize_copy(out, len, m->hosts[k].cfg->name,
		    strlen(m->hosts[k].cfg->name));
		return;
	}
	br = strchr(rec_relay(r), '[');
	n = br != NULL ? (size_t)(br - rec_relay(r)) : strlen(rec_relay(r));
	if (n == 0) {
		sanitize_copy(out, len, "none", 4);
		return;
	}
	sanitize_copy(out, len, rec_relay(r), n);
	if (out[0] == '(')
		out[0] = '_';	/* "(other)" is the overflow row's alone */
}

void
model_relay_count(const struct model *m, struct host *h,
    const struct ev_rec *r)
{
	char key[RELAY_TALLY_NAME];
	size_t i;

	if (r->status <= ST_NONE || r->status >= ST_MAX)
		return;
	relay_key(m, r, key, sizeof(key));
	for (i = 0; i < h->nrelays; i++)
		if (strcasecmp(h->relays[i].relay, key) == 0)
			break;
	if (i == h->nrelays) {
		/* the last row is "(other)" once RELAY_TALLY_MAX are taken */
		if (h->nrelays >= RELAY_TALLY_MAX) {
			i = RELAY_TALLY_MAX;
			memcpy(key, "(other)", 8);
		}
		if (i == h->nrelays) {
			memset(&h->relays[i], 0, sizeof(h->relays[i]));
			memcpy(h->relays[i].relay, key, strlen(key) + 1);
			h->nrelays++;
		}
	}
	h->relays[i].n[r->status]++;
}
