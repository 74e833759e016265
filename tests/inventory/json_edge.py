#!/usr/bin/env python3
"""inventory_json_edge: JSON stays at the inventory's read/write edges (issue 15).

Every C source of tools/inventory whose name does not end in `_io.c` must be compiled (in the
build's compile_commands.json, for every target that builds it) with `-include .../no_json.h`,
which poisons `json_t`. The guard itself is then shown live: a probe compiled with a guarded
file's own command fails with "poisoned" when it includes jansson or names `json_t`, and the
same command compiles a probe that does neither (so the failure is the guard, not the flags).

usage: json_edge.py SOURCE_DIR BUILD_DIR      exit 0 ok, 1 a finding, 2 usage or input error
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile


def main():
    if len(sys.argv) != 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    src, build = (os.path.realpath(a) for a in sys.argv[1:])
    tool = os.path.join(src, "tools", "inventory")
    try:
        with open(os.path.join(build, "compile_commands.json")) as f:
            cdb = json.load(f)
    except (OSError, ValueError) as e:
        print(f"json_edge: cannot read {build}/compile_commands.json: {e}", file=sys.stderr)
        return 2
    guard = os.path.join(tool, "no_json.h")
    cmds = {}
    for e in cdb:
        path = os.path.realpath(os.path.join(e["directory"], e["file"]))
        if os.path.dirname(path) == tool:
            args = e["arguments"] if "arguments" in e else shlex.split(e["command"])
            cmds.setdefault(os.path.basename(path), []).append((e["directory"], args))
    sources = sorted(n for n in os.listdir(tool) if n.endswith(".c"))
    edges = [n for n in sources if n.endswith("_io.c")]
    inner = [n for n in sources if not n.endswith("_io.c")]
    bad = 0
    for n in inner:
        if n not in cmds:
            print(f"json_edge: tools/inventory/{n} is in no compile command (every source is built)")
            bad += 1
            continue
        for _, args in cmds[n]:
            ok = any(a == "-include" and b == guard for a, b in zip(args, args[1:]))
            if not ok:
                print(f"json_edge: tools/inventory/{n} is compiled without -include no_json.h "
                      "(JSON outside the *_io.c edges)")
                bad += 1
                break
    if bad:
        return 1
    # The guard is live: probes compiled with a guarded file's own command.
    name = "util.c" if "util.c" in cmds else inner[0]
    directory, args = cmds[name][0]
    with tempfile.TemporaryDirectory() as tmp:
        def compile_probe(text):
            p = os.path.join(tmp, "probe.c")
            with open(p, "w") as f:
                f.write(text)
            a = list(args)
            i = a.index("-o")
            a[i + 1] = os.devnull
            a = [p if os.path.realpath(os.path.join(directory, x)) == os.path.join(tool, name) else x for x in a]
            # drop the dependency-file arguments (-MD, -MT T, -MF F)
            out, skip = [], False
            for x in a:
                if skip:
                    skip = False
                    continue
                if x in ("-MT", "-MF", "-MQ"):
                    skip = True
                    continue
                if x in ("-MD", "-MMD"):
                    continue
                out.append(x)
            r = subprocess.run(out, cwd=directory, capture_output=True, text=True)
            return r.returncode, r.stderr
        rc, err = compile_probe(f'#include "{tool}/util.h"\nint probe(void) {{ return 0; }}\n')
        if rc != 0:
            print(f"json_edge: the control probe does not compile with {name}'s command:\n{err}")
            return 1
        for what, text in (("includes jansson", "#include <jansson.h>\nint probe(void) { return 0; }\n"),
                           ("names json_t", "struct json_t;\nint probe(struct json_t *j) { return j != 0; }\n")):
            rc, err = compile_probe(text)
            if rc == 0 or "poisoned" not in err:
                print(f"json_edge: a guarded file that {what} compiles (rc {rc}): the guard is not live\n{err}")
                return 1
    print(f"json_edge: {len(inner)} sources compiled without JSON, {len(edges)} *_io.c edges "
          f"({', '.join(edges)}); the guard refuses jansson and json_t")
    return 0


if __name__ == "__main__":
    sys.exit(main())
