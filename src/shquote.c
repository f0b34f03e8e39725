/* shquote.c: single-quoting for remote POSIX sh commands and the strict
 * allowlist validators every value passes before it is quoted. A validator
 * accepts only what its kind needs; anything else (shell metacharacters,
 * spaces, quotes, control bytes, a leading '-') is refused. */
#include <arpa/inet.h>
#include <string.h>

#include "queue-id.h"
#include "shquote.h"

#define PATH_MAX_LEN	1023	/* CFG_PATH_MAX - 1 */
#define HOSTNAME_MAX	253
#define LABEL_MAX	63
#define USER_MAX	32
#define EMAIL_MAX	254
#define LOCAL_MAX	64
#define HOST_NAME_MAX_LEN 63	/* CFG_NAME_MAX - 1 */

int
shquote_append(char *dst, size_t dstlen, const char *value)
{
	size_t o, start;
	const char *p;

	if (dst == NULL || value == NULL || dstlen == 0)
		return -1;
	start = o = strnlen(dst, dstlen);
	if (o == dstlen)
		return -1;	/* dst not terminated */
	if (strchr(value, '\n') != NULL)
		return -1;

#define PUT(ch) do { if (o + 1 >= dstlen) goto full; dst[o++] = (ch); } \
	while (0)
	PUT('\'');
	for (p = value; *p != '\0'; p++) {
		if (*p == '\'') {
			PUT('\'');
			PUT('\\');
			PUT('\'');
			PUT('\'');
		} else
			PUT(*p);
	}
	PUT('\'');
#undef PUT
	dst[o] = '\0';
	return 0;
full:
	dst[start] = '\0';	/* leave dst as it was */
	return -1;
}

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

int
valid_path(const char *s)
{
	size_t i, n;

	if (s == NULL || s[0] != '/')
		return 0;
	n = strlen(s);
	if (n > PATH_MAX_LEN)
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (!is_alnum(c) && strchr("._/+-@:", c) == NULL)
			return 0;
	}
	return 1;
}

/* DNS name: dot-separated labels of [A-Za-z0-9-], no label starting or
 * ending with '-', one optional trailing dot. */
static int
valid_dns_name(const char *s)
{
	size_t n = strlen(s), i, label = 0;

	if (n == 0 || n > HOSTNAME_MAX + 1)
		return 0;
	if (s[n - 1] == '.')
		n--;
	if (n == 0 || n > HOSTNAME_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!is_alnum(c) && c != '-')
			return 0;
		if (c == '-' && label == 0)
			return 0;
		if (++label > LABEL_MAX)
			return 0;
	}
	return label > 0 && s[n - 1] != '-';
}

int
valid_hostname_or_addr(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];
	size_t i;
	int numeric = 1;

	if (s == NULL || s[0] == '\0' || strlen(s) > HOSTNAME_MAX)
		return 0;
	if (strchr(s, ':') != NULL)
		return inet_pton(AF_INET6, s, buf) == 1;
	for (i = 0; s[i] != '\0'; i++)
		if (!(s[i] >= '0' && s[i] <= '9') && s[i] != '.')
			numeric = 0;
	/* All digits and dots: it must be a real IPv4 literal. */
	if (numeric)
		return inet_pton(AF_INET, s, buf) == 1;
	return valid_dns_name(s);
}

int
valid_user(const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return 0;
	for (i = 1; s[i] != '\0'; i++) {
		int c = (unsigned char)s[i];

		if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') &&
		    c != '_' && c != '.' && c != '-')
			return 0;
		if (i >= USER_MAX)
			return 0;
	}
	return 1;
}

int
valid_email(const char *s)
{
	const char *at;
	size_t n, i, local;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if (n == 0 || n > EMAIL_MAX)
		return 0;
	if ((at = strchr(s, '@')) == NULL || strchr(at + 1, '@') != NULL)
		return 0;
	local = (size_t)(at - s);
	if (local == 0 || local > LOCAL_MAX)
		return 0;
	/* A leading '-' would read as an option to sendmail. */
	if (s[0] == '-' || s[0] == '.' || s[local - 1] == '.')
		return 0;
	for (i = 0; i < local; i++) {
		int c = (unsigned char)s[i];

		if (!is_alnum(c) && strchr("._+=-", c) == NULL)
			return 0;
		if (c == '.' && s[i + 1] == '.')
			return 0;
	}
	if (at[1] == '\0' || at[strlen(at) - 1] == '.')
		return 0;
	return valid_dns_name(at + 1);
}

int
valid_queue_id(const char *s)
{
	return s != NULL && queue_id_valid(s, strnlen(s, QUEUE_ID_MAX + 1));
}

int
valid_host_name(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || s[0] == '-' || s[0] == '.')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		int c = (unsigned char)s[i];

		if (!is_alnum(c) && c != '.' && c != '_' && c != '-')
			return 0;
		if (i >= HOST_NAME_MAX_LEN)
			return 0;
	}
	return 1;
}
