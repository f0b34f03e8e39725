/* mode-pending.c: TEMPORARY weak placeholders so ./relaytop links while the
 * modes are written in parallel. Each real mode_* overrides its placeholder;
 * this file is deleted once all exist. */
#include <stdio.h>

#include "modes.h"

#define PENDING(fn, ...) \
	__attribute__((weak)) int fn(__VA_ARGS__) \
	{ fprintf(stderr, "relaytop: %s is not built yet\n", #fn); return 2; }

PENDING(mode_once, const struct options *o, struct inventory *inv)
PENDING(mode_log, const struct options *o)
PENDING(mode_check, const struct options *o, struct inventory *inv)
PENDING(mode_test_send, const struct options *o, struct inventory *inv)
PENDING(mode_flush, const struct options *o, struct inventory *inv)
PENDING(mode_console, const struct options *o, struct inventory *inv)
