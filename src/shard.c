/* shard.c: --shard K/N: which hosts this process watches (an FNV-1a hash
 * of the host name, so every process and run agrees), and the inventory cut
 * down to them with the others kept as named peers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse-fields.h"
#include "shard.h"

uint32_t
shard_hash(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name != '\0'; name++) {
		h ^= (unsigned char)*name;
		h *= 16777619u;
	}
	return h;
}

int
shard_of(const char *name, int n)
{
	return n <= 1 ? 1 : (int)(shard_hash(name) % (uint32_t)n) + 1;
}

int
shard_parse(const char *s, int *k, int *n, char *err, size_t errlen)
{
	const char *slash = s != NULL ? strchr(s, '/') : NULL;
	char kb[16];
	size_t kl;

	if (slash == NULL || (kl = (size_t)(slash - s)) == 0 ||
	    kl >= sizeof(kb))
		goto bad;
	memcpy(kb, s, kl);
	kb[kl] = '\0';
	if (pf_int_strict(kb, 1, SHARD_MAX, k) != 0 ||
	    pf_int_strict(slash + 1, 1, SHARD_MAX, n) != 0)
		goto bad;
	if (*k > *n) {
		snprintf(err, errlen, "bad --shard '%s' (K is at most N: "
		    "shard K of N)", s);
		return -1;
	}
	return 0;
bad:
	snprintf(err, errlen, "bad --shard '%.40s' (K/N: shard K of N, "
	    "1 <= K <= N <= %d)", s != NULL ? s : "", SHARD_MAX);
	return -1;
}

int
shard_apply(struct inventory *inv, int k, int n)
{
	size_t i, nk = 0, np = 0, total = inv->n;
	struct host_config *keep, *peers;
	int *map, j;
	char *in;

	in = calloc(total ? total : 1, 1);
	map = calloc(total ? total : 1, sizeof(*map));
	keep = calloc(total ? total : 1, sizeof(*keep));
	peers = calloc(total ? total : 1, sizeof(*peers));
	if (!in || !map || !keep || !peers) {
		free(in);
		free(map);
		free(keep);
		free(peers);
		return -1;
	}
	for (i = 0; i < total; i++)
		if (shard_of(inv->hosts[i].name, n) == k)
			/* and every hop it logs in through (config.c
			 * refuses loops; the walk is bounded anyway) */
			for (j = (int)i; j >= 0 && (size_t)j < total && !in[j];
			    j = inv->hosts[j].jump_index)
				in[j] = 1;
	for (i = 0; i < total; i++) {
		if (in[i]) {
			map[i] = (int)nk;
			keep[nk++] = inv->hosts[i];
		} else {
			map[i] = -1;
			peers[np++] = inv->hosts[i];
		}
	}
	for (i = 0; i < nk; i++)
		if (keep[i].jump_index >= 0)
			keep[i].jump_index = map[keep[i].jump_index];
	for (i = 0; i < np; i++)
		peers[i].jump_index = -1;	/* never logged in to */
	free(inv->hosts);
	free(inv->peers);
	inv->hosts = keep;
	inv->n = nk;
	inv->peers = peers;
	inv->npeers = np;
	inv->shard_k = k;
	inv->shard_n = n;
	free(in);
	free(map);
	return 0;
}

const struct host_config *
shard_peer_find(const struct inventory *inv, const char *s)
{
	size_t i;

	if (inv == NULL || s == NULL || s[0] == '\0')
		return NULL;
	for (i = 0; i < inv->npeers; i++)
		if (strcasecmp(inv->peers[i].name, s) == 0 ||
		    strcasecmp(inv->peers[i].address, s) == 0)
			return &inv->peers[i];
	return NULL;
}

const char *
shard_edge_to(const struct model *m, const struct edge *e)
{
	const struct host_config *p;

	if (e->to >= 0 && (size_t)e->to < m->n)
		return m->hosts[e->to].cfg->name;
	p = shard_peer_find(m->inv, e->target.host);
	return p != NULL ? p->name : NULL;
}
