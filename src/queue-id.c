/* queue-id.c: recognises Postfix queue ids, short and long, exactly as
 * mail_queue_enter() makes them (the forms are in include/queue-id.h).
 * Table-driven: this runs on every log line. */
#include "queue-id.h"

#define QC_HEX	1	/* 0-9 A-F: a short id's digit */
#define QC_SAFE	2	/* Postfix's 52-letter alphabet: no vowels */
#define QC_ALNUM 4	/* any other letter: ends no run, fits no id */

#define H	(QC_HEX | QC_SAFE)
static const unsigned char qc[256] = {
	['0'] = H, ['1'] = H, ['2'] = H, ['3'] = H, ['4'] = H, ['5'] = H,
	['6'] = H, ['7'] = H, ['8'] = H, ['9'] = H,
	['A'] = QC_HEX, ['B'] = H, ['C'] = H, ['D'] = H, ['E'] = QC_HEX,
	['F'] = H, ['G'] = QC_SAFE, ['H'] = QC_SAFE, ['I'] = QC_ALNUM,
	['J'] = QC_SAFE, ['K'] = QC_SAFE, ['L'] = QC_SAFE, ['M'] = QC_SAFE,
	['N'] = QC_SAFE, ['O'] = QC_ALNUM, ['P'] = QC_SAFE, ['Q'] = QC_SAFE,
	['R'] = QC_SAFE, ['S'] = QC_SAFE, ['T'] = QC_SAFE, ['U'] = QC_ALNUM,
	['V'] = QC_SAFE, ['W'] = QC_SAFE, ['X'] = QC_SAFE, ['Y'] = QC_SAFE,
	['Z'] = QC_SAFE,
	['a'] = QC_ALNUM, ['b'] = QC_SAFE, ['c'] = QC_SAFE, ['d'] = QC_SAFE,
	['e'] = QC_ALNUM, ['f'] = QC_SAFE, ['g'] = QC_SAFE, ['h'] = QC_SAFE,
	['i'] = QC_ALNUM, ['j'] = QC_SAFE, ['k'] = QC_SAFE, ['l'] = QC_SAFE,
	['m'] = QC_SAFE, ['n'] = QC_SAFE, ['o'] = QC_ALNUM, ['p'] = QC_SAFE,
	['q'] = QC_SAFE, ['r'] = QC_SAFE, ['s'] = QC_SAFE, ['t'] = QC_SAFE,
	['u'] = QC_ALNUM, ['v'] = QC_SAFE, ['w'] = QC_SAFE, ['x'] = QC_SAFE,
	['y'] = QC_SAFE, ['z'] = QC_SAFE,
};
#undef H

/* The alphabet is in ASCII order, so digit strings of one length compare
 * as their values do: each bound is a value encoded to its field width. */
#define SH_USEC_END	"F4240"		/* 1000000, "%05X" */
#define LG_USEC_END	"75pm"		/* 1000000, base 52 */
#define LG_SEC_MAX	"2Rbkh2p1XY8H"	/* 2^64-1, base 52 */
#define LG_INUM_MAX	"31wvQ2DWVjm0"	/* 2^64-1, base 51 */

/* p[0..n) against bound[0..n) in byte order: <0, 0, >0. Inline: libc's
 * memcmp costs a call on every log line for 4 or 5 bytes. */
static int
lex_cmp(const char *p, const char *bound, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != bound[i])
			return (unsigned char)p[i] < (unsigned char)bound[i] ?
			    -1 : 1;
	return 0;
}

/* p[0..n), all hex: 5 microsecond digits, then "%lX" of the inode. */
static int
short_ok(const char *p, size_t n)
{
	return n >= 6 && n <= 21 && lex_cmp(p, SH_USEC_END, 5) < 0 &&
	    (n == 6 || p[5] != '0');
}

/* p[0..n), all of the 52 letters, z its last 'z'. */
static int
long_ok(const char *p, const char *z, size_t n)
{
	size_t t = (size_t)(z - p), sec, inum = n - t - 1;

	if (t < 10 || t > 16 || inum > 12)
		return 0;
	sec = t - 4;
	if (sec > 6 && p[0] == '0')	/* padded to 6 only */
		return 0;
	if (sec == 12 && lex_cmp(p, LG_SEC_MAX, 12) > 0)
		return 0;
	if (lex_cmp(z - 4, LG_USEC_END, 4) >= 0)
		return 0;
	if (inum > 0 && z[1] == '0')	/* no padding at all */
		return 0;
	return inum < 12 || lex_cmp(z + 1, LG_INUM_MAX, 12) <= 0;
}

size_t
queue_id_len(const char *p, const char *end)
{
	const char *s, *z = NULL;
	const char *lim = end - p > QUEUE_ID_MAX ? p + QUEUE_ID_MAX + 1 : end;
	unsigned all = QC_HEX | QC_SAFE, k;
	size_t n;

	for (s = p; s < lim && (k = qc[(unsigned char)*s]) != 0; s++) {
		all &= k;
		if (*s == 'z')
			z = s;
	}
	n = (size_t)(s - p);
	if (n > QUEUE_ID_MAX)
		return 0;
	if (all & QC_HEX)
		return short_ok(p, n) ? n : 0;
	if ((all & QC_SAFE) && z != NULL && long_ok(p, z, n))
		return n;
	return 0;
}

int
queue_id_valid(const char *p, size_t n)
{
	return p != NULL && n > 0 && queue_id_len(p, p + n) == n;
}
