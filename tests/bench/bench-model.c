/* bench-model.c: memory and screen cost of a big model, linking the real
 * core (build/librelaytop.a) and console views (the build/ui objects): H hosts,
 * E maillog events parsed from a generated log and stored with
 * model_add_event (ring H*E/H), peak RSS by getrusage; then the console's
 * key handler + full redraw (ui_key, ui_draw) into a newterm() whose output
 * goes to /dev/null, timed per key press.
 * Usage: bench-model LOGFILE HOSTS EVENTS KEYS [COLSxLINES]  (key=value out) */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-time.h"
#include "config.h"
#include "model.h"
#include "ui.h"
#include "watch.h"

/* An inventory of n relays 10.78.x.y (never contacted: no fleet_tick). */
static char *
inventory_text(int n)
{
	size_t cap = (size_t)n * 64 + 256, len;
	char *s = malloc(cap);
	int i;

	if (s == NULL)
		return NULL;
	len = (size_t)snprintf(s, cap, "[defaults]\nuser = relayop\nsudo = yes\n");
	for (i = 1; i <= n; i++)
		len += (size_t)snprintf(s + len, cap - len,
		    "[h%d]\naddress = 10.78.%d.%d\nrole = relay\n", i,
		    i / 250 + 1, i % 250 + 1);
	return s;
}

static size_t
feed(struct model *m, FILE *fp, size_t want)
{
	char line[8192];
	struct mail_event ev;
	size_t added = 0;
	unsigned k = 0;

	while (added < want) {
		if (fgets(line, sizeof(line), fp) == NULL) {
			if (added == 0)
				break;
			rewind(fp);
			continue;
		}
		if (maillog_parse_line(line, strcspn(line, "\n"), 2026, &ev) != 0)
			continue;
		model_add_event(m, &m->hosts[k++ % m->n], &ev);
		added++;
	}
	return added;
}

int
main(int argc, char **argv)
{
	static struct ui u;
	struct inventory inv;
	struct options o;
	struct watch *w;
	struct model *m;
	FILE *fp, *devnull;
	SCREEN *scr;
	char err[256], *text;
	const int keys[] = { 'j', 'j', 'k', 'j', KEY_NPAGE, KEY_PPAGE, 'j', 'k' };
	double *t, t0;
	size_t got, ring;
	long rss_model;
	int hosts, events, nkeys, i, cols = 200, lines = 60;

	if (argc < 5 || (hosts = atoi(argv[2])) < 1 ||
	    (events = atoi(argv[3])) < 1 || (nkeys = atoi(argv[4])) < 1) {
		fprintf(stderr, "usage: bench-model LOG HOSTS EVENTS KEYS [CxL]\n");
		return 2;
	}
	if (argc > 5 && sscanf(argv[5], "%dx%d", &cols, &lines) != 2)
		return 2;
	if ((fp = fopen(argv[1], "r")) == NULL || (text = inventory_text(hosts)) == NULL ||
	    config_load_string(text, "bench", &inv, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench-model: setup: %s\n", err);
		return 2;
	}
	ring = ((size_t)events + (size_t)hosts - 1) / (size_t)hosts;
	if ((w = watch_new(&inv, 1, ring)) == NULL)
		return 2;
	m = watch_model(w);
	t0 = now_ms();
	got = feed(m, fp, (size_t)events);
	printf("hosts=%d\nring_per_host=%zu\nevents=%zu\nfeed_ms=%.1f\n",
	    hosts, ring, got, now_ms() - t0);
	rss_model = maxrss_kb();
	printf("maxrss_model_kb=%ld\n", rss_model);
	fclose(fp);
	free(text);

	/* The console on the same model: a screen of cols x lines to /dev/null. */
	memset(&o, 0, sizeof(o));
	o.no_mouse = 1;
	o.read_only = 1;
	memset(&u, 0, sizeof(u));
	u.o = &o;
	u.inv = &inv;
	u.w = w;
	u.m = m;
	u.a = watch_actions(w);
	u.topo = watch_topology(w);
	u.finds = watch_findings(w);
	u.back = VIEW_MAIN;
	devnull = fopen("/dev/null", "w");
	if (devnull == NULL)
		return 2;
	snprintf(err, sizeof(err), "%d", cols);
	setenv("COLUMNS", err, 1);
	snprintf(err, sizeof(err), "%d", lines);
	setenv("LINES", err, 1);
	use_env(TRUE);
	if ((scr = newterm("xterm-256color", devnull, stdin)) == NULL)
		return 2;
	set_term(scr);
	colors_init(&u);
	ui_draw(&u);			/* first draw: derive topology, checks */
	t = calloc((size_t)nkeys, sizeof(*t));
	for (i = 0; i < nkeys; i++) {
		t0 = now_ms();
		ui_key(&u, keys[i % (int)(sizeof(keys) / sizeof(keys[0]))]);
		ui_draw(&u);
		t[i] = now_ms() - t0;
	}
	/* The same in the merged log view (all hosts' events, newest first). */
	ui_key(&u, 'l');
	ui_draw(&u);
	t0 = now_ms();
	for (i = 0; i < nkeys; i++) {
		ui_key(&u, i % 2 ? 'k' : 'j');
		ui_draw(&u);
	}
	printf("log_view_key_mean_ms=%.3f\n", (now_ms() - t0) / nkeys);
	/* Main view again, each draw after a model change (a refresh landed):
	 * topology and checks are derived again. */
	ui_set_view(&u, VIEW_MAIN);
	ui_draw(&u);
	t0 = now_ms();
	for (i = 0; i < nkeys; i++) {
		m->generation++;
		ui_key(&u, i % 2 ? 'k' : 'j');
		ui_draw(&u);
	}
	printf("changed_model_key_mean_ms=%.3f\n", (now_ms() - t0) / nkeys);
	endwin();
	delscreen(scr);
	qsort(t, (size_t)nkeys, sizeof(*t), cmp_d);
	printf("screen=%dx%d\nkeys=%d\nkey_redraw_median_ms=%.3f\n"
	    "key_redraw_max_ms=%.3f\nmaxrss_total_kb=%ld\n", cols, lines, nkeys,
	    t[nkeys / 2], t[nkeys - 1], maxrss_kb());
	free(t);
	watch_free(w);
	config_free(&inv);
	return 0;
}
