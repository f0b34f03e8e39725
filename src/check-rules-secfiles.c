/* check-rules-secfiles.c: the doctor's rules over the files behind the
 * TLS and SASL settings (struct host_sec, read by the probe): a password
 * map whose .db is older than its source (postmap forgotten), no key of
 * the map matching the relayhost string, no SASL mechanism the client can
 * use among those its relay offers ("no worthy mechs"), and a server
 * certificate that expires within CHECK_CERT_DAYS. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check-int.h"

static int
sasl_on(const struct host *h)
{
	return chk_yes(chk_val(h, "smtp_sasl_auth_enable"));
}

/* smtp_sasl_type / smtpd_sasl_type: Cyrus (the default) */
static int
cyrus(const struct host *h, const char *name)
{
	const char *v = chk_val(h, name);

	return v[0] == '\0' || strcmp(v, "cyrus") == 0;
}

static void
stamp(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
}

static const char *
db_suffix(const char *type)
{
	if (strcmp(type, "lmdb") == 0)
		return ".lmdb";
	if (strcmp(type, "cdb") == 0)
		return ".cdb";
	return ".db";
}

/* Once per origin: a map's .db missing or older than its source. */
static void
rule_map_stale(struct check_ctx *c, const struct edge *e)
{
	const struct host *o = &c->m->hosts[e->from];
	const struct host_sec *s = &o->sec;
	char a[40], b[40];
	struct finding *f;
	int i;

	if (!sasl_on(o) || !s->valid ||
	    chk_find(c, "sasl-map-stale", e->from, -1) != NULL)
		return;
	for (i = 0; i < s->nmap; i++) {
		const struct hostsec_map *m = &s->map[i];

		if (m->src_mtime < 0 || (m->db_mtime >= 0 &&
		    m->db_mtime >= m->src_mtime))
			continue;
		f = chk_add_hosts(c, "sasl-map-stale", m->db_mtime < 0 ?
		    SEV_CRITICAL : SEV_WARNING, e->from, e->to);
		stamp((time_t)m->src_mtime, a, sizeof(a));
		if (m->db_mtime < 0) {
			chk_what(f, "%s's password map %s has no %s file: "
			    "Postfix cannot open the table and defers every "
			    "mail that needs it", chk_name(c, e->from), m->path,
			    db_suffix(m->type));
			chk_evidence(f, "%s: smtp_sasl_password_maps has %s:%s "
			    "(changed %s), %s%s missing", chk_name(c, e->from),
			    m->type, m->path, a, m->path, db_suffix(m->type));
		} else {
			stamp((time_t)m->db_mtime, b, sizeof(b));
			chk_what(f, "%s's password map %s changed after its %s "
			    "was made (postmap forgotten): Postfix still uses "
			    "the old keys and passwords toward %s",
			    chk_name(c, e->from), m->path, db_suffix(m->type),
			    chk_name(c, e->to));
			chk_evidence(f, "%s: %s changed %s, %s%s made %s",
			    chk_name(c, e->from), m->path, a, m->path,
			    db_suffix(m->type), b);
		}
		chk_fix(f, e->from, "%s: postmap %s:%s", chk_name(c, e->from),
		    m->type, m->path);
		return;
	}
}

/* relayhost "[h]:587" -> "h"; "h:587" -> "h"; "h" -> "h" */
static void
bare_host(const char *rh, char *buf, size_t len)
{
	const char *rb;

	if (rh[0] == '[' && (rb = strchr(rh, ']')) != NULL)
		snprintf(buf, len, "%.*s", (int)(rb - rh - 1), rh + 1);
	else
		snprintf(buf, len, "%.*s", (int)strcspn(rh, ":"), rh);
}

