"""Report stage: render findings as a rich table, JSON or Markdown."""

from __future__ import annotations

import json
from typing import Any

from verifier.models import Attribution, Report, SourceDocument, Verdict
from verifier.report.escape import md_code, md_text, terminal_text

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


def _marked(text: str, words: list[str]) -> Any:
    """`text` as a rich Text (never parsed as markup) with each of `words` in bold reverse."""
    from rich.text import Text

    out = Text(terminal_text(text))
    plain = out.plain
    for w in words:
        w = terminal_text(w)
        i = plain.find(w) if w else -1
        if i >= 0:
            out.stylize("bold reverse", i, i + len(w))
    return out


def _console() -> Any:
    """A console on stdout; `is_terminal` decides between the table and the plain layout."""
    from rich.console import Console

    return Console(highlight=False)


def render_text(report: Report, console: Any = None) -> None:
    """A terminal gets a table (verdict colour, who, the attributed words, the source passage)
    that wraps long names and URLs rather than cutting them; a pipe or file gets the plain
    layout, one labelled line per field, nothing truncated (so `grep URL` finds every URL)."""
    console = console or _console()
    if not console.is_terminal:
        console.file.write(plain_report(report))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(f"verifier: {terminal_text(report.input)}"), show_lines=True, expand=True)
    table.add_column("#", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("attributed to", ratio=1, overflow="fold")
    table.add_column("article says", ratio=3, overflow="fold")
    table.add_column("source passage / why", ratio=4, overflow="fold")
    for f in report.findings:
        a = f.attribution
        style = VERDICT_STYLE[f.verdict]
        words = _marked(a.text if a.kind == "claim" else f"“{a.text}”", [d.article for d in f.differences])
        why = Text()
        if f.evidence:
            why.append_text(_marked(f.evidence.passage, [d.source for d in f.differences]))
            why.append("\n")
            why.append(terminal_text(f.evidence.url or ""), style="dim")
            why.append("\n")
        why.append(terminal_text(f.explanation))
        verdict = Text.assemble((f.verdict.value, style), "\n", (f.reason.value, "dim"), "\n", (f"{f.score:.0f}", "dim"))
        who = Text.assemble(terminal_text(attribution_label(a)), "\n", (a.kind, "dim"))
        table.add_row(a.id, verdict, who, words, why)
    console.print(table)
    console.print(Text(summary_line(report)))


def plain_report(report: Report) -> str:
    """The text report without a terminal: every field on its own labelled line, in full."""
    lines = [f"verifier: {terminal_text(report.input)}", ""]
    for f in report.findings:
        a = f.attribution
        words = a.text if a.kind == "claim" else f"“{a.text}”"
        lines.append(f"{a.id}  {f.verdict.value}  {f.reason.value}  score {f.score:.0f}")
        lines.append(f"    attributed to: {terminal_text(attribution_label(a))} ({a.kind})")
        lines.append(f"    article says:  {terminal_text(words)}")
        if f.evidence:
            lines.append(f"    source says:   {terminal_text(f.evidence.passage)}")
            if f.evidence.url:
                lines.append(f"    source:        {terminal_text(f.evidence.url)}")
        for d in f.differences:
            lines.append(f"    differs ({d.kind}): article “{terminal_text(d.article)}” / source “{terminal_text(d.source)}”")
        lines.append(f"    why:           {terminal_text(f.explanation)}")
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def render_attributions_text(attributions: list[Attribution], console: Any = None) -> None:
    """`verifier extract`: a table on a terminal, the plain layout otherwise; no input text is
    ever read as markup ("[our]" stays in the quote)."""
    from rich.table import Table
    from rich.text import Text

    console = console or _console()
    if not console.is_terminal:
        lines = []
        for a in attributions:
            outlet = a.outlet or ("(collective)" if a.collective else "")
            lines.append(f"{a.id}  {a.kind}  outlet: {terminal_text(outlet)}  speaker: {terminal_text(a.speaker or '')}")
            lines.append(f"    cue:  {terminal_text(a.cue)}")
            lines.append(f"    text: {terminal_text(a.text)}")
            if a.fragments:
                lines.append(f"    fragments: {terminal_text(', '.join(a.fragments))}")
        lines.append(f"{len(attributions)} attributions")
        console.file.write("\n".join(lines) + "\n")
        return
    table = Table(show_lines=True, expand=True)
    for col in ("#", "kind", "outlet", "speaker", "cue", "text"):
        table.add_column(col, overflow="fold")
    for a in attributions:
        text = Text(terminal_text(a.text))
        if a.fragments:
            text.append("\nfragments: " + terminal_text(", ".join(a.fragments)), style="dim")
        outlet = a.outlet or ("(collective)" if a.collective else "")
        table.add_row(a.id, a.kind, Text(terminal_text(outlet)), Text(terminal_text(a.speaker or "")),
                      Text(terminal_text(a.cue)), text)
    console.print(table)
    console.print(f"{len(attributions)} attributions")


def report_markdown(report: Report) -> str:
    """A Markdown report; every text from the article or a source is escaped (md_text)."""
    lines = [
        f"### verifier: {md_code(report.input)}",
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
            f"| {a.id} | {VERDICT_ICON[f.verdict]} {f.verdict.value} | `{f.reason.value}` |"
            f" {md_text(attribution_label(f.attribution))} | {md_text(words)} | {md_text(passage)} |"
        )
    diffs = [f for f in report.findings if f.differences]
    if diffs:
        lines += ["", "<details><summary>Differences</summary>", ""]
        for f in diffs:
            for d in f.differences:
                lines.append(f"- **{f.attribution.id}** ({d.kind}): article “{md_text(d.article)}” —"
                             f" source “{md_text(d.source)}”")
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
