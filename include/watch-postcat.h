/* watch-postcat.h: a queued message's envelope and headers on demand
 * (`postcat -ehq ID`), run over the host's session for the console's queue
 * view. Separate from watch.h: one small door of its own. */
#ifndef RELAYTOP_WATCH_POSTCAT_H
#define RELAYTOP_WATCH_POSTCAT_H

#include <stddef.h>

#include "watch.h"

/* What postcat printed (ok 1: text[0..len), raw remote bytes: sanitise
 * before any screen), or why it failed (ok 0: why, sanitised, one line;
 * text may hold the stderr). Borrowed during the call only. */
typedef void (*watch_postcat_fn)(void *arg, int host, const char *id,
	    int ok, const char *text, size_t len, const char *why);

/* Output kept at most; more is cut (the headers come first). */
#define WATCH_POSTCAT_MAX	(256u * 1024)

/* The sudoers line a non-root login needs for it (relaytop --sudoers
 * prints it). */
#define WATCH_POSTCAT_SUDO	"/usr/sbin/postcat ^-ehq [0-9A-Za-z]+$"

/* Runs `/usr/sbin/postcat -ehq 'ID'` on host as the login, and when that
 * fails (Postfix's queue is readable by root and postfix only) the same
 * through `sudo -n` (none for a root login), only when `sudo -n -l` says
 * the login may (a refused sudo would mail root an alert). fn runs once, from
 * watch_run (or watch_free). Returns 0 started, -1 with err: id is no
 * queue id, the host has postfix_config (only the default instance's
 * postcat is pinned), or is not connected. */
int	watch_postcat(struct watch *w, int host, const char *id,
	    watch_postcat_fn fn, void *arg, char *err, size_t errlen);

#endif
