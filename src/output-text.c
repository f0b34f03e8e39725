/* output-text.c: the --once snapshot as plain text: one row per host, cut
 * to the terminal's width, then the relay chain (level by level: origins,
 * relays, outbound relays ...), problems and the reasons
 * mail waits in the queue, as the locale can show it (output-locale.h).
 * Also the small helpers --once shares with JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "output-locale.h"
#include "output.h"
#include "shard.h"

enum { C_NAME, C_ROLE, C_ADDR, C_STATE, C_RELAY, C_FALLBACK, C_NETS,
	C_IFACES, C_QUEUE, C_SENT, C_DEF, C_BNC, C_REF, C_LAST, C_MAX };

#define CELL	256

static const struct {
	const char *title;
	int	min;		/* narrowest it may be cut to */
	int	right;		/* numbers: right-aligned */
} cols[C_MAX] = {
	[C_NAME] = { "NAME", 0, 0 }, [C_ROLE] = { "ROLE", 0, 0 },
	[C_ADDR] = { "ADDRESS", 0, 0 }, [C_STATE] = { "STATE", 0, 0 },
	[C_RELAY] = { "RELAYHOST", 13, 0 },
	[C_FALLBACK] = { "FALLBACK", 15, 0 },
	[C_NETS] = { "MYNETWORKS", 12, 0 },
	[C_IFACES] = { "INET_IFACES", 11, 0 },
	[C_QUEUE] = { "Q A/D/H", 0, 1 }, [C_SENT] = { "SENT", 0, 1 },
	[C_DEF] = { "DEFER", 0, 1 }, [C_BNC] = { "BOUNCE", 0, 1 },
	[C_REF] = { "REFUSED", 0, 1 },
	[C_LAST] = { "LAST OUTCOME", 16, 0 },
};

/* When the table is too wide: columns cut (to their min) first, then
 * columns left out (width -1), in these orders. */
static const int shrink_order[] = { C_LAST, C_NETS, C_IFACES, C_FALLBACK,
	C_RELAY };
static const int hide_order[] = { C_IFACES, C_NETS, C_FALLBACK, C_LAST,
	C_ADDR, C_ROLE };

static const unsigned problem_bits[] = { HP_SUDO_PASSWORD, HP_LOG_UNREADABLE,
	HP_NO_POSTFIX, HP_POSTFIX_STOPPED, HP_QUEUE_UNREADABLE,
	HP_PROBE_GARBLED, HP_LOG_NONE };

const char *
host_problem_name(unsigned bit)
{
	switch (bit) {
	case HP_SUDO_PASSWORD:
		return "sudo-password";
	case HP_LOG_UNREADABLE:
		return "log-unreadable";
	case HP_NO_POSTFIX:
		return "no-postfix";
	case HP_POSTFIX_STOPPED:
		return "postfix-stopped";
	case HP_QUEUE_UNREADABLE:
		return "queue-unreadable";
	case HP_PROBE_GARBLED:
		return "probe-garbled";
	case HP_LOG_NONE:
		return "log-none";
	default:
		return "unknown";
	}
}

int
output_host_answered(const struct host *h)
{
	return h->conn == HC_UP && h->last_answer != 0;
}

int
output_term_width(int fd)
{
	struct winsize ws;
	const char *c;

	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	c = getenv("COLUMNS");
	if (c != NULL && atoi(c) > 0)
		return atoi(c);
	return 0;
}

