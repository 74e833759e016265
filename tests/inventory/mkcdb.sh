#!/usr/bin/env bash
# mkcdb.sh ROOT BUILD: write BUILD/compile_commands.json for every .c under ROOT/kernel, with the
# freestanding flags a kernel uses and absolute paths (as CMake writes them).
set -euo pipefail
root=$1 build=$2
mkdir -p "$build"
{
  echo "["
  first=1
  while IFS= read -r f; do
    [ $first -eq 1 ] || echo ","
    first=0
    printf '{"directory": "%s", "file": "%s", "command": "clang --target=x86_64-unknown-none-elf -std=gnu11 -ffreestanding -nostdlibinc -Wall -Wextra -Werror -Wno-unused-parameter -I%s/kernel/include -I%s/kernel/sys -c %s -o x.o"}' \
      "$build" "$f" "$root" "$root" "$f"
  done < <(find "$root/kernel" -name '*.c' | LC_ALL=C sort)
  echo "]"
} >"$build/compile_commands.json"
