"""Mirror docs/ into the staged Sphinx source tree in the build directory.

Sphinx reads one source directory. The staged tree is docs/ (pages, conf.py, committed
state-tables) plus the pages generated at build time (API reference, proof table, backlog, rule
catalog). Staging keeps generated files out of docs/ and lets a missing generated input become a
"not generated yet" page instead of a broken toctree.
"""

import os
import shutil

from common import write_if_changed

# Paths under docs/ that are build machinery, not site sources.
EXCLUDED_TOP = {"_tools", "CMakeLists.txt", "Doxyfile.in"}
EXCLUDED_NAMES = {"__pycache__", ".DS_Store"}


def source_files(docs_dir):
    """Repository files under docs/ that belong in the site, as paths relative to docs/."""
    found = []
    for root, dirs, files in os.walk(docs_dir):
        rel_root = os.path.relpath(root, docs_dir)
        dirs[:] = sorted(d for d in dirs if d not in EXCLUDED_NAMES
                         and not (rel_root == "." and d in EXCLUDED_TOP))
        for name in sorted(files):
            if name in EXCLUDED_NAMES or name.endswith((".pyc", ".tmp", "~")):
                continue
            if rel_root == "." and name in EXCLUDED_TOP:
                continue
            found.append(os.path.normpath(os.path.join(rel_root, name)))
    return found


def copy_if_changed(src, dst):
    """Copy src to dst unless dst already has the same bytes (keeps mtimes stable)."""
    with open(src, "rb") as f:
        data = f.read()
    try:
        with open(dst, "rb") as f:
            if f.read() == data:
                return
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)


class Stage:
    """The staged source tree: records every file written so stale ones can be removed."""

    def __init__(self, stage_dir):
        self.dir = stage_dir
        self.written = set()

    def copy_docs(self, docs_dir):
        for rel in source_files(docs_dir):
            copy_if_changed(os.path.join(docs_dir, rel), os.path.join(self.dir, rel))
            self.written.add(rel)

    def exists(self, rel):
        """True when rel was staged (from docs/ or generated) in this run."""
        return os.path.normpath(rel) in self.written

    def write(self, rel, text):
        """Write a generated page. Refuses to shadow a file that came from docs/."""
        rel = os.path.normpath(rel)
        if rel in self.written:
            raise RuntimeError(f"generated page {rel} would overwrite a file from docs/")
        write_if_changed(os.path.join(self.dir, rel), text)
        self.written.add(rel)

    def prune(self):
        """Remove staged files that neither docs/ nor a generator produced in this run."""
        for root, dirs, files in os.walk(self.dir, topdown=False):
            for name in files:
                path = os.path.join(root, name)
                if os.path.relpath(path, self.dir) not in self.written:
                    os.remove(path)
            if root != self.dir and not os.listdir(root):
                os.rmdir(root)
