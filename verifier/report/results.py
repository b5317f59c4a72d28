"""What `verifier check` produces, as plain data: a `GateResult` holds one `FileResult` per checked
file (its `GateFinding`s, `Waiver`s) and one `FileError` per input that could not be read. The gate
(`verifier.gate`) builds these; every report format (`verifier.report`) renders them, so the report
stage never imports the gate. `to_dict()` is the `--format json` schema (docs/gate.md).

Statuses of a checked attribution (`GateFinding.status`, a `Status`):
  pass     confirmed, or its reason is allowed by the policy
  warn     reported but does not fail the gate (e.g. partial with fail_on="unverified")
  fail     fails the gate
  waived   would warn or fail, but an inline waiver marker covers it (reported, never hidden)
  skipped  attributed to an outlet in `skip_outlets`: not checked
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from verifier.models import ArticleText, Attribution, Finding, Report, Verdict
from verifier.report.status import FailOn, Status

__all__ = ["STATUSES", "FailOn", "FileError", "FileResult", "GateFinding", "GateResult", "Policy", "Status", "Waiver"]

STATUSES = tuple(s.value for s in Status)


class Policy(Protocol):
    """What a result keeps of the policy it was judged under (a `verifier.gate.policy.GateConfig`)."""

    path: Path | None


@dataclass
class Waiver:
    """An inline `verifier: ignore` marker. `reason` set to a reason code restricts it to a
    finding with that reason; `note` is free text for the reviewer."""

    line: int
    offset: int  # end of the marker in the raw file
    marker: str
    reason: str | None = None
    note: str | None = None
    applies_to: str | None = None  # attribution id it was matched to
    used: bool = False
    problem: str | None = None  # why it did not apply

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "reason": self.reason,
            "note": self.note,
            "applies_to": self.applies_to,
            "used": self.used,
            "problem": self.problem,
        }


@dataclass
class GateFinding:
    """A Finding (or a skipped attribution) with what the gate made of it."""

    attribution: Attribution
    finding: Finding | None  # None when skipped
    status: Status
    policy: str  # one line: why this status
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    waiver: Waiver | None = None

    @property
    def id(self) -> str:
        return self.attribution.id

    @property
    def verdict(self) -> str:
        return self.finding.verdict.value if self.finding else "skipped"

    @property
    def reason(self) -> str:
        return self.finding.reason.value if self.finding else "skipped_outlet"

    @property
    def explanation(self) -> str:
        if self.finding:
            return self.finding.explanation
        return f"Not checked: {self.attribution.outlet} is in skip_outlets."

    def to_dict(self) -> dict[str, Any]:
        if self.finding:
            d = self.finding.to_dict()
        else:
            a = self.attribution
            d = {
                "id": a.id, "kind": a.kind, "text": a.text, "sentence": a.sentence, "span": list(a.span),
                "outlet": a.outlet, "outlets": list(a.outlets), "outlet_from": a.outlet_from,
                "parts": [list(p) for p in a.parts],
                "speaker": a.speaker, "cue": a.cue, "fragments": list(a.fragments),
                "verdict": "skipped", "reason": "skipped_outlet", "score": 0.0,
                "explanation": self.explanation, "evidence": None, "differences": [], "sources_tried": [],
            }
        d.update(
            status=self.status,
            policy=self.policy,
            line=self.line,
            column=self.column,
            end_line=self.end_line,
            end_column=self.end_column,
            waiver=self.waiver.to_dict() if self.waiver else None,
        )
        return d


@dataclass
class FileResult:
    path: str  # as given on the command line (or found under a directory)
    article: ArticleText
    raw: str
    report: Report
    findings: list[GateFinding]
    config: Policy
    waivers: list[Waiver] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(g.status == Status.FAIL for g in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        c = {v.value: 0 for v in Verdict} | {s: 0 for s in STATUSES}
        for g in self.findings:
            if g.finding:
                c[g.verdict] += 1
            c[g.status] += 1
        return c

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.path,
            "config": str(self.config.path) if self.config.path else None,
            "passed": self.passed,
            "summary": self.counts,
            "findings": [g.to_dict() for g in self.findings],
            "waivers": [w.to_dict() for w in self.waivers],
            "sources": [
                {"location": d.location, "url": d.url, "outlet": d.outlet, "error": d.error,
                 "paywalled": d.paywalled}
                for d in self.report.sources
            ],
        }


@dataclass
class FileError:
    path: str
    message: str


@dataclass
class GateResult:
    files: list[FileResult] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.errors and all(f.passed for f in self.files)

    @property
    def summary(self) -> dict[str, int]:
        total = {v.value: 0 for v in Verdict} | {s: 0 for s in STATUSES}
        for f in self.files:
            for k, n in f.counts.items():
                total[k] += n
        return {"files": len(self.files), "attributions": sum(len(f.findings) for f in self.files), **total,
                "errors": len(self.errors)}

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 0 if self.passed else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "passed": self.passed,
            "summary": self.summary,
            "reports": [f.to_dict() for f in self.files],
            "errors": [{"input": e.path, "message": e.message} for e in self.errors],
        }
