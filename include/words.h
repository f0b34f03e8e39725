/* words.h: the words every view and output uses for a host's state, an
 * age, a time, a log event and the findings that name a host or an edge,
 * so each says the same thing the same way, readable without colour. No
 * curses: a tone says how the words feel; ui/ turns it into a colour. */
#ifndef RELAYTOP_WORDS_H
#define RELAYTOP_WORDS_H

#include <stddef.h>
#include <time.h>

#include "check.h"
#include "model.h"

enum word_tone { TONE_NORMAL = 0, TONE_GOOD, TONE_WARN, TONE_BAD, TONE_DIM,
	TONE_ACCENT };

/* "up", "stale 42s", "unreachable", "host key changed", "no permission",
 * "postfix stopped"... into buf. */
const char *host_state_text(const struct host *h, time_t now, char *buf,
	    size_t len);
/* The tone of the same state. */
enum word_tone host_tone(const struct host *h, time_t now);
/* "42s", "3m", "2h", "5d" (negative ages count as 0). */
const char *age_text(time_t age, char *buf, size_t len);
/* "15:51:44" (today) or "Nov 27 15:51" into buf; "--:--:--" for t <= 0. */
const char *clock_text(time_t t, time_t now, char *buf, size_t len);
/* One line for an event: "<qid> <status> to=<..> relay=.. dsn=.. (reason)"
 * or "<qid> <kind>: text"; its tone in *tn (may be NULL). */
const char *event_text(const struct ev_rec *e, char *buf, size_t len,
	    enum word_tone *tn);
/* Case-insensitive substring test; "" matches everything. */
int	text_match(const char *hay, const char *needle);
/* The inventory name of host index host, "?" when none. */
const char *host_name(const struct model *m, int host);

/* Findings of fs (NULL: none) that name host with severity WARNING or
 * worse; the worst in *worst (CRITICAL > UNKNOWN > WARNING; may be NULL). */
int	host_findings(const struct findings *fs, int host, enum severity *worst);
/* Findings naming both ends of an edge (host indexes; to < 0: none). */
int	edge_findings(const struct findings *fs, int from, int to,
	    enum severity *worst);

#endif
