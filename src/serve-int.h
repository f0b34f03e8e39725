/* serve-int.h: what the --serve files share: the basic auth check
 * (serve-auth.c) that serve-http.c calls. */
#ifndef RELAYTOP_SERVE_INT_H
#define RELAYTOP_SERVE_INT_H

#include "web-config.h"

/* A password that passed, per user of the web config (its SHA-256). */
struct serve_auth_cache {
	unsigned char sum[32];
	int	valid;
};

/* 1 when user is in c and pass matches its bcrypt hash; cache holds
 * WEB_USERS_MAX entries, filled here. */
int	serve_auth_ok(const struct web_config *c,
	    struct serve_auth_cache *cache, const char *user, const char *pass);

#endif
