#!/usr/bin/env bash
# test_audit_args.sh SRC: ci/audit and ci/evidence reject bad arguments before doing anything.
set -uo pipefail
src=$(cd "$1" && pwd)
fails=0 passes=0
ok() { echo "ok    $*"; passes=$((passes + 1)); }
bad() { echo "FAIL  $*"; fails=$((fails + 1)); }
t() {  # t WANT_RC DESCRIPTION CMD...
  local want=$1 what=$2; shift 2
  "$@" >/tmp/capos-audit-args.$$ 2>&1; local rc=$?
  if [ $rc = "$want" ]; then ok "$what"; else bad "$what: exit $rc, want $want"; sed 's/^/      /' /tmp/capos-audit-args.$$ | head -5; fi
}
t 2 "ci/audit --evidence= (empty) is a usage error" "$src/ci/audit" --evidence=
t 2 "ci/audit --evidence without a file" "$src/ci/audit" --evidence
t 2 "ci/audit --evidence of a missing file" "$src/ci/audit" --evidence /nonexistent/junit.xml
t 2 "ci/audit --full with --evidence" "$src/ci/audit" --full --evidence /dev/null
t 2 "ci/audit unknown argument" "$src/ci/audit" --frobnicate
t 0 "ci/audit --help" "$src/ci/audit" --help
grep -q -- '--full' /tmp/capos-audit-args.$$ && ok "--help documents --full" || bad "--help lacks --full"
t 0 "ci/evidence --help" "$src/ci/evidence" --help
t 2 "ci/evidence unknown argument" "$src/ci/evidence" --frobnicate
t 0 "ci/pre-commit --help" "$src/ci/pre-commit" --help
t 2 "ci/pre-commit unknown argument" "$src/ci/pre-commit" --frobnicate
rm -f /tmp/capos-audit-args.$$
echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
