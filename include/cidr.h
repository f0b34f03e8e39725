/* cidr.h: IPv4 and IPv6 addresses and networks as Postfix writes them in
 * mynetworks ("172.16.10.0/24", "127.0.0.1", "[::1]/128", "[fe80::]/64"),
 * with containment, size and covering-block arithmetic. Bounded parsing. */
#ifndef RELAYTOP_CIDR_H
#define RELAYTOP_CIDR_H

#include <stddef.h>

#define CIDR_TEXT_MAX	64	/* longest text cidr_parse looks at */

struct cidr {
	int	family;		/* 4 or 6 */
	unsigned char addr[16];	/* network order; IPv4 uses the first 4 */
	int	prefix;		/* 0..32 or 0..128 */
};

/* Parses s[0..n) as an address or address/prefix, IPv6 with or without
 * [brackets] ("[::1]/128", "::1/128", "[::1]"). IPv4-mapped IPv6 networks
 * (::ffff:a.b.c.d/96+) become IPv4. Host bits past the prefix are cleared.
 * Returns 0, or -1 when s is not an address (a name, a table, junk). Never
 * reads past n. */
int	cidr_parse(const char *s, size_t n, struct cidr *out);

/* Same, but only a plain address (no /prefix); prefix is set to the full
 * width. */
int	cidr_parse_addr(const char *s, size_t n, struct cidr *out);

/* 1 when addr (any prefix) lies inside net; 0 otherwise, also across
 * families. */
int	cidr_contains(const struct cidr *net, const struct cidr *addr);

/* Width in bits of the family (32 or 128). */
int	cidr_bits(const struct cidr *c);

/* log2 of the number of addresses the network covers (bits - prefix). */
int	cidr_host_bits(const struct cidr *c);

/* The smallest network containing both a and b (same family). Returns 0,
 * -1 when the families differ. */
int	cidr_cover(const struct cidr *a, const struct cidr *b,
	    struct cidr *out);

/* 1 when the network is inside loopback (127.0.0.0/8 or ::1). */
int	cidr_is_loopback(const struct cidr *c);

/* Writes "a.b.c.d/p" or "[v6]/p" (prefix omitted when full width).
 * Returns the length, or -1 when it does not fit. */
int	cidr_format(const struct cidr *c, char *buf, size_t len);

#endif
