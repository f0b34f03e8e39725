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
#define CFG_HISTORY_MIN		10
#define CFG_HISTORY_MAX		100000
#define CFG_HISTORY_DEFAULT	2000

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
	/* Postfix instances (postmulti) watched on this host: "all" (the
	 * default: every enabled one), "none", or a list of instance names
	 * (named ones are watched even when disabled). */
	char	instances[256];
	/* An entry the watch added for a postmulti instance of another host
	 * ("relay-c/postfix-out"): instance is its name ("" for a host of
	 * the file), instance_of the index of the host it runs on,
	 * syslog_name the name its log lines carry. */
	char	instance[CFG_NAME_MAX];
	int	instance_of;
	char	syslog_name[CFG_NAME_MAX];
	/* Other addresses of this host ("" none): IPv4/IPv6 literals, comma
	 * or space separated (host-addr.h), e.g. the other family of a
	 * dual-stack host, so a relayhost or log line naming them matches. */
	char	addresses[CFG_ADDR_MAX];
	/* Maillog events kept per host (the model's ring, model.h), like
	 * tmux's history-limit: CFG_HISTORY_MIN..MAX, default 2000. Views,
	 * trace, topology edges and log findings reach back this far; the
	 * counters and /metrics totals do not depend on it. */
	int	history;
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

/* --- postmulti instances (src/config-instances.c) ---------------------- */

/* Entries a watch keeps free after the file's hosts for instances found
 * later (watch_new). */
#define CFG_INSTANCE_SLOTS	32

/* 1 when value is a valid `instances` value: all, none, or names
 * ([A-Za-z0-9._-], at most 63 bytes each) separated by commas or blanks. */
int	config_instances_valid(const char *value);

/* 1 when host h watches the instance called name (enabled: postmulti -l
 * lists it as enabled): "all" takes every enabled one, "none" none, a list
 * the ones it names. */
int	config_instance_wanted(const struct host_config *h, const char *name,
	    int enabled);

/* Appends the entry "HOST/name" for instance name of host parent, a copy
 * of parent's settings with postfix_config = config_dir, into inv->hosts,
 * which has room for cap entries. name must be a valid instance name,
 * config_dir pass valid_path, syslog_name be of [A-Za-z0-9._/-]. Returns
 * its index, or -1 (no room left, or a value refused). */
int	config_add_instance(struct inventory *inv, size_t cap, int parent,
	    const char *name, const char *config_dir, const char *syslog_name);

/* Frees what config_load allocated; safe on an empty inventory. */
void	config_free(struct inventory *inv);

#endif
