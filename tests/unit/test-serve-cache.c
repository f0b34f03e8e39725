/* test-serve-cache.c: the /metrics body kept between scrapes
 * (serve-cache.c): rendered on the first scrape, served as it is while
 * younger than SERVE_BODY_MS even when the model changed, rendered again
 * (with the change) once that old; each format kept apart; rendered by
 * the loop just before a regular scraper's next scrape, once, and for a
 * scraper many times a second no more than every 750 ms; and through the
 * real server on 127.0.0.1 (its loop turns run here, no session connects),
 * two scrapes within the second get the same body, the Accept header its
 * format. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "clock.h"
#include "config.h"
#include "metrics.h"
#include "serve.h"
#include "watch.h"
#include "test-watch-fixture.h"
/* the server's fd and turn as the loop calls them (no fleet runs here) */
#include "../../src/watch-int.h"

#define UP_A	"\nrelaytop_host_up{host=\"origin-a\"} "
#define T0	5000000		/* clock_ms of the first scrape */
#define NOW	1795829400

struct fx {
	struct inventory inv;
	struct watch *w;
	struct serve_cache *c;
};

static int
fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->w = watch_fixture_open(&f->inv);
	assert_non_null(f->c = serve_cache_new(f->w));
	*state = f;
	return 0;
}

static int
fx_teardown(void **state)
{
	struct fx *f = *state;

	serve_cache_free(f->c);
	watch_fixture_close(&f->inv, f->w);
	free(f);
	return 0;
}

/* A copy of the body of fmt at now_ms. */
static char *
body(struct fx *f, enum metrics_format fmt, int64_t now_ms)
{
	size_t len;
	const char *b = serve_cache_body(f->c, fmt, now_ms, NOW, &len);
	char *s;

	assert_non_null(b);
	assert_true(len > 0);
	assert_non_null(s = strndup(b, len));
	return s;
}

static void
assert_up_a(const char *text, const char *v)
{
	char want[128];

	snprintf(want, sizeof(want), UP_A "%s\n", v);
	if (strstr(text, want) == NULL)
		fail_msg("no line '%s' in:\n%.600s", want + 1, text);
}

/* The first scrape renders; a model change shows only once the body is
 * SERVE_BODY_MS old, and then at once. */
static void
test_staleness(void **state)
{
	struct fx *f = *state;
	struct model *m = watch_model(f->w);
	char *a, *b, *c;

	assert_int_equal(serve_cache_renders(f->c), 0);
	a = body(f, METRICS_PROMETHEUS, T0);
	assert_int_equal(serve_cache_renders(f->c), 1);
	assert_up_a(a, "0");
	model_set_conn(m, &m->hosts[0], HC_UP, "");
	b = body(f, METRICS_PROMETHEUS, T0 + SERVE_BODY_MS - 1);
	assert_int_equal(serve_cache_renders(f->c), 1);
	assert_string_equal(a, b);	/* the kept body, change unseen */
	c = body(f, METRICS_PROMETHEUS, T0 + SERVE_BODY_MS);
	assert_int_equal(serve_cache_renders(f->c), 2);
	assert_up_a(c, "1");
	free(a);
	free(b);
	free(c);
	/* kept again from there, whatever the model does */
	model_set_conn(m, &m->hosts[0], HC_UNREACHABLE, "refused");
	a = body(f, METRICS_PROMETHEUS, T0 + 2 * SERVE_BODY_MS - 1);
	assert_up_a(a, "1");
	assert_int_equal(serve_cache_renders(f->c), 2);
	free(a);
}

