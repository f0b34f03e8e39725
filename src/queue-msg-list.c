/* queue-msg-list.c: the bounded list of queued messages, and the splitter
 * that turns a host's postqueue -j byte stream into lines while holding at
 * most one partial line. */
#include <stdlib.h>
#include <string.h>

#include "queue-msg.h"

void
queue_list_init(struct queue_list *l, size_t cap)
{
	memset(l, 0, sizeof(*l));
	l->cap = cap ? cap : QUEUE_LIST_CAP;
}

int
queue_list_take(struct queue_list *l, struct queue_msg *m)
{
	struct queue_msg *nv;
	size_t nc;

	if (l->n >= l->cap) {
		l->dropped++;
		queue_msg_clear(m);
		return 1;
	}
	if (l->n == l->cap_alloc) {
		nc = l->cap_alloc ? l->cap_alloc * 2 : 256;
		if (nc > l->cap)
			nc = l->cap;
		nv = realloc(l->v, nc * sizeof(*nv));
		if (nv == NULL) {
			queue_msg_clear(m);
			return -1;
		}
		l->v = nv;
		l->cap_alloc = nc;
	}
	l->v[l->n++] = *m;
	memset(m, 0, sizeof(*m));
	m->host = -1;
	return 0;
}

void
queue_list_clear(struct queue_list *l)
{
	size_t i, cap = l->cap;

	for (i = 0; i < l->n; i++)
		free(l->v[i].mem);
	free(l->v);
	queue_list_init(l, cap);
}

int
queue_lines_feed(struct queue_lines *s, const char *p, size_t n,
    queue_line_fn fn, void *arg)
{
	const char *end = p + n, *nl;
	size_t k, nc;
	char *nb;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		k = (size_t)((nl != NULL ? nl : end) - p);
		if (s->skipping) {
			if (nl == NULL)
				return 0;
			s->skipping = 0;
			p = nl + 1;
			continue;
		}
		if (nl != NULL && s->len == 0) {
			fn(arg, p, k);		/* whole line in the chunk */
			p = nl + 1;
			continue;
		}
		if (s->len + k > QMSG_LINE_MAX) {
			s->toolong++;
			s->len = 0;
			s->skipping = nl == NULL;
			p = nl != NULL ? nl + 1 : end;
			continue;
		}
		if (s->len + k + 1 > s->cap) {
			nc = s->cap ? s->cap : 4096;
			while (nc < s->len + k + 1)
				nc *= 2;
			if ((nb = realloc(s->buf, nc)) == NULL) {
				s->len = 0;
				s->skipping = nl == NULL;
				return -1;
			}
			s->buf = nb;
			s->cap = nc;
		}
		memcpy(s->buf + s->len, p, k);
		s->len += k;
		if (nl == NULL)
			return 0;
		fn(arg, s->buf, s->len);
		s->len = 0;
		p = nl + 1;
	}
	return 0;
}

void
queue_lines_end(struct queue_lines *s, queue_line_fn fn, void *arg)
{
	if (s->len > 0 && !s->skipping)
		fn(arg, s->buf, s->len);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}
