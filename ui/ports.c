/* ports.c: what the console says about the doctor's port-25 test. Opening
 * the checks view (or p there) asks the watch for one (watch_ports_start);
 * each loop turn tells when it has answered. No session is touched here. */
#include <stdio.h>

#include "ui.h"

#define UI_PORT_TIMEOUT_S	4	/* per TCP/25 test, as --check */

static size_t
ports_open(const struct port_results *r)
{
	size_t i, n = 0;

	for (i = 0; r != NULL && i < r->n; i++)
		if (r->v[i].state == PORT_OPEN)
			n++;
	return n;
}

static void
ports_told(struct ui *u)
{
	const struct port_results *r = watch_ports(u->w, NULL);
	size_t n = r != NULL ? r->n : 0, open = ports_open(r);

	if (n == 0)
		ui_message(u, 0, "port 25: no relay hop to test");
	else
		ui_message(u, open < n, "port 25 tested: %zu of %zu hop%s open",
		    open, n, n == 1 ? "" : "s");
}

void
ui_ports_start(struct ui *u)
{
	switch (watch_ports_start(u->w, UI_PORT_TIMEOUT_S)) {
	case 1:
		ui_message(u, 0, "probing port 25... (already running)");
		return;
	case -1:
		ui_message(u, 1, "port 25 test: no topology yet");
		return;
	case 2:
		ui_message(u, 0, "port 25 test not run: read-only");
		u->dirty = 1;
		return;
	}
	ui_message(u, 0, "probing port 25 from the origins...");
	u->ports_running = 1;
	ui_ports_tick(u);		/* nothing to test: done at once */
}

void
ui_ports_tick(struct ui *u)
{
	if (!u->ports_running || watch_ports_running(u->w))
		return;
	u->ports_running = 0;
	ports_told(u);
	u->dirty = 1;
}

const char *
ui_ports_status(const struct ui *u, char *buf, size_t len)
{
	const struct port_results *r;
	char age[32];
	time_t when;

	r = watch_ports(u->w, &when);
	if (watch_ports_running(u->w))
		snprintf(buf, len, "probing port 25...");
	else if (r == NULL)
		snprintf(buf, len, "port 25 not tested (p: probe ports now)");
	else if (r->n > 0 && r->v[0].state == PORT_READ_ONLY)
		snprintf(buf, len, "port 25 not tested: read-only");
	else
		snprintf(buf, len, "port 25 tested %s ago: %zu of %zu relay "
		    "hop%s open (p: probe ports now)", age_text(time(NULL) -
		    when, age, sizeof age), ports_open(r), r->n,
		    r->n == 1 ? "" : "s");
	return buf;
}
