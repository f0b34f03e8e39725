/* probe.h: one refresh of one host: a single constant POSIX sh script run
 * over the host's session, whose output comes back in sections delimited by
 * a per-run random boundary; the sections update the model. The pieces
 * (script arguments, section splitting, log cursor) are pure functions so
 * tests can drive them without a session. */
#ifndef RELAYTOP_PROBE_H
#define RELAYTOP_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "model.h"
#include "sshc.h"

struct probe;

/* A probe for host h of model m; both must outlive it. NULL on ENOMEM. */
struct probe *probe_new(struct model *m, struct host *h);
/* Frees p (NULL: no-op). A command still in flight must have been ended
 * first (free or close its session: its callback then runs) - the callback
 * would use p. */
void	probe_free(struct probe *p);

/* Starts one refresh over the READY session c; returns 0 when started, -1
 * when it could not (busy). Updates the model when the command completes. */
int	probe_run(struct probe *p, struct sshc *c, int64_t now_ms);
int	probe_running(const struct probe *p);

/* Whether a refresh started at now_ms (clock_ms) reads the queue: when no
 * reading is held, when the log showed activity (or Postfix started or
 * stopped) since the last one, or when it is queue_interval old; but
 * never within 5 times what the last reading cost. queue_interval 0, and
 * a postmulti instance entry (its master runs when postqueue answers): on
 * every refresh, without that limit. */
int	probe_wants_queue(const struct probe *p, int64_t now_ms);

/* Number of refreshes finished (answered or failed) since probe_new. */
unsigned probe_runs_done(const struct probe *p);

/* Handles r as the completion of a refresh started with token (what the
 * session's callback does; for tests and replays of captured output). */
void	probe_feed(struct probe *p, const char *token,
	    const struct sshc_result *r);

/* --- the script (src/probe-script.c) ------------------------------------ */

#define PROBE_TOKEN_LEN		32		/* hex chars */
#define PROBE_LOG_CAP		(1024 * 1024)	/* log bytes per refresh */
#define PROBE_FIRST_BYTES	(256 * 1024)	/* log tail on first contact */
#define PROBE_JOURNAL_LINES	500		/* journal lines, first contact */

/* Everything the script is told. Strings are validated by
 * probe_script_build, never trusted. */
struct probe_args {
	char	token[PROBE_TOKEN_LEN + 1];	/* [0-9a-f] */
	int	sudo;
	const char *postfix_config;	/* "" default instance, or a path */
	const char *maillog;		/* a path, "auto" or "journal" */
	const char *cfg_stamp;		/* last main.cf/master.cf stamp, "" */
	int	queue_text;		/* 1: postqueue -p (mail_version<3.1) */
	const char *queue_dir;		/* "" default /var/spool/postfix */
	/* log cursor: path it belongs to ("" none), inode and offset */
	const char *cur_path;
	uint64_t cur_ino, cur_off;
	size_t	cap, first_bytes;	/* 0: the defaults above */
	const char *journal_cursor;	/* "" none */
	/* "PID STAMP" of the master seen running last time (STAMP: inode.mtime
	 * of master.pid), "" or NULL none: while master.pid keeps that stamp
	 * and /proc/PID/status names "master", the script skips sudo cat */
	const char *master;
	int	no_queue;		/* 1: leave the queue out this time */
	/* the journal file's stamp when the journal was last read, "" or
	 * NULL none: while it is unchanged the script skips journalctl */
	const char *journal_stamp;
	const char *queue_awk;		/* queue summary program, NULL none */
	/* 1: the resident may answer "same" when its builtin checks find
	 * nothing changed since its last answer (src/remote/probe.sh, Q) */
	int	quick;
};

#define PROBE_NVALUES	18	/* values of one run (probe-script.c) */
/* A full run (stat of every file, settings stamp, master.pid) at least this
 * often: the quick check cannot see an edit that keeps a file's mtime and
 * inode. Each host's next one comes at a random point of the second half
 * (probe.c), so a fleet's full runs spread over its refreshes instead of
 * all coming in the same one. */
#ifndef PROBE_FULL_MS
#define PROBE_FULL_MS	10000
#endif
/* ...but a fleet's full runs together stay near PROBE_FULL_RATE a second:
 * each is a few forks and a sudo on the host (at 500 hosts every 10 s they
 * were most of a steady refresh's cost), so the period grows with the
 * hosts watched, up to PROBE_FULL_MAX_MS. */
#define PROBE_FULL_RATE		10
#define PROBE_FULL_MAX_MS	120000
/* The full-run period for a console watching hosts hosts. */
int	probe_full_period_ms(size_t hosts);
/* The journal is read again at least this often, stamp or not (a stat
 * without nanoseconds could miss a write within the same second). */
