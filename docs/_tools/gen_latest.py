"""The "Latest audit run" page: what the last ci/audit in this build tree measured.

ci/audit writes BUILD/audit/latest.json (schema capos-audit-run/1: commit, time, each step's
outcome) just before it builds the site; the test results come from the JUnit file the
inventory read (BUILD/junit/tests.xml) and the findings from BUILD/inventory/check.txt. A site
built without an audit (`cmake --build`) says so instead of showing anything older: results
are only shown when the run's own files are there.
"""

import json
import os
import xml.etree.ElementTree as ET

from common import md_escape

SCHEMA = "capos-audit-run/1"
TITLE = "# Latest audit run\n\n"


def _results(junit):
    """{label-less test name: passed|failed|skipped} from a CTest JUnit file, or None."""
    try:
        root = ET.parse(junit).getroot()
    except (OSError, ET.ParseError):
        return None
    out = {}
    for tc in root.iter("testcase"):
        status = tc.get("status", "")
        if tc.find("failure") is not None or tc.find("error") is not None or status == "fail":
            res = "failed"
        elif tc.find("skipped") is not None or status not in ("run", ""):
            res = "skipped"
        else:
            res = "passed"
        out[tc.get("name")] = res
    return out


def render(build_dir):
    path = os.path.join(build_dir, "audit", "latest.json")
    try:
        with open(path, encoding="utf-8") as f:
            run = json.load(f)
    except (OSError, ValueError):
        run = None
    if not isinstance(run, dict) or run.get("schema") != SCHEMA:
        return (TITLE + "This site was built without an audit run, so it shows no results. "
                "`ci/audit` builds the site with the results of its own run here: each step's "
                "outcome, which tests passed and failed, and the findings of `inventory check`.\n")
    lines = [TITLE]
    commit = run.get("commit", "?") + (" (with uncommitted changes)" if run.get("dirty") else "")
    lines.append(f"Commit `{md_escape(commit)}`, {md_escape(run.get('time', '?'))}.\n\n")
    lines.append("| Step | Outcome | Exit | Seconds |\n|---|---|---|---|\n")
    for s in run.get("steps", []):
        lines.append("| {} | {} | {} | {} |\n".format(md_escape(str(s.get("name"))),
                     md_escape(str(s.get("result"))), s.get("exit"), s.get("seconds")))
    res = _results(os.path.join(build_dir, "junit", "tests.xml"))
    lines.append("\n## Tests\n\n")
    if res is None:
        lines.append("No test results in this run (the evidence step did not finish).\n")
    else:
        failed = sorted(n for n, r in res.items() if r == "failed")
        n_pass = sum(1 for r in res.values() if r == "passed")
        lines.append(f"{n_pass} passed, {len(failed)} failed, "
                     f"{sum(1 for r in res.values() if r == 'skipped')} not run "
                     f"(disabled), of {len(res)}.\n")
        if failed:
            lines.append("\nFailed: " + ", ".join(f"`{md_escape(n)}`" for n in failed) + ".\n")
    lines.append("\n## Findings of `inventory check`\n\n")
    check = os.path.join(build_dir, "inventory", "check.txt")
    try:
        with open(check, encoding="utf-8") as f:
            text = f.read().strip()
    except OSError:
        text = None
    if text is None:
        lines.append("The check step did not run to a report in this run.\n")
    else:
        lines.append("```text\n" + text + "\n```\n")
    return "".join(lines)


def generate(stage, build_dir):
    stage.write("_generated/latest-run.md", render(build_dir))
