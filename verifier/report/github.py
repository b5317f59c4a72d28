"""`--format github`: GitHub Actions workflow commands, one per finding that needs attention.

    ::error file=drafts/story.md,line=10,col=2,endLine=10,endColumn=127,title=verifier a6 partial (wording_differs)::…

fail -> error, warn -> warning, waived -> notice; passing and skipped findings print nothing.
A final `::notice` / `::error` line carries the summary. Messages escape %, CR and LF as GitHub
requires (%25, %0D, %0A); property values also escape `:` and `,`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from verifier.report.common import display_path, message
from verifier.report.escape import terminal_text
from verifier.report.results import Status

if TYPE_CHECKING:
    from verifier.report.results import GateResult

LEVEL = {Status.FAIL: "error", Status.WARN: "warning", Status.WAIVED: "notice"}


def escape_data(s: str) -> str:
    # CR/LF would end the command and start another; other controls (ANSI colours) are shown
    return terminal_text(s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(result: GateResult) -> str:
    out = []
    for fr in result.files:
        path = escape_property(display_path(fr.path))
        for g in fr.findings:
            level = LEVEL.get(g.status)
            if not level:
                continue
            title = escape_property(f"verifier {g.id} {g.status}: {g.verdict} ({g.reason})")
            out.append(
                f"::{level} file={path},line={g.line},col={g.column},endLine={g.end_line},"
                f"endColumn={g.end_column},title={title}::{escape_data(message(g))}"
            )
        for w in fr.waivers:
            if w.problem:
                out.append(f"::warning file={path},line={w.line},title=verifier waiver::{escape_data(w.problem)}")
    for e in result.errors:
        out.append(f"::error file={escape_property(display_path(e.path))},title=verifier input error::"
                   f"{escape_data(e.message)}")
    s = result.summary
    text = (f"verifier: {'passed' if result.passed else 'FAILED'} — {s['files']} file(s), {s['attributions']} "
            f"attribution(s), {s['fail']} failing, {s['warn']} warning, {s['waived']} waived")
    out.append(f"::{'notice' if result.passed else 'error'} title=verifier::{escape_data(text)}")
    return "\n".join(out) + "\n"
