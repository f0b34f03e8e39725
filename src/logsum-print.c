/* logsum-print.c: prints the log summary for people (aligned text) and
 * for programs (JSON via jansson, schema documented in mode-log.c). Every
 * string from the log is sanitised first. */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "logsum.h"
#include "output-locale.h"
#include "sanitize.h"

#define TOP_REASONS	10
#define TOP_RELAYS	LOGSUM_RELAYS_MAX

static const char *const st_names[ST_MAX] = { "other", "sent", "deferred",
    "bounced", "expired" };

static void
fmt_local(char *buf, size_t n, time_t t)
{
	struct tm tm;

	if (t == 0 || localtime_r(&t, &tm) == NULL)
		snprintf(buf, n, "-");
	else
		strftime(buf, n, "%Y-%m-%d %H:%M:%S %z", &tm);
}

static void
fmt_utc(char *buf, size_t n, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL)
		snprintf(buf, n, "1970-01-01T00:00:00Z");
	else
		strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
print_reasons(FILE *fp, const char *title, const struct logsum_table *t)
{
	const struct logsum_entry *top[TOP_REASONS];
	char clean[LOGSUM_KEY_MAX * 3 + 1];
	size_t i, n = logsum_top(t, top, TOP_REASONS);

	out_printf(fp, "\n%s\n", title);
	if (n == 0)
		out_printf(fp, "  (none)\n");
	for (i = 0; i < n; i++) {
		sanitize_copy(clean, sizeof clean, top[i]->key, top[i]->klen);
		out_printf(fp, "  %8" PRIu64 "  %s\n", top[i]->n[ST_NONE],
		    clean);
	}
	if (t->other[ST_NONE] > 0)
		out_printf(fp, "  %8" PRIu64 "  (other reasons, table full)\n",
		    t->other[ST_NONE]);
}

void
logsum_print_text(const struct logsum *s, const char *path, FILE *fp)
{
	static const struct logsum_entry *top[TOP_RELAYS];
	char a[64], b[64], clean[LOGSUM_KEY_MAX * 3 + 1];
	size_t i, n;
	uint64_t msgs;
	int exact, st;

	sanitize_copy(clean, sizeof clean, path, strlen(path));
	fmt_local(a, sizeof a, s->first);
	fmt_local(b, sizeof b, s->last);
	msgs = logsum_messages(s, &exact);
	out_printf(fp, "relaytop: maillog summary of %s\n", clean);
	out_printf(fp, "  span        %s .. %s\n", a, b);
	out_printf(fp, "  lines       %" PRIu64 "\n", s->lines);
	out_printf(fp, "  messages    %s%" PRIu64 "\n", exact ? "" : "~", msgs);
	out_printf(fp, "  deliveries  %" PRIu64 ": sent %" PRIu64 ", deferred %"
	    PRIu64 ", bounced %" PRIu64 ", expired %" PRIu64 ", other %"
	    PRIu64 "\n", s->deliveries, s->status[ST_SENT],
	    s->status[ST_DEFERRED], s->status[ST_BOUNCED],
	    s->status[ST_EXPIRED], s->status[ST_NONE]);
	out_printf(fp, "  problems    connect failures %" PRIu64 ", relay "
	    "access denied %" PRIu64 ", mail loops %" PRIu64 ", warnings %" PRIu64
	    "\n", s->connect_fail, s->relay_denied, s->loops, s->warnings);

	out_printf(fp, "\n%-44s %9s %9s %9s %9s %9s\n", "by relay", "sent",
	    "deferred", "bounced", "expired", "other");
	n = logsum_top(&s->relays, top, TOP_RELAYS);
	if (n == 0)
		out_printf(fp, "  (none)\n");
	for (i = 0; i < n; i++) {
		sanitize_copy(clean, sizeof clean, top[i]->key, top[i]->klen);
		out_printf(fp, "  %-42s", clean);
		for (st = 1; st <= ST_MAX; st++)
			out_printf(fp, " %9" PRIu64, top[i]->n[st % ST_MAX]);
		fputc('\n', fp);
	}
	if (s->relays.used >= s->relays.max) {
		out_printf(fp, "  %-42s", "(other relays, table full)");
		for (st = 1; st <= ST_MAX; st++)
			out_printf(fp, " %9" PRIu64, s->relays.other[st % ST_MAX]);
		fputc('\n', fp);
	}
	print_reasons(fp, "top deferral reasons", &s->deferred);
	print_reasons(fp, "top bounce and expiry reasons", &s->bounced);
}

