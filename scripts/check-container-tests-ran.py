#!/usr/bin/env python3
"""Fail unless every container integration test class (*IT) ran, none of its tests skipped.

Testcontainers tests skip themselves where no Docker engine answers, which is right on a
laptop and wrong in CI: there a skip would pass silently. This reads the Failsafe XML reports
and checks them against the *IT classes found in the test sources.

Usage: check-container-tests-ran.py [--warn-only] SOURCE_DIR REPORTS_DIR
Exit 0 when all ran (or, with --warn-only, always), 1 otherwise.
"""
from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

IT_SOURCE_GLOB = "*IT.java"


@dataclass(frozen=True)
class SuiteCounts:
    tests: int = 0
    skipped: int = 0
    failed: int = 0

    def __add__(self, other: "SuiteCounts") -> "SuiteCounts":
        return SuiteCounts(self.tests + other.tests, self.skipped + other.skipped, self.failed + other.failed)


def expected_classes(source_dir: Path) -> list[str]:
    """Fully qualified names of the concrete *IT classes under source_dir (a src/test tree)."""
    names = []
    for path in sorted(source_dir.rglob(IT_SOURCE_GLOB)):
        declares_abstract = re.compile(rf"\babstract\s+(?:sealed\s+)?class\s+{re.escape(path.stem)}\b")
        if declares_abstract.search(path.read_text(encoding="utf-8", errors="replace")):
            continue
        relative = path.relative_to(source_dir).with_suffix("")
        parts = relative.parts
        # Sources sit under a language root such as java/; the package starts after it.
        if parts and parts[0] in ("java", "kotlin"):
            parts = parts[1:]
        names.append(".".join(parts))
    return names


def read_reports(reports_dir: Path) -> dict[str, SuiteCounts]:
    counts: dict[str, SuiteCounts] = {}
    for report in sorted(reports_dir.glob("TEST-*.xml")):
        root = ET.parse(report).getroot()
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        for suite in suites:
            name = suite.get("name", "")
            # Nested classes report as Outer$Inner; they belong to the outer class.
            top_level = name.split("$", 1)[0]
            suite_counts = SuiteCounts(
                tests=int(suite.get("tests", "0")),
                skipped=int(suite.get("skipped", "0")),
                failed=int(suite.get("failures", "0")) + int(suite.get("errors", "0")),
            )
            counts[top_level] = counts.get(top_level, SuiteCounts()) + suite_counts
    return counts


def problems(expected: list[str], reports: dict[str, SuiteCounts]) -> list[str]:
    found = []
    for name in expected:
        counts = reports.get(name)
        if counts is None:
            found.append(f"{name}: no Failsafe report (the class did not run)")
        elif counts.tests == 0:
            found.append(f"{name}: report shows 0 tests")
        elif counts.skipped > 0:
            found.append(f"{name}: {counts.skipped} of {counts.tests} tests skipped (is Docker reachable?)")
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warn-only", action="store_true", help="report problems but exit 0")
    parser.add_argument("source_dir", type=Path)
    parser.add_argument("reports_dir", type=Path)
    args = parser.parse_args(argv)

    expected = expected_classes(args.source_dir) if args.source_dir.is_dir() else []
    reports = read_reports(args.reports_dir) if args.reports_dir.is_dir() else {}
    if not expected:
        print(f"{'WARNING: ' if args.warn_only else ''}container tests: no *IT classes under {args.source_dir}",
              file=sys.stderr)
        return 0 if args.warn_only else 1

    found = problems(expected, reports)
    ran = sum(reports[name].tests for name in expected if name in reports)
    if found:
        prefix = "WARNING: " if args.warn_only else ""
        print(f"{prefix}container tests: {len(found)} of {len(expected)} IT classes did not run fully:", file=sys.stderr)
        for line in found:
            print(f"  - {line}", file=sys.stderr)
        return 0 if args.warn_only else 1
    print(f"container tests: all {len(expected)} IT classes ran, {ran} tests, none skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
