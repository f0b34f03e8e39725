/* check-format.c: the doctor's findings as text (a summary line, then one
 * block per finding) and as JSON (version 1, see assets/check-format.md).
 * Every string passes through sanitize_copy before it is written; text
 * then as the locale can show it (out_printf). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json-text.h"
#include "output-locale.h"
#include "sanitize.h"

static const char *
host_name(const struct model *m, int i)
{
	if (m == NULL || i < 0 || (size_t)i >= m->n || m->hosts[i].cfg == NULL)
		return "?";
	return m->hosts[i].cfg->name;
}

static const char *
status_word(int status)
{
	switch (status) {
	case 0:
		return "OK";
	case 1:
		return "WARNING";
	case 2:
		return "CRITICAL";
	default:
		return "UNKNOWN";
	}
}

static void
clean(char *dst, size_t len, const char *s)
{
	sanitize_copy(dst, len, s, strlen(s));
}

int
check_print_text(FILE *fp, const struct model *m, const struct findings *f,
    int status)
{
	unsigned cnt[5] = { 0 };
	size_t i;
	int j;

	for (i = 0; i < f->n; i++)
		if ((unsigned)f->v[i].sev < 5)
			cnt[f->v[i].sev]++;
	out_printf(fp, "relaytop check %s: %u critical, %u warning, %u "
	    "unknown, %u info on %zu host(s)\n", status_word(status),
	    cnt[SEV_CRITICAL],
	    cnt[SEV_WARNING], cnt[SEV_UNKNOWN], cnt[SEV_INFO],
	    m ? m->n : (size_t)0);
	for (i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		char buf[512];

		clean(buf, sizeof(buf), x->id);
		out_printf(fp, "\n%s %s [", severity_name(x->sev), buf);
		for (j = 0; j < x->nhosts; j++) {
			clean(buf, sizeof(buf), host_name(m, x->hosts[j]));
			out_printf(fp, "%s%s", j ? ", " : "", buf);
		}
		fputs("]\n", fp);
		clean(buf, sizeof(buf), x->what);
		out_printf(fp, "  what:     %s\n", buf);
		clean(buf, sizeof(buf), x->evidence);
		out_printf(fp, "  evidence: %s\n", buf);
		clean(buf, sizeof(buf), x->fix);
		out_printf(fp, "  fix:      %s\n", buf);
	}
	fflush(fp);
	return ferror(fp) ? -1 : 0;
}

int
check_print_json(FILE *fp, const struct model *m, const struct findings *f,
    int status)
{
	json_t *root = json_object(), *arr = json_array();
	size_t i;
	int j, rc = 0;
	char *text;

	if (root == NULL || arr == NULL) {
		json_decref(root);
		json_decref(arr);
		return -1;
	}
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "status", json_integer(status));
	json_object_set_new(root, "status_text", json_string(
	    status_word(status)));
	for (i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		json_t *o = json_object(), *hosts = json_array();

		for (j = 0; j < x->nhosts; j++)
			json_array_append_new(hosts,
			    json_text(host_name(m, x->hosts[j])));
		json_object_set_new(o, "id", json_text(x->id));
		json_object_set_new(o, "severity",
		    json_string(severity_name(x->sev)));
		json_object_set_new(o, "hosts", hosts);
		json_object_set_new(o, "what", json_text(x->what));
		json_object_set_new(o, "evidence", json_text(x->evidence));
		json_object_set_new(o, "fix", json_text(x->fix));
		json_object_set_new(o, "fix_host", x->fix_host >= 0 ?
		    json_text(host_name(m, x->fix_host)) : json_null());
		json_object_set_new(o, "see", x->see[0] ? json_text(x->see) :
		    json_null());
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "findings", arr);
	text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL)
		return -1;
	if (fprintf(fp, "%s\n", text) < 0)
		rc = -1;
	free(text);
	fflush(fp);
	return rc || ferror(fp) ? -1 : 0;
}
