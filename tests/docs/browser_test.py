#!/usr/bin/python3
"""docs_browser: open the built capOS site in Debian's headless Chromium and check it works.

    browser_test.py --site build/docs/html --work-dir build/docs/browser [--chromium PATH]

Checks, each reported on its own line:
  1. the state-transition page shows a table with rows and a Graphviz diagram that the browser
     actually rendered (an inline <svg>, a loaded <img>, or an <object> whose SVG document has
     nodes), on every page that includes generated tables;
  2. the search page finds pages: search.html?q=<term> lists results, and they link to the
     page that defines the term;
  3. no internal link is broken: every href/src/data inside the site, on every built page,
     names a file that exists and, when it has a #fragment, an id or name in that file;
  4. a screenshot of the state-transition page, of the index and of every machine page
     (state-tables/machine-*.html, 1280 px wide, 1600 px tall) is saved in the work dir;
  5. on every machine page (and the state-transition page that includes them), at a 1280 px
     window: every column of every table (header and cells)
     lies inside the visible box of the table's container (nothing clipped or scrolled away) and
     no cell's content overflows it; every Graphviz diagram's labels render at >= 10 px (the SVG
     <text> computed font size times the SVG's on-screen scale) and a link next to the diagram
     opens its SVG full size.
Checks 1 and 2 run inside Chromium: a harness page served next to the site loads the page in
an iframe, inspects its DOM after the page's own scripts ran, and writes the verdict into its
own DOM, which --dump-dom prints. The site is served by an in-process HTTP server on a free
loopback port.

Exit status: 0 all checks passed; 1 a check failed; 2 usage error or no site / no browser.
"""

# Evidence for the inventory: the published site shows a state-transition table and a rendered
# diagram for every machine (MAM-A6: record a compact state-transition table).
# @proves docs_browser: MAM-A6

import argparse
import functools
import html.parser
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse

STATE_PAGE = "architecture/state-transitions.html"
SEARCH_TERM = "shootdown"
SEARCH_EXPECT = "architecture/memory.html"
HARNESS = "/__harness__.html"

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--hide-scrollbars",
]
WINDOW = (1280, 900)     # the window the checks run at
SHOT_HEIGHT = 1600       # machine-page screenshots: tall enough to show the table
MIN_DIAGRAM_PX = 10      # smallest legible diagram label, CSS px on screen

