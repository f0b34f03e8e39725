/* hostsec.h: what the probe learns about the files behind a host's TLS and
 * SASL settings (the secfiles section, src/remote/probe.sh's sf): the
 * password maps' source and .db mtimes, the keys (first fields only, never
 * the passwords) of the first map, the server certificate's end date, the
 * Cyrus mechanisms the host's smtpd offers and the client plugins it has.
 * Parsed by probe-secfiles.c, kept per host in the model, read by the
 * doctor (check-rules-secfiles.c). */
#ifndef RELAYTOP_HOSTSEC_H
#define RELAYTOP_HOSTSEC_H

#include <stddef.h>
#include <time.h>

#define HOSTSEC_MAPS	4
#define HOSTSEC_KEYS	32
#define HOSTSEC_KEY_MAX	128

struct hostsec_map {
	char	type[8];		/* "hash", "btree", "lmdb", "cdb" */
	char	path[256];		/* the source file */
	long long src_mtime;		/* -1 missing */
	long long db_mtime;		/* -1 missing */
};

enum hostsec_keys { HSK_NONE = 0, HSK_READ, HSK_UNREADABLE };

struct host_sec {
	int	valid;			/* a secfiles section was read */
	struct hostsec_map map[HOSTSEC_MAPS];
	int	nmap;
	enum hostsec_keys keys;		/* of map[0] */
	char	keys_via[8];		/* "direct", "sudo" */
	char	keys_err[160];		/* HSK_UNREADABLE: why (sanitised) */
	char	key[HOSTSEC_KEYS][HOSTSEC_KEY_MAX];
	int	nkeys;
	int	cert;			/* 1 end date known, 0 unreadable,
					 * -1 no certificate file */
	time_t	cert_end;
	char	cert_err[160];		/* cert == 0: what openssl said */
	char	mechs[160];		/* smtpd's Cyrus mech_list, "*" any,
					 * "" unknown */
	int	sasl_offer;		/* 1 smtpd_sasl_auth_enable = yes in
					 * main.cf or master.cf, -1 unknown */
	int	plugins_known;
	char	plugins[256];		/* " plain login ...", client plugins */
};

/* Parses the body of a secfiles section into *s (reset first). Bounded by
 * len; every text kept is sanitised and cut to its field. Lines it does
 * not know are skipped. Returns 0. */
int	hostsec_parse(const char *body, size_t len, struct host_sec *s);

/* "Dec 20 12:00:00 2026 GMT" (openssl's notAfter) -> *t. 0, or -1. */
int	hostsec_parse_time(const char *text, time_t *t);

#endif
