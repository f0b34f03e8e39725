/* probe-script.c: the probe's remote POSIX sh script (constant text) and
 * the command line that runs it with validated, single-quoted arguments.
 * The script's sections and their meaning are described in probe.h. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "probe.h"
#include "shquote.h"

/* Arguments: $1 token, $2 sudo (0/1), $3 postfix config dir or "", $4 log
 * path|auto|journal, $5 last config stamp, $6 queue format j|p, $7 queue
 * directory, $8 cursor path, $9 cursor inode, then cursor offset, read cap,
 * first-contact bytes, journal cursor, first-contact journal lines, master
 * "PID INODE.MTIME" last seen up or "". The
 * output: "@@RT-<token> begin <remote token>", then sections, each headed
 * by "\n@@RT-<token><remote token> NAME ARGS\n" (see probe-sections.c):
 * meta, settings (postconf -x: $names expanded) + postconf-n (only when the main.cf/master.cf stamp
 * changed), status ("pid=P mst=INODE.MTIME" of master.pid when up: given
 * back as $15, it lets the next run check /proc/P/comm without sudo while
 * master.pid is unchanged), logfile, log chunks (dd by 4 KiB blocks) or journal,
 * queue (postqueue -j, then -p when -j fails or is not wanted), end. Each
 * command's exit status and stderr follow it in a "step NAME rc=N" section. */
