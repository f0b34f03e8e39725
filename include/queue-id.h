/* queue-id.h: the one recogniser of Postfix queue ids, used by every
 * parser (maillog lines, --log, "queued as", postqueue -p text) and by the
 * validation of an id that goes into a remote command. */
#ifndef RELAYTOP_QUEUE_ID_H
#define RELAYTOP_QUEUE_ID_H

#include <stddef.h>

/* Postfix (src/global/mail_queue.h, mail_queue_enter()) makes two forms:
 * - short: the microseconds as exactly 5 upper-case hex digits ("%05X",
 *   below F4240), then the inode number as "%lX" (1 to 16 digits, no
 *   leading zero): 6 to 21 characters, never a 'z';
 * - long (enable_long_queue_ids): the seconds in base 52 (6 or more
 *   characters, padded with '0' to 6), the microseconds in base 52 (exactly
 *   4, below 1000000), 'z', then the inode number in base 51 (no padding,
 *   so empty for inode 0). The base-52 alphabet is the digits and letters
 *   without vowels, "0-9 BCDFGHJKLMNPQRSTVWXYZ bcdfghjklmnpqrstvwxyz"; base
 *   51 leaves out its last letter 'z', so the separator is the LAST 'z' and
 *   the time part may itself hold 'z's. Fields are at most 64 bits wide:
 *   11 to 29 characters. */
#define QUEUE_ID_MAX	29
#define QUEUE_ID_SIZE	32	/* a buffer for any id and its NUL */

/* Length of the run of [0-9A-Za-z] at p (never reading p[QUEUE_ID_MAX+1]
 * or past end) when that run is a Postfix queue id; 0 when it is not (a
 * near miss, a vowel in a long id, a longer run). The caller checks what
 * follows the run (": " in a log line). */
size_t	queue_id_len(const char *p, const char *end);

/* 1 when p[0..n) is exactly one queue id, else 0. */
int	queue_id_valid(const char *p, size_t n);

#endif
