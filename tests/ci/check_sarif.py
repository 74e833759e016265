#!/usr/bin/env python3
"""check_sarif.py SCHEMA SARIF...: each SARIF log validates against the SARIF 2.1.0 JSON schema.

SCHEMA is the official schema (ci/deps installs it at /usr/local/share/capos/sarif-2.1.0.json).
Validation uses python3-jsonschema with the validator the schema's own $schema names. Prints
every violation with its JSON path. Exit: 0 all valid, 1 a log is invalid, 2 unreadable input.
"""
import json
import sys

import jsonschema


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        print("check_sarif: cannot read schema %s: %s (run ci/deps)" % (sys.argv[1], e), file=sys.stderr)
        return 2
    validator = jsonschema.validators.validator_for(schema)(schema)
    bad = 0
    for path in sys.argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:
                log = json.load(f)
        except (OSError, ValueError) as e:
            print("check_sarif: cannot read %s: %s" % (path, e), file=sys.stderr)
            return 2
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path) or "(root)"
            print("%s: %s: %s" % (path, where, e.message))
        results = sum(len(r.get("results", [])) for r in log.get("runs", []))
        supp = sum(1 for r in log.get("runs", []) for x in r.get("results", []) if x.get("suppressions"))
        print("%s: %s (%d results, %d suppressed)" % (path, "INVALID" if errors else "valid", results, supp))
        bad += bool(errors)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
