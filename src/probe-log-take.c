/* probe-log-take.c: the log sections of one probe run: each chunk checked
 * against the cursor, complete lines parsed into the model; errors (no log,
 * unreadable, sudo wants a password) become the host's problems. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "probe-int.h"
#include "shquote.h"

int
probe_sudo_wants_password(const struct probe_section *s)
{
	return probe_section_has(s, "password is required") ||
	    probe_section_has(s, "a terminal is required");
}

/* Feeds complete lines of buf[0..n) to the parser and the model. */
static void
feed_lines(struct probe *p, const char *buf, size_t n, int journal)
{
	int year = maillog_year_now();
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(buf + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - buf) : n, ln = end - i;
		struct mail_event ev;

		if (ln > 0 && buf[i + ln - 1] == '\r')
			ln--;
		/* journalctl's own lines ("-- cursor: ...") are not mail */
		if (ln > 0 && !(journal && ln > 1 && buf[i] == '-' &&
		    buf[i + 1] == '-') &&
		    maillog_parse_line(buf + i, ln, year, &ev) == 0 &&
		    ev.kind != EV_NONE && model_host_takes(p->h, &ev)) {
			model_add_event(p->m, p->h, &ev);
			p->events_since_queue++;
		}
		i = end + 1;
	}
}

static void
log_error(struct findings_acc *f, const struct probe_section *st,
    const char *path)
{
	char err[120];

	probe_section_first_line(st, err, sizeof(err));
	if (probe_sudo_wants_password(st))
		probe_problem(f, HP_SUDO_PASSWORD, "sudo -n refused %s%s (install "
		    "the rule relaytop --sudoers prints, or set sudo = no)",
		    strcmp(path, "journal") == 0 ? "/usr/bin/journalctl" :
		    "/usr/bin/stat or dd of ", strcmp(path, "journal") == 0 ?
		    "" : path);
	else if (probe_section_has(st, "No such file"))
		probe_problem(f, HP_LOG_NONE, "no maillog at %s", path);
	else if (probe_section_has(st, "ermission denied") ||
	    probe_section_has(st, "not permitted"))
		probe_problem(f, HP_LOG_UNREADABLE, "maillog unreadable: permission "
		    "denied (add the login to the log's group, e.g. adm or "
		    "systemd-journal, or set sudo = yes)");
	else
		probe_problem(f, HP_LOG_UNREADABLE, "maillog unreadable: %s", err);
}

/* Section s was read: the host says how (via=direct|sudo), and through
 * which group a direct read goes (grp=adm; absent: none). */
static void
take_via(struct probe *p, const struct probe_section *s)
{
	char via[8], grp[40];

	if (probe_section_arg(s, "via", via, sizeof(via)) == 0)
		model_set_log_via(p->m, p->h, via);
	if (probe_section_arg(s, "grp", grp, sizeof(grp)) != 0)
		grp[0] = '\0';
	model_set_log_group(p->m, p->h, grp);
}

/* The journal was read: the stamp its file had before (stamp=) is kept
 * and sent back, so that the next run skips journalctl while it holds. */
static void
journal_stamp_take(struct probe *p, const struct probe_section *s)
{
	char st[sizeof(p->journal_stamp)];

	if (probe_section_arg(s, "stamp", st, sizeof(st)) != 0 ||
	    !probe_valid_stamp(st))
		st[0] = '\0';
	memcpy(p->journal_stamp, st, strlen(st) + 1);
	p->journal_read_ms = clock_ms();
}

