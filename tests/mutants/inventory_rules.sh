#!/usr/bin/env bash
# inventory_rules.sh TOOL SRC: the inventory's mutation rules on the capos fixture kernel
# (tests/inventory/fixtures/capos), with a mutation record and justifications written here:
#   1. a survived mutant without a justification        -> INV025 naming the site, exit 1;
#      the killed and the not-run ones beside it give nothing, and no INV026 (so the inventory's
#      SHA-256 of each function's text equals the runner's: the record is current)
#   2. the same survivor with a reviewed justification  -> no finding, exit 0; the tables show
#      "survived (justified)" and "killed" on the obligations
#   3. the file edited outside both functions            -> nothing; each function edited ->
#      INV026 (stale) for both entries; the tables show "stale"
#   4. a justification of a killed site                  -> INV026 (justifies no survivor)
#   5. a record entry with an unknown status, a justification without reviewer -> exit 2
# Exit 0 when every expectation holds; 1 (with the output) otherwise.
set -uo pipefail
tool=$1 src=$2
W=$(mktemp -d "${TMPDIR:-/tmp}/mutrules.XXXXXX")
trap 'rm -rf "$W"' EXIT
R=$W/root B=$W/build
cp -r "$src/tests/inventory/fixtures/capos" "$R"
"$src/tests/inventory/mkcdb.sh" "$R" "$B"
COMMON=(--root "$R" --config "$R/inventory.json" --build "$B" --ctest-json "$R/ctest.json" --junit "$R/junit.xml")
fail=0
bad() { echo "inventory_rules: FAIL: $*"; sed 's/^/  | /' "$W/out.txt"; fail=1; }

record() {  # record STATUS_OF_SHOOTDOWN: the record of two sites of kernel/mm/frame.c
  PYTHONDONTWRITEBYTECODE=1 python3 - "$R" "$1" "$src" <<'EOF'
import hashlib, json, sys
root, st = sys.argv[1], sys.argv[2]
import importlib.machinery, importlib.util
ld = importlib.machinery.SourceFileLoader("mutate", sys.argv[3] + "/tests/mutants/mutate")
mu = importlib.util.module_from_spec(importlib.util.spec_from_loader("mutate", ld))
ld.exec_module(mu)
text = open(root + "/kernel/mm/frame.c", "rb").read()
def fsha(fline):  # the runner's own hash of the function's text
    a, b = mu.function_span(text, fline)
    return hashlib.sha256(text[a:b]).hexdigest()
def e(i, fn, line, callee, kind, cls, status, detail):
    sha = fsha({"frame_get": 5, "frame_unhook_and_free": 26}[fn])
    return {"id": i, "file": "kernel/mm/frame.c", "function": fn, "line": line, "callee": callee,
            "kind": kind, "class": cls, "machine": "frame" if cls == "transition" else "",
            "source_sha256": sha, "key": "k-" + i, "status": status, "tests": ["host_vm"],
            "tests_run": ["host_vm"], "killed_by": ["host_vm"] if status == "killed" else [],
            "detail": detail}
nr = e("kernel/cap/vm.c:perform_vm_commit:spin_unlock#1", "frame_get", 0, "spin_unlock",
       "unlock", "lock", "not-run", "")
nr.update(function="perform_vm_commit", file="kernel/cap/vm.c", source_sha256="", key="")
doc = {"schema": "capos-mutant-record/1", "sites": [nr,
    e("kernel/mm/frame.c:frame_get:frame_transition#1", "frame_get", 10, "frame_transition",
      "transition", "transition", "killed", "killed by host_vm"),
    e("kernel/mm/frame.c:frame_unhook_and_free:tlb_shootdown#1", "frame_unhook_and_free", 30,
      "tlb_shootdown", "flush", "tlb", st, "every cited test passed")]}
json.dump(doc, open(root + "/audit/mutants.json", "w"), indent=1)
EOF
}
justify() {  # justify SITE [REVIEWER]
  printf '{"schema": "capos-mutant-justifications/1", "justifications": [\n {"site": "%s",\n  "reason": "fixture: the shootdown is repeated by the caller", "reviewer": "%s"}]}\n' \
    "$1" "${2-fixture reviewer}" >"$R/audit/mutant-justifications.json"
}
SURV=kernel/mm/frame.c:frame_unhook_and_free:tlb_shootdown#1
KILL=kernel/mm/frame.c:frame_get:frame_transition#1

