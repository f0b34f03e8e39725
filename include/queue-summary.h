/* queue-summary.h: the queue summed up on the host by an awk program over
 * `postqueue -j`, so only a few hundred bytes come back instead of the
 * whole listing; parsed here into the same struct queue_summary. */
#ifndef RELAYTOP_QUEUE_SUMMARY_H
#define RELAYTOP_QUEUE_SUMMARY_H

#include <stddef.h>

#include "queue.h"

#define QUEUE_SUMMARY_MAX	(256u << 10)	/* whole output, bytes */
#define QUEUE_SUMMARY_LINE_MAX	4096		/* one line, '\n' included */

/* The POSIX awk program (mawk 1.3.4, gawk --posix, busybox awk), run as
 *   { postqueue -j; printf "\n#rc=%s\n" $?; } | LC_ALL=C awk "$qa"
 * (LC_ALL=C: it works on bytes; gawk in a UTF-8 locale would not). An
 * empty queue's summary (the five q lines, bytes 0, bad 0, rc N) the probe
 * script prints itself, without starting awk (src/remote/probe.sh, qs).
 * Input: postqueue -j lines, then "#rc=N". It judges each line as
 * queue_parse_json does (trailing ' '/'\r' cut, empty lines skipped, a line
 * over 8 MB, not one JSON object, or a record without a string queue_id or
 * with a missing/unknown queue_name is malformed; the JSON check covers
 * syntax, escapes, control characters, UTF-8, int64 and double range and
 * duplicates of the five keys it reads). It trusts postqueue's layout for
 * where keys sit (top-level keys at the top level, delay_reason only in
 * recipients) and tallies the first 64 distinct RAW reason texts where C
 * tallies the first 64 distinct sanitised ones (differs only past 64
 * distinct texts when raw variants sanitise alike).
 * Output, every line '\n'-terminated, in this order:
 *   q NAME COUNT OLDEST    5 lines: active deferred hold incoming maildrop;
 *                          OLDEST is the arrival_time, 0 when none
 *   bytes N                sum of positive integer message_size (exact)
 *   bad N                  malformed lines
 *   r COUNT RAW            0..64 lines, first-seen order: RAW is the
 *                          delay_reason as it is between the JSON quotes
 *                          (still escaped), cut to 255 bytes when it is
 *                          plain printable ASCII, else to 1600 bytes
 *   rc N                   postqueue's status; missing without "#rc="
 * and exits with postqueue's status (2 without "#rc="). At most
 * 5 * 40 + 64 * 1620 + 100 bytes whatever the input. */
const char	*queue_summary_awk(void);

/* Parses that output (untrusted remote bytes: every line is validated,
 * numbers are range-checked). Resets *q, sets *pq_rc to the rc line's
 * value (0..255) or -1. Reasons are JSON-unescaped (decoding stops at a
 * bad or cut escape) and go through the same tally as queue_parse_json
 * (sanitised, cut, grouped, top 5, ties alphabetical); bytes is taken
 * modulo 2^64 like queue_parse_json's sum. Returns 0 when the summary is
 * complete. Returns -1 with err "queue summary: line N: what" on any line
 * that breaks the format (unknown keyword, bad or overflowing number, a
 * line without '\n', a repeated line, over 64 reasons, data after rc),
 * when the rc line is missing (output cut short), or, as
 * queue_parse_json, when no line was a record but some were malformed
 * (*q and *pq_rc are filled then). */
int	queue_parse_summary(const char *buf, size_t len,
	    struct queue_summary *q, int *pq_rc, char *err, size_t errlen);

#endif
