/* probe-log.c: the maillog cursor (path, inode, offset, a fingerprint of
 * the bytes before it) and what of each log chunk the probe may consume:
 * only complete lines, nothing twice, on rotation the rest of the old inode
 * before the new file, and a file rewritten under the cursor from its
 * start. Pure functions. */
#include <string.h>

#include "probe.h"

static const char *const kind_names[CHUNK_KIND_MAX] = {
	[CHUNK_FIRST] = "first", [CHUNK_CUR] = "cur", [CHUNK_TRUNC] = "trunc",
	[CHUNK_OLD] = "old", [CHUNK_NEW] = "new", [CHUNK_PREV] = "prev",
};

enum chunk_kind
chunk_kind_parse(const char *s)
{
	int k;

	for (k = 0; k < CHUNK_KIND_MAX; k++)
		if (strcmp(s, kind_names[k]) == 0)
			return (enum chunk_kind)k;
	return CHUNK_KIND_MAX;
}

const char *
chunk_kind_name(enum chunk_kind k)
{
	return (unsigned)k < CHUNK_KIND_MAX ? kind_names[k] : "?";
}

/* Offset just past the last '\n' in d[from..len), or from when none. */
static size_t
after_last_nl(const char *d, size_t from, size_t len)
{
	size_t i;

	for (i = len; i > from; i--)
		if (d[i - 1] == '\n')
			return i;
	return from;
}

/* FNV-1a of the file bytes [from, to) of ch (its lead, then its data),
 * into *h; -1 when ch does not hold them all. */
static int
span_hash(const struct log_chunk *ch, size_t len, uint64_t from,
    uint64_t to, uint64_t *h)
{
	uint64_t lead_at = ch->start - ch->lead_len, x, v = 14695981039346656037u;
	unsigned char b;

	if (from < lead_at || to > ch->start + len)
		return -1;
	for (x = from; x < to; x++) {
		b = (unsigned char)(x < ch->start ?
		    ch->lead[x - lead_at] : ch->data[x - ch->start]);
		v = (v ^ b) * 1099511628211u;
	}
	*h = v;
	return 0;
}

/* The cursor's fingerprint from chunk ch (data len bytes taken into
 * account), or none when ch does not hold the bytes. */
static void
tail_note(struct log_cursor *cur, const struct log_chunk *ch, size_t len)
{
	uint64_t from = cur->off & ~(uint64_t)4095;

	cur->tail_len = 0;
	cur->tail_hash = 0;
	if (from < cur->off &&
	    span_hash(ch, len, from, cur->off, &cur->tail_hash) == 0)
		cur->tail_len = (uint32_t)(cur->off - from);
}

/* 1 when CHUNK_CUR ch (from the cursor) brings the bytes before the cursor
 * that the fingerprint says, or when there is nothing to compare (no
 * fingerprint, or a chunk read from its block's start: no lead). */
static int
tail_same(const struct log_cursor *cur, const struct log_chunk *ch)
{
	uint64_t h;

	if (cur->tail_len == 0 || ch->lead == NULL)
		return 1;
	return span_hash(ch, 0, ch->start - cur->tail_len, ch->start, &h) == 0 &&
	    h == cur->tail_hash;
}

static void
cursor_set(struct log_cursor *cur, const char *path, uint64_t ino,
    uint64_t off)
{
	size_t n = strlen(path);

	if (n >= sizeof(cur->path))
		n = sizeof(cur->path) - 1;
	memmove(cur->path, path, n);
	cur->path[n] = '\0';
	cur->ino = ino;
	cur->off = off;
}

int
log_cursor_take(struct log_cursor *cur, const char *path,
    const struct log_chunk *ch, size_t cap, size_t *skip, size_t *n)
{
	int same_path = strcmp(cur->path, path) == 0;
	size_t len = ch->len, s = 0, e;

	*skip = 0;
	*n = 0;
	if (ch->end < ch->start || ch->ino == 0)
		return -1;
	if (len > ch->end - ch->start)
		len = (size_t)(ch->end - ch->start);
	switch (ch->kind) {
	case CHUNK_PREV:
		/* only on first contact: the cursor is not on this log yet */
		if (same_path && cur->ino != 0)
			return -1;
		if (ch->start > 0) {
			const char *nl = memchr(ch->data, '\n', len);

			s = nl ? (size_t)(nl - ch->data) + 1 : len;
		}
		e = after_last_nl(ch->data, s, len);
		if (ch->start + len == ch->fsize && len == ch->end - ch->start)
			e = len;	/* read to its end: its last line too */
		*skip = s;
		*n = e - s;
		return 0;
	case CHUNK_FIRST:
		/* starts mid-line unless at 0: drop up to the first newline */
		if (ch->start > 0) {
			const char *nl = memchr(ch->data, '\n', len);

			s = nl ? (size_t)(nl - ch->data) + 1 : 0;
		}
		e = after_last_nl(ch->data, s, len);
		cursor_set(cur, path, ch->ino, ch->start + e);
		tail_note(cur, ch, len);
		*skip = s;
		*n = e - s;
		return 0;
	case CHUNK_CUR:
		if (!same_path || cur->ino != ch->ino || cur->off != ch->start)
			return -1;
		if (!tail_same(cur, ch)) {
			cur->off = 0;	/* rewritten: read it from 0 */
			cur->tail_len = 0;
			cur->tail_hash = 0;
			return -2;
		}
		break;
	case CHUNK_TRUNC:
		if (!same_path || cur->ino != ch->ino || ch->start != 0)
			return -1;
		break;
	case CHUNK_OLD:
		if (!same_path || cur->ino != ch->ino || cur->off != ch->start)
			return -1;
		break;
	case CHUNK_NEW:
		if (!same_path || ch->start != 0)
			return -1;
		break;
	default:
		return -1;
	}
	e = after_last_nl(ch->data, 0, len);
	if (ch->kind == CHUNK_OLD && ch->start + len == ch->fsize &&
	    len == ch->end - ch->start)
		e = len;	/* renamed away and read to its end */
	else if (e == 0 && cap > 0 && len >= cap)
		e = len;	/* one line longer than a whole read: cut */
	cursor_set(cur, path, ch->ino, ch->start + e);
	tail_note(cur, ch, len);
	*n = e;
	return 0;
}
