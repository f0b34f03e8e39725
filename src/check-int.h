/* check-int.h: what the relay doctor's files share (not a public face):
 * the run context, thresholds, value helpers (check-value.c), the finding
 * builder (check.c) and the rule groups (check-rules-*.c). */
#ifndef RELAYTOP_CHECK_INT_H
#define RELAYTOP_CHECK_INT_H

#include <stddef.h>
#include <time.h>

#include "check.h"
#include "cidr.h"
#include "host-addr.h"
#include "postconf.h"

/* Thresholds (documented in assets/check-format.md). */
#define CHECK_LOG_WINDOW_S	900	/* log events younger count */
#define CHECK_DEFERRED_AGE_S	1800	/* oldest deferred mail older: warn */
#define CHECK_DEFERRED_MANY	100	/* this many deferred mails: warn */
#define CHECK_GROWING_MIN	10	/* "growing": in this many minutes */
#define CHECK_GROWING_COUNT	10	/* ...this many deferrals, none sent,
					 * and this many in the queue */
#define CHECK_WIDE_V4		16	/* IPv4 mynetworks shorter: open */
#define CHECK_WIDE_V6		48	/* IPv6 mynetworks shorter: open */
#define CHECK_SLACK_BITS	8	/* wider than the origins' block by
					 * more than this many bits: open */
#define CHECK_SLACK_MIN_PREFIX	24	/* ...and shorter than /24 (v4) */
#define CHECK_EXPAND_MAX	4096	/* expanded value bytes */
#define CHECK_CERT_DAYS		14	/* server certificate ends sooner: warn */

#define ADDR_MEMO_SLOTS	64	/* addresses check-rules-logs.c keeps */

struct check_ctx {
	const struct model *m;
	const struct topology *t;
	const struct port_results *ports;
	time_t	now;
	struct findings *out;
	size_t	cap;
	int	nomem;
	unsigned char *bad_edge;	/* per edge: closes a relay loop */
	unsigned char *has_origins;	/* per host: some origin relays here */
	/* check-rules-logs.c: where the host's log findings begin; addresses
	 * looked up and their hosts */
	size_t	log_first;
	struct addr_memo {
		char	addr[64];
		int	peer, used;
	} addr_memo[ADDR_MEMO_SLOTS];
};

/* --- check-value.c: settings as Postfix would read them --------------- */

/* Raw value of a setting, NULL when the host's settings lack it. */
const char *chk_raw(const struct host *h, const char *name);
/* chk_raw, "" when absent. */
const char *chk_val(const struct host *h, const char *name);
/* A Postfix boolean that says yes ("yes" or "true", any case). */
int	chk_yes(const char *v);

/* Expands $name, ${name}, $(name), ${name?x}, ${name:x}, ${name?{x}:{y}}
 * and ${{a} op {b} ? {x} : {y}} in value with the host's settings.
 * Returns 0, or -1 when a name is unknown or the text does not fit. */
int	chk_expand(const struct host *h, const char *value, char *buf,
	    size_t len);

/* chk_raw + chk_expand. Returns 0, -1 when absent or unresolvable. */
int	chk_setting(const struct host *h, const char *name, char *buf,
	    size_t len);

/* 1 when an (expanded) inet_interfaces keeps smtpd on loopback. */
int	chk_loopback_only(const char *ifaces);

/* Postfix match-list semantics of mynetworks for one address: first
 * matching item wins, "!item" negates. Returns 1 in, 0 out, -1 unknown
 * (a table or file item came before any literal match). */
int	chk_netlist_match(const char *list, const struct cidr *addr);

/* The host's inventory address as an IP; -1 when it is a name. */
int	chk_host_cidr(const struct host *h, struct cidr *out);

/* Address families (CHK_FAM4 | CHK_FAM6) Postfix on h may use: its
 * inet_protocols ("all", "ipv4", "ipv6", a list); both when unknown. */
#define CHK_FAM4	1u
#define CHK_FAM6	2u
unsigned chk_families(const struct host *h);

/* Families h's smtpd listens on: chk_families narrowed by inet_interfaces
 * when that lists only address literals (names, "all": no narrowing). */
unsigned chk_listen_families(const struct host *h);

/* Families a relayhost-style target can be reached over: its literal's,
 * both for a name. */
struct relay_target;
unsigned chk_target_families(const struct relay_target *t);

/* "IPv4", "IPv6", "IPv4 or IPv6" ("none" for 0). */
const char *chk_family_name(unsigned fam);

/* --- check.c: building findings ----------------------------------------- */

struct finding *chk_add(struct check_ctx *c, const char *id,
	    enum severity sev);
void	chk_host(struct finding *f, int host);
void	chk_what(struct finding *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	chk_evidence(struct finding *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	chk_evidence_append(struct finding *f, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	chk_fix(struct finding *f, int host, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* chk_add, then chk_host a and b (either -1: none): a setting on host a
 * (with its peer b) at severity sev. NULL on ENOMEM (the others accept it). */
struct finding *chk_add_hosts(struct check_ctx *c, const char *id,
	    enum severity sev, int a, int b);
/* chk_fix with "<host's name> main.cf: " before the formatted fix. */
void	chk_fix_main(struct check_ctx *c, struct finding *f, int host,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Finding with id concerning host a (and b when b >= 0), or NULL. */
struct finding *chk_find(struct check_ctx *c, const char *id, int a, int b);
const char *chk_name(const struct check_ctx *c, int host);
/* 1 when edge k is a configured relayhost/fallback edge to an inventory
 * host that does not close a relay loop. */
int	chk_edge_live(const struct check_ctx *c, size_t k);
int	chk_usable(const struct check_ctx *c, int host);	/* settings */

/* --- rule groups --------------------------------------------------------- */
int	check_loops_mark(struct check_ctx *c);		/* -1 on ENOMEM */
void	check_rules_hosts(struct check_ctx *c);		/* check.c */
void	check_rules_settings(struct check_ctx *c);
void	check_rules_topology(struct check_ctx *c);
void	check_rules_ports(struct check_ctx *c);
void	check_rules_logs(struct check_ctx *c);
void	check_rules_tls(struct check_ctx *c);		/* TLS/SASL settings */
void	check_rules_seclogs(struct check_ctx *c);	/* TLS/SASL in logs */
void	check_rules_family(struct check_ctx *c);	/* inet_protocols */
void	check_rules_secfiles(struct check_ctx *c);	/* certificates */
/* maps, keys, mechanisms of one live relayhost/fallback edge (run by
 * check_rules_tls for each) */
void	check_rules_secfiles_edge(struct check_ctx *c, const struct edge *e);

#endif
