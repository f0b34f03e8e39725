/* port-probe.h: the port-25 test of the relay doctor (src/port-probe.c),
 * run over the fleet's sessions and driven by its loop. The watch starts
 * it for the front ends (watch_ports_start); its results feed
 * check_run_ports. */
#ifndef RELAYTOP_PORT_PROBE_H
#define RELAYTOP_PORT_PROBE_H

#include <stddef.h>

#include "check.h"
#include "model.h"
#include "topology.h"

struct fleet;
struct port_probe;

/* Starts one TCP connect to relay:port from each origin of each configured
 * edge (relayhost and fallback), over the origin's own SSH session, with
 * `bash` /dev/tcp under `timeout`. Returns NULL on ENOMEM. Results fill in
 * as the loop runs; an origin whose session is not ready gets PORT_ERROR. */
struct port_probe *port_probe_start(struct fleet *f, const struct model *m,
	    const struct topology *t, int timeout_s);
/* A result for the edge e (from, to, kind, target) in state st, the rest
 * zeroed. */
void	port_result_of_edge(struct port_result *r, const struct edge *e,
	    enum port_state st);
/* 1 when every test has answered. */
int	port_probe_done(const struct port_probe *p);
const struct port_results *port_probe_results(const struct port_probe *p);
/* Safe with tests in flight: the memory goes when the last one answers. */
void	port_probe_free(struct port_probe *p);

/* The remote command for one test (exposed for tests). Returns 0, -1 when
 * host does not validate or the command does not fit. */
int	port_probe_command(const char *host, int port, int timeout_s,
	    char *buf, size_t len);
/* Classifies one test's outcome from its exit status and output. */
enum port_state port_probe_classify(int exit_status, const char *out,
	    const char *err, char *detail, size_t dlen);

#endif
