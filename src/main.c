/* main.c: relaytop's entry point, the one file that joins the core to the
 * console. Parses the command line (cli.c), answers --help and --version,
 * and hands the run to cli_run (cli-run.c) with ui/'s mode_console. */
#include <signal.h>
#include <stdio.h>

#include "cli.h"
#include "version.h"

int
main(int argc, char **argv)
{
	struct options o;
	enum cli_mode mode;
	char err[512];

	/* A closed pipe or socket is an error return, never a signal. */
	signal(SIGPIPE, SIG_IGN);
	switch (cli_parse(argc, argv, &o, &mode, err, sizeof(err))) {
	case CLI_HELP:
		cli_usage(stdout);
		return fflush(stdout) == 0 ? 0 : 1;
	case CLI_VERSION:
		printf("relaytop %s\n", RELAYTOP_VERSION);
		return fflush(stdout) == 0 ? 0 : 1;
	case CLI_ERROR:
		fprintf(stderr, "relaytop: %s (see relaytop --help)\n", err);
		return 2;
	case CLI_RUN:
	default:
		return cli_run(&o, mode, mode_console);
	}
}
