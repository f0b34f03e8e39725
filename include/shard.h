/* shard.h: --shard K/N: N relaytop processes split one inventory, each
 * watching the hosts whose stable hash falls in its shard; the others stay
 * named (as the inventory's peers) so edges to them keep their names. */
#ifndef RELAYTOP_SHARD_H
#define RELAYTOP_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "model.h"
#include "topology.h"

#define SHARD_MAX	1000

/* FNV-1a (32 bit) of name: the same on every machine and run. */
uint32_t shard_hash(const char *name);

/* The shard (1..n) host name belongs to; n >= 1. */
int	shard_of(const char *name, int n);

/* Parses "K/N" (1 <= K <= N <= SHARD_MAX, decimal, nothing else).
 * Returns 0, or -1 with a one-line message in err. */
int	shard_parse(const char *s, int *k, int *n, char *err, size_t errlen);

/* Keeps in inv the hosts of shard k of n, and the jump hosts they log in
 * through (also when of another shard: a session needs them); moves the
 * rest to inv->peers (jump indexes follow) and sets shard_k/shard_n.
 * Returns 0, -1 on ENOMEM (inv unchanged). */
int	shard_apply(struct inventory *inv, int k, int n);

/* The peer (a host of another shard) whose name or address is s
 * (case-insensitive), or NULL. */
const struct host_config *shard_peer_find(const struct inventory *inv,
	    const char *s);

/* The name of e's destination: the watched host's, else the peer's (a
 * host of another shard) its target names; NULL when outside the
 * inventory. Borrowed from m. */
const char *shard_edge_to(const struct model *m, const struct edge *e);

#endif