static const char script[] =
	"PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH; LC_ALL=C; export LC_ALL\n"
	"t=$1 su=$2 pcd=$3 lm=$4 ost=$5 qf=$6 qd=${7:-/var/spool/postfix} cp=$8 ci=$9\n"
	"shift 9\n"
	"co=$1 cap=$2 fb=$3 jc=$4 jn=$5 pk=$6\n"
	"exec 3>&1 </dev/null\n"
	"r=; for x in $(od -An -N12 -tx1 /dev/urandom 2>/dev/null); do r=$r$x; done\n"
	"printf \"@@RT-%s begin %s\\n\" \"$t\" \"$r\"\n"
	"H=\"@@RT-$t$r\"\n"
	"sec() { printf \"\\n%s %s\\n\" \"$H\" \"$*\"; }\n"
	"step() { printf \"\\n%s step %s rc=%s\\n%.1000s\" \"$H\" \"$1\" \"$2\" \"$3\"; }\n"
	"S() { if [ \"$su\" = 1 ]; then sudo -n \"$@\"; else \"$@\"; fi; }\n"
	"pc() { if [ -n \"$pcd\" ]; then postconf -c \"$pcd\" \"$@\"; else postconf \"$@\"; fi; }\n"
	"pq() { if [ -n \"$pcd\" ]; then postqueue -c \"$pcd\" \"$@\"; else postqueue \"$@\"; fi; }\n"
	"num() { case $1 in \"\"|*[!0-9]*) return 1;; esac; }\n"
	"zb() { z=; read -r z </proc/$1/stat 2>/dev/null || return 1; z=${z##*) }; case $z in Z*) return 0;; esac; return 1; }\n"
	"cfd=${pcd:-/etc/postfix}\n"
	"st=; for x in $(stat -L -c \"%Y.%s.%i\" \"$cfd/main.cf\" \"$cfd/master.cf\" 2>/dev/null); do st=\"$st$x \"; done\n"
	"np=0; command -v postconf >/dev/null 2>&1 || np=1\n"
	"sec meta\n"
	"printf \"stamp=%s\\nnopostfix=%s\\n\" \"$st\" \"$np\"\n"
	"mf=\n"
	"if [ \"$np\" = 0 ] && { [ -z \"$ost\" ] || [ \"$st\" != \"$ost\" ]; }; then\n"
	"\tN=\"myhostname mydomain myorigin mydestination inet_interfaces inet_protocols mynetworks relayhost smtp_fallback_relay relay_domains smtpd_relay_restrictions default_transport transport_maps sender_dependent_relayhost_maps maillog_file syslog_name mail_version queue_directory\"\n"
	"\tsec settings\n"
	"\ts=$(pc -x $N 2>/dev/null); rc=$?\n"
	"\te=; [ $rc -ne 0 ] && e=$(pc -x $N 2>&1 >/dev/null)\n"
	"\tprintf \"%s\\n\" \"$s\"\n"
	"\tstep settings $rc \"$e\"\n"
	"\tmf=$(printf \"%s\\n\" \"$s\" | sed -n \"s/^maillog_file = //p\")\n"
	"\tsec postconf-n\n"
	"\te=$(sed -n \"s/^\\([A-Za-z0-9_]*\\)[ \t]*=.*/\\1 =/p\" \"$cfd/main.cf\" 2>&1 >&3 3>&-); step postconf-n $? \"$e\"\n"
	"fi\n"
	"pr=1\n"
	"if [ \"$np\" = 0 ]; then\n"
	"\tms=$(stat -c \"%i.%Y\" \"$qd/pid/master.pid\" 2>/dev/null) || ms=\n"
	"\tp=${pk% *}; c=\n"
	"\tif [ -n \"$pk\" ] && [ -n \"$ms\" ] && [ \"${pk#* }\" = \"$ms\" ] && num \"$p\" && [ -r /proc/$p/comm ]; then read -r c </proc/$p/comm || c=; fi\n"
	"\tif [ \"$c\" = master ] && ! zb \"$p\"; then rc=0; e=\n"
	"\telse\n"
	"\te=$(S cat \"$qd/pid/master.pid\" 2>&1); rc=$?\n"
	"\tp=; for x in $e; do p=$x; break; done\n"
	"\tif [ $rc -eq 0 ] && num \"$p\"; then\n"
	"\t\tc=; if [ -r /proc/$p/comm ]; then read -r c </proc/$p/comm; else c=$(ps -p \"$p\" -o comm= 2>/dev/null); fi\n"
	"\t\tif [ \"$c\" = master ] && ! zb \"$p\"; then e=\n"
	"\t\telse rc=1; e=\"master (pid $p) is not running\"; fi\n"
	"\telif [ -e \"$qd/pid/master.pid\" ] && ps -e -o comm= 2>/dev/null | grep -qx master; then\n"
	"\t\trc=0; p=\n"
	"\tfi\n"
	"\tfi\n"
	"\tif [ $rc -eq 0 ] && num \"$p\" && [ -n \"$ms\" ]; then sec status pid=$p mst=$ms; else sec status; fi\n"
	"\tstep status $rc \"$e\"\n"
	"\t[ $rc -eq 0 ] || pr=0\n"
	"fi\n"
	"lp=$lm\n"
	"if [ \"$lm\" = auto ]; then\n"
	"\tcase $mf in /dev/*) mf= ;; esac\n"
	"\tif [ -n \"$mf\" ]; then lp=$mf\n"
	"\telif [ -e /var/log/maillog ]; then lp=/var/log/maillog\n"
	"\telif [ -e /var/log/mail.log ]; then lp=/var/log/mail.log\n"
	"\telif command -v journalctl >/dev/null 2>&1; then lp=journal\n"
	"\telse lp=; fi\n"
	"fi\n"
	"rd() {\n"
	"\tb=$(($3 / 4096)); n=$((($4 + 4095) / 4096 - b))\n"
	"\tsec log kind=$1 ino=$2 start=$3 end=$4 fsize=$5 base=$((b * 4096))\n"
	"\trc=0; e=\n"
	"\tif [ $n -gt 0 ]; then\n"
	"\t\te=$(S dd if=\"$6\" bs=4096 skip=$b count=$n 2>&1 >&3 3>&-); rc=$?\n"
	"\tfi\n"
	"\tstep logread $rc \"$e\"\n"
	"}\n"
	"if [ -z \"$lp\" ]; then\n"
	"\tsec nolog\n"
	"elif [ \"$lp\" = journal ]; then\n"
	"\tsec journal\n"
	"\tif [ -n \"$jc\" ]; then\n"
	"\t\te=$(S journalctl --no-pager -q -o short --show-cursor -u \"postfix*\" --after-cursor=\"$jc\" 2>&1 >&3 3>&-)\n"
	"\telse\n"
	"\t\te=$(S journalctl --no-pager -q -o short --show-cursor -u \"postfix*\" -n \"$jn\" 2>&1 >&3 3>&-)\n"
	"\tfi\n"
	"\tstep journal $? \"$e\"\n"
	"else\n"
	"\tx=$(stat -L -c \"%i %s\" \"$lp\" 2>&1); rc=$?\n"
	"\tif [ $rc -ne 0 ] && [ \"$su\" = 1 ]; then x=$(sudo -n stat -L -c \"%i %s\" \"$lp\" 2>&1); rc=$?; fi\n"
	"\tino=${x% *}; sz=${x#* }\n"
	"\tif [ $rc -ne 0 ] || ! num \"$ino\" || ! num \"$sz\"; then\n"
	"\t\tsec logfile\n"
	"\t\tprintf \"%s\" \"$lp\"\n"
	"\t\tstep logstat $((rc ? rc : 1)) \"$x\"\n"
	"\telse\n"
	"\t\tsec logfile ino=$ino size=$sz\n"
	"\t\tprintf \"%s\" \"$lp\"\n"
	"\t\tif [ \"$cp\" != \"$lp\" ] || [ -z \"$ci\" ]; then\n"
	"\t\t\trd first $ino $((sz > fb ? sz - fb : 0)) $sz $sz \"$lp\"\n"
	"\t\telif [ \"$ino\" = \"$ci\" ]; then\n"
	"\t\t\tif [ \"$sz\" -lt \"$co\" ]; then\n"
	"\t\t\t\told=; osz=; om=; e2=; left=$cap; now=$(date +%s)\n"
	"\t\t\t\tfor f in \"$lp\".* \"$lp\"-*; do\n"
	"\t\t\t\t\tcase $f in *.gz|*.bz2|*.xz|*.zst|*.Z|*.lz*) continue;; esac\n"
	"\t\t\t\t\t[ -f \"$f\" ] || continue\n"
	"\t\t\t\t\ty=$(stat -L -c \"%Y %s\" \"$f\" 2>/dev/null) || y=$(S stat -L -c \"%Y %s\" \"$f\" 2>/dev/null) || continue\n"
	"\t\t\t\t\tif num \"${y% *}\" && num \"${y#* }\" && [ \"${y#* }\" -ge \"$co\" ] && [ \"${y% *}\" -ge $((now - 600)) ] && { [ -z \"$om\" ] || [ \"${y% *}\" -gt \"$om\" ]; }; then\n"
	"\t\t\t\t\t\told=$f; om=${y% *}; osz=${y#* }\n"
	"\t\t\t\t\tfi\n"
	"\t\t\t\tdone\n"
	"\t\t\t\tif [ -n \"$old\" ] && [ \"$osz\" -gt \"$co\" ]; then\n"
	"\t\t\t\t\te2=$((osz - co < cap ? osz : co + cap))\n"
	"\t\t\t\t\trd old $ci $co $e2 $osz \"$old\"\n"
	"\t\t\t\t\tleft=$((cap - (e2 - co)))\n"
	"\t\t\t\tfi\n"
	"\t\t\t\tif [ -z \"$old\" ] || [ \"$osz\" -le \"$co\" ] || [ \"$e2\" = \"$osz\" ]; then\n"
	"\t\t\t\t\trd trunc $ino 0 $((sz < left ? sz : left)) $sz \"$lp\"\n"
	"\t\t\t\tfi\n"
	"\t\t\telif [ \"$sz\" -gt \"$co\" ]; then\n"
	"\t\t\t\trd cur $ino $co $((sz - co < cap ? sz : co + cap)) $sz \"$lp\"\n"
	"\t\t\tfi\n"
	"\t\telse\n"
	"\t\t\told=; osz=; e2=; left=$cap\n"
	"\t\t\tfor f in \"$lp\".* \"$lp\"-*; do\n"
	"\t\t\t\t[ -f \"$f\" ] || continue\n"
	"\t\t\t\ty=$(S stat -L -c \"%i %s\" \"$f\" 2>/dev/null) || continue\n"
	"\t\t\t\tif [ \"${y% *}\" = \"$ci\" ] && num \"${y#* }\"; then\n"
	"\t\t\t\t\told=$f; osz=${y#* }; break\n"
	"\t\t\t\tfi\n"
	"\t\t\tdone\n"
	"\t\t\tif [ -z \"$old\" ]; then\n"
	"\t\t\t\tsec lost ino=$ci\n"
	"\t\t\telif [ \"$osz\" -gt \"$co\" ]; then\n"
	"\t\t\t\te2=$((osz - co < cap ? osz : co + cap))\n"
	"\t\t\t\trd old $ci $co $e2 $osz \"$old\"\n"
	"\t\t\t\tleft=$((cap - (e2 - co)))\n"
	"\t\t\tfi\n"
	"\t\t\tif [ -z \"$old\" ] || [ \"$osz\" -le \"$co\" ] || [ \"$e2\" = \"$osz\" ]; then\n"
	"\t\t\t\trd new $ino 0 $((sz < left ? sz : left)) $sz \"$lp\"\n"
	"\t\t\tfi\n"
	"\t\tfi\n"
	"\tfi\n"
	"fi\n"
	"if [ \"$np\" = 0 ] && [ \"$pr\" = 0 ]; then\n"
	"\tsec queue-skipped\n"
	"elif [ \"$np\" = 0 ]; then\n"
	"\trc=1\n"
	"\tif [ \"$qf\" = j ]; then\n"
	"\t\tsec queue fmt=j\n"
	"\t\te=$(pq -j 2>&1 >&3 3>&-); rc=$?\n"
	"\t\tstep queue $rc \"$e\"\n"
	"\tfi\n"
	"\tif [ $rc -ne 0 ]; then\n"
	"\t\tsec queue fmt=p\n"
	"\t\te=$(pq -p 2>&1 >&3 3>&-); rc=$?\n"
	"\t\tstep queue $rc \"$e\"\n"
	"\tfi\n"
	"fi\n"
	"sec end\n";

