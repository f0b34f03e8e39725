#!/bin/bash
# e2e-check-clean: the lab as set up (the seed's network) has nothing for
# the doctor to warn about: exit 0, no warning/critical/unknown, in text and
# in JSON; every port-25 test from the origins finds its relay open.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/check-scenarios.sh"
t_begin check-clean

ck_run -v
assert_eq "$CK_RC" 0 "exit status"
assert_match "$CK_OUT" "^relaytop check OK: 0 critical, 0 warning, 0 unknown, [0-9]+ info on 4 host\(s\)$"
ck_expect_only
ck_run --json
assert_eq "$CK_RC" 0 "exit status (json)"
assert_match "$CK_OUT" '^\{"version":1,"status":0,"status_text":"OK","findings":\['
assert_no_match "$CK_OUT" '"severity":"(critical|warning|unknown)"'
# the port tests really ran and answered: banner of each relay seen
out=$(lab_console "$RELAYTOP" --hosts "$REPO/assets/lab/hosts.ini" --check -v 2>&1 >/dev/null)
for o in origin-a origin-b; do
    assert_match "$out" "port test $o -> 172\.16\.1\.11:25: open .*220 relay-c\.example\.jp ESMTP"
    assert_match "$out" "port test $o -> 172\.16\.1\.12:25: open .*220 relay-d\.example\.jp ESMTP"
done
t_ok
