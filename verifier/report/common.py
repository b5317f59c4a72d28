from __future__ import annotations

import os

from verifier.report.article import attribution_label
from verifier.report.results import GateFinding, Status

STATUS_LABEL = {Status.PASS: "passed", Status.WARN: "warning", Status.FAIL: "FAILED", Status.WAIVED: "waived",
                Status.SKIPPED: "skipped"}
STATUS_ICON = {Status.PASS: "✅", Status.WARN: "⚠️", Status.FAIL: "❌", Status.WAIVED: "🔕", Status.SKIPPED: "⏭️"}


def display_path(path: str) -> str:
    """Path relative to the working directory when it is under it (what CI annotations want)."""
    if "://" in path or path == "-":
        return path
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def who(g: GateFinding) -> str:
    return attribution_label(g.attribution)


def words(g: GateFinding) -> str:
    a = g.attribution
    return a.text if a.kind == "claim" else f"“{a.text}”"


def short(s: str, n: int = 80) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def message(g: GateFinding) -> str:
    """One-paragraph description of a finding for annotations and failure messages."""
    parts = [f"{g.id} {g.verdict} ({g.reason}): {g.attribution.kind} attributed to {who(g)}: {short(words(g), 120)}"]
    parts.append(g.explanation)
    f = g.finding
    if f and f.differences:
        diffs = "; ".join(f"article “{d.article}” vs source “{d.source}”" for d in f.differences[:5])
        parts.append(f"Differences: {diffs}")
    if f and f.evidence and f.evidence.url:
        parts.append(f"Evidence: {f.evidence.url}")
    if g.status == Status.WAIVED and g.waiver:
        parts.append(f"Waived at line {g.waiver.line}" + (f": {g.waiver.note}" if g.waiver.note else ""))
    parts.append(f"Policy: {g.policy}")
    return "\n".join(parts)
