/* test-knownhosts.c: the known_hosts reader against OpenSSH 9.2's rules,
 * without a server: a table of files (text with $ED, $OTHER, $EC, $RSA for
 * keys made with ssh-keygen, tests/data/knownhosts/ .pub files; hashed names made
 * with ssh-keygen -H) and presented keys, each with the verdict OpenSSH
 * gives; then the messy files, patterns, base64, appends, fingerprints. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "knownhosts.h"

#define KH	TEST_DATA "/knownhosts/"

struct key {
	char	line[2048];	/* "type base64" */
	unsigned char blob[1024];
	size_t	len;
};

static struct key ed, other, ec, rsa;

static void
load_key(const char *name, struct key *k)
{
	char path[512], *sp;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), KH "%s", name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(k->line, sizeof(k->line), f));
	fclose(f);
	sp = strchr(k->line, ' ');
	assert_non_null(sp);
	sp = strchr(sp + 1, ' ');	/* drop the comment */
	assert_non_null(sp);
	*sp = '\0';
	sp = strchr(k->line, ' ') + 1;
	n = kh_b64_decode(sp, strlen(sp), k->blob, sizeof(k->blob));
	assert_true(n > 32);
	k->len = (size_t)n;
}

static int
setup(void **state)
{
	(void)state;
	load_key("host_ed25519.pub", &ed);
	load_key("other_ed25519.pub", &other);
	load_key("host_ecdsa.pub", &ec);
	load_key("host_rsa.pub", &rsa);
	return 0;
}

/* text with $ED/$OTHER/$EC/$RSA replaced by "type base64" */
static void
expand(const char *text, char *out, size_t outlen)
{
	static const struct { const char *var; struct key *k; } vars[] = {
		{ "$ED", &ed }, { "$OTHER", &other }, { "$EC", &ec },
		{ "$RSA", &rsa },
	};
	size_t o = 0, i, n;
	const char *p = text;

	while (*p) {
		for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
			n = strlen(vars[i].var);
			if (strncmp(p, vars[i].var, n) == 0)
				break;
		}
		if (i < sizeof(vars) / sizeof(vars[0])) {
			n = strlen(vars[i].k->line);
			assert_true(o + n < outlen);
			memcpy(out + o, vars[i].k->line, n);
			o += n;
			p += strlen(vars[i].var);
		} else {
			assert_true(o + 1 < outlen);
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

static void
write_file(const char *path, const char *text)
{
	char buf[16384];
	FILE *f;

	expand(text, buf, sizeof(buf));
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, strlen(buf), f), strlen(buf));
	fclose(f);
}

#define H1	"|1|0+0scMHPokP5bUZ/GeuqsvUpjkI=|bKH9tFuw6SYC0XA2RN+YPQWJNsY="
#define H2	"|1|QlketYBz3Qxj4+4seoX+Ie3uYNk=|JzqAgzaCvh4JxQt6Txwm5Kj3a4s="

