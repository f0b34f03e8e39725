/* bench-queue-view.c: the console's queue view (Q) over N queued messages
 * on H hosts, linking the real core (build/librelaytop.a) and console
 * objects (build/ui): N postqueue -j lines parsed by queue_msg_parse into
 * the view's lists (as the watch's listing fills them), then ui_key +
 * ui_draw into a newterm() whose output goes to /dev/null, timed per key:
 * scrolling (j k PgDn PgUp g G), one filter keystroke, a sort change, the
 * qshape sub-view.
 * Usage: bench-queue-view MESSAGES HOSTS KEYS [COLSxLINES]  (key=value out) */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-time.h"
#include "config.h"
#include "ui.h"
#include "ui-queue.h"
#include "watch.h"

/* n messages spread over the hosts, as postqueue -j prints them. */
static int
fill(struct queue_view *q, int n, int hosts)
{
	char line[1024], reason[256], err[160];
	struct queue_msg m;
	int i, h;

	for (i = 0; i < n; i++) {
		h = i % hosts;
		if (i % 3 == 0)
			snprintf(reason, sizeof reason, "connect to 172.16.1.%d"
			    "[172.16.1.%d]:25: Connection refused", i % 250,
			    i % 250);
		else if (i % 3 == 1)
			snprintf(reason, sizeof reason, "host mx%d.dest.example"
			    "[10.0.0.%d] said: 450 4.7.1 greylisted", i % 7,
			    i % 250);
		else
			snprintf(reason, sizeof reason, "conversation with "
			    "mx.example[10.1.%d.%d] timed out while receiving "
			    "the initial server greeting", i % 7, i % 250);
		snprintf(line, sizeof line, "{\"queue_name\": \"%s\", "
		    "\"queue_id\": \"%05X%X\", \"arrival_time\": %d, "
		    "\"message_size\": %d, \"forced_expire\": false, "
		    "\"sender\": \"user%d@origin%d.example\", \"recipients\": "
		    "[{\"address\": \"rcpt%d@d%d.example\", \"delay_reason\": "
		    "\"%s\"}]}", i % 50 ? "deferred" : "hold", i % 999999,
		    (unsigned)i + 4096, 1796500000 - i * 7, 300 + i % 90000, i,
		    h, i, i % 200, reason);
		if (queue_msg_parse(line, strlen(line), h, &m, err,
		    sizeof err) != 0) {
			fprintf(stderr, "bench-queue-view: %s\n", err);
			return -1;
		}
		queue_list_take(&q->lists[h], &m);
	}
	q->changed = 1;
	return 0;
}

/* Mean ms of one key + redraw over k presses of keys[]; each key's wall
 * and CPU ms into all[i], cpu[i] (may be NULL). */
static double
keys_mean(struct ui *u, const int *keys, int nk, int k, double *all,
    double *cpu)
{
	double t0, c0, t, sum = 0;
	int i;

	for (i = 0; i < k; i++) {
		t0 = now_ms();
		c0 = cpu_ms();
		ui_key(u, keys[i % nk]);
		ui_draw(u);
		t = now_ms() - t0;
		if (all != NULL)
			all[i] = t;
		if (cpu != NULL)
			cpu[i] = cpu_ms() - c0;
		sum += t;
	}
	return sum / k;
}

