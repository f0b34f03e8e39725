/* serve-cache.c: the /metrics body kept between scrapes. Each format's
 * body is rendered (watch_derive, metrics_write) when a scrape finds none
 * or finds it older than SERVE_BODY_MS, at most once in that span however
 * fast the model changes (a refreshing fleet moves its generation on
 * nearly every loop turn); every other scrape serves it as it is. The
 * loop also renders it SERVE_LEAD_MS before the next scrape is expected
 * (as far after the last one as that was after the one before: scrapers
 * keep an interval), so a regular scraper finds a body ready and never
 * waits for one. A body lives in a libmicrohttpd response, which counts
 * the connections still sending it: a newer body never frees one in
 * flight. Its gzip encoding (serve-gzip.c) is made on the first scrape
 * that asks for gzip and kept beside it for the others until the body is
 * rendered again; the loop makes it ahead with the body when the last
 * scrape of that format asked for gzip. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

/* the 0.9.75 calls, as serve-http.c */
#define MHD_NO_DEPRECATION 1
#include <microhttpd.h>

#include "serve.h"

struct cached {
	struct MHD_Response *r;	/* NULL: none yet */
	const char *body;	/* r's buffer */
	size_t	len;
	struct MHD_Response *gz; /* r's body gzipped; NULL: not yet */
	int	want_gz;	/* the last scrape asked for gzip */
	int64_t	at_ms;		/* clock_ms of the render */
	int64_t	asked_ms;	/* the last scrape; 0: none yet */
	int64_t	gap_ms;		/* from the one before; 0: unknown */
};

struct serve_cache {
	struct watch *w;
	struct cached f[2];	/* by enum metrics_format */
	unsigned long renders, gzips;
};

struct serve_cache *
serve_cache_new(struct watch *w)
{
	struct serve_cache *c = calloc(1, sizeof(*c));

	if (c != NULL)
		c->w = w;
	return c;
}

void
serve_cache_free(struct serve_cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < sizeof(c->f) / sizeof(c->f[0]); i++) {
		if (c->f[i].r != NULL)
			MHD_destroy_response(c->f[i].r);
		if (c->f[i].gz != NULL)
			MHD_destroy_response(c->f[i].gz);
	}
	free(c);
}

/* A response of body[0..len) (freed with it) with fmt's Content-Type,
 * "Content-Encoding: gzip" when gz, and "Vary: Accept-Encoding" (caches
 * between keep the encodings apart); NULL on ENOMEM (body freed). */
static struct MHD_Response *
response(char *body, size_t len, enum metrics_format fmt, int gz)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return NULL;
	}
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    metrics_content_type(fmt)) != MHD_YES ||
	    MHD_add_response_header(r, MHD_HTTP_HEADER_VARY,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING) != MHD_YES ||
	    (gz && MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING,
	    "gzip") != MHD_YES)) {
		MHD_destroy_response(r);
		return NULL;
	}
	return r;
}

/* Renders fmt's body of now into f (its gzip goes: it was the old
 * body's); the old ones go when their last connection is done. -1 (f
 * unchanged) on ENOMEM. */
static int
render(struct serve_cache *c, struct cached *f, enum metrics_format fmt,
    int64_t now_ms, time_t now)
{
	struct MHD_Response *r;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	int bad;

	/* topology and findings are recomputed only when stale */
	watch_derive(c->w, now);
	if ((out = open_memstream(&buf, &len)) == NULL)
		return -1;
	bad = metrics_write(out, watch_model(c->w), watch_topology(c->w),
	    watch_findings(c->w), now, fmt);
	if (fclose(out) != 0 || bad) {
		free(buf);
		return -1;
	}
	if ((r = response(buf, len, fmt, 0)) == NULL)
		return -1;
	if (f->r != NULL)
		MHD_destroy_response(f->r);
	if (f->gz != NULL)
		MHD_destroy_response(f->gz);
	f->gz = NULL;
	f->r = r;
	f->body = buf;
	f->len = len;
	f->at_ms = now_ms;
	c->renders++;
	return 0;
}

/* f's body gzipped into f->gz unless it is there already. -1 on ENOMEM
 * (f->gz stays NULL: the plain body is served). */
