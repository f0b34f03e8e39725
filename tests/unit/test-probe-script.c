/* test-probe-script.c: the real probe script (src/remote/probe.sh) run by
 * the local /bin/sh on temporary files, one-shot and resident: the log
 * read once and in order through rotations, postconf's messages and the
 * programs it starts, counted by strace (the resident's own protocol:
 * test-probe-resident.c). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <utime.h>
#include <unistd.h>
#include <cmocka.h>

#include "probe.h"
#include "test-probe-local.h"

struct sim {
	char	dir[64], path[96];
	struct log_cursor cur;
	char	got[16384];
	size_t	ngot;
	size_t	cap;
	int	resident;	/* as the resident shell answers one request */
	const char *pcd;	/* Postfix config dir, NULL: dir (config_dir) */
	const char *trace;	/* run under strace -e execve into this file */
};

/* The resident shell's command with the request of a on its stdin (a
 * file in s->dir), for popen. */
static char *
resident_command(struct sim *s, const struct probe_args *a)
{
	char err[160], line[8192], req[128], *cmd, *full;
	size_t len;
	FILE *f;
	int n;

	n = probe_request_build(a, line, sizeof(line), err, sizeof(err));
	assert_true(n > 0);
	snprintf(req, sizeof(req), "%s/request", s->dir);
	f = fopen(req, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(line, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	cmd = probe_resident_command("", err, sizeof(err));
	assert_non_null(cmd);
	len = strlen(cmd) + strlen(req) + 8;
	full = malloc(len);
	assert_non_null(full);
	snprintf(full, len, "%s <%s", cmd, req);
	free(cmd);
	return full;
}

static char *
run_script(struct sim *s, size_t *len)
{
	struct probe_args a;
	char err[160], *cmd, *out;
	size_t cap = 1 << 20;
	FILE *f;

	memset(&a, 0, sizeof(a));
	memcpy(a.token, "0123456789abcdef0123456789abcdef", PROBE_TOKEN_LEN);
	a.maillog = s->path;
	a.postfix_config = s->pcd ? s->pcd : s->dir;	/* config_dir */
	a.cfg_stamp = "";
	a.cur_path = s->cur.path;
	a.cur_ino = s->cur.ino;
	a.cur_off = s->cur.off;
	a.cap = s->cap;
	a.first_bytes = 64;
	a.no_queue = 1;		/* no Postfix runs here: showq would fail */
	cmd = s->resident ? resident_command(s, &a) :
	    probe_script_build(&a, err, sizeof(err));
	assert_non_null(cmd);
	if (s->trace != NULL) {	/* the command from a file, under strace */
		char run[128], *full;
		size_t flen = strlen(s->trace) + 256;

		snprintf(run, sizeof(run), "%s/run.sh", s->dir);
		f = fopen(run, "w");
		assert_non_null(f);
		fputs(cmd, f);
		fclose(f);
		full = malloc(flen);
		assert_non_null(full);
		snprintf(full, flen, "strace -f -qq -e trace=execve -o %s "
		    "/bin/sh %s", s->trace, run);
		free(cmd);
		cmd = full;
	}
	f = popen(cmd, "r");
	assert_non_null(f);
	out = malloc(cap);
	assert_non_null(out);
	*len = fread(out, 1, cap - 1, f);
	assert_int_equal(pclose(f), 0);
	free(cmd);
	if (s->resident) {	/* the answer without its done marker */
		char mark[64];
		size_t n;

		probe_done_marker(a.token, mark, sizeof(mark));
		n = strlen(mark);
		assert_true(*len >= n);
		assert_memory_equal(out + *len - n, mark, n);
		*len -= n;
	}
	return out;
}

/* One refresh: runs the script and consumes its chunks like probe.c. */
static void
refresh(struct sim *s)
{
	struct probe_output o;
	size_t len, k;
	char *out = run_script(s, &len);

	assert_int_equal(probe_sections_split(out, len, "0123456789abcdef"
	    "0123456789abcdef", &o), 0);
	assert_true(o.complete);
	for (k = 0; k < o.n; k++) {
		const struct probe_section *sec = &o.v[k];
		struct log_chunk c;
		uint64_t base;
		char kind[8];
		size_t skip, n, lead;

		if (strcmp(sec->name, "log") != 0)
			continue;
		memset(&c, 0, sizeof(c));
		assert_int_equal(probe_section_arg(sec, "kind", kind,
		    sizeof(kind)), 0);
		c.kind = chunk_kind_parse(kind);
		assert_int_equal(probe_section_arg_u64(sec, "ino", &c.ino), 0);
		assert_int_equal(probe_section_arg_u64(sec, "start", &c.start), 0);
		assert_int_equal(probe_section_arg_u64(sec, "end", &c.end), 0);
		assert_int_equal(probe_section_arg_u64(sec, "fsize", &c.fsize), 0);
		assert_int_equal(probe_section_arg_u64(sec, "base", &base), 0);
		lead = (size_t)(c.start - base);
		c.data = sec->body + (lead < sec->body_len ? lead :
		    sec->body_len);
		c.len = lead < sec->body_len ? sec->body_len - lead : 0;
		assert_int_equal(log_cursor_take(&s->cur, s->path, &c,
		    s->cap, &skip, &n), 0);
		assert_true(s->ngot + n < sizeof(s->got));
		memcpy(s->got + s->ngot, c.data + skip, n);
		s->ngot += n;
	}
	s->got[s->ngot] = '\0';
	free(out);
}

static void
test_script_rotations(void **state)
{
	struct sim s;
	char old[128], want[4096];

	(void)state;
	memset(&s, 0, sizeof(s));
	snprintf(s.dir, sizeof(s.dir), "/tmp/rt-probe-log-XXXXXX");
	config_dir(s.dir);
	snprintf(s.path, sizeof(s.path), "%s/maillog", s.dir);
	s.cap = 1 << 20;

	/* first contact: only the last 64 bytes, from a line start */
	append(s.path, "old line that is not read 0000000000000000000000\n"
	    "l1 aaaaaaaaaaaaaaaaaaaaaaaaaaaa\nl2 bbbbbbbbbbbbbbbbbbbbbbbbbbbb\n");
	refresh(&s);
	assert_string_equal(s.got, "l2 bbbbbbbbbbbbbbbbbbbbbbbbbbbb\n");
	strcpy(want, s.got);

	/* appends, a partial line completed later */
	append(s.path, "l3\nl4 part");
	refresh(&s);
	append(s.path, "ial\n");
	refresh(&s);
	refresh(&s);			/* nothing new: nothing twice */
	strcat(want, "l3\nl4 partial\n");
	assert_string_equal(s.got, want);

	/* rename-and-create: lines written to the old file after the last
	 * refresh are read from maillog.1, found by inode */
	append(s.path, "l5 before rotation\n");
	snprintf(old, sizeof(old), "%s.1", s.path);
	assert_int_equal(rename(s.path, old), 0);
	append(old, "l6 late write to old\n");
	append(s.path, "l7 new file\n");
	refresh(&s);
	strcat(want, "l5 before rotation\nl6 late write to old\nl7 new file\n");
	assert_string_equal(s.got, want);

	/* truncated in place with only a stale rotated file around (older
	 * than 10 minutes): the file from 0, maillog.1 is not re-read */
	{
		struct utimbuf ut = { time(NULL) - 3600, time(NULL) - 3600 };

		assert_int_equal(utime(old, &ut), 0);
	}
	assert_int_equal(truncate(s.path, 0), 0);
	append(s.path, "l8\n");
	refresh(&s);
	strcat(want, "l8\n");
	assert_string_equal(s.got, want);

	/* copytruncate: lines written after the last refresh are read from
	 * the fresh copy (found by name, size >= the old offset), then the
	 * truncated file from 0 */
	{
		char cp[160], cmd[400];

		/* the cursor past the size the file regrows to: else the
		 * truncation looks like growth (the known limit) */
		append(s.path, "l8a 0123456789012345678901234567890123456789\n");
		refresh(&s);
		strcat(want, "l8a 0123456789012345678901234567890123456789\n");
		append(s.path, "l8b before copy\n");
		snprintf(cp, sizeof(cp), "%s-20261128", s.path);
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", s.path, cp);
		assert_int_equal(system(cmd), 0);
		assert_int_equal(truncate(s.path, 0), 0);
		append(s.path, "l8c after\n");
		refresh(&s);
		strcat(want, "l8b before copy\nl8c after\n");
		assert_string_equal(s.got, want);
		unlink(cp);
	}

	/* small cap: a big backlog comes over several refreshes, then a
	 * rotation whose old file is bigger than one read */
	s.cap = 16;
	append(s.path, "l9 xxxxxxx\nl10 yyyyyy\nl11 zzzzzz\n");
	assert_int_equal(rename(s.path, old), 0);
	append(s.path, "l12 new\n");
	refresh(&s);
	refresh(&s);
	refresh(&s);
	refresh(&s);
	strcat(want, "l9 xxxxxxx\nl10 yyyyyy\nl11 zzzzzz\nl12 new\n");
	assert_string_equal(s.got, want);

	/* old file gone (compressed away): the new file from 0 */
	s.cap = 1 << 20;
	append(s.path, "l13\n");
	refresh(&s);
	unlink(old);
	assert_int_equal(rename(s.path, old), 0);
	unlink(old);
	append(s.path, "l14\n");
	refresh(&s);
	strcat(want, "l13\nl14\n");
	assert_string_equal(s.got, want);

	unlink(s.path);
	config_dir_remove(s.dir);
}

/* First contact, the real script: a live file shorter than the first
 * bytes (64) with a rotation written in the last hour reads that
 * rotation's tail first (the newest of two), then the live file; a
 * rotation older than an hour is not read. */
static void
first_after_rotation(int resident)
{
	struct sim s;
	char r1[128], r2[128];
	struct utimbuf ut = { time(NULL) - 600, time(NULL) - 600 };

	memset(&s, 0, sizeof(s));
	s.resident = resident;
	snprintf(s.dir, sizeof(s.dir), "/tmp/rt-probe-prev-XXXXXX");
	config_dir(s.dir);
	snprintf(s.path, sizeof(s.path), "%s/maillog", s.dir);
	snprintf(r1, sizeof(r1), "%s-20261231", s.path);
	snprintf(r2, sizeof(r2), "%s-20270101", s.path);
	s.cap = 1 << 20;
	append(r1, "older rotation\n");
	assert_int_equal(utime(r1, &ut), 0);
	append(r2, "cut 0123456789012345678901234567890123456789\n"
	    "Dec 31 r1\nDec 31 r2\n");
	append(s.path, "Jan  1 l1\n");
	refresh(&s);
	assert_string_equal(s.got, "Dec 31 r1\nDec 31 r2\nJan  1 l1\n");
	append(s.path, "Jan  1 l2\n");
	refresh(&s);
	assert_string_equal(s.got, "Dec 31 r1\nDec 31 r2\nJan  1 l1\n"
	    "Jan  1 l2\n");
	/* a new first contact with the rotations over an hour old */
	ut.actime = ut.modtime = time(NULL) - 3700;
	assert_int_equal(utime(r1, &ut), 0);
	assert_int_equal(utime(r2, &ut), 0);
	memset(&s.cur, 0, sizeof(s.cur));
	s.ngot = 0;
	refresh(&s);
	assert_string_equal(s.got, "Jan  1 l1\nJan  1 l2\n");
	unlink(r1);
	unlink(r2);
	unlink(s.path);
	if (resident) {
		char req[128];

		snprintf(req, sizeof(req), "%s/request", s.dir);
		unlink(req);
	}
	config_dir_remove(s.dir);
}

static void
test_script_first_after_rotation(void **state)
{
	(void)state;
	first_after_rotation(0);
}

/* The same from the resident shell. Its first request has no time mark
 * yet (fd 7 comes with the second), so "now" comes from date, run only
 * once a rotation is there to age: a wrong "now" reads the rotation over
 * an hour old, or not the recent one. */
static void
test_resident_first_after_rotation(void **state)
{
	(void)state;
	first_after_rotation(1);
}

/* postconf runs once a full run, its stdout and stderr together (a fatal
 * error costs a second's sleep, so no second run for the message): its
 * own "postconf: ..." lines are never taken for settings. A config dir
 * with no master.cf makes it warn and succeed; one with no main.cf makes
 * it fail: the step then carries the fatal message, and no settings. */
static void
postconf_run(struct sim *s, int *rc, char *msg, size_t msglen, int *nset)
{
	struct probe_output o;
	const struct probe_section *set, *st;
	size_t len, i;
	char *out = run_script(s, &len);
	int k = -1;

	assert_int_equal(probe_sections_split(out, len, "0123456789abcdef"
	    "0123456789abcdef", &o), 0);
	assert_true(o.complete);
	set = probe_section_next(&o, "settings", &k);
	assert_non_null(set);
	assert_false(probe_section_has(set, "postconf:"));
	*nset = 0;
	for (i = 0; i + 2 <= set->body_len; i++)
		if (memcmp(set->body + i, " =", 2) == 0)
			(*nset)++;
	st = probe_section_step(&o, k, "settings", rc);
	assert_non_null(st);
	probe_section_first_line(st, msg, msglen);
	free(out);
}

static void
test_script_postconf_messages(void **state)
{
	struct sim s;
	char msg[256], none[128], trace[128];
	int rc = -1, nset = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	snprintf(s.dir, sizeof(s.dir), "/tmp/rt-probe-pc-XXXXXX");
	config_dir(s.dir);
	snprintf(s.path, sizeof(s.path), "%s/maillog", s.dir);
	append(s.path, "l1\n");
	s.cap = 1 << 20;
	postconf_run(&s, &rc, msg, sizeof(msg), &nset);
	assert_int_equal(rc, 0);
	assert_string_equal(msg, "");
	assert_true(nset >= 30);	/* every name asked for, defaults */

	snprintf(none, sizeof(none), "%s/none", s.dir);
	snprintf(trace, sizeof(trace), "%s/trace", s.dir);
	s.pcd = none;
	s.trace = trace;
	postconf_run(&s, &rc, msg, sizeof(msg), &nset);
	assert_int_not_equal(rc, 0);
	assert_int_equal(nset, 0);
	assert_non_null(strstr(msg, "postconf: fatal: "));
	assert_non_null(strstr(msg, none));
	assert_int_equal(execs(trace, "/postconf\""), 1);
	unlink(trace);
	snprintf(trace, sizeof(trace), "%s/run.sh", s.dir);
	unlink(trace);
	unlink(s.path);
	config_dir_remove(s.dir);
}

/* The script's master check (mr PID, on /proc/PID/status) run alone: a
 * running process named master passes; one that exited and that its
 * parent has not reaped (a zombie, still named master) does not, nor does
 * a running process of another name, nor a pid that is gone. The zombie's
 * parent is this test process, which waits for its exit with WNOWAIT and
 * reaps it only after the checks: a shell as the parent may reap a
 * finished background job between two commands (CI's did once). */
static void
test_master_check(void **state)
{
	char dir[64] = "/tmp/rt-probe-mr-XXXXXX", cmd[4096], fn[1024],
	    path[128], st[64];
	const char *sc = probe_script_text(), *b, *e;
	siginfo_t si;
	pid_t z;
	FILE *f;

	(void)state;
	signal(SIGCHLD, SIG_DFL);	/* an ignored SIGCHLD reaps at once */
	b = strstr(sc, "\nmr() {\n");
	assert_non_null(b);
	e = strstr(b + 1, "\n}\n");
	assert_non_null(e);
	assert_true((size_t)(e - b) + 3 < sizeof(fn));
	memcpy(fn, b + 1, (size_t)(e - b) + 2);
	fn[e - b + 2] = '\0';
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cd %s && cp /bin/sleep master && "
	    "mkdir z && cp /bin/true z/master && "
	    "cat >check.sh <<'EOS'\n%sEOS\n", dir, fn);
	assert_int_equal(system(cmd), 0);

	/* the zombie: z/master (true) run and exited, not reaped */
	snprintf(path, sizeof(path), "%s/z/master", dir);
	z = fork();
	assert_true(z >= 0);
	if (z == 0) {
		execl(path, "master", (char *)NULL);
		_exit(127);
	}
	memset(&si, 0, sizeof(si));
	assert_int_equal(waitid(P_PID, (id_t)z, &si, WEXITED | WNOWAIT), 0);
	assert_int_equal(si.si_code, CLD_EXITED);
	assert_int_equal(si.si_status, 0);	/* true ran, under its name */

	/* a running master, the zombie, a running sleep, no such pid (each
	 * run once it has its name: up to 10 s under load) */
	snprintf(cmd, sizeof(cmd), "cd %s || exit 1; "
	    "./master 30 & m=$!; /bin/sleep 30 & o=$!; i=0; "
	    "until grep -q '^Name:.master$' /proc/$m/status && "
	    "grep -q '^Name:.sleep$' /proc/$o/status || [ $i -ge 200 ]; "
	    "do /bin/sleep 0.05; i=$((i+1)); done; r=; "
	    "for p in $m %ld $o 999999999; do "
	    "if /bin/sh -c '. ./check.sh; mr $1' sh $p; then r=${r}1; "
	    "else r=${r}0; fi; done; kill $m $o 2>/dev/null; wait 2>/dev/null; "
	    "echo $r", dir, (long)z);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(fn, sizeof(fn), f));
	pclose(f);

	/* still a zombie named master after the checks */
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)z);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(st, sizeof(st), f));
	assert_string_equal(st, "Name:\tmaster\n");
	while (fgets(st, sizeof(st), f) != NULL && strncmp(st, "State:", 6))
		;
	fclose(f);
	assert_int_equal(strncmp(st, "State:\tZ", 8), 0);
	assert_int_equal(waitpid(z, NULL, 0), z);

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	assert_string_equal(fn, "1000\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_rotations),
		cmocka_unit_test(test_script_first_after_rotation),
		cmocka_unit_test(test_resident_first_after_rotation),
		cmocka_unit_test(test_script_postconf_messages),
		cmocka_unit_test(test_master_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
