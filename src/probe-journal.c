/* probe-journal.c: what of journalctl's answer the probe takes: entries
 * only, the cursor's own entry not twice (journalctl --cursor= prints it
 * again while it exists), the new cursor and its entry's hash kept.
 * A pure function over bounded bytes. */
#include <string.h>

#include "probe.h"

#define CURSOR_TAG	"-- cursor: "
#define CURSOR_TAG_LEN	(sizeof(CURSOR_TAG) - 1)

/* FNV-1a, 64 bits: tells the cursor's entry from another one. */
static uint64_t
line_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void
journal_take(struct journal_pos *jp, const char *d, size_t n, size_t *skip,
    size_t *len)
{
	const char *cur = NULL;
	size_t i = 0, end = 0, first_end = 0, curlen = 0;
	uint64_t last = 0;
	int entries = 0, dup = 0;

	*skip = 0;
	*len = 0;
	while (i < n) {
		const char *nl = memchr(d + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - d) : n, ln = e - i;

		if (ln >= CURSOR_TAG_LEN &&
		    memcmp(d + i, CURSOR_TAG, CURSOR_TAG_LEN) == 0) {
			cur = d + i + CURSOR_TAG_LEN;
			curlen = ln - CURSOR_TAG_LEN;
			break;		/* journalctl prints it last */
		}
		/* an entry starts with its date; blank-led lines continue
		 * one, "-- ..." lines are journalctl's own */
		if (ln > 0 && d[i] != ' ' && d[i] != '\t' &&
		    !(ln >= 2 && d[i] == '-' && d[i + 1] == '-')) {
			last = line_hash(d + i, ln);
			if (entries == 0)
				dup = jp->cursor[0] != '\0' && jp->have_last &&
				    last == jp->last;
			else if (entries == 1)
				first_end = i;
			entries++;
		}
		i = nl ? e + 1 : n;
		end = i;
	}
	if (entries == 0)
		return;
	if (dup)
		*skip = entries > 1 ? first_end : end;
	*len = end - *skip;
	if (cur != NULL && curlen < sizeof(jp->cursor)) {
		char buf[sizeof(jp->cursor)];

		memcpy(buf, cur, curlen);
		buf[curlen] = '\0';
		if (probe_valid_journal_cursor(buf)) {
			memcpy(jp->cursor, buf, curlen + 1);
			jp->last = last;
			jp->have_last = 1;
		}
	}
}