# Runs inside the iframe's document: tables with body rows, and rendered Graphviz diagrams.
PAGE_PROBE = r"""
function probe(d) {
  const main = d.querySelector('article') || d.body;
  const tables = [...main.querySelectorAll('table')].filter(t => t.querySelectorAll('tbody tr').length > 0);
  const diagrams = [];
  for (const g of main.querySelectorAll('.graphviz, object[type="image/svg+xml"], img')) {
    let ok = false, how = g.tagName.toLowerCase();
    if (how === 'object') {
      const sd = g.contentDocument;
      ok = !!(sd && sd.querySelector('svg') && sd.querySelectorAll('g.node').length > 0);
    } else if (how === 'img') {
      if (!/graphviz/.test(g.className + ' ' + g.getAttribute('src'))) continue;
      ok = g.complete && g.naturalWidth > 0;
    } else {
      const svg = g.querySelector(':scope > svg');
      if (!svg) continue;
      how = 'svg'; ok = svg.querySelectorAll('g.node').length > 0;
    }
    const r = g.getBoundingClientRect();
    diagrams.push({how: how, rendered: ok && r.width > 0 && r.height > 0});
  }
  return {title: d.title, tables: tables.length,
          rows: tables.reduce((n, t) => n + t.querySelectorAll('tbody tr').length, 0),
          diagrams: diagrams, columns: columns(d, tables), text: diagramText(main)};
}

// The part of el's box that is actually on screen: clipped by every ancestor that hides or
// scrolls its overflow, and by the window.
function visibleBox(d, el) {
  const win = d.defaultView;
  let box = {left: 0, right: d.documentElement.clientWidth};
  for (let a = el.parentElement; a && a !== d.documentElement; a = a.parentElement) {
    const ov = win.getComputedStyle(a).overflowX;
    if (ov === 'visible') continue;
    const r = a.getBoundingClientRect();
    const left = r.left + a.clientLeft;
    box = {left: Math.max(box.left, left), right: Math.min(box.right, left + a.clientWidth)};
  }
  return box;
}

// Per table, per column: the header, the column's extent on screen, whether it lies inside the
// visible box of the table's container, and cells whose content overflows the cell.
function columns(d, tables) {
  const out = [];
  tables.forEach((t, ti) => {
    const vis = visibleBox(d, t);
    const heads = [...t.querySelectorAll('thead th')].map(h => h.textContent.trim());
    const cols = heads.map(h => ({header: h, left: 1e9, right: -1e9, overflowing: 0}));
    for (const tr of t.querySelectorAll('tr')) {
      [...tr.children].forEach((c, i) => {
        if (!cols[i]) return;
        const r = c.getBoundingClientRect();
        cols[i].left = Math.min(cols[i].left, r.left);
        cols[i].right = Math.max(cols[i].right, r.right);
        if (c.scrollWidth > c.clientWidth + 1) cols[i].overflowing++;
      });
    }
    for (const c of cols) {
      c.visible = c.left >= vis.left - 1 && c.right <= vis.right + 1 && c.overflowing === 0;
      c.left = Math.round(c.left); c.right = Math.round(c.right);
    }
    out.push({table: ti, visLeft: Math.round(vis.left), visRight: Math.round(vis.right), cols: cols});
  });
  return out;
}

// The smallest rendered font size (CSS px on screen) of the text of every Graphviz diagram:
// computed font size times the SVG's current scale, and the text's rendered box height.
function diagramText(main) {
  const res = [];
  for (const o of main.querySelectorAll('object[type="image/svg+xml"], .graphviz > svg')) {
    const sd = o.tagName.toLowerCase() === 'object' ? o.contentDocument : o.ownerDocument;
    const svg = o.tagName.toLowerCase() === 'object' ? (sd && sd.querySelector('svg')) : o;
    if (!svg) continue;
    const texts = [...svg.querySelectorAll('text')];
    let minFont = 1e9, minBox = 1e9;
    for (const t of texts) {
      const ctm = t.getScreenCTM();
      const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 0;
      const fs = parseFloat(sd.defaultView.getComputedStyle(t).fontSize) * scale;
      minFont = Math.min(minFont, fs);
      minBox = Math.min(minBox, t.getBoundingClientRect().height);
    }
    const data = o.getAttribute('data') || '';
    const parent = o.closest('div.graphviz') || o.parentElement;
    const links = [...(parent ? parent.parentElement.querySelectorAll('a') : [])]
      .map(a => a.getAttribute('href') || '');
    res.push({data: data, texts: texts.length, minFont: Math.round(minFont * 10) / 10,
              minBox: Math.round(minBox * 10) / 10,
              fullSizeLink: !!data && links.some(h => h === data)});
  }
  return res;
}
"""

SEARCH_PROBE = r"""
function probe(d) {
  const items = [...d.querySelectorAll('#search-results ul.search li a')];
  const status = d.querySelector('#search-results p, .search-summary');
  return {results: items.length, links: items.map(a => a.getAttribute('href')),
          status: status ? status.textContent.trim() : '',
          done: !!(status && /found|did not match/i.test(status.textContent))};
}
"""

HARNESS_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">
<pre id="verdict">pending</pre>
<iframe id="f" src="{src}" width="{width}" height="{height}" style="border:0"></iframe>
<script>
{probe}
let tries = 0;
function check() {{
  let v = null;
  try {{ v = probe(document.getElementById('f').contentDocument); }}
  catch (e) {{ v = {{error: String(e)}}; }}
  tries++;
  if (({wait_until}) || tries > 100) {{
    v.tries = tries;
    document.getElementById('verdict').textContent = 'VERDICT' + JSON.stringify(v);
  }} else {{
    setTimeout(check, 100);
  }}
}}
document.getElementById('f').addEventListener('load', () => setTimeout(check, 200));
</script></body></html>
"""


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site, plus the harness page at HARNESS (never written into the site)."""

    harness = b""

    def do_GET(self):
        if self.path.split("?")[0] == HARNESS:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(self.harness)))
            self.end_headers()
            self.wfile.write(self.harness)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


