/* ports.c: the relay doctor's port-25 test from the console. Opening the
 * checks view (or p there) starts port_probe_start over the fleet's own
 * sessions; each loop turn polls port_probe_done, never waiting. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define UI_PORT_TIMEOUT_S	4	/* per TCP/25 test, as --check */

void
ui_ports_start(struct ui *u)
{
	if (u->pp != NULL) {
		ui_message(u, 0, "probing port 25... (already running)");
		return;
	}
	u->derived_time = 0;		/* the topology of now */
	ui_derive(u);
	if (!u->derived_ok) {
		ui_message(u, 1, "port 25 test: no topology yet");
		return;
	}
	u->pp = port_probe_start(u->f, u->m, &u->topo, UI_PORT_TIMEOUT_S);
	if (u->pp == NULL) {
		ui_message(u, 1, "port 25 test: out of memory");
		return;
	}
	ui_message(u, 0, "probing port 25 from the origins...");
	ui_ports_tick(u);		/* nothing to test: done at once */
}

static void
ports_keep(struct ui *u, const struct port_results *r)
{
	struct port_result *v = NULL;
	size_t i, bad = 0;

	if (r != NULL && r->n > 0) {
		v = malloc(r->n * sizeof *v);
		if (v == NULL) {
			ui_message(u, 1, "port 25 test: out of memory");
			return;
		}
		memcpy(v, r->v, r->n * sizeof *v);
	}
	free(u->ports.v);
	u->ports.v = v;
	u->ports.n = v != NULL ? r->n : 0;
	u->ports_time = time(NULL);
	for (i = 0; i < u->ports.n; i++)
		if (u->ports.v[i].state != PORT_OPEN)
			bad++;
	if (u->ports.n == 0)
		ui_message(u, 0, "port 25: no relay hop to test");
	else
		ui_message(u, bad > 0, "port 25 tested: %zu of %zu hop%s open",
		    u->ports.n - bad, u->ports.n, u->ports.n == 1 ? "" : "s");
}

void
ui_ports_tick(struct ui *u)
{
	if (u->pp == NULL || !port_probe_done(u->pp))
		return;
	ports_keep(u, port_probe_results(u->pp));
	port_probe_free(u->pp);
	u->pp = NULL;
	u->derived_time = 0;		/* findings again, with the ports */
	u->dirty = 1;
}

static size_t
ports_open(const struct ui *u)
{
	size_t i, n = 0;

	for (i = 0; i < u->ports.n; i++)
		if (u->ports.v[i].state == PORT_OPEN)
			n++;
	return n;
}

const char *
ui_ports_status(const struct ui *u, char *buf, size_t len)
{
	char age[32];

	if (u->pp != NULL)
		snprintf(buf, len, "probing port 25...");
	else if (u->ports_time == 0)
		snprintf(buf, len, "port 25 not tested (p: probe ports now)");
	else
		snprintf(buf, len, "port 25 tested %s ago: %zu of %zu relay "
		    "hop%s open (p: probe ports now)", age_text(time(NULL) -
		    u->ports_time, age, sizeof age), ports_open(u),
		    u->ports.n, u->ports.n == 1 ? "" : "s");
	return buf;
}

void
ui_ports_free(struct ui *u)
{
	port_probe_free(u->pp);		/* safe with tests in flight */
	u->pp = NULL;
	free(u->ports.v);
	u->ports.v = NULL;
	u->ports.n = 0;
	u->ports_time = 0;
}