int
main(int argc, char **argv)
{
	static struct ui u;
	static const int scroll[] = { 'j', 'j', 'k', 'j', KEY_NPAGE, 'j',
	    KEY_PPAGE, 'k', KEY_NPAGE, KEY_NPAGE, 'G', 'k', 'g', 'j' };
	static const int typing[] = { 'd', '1' };
	struct inventory inv;
	struct options o;
	struct queue_view *q;
	struct watch *w;
	FILE *devnull;
	SCREEN *scr;
	char err[256], text[4096];
	double *t, *c, t0, first;
	int n, hosts, nk, i, cols = 80, lines = 24;
	size_t len;

	if (argc < 4 || (n = atoi(argv[1])) < 1 ||
	    (hosts = atoi(argv[2])) < 1 || hosts > 50 ||
	    (nk = atoi(argv[3])) < 1) {
		fprintf(stderr, "usage: bench-queue-view MESSAGES HOSTS KEYS "
		    "[CxL]\n");
		return 2;
	}
	if (argc > 4 && sscanf(argv[4], "%dx%d", &cols, &lines) != 2)
		return 2;
	len = (size_t)snprintf(text, sizeof text, "[defaults]\nuser = relayop\n");
	for (i = 1; i <= hosts; i++)
		len += (size_t)snprintf(text + len, sizeof text - len,
		    "[host-%d]\naddress = 10.79.0.%d\nrole = relay\n", i, i);
	if (config_load_string(text, "bench", &inv, err, sizeof err) != 0 ||
	    (w = watch_new(&inv, 1, 16)) == NULL) {
		fprintf(stderr, "bench-queue-view: setup: %s\n", err);
		return 2;
	}
	memset(&o, 0, sizeof o);
	o.no_mouse = 1;
	o.read_only = 1;
	memset(&u, 0, sizeof u);
	u.o = &o;
	u.inv = &inv;
	u.w = w;
	u.m = watch_model(w);
	u.a = watch_actions(w);
	u.topo = watch_topology(w);
	u.finds = watch_findings(w);
	u.back = VIEW_MAIN;
	if ((q = queue_view_get(&u)) == NULL)
		return 2;
	t0 = now_ms();
	if (fill(q, n, hosts) != 0)
		return 2;
	printf("messages=%d\nhosts=%d\nparse_ms=%.1f\nmaxrss_listed_kb=%ld\n", n,
	    hosts, now_ms() - t0, maxrss_kb());

	if ((devnull = fopen("/dev/null", "w")) == NULL)
		return 2;
	snprintf(err, sizeof err, "%d", cols);
	setenv("COLUMNS", err, 1);
	snprintf(err, sizeof err, "%d", lines);
	setenv("LINES", err, 1);
	use_env(TRUE);
	if ((scr = newterm("xterm-256color", devnull, stdin)) == NULL)
		return 2;
	set_term(scr);
	colors_init(&u);
	ui_set_view(&u, VIEW_QUEUE);
	t0 = now_ms();
	ui_draw(&u);			/* the index: every message sorted */
	first = now_ms() - t0;
	if (q->idx.n != (size_t)n) {
		fprintf(stderr, "bench-queue-view: %zu shown of %d\n",
		    q->idx.n, n);
		return 1;
	}
	printf("first_draw_ms=%.1f\n", first);

	t = calloc((size_t)nk, sizeof *t);
	c = calloc((size_t)nk, sizeof *c);
	if (t == NULL || c == NULL)
		return 2;
	keys_mean(&u, scroll, (int)(sizeof scroll / sizeof scroll[0]), nk, t,
	    c);
	printf("scroll_sorts=%u\nscroll_filters=%u\n", q->idx.sorts,
	    q->idx.filters);
	qsort(t, (size_t)nk, sizeof *t, cmp_d);
	qsort(c, (size_t)nk, sizeof *c, cmp_d);
	printf("scroll_key_median_ms=%.3f\nscroll_key_max_ms=%.3f\n"
	    "scroll_key_max_cpu_ms=%.3f\n", t[nk / 2], t[nk - 1], c[nk - 1]);
	/* the filter as it is typed: each keystroke filters all again */
	ui_key(&u, '/');
	t0 = now_ms();
	keys_mean(&u, typing, 2, 2, NULL, NULL);
	printf("filter_keystroke_mean_ms=%.1f\nfiltered=%zu\n",
	    (now_ms() - t0) / 2, q->idx.n);
	ui_key(&u, '\r');
	keys_mean(&u, scroll, 4, 4, NULL, NULL);
	ui_key(&u, 27);			/* clear the filter */
	ui_draw(&u);
	t0 = now_ms();
	keys_mean(&u, (const int[]){ 's' }, 1, 3, NULL, NULL);
	printf("sort_key_mean_ms=%.1f\n", (now_ms() - t0) / 3);
	t0 = now_ms();
	keys_mean(&u, (const int[]){ '\t' }, 1, 1, NULL, NULL);
	printf("qshape_first_ms=%.1f\n", now_ms() - t0);
	t0 = now_ms();
	keys_mean(&u, (const int[]){ 'j', 'k' }, 2, nk, NULL, NULL);
	printf("qshape_scroll_key_mean_ms=%.3f\n", (now_ms() - t0) / nk);
	printf("screen=%dx%d\nkeys=%d\nmaxrss_total_kb=%ld\n", cols, lines, nk,
	    maxrss_kb());
	endwin();
	delscreen(scr);
	free(t);
	free(c);
	queue_view_free(&u);
	watch_free(w);
	config_free(&inv);
	return 0;
}
