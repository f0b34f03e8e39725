/* ui-queue.h: the console's queue view (key Q): its state and the faces
 * its files share (ui/view-queue*.c). Only ui/ and the bench include this;
 * it needs ui.h (curses) first. */
#ifndef RELAYTOP_UI_QUEUE_H
#define RELAYTOP_UI_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "queue-index.h"
#include "queue-match.h"
#include "queue-msg.h"
#include "queue-shape.h"
#include "watch.h"

enum qv_mode { QV_LIST = 0, QV_SHAPE, QV_CAT };

/* Per host: where its listing stands. */
enum qv_host { QVH_NONE = 0, QVH_LISTING, QVH_DONE, QVH_FAILED };

#define QV_JOBS_MAX	1024
#define QV_REBUILD_MS	300	/* index rebuilt at most this often (plus
				 * 3x its cost) while a listing arrives */

struct queue_view {
	enum qv_mode mode;
	/* the messages, one list per host (owned), and the pointers the
	 * index reads */
	struct queue_list *lists;
	const struct queue_list **lp;
	size_t	nlists;
	unsigned char *hstate;		/* enum qv_host per host */
	char	**herr;			/* why a host's listing failed */
	int	listing;		/* listings in flight */
	int	changed;		/* lists changed since the index saw */
	int64_t	built_ms;		/* last index rebuild (clock_ms) */
	int64_t	build_cost_ms;		/* what it took */

	struct queue_index idx;
	int	all_hosts;		/* scope: 1 all, 0 the selected host */
	char	filter[256];
	struct queue_match *qm;
	long	sel, scroll;
	int	list_rows;		/* rows the list had at the last draw */

	/* the qshape sub-view */
	struct qshape shape;
	int	shape_ok, shape_stale, shape_scroll;

	/* postcat of one message */
	char	*cat;
	size_t	catlen;
	int	cat_lines, cat_scroll, cat_pending;
	char	cat_title[160];

	/* the operation running: one job per host */
	struct watch_queue_job *jobs[QV_JOBS_MAX];
	int	njobs;
	enum queue_op op;
};

/* view-queue.c */
/* The state (created on first use; NULL on ENOMEM). */
struct queue_view *queue_view_get(struct ui *u);
/* Lists the queues of the scope's hosts again (ready hosts only). */
void	queue_view_relist(struct ui *u);
/* Brings the index up to date (throttled while a listing arrives). */
void	queue_view_sync(struct ui *u, struct queue_view *q);
/* "age", "size", "host". */
const char *queue_sort_name(int s);
/* Selected message and its host; NULL none. */
const struct queue_msg *queue_view_selected(struct ui *u, int *host);

/* view-queue-draw.c */
void	queue_list_draw(struct ui *u, struct queue_view *q, int top, int h);
/* "Q: 12 messages on 3 hosts..." title line. */
void	queue_title_draw(struct ui *u, struct queue_view *q, int y);
/* view-queue-shape.c */
void	queue_shape_draw(struct ui *u, struct queue_view *q, int top, int h);
int	queue_shape_key(struct ui *u, struct queue_view *q, int ch);
/* view-queue-ops.c */
/* Tags, operations, postcat: returns 1 when ch was one of their keys. */
int	queue_ops_key(struct ui *u, struct queue_view *q, int ch);
void	queue_cat_draw(struct ui *u, struct queue_view *q, int top, int h);
int	queue_cat_key(struct ui *u, struct queue_view *q, int ch);

#endif
