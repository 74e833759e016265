#!/usr/bin/env bash
# run_case.sh TOOL CASE: one golden test of tools/inventory on the fixture kernels.
#
# Copies tests/inventory/fixtures/<fixture> into a scratch dir, lays tests/inventory/cases/<CASE>
# over it when that exists, writes a compile database with absolute paths (mkcdb.sh), runs the
# tool and compares exit code + output with tests/inventory/golden/<CASE>.txt (the scratch path is
# replaced by @W@, the source tree's by @SRC@). INVENTORY_UPDATE_GOLDEN=1 rewrites the golden file instead of comparing.
set -uo pipefail
tool=$1 case=$2
here=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/inv-$case.XXXXXX")
trap 'rm -rf "$W"' EXIT
fixture=capos
[[ $case == bsd* ]] && fixture=bsd
[[ $case == xv6* ]] && fixture=xv6
cp -r "$here/fixtures/$fixture" "$W/root"
R=$W/root B=$W/build
layers=("$case")
# witness_* cases: the witnessed fixture (cases/witness_base: a proof table with witnessed: true,
# fabricated witness files, a CTest list with backtraces) first, then the case's own changes.
[[ $case == witness_* ]] && layers=(witness_base "$case")
JUNIT=$R/junit.xml
for layer in "${layers[@]}"; do
  if [ -d "$here/cases/$layer" ]; then
    (cd "$here/cases/$layer" && find . -path ./junit.xml -prune -o -path ./inventory.json -prune -o -type f -print |
       while read -r f; do mkdir -p "$R/$(dirname "$f")"; cp "$f" "$R/$f"; done)
  fi
  [ -f "$here/cases/$layer/junit.xml" ] && JUNIT=$here/cases/$layer/junit.xml
done
# A CTest list names absolute paths: the fixture's say @ROOT@.
sed -i "s|@ROOT@|$R|g" "$R/ctest.json"
"$here/mkcdb.sh" "$R" "$B"
CFG=$R/inventory.json; [ -f "$here/cases/$case/inventory.json" ] && CFG=$here/cases/$case/inventory.json
COMMON=(--root "$R" --config "$CFG")
EV=(--ctest-json "$R/ctest.json" --junit "$JUNIT")
inv() { "$tool" "$@"; }
out=$W/out.txt
want_rc=0 want=""   # expected exit code, and a string the output must contain

