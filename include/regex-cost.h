/* regex-cost.h: how big glibc's regcomp would make a POSIX extended
 * regular expression, estimated before it is compiled. glibc copies the
 * subtree of an atom for each repetition it must spell out ("a+" is "aa*",
 * "a{3}" is "aaa"), so "t+++++..." or "((a{9}){9}){9}" make trees that
 * grow by a factor at each level: the fuzzer's --match once took glibc past
 * 1 GiB. */
#ifndef RELAYTOP_REGEX_COST_H
#define RELAYTOP_REGEX_COST_H

#include <stddef.h>

/* Refused above this many estimated tree nodes. */
#define REGEX_COST_MAX	20000

/* The estimated node count of the ERE re (saturating at
 * REGEX_COST_MAX + 1). */
size_t	regex_cost(const char *re);

#endif
