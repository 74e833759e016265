#!/usr/bin/python3
"""docs_generators: the docs/_tools generators on fixed inputs, good and bad.

Each generator must render what its input says and refuse input it cannot render faithfully
(wrong schema, gaps in the backlog IDs, a rule without a description, a header Doxygen skipped)
with an error naming the input, instead of publishing a guess. stdlib unittest only.
"""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(REPO, "docs", "_tools"))

import build  # noqa: E402
import gen_api  # noqa: E402
import gen_audit  # noqa: E402
import gen_cocci  # noqa: E402
import gen_latest  # noqa: E402
import gen_tables  # noqa: E402
from common import InputError  # noqa: E402
from stage import Stage  # noqa: E402

PROOF = {
    "schema": "capos-proof-table/1",
    "description": "What each class needs.",
    "kinds": ["host", "fuzz", "proof", "qemu", "cocci"],
    "classes": [
        {"id": "pt-frame-reuse", "description": "PTE removal then free", "requires": [["qemu"], ["cocci"]]},
        {"id": "ownership", "description": "pure logic", "requires": [["host"], ["fuzz", "proof"]]},
    ],
    "assign": [
        {"class": "pt-frame-reuse", "when": {"roles_all": ["pte_clear|pte_weaken", "frame_free"]}},
        {"class": "ownership", "when": {}},
    ],
}


def backlog(ids):
    return {"schema": "capos-backlog/1", "description": "d",
            "items": [{"id": i, "slice": i[4], "title": f"title {i}", "text": f"text of {i}",
                       "requires": [["host"]]} for i in ids]}


ALL_IDS = ["MAM-A1", "MAM-A2", "MAM-B1", "MAM-C1", "MAM-D1", "MAM-E1", "MAM-F1"]


class TempDir(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, text):
        path = os.path.join(self.dir, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text if isinstance(text, str) else json.dumps(text))
        return path


class TestProofTable(TempDir):
    def test_proof_table_renders_classes_clauses_and_assignment(self):
        md = gen_audit.render_proof_table(self.write("p.json", PROOF))
        self.assertIn("| `pt-frame-reuse` | PTE removal then free | `qemu` and `cocci` |", md)
        self.assertIn("`host` and (`fuzz` or `proof`)", md)
        self.assertIn("`pte_clear` or `pte_weaken`; `frame_free`", md)
        self.assertIn("any other transition", md)

    def test_proof_table_unknown_schema_refused(self):
        bad = dict(PROOF, schema="capos-proof-table/2")
        with self.assertRaisesRegex(InputError, "schema"):
            gen_audit.render_proof_table(self.write("p.json", bad))

    def test_proof_table_malformed_json_refused(self):
        with self.assertRaisesRegex(InputError, "cannot read"):
            gen_audit.render_proof_table(self.write("p.json", "{not json"))

    def test_proof_table_empty_clause_refused(self):
        bad = json.loads(json.dumps(PROOF))
        bad["classes"][0]["requires"] = [[]]
        with self.assertRaisesRegex(InputError, "clause"):
            gen_audit.render_proof_table(self.write("p.json", bad))

    def test_proof_table_unknown_condition_refused(self):
        bad = json.loads(json.dumps(PROOF))
        bad["assign"][0]["when"] = {"phase_of_moon": ["full"]}
        with self.assertRaisesRegex(InputError, "unknown condition"):
            gen_audit.render_proof_table(self.write("p.json", bad))


class TestBacklog(TempDir):
    def test_backlog_slices_render_items_with_targets(self):
        slices = gen_audit.backlog_slices(self.write("b.json", backlog(ALL_IDS)))
        self.assertEqual(sorted(slices), list("ABCDEF"))
        self.assertIn("(mam-a2)=\n**MAM-A2** title MAM-A2", slices["A"])
        self.assertIn("Evidence: `host`.", slices["A"])

    def test_backlog_gap_in_ids_refused(self):
        ids = [i for i in ALL_IDS if i != "MAM-A1"]
        with self.assertRaisesRegex(InputError, "MAM-A2 out of order"):
            gen_audit.backlog_slices(self.write("b.json", backlog(ids)))

    def test_backlog_missing_slice_refused(self):
        ids = [i for i in ALL_IDS if i != "MAM-F1"]
        with self.assertRaisesRegex(InputError, "no items for slice"):
            gen_audit.backlog_slices(self.write("b.json", backlog(ids)))

    def test_backlog_slice_field_mismatch_refused(self):
        doc = backlog(ALL_IDS)
        doc["items"][0]["slice"] = "B"
        with self.assertRaisesRegex(InputError, "matching `slice`"):
            gen_audit.backlog_slices(self.write("b.json", doc))


