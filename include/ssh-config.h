/* ssh-config.h: hosts named the way `ssh` knows them. At load time, for each
 * host that asks for it, relaytop runs OpenSSH's own `ssh [-F PATH] -G --
 * NAME` locally (argv only, never a shell; bounded in time and output),
 * parses the options it prints and fills the keys hosts.ini left out, so
 * Include, Match and wildcards behave exactly as for ssh. */
#ifndef RELAYTOP_SSH_CONFIG_H
#define RELAYTOP_SSH_CONFIG_H

#include <stddef.h>

#include "config.h"

#define SSHG_IDENT_MAX	16		/* identityfile lines kept */
#define SSHG_OUT_MAX	(64 * 1024)	/* bytes of ssh -G output read */
#define SSHG_TIMEOUT_MS	5000		/* one ssh -G may take this long */

/* [defaults] ssh_config: unset (ask ssh for address-less hosts only), no,
 * yes (ssh's usual files), or PATH (that file only, as ssh -F). */
enum sshg_mode { SSHG_UNSET = 0, SSHG_NO, SSHG_YES, SSHG_FILE };

/* The options relaytop takes from `ssh -G` output. Strings are as ssh
 * printed them (not yet validated), "" when the line was absent. */
struct sshg_opts {
	char	hostname[CFG_ADDR_MAX];
	char	user[CFG_ADDR_MAX];
	int	port;				/* 0 when absent */
	char	identity[SSHG_IDENT_MAX][CFG_PATH_MAX];
	int	n_identity;
	char	proxyjump[CFG_PATH_MAX];	/* "" or "none": no jump */
	char	proxycommand[CFG_PATH_MAX];	/* "" or "none": none */
	char	user_known_hosts[CFG_PATH_MAX];	/* first file of the list */
	char	global_known_hosts[CFG_PATH_MAX]; /* first file of the list */
	char	strict[16];			/* true|false|ask|accept-new */
	int	connect_timeout;		/* seconds, 0: none */
};

/* Parses len bytes of `ssh -G` output ("key value" lines) into *o. Never
 * reads past len; lines over 4000 bytes, control bytes, a bad port or
 * timeout are refused. Returns 0, or -1 with a short reason in what. */
int	sshg_parse(const char *text, size_t len, struct sshg_opts *o,
	    char *what, size_t whatlen);

/* Runs `ssh [-F cfgpath] -G -- host` (cfgpath NULL: ssh's usual files),
 * stdin /dev/null, at most SSHG_TIMEOUT_MS and SSHG_OUT_MAX bytes; host must
 * be an inventory name (valid_host_name). Stores stdout in out (cap bytes,
 * NUL-terminated, *len without the NUL). Returns 0, or -1 with the reason
 * (ssh's first stderr line, sanitised) in what. */
typedef int (*sshg_run_fn)(const char *cfgpath, const char *host, char *out,
	    size_t cap, size_t *len, char *what, size_t whatlen);
int	sshg_run(const char *cfgpath, const char *host, char *out, size_t cap,
	    size_t *len, char *what, size_t whatlen);

/* Replaces the runner config loading uses (NULL: sshg_run). For the fuzz
 * harness, which must not fork. */
void	sshg_set_runner(sshg_run_fn fn);

/* Runs the runner for host and parses its output into *o. */
int	sshg_query(enum sshg_mode mode, const char *cfgpath, const char *host,
	    struct sshg_opts *o, char *what, size_t whatlen);

/* Parses a [defaults] ssh_config value: yes, no, or a local file path
 * ("~/" expands with home). Returns 0, or -1 with what. */
int	sshg_mode_parse(const char *value, const char *home,
	    enum sshg_mode *mode, char *path, size_t pathlen, char *what,
	    size_t whatlen);

/* Fills hosts.ini key `key` (enum cfg_key) of h from o. Returns 1 when o
 * gave a value, 0 when it gives none for that key (the built-in default
 * applies), -1 with what when ssh's value cannot be used. home and luser
 * expand ~ and %d, %u in IdentityFile; of the identities, the first file
 * that exists is taken, none: agent only. For K_JUMP it only refuses a
 * ProxyCommand (relaytop cannot run one) and gives 0: the ProxyJump is
 * mapped later by sshg_jump_last. */
int	sshg_apply(struct host_config *h, const struct sshg_opts *o, int key,
	    const char *home, const char *luser, char *what, size_t whatlen);

/* ProxyJump onto inventory jumps. sshg_jump_last: the last hop of
 * proxyjump ("hop[,hop...]", each [user@]host[:port]) as an index into
 * hosts[0..n): an inventory name, or the address of exactly one host;
 * [user@] and [:port], when given, must match that host's. Returns 0, or
 * -1 with what. sshg_jump_check, once every jump_index is known: each
 * earlier hop must be the jump of the hop after it (ssh would go that way);
 * hosts[self] is the host whose ProxyJump this is. */
int	sshg_jump_last(const char *proxyjump, const struct host_config *hosts,
	    size_t n, size_t self, int *jump_index, char *what,
	    size_t whatlen);
int	sshg_jump_check(const char *proxyjump, const struct host_config *hosts,
	    size_t n, size_t self, char *what, size_t whatlen);

#endif
