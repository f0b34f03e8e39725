/* serve.h: `--serve [ADDR:]PORT`: an HTTP server for Prometheus inside the
 * watch's one poll() loop (libmicrohttpd, external polling through its
 * epoll fd, no thread). GET /metrics answers metrics.h's text from the
 * model of that moment. */
#ifndef RELAYTOP_SERVE_H
#define RELAYTOP_SERVE_H

#include <stddef.h>
#include <sys/socket.h>

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

#endif
