/* sshc-run.c: runs commands on one host of a hosts.ini through sshc (the
 * transport alone, its own tiny poll loop) and prints what happened: state
 * changes with times, each command's exit status, output and errors.
 * Build: make tools (make unit builds it too) -> build/tools/sshc-run
 * Usage: sshc-run [-n N] [-i STDIN] [-m MAX_OUT] [-t MS] [-a] [-k KH]
 *   [-w SECONDS] [-T TIMEOUT_S] [-q] HOSTS.INI HOST COMMAND
 *   -n N   run the command N times concurrently   -i  feed STDIN to it
 *   -m     keep at most MAX_OUT bytes per stream   -t  command deadline
 *   -a     accept-new host keys   -k  known_hosts file instead of the ini's
 *   -w S   keep watching the session S seconds after the commands (prints
 *          state changes; reruns the command once after each reconnect)
 *   -T S   connect/handshake/auth deadline  -q  do not print command output
 *   -R N   then run the command N more times, one after the other
 * Exit status: 0 all commands ran (whatever their exit status), 1 not. */
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "sshc.h"

static int pending, failed, quiet, repeat;
static int64_t t0;
static struct sshc *sess;
static const char *rcmd;
static size_t rmax;

static const char *const state_names[] = { "IDLE", "CONNECTING",
	"HANDSHAKE", "AUTH", "READY", "BACKOFF" };

static void
done(void *arg, const struct sshc_result *r)
{
	int id = (int)(intptr_t)arg;

	pending--;
	printf("[%6.3f] cmd %d: exit=%d error=%s%s%s elapsed=%dms out=%zu "
	    "err=%zu truncated=%d\n", (clock_ms() - t0) / 1000.0, id,
	    r->exit_status, sshc_error_name(r->error), r->msg[0] ? ": " : "",
	    r->msg, r->elapsed_ms, r->out_len, r->err_len, r->truncated);
	if (r->error != SSHE_NONE)
		failed++;
	/* -R: run again, one after the other, on the open session. */
	if (repeat > 0 && r->error == SSHE_NONE && sshc_exec(sess, rcmd, NULL,
	    0, rmax, 0, done, (void *)(intptr_t)(id + 1000)) == 0) {
		repeat--;
		pending++;
	}
	if (!quiet) {
		printf("--- stdout %d ---\n%s", id, r->out);
		if (r->out_len && r->out[r->out_len - 1] != '\n')
			printf("\n");
		if (r->err_len)
			printf("--- stderr %d ---\n%s\n", id, r->err);
	}
	fflush(stdout);
}

int
main(int argc, char **argv)
{
	struct inventory inv;
	struct host_config *h;
	struct sshc *c, *via = NULL;
	struct pollfd pfd[2];
	const char *in = NULL, *kh = NULL;
	char err[512];
	size_t max_out = 1 << 20;
	int n = 1, tmo = 0, accept = 0, watch = 0, opt, i, idx, timeout_s = 0;
	int started = 0, ran = 0, nfd;
	enum sshc_state last = SSHC_IDLE;
	enum sshc_error lasterr = SSHE_NONE;
	int64_t now, end, d;
	short ev;

	while ((opt = getopt(argc, argv, "n:i:m:t:ak:w:T:qR:")) != -1) {
		switch (opt) {
		case 'n': n = atoi(optarg); break;
		case 'i': in = optarg; break;
		case 'm': max_out = (size_t)atol(optarg); break;
		case 't': tmo = atoi(optarg); break;
		case 'a': accept = 1; break;
		case 'k': kh = optarg; break;
		case 'w': watch = atoi(optarg); break;
		case 'T': timeout_s = atoi(optarg); break;
		case 'q': quiet = 1; break;
		case 'R': repeat = atoi(optarg); break;
		default: return 2;
		}
	}
	if (argc - optind != 3) {
		fprintf(stderr, "usage: sshc-run [options] HOSTS.INI HOST CMD\n");
		return 2;
	}
	if (config_load(argv[optind], &inv, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if ((idx = config_find(&inv, argv[optind + 1])) < 0) {
		fprintf(stderr, "no host %s\n", argv[optind + 1]);
		return 2;
	}
	for (i = 0; i < (int)inv.n; i++) {
		if (accept)
			inv.hosts[i].hostkey_policy = HOSTKEY_ACCEPT_NEW;
		if (kh)
			snprintf(inv.hosts[i].known_hosts,
			    sizeof(inv.hosts[i].known_hosts), "%s", kh);
		if (timeout_s > 0)
			inv.hosts[i].timeout_s = timeout_s;
	}
	h = &inv.hosts[idx];
	if (h->jump_index >= 0)
		via = sshc_new(&inv.hosts[h->jump_index], NULL);
	c = sshc_new(h, via);
	sess = c;
	rcmd = argv[optind + 2];
	rmax = max_out;
	t0 = clock_ms();
	end = INT64_MAX;
	if (via)
		sshc_start(via, t0);
	sshc_start(c, t0);
	for (;;) {
		now = clock_ms();
		if (sshc_state(c) != last || sshc_last_error(c, NULL) !=
		    lasterr) {
			const char *msg;

			last = sshc_state(c);
			lasterr = sshc_last_error(c, &msg);
			printf("[%6.3f] state %s%s%s\n", (now - t0) / 1000.0,
			    state_names[last], msg[0] ? ": " : "", msg);
			fflush(stdout);
			if (last == SSHC_READY && (!started || ran < started)) {
				for (i = 0; i < n; i++)
					if (sshc_exec(c, argv[optind + 2], in,
					    in ? strlen(in) : 0, max_out, tmo,
					    done, (void *)(intptr_t)(started +
					    i)) == 0)
						pending++;
				started += n;
				ran = started;
			}
			if (last == SSHC_BACKOFF && !watch)
				break;
		}
		if (started && pending == 0) {
			if (!watch)
				break;
			if (end == INT64_MAX)
				end = now + watch * 1000;
			/* After a reconnect, run the command once more. */
			if (last != SSHC_READY)
				ran = 0;
		}
		if (watch && now >= (end == INT64_MAX ? t0 + watch * 1000 +
		    60000 : end))
			break;
		/* pfd[0]: the jump host, pfd[1]: the host; fd -1 is ignored. */
		pfd[0].fd = via ? sshc_poll_fd(via, &ev) : -1;
		pfd[0].events = via ? ev : 0;
		pfd[1].fd = sshc_poll_fd(c, &ev);
		pfd[1].events = ev;
		pfd[0].revents = pfd[1].revents = 0;
		nfd = 2;
		d = sshc_deadline(c);
		if (via && sshc_deadline(via) < d)
			d = sshc_deadline(via);
		if (end < d)
			d = end;
		poll(pfd, (nfds_t)nfd, deadline_wait_ms(now, d, 1000));
		now = clock_ms();
		/* as the fleet's loop does: a session is stepped when poll()
		 * reports its socket or its deadline is due, never just
		 * because the loop turned */
		if (via && (pfd[0].revents || now >= sshc_deadline(via)))
			sshc_step(via, pfd[0].revents, now);
		if (pfd[1].revents || now >= sshc_deadline(c))
			sshc_step(c, pfd[1].revents, now);
	}
	sshc_free(c);
	sshc_free(via);
	config_free(&inv);
	return started && !failed ? 0 : 1;
}
