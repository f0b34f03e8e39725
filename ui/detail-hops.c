/* detail-hops.c: the "Hops" section of a host's detail view: each edge
 * from the host with its TLS (level, protocol, cipher, or cleartext, or the
 * failure), SASL, address family and port, as the logs showed them. */
#include <curses.h>
#include <stdio.h>

#include "ui.h"

void
detail_hops(struct ui *u, struct vlines *v, int host)
{
	static const char *const kinds[] = { "primary", "fallback", "onward" };
	char dest[300], st[300];
	const struct edge *e;
	size_t i;
	int y, shown = 0;

	vl_next(v);
	if ((y = vl_next(v)) >= 0)
		ui_text(y, 0, COLS, "Hops  (TLS sasl family port, from the "
		    "logs)", ui_attr(u, R_TITLE));
	for (i = 0; u->topo != NULL && i < u->topo->n; i++) {
		e = &u->topo->v[i];
		if (e->from != host)
			continue;
		shown++;
		if ((y = vl_next(v)) < 0)
			continue;
		if (e->to >= 0 && (size_t)e->to < u->m->n)
			snprintf(dest, sizeof dest, "%s", host_name(u->m, e->to));
		else
			snprintf(dest, sizeof dest, "%s", e->target.host);
		ui_textf(y, 2, 22, A_BOLD, "%-8s %s",
		    kinds[e->kind <= EDGE_ONWARD ? e->kind : 0], dest);
		ui_textf(y, 25, COLS - 25, ui_attr(u, sec_fact_is_bad(&e->sec) ?
		    R_WARN : e->sec.state == SEC_TLS ? R_GOOD : R_DIM), "%s",
		    sec_fact_line(&e->sec, st, sizeof st));
	}
	if (shown == 0 && (y = vl_next(v)) >= 0)
		ui_text(y, 2, COLS - 2, "(no hops)", ui_attr(u, R_DIM));
}
