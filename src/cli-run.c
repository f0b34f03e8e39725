/* cli-run.c: after the command line is parsed: load the inventory (not for
 * --log), fold --read-only/[defaults] read_only and --accept-new into it,
 * check that --test-send/--flush name hosts of the file, run the mode.
 * Read-only refusals are the modes' own (they log them as actions). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "modes.h"
#include "sanitize.h"
#include "shard.h"

/* Prints "relaytop: MSG" as one sanitised line; returns 2. */
static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	char msg[1400], clean[1400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sanitize_copy(clean, sizeof(clean), msg, strlen(msg));
	fprintf(stderr, "relaytop: %s\n", clean);
	return 2;
}

/* 1 when name is "all" or a host of inv. */
static int
names_host(const struct inventory *inv, const char *name)
{
	return strcmp(name, "all") == 0 || config_find(inv, name) >= 0;
}

static int
dispatch(const struct options *o, enum cli_mode mode, struct inventory *inv,
    mode_fn *console)
{
	switch (mode) {
	case CLI_ONCE:
		return mode_once(o, inv);
	case CLI_CHECK:
		return mode_check(o, inv);
	case CLI_TEST_SEND:
		return mode_test_send(o, inv);
	case CLI_FLUSH:
		return mode_flush(o, inv);
	case CLI_LOG:
		return mode_log(o);
	case CLI_SUDOERS:
		return mode_sudoers(o, inv);
	case CLI_QUEUE:
		return mode_queue(o, inv);
	case CLI_SERVE:
		return mode_serve(o, inv);
	case CLI_CONSOLE:
	default:
		return console(o, inv);
	}
}

int
cli_run(const struct options *opt, enum cli_mode mode, mode_fn *console)
{
	struct options o = *opt;
	struct inventory inv;
	char err[1200], def[CFG_PATH_MAX];
	size_t i;
	int rc;

	if (mode == CLI_LOG)
		return mode_log(&o);
	if (o.hosts_path == NULL) {
		o.hosts_path = cli_default_hosts(def, sizeof(def));
		if (o.hosts_path == NULL || access(o.hosts_path, F_OK) != 0)
			return usage_error("no hosts file (use --hosts FILE, "
			    "or create %s)", o.hosts_path != NULL ?
			    o.hosts_path : "$HOME/.config/relaytop/hosts.ini");
	}
	if (config_load(o.hosts_path, &inv, err, sizeof(err)) != 0)
		return usage_error("%s", err);	/* FILE:LINE: what */
	if (o.shard_n > 0 && shard_apply(&inv, o.shard_k, o.shard_n) != 0) {
		config_free(&inv);
		return usage_error("--shard: out of memory");
	}
	if (inv.read_only)
		o.read_only = 1;
	if (o.read_only)
		inv.read_only = 1;
	if (o.accept_new)
		for (i = 0; i < inv.n; i++)
			inv.hosts[i].hostkey_policy = HOSTKEY_ACCEPT_NEW;
	rc = -1;
	if (o.test_send != NULL && !names_host(&inv, o.test_send))
		rc = usage_error("--test-send: no host '%s' in the hosts file",
		    o.test_send);
	else if (o.flush != NULL && !names_host(&inv, o.flush))
		rc = usage_error("--flush: no host '%s' in the hosts file",
		    o.flush);
	else if (o.queue != NULL && !names_host(&inv, o.queue))
		rc = usage_error("--queue: no host '%s' in the hosts file",
		    o.queue);
	if (rc < 0)
		rc = dispatch(&o, mode, &inv, console);
	config_free(&inv);
	return rc;
}
