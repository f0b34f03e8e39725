/* cidr.c: IPv4/IPv6 network parsing and matching for mynetworks checks.
 * Text is copied into a small bounded buffer and handed to inet_pton; the
 * prefix is parsed by hand so nothing reads past the caller's length. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "cidr.h"

static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0xff, 0xff };

int
cidr_bits(const struct cidr *c)
{
	return c->family == 4 ? 32 : 128;
}

int
cidr_host_bits(const struct cidr *c)
{
	return cidr_bits(c) - c->prefix;
}

static void
clear_host_bits(struct cidr *c)
{
	int bits = cidr_bits(c), i;

	for (i = c->prefix; i < bits; i++)
		c->addr[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
}

/* Parses a decimal prefix in s[0..n); -1 when not 0..max. */
static int
parse_prefix(const char *s, size_t n, int max)
{
	int v = 0;
	size_t i;

	if (n == 0 || n > 3)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

static int
parse(const char *s, size_t n, struct cidr *out, int allow_prefix)
{
	char buf[CIDR_TEXT_MAX];
	const char *slash, *a;
	size_t alen;
	int pfx = -1, bracket = 0;

	memset(out, 0, sizeof(*out));
	if (s == NULL || n == 0 || n >= CIDR_TEXT_MAX)
		return -1;
	slash = memchr(s, '/', n);
	if (slash && !allow_prefix)
		return -1;
	a = s;
	alen = slash ? (size_t)(slash - s) : n;
	if (alen >= 2 && a[0] == '[') {
		if (a[alen - 1] != ']')
			return -1;
		bracket = 1;
		a++;
		alen -= 2;
	}
	if (alen == 0 || alen >= sizeof(buf))
		return -1;
	memcpy(buf, a, alen);
	buf[alen] = '\0';
	if (!bracket && inet_pton(AF_INET, buf, out->addr) == 1)
		out->family = 4;
	else if (inet_pton(AF_INET6, buf, out->addr) == 1)
		out->family = 6;
	else
		return -1;
	if (slash) {
		pfx = parse_prefix(slash + 1, (size_t)(s + n - slash - 1),
		    cidr_bits(out));
		if (pfx < 0)
			return -1;
	}
	out->prefix = pfx < 0 ? cidr_bits(out) : pfx;
	if (out->family == 6 && memcmp(out->addr, v4mapped, 12) == 0 &&
	    out->prefix >= 96) {
		memmove(out->addr, out->addr + 12, 4);
		memset(out->addr + 4, 0, 12);
		out->family = 4;
		out->prefix -= 96;
	}
	clear_host_bits(out);
	return 0;
}

int
cidr_parse(const char *s, size_t n, struct cidr *out)
{
	return parse(s, n, out, 1);
}

int
cidr_parse_addr(const char *s, size_t n, struct cidr *out)
{
	return parse(s, n, out, 0);
}

/* Number of leading bits a and b share, up to max. */
static int
common_bits(const unsigned char *a, const unsigned char *b, int max)
{
	int i;

	for (i = 0; i < max; i++) {
		unsigned m = 0x80u >> (i % 8);

		if ((a[i / 8] & m) != (b[i / 8] & m))
			break;
	}
	return i;
}

int
cidr_contains(const struct cidr *net, const struct cidr *addr)
{
	if (net->family != addr->family || addr->prefix < net->prefix)
		return 0;
	return common_bits(net->addr, addr->addr, net->prefix) == net->prefix;
}

int
cidr_cover(const struct cidr *a, const struct cidr *b, struct cidr *out)
{
	int p;

	if (a->family != b->family)
		return -1;
	p = common_bits(a->addr, b->addr, cidr_bits(a));
	if (p > a->prefix)
		p = a->prefix;
	if (p > b->prefix)
		p = b->prefix;
	*out = *a;
	out->prefix = p;
	clear_host_bits(out);
	return 0;
}

int
cidr_is_loopback(const struct cidr *c)
{
	static const unsigned char v6lo[16] = { [15] = 1 };

	if (c->family == 4)
		return c->prefix >= 8 && c->addr[0] == 127;
	return c->prefix == 128 && memcmp(c->addr, v6lo, 16) == 0;
}

int
cidr_format(const struct cidr *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	int r;

	if (inet_ntop(c->family == 4 ? AF_INET : AF_INET6, c->addr, a,
	    sizeof(a)) == NULL)
		return -1;
	if (c->prefix == cidr_bits(c))
		r = snprintf(buf, len, c->family == 4 ? "%s" : "[%s]", a);
	else
		r = snprintf(buf, len, c->family == 4 ? "%s/%d" : "[%s]/%d",
		    a, c->prefix);
	return r < 0 || (size_t)r >= len ? -1 : r;
}
