# shellcheck shell=bash
# tests/lab/year-end.sh - the lab's year's end (sourced by scenario, not
# run): hosts that log as RHEL 9 does (scenario rsyslog HOST rhel:
# rsyslogd writes /var/log/maillog with traditional times, no year) and
# whose clocks pass midnight of Dec 31 a little after the scenario ends.
# The machine's clock cannot move, so Debian's libfaketime fakes it for the
# processes that write or date the log: rsyslogd (it stamps each line with
# its own clock) and Postfix (master started faked, its children through
# import_environment). One offset from the real clock for all, in
# FAKETIME_FILE (lib.sh: faked), read again each second: set up with
# midnight well ahead, the clock then jumps once, forward, to
# LAB_YEAR_END_IN seconds (default 30) before midnight, however long the
# set-up took (year-end-clock SECONDS moves it forward again). State: $STATE/year-end (the epoch of that midnight: the end
# of the real clock's year) and $STATE/HOST/faketime (HOST is faked).
# Left on the real clock, as nothing but the log's writers needs the fake
# one: sshd and what the operator runs (the probe's sh, stat, dd, date,
# sudo, postqueue), postdrop (setgid: the loader ignores LD_PRELOAD), file
# times (NO_FAKE_STAT). The probe compares file times with date(1) only,
# both real.

YE_IMPORT='LD_PRELOAD FAKETIME_TIMESTAMP_FILE FAKETIME_CACHE_DURATION FAKETIME_DONT_FAKE_MONOTONIC NO_FAKE_STAT'

# ye_clock SECONDS: the fake clock SECONDS before the lab's midnight
ye_clock() {
    local off
    off=$(($(<"$STATE/year-end") - $1 - $(date +%s)))
    if ((off >= 0)); then off=+$off; fi
    echo "$off" >"$FAKETIME_FILE.new"
    chmod 0644 "$FAKETIME_FILE.new"
    mv -f "$FAKETIME_FILE.new" "$FAKETIME_FILE"
}
# ye_on HOST...: the hosts on the fake clock, set up side by side
ye_on() {
    local in=${LAB_YEAR_END_IN:-30} h pids=() p rc=0
    [[ $in =~ ^[1-9][0-9]{0,3}$ ]] || die "LAB_YEAR_END_IN: seconds, not '$in'"
    faketime_lib >/dev/null || die "libfaketime is not installed (tests/deps.sh installs libfaketime)"
    for h in "${PF_HOSTS[@]}"; do
        [[ ! -f $STATE/$h/faketime ]] || die "year-end is on already ($h): year-end-off first"
    done
    date -d "$(($(date +%Y) + 1))-01-01 00:00:00" +%s >"$STATE/year-end" ||
        die "date cannot say when the year ends"
    ye_clock $((in + 600))
    for h in "$@"; do do_year_end "$h" & pids+=($!); done
    for p in "${pids[@]}"; do wait "$p" || rc=1; done
    ((rc == 0)) || die "year-end $* failed"
    ye_clock "$in"
    sleep 1.2   # every process has read it
    say "year-end $*: midnight in $((in - 1)) s ($(<"$FAKETIME_FILE") s from the real clock)"
}
do_year_end() {
    local h=$1
    ! hx "$h" test -d "$RS" || die "rsyslog already runs on $h"
    : >"$STATE/$h/faketime"
    hx "$h" postconf -e "import_environment = $(hx "$h" postconf -dh import_environment) $YE_IMPORT"
    do_rsyslog "$h" rhel
}
# ye_jump SECONDS: the fake clock forward to SECONDS before midnight (a
# test that wants midnight to come at a moment of its choosing, however
# long its set-up took on a loaded machine)
ye_jump() {
    local old
    [[ $1 =~ ^[1-9][0-9]{0,3}$ ]] || die "year-end-clock SECONDS: seconds, not '$1'"
    [[ -f $FAKETIME_FILE && -f $STATE/year-end ]] || die "year-end is not on"
    old=$(<"$FAKETIME_FILE")
    (($(<"$STATE/year-end") - $1 - $(date +%s) >= old)) ||
        die "the fake clock is less than $1 s before midnight: it only moves forward"
    ye_clock "$1"
    sleep 1.2   # every process has read it
}
# do_year_end_off HOST: the real clock back (Postfix restarted, rsyslog
# off as rsyslog-off does it); the rotations of a test are its own
do_year_end_off() {
    local h=$1 x
    [[ -f $STATE/$h/faketime ]] || return 0
    rm -f "$STATE/$h/faketime"
    hx "$h" postconf -X import_environment
    if hx "$h" test -d "$RS"; then do_rsyslog_off "$h"
    else do_postfix_stop "$h"; do_postfix_start "$h"; fi
    for x in "${PF_HOSTS[@]}"; do [[ -f $STATE/$x/faketime ]] && return 0; done
    rm -f "$STATE/year-end" "$FAKETIME_FILE"
}
