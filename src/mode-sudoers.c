/* mode-sudoers.c: relaytop --sudoers: prints the sudoers rule that lets each
 * login of the inventory (hosts with sudo = yes) run as root exactly the
 * command lines src/remote/probe.sh runs under sudo, and nothing else: dd
 * and stat of the host's log and its rotations, cat of Postfix's
 * master.pid, journalctl without a pager; and the four postsuper lines of
 * the queue operations (src/watch-queue.c: ids on stdin, "-d -"); awk with
 * the one program that prints a password map's keys (never its values).
 * Arguments are pinned by sudo
 * 1.9.13 regular expressions, anchored (^...$); the log paths go into them
 * escaped, and a path a pattern cannot pin safely is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modes.h"
#include "sanitize.h"
#include "watch.h"
#include "watch-postcat.h"

#define SUDOERS_REGEX_MAX	4096
#define ROTATION_RE		"([.-][A-Za-z0-9_-]+)?"
/* awk '/^[!-~]/{print $1}' FILE: the first field of each line that
 * starts with a printable non-blank (Postfix's keys; a blank starts a
 * continuation of the value), FILE one of the two usual names of the SASL
 * password map (never its .db, nor another file: awk on a binary table
 * could print pieces of its values) */
#define SUDO_MAP_KEYS		"/usr/bin/awk ^/\\^\\[!-~\\]/\\{print " \
	"\\$1\\} /etc/postfix/(sasl/)?sasl_passwd$"

/* path as a regex alternative into buf at *n: '.' and '+' escaped; other
 * characters than [A-Za-z0-9/._+-], a "." or ".." component, "//": -1. */
static int
path_regex(const char *path, char *buf, size_t len, size_t *n)
{
	const char *p;

	if (path[0] != '/' || strstr(path, "//") != NULL ||
	    strstr(path, "/./") != NULL || strstr(path, "/../") != NULL)
		return -1;
	p = strrchr(path, '/');
	if (strcmp(p, "/.") == 0 || strcmp(p, "/..") == 0)
		return -1;
	for (p = path; *p != '\0'; p++) {
		int c = (unsigned char)*p, esc = (c == '.' || c == '+');

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("/._+-", c) != NULL))
			return -1;
		if (*n + 3 >= len)
			return -1;
		if (esc)
			buf[(*n)++] = '\\';
		buf[(*n)++] = (char)c;
	}
	buf[*n] = '\0';
	return 0;
}

/* Adds path to the alternation in re (once). -1 when it cannot. */
static int
add_path(char *re, size_t len, const char *path)
{
	char one[1100];
	size_t n = 0, k = strlen(re);
	const char *hit;

	if (path_regex(path, one, sizeof(one), &n) != 0)
		return -1;
	for (hit = strstr(re, one); hit != NULL; hit = strstr(hit + 1, one))
		if ((hit == re || hit[-1] == '|') &&
		    (hit[n] == '|' || hit[n] == '\0'))
			return 0;
	if (k + n + 2 >= len)
		return -1;
	if (k > 0)
		re[k++] = '|';
	memcpy(re + k, one, n + 1);
	return 0;
}

/* The rule for one login: its hosts' log paths and whether any reads the
 * journal. 0, or -1 with err naming host and path. */
static int
user_rule(FILE *out, const struct inventory *inv, const char *user,
    char *err, size_t errlen)
{
	char re[SUDOERS_REGEX_MAX] = "";
	int journal = 0;
	size_t i;

	for (i = 0; i < inv->n; i++) {
		const struct host_config *h = &inv->hosts[i];
		int rc = 0;

		if (!h->sudo || strcmp(h->user, user) != 0)
			continue;
		if (strcmp(h->maillog, "journal") == 0)
			journal = 1;
		else if (strcmp(h->maillog, "auto") == 0) {
			journal = 1;
			rc = add_path(re, sizeof(re), "/var/log/maillog") |
			    add_path(re, sizeof(re), "/var/log/mail.log");
		} else
			rc = add_path(re, sizeof(re), h->maillog);
		if (rc != 0) {
			snprintf(err, errlen, "%s:%d: host %s: maillog '%s' "
			    "cannot be pinned by a sudoers rule (an absolute "
			    "path of [A-Za-z0-9/._+-], no . or .. part)",
			    inv->path, h->line, h->name, h->maillog);
			return -1;
		}
	}
	fprintf(out, "%s ALL=(root) NOPASSWD: NOSETENV: \\\n"
	    "    /usr/bin/cat /var/spool/postfix/pid/master.pid", user);
	if (re[0] != '\0')
		fprintf(out, ", \\\n"
		    "    /usr/bin/stat ^-L -c %%i\\.%%s\\.%%Y (%s)" ROTATION_RE
		    "$, \\\n"
		    "    /usr/bin/dd ^if\\=(%s)" ROTATION_RE " iflag\\=nofollow "
		    "bs\\=4096 skip\\=[0-9]+ count\\=[0-9]+$", re, re);
	if (journal)
		fprintf(out, ", \\\n"
		    "    /usr/bin/journalctl ^--no-pager -q -o short "
		    "--show-cursor -u postfix\\* (--cursor\\="
		    "[A-Za-z0-9\\=;_-]+|-n [0-9]+)$");
	/* the queue operations: ids on stdin, so each line is fixed */
	for (i = 0; i < QOP_DELIVER; i++)
		fprintf(out, ", \\\n    %s", queue_op_command((enum queue_op)i));
	/* the queue view's envelope and headers of one message, by its id */
	fprintf(out, ", \\\n    %s", WATCH_POSTCAT_SUDO);
	/* the keys (first fields, never the passwords) of a password map
	 * in /etc/postfix: src/remote/probe.sh's sf */
	fprintf(out, ", \\\n    %s", SUDO_MAP_KEYS);
	fputc('\n', out);
	return 0;
}