/* Each format its own body and its own age. */
static void
test_formats(void **state)
{
	struct fx *f = *state;
	struct model *m = watch_model(f->w);
	char *p, *o, *o2;
	size_t n;

	p = body(f, METRICS_PROMETHEUS, T0);
	o = body(f, METRICS_OPENMETRICS, T0 + 500);
	assert_int_equal(serve_cache_renders(f->c), 2);
	n = strlen(o);
	assert_true(n > 6 && strcmp(o + n - 6, "# EOF\n") == 0);
	assert_null(strstr(p, "# EOF"));
	model_set_conn(m, &m->hosts[0], HC_UP, "");
	/* the Prometheus body is due again, the OpenMetrics one is not */
	free(p);
	p = body(f, METRICS_PROMETHEUS, T0 + SERVE_BODY_MS);
	o2 = body(f, METRICS_OPENMETRICS, T0 + SERVE_BODY_MS);
	assert_int_equal(serve_cache_renders(f->c), 3);
	assert_up_a(p, "1");
	assert_string_equal(o, o2);
	assert_up_a(o2, "0");
	free(o2);
	o2 = body(f, METRICS_OPENMETRICS, T0 + 500 + SERVE_BODY_MS);
	assert_up_a(o2, "1");
	assert_int_equal(serve_cache_renders(f->c), 4);
	free(p);
	free(o);
	free(o2);
}

/* A regular scraper: from its second scrape on, the loop renders the body
 * SERVE_LEAD_MS before the next is due, once, and the scrape finds it
 * ready; a scraper that stops costs one render more, then none. */
static void
test_ahead(void **state)
{
	struct fx *f = *state;
	struct model *m = watch_model(f->w);
	int64_t t = T0 + 30000 - SERVE_LEAD_MS;
	char *a;

	assert_int_equal(serve_cache_wait(f->c, T0), -1);
	assert_non_null(serve_cache_response(f->c, METRICS_PROMETHEUS, T0,
	    NOW));
	/* one scrape: no interval yet, nothing expected */
	assert_int_equal(serve_cache_wait(f->c, T0), -1);
	serve_cache_tick(f->c, T0 + 14000, NOW);
	assert_int_equal(serve_cache_renders(f->c), 1);
	assert_non_null(serve_cache_response(f->c, METRICS_PROMETHEUS,
	    T0 + 15000, NOW));
	assert_int_equal(serve_cache_renders(f->c), 2);
	/* the next is expected at T0 + 30 s */
	assert_int_equal(serve_cache_wait(f->c, T0 + 15000),
	    15000 - SERVE_LEAD_MS);
	model_set_conn(m, &m->hosts[0], HC_UP, "");
	serve_cache_tick(f->c, t - 1, NOW);
	assert_int_equal(serve_cache_renders(f->c), 2);
	serve_cache_tick(f->c, t, NOW);
	assert_int_equal(serve_cache_renders(f->c), 3);
	assert_int_equal(serve_cache_wait(f->c, t), -1);
	serve_cache_tick(f->c, T0 + 30000, NOW);
	assert_non_null(serve_cache_response(f->c, METRICS_PROMETHEUS,
	    T0 + 30100, NOW));
	assert_int_equal(serve_cache_renders(f->c), 3);	/* found ready */
	a = body(f, METRICS_PROMETHEUS, T0 + 30100);
	assert_up_a(a, "1");
	free(a);
	/* the scraper stops: the one expected at T0 + 45.2 s is prepared,
	 * then nothing more */
	assert_int_equal(serve_cache_wait(f->c, T0 + 30100),
	    15100 - SERVE_LEAD_MS);
	serve_cache_tick(f->c, T0 + 45200 - SERVE_LEAD_MS, NOW);
	assert_int_equal(serve_cache_renders(f->c), 4);
	serve_cache_tick(f->c, T0 + 60000, NOW);
	serve_cache_tick(f->c, T0 + 600000, NOW);
	assert_int_equal(serve_cache_renders(f->c), 4);
	assert_int_equal(serve_cache_wait(f->c, T0 + 600000), -1);
}

/* A scraper three times a second, the loop turning every 50 ms: a body
 * every SERVE_BODY_MS - SERVE_LEAD_MS at most, and a change seen within
 * SERVE_BODY_MS. */
static void
test_frequent(void **state)
{
	struct fx *f = *state;
	struct model *m = watch_model(f->w);
	unsigned long r0;
	int64_t t;
	char *a;

	assert_non_null(serve_cache_response(f->c, METRICS_PROMETHEUS, T0,
	    NOW));
	r0 = serve_cache_renders(f->c);
	for (t = T0 + 50; t <= T0 + 6000; t += 50) {
		serve_cache_tick(f->c, t, NOW);
		if (t == T0 + 3000)
			model_set_conn(m, &m->hosts[0], HC_UP, "");
		if ((t - T0) % 300 != 0)
			continue;
		assert_non_null(serve_cache_response(f->c,
		    METRICS_PROMETHEUS, t, NOW));
		a = body(f, METRICS_PROMETHEUS, t);
		if (t >= T0 + 3000 + SERVE_BODY_MS)
			assert_up_a(a, "1");
		free(a);
	}
	assert_in_range(serve_cache_renders(f->c) - r0, 6000 / SERVE_BODY_MS,
	    6000 / (SERVE_BODY_MS - SERVE_LEAD_MS));
}

