#!/usr/bin/env bash
# slicef_gate.sh TOOL: the Slice F merge gate, demonstrated on the capOS fixture kernel
# (issue 14), from WITNESSED evidence. The fixture is the witnessed one of the witness_* cases
# (cases/witness_base over fixtures/capos: a proof table with "witnessed": true, fabricated
# witness files, a CTest list whose tests name their sources) and `inventory check` reads the
# witness files (--witness-dir). A branch adds a swap-out primitive (kernel/mm/swap.c); the
# config's `forbidden` entry for role `swap` names MAM-F2 and MAM-F3. The steps:
#  1. no evidence: INV006 lists MAM-F2 (open), MAM-F3 (open);
#  2. a passing host test tagged for MAM-F3 whose witness executed only its own test file does
#     not count: INV020 on its tag, MAM-F3 stays open;
#  3. the same test with a witness that executed a line of MAM-F3's code (kernel/mm/frame.c,
#     one of the item's `files`) counts: no INV020, MAM-F3 partial (cocci still missing); a
#     cited cocci run that failed keeps it from done (failing); once it passes MAM-F3 is done and
#     INV006 lists MAM-F2 alone;
#  4. MAM-F2 (files kernel/mm/swap*.c): a qemu test that executed swap.c is the wrong kind
#     (MAM-F2 partial, not done); a proof whose command names a file that is not swap.c does not count (INV020);
#     a proof whose command names swap.c plus a host test whose witness executed swap.c lines
#     make it done: the gate opens (exit 0, no INV006, no finding at all);
#  5. the branch also adds a DMA-map primitive: refused with INV006 naming MAM-F1.
# Every expectation is a grep on the check's output (or its exit code).
set -uo pipefail
tool=$1
here=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/inv-slicef.XXXXXX")
trap 'rm -rf "$W"' EXIT
R=$W/root B=$W/build
fail() { echo "FAIL: $*"; exit 1; }

# The witnessed fixture, laid out as run_case.sh does for the witness_* cases.
cp -r "$here/fixtures/capos" "$R"
(cd "$here/cases/witness_base" && find . -type f -print |
   while read -r f; do mkdir -p "$R/$(dirname "$f")"; cp "$f" "$R/$f"; done)
sed -i "s|@ROOT@|$R|g" "$R/ctest.json"
jq -e '.witnessed == true' "$R/audit/proof-table.json" >/dev/null || fail "the proof table is not witnessed"

# The backlog of the fixture gets Slice F's three items as the real one has them (their
# evidence clauses, `files` and exit criteria).
jq --slurpfile real "$here/../../docs/audit/backlog.json" \
   '.items += [$real[0].items[] | select(.id == "MAM-F1" or .id == "MAM-F2" or .id == "MAM-F3")]' \
   "$here/cases/witness_base/audit/backlog.json" >"$R/audit/backlog.json" || fail "jq: backlog"
jq -e '[.items[] | select(.id == "MAM-F2" or .id == "MAM-F3") | .exit | length > 0] == [true, true]' \
   "$R/audit/backlog.json" >/dev/null || fail "MAM-F2/F3 have no exit criteria in docs/audit/backlog.json"
jq -e '[.items[] | select(.id == "MAM-F2" or .id == "MAM-F3") | .files] ==
       [["kernel/swap/*.c", "kernel/mm/swap*.c"], ["kernel/lib/elig.c", "kernel/mm/frame.c"]]' \
   "$R/audit/backlog.json" >/dev/null || fail "MAM-F2/F3 files in docs/audit/backlog.json changed: update this test"

# The change under review: a swap-out primitive (lines 8-10 are its body).
cat >"$R/kernel/mm/swap.c" <<'C'
/* A branch that adds swap: swap_out_page() is a primitive of role `swap`. */
#include "fx.h"

int swap_out_page(struct aspace *as, vaddr_t va);

int swap_out_page(struct aspace *as, vaddr_t va)
{
	(void)as;
	(void)va;
	return 0;
}
C
"$here/mkcdb.sh" "$R" "$B"

