/* bench-refresh.c: times relaytop's own fleet loop (build/librelaytop.a):
 * the first full snapshot (connect + auth + first probe of every host),
 * then K consecutive full refreshes over the sessions kept open, each
 * started with fleet_refresh_now(all) and ended when every host's probe
 * finished. Also bytes received per refresh (eth0 of the namespace).
 * Usage: bench-refresh HOSTS.INI K   (prints key=value lines) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config.h"
#include "fleet.h"
#include "model.h"
#include "sshc.h"

struct waitfor {
	struct fleet *f;
	unsigned *want;		/* per host: probes done to reach */
	int	n;
};

static int
all_done(void *arg)
{
	struct waitfor *w = arg;
	int i;

	for (i = 0; i < w->n; i++)
		if (fleet_probes_done(w->f, i) < w->want[i])
			return 0;
	return 1;
}

/* Bytes received by the console namespace's eth0 (ip netns exec mounts a
 * /sys of that namespace), so the SSH traffic the refresh cost. */
static long long
read_bytes(void)
{
	long long v = -1;
	FILE *fp = fopen("/sys/class/net/eth0/statistics/rx_bytes", "r");

	if (fp == NULL)
		return -1;
	if (fscanf(fp, "%lld", &v) != 1)
		v = -1;
	fclose(fp);
	return v;
}

/* CPU milliseconds (user + system) this process used so far. */
static long long
cpu_ms(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	struct inventory inv;
	struct model m;
	struct fleet *f;
	struct loop_hooks hooks = { 0 };
	struct waitfor w;
	char err[512];
	long long *ms, *bytes, *same = NULL, *qr = NULL, b0, c0;
	int64_t t0;
	int k, i, r, n, up = 0, qv = 0;

	if (argc != 3 || (k = atoi(argv[2])) < 1 || k > 10000) {
		fprintf(stderr, "usage: bench-refresh HOSTS.INI K\n");
		return 2;
	}
	if (config_load(argv[1], &inv, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench-refresh: %s\n", err);
		return 2;
	}
	if (model_init(&m, &inv, 0) != 0 || (f = fleet_new(&inv, &m)) == NULL) {
		fprintf(stderr, "bench-refresh: setup failed\n");
		return 2;
	}
	n = fleet_size(f);
	w.f = f;
	w.n = n;
	w.want = calloc((size_t)n, sizeof(*w.want));
	ms = calloc((size_t)k, sizeof(*ms));
	bytes = calloc((size_t)k, sizeof(*bytes));
	if (w.want == NULL || ms == NULL || bytes == NULL)
		return 2;
	hooks.input_fd = -1;
	hooks.done = all_done;
	hooks.arg = &w;
	hooks.max_wait_ms = 250;
	signals_install();

	for (i = 0; i < n; i++)
		w.want[i] = 1;
	b0 = read_bytes();
	t0 = clock_ms();
	if (fleet_run(f, &hooks, t0 + 600000) != 0) {
		fprintf(stderr, "bench-refresh: first snapshot did not finish\n");
		return 1;
	}
	printf("hosts=%d\nfirst_ms=%lld\nfirst_bytes=%lld\n", n,
	    (long long)(clock_ms() - t0), read_bytes() - b0);
	c0 = cpu_ms();
	if ((same = calloc((size_t)k, sizeof(*same))) == NULL ||
	    (qr = calloc((size_t)k, sizeof(*qr))) == NULL)
		return 2;
	for (r = 0; r < k; r++) {
		unsigned long s0 = 0, q0 = 0;

		for (i = 0; i < n; i++) {
			w.want[i] = fleet_probes_done(f, i) + 1;
			s0 += m.hosts[i].answers_same;
			q0 += m.hosts[i].queue_reads;
		}
		b0 = read_bytes();
		t0 = clock_ms();
		fleet_refresh_now(f, -1);
		if (fleet_run(f, &hooks, t0 + 600000) != 0) {
			fprintf(stderr, "bench-refresh: refresh %d did not finish\n", r);
			return 1;
		}
		ms[r] = clock_ms() - t0;
		bytes[r] = read_bytes() - b0;
		/* the hosts that answered "same" (no exec) in this refresh */
		for (i = 0; i < n; i++) {
			same[r] += (long long)m.hosts[i].answers_same;
			qr[r] += (long long)m.hosts[i].queue_reads;
		}
		same[r] -= (long long)s0;
		/* why a host was not up after this refresh (a timed-out
		 * probe names its step), at most 5 a refresh */
		for (i = 0, up = 0; i < n && up < 5; i++)
			if (m.hosts[i].conn != HC_UP) {
				fprintf(stderr, "refresh %d: %s: %s\n", r,
				    m.hosts[i].cfg->name, m.hosts[i].conn_msg);
				up++;
			}
		up = 0;
		/* and those that read their queue */
		qr[r] -= (long long)q0;
	}
	printf("driver_cpu_ms_per_refresh=%lld\n", (cpu_ms() - c0) / k);
	for (i = 0; i < n; i++) {
		up += m.hosts[i].conn == HC_UP;
		qv += m.hosts[i].queue_valid;
	}
	printf("answered=%d\nqueue_valid=%d\nrefresh_ms=", up, qv);
	for (r = 0; r < k; r++)
		printf("%s%lld", r ? "," : "", ms[r]);
	printf("\nrefresh_same=");
	for (r = 0; r < k; r++)
		printf("%s%lld", r ? "," : "", same[r]);
	printf("\nrefresh_queue_reads=");
	for (r = 0; r < k; r++)
		printf("%s%lld", r ? "," : "", qr[r]);
	qsort(ms, (size_t)k, sizeof(*ms), cmp_ll);
	qsort(bytes, (size_t)k, sizeof(*bytes), cmp_ll);
	printf("\nrefresh_median_ms=%lld\nrefresh_bytes_median=%lld\n",
	    k % 2 ? ms[k / 2] : (ms[k / 2 - 1] + ms[k / 2]) / 2, bytes[k / 2]);
	/* each host's own probe time in the last refresh: small ones in a
	 * long refresh mean the probes started late, not that hosts were slow */
	if (n > 0) {
		long long *pm = calloc((size_t)n, sizeof(*pm));

		if (pm != NULL) {
			for (i = 0; i < n; i++)
				pm[i] = m.hosts[i].probe_ms;
			qsort(pm, (size_t)n, sizeof(*pm), cmp_ll);
			printf("probe_ms_last_min=%lld\nprobe_ms_last_median=%lld\n"
			    "probe_ms_last_max=%lld\n", pm[0], pm[n / 2], pm[n - 1]);
			free(pm);
		}
	}
	if (n > 0 && m.hosts[0].queue_valid) {
		unsigned long qt = 0;

		for (i = 0; i < Q_MAX; i++)
			qt += m.hosts[0].queue.count[i];
		printf("queue_host0=%lu\n", qt);
	}
	fleet_free(f);
	model_free(&m);
	config_free(&inv);
	free(w.want);
	free(ms);
	free(bytes);
	free(same);
	free(qr);
	return up == n ? 0 : 1;
}
