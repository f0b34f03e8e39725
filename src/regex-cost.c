/* regex-cost.c: the guard in front of regcomp for an ERE, in one walk: the
 * shape rules (no repetition of a repetition, no unbounded repetition of a
 * group holding one) and the size of the tree regcomp would build (an atom
 * 1, a group what its contents cost, a repetition multiplies what it
 * repeats by the copies glibc makes; alternatives and sequences add up;
 * saturating just above REGEX_COST_MAX). */
#include <ctype.h>
#include <stdlib.h>

#include "regex-cost.h"

#define DEPTH	64		/* groups deeper than this: past the bound */
#define SAT	(REGEX_COST_MAX + 1)
#define STR_(x)	#x
#define STR(x)	STR_(x)

/* What the last item of a level is: the one a repetition would repeat. */
enum item { IT_NONE, IT_ATOM, IT_REPEATED };

struct level {
	size_t	seq;		/* the cost of the level so far */
	size_t	last;		/* the cost of its last item */
	enum item item;
	int	last_unb;	/* the last item holds an unbounded repetition */
	int	any_unb;	/* the level holds one */
};

struct walk {
	struct level lv[DEPTH];
	int	d;
	enum regex_verdict shape;	/* the first shape rule broken */
	size_t	shape_at, shape_len;
	int	over;			/* the estimate passed the bound */
	size_t	over_at, over_len;
};

static size_t
add(size_t a, size_t b)
{
	return a + b > SAT ? SAT : a + b;
}

static size_t
mul(size_t a, size_t b)
{
	return b != 0 && a > SAT / b ? SAT : a * b;
}

/* Notes where the estimate first passes the bound: every level's cost ends
 * up in the total, so the total passes it too. */
static void
check_over(struct walk *w, size_t at, size_t len)
{
	if (!w->over && w->lv[w->d].seq > REGEX_COST_MAX) {
		w->over = 1;
		w->over_at = at;
		w->over_len = len;
	}
}

static void
atom(struct walk *w, size_t cost, int unb, size_t at, size_t len)
{
	struct level *l = &w->lv[w->d];

	l->last = cost;
	l->item = IT_ATOM;
	l->last_unb = unb;
	l->any_unb |= unb;
	l->seq = add(l->seq, cost);
	check_over(w, at, len);
}

/* The one repetition step: what the level's last item is, k times (the
 * copies glibc spells out), unbounded or not, by the operator at..len. */
static void
repeat(struct walk *w, size_t k, int unb, size_t at, size_t len)
{
	struct level *l = &w->lv[w->d];

	if (l->item == IT_NONE)		/* nothing to repeat: regcomp says */
		return;
	if (w->shape == REGEX_OK && (l->item == IT_REPEATED ||
	    (unb && l->last_unb))) {
		w->shape = l->item == IT_REPEATED ? REGEX_STACKED :
		    REGEX_NESTED;
		w->shape_at = at;
		w->shape_len = len;
	}
	l->seq = add(l->seq, mul(l->last, k - 1));
	l->last = mul(l->last, k);
	l->item = IT_REPEATED;
	l->last_unb |= unb;
	l->any_unb |= unb;
	check_over(w, at, len);
}

/* After '[' at p: the char past the closing ']' (or the end). */
static const char *
bracket_end(const char *p)
{
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	for (; *p != '\0' && *p != ']'; p++)
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			char c = p[1];

			for (p += 2; *p != '\0' && !(p[0] == c && p[1] == ']'); p++)
				;
			if (*p == '\0')
				return p;
			p++;
		}
	return *p == ']' ? p + 1 : p;
}

static size_t
bound(const char *p, char **e)
{
	unsigned long v = strtoul(p, e, 10);

	return v > SAT ? SAT : (size_t)v;
}

/* An interval at p ("{m}", "{m,}", "{m,n}", "{,n}", "{,}", as glibc reads
 * them): its copies (at least 1), *unb whether it has no upper bound, *end
 * past the '}'; 0 when it is no interval. */
