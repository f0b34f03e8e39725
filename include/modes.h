/* modes.h: what main() dispatches to, one function per way of running
 * relaytop. Each returns the process exit status. */
#ifndef RELAYTOP_MODES_H
#define RELAYTOP_MODES_H

#include <stdio.h>

#include "config.h"

struct options {
	const char *hosts_path;
	int	once;
	int	json;
	int	check;
	const char *log_path;		/* --log FILE */
	const char *test_send;		/* --test-send ORIGIN (or "all") */
	const char *to;			/* --to ADDR */
	int	timeout_s;		/* --timeout S (actions), 0 default */
	const char *flush;		/* --flush HOST (or "all") */
	int	read_only;
	int	no_color;
	int	no_mouse;
	int	accept_new;		/* --accept-new host keys */
	int	yes;			/* --yes: no question before "all" */
	int	verbose;
	/* --queue (src/mode-queue.c) */
	const char *queue;		/* --queue HOST (or "all") */
	const char *match;		/* --match EXPR */
#define OPT_IDS_MAX	64
	const char *ids[OPT_IDS_MAX];	/* --id ID[,ID...], repeatable */
	int	nids;
	int	queue_op;		/* 0 list, else 1 + enum queue_op */
	int	dry_run;
	const char *serve;		/* --serve [ADDR:]PORT */
	const char *web_config;		/* --web-config FILE */
	int	console;		/* --console: with --serve */
	int	shard_k, shard_n;	/* --shard K/N; 0: none */
};

int	mode_once(const struct options *o, struct inventory *inv);
int	mode_log(const struct options *o);
int	mode_check(const struct options *o, struct inventory *inv);
int	mode_test_send(const struct options *o, struct inventory *inv);
int	mode_flush(const struct options *o, struct inventory *inv);
int	mode_sudoers(const struct options *o, struct inventory *inv);
int	mode_queue(const struct options *o, struct inventory *inv);
int	mode_serve(const struct options *o, struct inventory *inv);
/* A way of running relaytop over a loaded inventory. */
typedef int mode_fn(const struct options *o, struct inventory *inv);

/* The console lives in ui/ (ui/console.c); src/ never calls into ui/:
 * main.c hands it to cli_run. */
int	mode_console(const struct options *o, struct inventory *inv);

/* The sudoers rule for inv's logins (src/mode-sudoers.c) into out. 0, or
 * -1 with err naming the file, line and host whose maillog a rule cannot
 * pin. */
int	sudoers_write(FILE *out, const struct inventory *inv, char *err,
	    size_t errlen);

#endif
