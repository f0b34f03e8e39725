/* watch-queue.c: the operations on a host's queued messages (postsuper
 * hold/release/requeue/delete with ids on stdin through one pinned sudo
 * line, postqueue -i): each re-checks that an id still names the message
 * listed (watch-queue-list.c), runs in throttled batches and writes every
 * batch to the action log before and after. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action-int.h"
#include "clock.h"
#include "sanitize.h"
#include "shquote.h"
#include "sshc.h"
#include "watch-int.h"

#define WQ_ERR_MAX	4096	/* stderr kept */
#define WQ_ERR_PER_ID	96	/* postsuper's line per id ("ID: removed") */
#define WQ_LOG_IDS	40	/* ids per action-log line */

enum wq_phase { WJ_REREAD = 0, WJ_RUN, WJ_BATCH, WJ_DONE };

struct watch_queue_job {
	struct watch *w;	/* NULL: the watch is gone (a batch's cb) */
	struct watch_queue_job *next;
	int	host;
	enum queue_op op;
	struct queue_ref *refs;
	unsigned char *st;	/* enum queue_ref_state per ref */
	time_t	*seen;		/* arrival seen on the re-read; -1 none */
	size_t	*order;		/* ref indexes sorted by id */
	size_t	n, batch, next_i;
	size_t	*inflight, ninflight;
	int	pause_ms;
	int64_t	next_at;
	enum wq_phase phase;
	int	stop, freed;
	size_t	acted;
	char	status[512];
	char	err[300];
};

static const char *const op_names[QOP_MAX] = { "hold", "release",
	"requeue", "delete", "deliver" };
static const char *const op_cmds[QOP_MAX] = {
	"/usr/sbin/postsuper -h -", "/usr/sbin/postsuper -H -",
	"/usr/sbin/postsuper -r -", "/usr/sbin/postsuper -d -",
	"/usr/sbin/postqueue -i" };

const char *
queue_op_name(enum queue_op op)
{
	return (unsigned)op < QOP_MAX ? op_names[op] : "?";
}

const char *
queue_op_command(enum queue_op op)
{
	return (unsigned)op < QOP_MAX ? op_cmds[op] : "";
}

static const char *
hname(const struct watch *w, int host)
{
	return w->inv->hosts[host].name;
}

/* --- operations ----------------------------------------------------------- */

static const struct queue_ref *sort_refs;

static int
by_id(const void *a, const void *b)
{
	return strcmp(sort_refs[*(const size_t *)a].id,
	    sort_refs[*(const size_t *)b].id);
}

