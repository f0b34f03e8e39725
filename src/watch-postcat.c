/* watch-postcat.c: `postcat -ehq ID` of one queued message over the host's
 * session, as the login first, then through `sudo -n` (the queue files are
 * root's and postfix's only); the id is checked as a Postfix queue id and
 * single-quoted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action-int.h"
#include "queue-id.h"
#include "shquote.h"
#include "sshc.h"
#include "watch-int.h"
#include "watch-postcat.h"

struct pc_req {
	int	host;
	char	id[QUEUE_ID_SIZE];
	watch_postcat_fn fn;
	void	*arg;
};

static void
pc_done(void *arg, const struct sshc_result *r)
{
	struct pc_req *q = arg;
	char why[300];

	if (r->error == SSHE_NONE && r->exit_status == 0) {
		q->fn(q->arg, q->host, q->id, 1, r->out, r->out_len, "");
	} else {
		action_result_msg(r, why, sizeof why);
		q->fn(q->arg, q->host, q->id, 0, r->err, r->err_len, why);
	}
	free(q);
}

int
watch_postcat(struct watch *w, int host, const char *id,
    watch_postcat_fn fn, void *arg, char *err, size_t errlen)
{
	const struct host_config *cfg;
	char cmd[512], one[128];
	struct pc_req *q;
	struct sshc *c;

	if (host < 0 || (size_t)host >= w->inv->n) {
		snprintf(err, errlen, "no such host");
		return -1;
	}
	cfg = &w->inv->hosts[host];
	if (id == NULL || !queue_id_valid(id, strlen(id))) {
		snprintf(err, errlen, "not a queue id");
		return -1;
	}
	if (cfg->postfix_config[0] != '\0') {
		snprintf(err, errlen, "%s: postcat of a postfix_config "
		    "instance is not supported", cfg->name);
		return -1;
	}
	c = fleet_session(w->f, host);
	if (c == NULL || sshc_state(c) != SSHC_READY) {
		snprintf(err, errlen, "%s: not connected", cfg->name);
		return -1;
	}
	one[0] = '\0';
	if (shquote_append(one, sizeof one, id) != 0)
		return -1;
	if (strcmp(cfg->user, "root") == 0)
		snprintf(cmd, sizeof cmd, "/usr/sbin/postcat -ehq %s", one);
	else
		snprintf(cmd, sizeof cmd, "/usr/sbin/postcat -ehq %s "
		    "2>/dev/null || sudo -n /usr/sbin/postcat -ehq %s", one, one);
	if ((q = calloc(1, sizeof *q)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	q->host = host;
	memcpy(q->id, id, strlen(id) + 1);
	q->fn = fn;
	q->arg = arg;
	if (sshc_exec(c, cmd, NULL, 0, WATCH_POSTCAT_MAX,
	    action_exec_ms(cfg), pc_done, q) != 0) {
		free(q);
		snprintf(err, errlen, "%s: session busy or lost", cfg->name);
		return -1;
	}
	return 0;
}
