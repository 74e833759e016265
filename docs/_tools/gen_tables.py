"""Stand-ins for pages other parts of capOS write, while they do not exist yet.

docs/state-tables/ is written by `inventory tables` and committed; this site links to its index
and to its check-rule catalog. docs/architecture/kernel-only-rules.md is written with kernel/lib.
When one of those files does not exist yet, the staged tree gets a page that says so (never
invented content), so the site still builds and every link still resolves.
"""

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
