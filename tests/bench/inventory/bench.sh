#!/usr/bin/env bash
# bench.sh: how fast and how big `inventory scan` is, against the compiler's own front end,
# all in one sitting.
#
#   tests/bench/inventory/bench.sh [--tool INVENTORY] [--build DIR] [-j N] [--runs R] [--big N]
#
# 1. full scan (no cache) of the kernel's in-scope TUs, with -j N parser threads: wall time and
#    peak RSS;
# 2. `clang -fsyntax-only` over exactly the same TUs (the TU list comes from the scan's model),
#    with the same flags and N processes (the parse floor): wall time, and the peak RSS of one
#    clang process (N of them run at once);
# 3. a re-scan with nothing changed (every TU served from the cache);
# 4. generated trees (gen_tree.sh) of N/10 and N TUs (default N = 5000): scan time and peak RSS,
#    and whether time and memory grow linearly.
# Each of 1-3 is run R times; the minimum CPU time (user + system, children included) is kept:
# on a shared machine wall time measures the neighbours. Prints every ratio with its target
# (peak RSS <= 2x clang's at the same parallelism; full scan <= 1.0x the parse floor; re-scan
# <= 5% of a full scan; 10x the TUs at most 1.2x of 10x the CPU time). Ratios come from one run on one
# machine; nothing is asserted. Use a build without sanitizers for the tool
# (`cmake --preset release && cmake --build build-release --target inventory`).
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
tool=$root/build-release/tools/inventory/inventory
build=$root/build
jobs=2 runs=3 big=5000
while [ $# -gt 0 ]; do
  case $1 in
    --tool) tool=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --big) big=$2; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -x "$tool" ] || { echo "bench.sh: no inventory at $tool (--tool)" >&2; exit 2; }
[ -r "$build/compile_commands.json" ] || { echo "bench.sh: no $build/compile_commands.json" >&2; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
rss() {  # rss FILE CMD...: run CMD, append its peak RSS in KiB to FILE
  local f=$1; shift
  /usr/bin/time -f '%M' -o "$work/rss.one" "$@" >/dev/null
  cat "$work/rss.one" >>"$f"
}
maxof() { sort -n "$1" | tail -1; }
# Times are CPU seconds (user + system, children included): on a shared, loaded machine wall
# time measures the neighbours; the CPU a run needs does not change with them.
cpu() {  # cpu CMD...: CPU seconds of CMD and its children
  /usr/bin/time -f '%U %S' -o "$work/cpu.one" "$@" >/dev/null
  awk '{print $1 + $2}' "$work/cpu.one"
}
best() {  # best NAME CMD...: run R times, print the minimum CPU seconds
  local min="" d
  for _ in $(seq "$runs"); do
    [ "$1" = rescan ] || rm -rf "$work/cache"
    d=$(cpu "${@:2}")
    if [ -z "$min" ] || [ "$(echo "$d < $min" | bc -l)" = 1 ]; then min=$d; fi
  done
  echo "$min"
}

scan=("$tool" scan --root "$root" --build "$build" -j "$jobs" --cache "$work/cache" --out "$work/model.json")
"${scan[@]}"  # warm the file cache, and get the TU list
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
syntax=(bash -c "tr '\\n' '\\0' <'$work/cmds.sh' | xargs -0 -P $jobs -n 1 bash -c")
# Peak memory: the tool's whole run; each clang process alone (N run at once).
rm -rf "$work/cache"; : >"$work/rss.scan"; rss "$work/rss.scan" "$tool" scan --root "$root" --build "$build" -j "$jobs" --cache "$work/cache" --out "$work/m.json"
: >"$work/rss.syn"
while IFS= read -r c; do rss "$work/rss.syn" bash -c "$c"; done <"$work/cmds.sh"
m_scan=$(maxof "$work/rss.scan") m_syn=$(maxof "$work/rss.syn")

t_scan=$(best full "${scan[@]}")
t_syn=$(best syntax "${syntax[@]}")
"${scan[@]}"
# A re-scan takes about a hundredth of a second: time 20 in a row (/usr/bin/time counts 10 ms).
rescan20=(bash -c 'for _ in $(seq 20); do "$@" || exit 1; done' _ "${scan[@]}")
t_re=$(echo "$(best rescan "${rescan20[@]}") / 20" | bc -l)
r1=$(echo "$t_scan / $t_syn" | bc -l)
r2=$(echo "100 * $t_re / $t_scan" | bc -l)
r3=$(echo "$m_scan / ($m_syn * $jobs)" | bc -l)
r3b=$(echo "$m_scan / $m_syn" | bc -l)

# Generated trees: N/10 and N TUs, one full scan each.
small=$((big / 10))
gen() {  # gen N: seconds and peak KiB of a full scan of a generated tree of N TUs
  local d=$work/gen$1
  "$(dirname "$0")/gen_tree.sh" "$d" "$1" >/dev/null
  /usr/bin/time -f '%U %S %M' -o "$work/rss.gen" "$tool" scan --root "$d" --config "$d/inventory.json" \
    --build "$d/build" -j "$jobs" --no-cache --out "$d/model.json" >/dev/null
  awk '{print $1 + $2, $3}' "$work/rss.gen"
  rm -rf "$d"
}
read -r g1t g1m < <(gen "$small")
read -r g2t g2m < <(gen "$big")
lin_t=$(echo "$g2t / ($g1t * 10)" | bc -l)
lin_m=$(echo "$g2m / $g1m" | bc -l)

printf 'kernel: %d TUs, -j %d, best of %d runs, CPU seconds (user+system)\n' "$ntu" "$jobs" "$runs"
printf 'full scan           %8.3f s   peak %7d KiB\n' "$t_scan" "$m_scan"
printf 'clang -fsyntax-only %8.3f s   peak %7d KiB per process (%d at once)\n' "$t_syn" "$m_syn" "$jobs"
printf 're-scan (cached)    %8.3f s\n' "$t_re"
printf 'peak RSS / clang at -j %d:  %.2fx (target <= 2x; one clang process: %.2fx)\n' "$jobs" "$r3" "$r3b"
printf 'full scan / parse floor:   %.2fx (target <= 1.0x)\n' "$r1"
printf 're-scan / full scan:       %.1f%% (target <= 5%%)\n' "$r2"
printf 'generated %5d TUs      %8.3f s   peak %7d KiB\n' "$small" "$g1t" "$g1m"
printf 'generated %5d TUs      %8.3f s   peak %7d KiB\n' "$big" "$g2t" "$g2m"
printf 'CPU time x%d TUs: %.2f of linear (target <= 1.2); peak memory x%.2f\n' "$((big / small))" "$lin_t" "$lin_m"