static const struct row {
	const char *what, *user, *global, *host;
	int	port;
	struct key *key;
	enum kh_result want;
} rows[] = {
	/* @revoked: refuses even with a plain line, and alone */
	{ "revoked + plain line", "@revoked * $ED\nrelay1.example.net $ED\n",
	    NULL, "relay1.example.net", 22, &ed, KH_REVOKED },
	{ "plain line + revoked", "relay1.example.net $ED\n"
	    "@revoked relay1.example.net $ED\n", NULL, "relay1.example.net",
	    22, &ed, KH_REVOKED },
	{ "lone revoked", "@revoked * $ED\n", NULL, "relay1.example.net", 22,
	    &ed, KH_REVOKED },
	{ "revoked for another host", "@revoked other.example.net $ED\n",
	    NULL, "relay1.example.net", 22, &ed, KH_NOTFOUND },
	{ "revoked another key", "@revoked * $OTHER\nrelay1.example.net $ED\n",
	    NULL, "relay1.example.net", 22, &ed, KH_MATCH },
	{ "revoked in the global file", "relay1.example.net $ED\n",
	    "@revoked *.example.net $ED\n", "relay1.example.net", 22, &ed,
	    KH_REVOKED },
	/* names in any case */
	{ "changed key, name in capitals", "relay1.example.net $OTHER\n",
	    NULL, "Relay1.Example.NET", 22, &ed, KH_MISMATCH },
	{ "capitals in the file", "RELAY1.Example.Net $ED\n", NULL,
	    "relay1.example.net", 22, &ed, KH_MATCH },
	/* patterns and negation */
	{ "star", "*.example.net $ED\n", NULL, "relay1.example.net", 22, &ed,
	    KH_MATCH },
	{ "star, changed key", "*.example.net $OTHER\n", NULL,
	    "Relay1.Example.NET", 22, &ed, KH_MISMATCH },
	{ "question mark", "relay?.example.net $ED\n", NULL,
	    "relay1.example.net", 22, &ed, KH_MATCH },
	{ "question mark needs one", "relay?.example.net $ED\n", NULL,
	    "relay.example.net", 22, &ed, KH_NOTFOUND },
	{ "negated", "*.example.net,!relay1.example.net $OTHER\n", NULL,
	    "relay1.example.net", 22, &ed, KH_NOTFOUND },
	{ "negated, order does not matter",
	    "!relay1.example.net,*.example.net $OTHER\n", NULL,
	    "relay1.example.net", 22, &ed, KH_NOTFOUND },
	{ "negated line, another line matches",
	    "*.example.net,!relay1.example.net $OTHER\nrelay1.example.net $ED\n",
	    NULL, "relay1.example.net", 22, &ed, KH_MATCH },
	{ "only a negation", "!bad.example.net $ED\n", NULL,
	    "relay1.example.net", 22, &ed, KH_NOTFOUND },
	{ "negated pattern", "*,!*.example.org $ED\n", NULL,
	    "relay1.example.net", 22, &ed, KH_MATCH },
	{ "list", "a.example.net,relay1.example.net,b $ED\n", NULL,
	    "relay1.example.net", 22, &ed, KH_MATCH },
	/* hashed names (ssh-keygen -H) */
	{ "hashed", H1 " $ED\n", NULL, "relay1.example.net", 22, &ed,
	    KH_MATCH },
	{ "hashed, capitals", H1 " $ED\n", NULL, "RELAY1.example.net", 22, &ed,
	    KH_MATCH },
	{ "hashed, changed", H1 " $OTHER\n", NULL, "relay1.example.net", 22,
	    &ed, KH_MISMATCH },
	{ "hashed, other host", H1 " $ED\n", NULL, "relay2.example.net", 22,
	    &ed, KH_NOTFOUND },
	{ "hashed with port", H2 " $ED\n", NULL, "relay1.example.net", 2222,
	    &ed, KH_MATCH },
	{ "hashed with port, port 22", H2 " $ED\n", NULL, "relay1.example.net",
	    22, &ed, KH_NOTFOUND },
	{ "hashed, broken salt", "|1|0+0scMHPokP5bUZ/Geuqsv|bKH9tFuw6SYC0XA2RN"
	    "+YPQWJNsY= $OTHER\nrelay1.example.net $ED\n", NULL,
	    "relay1.example.net", 22, &ed, KH_MATCH },
	{ "hashed, other magic", "|2|0+0scMHPokP5bUZ/GeuqsvUpjkI=|bKH9tFuw6SYC"
	    "0XA2RN+YPQWJNsY= $OTHER\n", NULL, "relay1.example.net", 22, &ed,
	    KH_NOTFOUND },
	{ "hashed revoked", "@revoked " H1 " $ED\nrelay1.example.net $ED\n",
	    NULL, "relay1.example.net", 22, &ed, KH_REVOKED },
	/* [host]:port */
	{ "port", "[relay1.example.net]:2222 $ED\n", NULL,
	    "relay1.example.net", 2222, &ed, KH_MATCH },
	{ "port line, port 22", "[relay1.example.net]:2222 $OTHER\n", NULL,
	    "relay1.example.net", 22, &ed, KH_NOTFOUND },
	{ "plain line, port 2222", "relay1.example.net $OTHER\n", NULL,
	    "relay1.example.net", 2222, &ed, KH_NOTFOUND },
	{ "[host]:22 is not host", "[relay1.example.net]:22 $ED\n", NULL,
	    "relay1.example.net", 22, &ed, KH_NOTFOUND },
	{ "port pattern", "[*.example.net]:* $ED\n", NULL,
	    "relay1.example.net", 2222, &ed, KH_MATCH },
	/* @cert-authority */
	{ "CA only", "@cert-authority *.example.net $EC\n", NULL,
	    "relay1.example.net", 22, &ed, KH_CA_ONLY },
	{ "CA and plain match", "@cert-authority *.example.net $EC\n"
	    "relay1.example.net $ED\n", NULL, "relay1.example.net", 22, &ed,
	    KH_MATCH },
	{ "CA and another key", "@cert-authority *.example.net $EC\n"
	    "relay1.example.net $OTHER\n", NULL, "relay1.example.net", 22, &ed,
	    KH_MISMATCH },
	{ "CA for another domain", "@cert-authority *.example.org $EC\n",
	    NULL, "relay1.example.net", 22, &ed, KH_NOTFOUND },
	{ "CA holding the very key", "@cert-authority * $ED\n", NULL,
	    "relay1.example.net", 22, &ed, KH_CA_ONLY },
	/* markers OpenSSH does not take: the line is skipped */
	{ "unknown marker", "@trusted * $ED\n", NULL, "relay1.example.net",
	    22, &ed, KH_NOTFOUND },
	{ "two markers", "@revoked @revoked * $ED\nrelay1.example.net $ED\n",
	    NULL, "relay1.example.net", 22, &ed, KH_MATCH },
	{ "marker ended by a tab", "@revoked\t*\t$ED\nrelay1.example.net $ED\n",
	    NULL, "relay1.example.net", 22, &ed, KH_MATCH },
	{ "marker alone", "@revoked\n", NULL, "relay1.example.net", 22, &ed,
	    KH_NOTFOUND },
	/* key types */
	{ "another type known: changed", "relay1.example.net $EC\n", NULL,
	    "relay1.example.net", 22, &ed, KH_MISMATCH },
	{ "ecdsa", "relay1.example.net $EC\n", NULL, "relay1.example.net", 22,
	    &ec, KH_MATCH },
	{ "rsa", "relay1.example.net $RSA\n", NULL, "relay1.example.net", 22,
	    &rsa, KH_MATCH },
	{ "short type name", "relay1.example.net ED25519 "
	    "AAAAC3NzaC1lZDI1NTE5AAAAINoevd39REI4eo/fk3emv2KjUuBVnEKch9xbvQ6pe9FV"
	    "\n", NULL, "relay1.example.net", 22, &ed, KH_MATCH },
	{ "type name not the blob's", "relay1.example.net ssh-rsa "
	    "AAAAC3NzaC1lZDI1NTE5AAAAINoevd39REI4eo/fk3emv2KjUuBVnEKch9xbvQ6pe9FV"
	    "\n", NULL, "relay1.example.net", 22, &ed, KH_NOTFOUND },
	{ "unknown type", "relay1.example.net ssh-foo AAAA\n", NULL,
	    "relay1.example.net", 22, &ed, KH_NOTFOUND },
	{ "truncated base64", "relay1.example.net ssh-ed25519 "
	    "AAAAC3NzaC1lZDI1NTE5AAAAINoevd39REI4eo/fk3emv2KjUuBVnEKch9xbvQ6pe9\n",
	    NULL, "relay1.example.net", 22, &ed, KH_NOTFOUND },
	{ "no key", "relay1.example.net\nrelay1.example.net ssh-ed25519\n",
	    NULL, "relay1.example.net", 22, &ed, KH_NOTFOUND },
	/* layout */
	{ "comments, blanks, indent", "# x\n\n   \n\t relay1.example.net\t $ED "
	    "a comment\n", NULL, "relay1.example.net", 22, &ed, KH_MATCH },
	{ "CRLF, no comment", "relay1.example.net $ED\r\n", NULL,
	    "relay1.example.net", 22, &ed, KH_MATCH },
	{ "CRLF after a comment", "relay1.example.net $ED c\r\n", NULL,
	    "relay1.example.net", 22, &ed, KH_MATCH },
	{ "no final newline", "relay1.example.net $ED", NULL,
	    "relay1.example.net", 22, &ed, KH_MATCH },
	/* the global file */
	{ "global only", "", "relay1.example.net $ED\n", "relay1.example.net",
	    22, &ed, KH_MATCH },
	{ "global changed", "", "relay1.example.net $OTHER\n",
	    "relay1.example.net", 22, &ed, KH_MISMATCH },
	{ "user changed, global matches", "relay1.example.net $OTHER\n",
	    "relay1.example.net $ED\n", "relay1.example.net", 22, &ed,
	    KH_MATCH },
	{ "IPv4", "172.16.1.11 $ED\n", NULL, "172.16.1.11", 22, &ed,
	    KH_MATCH },
	{ "IPv4 pattern", "172.16.1.* $OTHER\n", NULL, "172.16.1.11", 22, &ed,
	    KH_MISMATCH },
};

