/* json-text.h: the one way text becomes a JSON string in relaytop's
 * outputs (--json, --check --json, the trace), with one cleaning rule. */
#ifndef RELAYTOP_JSON_TEXT_H
#define RELAYTOP_JSON_TEXT_H

#include <jansson.h>

/* A new JSON string of s after sanitize (valid UTF-8, no control
 * character; a fixed-size field that cut a UTF-8 sequence is repaired), at
 * any length. NULL is "". Returns JSON null only on ENOMEM. */
json_t	*json_text(const char *s);

#endif
