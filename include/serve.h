/* serve.h: `--serve [ADDR:]PORT`: an HTTP server for Prometheus inside the
 * watch's one poll() loop (libmicrohttpd, external polling through its
 * epoll fd, no thread). GET /metrics answers metrics.h's text of the
 * model, rendered at most once a second (serve_cache below), gzipped for
 * a scraper whose Accept-Encoding takes it (serve_gzip below). */
#ifndef RELAYTOP_SERVE_H
#define RELAYTOP_SERVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "metrics.h"
#include "watch.h"

/* Parses "[ADDR:]PORT": PORT alone listens on 127.0.0.1; ADDR is an IPv4
 * literal or a bracketed IPv6 one ("[::1]:9464"); no names (no DNS).
 * PORT is 1..65535. Returns 0 and fills *ss and *len, or -1 with a
 * one-line message in err. */
int	serve_addr_parse(const char *s, struct sockaddr_storage *ss,
	    socklen_t *len, char *err, size_t errlen);

struct serve;

/* Listens on addr (serve_addr_parse's syntax) and attaches the server to
 * w's loop (watch_set_server): from the next watch_run on, scrapes are
 * answered. web_config (NULL: none) is a web-config.h file: TLS with its
 * key and certificate, basic auth for its users (401 otherwise). Returns
 * the server, or NULL with a message in err (the address, busy port, the
 * web config's FILE:LINE, a key that does not load, no epoll). */
struct serve *serve_start(struct watch *w, const char *addr,
	    const char *web_config, char *err, size_t errlen);

/* Detaches from the watch, closes the socket and every connection, frees.
 * NULL: no-op. */
void	serve_stop(struct serve *s);

/* "http://ADDR:PORT/metrics", where it listens. */
const char *serve_url(const struct serve *s);

/* Scrapes answered so far (for the tests and -v). */
unsigned long serve_scrapes(const struct serve *s);
/* /metrics bodies rendered so far (serve_cache_renders of its cache). */
unsigned long serve_renders(const struct serve *s);
/* /metrics bodies gzipped so far (serve_cache_gzips of its cache). */
unsigned long serve_gzips(const struct serve *s);

/* --- the body kept between scrapes (src/serve-cache.c) ------------------- */

/* A scrape serves the body rendered last, in its format, while it is
 * younger than this; an older one (or none) is rendered again first. So
 * the body is rendered at most once a second a format, however fast the
 * model changes, and is never older than that. */
#define SERVE_BODY_MS	1000
/* The loop renders a body this long before the next scrape is expected
 * (the interval of the last two kept), so a regular scraper finds it
 * ready: one render a scrape (every SERVE_BODY_MS - SERVE_LEAD_MS at most
 * for one many times a second), none while nobody scrapes. */
#define SERVE_LEAD_MS	250

struct serve_cache;
struct MHD_Response;

/* An empty cache over w's model, topology and findings; NULL on ENOMEM. */
struct serve_cache *serve_cache_new(struct watch *w);
/* Lets go of the bodies (one still being sent goes when it is done).
 * NULL: no-op. */
void	serve_cache_free(struct serve_cache *c);
/* fmt's body at now_ms (clock_ms), rendered first (watch_derive, then
 * metrics_write at now) when there is none or it is SERVE_BODY_MS old;
 * its length in *len. Valid until the next call; NULL on ENOMEM. */
const char *serve_cache_body(struct serve_cache *c, enum metrics_format fmt,
	    int64_t now_ms, time_t now, size_t *len);
/* The same body as a libmicrohttpd response with its Content-Type and
 * "Vary: Accept-Encoding", borrowed (MHD_queue_response takes a reference
 * of its own); with gzip (serve_gzip_accepted), its gzip encoding with
 * "Content-Encoding: gzip" instead, made on the first such call for this
 * body and kept for the next ones (the plain one when it cannot be made:
 * ENOMEM). Counts as a scrape (its time, the interval since the last one
 * and whether it asked for gzip are kept). */
struct MHD_Response *serve_cache_response(struct serve_cache *c,
	    enum metrics_format fmt, int gzip, int64_t now_ms, time_t now);
/* The loop's turn: renders a body whose scrape is expected within
 * SERVE_LEAD_MS (serve_cache_response notes each scrape) unless the one
 * kept is young enough for it, and gzips it too when the last scrape of
 * its format asked for gzip. */
void	serve_cache_tick(struct serve_cache *c, int64_t now_ms, time_t now);
/* Milliseconds until serve_cache_tick has a body to render (0: now), -1:
 * none expected. */
int	serve_cache_wait(const struct serve_cache *c, int64_t now_ms);
/* Bodies rendered so far. */
unsigned long serve_cache_renders(const struct serve_cache *c);
/* Bodies gzipped so far (each body at most once). */
unsigned long serve_cache_gzips(const struct serve_cache *c);

/* --- gzip (src/serve-gzip.c) --------------------------------------------- */

/* zlib's level for /metrics: 1 (fastest) makes a 500-host body of 1.77 MB
 * 118 KB in 3.1 ms of CPU; 6: 96 KB in 10 ms, 9: 93 KB in 43 ms
 * (BENCHMARKS.md, "gzip /metrics (h18z)"). */
#define SERVE_GZIP_LEVEL	1
/* An Accept-Encoding longer than this is not read (plain is served). */
#define SERVE_AE_MAX		1024

/* 1 when an Accept-Encoding header value h takes gzip: "gzip" (or
 * "x-gzip"), else "*", named with a weight above 0 ("q=0" refuses) and no
 * lower than an explicit "identity"'s; case-insensitive, empty list
 * elements skipped. 0 for NULL, anything malformed (a parameter other than
 * q, a bad qvalue, a byte outside a token) or longer than SERVE_AE_MAX:
 * the plain body, which every client takes. */
int	serve_gzip_accepted(const char *h);
/* The gzip encoding (RFC 1952) of in[0..len) at zlib level into *out
 * (malloc'd, the caller frees), its length in *outlen. -1 (*out NULL) on
 * ENOMEM or a body over 4 GiB. */
int	serve_gzip(const char *in, size_t len, int level, char **out,
	    size_t *outlen);

#endif
