#!/usr/bin/env python3
"""check_workflows.py SRC: the CI files parse and say what the project's docs promise.

GitHub Actions (.github/workflows/audit.yml): runs ci/audit, grants security-events: write,
uploads build/inventory/check.sarif with github/codeql-action/upload-sarif even when the audit
failed. GitLab CI (.gitlab-ci.yml): a job runs ci/audit and declares the Code Quality report
that ci/sarif-to-codequality writes. The pre-commit framework's config names ci/pre-commit.
Each file must be valid YAML (PyYAML, Debian's python3-yaml) of the shape its service reads.
"""
import os
import sys

import yaml

failures = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        failures.append(what)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        check(False, "%s parses as YAML (%s)" % (path, e))
        return None


def github(src):
    path = os.path.join(src, ".github/workflows/audit.yml")
    wf = load(path)
    if wf is None:
        return
    check(isinstance(wf, dict), "%s is a mapping" % path)
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    trig = wf.get("on", wf.get(True))
    check(isinstance(trig, dict) and "pull_request" in trig, "GitHub: runs on pull requests")
    check(wf.get("permissions", {}).get("security-events") == "write",
          "GitHub: security-events: write (needed by upload-sarif)")
    jobs = wf.get("jobs")
    check(isinstance(jobs, dict) and jobs, "GitHub: has jobs")
    if not isinstance(jobs, dict):
        return
    for name, job in jobs.items():
        check("runs-on" in job, "GitHub job %s: runs-on" % name)
        steps = job.get("steps", [])
        check(isinstance(steps, list) and steps, "GitHub job %s: has steps" % name)
        for i, st in enumerate(steps):
            check(isinstance(st, dict) and (("uses" in st) != ("run" in st)),
                  "GitHub job %s step %d: exactly one of uses/run" % (name, i))
        runs = [st.get("run", "") for st in steps]
        check(any("ci/audit" in r for r in runs), "GitHub job %s: runs ci/audit" % name)
        up = [st for st in steps if str(st.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
        check(len(up) == 1, "GitHub job %s: one upload-sarif step" % name)
        if up:
            check(up[0].get("with", {}).get("sarif_file") == "build/inventory/check.sarif",
                  "GitHub: uploads build/inventory/check.sarif (where ci/audit writes it)")
            check("always()" in str(up[0].get("if", "")),
                  "GitHub: uploads the SARIF also when the audit found something")


def gitlab(src):
    path = os.path.join(src, ".gitlab-ci.yml")
    ci = load(path)
    if ci is None:
        return
    jobs = {k: v for k, v in ci.items() if isinstance(v, dict) and "script" in v}
    check(bool(jobs), "GitLab: has a job with a script")
    stages = ci.get("stages", [])
    for name, job in jobs.items():
        check(job.get("stage", "test") in stages or job.get("stage") is None,
              "GitLab job %s: its stage is declared" % name)
        check(any("ci/audit" in line for line in job["script"]), "GitLab job %s: runs ci/audit" % name)
        report = job.get("artifacts", {}).get("reports", {}).get("codequality")
        check(report == "build/inventory/gl-code-quality.json",
              "GitLab job %s: Code Quality report build/inventory/gl-code-quality.json" % name)
        after = " ".join(job.get("after_script", []))
        check("ci/sarif-to-codequality" in after and str(report) in after,
              "GitLab job %s: the report is written by ci/sarif-to-codequality" % name)
        check(job.get("artifacts", {}).get("when") == "always",
              "GitLab job %s: artifacts kept when the audit fails" % name)


def precommit(src):
    path = os.path.join(src, ".pre-commit-config.yaml")
    pc = load(path)
    if pc is None:
        return
    hooks = [h for r in pc.get("repos", []) for h in r.get("hooks", [])]
    check(any(h.get("entry") == "ci/pre-commit" for h in hooks),
          "pre-commit: a hook runs ci/pre-commit")
    check(os.access(os.path.join(src, "ci/pre-commit"), os.X_OK), "ci/pre-commit is executable")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    github(sys.argv[1])
    gitlab(sys.argv[1])
    precommit(sys.argv[1])
    print("%d failed" % len(failures) if failures else "all checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
