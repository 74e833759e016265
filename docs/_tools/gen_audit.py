"""Pages rendered from the audit's machine-readable files in docs/audit/.

proof-table.json (which evidence kinds each class of rule needs) and backlog.json (Slices A-F
with their stable MAM-* IDs) are written with the inventory (tools/inventory/), which reads them
to decide what `inventory check` demands. The site renders the same files at build time, so the
published proof table and backlog cannot drift from what the gate enforces. Each renderer knows
one schema version and fails the build on anything else rather than publish a guess.
"""

import json
import re

from common import InputError, md_escape, md_table

PROOF_SCHEMA = "capos-proof-table/1"
BACKLOG_SCHEMA = "capos-backlog/1"
SLICES = "ABCDEF"
ITEM_ID = re.compile(r"^MAM-([A-F])(\d+)$")


def load_json(path, schema):
    """The JSON document at path, which must declare the given schema."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read {path}: {e}") from e
    if not isinstance(doc, dict) or doc.get("schema") != schema:
        raise InputError(f"{path}: expected \"schema\": \"{schema}\" (this renderer knows no "
                         "other version; update docs/_tools/gen_audit.py with the schema)")
    return doc


def need(obj, key, kind, where):
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, kind):
        raise InputError(f"{where}: `{key}` missing or not a {kind.__name__}")
    return value


def clauses_text(requires, where):
    """Evidence clauses [["host"], ["fuzz", "proof"]] as "`host` and (`fuzz` or `proof`)"."""
    if not isinstance(requires, list) or not requires:
        raise InputError(f"{where}: `requires` must be a non-empty list of clauses")
    parts = []
    for clause in requires:
        if not isinstance(clause, list) or not clause or \
                not all(isinstance(k, str) for k in clause):
            raise InputError(f"{where}: each clause of `requires` must be a list of CTest labels")
        alts = " or ".join(f"`{k}`" for k in clause)
        parts.append(f"({alts})" if len(clause) > 1 and len(requires) > 1 else alts)
    return " and ".join(parts)


def condition_text(when, where):
    """An `assign` condition in words."""
    if not isinstance(when, dict):
        raise InputError(f"{where}: `when` must be an object")
    words = []
    for key, value in when.items():
        if key == "roles_all":
            roles = "; ".join(" or ".join(f"`{r}`" for r in str(g).split("|")) for g in value)
            words.append(f"its operation paths reach each of: {roles}")
        elif key == "machines":
            words.append("the machine is " + " or ".join(f"`{m}`" for m in value))
        else:
            raise InputError(f"{where}: unknown condition `{key}`")
    return "; and ".join(words) if words else "any other transition"


def render_proof_table(path):
    doc = load_json(path, PROOF_SCHEMA)
    classes = need(doc, "classes", list, path)
    if not classes:
        raise InputError(f"{path}: the proof table has no classes")
    rows = []
    for c in classes:
        where = f"{path}: class {c.get('id')!r}"
        accepts = c.get("accepts")
        if accepts is not None and (not isinstance(accepts, list) or
                                    not all(isinstance(k, str) for k in accepts)):
            raise InputError(f"{where}: `accepts` must be a list of kinds")
        runs = c.get("runs") or []
        rows.append([f"`{md_escape(need(c, 'id', str, where))}`",
                     md_escape(need(c, "description", str, where)),
                     clauses_text(c.get("requires"), where),
                     ", ".join(f"`{k}`" for k in accepts) if accepts is not None else "any site kind",
                     str(c.get("witnesses", 1)),
                     ", ".join(f"`{t}`" for t in runs) if runs else "none"])
    out = [md_escape(doc.get("description", "")) + "\n",
           md_table(["Class", "What it covers", "Evidence required (per site)", "Accepted kinds",
                     "Witnessing tests per site", "Whole-kernel runs that must pass"], rows)]
    assign = need(doc, "assign", list, path)
    arows = []
    for n, a in enumerate(assign, 1):
        where = f"{path}: assign entry {n}"
        arows.append([str(n), f"`{md_escape(need(a, 'class', str, where))}`",
                      condition_text(a.get("when"), where)])
    out.append("A transition gets the class of the first entry whose condition holds:\n")
    out.append(md_table(["Order", "Class", "When"], arows))
    kinds = need(doc, "kinds", list, path)
    krows = []
    for k in kinds:
        if isinstance(k, str):  # a plain CTest label, measured by a run
            krows.append([f"`{md_escape(k)}`", "site", f"label `{md_escape(k)}`", ""])
            continue
        where = f"{path}: kind {k.get('id') if isinstance(k, dict) else k!r}"
        if not isinstance(k, dict):
            raise InputError(f"{where}: a kind is a label or an object")
        match = [f"label `{md_escape(x)}`" for x in k.get("labels", [] if "tests" in k else [k.get("id", "")])]
        match += [f"tests `{md_escape(x)}`" for x in k.get("tests", [])]
        krows.append([f"`{md_escape(need(k, 'id', str, where))}`", md_escape(need(k, "level", str, where)),
                      ", ".join(match), md_escape(k.get("description", ""))])
    out.append("Evidence kinds, in the order a test's kind is looked up (the first whose tests or labels "
               "match). Level: `site` counts for a site only when the cited test executed it in a passing "
               "run (its witness); `static` only with a match record showing the site; `function` for the "
               "C files the proof proves; `design` and `run` never for a C site, only for backlog items.\n")
    out.append(md_table(["Kind", "Level", "Matches", "What it is"], krows))
    out.append("Source: `docs/audit/proof-table.json` (schema `" + PROOF_SCHEMA + "`); how witnesses are "
               "judged: [Witnesses and mutants](../audit/witnesses.md).\n")
    return "\n".join(out)


def render_item(item, where):
    iid = need(item, "id", str, where)
    title = need(item, "title", str, where)
    text = need(item, "text", str, where)
    lines = [f"({iid.lower()})=", f"**{iid}** {md_escape(title)}", "",
             f": {' '.join(text.split())}", ""]
    lines.append(f"  Evidence: {clauses_text(item.get('requires'), where)}.")
    for key, words in (("transitions", "Transitions that must also be proven"),
                       ("inventory", "Must find at least one transition site matching"),
                       ("files", "Its code (a cited test must execute it)")):
        globs = item.get(key)
        if globs:
            lines.append(f"  {words}: " + ", ".join(f"`{g}`" for g in globs) + ".")
    exits = item.get("exit")
    if exits is not None:
        if not isinstance(exits, list) or not all(isinstance(e, str) and e.strip() for e in exits):
            raise InputError(f"{where}: `exit` must be a list of non-empty strings")
        lines.append("")
        lines.append("  Exit criteria:")
        lines.append("")
        lines.extend(f"  - {md_escape(' '.join(e.split()))}" for e in exits)
    return "\n".join(lines) + "\n"


def backlog_slices(path):
    """{slice letter: Markdown of its items}, checking the IDs are stable and gap-free."""
    doc = load_json(path, BACKLOG_SCHEMA)
    items = need(doc, "items", list, path)
    by_slice = {letter: [] for letter in SLICES}
    for n, item in enumerate(items, 1):
        where = f"{path}: item {n}"
        m = ITEM_ID.match(str(item.get("id", "")) if isinstance(item, dict) else "")
        if not m or item.get("slice") != m.group(1):
            raise InputError(f"{where}: id must be MAM-<slice><n> with a matching `slice`")
        group = by_slice[m.group(1)]
        if int(m.group(2)) != len(group) + 1:
            raise InputError(f"{where}: {item['id']} out of order (IDs are stable and gap-free)")
        group.append(render_item(item, f"{path}: {item['id']}"))
    empty = [letter for letter, group in by_slice.items() if not group]
    if empty:
        raise InputError(f"{path}: no items for slice(s) {', '.join(empty)}")
    return {letter: "\n".join(group) for letter, group in by_slice.items()}
