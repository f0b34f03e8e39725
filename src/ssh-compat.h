/* ssh-compat.h: what differs between the libssh2 releases relaytop builds
 * and runs with (1.10 on Debian 12, 1.11.1 on Debian 13), in one place:
 * build-time choices by LIBSSH2_VERSION_NUM, run-time ones by
 * libssh2_version(). Only the ssh-*.c files (and its unit test) include it. */
#ifndef RELAYTOP_SSH_COMPAT_H
#define RELAYTOP_SSH_COMPAT_H

#include <stddef.h>

#include <libssh2.h>

typedef LIBSSH2_RECV_FUNC((*ssh_compat_recv_fn));

/* Makes fn the session's socket receive function, through
 * libssh2_session_callback_set2 where the headers have it (1.11.1+, which
 * deprecates libssh2_session_callback_set). */
void	ssh_compat_set_recv(LIBSSH2_SESSION *s, ssh_compat_recv_fn fn);

/* "1.11.1" -> 0x010b01, the form of LIBSSH2_VERSION_NUM; 0 when s is NULL or
 * not MAJOR.MINOR[.PATCH] in decimal (each part below 256). */
unsigned long	ssh_compat_version_num(const char *s);

/* The version of the libssh2 this process runs with, as a number (0 when its
 * version string does not parse), and that string ("?" when none). */
unsigned long	ssh_compat_libssh2_num(void);
const char	*ssh_compat_libssh2_str(void);

/* Whether an RSA user key can sign in. libssh2 1.11+ signs with rsa-sha2:
 * WORKS. Older ones sign only ssh-rsa (SHA-1), which OpenSSH 8.8+ refuses by
 * default: REFUSED when the server's banner says OpenSSH 8.8 or later, WORKS
 * for an older OpenSSH, MAYBE for any other or unknown (NULL) banner.
 * lib is a LIBSSH2_VERSION_NUM; 0 (unknown) counts as older than 1.11. */
enum ssh_rsa { SSH_RSA_WORKS, SSH_RSA_REFUSED, SSH_RSA_MAYBE };
enum ssh_rsa	ssh_compat_rsa(unsigned long lib, const char *banner);

/* Writes the one-line reason and fix for an RSA key that is refused or
 * failed under the running libssh2 ("libssh2 1.10.0 signs RSA keys only with
 * ssh-rsa (SHA-1), ... use an ed25519 key ..."). Always NUL-terminates. */
void	ssh_compat_rsa_advice(char *buf, size_t size);

/* 1 when a public key blob (string key type, ...) is an RSA key or RSA
 * certificate; reads at most len bytes. */
int	ssh_compat_blob_is_rsa(const unsigned char *blob, size_t len);

#endif
