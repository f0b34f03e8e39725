/* view-hosts.c: the host table of the main view. Columns drop by priority
 * when the terminal is narrow (the name, state and last outcome stay), any
 * column sorts (s cycles, S reverses), and cells are coloured and worded. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

enum { COL_NAME, COL_STATE, COL_ROLE, COL_ADDR, COL_RELAY, COL_FALLBACK,
	COL_MYNET, COL_INET, COL_QUEUE, COL_RECENT, COL_LAST };

#define RECENT_MIN	15	/* minutes of the sent/deferred/bounced/refused
				 * column */

static const struct col {
	const char *title;
	int	min, max, prio;	/* max 0: takes what is left */
} cols[HOSTS_COLS] = {
	[COL_NAME]	= { "host", 11, 18, 100 },
	[COL_STATE]	= { "state", 15, 16, 95 },
	[COL_ROLE]	= { "role", 6, 6, 60 },
	[COL_ADDR]	= { "address", 12, 16, 40 },
	[COL_RELAY]	= { "relayhost", 14, 24, 70 },
	[COL_FALLBACK]	= { "fallback", 14, 24, 50 },
	[COL_MYNET]	= { "mynetworks", 16, 40, 20 },
	[COL_INET]	= { "inet_if", 9, 14, 30 },
	[COL_QUEUE]	= { "q a/d/h", 7, 11, 85 },
	[COL_RECENT]	= { "15m s/d/b/r", 11, 13, 80 },
	[COL_LAST]	= { "last outcome", 14, 0, 90 },
};

const char *
hosts_col_name(int col)
{
	return col >= 0 && col < HOSTS_COLS ? cols[col].title : "";
}

static const char *
role_word(enum host_role r)
{
	return r == ROLE_ORIGIN ? "origin" : r == ROLE_RELAY ? "relay" : "?";
}

static const char *
setting_cell(const struct host *h, const char *name)
{
	const char *v;

	if (!h->settings_valid)
		return "?";
	v = host_setting(h, name);
	return v != NULL && v[0] != '\0' ? v : "-";
}

static int
state_rank(const struct host *h, time_t now)
{
	switch (role_for_host(h, now)) {
	case R_BAD:
		return 0;
	case R_ACCENT:
		return 1;
	case R_WARN:
		return 2;
	case R_DIM:
		return 3;
	default:
		return 4;
	}
}

static unsigned
queue_total(const struct host *h)
{
	return h->queue_valid ? h->queue.count[Q_ACTIVE] +
	    h->queue.count[Q_DEFERRED] + h->queue.count[Q_HOLD] : 0;
}

static unsigned
recent_trouble(const struct host *h, time_t now)
{
	unsigned n[ST_MAX];

	model_count_recent(h, now, RECENT_MIN, n);
	return (n[ST_DEFERRED] + n[ST_BOUNCED] + n[ST_EXPIRED] +
	    model_count_refused(h, now, RECENT_MIN)) * 100000u + n[ST_SENT];
}

#define LAST_SCAN	200	/* events searched for the newest delivery */

/* The host's newest delivery line, NULL when none is retained. A hand-off
 * inside the machine (content filter, another Postfix instance) is no
 * delivery, as for the model's last outcome. */
static const struct ev_rec *
last_delivery(const struct host *h)
{
	const struct ev_rec *e;
	size_t i;

	for (i = 0; i < LAST_SCAN && (e = model_event(h, i)) != NULL; i++)
		if (e->kind == EV_DELIVERY && !model_rec_is_handoff(e))
			return e;
	return NULL;
}

/* "sent 84s via relay-c", "deferred 5s via 172.16.1.11 (reason)": the
 * relay named by its inventory name when it is one of ours. */
static enum ui_role
last_text(const struct ui *u, const struct host *h, time_t now, char *buf,
    size_t len)
{
	const struct ev_rec *e = last_delivery(h);
	const char *via;
	char age[16];
	int i;

	if (e == NULL) {
		snprintf(buf, len, "%s", h->last_outcome[0] ? h->last_outcome :
		    "-");
		return h->last_outcome[0] ? R_NORMAL : R_DIM;
	}
	via = rec_relay_addr(e)[0] ? rec_relay_addr(e) : rec_relay(e);
	/* the one host matcher: of several entries on one address (Postfix
	 * instances), the host itself, not the last instance entry */
	if (rec_relay_addr(e)[0] && (i = model_match_relay(u->m, rec_relay(e),
	    rec_relay_addr(e))) >= 0)
		via = u->m->hosts[i].cfg->name;
	age_text(now - e->when, age, sizeof age);
	switch (e->status) {
	case ST_SENT:
		snprintf(buf, len, "sent %s via %s", age, via);
		return R_GOOD;
	case ST_DEFERRED:
		snprintf(buf, len, "deferred %s via %s (%s)", age, via,
		    rec_reason(e));
		return R_WARN;
	default:
		snprintf(buf, len, "%s %s via %s (%s)", e->status == ST_EXPIRED ?
		    "expired" : "bounced", age, via, rec_reason(e));
		return R_BAD;
	}
}