static void
test_table(void **state)
{
	char user[] = "/tmp/relaytop-kh-u-XXXXXX";
	char global[] = "/tmp/relaytop-kh-g-XXXXXX";
	const char *files[2] = { user, global };
	struct kh_verdict v;
	enum kh_result r;
	size_t i;
	int fd, bad = 0;

	(void)state;
	assert_true((fd = mkstemp(user)) >= 0);
	close(fd);
	assert_true((fd = mkstemp(global)) >= 0);
	close(fd);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		write_file(user, rows[i].user);
		write_file(global, rows[i].global ? rows[i].global : "");
		r = knownhosts_check(files, 2, rows[i].host, rows[i].port,
		    rows[i].key->blob, rows[i].key->len, &v);
		if (r != rows[i].want) {
			print_error("%s: got %d, want %d (%s)\n", rows[i].what,
			    r, rows[i].want, v.err);
			bad++;
		}
	}
	unlink(user);
	unlink(global);
	assert_int_equal(bad, 0);
}

static void
test_where_and_files(void **state)
{
	const char *files[2] = { KH "known_hosts_plain", KH "no-such-file" };
	const char *dir[1] = { KH };
	struct kh_verdict v;

	(void)state;
	assert_int_equal(knownhosts_check(files, 2, "172.16.1.11", 22, ed.blob,
	    ed.len, &v), KH_MATCH);
	assert_string_equal(v.where, KH "known_hosts_plain:2");
	assert_string_equal(v.type, "ssh-ed25519");
	assert_int_equal(knownhosts_check(files, 2, "172.16.1.13", 22,
	    other.blob, other.len, &v), KH_MISMATCH);
	assert_string_equal(v.where, KH "known_hosts_plain:4");
	/* the old files still read the same */
	files[0] = KH "known_hosts_hashed";
	assert_int_equal(knownhosts_check(files, 2, "172.16.1.12", 2222,
	    ec.blob, ec.len, &v), KH_MATCH);
	files[0] = KH "known_hosts_junk";
	assert_int_equal(knownhosts_check(files, 2, "172.16.1.11", 22,
	    other.blob, other.len, &v), KH_MISMATCH);
	/* a file that cannot be read refuses; an empty or missing name is
	 * no file */
	assert_int_equal(knownhosts_check(dir, 1, "172.16.1.11", 22, ed.blob,
	    ed.len, &v), KH_FAILURE);
	assert_non_null(strstr(v.err, "cannot read"));
	files[0] = "";
	files[1] = NULL;
	assert_int_equal(knownhosts_check(files, 2, "172.16.1.11", 22, ed.blob,
	    ed.len, &v), KH_NOTFOUND);
	/* a presented key that is no key */
	files[0] = KH "known_hosts_plain";
	assert_int_equal(knownhosts_check(files, 1, "172.16.1.11", 22,
	    ed.blob, ed.len - 1, &v), KH_FAILURE);
}

