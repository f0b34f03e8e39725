/* model.h: what relaytop knows about each host: connection state, effective
 * settings, queue, a bounded ring of recent maillog events and counters over
 * time. Written by the probe (src/), read by views and outputs, which borrow
 * const pointers valid until the next model update. All text in the model
 * is already sanitised (sanitize.h). */
#ifndef RELAYTOP_MODEL_H
#define RELAYTOP_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "hostsec.h"
#include "config.h"
#include "event.h"
#include "ev-rec.h"
#include "postconf.h"
#include "queue-id.h"
#include "queue.h"

/* Connection state of a host, as a view shows it. */
enum host_conn {
	HC_NEW = 0,		/* not tried yet */
	HC_CONNECTING,
	HC_UP,			/* session open, last probe answered */
	HC_UNREACHABLE,		/* refused, no route, timed out */
	HC_HOSTKEY_CHANGED,	/* refused: key differs from known_hosts */
	HC_HOSTKEY_UNKNOWN,	/* refused: host not in known_hosts */
	HC_AUTH_FAILED,
	HC_ERROR,		/* protocol or other failure, see conn_msg */
	HC_MAX
};

/* Problems found by a probe that answered (bit flags). */
enum host_problem {
	HP_SUDO_PASSWORD	= 1 << 0,	/* sudo -n wants a password */
	HP_LOG_UNREADABLE	= 1 << 1,
	HP_NO_POSTFIX		= 1 << 2,	/* postconf not installed */
	HP_POSTFIX_STOPPED	= 1 << 3,	/* master not running */
	HP_QUEUE_UNREADABLE	= 1 << 4,
	HP_PROBE_GARBLED	= 1 << 5,	/* output did not parse */
	HP_LOG_NONE		= 1 << 6,	/* no maillog found */
};

/* The retained events (ev-rec.h), each its own heap block: a slot costs a
 * pointer until an event fills it. */
struct event_ring {
	struct ev_rec **v;
	size_t	cap, head, count;	/* head: next slot to write */
	size_t	alloc;			/* slots in v (grows up to cap) */
	uint64_t total;			/* events ever added */
};

/* Outcome counters per minute, for "in the last N minutes" columns: by
 * mail status, and refusals (NOQUEUE rejects) in column COUNTER_REFUSED. */
#define COUNTER_MINUTES	60
#define COUNTER_REFUSED	ST_MAX
#define COUNTER_HANDOFF	(ST_MAX + 1)	/* hand-offs inside the host */
#define COUNTER_COLS	(ST_MAX + 2)
struct counters {
	time_t	minute[COUNTER_MINUTES];	/* which minute the slot holds */
	unsigned n[COUNTER_MINUTES][COUNTER_COLS];
	unsigned long long total[COUNTER_COLS];	/* since start */
};

/* One Postfix instance found by postmulti -l (sanitised, validated). */
#define HOST_INSTANCES_MAX	8
struct host_instance {
	char	name[64];
	char	config_dir[256];
	char	syslog_name[64];
	int	enabled;
};

/* Delivery outcomes per relay since start (model-relays.c), for counters
 * that only grow: the relay is the inventory host the log's relay= names,
 * else the name before '[' as logged (sanitised, cut to RELAY_TALLY_NAME);
 * past RELAY_TALLY_MAX relays, the rest count under "(other)", a name
 * no logged relay takes (a leading '(' becomes '_'). */
#define RELAY_TALLY_MAX		16
#define RELAY_TALLY_NAME	64
struct relay_tally {
	char	relay[RELAY_TALLY_NAME];
	unsigned long long n[ST_MAX];
};

