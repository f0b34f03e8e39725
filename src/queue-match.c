/* queue-match.c: compiles and applies the queued-message filter
 * (include/queue-match.h has the grammar): words ANDed, each a
 * case-insensitive substring or a POSIX extended regex, on any text of the
 * message or on one field. */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue-match.h"
#include "regex-cost.h"

enum qm_field { QF_ANY, QF_FROM, QF_TO, QF_DOMAIN, QF_REASON, QF_QUEUE,
	QF_ID };

static const char *const field_names[] = { "", "from", "to", "domain",
	"reason", "queue", "id" };

struct qm_word {
	enum qm_field field;
	int	is_re;
	regex_t	re;
	char	*text;		/* plain: lower-cased ASCII (id: as given) */
};

struct queue_match {
	struct qm_word w[QUEUE_MATCH_WORDS];
	size_t	n;
};

static int
low(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
blank(int c)
{
	return c == ' ' || c == '\t';
}

/* 1 when needle (lower-case) is in hay, ASCII letters in any case. */
static int
has(const char *hay, const char *needle)
{
	size_t i;

	if (*needle == '\0')
		return 1;
	for (; *hay != '\0'; hay++) {
		for (i = 0; needle[i] != '\0' && low((unsigned char)hay[i]) ==
		    (unsigned char)needle[i]; i++)
			;
		if (needle[i] == '\0')
			return 1;
	}
	return 0;
}

/* 1 when d is domain or under it (both compared without case). */
static int
under_domain(const char *d, const char *domain)
{
	size_t dn = strlen(d), n = strlen(domain), i;

	if (n == 0 || dn < n)
		return 0;
	for (i = 0; i < n; i++)
		if (low((unsigned char)d[dn - n + i]) != (unsigned char)domain[i])
			return 0;
	return dn == n || d[dn - n - 1] == '.';
}

static int
word_text(const struct qm_word *w, const char *s)
{
	if (w->is_re)
		return regexec(&w->re, s, 0, NULL, 0) == 0;
	if (w->field == QF_ID)
		return strcmp(s, w->text) == 0;
	if (w->field == QF_DOMAIN)
		return under_domain(s, w->text);
	if (w->field == QF_QUEUE || (w->field == QF_FROM &&
	    strcmp(w->text, "<>") == 0))
		return strcmp(s, w->text) == 0;
	return has(s, w->text);
}

static int
word_match(const struct qm_word *w, const struct queue_msg *m)
{
	enum qm_field f = w->field;
	unsigned i;

	if (f == QF_QUEUE)
		return word_text(w, queue_name_str(m->queue));
	if (f == QF_ID || f == QF_ANY)
		if (word_text(w, m->id))
			return 1;
	/* the null sender: showq's JSON says "MAILER-DAEMON" (Postfix 3.7) */
	if (f == QF_FROM && !w->is_re && strcmp(w->text, "<>") == 0)
		return m->sender[0] == '\0' ||
		    strcmp(m->sender, "MAILER-DAEMON") == 0;
	if ((f == QF_FROM || f == QF_ANY) && word_text(w, m->sender))
		return 1;
	if (f == QF_DOMAIN && word_text(w, queue_addr_domain(m->sender)))
		return 1;
	for (i = 0; i < m->nrcpt; i++) {
		if ((f == QF_TO || f == QF_ANY) &&
		    word_text(w, m->rcpt[i].addr))
			return 1;
		if ((f == QF_REASON || f == QF_ANY) &&
		    word_text(w, m->rcpt[i].reason))
			return 1;
		if (f == QF_DOMAIN &&
		    word_text(w, queue_addr_domain(m->rcpt[i].addr)))
			return 1;
	}
	return 0;
}

int
queue_match(const struct queue_match *qm, const struct queue_msg *m)
{
	size_t i;

	if (qm == NULL)
		return 1;
	for (i = 0; i < qm->n; i++)
		if (!word_match(&qm->w[i], m))
			return 0;
	return 1;
}

void
queue_match_free(struct queue_match *qm)
{
	size_t i;

	if (qm == NULL)
		return;
	for (i = 0; i < qm->n; i++) {
		if (qm->w[i].is_re)
			regfree(&qm->w[i].re);
		free(qm->w[i].text);
	}
	free(qm);
}

/* "FIELD:" at p: its field and the length of the prefix; QF_ANY, 0 none
 * (another NAME: is plain text). */
static int
field_of(const char *p, size_t n, enum qm_field *f)
{
	const char *c = memchr(p, ':', n);
	size_t i, k;

	*f = QF_ANY;
	if (c == NULL)
		return 0;
	k = (size_t)(c - p);
	for (i = 1; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (strlen(field_names[i]) == k &&
		    strncmp(p, field_names[i], k) == 0) {
			*f = (enum qm_field)i;
			return (int)k + 1;
		}
	return 0;	/* "a:b": plain text with a colon */
}

/* One word at *pp (not blank); moves *pp past it. */
static int
compile_word(struct qm_word *w, const char **pp, const char *expr,
    char *err, size_t errlen)
{
	const char *p = *pp, *e, *s;
	enum regex_verdict v;
	size_t n, i, at, oplen;
	int k, rc;
	char buf[128];

	for (e = p; *e != '\0' && !blank((unsigned char)*e); e++)
		;
	k = field_of(p, (size_t)(e - p), &w->field);
	s = p + k;
	if (*s == '/') {
		/* a regex: to the '/' that ends the text or precedes a blank */
		for (e = s + 1; *e != '\0'; e++)
			if (*e == '/' && (e[1] == '\0' || blank((unsigned char)e[1])))
				break;
		if (*e != '/' || e == s + 1) {
			snprintf(err, errlen, "--match: %s regular expression "
			    "at column %zu", *e != '/' ? "unclosed" : "empty",
			    (size_t)(s - expr) + 1);
			return -1;
		}
		n = (size_t)(e - s - 1);
		if ((w->text = malloc(n + 1)) == NULL)
			goto nomem;
		memcpy(w->text, s + 1, n);
		w->text[n] = '\0';
		if ((v = regex_check(w->text, &at, &oplen)) != REGEX_OK) {
			snprintf(err, errlen, "--match: /%.40s%s/ at column "
			    "%zu: '%.*s' %s", w->text, n > 40 ? "..." : "",
			    (size_t)(s - expr) + 2 + at, (int)oplen,
			    w->text + at, regex_verdict_text(v));
			return -1;
		}
		rc = regcomp(&w->re, w->text, REG_EXTENDED | REG_ICASE |
		    REG_NOSUB);
		if (rc != 0) {
			regerror(rc, &w->re, buf, sizeof(buf));
			snprintf(err, errlen, "--match: bad regular expression "
			    "/%s/ at column %zu: %s", w->text,
			    (size_t)(s - expr) + 1, buf);
			return -1;
		}
		w->is_re = 1;
		*pp = e + 1;
		return 0;
	}
	n = (size_t)(e - s);
	if (n == 0) {
		snprintf(err, errlen, "--match: nothing after '%.*s' at column "
		    "%zu", k, p, (size_t)(p - expr) + 1);
		return -1;
	}
	if ((w->text = malloc(n + 1)) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		w->text[i] = w->field == QF_ID ? s[i] :
		    (char)low((unsigned char)s[i]);
	w->text[n] = '\0';
	*pp = e;
	return 0;
nomem:
	snprintf(err, errlen, "--match: out of memory");
	return -1;
}

struct queue_match *
queue_match_new(const char *expr, char *err, size_t errlen)
{
	struct queue_match *qm;
	const char *p = expr;

	if (strlen(expr) > QUEUE_MATCH_EXPR_MAX) {
		snprintf(err, errlen, "--match: longer than %d characters",
		    QUEUE_MATCH_EXPR_MAX);
		return NULL;
	}
	if ((qm = calloc(1, sizeof(*qm))) == NULL) {
		snprintf(err, errlen, "--match: out of memory");
		return NULL;
	}
	for (;;) {
		while (blank((unsigned char)*p))
			p++;
		if (*p == '\0')
			return qm;
		if (qm->n == QUEUE_MATCH_WORDS) {
			snprintf(err, errlen, "--match: more than %d words",
			    QUEUE_MATCH_WORDS);
			break;
		}
		if (compile_word(&qm->w[qm->n], &p, expr, err, errlen) != 0) {
			free(qm->w[qm->n].text);	/* regex not kept */
			break;
		}
		qm->n++;
	}
	queue_match_free(qm);
	return NULL;
}
