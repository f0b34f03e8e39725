/* test-probe-local.h: what the tests that run the real probe script with
 * the local /bin/sh share: a temporary Postfix config directory, a file
 * appended to, and the programs an strace of the run shows started.
 * Include after <cmocka.h>. */
#ifndef RELAYTOP_TEST_PROBE_LOCAL_H
#define RELAYTOP_TEST_PROBE_LOCAL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

/* A temporary Postfix config directory for the script: mkdtemp(dir) with
 * an empty main.cf an hour old. Without one postconf fails, and a failing
 * postconf sleeps a second before it exits; a main.cf younger than a
 * second postconf reads again until it is a second old. */
static inline void
config_dir(char *dir)
{
	char cf[128];
	struct utimbuf ut = { time(NULL) - 3600, time(NULL) - 3600 };
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(cf, sizeof(cf), "%s/main.cf", dir);
	f = fopen(cf, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(utime(cf, &ut), 0);
}

/* Removes config_dir's directory (its main.cf; the caller the rest). */
static inline void
config_dir_remove(const char *dir)
{
	char cf[128];

	snprintf(cf, sizeof(cf), "%s/main.cf", dir);
	unlink(cf);
	assert_int_equal(rmdir(dir), 0);
}

/* Appends text to the file at path (made when missing). */
static inline void
append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* How many times the traced run started a program whose path ends in
 * prog (execve that worked). */
static inline int
execs(const char *trace, const char *prog)
{
	char line[4096];
	FILE *f = fopen(trace, "r");
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, "execve(\"") != NULL &&
		    strstr(line, prog) != NULL &&
		    strstr(line, ") = 0") != NULL)
			n++;
	fclose(f);
	return n;
}

#endif