/* Display width: one column per UTF-8 code point (text is sanitised). */
static int
width_of(const char *s)
{
	int w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

/* Cuts s to w columns, marking the cut with '~'. */
static void
cut(char *s, int w)
{
	int seen = 0;
	char *p;

	if (width_of(s) <= w || w < 1)
		return;
	for (p = s; *p; p++) {
		if (((unsigned char)*p & 0xC0) != 0x80 && ++seen == w) {
			p[0] = '~';
			p[1] = '\0';
			return;
		}
	}
}

static void
dash_if_empty(char *cell, const char *v)
{
	snprintf(cell, CELL, "%s", v[0] ? v : "-");
}

static void
row_fill(const struct host *h, time_t now, char cell[C_MAX][CELL])
{
	unsigned rc[ST_MAX];
	int known = h->last_answer != 0;

	snprintf(cell[C_NAME], CELL, "%s", h->cfg->name);
	snprintf(cell[C_ROLE], CELL, "%s", h->role == ROLE_AUTO && !known ?
	    "?" : host_role_name(h->role));
	if (h->cfg->port != 22 && h->cfg->port != 0)
		snprintf(cell[C_ADDR], CELL, "%.200s:%d", h->cfg->address,
		    h->cfg->port);
	else
		snprintf(cell[C_ADDR], CELL, "%s", h->cfg->address);
	snprintf(cell[C_STATE], CELL, "%s%s", host_conn_name(h->conn),
	    h->conn == HC_UP && h->problems ? "!" : "");
	dash_if_empty(cell[C_RELAY], host_setting(h, "relayhost"));
	dash_if_empty(cell[C_FALLBACK], host_setting(h, "smtp_fallback_relay"));
	dash_if_empty(cell[C_NETS], host_setting(h, "mynetworks"));
	dash_if_empty(cell[C_IFACES], host_setting(h, "inet_interfaces"));
	if (h->queue_valid)
		snprintf(cell[C_QUEUE], CELL, "%u/%u/%u",
		    h->queue.count[Q_ACTIVE], h->queue.count[Q_DEFERRED],
		    h->queue.count[Q_HOLD]);
	else
		snprintf(cell[C_QUEUE], CELL, "-");
	model_count_recent(h, now, OUTPUT_RECENT_MINUTES, rc);
	if (known) {
		snprintf(cell[C_SENT], CELL, "%u", rc[ST_SENT]);
		snprintf(cell[C_DEF], CELL, "%u", rc[ST_DEFERRED]);
		snprintf(cell[C_BNC], CELL, "%u", rc[ST_BOUNCED] +
		    rc[ST_EXPIRED]);
		snprintf(cell[C_REF], CELL, "%u", model_count_refused(h, now,
		    OUTPUT_RECENT_MINUTES));
	} else {
		snprintf(cell[C_SENT], CELL, "-");
		snprintf(cell[C_DEF], CELL, "-");
		snprintf(cell[C_BNC], CELL, "-");
		snprintf(cell[C_REF], CELL, "-");
	}
	dash_if_empty(cell[C_LAST], h->last_outcome);
}

static void
widths_fit(int w[C_MAX], int width)
{
	int total = 0, c, k, nat[C_MAX];

	for (c = 0; c < C_MAX; c++) {
		nat[c] = w[c];
		total += w[c] + (c ? 2 : 0);
	}
	for (k = 0; width > 0 && total > width &&
	    k < (int)(sizeof(shrink_order) / sizeof(shrink_order[0])); k++) {
		int col = shrink_order[k], can = w[col] - cols[col].min;
		int take = total - width < can ? total - width : can;

		if (take > 0) {
			w[col] -= take;
			total -= take;
		}
	}
	for (k = 0; width > 0 && total > width &&
	    k < (int)(sizeof(hide_order) / sizeof(hide_order[0])); k++) {
		total -= w[hide_order[k]] + 2;
		w[hide_order[k]] = -1;
	}
	/* hiding may have freed more than needed: give it back */
	for (k = 0; width > 0 && total < width &&
	    k < (int)(sizeof(shrink_order) / sizeof(shrink_order[0])); k++) {
		int col = shrink_order[k], give = nat[col] - w[col];

		if (w[col] < 0)
			continue;
		if (give > width - total)
			give = width - total;
		w[col] += give;
		total += give;
	}
}

static void
print_row(FILE *f, char cell[C_MAX][CELL], const int w[C_MAX])
{
	int c;

	for (c = 0; c < C_MAX; c++) {
		int pad;

		if (w[c] < 0)
			continue;
		cut(cell[c], w[c]);
		pad = w[c] - width_of(cell[c]);
		if (c > C_NAME)
			fputs("  ", f);
		if (cols[c].right)
			fprintf(f, "%*s%s", pad, "", cell[c]);
		else if (c == C_MAX - 1)
			fputs(cell[c], f);
		else
			fprintf(f, "%s%*s", cell[c], pad, "");
	}
	fputc('\n', f);	/* cells are in the locale's form already */
}

/* s (size bytes, at most 1024) as the locale shows it, before it is
 * measured and cut. */
static void
text_locale(char *s, size_t size)
{
	char tmp[1024];

	if (out_locale_utf8())
		return;
	out_locale_copy(tmp, size < sizeof(tmp) ? size : sizeof(tmp), s);
	memcpy(s, tmp, strlen(tmp) + 1);
}

static void
print_table(FILE *f, const struct model *m, time_t now, int width)
{
	char (*cells)[C_MAX][CELL] = calloc(m->n + 1, sizeof(*cells));
	int w[C_MAX] = { 0 }, c;
	size_t i;

	if (cells == NULL)
		return;
	for (c = 0; c < C_MAX; c++)
		snprintf(cells[0][c], CELL, "%s", cols[c].title);
	for (i = 0; i < m->n; i++) {
		row_fill(&m->hosts[i], now, cells[i + 1]);
		for (c = 0; c < C_MAX; c++)
			text_locale(cells[i + 1][c], CELL);
	}
	for (i = 0; i <= m->n; i++)
		for (c = 0; c < C_MAX; c++)
			if (width_of(cells[i][c]) > w[c])
				w[c] = width_of(cells[i][c]);
	widths_fit(w, width);
	for (i = 0; i <= m->n; i++)
		print_row(f, cells[i], w);
	free(cells);
}

static void
hhmmss(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (t == 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%H:%M:%S", &tm) == 0)
		snprintf(buf, len, "-");
}

/* "name, name" appended to line, "+N" past its room. */
static void
join_name(char *line, size_t len, const char *sep, const char *name)
{
	size_t l = strlen(line);

	if (l + strlen(sep) + strlen(name) + 8 < len)
		snprintf(line + l, len - l, "%s%s", sep, name);
	else if (l + 5 < len && strcmp(line + l - 3, "...") != 0)
		snprintf(line + l, len - l, "%s...", sep);
}

/* An edge's destination: a host of another shard, or "[host]:port". */
static void
edge_dest(const struct model *m, const struct edge *e, char *dest,
    size_t len)
{
	if (shard_edge_to(m, e) != NULL)
		snprintf(dest, len, "%s", shard_edge_to(m, e));
	else
		snprintf(dest, len, "%s%s%s:%d", e->target.bracketed ? "[" :
		    "", e->target.host, e->target.bracketed ? "]" : "",
		    e->target.port);
}

/* "  levels: origin-a, origin-b -> relay-c, relay-d -> outbound-e ->
 * [172.16.30.25]:25": the hosts level by level (topology_levels), then
 * where the chain leaves the inventory. */
static void
print_levels(FILE *f, const struct model *m, const struct topology *t,
    const int *level, int nlev, int width)
{
	char line[1024] = "  levels:", dest[300];
	int lv;
	size_t i, k;

	for (lv = 0; lv < nlev; lv++) {
		const char *sep = lv ? " -> " : " ";

		for (i = 0; i < m->n; i++)
			if (level[i] == lv) {
				join_name(line, sizeof(line), sep,
				    m->hosts[i].cfg->name);
				sep = ", ";
			}
	}
	for (k = 0, lv = 0; k < t->n; k++) {
		const struct edge *e = &t->v[k];
		size_t j;
		int dup = 0;

		if (e->to >= 0)
			continue;
		for (j = 0; j < k; j++)
			dup |= t->v[j].to < 0 && strcasecmp(t->v[j].target.host,
			    e->target.host) == 0 && t->v[j].target.port ==
			    e->target.port;
		if (dup)
			continue;
		edge_dest(m, e, dest, sizeof(dest));
		join_name(line, sizeof(line), lv++ ? ", " : " -> ", dest);
	}
	text_locale(line, sizeof(line));
	if (width > 4)
		cut(line, width);
	fprintf(f, "%s\n", line);
}

static void
print_edge(FILE *f, const struct model *m, const struct edge *e, int width)
{
	static const char *const kinds[] = { "primary", "fallback", "onward" };
	char line[1024], tb[16], dest[300];

	hhmmss(e->last, tb, sizeof(tb));
	edge_dest(m, e, dest, sizeof(dest));
	snprintf(line, sizeof(line), "  %-12s -> %-16s %-8s %-8s %s%s%s",
	    m->hosts[e->from].cfg->name, dest,
	    kinds[e->kind <= EDGE_ONWARD ? e->kind : 0],
	    edge_state_name(e->state), tb,
	    e->last_reason[0] ? "  " : "", e->last_reason);
	text_locale(line, sizeof(line));
	if (width > 4)
		cut(line, width);
	fprintf(f, "%s\n", line);
	/* TLS/SASL where there is more to say than "plain" */
	if ((e->sec.state != SEC_UNKNOWN && e->sec.state != SEC_PLAIN) ||
	    e->sec.sasl == 1) {
		char st[300];

		snprintf(line, sizeof(line), "  %-12s    %s", "",
		    sec_fact_line(&e->sec, st, sizeof(st)));
		text_locale(line, sizeof(line));
		if (width > 4)
			cut(line, width);
		fprintf(f, "%s\n", line);
	}
}

/* The chain level by level, then its edges from the origins on. */
static void
print_edges(FILE *f, const struct model *m, const struct topology *t,
    int width)
{
	int *level, nlev, lv;
	size_t i;

	if (t->n == 0)
		return;
	fprintf(f, "\nRelay chain:\n");
	level = malloc((m->n ? m->n : 1) * sizeof(*level));
	if (level == NULL) {
		for (i = 0; i < t->n; i++)
			print_edge(f, m, &t->v[i], width);
		return;
	}
	nlev = topology_levels(m, t, level);
	print_levels(f, m, t, level, nlev, width);
	for (lv = 0; lv < nlev; lv++)
		for (i = 0; i < t->n; i++)
			if (level[t->v[i].from] == lv)
				print_edge(f, m, &t->v[i], width);
	free(level);
}

static void
print_problems(FILE *f, const struct model *m)
{
	size_t i, k;
	int any = 0;

	for (i = 0; i < m->n; i++) {
		const struct host *h = &m->hosts[i];
		char names[160] = "";

		if (h->conn == HC_UP && h->problems == 0)
			continue;
		if (!any++)
			out_printf(f, "\nProblems:\n");
		if (h->conn != HC_UP) {
			out_printf(f, "  %s: %s%s%s\n", h->cfg->name,
			    host_conn_name(h->conn), h->conn_msg[0] ? ": " : "",
			    h->conn_msg[0] ? h->conn_msg :
			    (h->conn == HC_NEW ? "not probed before the deadline" :
			    ""));
			if (h->problems == 0)
				continue;
		}
		for (k = 0; k < sizeof(problem_bits) / sizeof(*problem_bits); k++)
			if (h->problems & problem_bits[k]) {
				size_t n = strlen(names);

				snprintf(names + n, sizeof(names) - n, "%s%s",
				    n ? "," : "", host_problem_name(problem_bits[k]));
			}
		out_printf(f, "  %s: [%s] %s\n", h->cfg->name, names,
		    h->problem_msg);
	}
}

/* The deferred/held counts and each host's top reasons, a reason cut to
 * the width (width < 1: whole). */
static void
print_queue_reasons(FILE *f, const struct model *m, int width)
{
	size_t i, k;
	int any = 0;
	char line[QUEUE_REASON_MAX + 32];

	for (i = 0; i < m->n; i++) {
		const struct host *h = &m->hosts[i];

		if (!h->queue_valid || (h->queue.count[Q_DEFERRED] == 0 &&
		    h->queue.count[Q_HOLD] == 0))
			continue;
		if (!any++)
			out_printf(f, "\nWaiting mail:\n");
		out_printf(f, "  %s: %u deferred, %u on hold\n", h->cfg->name,
		    h->queue.count[Q_DEFERRED], h->queue.count[Q_HOLD]);
		for (k = 0; k < h->queue.ntop && k < QUEUE_TOP_REASONS; k++) {
			snprintf(line, sizeof(line), "    %u x %s",
			    h->queue.top[k].count, h->queue.top[k].text);
			if (width > 0)
				cut(line, width);
			out_printf(f, "%s\n", line);
		}
	}
}

int
output_text(FILE *f, const struct model *m, const struct topology *t,
    time_t now, int width)
{
	char when[40];
	struct tm tm;
	size_t i, answered = 0;

	for (i = 0; i < m->n; i++)
		answered += output_host_answered(&m->hosts[i]) != 0;
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %Z", &tm) == 0)
		snprintf(when, sizeof(when), "?");
	out_printf(f, "relaytop %s  hosts %zu  answered %zu  (counts: last %d "
	    "min)\n\n", when, m->n, answered, OUTPUT_RECENT_MINUTES);
	print_table(f, m, now, width);
	print_edges(f, m, t, width);
	print_problems(f, m);
	print_queue_reasons(f, m, width);
	return ferror(f) ? -1 : 0;
}
