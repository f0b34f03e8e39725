/* ssh-config-apply.c: the [defaults] ssh_config switch, one ssh -G query per
 * host, and the mapping of ssh's options onto hosts.ini keys (the config
 * loader asks only for the keys hosts.ini left out: hosts.ini wins). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "config-keys-int.h"
#include "sanitize.h"
#include "shquote.h"
#include "ssh-config.h"

static sshg_run_fn runner = sshg_run;

void
sshg_set_runner(sshg_run_fn fn)
{
	runner = fn != NULL ? fn : sshg_run;
}

int
sshg_mode_parse(const char *value, const char *home, enum sshg_mode *mode,
    char *path, size_t pathlen, char *what, size_t whatlen)
{
	char buf[CFG_PATH_MAX], v[64];

	path[0] = '\0';
	if (strcmp(value, "yes") == 0) {
		*mode = SSHG_YES;
		return 0;
	}
	if (strcmp(value, "no") == 0) {
		*mode = SSHG_NO;
		return 0;
	}
	if (strncmp(value, "~/", 2) == 0 && home[0] == '/' &&
	    snprintf(buf, sizeof(buf), "%s/%s", home, value + 2) <
	    (int)sizeof(buf))
		value = buf;
	if (!valid_path(value) || strlen(value) >= pathlen) {
		sanitize_copy(v, sizeof(v), value, strlen(value));
		snprintf(what, whatlen, "bad ssh_config '%s' (yes, no, or an "
		    "absolute path of [A-Za-z0-9._/+@:-], ~/ allowed)", v);
		return -1;
	}
	strcpy(path, value);
	*mode = SSHG_FILE;
	return 0;
}

int
sshg_query(enum sshg_mode mode, const char *cfgpath, const char *host,
    struct sshg_opts *o, char *what, size_t whatlen)
{
	static char out[SSHG_OUT_MAX + 1];
	char why[300];
	size_t len;

	if (runner(mode == SSHG_FILE ? cfgpath : NULL, host, out, sizeof(out),
	    &len, why, sizeof(why)) != 0) {
		snprintf(what, whatlen, "ssh -G: %s", why);
		return -1;
	}
	if (sshg_parse(out, len, o, why, sizeof(why)) != 0) {
		snprintf(what, whatlen, "%s", why);
		return -1;
	}
	return 0;
}

/* IdentityFile as ssh would open it: ~ and the tokens %d %u %r %h %n %p %%
 * expanded. Returns 0, or -1 with what. */
static int
expand(char *dst, size_t len, const char *src, const struct host_config *h,
    const struct sshg_opts *o, const char *home, const char *luser,
    char *what, size_t whatlen)
{
	char port[8];
	size_t n = 0;
	const char *add;

	snprintf(port, sizeof(port), "%d", o->port ? o->port : 22);
	if (src[0] == '~' && src[1] == '/') {
		if (snprintf(dst, len, "%s", home) >= (int)len)
			goto toolong;
		n = strlen(dst);
		src++;
	}
	for (; *src != '\0'; src++) {
		char one[2] = { *src, '\0' };

		add = one;
		if (*src == '%') {
			switch (*++src) {
			case 'd': add = home; break;
			case 'u': add = luser; break;
			case 'r': add = o->user; break;
			case 'h': add = o->hostname; break;
			case 'n': add = h->name; break;
			case 'p': add = port; break;
			case '%': add = "%"; break;
			default:
				snprintf(what, whatlen, "IdentityFile token "
				    "'%%%c' is not supported; set identity",
				    *src >= 0x21 && *src < 0x7f ? *src : '?');
				return -1;
			}
		}
		if (n + strlen(add) >= len)
			goto toolong;
		strcpy(dst + n, add);
		n += strlen(add);
	}
	return 0;
toolong:
	snprintf(what, whatlen, "IdentityFile too long");
	return -1;
}

static int
identity(struct host_config *h, const struct sshg_opts *o, const char *home,
    const char *luser, char *what, size_t whatlen)
{
	char path[CFG_PATH_MAX], v[64];
	struct stat st;
	int i;

	/* ssh offers them in order and skips missing files: the first that
	 * exists is the key ssh would offer first; none: the agent only. */
	h->identity[0] = '\0';
	for (i = 0; i < o->n_identity; i++) {
		if (strcmp(o->identity[i], "none") == 0)
			continue;
		if (expand(path, sizeof(path), o->identity[i], h, o, home,
		    luser, what, whatlen) != 0)
			return -1;
		if (stat(path, &st) != 0)
			continue;
		if (!valid_path(path)) {
			sanitize_copy(v, sizeof(v), path, strlen(path));
			snprintf(what, whatlen, "ssh gives IdentityFile '%s' "
			    "(want [A-Za-z0-9._/+@:-]); set identity", v);
			return -1;
		}
		strcpy(h->identity, path);
		break;
	}
	return 1;
}

