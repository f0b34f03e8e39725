/* regex-cost.h: how big glibc's regcomp would make a POSIX extended
 * regular expression, estimated before it is compiled. glibc copies the
 * subtree of an atom for each repetition it must spell out ("a+" is "aa*",
 * "a{3}" is "aaa"), so "t+++++..." or "((a{9}){9}){9}" make trees that
 * grow by a factor at each level: the fuzzer's --match once took glibc past
 * 1 GiB. */
#ifndef RELAYTOP_REGEX_COST_H
#define RELAYTOP_REGEX_COST_H

#include <stddef.h>

/* Refused above this many estimated tree nodes. Repetitions of
 * repetitions cost glibc's regexec far more than their nodes: "x++*+++..."
 * at 4139 nodes took 10 s and 860 MiB (the fuzzer, on Debian 13 past its
 * 1 GiB limit), at 1024 1.2 s and 280 MiB, at 512 0.4 s and 100 MiB. An
 * operator's expression costs tens ("[0-9A-F]{10,12}" is 12). */
#define REGEX_COST_MAX	1000

/* The estimated node count of the ERE re (saturating at
 * REGEX_COST_MAX + 1). */
size_t	regex_cost(const char *re);

#endif
