#!/usr/bin/env bash
# tests/bench/mutants/run.sh: the full mutation run (every obligation site of the current
# inventory model) and its wall time. Not a CTest test: run by hand (it takes hours on 2 cores).
#
#   tests/bench/mutants/run.sh [mutate options...]     e.g. --no-cache, --sample 1000 --seed 7
#
# Needs a built default tree (cmake --build --preset default) and, for sites no tag names, the
# witness files of a test run (ci/test, or ctest -L 'host|fuzz|qemu'). Updates the committed
# record docs/audit/mutants.json after every site (a run stopped early keeps what it measured),
# writes build/mutants/results-full.json, adds the run's figures to docs/audit/mutation-runs.json
# and regenerates docs/audit/mutation.md (tests/mutants/report). With --sample N the sites run in
# the seeded sample's order, so a run stopped early is a seeded random sample.
# Exit: tests/mutants/mutate's (0 no unjustified survivor, 1 survivors, 2 error).
set -uo pipefail
cd "$(dirname "$0")/../../.."
[ -x build/tools/inventory/inventory ] || { echo "run.sh: build the default preset first" >&2; exit 2; }
mkdir -p build/mutants
build/tools/inventory/inventory scan --root . --build build --out build/mutants-model.json || exit 2
tests/mutants/sites-from-model build/mutants-model.json --root . --witness-dir build/witness \
  --build build --out build/mutant-sites.json || exit 2
start=$(date +%s)
tests/mutants/mutate --sites build/mutant-sites.json --record docs/audit/mutants.json \
  --justifications docs/audit/mutant-justifications.json --results build/mutants/results-full.json "$@"
rc=$?
echo "run.sh: full mutation run: $(( $(date +%s) - start )) s wall on $(nproc) CPU(s), load $(cut -d' ' -f1-3 /proc/loadavg)"
[ $rc -le 1 ] && tests/mutants/report --add-run build/mutants/results-full.json --what "tests/bench/mutants/run.sh $*" \
  && tests/mutants/report
exit $rc
