/* probe-host.h: the one host the probe unit tests and the probe fuzzer
 * feed answers to: origin-a at 172.16.10.5, port 22, log "auto", sudo on.
 * Plain C (no cmocka), so the fuzz harness includes it too. */
#ifndef RELAYTOP_TEST_PROBE_HOST_H
#define RELAYTOP_TEST_PROBE_HOST_H

#include <stdio.h>
#include <string.h>

#include "config.h"

static inline void
probe_host_set(struct host_config *hc)
{
	memset(hc, 0, sizeof(*hc));
	snprintf(hc->name, sizeof(hc->name), "origin-a");
	snprintf(hc->address, sizeof(hc->address), "172.16.10.5");
	snprintf(hc->maillog, sizeof(hc->maillog), "auto");
	hc->port = 22;
	hc->sudo = 1;
}

#endif
