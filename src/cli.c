/* cli.c: relaytop's command line: getopt_long into struct options, the
 * checks between options (one mode at a time, --to only with --test-send,
 * ...), and the --help text. Prints nothing and never exits: main does. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "parse-fields.h"
#include "sanitize.h"
#include "serve.h"
#include "shard.h"
#include "shquote.h"

enum {
	OPT_HOSTS = 256, OPT_ONCE, OPT_JSON, OPT_CHECK, OPT_LOG, OPT_TEST_SEND,
	OPT_TO, OPT_TIMEOUT, OPT_FLUSH, OPT_READ_ONLY, OPT_NO_COLOR,
	OPT_NO_MOUSE, OPT_ACCEPT_NEW, OPT_SUDOERS, OPT_YES,
	OPT_QUEUE, OPT_MATCH, OPT_ID, OPT_HOLD, OPT_RELEASE, OPT_REQUEUE,
	OPT_DELETE, OPT_DELIVER, OPT_DRY_RUN,
	OPT_SERVE, OPT_CONSOLE, OPT_SHARD, OPT_WEB_CONFIG
};

static const struct option longopts[] = {
	{ "hosts",	required_argument, NULL, OPT_HOSTS },
	{ "once",	no_argument,	   NULL, OPT_ONCE },
	{ "json",	no_argument,	   NULL, OPT_JSON },
	{ "check",	no_argument,	   NULL, OPT_CHECK },
	{ "log",	required_argument, NULL, OPT_LOG },
	{ "test-send",	required_argument, NULL, OPT_TEST_SEND },
	{ "to",		required_argument, NULL, OPT_TO },
	{ "timeout",	required_argument, NULL, OPT_TIMEOUT },
	{ "flush",	required_argument, NULL, OPT_FLUSH },
	{ "read-only",	no_argument,	   NULL, OPT_READ_ONLY },
	{ "no-color",	no_argument,	   NULL, OPT_NO_COLOR },
	{ "no-mouse",	no_argument,	   NULL, OPT_NO_MOUSE },
	{ "accept-new",	no_argument,	   NULL, OPT_ACCEPT_NEW },
	{ "sudoers",	no_argument,	   NULL, OPT_SUDOERS },
	{ "yes",	no_argument,	   NULL, OPT_YES },
	{ "queue",	required_argument, NULL, OPT_QUEUE },
	{ "match",	required_argument, NULL, OPT_MATCH },
	{ "id",		required_argument, NULL, OPT_ID },
	{ "hold",	no_argument,	   NULL, OPT_HOLD },
	{ "release",	no_argument,	   NULL, OPT_RELEASE },
	{ "requeue",	no_argument,	   NULL, OPT_REQUEUE },
	{ "delete",	no_argument,	   NULL, OPT_DELETE },
	{ "deliver",	no_argument,	   NULL, OPT_DELIVER },
	{ "dry-run",	no_argument,	   NULL, OPT_DRY_RUN },
	{ "serve",	required_argument, NULL, OPT_SERVE },
	{ "console",	no_argument,	   NULL, OPT_CONSOLE },
	{ "shard",	required_argument, NULL, OPT_SHARD },
	{ "web-config",	required_argument, NULL, OPT_WEB_CONFIG },
	{ "verbose",	no_argument,	   NULL, 'v' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static const char usage_text[] =
"Usage: relaytop [--hosts FILE] [OPTION]...\n"
"       relaytop --log FILE [--json]\n"
"Watch and act on a Postfix relay chain (origins -> relays) over SSH.\n"
"\n"
"Modes (one at a time; the default is the interactive console):\n"
"  --once               print one snapshot of every host as text and exit\n"
"  --json               print JSON instead of text: with --once (implied\n"
"                       when alone), --check, --log or --test-send\n"
"  --check              run the relay doctor; exit 0 OK, 1 warning,\n"
"                       2 critical, 3 unknown\n"
"  --log FILE           summarise a local maillog offline (no hosts file)\n"
"  --test-send ORIGIN   send a traced test mail from ORIGIN (or 'all'\n"
"                       origins) and follow it hop by hop; exit 0 only\n"
"                       when delivered end to end\n"
"  --flush HOST         flush the Postfix queue of HOST (or 'all')\n"
"  --queue HOST         list the queued messages of HOST (or 'all'), one a\n"
"                       line (--json: JSON lines); with --hold, --release,\n"
"                       --requeue, --delete or --deliver act on them\n"
"  --sudoers            print the sudoers rule for the hosts' logins (the\n"
"                       only commands relaytop runs as root) and exit\n"
"  --serve [ADDR:]PORT  no console: serve Prometheus metrics on\n"
"                       http://ADDR:PORT/metrics (ADDR 127.0.0.1 when\n"
"                       left out); with --console, beside the console\n"
"\n"
"Options:\n"
"  --hosts FILE         the inventory (default\n"
"                       $XDG_CONFIG_HOME/relaytop/hosts.ini)\n"
"  --to ADDR            recipient of --test-send (default: test_to)\n"
"  --timeout S          seconds to wait for the hosts (1..3600) in --once,\n"
"                       --check, --test-send or --flush\n"
"  --read-only          only look: no test mail, no flush\n"
"  --yes                go ahead with --test-send all or --flush all\n"
"                       without asking (they ask on a terminal and\n"
"                       refuse otherwise)\n"
"  --match EXPR         --queue: only messages matching EXPR (words, all\n"
"                       must match: text, /regex/, from: to: domain:\n"
"                       reason: queue: id:)\n"
"  --id ID[,ID]...      --queue HOST: only these queue ids (repeatable)\n"
"  --dry-run            --queue with an operation: say what it would touch\n"
"  --accept-new         add unknown host keys to known_hosts (changed keys\n"
"                       are still refused)\n"
"  --no-color           monochrome console (also when NO_COLOR is set)\n"
"  --no-mouse           no mouse in the console\n"
"  --console            keep the console with --serve\n"
"  --web-config FILE    TLS and basic auth for --serve (a Prometheus\n"
"                       exporter's web config: tls_server_config,\n"
"                       basic_auth_users)\n"
"  --shard K/N          watch only the hosts of shard K of N (a stable\n"
"                       hash of the host name); the others stay named\n"
"  -v, --verbose        more detail (repeat for more)\n"
"  -h, --help           print this help and exit\n"
"  -V, --version        print the version and exit\n"
"\n"
"Exit status: 0 success, 1 failure, 2 usage or inventory error.\n"
"See relaytop(1) for the hosts file, console keys and more.\n";

void
cli_usage(FILE *f)
{
	fputs(usage_text, f);
}

const char *
cli_default_hosts(char *buf, size_t len)
{
	const char *x = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (x != NULL && x[0] == '/')
		n = snprintf(buf, len, "%s/relaytop/hosts.ini", x);
	else if (home != NULL && home[0] == '/')
		n = snprintf(buf, len, "%s/.config/relaytop/hosts.ini", home);
	else
		return NULL;
	return n > 0 && (size_t)n < len ? buf : NULL;
}

static const char *
opt_name(int val)
{
	const struct option *lo;

	for (lo = longopts; lo->name != NULL; lo++)
		if (lo->val == val)
			return lo->name;
	return "?";
}

static enum cli_result
fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum cli_result
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return CLI_ERROR;
}

/* An argument echoed in a message: keep escapes off the terminal. */
static const char *
clean(const char *s, char *buf, size_t len)
{
	sanitize_copy(buf, len, s, strlen(s));
	return buf;
}

