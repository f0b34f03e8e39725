/* logsum-file.c: runs the log summary over a file: mmap and one thread per
 * part (split at newlines, partial summaries merged), or read() in chunks
 * when the file cannot be mapped (a pipe, /dev/stdin). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logsum.h"

#define LOGSUM_THREADS_MAX	8
#define LOGSUM_CHUNK		(4u << 20)	/* read() buffer */

struct part {
	const char *p;
	size_t	n;
	struct logsum sum;
	int	ok;
};

static void *
part_run(void *arg)
{
	struct part *pt = arg;

	logsum_feed(&pt->sum, pt->p, pt->n);
	return NULL;
}

/* Byte offset of the start of the line following off (or len). */
static size_t
next_line(const char *p, size_t len, size_t off)
{
	const char *nl;

	if (off == 0 || off >= len)
		return off >= len ? len : 0;
	nl = memchr(p + off - 1, '\n', len - (off - 1));
	return nl == NULL ? len : (size_t)(nl - p) + 1;
}

static int
sum_mapped(const char *map, size_t len, int nthreads, struct logsum *out)
{
	struct part parts[LOGSUM_THREADS_MAX];
	pthread_t tid[LOGSUM_THREADS_MAX];
	int started[LOGSUM_THREADS_MAX] = { 0 };
	size_t bounds[LOGSUM_THREADS_MAX + 1];
	int i, rc = 0;

	memset(parts, 0, sizeof parts);
	if (len < (1u << 20))
		nthreads = 1;	/* threads cost more than they save */
	bounds[0] = 0;
	for (i = 1; i < nthreads; i++)
		bounds[i] = next_line(map, len, len / (size_t)nthreads *
		    (size_t)i);
	bounds[nthreads] = len;
	for (i = 0; i < nthreads; i++) {
		parts[i].p = map + bounds[i];
		parts[i].n = bounds[i + 1] > bounds[i] ?
		    bounds[i + 1] - bounds[i] : 0;
		if (i == 0) {
			parts[i].sum = *out;	/* out is already initialised */
		} else if (logsum_init(&parts[i].sum, out->year_hint) < 0) {
			rc = -1;
			break;
		}
		parts[i].ok = 1;
	}
	for (i = 1; rc == 0 && i < nthreads; i++)
		started[i] = pthread_create(&tid[i], NULL, part_run,
		    &parts[i]) == 0;
	if (rc == 0)
		part_run(&parts[0]);
	for (i = 1; i < nthreads; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else if (rc == 0 && parts[i].ok)
			part_run(&parts[i]);	/* no thread: do it here */
	}
	*out = parts[0].sum;
	for (i = 1; i < nthreads; i++) {
		if (!parts[i].ok)
			continue;
		if (rc == 0)
			logsum_merge(out, &parts[i].sum);
		logsum_free(&parts[i].sum);
	}
	if (rc < 0)
		errno = ENOMEM;
	return rc;
}

static int
sum_read(int fd, struct logsum *out)
{
	char *buf = malloc(LOGSUM_CHUNK), *nl, *start;
	size_t have = 0;
	ssize_t r;
	int skipping = 0;

	if (buf == NULL)
		return -1;
	for (;;) {
		r = read(fd, buf + have, LOGSUM_CHUNK - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return -1;
		}
		if (r == 0) {
			if (have > 0 && !skipping)
				logsum_feed(out, buf, have);
			break;
		}
		have += (size_t)r;
		nl = memrchr(buf, '\n', have);
		if (nl == NULL) {
			if (have == LOGSUM_CHUNK) {
				/* A line longer than the buffer: its head is
				 * counted, the rest skipped. */
				if (!skipping)
					logsum_feed(out, buf, have);
				skipping = 1;
				have = 0;
			}
			continue;
		}
		start = buf;
		if (skipping) {
			start = memchr(buf, '\n', have) + 1;
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

int
logsum_file(const char *path, int nthreads, struct logsum *out)
{
	struct stat st;
	void *map;
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
	if (S_ISREG(st.st_mode) && st.st_size == 0) {
		close(fd);
		return 0;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size <= SIZE_MAX) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		    fd, 0);
		if (map != MAP_FAILED) {
			close(fd);
			(void)madvise(map, (size_t)st.st_size,
			    MADV_SEQUENTIAL | MADV_WILLNEED);
			rc = sum_mapped(map, (size_t)st.st_size, nthreads,
			    out);
			saved = errno;
			munmap(map, (size_t)st.st_size);
			errno = saved;
			return rc;
		}
	}
	rc = sum_read(fd, out);
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}
