/* model-match.c: the one host matcher: which inventory host a relay=
 * NAME[ADDR] of a log line, or a host named in a setting, stands for. The
 * trace, the topology and the event words all ask here, so they never map
 * one relay to two hosts. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "host-addr.h"
#include "model.h"

static int
given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* Host i is named by name: its inventory name, else its myhostname. */
static int
names(const struct model *m, size_t i, const char *name)
{
	const char *mh;

	if (!given(name))
		return 0;
	if (strcasecmp(m->hosts[i].cfg->name, name) == 0)
		return 1;
	mh = host_setting(&m->hosts[i], "myhostname");
	return mh[0] != '\0' && strcasecmp(mh, name) == 0;
}

int
model_match_host(const struct model *m, const char *name, const char *addr)
{
	size_t i;
	int first = -1;

	if (given(name) && strcmp(name, "none") == 0)
		name = NULL;		/* relay=none: Postfix's "no relay" */
	if (given(addr)) {
		for (i = 0; i < m->n; i++) {
			if (!host_addr_is(m->hosts[i].cfg, addr))
				continue;
			if (names(m, i, name))
				return (int)i;	/* of several, the one named */
			if (first < 0)
				first = (int)i;
		}
		if (first >= 0)
			return first;
	}
	if (!given(name))
		return -1;
	for (i = 0; i < m->n; i++)
		if (host_addr_is(m->hosts[i].cfg, name))
			return (int)i;
	for (i = 0; i < m->n; i++)
		if (strcasecmp(m->hosts[i].cfg->name, name) == 0)
			return (int)i;
	for (i = 0; i < m->n; i++)
		if (names(m, i, name))
			return (int)i;
	return -1;
}

int
model_match_relay(const struct model *m, const char *relay,
    const char *relay_addr)
{
	char name[256];
	const char *br;
	size_t n;

	if (relay == NULL)
		relay = "";
	br = strchr(relay, '[');
	n = br != NULL ? (size_t)(br - relay) : strlen(relay);
	if (n >= sizeof(name))
		n = 0;			/* no host has a name that long */
	memcpy(name, relay, n);
	name[n] = '\0';
	return model_match_host(m, name, relay_addr);
}
