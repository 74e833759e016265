"""Stand-ins for pages other parts of capOS write, while they do not exist yet.

docs/state-tables/ is written by `inventory tables` and committed; this site links to its index
and to its check-rule catalog. docs/architecture/kernel-only-rules.md is written with kernel/lib.
When one of those files does not exist yet, the staged tree gets a page that says so (never
invented content), so the site still builds and every link still resolves.
"""

import os
import re

from common import not_generated

PRODUCER = "the inventory (`tools/inventory/`)"
HOW = "inventory tables"

# Pages of docs/state-tables/ that other pages of the site link to, and what each one holds.
EXPECTED = {
    "state-tables/index.md": ("Generated state tables",
                              "The generated state-transition tables, diagrams and checklists"),
    "state-tables/check-rules.md": ("Check rules", "The catalog of `inventory check` rules"),
}


def placeholder(title, what, rel):
    text = f"# {title}\n\n" + not_generated(what, "docs/" + rel, PRODUCER, HOW)
    if rel == "state-tables/index.md":
        text += "\n```{toctree}\n:hidden:\n\ncheck-rules\n```\n"
    return text


# Hand-written pages that another part of the project owns: (title, owner).
OTHERS = {
    "architecture/kernel-only-rules.md": ("Kernel-only rules", "`kernel/lib`"),
}


def not_written(title, rel, owner):
    return (f"# {title}\n\n"
            "```{admonition} Not written yet\n:class: warning\n\n"
            f"`docs/{rel}` does not exist in this checkout. It is written together with {owner}. "
            "The `docs_build` test fails while it is missing.\n```\n")


def generate(stage):
    """Stage a stand-in for every expected state-tables page that is missing.

    Returns the repository paths of the missing inputs.
    """
    missing = []
    for rel, (title, what) in EXPECTED.items():
        if not stage.exists(rel):
            stage.write(rel, placeholder(title, what, rel))
            missing.append("docs/" + rel)
    for rel, (title, owner) in OTHERS.items():
        if not stage.exists(rel):
            stage.write(rel, not_written(title, rel, owner))
            missing.append("docs/" + rel)
    return missing


# --- The per-machine tables, included into architecture/state-transitions.md ----------------

FENCE = re.compile(r"^(\s*)(`{3,}|:{3,})")
GRAPHVIZ = re.compile(r"^(\s*(?:`{3,}|:{3,})\s*\{graphviz\}\s+)(\S+)(.*)$")
TARGET = re.compile(r"^\s*\([^)\s]+\)=\s*$")
MD_LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:|#|/)([^)\s]+)\)")


def machine_pages(stage):
    """Staged state-tables pages that hold a Graphviz diagram: one per state machine."""
    pages = []
    for rel in sorted(stage.written):
        if not rel.startswith("state-tables" + os.sep) or not rel.endswith(".md"):
            continue
        if os.path.basename(rel) in ("index.md", "check-rules.md"):
            continue
        with open(os.path.join(stage.dir, rel), encoding="utf-8") as f:
            if "{graphviz}" in f.read():
                pages.append(rel)
    return pages


def rebase(text, page_dir, demote=1):
    """A state-tables page's text, made includable from architecture/.

    Headings go `demote` levels down (they sit under the including page's title), explicit targets
    are dropped (the page itself defines them), and relative paths of diagrams and links are
    rewritten to point into state-tables/.
    """
    out, fence = [], None
    for line in text.splitlines():
        m = FENCE.match(line)
        g = GRAPHVIZ.match(line)
        if g:
            line = f"{g.group(1)}/{page_dir}/{g.group(2)}{g.group(3)}"
        if fence is None and m:
            fence = m.group(2)[0] * len(m.group(2))
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is None:
            if TARGET.match(line):
                continue
            if line.startswith("#"):
                line = "#" * demote + line
            line = MD_LINK.sub(lambda mm: f"](../{page_dir}/{mm.group(1)})", line)
        out.append(line)
    return "\n".join(out) + "\n"


def machine_fragment(stage):
    """Markdown included by architecture/state-transitions.md; None if nothing is generated."""
    pages = machine_pages(stage)
    if not pages:
        return None
    parts = []
    for rel in pages:
        with open(os.path.join(stage.dir, rel), encoding="utf-8") as f:
            body = rebase(f.read(), os.path.dirname(rel))
        parts.append(body + f"\nGenerated page: [`docs/{rel}`](../{rel}).\n")
    return "\n".join(parts)


def checklist_page(stage):
    """The staged state-tables page that carries the backlog checklist: the one that names the
    most distinct backlog IDs (MAM-A1 ...), or None when no page names any."""
    best, best_count = None, 0
    for rel in sorted(stage.written):
        if rel.startswith("state-tables" + os.sep) and rel.endswith(".md") \
                and os.path.basename(rel) != "index.md":
            with open(os.path.join(stage.dir, rel), encoding="utf-8") as f:
                count = len(set(re.findall(r"\bMAM-[A-F]\d+\b", f.read())))
            if count > best_count:
                best, best_count = rel, count
    return best


def checklist_fragment(stage):
    """Markdown included by backlog/memory-authority-model.md; None if not generated."""
    rel = checklist_page(stage)
    if rel is None:
        return None
    with open(os.path.join(stage.dir, rel), encoding="utf-8") as f:
        body = rebase(f.read(), os.path.dirname(rel), demote=2)
    return body + f"\nGenerated page: [`docs/{rel}`](../{rel}).\n"
