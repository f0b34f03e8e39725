/* cli.h: the command line. cli_parse turns argv into struct options
 * (modes.h) without printing or exiting, so it can be unit-tested;
 * cli_run loads the inventory and dispatches to the mode. */
#ifndef RELAYTOP_CLI_H
#define RELAYTOP_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "modes.h"

/* The one way relaytop runs this time. */
enum cli_mode { CLI_CONSOLE = 0, CLI_ONCE, CLI_CHECK, CLI_LOG,
	CLI_TEST_SEND, CLI_FLUSH, CLI_SUDOERS, CLI_QUEUE, CLI_SERVE };

/* What cli_parse asks main to do. */
enum cli_result { CLI_RUN = 0, CLI_HELP, CLI_VERSION, CLI_ERROR };

/* Parses argv (getopt_long; resets getopt's state first, so it can be
 * called again). Fills *o (zeroed first; NO_COLOR in the environment sets
 * no_color) and *mode. Returns CLI_RUN, CLI_HELP or CLI_VERSION, or
 * CLI_ERROR with a one-line message in err (without the "relaytop: "
 * prefix): unknown option, missing or bad argument, conflicting modes,
 * an argument for a mode not chosen. o's strings borrow from argv. */
enum cli_result cli_parse(int argc, char **argv, struct options *o,
	    enum cli_mode *mode, char *err, size_t errlen);

/* The checks between --queue's options (src/cli-queue.c): --match, --id,
 * an operation and --dry-run only with --queue; --match or --id, not
 * both; --id with one host, each a queue id; --dry-run only with an
 * operation; --deliver with --id. 0, or -1 with err. */
int	cli_queue_check(const struct options *o, enum cli_mode mode, char *err,
	    size_t errlen);

/* Prints the usage summary (the --help text). */
void	cli_usage(FILE *f);

/* Default hosts file when --hosts is not given:
 * $XDG_CONFIG_HOME/relaytop/hosts.ini, else ~/.config/relaytop/hosts.ini.
 * Writes it into buf; returns buf, or NULL when neither variable is set. */
const char *cli_default_hosts(char *buf, size_t len);

/* Loads the inventory (not for --log), applies --read-only/[defaults]
 * read_only and --accept-new, checks --test-send/--flush name hosts of the
 * file, and runs the mode (which refuses actions when read-only); console
 * runs CLI_CONSOLE (main.c passes ui/'s mode_console). Returns the exit
 * status; usage and inventory errors print "relaytop: ..." on stderr and
 * return 2. */
int	cli_run(const struct options *o, enum cli_mode mode, mode_fn *console);

/* Prints "relaytop: WHAT" on out; then 0 (go ahead) when yes, else on a
 * terminal (tty) asks "Go ahead? [y/N]" and reads one line of in: 0 on
 * "y"/"yes", 1 otherwise; without a terminal refuses: 2. */
int	cli_confirm_io(const char *what, int yes, int tty, FILE *in, FILE *out);

/* cli_confirm_io for `--flush all` (origins_only 0: every host) or
 * `--test-send all` (1: every host not role = relay), naming how many hosts
 * and which, with o->yes, stdin (isatty) and stderr. */
int	cli_confirm_all(const struct options *o, const struct inventory *inv,
	    int origins_only);

#endif
