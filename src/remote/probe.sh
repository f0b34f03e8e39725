# src/remote/probe.sh: the probe's remote POSIX sh script. The build turns
# it into a C string (Makefile: $(BUILD)/gen/probe-script.c, whole-line
# comments like this one left out, so they cost no bytes on the wire); it is
# sent inside single quotes, so no single quote may appear in it. `make
# test` runs shellcheck --shell=sh on it.
#
# Two ways to run it: "relaytop-probe -1 AWK V1..V18" runs once with the
# 18 values as arguments; "relaytop-probe -r AWK" stays resident and reads
# one request a line, the 18 values separated by "|" and ended by "|."
# (or "TOKEN|=|QW|QK|.": the values of the last one again, but these),
# answering each with the output below and then "\n@@RT-<token> done\n".
# AWK is the queue summary program (src/remote/queue-summary.awk), "" none.
# Values: token, sudo (0/1), postfix config dir or "", log
# path|auto|journal, last config stamp, queue format j|p, queue directory,
# cursor path, cursor inode, cursor offset, read cap, first-contact bytes,
# journal cursor, first-contact journal lines, master "PID INODE.MTIME"
# last seen up or "", queue wanted (0/1), the journal file's stamp when
# the journal was last read ("" none: read it), quick (1: the resident
# may answer "same" when Q finds nothing changed). The output: "@@RT-<token> begin
# <remote token>", then sections, each headed by "\n@@RT-<token><remote
# token> NAME ARGS\n" (see probe-sections.c): meta, settings (postconf -x:
# $names expanded) + postconf-n (only when the main.cf/master.cf stamp
# changed; then, for the default instance, instances: postmulti -l (when main.cf names multi_instance_directories) with
# each instance's syslog_name), status ("pid=P mst=INODE.MTIME" of master.pid when up: given
# back as value 15, it lets the next run check /proc/P/status without sudo
# while master.pid is unchanged), logfile, log chunks (dd by 4 KiB blocks)
# or journal, queue when wanted (postqueue -j summed up by AWK: fmt=s;
# plain -j without awk: fmt=j; then -p when -j fails or is not wanted),
# end. Each command's exit status and stderr follow it in a "step NAME
# rc=N" section.
# shellcheck disable=SC2009 # ps | grep: pgrep is not everywhere
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH; LC_ALL=C; export LC_ALL
md=$1 qa=$2
shift 2
exec 3>&1
nl="
"
sec() { printf "\n%s %s\n" "$H" "$*"; }
step() { printf "\n%s step %s rc=%s\n%.1000s" "$H" "$1" "$2" "$3"; }
# Root, when su=1, only through the fixed command lines that relaytop
# --sudoers pins (src/mode-sudoers.c): /usr/bin/stat -L -c %i.%s.%Y FILE,
# /usr/bin/dd if=FILE iflag=nofollow bs=4096 skip=N count=N (FILE the log
# or a rotation of it: rk), /usr/bin/cat of master.pid, /usr/bin/journalctl
# with fixed options, /usr/bin/awk with sf's keys-only program on
# /etc/postfix/sasl_passwd or sasl/sasl_passwd; and each only when the plain
# command cannot do it.
# postconf and postqueue never run under sudo.
# st FILE: its inode, size and mtime into si, ss, sm; else 1, error in y.
st() {
	y=$(stat -L -c %i.%s.%Y "$1" 2>&1) || { [ "$su" = 1 ] && y=$(sudo -n /usr/bin/stat -L -c %i.%s.%Y "$1" 2>&1); } || return 1
	si=${y%%.*}; ss=${y#*.}; sm=${ss#*.}; ss=${ss%%.*}
	num "$si" && num "$ss" && num "$sm"
}
# rk FILE: FILE is a rotation of the log $lp the rule allows (PATH.X or
# PATH-X, X of [A-Za-z0-9_-], not compressed) and a regular file.
rk() {
	case ${1#"$lp"} in [.-]|[.-]*[!A-Za-z0-9_-]*|*.gz|*.bz2|*.xz|*.zst|*.Z|*.lz*) return 1;; esac
	[ -f "$1" ]
}
# jf: the system journal file (journald's persistent store, else its
# volatile one) into jf, "" when this host has none. Builtins only.
jf() {
	jf=; mi=; read -r mi </etc/machine-id 2>/dev/null || mi=
	[ -n "$mi" ] || return 0
	for x in /var/log/journal/"$mi" /run/log/journal/"$mi"; do
		[ -e "$x/system.journal" ] && { jf=$x/system.journal; return 0; }
	done
}
# ga FILE INO: the group through which the login reads FILE when that is
# how (not root, not its owner, not world-readable: Debian's root:adm 0640
# mail.log), in gv, else gv empty. Kept per inode across requests.
ga() {
	[ "$gi" = "$2" ] && return 0
	gi=$2; gv=
	[ "$(id -u)" = 0 ] && return 0
	y=$(stat -L -c "%U %G %A" "$1" 2>/dev/null) || return 0
	gu=${y%% *}; y=${y#* }; gg=${y%% *}; gm=${y#* }
	case $gm in ???????r*) return 0;; esac
	[ "$gu" = "$(id -un 2>/dev/null)" ] && return 0
	case " $(id -Gn 2>/dev/null) " in *" $gg "*) gv=$gg;; esac
}
pc() { if [ -n "$pcd" ]; then postconf -c "$pcd" "$@"; else postconf "$@"; fi; }
pq() { if [ -n "$pcd" ]; then postqueue -c "$pcd" "$@"; else postqueue "$@"; fi; }
num() { case $1 in ""|*[!0-9]*) return 1;; esac; }
# mr PID: 0 when /proc/PID/status names master and its state is not a
# zombie's. Its first lines are Name, Umask (Linux 4.7 on), State: some 45
# bytes, read here a byte a read, where /proc/PID/stat is one line of 250
mr() {
	{ read -r z1 z2 && read -r z3 z4 && { [ "$z3" = State: ] || read -r z3 z4; }; } 2>/dev/null </proc/"$1"/status || return 1
	[ "$z1" = Name: ] && [ "$z2" = master ] && [ "$z3" = State: ] && [ "${z4%% *}" != Z ]
}
# sf: the files behind the TLS and SASL settings in $s, as lines of the
# secfiles section (src/probe-secfiles.c), with few commands (a loaded
# host runs each slowly): for an origin with SASL on, "map TYPE PATH SRC
# DB" (mtimes of each smtp_sasl_password_maps table and its .db, - when
# missing; a stat needs no read access), "keys rc=N via=direct|sudo PATH"
# and "key K" (the first field of each line of the first map, read as the
# login or through the pinned sudo awk line: the values, the passwords,
# never leave this host), "plugins LIST" (the Cyrus client plugins); for a
# server certificate "cert RC TEXT" (openssl x509 -enddate of
# smtpd_tls_cert_file, a public file); for a host whose smtpd offers SASL
# (main.cf or a master.cf -o) "sasloffer 1" and "mechs LIST" (the Cyrus
# mech_list of its smtpd.conf, "*" when it has none). Sets xf: the files
# whose mtimes join the settings stamp.
sv() { x="$nl$s"; case $x in *"${nl}$1 = "*) x=${x#*"${nl}$1 = "}; x=${x%%"$nl"*};; *) x=;; esac; }
sf() {
	xf=
	sv smtp_sasl_auth_enable
	if [ "$x" = yes ]; then
		wk=0; sv smtp_sasl_password_maps; wo=$IFS; IFS=", 	"; set -f
		# shellcheck disable=SC2086 # $x: the map list, split on , and blanks
		set -- $x
		set +f; IFS=$wo
		for wm in "$@"; do
			wt=${wm%%:*}; wf=${wm#*:}
			case $wt:$wf in hash:/*|btree:/*) wd=$wf.db;; lmdb:/*) wd=$wf.lmdb;; cdb:/*) wd=$wf.cdb;; *) continue;; esac
			case $wf in *[!A-Za-z0-9/._+-]*) continue;; esac
			wa=-; wb=-
			for wy in $(stat -L -c "%Y|%n" "$wf" "$wd" 2>/dev/null); do
				case ${wy#*|} in "$wf") wa=${wy%%|*};; "$wd") wb=${wy%%|*};; esac
			done
			printf "map %s %s %s %s\n" "$wt" "$wf" "$wa" "$wb"
			xf="$xf $wf $wd"
			if [ $wk = 1 ] || [ "$wa" = - ]; then continue; fi
			wk=1; wak="/^[!-~]/{print \$1}"
			if [ -r "$wf" ]; then wv=direct; wy=$(awk "$wak" "$wf" 2>&1); wrc=$?
			elif [ "$su" != 1 ]; then wv=direct; wy="Permission denied: the login cannot read $wf"; wrc=1
			else case $wf in
			/etc/postfix/sasl_passwd|/etc/postfix/sasl/sasl_passwd) wv=sudo; wy=$(sudo -n /usr/bin/awk "$wak" "$wf" 2>&1); wrc=$?;;
			*) wv=sudo; wy="not read: the login cannot, and the sudo rule reads only /etc/postfix/sasl_passwd and /etc/postfix/sasl/sasl_passwd"; wrc=1;;
			esac; fi
			printf "keys rc=%s via=%s %s\n" "$wrc" "$wv" "$wf"
			wn=0
			if [ "$wrc" = 0 ]; then
				set -f
				for wy in $wy; do wn=$((wn + 1)); [ $wn -le 32 ] || break; printf "key %s\n" "$wy"; done
				set +f
			else printf "err %s\n" "${wy%%"$nl"*}"; fi
		done
		wy=
		for wf in /usr/lib/*/sasl2/lib*.so /usr/lib/sasl2/lib*.so /usr/lib64/sasl2/lib*.so; do
			[ -e "$wf" ] || continue; wf=${wf##*/lib}; wy="$wy ${wf%.so}"
		done
		printf "plugins%s\n" "$wy"
	fi
	sv smtpd_tls_cert_file; wf=$x
	case $wf in /*) case $wf in *[!A-Za-z0-9/._+-]*) ;; *)
		wy=$(openssl x509 -noout -enddate -in "$wf" 2>&1); wy=${wy%%"$nl"*}
		case $wy in notAfter=*) wrc=0;; *) wrc=1;; esac
		printf "cert %s %s\n" "$wrc" "$wy"; xf="$xf $wf";;
	esac;; esac
	sv smtpd_sasl_auth_enable
	if [ "$x" = yes ] || grep -q "^[^#]*smtpd_sasl_auth_enable=yes" "$cfd/master.cf" 2>/dev/null; then
		printf "sasloffer 1\n"
		sv smtpd_sasl_path; wp=${x:-smtpd}; sv cyrus_sasl_config_path
		wo=$IFS; IFS=:; set -f
		# shellcheck disable=SC2086 # $x: a path list split on :
		set -- ${x:-/etc/postfix/sasl:/usr/lib/sasl2:/etc/sasl2}
		set +f; IFS=$wo
		for wd in "$@"; do
			[ -r "$wd/$wp.conf" ] || continue
			wy=$(sed -n "s/^mech_list:[ 	]*//p" "$wd/$wp.conf"); wy=${wy%%"$nl"*}
			printf "mechs %s\n" "${wy:-*}"
			break
		done
	fi
}
# Q LOG CURSOR-OFFSET CURSOR-INODE: 0 when nothing changed since the last
# full run, seen with builtins only (so a refresh forks nothing: one exec
# costs a loaded host more than all the rest). Fd 7 is an unlinked empty
# file whose mtime each full run sets (truncating it) just before its stat:
# a file written since has an mtime not older than it. Nothing changed
# when every file that run stats is older than fd 7 (or still missing),
# main.cf and master.cf are the files it left open on fds 5 and 6 (not
# replaced by an older one), relaytop's cursor is where that run saw the
# log end (ql, qs, qi: all read), and master (pid qp) still runs. What an
# mtime cannot show (a file edited with its mtime kept) waits for the next
# full run, which relaytop asks at least every PROBE_FULL_MS.
# -ot and -ef: in POSIX.1-2024 test, and in dash, bash, ksh and busybox
# long before; a shell without them fails the check: a full run.
# shellcheck disable=SC3013
Q() {
	[ -n "$qp" ] && [ "$1" = "$ql" ] && [ "$2" = "$qs" ] && [ "$3" = "$qi" ] && [ -e "$1" ] || return 1
	# shellcheck disable=SC2086 # $qx: paths of [A-Za-z0-9/._+-] (sf)
	for x in "$cfd/main.cf" "$cfd/master.cf" "$qd/pid/master.pid" "$1" $qx; do
		[ ! -e "$x" ] || [ "$x" -ot /dev/fd/7 ] || return 1
	done
	[ "$cfd/main.cf" -ef /dev/fd/5 ] && [ "$cfd/master.cf" -ef /dev/fd/6 ] || return 1
	mr "$qp"
}
# qs: the summary (include/queue-summary.h) of postqueue -j's lines and
# "#rc=N" on stdin. An empty queue, the usual case, is summed up here as
# the awk would, with no exec; anything else goes to the awk with the
# lines read given back in front (cat). Only the first line is read by
# the shell (a byte a read: postqueue's lines are short).
qs() {
	IFS= read -r a1
	b="$a1$nl"
	if [ -z "$a1" ] && IFS= read -r a2; then
		b="$b$a2$nl"
		x=${a2#"#rc="}
		if [ "#rc=$x" = "$a2" ] && num "$x"; then
			if IFS= read -r a3; then b="$b$a3$nl"
			elif [ -z "$a3" ]; then
				printf "q %s 0 0\n" active deferred hold incoming maildrop
				printf "bytes 0\nbad 0\nrc %s\n" "$x"
				return "$x"
			else b="$b$a3"; fi
		fi
	fi
	{ printf "%s" "$b"; cat; } | awk "$qa"
}
# qr: the queue sections: the summary, else the -j listing, then -p when
# -j failed (or is not wanted)
qr() {
	rc=1
	if [ "$qf" = j ] && [ -n "$qa" ] && command -v awk >/dev/null 2>&1; then
		sec queue fmt=s
		e=$( { { pq -j 3>&-; printf "\n#rc=%s\n" $?; } | qs >&3 3>&-; } 2>&1 ); rc=$?
		step queue $rc "$e"
	elif [ "$qf" = j ]; then
		sec queue fmt=j
		e=$(pq -j 2>&1 >&3 3>&-); rc=$?
		step queue $rc "$e"
	fi
	case $e in *"mail system is down"*) rc=0;; esac
	if [ $rc -ne 0 ]; then
		sec queue fmt=p
		e=$(pq -p 2>&1 >&3 3>&-); rc=$?
		step queue $rc "$e"
	fi
}
P() {
t=$1 su=$2 pcd=$3 lm=$4 ost=$5 qf=$6 qd=${7:-/var/spool/postfix} cp=$8 ci=$9
shift 9
co=$1 cap=$2 fb=$3 jc=$4 jn=$5 pk=$6 qw=$7 js=$8 qk=$9
cfd=${pcd:-/etc/postfix}
# nothing changed: "same", and the queue when it is wanted (a timed
# reading costs postqueue alone, not a full run's commands)
if [ "$qk" = 1 ] && Q "$lm" "$co" "$ci"; then
	if [ "$qw" != 1 ]; then	# in one write
		printf "@@RT-%s begin %s\n\n@@RT-%s%s same\n\n@@RT-%s%s end\n" "$t" "$r" "$t" "$r" "$t" "$r"
		return 0
	fi
	printf "@@RT-%s begin %s\n\n@@RT-%s%s same\n" "$t" "$r" "$t" "$r"
	H="@@RT-$t$r"
	qr
	sec end
	return 0
fi
# the log of the last full run written since (not older than its mark):
# read again at the cursor's block even when its size is the same, for
# relaytop to compare with what it read there (rewritten in place?)
lw=
# shellcheck disable=SC3013
[ -n "$ql" ] && [ -f /dev/fd/7 ] && ! [ "$ql" -ot /dev/fd/7 ] && lw=$ql
ql=; qp=; ino=; sz=
# the time mark for Q, before anything is looked at
[ -f /dev/fd/7 ] && { command : >/dev/fd/7; } 2>/dev/null
printf "@@RT-%s begin %s\n" "$t" "$r"
H="@@RT-$t$r"
lq=; la=; case $lm in /*) lq=$lm;; auto) la="/var/log/maillog /var/log/mail.log";; esac
m1=; m2=; ms=; lx=; l1=; l2=; jt=; xs=
# the journal file in the same stat: its stamp (mtime to the ns: journald
# touches it after each write) tells whether journalctl has anything new
jf=; case $lm in journal|auto) jf;; esac
# and the time mark, when there is one (just set: its mtime is now, so no
# date runs for the age of a rotated log)
n7=; nw=; [ -f /dev/fd/7 ] && n7=/dev/fd/7
# (and, for maillog = auto, the two files it may choose, so the one
# chosen needs no stat of its own)
# shellcheck disable=SC2086 # $xf: paths of [A-Za-z0-9/._+-] (sf); $la
for x in $(stat -L -c "%n|%Y.%s.%i|%i.%Y|%i.%s|%i.%s.%.9Y" "$cfd/main.cf" "$cfd/master.cf" "$qd/pid/master.pid" ${lq:+"$lq"} $la ${jf:+"$jf"} $xf ${n7:+"$n7"} 2>/dev/null); do
	v=${x#*|}; a=${v%%|*}; v=${v#*|}; b=${v%%|*}; v=${v#*|}; c=${v%%|*}; v=${v#*|}
	case ${x%%|*} in
	"$n7") nw=${a%%.*};;
	"$cfd/main.cf") m1=$a;;
	"$cfd/master.cf") m2=$a;;
	"$qd/pid/master.pid") ms=$b;;
	"$lq") lx="${c%%.*} ${c#*.}";;
	/var/log/maillog) l1="${c%%.*} ${c#*.}";;
	/var/log/mail.log) l2="${c%%.*} ${c#*.}";;
	"$jf") jt=$v;;
	*) xs="$xs$b ";;
	esac
done
st=; [ -n "$m1" ] && st="$m1 "; [ -n "$m2" ] && st="$st$m2 "; st="$st$xs"
np=0; command -v postconf >/dev/null 2>&1 || np=1
sec meta
printf "stamp=%s\nnopostfix=%s\n" "$st" "$np"
mf=
if [ "$np" = 0 ] && { [ -z "$ost" ] || [ "$st" != "$ost" ]; }; then
	N="myhostname mydomain myorigin mydestination inet_interfaces inet_protocols mynetworks relayhost smtp_fallback_relay relay_domains smtpd_relay_restrictions default_transport transport_maps sender_dependent_relayhost_maps maillog_file syslog_name mail_version queue_directory smtp_tls_security_level smtp_tls_CAfile smtp_tls_CApath smtp_tls_wrappermode smtp_tls_loglevel smtp_sasl_auth_enable smtp_sasl_password_maps smtp_sasl_security_options smtpd_tls_security_level smtpd_tls_cert_file smtpd_tls_key_file smtpd_tls_loglevel smtpd_sasl_auth_enable"
	N="$N smtp_sasl_type smtpd_sasl_type smtp_sasl_mechanism_filter smtp_sender_dependent_authentication cyrus_sasl_config_path smtpd_sasl_path"
	sec settings
	# postconf's own waits (Postfix 3.7, seen in traces): a main.cf
	# changed within the last second it reads again every 300 ms until
	# it is a second old (a full run right after an edit takes ~1.5 s
	# longer); a fatal error it follows with a second's sleep. So it runs
	# once, stdout and stderr together: its own messages are the lines
	# "postconf: ..." (a parameter line starts with the name, which has
	# no colon), taken out into e, the message of a failed run
	# shellcheck disable=SC2086 # $N: a list of names
	s=$(pc -x $N 2>&1); rc=$?
	e=
	case $s in "postconf: "*|*"${nl}postconf: "*)
		x=$s; s=
		while [ -n "$x" ]; do
			l=${x%%"$nl"*}
			case $x in *"$nl"*) x=${x#*"$nl"};; *) x=;; esac
			case $l in "postconf: "*) e="$e$l$nl";; *) s="$s$l$nl";; esac
		done
		s=${s%"$nl"};;
	esac
	if [ "$rc" -ne 0 ]; then e=${e%"$nl"}; [ -n "$e" ] || { e=$s; s=; }; else e=; fi
	printf "%s\n" "$s"
	step settings $rc "$e"
	x="$nl$s"; case $x in *"${nl}maillog_file = "*) mf=${x#*"${nl}maillog_file = "}; mf=${mf%%"$nl"*};; esac
	sec postconf-n
	x="s/^\([A-Za-z0-9_]*\)[ 	]*=.*/\1 =/p"
	pn=$(sed -n "$x" "$cfd/main.cf" 2>/dev/null); nr=$?
	e=; [ "$nr" -ne 0 ] && e=$(sed -n "$x" "$cfd/main.cf" 2>&1 >/dev/null)
	[ -z "$pn" ] || printf "%s\n" "$pn"
	step postconf-n $nr "$e"
	sec secfiles
	[ "$rc" -ne 0 ] || sf
	# other Postfix instances of this host (the default one asks, and
	# only runs postmulti when main.cf names multi_instance_directories:
	# without it there is no other instance)
	if [ -z "$pcd" ] && command -v postmulti >/dev/null 2>&1; then
		sec instances
		case "$nl$pn$nl" in *"${nl}multi_instance_directories =$nl"*) ;; *) pn=;; esac
		[ -z "$pn" ] || postmulti -l 2>/dev/null | while read -r i1 i2 i3 i4 _; do
			case $i1$i4 in -*|*[!A-Za-z0-9._/-]*) continue;; esac
			case $i4 in /*) printf "%s %s %s %s %s\n" "$i1" "$i2" "$i3" "$i4" "$(postconf -c "$i4" -h syslog_name 2>/dev/null)";; esac
		done
	fi
fi
pr=1
if [ "$np" = 0 ]; then
	p=${pk% *}
	if [ -n "$pk" ] && [ -n "$ms" ] && [ "${pk#* }" = "$ms" ] && num "$p" && mr "$p"; then rc=0; e=
	elif [ -z "$pk" ] && [ "$qw" = 1 ] && [ "$qf" = j ]; then rc=q
	else
	if [ "$su" = 1 ] && [ ! -r "$qd/pid/master.pid" ]; then e=$(sudo -n /usr/bin/cat "$qd/pid/master.pid" 2>&1); else e=$(cat "$qd/pid/master.pid" 2>&1); fi; rc=$?
	p=; for x in $e; do p=$x; break; done
	if [ $rc -eq 0 ] && num "$p"; then
		if [ -r /proc/"$p"/status ]; then c=; ! mr "$p" || c=master; else c=$(ps -p "$p" -o comm= 2>/dev/null); fi
		if [ "$c" = master ]; then e=
		else rc=1; e="master (pid $p) is not running"; fi
	elif [ -e "$qd/pid/master.pid" ] && ps -e -o comm= 2>/dev/null | grep -qx master; then
		rc=0; p=
	fi
	fi
	if [ "$rc" = q ]; then sec status via=queue
	else
	[ $rc -eq 0 ] && num "$p" && qp=$p
	if [ $rc -eq 0 ] && num "$p" && [ -n "$ms" ]; then sec status pid="$p" mst="$ms"; else sec status; fi
	step status $rc "$e"
	[ $rc -eq 0 ] || pr=0
	fi
fi
lp=$lm
if [ "$lm" = auto ]; then
	case $mf in /dev/*) mf= ;; esac
	if [ -n "$mf" ]; then lp=$mf
	elif [ -e /var/log/maillog ]; then lp=/var/log/maillog
	elif [ -e /var/log/mail.log ]; then lp=/var/log/mail.log
	elif command -v journalctl >/dev/null 2>&1 && jf && [ -n "$jf" ]; then lp=journal
	else lp=; fi
fi
rd() {
	b=$(($3 / 4096)); n=$((($4 + 4095) / 4096 - b)); v=direct
	[ "$su" = 1 ] && [ ! -r "$6" ] && v=sudo
	g=; [ $v = direct ] && ga "$6" "$2" && g=$gv
	sec log kind="$1" ino="$2" start="$3" end="$4" fsize="$5" base=$((b * 4096)) via=$v${g:+ grp=$g}
	rc=0; e=
	if [ $n -gt 0 ] && [ $v = sudo ]; then
		e=$(sudo -n /usr/bin/dd if="$6" iflag=nofollow bs=4096 skip=$b count=$n 2>&1 >&3 3>&-); rc=$?
	elif [ $n -gt 0 ]; then
		e=$(dd if="$6" bs=4096 skip=$b count=$n 2>&1 >&3 3>&-); rc=$?
	elif [ $v = direct ] && [ ! -r "$6" ]; then
		# nothing to read yet (an empty log), but the login could not
		rc=1; e="cannot read $6: Permission denied"
	fi
	step logread $rc "$e"
}
if [ -z "$lp" ]; then
	sec nolog
elif [ "$lp" = journal ]; then
	# read as the login when it can read the file (root, group
	# systemd-journal, adm or wheel through the ACL Debian and RHEL set)
	[ -n "$jf" ] || jf; v=direct; [ -n "$jf" ] && [ ! -r "$jf" ] && [ "$su" = 1 ] && v=sudo
	J() { if [ $v = sudo ]; then sudo -n /usr/bin/journalctl "$@"; else journalctl "$@"; fi; }
	case $jt in *[!0-9.]*) jt=;; esac
	if [ -n "$jc" ] && [ -n "$jt" ] && [ "$jt" = "$js" ]; then
		sec journal via=$v same=1
		rc=0; e=
	else
		sec journal via=$v stamp="$jt"
		rc=1
	fi
	if [ "$rc" = 0 ]; then :
	elif [ -z "$jf" ]; then
		e="No such file: no system journal in /var/log/journal or /run/log/journal"
	elif [ ! -r "$jf" ] && [ $v = direct ]; then
		e="Permission denied: the login cannot read $jf"
	elif [ -n "$jc" ]; then
		e=$(J --no-pager -q -o short --show-cursor -u "postfix*" --cursor="$jc" 2>&1 >&3 3>&-); rc=$?
	else
		e=$(J --no-pager -q -o short --show-cursor -u "postfix*" -n "$jn" 2>&1 >&3 3>&-); rc=$?
	fi
	step journal $rc "$e"
else
	[ -n "$la" ] && case $lp in /var/log/maillog) lq=$lp; lx=$l1;; /var/log/mail.log) lq=$lp; lx=$l2;; esac
	if [ -n "$lx" ] && [ "$lp" = "$lq" ]; then ino=${lx% *}; sz=${lx#* }; rc=0
	elif st "$lp"; then ino=$si; sz=$ss; rc=0
	else rc=1; fi
	if [ $rc -ne 0 ] || ! num "$ino" || ! num "$sz"; then
		sec logfile
		printf "%s" "$lp"
		step logstat 1 "$y"
	else
		sec logfile ino="$ino" size="$sz"
		printf "%s" "$lp"
		if [ "$cp" != "$lp" ] || [ -z "$ci" ]; then
			# a live file shorter than the first-contact bytes
			# was just rotated when a rotation of it was written
			# in the last hour: the newest one's tail first
			if [ "$sz" -lt "$fb" ]; then
				old=; om=; now=$nw
				for f in "$lp".* "$lp"-*; do
					{ rk "$f" && st "$f"; } || continue
					num "$now" || now=$(date +%s)
					if [ "$si" != "$ino" ] && [ "$ss" -gt 0 ] && [ "$sm" -ge $((now - 3600)) ] && { [ -z "$om" ] || [ "$sm" -gt "$om" ]; }; then
						old=$f; om=$sm; osz=$ss; oi=$si
					fi
				done
				[ -z "$old" ] || rd prev "$oi" $((osz > fb - sz ? osz - fb + sz : 0)) "$osz" "$osz" "$old"
			fi
			rd first "$ino" $((sz > fb ? sz - fb : 0)) "$sz" "$sz" "$lp"
		elif [ "$ino" = "$ci" ]; then
			if [ "$sz" -lt "$co" ]; then
				old=; osz=; om=; e2=; left=$cap; now=$nw
				for f in "$lp".* "$lp"-*; do
					{ rk "$f" && st "$f"; } || continue
					num "$now" || now=$(date +%s)
					if [ "$ss" -ge "$co" ] && [ "$sm" -ge $((now - 600)) ] && { [ -z "$om" ] || [ "$sm" -gt "$om" ]; }; then
						old=$f; om=$sm; osz=$ss
					fi
				done
				if [ -n "$old" ] && [ "$osz" -gt "$co" ]; then
					e2=$((osz - co < cap ? osz : co + cap))
					rd old "$ci" "$co" $e2 "$osz" "$old"
					left=$((cap - (e2 - co)))
				fi
				if [ -z "$old" ] || [ "$osz" -le "$co" ] || [ "$e2" = "$osz" ]; then
					rd trunc "$ino" 0 $((sz < left ? sz : left)) "$sz" "$lp"
				fi
			elif [ "$sz" -gt "$co" ]; then
				rd cur "$ino" "$co" $((sz - co < cap ? sz : co + cap)) "$sz" "$lp"
			elif [ "$lw" = "$lp" ]; then
				rd cur "$ino" "$co" "$co" "$sz" "$lp"
			fi
		else
			old=; osz=; e2=; left=$cap
			for f in "$lp".* "$lp"-*; do
				{ rk "$f" && st "$f"; } || continue
				if [ "$si" = "$ci" ]; then
					old=$f; osz=$ss; break
				fi
			done
			if [ -z "$old" ]; then
				sec lost ino="$ci"
			elif [ "$osz" -gt "$co" ]; then
				e2=$((osz - co < cap ? osz : co + cap))
				rd old "$ci" "$co" $e2 "$osz" "$old"
				left=$((cap - (e2 - co)))
			fi
			if [ -z "$old" ] || [ "$osz" -le "$co" ] || [ "$e2" = "$osz" ]; then
				rd new "$ino" 0 $((sz < left ? sz : left)) "$sz" "$lp"
			fi
		fi
	fi
fi
# the next request may be answered by Q: the log is this file, master
# runs, and main.cf and master.cf stay open to see them replaced
if [ -n "$lq" ] && [ "$lp" = "$lq" ] && [ -n "$qp" ] && num "$ino" && num "$sz" &&
    command exec 5<"$cfd/main.cf" 6<"$cfd/master.cf" 2>/dev/null; then
	ql=$lp; qs=$sz; qi=$ino; qx=$xf
fi
if [ "$np" = 0 ] && [ "$pr" = 0 ]; then
	sec queue-skipped
elif [ "$np" = 0 ] && [ "$qw" = 1 ]; then
	qr
fi
sec end
}
if [ "$md" = -r ]; then
	r=; rq=0
	uv=
	while IFS="|" read -r v1 v2 v3 v4 v5 v6 v7 v8 v9 v10 v11 v12 v13 v14 v15 v16 v17 v18 vz; do
		# "TOKEN|=|QW|QK|.": the last whole request's values again but
		# the token, queue wanted (v16) and quick (v18): a steady
		# refresh's request, a sixth of the bytes (read here a byte a
		# read). The others are kept in u2..u17 (no u16)
		if [ "$v2" = = ] && [ "$v5" = . ] && [ -n "$uv" ] &&
		    [ -z "$v6$v7$v8$v9$v10$v11$v12$v13$v14$v15$v16$v17$v18$vz" ]; then
			case $v3$v4 in [01][01]) ;; *) exit 2;; esac
			v16=$v3 v18=$v4
			v2=$u2 v3=$u3 v4=$u4 v5=$u5 v6=$u6 v7=$u7 v8=$u8 v9=$u9 v10=$u10 v11=$u11 v12=$u12 v13=$u13 v14=$u14 v15=$u15 v17=$u17
		elif [ "$vz" = . ]; then
			uv=1 u2=$v2 u3=$v3 u4=$v4 u5=$v5 u6=$v6 u7=$v7 u8=$v8 u9=$v9 u10=$v10 u11=$v11 u12=$v12 u13=$v13 u14=$v14 u15=$v15 u17=$v17
		else
			exit 2
		fi
		# fd 7 for Q: an empty file, unlinked at once (tmpfs when
		# there is one: its truncations touch no disk); without it,
		# full runs only. Made for the second request, not the first,
		# so a single snapshot (--once) costs no mktemp and rm; that
		# request then runs in full (ql cleared), which sets the mark
		rq=$((rq + 1))
		if [ "$rq" = 2 ]; then
			ql=
			x=$(mktemp /dev/shm/relaytop.XXXXXX 2>/dev/null || mktemp 2>/dev/null) &&
			    command exec 7<>"$x" 2>/dev/null
			[ -z "$x" ] || rm -f "$x"
		fi
		P "$v1" "$v2" "$v3" "$v4" "$v5" "$v6" "$v7" "$v8" "$v9" "$v10" "$v11" "$v12" "$v13" "$v14" "$v15" "$v16" "$v17" "$v18" </dev/null
		printf "\n@@RT-%s done\n" "$v1"
	done
	exit 0
fi
r=; for x in $(od -An -N12 -tx1 /dev/urandom 2>/dev/null); do r=$r$x; done
P "$@" </dev/null