/* The origin's recent mail to the relay refused for want of a login. */
static const struct ev_rec *
refused_unauthenticated(const struct check_ctx *c, const struct edge *e)
{
	const struct host *o = &c->m->hosts[e->from];
	const char *addr = c->m->hosts[e->to].cfg->address;
	const struct ev_rec *r;
	size_t i;

	for (i = 0; (r = model_event(o, i)) != NULL; i++) {
		if (r->when < c->now - CHECK_LOG_WINDOW_S)
			break;
		if (r->kind != EV_DELIVERY || r->status == ST_SENT ||
		    strcasecmp(rec_relay_addr(r), addr) != 0)
			continue;
		/* "530 5.7.0 Authentication required", or a relay that
		 * lets only logged-in clients through: "Relay access
		 * denied", "Recipient address rejected: Access denied" */
		if (strstr(rec_reason(r), "uthentication required") ||
		    strstr(rec_reason(r), "ccess denied"))
			return r;
	}
	return NULL;
}

static void
key_list(const struct host_sec *s, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < s->nkeys && n + 1 < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? " " : "",
		    s->key[i]);
	if (s->nkeys == 0)
		snprintf(buf, len, "(none)");
}

/* The relayhost's key in the first password map, byte for byte (Postfix
 * looks up the host name, then the next-hop as relayhost writes it). */
static void
rule_key(struct check_ctx *c, const struct edge *e)
{
	const struct host *o = &c->m->hosts[e->from];
	const struct host_sec *s = &o->sec;
	const char *rh = chk_val(o, "relayhost"), *mp;
	const struct ev_rec *r;
	char bare[256], near[HOSTSEC_KEY_MAX] = "", keys[200], kb[256];
	struct finding *f;
	int i;

	if (e->kind != EDGE_PRIMARY || !sasl_on(o) || !s->valid ||
	    s->nmap == 0 || chk_yes(chk_val(o, "smtp_sender_dependent_authentication"))
	    || rh[0] == '\0' ||
	    strpbrk(rh, " ,\t") != NULL)
		return;
	mp = s->map[0].path;
	bare_host(rh, bare, sizeof(bare));
	r = refused_unauthenticated(c, e);
	if (s->keys == HSK_READ) {
		for (i = 0; i < s->nkeys; i++) {
			if (strcasecmp(s->key[i], rh) == 0 ||
			    strcasecmp(s->key[i], bare) == 0)
				return;
			bare_host(s->key[i], kb, sizeof(kb));
			if (near[0] == '\0' && strcasecmp(kb, bare) == 0)
				snprintf(near, sizeof(near), "%s", s->key[i]);
		}
		f = chk_add_hosts(c, "sasl-key-mismatch", SEV_CRITICAL,
		    e->from, e->to);
		chk_what(f, "no key of %s's password map matches relayhost "
		    "%s byte for byte%s%s: Postfix finds no password, sends "
		    "to %s without logging in, and a relay that requires "
		    "SASL refuses the mail", chk_name(c, e->from), rh,
		    near[0] ? "; the near miss is " : "", near,
		    chk_name(c, e->to));
		key_list(s, keys, sizeof(keys));
		chk_evidence(f, "%s: relayhost = %s; keys of %s: %s",
		    chk_name(c, e->from), rh, mp, keys);
		if (r != NULL)
			chk_evidence_append(f, "; %s", rec_reason(r));
		chk_fix(f, e->from, "%s %s: the line \"%s USER:PASSWORD\"%s%s, "
		    "then postmap %s:%s", chk_name(c, e->from), mp, rh,
		    near[0] ? " in place of the line keyed " : "", near,
		    s->map[0].type, mp);
		return;
	}
	if (s->keys != HSK_UNREADABLE)
		return;
	f = chk_add_hosts(c, r != NULL ? "sasl-key-mismatch" :
	    "sasl-keys-unreadable", r != NULL ? SEV_CRITICAL : SEV_INFO,
	    e->from, e->to);
	if (r != NULL)
		chk_what(f, "%s refuses %s's mail as not logged in although "
		    "smtp_sasl_auth_enable = yes: most likely no key of %s "
		    "matches relayhost %s byte for byte (relaytop could not "
		    "read the keys to tell)", chk_name(c, e->to),
		    chk_name(c, e->from), mp, rh);
	else
		chk_what(f, "relaytop could not read the keys of %s on %s to "
		    "compare them with relayhost %s", mp, chk_name(c, e->from),
		    rh);
	chk_evidence(f, "%s: %s%s%s", chk_name(c, e->from), s->keys_err[0] ?
	    s->keys_err : "keys unreadable", r ? "; " : "", r ? rec_reason(r) :
	    "");
	chk_fix(f, e->from, "%s %s: the line \"%s USER:PASSWORD\", then "
	    "postmap %s:%s (relaytop reads the keys only, of "
	    "/etc/postfix/sasl_passwd or sasl/sasl_passwd, with sudo = yes "
	    "and the rule relaytop --sudoers prints)", chk_name(c, e->from),
	    mp, rh, s->map[0].type, mp);
}

