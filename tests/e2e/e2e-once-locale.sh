#!/bin/bash
# e2e-once-locale: a deferral to a non-ASCII address carrying a right-to-left
# override (U+202E), written into origin-a's maillog, reaches `--once` as the
# locale can show it: under LC_ALL=C.UTF-8 as UTF-8 with the override made a
# visible U+FFFD; under LC_ALL=C as ASCII only ("<U+00FC>", '?'), not one
# byte >= 0x80 (a non-UTF-8 terminal reads 0x80-0x9F as C1 controls). The
# line is removed again in place afterwards.
. "$(dirname "$0")/lib.sh"
t_begin once-locale
cd "$REPO"

qid=$(fake_qid)
t_cleanup "lab_exec a sh -c 'f=/var/log/maillog; grep -a -v -- $qid \$f >\$f.rt-loc; cat \$f.rt-loc >\$f; rm -f \$f.rt-loc'"
lab_exec a sh -c "printf '%s mail-a postfix/smtp[4242]: $qid: to=<m\303\274ller\342\200\256@dest.example>, relay=none, delay=1, delays=0/0/0/1, dsn=4.4.1, status=deferred (connect to dest.example: Connection refused \342\200\246)\n' \"\$(date '+%b %d %H:%M:%S')\" >>/var/log/maillog"

out=$(LC_ALL=C.UTF-8 once) || t_fail "exit $? (want 0): $out"
echo "$out"
assert_match "$out" $'^origin-a .* deferred [0-9:]+ to m\xc3\xbcller\xef\xbf\xbd@dest\\.example' "UTF-8 locale: address not as UTF-8 with U+FFFD"
assert_no_match "$out" $'\xe2\x80\xae' "UTF-8 locale: the override reached the output"

out=$(LC_ALL=C once) || t_fail "exit $? (want 0): $out"
echo "$out"
assert_match "$out" '^origin-a .* deferred [0-9:]+ to m<U\+00FC>ller\?@dest\.example' "C locale: address not escaped"
if LC_ALL=C grep -q $'[\x80-\xff]' <<<"$out"; then
    t_fail "C locale: a byte >= 0x80 in --once output: $(LC_ALL=C grep -n $'[\x80-\xff]' <<<"$out" | od -c | head -5)"
fi
t_ok
