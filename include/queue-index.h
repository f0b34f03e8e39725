/* queue-index.h: the queue view's order over every host's message list:
 * an index array sorted by age, size or host, narrowed by a filter, and
 * the operator's tags. Scrolling reads the index only; the sort runs again
 * only when the lists, the host scope or the sort change, the filter only
 * when it (or they) change. No curses, no I/O: the console and the bench
 * both drive it. */
#ifndef RELAYTOP_QUEUE_INDEX_H
#define RELAYTOP_QUEUE_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "queue-match.h"
#include "queue-msg.h"

enum qidx_sort { QIDX_AGE = 0, QIDX_SIZE, QIDX_HOST, QIDX_SORTS };

/* One message of the index: lists[host]->v[pos]. */
struct qref {
	uint32_t host, pos;
	int64_t	k1, k2;			/* sort keys */
};

/* A message named as an operation names it: host + queue id + arrival
 * (short ids are reused by Postfix). */
struct qkey {
	int	host;
	time_t	arrival;
	char	id[QUEUE_ID_SIZE];
};

struct queue_index {
	/* the source, borrowed: lists[h] is host h's (NULL: none known) */
	const struct queue_list *const *lists;
	size_t	nlists;
	int	host;			/* scope: this host only; -1 all */
	enum qidx_sort sort;
	int	rev;			/* reversed order */
	const struct queue_match *filter;	/* borrowed; NULL: all */

	struct qref *all;		/* every message in scope, in order */
	size_t	nall, allcap;
	uint32_t *v;			/* shown: indexes into all[] */
	size_t	n, vcap;

	struct qkey *tags;		/* open addressing; id[0] '\0': free */
	size_t	ntags, tcap;

	int	need_sort, need_filter;	/* what qidx_update must redo */
	int	need_prune;		/* lists changed: drop gone tags */
	unsigned sorts, filters;	/* times each ran (tests, bench) */
};

void	qidx_init(struct queue_index *x);
void	qidx_free(struct queue_index *x);

/* Each setter marks what the next qidx_update redoes (nothing when the
 * value did not change). qidx_set_lists: call again whenever a list's
 * contents changed (the pointers may be the same); complete 1: the lists
 * are whole listings, so the next qidx_update drops the tags of messages
 * no longer listed (0: a listing is still arriving, tags stay). */
void	qidx_set_lists(struct queue_index *x,
	    const struct queue_list *const *lists, size_t nlists, int complete);
void	qidx_set_scope(struct queue_index *x, int host);
void	qidx_set_sort(struct queue_index *x, enum qidx_sort s, int rev);
void	qidx_set_filter(struct queue_index *x, const struct queue_match *qm);

/* Brings the index up to date. Order: age oldest first; size largest
 * first; host by inventory order, then oldest first; ties by host, then
 * list position. Returns 0, -1 on ENOMEM (the index is then empty). */
int	qidx_update(struct queue_index *x);

/* The i-th shown message (i < x->n), or NULL; *host gets its host. */
const struct queue_msg *qidx_msg(const struct queue_index *x, size_t i,
	    int *host);

/* --- tags ---------------------------------------------------------------- */

/* 1 when the i-th shown message is tagged. */
int	qidx_tagged(const struct queue_index *x, size_t i);
/* Tags (on 1), untags (0) or flips (-1) the i-th shown message. Returns
 * 0, -1 on ENOMEM. */
int	qidx_tag(struct queue_index *x, size_t i, int on);
/* Tags every shown message (what the filter shows in the scope). */
int	qidx_tag_shown(struct queue_index *x);
void	qidx_untag_all(struct queue_index *x);
/* Tagged messages (as of the last qidx_update) and on how many hosts. */
size_t	qidx_ntagged(const struct queue_index *x, int *nhosts);
/* The tagged messages' keys, host by host (each host's in list order),
 * into out[0..max); returns how many were written. */
size_t	qidx_tagged_keys(const struct queue_index *x, struct qkey *out,
	    size_t max);

#endif
