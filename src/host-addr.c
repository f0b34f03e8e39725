/* host-addr.c: an inventory host's addresses (its SSH address when a
 * literal, plus its `addresses` key) and the question "is this address
 * one of this host's?", spelling-blind (zero compression, brackets, case,
 * IPv4-mapped IPv6) through cidr.c's parser. */
#include <string.h>
#include <strings.h>

#include "host-addr.h"
#include "postconf.h"

int
host_addr_list_valid(const char *value)
{
	const char *cur = value, *it;
	size_t n;
	int k = 0;
	struct cidr c;

	if (value == NULL)
		return 0;
	while (postconf_list_next(&cur, &it, &n)) {
		if (++k > HOST_ADDRS_MAX || cidr_parse_addr(it, n, &c) != 0)
			return 0;
	}
	return 1;
}

int
host_addrs(const struct host_config *h, struct cidr *out, int max)
{
	const char *cur, *it;
	size_t n;
	int k = 0;

	if (max <= 0)
		return 0;
	if (cidr_parse_addr(h->address, strlen(h->address), &out[k]) == 0)
		k++;
	cur = h->addresses;
	while (k < max && postconf_list_next(&cur, &it, &n))
		if (cidr_parse_addr(it, n, &out[k]) == 0)
			k++;
	return k;
}

int
host_addr_is(const struct host_config *h, const char *addr)
{
	struct cidr a, v[HOST_ADDRS_MAX + 1];
	size_t n;
	int i, k;

	if (addr == NULL || addr[0] == '\0')
		return 0;
	if (strcasecmp(h->address, addr) == 0)
		return 1;
	n = strlen(addr);
	if (n > 5 && strncasecmp(addr, "ipv6:", 5) == 0) {
		addr += 5;
		n -= 5;
	}
	/* a name, or a host with no literal address: nothing to compare */
	if ((h->addresses[0] == '\0' && !strchr(h->address, ':') &&
	    !strchr(addr, ':')) || cidr_parse_addr(addr, n, &a) != 0)
		return 0;
	k = host_addrs(h, v, HOST_ADDRS_MAX + 1);
	for (i = 0; i < k; i++)
		if (v[i].family == a.family &&
		    memcmp(v[i].addr, a.addr, 16) == 0)
			return 1;
	return 0;
}

int
host_addr_text(const struct host_config *h, int fam, char *buf, size_t len)
{
	struct cidr v[HOST_ADDRS_MAX + 1];
	int i, k = host_addrs(h, v, HOST_ADDRS_MAX + 1);

	for (i = 0; i < k; i++)
		if (v[i].family == fam)
			return cidr_format(&v[i], buf, len) < 0 ? -1 : 0;
	return -1;
}
