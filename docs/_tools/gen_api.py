"""The API reference: one page per kernel header, rendered by Breathe from Doxygen's XML.

Doxygen skips the members of a header without a /** @file */ block and says nothing, so before
writing any page this module checks that every header under kernel/include/ has a documented
file compound (a non-empty brief) in the XML, and fails with the list of the ones that do not.
Nothing is left out silently.
"""

import os
import xml.etree.ElementTree as ET

from common import InputError


def kernel_headers(include_dir):
    """Every .h under include_dir, as sorted paths relative to it ("capos/errors.h")."""
    found = []
    for root, dirs, files in os.walk(include_dir):
        dirs.sort()
        for name in files:
            if name.endswith(".h"):
                found.append(os.path.relpath(os.path.join(root, name), include_dir))
    return sorted(found)


def documented_headers(xml_dir):
    """Map header path -> (refid, brief), for every file compound in Doxygen's XML."""
    index = os.path.join(xml_dir, "index.xml")
    try:
        root = ET.parse(index).getroot()
    except (OSError, ET.ParseError) as e:
        raise InputError(f"cannot read Doxygen's index {index}: {e}") from e
    result = {}
    for comp in root.findall("compound[@kind='file']"):
        path = os.path.join(xml_dir, comp.get("refid") + ".xml")
        try:
            node = ET.parse(path).getroot().find("compounddef")
        except (OSError, ET.ParseError) as e:
            raise InputError(f"cannot read Doxygen's {path}: {e}") from e
        loc = node.find("location")
        brief = "".join(node.find("briefdescription").itertext()).strip()
        result[loc.get("file")] = (comp.get("refid"), " ".join(brief.split()))
    return result


def header_page(header, refid):
    """The page of one header. Breathe prints the header's brief itself."""
    # Doxygen links a mention of a header's name to the file compound (refid "abi_8h"), and
    # Breathe turns that into a reference to the label refid: the page defines it.
    return (
        f"({refid})=\n"
        f"# `{header}`\n\n"
        f"Source: `kernel/include/{header}`. Generated from its Doxygen comments.\n\n"
        f"```{{doxygenfile}} {header}\n"
        ":project: capos\n"
        "```\n"
    )


def index_page(headers, briefs):
    groups = {}
    for h in headers:
        groups.setdefault(os.path.dirname(h) or ".", []).append(h)
    out = [
        "# API reference\n",
        "The public headers of the kernel, one page each, generated at build time by Doxygen "
        "(XML) and Breathe from the comments in `kernel/include/`. The build fails on any Doxygen "
        "warning, so every function, type, macro and enumerator listed here is documented.\n",
        "Headers under `kernel/include/capos/` are the user ABI: user programs include them "
        "unchanged. `kernel/include/lib/` is the interface of `kernel/lib`, the pure logic "
        "compiled into both the kernel and the host tests. The other directories mirror the "
        "kernel's source tree.\n",
    ]
    for group in sorted(groups):
        out.append(f"## `{group}/`\n" if group != "." else "## Top level\n")
        for h in groups[group]:
            out.append(f"- [`{h}`]({h[:-2]}.md): {briefs[h][1]}")
        out.append("")
    out.append("```{toctree}\n:hidden:\n")
    out.extend(h[:-2] for h in headers)
    out.append("```\n")
    return "\n".join(out)


def generate(stage, include_dir, xml_dir):
    """Write api/index.md and api/<header>.md into the stage; raise InputError on a gap."""
    headers = kernel_headers(include_dir)
    briefs = documented_headers(xml_dir)
    # Doxygen lists a header without a @file block as a file compound with an empty description
    # and documents none of its members (without warning about them): both count as skipped.
    skipped = [h for h in headers if h not in briefs or not briefs[h][1]]
    if skipped:
        raise InputError(
            "Doxygen produced no documentation for these headers (each needs a "
            "/** @file @brief ... */ block): " + ", ".join("kernel/include/" + h for h in skipped))
    for h in headers:
        stage.write(os.path.join("api", h[:-2] + ".md"), header_page(h, briefs[h][0]))
    stage.write(os.path.join("api", "index.md"), index_page(headers, briefs))
    return headers