/* The ref index of id, or (size_t)-1. */
static size_t
ref_find(const struct watch_queue_job *j, const char *id)
{
	size_t lo = 0, hi = j->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(id, j->refs[j->order[mid]].id);
		if (c == 0)
			return j->order[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (size_t)-1;
}

static void
job_log(struct watch_queue_job *j, const char *args, const char *result)
{
	char act[32];

	snprintf(act, sizeof(act), "queue-%s", queue_op_name(j->op));
	if (action_log_append(hname(j->w, j->host), act, args, result) != 0 &&
	    j->err[0] == '\0')
		snprintf(j->err, sizeof(j->err), "action log not written; "
		    "%s stopped", queue_op_name(j->op));
}

static void
job_status(struct watch_queue_job *j)
{
	size_t cnt[QR_NOT_RUN + 1], acted;

	watch_queue_job_counts(j, cnt, &acted);
	if (snprintf(j->status, sizeof(j->status), "%s %s: %zu of %zu done, "
	    "%zu gone, %zu id reused%s%s%s%s", queue_op_name(j->op),
	    hname(j->w, j->host), cnt[QR_DONE], j->n, cnt[QR_GONE],
	    cnt[QR_REUSED], cnt[QR_FAILED] ? ", failed: " : "",
	    cnt[QR_FAILED] ? j->err : "", cnt[QR_NOT_RUN] ? ", not run: " : "",
	    cnt[QR_NOT_RUN] ? (j->err[0] ? j->err : "stopped") : "") < 0)
		j->status[0] = '\0';
}

static void
job_finish(struct watch_queue_job *j)
{
	size_t i;

	for (i = 0; i < j->n; i++)
		if (j->st[i] == QR_PENDING)
			j->st[i] = QR_NOT_RUN;
	j->phase = WJ_DONE;
	job_status(j);
}

static void
job_seen(void *arg, const struct queue_msg *m)
{
	struct watch_queue_job *j = arg;
	size_t i = ref_find(j, m->id);

	if (i != (size_t)-1)
		j->seen[i] = m->arrival;
}

static void
job_listed(void *arg, int host, int ok, const char *msg, unsigned long bad)
{
	struct watch_queue_job *j = arg;
	char args[128];
	size_t i;

	if (!ok) {
		snprintf(j->err, sizeof(j->err), "could not re-read the queue: "
		    "%s", msg);
		job_log(j, "re-read", j->err);
		job_finish(j);
		return;
	}
	for (i = 0; i < j->n; i++) {
		if (j->seen[i] == j->refs[i].arrival)
			continue;
		j->st[i] = j->seen[i] == (time_t)-1 ? QR_GONE : QR_REUSED;
		snprintf(args, sizeof(args), "id=%s arrival=%lld",
		    j->refs[i].id, (long long)j->refs[i].arrival);
		job_log(j, args, j->st[i] == QR_GONE ? "skipped: no longer "
		    "queued" : "skipped: the id now names another message");
	}
	j->phase = WJ_RUN;
	j->next_at = clock_ms();
	job_status(j);
}

/* The last line of the command's stderr (postsuper's "Deleted: 3
 * messages"), else action_result_msg's. */
static void
last_line(const struct sshc_result *r, char *buf, size_t len)
{
	const char *s = r->err, *e, *b;

	if (r->error != SSHE_NONE || s == NULL || r->err_len == 0) {
		action_result_msg(r, buf, len);
		return;
	}
	e = s + r->err_len;
	while (e > s && (e[-1] == '\n' || e[-1] == '\r'))
		e--;
	for (b = e; b > s && b[-1] != '\n'; b--)
		;
	sanitize_copy(buf, len, b, (size_t)(e - b));
}

/* "Deleted: 12 messages" and the like: the number, or 0. */
static size_t
acted_of(const struct sshc_result *r)
{
	static const char *const words[] = { "Deleted: ", "Placed on hold: ",
	    "Released from hold: ", "Requeued: " };
	const char *s = r->err_len ? r->err : r->out, *p;
	size_t i, n = 0;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (s != NULL && (p = strstr(s, words[i])) != NULL)
			n += strtoul(p + strlen(words[i]), NULL, 10);
	return n;
}

static void
batch_done(void *arg, const struct sshc_result *r)
{
	struct watch_queue_job *j = arg;
	char msg[300], res[400];
	int ok = r->error == SSHE_NONE && r->exit_status == 0;
	size_t i, k;

	if (j->freed) {		/* freed while this batch ran */
		free(j);
		return;
	}
	last_line(r, msg, sizeof(msg));
	k = j->op == QOP_DELIVER ? (ok ? j->ninflight : 0) : acted_of(r);
	j->acted += k;
	for (i = 0; i < j->ninflight; i++)
		j->st[j->inflight[i]] = ok ? QR_DONE : QR_FAILED;
	if (!ok)
		snprintf(j->err, sizeof(j->err), "%s", msg);
	if (j->w != NULL) {
		snprintf(res, sizeof(res), "%s %zu: %s", ok ? "done" : "failed",
		    j->ninflight, r->err_len || r->out_len || !ok ? msg :
		    "no output");
		job_log(j, ok ? "batch" : "batch failed", res);
		if (j->op != QOP_DELIVER || !ok)
			fleet_refresh_now(j->w->f, j->host);
	}
	j->ninflight = 0;
	j->phase = WJ_RUN;
	j->next_at = clock_ms() + j->pause_ms;
	if (!ok || j->w == NULL)
		j->stop = 1;
	if (j->w == NULL)
		job_finish(j);
	else
		job_status(j);
}

/* The command for op on host: sudo -n unless the login is root. sudo -n -l
 * asks first: a refused sudo mails root sudo's security alert (once a
 * batch), a refused sudo -l does not; the ids on stdin reach postsuper. */
static int
op_command(const struct watch_queue_job *j, char *cmd, size_t len,
    const char *id)
{
	const struct host_config *cfg = &j->w->inv->hosts[j->host];
	const char *pin = queue_op_command(j->op);
	int n;

	if (j->op == QOP_DELIVER) {
		if (action_postfix_cmd(cmd, len, cfg, "postqueue", "-c") != 0 ||
		    strlen(cmd) + 5 >= len)
			return -1;
		strcat(cmd, " -i ");
		return shquote_append(cmd, len, id);
	}
	if (strcmp(cfg->user, "root") == 0)
		n = snprintf(cmd, len, "%s", pin);
	else
		n = snprintf(cmd, len, "if sudo -n -l %s >/dev/null 2>&1; "
		    "then exec sudo -n %s; else echo 'sudo does not allow "
		    "%s for this login: install the rule relaytop --sudoers "
		    "prints' >&2; exit 1; fi", pin, pin, pin);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

static void
batch_start(struct watch_queue_job *j)
{
	size_t want = j->op == QOP_DELIVER ? 1 : j->batch, i, k, len = 0;
	char cmd[1024], args[800], *in;
	struct sshc *c;
	int lo;

	j->ninflight = 0;
	for (i = j->next_i; i < j->n && j->ninflight < want; i++)
		if (j->st[i] == QR_PENDING)
			j->inflight[j->ninflight++] = i;
	j->next_i = i;
	if (j->ninflight == 0) {
		job_finish(j);
		return;
	}
	if ((c = watch_session_ready(j->w, j->host, j->err,
	    sizeof(j->err))) == NULL ||
	    op_command(j, cmd, sizeof(cmd), j->refs[j->inflight[0]].id) != 0 ||
	    (in = malloc(j->ninflight * QUEUE_ID_SIZE + 1)) == NULL) {
		if (j->err[0] == '\0')
			snprintf(j->err, sizeof(j->err), "command not built");
		j->ninflight = 0;
		job_finish(j);
		return;
	}
	/* the ids, before anything runs: WQ_LOG_IDS a line */
	for (i = 0; i < j->ninflight; i += WQ_LOG_IDS) {
		lo = snprintf(args, sizeof(args), "%s ids %zu-%zu of %zu:",
		    j->op == QOP_DELIVER ? "postqueue -i" : "postsuper",
		    i + 1, i + WQ_LOG_IDS < j->ninflight ? i + WQ_LOG_IDS :
		    j->ninflight, j->ninflight);
		for (k = i; k < j->ninflight && k < i + WQ_LOG_IDS; k++)
			lo += snprintf(args + lo, sizeof(args) - (size_t)lo,
			    " %s", j->refs[j->inflight[k]].id);
		job_log(j, args, "starting");
	}
	for (i = 0; i < j->ninflight; i++) {
		const char *id = j->refs[j->inflight[i]].id;

		memcpy(in + len, id, strlen(id));
		len += strlen(id);
		in[len++] = '\n';
	}
	if (j->err[0] != '\0' || sshc_exec(c, cmd, j->op == QOP_DELIVER ?
	    NULL : in, j->op == QOP_DELIVER ? 0 : len,
	    /* room for a line per id: the count comes last */
	    WQ_ERR_MAX + j->ninflight * WQ_ERR_PER_ID,
	    action_exec_ms(&j->w->inv->hosts[j->host]), batch_done, j) != 0) {
		if (j->err[0] == '\0')
			snprintf(j->err, sizeof(j->err), "session busy or lost");
		j->ninflight = 0;
		free(in);
		job_finish(j);
		return;
	}
	free(in);
	j->phase = WJ_BATCH;
	job_status(j);
}

static void
job_tick(struct watch_queue_job *j)
{
	if (j->phase != WJ_RUN)
		return;
	if (j->stop) {
		job_finish(j);
		return;
	}
	if (clock_ms() >= j->next_at)
		batch_start(j);
}

void
watch_queue_tick(struct watch *w)
{
	struct watch_queue_job *j;

	for (j = w->qjobs; j != NULL; j = j->next)
		job_tick(j);
}

static struct watch_queue_job *
job_refuse(struct watch *w, int host, enum queue_op op, const char *args,
    const char *msg, char *err, size_t errlen)
{
	char act[32];

	snprintf(err, errlen, "%s", msg);
	snprintf(act, sizeof(act), "queue-%s", queue_op_name(op));
	action_log_append(host >= 0 && (size_t)host < w->inv->n ?
	    hname(w, host) : "-", act, args, msg);
	return NULL;
}

struct watch_queue_job *
watch_queue_job_start(struct watch *w, int host, enum queue_op op,
    const struct queue_ref *refs, size_t n, size_t batch, int pause_ms,
    char *err, size_t errlen)
{
	struct watch_queue_job *j;
	char args[64], why[300];
	size_t i;

	snprintf(args, sizeof(args), "%zu message%s", n, n == 1 ? "" : "s");
	if ((unsigned)op >= QOP_MAX || host < 0 || (size_t)host >= w->inv->n)
		return job_refuse(w, host, op, args, "no such host or "
		    "operation", err, errlen);
	if (actions_read_only(w->a))
		return job_refuse(w, host, op, args, ACTIONS_READ_ONLY_MSG, err,
		    errlen);
	if (op != QOP_DELIVER && w->inv->hosts[host].postfix_config[0])
		return job_refuse(w, host, op, args, "postfix_config is set: "
		    "the pinned postsuper line serves the default instance "
		    "only", err, errlen);
	if (op != QOP_DELIVER && !w->inv->hosts[host].sudo &&
	    strcmp(w->inv->hosts[host].user, "root") != 0)
		return job_refuse(w, host, op, args, "postsuper needs root: "
		    "set sudo = yes and install the rule relaytop --sudoers "
		    "prints", err, errlen);
	for (i = 0; i < n; i++)
		if (refs[i].host != host || !valid_queue_id(refs[i].id))
			return job_refuse(w, host, op, args, "a ref of another "
			    "host or an invalid queue id", err, errlen);
	if (watch_session_ready(w, host, why, sizeof(why)) == NULL)
		return job_refuse(w, host, op, args, why, err, errlen);
	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->refs = malloc((n ? n : 1) * sizeof(*j->refs))) == NULL ||
	    (j->st = calloc(n ? n : 1, 1)) == NULL ||
	    (j->seen = malloc((n ? n : 1) * sizeof(*j->seen))) == NULL ||
	    (j->order = malloc((n ? n : 1) * sizeof(*j->order))) == NULL ||
	    (j->inflight = malloc((n ? n : 1) * sizeof(size_t))) == NULL) {
		watch_queue_job_free(j);
		return job_refuse(w, host, op, args, "out of memory", err,
		    errlen);
	}
	j->w = w;
	j->host = host;
	j->op = op;
	j->n = n;
	j->batch = batch ? batch : WATCH_QUEUE_BATCH;
	j->pause_ms = pause_ms < 0 ? 0 : pause_ms;
	memcpy(j->refs, refs, n * sizeof(*refs));
	for (i = 0; i < n; i++) {
		j->seen[i] = (time_t)-1;
		j->order[i] = i;
	}
	sort_refs = j->refs;
	qsort(j->order, n, sizeof(*j->order), by_id);
	for (i = 1; i < n; i++)
		if (strcmp(refs[j->order[i]].id, refs[j->order[i - 1]].id)
		    == 0) {
			snprintf(why, sizeof(why), "queue id %s given twice",
			    refs[j->order[i]].id);
			watch_queue_job_free(j);
			return job_refuse(w, host, op, args, why, err, errlen);
		}
	j->next = w->qjobs;
	w->qjobs = j;
	if (watch_queue_list(w, host, job_seen, job_listed, j, why,
	    sizeof(why)) != 0) {
		watch_queue_job_free(j);
		return job_refuse(w, host, op, args, why, err, errlen);
	}
	snprintf(j->status, sizeof(j->status), "%s %s: re-reading the queue",
	    queue_op_name(op), hname(w, host));
	return j;
}

