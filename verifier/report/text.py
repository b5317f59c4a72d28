"""`--format text`: the findings per file (a table on a terminal, the plain labelled layout in a
pipe or file), then one line per finding that fails, warns or is waived
(`path:line:col: STATUS id verdict/reason — explanation`), then the verdict. Text from the draft
or a source is never read as markup."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from verifier.report.common import STATUS_LABEL, display_path, short
from verifier.report.escape import terminal_text
from verifier.report.results import Status

if TYPE_CHECKING:
    from verifier.report.results import GateResult

_STYLE = {Status.FAIL: "bold red", Status.WARN: "yellow", Status.WAIVED: "cyan", Status.SKIPPED: "dim",
          Status.PASS: "green"}


def render_text_result(
    result: GateResult, *, color: bool = False, width: int | None = None, terminal: bool | None = None
) -> str:
    """`terminal` (default: `color`) chooses the table layout; `width` its width (default 120)."""
    from rich.console import Console
    from rich.text import Text

    from verifier.report.article import render_text

    terminal = color if terminal is None else terminal
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=terminal, no_color=not color, width=width or 120,
                      highlight=False, soft_wrap=not terminal)

    def line(*parts: str | tuple[str, str]) -> None:
        console.print(Text.assemble(*(terminal_text(p) if isinstance(p, str) else (terminal_text(p[0]), p[1])
                                      for p in parts)))

    for fr in result.files:
        render_text(fr.report, console)
        for g in fr.findings:
            if g.status == Status.SKIPPED:
                line((f"{g.id} skipped: {g.policy}", "dim"))
        for g in fr.findings:
            if g.status in (Status.FAIL, Status.WARN, Status.WAIVED):
                loc = f"{display_path(fr.path)}:{g.line}:{g.column}"
                line(f"{loc}: ", (STATUS_LABEL[g.status], _STYLE[g.status]),
                     f" {g.id} {g.verdict}/{g.reason} — {short(g.explanation, 160)} ", (f"({g.policy})", "dim"))
        for w in fr.waivers:
            if w.problem:
                line(f"{display_path(fr.path)}:{w.line}: ", ("waiver", "yellow"), f": {w.problem}")
        console.print()
    for e in result.errors:
        line(f"{display_path(e.path)}: ", ("error", "bold red"), f": {e.message}")
    s = result.summary
    counts = (f"{s['files']} file(s), {s['attributions']} attribution(s): {s['fail']} failing, {s['warn']} warning, "
              f"{s['waived']} waived, {s['skipped']} skipped, {s['errors']} input error(s)")
    verdict = ("check: passed", "bold green") if result.passed else ("check: FAILED", "bold red")
    line(verdict, f" — {counts}")
    return buf.getvalue()
