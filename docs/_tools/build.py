#!/usr/bin/python3
"""Build the capOS documentation site: Doxygen XML, staged sources, generated pages, Sphinx.

    build.py --source-dir REPO --build-dir DIR --doxyfile FILE [--strict] [--fresh]

Steps, each failing the build on any warning:
  1. Doxygen over kernel/include/ into DIR/doxygen/xml (warnings are errors);
  2. docs/ mirrored into DIR/src, plus the generated pages: the API reference (one page per
     header, and a check that Doxygen saw every header), the proof table and the backlog from
     docs/audit/*.json, the Coccinelle rule catalog from tools/cocci/, and stand-ins for
     docs/state-tables/ pages the inventory has not generated yet;
  3. sphinx-build -W -n --keep-going into DIR/html.
--strict also fails when a generated input is missing (the docs_build test uses it).
--fresh rebuilds everything (-E) instead of incrementally.

Exit status: 0 built clean; 1 a warning, or (with --strict) a missing generated input;
2 usage or unreadable input.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep __pycache__ out of the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_api  # noqa: E402
import gen_audit  # noqa: E402
import gen_cocci  # noqa: E402
import gen_latest  # noqa: E402
import gen_tables  # noqa: E402
from common import InputError, not_generated  # noqa: E402
from stage import Stage, copy_if_changed  # noqa: E402

SPHINX_PYTHON = "/usr/bin/python3"  # Debian's Sphinx; the python3 on PATH may not have it


def log(msg):
    print(f"docs: {msg}", flush=True)


def sync_tree(src, dst):
    """Make dst hold exactly src's files, rewriting only the files whose bytes changed, so
    Sphinx and Breathe see unchanged XML as unchanged and rebuild only what depends on a change."""
    for root, _, files in os.walk(src):
        for name in files:
            path = os.path.join(root, name)
            copy_if_changed(path, os.path.join(dst, os.path.relpath(path, src)))
    for root, _, files in os.walk(dst):
        for name in files:
            path = os.path.join(root, name)
            if not os.path.exists(os.path.join(src, os.path.relpath(path, dst))):
                os.remove(path)


def run_doxygen(doxyfile, out_dir):
    """Doxygen with the configured file into out_dir; False on any warning.

    Doxygen writes into a fresh scratch directory (no stale XML from a removed header), which
    is then synchronised into out_dir.
    """
    scratch = out_dir + ".new"
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)  # Doxygen will not create a missing parent itself
    with open(doxyfile, encoding="utf-8") as f:
        config = f.read() + f"\nOUTPUT_DIRECTORY = {scratch}\n"
    proc = subprocess.run(["doxygen", "-"], input=config, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    diagnostics = [line for line in proc.stderr.splitlines() if line.strip()]
    for line in diagnostics:
        print(line, file=sys.stderr)
    if proc.returncode != 0 or diagnostics:
        log(f"Doxygen reported {len(diagnostics)} warning line(s) (exit {proc.returncode}); "
            "every public declaration in kernel/include needs a complete Doxygen comment")
        return False
    sync_tree(scratch, out_dir)
    shutil.rmtree(scratch)
    return True


def stage_audit_page(stage, repo, rel_json, out_rel, what, render):
    """Render docs/audit/<json> into a staged fragment; returns the input if it is missing."""
    path = os.path.join(repo, "docs", rel_json)
    if not os.path.isfile(path):
        stage.write(out_rel, not_generated(what, "docs/" + rel_json,
                                           "the inventory's maintainers (`tools/inventory/`)"))
        return ["docs/" + rel_json]
    stage.write(out_rel, render(path))
    return []


def stage_backlog(stage, repo):
    """One fragment per slice, _generated/backlog-<A..F>.md, from docs/audit/backlog.json."""
    path = os.path.join(repo, "docs", "audit", "backlog.json")
    if os.path.isfile(path):
        slices = gen_audit.backlog_slices(path)
        missing = []
    else:
        notice = not_generated("The items of this slice", "docs/audit/backlog.json",
                               "the inventory's maintainers (`tools/inventory/`)")
        slices = {letter: notice for letter in gen_audit.SLICES}
        missing = ["docs/audit/backlog.json"]
    for letter, text in slices.items():
        stage.write(f"_generated/backlog-{letter}.md", text)
    return missing


def stage_fragment(stage, rel, text, notice, missing_name, missing):
    """Write a generated fragment, or the notice (and record the missing input) when None."""
    if text is None:
        text = notice
        missing.append(missing_name)
    stage.write(rel, text)


def stage_sources(repo, build_dir, xml_dir):
    """Mirror docs/ and write every generated page; returns the missing generated inputs."""
    stage = Stage(os.path.join(build_dir, "src"))
    stage.copy_docs(os.path.join(repo, "docs"))
    gen_api.generate(stage, os.path.join(repo, "kernel", "include"), xml_dir)
    missing = stage_audit_page(stage, repo, "audit/proof-table.json",
                               "_generated/proof-table.md", "The proof table",
                               gen_audit.render_proof_table)
    missing += stage_backlog(stage, repo)
    stage_fragment(stage, "_generated/cocci-rules.md",
                   gen_cocci.generate(os.path.join(repo, "tools", "cocci")),
                   not_generated("The rule catalog", "tools/cocci/<category>/*.cocci",
                                 "the Coccinelle rules (`tools/cocci/`)"),
                   "tools/cocci/<category>/*.cocci", missing)
    missing += gen_tables.generate(stage)
    tables = ("docs/state-tables/", gen_tables.PRODUCER, gen_tables.HOW)
    stage_fragment(stage, "_generated/machine-tables.md", gen_tables.machine_fragment(stage),
                   not_generated("The per-machine tables and diagrams", tables[0] + "machine-*.md",
                                 *tables[1:]),
                   "docs/state-tables/<machine>.md (a table and a diagram per machine)", missing)
    stage_fragment(stage, "_generated/backlog-checklist.md", gen_tables.checklist_fragment(stage),
                   not_generated("The backlog checklist with each item's status",
                                 tables[0] + "backlog.md", *tables[1:]),
                   "docs/state-tables/<checklist>.md (the backlog checklist)", missing)
    gen_latest.generate(stage, os.path.dirname(os.path.abspath(build_dir)))
    stage.prune()
    return stage.dir, missing


def xml_files_vanished(build_dir, xml_dir):
    """True when a Doxygen XML file of the previous build is gone (a header was removed or
    renamed). Breathe's incremental state then names a missing file and Sphinx aborts, so the
    caller rebuilds from scratch. Records the current set for the next build."""
    manifest = os.path.join(build_dir, "doxygen-xml-files.txt")
    now = sorted(os.listdir(xml_dir))
    try:
        with open(manifest, encoding="utf-8") as f:
            before = f.read().split()
    except FileNotFoundError:
        before = []
    with open(manifest, "w", encoding="utf-8") as f:
        f.write("\n".join(now) + "\n")
    return bool(set(before) - set(now))


def run_sphinx(src, build_dir, xml_dir, include_dir, fresh):
    html = os.path.join(build_dir, "html")
    doctrees = os.path.join(build_dir, "doctrees")
    if xml_files_vanished(build_dir, xml_dir) and not fresh:
        log("a header's Doxygen XML disappeared: rebuilding the site from scratch")
        fresh = True
    if fresh:
        shutil.rmtree(html, ignore_errors=True)
        shutil.rmtree(doctrees, ignore_errors=True)
    cmd = [SPHINX_PYTHON, "-m", "sphinx", "-b", "html", "-W", "-n", "--keep-going", "-q",
           "-d", doctrees, src, html]
    if fresh:
        cmd.insert(3, "-E")
    env = dict(os.environ, CAPOS_DOXYGEN_XML=xml_dir, CAPOS_KERNEL_INCLUDE=include_dir)
    return subprocess.run(cmd, env=env, check=False).returncode == 0, html


def sync_static(src, html):
    """Copy the site's own static files (docs/_static) into the built site when they changed.

    Sphinx copies html_static_path only when it writes at least one page: after a change to
    capos.css or capos.js alone it reports "no targets are out of date" and the built site keeps
    the old file. Our static files are plain files (no templates), copied as Sphinx would."""
    static = os.path.join(src, "_static")
    for root, _, files in os.walk(static):
        for name in files:
            if name.endswith("_t"):
                continue
            path = os.path.join(root, name)
            copy_if_changed(path, os.path.join(html, "_static", os.path.relpath(path, static)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source-dir", required=True, help="repository root")
    ap.add_argument("--build-dir", required=True, help="output directory (html/ goes here)")
    ap.add_argument("--doxyfile", required=True, help="configured Doxyfile")
    ap.add_argument("--strict", action="store_true", help="fail when a generated input is missing")
    ap.add_argument("--fresh", action="store_true", help="full rebuild instead of incremental")
    args = ap.parse_args()
    repo, build_dir = os.path.abspath(args.source_dir), os.path.abspath(args.build_dir)
    if not os.path.isfile(os.path.join(repo, "docs", "conf.py")):
        print(f"build.py: {repo} is not the capOS repository (no docs/conf.py)", file=sys.stderr)
        return 2
    if not os.path.isfile(args.doxyfile):
        print(f"build.py: no Doxyfile at {args.doxyfile}", file=sys.stderr)
        return 2

    start = time.monotonic()
    xml_dir = os.path.join(build_dir, "doxygen", "xml")
    if not run_doxygen(args.doxyfile, os.path.dirname(xml_dir)):
        return 1
    try:
        src, missing = stage_sources(repo, build_dir, xml_dir)
    except InputError as e:
        print(f"build.py: {e}", file=sys.stderr)
        return 2
    for m in missing:
        log(f"input missing, its page shows a notice instead: {m}")
    ok, html = run_sphinx(src, build_dir, xml_dir, os.path.join(repo, "kernel", "include"),
                          args.fresh)
    if not ok:
        log("sphinx-build reported warnings (see above)")
        return 1
    sync_static(src, html)
    log(f"built in {time.monotonic() - start:.1f} s; open file://{html}/index.html")
    if args.strict and missing:
        log(f"--strict: {len(missing)} generated input(s) missing: {', '.join(missing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
