/* probe-queue.c: the queue in a probe run: whether this run reads it (the
 * log shows activity, the reading is old, never more often than its cost
 * allows) and turning its section (awk summary, -j listing or -p text)
 * into the model's queue_summary. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "probe-int.h"
#include "queue-summary.h"
#include "queue.h"

/* Whether this refresh reads the queue: when none is known, when the log
 * showed activity (or Postfix started or stopped) since, or when
 * that reading is queue_interval old (0: always), less the host's own
 * spread of up to a quarter of it (probe.c); but no sooner than
 * PROBE_QUEUE_COST_FACTOR times what that reading cost, so a huge queue
 * cannot keep the host busy. */
int
probe_wants_queue(const struct probe *p, int64_t now)
{
	int qi = p->h->cfg->queue_interval_s;
	int64_t age = now - p->queue_at;

	/* A postmulti instance entry: postqueue -c tells whether its master
	 * runs (no sudo rule names its master.pid), so every refresh. */
	if (!p->queue_known || qi <= 0 || p->h->cfg->instance[0] != '\0')
		return 1;
	if (age < (int64_t)PROBE_QUEUE_COST_FACTOR * p->queue_cost_ms)
		return 0;
	return p->events_since_queue > 0 ||
	    age >= (int64_t)qi * 1000 - p->queue_early_ms;
}

/* The queue sections: a summary (fmt=s, from the awk), the -j listing or
 * the -p text; none when this run did not ask (the model keeps what it
 * has). Returns 1 when a queue reading was taken. */
int
probe_take_queue(struct probe *p, const struct probe_output *o,
    struct findings_acc *f, int running)
{
	const struct probe_section *s, *st, *ok = NULL, *bad = NULL;
	struct queue_summary q;
	char fmt[4] = "", okfmt[4] = "", err[160];
	int i = -1, rc, r, pq_rc = -1;

	if (probe_section_next(o, "queue-skipped", &i) != NULL) {
		/* master known to be down: no queue to read */
		model_clear_queue(p->m, p->h);
		p->queue_known = 0;
		return 0;
	}
	i = -1;
	if (!p->queue_asked && probe_section_next(o, "queue", &i) == NULL)
		return 0;
	i = -1;
	while ((s = probe_section_next(o, "queue", &i)) != NULL) {
		rc = -1;
		st = probe_section_step(o, i, "queue", &rc);
		if (probe_section_arg(s, "fmt", fmt, sizeof(fmt)) != 0)
			fmt[0] = '\0';
		if (st != NULL && rc == 0) {
			ok = s;
			memcpy(okfmt, fmt, sizeof(okfmt));
		} else {
			bad = st;
		}
	}
	p->queue_known = 0;
	if (ok == NULL) {
		model_clear_queue(p->m, p->h);
		if (bad != NULL && running != 0) {
			probe_section_first_line(bad, err, sizeof(err));
			probe_problem(f, HP_QUEUE_UNREADABLE, "postqueue failed: %s",
			    err);
		}
		return 0;
	}
	memset(&q, 0, sizeof(q));
	if (strcmp(okfmt, "s") == 0) {
		r = queue_parse_summary(ok->body, ok->body_len, &q, &pq_rc, err,
		    sizeof(err));
		if (r == 0 && pq_rc != 0) {
			snprintf(err, sizeof(err), "postqueue exit %d", pq_rc);
			r = -1;
		}
	} else if (strcmp(okfmt, "j") == 0) {
		r = queue_parse_json(ok->body, ok->body_len, &q, err,
		    sizeof(err));
	} else {
		r = queue_parse_text(ok->body, ok->body_len, time(NULL), &q,
		    err, sizeof(err));
	}
	if (r != 0) {
		if (strcmp(okfmt, "p") != 0)
			p->queue_text = 1;	/* try -p next time */
		probe_problem(f, HP_QUEUE_UNREADABLE, "queue listing: %s", err);
		return 0;
	}
	model_set_queue(p->m, p->h, &q);
	p->queue_known = 1;
	return 1;
}

