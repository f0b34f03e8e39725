/* check.h: the relay doctor. Rules over the model's settings, topology and
 * recent events that find what breaks the chain, say why, and give the fix.
 * Severities follow the monitoring convention used by --check's exit code.
 * The rules and their thresholds are described in assets/check-format.md. */
#ifndef RELAYTOP_CHECK_H
#define RELAYTOP_CHECK_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "model.h"
#include "topology.h"

enum severity { SEV_OK = 0, SEV_WARNING = 1, SEV_CRITICAL = 2,
	SEV_UNKNOWN = 3, SEV_INFO = 4 };

#define FINDING_MAX_HOSTS	4

struct finding {
	char	id[40];			/* stable: "open-relay", ... */
	enum severity sev;
	int	hosts[FINDING_MAX_HOSTS];	/* inventory indexes */
	int	nhosts;
	char	what[256];		/* what goes wrong for mail */
	char	evidence[256];		/* the setting or log line */
	char	fix[256];		/* main.cf line on which host, or rule */
	int	fix_host;		/* host the fix is applied on; -1 none */
	char	see[40];		/* log findings: id of the rule that
					 * explains them; "" none */
};

struct findings {
	struct finding *v;
	size_t	n;
};

/* --- port-25 reachability, tested from each origin (port-probe.c) ------ */

enum port_state { PORT_UNTESTED = 0, PORT_OPEN, PORT_REFUSED,
	PORT_TIMEOUT, PORT_UNREACHABLE, PORT_ERROR,
	PORT_READ_ONLY };	/* not run: read-only opens no connection */

struct port_result {
	int	from, to;		/* host indexes (to: -1 outside) */
	int	kind;			/* enum edge_kind of the tested edge */
	char	host[256];		/* what was connected to */
	int	port;
	enum port_state state;
	char	detail[160];		/* sanitised: banner or error text */
	int	elapsed_ms;
};

struct port_results {
	struct port_result *v;
	size_t	n;
};

/* Runs every rule. Returns 0, -1 on ENOMEM. */
int	check_run(const struct model *m, const struct topology *t, time_t now,
	    struct findings *out);

/* Same, with port-25 test results (NULL: none, port rules stay silent).
 * Findings come sorted: critical, warning, unknown, info. */
int	check_run_ports(const struct model *m, const struct topology *t,
	    const struct port_results *ports, time_t now,
	    struct findings *out);
void	findings_free(struct findings *f);

/* Exit status for --check: worst severity (INFO counts as OK); UNKNOWN
 * when a host could not be probed and nothing worse was found. The order
 * is critical (2) > warning (1) > unknown (3) > ok (0). */
int	findings_exit_status(const struct findings *f, const struct model *m);
const char *severity_name(enum severity s);
const char *port_state_name(enum port_state s);

/* Output (check-format.c). Text: a summary line, then one block per
 * finding. JSON: {"version":1,"status":N,"findings":[...]} on one line.
 * Both return 0, -1 on a write error. */
int	check_print_text(FILE *fp, const struct model *m,
	    const struct findings *f, int status);
int	check_print_json(FILE *fp, const struct model *m,
	    const struct findings *f, int status);

#endif