static void
test_types(void **state)
{
	char path[] = "/tmp/relaytop-kh-t-XXXXXX", types[128];
	const char *files[1] = { path };
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	write_file(path, "relay1.example.net $RSA\n*.example.net $EC\n"
	    "@cert-authority * $ED\n@revoked * $OTHER\n"
	    "!relay1.example.net $ED\n");
	knownhosts_types(files, 1, "Relay1.example.net", 22, types,
	    sizeof(types));
	assert_string_equal(types, "ecdsa-sha2-nistp256,ssh-rsa");
	knownhosts_types(files, 1, "relay1.example.net", 2222, types,
	    sizeof(types));
	assert_string_equal(types, "");
	knownhosts_types(files, 1, "x.example.net", 22, types, 12);
	assert_string_equal(types, "");	/* does not fit: nothing */
	unlink(path);
}

static void
test_long_and_nul_lines(void **state)
{
	char path[] = "/tmp/relaytop-kh-l-XXXXXX";
	const char *files[1] = { path };
	struct kh_verdict v;
	FILE *f;
	int fd, i;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	/* a line over KH_LINE_MAX is skipped whole, then reading goes on */
	fputs("relay1.example.net ", f);
	fputs(other.line, f);
	fputc(' ', f);
	for (i = 0; i < KH_LINE_MAX; i++)
		fputc('x', f);
	fputc('\n', f);
	/* a NUL ends the line where it is, as a C string would */
	fputs("relay1.example.net", f);
	fputc('\0', f);
	fputc(' ', f);
	fputs(other.line, f);
	fputc('\n', f);
	fprintf(f, "relay1.example.net %s\n", ed.line);
	fclose(f);
	assert_int_equal(knownhosts_check(files, 1, "relay1.example.net", 22,
	    ed.blob, ed.len, &v), KH_MATCH);
	unlink(path);
}

