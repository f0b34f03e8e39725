/* output.h: one snapshot of the model for --once: a plain text table (no
 * curses) and the stable JSON document described in assets/json-format.md.
 * Both read only sanitised model text. */
#ifndef RELAYTOP_OUTPUT_H
#define RELAYTOP_OUTPUT_H

#include <stdio.h>
#include <time.h>

#include "model.h"
#include "topology.h"

#define OUTPUT_JSON_VERSION	1
#define OUTPUT_RECENT_MINUTES	60	/* window of the recent counters */
#define OUTPUT_JSON_EVENTS	10	/* newest events per host in JSON */

/* Writes the table, the relay chain, problems and deferral reasons. width:
 * the terminal's columns (0: no limit; long columns are cut to fit).
 * Returns 0, -1 on a write error. */
int	output_text(FILE *f, const struct model *m, const struct topology *t,
	    time_t now, int width);

/* The JSON document as a heap string (caller frees); NULL on ENOMEM. */
char	*output_json_string(const struct model *m, const struct topology *t,
	    time_t now);

/* Writes output_json_string and a newline. Returns 0, -1 on error. */
int	output_json(FILE *f, const struct model *m, const struct topology *t,
	    time_t now);

/* 1 when the host's last probe answered (the --once exit status rule). */
int	output_host_answered(const struct host *h);

/* Names of problem bits ("sudo-password", ...), for text and JSON. */
const char *host_problem_name(unsigned bit);

/* Terminal width of fd (TIOCGWINSZ, else $COLUMNS, else 0). */
int	output_term_width(int fd);

#endif