RULE = """\
/// Finds a frame freed before the shootdown completed.
///
/// Second paragraph.
//# Intraprocedural only.
// Confidence: High
// Options: --no-includes
virtual report
virtual context

@r depends on report@
@@
f();
"""


class TestCocci(TempDir):
    def test_cocci_rule_header_parsed(self):
        rule = gen_cocci.parse_rule(self.write("tlb/r.cocci", RULE))
        self.assertEqual(rule["description"],
                         "Finds a frame freed before the shootdown completed.\n\nSecond paragraph.")
        self.assertEqual(rule["notes"], "Intraprocedural only.")
        self.assertEqual(rule["confidence"], "High")
        self.assertEqual(rule["options"], "--no-includes")
        self.assertEqual(rule["modes"], ["report", "context"])

    def test_cocci_catalog_lists_every_rule(self):
        self.write("tlb/r.cocci", RULE)
        self.write("locks/s.cocci", RULE)
        md = gen_cocci.generate(self.dir)
        self.assertIn("2 rules in 2 categories", md)
        self.assertIn("#### `locks/s`", md)
        # The by-hand command instantiates the rule's config names first (tools/cocci/run
        # --show-rule), then runs spatch on the rule's own test inputs.
        self.assertIn("tools/cocci/run --show-rule tlb/r > /tmp/rule.cocci", md)
        self.assertIn("spatch --sp-file /tmp/rule.cocci -D report", md)
        self.assertIn("--dir tests/cocci/tlb/r", md)

    def test_cocci_rule_without_description_refused(self):
        self.write("tlb/r.cocci", RULE.replace("///", "//"))
        with self.assertRaisesRegex(InputError, "no /// description"):
            gen_cocci.generate(self.dir)

    def test_cocci_no_rules_gives_none(self):
        self.assertIsNone(gen_cocci.generate(os.path.join(self.dir, "absent")))


MACHINE = """\
(st-frame)=
# State machine `frame`

| From | To |
|---|---|
| A | B |

```{graphviz} frame.dot
```

```text
# not a heading
```

See [rules](check-rules.md) and [site](https://example.org/x.md).
"""


class TestTables(TempDir):
    def test_tables_rebase_for_inclusion(self):
        out = gen_tables.rebase(MACHINE, "state-tables")
        self.assertNotIn("(st-frame)=", out)
        self.assertIn("## State machine `frame`", out)
        self.assertIn("```{graphviz} /state-tables/frame.dot", out)
        self.assertIn("# not a heading", out.split("```text")[1])
        self.assertIn("[rules](../state-tables/check-rules.md)", out)
        self.assertIn("[site](https://example.org/x.md)", out)

    def test_tables_placeholders_when_missing(self):
        stage = Stage(os.path.join(self.dir, "stage"))
        missing = gen_tables.generate(stage)
        self.assertIn("docs/state-tables/index.md", missing)
        self.assertIn("docs/state-tables/check-rules.md", missing)
        self.assertIsNone(gen_tables.machine_fragment(stage))
        self.assertIsNone(gen_tables.checklist_fragment(stage))

    def test_tables_checklist_is_the_page_naming_most_ids(self):
        docs = os.path.join(self.dir, "docs")
        os.makedirs(os.path.join(docs, "state-tables"))
        for name, text in (("inventory.md", "# Inv\n\nMAM-A1\n"),
                           ("backlog.md", "# Backlog\n\n- [ ] MAM-A1\n- [ ] MAM-B1\n"),
                           ("machine-frame.md", MACHINE)):
            with open(os.path.join(docs, "state-tables", name), "w", encoding="utf-8") as f:
                f.write(text)
        stage = Stage(os.path.join(self.dir, "stage"))
        stage.copy_docs(docs)
        self.assertEqual(gen_tables.checklist_page(stage), os.path.join("state-tables", "backlog.md"))
        self.assertIn("### Backlog", gen_tables.checklist_fragment(stage))
        self.assertIn("## State machine `frame`", gen_tables.machine_fragment(stage))


class TestStage(TempDir):
    def test_stage_prunes_stale_and_refuses_shadowing(self):
        docs = os.path.join(self.dir, "docs")
        os.makedirs(docs)
        with open(os.path.join(docs, "page.md"), "w", encoding="utf-8") as f:
            f.write("# P\n")
        os.makedirs(os.path.join(docs, "_tools"))
        with open(os.path.join(docs, "_tools", "x.py"), "w", encoding="utf-8") as f:
            f.write("")
        stage_dir = os.path.join(self.dir, "stage")
        os.makedirs(stage_dir)
        with open(os.path.join(stage_dir, "stale.md"), "w", encoding="utf-8") as f:
            f.write("old")
        stage = Stage(stage_dir)
        stage.copy_docs(docs)
        with self.assertRaises(RuntimeError):
            stage.write("page.md", "generated")
        stage.prune()
        self.assertEqual(sorted(os.listdir(stage_dir)), ["page.md"])