static time_t
last_when(const struct host *h)
{
	const struct ev_rec *e = last_delivery(h);

	return e != NULL ? e->when : 0;
}

/* qsort has no context argument: the sort runs on one thread, at draw. */
static const struct ui *sort_ui;

static int
host_cmp(const void *pa, const void *pb)
{
	const struct ui *u = sort_ui;
	int a = *(const int *)pa, b = *(const int *)pb, c = 0;
	const struct host *ha = &u->m->hosts[a], *hb = &u->m->hosts[b];
	time_t now = time(NULL);
	long d = 0;

	switch (u->main.sort_col) {
	case COL_STATE:
		d = state_rank(ha, now) - state_rank(hb, now);
		break;
	case COL_ROLE:
		c = strcmp(role_word(host_effective_role(ha)),
		    role_word(host_effective_role(hb)));
		break;
	case COL_ADDR:
		c = strcmp(ha->cfg->address, hb->cfg->address);
		break;
	case COL_RELAY:
		c = strcmp(setting_cell(ha, "relayhost"),
		    setting_cell(hb, "relayhost"));
		break;
	case COL_FALLBACK:
		c = strcmp(setting_cell(ha, "smtp_fallback_relay"),
		    setting_cell(hb, "smtp_fallback_relay"));
		break;
	case COL_MYNET:
		c = strcmp(setting_cell(ha, "mynetworks"),
		    setting_cell(hb, "mynetworks"));
		break;
	case COL_INET:
		c = strcmp(setting_cell(ha, "inet_interfaces"),
		    setting_cell(hb, "inet_interfaces"));
		break;
	case COL_QUEUE:
		d = (long)queue_total(hb) - (long)queue_total(ha);
		break;
	case COL_RECENT:
		d = (long)recent_trouble(hb, now) - (long)recent_trouble(ha,
		    now);
		break;
	case COL_LAST:
		/* newest outcome first */
		d = (long)(last_when(hb) - last_when(ha));
		break;
	default:
		c = strcmp(ha->cfg->name, hb->cfg->name);
		break;
	}
	if (c == 0)
		c = d < 0 ? -1 : d > 0;
	if (u->main.sort_rev)
		c = -c;
	return c != 0 ? c : a - b;
}

int
hosts_order(const struct ui *u, int *out, int max)
{
	int i, n = u->m->n < (size_t)max ? (int)u->m->n : max;

	for (i = 0; i < n; i++)
		out[i] = i;
	sort_ui = u;
	qsort(out, (size_t)n, sizeof *out, host_cmp);
	sort_ui = NULL;
	return n;
}

/* Which columns fit in width, and how wide each is. */
static void
hosts_layout(int width, int *w)
{
	int on[HOSTS_COLS], total = 0, k = 0, i, low, extra, add;

	for (i = 0; i < HOSTS_COLS; i++) {
		on[i] = 1;
		total += cols[i].min;
		k++;
	}
	total += k - 1;
	while (total > width && k > 1) {
		low = -1;
		for (i = 0; i < HOSTS_COLS; i++)
			if (on[i] && i != COL_NAME && (low < 0 ||
			    cols[i].prio < cols[low].prio))
				low = i;
		if (low < 0)
			break;
		on[low] = 0;
		total -= cols[low].min + 1;
		k--;
	}
	for (i = 0; i < HOSTS_COLS; i++)
		w[i] = on[i] ? cols[i].min : 0;
	extra = width - total;
	/* room left goes to the state first, then to the last outcome */
	for (i = 0; i < HOSTS_COLS && extra > 0; i++) {
		if (!on[i] || cols[i].max == 0 || i != COL_STATE)
			continue;
		add = cols[i].max - cols[i].min;
		if (add > extra)
			add = extra;
		w[i] += add;
		extra -= add;
	}
	if (extra > 0 && on[COL_LAST])
		w[COL_LAST] += extra;
}