/* Takes mode m for option val; refuses a second, different mode. */
static int
set_mode(enum cli_mode *mode, int *mode_opt, enum cli_mode m, int val,
    char *err, size_t errlen)
{
	if (*mode != CLI_CONSOLE && *mode != m) {
		fail(err, errlen, "--%s and --%s cannot be used together",
		    opt_name(*mode_opt), opt_name(val));
		return -1;
	}
	*mode = m;
	*mode_opt = val;
	return 0;
}

/* Stores optarg in *slot; an option given twice is an error. */
static int
take(const char **slot, int val, char *err, size_t errlen)
{
	if (*slot != NULL) {
		fail(err, errlen, "--%s given twice", opt_name(val));
		return -1;
	}
	*slot = optarg;
	return 0;
}

/* The option that getopt refused, as typed, into buf. */
static void
bad_opt(int argc, char **argv, char *buf, size_t len)
{
	if (optopt > 0 && optopt < 256 && optopt != '?')
		snprintf(buf, len, "-%c", optopt);
	else if (optind - 1 >= 0 && optind - 1 < argc)
		snprintf(buf, len, "%s", argv[optind - 1]);
	else
		snprintf(buf, len, "?");
}

/* --serve (headless unless --console), --console and --shard against the
 * mode; *mode becomes CLI_SERVE for a headless --serve. */