/* Cyrus security flags a mechanism has (sasl.h SASL_SEC_*); the options
 * of smtp_sasl_security_options ask for them. */
enum { F_NOPLAIN = 1, F_NOACTIVE = 2, F_NODICT = 4, F_NOANON = 8,
	F_MUTUAL = 16 };

static const struct mech {
	const char *name, *plugin;
	int	flags;
} mechs[] = {
	{ "PLAIN", "plain", F_NOANON },
	{ "LOGIN", "login", F_NOANON },
	{ "ANONYMOUS", "anonymous", F_NOPLAIN },
	{ "CRAM-MD5", "crammd5", F_NOPLAIN | F_NOANON },
};

/* smtp_sasl_security_options as flags; -1 when a word is not known. */
static int
wanted_flags(const char *opts)
{
	static const char *const names[] = { "noplaintext", "noactive",
	    "nodictionary", "noanonymous", "mutual_auth" };
	int fl = 0, k, hit;
	const char *p = opts;

	while (*p != '\0') {
		size_t n;

		p += strspn(p, " ,\t");
		if ((n = strcspn(p, " ,\t")) == 0)
			break;
		for (hit = 0, k = 0; k < 5; k++)
			if (strlen(names[k]) == n &&
			    strncasecmp(p, names[k], n) == 0) {
				fl |= 1 << k;
				hit = 1;
			}
		if (!hit)
			return -1;
		p += n;
	}
	return fl;
}

/* 1 when word w (len n) is in the space/comma list l, any case. */
static int
in_list(const char *l, const char *w, size_t n)
{
	while (*l != '\0') {
		size_t k;

		l += strspn(l, " ,\t");
		k = strcspn(l, " ,\t");
		if (k == n && strncasecmp(l, w, n) == 0)
			return 1;
		l += k;
	}
	return 0;
}

/* What keeps origin o from mechanism word w (len n): 0 usable, 1 its
 * plugin is missing, 2 the options or filter exclude it, -1 unknown. */
static int
mech_block(const struct host_sec *s, const char *filter, int want,
    const char *w, size_t n)
{
	size_t k;

	if (filter[0] != '\0' && !in_list(filter, w, n))
		return 2;
	for (k = 0; k < sizeof(mechs) / sizeof(mechs[0]); k++) {
		if (strlen(mechs[k].name) != n ||
		    strncasecmp(mechs[k].name, w, n) != 0)
			continue;
		if ((want & ~mechs[k].flags) != 0)
			return 2;
		if (s->plugins_known && !in_list(s->plugins, mechs[k].plugin,
		    strlen(mechs[k].plugin)))
			return 1;
		return 0;
	}
	return -1;
}

