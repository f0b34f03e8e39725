/* queue-format.h: a queued message as --queue prints it: one text line,
 * or one JSON object (assets/json-format.md, "--queue"). */
#ifndef RELAYTOP_QUEUE_FORMAT_H
#define RELAYTOP_QUEUE_FORMAT_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#include "queue-msg.h"

/* "2026-11-28T01:28:41Z" (UTC), "-" when t is 0. */
void	queue_time_iso(char *buf, size_t len, time_t t);

/* "HOST QUEUE ID ARRIVAL SIZE <sender> -> <rcpt> (reason), <rcpt>", cut
 * to len-1 (the "N more" of recipients not kept at the end). The
 * message's text is already sanitised. */
void	queue_msg_line(char *buf, size_t len, const struct queue_msg *m,
	    const char *host);

/* {"host", "queue", "id", "arrival", "arrival_iso", "size", "sender",
 * "recipients": [{"address", "reason"}], "recipients_total"}; a new
 * reference, NULL on ENOMEM. */
json_t	*queue_msg_json(const struct queue_msg *m, const char *host);

#endif
