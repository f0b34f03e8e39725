/* probe-script.c: the command lines that run the probe script (once, with
 * validated single-quoted values, or resident) and the request lines fed
 * to the resident one; the random tokens. The script itself is in
 * src/remote/probe.sh (a C string at build time). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "probe.h"
#include "shquote.h"

void
probe_token_new(char *buf)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[PROBE_TOKEN_LEN / 2];
	size_t i, got = 0;

	while (got < sizeof(raw)) {
		ssize_t r = getrandom(raw + got, sizeof(raw) - got, 0);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got < sizeof(raw)) {
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			ssize_t r = read(fd, raw + got, sizeof(raw) - got);

			if (r > 0)
				got += (size_t)r;
			close(fd);
		}
	}
	/* never a predictable token: without entropy, mix time and pid */
	for (i = got; i < sizeof(raw); i++)
		raw[i] = (unsigned char)((uintptr_t)&raw ^ (unsigned)getpid() ^
		    (unsigned)clock_ms() ^ (i * 131));
	for (i = 0; i < sizeof(raw); i++) {
		buf[2 * i] = hex[raw[i] >> 4];
		buf[2 * i + 1] = hex[raw[i] & 15];
	}
	buf[PROBE_TOKEN_LEN] = '\0';
}

/* The log path to ask for: the configured one, or Postfix's maillog_file
 * once settings are known, or the file or journal found before, or "auto"
 * (the script decides). Staying on one log keeps the cursor meaningful. */
static const char *
log_wanted(const struct host *h, const struct log_cursor *cur,
    const char *jcursor)
{
	const char *c = h->cfg->maillog, *mf;

	if (strcmp(c, "journal") == 0 || (c[0] == '/' && valid_path(c)))
		return c;
	mf = host_setting(h, "maillog_file");
	if (mf[0] == '/' && strncmp(mf, "/dev/", 5) != 0 && valid_path(mf))
		return mf;
	if (cur->path[0] != '\0' && valid_path(cur->path))
		return cur->path;
	if (jcursor != NULL && jcursor[0] != '\0')
		return "journal";
	return "auto";
}

/* mail_version below 3.1 has no postqueue -j. */
static int
version_wants_text(const char *v)
{
	int maj = 0, min = 0;

	if (sscanf(v, "%d.%d", &maj, &min) != 2)
		return 0;
	return maj < 3 || (maj == 3 && min < 1);
}

void
probe_args_fill(struct probe_args *a, const struct host *h, const char *token,
    const char *stamp, const struct log_cursor *cur, const char *jcursor,
    int queue_text)
{
	const char *qd = host_setting(h, "queue_directory");

	memset(a, 0, sizeof(*a));
	snprintf(a->token, sizeof(a->token), "%s", token);
	a->sudo = h->cfg->sudo;
	a->postfix_config = h->cfg->postfix_config;
	a->maillog = log_wanted(h, cur, jcursor);
	a->cfg_stamp = h->settings_valid ? stamp : "";
	a->queue_text = queue_text || version_wants_text(h->mail_version);
	a->queue_dir = valid_path(qd) ? qd : "";
	a->cur_path = cur->path;
	a->cur_ino = cur->ino;
	a->cur_off = cur->off;
	a->journal_cursor = jcursor;
}

static int
only_chars(const char *s, const char *allowed, size_t max)
{
	size_t n = strlen(s);

	return n <= max && strspn(s, allowed) == n;
}

int
probe_valid_stamp(const char *s)
{
	return only_chars(s, "0123456789. ", 240);
}

