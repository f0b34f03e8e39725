/* regex-cost.c: the size of the tree regcomp would build for an ERE,
 * estimated by walking it once: an atom (a character, an escaped one, a
 * bracket expression) costs 1, a group what its contents cost, and a
 * repetition multiplies the atom before it by the copies glibc makes
 * ("+" 2, "{m}" m, "{m,}" m + 1, "{m,n}" n; "*" and "?" 1, or 2 on an
 * atom already repeated: "a????..." sends glibc's closure walk down a
 * chain that doubles at each "?"). Alternatives
 * and sequences add up. Saturates just above REGEX_COST_MAX. */
#include <ctype.h>
#include <stdlib.h>

#include "regex-cost.h"

#define DEPTH	64		/* groups deeper than this: refused */
#define SAT	(REGEX_COST_MAX + 1)

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

/* "{m}", "{m,}", "{m,n}" at p: the copies, and *end past the '}'; 0 with
 * *end = p when it is no interval. */
static size_t
interval(const char *p, const char **end)
{
	unsigned long m, n;
	char *e;

	*end = p;
	if (!isdigit((unsigned char)p[1]))
		return 0;
	m = strtoul(p + 1, &e, 10);
	n = m;
	if (*e == ',') {
		if (isdigit((unsigned char)e[1]))
			n = strtoul(e + 1, &e, 10);
		else {
			n = m + 1;
			e++;
		}
	}
	if (*e != '}')
		return 0;
	*end = e + 1;
	if (n > SAT)
		n = SAT;
	return n > 0 ? (size_t)n : 1;
}

size_t
regex_cost(const char *re)
{
	size_t seq[DEPTH], last[DEPTH], k;
	int rep[DEPTH];		/* the last atom already repeated */
	const char *p = re, *e;
	int d = 0;

	seq[0] = last[0] = 0;
	rep[0] = 0;
	while (*p != '\0') {
		switch (*p) {
		case '(':
			if (++d >= DEPTH)
				return SAT;
			seq[d] = last[d] = 0;
			rep[d] = 0;
			p++;
			continue;
		case ')':
			if (d == 0) {		/* a literal ')' */
				last[0] = 1;
				rep[0] = 0;
				seq[0] = add(seq[0], 1);
				p++;
				continue;
			}
			k = seq[d] > 0 ? seq[d] : 1;
			d--;
			last[d] = k;
			rep[d] = 0;
			seq[d] = add(seq[d], k);
			p++;
			continue;
		case '|':
			last[d] = 0;	/* the alternatives add up in seq */
			rep[d] = 0;
			p++;
			continue;
		case '*':
		case '?':
			/* one is free; on a repetition it doubles, as glibc's
			 * closure walk does ("a??????..." never ends) */
			if (rep[d]) {
				seq[d] = add(seq[d], last[d]);
				last[d] = mul(last[d], 2);
			}
			rep[d] = 1;
			p++;
			continue;
		case '+':
			seq[d] = add(seq[d], last[d]);
			last[d] = mul(last[d], 2);
			rep[d] = 1;
			p++;
			continue;
		case '{':
			if ((k = interval(p, &e)) != 0) {
				seq[d] = add(seq[d], mul(last[d], k - 1));
				last[d] = mul(last[d], k);
				rep[d] = 1;
				p = e;
				continue;
			}
			break;
		case '[':
			p = bracket_end(p + 1);
			last[d] = 1;
			rep[d] = 0;
			seq[d] = add(seq[d], 1);
			continue;
		case '\\':
			if (p[1] != '\0')
				p++;
			break;
		default:
			break;
		}
		last[d] = 1;
		rep[d] = 0;
		seq[d] = add(seq[d], 1);
		p++;
	}
	while (d > 0) {			/* unclosed: regcomp refuses it */
		k = seq[d];
		d--;
		seq[d] = add(seq[d], k);
	}
	return seq[0];
}
