/* test-check-util.h: a four-host lab model (origins A/B, relays C/D as in
 * the seed) built from the real postconf output captured on the lab, with
 * per-test overrides, shared by the doctor's unit tests. */
#ifndef TEST_CHECK_UTIL_H
#define TEST_CHECK_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "event.h"
#include "model.h"
#include "postconf.h"
#include "topology.h"

enum { A = 0, B = 1, C = 2, D = 3 };

static const char lab_ini[] =
	"[defaults]\nuser = relayop\n"
	"[origin-a]\naddress = 172.16.10.5\nrole = origin\n"
	"[origin-b]\naddress = 172.16.10.6\nrole = origin\n"
	"[relay-c]\naddress = 172.16.1.11\nrole = relay\n"
	"[relay-d]\naddress = 172.16.1.12\nrole = relay\n";

struct tlab {
	struct inventory inv;
	struct model m;
	struct topology t;
	struct findings f;
	char	*text[4];	/* postconf output per host, before parse */
	int	status;
};

static __attribute__((unused)) char *
slurp(const char *name)
{
	char path[1024];
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA, name);
	fp = fopen(path, "r");
	if (fp == NULL) {
		fprintf(stderr, "cannot open %s\n", path);
		abort();
	}
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = calloc(1, (size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n)
		abort();
	fclose(fp);
	return buf;
}

/* Replaces (or appends) "name = value" in a postconf text. */
static __attribute__((unused)) void
tl_set(struct tlab *L, int h, const char *name, const char *value)
{
	char *t = L->text[h], *out, *line, *save = NULL, *copy;
	size_t nl = strlen(name), cap = strlen(t) + strlen(value) + nl + 8;
	int done = 0;

	out = calloc(1, cap);
	copy = strdup(t);
	for (line = strtok_r(copy, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, name, nl) == 0 && strncmp(line + nl, " =",
		    2) == 0) {
			snprintf(out + strlen(out), cap - strlen(out),
			    "%s = %s\n", name, value);
			done = 1;
		} else
			snprintf(out + strlen(out), cap - strlen(out), "%s\n",
			    line);
	}
	if (!done)
		snprintf(out + strlen(out), cap - strlen(out), "%s = %s\n",
		    name, value);
	free(copy);
	free(t);
	L->text[h] = out;
}

/* An inventory and one postconf text file per host (under TEST_DATA). */
static __attribute__((unused)) void
tl_init_custom(struct tlab *L, const char *ini, const char *const files[4])
{
	char err[256];
	int i;

	memset(L, 0, sizeof(*L));
	if (config_load_string(ini, "lab.ini", &L->inv, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		abort();
	}
	if (model_init(&L->m, &L->inv, 0) != 0)
		abort();
	for (i = 0; i < 4; i++)
		L->text[i] = slurp(files[i]);
}

/* The lab as captured: A's and C's real postconf output; B and D are the
 * same hosts with their own myhostname (as in the lab's main.cf). */
/* The captured lab settings under another inventory text (same four
 * hosts in the same order). */
static __attribute__((unused)) void
tl_init_ini(struct tlab *L, const char *ini)
{
	static const char *const files[4] = {
		"captured/origin-a.postconf-params.txt",
		"captured/origin-a.postconf-params.txt",
		"captured/relay-c.postconf-params.txt",
		"captured/relay-c.postconf-params.txt",
	};

	tl_init_custom(L, ini, files);
	tl_set(L, B, "myhostname", "mail-b.example.jp");
	tl_set(L, D, "myhostname", "relay-d.example.jp");
}

static __attribute__((unused)) void
tl_init(struct tlab *L)
{
	tl_init_ini(L, lab_ini);
}

/* Parses the texts into the model, builds the topology, runs the rules. */
static __attribute__((unused)) void
tl_run_ports(struct tlab *L, const struct port_results *pr, time_t now)
{
	char err[256];
	size_t i;

	for (i = 0; i < 4; i++) {
		struct pc_settings s = { NULL, 0 };
		struct host *h = &L->m.hosts[i];

		if (postconf_parse(L->text[i], strlen(L->text[i]), &s, err,
		    sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
		model_set_settings(&L->m, h, &s);
		if (h->conn == HC_NEW)
			model_set_conn(&L->m, h, HC_UP, "");
		if (h->postfix_running == -1 || h->postfix_running == 0)
			h->postfix_running = h->problems ? 0 : 1;
	}
	topology_free(&L->t);
	if (topology_build(&L->m, &L->t) != 0)
		abort();
	findings_free(&L->f);
	if (check_run_ports(&L->m, &L->t, pr, now, &L->f) != 0)
		abort();
	L->status = findings_exit_status(&L->f, &L->m);
}

static __attribute__((unused)) void
tl_run(struct tlab *L)
{
	tl_run_ports(L, NULL, time(NULL));
}

static __attribute__((unused)) void
tl_free(struct tlab *L)
{
	int i;

	findings_free(&L->f);
	topology_free(&L->t);
	model_free(&L->m);
	config_free(&L->inv);
	for (i = 0; i < 4; i++)
		free(L->text[i]);
}

/* Number of findings with this id at severity >= info. */
static __attribute__((unused)) int
tl_count(const struct tlab *L, const char *id)
{
	size_t i;
	int n = 0;

	for (i = 0; i < L->f.n; i++)
		n += strcmp(L->f.v[i].id, id) == 0;
	return n;
}

static __attribute__((unused)) const struct finding *
tl_get(const struct tlab *L, const char *id)
{
	size_t i;

	for (i = 0; i < L->f.n; i++)
		if (strcmp(L->f.v[i].id, id) == 0)
			return &L->f.v[i];
	return NULL;
}

/* Findings that are not info, as "id,id,..." sorted by the runner. */
static __attribute__((unused)) const char *
tl_ids(const struct tlab *L)
{
	static char buf[1024];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < L->f.n; i++) {
		if (L->f.v[i].sev == SEV_INFO)
			continue;
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
		    buf[0] ? "," : "", L->f.v[i].id);
	}
	return buf;
}

static __attribute__((unused)) int
tl_has_host(const struct finding *f, int h)
{
	int i;

	for (i = 0; i < f->nhosts; i++)
		if (f->hosts[i] == h)
			return 1;
	return 0;
}

static __attribute__((unused)) void
tl_dump(const struct tlab *L)
{
	check_print_text(stderr, &L->m, &L->f, L->status);
}

#endif
