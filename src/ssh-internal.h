/* ssh-internal.h: the inside of struct sshc, shared by the ssh-*.c files
 * (session, host keys, auth, exec, jump). Not a public contract: only the
 * transport's own files include it. */
#ifndef RELAYTOP_SSH_INTERNAL_H
#define RELAYTOP_SSH_INTERNAL_H

#include <stdint.h>
#include <sys/socket.h>

#include <libssh2.h>

#include "clock.h"
#include "sshc.h"

#define SSHC_MAX_CHANNELS	8	/* sshd's MaxSessions is 10 */
#define SSHC_KEEPALIVE_S	15
#define SSHC_TUN_BUF		32768
/* Channel bytes one session may read in one step (sshc_step): then it
 * yields to poll() and the other sessions, and is stepped again at once. */
#define SSHC_STEP_BYTES		(256u * 1024)
/* A command channel's receive window. libssh2 drains the socket into its
 * own queue on every read, up to the window, so this bounds what a host can
 * make one step decrypt and hold (libssh2's default is 2 MiB); each read
 * asks for at most SSHC_READ_CHUNK, as libssh2 widens the window by it. */
#define SSHC_CHANNEL_WINDOW	(256u * 1024)
#define SSHC_READ_CHUNK		(32u * 1024)

enum cmd_state {
	CMD_WAIT_OPEN = 0,	/* queued: channel slots or the open lock */
	CMD_OPENING,
	CMD_EXEC,
	CMD_STDIN,		/* writing stdin (output read meanwhile) */
	CMD_EOF,		/* sending EOF */
	CMD_READ,		/* reading until remote EOF */
	CMD_CLOSE,
	CMD_WAIT_CLOSED,
	CMD_FREE,
	CMD_DONE,		/* channel gone; callback pending */
	CMD_IDLE,		/* resident: answered, waits for a request */
};

#define SSHC_MARKER_MAX	64	/* a resident answer's end marker */
#define SSHC_OUTBUF_KEEP	(32u * 1024)	/* kept between requests (a
					 * quiet refresh: ~1 KB; the first
					 * answer, 100+ KB, is let go) */

struct outbuf {
	char	*p;
	size_t	len, cap, max;
	int	truncated;
};

struct sshc_cmd {
	struct sshc_cmd *next;
	enum cmd_state st;
	LIBSSH2_CHANNEL *ch;
	char	*command;
	char	*in;
	size_t	in_len, in_off;
	struct outbuf out, err;
	int64_t	start_ms, deadline;
	int	exit_status;
	enum sshc_error error;
	char	errmsg[512];		/* why a channel failed */
	int	finished;		/* result ready: callback due */
	sshc_exec_cb cb;		/* NULL: a zombie being cleaned up */
	void	*arg;
	int	resident;		/* stays open between requests */
	char	marker[SSHC_MARKER_MAX];	/* answer ends with these bytes */
	size_t	mlen;
	char	tail[SSHC_MARKER_MAX];	/* last stdout bytes received */
	size_t	tail_len;
	sshc_out_cb on_out;		/* stdout handed over as it comes */
	struct sshc_mark marks[SSHC_MARKS];	/* stdout's arrival times */
	int	nmarks;
	unsigned long queued_seen;	/* bytes libssh2 held that a step
					 * could not take (see queued_unread) */
};

/* The jumped session's half of a direct-tcpip tunnel through via. */
struct sshc_tunnel {
	LIBSSH2_CHANNEL *ch;	/* on via->s; NULL when not open */
	int	sp[2];		/* sp[0]: libssh2's socket; sp[1]: pump end */
	char	up[SSHC_TUN_BUF];	/* sp[1] -> channel */
	size_t	up_len;
	char	down[SSHC_TUN_BUF];	/* channel -> sp[1] */
	size_t	down_len, down_off;
	int	remote_eof;
};

enum auth_step { AUTH_AGENT_START = 0, AUTH_AGENT_NEXT, AUTH_AGENT_TRY,
	AUTH_KEYFILE, AUTH_FAILED };

/* The ssh-agent's public keys (blobs), as listed by sshc_agent_list. */
#define AGENT_KEYS_MAX	16
struct agent_keys {
	unsigned char *blob[AGENT_KEYS_MAX];
	uint32_t len[AGENT_KEYS_MAX];
	int	n;
};

struct sshc {
	const struct host_config *cfg;
	struct sshc *via;		/* jump host's session or NULL */
	struct sshc *deps;		/* sessions that jump through us */
	struct sshc *dep_next;
	enum sshc_state state;
	enum sshc_error err;
	char	msg[512];

	struct sockaddr_storage addr;
	socklen_t addrlen;
	int	resolve_failed;

