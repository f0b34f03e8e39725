#!/bin/bash
# e2e-check-unknown: relay D's sshd stopped, so D cannot be probed: the
# doctor says so (probe-failed, unknown) and, with nothing worse found,
# exits 3 (UNKNOWN); adding a warning (no fallback on B) makes it exit 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/check-scenarios.sh"
t_begin check-unknown

t_cleanup "scenario sshd-start d"
scenario sshd-stop d
ck_run
assert_eq "$CK_RC" 3 "exit status"
ck_expect_only "unknown probe-failed [relay-d]"
assert_match "$(ck_field probe-failed fix)" "sshd on 172\.16\.1\.12:22"
ck_param b 'smtp_fallback_relay='
ck_run
assert_eq "$CK_RC" 1 "exit status with a warning"
ck_expect_only "unknown probe-failed [relay-d]" "warning no-fallback [origin-b, relay-c]"
t_ok
