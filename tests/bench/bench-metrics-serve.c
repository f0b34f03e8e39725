/* bench-metrics-serve.c: the bench-metrics driver's BENCH_SERVE mode: the
 * real server (serve-http.c) on 127.0.0.1 in a loop of its own, turned as
 * watch_run turns it, while a forked client scrapes it (gzip asked for
 * with SCRAPE_GZIP=1, SCRAPE_GAP_MS apart) and every host answers once a
 * second, so the model changes all along. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench-metrics.h"
#include "bench-time.h"
#include "model.h"
#include "serve.h"
/* the server's fd and turn as the loop calls them (no fleet runs here) */
#include "../../src/watch-int.h"

/* The client (a child process): n scrapes of 127.0.0.1:port, one after
 * the other, SCRAPE_GAP_MS (20) apart, each timed from connect to the
 * body's end (gzip asked for with SCRAPE_GZIP=1, as Prometheus does); the
 * median and the worst in ms and the last reply's bytes on fd out. */
static void
scraper(int port, int n, int out)
{
	static const char plain[] = "GET /metrics HTTP/1.1\r\nHost: x\r\n"
	    "Connection: close\r\n\r\n", gz[] = "GET /metrics HTTP/1.1\r\n"
	    "Host: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n";
	const char *req = getenv("SCRAPE_GZIP") != NULL ? gz : plain;
	size_t reqlen = strlen(req), bytes = 0;
	struct sockaddr_in sa;
	char buf[65536];
	double *v = calloc((size_t)n, sizeof(*v)), t0;
	int i, fd, gap_ms = getenv("SCRAPE_GAP_MS") != NULL ?
	    atoi(getenv("SCRAPE_GAP_MS")) : 20;
	ssize_t got;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < n && v != NULL; i++) {
		t0 = now_ms();
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
		    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
		    write(fd, req, reqlen) != (ssize_t)reqlen)
			_exit(2);
		for (bytes = 0; (got = read(fd, buf, sizeof(buf))) > 0;)
			bytes += (size_t)got;
		close(fd);
		v[i] = now_ms() - t0;
		usleep((useconds_t)gap_ms * 1000);
	}
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	snprintf(buf, sizeof(buf), "%.2f %.2f %zu\n", v[n / 2], v[n - 1],
	    bytes);
	if (write(out, buf, strlen(buf)) < 0)
		_exit(2);
	_exit(0);
}

/* The server in a loop of its own, as watch_run polls it (poll its fd,
 * then its turn), while a child scrapes n times; each turn first takes a
 * steady answer from every host whose second came (refresh = 1). Prints
 * the scrapes' wall times and the turns the loop made. */
int
bm_serve_bench(struct watch *w, struct probe **pr, uint64_t *off, int hosts,
    int n, unsigned *k)
{
	struct model *m = watch_model(w);
	struct buf log = { NULL, 0, 0 }, ans = { NULL, 0, 0 };
	struct serve *s = NULL;
	struct pollfd pfd;
	char addr[32], err[256], res[96] = "", *reply;
	unsigned long turns = 0;
	double t0 = now_ms(), fed = 0, c0, srv_cpu = 0, srv_max = 0;
	double feed_max = 0;
	int port, pipefd[2], st, next = 0, due, wait, pending = 0;
	pid_t kid;

	for (port = 20000 + getpid() % 20000; s == NULL && port < 65000;
	    port += 97) {
		snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
		s = serve_start(w, addr, NULL, err, sizeof(err));
	}
	port -= 97;
	if (s == NULL || pipe(pipefd) != 0 || (kid = fork()) < 0)
		return -1;
	if (kid == 0) {
		close(pipefd[0]);
		scraper(port, n, pipefd[1]);
	}
	close(pipefd[1]);
	for (;;) {
		pfd.fd = w->srv_fd(w->srv_arg);
		pfd.events = POLLIN;
		pfd.revents = 0;
		/* 50 ms at most (answers are fed each turn), less if the
		 * server says, as the real loop does */
		wait = w->srv_wait != NULL ? w->srv_wait(w->srv_arg) : -1;
		pending += wait == 0;
		poll(&pfd, 1, wait >= 0 && wait < 50 ? wait : 50);
		/* the hosts due since the last turn answer now */
		due = (int)((now_ms() - t0) / 1000.0 * hosts) - (int)fed;
		c0 = cpu_ms();
		for (; due > 0; due--, fed++) {
			log.len = 0;
			bm_message(&log, next, time(NULL), (*k)++);
			bm_answer(&ans, next, log.s, log.len, &off[next], 0);
			bm_feed(pr[next], &ans);
			next = (next + 1) % hosts;
		}
		if (cpu_ms() - c0 > feed_max)
			feed_max = cpu_ms() - c0;
		c0 = cpu_ms();
		w->srv_run(w->srv_arg);
		c0 = cpu_ms() - c0;
		srv_cpu += c0;
		if (c0 > srv_max)
			srv_max = c0;
		turns++;
		if (waitpid(kid, &st, WNOHANG) == kid)
			break;
	}
	if (read(pipefd[0], res, sizeof(res) - 1) <= 0 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return -1;
	close(pipefd[0]);
	/* "MEDIAN MAX BYTES": the reply's bytes on a line of their own */
	if ((reply = strrchr(res, ' ')) != NULL)
		*reply++ = '\0';
	printf("serve_scrapes=%d\nserve_wall_median_max_ms=%s\n"
	    "serve_reply_bytes=%s"
	    "serve_loop_turns=%lu\nserve_answers_fed=%.0f\n"
	    "serve_model_generation=%llu\nserve_cpu_per_scrape_ms=%.2f\n"
	    "serve_turn_max_cpu_ms=%.2f\nserve_feed_turn_max_cpu_ms=%.2f\n"
	    "serve_turns_server_pending=%d\nserve_renders=%lu\n"
	    "serve_gzips=%lu\n",
	    n, res, reply != NULL ? reply : "?\n", turns, fed,
	    (unsigned long long)m->generation, srv_cpu / n, srv_max, feed_max,
	    pending, serve_renders(s), serve_gzips(s));
	serve_stop(s);
	free(log.s);
	free(ans.s);
	return 0;
}