/* "ssh gives KEY 'value' (why); set KEY" */
static int
refuse(char *what, size_t whatlen, const char *opt, const char *value,
    const char *why, const char *key)
{
	char v[64];

	sanitize_copy(v, sizeof(v), value, strlen(value));
	snprintf(what, whatlen, "ssh gives %s '%s' (%s); set %s", opt, v, why,
	    key);
	return -1;
}

/* The first file of a known_hosts list into dst[len]; with none_ok,
 * "none" is "" (no file, as global_known_hosts = with no value). */
static int
known_file(char *dst, size_t len, const char *v, int none_ok,
    const char *opt, const char *key, char *what, size_t whatlen)
{
	if (v[0] == '\0')
		return 0;
	if (none_ok && strcmp(v, "none") == 0) {
		dst[0] = '\0';
		return 1;
	}
	if (!valid_path(v) || strlen(v) >= len)
		return refuse(what, whatlen, opt, v, "relaytop needs one "
		    "absolute path of [A-Za-z0-9._/+@:-]", key);
	strcpy(dst, v);
	return 1;
}

int
sshg_apply(struct host_config *h, const struct sshg_opts *o, int key,
    const char *home, const char *luser, char *what, size_t whatlen)
{
	switch (key) {
	case K_ADDRESS:
		if (!valid_hostname_or_addr(o->hostname) ||
		    strlen(o->hostname) >= sizeof(h->address))
			return refuse(what, whatlen, "HostName", o->hostname,
			    "not a host name or address", "address");
		strcpy(h->address, o->hostname);
		return 1;
	case K_PORT:
		if (o->port == 0)
			return 0;
		h->port = o->port;
		return 1;
	case K_USER:
		if (o->user[0] == '\0')
			return 0;
		if (!valid_user(o->user) || strlen(o->user) >= sizeof(h->user))
			return refuse(what, whatlen, "User", o->user,
			    "want [a-z_][a-z0-9_.-]*", "user");
		strcpy(h->user, o->user);
		return 1;
	case K_IDENTITY:
		return o->n_identity == 0 ? 0 :
		    identity(h, o, home, luser, what, whatlen);
	case K_KNOWN_HOSTS:
		return known_file(h->known_hosts, sizeof(h->known_hosts),
		    o->user_known_hosts, 0, "UserKnownHostsFile", "known_hosts",
		    what, whatlen);
	case K_GLOBAL_KNOWN_HOSTS:
		return known_file(h->global_known_hosts,
		    sizeof(h->global_known_hosts), o->global_known_hosts, 1,
		    "GlobalKnownHostsFile", "global_known_hosts", what, whatlen);
	case K_TIMEOUT:
		if (o->connect_timeout == 0)
			return 0;
		h->timeout_s = o->connect_timeout > 300 ? 300 :
		    o->connect_timeout;
		return 1;
	case K_HOST_KEY_POLICY:
		/* ask: relaytop cannot ask, and ssh without a terminal
		 * refuses an unknown key: that is strict. */
		if (o->strict[0] == '\0')
			return 0;
		if (strcmp(o->strict, "true") == 0 ||
		    strcmp(o->strict, "ask") == 0)
			h->hostkey_policy = HOSTKEY_STRICT;
		else if (strcmp(o->strict, "accept-new") == 0)
			h->hostkey_policy = HOSTKEY_ACCEPT_NEW;
		else
			return refuse(what, whatlen, "StrictHostKeyChecking",
			    strcmp(o->strict, "false") == 0 ? "no" : o->strict,
			    "relaytop never turns host-key checks off",
			    "host_key_policy = strict or accept-new");
		return 1;
	case K_JUMP:
		if (o->proxycommand[0] != '\0' &&
		    strcmp(o->proxycommand, "none") != 0)
			return refuse(what, whatlen, "ProxyCommand",
			    o->proxycommand, "relaytop runs no command; use "
			    "ProxyJump", "jump");
		return 0;
	default:
		return 0;
	}
}
