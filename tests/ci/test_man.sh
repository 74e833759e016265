#!/usr/bin/env bash
# test_man.sh PAGE...: every generated manual page renders without groff warnings and has a
# NAME line, a DESCRIPTION (or usage) section taken from --help, and the tool's version.
set -uo pipefail
fails=0 passes=0
for p in "$@"; do
  n=$(basename "$p" .1)
  if [ ! -s "$p" ]; then echo "FAIL  $n: $p missing or empty"; fails=$((fails + 1)); continue; fi
  out=$(groff -man -Tutf8 -ww "$p" 2>&1 >/dev/null)
  text=$(groff -man -Tutf8 "$p" 2>/dev/null | col -bx)
  if [ -n "$out" ]; then echo "FAIL  $n: groff warns: $out"; fails=$((fails + 1)); continue; fi
  if ! grep -q '^NAME' <<<"$text" || ! grep -Eq '^(DESCRIPTION|SYNOPSIS)' <<<"$text"; then
    echo "FAIL  $n: no NAME/DESCRIPTION section"; fails=$((fails + 1)); continue
  fi
  if ! grep -Eq '[0-9]+\.[0-9]+\.[0-9]+' <<<"$text"; then
    echo "FAIL  $n: no version"; fails=$((fails + 1)); continue
  fi
  echo "ok    $n"; passes=$((passes + 1))
done
[ $# -gt 0 ] || { echo "FAIL  no pages given"; fails=1; }
echo "$passes passed, $fails failed"
[ $fails -eq 0 ]
