/* probe-timing.c: when a probe run's steps began and ended, from the
 * arrival marks of its output: the message of a run that ran out of time
 * (the step it was in, the last section the script had started, and when
 * each section began) and how long a whole run's queue step took. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe-int.h"

/* What a section runs on the host, for the message. */
static const char *
section_cmd(const char *name)
{
	static const char *const tab[][2] = {
		{ "meta", "stat" },
		{ "settings", "postconf -x" }, { "postconf-n", "sed main.cf" },
		{ "status", "master.pid" }, { "logfile", "stat of the log" },
		{ "log", "dd of the log" }, { "journal", "journalctl" },
		{ "queue", "postqueue" },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(tab[i][0], name) == 0)
			return tab[i][1];
	return NULL;
}

/* When the byte at offset off arrived (ms after the start), or -1. */
static int
arrived(const struct sshc_result *r, size_t off)
{
	int i;

	for (i = 0; i < r->nmarks; i++)
		if (r->marks[i].len > off)
			return r->marks[i].ms;
	return -1;
}

/* When section s's header line had arrived, or -1. */
static int
header_arrived(const struct sshc_result *r, const struct probe_section *s)
{
	return arrived(r, (size_t)(s->body - r->out) - 1);
}

int
probe_queue_step_ms(const struct sshc_result *r, const struct probe_output *o)
{
	size_t i, first = o->n, last = o->n;
	int start, end;

	for (i = 0; i < o->n; i++) {
		const struct probe_section *s = &o->v[i];

		if (strcmp(s->name, "queue") == 0) {
			if (first == o->n)
				first = i;
			last = o->n;	/* its step must follow */
		} else if (first != o->n && strcmp(s->name, "step") == 0 &&
		    s->args_len > 6 && memcmp(s->args, "queue ", 6) == 0)
			last = i;
	}
	/* from the first queue header to its last step line, which the
	 * script prints when postqueue has ended */
	if (first == o->n || last == o->n)
		return -1;
	start = header_arrived(r, &o->v[first]);
	end = header_arrived(r, &o->v[last]);
	if (start < 0 || end < start)
		return -1;
	return end - start;
}

void
probe_timeout_msg(char *buf, size_t n, const char *token,
    const struct sshc_result *r)
{
	struct probe_output *o = malloc(sizeof(*o));
	const struct probe_section *s;
	const char *what, *cmd;
	char step[64];
	size_t i, len;
	int ms;

	if (o == NULL || r->out_len == 0 ||
	    probe_sections_split(r->out, r->out_len, token, o) != 0 ||
	    o->n == 0) {
		snprintf(buf, n, "probe failed: %s after %.1f s%s", r->msg &&
		    r->msg[0] ? r->msg : "timed out", r->elapsed_ms / 1000.0,
		    r->out_len ? "" : " (no output: the probe script never "
		    "started)");
		free(o);
		return;
	}
	s = &o->v[o->n - 1];
	if (strcmp(s->name, "step") == 0) {
		/* "step NAME rc=N": that command ended; the next had not
		 * printed its header */
		len = s->args_len < sizeof(step) - 1 ? s->args_len :
		    sizeof(step) - 1;
		memcpy(step, s->args, len);
		step[len] = '\0';
		step[strcspn(step, " ")] = '\0';
		what = "after step";
	} else {
		snprintf(step, sizeof(step), "%s", s->name);
		what = "in step";
	}
	cmd = section_cmd(step);
	len = (size_t)snprintf(buf, n, "probe failed: timed out %s %s%s%s%s"
	    "%s %.1f s; first byte %.2f s; steps began at (s):", what,
	    step, cmd ? " (" : "", cmd ? cmd : "", cmd ? ")" : "",
	    *what == 'a' ? " ended, at" : " after", r->elapsed_ms / 1000.0,
	    arrived(r, 0) / 1000.0);
	for (i = 0; i < o->n && len < n; i++) {
		s = &o->v[i];
		if (strcmp(s->name, "step") == 0)
			continue;
		ms = header_arrived(r, s);
		len += (size_t)snprintf(buf + len, n - len, " %s %.2f",
		    s->name, ms / 1000.0);
	}
	free(o);
}
