"""Inline waiver markers: found in the raw file, blanked out of the text the reader sees, and
matched to the first attribution after each one.

    md/html: <!-- verifier: ignore reason=CODE note="…" -->
    txt:     that comment too, or a line of its own: [verifier: ignore reason=CODE]  or  # verifier: ignore
"""

from __future__ import annotations

import re

from verifier.gate.positions import HTML_COMMENT, blank, line_of, raw_offset
from verifier.models import Reason
from verifier.report.results import GateFinding, Status, Waiver

_COMMENT_WAIVER = re.compile(r"<!--\s*verifier:\s*ignore\b(?P<args>.*?)-->", re.S | re.I)
_TEXT_WAIVER = re.compile(
    r"^[ \t]*(?:\[verifier:\s*ignore\b(?P<a1>[^\]\n]*)\]|#[ \t]*verifier:\s*ignore\b(?P<a2>[^\n]*))[ \t]*$",
    re.M | re.I,
)
_ARG = re.compile(r"(\w+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|(\S+))")


def _parse_args(s: str) -> dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ARG.finditer(s)}


def find_waivers(raw: str, fmt: str) -> list[Waiver]:
    """Every waiver marker in a raw file. md/html: `<!-- verifier: ignore reason=CODE note="…" -->`;
    txt: that comment too, or a line of its own `[verifier: ignore reason=CODE]` or
    `# verifier: ignore reason=CODE`."""
    hits: list[tuple[int, int, str]] = [(m.start(), m.end(), m.group("args")) for m in _COMMENT_WAIVER.finditer(raw)]
    if fmt == "txt":
        hits += [(m.start(), m.end(), m.group("a1") or m.group("a2") or "") for m in _TEXT_WAIVER.finditer(raw)]
    out = []
    for start, end, args in sorted(hits):
        kv = _parse_args(args.strip().rstrip("-").strip())
        out.append(Waiver(line=line_of(raw, start), offset=end, marker=raw[start:end].strip(),
                          reason=kv.get("reason"), note=kv.get("note")))
    return out


def without_markers(raw: str, fmt: str) -> str:
    """The file text the reader should see: waiver markers (and, for Markdown, HTML comments)
    blanked out so they never become article text."""
    if fmt == "txt":
        text = _COMMENT_WAIVER.sub(blank, raw)
        # a marker line becomes empty (not spaces): the text reader keeps whitespace as text
        return _TEXT_WAIVER.sub("", text)
    if fmt == "md":
        return HTML_COMMENT.sub(blank, raw)
    return raw


def apply_waivers(waivers: list[Waiver], gfs: list[GateFinding], raw: str) -> None:
    ordered = sorted(gfs, key=lambda g: (g.line, g.column))
    starts = [raw_offset(raw, g.line, g.column) for g in ordered]
    valid = {r.value for r in Reason}
    for w in waivers:
        target = next((g for g, s in zip(ordered, starts, strict=True) if s >= w.offset), None)
        if target is None:
            w.problem = "no attribution after this marker"
            continue
        w.applies_to = target.id
        if target.waiver is not None:
            w.problem = f"{target.id} already has a waiver (line {target.waiver.line})"
            continue
        target.waiver = w
        if w.reason and w.reason in valid and target.finding and w.reason != target.reason:
            w.problem = f"marker is for {w.reason} but {target.id} is {target.reason}: not waived"
            target.policy += f"; waiver at line {w.line} not applied (reason {w.reason} != {target.reason})"
            continue
        if target.status in (Status.FAIL, Status.WARN):
            w.used = True
            target.policy = f"waived at line {w.line} (was {target.status}: {target.policy})"
            target.status = Status.WAIVED
        else:
            w.problem = f"{target.id} is {target.status}: nothing to waive"
