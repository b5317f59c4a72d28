"""The gate's vocabularies as enums: a checked attribution's `Status`, and a policy's `FailOn`.
Both are `StrEnum`s, so they compare equal to (and serialise as) the strings the JSON report and
policy files use. Kept apart from results.py so the CLI can offer `--fail-on` choices without
importing the data classes (`verifier --help` stays light).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["FailOn", "Status"]


class Status(StrEnum):
    """What the gate made of one attribution (a str: JSON and comparisons with "fail" unchanged)."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    WAIVED = "waived"
    SKIPPED = "skipped"


class FailOn(StrEnum):
    """The policy's `fail_on`: findings this bad or worse fail the gate."""

    PARTIAL = "partial"  # partial and unverified findings fail
    UNVERIFIED = "unverified"  # only unverified findings fail; partial ones warn
    NONE = "none"  # nothing fails: report only
