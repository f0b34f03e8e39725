/* regex-cost.h: whether a POSIX extended regular expression is safe to
 * hand to glibc's regcomp, decided before it is compiled. glibc copies the
 * subtree of an atom for each repetition it must spell out ("a+" is "aa*",
 * "a{3}" is "aaa"), so "t+++++..." or "((a{9}){9}){9}" make trees that
 * grow by a factor at each level: the fuzzer's --match once took glibc past
 * 1 GiB, and "x++*+++..." or "i+????...+" took regcomp/regexec 10 s and
 * more. The rules, on the shape first and then on the size:
 *   - a repetition operator ("*", "+", "?", "{m}", "{m,}", "{m,n}",
 *     "{,n}") may not repeat what is already repeated: "a++", "a*?",
 *     "a?*", "a+{2}", "a{2}{3}" are refused (write one operator);
 *   - an unbounded repetition ("*", "+", "{m,}") may not repeat a group
 *     that holds an unbounded repetition, at any depth: "(a+)+", "(a*b)*",
 *     "((a+)b)+" are refused, the classic catastrophic shape; a bounded
 *     one may ("(a+)?", "(a*){2}"), and so may an unbounded one of a group
 *     with only bounded ones ("(a?)*", "(ab{2})+");
 *   - what passes both is refused when its estimated tree passes
 *     REGEX_COST_MAX nodes ("((a{30}){30}){30}", "(a|b){20000}"). */
#ifndef RELAYTOP_REGEX_COST_H
#define RELAYTOP_REGEX_COST_H

#include <stddef.h>

/* Refused above this many estimated tree nodes. Repetitions of
 * repetitions cost glibc's regexec far more than their nodes: "x++*+++..."
 * at 4139 nodes took 10 s and 860 MiB (the fuzzer, on Debian 13 past its
 * 1 GiB limit), at 1024 1.2 s and 280 MiB, at 512 0.4 s and 100 MiB. An
 * operator's expression costs tens ("[0-9A-F]{10,12}" is 12). */
#define REGEX_COST_MAX	1000

enum regex_verdict {
	REGEX_OK,
	REGEX_STACKED,		/* a repetition of a repetition: "a++" */
	REGEX_NESTED,		/* unbounded of unbounded: "(a+)+" */
	REGEX_COSTLY,		/* past REGEX_COST_MAX nodes */
};

/* Checks the ERE re. REGEX_OK when regcomp may have it; otherwise why not,
 * with *at the offset in re of the repetition operator refused (for
 * REGEX_COSTLY the operator or atom where the estimate passed the bound)
 * and *len its length in bytes ("{2,3}" is 5). Leaves syntax errors to
 * regcomp. */
enum regex_verdict regex_check(const char *re, size_t *at, size_t *len);

/* One phrase saying why a verdict refuses, with an example, to follow the
 * operator in an error message; "" for REGEX_OK. */
const char	*regex_verdict_text(enum regex_verdict v);

/* The estimated node count of the ERE re (saturating at
 * REGEX_COST_MAX + 1): an atom 1, a group its contents, a repetition
 * multiplies what it repeats by the copies glibc makes. */
size_t	regex_cost(const char *re);

#endif
