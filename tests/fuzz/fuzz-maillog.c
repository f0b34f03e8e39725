/* fuzz-maillog.c: libFuzzer harness for the maillog parser and the log
 * summary: each input line is parsed (spans must stay inside the line),
 * the whole input as one line, and the input fed to logsum_feed. A custom
 * mutator adds log-aware mutations (drop, repeat or swap a space-separated
 * field, cut a line after a field) to libFuzzer's own: a Postfix line is a
 * row of fields, and "the first token is there, the next is missing" is
 * the class of bug it hunts (it found "host said: x" in seconds, where
 * byte mutations did not in minutes). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "logsum.h"

static void
span_inside(const struct span *s, const char *p, size_t n)
{
	if (s->n == 0)
		return;
	if (s->p < p || s->p + s->n > p + n)
		abort();
}

static void
check(const char *p, size_t n)
{
	struct mail_event ev;
	char *copy = malloc(n ? n : 1);

	/* An exactly sized copy: ASan sees any read past n. */
	memcpy(copy, p, n);
	if (maillog_parse_line(copy, n, 2026, &ev) == 0) {
		span_inside(&ev.host, copy, n);
		span_inside(&ev.prog, copy, n);
		span_inside(&ev.service, copy, n);
		span_inside(&ev.qid, copy, n);
		span_inside(&ev.to, copy, n);
		span_inside(&ev.orig_to, copy, n);
		span_inside(&ev.from, copy, n);
		span_inside(&ev.relay, copy, n);
		span_inside(&ev.relay_name, copy, n);
		span_inside(&ev.relay_addr, copy, n);
		span_inside(&ev.dsn, copy, n);
		span_inside(&ev.reason, copy, n);
		span_inside(&ev.queued_as, copy, n);
		span_inside(&ev.client_name, copy, n);
		span_inside(&ev.client_addr, copy, n);
		span_inside(&ev.message_id, copy, n);
		span_inside(&ev.text, copy, n);
		if ((unsigned)ev.kind >= EV_KIND_MAX ||
		    (unsigned)ev.status >= ST_MAX)
			abort();
		(void)maillog_reason_is_loop(&ev);
	}
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct logsum sum;
	static int ready;
	const char *p = (const char *)data, *end = p + size, *nl;

	if (!ready) {
		if (logsum_init(&sum, 2026) < 0)
			abort();
		ready = 1;
	}
	check(p, size);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		check(p, (size_t)((nl ? nl : end) - p));
		p = nl ? nl + 1 : end;
	}
	logsum_feed(&sum, (const char *)data, size);
	return 0;
}

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

/* The n-th field (0-based) of data: [*a, *b), b after its trailing spaces;
 * fields are separated by spaces and newlines. Returns 0 when there are
 * fewer fields. */
static int
field_at(const uint8_t *data, size_t size, unsigned n, size_t *a, size_t *b)
{
	size_t i = 0;

	for (;;) {
		while (i < size && (data[i] == ' ' || data[i] == '\n'))
			i++;
		if (i >= size)
			return 0;
		*a = i;
		while (i < size && data[i] != ' ' && data[i] != '\n')
			i++;
		while (i < size && data[i] == ' ')
			i++;
		*b = i;
		if (n-- == 0)
			return 1;
	}
}

static unsigned
fields(const uint8_t *data, size_t size)
{
	size_t a, b;
	unsigned n = 0;
	size_t i = 0;

	/* one pass: count the starts of fields */
	for (i = 0; i < size && n < 4096; i++)
		if (data[i] != ' ' && data[i] != '\n' && (i == 0 ||
		    data[i - 1] == ' ' || data[i - 1] == '\n'))
			n++;
	(void)a;
	(void)b;
	return n;
}

size_t
LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
    unsigned int seed)
{
	static uint8_t tmp[65536];
	unsigned nf, k, j, op = seed % 8;
	size_t a, b, c, d, n;

	seed /= 8;
	if (op >= 4 || size == 0 || (nf = fields(data, size)) == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	k = seed % nf;
	if (!field_at(data, size, k, &a, &b))
		return LLVMFuzzerMutate(data, size, max_size);
	switch (op) {
	case 0:		/* drop field k */
		memmove(data + a, data + b, size - b);
		return size - (b - a);
	case 1:		/* repeat field k */
		n = b - a;
		if (size + n > max_size || size > sizeof(tmp))
			return size;
		memcpy(tmp, data + a, n);
		memmove(data + b + n, data + b, size - b);
		memcpy(data + b, tmp, n);
		return size + n;
	case 2:		/* swap field k with field j */
		j = (seed / nf) % nf;
		if (j == k || !field_at(data, size, j, &c, &d))
			return LLVMFuzzerMutate(data, size, max_size);
		if (j < k) {
			size_t t;

			t = a; a = c; c = t;
			t = b; b = d; d = t;
		}
		/* [a,b) before [c,d): build a' = [c,d) [b,c) [a,b) */
		if (d - a > sizeof(tmp))
			return size;
		n = 0;
		memcpy(tmp + n, data + c, d - c);
		n += d - c;
		memcpy(tmp + n, data + b, c - b);
		n += c - b;
		memcpy(tmp + n, data + a, b - a);
		memcpy(data + a, tmp, d - a);
		return size;
	default:	/* cut after field k */
		return b;
	}
}