case $case in
  clean_scan)    inv scan "${COMMON[@]}" --build "$B" --no-cache --out "$W/model.json" >"$out" 2>&1; rc=$?
                 cat "$W/model.json" >>"$out" ;;
  clean_check|bsd_check|selflock) inv check "${COMMON[@]}" --build "$B" "${EV[@]}" >"$out" 2>&1; rc=$?
                 want="0 finding(s)" ;;
  positional)    inv check "${COMMON[@]}" --build "$B" "${EV[@]}" >"$out" 2>&1; rc=$?
                 # ->run resolved through the positional initializer: the operation reaches the
                 # lock hook_run_impl takes, and not the frame free of hook_stop_impl.
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/model.json" >/dev/null 2>&1 || rc=13
                 jq -r '.operations["hook.run"].primitives | sort | join(" ")' \
                    "$W/model.json" >>"$out" 2>&1 || rc=14
                 want="0 finding(s)" ;;
  clean_tables|bsd_tables)
                 inv tables "${COMMON[@]}" --build "$B" "${EV[@]}" --out "$W/st" >"$out" 2>&1; rc=$?
                 for f in $(cd "$W/st" && ls | LC_ALL=C sort); do echo "=== $f" >>"$out"; cat "$W/st/$f" >>"$out"; done
                 # Not stale right after writing (INV005 does not fire)...
                 inv check "${COMMON[@]}" --build "$B" "${EV[@]}" --tables "$W/st" >>"$out" 2>&1 || rc=10 ;;
  inv005)        inv tables "${COMMON[@]}" --build "$B" "${EV[@]}" --out "$W/st" >"$out" 2>&1
                 echo "hand edit" >>"$W/st/inventory.md"; echo "# left over" >"$W/st/machine-old.md"
                 inv check "${COMMON[@]}" --build "$B" "${EV[@]}" --tables "$W/st" >>"$out" 2>&1; rc=$?
                 inv tables "${COMMON[@]}" --build "$B" "${EV[@]}" --out "$W/st" --check >>"$out" 2>&1
                 [ $? -eq 1 ] || rc=11
                 want_rc=1 want="INV005" ;;
  inv007|nocdb)  [ $case = nocdb ] && B=$W/nonexistent
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/model.json" >"$out" 2>&1; rc=$?
                 [ -e "$W/model.json" ] && { echo "model written despite errors" >>"$out"; rc=12; }
                 want_rc=2; [ $case = inv007 ] && want="INV007" ;;
  inv008|badconfig)
                 [ $case = badconfig ] && { echo '{"schema": "capos-inventory-config/1",' >"$W/bad.json"; CFG=$W/bad.json; COMMON=(--root "$R" --config "$CFG"); }
                 inv check "${COMMON[@]}" --build "$B" "${EV[@]}" >"$out" 2>&1; rc=$?
                 want_rc=2; [ $case = inv008 ] && want="unknown config key 'primitives.pte_wirte'" ;;
  inv009)        inv check "${COMMON[@]}" --build "$B" "${EV[@]}" >"$out" 2>&1; rc=$?
                 want_rc=2 want="tests/host/bad.c:2: INV009" ;;
  modelconfig)   inv scan "${COMMON[@]}" --build "$B" --out "$W/m.json" >"$out" 2>&1
                 sed 's/"description": "/"description": "changed: /' "$CFG" >"$W/cfg2.json"
                 inv check --root "$R" --config "$W/cfg2.json" --model "$W/m.json" "${EV[@]}" >>"$out" 2>&1; rc=$?
                 want_rc=2 want="different config" ;;
  badjunit)      echo "not xml" >"$W/j.xml"
                 inv check "${COMMON[@]}" --build "$B" --ctest-json "$R/ctest.json" --junit "$W/j.xml" >"$out" 2>&1; rc=$?
                 want_rc=2 want="not a JUnit file" ;;
  tricky)        inv check "${COMMON[@]}" --build "$B" "${EV[@]}" >"$out" 2>&1; rc=$?
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/m.json" >/dev/null 2>&1 || rc=37
                 jq -r '(.transitions[] | select(.function == "perform_tr_unmap") | .id),
                        (.operations["tr.unmap"] | .primitives, .unresolved | tostring)' "$W/m.json" >>"$out" 2>&1 || rc=38
                 want_rc=1 want="INV013: perform_tr_loop returns (error) with lock(&as->lock)" ;;
  xv6_clean)     # A kernel with plain PTE stores, walk(_, _, 1) allocating, field-state processes and
                 # INV014 switched off (single-threaded): the clean variant passes, and the model
                 # has the store sites, the argument-conditioned walk() and the field transitions.
                 inv check "${COMMON[@]}" --build "$B" "${EV[@]}" >"$out" 2>&1; rc=$?
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/m.json" >/dev/null 2>&1 || rc=66
                 jq -r '.primitive_sites[] | "\(.role) \(.name) in \(.function)"' "$W/m.json" >>"$out" 2>&1 || rc=67
                 jq -r '.transitions[] | "\(.id) in \(.function)"' "$W/m.json" >>"$out" 2>&1 || rc=68
                 # Return paths of the hand-over, the correlated flag and the pointer family.
                 jq -r '.functions[] | select(.name == "bfind" or .name == "peek_state" or .name == "bread_valid") |
                        "\(.name): \([.returns[] | "\(.kind) \(.value) holding \([.held[] | "\(.key)\(.count)"])"] | join("; "))"' \
                    "$W/m.json" | LC_ALL=C sort >>"$out" 2>&1 || rc=83
                 # Without key_return the hand-over through bget()'s return value is a false INV013.
                 jq 'del(.pairs[1].key_return)' "$CFG" >"$R/nokr.json"
                 echo "== without key_return" >>"$out"
                 inv check --root "$R" --config "$R/nokr.json" --build "$B" "${EV[@]}" >>"$out" 2>&1; [ $? -eq 1 ] || rc=84
                 want="0 finding(s)" ;;
  xv6_defect)    # The seeded defect (free before the PTE clear, no flush in the function) is reported
                 # in the function that frees, order-aware; and the callers only through summaries.
                 inv check "${COMMON[@]}" --build "$B" "${EV[@]}" >"$out" 2>&1; rc=$?
                 want_rc=1 want="INV018: uvmunmap frees a frame (kfree, line 25) before the page-table clear *pte = (line 27)" ;;
  xv6_diff)      # Order is a change: moving the free before the flush (and back) is reported by diff
                 # with the function and a risk line, though no call was added or removed.
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/old.json" >"$out" 2>&1
                 # The free moves above the flush; no call is added or removed.
                 perl -0pi -e 's/\tsfence_vma\(\);\n(\tif \(do_free\)\n\t\tkfree\(\(void \*\)pa\);\n)/$1\tsfence_vma();\n/' "$R/kernel/vm.c"
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/new.json" >>"$out" 2>&1
                 inv check "${COMMON[@]}" --model "$W/new.json" "${EV[@]}" >>"$out" 2>&1; [ $? -eq 1 ] || rc=69
                 inv diff "${COMMON[@]}" "${EV[@]}" "$W/old.json" "$W/new.json" >>"$out" 2>&1; rc=$?
                 echo "== and back" >>"$out"
                 inv diff "${COMMON[@]}" "${EV[@]}" "$W/new.json" "$W/old.json" >>"$out" 2>&1 || rc=$((rc + 10))
                 want_rc=11 want="free moved" ;;
  obligations)   # Obligation IDs come from function, class and ordinal: a line shift changes every
                 # line and no ID; witnesses and mutants are not measured yet, and say so.
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/a.json" >"$out" 2>&1; rc=$?
                 sed -i '1i /* a comment that moves every line */\n' "$R/kernel/cap/vm.c" "$R/kernel/mm/frame.c"
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/b.json" >>"$out" 2>&1 || rc=70
                 jq -r '.obligations[] | "\(.id) \(.class) \(.witnesses | length) \(.mutant.status)"' "$W/a.json" >"$W/a.ids"
                 jq -r '.obligations[] | "\(.id) \(.class) \(.witnesses | length) \(.mutant.status)"' "$W/b.json" >"$W/b.ids"
                 cat "$W/a.ids" >>"$out"
                 cmp -s "$W/a.ids" "$W/b.ids" || { echo "obligation IDs moved with the lines" >>"$out"; rc=71; }
                 [ "$(jq -c '[.obligations[].line]' "$W/a.json")" != "$(jq -c '[.obligations[].line]' "$W/b.json")" ] ||
                   { echo "lines did not move: the test proves nothing" >>"$out"; rc=72; } ;;
  outputs)       # Outputs: a temporary file renamed into place, except over a target that is not a
                 # regular file (written through: /dev/null stays a device, a symlink stays a link);
                 # a write error (/dev/full) is exit 2; --version is the SARIF driver's version.
                 rc=0; : >"$out"
                 inv scan "${COMMON[@]}" --build "$B" --out /dev/null >>"$out" 2>&1 || rc=73
                 [ -c /dev/null ] || { echo "/dev/null replaced" >>"$out"; rc=74; }
                 echo old >"$W/target.json"; ln -s "$W/target.json" "$W/link.json"
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/link.json" >>"$out" 2>&1 || rc=75
                 [ -L "$W/link.json" ] && grep -q '"schema"' "$W/target.json" || { echo "symlink replaced or target not written" >>"$out"; rc=76; }
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/m.json" >>"$out" 2>&1 || rc=77
                 ls "$W" | grep -q '\.tmp\.' && { echo "temporary file left behind" >>"$out"; rc=78; }
                 if [ -w /dev/full ]; then
                   echo "== scan > /dev/full" >>"$out"
                   inv scan "${COMMON[@]}" --build "$B" >/dev/full 2>>"$out"; [ $? -eq 2 ] || rc=79
                   echo "== check --out /dev/full" >>"$out"
                   inv check "${COMMON[@]}" --model "$W/m.json" "${EV[@]}" --out /dev/full >>"$out" 2>&1; [ $? -eq 2 ] || rc=80
                   echo "== rules > /dev/full" >>"$out"
                   inv rules >/dev/full 2>>"$out"; [ $? -eq 2 ] || rc=81
                 fi
                 v=$(inv --version | awk '{print $2}')
                 sv=$(inv check "${COMMON[@]}" --model "$W/m.json" "${EV[@]}" --format sarif | jq -r '.runs[0].tool.driver.version')
                 [ -n "$v" ] && [ "$v" = "$sv" ] || { echo "--version '$v' differs from the SARIF driver's '$sv'" >>"$out"; rc=82; } ;;
  shard)         # scan --shard I/N on three shards + merge gives the unsharded model byte for byte,
                 # through a second shard round for the derived wrappers; an incomplete or mixed
                 # set of shards is refused.
                 (cd "$here/cases/wrapper" && find . -type f -name '*.c' | while read -r f; do mkdir -p "$R/$(dirname "$f")"; cp "$f" "$R/$f"; done)
                 "$here/mkcdb.sh" "$R" "$B"
                 rc=0
                 inv scan "${COMMON[@]}" --build "$B" --no-cache --out "$W/full.json" >"$out" 2>&1 || rc=85
                 for i in 0 1 2; do inv scan "${COMMON[@]}" --build "$B" --no-cache --shard $i/3 --out "$W/s$i.json" >>"$out" 2>&1 || rc=86; done
                 # Each round: merge; when it wrote wrappers, scan the shards again with them.
                 for round in 1 2 3 4; do
                   echo "== merge, round $round" >>"$out"
                   rm -f "$W/wr.json"
                   inv merge "${COMMON[@]}" --wrappers-out "$W/wr.json" --out "$W/m1.json" "$W/s2.json" "$W/s0.json" "$W/s1.json" >>"$out" 2>&1
                   got=$?
                   [ $got -eq 0 ] && break
                   [ $got -eq 2 ] && [ -s "$W/wr.json" ] || { rc=88; break; }
                   for i in 0 1 2; do inv scan "${COMMON[@]}" --build "$B" --no-cache --shard $i/3 --wrappers "$W/wr.json" --out "$W/s$i.json" >>"$out" 2>&1 || rc=87; done
                 done
                 [ "${got:-1}" -eq 0 ] || rc=89
                 cmp -s "$W/full.json" "$W/m1.json" || { echo "merged model differs from the unsharded scan" >>"$out"; diff "$W/full.json" "$W/m1.json" | head -20 >>"$out"; rc=90; }
                 jq -r '.derived_wrappers | length' "$W/m1.json" >>"$out" 2>&1
                 echo "== a shard missing" >>"$out"
                 inv merge "${COMMON[@]}" "$W/s0.json" "$W/s1.json" >>"$out" 2>&1; [ $? -eq 2 ] || rc=91
                 echo "== a shard twice" >>"$out"
                 inv merge "${COMMON[@]}" "$W/s0.json" "$W/s1.json" "$W/s1.json" >>"$out" 2>&1; [ $? -eq 2 ] || rc=92
                 echo "== bad spec" >>"$out"
                 inv scan "${COMMON[@]}" --build "$B" --shard 3/3 >>"$out" 2>&1; [ $? -eq 2 ] || rc=93
                 # Shard and wrapper files are read fail-closed: a member missing or unknown is named.
                 echo "== a damaged wrappers file" >>"$out"
                 echo '[{"pair":"x","dir":1,"key":"k"}]' >"$W/badwr.json"
                 inv scan "${COMMON[@]}" --build "$B" --no-cache --shard 0/3 --wrappers "$W/badwr.json" >>"$out" 2>&1; [ $? -eq 2 ] || rc=94
                 echo "== a shard with an unknown member" >>"$out"
                 jq '.extra = 1' "$W/s0.json" >"$W/sx.json"
                 inv merge "${COMMON[@]}" "$W/sx.json" "$W/s1.json" "$W/s2.json" >>"$out" 2>&1; [ $? -eq 2 ] || rc=95 ;;
  shortcircuit)  inv check "${COMMON[@]}" --build "$B" "${EV[@]}" >"$out" 2>&1; rc=$?
                 want_rc=1 want="INV012: perform_sc_or returns error 'KERR_INVALID_ARG'" ;;
  loopfix)       inv check "${COMMON[@]}" --build "$B" "${EV[@]}" >"$out" 2>&1; rc=$?
                 want_rc=1 want="INV013: perform_fix_drain returns (error) with lock(&as->lock)" ;;
  inv0[0-9][0-9]|wrapper|derivebound) inv check "${COMMON[@]}" --build "$B" "${EV[@]}" >"$out" 2>&1; rc=$?
                 want_rc=1 want="${case^^}"; [ $case = wrapper ] && want="INV012: perform_wrap_map"
                 [ $case = derivebound ] && want="INV017: wrapper derivation stopped at its round bound: db10" ;;
  cocci)         inv check "${COMMON[@]}" --build "$B" "${EV[@]}" --findings "$here/cases/cocci/findings.json" \
                     --format sarif --sarif "$W/also.sarif" >"$out" 2>&1; rc=$?
                 cmp -s "$out" "$W/also.sarif" || rc=13
                 inv check "${COMMON[@]}" --build "$B" "${EV[@]}" --findings "$here/cases/cocci/bad-findings.json" >>"$out" 2>&1
                 [ $? -eq 2 ] || rc=14
                 want_rc=1 want="cocci/tlb/deferred_free" ;;
  fingerprints)  # SARIF: two reports of one rule in one function get distinct fingerprints that
                 # survive a line shift; the required SARIF 2.1.0 properties are all there.
                 F=$here/cases/fingerprints rc=0
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/m.json" >"$out" 2>&1
                 for f in a shifted; do
                   inv check "${COMMON[@]}" --model "$W/m.json" "${EV[@]}" --findings "$F/$f.json" --format sarif --out "$W/$f.sarif" >>"$out" 2>&1
                   [ $? -eq 1 ] || rc=25
                   jq -r '.runs[0].results[] | select(.ruleId | startswith("cocci/")) | .partialFingerprints["capos/v1"]' "$W/$f.sarif" >"$W/$f.fp"
                 done
                 [ "$(sort -u "$W/a.fp" | wc -l)" = 2 ] || { echo "fingerprints not unique" >>"$out"; rc=26; }
                 cmp -s "$W/a.fp" "$W/shifted.fp" || { echo "fingerprints moved with the lines" >>"$out"; rc=27; }
                 jq -r '[.version, .runs[0].tool.driver.name, (.runs[0].tool.driver.rules | length > 0),
                         (.runs[0].results | all(.ruleId and .message.text and .partialFingerprints["capos/v1"] and
                            (.locations[0].physicalLocation | .artifactLocation.uriBaseId == "SRCROOT" and
                             (.artifactLocation.uri | startswith("/") | not) and .region.startLine >= 1)))] | @tsv' \
                    "$W/a.sarif" >>"$out" 2>&1 || rc=28
                 # Same line, rule and message, two columns (given 9 then 2): sorted by column.
                 inv check "${COMMON[@]}" --model "$W/m.json" "${EV[@]}" --findings "$F/cols.json" --format json |
                   jq -c '[.findings[] | select(.rule | startswith("cocci/")) | .col]' >>"$out" 2>&1
                 for f in line0 severity; do
                   inv check "${COMMON[@]}" --model "$W/m.json" "${EV[@]}" --findings "$F/$f.json" >>"$out" 2>&1
                   [ $? -eq 2 ] || rc=29
                 done ;;
  badtables)     # A tables dir to compare against that is missing or a file, and an unwritable
                 # --sarif: exit 2, and no report written.
                 rc=0; touch "$W/file"
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/m.json" >"$out" 2>&1
                 for d in "$W/missing" "$W/file"; do
                   inv check "${COMMON[@]}" --model "$W/m.json" "${EV[@]}" --tables "$d" >>"$out" 2>&1; [ $? -eq 2 ] || rc=30
                   inv tables "${COMMON[@]}" --model "$W/m.json" "${EV[@]}" --check --out "$d" >>"$out" 2>&1; [ $? -eq 2 ] || rc=31
                 done
                 inv check "${COMMON[@]}" --model "$W/m.json" "${EV[@]}" --out "$W/report.txt" --sarif "$W/file/x.sarif" >>"$out" 2>&1
                 [ $? -eq 2 ] || rc=32
                 [ -e "$W/report.txt" ] && { echo "report written despite the SARIF error" >>"$out"; rc=33; }
                 # Pages outside the root: SARIF gives them absolute file: URIs and no uriBaseId.
                 mkdir "$W/outside"
                 inv check "${COMMON[@]}" --model "$W/m.json" "${EV[@]}" --tables "$W/outside" --format sarif --out "$W/o.sarif" >>"$out" 2>&1
                 [ $? -eq 1 ] || rc=43
                 jq -r '.runs[0].results[] | .locations[0].physicalLocation.artifactLocation | "\(.uri) \(.uriBaseId // "-")"' "$W/o.sarif" >>"$out" 2>&1 || rc=44 ;;
  badinputs)     # Wrongly typed config values, a truncated JUnit file, a CTest list entry
                 # without a name: each exits 2 (a wrong type is never read as a default).
                 rc=0
                 for mod in '.transitions.from_arg = "1"' '.pairs[0].key_args = ["a"]' '.pairs[0].fallible = "yes"' \
                            '.pairs[1].fixed_keys = {"spin_lock": 1}' '.tlb_comment = 5' '.operations.table_object = []' \
                            '.user_copy_stability.lock_held = 1' 'del(.transitions.to_arg)'; do
                   jq "$mod" "$CFG" >"$W/cfg.json"; echo "== $mod" >>"$out"
                   inv check --root "$R" --config "$W/cfg.json" --build "$B" "${EV[@]}" >>"$out" 2>&1; [ $? -eq 2 ] || rc=39
                 done
                 head -c 400 "$JUNIT" >"$W/trunc.xml"; echo "== truncated JUnit" >>"$out"
                 inv check "${COMMON[@]}" --build "$B" --ctest-json "$R/ctest.json" --junit "$W/trunc.xml" >>"$out" 2>&1; [ $? -eq 2 ] || rc=40
                 sed 's|<testcase name="host_vm"|<testcase nam="host_vm"|' "$JUNIT" >"$W/noname.xml"; echo "== testcase without a name" >>"$out"
                 inv check "${COMMON[@]}" --build "$B" --ctest-json "$R/ctest.json" --junit "$W/noname.xml" >>"$out" 2>&1; [ $? -eq 2 ] || rc=41
                 jq '.tests[0] |= del(.name)' "$R/ctest.json" >"$W/ct.json"; echo "== CTest entry without a name" >>"$out"
                 inv check "${COMMON[@]}" --build "$B" --ctest-json "$W/ct.json" --junit "$JUNIT" >>"$out" 2>&1; [ $? -eq 2 ] || rc=42
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/m.json" >/dev/null 2>&1
                 for bad in '{' '{"schema": "capos-inventory/0"}' '{"schema": "capos-inventory/3"}' \
                            "$(jq -c '.transitions[0].id = 5' "$W/m.json")" missing; do
                   [ "$bad" = missing ] || printf '%s\n' "$bad" >"$W/bad.json"; [ "$bad" = missing ] && rm -f "$W/bad.json"
                   echo "== diff against model: ${bad:0:40}" >>"$out"
                   inv diff "${COMMON[@]}" "${EV[@]}" "$W/m.json" "$W/bad.json" --out "$W/d.md" >>"$out" 2>&1; [ $? -eq 2 ] || rc=45
                   [ -e "$W/d.md" ] && { echo "summary written over a bad model" >>"$out"; rc=46; }
                 done
                 echo "== no arguments" >>"$out"; inv >>"$out" 2>&1; [ $? -eq 2 ] || rc=47 ;;
  badproof)      # The proof table and the backlog fail closed (proof_io.c): an unknown key, a malformed
                 # kind, class, assign rule or item, a mistyped member, a duplicate item ID: exit 2
                 # naming each problem, no report written.
                 rc=0; PT=$R/audit/proof-table.json BL=$R/audit/backlog.json
                 cp "$PT" "$W/pt.json"; cp "$BL" "$W/bl.json"
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/m.json" >/dev/null 2>&1
                 for mod in 'pt:.extra = 1' 'pt:.kinds += [{"id": "x", "level": "weird"}]' \
                            'pt:.kinds += [{"id": "x", "level": "site", "labels": "host"}]' 'pt:.kinds = {}' \
                            'pt:.witnessed = 1' 'pt:.witness_summary = 3' \
                            'pt:.classes += [{"requires": [["host"]]}]' 'pt:.classes += [{"id": "c", "requires": [[]]}]' \
                            'pt:.classes += [{"id": "c", "requires": [["host"], ["qemu"]], "accepts": ["host"]}]' \
                            'pt:.classes += [{"id": "c", "requires": [["nokind"]]}]' \
                            'pt:.kinds += [{"id": "docs", "level": "run"}] | .classes += [{"id": "c", "requires": [["docs"]]}]' \
                            'pt:.classes += [{"id": "c", "requires": [["host"]], "witnesses": 0}]' \
                            'pt:.assign += [{"when": {}}]' 'pt:.assign += [{"class": "c", "when": {"roles_all": [1]}}]' \
                            'pt:.schema = "capos-proof-table/0"' 'bl:.extra = 1' 'bl:.items += [{"requires": [["host"]]}]' \
                            'bl:.items += [{"id": "Z", "files": "kernel/*"}]' 'bl:.items += [{"id": "Z", "title": 3}]' \
                            'bl:.items += [{"id": "Z", "transitions": "frame:*"}]' 'bl:.items += [{"id": "Z", "exit": ["a", 1]}]' \
                            'bl:.items += [.items[0]]' 'bl:.items = "x"'; do
                   cp "$W/pt.json" "$PT"; cp "$W/bl.json" "$BL"
                   f=$PT; [ "${mod:0:3}" = bl: ] && f=$BL
                   jq "${mod:3}" "$W/${mod:0:2}.json" >"$f"
                   echo "== ${mod:0:2}: ${mod:3}" >>"$out"
                   rm -f "$W/report.txt"
                   inv check "${COMMON[@]}" --model "$W/m.json" "${EV[@]}" --out "$W/report.txt" >>"$out" 2>&1; [ $? -eq 2 ] || rc=48
                   [ -e "$W/report.txt" ] && { echo "report written over a bad proof table or backlog" >>"$out"; rc=49; }
                 done
                 cp "$W/pt.json" "$PT"; cp "$W/bl.json" "$BL"
                 want_rc=0 ;;
  formats)       cp "$here/cases/inv012/kernel/cap/leak.c" "$R/kernel/cap/" && "$here/mkcdb.sh" "$R" "$B"
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/m.json" >"$out" 2>&1
                 for f in text json markdown; do
                   inv check "${COMMON[@]}" --model "$W/m.json" "${EV[@]}" --format $f >>"$out" 2>&1; [ $? -eq 1 ] || rc=15
                 done
                 inv rules --format markdown >>"$out"; rc=${rc:-1}; want_rc=1 want="INV012" ;;
  diff)          inv scan "${COMMON[@]}" --build "$B" --out "$W/old.json" >"$out" 2>&1
                 for c in inv012 inv016; do (cd "$here/cases/$c" && find . -type f -name '*.c' | while read -r f; do cp "$f" "$R/$f"; done); done
                 sed -i 's/tlb_shootdown(as, va);/\/* no flush *\//; s/tlb_defer_frame_free(as, f);/tlb_defer_frame_free(as, f);\n\tframe_transition(f, FRAME_UNHOOKED, FRAME_FLUSHED);/' "$R/kernel/mm/frame.c"
                 # vm.commit's failure ladder loses its release: an existing operation's unwind change.
                 sed -i '0,/^\tledger_release(as->ledger, LEDGER_COMMIT, 1);/{//d}' "$R/kernel/cap/vm.c"
                 "$here/mkcdb.sh" "$R" "$B"
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/new.json" >>"$out" 2>&1
                 inv diff "${COMMON[@]}" "${EV[@]}" "$W/old.json" "$W/new.json" >>"$out" 2>&1; rc=$?
                 inv diff "${COMMON[@]}" "${EV[@]}" "$W/old.json" "$W/old.json" >/dev/null 2>&1 || rc=16
                 want_rc=1 want="\`vm.commit\` unwind: +\`return err (error) holding ledger(LEDGER_COMMIT)\`" ;;
  cache)         inv scan "${COMMON[@]}" --build "$B" -j 2 --out "$W/a.json" >"$out" 2>&1; rc=$?
                 ls "$B/inventory-cache" | grep -q json || { echo "no cache written" >>"$out"; rc=17; }
                 inv scan "${COMMON[@]}" --build "$B" -j 1 --out "$W/b.json" >>"$out" 2>&1
                 cmp -s "$W/a.json" "$W/b.json" || { echo "cached re-scan differs" >>"$out"; rc=18; }
                 inv scan "${COMMON[@]}" --build "$B" --no-cache -j 1 --out "$W/c.json" >>"$out" 2>&1
                 cmp -s "$W/a.json" "$W/c.json" || { echo "-j1 uncached scan differs" >>"$out"; rc=19; }
                 # A damaged whole-run cache entry is a miss, never the output.
                 for f in "$B"/inventory-cache/model-*.json; do echo '{"schema": "capos-inventory/3"}' >"$f"; done
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/e.json" >>"$out" 2>&1
                 cmp -s "$W/a.json" "$W/e.json" || { echo "damaged cached model used" >>"$out"; rc=49; }
                 # A change in an included header must invalidate every TU that includes it.
                 sed -i 's|^#endif|static inline void fx_new_helper(struct aspace *as) { tlb_shootdown_wait(as); }\n#endif|' "$R/kernel/include/fx.h"
                 inv scan "${COMMON[@]}" --build "$B" --out "$W/d.json" >>"$out" 2>&1
                 grep -q fx_new_helper "$W/d.json" || { echo "stale cache entry used after header change" >>"$out"; rc=20; } ;;
  unmatched)     # Fail closed on configuration: one misspelled primitive and one entry point naming a
                 # missing function each exit 2 naming the pattern; `optional` accepts a pattern
                 # that matches nothing. A forbidden role's names (dma, swap) may match nothing.
                 rc=0
                 jq '.primitives.frame_free = ["frame_fre"]' "$CFG" >"$R/typo.json"
                 inv check --root "$R" --config "$R/typo.json" --build "$B" "${EV[@]}" >"$out" 2>&1; [ $? -eq 2 ] || rc=50
                 inv scan --root "$R" --config "$R/typo.json" --build "$B" --out "$W/m.json" >>"$out" 2>&1; [ $? -eq 2 ] || rc=51
                 [ -e "$W/m.json" ] && { echo "model written despite an unmatched primitive" >>"$out"; rc=52; }
                 jq '.operations.entries += [{"name": "gone", "function": "no_such_fn"}]' "$CFG" >"$R/entry.json"
                 inv check --root "$R" --config "$R/entry.json" --build "$B" "${EV[@]}" >>"$out" 2>&1; [ $? -eq 2 ] || rc=53
                 jq '.primitives.frame_free += ["frame_fre"] | .optional_primitives += ["frame_fre"] |
                     .operations.entries += [{"name": "gone", "function": "no_such_fn", "optional": true}]' "$CFG" >"$R/opt.json"
                 inv check --root "$R" --config "$R/opt.json" --build "$B" "${EV[@]}" >>"$out" 2>&1; [ $? -eq 0 ] || rc=54
                 # A user-address source that nothing calls, the same (INV028's input).
                 jq '.user_addresses = {"sources": ["fetch_user_argz"]}' "$CFG" >"$R/usrc.json"
                 inv check --root "$R" --config "$R/usrc.json" --build "$B" "${EV[@]}" >>"$out" 2>&1; [ $? -eq 2 ] || rc=55
                 jq '.user_addresses = {"fields": ["aspace.nosuch"]}' "$CFG" >"$R/ufld.json"
                 inv check --root "$R" --config "$R/ufld.json" --build "$B" "${EV[@]}" >>"$out" 2>&1; [ $? -eq 2 ] || rc=56
                 want="config primitive 'frame_fre' (primitives.frame_free) matches no call" ;;
  configschema)  # The schema shipped in tools/inventory is the one compiled in, and the validator
                 # implements every keyword it uses (and names those it does not).
                 rc=0
                 inv schema >"$W/schema.json" 2>>"$out" || rc=55
                 cmp -s "$W/schema.json" "$here/../../tools/inventory/config.schema.json" || { echo "compiled-in schema differs from the shipped file" >>"$out"; rc=56; }
                 inv schema "$here/../../tools/inventory/config.schema.json" >>"$out" 2>&1 || rc=57
                 jq '.properties.scope.pattern = "x" | .properties.tlb_comment.format = "uri"' "$W/schema.json" >"$W/more.json"
                 inv schema "$W/more.json" >>"$out" 2>&1; [ $? -eq 2 ] || rc=58
                 # Every problem of a config is reported at once, in one run.
                 jq '.scopee = 1 | .primitives.pte_wirte = ["x"] | .transitions.from_arg = "1" | del(.evidence) |
                     .pairs[0].key_args = [-1] | .rules = {"INV014": {"enabled": "no"}}' "$CFG" >"$R/many.json"
                 echo "== every problem at once" >>"$out"
                 inv check --root "$R" --config "$R/many.json" --build "$B" "${EV[@]}" >>"$out" 2>&1; [ $? -eq 2 ] || rc=59
                 echo '[{"schema": "capos-inventory-config/1"}]' >"$W/arr.json"; echo "== an array" >>"$out"
                 inv check --root "$R" --config "$W/arr.json" --build "$B" "${EV[@]}" >>"$out" 2>&1; [ $? -eq 2 ] || rc=60
                 # proof_table/backlog: relative to the config file, or absolute (not joined to --root).
                 mkdir -p "$W/elsewhere"; jq --arg p "$R/audit/proof-table.json" '.proof_table = $p | .backlog = "../root/audit/backlog.json"' "$CFG" >"$W/elsewhere/cfg.json"
                 echo "== absolute proof_table, backlog relative to the config" >>"$out"
                 inv check --root "$R" --config "$W/elsewhere/cfg.json" --build "$B" "${EV[@]}" >>"$out" 2>&1 || rc=61
                 jq '.rules = {"INV999": {"reason": "x"}}' "$CFG" >"$R/rule.json"; echo "== unknown rule" >>"$out"
                 inv check --root "$R" --config "$R/rule.json" --build "$B" "${EV[@]}" >>"$out" 2>&1; [ $? -eq 2 ] || rc=62
                 # --cdb without --build keeps the cache (beside the compile database).
                 echo "== --cdb without --build" >>"$out"
                 mkdir -p "$W/cdbdir" && cp "$B/compile_commands.json" "$W/cdbdir/"
                 inv scan "${COMMON[@]}" --cdb "$W/cdbdir/compile_commands.json" --out "$W/m1.json" >>"$out" 2>&1 || rc=63
                 ls "$W/cdbdir/inventory-cache" 2>/dev/null | grep -q json || { echo "no cache written for --cdb" >>"$out"; rc=64; } ;;
  rulesconfig)   # A rule switched off or re-graded per project, with the reason in every report.
                 cp "$here/cases/inv014/kernel/cap/copy.c" "$R/kernel/cap/" 2>/dev/null || (cd "$here/cases/inv014" && find . -type f -name '*.c' | while read -r f; do mkdir -p "$R/$(dirname "$f")"; cp "$f" "$R/$f"; done)
                 "$here/mkcdb.sh" "$R" "$B"
                 jq '.rules = {"INV014": {"enabled": false, "reason": "single-threaded teaching kernel: no concurrent unmap"}}' "$CFG" >"$R/off.json"
                 inv check --root "$R" --config "$R/off.json" --build "$B" "${EV[@]}" >"$out" 2>&1; rc=$?
                 inv check --root "$R" --config "$R/off.json" --build "$B" "${EV[@]}" --format sarif |
                   jq -c '.runs[0].invocations[0].ruleConfigurationOverrides' >>"$out" 2>&1
                 jq '.rules = {"INV014": {"severity": "warning", "reason": "reviewed: copies run before SMP start"}}' "$CFG" >"$R/warn.json"
                 inv check --root "$R" --config "$R/warn.json" --build "$B" "${EV[@]}" --format markdown >>"$out" 2>&1; [ $? -eq 1 ] || rc=65
                 want="rule INV014 switched off by the config (1 finding(s) not reported): single-threaded" ;;
  help)          rc=0
                 for c in scan tables check diff rules schema merge; do inv $c --help >>"$out" 2>&1 || rc=21; done
                 inv --help >>"$out" 2>&1 || rc=22
                 inv frobnicate >>"$out" 2>&1; [ $? -eq 2 ] || rc=23
                 inv check --bogus >>"$out" 2>&1; [ $? -eq 2 ] || rc=24
                 inv scan --sarif x.sarif >>"$out" 2>&1; [ $? -eq 2 ] || rc=34   # check's option
                 inv rules --root . >>"$out" 2>&1; [ $? -eq 2 ] || rc=35
                 inv scan -j 2x >>"$out" 2>&1; [ $? -eq 2 ] || rc=36
                 inv rules --format sarif >>"$out" 2>&1; [ $? -eq 2 ] || rc=48 ;;
  waivers)       # A reviewed waiver: the finding stays in the report, marked waived, and is a
                 # SARIF suppression (valid SARIF 2.1.0); a waiver that matches nothing is INV019;
                 # a malformed waivers file is exit 2. Evidence as in inv001 (5 INV001 findings).
                 JUNIT=$here/cases/inv001/junit.xml; EV=(--ctest-json "$R/ctest.json" --junit "$JUNIT")
                 cat >"$W/waivers.json" <<'JS'
{"schema": "capos-waivers/1",
 "waivers": [
  {"rule": "INV001", "file": "kernel/mm/frame.c", "function": "frame_get",
   "contains": "FRAME_FREE->FRAME_ALLOCATED", "reason": "boot-time allocation, proven by the boot test",
   "by": "reviewer", "on": "2026-12-04"},
  {"rule": "INV013", "file": "kernel/cap/vm.c", "function": "gone_function",
   "reason": "the lock is handed to the caller", "by": "reviewer", "on": "2026-12-04"}]}
