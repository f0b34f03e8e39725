/* queue-msg.h: one queued message as `postqueue -j` (Postfix 3.1+) tells
 * it, parsed and sanitised, a bounded list of them, and a line splitter
 * that turns a byte stream (one host's postqueue -j, arriving in chunks)
 * into lines without holding more than one line. The queue view, the
 * command line's --queue and the queue operations all read these. */
#ifndef RELAYTOP_QUEUE_MSG_H
#define RELAYTOP_QUEUE_MSG_H

#include <stddef.h>
#include <time.h>

#include "queue-id.h"
#include "queue.h"

#define QMSG_ADDR_MAX	320	/* an address kept, sanitised, cut */
#define QMSG_REASON_MAX	512	/* a delay_reason kept, sanitised, cut */
#define QMSG_RCPT_KEEP	64	/* recipients kept per message */
#define QMSG_LINE_MAX	(4u << 20)	/* a longer postqueue -j line: bad */

struct queue_rcpt {
	const char *addr;	/* sanitised; never NULL ("" none) */
	const char *reason;	/* delay_reason, sanitised; "" none */
};

/* One message. Strings point into mem, which the message owns: a
 * queue_msg may be copied by value (the copy takes the ownership; free one
 * of them only). */
struct queue_msg {
	int	host;			/* inventory index; -1 not set */
	enum queue_name queue;
	char	id[QUEUE_ID_SIZE];	/* a valid Postfix queue id */
	time_t	arrival;		/* pf_time_clamp'ed; 0 unknown */
	unsigned long long size;	/* message_size; 0 unknown */
	const char *sender;		/* sanitised; "" the null sender <> */
	unsigned nrcpt;			/* recipients in rcpt[] */
	unsigned nrcpt_all;		/* recipients in the record (more
					 * than QMSG_RCPT_KEEP: not kept) */
	const struct queue_rcpt *rcpt;
	void	*mem;			/* owns rcpt and every string */
};

/* Parses one postqueue -j line (no newline needed; never reads past len)
 * into *m for host. Returns 0; -1 with a message in err (what is wrong,
 * the line's first bytes sanitised) when the line is not a message record:
 * not JSON, no known queue_name, a queue_id that is no Postfix queue id,
 * a line over QMSG_LINE_MAX. *m is zeroed first and owns nothing on -1. */
int	queue_msg_parse(const char *line, size_t len, int host,
	    struct queue_msg *m, char *err, size_t errlen);

/* Frees what m owns and zeroes it. NULL: no-op. */
void	queue_msg_clear(struct queue_msg *m);

/* Deep copy of src into *dst (its own mem). 0, -1 on ENOMEM. */
int	queue_msg_copy(struct queue_msg *dst, const struct queue_msg *src);

/* 1 when id is a long queue id (enable_long_queue_ids: holds a 'z'),
 * 0 a short one (reused by Postfix once the inode is reused). */
int	queue_id_is_long(const char *id);

/* The domain of addr (after its last '@'), "" when none. Borrowed. */
const char *queue_addr_domain(const char *addr);

/* --- a bounded list ------------------------------------------------------ */

/* Up to cap messages; those past cap are counted in dropped, not kept. */
struct queue_list {
	struct queue_msg *v;
	size_t	n, cap_alloc, cap;
	size_t	dropped;
};

/* An empty list keeping at most cap (0: QUEUE_LIST_CAP) messages. */
#define QUEUE_LIST_CAP	200000
void	queue_list_init(struct queue_list *l, size_t cap);
/* Takes m (moved in: *m is zeroed). Returns 0 kept, 1 dropped (the list
 * is full: m freed, dropped counted), -1 ENOMEM (m freed). */
int	queue_list_take(struct queue_list *l, struct queue_msg *m);
/* Frees every message; the list is empty again (cap kept). */
void	queue_list_clear(struct queue_list *l);

/* --- lines from a stream ------------------------------------------------- */

/* Splits chunks into lines; keeps one partial line at most (a line longer
 * than QMSG_LINE_MAX is skipped to its newline and counted in toolong). */
struct queue_lines {
	char	*buf;
	size_t	len, cap;
	int	skipping;		/* inside a too-long line */
	unsigned long toolong;
};

typedef void (*queue_line_fn)(void *arg, const char *line, size_t len);

/* Feeds p[0..n); fn gets each complete line (without '\n'). Returns 0,
 * -1 on ENOMEM (the partial line is dropped). */
int	queue_lines_feed(struct queue_lines *s, const char *p, size_t n,
	    queue_line_fn fn, void *arg);
/* The last line when it had no newline; then frees the buffer. */
void	queue_lines_end(struct queue_lines *s, queue_line_fn fn, void *arg);

#endif
