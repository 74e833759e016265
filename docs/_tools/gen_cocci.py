"""The Coccinelle rule catalog, generated from the header comments of tools/cocci/*/*.cocci.

A rule's header follows the Linux scripts/coccinelle conventions:
    /// description (one or more lines)
    //# note on false positives (zero or more lines)
    // Confidence: High|Moderate|Low
    // Options: extra spatch options (optional)
and its modes are its `virtual` declarations. A rule without a description or a confidence
fails the build: the catalog is the rules' documentation, so a rule cannot be undocumented.
"""

import os
import re

from common import InputError, md_escape, md_table

FIELD = re.compile(r"^//\s*([A-Za-z-]+):\s*(.*)$")


def paragraphs(lines):
    """Join comment lines into Markdown paragraphs; an empty line separates paragraphs."""
    paras, cur = [], []
    for line in lines + [""]:
        if line:
            cur.append(line)
        elif cur:
            paras.append(" ".join(cur))
            cur = []
    return "\n\n".join(paras)


def parse_rule(path):
    """Read one rule's header: description, notes, fields and modes."""
    desc, notes, fields, modes = [], [], {}, []
    in_header = True
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            stripped = line.strip()
            m = re.match(r"^virtual\s+([A-Za-z_]+)", stripped)
            if m:
                modes.append(m.group(1))
                continue
            if not in_header:
                continue
            if stripped.startswith("///"):
                desc.append(stripped[3:].strip())
            elif stripped.startswith("//#"):
                notes.append(stripped[3:].strip())
            elif stripped.startswith("//"):
                fm = FIELD.match(stripped)
                if fm:
                    fields[fm.group(1).lower()] = fm.group(2).strip()
            elif stripped:
                in_header = False
    return {
        "description": paragraphs(desc),
        "notes": " ".join(n for n in notes if n),
        "confidence": fields.get("confidence", ""),
        "options": fields.get("options", ""),
        "modes": modes,
    }


def find_rules(cocci_dir):
    """(category, name, path) for every tools/cocci/<category>/<name>.cocci, sorted."""
    rules = []
    if not os.path.isdir(cocci_dir):
        return rules
    for category in sorted(os.listdir(cocci_dir)):
        cdir = os.path.join(cocci_dir, category)
        if not os.path.isdir(cdir):
            continue
        for name in sorted(os.listdir(cdir)):
            if name.endswith(".cocci"):
                rules.append((category, name[:-6], os.path.join(cdir, name)))
    return rules


def rule_section(category, name, rule):
    rel = f"tools/cocci/{category}/{name}.cocci"
    opts = f" {rule['options']}" if rule["options"] else ""
    lines = [
        f"#### `{category}/{name}`\n",
        rule["description"] + "\n",
        f"- **Confidence:** {md_escape(rule['confidence'])}",
        f"- **Modes:** {', '.join('`' + m + '`' for m in rule['modes']) or 'none declared'}",
        f"- **Options:** `{rule['options']}`" if rule["options"] else "- **Options:** none",
    ]
    if rule["notes"]:
        lines.append(f"- **False positives:** {rule['notes']}")
    lines += [
        f"- **Source:** `{rel}`\n",
        "```sh",
        f"tools/cocci/run --rule {category}/{name}    # over kernel/, as CI runs it",
        f"tools/cocci/run --show-rule {category}/{name} > /tmp/rule.cocci    # names from the config",
        f"spatch --sp-file /tmp/rule.cocci -D report --very-quiet \\\n   {opts} \\\n"
        f"    --dir tests/cocci/{category}/{name}    # its test inputs, by hand",
        "```\n",
    ]
    return "\n".join(lines)


def first_sentence(text):
    """The first sentence of a description, for the summary table."""
    first = text.split("\n\n")[0]
    m = re.search(r"[.!?](\s|$)", first)
    return first[:m.end()].strip() if m else first


def generate(cocci_dir):
    """Markdown of the whole catalog; InputError when a rule's header is incomplete."""
    rules = find_rules(cocci_dir)
    if not rules:
        return None
    parsed, problems = [], []
    for category, name, path in rules:
        rule = parse_rule(path)
        if not rule["description"]:
            problems.append(f"{path}: no /// description")
        if not rule["confidence"]:
            problems.append(f"{path}: no // Confidence: line")
        if "report" not in rule["modes"]:
            problems.append(f"{path}: no `virtual report` mode")
        parsed.append((category, name, rule))
    if problems:
        raise InputError("Coccinelle rule headers incomplete:\n  " + "\n  ".join(problems))

    summary = md_table(
        ["Rule", "Confidence", "What it finds"],
        [[f"`{c}/{n}`", md_escape(r["confidence"]),
          md_escape(first_sentence(r["description"]))] for c, n, r in parsed])
    out = [f"{len(parsed)} rules in {len({c for c, _, _ in parsed})} categories, "
           "generated from the rules' headers at build time.\n", summary]
    current = None
    for category, name, rule in parsed:
        if category != current:
            out.append(f"\n### `{category}/`\n")
            current = category
        out.append(rule_section(category, name, rule))
    return "\n".join(out)