static void
test_patterns(void **state)
{
	char huge[1100];

	(void)state;
	assert_int_equal(kh_match_list("a.b", "a.b", 3), 1);
	assert_int_equal(kh_match_list("a.b", "A.B", 3), 1);
	assert_int_equal(kh_match_list("a.b", "*", 1), 1);
	assert_int_equal(kh_match_list("a.b", "!a.*", 4), -1);
	assert_int_equal(kh_match_list("a.b", "x,y", 3), 0);
	assert_int_equal(kh_match_list("a.b", "", 0), 0);
	assert_int_equal(kh_match_list("a.b", ",,a.b", 5), 1);
	assert_int_equal(kh_match_pattern("abcabd", 6, "*abd", 4), 1);
	assert_int_equal(kh_match_pattern("abcab", 5, "*abd", 4), 0);
	assert_int_equal(kh_match_pattern("ab", 2, "a**b*", 5), 1);
	assert_int_equal(kh_match_pattern("", 0, "*", 1), 1);
	assert_int_equal(kh_match_pattern("", 0, "?", 1), 0);
	assert_int_equal(kh_match_pattern("aaa", 3, "a?a", 3), 1);
	/* a pattern of 1023 bytes or more matches nothing, as OpenSSH */
	memset(huge, '*', sizeof(huge));
	assert_int_equal(kh_match_list("a.b", huge, 1022), 1);
	assert_int_equal(kh_match_list("a.b", huge, 1023), 0);
	assert_int_equal(kh_match_hashed("relay1.example.net", H1,
	    strlen(H1)), 1);
	assert_int_equal(kh_match_hashed("relay1.example.net", H1 "x",
	    strlen(H1) + 1), 0);
	assert_int_equal(kh_match_hashed("relay1.example.net", "|1|", 3), -1);
	assert_int_equal(kh_match_hashed("relay1.example.net", "|1|AAAA|x",
	    9), -1);
}

static void
test_base64(void **state)
{
	unsigned char out[16];
	char enc[16];

	(void)state;
	assert_int_equal(kh_b64_decode("YWJj", 4, out, sizeof(out)), 3);
	assert_memory_equal(out, "abc", 3);
	assert_int_equal(kh_b64_decode("YWI=", 4, out, sizeof(out)), 2);
	assert_int_equal(kh_b64_decode("YQ==", 4, out, sizeof(out)), 1);
	assert_int_equal(kh_b64_decode("YR==", 4, out, sizeof(out)), -1);
	assert_int_equal(kh_b64_decode("YWJ", 3, out, sizeof(out)), -1);
	assert_int_equal(kh_b64_decode("Y=Jj", 4, out, sizeof(out)), -1);
	assert_int_equal(kh_b64_decode("YQ==YWJj", 8, out, sizeof(out)), -1);
	/* white space is skipped, as b64_pton does (a CRLF line's \r) */
	assert_int_equal(kh_b64_decode("YW\rJj\r", 6, out, sizeof(out)), 3);
	assert_int_equal(kh_b64_decode("YQ= =", 5, out, sizeof(out)), 1);
	assert_int_equal(kh_b64_decode("YQ==\r", 5, out, sizeof(out)), 1);
	assert_int_equal(kh_b64_decode("YQ==x", 5, out, sizeof(out)), -1);
	assert_int_equal(kh_b64_decode("YWJjY", 5, out, sizeof(out)), -1);
	assert_int_equal(kh_b64_decode("YWJ=YWJj", 8, out, sizeof(out)), -1);
	assert_int_equal(kh_b64_decode("YWJjYWJj", 8, out, 5), -1);
	assert_int_equal(kh_b64_encode((const unsigned char *)"ab", 2, 1, enc,
	    sizeof(enc)), 4);
	assert_string_equal(enc, "YWI=");
	assert_int_equal(kh_b64_encode((const unsigned char *)"ab", 2, 0, enc,
	    sizeof(enc)), 3);
	assert_string_equal(enc, "YWI");
	assert_int_equal(kh_b64_encode((const unsigned char *)"abc", 3, 1, enc,
	    4), -1);
}