const char *
probe_script_text(void)
{
	return script;
}

void
probe_token_new(char *buf)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[PROBE_TOKEN_LEN / 2];
	size_t i, got = 0;

	while (got < sizeof(raw)) {
		ssize_t r = getrandom(raw + got, sizeof(raw) - got, 0);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got < sizeof(raw)) {
		int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			ssize_t r = read(fd, raw + got, sizeof(raw) - got);

			if (r > 0)
				got += (size_t)r;
			close(fd);
		}
	}
	/* never a predictable token: without entropy, mix time and pid */
	for (i = got; i < sizeof(raw); i++)
		raw[i] = (unsigned char)((uintptr_t)&raw ^ (unsigned)getpid() ^
		    (unsigned)clock_ms() ^ (i * 131));
	for (i = 0; i < sizeof(raw); i++) {
		buf[2 * i] = hex[raw[i] >> 4];
		buf[2 * i + 1] = hex[raw[i] & 15];
	}
	buf[PROBE_TOKEN_LEN] = '\0';
}

/* The log path to ask for: the configured one, or Postfix's maillog_file
 * once settings are known, or the file found before, or "auto" (the script
 * decides). Staying on one file keeps the cursor meaningful. */
static const char *
log_wanted(const struct host *h, const struct log_cursor *cur)
{
	const char *c = h->cfg->maillog, *mf;

	if (strcmp(c, "journal") == 0 || (c[0] == '/' && valid_path(c)))
		return c;
	mf = host_setting(h, "maillog_file");
	if (mf[0] == '/' && strncmp(mf, "/dev/", 5) != 0 && valid_path(mf))
		return mf;
	if (cur->path[0] != '\0' && valid_path(cur->path))
		return cur->path;
	return "auto";
}