void
watch_queue_job_stop(struct watch_queue_job *j)
{
	if (j != NULL)
		j->stop = 1;
}

int
watch_queue_job_done(const struct watch_queue_job *j)
{
	return j->phase == WJ_DONE;
}

void
watch_queue_job_counts(const struct watch_queue_job *j,
    size_t count[QR_NOT_RUN + 1], size_t *acted)
{
	size_t i;

	memset(count, 0, (QR_NOT_RUN + 1) * sizeof(count[0]));
	for (i = 0; i < j->n; i++)
		count[j->st[i]]++;
	if (acted != NULL)
		*acted = j->acted;
}

const struct queue_ref *
watch_queue_job_ref(const struct watch_queue_job *j, size_t i,
    enum queue_ref_state *st)
{
	if (i >= j->n)
		return NULL;
	if (st != NULL)
		*st = (enum queue_ref_state)j->st[i];
	return &j->refs[i];
}

const char *
watch_queue_job_status(const struct watch_queue_job *j)
{
	return j->status;
}

void
watch_queue_job_free(struct watch_queue_job *j)
{
	struct watch_queue_job **pp;

	if (j == NULL)
		return;
	if (j->w != NULL) {
		watch_queue_list_cancel(j->w, j);
		for (pp = &j->w->qjobs; *pp != NULL; pp = &(*pp)->next)
			if (*pp == j) {
				*pp = j->next;
				break;
			}
	}
	free(j->refs);
	free(j->st);
	free(j->seen);
	free(j->order);
	free(j->inflight);
	if (j->phase == WJ_BATCH) {	/* its callback frees the rest */
		j->freed = 1;
		return;
	}
	free(j);
}

void
watch_queue_free(struct watch *w)
{
	while (w->qjobs != NULL)
		watch_queue_job_free(w->qjobs);
	watch_queue_lists_drop(w);
}
