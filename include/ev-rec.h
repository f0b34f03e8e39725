/* ev-rec.h: one retained maillog event, compact: a 46-byte head of small
 * fixed fields, then every string of the event (sanitised, NUL-terminated)
 * and the delays when logged, packed after it in the same heap block and
 * reached through 16-bit offsets. Read the strings only through the rec_*
 * accessors below: each returns a pointer into the record, never NULL (""
 * when the event had none), valid as long as the record (model.h: until
 * the next model update). */
#ifndef RELAYTOP_EV_REC_H
#define RELAYTOP_EV_REC_H

#include <stdint.h>
#include <time.h>

#include "event.h"

/* The strings a record keeps, each cut to a cap (ev-rec.c). */
enum rec_str {
	RS_QID,			/* cut to 31 bytes */
	RS_QUEUED_AS,		/* cut to 31 bytes */
	RS_DSN,			/* cut to 11 bytes */
	RS_SASL,		/* EV_CLIENT's sasl_method */
	RS_TO,
	RS_RELAY,
	RS_RELAY_ADDR,
	RS_REASON,		/* EV_TLS: "TLSv1.3 with cipher C (256/256 bits)" */
	RS_CLIENT,		/* "name[addr]" as Postfix writes it */
	RS_MESSAGE_ID,
	RS_FROM,
	RS_TEXT,		/* only kinds whose meaning is in the text */
	RS_MAX
};

struct ev_rec {
	time_t	when;
	uint32_t pid;		/* the logging process; 0 unknown */
	uint16_t relay_port;
	uint8_t	kind;		/* enum ev_kind */
	uint8_t	status;		/* enum mail_status */
	uint8_t	tls;		/* enum tls_level (EV_TLS) */
	uint8_t	tls_in;		/* EV_TLS: 1 from a client, 0 to a relay */
	uint8_t	secfail;	/* enum sec_fail */
	uint16_t off[RS_MAX];	/* where each string starts in s; 0: "" */
	uint16_t delays_off;	/* where the delays are in s; 0: none */
	char	s[];		/* s[0] is '\0', then the strings */
};

/* A new record holding ev's fields and strings (sanitised, capped), one
 * malloc: the caller frees it with free(). NULL when out of memory. */
struct ev_rec *rec_new(const struct mail_event *ev);

/* The event's delay= and delays=a/b/c/d as logged (as floats); -1 each
 * when the line had none (a record keeps them only when logged). */
void	rec_delays(const struct ev_rec *r, float *delay, float delays[4]);

static inline const char *
rec_str(const struct ev_rec *r, enum rec_str k)
{
	return r->s + r->off[k];
}

/* The accessors by name. */
#define rec_qid(r)		rec_str((r), RS_QID)
#define rec_queued_as(r)	rec_str((r), RS_QUEUED_AS)
#define rec_dsn(r)		rec_str((r), RS_DSN)
#define rec_sasl(r)		rec_str((r), RS_SASL)
#define rec_to(r)		rec_str((r), RS_TO)
#define rec_relay(r)		rec_str((r), RS_RELAY)
#define rec_relay_addr(r)	rec_str((r), RS_RELAY_ADDR)
#define rec_reason(r)		rec_str((r), RS_REASON)
#define rec_client(r)		rec_str((r), RS_CLIENT)
#define rec_message_id(r)	rec_str((r), RS_MESSAGE_ID)
#define rec_from(r)		rec_str((r), RS_FROM)
#define rec_text(r)		rec_str((r), RS_TEXT)

#endif