#ifndef PROBE_JOURNAL_RECHECK_MS	/* (bench-journald.sh: 0, to compare) */
#define PROBE_JOURNAL_RECHECK_MS	30000
#endif
#define PROBE_REQUEST_MAX	2048	/* one resident request line */

struct log_cursor;

/* Fills a for host h from what the last refresh learned: the settings
 * stamp (ignored until settings are known), the log cursor, the journal
 * cursor; queue_text forces postqueue -p (so does mail_version < 3.1). The
 * strings are borrowed. */
void	probe_args_fill(struct probe_args *a, const struct host *h,
	    const char *token, const char *stamp, const struct log_cursor *cur,
	    const char *jcursor, int queue_text);

/* The constant script text (no single quote inside). */
const char *probe_script_text(void);

/* The full remote command: exec /bin/sh -c '<script>' relaytop-probe -1
 * '<awk>' 'value'...
 * Returns a heap string, or NULL with a message in err when a value fails
 * validation (or ENOMEM). */
char	*probe_script_build(const struct probe_args *a, char *err,
	    size_t errlen);

/* The resident form: "exec /bin/sh -c '<script>' relaytop-probe -r 'awk'",
 * which reads one request a line on stdin. Heap string, or NULL with err. */
char	*probe_resident_command(const char *queue_awk, char *err,
	    size_t errlen);

/* One request line for the resident script: a's values (validated as by
 * probe_script_build) joined by '|', ended by "|.\n", into buf. Returns its
 * length, or -1 with a message in err. */
int	probe_request_build(const struct probe_args *a, char *buf, size_t len,
	    char *err, size_t errlen);

/* The short request: "TOKEN|=|QW|QK|.\n" (a's token, queue wanted, quick),
 * which the resident takes as its last request's other values again. Only
 * for a resident whose last request had them (probe_request_key equal).
 * Returns its length, or -1 when len is too small. */
int	probe_request_again(const struct probe_args *a, char *buf, size_t len);

/* What of a's request the short one leaves as it was: the request with
 * the token, queue wanted and quick fixed. As probe_request_build. */
int	probe_request_key(const struct probe_args *a, char *buf, size_t len,
	    char *err, size_t errlen);

/* The line the resident script prints after each answer, into buf (>= 64):
 * "\n@@RT-<token> done\n". */
void	probe_done_marker(const char *token, char *buf, size_t len);

/* Fills buf (PROBE_TOKEN_LEN + 1) with a fresh random token. */
void	probe_token_new(char *buf);

/* 1 when s is a plausible main.cf stamp / journal cursor to send back. */
int	probe_valid_stamp(const char *s);
int	probe_valid_journal_cursor(const char *s);

/* --- the journal read (src/probe-journal.c) ----------------------------- */

/* Where the journal read stands: journalctl's cursor of the last entry
 * taken, and a hash of that entry's first line. The script reads on with
 * journalctl --cursor=C (not --after-cursor: journalctl 252 then skips the
 * first entry after C when C itself was vacuumed away), so the answer
 * starts with C's own entry again when it still exists: that entry is
 * known by its hash and not taken twice. */
struct journal_pos {
	char	cursor[256];	/* "" none yet */
	uint64_t last;		/* hash of the last entry's first line */
	int	have_last;
};

/* Of journalctl -q -o short --show-cursor output d[0..n): the bytes to
 * parse, d[*skip .. *skip + *len) (entries only: the "-- cursor: " line
 * and a first entry equal to jp's last one left out), and jp moved on
 * (the printed cursor when valid, the hash of the last entry taken).
 * Entries are lines not starting with blank; a blank-led line continues
 * the entry before it. Bounded by n, never fails. */
void	journal_take(struct journal_pos *jp, const char *d, size_t n,
	    size_t *skip, size_t *len);

/* --- sections (src/probe-sections.c) ------------------------------------ */

#define PROBE_SECTIONS_MAX	48

struct probe_section {
	char	name[24];
	const char *args;	/* header text after the name, not NUL-ended */
	size_t	args_len;
	const char *body;	/* bytes between header line and next header */
	size_t	body_len;
};

struct probe_output {
	struct probe_section v[PROBE_SECTIONS_MAX];
	size_t	n;
	int	complete;	/* the final "end" section was seen */
};

/* Splits script output by the boundary "@@RT-<token><remote token>". The
 * first line must be "@@RT-<token> begin <remote token>". Returns 0, or -1
 * when the output does not start that way or holds more sections than fit
 * (out->n then counts those kept). Bodies point into out_text. */