JS
                 jq --arg w "$W/waivers.json" '. + {waivers: $w}' "$CFG" >"$R/cfg-w.json"
                 inv check --root "$R" --config "$R/cfg-w.json" --build "$B" "${EV[@]}" --sarif "$W/w.sarif" >"$out" 2>&1; rc=$?
                 jq -r '.runs[0].results[] | select(.suppressions) | "suppressed: \(.ruleId) \(.suppressions[0].justification)"' \
                    "$W/w.sarif" >>"$out" 2>&1 || rc=70
                 schema=${CAPOS_SARIF_SCHEMA:-/usr/local/share/capos/sarif-2.1.0.json}
                 /usr/bin/python3 "$here/../ci/check_sarif.py" "$schema" "$W/w.sarif" >>"$out" 2>&1 || rc=71
                 echo '{"schema": "capos-waivers/1", "waivers": [{"rule": "INV001", "file": "x.c", "on": "yesterday"}]}' >"$W/waivers.json"
                 inv check --root "$R" --config "$R/cfg-w.json" --build "$B" "${EV[@]}" >>"$out" 2>&1; [ $? -eq 2 ] || rc=72
                 want_rc=1 want="INV019" ;;
  witness_clean) # Witnessed evidence on the fixture: every citation executed its sites in a passing
                 # run, so no finding; the pages regenerate the summary from the witness files and
                 # render from it, and render the same from the committed summary alone.
                 WEV=("${EV[@]}" --witness-dir "$R/witness")
                 inv check "${COMMON[@]}" --build "$B" "${WEV[@]}" --sarif "$W/w.sarif" >"$out" 2>&1; rc=$?
                 inv tables "${COMMON[@]}" --build "$B" "${WEV[@]}" --out "$W/st" >>"$out" 2>&1 || rc=90
                 echo "== witness summary" >>"$out"; cat "$R/audit/witness-summary.json" >>"$out"
                 inv tables "${COMMON[@]}" --build "$B" "${EV[@]}" --out "$W/st" --check >>"$out" 2>&1 || rc=91
                 echo "== obligations page rows" >>"$out"; grep '^| `' "$W/st/inventory.md" | grep -F ':transition:' >>"$out"
                 echo "== backlog" >>"$out"; grep -F 'MAM-' "$W/st/backlog.md" >>"$out"
                 want="0 finding(s)" ;;
  witness_bad)   # Fails closed on damaged witness files: another schema, a line that is not a
                 # number, two files for one test, a missing directory: exit 2 each, no report.
                 rc=0; : >"$out"
                 for bad in schema line twice missing; do
                   rm -rf "$W/wd"; cp -r "$R/witness" "$W/wd"
                   case $bad in
                     schema) jq '.schema = "capos-witness/0"' "$R/witness/host_vm.json" >"$W/wd/host_vm.json" ;;
                     line)   jq '.files["kernel/cap/vm.c"][0] = "13"' "$R/witness/host_vm.json" >"$W/wd/host_vm.json" ;;
                     twice)  cp "$R/witness/host_vm.json" "$W/wd/host_vm_copy.json" ;;
                     missing) rm -rf "$W/wd" ;;
                   esac
                   echo "== $bad" >>"$out"
                   inv check "${COMMON[@]}" --build "$B" "${EV[@]}" --witness-dir "$W/wd" --out "$W/report.txt" >>"$out" 2>&1
                   [ $? -eq 2 ] || rc=93
                   [ -e "$W/report.txt" ] && { echo "report written over a damaged witness" >>"$out"; rc=94; }
                 done ;;
  witness_unrelated|witness_newsite|witness_deleted|witness_model|witness_foreign|witness_backlog)
                 # Each defect of issue 11 item 6 fails the gate with its rule ID.
                 inv check "${COMMON[@]}" --build "$B" "${EV[@]}" --witness-dir "$R/witness" --sarif "$W/w.sarif" >"$out" 2>&1; rc=$?
                 jq -r '.runs[0].results[] | select(.properties.obligation) | "sarif: \(.ruleId) \(.properties.obligation) witnesses=\(.properties.witnesses | join(","))"' "$W/w.sarif" >>"$out" 2>&1
                 if [ $case = witness_backlog ]; then
                   inv tables "${COMMON[@]}" --build "$B" "${EV[@]}" --witness-dir "$R/witness" --out "$W/st" >>"$out" 2>&1 || rc=92
                   grep -A3 -F 'MAM-Z9' "$W/st/backlog.md" >>"$out"
                 fi
                 want_rc=1
                 case $case in
                   witness_unrelated) want="tests/qemu/hang.c:2: error: INV020: 'qemu_hang' is cited for transition frame:FRAME_UNHOOKED->FRAME_FREE" ;;
                   witness_newsite)   want="kernel/cap/vm.c:67: error: INV001: transition vpage:VPAGE_COMMITTED->VPAGE_RESERVED at this site" ;;
                   witness_deleted)   want="tests/host/test_frame.c:2: error: INV020: 'host_frame' is cited for transition frame:FRAME_FREE->FRAME_ALLOCATED" ;;
                   witness_model)     want="tests/proofs/CMakeLists.txt:3: error: INV022: 'proof_spin_model' (kind model, level design)" ;;
                   witness_foreign)   want="tests/host/test_vm.c:3: error: INV021: a tag citing 'qemu_vm' is in tests/host/test_vm.c" ;;
                   witness_backlog)   want="tests/host/test_vm.c:4: error: INV020: 'host_vm' is cited for backlog item MAM-Z9" ;;
                 esac ;;
  *) echo "run_case.sh: unknown case '$case'" >&2; exit 2 ;;
esac

# Paths of this checkout and the scratch dir are not part of the expected output.
src=$(cd "$here/../.." && pwd)
sed -i -e "s|$W|@W@|g" -e "s|$src/|@SRC@/|g" "$out"
golden=$here/golden/$case.txt
printf 'exit %s\n' "$rc" | cat - "$out" >"$W/actual.txt"
status=0
if [ "${INVENTORY_UPDATE_GOLDEN:-0}" = 1 ]; then
  mkdir -p "$here/golden" && cp "$W/actual.txt" "$golden" && echo "updated $golden"
elif ! diff -u "$golden" "$W/actual.txt"; then
  echo "FAIL: output differs from $golden (INVENTORY_UPDATE_GOLDEN=1 to accept)"; status=1
fi
[ "$rc" = "$want_rc" ] || { echo "FAIL: exit $rc, want $want_rc"; cat "$out"; status=1; }
[ -z "$want" ] || grep -qF -- "$want" "$out" || { echo "FAIL: output lacks '$want'"; status=1; }
exit $status
