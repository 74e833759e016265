#!/usr/bin/env bash
# fixture_kernel.sh TOOL KERNEL: the inventory on a fixture kernel of tests/fixtures/kernels/KERNEL
# (written in another kernel's style, shared with the Coccinelle rules) with the inventory's own
# config tests/inventory/kernels/KERNEL.json: the clean variant must give 0 findings, and each
# seeded-defect variant (clean with defects/NAME/ laid over it) exactly the findings of
# tests/inventory/kernels/KERNEL/NAME.expected (rule, file:line and message; a defect that gives
# no finding at all fails: every seeded defect must be reported).
# INVENTORY_UPDATE_GOLDEN=1 rewrites the expected files.
set -uo pipefail
tool=$1 kernel=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$here/../fixtures/kernels/$kernel
cfg=$here/kernels/$kernel.json
exp=$here/kernels/$kernel
W=$(mktemp -d "${TMPDIR:-/tmp}/invk-$kernel.XXXXXX")
trap 'rm -rf "$W"' EXIT
echo '{"kind": "ctestInfo", "tests": []}' >"$W/ctest.json"
status=0
run() {  # run NAME [DEFECT_DIR]
  local name=$1 R=$W/$1
  mkdir -p "$R"
  cp -r "$src/clean/." "$R/"
  [ -n "${2:-}" ] && cp -r "$2/kernel/." "$R/kernel/"
  cp -r "$src/tests" "$R/"
  "$here/mkcdb.sh" "$R" "$R/build"
  "$tool" check --root "$R" --config "$cfg" --build "$R/build" --ctest-json "$W/ctest.json" \
    --format json --no-cache >"$W/$name.json" 2>"$W/$name.err"
  local rc=$?
  if [ $rc -gt 1 ]; then echo "FAIL: $kernel/$name: exit $rc"; cat "$W/$name.err"; status=1; return; fi
  jq -r '.findings[] | "\(.rule) \(.file):\(.line) \(.message)"' "$W/$name.json" | LC_ALL=C sort >"$W/$name.txt"
  local want=$exp/$name.expected
  if [ "${INVENTORY_UPDATE_GOLDEN:-0}" = 1 ]; then
    { grep '^#' "$want" 2>/dev/null; cat "$W/$name.txt"; } >"$W/new" && mkdir -p "$exp" && mv "$W/new" "$want"
    echo "updated $want"
  elif ! diff -u <(grep -v '^#' "$want" 2>/dev/null) "$W/$name.txt"; then
    echo "FAIL: $kernel/$name: findings differ from $want"; status=1
  fi
  # Every switched-off rule shows its reason in the report.
  jq -e '(.rule_settings // []) | all(.reason != null and .reason != "")' "$W/$name.json" >/dev/null || { echo "FAIL: a rule setting without its reason"; status=1; }
}
run clean
[ -s "$W/clean.txt" ] && { echo "FAIL: $kernel/clean has findings"; status=1; }
for d in "$src"/defects/*/; do
  run "$(basename "$d")" "$d"
  # Every seeded defect is reported by the inventory (as by the rules, tests/cocci): a variant
  # with no finding is a net with a hole, whatever its expected file says.
  [ "${INVENTORY_UPDATE_GOLDEN:-0}" = 1 ] || [ -s "$W/$(basename "$d").txt" ] ||
    { echo "FAIL: $kernel/$(basename "$d"): the seeded defect gives no inventory finding"; status=1; }
done
n=$(ls "$src"/defects | wc -l)
echo "$kernel: clean + $n seeded-defect variants checked"
exit $status