	int	fd;			/* the socket libssh2 uses, -1 none */
	LIBSSH2_SESSION *s;
	int64_t	phase_deadline;		/* connect, handshake, auth */
	int64_t	next_try;		/* BACKOFF: when to reconnect */
	int	backoff_ms;
	int	backoff_max_ms;		/* 0: SSHC_BACKOFF_MAX_MS */
	int64_t	keepalive_at;
	int64_t	last_rx;		/* last byte received (recv callback) */
	int	idle_inbound;		/* unread bytes while idle */

	enum auth_step auth;
	struct agent_keys akeys;	/* the agent's keys, listed by us */
	int	akey;			/* the one tried next, or tried now */
	int	agent_sign_err;		/* its signature failed: auth_why says */
	char	auth_why[1400];
	int	key_checked;		/* the identity file's RSA check ran */

	struct sshc_cmd *cmds;
	struct sshc_cmd *resident;	/* the resident command, or NULL */
	void	*out_owner;		/* holder of a half-sent packet */
	void	*opening;		/* holder of libssh2's channel open, and of
				 * an exec until its reply: one at a time */
	struct sshc_tunnel *tun;	/* when via != NULL */
	int	stepping;
	int	again;			/* step stopped with work left */
	size_t	rx_budget;		/* bytes this step may still read */
};

/* ssh-session.c */
void	sshc_fail(struct sshc *c, enum sshc_error e, int64_t now_ms,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	sshc_teardown(struct sshc *c);
int	sshc_rc_fatal(int rc);
const char *sshc_lasterr(struct sshc *c);
void	sshc_note_block(struct sshc *c, void *who);
int	sshc_may_send(const struct sshc *c, const void *who);

/* ssh-agent-check.c: each call waits at most timeout_ms; on failure why
 * says what did not answer. sshc_agent_answers: 1 when the agent at path
 * answers a request for its keys, else 0. sshc_agent_list: the keys (count,
 * -1 failed). sshc_agent_sign: the signature bytes of data by the key blob
 * in a new malloc'd *sig (what libssh2's sign callback hands back), 0 or
 * -1. */
int	sshc_agent_answers(const char *path, int timeout_ms, char *why,
	    size_t whylen);
int	sshc_agent_list(const char *path, int timeout_ms, struct agent_keys *k,
	    char *why, size_t whylen);
void	sshc_agent_keys_free(struct agent_keys *k);
int	sshc_agent_sign(const char *path, const unsigned char *blob,
	    size_t blen, const unsigned char *data, size_t dlen, int timeout_ms,
	    unsigned char **sig, size_t *slen, char *why, size_t whylen);

/* ssh-knownhosts.c: 0 to go on, -1 after sshc_fail. sshc_notice: one line
 * for the operator (the console's notice, else stderr). */
void	sshc_notice(const char *line);
int	sshc_hostkey_verify(struct sshc *c, int64_t now_ms);
void	sshc_hostkey_prefer(struct sshc *c);

/* ssh-auth.c: 1 authenticated, 0 again later, -1 after sshc_fail. */
int	sshc_auth_step(struct sshc *c, int64_t now_ms);
void	sshc_auth_reset(struct sshc *c);

/* ssh-exec.c: steps commands; 1 progress, 0 none, -1 session failed. */
int	sshc_cmds_step(struct sshc *c, int64_t now_ms);
void	sshc_cmds_finish(struct sshc *c);
void	sshc_cmds_fail(struct sshc *c, enum sshc_error e);
int64_t	sshc_cmds_deadline(const struct sshc *c);
void	sshc_cmd_add_zombie(struct sshc *c, LIBSSH2_CHANNEL *ch);
/* 1 when c has a command other than an idle resident. */
int	sshc_cmds_active(const struct sshc *c);

/* ssh-resident.c */
void	sshc_resident_keep_tail(struct sshc_cmd *k, const char *p, size_t n);
int	sshc_resident_answered(const struct sshc_cmd *k);
void	sshc_resident_detach(struct sshc *c, struct sshc_cmd *k);
/* Frees the output buffers above SSHC_OUTBUF_KEEP of a resident that is
 * idle with its answer handed over (anything else: no-op): one large
 * answer (up to max_out, 32 MiB) must not stay held between requests. */
void	sshc_resident_trim(struct sshc_cmd *k);

/* ssh-jump.c */
int	sshc_jump_connect(struct sshc *c, int64_t now_ms);	/* 1 open */
int	sshc_jump_pump(struct sshc *c);	/* 1 progress, -1 tunnel failed */
void	sshc_jump_close(struct sshc *c);
void	sshc_jump_lost(struct sshc *via, int64_t now_ms);
int	sshc_jump_poll(const struct sshc *c, short *events);

#endif
