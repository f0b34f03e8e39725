/* ssh-compat.c: the libssh2 version differences (see ssh-compat.h): the
 * receive callback's setter by the headers' version, and whether RSA user
 * keys can sign in by the running library's version and the server's. */
#include <stdio.h>
#include <string.h>

#include "ssh-compat.h"

void
ssh_compat_set_recv(LIBSSH2_SESSION *s, ssh_compat_recv_fn fn)
{
#if LIBSSH2_VERSION_NUM >= 0x010b01
	libssh2_session_callback_set2(s, LIBSSH2_CALLBACK_RECV,
	    (libssh2_cb_generic *)fn);
#else
	libssh2_session_callback_set(s, LIBSSH2_CALLBACK_RECV, (void *)fn);
#endif
}

/* Reads a decimal below 256 at *p; -1 when there is none. */
static int
part(const char **p)
{
	int v = 0, n = 0;

	for (; **p >= '0' && **p <= '9' && n < 4; (*p)++, n++)
		v = v * 10 + (**p - '0');
	return n == 0 || n == 4 || v > 255 ? -1 : v;
}

unsigned long
ssh_compat_version_num(const char *s)
{
	int maj, min, pat = 0;

	if (!s || (maj = part(&s)) < 0 || *s++ != '.' || (min = part(&s)) < 0)
		return 0;
	if (*s == '.' && (s++, (pat = part(&s)) < 0))
		return 0;
	/* A suffix such as "_DEV" or "-rc1" is allowed, a fourth number not. */
	if (*s == '.' || (*s >= '0' && *s <= '9'))
		return 0;
	return (unsigned long)maj << 16 | (unsigned long)min << 8 |
	    (unsigned long)pat;
}

const char *
ssh_compat_libssh2_str(void)
{
	const char *v = libssh2_version(0);

	return v ? v : "?";
}

unsigned long
ssh_compat_libssh2_num(void)
{
	return ssh_compat_version_num(libssh2_version(0));
}

enum ssh_rsa
ssh_compat_rsa(unsigned long lib, const char *banner)
{
	static const char ossh[] = "SSH-2.0-OpenSSH_";
	const char *p;
	int maj, min;

	if (lib >= 0x010b00)
		return SSH_RSA_WORKS;
	if (!banner || strncmp(banner, ossh, sizeof(ossh) - 1) != 0)
		return SSH_RSA_MAYBE;
	p = banner + sizeof(ossh) - 1;
	if ((maj = part(&p)) < 0 || *p++ != '.' || (min = part(&p)) < 0)
		return SSH_RSA_MAYBE;
	return maj > 8 || (maj == 8 && min >= 8) ? SSH_RSA_REFUSED :
	    SSH_RSA_WORKS;
}

void
ssh_compat_rsa_advice(char *buf, size_t size)
{
	snprintf(buf, size, "libssh2 %s signs RSA keys only with ssh-rsa "
	    "(SHA-1), which OpenSSH 8.8+ refuses: use an ed25519 key "
	    "(ssh-keygen -t ed25519), or libssh2 1.11+", ssh_compat_libssh2_str());
}

int
ssh_compat_blob_is_rsa(const unsigned char *blob, size_t len)
{
	static const char rsa[] = "ssh-rsa", cert[] = "ssh-rsa-cert-v01@openssh.com";
	size_t n;

	if (!blob || len < 4)
		return 0;
	n = (size_t)blob[0] << 24 | (size_t)blob[1] << 16 |
	    (size_t)blob[2] << 8 | blob[3];
	if (n > len - 4)
		return 0;
	return (n == sizeof(rsa) - 1 && memcmp(blob + 4, rsa, n) == 0) ||
	    (n == sizeof(cert) - 1 && memcmp(blob + 4, cert, n) == 0);
}
