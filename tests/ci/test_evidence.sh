#!/usr/bin/env bash
# test_evidence.sh SRC: ci/evidence reuses exactly the results whose inputs did not change.
#
# A scratch git repository holds a two-label CMake project (alpha, beta) and an input map; the
# script runs ci/evidence over it and checks what ran, what was reused, the merged JUnit, the
# witness files restored with reused results, and that failures and unknown labels always run.
set -uo pipefail
src=$(cd "$1" && pwd)
ev=$src/ci/evidence
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
fails=0 passes=0
ok() { echo "ok    $*"; passes=$((passes + 1)); }
bad() { echo "FAIL  $*"; fails=$((fails + 1)); }
expect() {  # expect DESCRIPTION GREP-REGEX FILE
  if grep -Eq -- "$2" "$3"; then ok "$1"; else bad "$1 (no line matching '$2' in:)"; sed 's/^/      /' "$3"; fi
}

git init -q . && git config user.email t@t && git config user.name t
mkdir -p alpha beta gamma
echo one >alpha/input.txt; echo one >beta/input.txt; echo one >gamma/input.txt
cat >check.sh <<'SH'
#!/bin/sh
# check.sh NAME FILE: fails when FILE says "fail"; leaves a witness file for NAME.
mkdir -p "$BUILD/witness"
echo "{\"test\": \"$1\"}" >"$BUILD/witness/$1.json"
echo "{\"test\": \"$1_part\", \"ctest\": \"$1\"}" >"$BUILD/witness/$1_part.json"
! grep -q fail "$2"
SH
chmod +x check.sh
cat >CMakeLists.txt <<'CM'
cmake_minimum_required(VERSION 3.20)
project(scratch NONE)
enable_testing()
foreach(t alpha beta gamma)
  add_test(NAME ${t}_test COMMAND ${CMAKE_SOURCE_DIR}/check.sh ${t}_test ${CMAKE_SOURCE_DIR}/${t}/input.txt)
  set_tests_properties(${t}_test PROPERTIES LABELS ${t} ENVIRONMENT BUILD=${CMAKE_BINARY_DIR})
endforeach()
CM
cat >map.json <<'JS'
{"schema": "capos-evidence-inputs/1", "common": ["CMakeLists.txt", "check.sh"],
 "labels": {"alpha": ["alpha/**"], "beta": ["beta/**"]}, "tests": []}
JS
git add -A && git commit -qm scratch
cmake -S . -B build >/dev/null || { echo "cmake failed"; exit 2; }
run() { "$ev" --build build --inputs map.json >"$work/out.txt" 2>&1; echo $? >"$work/rc"; }

run
[ "$(cat rc)" = 0 ] && ok "first run passes" || bad "first run exit $(cat rc)"
expect "first run: nothing cached, all 3 run" '^evidence: 3 tests: 0 reused \(inputs unchanged\), 3 to run' out.txt
[ "$(grep -c '<testcase' build/junit/tests.xml)" = 3 ] && ok "merged JUnit has 3 testcases" || bad "merged JUnit testcases"

rm -rf build/witness
run
expect "second run: alpha and beta reused, gamma (no input map) runs" '^evidence: 3 tests: 2 reused \(inputs unchanged\), 1 to run' out.txt
expect "the unmapped label is named as the reason" 'label gamma has no input map' out.txt
[ -f build/witness/alpha_test.json ] && ok "a reused result brings its witness file back" || bad "witness of alpha not restored"
[ -f build/witness/alpha_test_part.json ] && ok "... and the witnesses it wrote for its parts (\"ctest\": its name)" || bad "part witness of alpha not restored"
[ "$(grep -c '<testcase' build/junit/tests.xml)" = 3 ] && ok "merged JUnit still has 3 testcases" || bad "merged JUnit after reuse"

echo two >alpha/input.txt
run
expect "a changed input reruns only its test" '^evidence: 3 tests: 1 reused \(inputs unchanged\), 2 to run' out.txt
expect "the changed file is named" 'changed' out.txt
"$ev" --build build --inputs map.json --dry-run >dry.txt 2>&1
expect "dry run after no change: alpha reused" '^evidence: 3 tests: 2 reused' dry.txt

echo fail >beta/input.txt
run
[ "$(cat rc)" = 1 ] && ok "a failing test makes exit 1" || bad "failing test: exit $(cat rc)"
expect "the failed test is named" '^  FAILED  beta_test$' out.txt
expect "closing count line" '^evidence: 2 passed, 1 failed$' out.txt
grep -q 'failures="1"' build/junit/tests.xml && ok "merged JUnit counts the failure" || bad "JUnit failures attr"
[ -f build/evidence-cache/artifacts/beta_test/witness/beta_test.json ] && bad "a failed test's witness is cached" || ok "a failed test's witness is not cached"
run
expect "a cached failure always reruns" 'cached result was failed' out.txt

echo one >beta/input.txt
"$ev" --build build --inputs map.json --full >out.txt 2>&1
expect "--full runs everything" '^evidence: 3 tests: 0 reused \(inputs unchanged\), 3 to run' out.txt

echo '[1]' >badmap.json
"$ev" --build build --inputs badmap.json >out.txt 2>&1; rc=$?
[ $rc = 2 ] && ok "a bad input map is exit 2" || bad "bad input map: exit $rc"
"$ev" --build= >out.txt 2>&1; rc=$?
[ $rc = 2 ] && ok "an empty --build= is a usage error" || bad "--build=: exit $rc"
"$ev" --build nonexistent >out.txt 2>&1; rc=$?
[ $rc = 2 ] && ok "a missing build tree is exit 2" || bad "missing build tree: exit $rc"

echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