static void
rule_mech(struct check_ctx *c, const struct edge *e)
{
	const struct host *o = &c->m->hosts[e->from];
	const struct host *r = &c->m->hosts[e->to];
	const char *opts = chk_val(o, "smtp_sasl_security_options"), *p;
	const char *filter = chk_val(o, "smtp_sasl_mechanism_filter");
	int want = wanted_flags(opts), plugin = 0, b;
	struct finding *f;

	if (!sasl_on(o) || !o->sec.valid || !r->sec.valid || want < 0 ||
	    !chk_usable(c, e->to) || r->sec.mechs[0] == '\0' ||
	    strcmp(r->sec.mechs, "*") == 0 || r->sec.sasl_offer <= 0 ||
	    !cyrus(o, "smtp_sasl_type") || !cyrus(r, "smtpd_sasl_type") ||
	    strchr(filter, ':') != NULL ||
	    chk_find(c, "sasl-no-usable-mech", e->from, e->to) != NULL)
		return;
	for (p = r->sec.mechs; *p != '\0';) {
		size_t n;

		p += strspn(p, " ,\t");
		if ((n = strcspn(p, " ,\t")) == 0)
			break;
		if ((b = mech_block(&o->sec, filter, want, p, n)) <= 0)
			return;		/* usable, or not known: no claim */
		plugin |= b == 1;
		p += n;
	}
	f = chk_add_hosts(c, "sasl-no-usable-mech", SEV_CRITICAL, e->from,
	    e->to);
	chk_what(f, "%s can use none of the SASL mechanisms %s offers (%s): "
	    "it logs \"no worthy mechs\" and defers every mail to it",
	    chk_name(c, e->from), chk_name(c, e->to), r->sec.mechs);
	chk_evidence(f, "%s: smtp_sasl_security_options = %s%s%s, Cyrus "
	    "plugins: %s; %s: mech_list %s", chk_name(c, e->from), opts,
	    filter[0] ? ", smtp_sasl_mechanism_filter = " : "", filter,
	    o->sec.plugins[0] ? o->sec.plugins : "none", chk_name(c, e->to),
	    r->sec.mechs);
	if (plugin)
		chk_fix(f, e->from, "%s: install libsasl2-modules (the Cyrus "
		    "client plugins for %s)", chk_name(c, e->from),
		    r->sec.mechs);
	else
		chk_fix_main(c, f, e->from, "smtp_sasl_security_options = "
		    "noanonymous%s (%s%s)", filter[0] ? ", "
		    "smtp_sasl_mechanism_filter empty" : "", r->sec.mechs,
		    " send the password in the clear inside TLS: keep "
		    "smtp_tls_security_level = encrypt");
}

static void
rule_cert(struct check_ctx *c, int i)
{
	const struct host *h = &c->m->hosts[i];
	const char *cf = chk_val(h, "smtpd_tls_cert_file");
	long long left = (long long)(h->sec.cert_end - c->now);
	char end[40];
	struct finding *f;

	if (!chk_usable(c, i) || !h->sec.valid || h->sec.cert != 1 ||
	    left >= (long long)CHECK_CERT_DAYS * 86400)
		return;
	stamp(h->sec.cert_end, end, sizeof(end));
	f = chk_add_hosts(c, "tls-cert-expiring", left <= 0 ? SEV_CRITICAL :
	    SEV_WARNING, i, -1);
	if (left <= 0)
		chk_what(f, "%s's server certificate has expired: clients "
		    "that verify it (verify, secure) defer their mail",
		    chk_name(c, i));
	else
		chk_what(f, "%s's server certificate expires in %lld days: "
		    "then clients that verify it (verify, secure) defer their "
		    "mail", chk_name(c, i), (left + 86399) / 86400);
	chk_evidence(f, "%s: smtpd_tls_cert_file = %s, notAfter %s",
	    chk_name(c, i), cf, end);
	chk_fix(f, i, "%s: renew %s (and smtpd_tls_key_file with it), then "
	    "postfix reload", chk_name(c, i), cf);
}

void
check_rules_secfiles_edge(struct check_ctx *c, const struct edge *e)
{
	rule_map_stale(c, e);
	rule_key(c, e);
	rule_mech(c, e);
}

void
check_rules_secfiles(struct check_ctx *c)
{
	size_t k;

	for (k = 0; k < c->m->n; k++)
		rule_cert(c, (int)k);
}
