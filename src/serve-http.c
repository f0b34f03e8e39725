/* serve-http.c: the /metrics server, the one file that speaks HTTP (through
 * libmicrohttpd). No thread of its own: the daemon runs in external-polling
 * mode, its epoll fd sits in the watch's poll() set, and MHD_run answers
 * whatever is ready after each poll(), with the body serve-cache.c keeps. */
#include <arpa/inet.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The 0.9.75 calls (Debian 12) are kept on newer libmicrohttpd (Debian
 * 13's 1.0 marks some deprecated for *3 variants 0.9.75 lacks). */
#define MHD_NO_DEPRECATION 1
#include <microhttpd.h>

#include "clock.h"
#include "metrics.h"
#include "serve-int.h"
#include "serve.h"

#define SERVE_CONN_MAX		64	/* scrapers at once */
#define SERVE_CONN_TIMEOUT_S	10	/* an idle or stalled client */

struct serve {
	struct watch *w;
	struct MHD_Daemon *d;
	int	epfd;
	unsigned long scrapes;
	char	url[96];
	struct web_config wc;		/* --web-config, zero: none */
	struct serve_auth_cache auth[WEB_USERS_MAX];
	struct serve_cache *cache;	/* the /metrics bodies */
	char	*cert, *key;		/* PEM, for MHD; NULL: no TLS */
};

/* A reply from a constant buffer. */
static enum MHD_Result
reply(struct MHD_Connection *c, unsigned status, const char *type,
    const char *body, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result rc;

	r = MHD_create_response_from_buffer(len, (void *)body,
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result
reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	return reply(c, status, "text/plain; charset=utf-8", text,
	    strlen(text));
}

/* The metrics, in the format the Accept header asks for, gzipped when
 * Accept-Encoding takes it: the body kept from an earlier scrape while it
 * is under SERVE_BODY_MS old. */
static enum MHD_Result
reply_metrics(struct serve *s, struct MHD_Connection *c)
{
	enum metrics_format fmt = metrics_format_for(
	    MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT));
	int gz = serve_gzip_accepted(MHD_lookup_connection_value(c,
	    MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
	struct MHD_Response *r;

	r = serve_cache_response(s->cache, fmt, gz, clock_ms(), time(NULL));
	if (r == NULL)
		return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "out of memory\n");
	s->scrapes++;
	return MHD_queue_response(c, MHD_HTTP_OK, r);
}

static const char index_page[] =
    "<html><head><title>relaytop</title></head><body>"
    "<h1>relaytop</h1><p><a href=\"/metrics\">/metrics</a></p>"
    "</body></html>\n";

/* 1 when the request's basic auth names a user of the web config with
 * its password. */
static int
authorised(struct serve *s, struct MHD_Connection *c)
{
	char *pass = NULL, *user;
	int ok;

	user = MHD_basic_auth_get_username_password(c, &pass);
	ok = serve_auth_ok(&s->wc, s->auth, user, pass);
	MHD_free(user);
	MHD_free(pass);
	return ok;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **req)
{
	static int first;
	struct serve *s = cls;

	(void)version;
	(void)upload;
	/* The first call only announces the request (headers read). */
	if (*req == NULL) {
		*req = &first;
		return MHD_YES;
	}
	if (*upload_len != 0) {
		*upload_len = 0;	/* a body is never wanted: drop it */
		return MHD_YES;
	}
	if (s->wc.nusers > 0 && !authorised(s, c)) {
		static const char no[] = "authentication required\n";
		struct MHD_Response *r = MHD_create_response_from_buffer(
		    sizeof(no) - 1, (void *)no, MHD_RESPMEM_PERSISTENT);
		enum MHD_Result rc;

		if (r == NULL)
			return MHD_NO;
		rc = MHD_queue_basic_auth_fail_response(c, "relaytop", r);
		MHD_destroy_response(r);
		return rc;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "only GET and HEAD\n");
	if (strcmp(url, "/metrics") == 0)
		return reply_metrics(s, c);
	if (strcmp(url, "/") == 0)
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8",
		    index_page, sizeof(index_page) - 1);
	return reply_text(c, MHD_HTTP_NOT_FOUND, "not found: see /metrics\n");
}

static int
serve_fd(void *arg)
{
	return ((struct serve *)arg)->epfd;
}

/* A body due ahead of its scrape first, then the connections. */
static void
serve_run(void *arg)
{
	struct serve *s = arg;

	serve_cache_tick(s->cache, clock_ms(), time(NULL));
	MHD_run(s->d);
}

/* MHD_get_timeout (0 when a connection is ready with nothing left for an
 * fd to announce, epoll's edge already taken, which a longer wait would
 * leave hanging until some other fd woke the loop), or sooner when a body
 * is due ahead of its scrape. */