static void
test_fingerprint(void **state)
{
	char fp[64];

	(void)state;
	/* ssh-keygen -lf host_ed25519.pub / host_ecdsa.pub */
	knownhosts_fingerprint(ed.blob, ed.len, fp, sizeof(fp));
	assert_string_equal(fp,
	    "SHA256:jGeZhEf7kjonv4qw8tbnYK+HBXgW70kPizknYq4jBRM");
	knownhosts_fingerprint(ec.blob, ec.len, fp, sizeof(fp));
	assert_string_equal(fp,
	    "SHA256:8Q3htKJwAoIQwMm8JqmfRCoH22J7AIrJYB0xkR6EBFQ");
}

static void
test_append(void **state)
{
	char path[] = "/tmp/relaytop-kh-XXXXXX", err[256], buf[8192];
	char want[2200];
	const char *files[1] = { path };
	struct kh_verdict v;
	size_t n;
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	/* An existing last line without its newline stays intact. */
	assert_int_equal(write(fd, "# no newline", 12), 12);
	close(fd);
	assert_int_equal(knownhosts_check(files, 1, "172.16.1.11", 22, ed.blob,
	    ed.len, &v), KH_NOTFOUND);
	assert_int_equal(knownhosts_append(path, "172.16.1.11", 22, ed.blob,
	    ed.len, err, sizeof(err)), 0);
	assert_int_equal(knownhosts_append(path, "Relay1.Example.NET", 2222,
	    ec.blob, ec.len, err, sizeof(err)), 0);
	assert_int_equal(knownhosts_append(path, "172.16.1.12", 22, rsa.blob,
	    rsa.len, err, sizeof(err)), 0);
	assert_int_equal(knownhosts_check(files, 1, "172.16.1.11", 22, ed.blob,
	    ed.len, &v), KH_MATCH);
	assert_int_equal(knownhosts_check(files, 1, "relay1.example.net", 2222,
	    ec.blob, ec.len, &v), KH_MATCH);
	assert_int_equal(knownhosts_check(files, 1, "relay1.example.net", 22,
	    ec.blob, ec.len, &v), KH_NOTFOUND);
	assert_int_equal(knownhosts_check(files, 1, "172.16.1.12", 22,
	    rsa.blob, rsa.len, &v), KH_MATCH);
	/* a blob that is no key is never written */
	assert_int_equal(knownhosts_append(path, "172.16.1.13", 22, ed.blob,
	    ed.len - 1, err, sizeof(err)), -1);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	snprintf(want, sizeof(want), "# no newline\n172.16.1.11 %s "
	    "added-by-relaytop\n", ed.line);
	assert_non_null(strstr(buf, want));
	snprintf(want, sizeof(want), "\n[relay1.example.net]:2222 %s "
	    "added-by-relaytop\n", ec.line);
	assert_non_null(strstr(buf, want));
	assert_int_equal(buf[n - 1], '\n');
	unlink(path);
}

/* hosts.ini's global_known_hosts: a path, empty for none, else refused */
static void
test_config_key(void **state)
{
	char path[] = "/tmp/relaytop-kh-ini-XXXXXX", err[512];
	struct inventory inv;
	FILE *f;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs("[defaults]\nuser = relayop\nknown_hosts = /k/u\n"
	    "global_known_hosts = /k/g\n[a]\naddress = 10.0.0.1\n"
	    "[b]\naddress = 10.0.0.2\nglobal_known_hosts =\n", f);
	fclose(f);
	memset(&inv, 0, sizeof(inv));
	assert_int_equal(config_load(path, &inv, err, sizeof(err)), 0);
	assert_string_equal(inv.hosts[0].global_known_hosts, "/k/g");
	assert_string_equal(inv.hosts[1].global_known_hosts, "");
	config_free(&inv);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[a]\naddress = 10.0.0.1\nknown_hosts = /k/u\n"
	    "global_known_hosts = etc/ssh_known_hosts\n", f);
	fclose(f);
	memset(&inv, 0, sizeof(inv));
	assert_int_equal(config_load(path, &inv, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":4: "));
	assert_non_null(strstr(err, "global_known_hosts"));
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_where_and_files),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_long_and_nul_lines),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_fingerprint),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_config_key),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
