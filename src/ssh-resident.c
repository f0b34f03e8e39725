/* ssh-resident.c: one resident command per session: started on its own
 * channel at the first request and kept running; each request is written
 * to its stdin and answered by the stdout up to an end marker. Saves the
 * per-refresh channel open, exec and shell start of a plain command. */
#include <stdlib.h>
#include <string.h>

#include "ssh-internal.h"

void
sshc_resident_keep_tail(struct sshc_cmd *k, const char *p, size_t n)
{
	size_t keep;

	if (n >= SSHC_MARKER_MAX) {
		memcpy(k->tail, p + n - SSHC_MARKER_MAX, SSHC_MARKER_MAX);
		k->tail_len = SSHC_MARKER_MAX;
		return;
	}
	keep = k->tail_len + n > SSHC_MARKER_MAX ? SSHC_MARKER_MAX - n :
	    k->tail_len;
	memmove(k->tail, k->tail + k->tail_len - keep, keep);
	memcpy(k->tail + keep, p, n);
	k->tail_len = keep + n;
}

int
sshc_resident_answered(const struct sshc_cmd *k)
{
	return k->mlen > 0 && k->tail_len >= k->mlen &&
	    memcmp(k->tail + k->tail_len - k->mlen, k->marker, k->mlen) == 0;
}

void
sshc_resident_detach(struct sshc *c, struct sshc_cmd *k)
{
	if (c->resident == k)
		c->resident = NULL;
	if (k->st == CMD_IDLE)
		k->st = CMD_CLOSE;	/* an idle one would stay open */
	k->resident = 0;
}

static void
outbuf_trim(struct outbuf *b)
{
	if (b->cap <= SSHC_OUTBUF_KEEP)
		return;
	free(b->p);
	b->p = NULL;
	b->cap = b->len = 0;	/* read_stream allocates again */
}

void
sshc_resident_trim(struct sshc_cmd *k)
{
	if (!k->resident || k->st != CMD_IDLE || k->cb != NULL)
		return;
	outbuf_trim(&k->out);
	outbuf_trim(&k->err);
}

/* Makes k ready for a new request (its buffers are reused, small). */
static int
request_set(struct sshc_cmd *k, const char *request, size_t len,
    const char *marker, size_t max_out, int timeout_ms, sshc_exec_cb cb,
    void *arg)
{
	char *in = malloc(len ? len : 1);

	if (in == NULL)
		return -1;
	memcpy(in, request, len);
	free(k->in);
	k->in = in;
	k->in_len = len;
	k->in_off = 0;
	k->out.len = k->err.len = 0;
	k->out.truncated = k->err.truncated = 0;
	k->out.max = k->err.max = max_out;
	k->tail_len = 0;
	k->nmarks = 0;
	k->mlen = strlen(marker);
	memcpy(k->marker, marker, k->mlen);
	k->start_ms = clock_ms();
	k->deadline = deadline_after(k->start_ms, timeout_ms);
	k->exit_status = -1;
	k->error = SSHE_NONE;
	k->errmsg[0] = '\0';
	k->finished = 0;
	k->cb = cb;
	k->arg = arg;
	return 0;
}

/* The resident sshc_ask reuses: running, idle, its last answer handed. */
static int
resident_reusable(const struct sshc_cmd *k)
{
	return k != NULL && k->st == CMD_IDLE && !k->cb;
}

int
sshc_resident_ready(const struct sshc *c)
{
	return c->state == SSHC_READY && resident_reusable(c->resident);
}

int
sshc_ask(struct sshc *c, const char *command, const char *request,
    size_t len, const char *end_marker, size_t max_out, int timeout_ms,
    sshc_exec_cb cb, void *arg)
{
	struct sshc_cmd *k = c->resident;

	if (c->state != SSHC_READY || !command || !request || !cb ||
	    !end_marker || strlen(end_marker) == 0 ||
	    strlen(end_marker) > SSHC_MARKER_MAX)
		return -1;
	if (timeout_ms <= 0)
		timeout_ms = c->cfg->timeout_s * 1000;
	if (resident_reusable(k)) {
		if (request_set(k, request, len, end_marker, max_out,
		    timeout_ms, cb, arg) != 0)
			return -1;
		k->st = CMD_STDIN;
		c->idle_inbound = 0;
		c->again = 1;	/* sshc_deadline() is now: the loop steps us */
		return 0;
	}
	if (k != NULL && k->cb)
		return -1;	/* a request in flight, or its answer not handed */
	if (k != NULL)
		sshc_resident_detach(c, k);	/* ending: let it close */
	/* A new resident: opened and started like any command. */
	if (sshc_exec(c, command, request, len, max_out, timeout_ms, cb,
	    arg) != 0)
		return -1;
	for (k = c->cmds; k->next; k = k->next)
		;
	k->resident = 1;
	k->mlen = strlen(end_marker);
	memcpy(k->marker, end_marker, k->mlen);
	c->resident = k;
	return 0;
}