/* mail_version below 3.1 has no postqueue -j. */
static int
version_wants_text(const char *v)
{
	int maj = 0, min = 0;

	if (sscanf(v, "%d.%d", &maj, &min) != 2)
		return 0;
	return maj < 3 || (maj == 3 && min < 1);
}

void
probe_args_fill(struct probe_args *a, const struct host *h, const char *token,
    const char *stamp, const struct log_cursor *cur, const char *jcursor,
    int queue_text)
{
	const char *qd = host_setting(h, "queue_directory");

	memset(a, 0, sizeof(*a));
	snprintf(a->token, sizeof(a->token), "%s", token);
	a->sudo = h->cfg->sudo;
	a->postfix_config = h->cfg->postfix_config;
	a->maillog = log_wanted(h, cur);
	a->cfg_stamp = h->settings_valid ? stamp : "";
	a->queue_text = queue_text || version_wants_text(h->mail_version);
	a->queue_dir = valid_path(qd) ? qd : "";
	a->cur_path = cur->path;
	a->cur_ino = cur->ino;
	a->cur_off = cur->off;
	a->journal_cursor = jcursor;
}

static int
only_chars(const char *s, const char *allowed, size_t max)
{
	size_t n = strlen(s);

	return n <= max && strspn(s, allowed) == n;
}

