/* host-addr.h: every address an inventory host answers on: its SSH address
 * when that is an IP literal, then the literals of its `addresses` key (the
 * other family of a dual-stack host, other interfaces). The one place that
 * says whether an address a log line or a setting names is this host's. */
#ifndef RELAYTOP_HOST_ADDR_H
#define RELAYTOP_HOST_ADDR_H

#include <stddef.h>

#include "cidr.h"
#include "config.h"

#define HOST_ADDRS_MAX	8	/* literals in an `addresses` value */

/* 1 when value is a list (commas and/or spaces) of at most HOST_ADDRS_MAX
 * IPv4 or IPv6 addresses, IPv6 with or without [brackets], no /prefix, no
 * names; "" is valid (none). 0 otherwise. */
int	host_addr_list_valid(const char *value);

/* Fills out[0..max) with h's addresses (address first, when a literal).
 * Returns how many. Never more than max. */
int	host_addrs(const struct host_config *h, struct cidr *out, int max);

/* 1 when addr (text as a log line or a setting writes it: "172.16.1.11",
 * "fd16:172::1:11", "[fd16:0172:0::1:11]", "ipv6:...") is one of h's
 * addresses (any spelling of the same address), or equals its address
 * text (a name) ignoring case. 0 otherwise. */
int	host_addr_is(const struct host_config *h, const char *addr);

/* The first of h's addresses of family fam (4 or 6) as mynetworks writes
 * it ("172.16.10.5", "[fd16:172::10:5]") into buf; 0, or -1 when h has
 * none of that family or it does not fit. */
int	host_addr_text(const struct host_config *h, int fam, char *buf,
	    size_t len);

#endif
