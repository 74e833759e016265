#!/bin/sh
# run.sh [N...]: instructions per operation of kernel/lib's reservation bookkeeping under
# callgrind (see README.md). Builds bench_vmspace from the unchanged kernel/lib sources with
# clang -O2 (no sanitizers) into a temporary directory, runs it under valgrind --tool=callgrind
# with collection only inside the measured loops, and prints a table of instructions per
# operation and the growth from the smallest to the largest N.
# Exit: 0 ok; 1 build or run failure; 2 usage.
set -eu
case "${1:-}" in -h|--help) sed -n '2,7p' "$0"; exit 0;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
sizes=${*:-1000 10000 100000 1000000}
ops=1000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
clang -std=gnu11 -O2 -gdwarf-4 -DCAPOS_HOST=1 -I"$root/kernel/include" -I"$root/kernel/lib" \
	-Wall -Wextra -Werror -o "$tmp/bench_vmspace" "$here/bench_vmspace.c" \
	"$root"/kernel/lib/interval.c "$root"/kernel/lib/kerr.c "$root"/kernel/lib/ledger.c \
	"$root"/kernel/lib/resmap.c "$root"/kernel/lib/vmspace*.c
(cd "$tmp" && valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$tmp/cg.%p" \
	./bench_vmspace $sizes >"$tmp/run.log" 2>&1) || { cat "$tmp/run.log"; exit 1; }
# Each dump file names its trigger ("Client Request: lookup 1000") and its total Ir.
for f in "$tmp"/cg.*; do
	label=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
	total=$(sed -n 's/^summary: *//p;s/^totals: *//p' "$f" | head -n 1)
	[ -n "$label" ] && echo "$label $total"
done | awk -v ops="$ops" -v sizes="$sizes" '
	{ ir[$1 " " $2] = $3 / ops }
	END {
		nn = split(sizes, ns, " ")
		split("reserve_fixed reserve_hint lookup release", name, " ")
		printf "%-14s", "op \\ live"; for (i = 1; i <= nn; i++) printf "%10s", ns[i]
		printf "%10s\n", "growth"
		for (j = 1; j <= 4; j++) {
			printf "%-14s", name[j]
			for (i = 1; i <= nn; i++) printf "%10.0f", ir[name[j] " " ns[i]]
			printf "%9.2fx\n", ir[name[j] " " ns[nn]] / ir[name[j] " " ns[1]]
		}
	}'