static int
serve_check(struct options *o, enum cli_mode *mode, char *err,
    size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char cb[128];

	if (o->console && o->serve == NULL) {
		fail(err, errlen, "--console works with --serve (the console "
		    "is the default without it)");
		return -1;
	}
	if (o->web_config != NULL && (o->serve == NULL ||
	    o->web_config[0] == '\0')) {
		fail(err, errlen, "--web-config needs --serve and a file name");
		return -1;
	}
	if (o->serve != NULL) {
		if (*mode != CLI_CONSOLE) {
			fail(err, errlen, "--serve runs alone or with "
			    "--console, not with another mode");
			return -1;
		}
		if (serve_addr_parse(clean(o->serve, cb, sizeof(cb)), &ss,
		    &len, err, errlen) != 0)
			return -1;
		if (!o->console)
			*mode = CLI_SERVE;
	}
	if (o->shard_n > 0 && *mode != CLI_CONSOLE && *mode != CLI_SERVE &&
	    *mode != CLI_ONCE && *mode != CLI_CHECK) {
		fail(err, errlen, "--shard works with the console, --serve, "
		    "--once or --check");
		return -1;
	}
	return 0;
}

enum cli_result
cli_parse(int argc, char **argv, struct options *o, enum cli_mode *mode,
    char *err, size_t errlen)
{
	const char *nc = getenv("NO_COLOR");
	char buf[128], cb[128];
	int c, mode_opt = 0;

	memset(o, 0, sizeof(*o));
	*mode = CLI_CONSOLE;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (nc != NULL && nc[0] != '\0')
		o->no_color = 1;
	optind = 0;		/* glibc: full re-initialisation */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":vhV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_HOSTS:
			if (take(&o->hosts_path, c, err, errlen))
				return CLI_ERROR;
			break;
		case OPT_ONCE:
			if (set_mode(mode, &mode_opt, CLI_ONCE, c, err, errlen))
				return CLI_ERROR;
			o->once = 1;
			break;
		case OPT_JSON:
			o->json = 1;
			break;
		case OPT_CHECK:
			if (set_mode(mode, &mode_opt, CLI_CHECK, c, err, errlen))
				return CLI_ERROR;
			o->check = 1;
			break;
		case OPT_LOG:
			if (set_mode(mode, &mode_opt, CLI_LOG, c, err, errlen) ||
			    take(&o->log_path, c, err, errlen))
				return CLI_ERROR;
			break;
		case OPT_TEST_SEND:
			if (set_mode(mode, &mode_opt, CLI_TEST_SEND, c, err,
			    errlen) || take(&o->test_send, c, err, errlen))
				return CLI_ERROR;
			break;
		case OPT_FLUSH:
			if (set_mode(mode, &mode_opt, CLI_FLUSH, c, err, errlen) ||
			    take(&o->flush, c, err, errlen))
				return CLI_ERROR;
			break;
		case OPT_SUDOERS:
			if (set_mode(mode, &mode_opt, CLI_SUDOERS, c, err, errlen))
				return CLI_ERROR;
			break;
		case OPT_TO:
			if (take(&o->to, c, err, errlen))
				return CLI_ERROR;
			break;
		case OPT_TIMEOUT:
			if (pf_int_strict(optarg, 1, 3600, &o->timeout_s) != 0)
				return fail(err, errlen, "bad --timeout '%s' "
				    "(seconds, 1..3600)",
				    clean(optarg, cb, sizeof(cb)));
			break;
		case OPT_READ_ONLY:
			o->read_only = 1;
			break;
		case OPT_NO_COLOR:
			o->no_color = 1;
			break;
		case OPT_NO_MOUSE:
			o->no_mouse = 1;
			break;
		case OPT_ACCEPT_NEW:
			o->accept_new = 1;
			break;
		case OPT_YES:
			o->yes = 1;
			break;
		case OPT_QUEUE:
			if (set_mode(mode, &mode_opt, CLI_QUEUE, c, err, errlen) ||
			    take(&o->queue, c, err, errlen))
				return CLI_ERROR;
			break;
		case OPT_MATCH:
			if (take(&o->match, c, err, errlen))
				return CLI_ERROR;
			break;
		case OPT_ID:
			if (o->nids == OPT_IDS_MAX)
				return fail(err, errlen, "more than %d --id",
				    OPT_IDS_MAX);
			o->ids[o->nids++] = optarg;
			break;
		case OPT_HOLD: case OPT_RELEASE: case OPT_REQUEUE:
		case OPT_DELETE: case OPT_DELIVER:
			if (o->queue_op != 0)
				return fail(err, errlen, "one queue operation "
				    "at a time (--%s)", opt_name(c));
			o->queue_op = 1 + c - OPT_HOLD;	/* 1 + QOP_* */
			break;
		case OPT_DRY_RUN:
			o->dry_run = 1;
			break;
		case OPT_SERVE:
			if (take(&o->serve, c, err, errlen))
				return CLI_ERROR;
			break;
		case OPT_CONSOLE:
			o->console = 1;
			break;
		case OPT_WEB_CONFIG:
			if (take(&o->web_config, c, err, errlen))
				return CLI_ERROR;
			break;
		case OPT_SHARD:
			if (shard_parse(clean(optarg, cb, sizeof(cb)),
			    &o->shard_k, &o->shard_n, err, errlen) != 0)
				return CLI_ERROR;
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			return CLI_HELP;
		case 'V':
			return CLI_VERSION;
		case ':':
			return fail(err, errlen, "option '--%s' needs an "
			    "argument", opt_name(optopt));
		default:
			bad_opt(argc, argv, buf, sizeof(buf));
			return fail(err, errlen, "unknown option '%s'",
			    clean(buf, cb, sizeof(cb)));
		}
	}
	if (optind < argc)
		return fail(err, errlen, "unexpected argument '%s'",
		    clean(argv[optind], cb, sizeof(cb)));

	if (o->json) {
		if (*mode == CLI_CONSOLE) {
			*mode = CLI_ONCE;
			o->once = 1;
		} else if (*mode == CLI_FLUSH || *mode == CLI_SUDOERS ||
		    (*mode == CLI_QUEUE && o->queue_op != 0))
			return fail(err, errlen, "--json works with --once, "
			    "--check, --log or --test-send, not --%s",
			    opt_name(mode_opt));
	}
	if (serve_check(o, mode, err, errlen) != 0)
		return CLI_ERROR;
	if (cli_queue_check(o, *mode, err, errlen) != 0)
		return CLI_ERROR;
	if (o->log_path != NULL && o->log_path[0] == '\0')
		return fail(err, errlen, "--log needs a file name");
	if (o->hosts_path != NULL && o->hosts_path[0] == '\0')
		return fail(err, errlen, "--hosts needs a file name");
	if (o->to != NULL) {
		if (*mode != CLI_TEST_SEND)
			return fail(err, errlen, "--to needs --test-send");
		if (!valid_email(o->to))
			return fail(err, errlen, "bad --to '%s' (a plain "
			    "local@domain address)",
			    clean(o->to, cb, sizeof(cb)));
	}
	if (o->timeout_s != 0 && (*mode == CLI_CONSOLE || *mode == CLI_LOG ||
	    *mode == CLI_SUDOERS || *mode == CLI_SERVE))
		return fail(err, errlen, "--timeout works with --once, --check, "
		    "--test-send or --flush");
	if (o->yes && *mode != CLI_TEST_SEND && *mode != CLI_FLUSH &&
	    *mode != CLI_QUEUE)
		return fail(err, errlen, "--yes works with --test-send or "
		    "--flush");
	if (o->test_send != NULL && strcmp(o->test_send, "all") != 0 &&
	    !valid_host_name(o->test_send))
		return fail(err, errlen, "bad --test-send '%s' (a host of the "
		    "hosts file, or all)",
		    clean(o->test_send, cb, sizeof(cb)));
	if (o->flush != NULL && strcmp(o->flush, "all") != 0 &&
	    !valid_host_name(o->flush))
		return fail(err, errlen, "bad --flush '%s' (a host of the "
		    "hosts file, or all)", clean(o->flush, cb, sizeof(cb)));
	return CLI_RUN;
}
