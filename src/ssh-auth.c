/* ssh-auth.c: public-key user authentication, non-blocking: the ssh-agent's
 * keys first (when SSH_AUTH_SOCK is set), then the configured identity file.
 * Never agent forwarding. Runs only after the host key was verified. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knownhosts.h"
#include "ssh-compat.h"
#include "ssh-internal.h"

static void agent_drop(struct sshc *c);

void
sshc_auth_reset(struct sshc *c)
{
	agent_drop(c);
	c->auth = AUTH_AGENT_START;
	c->auth_why[0] = '\0';
	c->key_checked = 0;
}

/* 1 when the private key file (or its .pub) is an RSA key. */
static int
key_is_rsa(const char *path)
{
	char buf[16384], pub[CFG_PATH_MAX + 8];
	unsigned char bin[12288];
	size_t n, i;
	int o, rsa = 0;
	const char *b, *e;
	FILE *f;

	snprintf(pub, sizeof(pub), "%s.pub", path);
	if ((f = fopen(pub, "r"))) {
		n = fread(buf, 1, 8, f);
		fclose(f);
		if (n == 8 && memcmp(buf, "ssh-rsa ", 8) == 0)
			return 1;
	}
	if (!(f = fopen(path, "r")))
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (strstr(buf, "BEGIN RSA PRIVATE KEY"))
		return 1;
	if (!(b = strstr(buf, "BEGIN OPENSSH PRIVATE KEY-----")))
		return 0;
	/* The openssh-key-v1 blob names its public key's type in clear. */
	b += 30;
	if ((e = strchr(b, '-')) == NULL)
		e = b + strlen(b);
	if ((o = kh_b64_decode(b, (size_t)(e - b), bin, sizeof(bin))) < 0)
		return 0;
	for (i = 0; i + 11 <= (size_t)o && !rsa; i++)
		rsa = memcmp(bin + i, "\0\0\0\7ssh-rsa", 11) == 0;
	return rsa;
}

/* What the running libssh2 can do with an RSA key against this server. */
static enum ssh_rsa
rsa_verdict(struct sshc *c)
{
	return ssh_compat_rsa(ssh_compat_libssh2_num(),
	    libssh2_session_banner_get(c->s));
}

/* Notes in auth_why that an RSA key (what, then name) is not tried, why, and
 * the fix. */
static void
rsa_refused(struct sshc *c, const char *what, const char *name)
{
	char advice[256];

	ssh_compat_rsa_advice(advice, sizeof(advice));
	snprintf(c->auth_why, sizeof(c->auth_why), "%s%s is RSA, not tried: "
	    "%s", what, name, advice);
}

static int
auth_failed(struct sshc *c, int64_t now_ms)
{
	const struct host_config *cfg = c->cfg;
	char advice[256] = "", why[224];

	/* A server that may refuse SHA-1 signatures: say so after the fact. */
	if (cfg->identity[0] && key_is_rsa(cfg->identity) &&
	    rsa_verdict(c) == SSH_RSA_MAYBE) {
		ssh_compat_rsa_advice(why, sizeof(why));
		snprintf(advice, sizeof(advice), ". The key is RSA: %s", why);
	}
	sshc_fail(c, SSHE_AUTH, now_ms, "%s: authentication as %s failed: %s%s",
	    cfg->name, cfg->user, c->auth_why[0] ? c->auth_why :
	    cfg->identity[0] ? "no key accepted" : "no identity file set and "
	    "no ssh-agent key accepted", advice);
	return -1;
}

static void
agent_drop(struct sshc *c)
{
	sshc_agent_keys_free(&c->akeys);
	c->akey = -1;
}

/* Every talk with the agent has a deadline (libssh2's own agent calls
 * would block without one): listing its keys AGENT_CHECK_MS, a signature
 * AGENT_SIGN_MS. An agent that missed one is asked again only
 * AGENT_RECHECK_MS later, so it costs the loop one wait, not one a host. */
#define AGENT_CHECK_MS		500
#define AGENT_SIGN_MS		2000
#define AGENT_RECHECK_MS	30000

static int64_t agent_dead_until;
static char agent_dead_why[300];

static void
agent_mark_dead(const char *why)
{
	char line[400];

	agent_dead_until = clock_ms() + AGENT_RECHECK_MS;
	snprintf(agent_dead_why, sizeof(agent_dead_why), "%s", why);
	snprintf(line, sizeof(line), "%s: not asked again for %d s",
	    why, AGENT_RECHECK_MS / 1000);
	sshc_notice(line);
}

/* 1 when the agent is not known to be silent; else 0 and why. */
static int
agent_alive(char *why, size_t whylen)
{
	if (clock_ms() < agent_dead_until) {
		snprintf(why, whylen, "%s", agent_dead_why);
		return 0;
	}
	return 1;
}

static void
agent_start(struct sshc *c)
{
	const char *sock = getenv("SSH_AUTH_SOCK");
	char why[300];

	c->auth = AUTH_KEYFILE;
	agent_drop(c);
	if (!sock || !*sock || !agent_alive(c->auth_why, sizeof(c->auth_why)))
		return;
	if (sshc_agent_list(sock, AGENT_CHECK_MS, &c->akeys, why,
	    sizeof(why)) < 0) {
		snprintf(c->auth_why, sizeof(c->auth_why), "%s", why);
		agent_mark_dead(why);
		return;
	}
	c->auth = AUTH_AGENT_NEXT;
}

