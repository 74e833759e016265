#!/usr/bin/env bash
# real_kernel.sh TOOL SRC BUILD MODE: run the inventory on the real kernel of this build tree.
#
#   tables-fresh  the committed docs/state-tables equal what `inventory tables` writes now
#                 (evaluated without JUnit, the way the pages are committed)
#   gate          scan + check with phase 1's JUnit (BUILD/junit/tests.xml and the per-kernel-test
#                 BUILD/junit/ktests/qemu_ktests.xml), its witness files (BUILD/witness) and the
#                 Coccinelle findings (BUILD/cocci/findings.json) when present; SARIF and text
#                 reports go to BUILD/inventory/. Exit 1 on findings, 2 when input cannot be read.
set -uo pipefail
tool=$1 src=$2 build=$3 mode=$4
out=$build/inventory
mkdir -p "$out"
common=(--root "$src" --build "$build" -j 2)
case $mode in
  tables-fresh)
    exec "$tool" tables "${common[@]}" --out docs/state-tables --check ;;
  gate)
    junit=$build/junit/tests.xml
    if [ ! -r "$junit" ]; then
      echo "gate_inventory_check: $junit is missing: run phase 1 first (ci/test does)" >&2
      exit 2
    fi
    ktests=$build/junit/ktests/qemu_ktests.xml
    if [ ! -r "$ktests" ] || [ ! -d "$build/witness" ]; then
      echo "gate_inventory_check: $ktests or $build/witness is missing: run phase 1 first (ci/test does)" >&2
      exit 2
    fi
    args=(--junit "$junit" --junit "$ktests" --witness-dir "$build/witness"
          --tables docs/state-tables --sarif "$out/check.sarif" --out "$out/check.txt")
    [ -r "$build/cocci/findings.json" ] && args+=(--findings "$build/cocci/findings.json")
    "$tool" scan "${common[@]}" --out "$out/model.json" || exit $?
    "$tool" check "${common[@]}" --model "$out/model.json" "${args[@]}"
    rc=$?
    cat "$out/check.txt" 2>/dev/null
    exit $rc ;;
  *) echo "real_kernel.sh: unknown mode '$mode'" >&2; exit 2 ;;
esac
