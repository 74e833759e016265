#!/usr/bin/env bash
# bench.sh: how fast `inventory scan` is, against the compiler's own front end, in one run.
#
#   tests/bench/inventory/bench.sh [--tool INVENTORY] [--build DIR] [-j N] [--runs R]
#
# 1. full scan (no cache) of the kernel's in-scope TUs, with -j N parser threads;
# 2. `clang -fsyntax-only` over exactly the same TUs (the TU list comes from the scan's model),
#    with the same flags and N processes;
# 3. a re-scan with nothing changed (every TU served from the per-TU cache).
# Each is run R times; the minimum wall time is kept. Prints both ratios with their targets
# (full scan <= 1.25x fsyntax-only; re-scan <= 10% of a full scan). Ratios come from one run on
# one machine; no absolute time is asserted. Use a build without sanitizers for the tool
# (e.g. `cmake --preset release -B build-rel && cmake --build build-rel --target inventory`).
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
tool=$root/build-release/tools/inventory/inventory
build=$root/build
jobs=2 runs=3
while [ $# -gt 0 ]; do
  case $1 in
    --tool) tool=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -x "$tool" ] || { echo "bench.sh: no inventory at $tool (--tool)" >&2; exit 2; }
[ -r "$build/compile_commands.json" ] || { echo "bench.sh: no $build/compile_commands.json" >&2; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
best() {  # best NAME CMD...: run R times, print the minimum seconds
  local min="" t0 t1 d
  for _ in $(seq "$runs"); do
    [ "$1" = rescan ] || rm -rf "$work/cache"
    t0=$(now); "${@:2}" >/dev/null; t1=$(now)
    d=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$min" ] || [ "$(echo "$d < $min" | bc -l)" = 1 ]; then min=$d; fi
  done
  echo "$min"
}

scan() { "$tool" scan --root "$root" --build "$build" -j "$jobs" --cache "$work/cache" --out "$work/model.json"; }
scan  # warm the file cache, and get the TU list
/usr/bin/python3 - "$build/compile_commands.json" "$work/model.json" "$root" >"$work/cmds.sh" <<'PY'
import json, shlex, sys
db, model, root = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
tus = set(root + "/" + t for t in model["tus"])
seen = set()
for e in db:
    f = e["file"] if e["file"].startswith("/") else e["directory"] + "/" + e["file"]
    if f not in tus or f in seen:
        continue
    seen.add(f)
    args = e.get("arguments") or shlex.split(e["command"])
    out, skip = [], False
    for a in args:
        if skip: skip = False; continue
        if a in ("-o", "-MF", "-MT"): skip = True; continue
        if a == "-c": continue
        out.append(a)
    print("cd %s && %s -fsyntax-only" % (shlex.quote(e["directory"]), " ".join(shlex.quote(a) for a in out)))
PY
ntu=$(wc -l <"$work/cmds.sh")
syntax() { tr '\n' '\0' <"$work/cmds.sh" | xargs -0 -P "$jobs" -n 1 bash -c; }

t_scan=$(best full scan)
t_syn=$(best syntax syntax)
scan
t_re=$(best rescan scan)
r1=$(echo "$t_scan / $t_syn" | bc -l)
r2=$(echo "100 * $t_re / $t_scan" | bc -l)
printf 'TUs: %d, -j %d, best of %d runs\n' "$ntu" "$jobs" "$runs"
printf 'full scan          %8.3f s\n' "$t_scan"
printf 'clang -fsyntax-only %7.3f s\n' "$t_syn"
printf 're-scan (cached)   %8.3f s\n' "$t_re"
printf 'full scan / fsyntax-only: %.2fx (target <= 1.25x)\n' "$r1"
printf 're-scan / full scan:      %.1f%% (target <= 10%%)\n' "$r2"