static int
gzip_body(struct serve_cache *c, struct cached *f, enum metrics_format fmt)
{
	char *z;
	size_t zlen;

	if (f->gz != NULL)
		return 0;
	if (serve_gzip(f->body, f->len, SERVE_GZIP_LEVEL, &z, &zlen) != 0 ||
	    (f->gz = response(z, zlen, fmt, 1)) == NULL)
		return -1;
	c->gzips++;
	return 0;
}

/* fmt's body, rendered again when there is none or it is too old. */
static struct cached *
fresh(struct serve_cache *c, enum metrics_format fmt, int64_t now_ms,
    time_t now)
{
	struct cached *f = &c->f[fmt == METRICS_OPENMETRICS];

	/* ENOMEM: none (a 500), never a body older than promised */
	if ((f->r == NULL || now_ms - f->at_ms >= SERVE_BODY_MS ||
	    now_ms < f->at_ms) && render(c, f, fmt, now_ms, now) != 0)
		return NULL;
	return f;
}

const char *
serve_cache_body(struct serve_cache *c, enum metrics_format fmt,
    int64_t now_ms, time_t now, size_t *len)
{
	struct cached *f = fresh(c, fmt, now_ms, now);

	*len = f != NULL ? f->len : 0;
	return f != NULL ? f->body : NULL;
}

struct MHD_Response *
serve_cache_response(struct serve_cache *c, enum metrics_format fmt,
    int gzip, int64_t now_ms, time_t now)
{
	struct cached *f = fresh(c, fmt, now_ms, now);

	if (f == NULL)
		return NULL;
	f->gap_ms = f->asked_ms != 0 && now_ms > f->asked_ms ?
	    now_ms - f->asked_ms : 0;
	f->asked_ms = now_ms;
	f->want_gz = gzip;
	/* ENOMEM on the way: the plain body, which the client takes too */
	return gzip && gzip_body(c, f, fmt) == 0 ? f->gz : f->r;
}

/* When f's next body should be rendered ahead of the scrape expected
 * next; INT64_MAX: none to render (no interval known yet, or the body
 * there is young enough for a scrape up to SERVE_LEAD_MS late). One
 * render at most per expected scrape: once done, the body is. */
static int64_t
due_at(const struct cached *f)
{
	int64_t next;

	if (f->r == NULL || f->gap_ms == 0)
		return INT64_MAX;
	next = f->asked_ms + f->gap_ms;
	if (next + SERVE_LEAD_MS - f->at_ms < SERVE_BODY_MS)
		return INT64_MAX;
	/* a scraper many times a second: a body every 750 ms at most */
	if (next < f->at_ms + SERVE_BODY_MS)
		next = f->at_ms + SERVE_BODY_MS;
	return next - SERVE_LEAD_MS;
}

void
serve_cache_tick(struct serve_cache *c, int64_t now_ms, time_t now)
{
	struct cached *f;
	enum metrics_format fmt;
	size_t i;

	for (i = 0; i < sizeof(c->f) / sizeof(c->f[0]); i++) {
		f = &c->f[i];
		fmt = i ? METRICS_OPENMETRICS : METRICS_PROMETHEUS;
		if (now_ms < due_at(f))
			continue;
		if (render(c, f, fmt, now_ms, now) != 0)
			f->gap_ms = 0;	/* ENOMEM: the scrape renders */
		else if (f->want_gz)
			(void)gzip_body(c, f, fmt); /* ENOMEM: the scrape */
	}
}

int
serve_cache_wait(const struct serve_cache *c, int64_t now_ms)
{
	int64_t d = INT64_MAX, x;
	size_t i;

	for (i = 0; i < sizeof(c->f) / sizeof(c->f[0]); i++)
		if ((x = due_at(&c->f[i])) < d)
			d = x;
	if (d == INT64_MAX)
		return -1;
	return d <= now_ms ? 0 : d - now_ms > INT_MAX ? INT_MAX :
	    (int)(d - now_ms);
}

unsigned long
serve_cache_renders(const struct serve_cache *c)
{
	return c->renders;
}

unsigned long
serve_cache_gzips(const struct serve_cache *c)
{
	return c->gzips;
}