HEADER_OK = """\
/** @file
 * @brief A documented header. */
/**
 * @brief Add.
 * @param a First.
 * @param b Second.
 * @return The sum.
 */
int add(int a, int b);
"""


class TestApi(TempDir):
    def doxygen(self, headers):
        inc = os.path.join(self.dir, "include")
        for rel, text in headers.items():
            self.write(os.path.join("include", rel), text)
        doxyfile = self.write("Doxyfile", "\n".join([
            f"INPUT = {inc}", "RECURSIVE = YES", "FILE_PATTERNS = *.h", "FULL_PATH_NAMES = YES",
            f"STRIP_FROM_PATH = {inc}", "EXTRACT_ALL = NO", "QUIET = YES", "WARNINGS = YES",
            "WARN_IF_UNDOCUMENTED = YES", "WARN_NO_PARAMDOC = YES",
            "WARN_AS_ERROR = FAIL_ON_WARNINGS", "GENERATE_HTML = YES", "GENERATE_LATEX = NO",
            "GENERATE_XML = YES", ""]))
        out = os.path.join(self.dir, "dox")
        return inc, out, build.run_doxygen(doxyfile, out)

    def test_api_pages_for_every_header(self):
        inc, out, ok = self.doxygen({"sub/a.h": HEADER_OK})
        self.assertTrue(ok)
        stage = Stage(os.path.join(self.dir, "stage"))
        self.assertEqual(gen_api.generate(stage, inc, os.path.join(out, "xml")), ["sub/a.h"])
        with open(os.path.join(stage.dir, "api", "sub", "a.md"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("(a_8h)=", page)
        self.assertIn("```{doxygenfile} sub/a.h", page)

    def test_api_header_without_file_block_refused(self):
        inc, out, ok = self.doxygen({"a.h": HEADER_OK, "b.h": "int b(void);\n"})
        self.assertTrue(ok)  # Doxygen skips b.h without a word
        with self.assertRaisesRegex(InputError, "kernel/include/b.h"):
            gen_api.generate(Stage(os.path.join(self.dir, "stage")), inc, os.path.join(out, "xml"))

    def test_api_undocumented_parameter_fails_doxygen(self):
        _, _, ok = self.doxygen({"a.h": HEADER_OK.replace(" * @param b Second.\n", "")})
        self.assertFalse(ok)


class TestLatestRun(TempDir):
    def test_no_audit_run_says_so(self):
        text = gen_latest.render(self.dir)
        self.assertIn("built without an audit run", text)
        self.assertNotIn("| Step |", text)

    def test_audit_run_shows_steps_failed_tests_and_findings(self):
        self.write("audit/latest.json", {"schema": "capos-audit-run/1", "commit": "abc1234",
                                         "dirty": False, "time": "2026-12-04 21:00 UTC",
                                         "steps": [{"name": "build", "result": "ok", "exit": "0",
                                                    "seconds": 12}]})
        self.write("junit/tests.xml", '<testsuite><testcase name="host_a" status="run"/>'
                   '<testcase name="qemu_b" status="fail"><failure message="x"/></testcase>'
                   '<testcase name="qemu_c" status="disabled"/></testsuite>')
        self.write("inventory/check.txt", "kernel/mm/vm.c:3: error: INV001: x\ninventory check: 1 finding(s)\n")
        text = gen_latest.render(self.dir)
        self.assertIn("Commit `abc1234`", text)
        self.assertIn("| build | ok | 0 | 12 |", text)
        self.assertIn("1 passed, 1 failed, 1 not run", text)
        self.assertIn("Failed: `qemu_b`", text)
        self.assertIn("inventory check: 1 finding(s)", text)

    def test_wrong_schema_is_no_run(self):
        self.write("audit/latest.json", {"schema": "other/9"})
        self.assertIn("built without an audit run", gen_latest.render(self.dir))


class TestBuildCli(TempDir):
    def test_build_not_a_repository_is_usage_error(self):
        proc = subprocess.run([sys.executable, os.path.join(REPO, "docs", "_tools", "build.py"),
                               "--source-dir", self.dir, "--build-dir", self.dir,
                               "--doxyfile", os.path.join(self.dir, "none")],
                              capture_output=True, text=True, check=False)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("not the capOS repository", proc.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