int
probe_valid_journal_cursor(const char *s)
{
	return only_chars(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=;_-", 255);
}

static int
token_ok(const char *t)
{
	return strlen(t) == PROBE_TOKEN_LEN &&
	    only_chars(t, "0123456789abcdef", PROBE_TOKEN_LEN);
}

static int
path_or_empty(const char *s)
{
	return s == NULL || s[0] == '\0' || valid_path(s);
}

/* Appends " 'value'"; -1 when it does not fit. */
static int
arg_add(char *dst, size_t len, const char *value)
{
	size_t n = strlen(dst);

	if (n + 2 >= len)
		return -1;
	dst[n] = ' ';
	dst[n + 1] = '\0';
	return shquote_append(dst, len, value ? value : "");
}

/* The first value of a that fails validation, or NULL. */
static const char *
invalid_arg(const struct probe_args *a)
{
	const char *lm = a->maillog ? a->maillog : "auto";

	if (!token_ok(a->token))
		return "token";
	if (!path_or_empty(a->postfix_config))
		return "postfix_config";
	if (strcmp(lm, "auto") != 0 && strcmp(lm, "journal") != 0 &&
	    !valid_path(lm))
		return "maillog";
	if (a->cfg_stamp && !probe_valid_stamp(a->cfg_stamp))
		return "config stamp";
	if (!path_or_empty(a->queue_dir))
		return "queue_directory";
	if (!path_or_empty(a->cur_path))
		return "log cursor path";
	if (a->journal_cursor && !probe_valid_journal_cursor(a->journal_cursor))
		return "journal cursor";
	if (a->master && !probe_valid_stamp(a->master))
		return "master pid";
	if (a->journal_stamp && !probe_valid_stamp(a->journal_stamp))
		return "journal stamp";
	return NULL;
}

/* The script's 18 values for one run, in order (see src/remote/probe.sh). */
struct probe_values {
	const char *v[PROBE_NVALUES];
	char	num[5][24];
};

static void
values_fill(const struct probe_args *a, struct probe_values *pv)
{
	int n = 0;

	snprintf(pv->num[0], sizeof(pv->num[0]), "%llu",
	    (unsigned long long)a->cur_ino);
	snprintf(pv->num[1], sizeof(pv->num[1]), "%llu",
	    (unsigned long long)a->cur_off);
	snprintf(pv->num[2], sizeof(pv->num[2]), "%zu",
	    a->cap ? a->cap : (size_t)PROBE_LOG_CAP);
	snprintf(pv->num[3], sizeof(pv->num[3]), "%zu",
	    a->first_bytes ? a->first_bytes : (size_t)PROBE_FIRST_BYTES);
	snprintf(pv->num[4], sizeof(pv->num[4]), "%d", PROBE_JOURNAL_LINES);
	pv->v[n++] = a->token;
	pv->v[n++] = a->sudo ? "1" : "0";
	pv->v[n++] = a->postfix_config ? a->postfix_config : "";
	pv->v[n++] = a->maillog ? a->maillog : "auto";
	pv->v[n++] = a->cfg_stamp ? a->cfg_stamp : "";
	pv->v[n++] = a->queue_text ? "p" : "j";
	pv->v[n++] = a->queue_dir ? a->queue_dir : "";
	pv->v[n++] = a->cur_path ? a->cur_path : "";
	pv->v[n++] = a->cur_path && a->cur_path[0] && a->cur_ino ?
	    pv->num[0] : "";
	pv->v[n++] = pv->num[1];
	pv->v[n++] = pv->num[2];
	pv->v[n++] = pv->num[3];
	pv->v[n++] = a->journal_cursor ? a->journal_cursor : "";
	pv->v[n++] = pv->num[4];
	pv->v[n++] = a->master ? a->master : "";
	pv->v[n++] = a->no_queue ? "0" : "1";
	pv->v[n++] = a->journal_stamp ? a->journal_stamp : "";
	pv->v[n++] = a->quick ? "1" : "0";
}

/* "exec /bin/sh -c '<script>' relaytop-probe MODE '<awk>'" (exec: the
 * login shell that runs it is replaced, not kept waiting), in a buffer with
 * room for extra bytes more. The script and the awk program are constants
 * of this program (several lines each), placed inside single quotes as
 * they are: neither may hold one. NULL with a message in err. */
static char *
command_start(const char *mode, const char *awk, size_t extra, char *err,
    size_t errlen)
{
	const char *qa = awk ? awk : "", *sc = probe_script_text();
	size_t len = strlen(sc) + strlen(qa) + 64 + extra;
	char *cmd;

	if (strchr(sc, '\'') != NULL || strchr(qa, '\'') != NULL) {
		snprintf(err, errlen, "probe: script or awk holds a quote");
		return NULL;
	}
	if ((cmd = malloc(len)) == NULL) {
		snprintf(err, errlen, "probe: out of memory");
		return NULL;
	}
	snprintf(cmd, len, "exec /bin/sh -c '%s' relaytop-probe %s '%s'", sc,
	    mode, qa);
	return cmd;
}

char *
probe_script_build(const struct probe_args *a, char *err, size_t errlen)
{
	const char *what = invalid_arg(a);
	struct probe_values pv;
	size_t len, i;
	char *cmd;
	int rc = 0;

	if (what != NULL) {
		snprintf(err, errlen, "probe: invalid %s", what);
		return NULL;
	}
	len = 2 * 1100 + 6 * 300 + 16 * 4;
	cmd = command_start("-1", a->queue_awk, len, err, errlen);
	if (cmd == NULL)
		return NULL;
	len += strlen(cmd) + 1;
	values_fill(a, &pv);
	for (i = 0; i < PROBE_NVALUES; i++)
		rc |= arg_add(cmd, len, pv.v[i]);
	if (rc != 0) {
		free(cmd);
		snprintf(err, errlen, "probe: command too long");
		return NULL;
	}
	return cmd;
}

char *
probe_resident_command(const char *queue_awk, char *err, size_t errlen)
{
	return command_start("-r", queue_awk, 0, err, errlen);
}

int
probe_request_build(const struct probe_args *a, char *buf, size_t len,
    char *err, size_t errlen)
{
	const char *what = invalid_arg(a);
	struct probe_values pv;
	size_t n = 0, i, k;

	if (what != NULL) {
		snprintf(err, errlen, "probe: invalid %s", what);
		return -1;
	}
	values_fill(a, &pv);
	for (i = 0; i < PROBE_NVALUES; i++) {
		k = strlen(pv.v[i]);
		/* validated values never hold these; checked all the same */
		if (strpbrk(pv.v[i], "|\n") != NULL || n + k + 4 > len) {
			snprintf(err, errlen, "probe: request value %zu unusable",
			    i + 1);
			return -1;
		}
		memcpy(buf + n, pv.v[i], k);
		n += k;
		buf[n++] = '|';
	}
	memcpy(buf + n, ".\n", 3);
	return (int)(n + 2);
}

int
probe_request_again(const struct probe_args *a, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s|=|%c|%c|.\n", a->token,
	    a->no_queue ? '0' : '1', a->quick ? '1' : '0');

	return n > 0 && (size_t)n < len ? n : -1;
}

int
probe_request_key(const struct probe_args *a, char *buf, size_t len,
    char *err, size_t errlen)
{
	struct probe_args k = *a;

	memset(k.token, '0', PROBE_TOKEN_LEN);
	k.no_queue = 1;
	k.quick = 0;
	return probe_request_build(&k, buf, len, err, errlen);
}

void
probe_done_marker(const char *token, char *buf, size_t len)
{
	snprintf(buf, len, "\n@@RT-%s done\n", token);
}
