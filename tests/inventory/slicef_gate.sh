#!/usr/bin/env bash
# slicef_gate.sh TOOL: the Slice F merge gate, demonstrated on the capOS fixture kernel
# (issue 14). A branch adds a swap-out primitive; `inventory check` must fail with INV006
# listing every prerequisite backlog item that is not done (MAM-F2, MAM-F3: the config's
# `forbidden` entry for role `swap`), keep failing while any one of them lacks passing evidence
# of every kind its `requires` names (evidence declared but failed, or of the wrong kind, does
# not count), and pass only when both are done; a DMA-map primitive added then is refused
# with MAM-F1. The evidence is fabricated for the fixture:
# test sources with @proves tags, the CTest list naming their labels, and a JUnit file with
# their results, exactly the inputs the gate reads on the real kernel.
set -uo pipefail
tool=$1
here=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/inv-slicef.XXXXXX")
trap 'rm -rf "$W"' EXIT
R=$W/root B=$W/build
cp -r "$here/fixtures/capos" "$R"
fail() { echo "FAIL: $*"; exit 1; }

# The backlog of the fixture gets Slice F's three items as the real one has them (their
# evidence clauses and exit criteria).
jq --slurpfile real "$here/../../docs/audit/backlog.json" \
   '.items += [$real[0].items[] | select(.id == "MAM-F2" or .id == "MAM-F3")]' \
   "$here/fixtures/capos/audit/backlog.json" >"$R/audit/backlog.json" || fail "jq: backlog"
jq -e '[.items[] | select(.id == "MAM-F2" or .id == "MAM-F3") | .exit | length > 0] == [true, true]' \
   "$R/audit/backlog.json" >/dev/null || fail "MAM-F2/F3 have no exit criteria in docs/audit/backlog.json"

# The change under review: a swap-out primitive and its caller.
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

# Evidence: tests/<dir>/<name>.c declares `@proves <test>: <ids>`; the CTest list gives the
# test its label; the JUnit file its result.
add_test() { # name label status(run|fail) ids...
  local name=$1 label=$2 status=$3; shift 3
  mkdir -p "$R/tests/slicef"
  printf '/* @proves %s: %s */\n' "$name" "$*" >"$R/tests/slicef/$name.c"
  jq --arg n "$name" --arg l "$label" \
     '.tests += [{"name": $n, "properties": [{"name": "LABELS", "value": [$l]}]}]' \
     "$R/ctest.json" >"$W/ct.json" && mv "$W/ct.json" "$R/ctest.json"
  local body=""
  [ "$status" = fail ] && body='<failure message="failed"/>'
  sed -i "s|</testsuite>|\t<testcase name=\"$name\" classname=\"$name\" time=\"0.1\" status=\"run\">$body</testcase>\n</testsuite>|" \
      "$R/junit.xml"
}
check() { # label: run inventory check, keep output in $W/out.txt, return its exit code
  echo "== $1"
  "$tool" check --root "$R" --config "$R/inventory.json" --build "$B" \
     --ctest-json "$R/ctest.json" --junit "$R/junit.xml" >"$W/out.txt" 2>&1
  local rc=$?
  sed "s|$W|@W@|g" "$W/out.txt"
  return $rc
}
inv006() { grep -E '^kernel/mm/swap\.c:[0-9]+: error: INV006: ' "$W/out.txt"; }

# 1. No evidence at all: both prerequisites missing.
check "no evidence"; rc=$?
[ $rc -eq 1 ] || fail "check exited $rc, want 1"
inv006 | grep -q "swap primitive 'swap_out_page' .* before its prerequisites are done: MAM-F2 (open), MAM-F3 (open)$" ||
  fail "INV006 does not list MAM-F2 and MAM-F3"

# 2. MAM-F3 needs host and cocci: a passing host test alone leaves it partial.
add_test host_elig_fx host run MAM-F3
check "MAM-F3: host only"; rc=$?
[ $rc -eq 1 ] && inv006 | grep -q "MAM-F2 (open), MAM-F3 (partial)$" || fail "MAM-F3 with host only must stay partial"

# 3. A cited cocci test that failed does not count (MAM-F3 fails, the gate stays shut).
add_test cocci_elig_fx cocci fail MAM-F3
check "MAM-F3: cocci failed"; rc=$?
[ $rc -eq 1 ] && inv006 | grep -q "MAM-F3 (failing)" || fail "a failed citation must keep MAM-F3 from done"

# 4. The cocci test passes: MAM-F3 done, INV006 lists MAM-F2 alone.
sed -i 's|<testcase name="cocci_elig_fx" classname="cocci_elig_fx" time="0.1" status="run"><failure message="failed"/></testcase>|<testcase name="cocci_elig_fx" classname="cocci_elig_fx" time="0.1" status="run"></testcase>|' "$R/junit.xml"
check "MAM-F3 done"; rc=$?
[ $rc -eq 1 ] && inv006 | grep -q "before its prerequisites are done: MAM-F2 (open)$" ||
  fail "with MAM-F3 done INV006 must list MAM-F2 alone"

# 5. Evidence of the wrong kind for MAM-F2 (qemu, not proof): still refused.
add_test qemu_swap_fx qemu run MAM-F2
check "MAM-F2: wrong kind"; rc=$?
[ $rc -eq 1 ] && inv006 | grep -q "MAM-F2 (partial)$" || fail "MAM-F2 with qemu evidence only must stay partial"

# 6. Proof and host evidence for MAM-F2: every prerequisite done, the gate opens.
add_test proof_swap_fx proof run MAM-F2
add_test host_swap_fx host run MAM-F2
check "all prerequisites done"; rc=$?
[ $rc -eq 0 ] || fail "check exited $rc with every prerequisite done, want 0"
grep -q "INV006" "$W/out.txt" && fail "INV006 still reported"

# 7. The same branch also adds a DMA-map primitive: refused again, with MAM-F1 alone.
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
check "a DMA primitive too"; rc=$?
[ $rc -eq 1 ] || fail "check exited $rc with a DMA primitive, want 1"
grep -qE "^kernel/mm/dma\.c:[0-9]+: error: INV006: dma primitive 'dma_map_page' .* before its prerequisites are done: MAM-F1 \((open|partial)\)$" "$W/out.txt" ||
  fail "INV006 does not list MAM-F1 for the DMA primitive"
inv006 && fail "the swap primitive is still refused"
echo "PASS: swap is refused until MAM-F2 and MAM-F3 are done from passing evidence, DMA until MAM-F1 is"
