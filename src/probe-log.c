/* probe-log.c: the maillog cursor (path, inode, offset) and what of each log
 * chunk the probe may consume: only complete lines, nothing twice, and on
 * rotation the rest of the old inode before the new file. Pure functions. */
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
		*skip = s;
		*n = e - s;
		return 0;
	case CHUNK_CUR:
		if (!same_path || cur->ino != ch->ino || cur->off != ch->start)
			return -1;
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
	*n = e;
	return 0;
}
