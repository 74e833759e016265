"""Shared helpers of the docs generators: Markdown escaping, tables, admonitions, file writes.

Every generated page is MyST Markdown written into the staged source tree in the build directory,
never into docs/. Writes go through write_if_changed so an unchanged page keeps its mtime and
Sphinx does not re-read it.
"""

import os


class InputError(Exception):
    """A generator input exists but cannot be used (malformed JSON, unknown schema)."""


def write_if_changed(path, text):
    """Write text to path unless the file already holds exactly that text.

    Returns True when the file was written.
    """
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return False
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    return True


def md_escape(text):
    """Escape a value for a cell of a Markdown table (one line, no bare pipes)."""
    text = " ".join(str(text).split())
    return text.replace("\\", "\\\\").replace("|", "\\|")


def cell(value):
    """Render a JSON value as the text of a table cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {cell(v)}" for k, v in value.items())
    return md_escape(value)


def md_table(headers, rows):
    """A Markdown table. rows are lists of already-rendered cell strings."""
    out = ["| " + " | ".join(md_escape(h) for h in headers) + " |",
           "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        out.append("| " + " | ".join(row) + " |")
    return "\n".join(out) + "\n"


def not_generated(what, path, producer, how=None):
    """The admonition a page shows while an input another part generates does not exist yet.

    what: what is missing, in words; path: repository-relative path of the input;
    producer: the part that writes it; how: the command that writes it, if there is one.
    """
    by = f"{producer} (`{how}`)" if how else producer
    return (
        "```{admonition} Not generated yet\n"
        ":class: warning\n\n"
        f"{what} comes from `{path}`, which does not exist in this checkout. "
        f"It is written by {by}; rebuild the documentation once it exists. "
        "This notice never appears in a complete build: the `docs_build` test fails while any "
        "generated input is missing.\n"
        "```\n"
    )