static int
serve_wait(void *arg)
{
	struct serve *s = arg;
	MHD_UNSIGNED_LONG_LONG t;
	int b = serve_cache_wait(s->cache, clock_ms()), m;

	if (MHD_get_timeout(s->d, &t) != MHD_YES)
		return b;
	m = t > INT_MAX ? INT_MAX : (int)t;
	return b >= 0 && b < m ? b : m;
}

/* "http://ADDR:PORT/metrics" of where it listens. */
static void
set_url(struct serve *s, const struct sockaddr_storage *ss)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *v6 = (const void *)ss;

		inet_ntop(AF_INET6, &v6->sin6_addr, a, sizeof(a));
		snprintf(s->url, sizeof(s->url), "%s://[%s]:%u/metrics",
		    s->cert != NULL ? "https" : "http", a,
		    ntohs(v6->sin6_port));
	} else {
		const struct sockaddr_in *v4 = (const void *)ss;

		inet_ntop(AF_INET, &v4->sin_addr, a, sizeof(a));
		snprintf(s->url, sizeof(s->url), "%s://%s:%u/metrics",
		    s->cert != NULL ? "https" : "http", a,
		    ntohs(v4->sin_port));
	}
}

/* Frees what serve_start allocated (the daemon is stopped first). */
static void
serve_free(struct serve *s)
{
	if (s->d != NULL)
		MHD_stop_daemon(s->d);
	serve_cache_free(s->cache);
	free(s->cert);
	free(s->key);
	free(s);
}

/* Reads the web config and, with TLS, the key and certificate. */
static int
load_web(struct serve *s, const char *path, char *err, size_t errlen)
{
	if (path == NULL)
		return 0;
	if (web_config_load(path, &s->wc, err, errlen) != 0)
		return -1;
	if (s->wc.cert_file[0] == '\0')
		return 0;
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		snprintf(err, errlen, "%s: this libmicrohttpd has no TLS",
		    path);
		return -1;
	}
	if ((s->cert = web_file_read(s->wc.cert_file, 1 << 20, err,
	    errlen)) == NULL ||
	    (s->key = web_file_read(s->wc.key_file, 1 << 20, err,
	    errlen)) == NULL)
		return -1;
	return 0;
}

struct serve *
serve_start(struct watch *w, const char *addr, const char *web_config,
    char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	struct serve *s;
	socklen_t len;
	unsigned flags = MHD_USE_EPOLL;

	if (serve_addr_parse(addr, &ss, &len, err, errlen) != 0)
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(err, errlen, "--serve: out of memory");
		return NULL;
	}
	s->w = w;
	if ((s->cache = serve_cache_new(w)) == NULL) {
		snprintf(err, errlen, "--serve: out of memory");
		serve_free(s);
		return NULL;
	}
	if (load_web(s, web_config, err, errlen) != 0) {
		serve_free(s);
		return NULL;
	}
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (s->cert != NULL)
		flags |= MHD_USE_TLS;
	/* MHD reads the TLS options only with MHD_USE_TLS; a NULL pointer
	 * ends the list early otherwise, so they go last. */
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_CONN_MAX,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_CONN_TIMEOUT_S,
	    s->cert != NULL ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END,
	    s->key, MHD_OPTION_HTTPS_MEM_CERT, s->cert, MHD_OPTION_END);
	if (s->d == NULL) {
		snprintf(err, errlen, "--serve %s: cannot listen there (port "
		    "in use, an address this machine does not have%s)", addr,
		    s->cert != NULL ? ", or a TLS key and certificate that "
		    "do not load" : "");
		serve_free(s);
		return NULL;
	}
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_EPOLL_FD);
	if (info == NULL || info->epoll_fd < 0) {
		snprintf(err, errlen, "--serve: libmicrohttpd has no epoll");
		serve_free(s);
		return NULL;
	}
	s->epfd = info->epoll_fd;
	set_url(s, &ss);
	watch_set_server(w, serve_fd, serve_run, s);
	watch_set_server_wait(w, serve_wait);
	return s;
}

void
serve_stop(struct serve *s)
{
	if (s == NULL)
		return;
	watch_set_server(s->w, NULL, NULL, NULL);
	serve_free(s);
}

const char *
serve_url(const struct serve *s)
{
	return s->url;
}

unsigned long
serve_scrapes(const struct serve *s)
{
	return s != NULL ? s->scrapes : 0;
}

unsigned long
serve_renders(const struct serve *s)
{
	return s != NULL ? serve_cache_renders(s->cache) : 0;
}

unsigned long
serve_gzips(const struct serve *s)
{
	return s != NULL ? serve_cache_gzips(s->cache) : 0;
}
