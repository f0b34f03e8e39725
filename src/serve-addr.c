/* serve-addr.c: the address of --serve: "[ADDR:]PORT" with loopback by
 * default and literals only, so serving never waits on DNS. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "parse-fields.h"
#include "serve.h"

int
serve_addr_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len,
    char *err, size_t errlen)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
	char host[64];
	const char *port, *colon;
	size_t hl;
	int p;

	memset(ss, 0, sizeof(*ss));
	if (s == NULL || s[0] == '\0') {
		snprintf(err, errlen, "--serve needs [ADDR:]PORT");
		return -1;
	}
	host[0] = '\0';
	if (s[0] == '[') {
		const char *end = strchr(s, ']');

		if (end == NULL || end[1] != ':' || (hl = (size_t)(end - s - 1))
		    == 0 || hl >= sizeof(host))
			goto bad;
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		port = end + 2;
	} else if ((colon = strrchr(s, ':')) != NULL) {
		hl = (size_t)(colon - s);
		if (hl == 0 || hl >= sizeof(host) || memchr(s, ':', hl))
			goto bad;
		memcpy(host, s, hl);
		host[hl] = '\0';
		port = colon + 1;
	} else
		port = s;
	if (pf_int_strict(port, 1, 65535, &p) != 0)
		goto bad;
	if (s[0] != '[' && (host[0] == '\0' ||
	    inet_pton(AF_INET, host, &v4->sin_addr) == 1)) {
		if (host[0] == '\0')
			v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)p);
		*len = sizeof(*v4);
		return 0;
	}
	if (s[0] == '[' && inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*v6);
		return 0;
	}
bad:
	snprintf(err, errlen, "bad --serve '%.80s' ([ADDR:]PORT: PORT 1..65535; "
	    "ADDR an IPv4 address or [IPv6]; 127.0.0.1 when left out)", s);
	return -1;
}