# Evidence: tests/slicef/<name>.c declares `@proves <test>: <ids>`; the CTest list gives the
# test its label and a command naming its source (so the tag is in the test's own sources,
# INV021) and any further files (what a proof proves); the JUnit file its result.
add_test() { # name label status(run|fail) "extra command files" ids...
  local name=$1 label=$2 status=$3 extra=$4; shift 4
  mkdir -p "$R/tests/slicef"
  printf '/* @proves %s: %s */\nint %s(void) { return 0; }\n' "$name" "$*" "$name" >"$R/tests/slicef/$name.c"
  local cmd=("/usr/bin/true" "$R/tests/slicef/$name.c") f
  for f in $extra; do cmd+=("$R/$f"); done
  jq --arg n "$name" --arg l "$label" \
     '.tests += [{"name": $n, "command": $ARGS.positional, "properties": [{"name": "LABELS", "value": [$l]}]}]' \
     "$R/ctest.json" --args "${cmd[@]}" >"$W/ct.json" && mv "$W/ct.json" "$R/ctest.json" || fail "jq: ctest"
  local body=""
  [ "$status" = fail ] && body='<failure message="failed"/>'
  sed -i "s|</testsuite>|\t<testcase name=\"$name\" classname=\"$name\" time=\"0.1\" status=\"run\">$body</testcase>\n</testsuite>|" \
      "$R/junit.xml"
}
# witness NAME FILE:LINES... : the witness file of a passing run of NAME (LINES comma-separated).
witness() {
  local name=$1; shift
  local files='{}' fl
  for fl in "$@"; do
    files=$(jq -c --arg f "${fl%%:*}" --arg l "${fl#*:}" '. + {($f): ($l | split(",") | map(tonumber))}' <<<"$files")
  done
  jq -n --arg n "$name" --argjson files "$files" \
     '{schema: "capos-witness/1", test: $n, ctest: $n, source: "host-coverage", passed: true, files: $files}' \
     >"$R/witness/$name.json" || fail "jq: witness $name"
}
check() { # label: run inventory check, keep output in $W/out.txt, return its exit code
  echo "== $1"
  "$tool" check --root "$R" --config "$R/inventory.json" --build "$B" \
     --ctest-json "$R/ctest.json" --junit "$R/junit.xml" --witness-dir "$R/witness" >"$W/out.txt" 2>&1
  local rc=$?
  sed "s|$W|@W@|g" "$W/out.txt"
  return $rc
}
inv006() { grep -E '^kernel/mm/swap\.c:[0-9]+: error: INV006: ' "$W/out.txt"; }
inv020() { # test item: INV020 on the tag of TEST citing backlog item ITEM
  grep -qE "^tests/slicef/$1\.c:1: error: INV020: '$1' is cited for backlog item $2 " "$W/out.txt"; }
findings() { grep -E '^inventory check: [0-9]+ finding\(s\)' "$W/out.txt"; }

# 1. No evidence at all: both prerequisites missing.
check "1. no evidence"; rc=$?
[ $rc -eq 1 ] || fail "check exited $rc, want 1"
inv006 | grep -q "swap primitive 'swap_out_page' .* before its prerequisites are done: MAM-F2 (open), MAM-F3 (open)$" ||
  fail "INV006 does not list MAM-F2 and MAM-F3"
findings | grep -qx 'inventory check: 1 finding(s)' || fail "want INV006 as the only finding"

# 2. A passing host test tagged for MAM-F3 whose witness executed only its own file: the
#    citation is not witnessed (INV020) and MAM-F3 stays open.
add_test host_elig_fx host run "" MAM-F3
witness host_elig_fx tests/slicef/host_elig_fx.c:2
check "2. MAM-F3: host test that did not execute the item's code"; rc=$?
[ $rc -eq 1 ] || fail "check exited $rc, want 1"
inv020 host_elig_fx MAM-F3 || fail "no INV020 for a host citation that executed none of MAM-F3's code"
inv006 | grep -q "MAM-F2 (open), MAM-F3 (open)$" || fail "an unwitnessed citation must leave MAM-F3 open"
findings | grep -qx 'inventory check: 2 finding(s)' || fail "want INV006 and INV020 only"

# 3a. The same test, its witness now executing lines of kernel/mm/frame.c (MAM-F3's files):
#     the citation counts; MAM-F3 needs cocci too, so it is partial.
witness host_elig_fx tests/slicef/host_elig_fx.c:2 kernel/mm/frame.c:8
check "3a. MAM-F3: host test that executed frame.c"; rc=$?
[ $rc -eq 1 ] || fail "check exited $rc, want 1"
grep -q "INV020" "$W/out.txt" && fail "INV020 although the witness executed MAM-F3's code"
inv006 | grep -q "MAM-F2 (open), MAM-F3 (partial)$" || fail "MAM-F3 with a witnessed host test only must be partial"
findings | grep -qx 'inventory check: 1 finding(s)' || fail "want INV006 as the only finding"

# 3b. A cited cocci run that failed does not count (MAM-F3 failing, the gate stays shut).
add_test cocci_elig_fx cocci fail "" MAM-F3
check "3b. MAM-F3: cocci failed"; rc=$?
[ $rc -eq 1 ] || fail "check exited $rc, want 1"
inv006 | grep -q "MAM-F2 (open), MAM-F3 (failing)$" || fail "a failed citation must keep MAM-F3 from done"
grep -q "^tests/slicef/cocci_elig_fx\.c:1: error: INV004: test 'cocci_elig_fx' is cited as evidence but failed$" "$W/out.txt" ||
  fail "no INV004 for the failed cocci citation"

