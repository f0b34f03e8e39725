/* shquote.h: validation and single-quoting of every value that goes into a
 * remote POSIX sh command. A value is first checked against the allowlist for
 * its kind, then single-quoted; nothing unchecked ever reaches a shell. */
#ifndef RELAYTOP_SHQUOTE_H
#define RELAYTOP_SHQUOTE_H

#include <stddef.h>

/* Appends 'value' single-quoted (with ' as '\'' ) to dst (NUL-terminated,
 * size dstlen). Returns 0, or -1 when it does not fit or value holds a NUL
 * or newline. */
int	shquote_append(char *dst, size_t dstlen, const char *value);

/* Validators: return 1 when acceptable. */
int	valid_path(const char *s);	/* absolute, [A-Za-z0-9._/+-@:] only */
int	valid_hostname_or_addr(const char *s);	/* DNS name, IPv4, IPv6 */
int	valid_user(const char *s);	/* [a-z_][a-z0-9_.-]*, <= 32 */
int	valid_email(const char *s);	/* local@domain, no quotes or shell
					 * metacharacters, <= 254 */
int	valid_queue_id(const char *s);	/* a Postfix queue id (queue-id.h) */
int	valid_host_name(const char *s);	/* inventory names: [A-Za-z0-9._-] */

#endif