int
probe_valid_stamp(const char *s)
{
	return only_chars(s, "0123456789. ", 120);
}

int
probe_valid_journal_cursor(const char *s)
{
	return only_chars(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=;_-", 255);
}

static int
token_ok(const char *t)
{
	return strlen(t) == PROBE_TOKEN_LEN &&
	    only_chars(t, "0123456789abcdef", PROBE_TOKEN_LEN);
}

static int
path_or_empty(const char *s)
{
	return s == NULL || s[0] == '\0' || valid_path(s);
}

/* Appends " 'value'"; -1 when it does not fit. */
static int
arg_add(char *dst, size_t len, const char *value)
{
	size_t n = strlen(dst);

	if (n + 2 >= len)
		return -1;
	dst[n] = ' ';
	dst[n + 1] = '\0';
	return shquote_append(dst, len, value ? value : "");
}

static int
arg_num(char *dst, size_t len, unsigned long long v)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", v);
	return arg_add(dst, len, num);
}

char *
probe_script_build(const struct probe_args *a, char *err, size_t errlen)
{
	const char *what = NULL, *lm = a->maillog ? a->maillog : "auto";
	size_t len;
	char *cmd;
	int rc = 0;

	if (!token_ok(a->token))
		what = "token";
	else if (!path_or_empty(a->postfix_config))
		what = "postfix_config";
	else if (strcmp(lm, "auto") != 0 && strcmp(lm, "journal") != 0 &&
	    !valid_path(lm))
		what = "maillog";
	else if (a->cfg_stamp && !probe_valid_stamp(a->cfg_stamp))
		what = "config stamp";
	else if (!path_or_empty(a->queue_dir))
		what = "queue_directory";
	else if (!path_or_empty(a->cur_path))
		what = "log cursor path";
	else if (a->journal_cursor &&
	    !probe_valid_journal_cursor(a->journal_cursor))
		what = "journal cursor";
	else if (a->master && !probe_valid_stamp(a->master))
		what = "master pid";
	if (what != NULL) {
		snprintf(err, errlen, "probe: invalid %s", what);
		return NULL;
	}
	if (strchr(script, '\'') != NULL) {
		snprintf(err, errlen, "probe: script holds a quote");
		return NULL;
	}
	len = sizeof(script) + 64 + 16 * 4 + 2 * 1100 + 4 * 300;
	cmd = malloc(len);
	if (cmd == NULL) {
		snprintf(err, errlen, "probe: out of memory");
		return NULL;
	}
	snprintf(cmd, len, "/bin/sh -c '%s' relaytop-probe", script);
	rc |= arg_add(cmd, len, a->token);
	rc |= arg_add(cmd, len, a->sudo ? "1" : "0");
	rc |= arg_add(cmd, len, a->postfix_config);
	rc |= arg_add(cmd, len, lm);
	rc |= arg_add(cmd, len, a->cfg_stamp);
	rc |= arg_add(cmd, len, a->queue_text ? "p" : "j");
	rc |= arg_add(cmd, len, a->queue_dir);
	rc |= arg_add(cmd, len, a->cur_path);
	if (a->cur_path && a->cur_path[0] && a->cur_ino)
		rc |= arg_num(cmd, len, a->cur_ino);
	else
		rc |= arg_add(cmd, len, "");
	rc |= arg_num(cmd, len, a->cur_off);
	rc |= arg_num(cmd, len, a->cap ? a->cap : PROBE_LOG_CAP);
	rc |= arg_num(cmd, len, a->first_bytes ? a->first_bytes :
	    PROBE_FIRST_BYTES);
	rc |= arg_add(cmd, len, a->journal_cursor);
	rc |= arg_num(cmd, len, PROBE_JOURNAL_LINES);
	rc |= arg_add(cmd, len, a->master);
	if (rc != 0) {
		free(cmd);
		snprintf(err, errlen, "probe: command too long");
		return NULL;
	}
	return cmd;
}