static json_t *
counts_json(const uint64_t n[ST_MAX], const char *relay)
{
	json_t *o = json_object();
	uint64_t total = 0;
	int st;

	for (st = 0; st < ST_MAX; st++)
		total += n[st];
	if (relay != NULL)
		json_object_set_new(o, "relay", json_string(relay));
	json_object_set_new(o, "total", json_integer((json_int_t)total));
	for (st = 1; st <= ST_MAX; st++)
		json_object_set_new(o, st_names[st % ST_MAX],
		    json_integer((json_int_t)n[st % ST_MAX]));
	return o;
}

static json_t *
reasons_json(const struct logsum_table *t)
{
	const struct logsum_entry *top[TOP_REASONS];
	char clean[LOGSUM_KEY_MAX * 3 + 1];
	size_t i, n = logsum_top(t, top, TOP_REASONS);
	json_t *a = json_array(), *o;

	for (i = 0; i < n; i++) {
		sanitize_copy(clean, sizeof clean, top[i]->key, top[i]->klen);
		o = json_object();
		json_object_set_new(o, "reason", json_string(clean));
		json_object_set_new(o, "count",
		    json_integer((json_int_t)top[i]->n[ST_NONE]));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
stamp_json(time_t t, int utc)
{
	char buf[64];

	if (t == 0)
		return json_null();
	if (!utc)
		return json_integer((json_int_t)t);
	fmt_utc(buf, sizeof buf, t);
	return json_string(buf);
}

int
logsum_print_json(const struct logsum *s, const char *path, FILE *fp)
{
	static const struct logsum_entry *top[TOP_RELAYS];
	char clean[LOGSUM_KEY_MAX * 3 + 1];
	json_t *root = json_object(), *relays = json_array(), *o;
	size_t i, n;
	uint64_t msgs;
	int exact, rc;

	if (root == NULL || relays == NULL)
		return -1;
	msgs = logsum_messages(s, &exact);
	{
		char *cp = sanitize_dup(path, strlen(path));

		json_object_set_new(root, "file", cp ? json_string(cp) :
		    json_null());
		free(cp);
	}
	json_object_set_new(root, "lines", json_integer((json_int_t)s->lines));
	json_object_set_new(root, "first", stamp_json(s->first, 1));
	json_object_set_new(root, "last", stamp_json(s->last, 1));
	json_object_set_new(root, "first_epoch", stamp_json(s->first, 0));
	json_object_set_new(root, "last_epoch", stamp_json(s->last, 0));
	json_object_set_new(root, "messages", json_integer((json_int_t)msgs));
	json_object_set_new(root, "messages_exact", json_boolean(exact));
	json_object_set_new(root, "deliveries", counts_json(s->status, NULL));
	n = logsum_top(&s->relays, top, TOP_RELAYS);
	for (i = 0; i < n; i++) {
		sanitize_copy(clean, sizeof clean, top[i]->key, top[i]->klen);
		o = counts_json(top[i]->n, clean);
		json_array_append_new(relays, o);
	}
	json_object_set_new(root, "relays", relays);
	json_object_set_new(root, "relays_other", counts_json(
	    s->relays.other, NULL));
	json_object_set_new(root, "deferral_reasons",
	    reasons_json(&s->deferred));
	json_object_set_new(root, "bounce_reasons", reasons_json(&s->bounced));
	json_object_set_new(root, "connect_failures",
	    json_integer((json_int_t)s->connect_fail));
	json_object_set_new(root, "relay_denied",
	    json_integer((json_int_t)s->relay_denied));
	json_object_set_new(root, "loops", json_integer((json_int_t)s->loops));
	json_object_set_new(root, "warnings",
	    json_integer((json_int_t)s->warnings));
	rc = json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', fp);
	json_decref(root);
	return rc;
}
