/* cli-confirm.c: `--test-send all` and `--flush all` say how many hosts
 * they touch before they act, then go ahead only with --yes or a "y" typed
 * on a terminal; without either they refuse (exit 2). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

int
cli_confirm_io(const char *what, int yes, int tty, FILE *in, FILE *out)
{
	char line[64];

	fprintf(out, "relaytop: %s\n", what);
	if (yes)
		return 0;
	if (!tty) {
		fprintf(out, "relaytop: not run: stdin is not a terminal; give "
		    "--yes to confirm\n");
		return 2;
	}
	fprintf(out, "Go ahead? [y/N] ");
	fflush(out);
	if (fgets(line, sizeof(line), in) == NULL)
		line[0] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0)
		return 0;
	fprintf(out, "relaytop: not confirmed: nothing done\n");
	return 1;
}

int
cli_confirm_all(const struct options *o, const struct inventory *inv,
    int origins_only)
{
	char what[1024];
	size_t i, n = 0, len;

	for (i = 0; i < inv->n; i++)
		n += !origins_only || inv->hosts[i].role != ROLE_RELAY;
	snprintf(what, sizeof(what), origins_only ? "--test-send all: sends a "
	    "test mail from %zu host%s (every origin):" : "--flush all: runs "
	    "postqueue -f on %zu host%s:", n, n == 1 ? "" : "s");
	for (i = 0; i < inv->n; i++) {
		if (origins_only && inv->hosts[i].role == ROLE_RELAY)
			continue;
		len = strlen(what);
		snprintf(what + len, sizeof(what) - len, " %s",
		    inv->hosts[i].name);
	}
	return cli_confirm_io(what, o->yes, isatty(STDIN_FILENO), stdin,
	    stderr);
}