class Server:
    def __init__(self, site):
        handler = functools.partial(Handler, directory=site)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class Browser:
    def __init__(self, chromium, work_dir):
        self.chromium = chromium
        self.profile = os.path.join(work_dir, "profile")
        shutil.rmtree(self.profile, ignore_errors=True)
        os.makedirs(self.profile)

    def run(self, args, timeout=90, window=WINDOW):
        cmd = [self.chromium, *CHROMIUM_FLAGS, f"--window-size={window[0]},{window[1]}",
               f"--user-data-dir={self.profile}", *args]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=timeout, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"chromium exited {proc.returncode}: {proc.stderr[-2000:]}")
        return proc.stdout

    def verdict(self, server, src, probe, wait_until):
        Handler.harness = HARNESS_PAGE.format(src=src, probe=probe, width=WINDOW[0],
                                              height=WINDOW[1],
                                              wait_until=wait_until).encode()
        dom = self.run(["--virtual-time-budget=30000", "--dump-dom", server.base + HARNESS])
        start = dom.find("VERDICT")
        if start < 0:
            raise RuntimeError(f"the harness produced no verdict for {src}")
        text = html.unescape(dom[start + len("VERDICT"):dom.index("</pre>", start)])
        return json.loads(text)

    def screenshot(self, url, path, height=WINDOW[1]):
        self.run([f"--screenshot={path}", "--virtual-time-budget=10000", url],
                 window=(WINDOW[0], height))
        return os.path.isfile(path) and os.path.getsize(path) > 0


class LinkCollector(html.parser.HTMLParser):
    """Anchors (id/name) defined in a page and the internal URLs it references."""

    ATTRS = {"href", "src", "data"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if v is None:
                continue
            if k in ("id", "name") and tag != "meta":
                self.anchors.add(v)
            elif k in self.ATTRS and not (tag == "a" and k == "data"):
                self.links.append(v)


def html_pages(site):
    for root, dirs, files in os.walk(site):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".html"):
                yield os.path.join(root, name)


def check_links(site):
    """Every internal link of every page; returns (links checked, [problems])."""
    parsed = {}

    def parse(path):
        if path not in parsed:
            c = LinkCollector()
            with open(path, encoding="utf-8", errors="replace") as f:
                c.feed(f.read())
            parsed[path] = c
        return parsed[path]

    problems, checked = [], 0
    for page in html_pages(site):
        for link in parse(page).links:
            url = urllib.parse.urlsplit(link)
            if url.scheme or url.netloc or link.startswith(("mailto:", "javascript:", "data:")):
                continue
            checked += 1
            target = page if not url.path else os.path.normpath(
                os.path.join(os.path.dirname(page), urllib.parse.unquote(url.path)))
            if os.path.isdir(target):
                target = os.path.join(target, "index.html")
            where = os.path.relpath(page, site)
            if not target.startswith(os.path.abspath(site) + os.sep):
                problems.append(f"{where}: {link} points outside the site")
            elif not os.path.isfile(target):
                problems.append(f"{where}: {link} -> missing file {os.path.relpath(target, site)}")
            elif url.fragment and target.endswith(".html") and \
                    urllib.parse.unquote(url.fragment) not in parse(target).anchors:
                problems.append(f"{where}: {link} -> no anchor #{url.fragment} in "
                                f"{os.path.relpath(target, site)}")
    return checked, problems


def state_pages(site):
    """The pages that must show generated tables and diagrams (site-relative paths)."""
    pages = [STATE_PAGE]
    tables_dir = os.path.join(site, "state-tables")
    for path in html_pages(tables_dir) if os.path.isdir(tables_dir) else []:
        with open(path, encoding="utf-8", errors="replace") as f:
            if 'class="graphviz' in f.read():
                pages.append(os.path.relpath(path, site))
    return pages


class Report:
    def __init__(self):
        self.failed = 0

    def __call__(self, ok, what):
        print(f"{'ok  ' if ok else 'FAIL'} {what}", flush=True)
        if not ok:
            self.failed += 1


