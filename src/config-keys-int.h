/* config-keys-int.h: the hosts.ini keys, internal to the config loader
 * (src/config.c, src/config-keys.c): parsing and validating one value,
 * built-in defaults and copying a key from [defaults] into a host. */
#ifndef RELAYTOP_CONFIG_KEYS_INT_H
#define RELAYTOP_CONFIG_KEYS_INT_H

#include <stddef.h>

#include "config.h"

enum cfg_key {
	K_ADDRESS = 0, K_PORT, K_USER, K_IDENTITY, K_KNOWN_HOSTS, K_ROLE,
	K_SUDO, K_MAILLOG, K_POSTFIX_CONFIG, K_JUMP, K_REFRESH, K_TIMEOUT,
	K_QUEUE_INTERVAL, K_TEST_TO, K_HOST_KEY_POLICY, K_READ_ONLY,
	K_GLOBAL_KNOWN_HOSTS, K_SSH_CONFIG, K_INSTANCES,
	K_ADDRESSES, K_HISTORY, K_MAX
};

#define CFG_MAX_HOSTS	1000
#define CFG_MAX_FILE	(1024 * 1024)
#define CFG_MAX_LINE	4000

/* The local account the defaults come from. */
struct cfg_env {
	char	home[CFG_PATH_MAX];	/* $HOME, else the passwd entry; "" */
	char	user[CFG_USER_MAX];	/* getpwuid(getuid()) name; "" */
};

/* Fills env from $HOME and getpwuid(getuid()). */
void	cfg_env_init(struct cfg_env *env);

/* The key called name (exact, lower case), or -1. */
int	cfg_key_lookup(const char *name);

/* The key's name as written in hosts.ini. */
const char *cfg_key_name(int key);

/* Parses and validates value for key into h (read_only into *read_only).
 * Returns 0, or -1 with a message naming the key in what ("bad port
 * '0' (1..65535)"). Never writes past the fields' sizes. */
int	cfg_key_set(struct host_config *h, int *read_only, int key,
	    const char *value, const struct cfg_env *env, char *what,
	    size_t whatlen);

/* Copies key's field from src to dst. */
void	cfg_key_copy(struct host_config *dst, const struct host_config *src,
	    int key);

/* Sets key's built-in default in h. Returns 0, or -1 with what when the
 * default cannot be made (no valid local user name, no $HOME). */
int	cfg_key_default(struct host_config *h, int key,
	    const struct cfg_env *env, char *what, size_t whatlen);

/* Parses len bytes of hosts.ini text (file names the source in messages)
 * into *inv, which the caller has zeroed. Returns 0, or -1 with the
 * one-line "FILE:LINE: what" message in err (src/config.c). */
int	cfg_parse_buffer(const char *text, size_t len, const char *file,
	    struct inventory *inv, char *err, size_t errlen);

#endif
