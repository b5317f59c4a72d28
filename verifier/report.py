"""Report stage: render findings as a rich table, JSON or Markdown."""

from __future__ import annotations

import json
from typing import Any

from .models import Attribution, Finding, Report, SourceDocument, Verdict

VERDICT_STYLE = {Verdict.CONFIRMED: "green", Verdict.PARTIAL: "yellow", Verdict.UNVERIFIED: "red"}
VERDICT_ICON = {Verdict.CONFIRMED: "✅", Verdict.PARTIAL: "⚠️", Verdict.UNVERIFIED: "❌"}


def report_json(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)


def attributions_json(source: str, attributions: list[Attribution]) -> str:
    keys = ("id", "kind", "text", "sentence", "span", "parts", "outlet", "outlets", "outlet_from", "speaker", "cue",
            "fragments", "collective")
    items = []
    for a in attributions:
        d = a.to_dict()
        items.append({k: d[k] for k in keys})
    return json.dumps({"input": source, "attributions": items}, ensure_ascii=False, indent=2)


def document_dict(doc: SourceDocument) -> dict[str, Any]:
    return {
        "url": doc.url or doc.location,
        "final_url": doc.final_url,
        "status": doc.status,
        "outlet": doc.outlet,
        "title": doc.title,
        "byline": doc.byline,
        "published": doc.published,
        "paywalled": doc.paywalled,
        "paywall_reason": doc.paywall_reason,
        "method": doc.method,
        "error": doc.error,
        "fetched_at": doc.fetched_at,
        "sha256": doc.sha256,
        "text": doc.text,
        "paragraphs": doc.paragraphs,
    }


def summary_line(report: Report) -> str:
    s = report.summary
    return (
        f"{len(report.findings)} attributions: {s['confirmed']} confirmed, {s['partial']} partial,"
        f" {s['unverified']} unverified"
    )


def attribution_label(a: Attribution) -> str:
    """Who an attribution is to: "outlet / speaker", or the collective cue ("UK media reported")."""
    parts = [p for p in (a.outlet, a.speaker) if p]
    if a.collective and not parts:
        parts = ["(collective) " + a.cue]
    return " / ".join(parts) or "—"


def _marked_passage(f: Finding) -> str:
    """The source passage with the words that differ from the article in [bold] rich markup."""
    from rich.markup import escape

    if not f.evidence:
        return ""
    passage = f.evidence.passage
    marked = escape(passage)
    for d in f.differences:
        if d.source and d.source in passage:
            marked = marked.replace(escape(d.source), f"[bold reverse]{escape(d.source)}[/]", 1)
    return marked


def _console() -> Any:
    """A terminal gets its own width; a pipe or log file gets 140 columns so the table stays legible."""
    from rich.console import Console

    console = Console()
    return console if console.is_terminal else Console(width=140)


def render_text(report: Report, console: Any = None) -> None:
    """A readable table: verdict colour, who, the attributed words, the source passage."""
    from rich.markup import escape
    from rich.table import Table

    console = console or _console()
    table = Table(title=f"verifier: {report.input}", show_lines=True, expand=True)
    table.add_column("#", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("attributed to", ratio=1)
    table.add_column("article says", ratio=3)
    table.add_column("source passage / why", ratio=4)
    for f in report.findings:
        a = f.attribution
        style = VERDICT_STYLE[f.verdict]
        words = escape(a.text if a.kind == "claim" else f"“{a.text}”")
        for d in f.differences:
            if d.article and d.article in a.text:
                words = words.replace(escape(d.article), f"[bold reverse]{escape(d.article)}[/]", 1)
        why = escape(f.explanation)
        passage = _marked_passage(f)
        if passage:
            source = escape(f.evidence.url or "") if f.evidence else ""
            why = f"{passage}\n[dim]{source}[/]\n{why}"
        table.add_row(
            a.id,
            f"[{style}]{f.verdict.value}[/]\n[dim]{f.reason.value}[/]\n[dim]{f.score:.0f}[/]",
            escape(attribution_label(f.attribution)) + f"\n[dim]{a.kind}[/]",
            words,
            why,
        )
    console.print(table)
    console.print(summary_line(report))


def render_attributions_text(attributions: list[Attribution], console: Any = None) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = console or _console()
    table = Table(show_lines=True, expand=True)
    for col in ("#", "kind", "outlet", "speaker", "cue", "text"):
        table.add_column(col)
    for a in attributions:
        text = a.text + (f"\n[dim]fragments: {', '.join(a.fragments)}[/]" if a.fragments else "")
        outlet = a.outlet or ("(collective)" if a.collective else "")
        table.add_row(a.id, a.kind, escape(outlet), escape(a.speaker or ""), escape(a.cue), text)
    console.print(table)
    console.print(f"{len(attributions)} attributions")


def report_markdown(report: Report) -> str:
    def cell(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    lines = [
        f"### verifier: `{report.input}`",
        "",
        f"**{summary_line(report)}**",
        "",
        "| # | verdict | reason | attributed to | article says | source passage |",
        "|---|---|---|---|---|---|",
    ]
    for f in report.findings:
        a = f.attribution
        passage = f.evidence.passage if f.evidence else f.explanation
        words = a.text if a.kind == "claim" else f"“{a.text}”"
        lines.append(
            f"| {a.id} | {VERDICT_ICON[f.verdict]} {f.verdict.value} | `{f.reason.value}` | {cell(attribution_label(f.attribution))} |"
            f" {cell(words)} | {cell(passage)} |"
        )
    diffs = [f for f in report.findings if f.differences]
    if diffs:
        lines += ["", "<details><summary>Differences</summary>", ""]
        for f in diffs:
            for d in f.differences:
                lines.append(f"- **{f.attribution.id}** ({d.kind}): article “{d.article}” — source “{d.source}”")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