# 3c. The cocci run passes (a whole-kernel static run while the item's code exists): MAM-F3
#     done, INV006 lists MAM-F2 alone.
sed -i 's|<testcase name="cocci_elig_fx" classname="cocci_elig_fx" time="0.1" status="run"><failure message="failed"/></testcase>|<testcase name="cocci_elig_fx" classname="cocci_elig_fx" time="0.1" status="run"></testcase>|' "$R/junit.xml"
grep -q '<failure' "$R/junit.xml" && fail "sed: cocci_elig_fx still failed"
check "3c. MAM-F3 done"; rc=$?
[ $rc -eq 1 ] || fail "check exited $rc, want 1"
inv006 | grep -q "before its prerequisites are done: MAM-F2 (open)$" ||
  fail "with MAM-F3 done INV006 must list MAM-F2 alone"
findings | grep -qx 'inventory check: 1 finding(s)' || fail "want INV006 as the only finding"

# 4a. Evidence of the wrong kind for MAM-F2 (a qemu test that executed swap.c; MAM-F2 needs
#     proof and host): still refused.
add_test qemu_swap_fx qemu run "" MAM-F2
witness qemu_swap_fx tests/slicef/qemu_swap_fx.c:2 kernel/mm/swap.c:8,9,10
check "4a. MAM-F2: wrong kind"; rc=$?
[ $rc -eq 1 ] || fail "check exited $rc, want 1"
inv006 | grep -q "before its prerequisites are done: MAM-F2 (partial)$" ||
  fail "MAM-F2 with qemu evidence only must stay partial"
findings | grep -qx 'inventory check: 1 finding(s)' || fail "a witnessed qemu citation is no finding, only not enough"

# 4b. A passing proof whose command proves a file that is not MAM-F2's (frame.c): not counted.
add_test proof_swap_fx proof run "kernel/mm/frame.c" MAM-F2
check "4b. MAM-F2: proof of another file"; rc=$?
[ $rc -eq 1 ] || fail "check exited $rc, want 1"
inv020 proof_swap_fx MAM-F2 || fail "no INV020 for a proof that proves none of MAM-F2's files"
inv006 | grep -q "before its prerequisites are done: MAM-F2 (partial)$" || fail "MAM-F2 must stay partial"

# 4c. The proof's command names swap.c, and a host test's witness executed swap.c: every
#     prerequisite done from witnessed evidence, the gate opens with no finding at all.
jq --arg f "$R/kernel/mm/swap.c" '(.tests[] | select(.name == "proof_swap_fx") | .command) |= map(if endswith("/kernel/mm/frame.c") then $f else . end)' \
   "$R/ctest.json" >"$W/ct.json" && mv "$W/ct.json" "$R/ctest.json" || fail "jq: proof command"
add_test host_swap_fx host run "" MAM-F2
witness host_swap_fx tests/slicef/host_swap_fx.c:2 kernel/mm/swap.c:8,9,10
check "4c. all prerequisites done"; rc=$?
[ $rc -eq 0 ] || fail "check exited $rc with every prerequisite done, want 0"
grep -q "INV006" "$W/out.txt" && fail "INV006 still reported"
findings | grep -qx 'inventory check: 0 finding(s)' || fail "want no finding with every prerequisite done"

# 5. The same branch also adds a DMA-map primitive: refused again, with MAM-F1 alone.
cat >"$R/kernel/mm/dma.c" <<'C'
/* A DMA-map primitive: role `dma`. */
#include "fx.h"

int dma_map_page(struct aspace *as, vaddr_t va);

int dma_map_page(struct aspace *as, vaddr_t va)
{
	(void)as;
	(void)va;
	return 0;
}
C
"$here/mkcdb.sh" "$R" "$B"
check "5. a DMA primitive too"; rc=$?
[ $rc -eq 1 ] || fail "check exited $rc with a DMA primitive, want 1"
grep -qE "^kernel/mm/dma\.c:[0-9]+: error: INV006: dma primitive 'dma_map_page' .* before its prerequisites are done: MAM-F1 \(open\)$" "$W/out.txt" ||
  fail "INV006 does not list MAM-F1 for the DMA primitive"
inv006 && fail "the swap primitive is still refused"
findings | grep -qx 'inventory check: 1 finding(s)' || fail "want the DMA INV006 as the only finding"
echo "PASS: swap is refused until MAM-F2 and MAM-F3 are done from witnessed passing evidence, DMA until MAM-F1 is"