static size_t
interval(const char *p, int *unb, const char **end)
{
	size_t m = 0, n;
	char *e = (char *)p + 1;

	if (isdigit((unsigned char)*e))
		m = bound(e, &e);
	else if (*e != ',')
		return 0;
	n = m;
	*unb = 0;
	if (*e == ',') {
		e++;
		if (isdigit((unsigned char)*e))
			n = bound(e, &e);
		else {
			n = add(m, 1);
			*unb = 1;
		}
	}
	if (*e != '}')
		return 0;
	*end = e + 1;
	return n > 0 ? n : 1;
}

static void
walk(const char *re, struct walk *w)
{
	const char *p = re, *e;
	struct level *l;
	size_t k, at;
	int unb;

	w->d = 0;
	w->lv[0] = (struct level){ 0, 0, IT_NONE, 0, 0 };
	w->shape = REGEX_OK;
	w->over = 0;
	while (*p != '\0') {
		at = (size_t)(p - re);
		l = &w->lv[w->d];
		switch (*p) {
		case '(':
			if (w->d + 1 >= DEPTH) {
				l->seq = SAT;
				check_over(w, at, 1);
				return;
			}
			w->lv[++w->d] = (struct level){ 0, 0, IT_NONE, 0, 0 };
			p++;
			continue;
		case ')':
			if (w->d == 0)		/* a literal ')' */
				break;
			k = l->seq > 0 ? l->seq : 1;
			unb = l->any_unb;
			w->d--;
			atom(w, k, unb, at, 1);
			p++;
			continue;
		case '|':
			l->last = 0;	/* the alternatives add up in seq */
			l->item = IT_NONE;
			l->last_unb = 0;
			p++;
			continue;
		case '*':
		case '?':
			repeat(w, 1, *p == '*', at, 1);
			p++;
			continue;
		case '+':
			repeat(w, 2, 1, at, 1);
			p++;
			continue;
		case '{':
			if ((k = interval(p, &unb, &e)) != 0) {
				repeat(w, k, unb, at, (size_t)(e - p));
				p = e;
				continue;
			}
			break;
		case '[':
			e = bracket_end(p + 1);
			atom(w, 1, 0, at, (size_t)(e - p));
			p = e;
			continue;
		case '\\':
			if (p[1] != '\0')
				p++;
			break;
		default:
			break;
		}
		atom(w, 1, 0, at, (size_t)(p - re) + 1 - at);
		p++;
	}
	/* Unclosed: regcomp refuses it, having built no more than the
	 * levels' parts, each within the bound; the estimate adds them. */
	while (w->d > 0) {
		k = w->lv[w->d].seq;
		w->d--;
		w->lv[w->d].seq = add(w->lv[w->d].seq, k);
	}
}

enum regex_verdict
regex_check(const char *re, size_t *at, size_t *len)
{
	struct walk w;

	walk(re, &w);
	if (w.shape != REGEX_OK) {
		*at = w.shape_at;
		*len = w.shape_len;
		return w.shape;
	}
	if (w.over) {
		*at = w.over_at;
		*len = w.over_len;
		return REGEX_COSTLY;
	}
	*at = *len = 0;
	return REGEX_OK;
}

const char *
regex_verdict_text(enum regex_verdict v)
{
	switch (v) {
	case REGEX_STACKED:
		return "repeats what is already repeated (like a++, a*?, "
		    "a{2}{3}): write one operator";
	case REGEX_NESTED:
		return "repeats without bound a group that already repeats "
		    "without bound (like (a+)+ or (a*b)*)";
	case REGEX_COSTLY:
		return "makes it too big for the matcher (past " STR(
		    REGEX_COST_MAX) " nodes, like ((a{9}){9}){9})";
	case REGEX_OK:
		break;
	}
	return "";
}

size_t
regex_cost(const char *re)
{
	struct walk w;

	walk(re, &w);
	return w.over ? SAT : w.lv[0].seq;
}
