/* ssh-config-jump.c: ssh's ProxyJump ("[user@]host[:port],...") onto
 * relaytop's `jump` key. A jump in relaytop is another host of the
 * inventory, so every hop must be one; a chain a,b must agree with the
 * inventory (b's own jump is a), as ssh itself would go that way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "ssh-config.h"

struct hop {
	char	user[CFG_ADDR_MAX];
	char	host[CFG_ADDR_MAX];
	int	port;			/* 0: not given */
};

/* The i-th hop (0-based) of pj into *hp; returns the number of hops. */
static int
hop_at(const char *pj, int want, struct hop *hp, char *shown, size_t slen)
{
	const char *p = pj, *e, *at, *colon;
	char buf[CFG_PATH_MAX];
	int i = 0;
	size_t n;

	for (;;) {
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (i == want && hp != NULL && n < sizeof(buf)) {
			memcpy(buf, p, n);
			buf[n] = '\0';
			sanitize_copy(shown, slen, buf, n);
			memset(hp, 0, sizeof(*hp));
			p = buf;
			if (strncmp(p, "ssh://", 6) == 0)
				p += 6;
			if ((at = strrchr(p, '@')) != NULL) {
				snprintf(hp->user, sizeof(hp->user), "%.*s",
				    (int)(at - p), p);
				p = at + 1;
			}
			if (p[0] == '[' && (e = strchr(p, ']')) != NULL) {
				snprintf(hp->host, sizeof(hp->host), "%.*s",
				    (int)(e - p - 1), p + 1);
				colon = e[1] == ':' ? e + 1 : NULL;
			} else {
				colon = strchr(p, ':');
				if (colon != NULL && strchr(colon + 1, ':'))
					colon = NULL;	/* a bare IPv6 */
				snprintf(hp->host, sizeof(hp->host), "%.*s",
				    (int)(colon ? (size_t)(colon - p) :
				    strlen(p)), p);
			}
			hp->port = colon ? atoi(colon + 1) : 0;
			return want + 1;
		}
		i++;
		if (e == NULL)
			return i;
		p = e + 1;
	}
}

/* The inventory host a hop names, or -1 (-2: several by address). */
static int
hop_host(const struct hop *hp, const struct host_config *hosts, size_t n)
{
	size_t i;
	int found = -1;

	for (i = 0; i < n; i++)
		if (strcmp(hosts[i].name, hp->host) == 0)
			return (int)i;
	for (i = 0; i < n; i++)
		if (strcmp(hosts[i].address, hp->host) == 0) {
			if (found >= 0)
				return -2;
			found = (int)i;
		}
	return found;
}

/* Index of hop i of pj in hosts, or -1 with what. */
static int
resolve(const char *pj, int i, const struct host_config *hosts, size_t n,
    size_t self, char *what, size_t whatlen)
{
	struct hop hp;
	char shown[80];
	int j;

	hop_at(pj, i, &hp, shown, sizeof(shown));
	j = hop_host(&hp, hosts, n);
	if (j == -2) {
		snprintf(what, whatlen, "[%s]: ssh ProxyJump hop '%s' is the "
		    "address of several hosts; name one in jump",
		    hosts[self].name, shown);
		return -1;
	}
	if (j < 0) {
		snprintf(what, whatlen, "[%s]: ssh ProxyJump hop '%s' is not a "
		    "host of this file (add it as a [host]; with no address "
		    "ssh_config fills it in) or set jump", hosts[self].name,
		    shown);
		return -1;
	}
	if ((hp.user[0] && strcmp(hp.user, hosts[j].user) != 0) ||
	    (hp.port && hp.port != hosts[j].port)) {
		snprintf(what, whatlen, "[%s]: ssh ProxyJump hop '%s' differs "
		    "from [%s] (%s@...:%d); relaytop goes as [%s] says",
		    hosts[self].name, shown, hosts[j].name, hosts[j].user,
		    hosts[j].port, hosts[j].name);
		return -1;
	}
	return j;
}

int
sshg_jump_last(const char *pj, const struct host_config *hosts, size_t n,
    size_t self, int *jump_index, char *what, size_t whatlen)
{
	int hops = hop_at(pj, -1, NULL, NULL, 0);

	*jump_index = resolve(pj, hops - 1, hosts, n, self, what, whatlen);
	return *jump_index < 0 ? -1 : 0;
}

int
sshg_jump_check(const char *pj, const struct host_config *hosts, size_t n,
    size_t self, char *what, size_t whatlen)
{
	int hops = hop_at(pj, -1, NULL, NULL, 0), i, prev, cur;

	for (i = hops - 1; i > 0; i--) {
		if ((cur = resolve(pj, i, hosts, n, self, what, whatlen)) < 0 ||
		    (prev = resolve(pj, i - 1, hosts, n, self, what,
		    whatlen)) < 0)
			return -1;
		if (hosts[cur].jump_index != prev) {
			snprintf(what, whatlen, "[%s]: ssh ProxyJump goes to "
			    "%s through %s, but [%s] jumps %s%s; make them "
			    "agree or set jump", hosts[self].name,
			    hosts[cur].name, hosts[prev].name,
			    hosts[cur].name, hosts[cur].jump_index < 0 ?
			    "directly" : "through ", hosts[cur].jump_index < 0 ?
			    "" : hosts[hosts[cur].jump_index].name);
			return -1;
		}
	}
	return 0;
}