/* One "log" section at index i: check it, move the cursor, feed lines. */
static void
take_chunk(struct probe *p, const struct probe_output *o, int i,
    const char *path, struct findings_acc *f)
{
	const struct probe_section *s = &o->v[i], *st;
	struct log_chunk ch;
	uint64_t base;
	char kind[8];
	size_t skip, n, lead;
	int rc = -1;

	memset(&ch, 0, sizeof(ch));
	if (probe_section_arg(s, "kind", kind, sizeof(kind)) != 0 ||
	    (ch.kind = chunk_kind_parse(kind)) == CHUNK_KIND_MAX ||
	    probe_section_arg_u64(s, "ino", &ch.ino) != 0 ||
	    probe_section_arg_u64(s, "start", &ch.start) != 0 ||
	    probe_section_arg_u64(s, "end", &ch.end) != 0 ||
	    probe_section_arg_u64(s, "fsize", &ch.fsize) != 0 ||
	    probe_section_arg_u64(s, "base", &base) != 0 ||
	    base > ch.start || ch.start - base >= 4096) {
		probe_problem(f, HP_PROBE_GARBLED, "log chunk header garbled");
		return;
	}
	/* the data counts only when its step follows: else it was cut */
	st = probe_section_step(o, i, "logread", &rc);
	if (st == NULL) {
		probe_problem(f, HP_PROBE_GARBLED, "log output cut short");
		return;
	}
	if (rc != 0) {
		log_error(f, st, path);
		return;
	}
	take_via(p, s);
	lead = (size_t)(ch.start - base);
	ch.lead = lead > 0 ? s->body : NULL;	/* none asked: base == start */
	ch.lead_len = lead < s->body_len ? lead : s->body_len;
	ch.data = s->body + ch.lead_len;
	ch.len = s->body_len - ch.lead_len;
	if (log_cursor_take(&p->cur, path, &ch, PROBE_LOG_CAP, &skip, &n) != 0)
		return;
	feed_lines(p, ch.data + skip, n, 0);
}

void
probe_take_log(struct probe *p, const struct probe_output *o,
    struct findings_acc *f, char *path, size_t plen)
{
	const struct probe_section *s, *st;
	int i = -1, rc = -1;
	size_t k;

	path[0] = '\0';
	if (probe_section_next(o, "nolog", &i) != NULL) {
		probe_problem(f, HP_LOG_NONE, "no maillog found (maillog_file, "
		    "/var/log/maillog, /var/log/mail.log, journal)");
		return;
	}
	i = -1;
	if ((s = probe_section_next(o, "journal", &i)) != NULL) {
		char same[4];
		size_t skip, n;

		snprintf(path, plen, "journal");
		st = probe_section_step(o, i, "journal", &rc);
		/* no entry of a postfix* unit at all (a fresh or vacuumed
		 * journal): journalctl 252 fails, but nothing is missed */
		if (st != NULL && rc == 1 &&
		    probe_section_has(st, "No data available")) {
			take_via(p, s);
			journal_stamp_take(p, s);
			return;
		}
		if (st == NULL || rc != 0) {
			log_error(f, st, "journal");
			return;
		}
		take_via(p, s);
		if (probe_section_arg(s, "same", same, sizeof(same)) == 0 &&
		    strcmp(same, "1") == 0)
			return;		/* its file unchanged: not read */
		journal_stamp_take(p, s);
		journal_take(&p->journal, s->body, s->body_len, &skip, &n);
		feed_lines(p, s->body + skip, n, 1);
		return;
	}
	i = -1;
	s = probe_section_next(o, "logfile", &i);
	if (s == NULL) {
		int j = -1;

		if (probe_section_next(o, "log", &j) != NULL)
			probe_problem(f, HP_PROBE_GARBLED, "log data without its file");
		return;
	}
	k = s->body_len < plen ? s->body_len : plen - 1;
	memcpy(path, s->body, k);
	path[k] = '\0';
	if (strlen(path) != k || !valid_path(path)) {
		probe_problem(f, HP_LOG_UNREADABLE, "maillog path not usable");
		path[0] = '\0';
		return;
	}
	if ((st = probe_section_step(o, i, "logstat", &rc)) != NULL) {
		log_error(f, st, path);
		return;
	}
	for (k = (size_t)i + 1; k < o->n; k++)
		if (strcmp(o->v[k].name, "log") == 0)
			take_chunk(p, o, (int)k, path, f);
}

