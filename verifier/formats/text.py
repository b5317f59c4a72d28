"""`--format text`: the rich findings table per file, then one line per finding that fails,
warns or is waived (`path:line:col: STATUS id verdict/reason — explanation`), then the verdict."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from ._common import STATUS_LABEL, display_path, short

if TYPE_CHECKING:
    from ..gate import GateResult

_STYLE = {"fail": "bold red", "warn": "yellow", "waived": "cyan", "skipped": "dim", "pass": "green"}


def render_text_result(result: GateResult, *, color: bool = False, width: int | None = None) -> str:
    from rich.console import Console
    from rich.markup import escape

    from ..report import render_text

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, width=width or 120,
                      highlight=False, soft_wrap=False)
    for fr in result.files:
        render_text(fr.report, console)
        skipped = [g for g in fr.findings if g.status == "skipped"]
        for g in skipped:
            console.print(f"[dim]{g.id} skipped: {escape(g.policy)}[/]")
        for g in fr.findings:
            if g.status in ("fail", "warn", "waived"):
                loc = f"{display_path(fr.path)}:{g.line}:{g.column}"
                console.print(
                    f"{escape(loc)}: [{_STYLE[g.status]}]{STATUS_LABEL[g.status]}[/] {g.id} "
                    f"{g.verdict}/{g.reason} — {escape(short(g.explanation, 160))} [dim]({escape(g.policy)})[/]"
                )
        for w in fr.waivers:
            if w.problem:
                console.print(f"{escape(display_path(fr.path))}:{w.line}: [yellow]waiver[/]: {escape(w.problem)}")
        console.print()
    for e in result.errors:
        console.print(f"{escape(display_path(e.path))}: [bold red]error[/]: {escape(e.message)}")
    s = result.summary
    counts = (f"{s['files']} file(s), {s['attributions']} attribution(s): {s['fail']} failing, {s['warn']} warning, "
              f"{s['waived']} waived, {s['skipped']} skipped, {s['errors']} input error(s)")
    verdict = "[bold green]check: passed[/]" if result.passed else "[bold red]check: FAILED[/]"
    console.print(f"{verdict} — {counts}")
    return buf.getvalue()
