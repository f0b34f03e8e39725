/* web-config.h: --web-config FILE for --serve: TLS and basic auth set the
 * way Prometheus exporters set them (exporter-toolkit's web config file),
 * in the subset relaytop reads:
 *
 *   tls_server_config:
 *     cert_file: /etc/relaytop/server.crt
 *     key_file: /etc/relaytop/server.key
 *   basic_auth_users:
 *     prometheus: $2y$10$...        # a bcrypt hash (htpasswd -nBC 10)
 *
 * Block-style YAML only: two top-level keys, each with "key: value" lines
 * indented under it; '#' comments; values plain or in single or double
 * quotes (no escapes). Anything else is refused with FILE:LINE. */
#ifndef RELAYTOP_WEB_CONFIG_H
#define RELAYTOP_WEB_CONFIG_H

#include <stddef.h>

#define WEB_USERS_MAX	32
#define WEB_PATH_MAX	1024

struct web_user {
	char	name[64];
	char	hash[128];	/* a crypt(3) hash: bcrypt $2a$/$2b$/$2y$ */
};

struct web_config {
	char	cert_file[WEB_PATH_MAX];	/* "" with key_file "": no TLS */
	char	key_file[WEB_PATH_MAX];
	struct web_user users[WEB_USERS_MAX];
	size_t	nusers;				/* 0: no authentication */
};

/* Parses text (name is for messages). Returns 0, or -1 with "NAME:LINE:
 * what" in err: an unknown key, a key given twice, a value missing, a
 * cert_file without key_file (or the reverse), a hash that is not bcrypt,
 * a user name outside [A-Za-z0-9._@-]. */
int	web_config_parse(const char *text, const char *name,
	    struct web_config *c, char *err, size_t errlen);

/* Reads path (a regular file, at most 64 KiB) and parses it. */
int	web_config_load(const char *path, struct web_config *c, char *err,
	    size_t errlen);

/* A regular file of at most max bytes, whole and NUL-terminated (no NUL
 * inside); NULL with "PATH: why" in err. The caller frees. */
char	*web_file_read(const char *path, size_t max, char *err, size_t errlen);

#endif
