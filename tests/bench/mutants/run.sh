#!/usr/bin/env bash
# tests/bench/mutants/run.sh: the full mutation run (every obligation site of the current
# inventory model) and its wall time. Not a CTest test: run by hand on an otherwise idle machine.
#
#   tests/bench/mutants/run.sh [mutate options...]     e.g. --no-cache
#
# Needs a built default tree (cmake --build --preset default) and, for sites no tag names, the
# witness files of a test run (ci/test, or ctest -L 'host|fuzz|qemu'). Writes
# build/mutants/results-full.json and prints the counts, the score and every survivor.
# Exit: tests/mutants/mutate's (0 no survivor, 1 survivors, 2 error).
set -uo pipefail
cd "$(dirname "$0")/../../.."
[ -x build/tools/inventory/inventory ] || { echo "run.sh: build the default preset first" >&2; exit 2; }
build/tools/inventory/inventory scan --root . --build build --out build/mutants-model.json || exit 2
tests/mutants/sites-from-model build/mutants-model.json --root . --witness-dir build/witness \
  --out build/mutant-sites.json || exit 2
start=$(date +%s)
tests/mutants/mutate --sites build/mutant-sites.json --results build/mutants/results-full.json "$@"
rc=$?
echo "run.sh: full mutation run: $(( $(date +%s) - start )) s wall on $(nproc) CPU(s)"
exit $rc