# 1. survivor, no justification
record survived
"$tool" check "${COMMON[@]}" >"$W/out.txt" 2>&1; rc=$?
[ $rc -eq 1 ] || bad "1: exit $rc, want 1"
grep -q "kernel/mm/frame.c:30: error: INV025: .*$SURV survived.*(host_vm)" "$W/out.txt" || bad "1: no INV025 for $SURV"
[ "$(grep -c 'INV02[56]' "$W/out.txt")" -eq 1 ] || bad "1: want exactly one INV025/INV026 finding"

# 2. justified
justify "$SURV"
"$tool" check "${COMMON[@]}" >"$W/out.txt" 2>&1; rc=$?
[ $rc -eq 0 ] || bad "2: exit $rc, want 0 (justified)"
grep -q "0 finding(s)" "$W/out.txt" || bad "2: want 0 findings"
"$tool" tables "${COMMON[@]}" --out "$W/st" >"$W/out.txt" 2>&1 || bad "2: tables failed"
grep -q '`frame_unhook_and_free:tlb:1`.*| survived (justified) |' "$W/st/inventory.md" ||
  { cp "$W/st/inventory.md" "$W/out.txt"; bad "2: tables: no 'survived (justified)' row"; }
grep -q '`frame_get:transition:1`.*| killed |' "$W/st/inventory.md" &&
  grep -q '`perform_vm_commit:lock:1`.*| not run |' "$W/st/inventory.md" ||
  { cp "$W/st/inventory.md" "$W/out.txt"; bad "2: tables: no 'killed' row"; }

# 3. a function changed since the run: its entry is stale; an edit outside it changes nothing
cp "$R/kernel/mm/frame.c" "$W/frame.c.orig"
echo "/* edited after the mutation run, outside every function */" >>"$R/kernel/mm/frame.c"
"$tool" check "${COMMON[@]}" >"$W/out.txt" 2>&1; rc=$?
[ $rc -eq 0 ] || bad "3: exit $rc, want 0 (an edit outside both functions stales nothing)"
sed -i 's|^\ttlb_shootdown(as, va);|\ttlb_shootdown(as, va); /* edited */|' "$R/kernel/mm/frame.c"
sed -i 's|^\tframe_transition(f, FRAME_FREE, FRAME_ALLOCATED);|\tframe_transition(f, FRAME_FREE, FRAME_ALLOCATED); /* edited */|' "$R/kernel/mm/frame.c"
"$tool" check "${COMMON[@]}" >"$W/out.txt" 2>&1; rc=$?
[ $rc -eq 1 ] || bad "3: exit $rc, want 1"
[ "$(grep -c 'INV026.*is stale' "$W/out.txt")" -eq 2 ] || bad "3: want INV026 (stale) for both entries"
grep -q 'INV025' "$W/out.txt" && bad "3: a stale survivor is INV026, not INV025"
"$tool" tables "${COMMON[@]}" --out "$W/st" >"$W/out.txt" 2>&1 || bad "3: tables failed"
grep -q '`frame_unhook_and_free:tlb:1`.*| stale |' "$W/st/inventory.md" ||
  { cp "$W/st/inventory.md" "$W/out.txt"; bad "3: tables: no 'stale' row"; }
cp "$W/frame.c.orig" "$R/kernel/mm/frame.c"

# 4. a justification of a killed site
record killed
justify "$KILL"
"$tool" check "${COMMON[@]}" >"$W/out.txt" 2>&1; rc=$?
[ $rc -eq 1 ] || bad "4: exit $rc, want 1"
grep -q "audit/mutant-justifications.json:2: error: INV026.*$KILL justifies no surviving mutant" "$W/out.txt" ||
  bad "4: no INV026 for the unused justification"

# 5. malformed input: exit 2
record maybe
"$tool" check "${COMMON[@]}" >"$W/out.txt" 2>&1; rc=$?
{ [ $rc -eq 2 ] && grep -q 'status of killed, survived' "$W/out.txt"; } || bad "5: unknown status: exit $rc, want 2"
record survived
justify "$SURV" ""
"$tool" check "${COMMON[@]}" >"$W/out.txt" 2>&1; rc=$?
{ [ $rc -eq 2 ] && grep -q 'non-empty reason and reviewer' "$W/out.txt"; } || bad "5: no reviewer: exit $rc, want 2"

[ $fail -eq 0 ] && echo "inventory_rules: 5 cases as expected (INV025, justified, INV026 stale, INV026 unused, malformed)"
exit $fail