int	probe_sections_split(const char *text, size_t len, const char *token,
	    struct probe_output *out);

/* The first / next section called name after index *i (start with -1).
 * NULL when none. */
const struct probe_section *probe_section_next(const struct probe_output *o,
	    const char *name, int *i);

/* Value of key=value in the section's header args, copied into buf (NUL-
 * ended, cut to len-1). Returns 0, -1 when absent. */
int	probe_section_arg(const struct probe_section *s, const char *key,
	    char *buf, size_t len);
/* Same, as a non-negative integer; -1 when absent or not a number. */
int	probe_section_arg_u64(const struct probe_section *s, const char *key,
	    uint64_t *v);

/* The "step NAME rc=N" section right after index i (a command's exit
 * status, its stderr as body), with *rc set (-1 unreadable); NULL when
 * the next section is not that step. */
const struct probe_section *probe_section_step(const struct probe_output *o,
	    int i, const char *name, int *rc);
/* 1 when s (may be NULL) holds needle in its body. */
int	probe_section_has(const struct probe_section *s, const char *needle);
/* The first line of s's body (NULL: ""), cut to len - 1, NUL-ended; not
 * sanitised. */
void	probe_section_first_line(const struct probe_section *s, char *buf,
	    size_t len);

/* --- the log cursor (src/probe-log.c) ----------------------------------- */

struct log_cursor {
	char	path[256];	/* "" none: first contact */
	uint64_t ino, off;	/* next byte to read of inode ino */
	/* A fingerprint (FNV-1a) of the bytes of off's 4 KiB block before
	 * off, [off & ~4095, off): the script reads whole blocks, so every
	 * next read from off brings them again as the chunk's lead. When
	 * they differ, the file was rewritten under the cursor (truncated
	 * and written again to off or past it) and is read again from 0.
	 * tail_len 0: not known (off on a block boundary). */
	uint64_t tail_hash;
	uint32_t tail_len;
};

enum chunk_kind {
	CHUNK_FIRST = 0,	/* first contact: the tail of the file */
	CHUNK_CUR,		/* same inode, from the cursor */
	CHUNK_TRUNC,		/* same inode shrank (copytruncate): from 0;
				 * the script first sends the unread rest of
				 * the copy (newest uncompressed PATH.* or
				 * PATH-* modified in the last 10 min, size >=
				 * the old offset) as a CHUNK_OLD labelled with
				 * the cursor's inode. Limit: a truncated file
				 * that already regrew past the old offset
				 * looks like growth (its head is lost, the
				 * tail read as new) unless the cursor's
				 * fingerprint catches it (struct
				 * log_cursor): then the file is read from
				 * 0, but what the copy held past the old
				 * offset is lost. */
	CHUNK_OLD,		/* rotated-away file found by inode */
	CHUNK_NEW,		/* the file now at path, from 0, after rotation */
	CHUNK_PREV,		/* first contact with a live file shorter than
				 * the first-contact bytes: before its
				 * CHUNK_FIRST, the tail of the newest
				 * uncompressed PATH.* or PATH-* modified in
				 * the last hour (the counters' window: the
				 * live file was just rotated), for the bytes
				 * the live file leaves; the cursor stays */
	CHUNK_KIND_MAX
};

/* A piece of the log as the script read it: data holds file bytes from
 * offset start (at most end - start of them), of file inode ino whose size
 * was fsize; lead the lead_len bytes just before start (start's 4 KiB
 * block up to start, read before; fewer when the file shrank meanwhile;
 * NULL when none was read: start on its block's start). */
struct log_chunk {
	enum chunk_kind kind;
	uint64_t ino, start, end, fsize;
	const char *data;
	size_t	len;
	const char *lead;
	size_t	lead_len;
};

/* Decides what of chunk ch to consume and moves the cursor past it. Only
 * complete lines are consumed, except: a rotated-away file read to its end
 * gives its last partial line too, and a line longer than cap is cut. Sets
 * [*skip, *skip + *n) to the bytes of ch->data to feed as lines (each line
 * ending in '\n' but maybe the last). Returns 0, -1 when the chunk does not
 * fit the cursor (ignored; cursor unchanged), -2 when a CHUNK_CUR's lead is
 * not what the cursor's fingerprint says: the file was rewritten under
 * the cursor (nothing taken; the cursor goes back to 0 of the same inode,
 * so the next run reads the file from its start). */
int	log_cursor_take(struct log_cursor *cur, const char *path,
	    const struct log_chunk *ch, size_t cap, size_t *skip, size_t *n);

enum chunk_kind chunk_kind_parse(const char *s);
const char *chunk_kind_name(enum chunk_kind k);

#endif
