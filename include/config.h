/* config.h: the inventory read from hosts.ini (libinih). One host_config per
 * [section]; [defaults] fills keys a host leaves out. Every value that can
 * reach a remote command is validated here (see shquote.h for quoting). */
#ifndef RELAYTOP_CONFIG_H
#define RELAYTOP_CONFIG_H

#include <stddef.h>

#define CFG_NAME_MAX	64
#define CFG_ADDR_MAX	256
#define CFG_PATH_MAX	1024
#define CFG_USER_MAX	64
#define CFG_EMAIL_MAX	256

enum host_role { ROLE_AUTO = 0, ROLE_ORIGIN, ROLE_RELAY };
enum hostkey_policy { HOSTKEY_STRICT = 0, HOSTKEY_ACCEPT_NEW };

struct host_config {
	char	name[CFG_NAME_MAX];	/* section name, [A-Za-z0-9._-] */
	char	address[CFG_ADDR_MAX];	/* IPv4/IPv6 literal or DNS name */
	int	port;			/* 1..65535, default 22 */
	char	user[CFG_USER_MAX];	/* default: getpwuid(getuid()) name */
	/* Private key file, "" = agent only. Not set anywhere: ~/.ssh/id_ed25519
	 * when that file exists at load time, else "". "~/" expands to $HOME. */
	char	identity[CFG_PATH_MAX];
	char	known_hosts[CFG_PATH_MAX];	/* default ~/.ssh/known_hosts */
	/* Read with known_hosts, never written; "" = none. Default
	 * /etc/ssh/ssh_known_hosts. */
	char	global_known_hosts[CFG_PATH_MAX];
	enum host_role role;		/* default ROLE_AUTO */
	int	sudo;			/* 1: a log the login cannot read, and
					 * master.pid, via sudo -n (the fixed
					 * lines of relaytop --sudoers) */
	char	maillog[CFG_PATH_MAX];	/* path, "journal" or "auto" */
	char	postfix_config[CFG_PATH_MAX]; /* "" = default instance */
	char	jump[CFG_NAME_MAX];	/* "" or another host's name */
	int	jump_index;		/* index of jump host, -1 when none */
	int	refresh_s;		/* seconds between refreshes, default 5 */
	int	timeout_s;		/* per-step deadline, default 10 */
	int	queue_interval_s;	/* longest a queue figure is reused while
					 * the log shows no activity, default
					 * 30; 0: read the queue every refresh */
	char	test_to[CFG_EMAIL_MAX];	/* default test-mail recipient */
	enum hostkey_policy hostkey_policy;	/* default strict; --accept-new
						 * sets every host to accept-new */
	int	line;			/* line of the [section] in the file */
};

struct inventory {
	struct host_config *hosts;
	size_t	n;
	int	read_only;		/* [defaults] read_only = yes */
	char	path[CFG_PATH_MAX];
	/* --shard K/N (shard.h): the hosts of other shards, not watched but
	 * still named as peers (edges to them); shard_n 0: no sharding. */
	struct host_config *peers;
	size_t	npeers;
	int	shard_k, shard_n;
};

/* Loads path into *inv. Returns 0, or -1 with a one-line message naming the
 * file and line ("hosts.ini:12: unknown key 'adress'") in err. On error
 * *inv is left empty. Refused: a file that is not regular or is over 1 MiB,
 * lines over 4000 bytes or with control characters, unknown keys, keys or
 * hosts given twice, a host without address, more than 1000 hosts, values
 * that fail the shquote.h validators, a jump to no host, to itself or in a
 * loop. Every host has every field filled ([defaults], then built-ins). */
int	config_load(const char *path, struct inventory *inv, char *err,
	    size_t errlen);

/* Same, from a string (name is used in messages only). */
int	config_load_string(const char *text, const char *name,
	    struct inventory *inv, char *err, size_t errlen);

/* Index of the host called name, or -1. */
int	config_find(const struct inventory *inv, const char *name);

/* Frees what config_load allocated; safe on an empty inventory. */
void	config_free(struct inventory *inv);

#endif
