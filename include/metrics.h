/* metrics.h: the model as Prometheus metrics (the text exposition format
 * 0.0.4, or OpenMetrics 1.0.0 when a scraper asks for it). Pure: writes
 * what the model, topology and findings hold at `now`, touches no socket.
 * Every metric is described in assets/metrics.md. */
#ifndef RELAYTOP_METRICS_H
#define RELAYTOP_METRICS_H

#include <stdio.h>
#include <time.h>

#include "check.h"
#include "model.h"
#include "topology.h"

enum metrics_format { METRICS_PROMETHEUS = 0, METRICS_OPENMETRICS };

/* The Content-Type of each format. */
const char *metrics_content_type(enum metrics_format fmt);

/* The format an Accept header asks for: OpenMetrics when it names
 * application/openmetrics-text, else the Prometheus text format (NULL:
 * no header). */
enum metrics_format metrics_format_for(const char *accept);

/* Writes every metric family of m (t and f may be NULL: their families
 * are then empty) into out. Label values are escaped (backslash, double
 * quote, newline) after the model's sanitising; text from the hosts is cut
 * to 128 bytes. Returns 0, -1 on a write error. */
int	metrics_write(FILE *out, const struct model *m,
	    const struct topology *t, const struct findings *f, time_t now,
	    enum metrics_format fmt);

/* Writes s as a label value: escaped, at most max bytes of s (never
 * cutting a UTF-8 sequence). */
void	metrics_label_value(FILE *out, const char *s, size_t max);

#endif
