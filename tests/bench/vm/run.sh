#!/bin/sh
# tests/bench/vm/run.sh - boot the kernel with scenario=bench_vm (user/programs/bench.c) and
# print its figures. Usage: tests/bench/vm/run.sh [BUILD_DIR [CPUS]]   (default: build 4)
# With CPUS = N the address space is made resident on k = 0..N-1 other CPUs (at most 15).
# Exit 0 when the run passed (IPIs == k and one round per unmap every time), 1 when it did
# not, 2 on a usage error.
set -eu
case "${1:-}" in -h|--help) sed -n '2,5p' "$0" | sed 's/^# //'; exit 0 ;; esac
build=${1:-build}
cpus=${2:-4}
case "$cpus" in ''|*[!0-9]*) echo "run.sh: CPUS must be a number, got '$cpus'" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/../../.." && pwd)
image=$build/kernel/capos.elf32
[ -f "$image" ] || { echo "run.sh: no kernel image at $image (build first)" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
"$root/ci/qemu-run" --quiet --smp "$cpus" --timeout 3000 --scenario bench_vm --log "$log" \
	--require '^SCENARIO bench_vm: PASS' "$image" >/dev/null || status=1
grep '^bench:' "$log" || true
[ $status -eq 0 ] && echo "bench_vm: PASS" || echo "bench_vm: FAIL (log kept in the run's output above)"
exit $status
