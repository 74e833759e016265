#!/bin/sh
# sparse must report the __user dereference and the cast in user_space.c (exit 1, both lines).
here=$(cd "$(dirname "$0")" && pwd)
out=$("$here/../sparse_check" --file "$here/user_space.c" 2>&1)
rc=$?
echo "$out"
[ $rc -eq 1 ] || { echo "FAIL: sparse_check exit $rc, want 1"; exit 1; }
echo "$out" | grep -q 'user_space.c:21:16: warning: dereference of noderef expression' ||
	{ echo "FAIL: the __user dereference was not reported"; exit 1; }
echo "$out" | grep -q 'user_space.c:26:17: warning: cast removes address space' ||
	{ echo "FAIL: the cast to a kernel pointer was not reported"; exit 1; }
echo "PASS"
