/* kh-scan.c: reads known_hosts text line by line as OpenSSH 9.2's
 * hostkeys_foreach does (markers, host field, key), keeping what the lines
 * that name one host say about one key: a match, another key, a @revoked
 * line for it, a @cert-authority line; then the verdict. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "knownhosts.h"

enum marker { MRK_NONE = 0, MRK_CA, MRK_REVOKE, MRK_ERROR };

int
kh_scan_init(struct kh_scan *s, const char *host, int port,
    const unsigned char *key, size_t keylen)
{
	memset(s, 0, offsetof(struct kh_scan, line));
	s->key.type = -1;
	if (kh_host_name(host, port, s->name, sizeof(s->name)) < 0)
		return -1;
	if (key != NULL && kh_key_from_blob(key, keylen, &s->key) < 0)
		return -1;
	return 0;
}

/* OpenSSH's check_markers: "@cert-authority" or "@revoked" ended by the
 * first space of the line (else its first tab); one marker at most. */
static enum marker
markers(char **cpp)
{
	char *cp = *cpp, *sp;
	enum marker m = MRK_NONE;
	size_t n;

	while (*cp == '@') {
		if (m != MRK_NONE)
			return MRK_ERROR;
		if ((sp = strchr(cp, ' ')) == NULL &&
		    (sp = strchr(cp, '\t')) == NULL)
			return MRK_ERROR;
		n = (size_t)(sp - cp);
		if (n <= 1 || n >= 32)
			return MRK_ERROR;
		if (n == 15 && memcmp(cp, "@cert-authority", n) == 0)
			m = MRK_CA;
		else if (n == 8 && memcmp(cp, "@revoked", n) == 0)
			m = MRK_REVOKE;
		else
			return MRK_ERROR;
		for (cp = sp; *cp == ' ' || *cp == '\t'; cp++)
			;
	}
	*cpp = cp;
	return m;
}

static void
at(char *dst, size_t len, const char *file, unsigned long line)
{
	snprintf(dst, len, "%s:%lu", file, line);
}

/* One line, NUL-terminated, without its newline. */
static void
scan_line(struct kh_scan *s, char *line, const char *file,
    unsigned long lineno)
{
	struct kh_key k;
	enum marker m;
	char *cp = line, *hosts;
	size_t hlen, n;
	int type, len, hit;

	while (*cp == ' ' || *cp == '\t')
		cp++;
	if (*cp == '\0' || *cp == '#')
		return;
	if ((m = markers(&cp)) == MRK_ERROR)
		return;
	hosts = cp;
	hlen = strcspn(cp, " \t");
	hit = hosts[0] == '|' ? kh_match_hashed(s->name, hosts, hlen) :
	    kh_match_list(s->name, hosts, hlen);
	if (hit != 1)
		return;
	for (cp += hlen; *cp == ' ' || *cp == '\t'; cp++)
		;
	if (*cp == '\0' || *cp == '#')
		return;
	/* the key: "type base64", as sshkey_read reads it */
	n = strcspn(cp, " \t");
	if (cp[n] == '\0' || (type = kh_key_type_from_name(cp, n)) < 0)
		return;
	for (cp += n; *cp == ' ' || *cp == '\t'; cp++)
		;
	n = strcspn(cp, " \t");
	if (n == 0 || (len = kh_b64_decode(cp, n, s->blob,
	    sizeof(s->blob))) < 0)
		return;
	if (kh_key_from_blob(s->blob, (size_t)len, &k) < 0 || k.type != type)
		return;
	switch (m) {
	case MRK_REVOKE:
		if (kh_key_equal(&k, &s->key) && s->revoked++ == 0)
			at(s->at_revoked, sizeof(s->at_revoked), file, lineno);
		break;
	case MRK_CA:
		if (s->ca++ == 0)
			at(s->at_ca, sizeof(s->at_ca), file, lineno);
		break;
	default:
		s->types |= 1u << type;
		if (kh_key_equal(&k, &s->key)) {
			if (s->match++ == 0)
				at(s->at_match, sizeof(s->at_match), file,
				    lineno);
		} else if (s->other++ == 0) {
			at(s->at_other, sizeof(s->at_other), file, lineno);
		}
		break;
	}
}

/* Line assembly across reads: s->line holds the current line; a line
 * longer than KH_LINE_MAX is dropped whole. */
struct feed {
	size_t	len;
	int	toolong;
	unsigned long lineno;
};

static void
feed(struct kh_scan *s, struct feed *f, const char *p, size_t n,
    const char *file)
{
	const char *nl;
	size_t take;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		take = nl ? (size_t)(nl - p) : n;
		if (!f->toolong && take <= KH_LINE_MAX - f->len) {
			memcpy(s->line + f->len, p, take);
			f->len += take;
		} else {
			f->toolong = 1;
		}
		if (nl == NULL)
			return;
		f->lineno++;
		s->line[f->len] = '\0';	/* a NUL inside ends it, as in C */
		if (!f->toolong)
			scan_line(s, s->line, file, f->lineno);
		f->len = 0;
		f->toolong = 0;
		p = nl + 1;
		n -= take + 1;
	}
}

static void
feed_end(struct kh_scan *s, struct feed *f, const char *file)
{
	if (f->len > 0 || f->toolong)
		feed(s, f, "\n", 1, file);
}

void
kh_scan_text(struct kh_scan *s, const char *text, size_t len,
    const char *file)
{
	struct feed f = { 0, 0, 0 };

	feed(s, &f, text, len, file);
	feed_end(s, &f, file);
}

int
kh_scan_file(struct kh_scan *s, const char *path, char *err, size_t errlen)
{
	struct feed f = { 0, 0, 0 };
	char buf[16384];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read %s: %s", path,
		    strerror(errno));
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot read %s: %s", path,
			    strerror(errno));
			close(fd);
			return -1;
		}
		feed(s, &f, buf, (size_t)n, path);
	}
	feed_end(s, &f, path);
	close(fd);
	return 0;
}

enum kh_result
kh_scan_result(const struct kh_scan *s, char *where, size_t wlen)
{
	const char *w = "";
	enum kh_result r = KH_NOTFOUND;

	if (s->revoked) {
		r = KH_REVOKED;
		w = s->at_revoked;
	} else if (s->match) {
		r = KH_MATCH;
		w = s->at_match;
	} else if (s->other) {
		r = KH_MISMATCH;
		w = s->at_other;
	} else if (s->ca) {
		r = KH_CA_ONLY;
		w = s->at_ca;
	}
	if (wlen)
		snprintf(where, wlen, "%s", w);
	return r;
}

void
kh_scan_types(const struct kh_scan *s, char *out, size_t outlen)
{
	size_t used = 0;
	const char *name;
	int t, n;

	if (outlen)
		out[0] = '\0';
	for (t = 0; t < 32; t++) {
		if (!(s->types & (1u << t)))
			continue;
		name = kh_key_type_name(t);
		n = snprintf(out + used, outlen - used, "%s%s",
		    used ? "," : "", name);
		if (n < 0 || (size_t)n >= outlen - used) {
			out[used] = '\0';
			return;
		}
		used += (size_t)n;
	}
}
