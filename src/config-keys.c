/* config-keys.c: one hosts.ini value at a time: parse, validate against the
 * allowlists of shquote.h, store into a host_config; plus the built-in
 * defaults (port 22, the local user, ~/.ssh files, refresh 5, timeout 10,
 * history 2000). */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config-keys-int.h"
#include "host-addr.h"
#include "parse-fields.h"
#include "sanitize.h"
#include "shquote.h"

static const char *const key_names[K_MAX] = {
	[K_ADDRESS] = "address",
	[K_PORT] = "port",
	[K_USER] = "user",
	[K_IDENTITY] = "identity",
	[K_KNOWN_HOSTS] = "known_hosts",
	[K_ROLE] = "role",
	[K_SUDO] = "sudo",
	[K_MAILLOG] = "maillog",
	[K_POSTFIX_CONFIG] = "postfix_config",
	[K_JUMP] = "jump",
	[K_REFRESH] = "refresh",
	[K_TIMEOUT] = "timeout",
	[K_QUEUE_INTERVAL] = "queue_interval",
	[K_TEST_TO] = "test_to",
	[K_HOST_KEY_POLICY] = "host_key_policy",
	[K_READ_ONLY] = "read_only",
	[K_GLOBAL_KNOWN_HOSTS] = "global_known_hosts",
	[K_SSH_CONFIG] = "ssh_config",
	[K_INSTANCES] = "instances",
	[K_ADDRESSES] = "addresses",
	[K_HISTORY] = "history",
};

void
cfg_env_init(struct cfg_env *env)
{
	struct passwd *pw = getpwuid(getuid());
	const char *home = getenv("HOME");

	memset(env, 0, sizeof(*env));
	if ((home == NULL || home[0] == '\0') && pw != NULL)
		home = pw->pw_dir;
	if (home != NULL && strlen(home) < sizeof(env->home))
		strcpy(env->home, home);
	if (pw != NULL && pw->pw_name != NULL &&
	    strlen(pw->pw_name) < sizeof(env->user))
		strcpy(env->user, pw->pw_name);
}

int
cfg_key_lookup(const char *name)
{
	int k;

	for (k = 0; k < K_MAX; k++)
		if (strcmp(name, key_names[k]) == 0)
			return k;
	return -1;
}

const char *
cfg_key_name(int key)
{
	return key >= 0 && key < K_MAX ? key_names[key] : "?";
}

/* The value as it may appear in a message: sanitised and cut short. */
static const char *
shown(const char *value, char *buf, size_t len)
{
	size_t n = strlen(value);

	sanitize_copy(buf, len, value, n);
	if (n >= len - 1 && len > 4)
		memcpy(buf + len - 4, "...", 4);
	return buf;
}

static int
bad(char *what, size_t whatlen, int key, const char *value,
    const char *expect)
{
	char v[64];

	snprintf(what, whatlen, "bad %s '%s' (%s)", key_names[key],
	    shown(value, v, sizeof(v)), expect);
	return -1;
}

