/* queue-match.h: the filter on queued messages that --queue --match and
 * the queue view's `/` share.
 *
 * An expression is words separated by blanks; a message matches when
 * every word matches (AND). A word is
 *   text      case-insensitive substring of the sender, a recipient, a
 *             recipient's or the sender's domain, a delay reason, or the
 *             queue id;
 *   /re/      a POSIX extended regular expression (regcomp REG_EXTENDED |
 *             REG_ICASE), searched in each of those texts; it runs to the
 *             next '/' that ends the expression or is followed by a blank,
 *             so it may hold blanks ("/connection (refused|timed out)/");
 *   FIELD:text or FIELD:/re/ with FIELD one of
 *             from     the sender ("from:<>" matches the null sender,
 *                      which postqueue -j shows as "" or MAILER-DAEMON)
 *             to       a recipient
 *             domain   a recipient's or the sender's domain, whole
 *                      (text: equal to it or a parent of it, so
 *                      domain:example.net matches a@mx.example.net)
 *             reason   a recipient's delay reason
 *             queue    the queue's name (active, deferred, hold...)
 *             id       the queue id (exact, case-sensitive)
 * A word with another NAME: before its text is plain text ("said:").
 * An empty expression matches everything. */
#ifndef RELAYTOP_QUEUE_MATCH_H
#define RELAYTOP_QUEUE_MATCH_H

#include <stddef.h>

#include "queue-msg.h"

#define QUEUE_MATCH_WORDS	16
#define QUEUE_MATCH_EXPR_MAX	1024

struct queue_match;

/* Compiles expr. Returns the filter, or NULL with err saying what and where
 * (a regex regcomp refuses, an unclosed or empty /re/, FIELD: with
 * nothing after it, too many words, too long; ENOMEM). */
struct queue_match *queue_match_new(const char *expr, char *err,
	    size_t errlen);
void	queue_match_free(struct queue_match *qm);

/* 1 when m matches (a NULL filter matches everything), else 0. */
int	queue_match(const struct queue_match *qm, const struct queue_msg *m);

#endif