def check_state_page(browser, server, page, report):
    v = browser.verdict(server, "/" + page, PAGE_PROBE,
                        "v.tables > 0 && v.diagrams.length > 0 && v.diagrams.every(x => x.rendered)")
    if "error" in v:
        report(False, f"{page}: {v['error']}")
        return
    rendered = [d for d in v["diagrams"] if d["rendered"]]
    report(v["tables"] > 0 and v["rows"] > 0,
           f"{page}: {v['tables']} table(s) with {v['rows']} row(s)")
    report(bool(v["diagrams"]) and len(rendered) == len(v["diagrams"]),
           f"{page}: {len(rendered)} of {len(v['diagrams'])} diagram(s) rendered "
           f"({', '.join(sorted({d['how'] for d in v['diagrams']})) or 'none found'})")
    # The machine pages, and the architecture page that includes all of them.
    if not (os.path.basename(page).startswith("machine-") or page == STATE_PAGE):
        return
    # A reviewer reads every column without scrolling: each column's cells lie inside the
    # visible box of the table's container at this window width, and no cell's content spills.
    for t in v["columns"]:
        hidden = [c for c in t["cols"] if not c["visible"]]
        report(t["cols"] and not hidden,
               f"{page}: table {t['table'] + 1}: {len(t['cols']) - len(hidden)} of {len(t['cols'])} "
               f"column(s) inside the visible box x={t['visLeft']}..{t['visRight']} at "
               f"{WINDOW[0]} px" + "".join(
                   f"; '{c['header']}' at x={c['left']}..{c['right']}"
                   + (f" with {c['overflowing']} overflowing cell(s)" if c["overflowing"] else "")
                   for c in hidden))
    for dg in v["text"]:
        report(dg["texts"] > 0 and dg["minFont"] >= MIN_DIAGRAM_PX,
               f"{page}: diagram {dg['data'] or '(inline)'}: smallest of {dg['texts']} label(s) "
               f"renders at {dg['minFont']} px font ({dg['minBox']} px box); needs >= "
               f"{MIN_DIAGRAM_PX} px")
        report(dg["fullSizeLink"], f"{page}: diagram {dg['data']} has a link to open it full size")
    if not v["text"]:
        report(False, f"{page}: no diagram text found to measure")


def check_search(browser, server, report):
    q = urllib.parse.quote(SEARCH_TERM)
    v = browser.verdict(server, f"/search.html?q={q}", SEARCH_PROBE, "v.done")
    if "error" in v:
        report(False, f"search: {v['error']}")
        return
    report(v["done"] and v["results"] > 0,
           f"search for '{SEARCH_TERM}': {v['results']} result(s); status: {v['status']!r}")
    hit = any(urllib.parse.urlsplit(h).path.endswith(SEARCH_EXPECT) for h in v["links"])
    report(hit, f"search for '{SEARCH_TERM}' lists {SEARCH_EXPECT}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", required=True, help="the built site (build/docs/html)")
    ap.add_argument("--work-dir", required=True, help="profile and screenshots go here")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = ap.parse_args()
    site = os.path.abspath(args.site)
    if not os.path.isfile(os.path.join(site, "index.html")):
        print(f"browser_test: no built site at {site} (build the `docs` target)", file=sys.stderr)
        return 2
    if not (os.path.isfile(args.chromium) and os.access(args.chromium, os.X_OK)):
        print(f"browser_test: no Chromium at {args.chromium} (apt-get install chromium)",
              file=sys.stderr)
        return 2
    os.makedirs(args.work_dir, exist_ok=True)
    browser = Browser(args.chromium, args.work_dir)
    report = Report()

    with Server(site) as server:
        for page in state_pages(site):
            if not os.path.isfile(os.path.join(site, page)):
                report(False, f"{page}: not built")
                continue
            check_state_page(browser, server, page, report)
        # Screenshots before the search: Sphinx keeps the last search terms in local storage
        # and would highlight them on every later page.
        shots = [(STATE_PAGE, "state-transitions.png", WINDOW[1]), ("index.html", "index.png", WINDOW[1])]
        shots += [(p, os.path.basename(p)[:-len(".html")] + ".png", SHOT_HEIGHT)
                  for p in state_pages(site) if os.path.basename(p).startswith("machine-")]
        for page, name, height in shots:
            path = os.path.join(os.path.abspath(args.work_dir), name)
            report(browser.screenshot(f"{server.base}/{page}", path, height), f"screenshot {path}")
        check_search(browser, server, report)

    checked, problems = check_links(site)
    for p in problems:
        report(False, f"broken link: {p}")
    report(checked > 0 and not problems,
           f"{checked} internal links on {sum(1 for _ in html_pages(site))} pages checked, "
           f"{len(problems)} broken")
    print(f"browser_test: {'FAILED' if report.failed else 'passed'}"
          f" ({report.failed} check(s) failed)")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
