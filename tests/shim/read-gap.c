/* read-gap.c: an LD_PRELOAD shim for one lab test (e2e-ssh-queued-data):
 * each libssh2 read of a channel's stderr first sleeps READ_GAP_MS
 * milliseconds (default 400). Bytes the host sends meanwhile then come in
 * while the transport is between its stdout and its stderr read: that
 * stderr read drains the socket into libssh2's queue, so poll() has
 * nothing left to report, and only a transport that looks into the queue
 * reads them before its deadline. Not linked into relaytop. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
#include <libssh2.h>

typedef ssize_t (*read_fn)(LIBSSH2_CHANNEL *, int, char *, size_t);

ssize_t
libssh2_channel_read_ex(LIBSSH2_CHANNEL *ch, int stream, char *buf,
    size_t len)
{
	static read_fn real;
	static long gap_ms = -1;
	struct timespec ts;
	void *sym;

	if (real == NULL) {
		sym = dlsym(RTLD_NEXT, "libssh2_channel_read_ex");
		if (sym == NULL)
			abort();
		*(void **)&real = sym;
	}
	if (gap_ms < 0) {
		const char *e = getenv("READ_GAP_MS");

		gap_ms = e != NULL ? atol(e) : 400;
	}
	if (stream != 0 && gap_ms > 0) {
		ts.tv_sec = gap_ms / 1000;
		ts.tv_nsec = gap_ms % 1000 * 1000000L;
		nanosleep(&ts, NULL);
	}
	return real(ch, stream, buf, len);
}