/* One HTTP GET of /metrics through s, the server's turns run here as the
 * loop would (at most 5 s); the whole reply as a string. */
static char *
scrape(struct watch *w, int port, const char *accept)
{
	struct sockaddr_in sa;
	struct pollfd p[2];
	char req[256], *out = NULL;
	size_t len = 0, cap = 0;
	int fd, i, n, done = 0;
	ssize_t got;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n = snprintf(req, sizeof(req), "GET /metrics HTTP/1.1\r\nHost: x\r\n"
	    "%s%s%sConnection: close\r\n\r\n", accept ? "Accept: " : "",
	    accept ? accept : "", accept ? "\r\n" : "");
	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
	assert_true(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ||
	    errno == EINPROGRESS);
	for (i = 0; i < 500 && !done; i++) {
		p[0].fd = w->srv_fd(w->srv_arg);
		p[1].fd = fd;
		p[0].events = POLLIN;
		p[1].events = n > 0 ? POLLOUT : POLLIN;
		p[0].revents = p[1].revents = 0;
		poll(p, 2, 10);
		w->srv_run(w->srv_arg);
		if (n > 0 && (p[1].revents & POLLOUT)) {
			assert_int_equal(write(fd, req, (size_t)n), n);
			n = 0;
		}
		while (n == 0) {
			if (cap - len < 65536) {
				cap = cap * 2 + 65536;
				assert_non_null(out = realloc(out, cap + 1));
			}
			got = read(fd, out + len, cap - len);
			if (got > 0)
				len += (size_t)got;
			else {
				done = got == 0;
				break;
			}
		}
	}
	close(fd);
	assert_true(done);
	out[len] = '\0';
	return out;
}

/* The real server: two scrapes in the same second get the same body
 * though the model changed between them; the Accept header picks the
 * format and its Content-Type. */
static void
test_server(void **state)
{
	struct fx *f = *state;
	struct model *m = watch_model(f->w);
	struct serve *s = NULL;
	char addr[32], err[256], *a, *b, *o;
	int64_t t0, t1;
	int port;

	for (port = 20000 + getpid() % 20000; s == NULL && port < 65000;
	    port += 97) {
		snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
		s = serve_start(f->w, addr, NULL, err, sizeof(err));
	}
	assert_non_null(s);
	port -= 97;
	t0 = clock_ms();
	a = scrape(f->w, port, NULL);
	model_set_conn(m, &m->hosts[0], HC_UP, "");
	b = scrape(f->w, port, NULL);
	t1 = clock_ms();
	assert_non_null(strstr(a, "HTTP/1.1 200"));
	assert_non_null(strstr(a, "text/plain; version=0.0.4"));
	assert_up_a(a, "0");
	/* the same body (unless a second passed between: a very slow box) */
	if (t1 - t0 < SERVE_BODY_MS)
		assert_string_equal(strstr(a, "\r\n\r\n"),
		    strstr(b, "\r\n\r\n"));
	else
		print_message("scrapes %lld ms apart: not compared\n",
		    (long long)(t1 - t0));
	o = scrape(f->w, port, "application/openmetrics-text; "
	    "version=1.0.0");
	assert_non_null(strstr(o, "application/openmetrics-text"));
	assert_non_null(strstr(o, "# EOF\n"));
	assert_up_a(o, "1");		/* its first render: the model now */
	assert_int_equal(serve_scrapes(s), 3);
	if (t1 - t0 < SERVE_BODY_MS)
		assert_int_equal(serve_renders(s), 2);	/* one a format */
	serve_stop(s);
	free(a);
	free(b);
	free(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_staleness, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_formats, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_ahead, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_frequent, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_server, fx_setup,
		    fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