struct host {
	const struct host_config *cfg;
	int	index;
	enum host_conn conn;
	char	conn_msg[256];
	unsigned problems;		/* enum host_problem bits */
	char	problem_msg[256];
	time_t	last_answer;		/* 0: never */
	time_t	last_attempt;
	int	probe_ms;		/* duration of the last probe */
	/* answers taken: full runs, and "same" (nothing changed, no exec);
	 * queue readings taken (model_set_queue) */
	unsigned long answers_full, answers_same, queue_reads;
	enum host_role role;		/* effective role (cfg or inferred) */
	struct pc_settings settings;
	int	settings_valid;
	time_t	settings_time;
	struct queue_summary queue;
	int	queue_valid;
	int	postfix_running;	/* -1 unknown */
	char	maillog_path[256];	/* what the probe read */
	char	maillog_via[8];		/* how: "direct", "sudo", "" not yet */
	char	maillog_group[33];	/* direct through this group (adm), or "" */
	struct event_ring events;
	struct counters counters;
	char	last_outcome[128];	/* "sent 15:51:44 to <x> via C" */
	time_t	last_outcome_time;	/* when of last_outcome; 0 none */
	int	last_outcome_status;	/* enum mail_status of it */
	char	mail_version[32];	/* Postfix mail_version, "" unknown */
	/* The other Postfix instances postmulti -l lists on this host (its
	 * default instance only), each with the syslog_name its lines carry:
	 * those lines are theirs, not this host's (model-instances.c). On
	 * the heap (n_instances of them; NULL when none): most hosts run
	 * one instance, and 3 KB a host adds up at 500 hosts. */
	struct host_instance *instances;
	int	n_instances;
	unsigned instances_gen;		/* bumped when the list changes */
	unsigned instances_synced;	/* instances_gen the watch acted on */
	struct relay_tally relays[RELAY_TALLY_MAX + 1];	/* + "(other)" */
	size_t	nrelays;
	/* the files behind the TLS/SASL settings (read with the settings) */
	struct host_sec sec;
};

struct model {
	struct host *hosts;
	size_t	n;
	const struct inventory *inv;
	uint64_t generation;		/* bumped on every change */
	size_t	ring_cap;		/* events kept per host, for every
					 * host; 0: each host's history */
	size_t	cap;			/* hosts allocated (>= n) */
	uint64_t names_gen;		/* bumped when a host's names may
					 * change (model-match.c's cache) */
};

/* Builds one host per inventory entry; ring_cap events kept per host
 * (0: each host's `history` of hosts.ini, default 2000; tests and benches
 * give a figure for all). The inventory must outlive the model. */
int	model_init(struct model *m, const struct inventory *inv,
	    size_t ring_cap);
/* model_init with room for `room` hosts more (model_add_host). */
int	model_init_room(struct model *m, const struct inventory *inv,
	    size_t ring_cap, size_t room);
void	model_free(struct model *m);
/* Sets host slot i up for inventory entry i (model_init, model_add_host). */
void	model_host_init(struct model *m, size_t i);
/* Events h keeps: the model's ring_cap when set, else its history
 * (CFG_HISTORY_DEFAULT when its config has none). */
size_t	model_ring_cap(const struct model *m, const struct host *h);

/* Copies (sanitised) and stores one parsed event; updates counters and
 * last_outcome. */
void	model_add_event(struct model *m, struct host *h,
	    const struct mail_event *ev);

/* Counts delivery r (not a hand-off) of h under its relay (above). */
void	model_relay_count(const struct model *m, struct host *h,
	    const struct ev_rec *r);

/* i = 0 is the newest; NULL past the end. */
const struct ev_rec *model_event(const struct host *h, size_t i);
/* Frees the ring's records and slots; it is empty after. */
void	model_ring_free(struct event_ring *ring);

/* Outcomes (ST_*) counted over the last `minutes` minutes before now.
 * Hand-offs inside the host (maillog_is_handoff: content filters,
 * re-injection) are not outcomes: the mail's delivery under its new queue
 * id is. */
void	model_count_recent(const struct host *h, time_t now, int minutes,
	    unsigned out[ST_MAX]);

/* Refusals (NOQUEUE rejects, any reason) over the same window. */
unsigned model_count_refused(const struct host *h, time_t now, int minutes);

/* Hand-offs inside the host (content filter, re-injection, another
 * Postfix instance of the same machine) over the same window. */
unsigned model_count_handoffs(const struct host *h, time_t now, int minutes);

/* --- postmulti instances (src/model-instances.c) ------------------------ */

