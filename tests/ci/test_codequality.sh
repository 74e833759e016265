#!/usr/bin/env bash
# test_codequality.sh SRC: ci/sarif-to-codequality turns SARIF results into GitLab Code Quality
# issues (suppressed results left out) and fails closed on input it cannot read.
set -uo pipefail
conv=$(cd "$1" && pwd)/ci/sarif-to-codequality
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fails=0 passes=0
ok() { echo "ok    $*"; passes=$((passes + 1)); }
bad() { echo "FAIL  $*"; fails=$((fails + 1)); }
cat >"$work/in.sarif" <<'JS'
{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "inventory"}}, "results": [
 {"ruleId": "INV001", "level": "error", "message": {"text": "transition without evidence"},
  "partialFingerprints": {"capos/v1": "abc123"},
  "locations": [{"physicalLocation": {"artifactLocation": {"uri": "kernel/mm/vm.c"}, "region": {"startLine": 42}}}]},
 {"ruleId": "INV014", "level": "warning", "message": {"text": "user copy"},
  "locations": [{"physicalLocation": {"artifactLocation": {"uri": "kernel/cap/cap_vm.c"}, "region": {"startLine": 7}}}]},
 {"ruleId": "INV002", "level": "error", "message": {"text": "waived"},
  "suppressions": [{"kind": "external", "justification": "reviewed"}],
  "locations": [{"physicalLocation": {"artifactLocation": {"uri": "kernel/mm/frame.c"}, "region": {"startLine": 3}}}]}]}]}
JS
"$conv" "$work/in.sarif" "$work/out.json" >/dev/null; rc=$?
[ $rc = 0 ] && ok "converts a SARIF log" || bad "exit $rc"
python3 - "$work/out.json" <<'PY' && ok "issues have GitLab's required fields; the waived result is left out" || bad "report content"
import json, sys
r = json.load(open(sys.argv[1]))
assert isinstance(r, list) and len(r) == 2, r
a, b = r
assert a["check_name"] == "INV001" and a["severity"] == "major" and a["fingerprint"] == "abc123"
assert a["location"] == {"path": "kernel/mm/vm.c", "lines": {"begin": 42}}
assert b["severity"] == "minor" and len(b["fingerprint"]) == 64
for i in r:
    assert set(i) == {"description", "check_name", "fingerprint", "severity", "location"}
PY
echo '{"version": "2.0.0"}' >"$work/old.sarif"
echo keep >"$work/keep.json"
"$conv" "$work/old.sarif" "$work/keep.json" 2>/dev/null; rc=$?
[ $rc = 2 ] && [ "$(cat "$work/keep.json")" = keep ] && ok "not SARIF 2.1.0: exit 2, output untouched" || bad "old SARIF: exit $rc"
"$conv" "$work/missing.sarif" "$work/x.json" 2>/dev/null; rc=$?
[ $rc = 2 ] && ok "missing input: exit 2" || bad "missing input: exit $rc"
"$conv" 2>/dev/null; rc=$?
[ $rc = 2 ] && ok "no arguments: exit 2" || bad "no arguments: exit $rc"
echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