/* 1 when an earlier sudo host than i has the same login. */
static int
user_seen(const struct inventory *inv, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (inv->hosts[j].sudo &&
		    strcmp(inv->hosts[j].user, inv->hosts[i].user) == 0)
			return 1;
	return 0;
}

int
sudoers_write(FILE *out, const struct inventory *inv, char *err,
    size_t errlen)
{
	char from[CFG_PATH_MAX];
	size_t i;
	int any = 0, journal = 0;

	/* a comment line: no control character may end it early */
	sanitize_copy(from, sizeof(from), inv->path, strlen(inv->path));
	fprintf(out,
	    "# sudoers rule for relaytop, from %s (relaytop --sudoers).\n"
	    "# Install on each mail server: visudo -f /etc/sudoers.d/relaytop\n"
	    "# It lets the login run as root only the fixed command lines of\n"
	    "# relaytop's probe: cat of Postfix's master.pid, stat and dd\n"
	    "# (read-only: no of=) of the log and its rotations (LOG.X, LOG-X),\n"
	    "# journalctl without pager; nothing of the environment passes.\n"
	    "# postsuper (--queue --hold/--release/--requeue/--delete) runs as\n"
	    "# root on four fixed lines, the queue ids on its stdin; postcat\n"
	    "# -ehq ID (the queue view's headers) on one pinned line; awk with\n"
	    "# one fixed program prints the keys (first fields, never the\n"
	    "# passwords) of /etc/postfix/sasl_passwd or sasl/sasl_passwd.\n"
	    "# postconf, postqueue and sendmail never run under sudo. A log that\n"
	    "# the login can read itself (group adm, systemd-journal) is read\n"
	    "# without sudo. A host with another queue_directory or\n"
	    "# postfix_config needs its own master.pid path on the cat line.\n",
	    from);
	for (i = 0; i < inv->n; i++) {
		const char *ml = inv->hosts[i].maillog;

		if (inv->hosts[i].sudo && (strcmp(ml, "journal") == 0 ||
		    strcmp(ml, "auto") == 0))
			journal = 1;
	}
	if (journal)
		fprintf(out, "Defaults!/usr/bin/journalctl env_reset, "
		    "!env_keep\n");
	for (i = 0; i < inv->n; i++) {
		if (!inv->hosts[i].sudo || user_seen(inv, i))
			continue;
		any = 1;
		if (user_rule(out, inv, inv->hosts[i].user, err, errlen) != 0)
			return -1;
	}
	if (!any)
		fprintf(out, "# No host has sudo = yes: no rule is needed.\n");
	return 0;
}

int
mode_sudoers(const struct options *o, struct inventory *inv)
{
	char err[1400], clean[1400], *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int rc;

	(void)o;
	if (mem == NULL) {
		fprintf(stderr, "relaytop: --sudoers: out of memory\n");
		return 1;
	}
	/* all or nothing: no half rule on stdout */
	rc = sudoers_write(mem, inv, err, sizeof(err));
	fclose(mem);
	if (rc != 0) {
		sanitize_copy(clean, sizeof(clean), err, strlen(err));
		fprintf(stderr, "relaytop: --sudoers: %s\n", clean);
		free(text);
		return 2;
	}
	rc = fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0;
	free(text);
	return rc ? 0 : 1;
}
