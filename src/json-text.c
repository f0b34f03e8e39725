/* json-text.c: text to a JSON string, sanitised once here for every
 * output: clean text (the model's, already sanitised) goes as is, any
 * other is sanitised first, so jansson never refuses a string. */
#include <stdlib.h>
#include <string.h>

#include "json-text.h"
#include "sanitize.h"

json_t *
json_text(const char *s)
{
	json_t *v;
	char *clean;
	size_t n;

	if (s == NULL)
		s = "";
	n = strlen(s);
	if (sanitize_is_clean(s, n))
		v = json_stringn(s, n);
	else {
		if ((clean = sanitize_dup(s, n)) == NULL)
			return json_null();
		v = json_string(clean);
		free(clean);
	}
	return v != NULL ? v : json_null();
}