static void
draw_cell(struct ui *u, int y, int x, int w, int col, const struct host *h,
    int base)
{
	char buf[128], badge[16], wide[512];
	unsigned n[ST_MAX], nref;
	enum ui_role r;
	time_t now = time(NULL);
	enum severity worst;
	int attr = base, used, nf;

	switch (col) {
	case COL_NAME:
		used = ui_text(y, x, w, h->cfg->name, base | A_BOLD);
		nf = host_findings(u->finds, h->index, &worst);
		if (nf > 0 && used + 3 <= w) {
			snprintf(badge, sizeof badge, "!%d", nf);
			ui_text(y, x + used + 1, w - used - 1, badge,
			    ui_attr(u, worst == SEV_CRITICAL ? R_BADGE :
			    R_WARN));
		}
		return;
	case COL_STATE:
		host_state_text(h, now, buf, sizeof buf);
		if (base == A_NORMAL)
			attr = ui_attr(u, role_for_host(h, now));
		ui_text(y, x, w, buf, attr);
		return;
	case COL_ROLE:
		ui_text(y, x, w, role_word(host_effective_role(h)), base);
		return;
	case COL_ADDR:
		ui_text(y, x, w, h->cfg->address, base);
		return;
	case COL_RELAY:
		ui_text(y, x, w, setting_cell(h, "relayhost"), base);
		return;
	case COL_FALLBACK:
		ui_text(y, x, w, setting_cell(h, "smtp_fallback_relay"), base);
		return;
	case COL_MYNET:
		ui_text(y, x, w, setting_cell(h, "mynetworks"), base);
		return;
	case COL_INET:
		ui_text(y, x, w, setting_cell(h, "inet_interfaces"), base);
		return;
	case COL_QUEUE:
		if (!h->queue_valid)
			snprintf(buf, sizeof buf, "-");
		else
			snprintf(buf, sizeof buf, "%u/%u/%u",
			    h->queue.count[Q_ACTIVE],
			    h->queue.count[Q_DEFERRED], h->queue.count[Q_HOLD]);
		if (base == A_NORMAL && h->queue_valid &&
		    h->queue.count[Q_DEFERRED] + h->queue.count[Q_HOLD] > 0)
			attr = ui_attr(u, R_WARN);
		ui_text(y, x, w, buf, attr);
		return;
	case COL_RECENT:
		model_count_recent(h, now, RECENT_MIN, n);
		nref = model_count_refused(h, now, RECENT_MIN);
		snprintf(buf, sizeof buf, "%u/%u/%u/%u", n[ST_SENT],
		    n[ST_DEFERRED], n[ST_BOUNCED] + n[ST_EXPIRED], nref);
		if (base == A_NORMAL && n[ST_BOUNCED] + n[ST_EXPIRED] > 0)
			attr = ui_attr(u, R_BAD);
		else if (base == A_NORMAL && n[ST_DEFERRED] + nref > 0)
			attr = ui_attr(u, R_WARN);
		ui_text(y, x, w, buf, attr);
		return;
	case COL_LAST:
		r = last_text(u, h, now, wide, sizeof wide);
		if (base == A_NORMAL)
			attr = ui_attr(u, r);
		ui_text(y, x, w, wide, attr);
		return;
	default:
		return;
	}
}

void
hosts_draw(struct ui *u, int top, int h, int focused)
{
	int w[HOSTS_COLS], order[UI_HOSTS_MAX], n, i, c, x, y, base, sel = 0;
	char title[64];
	int hattr = A_BOLD | A_UNDERLINE;

	if (h < 2)
		return;
	n = hosts_order(u, order, UI_HOSTS_MAX);
	hosts_layout(COLS - 1, w);
	ui_text(top, 0, COLS, "Hosts", ui_attr(u, R_TITLE));
	ui_textf(top, 6, COLS - 6, ui_attr(u, R_DIM), " sorted by %s%s "
	    "(s/S)", cols[u->main.sort_col].title, u->main.sort_rev ? ", reversed" : "");
	top++;
	h--;
	for (c = 0, x = 1; c < HOSTS_COLS; c++) {
		if (w[c] == 0)
			continue;
		snprintf(title, sizeof title, "%s%s", cols[c].title,
		    c != u->main.sort_col ? "" : u->main.sort_rev ? (ui_utf8() ?
		    "\u25bc" : "v") : (ui_utf8() ? "\u25b2" : "^"));
		ui_text_pad(top, x, w[c], title, hattr);
		x += w[c] + 1;
	}
	top++;
	h--;
	for (i = 0; i < n; i++)
		if (order[i] == u->sel_host)
			sel = i;
	list_show(&u->main.table_scroll, sel, n, h);
	for (i = u->main.table_scroll, y = top; i < n && y < top + h; i++, y++) {
		if (y < u->rowmap_n)
			u->rowmap[y] = order[i];
		base = A_NORMAL;
		if (order[i] == u->sel_host) {
			ui_text(y, 0, 1, ">", A_BOLD);
			if (focused) {
				base = ui_attr(u, R_SELECTED);
				ui_blank(y, 1, COLS - 1, base);
			}
		}
		for (c = 0, x = 1; c < HOSTS_COLS; c++) {
			if (w[c] == 0)
				continue;
			draw_cell(u, y, x, w[c], c, &u->m->hosts[order[i]],
			    base);
			x += w[c] + 1;
		}
	}
}
