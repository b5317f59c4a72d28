"""`[thresholds]`: one unit (percent, 0-100) in every file, converted to the matcher's units here.

The matcher keeps its own units (`verifier.match.verdict.Thresholds`: `quote_partial_min` is a
percentage of the quote's words in place, the `claim_*` values are fractions of a claim's content
words). A policy file used to hand its numbers to the matcher unconverted, so docs/gate.md's
`claim_supported_min = 60` meant 60 (6000 %) where the default is 0.6. Config files now always
say percent, and `to_matcher` is the only place that knows the matcher's units.

A float of at most 1.0 (`0.7`, `1.0`) is the old fraction spelling: it is read as that fraction
(0.7 -> 70) with a deprecation message. Whole numbers are percent (`1` is 1 %).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["THRESHOLDS", "Threshold", "ThresholdError", "parse_threshold", "to_matcher"]


class ThresholdError(ValueError):
    """A threshold value that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Threshold:
    name: str
    default: float  # percent
    matcher_divisor: float  # matcher value = percent / matcher_divisor
    doc: str
    in_effect: bool = True  # False: accepted and validated, but nothing reads it today


THRESHOLDS: dict[str, Threshold] = {t.name: t for t in (
    Threshold("quote_partial_min", 50.0, 1.0,
              "share of a quote's words that must be in place in the best-aligned source passage; below "
              "it the quote is `not_found`. Also: a quoted fragment of six words or more inside a claim "
              "that scores below it counts as invented (`not_found`)."),
    Threshold("claim_supported_min", 60.0, 100.0,
              "kept for older policy files: the claim judge (verifier/match/claims) decides supported / "
              "partly supported / not found by its own rules (every content word accounted for, numbers, "
              "negation, roles) and reads no threshold, so this key has no effect today.",
              in_effect=False),
    Threshold("claim_partial_min", 45.0, 100.0,
              "kept for older policy files: read by nothing today (see claim_supported_min).",
              in_effect=False),
)}


def parse_threshold(name: str, value: Any, where: str) -> tuple[float, str | None]:
    """(percent, deprecation message or None) for one `[thresholds]` entry. Raises ThresholdError."""
    if name not in THRESHOLDS:
        raise ThresholdError(f"{where}: unknown threshold {name!r} (known: {', '.join(sorted(THRESHOLDS))})")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ThresholdError(f"{where}: threshold {name} must be a number from 0 to 100 (percent), "
                             f"not {type(value).__name__}")
    if not 0 <= value <= 100:
        raise ThresholdError(f"{where}: threshold {name} must be a number from 0 to 100 (percent), not {value}")
    if isinstance(value, float) and value <= 1.0 and value != 0:
        percent = round(value * 100, 6)
        return percent, (f"{where}: threshold {name} = {value} is a fraction; thresholds are percentages "
                         f"now: read as {percent:g} (write {name} = {percent:g})")
    return float(value), None


def to_matcher(percents: dict[str, float]) -> dict[str, float]:
    """Percent values -> keyword arguments for `verifier.match.verdict.Thresholds`."""
    return {name: value / THRESHOLDS[name].matcher_divisor for name, value in percents.items()}
