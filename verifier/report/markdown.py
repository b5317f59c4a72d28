"""`--format markdown`: a pull-request comment — verdict line, one row per file, then a table of
the findings that fail, warn or are waived (with file:line), differences in a <details> block."""

from __future__ import annotations

from typing import TYPE_CHECKING

from verifier.report.common import STATUS_ICON, STATUS_LABEL, display_path, short, who, words
from verifier.report.escape import md_code, md_text
from verifier.report.results import Status

if TYPE_CHECKING:
    from verifier.report.results import GateResult


def _cell(s: str) -> str:
    """Text from a draft or a source, shown literally (no HTML, no Markdown, no table breaks)."""
    return md_text(s)


def render_markdown(result: GateResult) -> str:
    s = result.summary
    head = "✅ **verifier: passed**" if result.passed else "❌ **verifier: failed**"
    lines = [
        f"## {head}",
        "",
        f"{s['files']} file(s), {s['attributions']} attribution(s): {s['confirmed']} confirmed, "
        f"{s['partial']} partial, {s['unverified']} unverified — {s['fail']} failing, {s['warn']} warning, "
        f"{s['waived']} waived, {s['skipped']} skipped.",
        "",
        "| file | result | confirmed | partial | unverified | failing | warnings | waived |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for fr in result.files:
        c = fr.counts
        res = "✅ passed" if fr.passed else "❌ failed"
        lines.append(
            f"| {md_code(display_path(fr.path))} | {res} | {c['confirmed']} | {c['partial']} | {c['unverified']} |"
            f" {c['fail']} | {c['warn']} | {c['waived']} |"
        )
    for e in result.errors:
        lines.append(f"| {md_code(display_path(e.path))} | ⛔ error: {_cell(e.message)} | | | | | | |")
    attention = [(fr, g) for fr in result.files for g in fr.findings if g.status in (Status.FAIL, Status.WARN, Status.WAIVED)]
    if attention:
        lines += [
            "",
            "| where | status | verdict | attributed to | article says | source says |",
            "|---|---|---|---|---|---|",
        ]
        for fr, g in attention:
            f = g.finding
            source = f.evidence.passage if f and f.evidence else g.explanation
            lines.append(
                f"| {md_code(f'{display_path(fr.path)}:{g.line}')} | {STATUS_ICON[g.status]} {STATUS_LABEL[g.status]} |"
                f" {g.verdict} `{g.reason}` | {_cell(who(g))} | {_cell(short(words(g), 160))} |"
                f" {_cell(short(source, 200))} |"
            )
        diffs = [(fr, g) for fr, g in attention if g.finding and g.finding.differences]
        if diffs:
            lines += ["", "<details><summary>Differing words</summary>", ""]
            for fr, g in diffs:
                for d in g.finding.differences:
                    lines.append(
                        f"- {md_code(f'{display_path(fr.path)}:{g.line}')} **{g.id}** ({d.kind}): article"
                        f" “{_cell(d.article)}” — source “{_cell(d.source)}”"
                    )
            lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
