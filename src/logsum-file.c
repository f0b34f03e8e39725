/* logsum-file.c: runs the log summary over a file: one thread per part of
 * a regular file (split at newlines, pread() in fixed chunks, partial
 * summaries merged), or read() in chunks for a pipe. Memory is bounded. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logsum.h"

#define LOGSUM_THREADS_MAX	8
#define LOGSUM_CHUNK		(512u << 10)	/* read buffer: stays in L2 */

struct part {
	int	fd;
	off_t	off, end;	/* [off, end) of the file; end < 0: to EOF */
	struct logsum sum;
	int	rc, err;
};

/* Reads [off, end) (or to EOF with read() when end < 0: pipes) in chunks
 * into one buffer and feeds whole lines; memory stays LOGSUM_CHUNK however
 * big the file. A line longer than the buffer is cut: its head counts. */
static int
feed_fd(int fd, off_t off, off_t end, struct logsum *out)
{
	char *buf = malloc(LOGSUM_CHUNK), *nl, *start;
	size_t have = 0, want;
	ssize_t r;
	int skipping = 0;

	if (buf == NULL)
		return -1;
	for (;;) {
		want = LOGSUM_CHUNK - have;
		if (end >= 0 && (off_t)want > end - off)
			want = (size_t)(end - off);
		if (end < 0)
			r = read(fd, buf + have, want);
		else
			r = want == 0 ? 0 : pread(fd, buf + have, want, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -1;
		}
		off += r;
		if (r == 0) {
			if (have > 0 && !skipping)
				logsum_feed(out, buf, have);
			break;
		}
		have += (size_t)r;
		nl = memrchr(buf, '\n', have);
		if (nl == NULL) {
			if (have == LOGSUM_CHUNK) {
				if (!skipping)
					logsum_feed(out, buf, have);
				skipping = 1;
				have = 0;
			}
			continue;
		}
		start = buf;
		if (skipping) {
			start = (char *)memchr(buf, '\n', have) + 1;
			skipping = 0;
		}
		if (nl + 1 > start)
			logsum_feed(out, start, (size_t)(nl + 1 - start));
		have -= (size_t)(nl + 1 - buf);
		memmove(buf, nl + 1, have);
	}
	free(buf);
	return 0;
}

static void *
part_run(void *arg)
{
	struct part *pt = arg;

	pt->rc = feed_fd(pt->fd, pt->off, pt->end, &pt->sum);
	pt->err = errno;
	return NULL;
}

/* Offset of the first line that starts at or after off. */
static off_t
next_line(int fd, off_t off, off_t size)
{
	char buf[65536], *nl;
	ssize_t r;

	if (off <= 0)
		return 0;
	off--;		/* a line starting exactly at off follows a '\n' */
	while (off < size) {
		r = pread(fd, buf, sizeof buf, off);
		if (r <= 0)
			return size;
		nl = memchr(buf, '\n', (size_t)r);
		if (nl != NULL)
			return off + (nl - buf) + 1;
		off += r;
	}
	return size;
}

static int
sum_parts(int fd, off_t size, int nthreads, struct logsum *out)
{
	struct part parts[LOGSUM_THREADS_MAX];
	pthread_t tid[LOGSUM_THREADS_MAX];
	int started[LOGSUM_THREADS_MAX] = { 0 };
	off_t bounds[LOGSUM_THREADS_MAX + 1];
	int i, n = 0, rc = 0, err = 0;

	memset(parts, 0, sizeof parts);
	if (size < (off_t)(4u << 20))
		nthreads = 1;	/* threads cost more than they save */
	bounds[0] = 0;
	for (i = 1; i < nthreads; i++)
		bounds[i] = next_line(fd, size / nthreads * i, size);
	bounds[nthreads] = size;
	for (i = 0; i < nthreads; i++) {
		parts[i].fd = fd;
		parts[i].off = bounds[i];
		parts[i].end = bounds[i + 1] > bounds[i] ? bounds[i + 1] :
		    bounds[i];
		if (i == 0)
			parts[i].sum = *out;	/* already initialised */
		else if (logsum_init(&parts[i].sum, out->year_hint) < 0)
			break;
		n++;
	}
	if (n < nthreads) {
		for (i = 1; i < n; i++)
			logsum_free(&parts[i].sum);
		errno = ENOMEM;
		return -1;
	}
	for (i = 1; i < n; i++)
		started[i] = pthread_create(&tid[i], NULL, part_run,
		    &parts[i]) == 0;
	part_run(&parts[0]);
	for (i = 1; i < n; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			part_run(&parts[i]);	/* no thread: do it here */
	}
	*out = parts[0].sum;
	for (i = 0; i < n; i++) {
		if (parts[i].rc < 0 && rc == 0) {
			rc = -1;
			err = parts[i].err;
		}
		if (i > 0) {
			logsum_merge(out, &parts[i].sum);
			logsum_free(&parts[i].sum);
		}
	}
	if (rc < 0)
		errno = err;
	return rc;
}

int
logsum_file(const char *path, int nthreads, struct logsum *out)
{
	struct stat st;
	int fd, rc, saved;
	long ncpu;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return -1;
	}
	if (nthreads <= 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		nthreads = ncpu < 1 ? 1 : (int)ncpu;
	}
	if (nthreads > LOGSUM_THREADS_MAX)
		nthreads = LOGSUM_THREADS_MAX;
	if (S_ISREG(st.st_mode)) {
		(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		rc = sum_parts(fd, st.st_size, nthreads, out);
	} else
		rc = feed_fd(fd, 0, -1, out);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}
