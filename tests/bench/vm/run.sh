#!/bin/sh
# tests/bench/vm/run.sh - boot the kernel with scenario=bench_vm (user/programs/bench.c) and
# print its figures. Usage: tests/bench/vm/run.sh [BUILD_DIR]   (default: build)
# Exit 0 when the run passed (IPIs == k and one round per unmap every time), 1 when it did
# not, 2 on a usage error.
set -eu
case "${1:-}" in -h|--help) sed -n '2,4p' "$0" | sed 's/^# //'; exit 0 ;; esac
build=${1:-build}
root=$(cd "$(dirname "$0")/../../.." && pwd)
image=$build/kernel/capos.elf32
[ -f "$image" ] || { echo "run.sh: no kernel image at $image (build first)" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
"$root/ci/qemu-run" --quiet --smp 4 --timeout 300 --scenario bench_vm --log "$log" \
	--require '^SCENARIO bench_vm: PASS' "$image" >/dev/null || status=1
grep '^bench:' "$log" || true
[ $status -eq 0 ] && echo "bench_vm: PASS" || echo "bench_vm: FAIL (log kept in the run's output above)"
exit $status
