"""Sphinx configuration of the capOS documentation site.

Sphinx never reads docs/ directly: docs/_tools/build.py stages docs/ and the generated pages
into the build tree and runs sphinx-build there (see docs/CMakeLists.txt). The Doxygen XML
directory and the kernel's include directory come from the environment variables
CAPOS_DOXYGEN_XML and CAPOS_KERNEL_INCLUDE, set by build.py.
"""

import os
import re

project = "capOS"
author = "the capOS developers"
copyright = "the capOS developers"
release = os.environ.get("CAPOS_VERSION", "")

extensions = [
    "myst_parser",
    "breathe",
    "sphinx.ext.graphviz",
]

xml_dir = os.environ.get("CAPOS_DOXYGEN_XML")
include_dir = os.environ.get("CAPOS_KERNEL_INCLUDE")
if not xml_dir or not os.path.isfile(os.path.join(xml_dir, "index.xml")) \
        or not include_dir or not os.path.isdir(include_dir):
    raise RuntimeError("CAPOS_DOXYGEN_XML and CAPOS_KERNEL_INCLUDE must name Doxygen's XML output "
                       "and kernel/include: build the site with docs/_tools/build.py (the `docs` "
                       "target)")

breathe_projects = {"capos": xml_dir}
breathe_default_project = "capos"
# Without this Breathe puts C declarations into the C++ domain and -n reports every link.
breathe_domain_by_extension = {"h": "c", "c": "c"}
breathe_show_include = True

source_suffix = {".md": "markdown"}
root_doc = "index"
# _generated/ holds fragments that pages include; they are not pages of their own.
exclude_patterns = ["_generated"]

myst_enable_extensions = ["colon_fence", "deflist", "tasklist"]
myst_heading_anchors = 3

graphviz_output_format = "svg"
graphviz_dot_args = ["-Gfontname=sans-serif", "-Nfontname=sans-serif", "-Efontname=sans-serif"]


def _opaque_structs(include_dir):
    """Structs a header only forward-declares (`struct x;`) and no header defines.

    They are opaque on purpose (their layout is private to one .c file), so there is no
    declaration for Breathe to link a `struct x *` to.
    """
    declared, defined = set(), set()
    for root, _, files in os.walk(include_dir):
        for name in files:
            if name.endswith(".h"):
                with open(os.path.join(root, name), encoding="utf-8") as f:
                    text = f.read()
                declared.update(re.findall(r"^\s*struct\s+(\w+)\s*;", text, re.M))
                defined.update(re.findall(r"\bstruct\s+(\w+)\s*\{", text))
    return sorted(declared - defined)


# -n: every cross-reference must resolve. The C standard types are not ours to document, and
# opaque structs have no declaration to link to.
nitpick_ignore_regex = [
    ("c:identifier", r"(u?int(8|16|32|64|ptr)_t|size_t|ssize_t|ptrdiff_t|bool|va_list)"),
]
nitpick_ignore = [("c:identifier", name) for name in _opaque_structs(include_dir)]

html_theme = "furo"
html_title = "capOS"
html_static_path = ["_static"]
html_css_files = ["capos.css"]
html_js_files = ["capos.js"]
html_copy_source = True
html_show_sourcelink = True


def _resolve_c_enumerator(app, env, node, contnode):
    """Resolve an unqualified C reference to an enumerator ("LEDGER_KIND_COUNT").

    In C an enumerator belongs to the scope enclosing its enum. Sphinx's C domain models that,
    but Breathe declares enumerators before their enum, so Sphinx only knows them by their
    qualified name ("ledger_kind.LEDGER_KIND_COUNT") and an array bound such as
    `limits[LEDGER_KIND_COUNT]` would not resolve. This finds the one enumerator of that name;
    an unknown or ambiguous name is left unresolved, and -n reports it.
    """
    from sphinx.util.nodes import make_refnode

    if node.get("refdomain") != "c" or node.get("reftype") not in ("identifier", "enumerator"):
        return None
    target = node.get("reftarget", "")
    if not target.isidentifier():
        return None
    root = env.domaindata["c"]["root_symbol"]
    matches = [s for s in root.get_all_symbols()
               if s.declaration is not None and s.declaration.objectType == "enumerator"
               and s.ident is not None and str(s.ident) == target and s.docname]
    if len(matches) != 1:
        return None
    s = matches[0]
    return make_refnode(app.builder, node["refdoc"], s.docname, s.declaration.get_newest_id(),
                        contnode, target)


def setup(app):
    app.connect("missing-reference", _resolve_c_enumerator)
    return {"parallel_read_safe": True}
