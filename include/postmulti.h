/* postmulti.h: the Postfix instances of a host, from `postmulti -l` as the
 * probe gives it: one line per instance, "NAME GROUP ENABLED CONFIG_DIR"
 * (blank-separated, as postmulti prints them) and, from the probe, the
 * instance's syslog_name as a fifth field. */
#ifndef RELAYTOP_POSTMULTI_H
#define RELAYTOP_POSTMULTI_H

#include <stddef.h>

#include "model.h"

/* Parses text[0..len) into v (at most max, zeroed first). The default
 * instance ("-") and lines that do not validate are left out: a name not
 * of [A-Za-z0-9._-] (1..63 bytes), a config directory that fails
 * valid_path, ENABLED other than y/n, a syslog_name not of [A-Za-z0-9._/-];
 * a missing syslog_name is the instance's name (Postfix's default for an
 * instance). Never reads past len. Returns the number kept. */
int	postmulti_parse(const char *text, size_t len, struct host_instance *v,
	    int max);

#endif
