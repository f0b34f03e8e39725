/* check.h: the relay doctor. Rules over the model's settings, topology and
 * recent events that find what breaks the chain, say why, and give the fix.
 * Severities follow the monitoring convention used by --check's exit code. */
#ifndef RELAYTOP_CHECK_H
#define RELAYTOP_CHECK_H

#include <stddef.h>
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
};

struct findings {
	struct finding *v;
	size_t	n;
};

/* Runs every rule. Returns 0, -1 on ENOMEM. */
int	check_run(const struct model *m, const struct topology *t, time_t now,
	    struct findings *out);
void	findings_free(struct findings *f);

/* Exit status for --check: worst severity (INFO counts as OK); UNKNOWN
 * when a host could not be probed and nothing worse was found. */
int	findings_exit_status(const struct findings *f, const struct model *m);
const char *severity_name(enum severity s);

#endif
