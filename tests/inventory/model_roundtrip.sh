#!/usr/bin/env bash
# model_roundtrip.sh TOOL RT SRC BUILD: the typed model loses nothing. Scans every fixture (with
# each case's overlay) and the real kernel, reads each model into the structs of model.h and
# writes it back (RT = inventory_model_rt): every file must come back member for member. A model
# with an unknown member, a missing one or a role that does not exist must be refused.
set -uo pipefail
tool=$1 rt=$2 src=$3 build=$4
here=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/inv-rt.XXXXXX")
trap 'rm -rf "$W"' EXIT
models=()
for c in capos bsd xv6 $(cd "$here/cases" && ls); do
  fixture=capos; [[ $c == bsd* ]] && fixture=bsd; [[ $c == xv6* ]] && fixture=xv6
  R=$W/$c/root B=$W/$c/build
  mkdir -p "$W/$c" && cp -r "$here/fixtures/$fixture" "$R"
  if [ -d "$here/cases/$c" ]; then
    (cd "$here/cases/$c" && find . -path ./junit.xml -prune -o -path ./inventory.json -prune -o -type f -print |
       while read -r f; do mkdir -p "$R/$(dirname "$f")"; cp "$f" "$R/$f"; done)
  fi
  "$here/mkcdb.sh" "$R" "$B"
  CFG=$R/inventory.json; [ -f "$here/cases/$c/inventory.json" ] && CFG=$here/cases/$c/inventory.json
  # Cases whose scan fails on purpose (INV007, INV008) have no model.
  "$tool" scan --root "$R" --config "$CFG" --build "$B" --no-cache --out "$W/$c.json" >/dev/null 2>&1 &&
    models+=("$W/$c.json")
done
"$tool" scan --root "$src" --build "$build" -j 2 --out "$W/kernel.json" || { echo "kernel scan failed"; exit 1; }
models+=("$W/kernel.json")
"$rt" "${models[@]}" | sed "s|$W/||"; rc=${PIPESTATUS[0]}
n=$("$rt" "${models[@]}" 2>/dev/null | grep -c ': identical$')
echo "$n of ${#models[@]} models identical after the round trip"
[ "$rc" -eq 0 ] && [ "$n" -eq "${#models[@]}" ] && [ "$n" -ge 20 ] || exit 1
# The members issue 11's witness and mutation runs fill survive the trip too.
jq '.obligations[0].witnesses = [{"test": "host_vm", "kind": "coverage"}, {"test": "ktest_vm"}]
    | .obligations[0].mutant = {"status": "survived", "key": "k1", "justification": "reviewed"}' \
   "$W/kernel.json" >"$W/filled.json"
out=$("$rt" "$W/filled.json"); echo "${out#"$W/"}"
[[ $out == *": identical" ]] || exit 1
# Fails closed: each damaged copy of the kernel model is refused with the member named.
bad() { jq "$1" "$W/kernel.json" >"$W/bad.json"; out=$("$rt" "$W/bad.json"); echo "${out#"$W/"}"
        [[ $out == *"$2"* ]] || { echo "expected: $2"; exit 1; }; }
bad '.extra = 1' "model: member 'extra' is unknown"
bad '(.functions[] | select(.calls | length > 0)) .calls[0].bogus = 1' "calls[]: member 'bogus' is unknown"
bad 'del(.obligations[0].site)' "obligations[]: member 'site' is missing"
bad '.primitive_sites[0].role = "pte_smash"' "primitive_sites[]: member 'role' is not a role"
bad '(.operations[] | select(.primitives | length > 0)) .primitives[0] = "nocolon"' "has an entry that is not ROLE:NAME"
exit 0