static int
parse_yesno(const char *s, int *out)
{
	if (strcmp(s, "yes") == 0)
		*out = 1;
	else if (strcmp(s, "no") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/* Copies s into dst[len] when it fits. */
static int
put(char *dst, size_t len, const char *s)
{
	if (strlen(s) >= len)
		return -1;
	strcpy(dst, s);
	return 0;
}

/* A local file path: "~/" expands to $HOME; then it must be absolute and
 * pass valid_path. */
static int
local_path(char *dst, size_t len, const char *value,
    const struct cfg_env *env)
{
	char buf[CFG_PATH_MAX];

	if (strncmp(value, "~/", 2) == 0) {
		if (env->home[0] != '/' ||
		    snprintf(buf, sizeof(buf), "%s/%s", env->home, value + 2) >=
		    (int)sizeof(buf))
			return -1;
		value = buf;
	}
	if (!valid_path(value))
		return -1;
	return put(dst, len, value);
}

#define EXPECT_PATH "absolute path of [A-Za-z0-9._/+@:-], ~/ allowed"

int
cfg_key_set(struct host_config *h, int *read_only, int key,
    const char *value, const struct cfg_env *env, char *what,
    size_t whatlen)
{
	int v;

	switch (key) {
	case K_ADDRESS:
		if (!valid_hostname_or_addr(value) ||
		    put(h->address, sizeof(h->address), value) != 0)
			return bad(what, whatlen, key, value,
			    "host name, IPv4 or IPv6 address");
		return 0;
	case K_PORT:
		if (pf_int_strict(value, 1, 65535, &h->port) != 0)
			return bad(what, whatlen, key, value, "1..65535");
		return 0;
	case K_USER:
		if (!valid_user(value) ||
		    put(h->user, sizeof(h->user), value) != 0)
			return bad(what, whatlen, key, value,
			    "[a-z_][a-z0-9_.-]*, at most 32");
		return 0;
	case K_IDENTITY:
		/* An explicit empty identity means the agent only. */
		if (value[0] == '\0') {
			h->identity[0] = '\0';
			return 0;
		}
		if (local_path(h->identity, sizeof(h->identity), value, env))
			return bad(what, whatlen, key, value, EXPECT_PATH);
		return 0;
	case K_KNOWN_HOSTS:
		if (local_path(h->known_hosts, sizeof(h->known_hosts), value,
		    env))
			return bad(what, whatlen, key, value, EXPECT_PATH);
		return 0;
	case K_GLOBAL_KNOWN_HOSTS:
		/* An explicit empty value reads no global file. */
		if (value[0] == '\0') {
			h->global_known_hosts[0] = '\0';
			return 0;
		}
		if (local_path(h->global_known_hosts,
		    sizeof(h->global_known_hosts), value, env))
			return bad(what, whatlen, key, value, EXPECT_PATH);
		return 0;
	case K_ROLE:
		if (strcmp(value, "origin") == 0)
			h->role = ROLE_ORIGIN;
		else if (strcmp(value, "relay") == 0)
			h->role = ROLE_RELAY;
		else if (strcmp(value, "auto") == 0)
			h->role = ROLE_AUTO;
		else
			return bad(what, whatlen, key, value,
			    "origin, relay or auto");
		return 0;
	case K_SUDO:
		if (parse_yesno(value, &h->sudo) != 0)
			return bad(what, whatlen, key, value, "yes or no");
		return 0;
	case K_READ_ONLY:
		if (parse_yesno(value, &v) != 0)
			return bad(what, whatlen, key, value, "yes or no");
		*read_only = v;
		return 0;
	case K_MAILLOG:
		if (strcmp(value, "journal") != 0 && strcmp(value, "auto") != 0 &&
		    !valid_path(value))
			return bad(what, whatlen, key, value,
			    "absolute path, journal or auto");
		return put(h->maillog, sizeof(h->maillog), value) == 0 ? 0 :
		    bad(what, whatlen, key, value, "too long");
	case K_POSTFIX_CONFIG:
		if (value[0] != '\0' && !valid_path(value))
			return bad(what, whatlen, key, value,
			    "absolute directory of [A-Za-z0-9._/+@:-]");
		return put(h->postfix_config, sizeof(h->postfix_config),
		    value) == 0 ? 0 : bad(what, whatlen, key, value,
		    "too long");
	case K_JUMP:
		if (value[0] != '\0' && !valid_host_name(value))
			return bad(what, whatlen, key, value,
			    "name of another [host] in this file");
		return put(h->jump, sizeof(h->jump), value) == 0 ? 0 :
		    bad(what, whatlen, key, value, "too long");
	case K_REFRESH:
		if (pf_int_strict(value, 1, 3600, &h->refresh_s) != 0)
			return bad(what, whatlen, key, value,
			    "seconds, 1..3600");
		return 0;
	case K_TIMEOUT:
		if (pf_int_strict(value, 1, 300, &h->timeout_s) != 0)
			return bad(what, whatlen, key, value,
			    "seconds, 1..300");
		return 0;
	case K_QUEUE_INTERVAL:
		if (pf_int_strict(value, 0, 3600, &h->queue_interval_s) != 0)
			return bad(what, whatlen, key, value,
			    "seconds, 0..3600");
		return 0;
	case K_TEST_TO:
		if (value[0] != '\0' && !valid_email(value))
			return bad(what, whatlen, key, value,
			    "plain local@domain address");
		return put(h->test_to, sizeof(h->test_to), value) == 0 ? 0 :
		    bad(what, whatlen, key, value, "too long");
	case K_INSTANCES:
		if (!config_instances_valid(value))
			return bad(what, whatlen, key, value,
			    "all, none or instance names");
		return put(h->instances, sizeof(h->instances), value) == 0 ?
		    0 : bad(what, whatlen, key, value, "too long");
	case K_ADDRESSES:
		if (!host_addr_list_valid(value))
			return bad(what, whatlen, key, value, "IPv4 or IPv6 "
			    "addresses, at most 8, no names");
		return put(h->addresses, sizeof(h->addresses), value) == 0 ?
		    0 : bad(what, whatlen, key, value, "too long");
	case K_HISTORY:
		if (pf_int_strict(value, CFG_HISTORY_MIN, CFG_HISTORY_MAX,
		    &h->history) != 0)
			return bad(what, whatlen, key, value,
			    "events kept per host, 10..100000");
		return 0;
	case K_HOST_KEY_POLICY:
		if (strcmp(value, "strict") == 0)
			h->hostkey_policy = HOSTKEY_STRICT;
		else if (strcmp(value, "accept-new") == 0)
			h->hostkey_policy = HOSTKEY_ACCEPT_NEW;
		else
			return bad(what, whatlen, key, value,
			    "strict or accept-new");
		return 0;
	}
	snprintf(what, whatlen, "unknown key");
	return -1;
}

void
cfg_key_copy(struct host_config *dst, const struct host_config *src, int key)
{
#define CP(field) memcpy(&dst->field, &src->field, sizeof(dst->field))
	switch (key) {
	case K_ADDRESS:		CP(address); break;
	case K_PORT:		CP(port); break;
	case K_USER:		CP(user); break;
	case K_IDENTITY:	CP(identity); break;
	case K_KNOWN_HOSTS:	CP(known_hosts); break;
	case K_GLOBAL_KNOWN_HOSTS: CP(global_known_hosts); break;
	case K_ROLE:		CP(role); break;
	case K_SUDO:		CP(sudo); break;
	case K_MAILLOG:		CP(maillog); break;
	case K_POSTFIX_CONFIG:	CP(postfix_config); break;
	case K_JUMP:		CP(jump); break;
	case K_REFRESH:		CP(refresh_s); break;
	case K_TIMEOUT:		CP(timeout_s); break;
	case K_QUEUE_INTERVAL:	CP(queue_interval_s); break;
	case K_TEST_TO:		CP(test_to); break;
	case K_HOST_KEY_POLICY:	CP(hostkey_policy); break;
	case K_INSTANCES:	CP(instances); break;
	case K_ADDRESSES:	CP(addresses); break;
	case K_HISTORY:		CP(history); break;
	default:		break;
	}
#undef CP
}

/* ~/.ssh/NAME into dst when $HOME is usable; "" otherwise. */
static int
home_file(char *dst, size_t len, const struct cfg_env *env, const char *name)
{
	if (env->home[0] != '/' ||
	    snprintf(dst, len, "%s/.ssh/%s", env->home, name) >= (int)len ||
	    !valid_path(dst)) {
		dst[0] = '\0';
		return -1;
	}
	return 0;
}

int
cfg_key_default(struct host_config *h, int key, const struct cfg_env *env,
    char *what, size_t whatlen)
{
	struct stat st;

	switch (key) {
	case K_PORT:
		h->port = 22;
		break;
	case K_USER:
		if (!valid_user(env->user)) {
			snprintf(what, whatlen, "no user set and the local "
			    "user name is not usable; set user");
			return -1;
		}
		strcpy(h->user, env->user);
		break;
	case K_IDENTITY:
		/* Unset: ~/.ssh/id_ed25519 when it exists, else agent only. */
		if (home_file(h->identity, sizeof(h->identity), env,
		    "id_ed25519") != 0 || stat(h->identity, &st) != 0)
			h->identity[0] = '\0';
		break;
	case K_KNOWN_HOSTS:
		if (home_file(h->known_hosts, sizeof(h->known_hosts), env,
		    "known_hosts") != 0) {
			snprintf(what, whatlen, "no known_hosts set and $HOME "
			    "is not usable; set known_hosts");
			return -1;
		}
		break;
	case K_GLOBAL_KNOWN_HOSTS:
		strcpy(h->global_known_hosts, "/etc/ssh/ssh_known_hosts");
		break;
	case K_ROLE:
		h->role = ROLE_AUTO;
		break;
	case K_SUDO:
		h->sudo = 0;
		break;
	case K_MAILLOG:
		strcpy(h->maillog, "auto");
		break;
	case K_REFRESH:
		h->refresh_s = 5;
		break;
	case K_TIMEOUT:
		h->timeout_s = 10;
		break;
	case K_QUEUE_INTERVAL:
		h->queue_interval_s = 30;
		break;
	case K_HOST_KEY_POLICY:
		h->hostkey_policy = HOSTKEY_STRICT;
		break;
	case K_POSTFIX_CONFIG:
		h->postfix_config[0] = '\0';
		break;
	case K_JUMP:
		h->jump[0] = '\0';
		break;
	case K_TEST_TO:
		h->test_to[0] = '\0';
		break;
	case K_INSTANCES:
		strcpy(h->instances, "all");
		break;
	case K_ADDRESSES:
		h->addresses[0] = '\0';
		break;
	case K_HISTORY:
		h->history = CFG_HISTORY_DEFAULT;
		break;
	default:
		break;
	}
	return 0;
}