/* Adds the model's host for inventory entry m->n (one config_add_instance
 * appended) in the room model_init_room kept: no host moves. Returns its
 * index, or -1 when there is no room. */
int	model_add_host(struct model *m);
/* Takes the last host added back (its fleet entry could not be made). */
void	model_free_last(struct model *m);

/* Replaces h's list of other instances (postmulti -l); bumps
 * instances_gen and the model's generation when it changed. */
void	model_set_instances(struct model *m, struct host *h,
	    const struct host_instance *v, int n);

/* 1 when a log line of ev belongs to host h: an instance entry takes the
 * lines of its syslog_name (as "NAME/daemon" or "NAME/service/daemon"),
 * any other host every line no instance it lists claims. */
int	model_host_takes(const struct host *h, const struct mail_event *ev);

/* The index of the host the machine of host i is (i itself, or the host
 * an instance entry runs on). */
int	model_machine_of(const struct model *m, int i);

/* 1 when r is a hand-off inside its host (maillog_is_handoff, on the
 * retained copy). */
int	model_rec_is_handoff(const struct ev_rec *r);

/* Replaces settings / queue (takes ownership of s's contents). */
void	model_set_settings(struct model *m, struct host *h,
	    struct pc_settings *s);
void	model_set_queue(struct model *m, struct host *h,
	    const struct queue_summary *q);
/* Forgets the queue (queue_valid = 0): it could not be read. */
void	model_clear_queue(struct model *m, struct host *h);
void	model_set_conn(struct model *m, struct host *h, enum host_conn c,
	    const char *msg);
void	model_set_problems(struct model *m, struct host *h, unsigned bits,
	    const char *msg);

/* Sets postfix_running (1, 0, -1 unknown) and the log path read. */
void	model_set_status(struct model *m, struct host *h, int running,
	    const char *maillog_path);

/* Sets how the log was read: "direct" or "sudo" (anything else is
 * ignored: the word comes from the host). */
void	model_set_log_via(struct model *m, struct host *h, const char *via);

/* Records the group through which a direct read goes (Debian's root:adm
 * 0640 mail.log read by a member of adm), "" when none (root, the owner,
 * world-readable, or sudo). A name outside [A-Za-z0-9_.-]{1,32} is "". */
void	model_set_log_group(struct model *m, struct host *h, const char *grp);

/* Records a probe that answered at `now` after `ms` milliseconds: conn
 * becomes HC_UP, last_answer now. */
void	model_mark_answer(struct model *m, struct host *h, time_t now, int ms);

/* Shorthand for the common settings; "" when unknown. */
const char *host_setting(const struct host *h, const char *name);

/* Role from config, or inferred when ROLE_AUTO: relayhost set -> origin,
 * unless it also listens beyond loopback and its mynetworks names clients
 * other than loopback and itself (a relay in the middle of a longer chain,
 * relaying to an outbound relay) -> relay; listening beyond loopback with
 * no relayhost -> relay. */
enum host_role host_effective_role(const struct host *h);

/* The one host matcher (model-match.c): the inventory host that a log's
 * relay=NAME[ADDR], or a host NAME given in a setting, stands for; -1 when
 * none (a relay outside the inventory). NULL or "" is "not given"; NAME
 * "none" (relay=none) names nothing. Case-insensitive; brackets and
 * ":port" are not stripped (the parsers do that). First match wins, each
 * rule over all hosts in inventory order before the next:
 *   1. ADDR is a host's inventory address; when several hosts share it
 *      (one machine, several entries), the one whose inventory name or
 *      myhostname is NAME, else the first of them;
 *   2. NAME is a host's inventory address;
 *   3. NAME is a host's inventory name;
 *   4. NAME is a host's myhostname. */
int	model_match_host(const struct model *m, const char *name,
	    const char *addr);
/* Same for a logged relay "NAME[ADDR]" (NAME is what precedes '[') and the
 * event's relay address. */
int	model_match_relay(const struct model *m, const char *relay,
	    const char *relay_addr);
const char *host_conn_name(enum host_conn c);
const char *host_role_name(enum host_role r);

#endif
