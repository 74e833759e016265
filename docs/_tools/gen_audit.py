"""Pages rendered from the audit's machine-readable files in docs/audit/.

proof-table.json (which evidence kinds each class of rule needs) and backlog.json (Slices A-F
with their stable MAM-* IDs) are written and read by the inventory (tools/inventory/); the site
renders the same files at build time, so the published proof table and backlog can never drift
from what `inventory check` enforces. Both renderers accept the record shapes the inventory
writes (a list of objects, or an object holding such a list) and fail the build on anything
else rather than publish a guess.
"""

import json
import re

from common import InputError, cell, md_escape, md_table

ID_KEYS = ("id", "class", "rule_class", "name", "key")
LIST_KEYS = ("rules", "classes", "rule_classes", "entries", "rows", "items")


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read {path}: {e}") from e


def records_of(doc, path):
    """The list of records in doc, and the scalar metadata beside it."""
    if isinstance(doc, list):
        records, meta = doc, {}
    elif isinstance(doc, dict):
        lists = [k for k in LIST_KEYS if isinstance(doc.get(k), list)]
        if not lists:
            raise InputError(f"{path}: expected a list of records under one of {LIST_KEYS}")
        records = doc[lists[0]]
        meta = {k: v for k, v in doc.items() if k != lists[0] and not isinstance(v, (list, dict))}
    else:
        raise InputError(f"{path}: expected a JSON object or array")
    if not all(isinstance(r, dict) for r in records):
        raise InputError(f"{path}: every record must be a JSON object")
    return records, meta


def columns_of(records):
    """Column order: identifying keys first, then the others in first-seen order."""
    seen = []
    for r in records:
        for k in r:
            if k not in seen:
                seen.append(k)
    first = [k for k in ID_KEYS if k in seen]
    return first + [k for k in seen if k not in first]


def heading(key):
    return key.replace("_", " ").capitalize()


def render_proof_table(path):
    doc = load_json(path)
    records, meta = records_of(doc, path)
    if not records:
        raise InputError(f"{path}: the proof table has no rows")
    cols = columns_of(records)
    rows = [[cell(r.get(c)) for c in cols] for r in records]
    out = []
    if meta:
        out.append("Source: `docs/audit/proof-table.json` (" +
                   ", ".join(f"{md_escape(k)} {cell(v)}" for k, v in meta.items()) + ").\n")
    else:
        out.append("Source: `docs/audit/proof-table.json`.\n")
    out.append(md_table([heading(c) for c in cols], rows))
    return "\n".join(out)


SLICE_OF_ID = re.compile(r"^MAM-([A-Z])(\d+)$")


def item_text(item):
    for k in ("text", "title", "description", "summary"):
        if isinstance(item.get(k), str):
            return item[k]
    raise InputError(f"backlog item {item.get('id')}: no text/title/description field")


def render_item(item):
    iid = item.get("id")
    if not isinstance(iid, str) or not SLICE_OF_ID.match(iid):
        raise InputError(f"backlog item without a MAM-<slice><n> id: {item!r}")
    extra = {k: v for k, v in item.items()
             if k not in ("id", "text", "title", "description", "summary", "slice")}
    lines = [f"({iid.lower()})=", f"**{iid}**: {' '.join(item_text(item).split())}"]
    if extra:
        lines.append("")
        lines.extend(f"- {heading(k)}: {cell(v)}" for k, v in extra.items())
    return "\n".join(lines) + "\n"


def slices_of(doc, path):
    """[(letter, slice-dict-or-{}, [items])] in slice order."""
    if isinstance(doc, dict) and isinstance(doc.get("slices"), list):
        result = []
        for s in doc["slices"]:
            if not isinstance(s, dict) or not isinstance(s.get("items"), list):
                raise InputError(f"{path}: every slice needs an `items` list")
            letter = s.get("id") or s.get("slice") or s.get("letter")
            if not isinstance(letter, str):
                raise InputError(f"{path}: a slice without an id/slice/letter field")
            result.append((letter.replace("MAM-", ""), s, s["items"]))
        return result
    records, _ = records_of(doc, path)
    by_slice = {}
    for item in records:
        m = SLICE_OF_ID.match(str(item.get("id", "")))
        if not m:
            raise InputError(f"{path}: backlog item without a MAM-<slice><n> id: {item!r}")
        by_slice.setdefault(m.group(1), []).append(item)
    return [(k, {}, by_slice[k]) for k in sorted(by_slice)]


def render_backlog(path):
    doc = load_json(path)
    out = []
    total = 0
    for letter, meta, items in slices_of(doc, path):
        title = meta.get("title") or meta.get("name") or ""
        out.append(f"### Slice {letter}" + (f": {title}" if title else "") + "\n")
        goal = meta.get("goal")
        if goal:
            out.append(f"Goal: {' '.join(str(goal).split())}\n")
        for item in items:
            out.append(render_item(item))
            total += 1
        exits = meta.get("exit_criteria") or meta.get("exit")
        if exits:
            out.append("Exit criteria:\n")
            for e in exits if isinstance(exits, list) else [exits]:
                out.append(f"- {' '.join(str(e).split())}")
            out.append("")
    if total == 0:
        raise InputError(f"{path}: the backlog has no items")
    return "\n".join(out)