/* libssh2's sign callback: the agent signs, within AGENT_SIGN_MS. */
static int
agent_sign_cb(LIBSSH2_SESSION *s, unsigned char **sig, size_t *sig_len,
    const unsigned char *data, size_t data_len, void **abstract)
{
	struct sshc *c = *abstract;
	const char *sock = getenv("SSH_AUTH_SOCK");
	char why[300];

	(void)s;
	if (!sock || !*sock || c->akey < 0 || c->akey >= c->akeys.n)
		return -1;
	/* another host's session found the agent silent while this one was
	 * inside its publickey exchange: no second wait, on to the key file */
	if (!agent_alive(c->auth_why, sizeof(c->auth_why))) {
		c->agent_sign_err = 1;
		return -1;
	}
	if (sshc_agent_sign(sock, c->akeys.blob[c->akey],
	    c->akeys.len[c->akey], data, data_len, AGENT_SIGN_MS, sig,
	    sig_len, why, sizeof(why)) == 0)
		return 0;
	snprintf(c->auth_why, sizeof(c->auth_why), "%s", why);
	c->agent_sign_err = 1;
	if (strstr(why, "did not answer"))
		agent_mark_dead(why);
	return -1;
}

/* One try of the agent's key c->akey: as sshc_auth_step returns, or 2 to
 * go on with the next key. */
static int
agent_try(struct sshc *c, int64_t now_ms)
{
	const struct host_config *cfg = c->cfg;
	void *abstract = c;
	int rc;

	rc = libssh2_userauth_publickey(c->s, cfg->user,
	    c->akeys.blob[c->akey], c->akeys.len[c->akey], agent_sign_cb,
	    &abstract);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return 0;
	if (rc == 0)
		return 1;
	if (sshc_rc_fatal(rc)) {
		sshc_fail(c, SSHE_DISCONNECTED, now_ms, "%s: during "
		    "authentication: %s", cfg->name, sshc_lasterr(c));
		return -1;
	}
	if (!c->agent_sign_err)
		snprintf(c->auth_why, sizeof(c->auth_why),
		    "agent keys refused");
	c->auth = AUTH_AGENT_NEXT;
	return 2;
}

int
sshc_auth_step(struct sshc *c, int64_t now_ms)
{
	const struct host_config *cfg = c->cfg;
	int rc;

	for (;;) {
		switch (c->auth) {
		case AUTH_AGENT_START:
			agent_start(c);
			break;
		case AUTH_AGENT_NEXT:
			/* an agent found silent meanwhile (by any host) is
			 * not asked again; checked between keys only, never
			 * inside libssh2's publickey exchange */
			if (++c->akey >= c->akeys.n ||
			    !agent_alive(c->auth_why, sizeof(c->auth_why))) {
				agent_drop(c);
				c->auth = AUTH_KEYFILE;
			} else if (ssh_compat_blob_is_rsa(
			    c->akeys.blob[c->akey], c->akeys.len[c->akey]) &&
			    rsa_verdict(c) == SSH_RSA_REFUSED) {
				if (!c->auth_why[0])
					rsa_refused(c, "the ssh-agent's key", "");
			} else {
				c->agent_sign_err = 0;
				c->auth = AUTH_AGENT_TRY;
			}
			break;
		case AUTH_AGENT_TRY:
			rc = agent_try(c, now_ms);
			if (rc == 0)
				goto again;
			if (rc != 2)
				return rc;
			break;
		case AUTH_KEYFILE:
			if (!cfg->identity[0]) {
				c->auth = AUTH_FAILED;
				break;
			}
			if (!c->key_checked++ && key_is_rsa(cfg->identity) &&
			    rsa_verdict(c) == SSH_RSA_REFUSED) {
				rsa_refused(c, "key ", cfg->identity);
				c->auth = AUTH_FAILED;
				break;
			}
			rc = libssh2_userauth_publickey_fromfile_ex(c->s,
			    cfg->user, (unsigned)strlen(cfg->user), NULL,
			    cfg->identity, NULL);
			if (rc == LIBSSH2_ERROR_EAGAIN)
				goto again;
			if (rc == 0)
				return 1;
			if (sshc_rc_fatal(rc)) {
				sshc_fail(c, SSHE_DISCONNECTED, now_ms, "%s: "
				    "during authentication: %s", cfg->name,
				    sshc_lasterr(c));
				return -1;
			}
			snprintf(c->auth_why, sizeof(c->auth_why), "key %s: %s",
			    cfg->identity, sshc_lasterr(c));
			c->auth = AUTH_FAILED;
			break;
		case AUTH_FAILED:
			return auth_failed(c, now_ms);
		}
	}
again:
	if (now_ms >= c->phase_deadline) {
		sshc_fail(c, SSHE_TIMEOUT, now_ms, "%s (%s): authentication did "
		    "not finish within %d s", cfg->name, cfg->address,
		    cfg->timeout_s);
		return -1;
	}
	return 0;
}
