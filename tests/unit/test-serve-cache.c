/* test-serve-cache.c: the /metrics body kept between scrapes
 * (serve-cache.c): rendered on the first scrape, served as it is while
 * younger than SERVE_BODY_MS even when the model changed, rendered again
 * (with the change) once that old; each format kept apart; rendered by
 * the loop just before a regular scraper's next scrape, once, and for a
 * scraper many times a second no more than every 750 ms; and through the
 * real server on 127.0.0.1 (its loop turns run here, no session connects),
 * two scrapes within the second get the same body, the Accept header its
 * format. Gzip: made on the first scrape that asks, kept for the others
 * while the body is, dropped with it, made ahead by the loop for a gzip
 * scraper; through the server, the Accept-Encoding values that take it
 * get Content-Encoding gzip with a body that inflates to the plain one,
 * the rest (refused, malformed, too long) the plain body. */
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
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include <zlib.h>

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
	assert_non_null(serve_cache_response(f->c, METRICS_PROMETHEUS, 0, T0,
	    NOW));
	/* one scrape: no interval yet, nothing expected */
	assert_int_equal(serve_cache_wait(f->c, T0), -1);
	serve_cache_tick(f->c, T0 + 14000, NOW);
	assert_int_equal(serve_cache_renders(f->c), 1);
	assert_non_null(serve_cache_response(f->c, METRICS_PROMETHEUS, 0,
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
	assert_non_null(serve_cache_response(f->c, METRICS_PROMETHEUS, 0,
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

	assert_non_null(serve_cache_response(f->c, METRICS_PROMETHEUS, 0, T0,
	    NOW));
	r0 = serve_cache_renders(f->c);
	for (t = T0 + 50; t <= T0 + 6000; t += 50) {
		serve_cache_tick(f->c, t, NOW);
		if (t == T0 + 3000)
			model_set_conn(m, &m->hosts[0], HC_UP, "");
		if ((t - T0) % 300 != 0)
			continue;
		assert_non_null(serve_cache_response(f->c,
		    METRICS_PROMETHEUS, 0, t, NOW));
		a = body(f, METRICS_PROMETHEUS, t);
		if (t >= T0 + 3000 + SERVE_BODY_MS)
			assert_up_a(a, "1");
		free(a);
	}
	assert_in_range(serve_cache_renders(f->c) - r0, 6000 / SERVE_BODY_MS,
	    6000 / (SERVE_BODY_MS - SERVE_LEAD_MS));
}

/* The gzip body: made on the first scrape that asks for it, the same
 * response for the next while the body is kept, the plain one apart;
 * dropped when the body is rendered again; a plain scraper never pays. */
static void
test_gzip_kept(void **state)
{
	struct fx *f = *state;
	struct MHD_Response *p, *g, *g2;

	p = serve_cache_response(f->c, METRICS_PROMETHEUS, 0, T0, NOW);
	assert_non_null(p);
	assert_int_equal(serve_cache_gzips(f->c), 0);
	g = serve_cache_response(f->c, METRICS_PROMETHEUS, 1, T0 + 10, NOW);
	assert_non_null(g);
	assert_ptr_not_equal(g, p);
	assert_int_equal(serve_cache_gzips(f->c), 1);
	g2 = serve_cache_response(f->c, METRICS_PROMETHEUS, 1,
	    T0 + SERVE_BODY_MS - 1, NOW);
	assert_ptr_equal(g2, g);
	assert_int_equal(serve_cache_gzips(f->c), 1);
	assert_ptr_equal(serve_cache_response(f->c, METRICS_PROMETHEUS, 0,
	    T0 + SERVE_BODY_MS - 1, NOW), p);
	assert_int_equal(serve_cache_renders(f->c), 1);
	/* the other format: its own */
	g2 = serve_cache_response(f->c, METRICS_OPENMETRICS, 1, T0 + 20, NOW);
	assert_ptr_not_equal(g2, g);
	assert_int_equal(serve_cache_gzips(f->c), 2);
	/* a new body: a new gzip, made once again */
	g2 = serve_cache_response(f->c, METRICS_PROMETHEUS, 1,
	    T0 + SERVE_BODY_MS, NOW);
	assert_int_equal(serve_cache_renders(f->c), 3);
	assert_int_equal(serve_cache_gzips(f->c), 3);
	assert_ptr_equal(serve_cache_response(f->c, METRICS_PROMETHEUS, 1,
	    T0 + SERVE_BODY_MS + 5, NOW), g2);
	assert_int_equal(serve_cache_gzips(f->c), 3);
	/* plain scrapes of later bodies: no gzip made */
	assert_non_null(serve_cache_response(f->c, METRICS_PROMETHEUS, 0,
	    T0 + 2 * SERVE_BODY_MS, NOW));
	assert_int_equal(serve_cache_renders(f->c), 4);
	assert_int_equal(serve_cache_gzips(f->c), 3);
}

/* A gzip scraper every 15 s: the loop renders and gzips ahead, and the
 * scrape finds both ready; once the last scrape was plain, ahead renders
 * are plain only. */
static void
test_gzip_ahead(void **state)
{
	struct fx *f = *state;
	struct MHD_Response *g;

	assert_non_null(serve_cache_response(f->c, METRICS_PROMETHEUS, 1, T0,
	    NOW));
	assert_non_null(serve_cache_response(f->c, METRICS_PROMETHEUS, 1,
	    T0 + 15000, NOW));
	assert_int_equal(serve_cache_renders(f->c), 2);
	assert_int_equal(serve_cache_gzips(f->c), 2);
	serve_cache_tick(f->c, T0 + 30000 - SERVE_LEAD_MS, NOW);
	assert_int_equal(serve_cache_renders(f->c), 3);
	assert_int_equal(serve_cache_gzips(f->c), 3);	/* made ahead */
	g = serve_cache_response(f->c, METRICS_PROMETHEUS, 1, T0 + 30000,
	    NOW);
	assert_non_null(g);
	assert_int_equal(serve_cache_renders(f->c), 3);
	assert_int_equal(serve_cache_gzips(f->c), 3);	/* found ready */
	/* the next scrape plain: the one after is rendered, not gzipped */
	assert_non_null(serve_cache_response(f->c, METRICS_PROMETHEUS, 0,
	    T0 + 45000, NOW));
	assert_int_equal(serve_cache_renders(f->c), 4);
	serve_cache_tick(f->c, T0 + 60000 - SERVE_LEAD_MS, NOW);
	assert_int_equal(serve_cache_renders(f->c), 5);
	assert_int_equal(serve_cache_gzips(f->c), 3);
}

/* One HTTP GET of /metrics through s, the server's turns run here as the
 * loop would (at most 5 s), with the extra header lines hdrs ("Name:
 * value\r\n" each; NULL: none); the whole reply (NUL-terminated, its
 * length without the NUL in *outlen). */
static char *
scrape_raw(struct watch *w, int port, const char *hdrs, size_t *outlen)
{
	struct sockaddr_in sa;
	struct pollfd p[2];
	char *req, *out = NULL;
	size_t len = 0, cap = 0;
	int fd, i, n, done = 0;
	ssize_t got;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	n = (int)strlen(hdrs ? hdrs : "") + 128;
	assert_non_null(req = malloc((size_t)n));
	n = snprintf(req, (size_t)n, "GET /metrics HTTP/1.1\r\nHost: x\r\n"
	    "%sConnection: close\r\n\r\n", hdrs ? hdrs : "");
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
	free(req);
	assert_true(done);
	out[len] = '\0';
	*outlen = len;
	return out;
}

/* scrape_raw with an Accept header (NULL: none), as a string. */
static char *
scrape(struct watch *w, int port, const char *accept)
{
	char h[256];
	size_t len;

	if (accept != NULL)
		snprintf(h, sizeof(h), "Accept: %s\r\n", accept);
	return scrape_raw(w, port, accept != NULL ? h : NULL, &len);
}

/* Where s[0..n) first is in r[0..len); NULL: nowhere (memmem is a GNU
 * extension). */
static const char *
find(const char *r, size_t len, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(r + i, s, n) == 0)
			return r + i;
	return NULL;
}

/* The reply's body (after the blank line) and its length in *blen. */
static const char *
reply_body(const char *r, size_t len, size_t *blen)
{
	const char *b = find(r, len, "\r\n\r\n", 4);

	assert_non_null(b);
	*blen = len - (size_t)(b + 4 - r);
	return b + 4;
}

/* 1 when the reply's head has the header line h (case-insensitive). */
static int
has_header(const char *r, size_t len, const char *h)
{
	const char *end = find(r, len, "\r\n\r\n", 4);
	size_t n = strlen(h);
	const char *p;

	for (p = r; p != NULL && p < end; p = strstr(p, "\r\n")) {
		p += p == r ? 0 : 2;
		if (strncasecmp(p, h, n) == 0 && p[n] == '\r')
			return 1;
	}
	return 0;
}

/* Starts the real server on a free port of 127.0.0.1 at w; the port in
 * *port. */
static struct serve *
server(struct watch *w, int *port)
{
	struct serve *s = NULL;
	char addr[32], err[256];
	int p;

	for (p = 20000 + getpid() % 20000; s == NULL && p < 65000; p += 97) {
		snprintf(addr, sizeof(addr), "127.0.0.1:%d", p);
		s = serve_start(w, addr, NULL, err, sizeof(err));
	}
	assert_non_null(s);
	*port = p - 97;
	return s;
}

/* The real server: two scrapes in the same second get the same body
 * though the model changed between them; the Accept header picks the
 * format and its Content-Type. */
static void
test_server(void **state)
{
	struct fx *f = *state;
	struct model *m = watch_model(f->w);
	struct serve *s;
	char *a, *b, *o;
	int64_t t0, t1;
	int port;

	s = server(f->w, &port);
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

/* body[0..len) inflated (gzip wrapper) into a new string. */
static char *
gunzip(const char *body, size_t len, size_t *outlen)
{
	z_stream z;
	size_t cap = len * 20 + 4096;
	char *out = malloc(cap + 1);

	assert_non_null(out);
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (unsigned char *)body;
	z.avail_in = (unsigned)len;
	z.next_out = (unsigned char *)out;
	z.avail_out = (unsigned)cap;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.avail_in, 0);
	*outlen = z.total_out;
	out[*outlen] = '\0';
	inflateEnd(&z);
	return out;
}

/* The real server and gzip: an Accept-Encoding that takes it gets
 * Content-Encoding gzip and a body inflating to the plain one; two such
 * scrapes within the second, the same bytes, gzipped once; refused,
 * absent, malformed and too long ones get the plain body; Vary on all. */
static void
test_server_gzip(void **state)
{
	static const struct {
		const char *h;
		int	gz;
	} ae[] = {
		{ "gzip;q=0", 0 },
		{ "identity", 0 },
		{ NULL, 0 },
		{ "*", 1 },
		{ "GZIP", 1 },
		{ "deflate, gzip;q=0.5", 1 },
		{ "gzip;q=2", 0 },
		{ "gzip;;;", 0 },
		{ "gzip, \"x\"", 0 },
	};
	struct fx *f = *state;
	struct serve *s;
	const char *gb, *gb2, *pb;
	char *g, *g2, *pl, *z, *long_ae, hdr[64];
	size_t glen, g2len, plen, gblen, gb2len, pblen, zlen, i;
	int64_t t0, t1;
	int port;

	s = server(f->w, &port);
	t0 = clock_ms();
	g = scrape_raw(f->w, port, "Accept-Encoding: gzip\r\n", &glen);
	g2 = scrape_raw(f->w, port, "Accept-Encoding: gzip\r\n", &g2len);
	pl = scrape_raw(f->w, port, NULL, &plen);
	t1 = clock_ms();
	assert_non_null(strstr(g, "HTTP/1.1 200"));
	assert_true(has_header(g, glen, "Content-Encoding: gzip"));
	assert_true(has_header(g, glen, "Vary: Accept-Encoding"));
	assert_true(has_header(pl, plen, "Vary: Accept-Encoding"));
	assert_false(has_header(pl, plen, "Content-Encoding: gzip"));
	gb = reply_body(g, glen, &gblen);
	gb2 = reply_body(g2, g2len, &gb2len);
	pb = reply_body(pl, plen, &pblen);
	z = gunzip(gb, gblen, &zlen);
	assert_up_a(z, "0");
	assert_true(gblen < pblen);
	if (t1 - t0 < SERVE_BODY_MS) {
		/* one body: the same gzip bytes, made once, the plain text */
		assert_int_equal(gb2len, gblen);
		assert_memory_equal(gb2, gb, gblen);
		assert_int_equal(serve_gzips(s), 1);
		assert_int_equal(serve_renders(s), 1);
		assert_int_equal(zlen, pblen);
		assert_memory_equal(z, pb, pblen);
	} else
		print_message("scrapes %lld ms apart: not compared\n",
		    (long long)(t1 - t0));
	free(z);
	free(g);
	free(g2);
	free(pl);
	for (i = 0; i < sizeof(ae) / sizeof(ae[0]); i++) {
		if (ae[i].h != NULL)
			snprintf(hdr, sizeof(hdr), "Accept-Encoding: %s\r\n",
			    ae[i].h);
		g = scrape_raw(f->w, port, ae[i].h ? hdr : NULL, &glen);
		assert_non_null(strstr(g, "HTTP/1.1 200"));
		assert_true(has_header(g, glen, "Vary: Accept-Encoding"));
		if (has_header(g, glen, "Content-Encoding: gzip") != ae[i].gz)
			fail_msg("Accept-Encoding '%s': %s", ae[i].h ?
			    ae[i].h : "(none)", ae[i].gz ? "plain" : "gzip");
		gb = reply_body(g, glen, &gblen);
		if (ae[i].gz)
			free(gunzip(gb, gblen, &zlen));
		else
			assert_non_null(find(gb, gblen, UP_A, strlen(UP_A)));
		free(g);
	}
	/* a header past SERVE_AE_MAX (gzip at its end): plain, and the
	 * server answers on (MHD strips leading blanks: "br, " it is) */
	assert_non_null(long_ae = malloc(4 * SERVE_AE_MAX));
	memcpy(long_ae, "Accept-Encoding: ", 17);
	for (i = 0; i < SERVE_AE_MAX / 2; i++)
		memcpy(long_ae + 17 + 4 * i, "br, ", 4);
	strcpy(long_ae + 17 + 4 * i, "gzip\r\n");
	g = scrape_raw(f->w, port, long_ae, &glen);
	assert_non_null(strstr(g, "HTTP/1.1 200"));
	assert_false(has_header(g, glen, "Content-Encoding: gzip"));
	free(g);
	free(long_ae);
	g = scrape(f->w, port, NULL);
	assert_non_null(strstr(g, "HTTP/1.1 200"));
	free(g);
	serve_stop(s);
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
		cmocka_unit_test_setup_teardown(test_gzip_kept, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_gzip_ahead, fx_setup,
		    fx_teardown),
		cmocka_unit_test_setup_teardown(test_server_gzip, fx_setup,
		    fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
