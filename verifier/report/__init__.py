"""Renderers for `verifier check` results (a `verifier.report.results.GateResult`), and for
`verifier article` in github/junit/html (its report judged under the default policy, the same data).

    render(result, "github") -> str

Formats: text (rich tables + one line per finding that needs attention), json (schema in
docs/gate.md), markdown (pull-request comment), github (workflow-command annotations), junit
(one testcase per attribution), html (self-contained report page).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verifier.report.results import GateResult

FORMATS = ("text", "json", "markdown", "github", "junit", "html")
DEFAULT_OUTPUT = {"html": "verifier-report.html"}


def render(
    result: GateResult, fmt: str, *, color: bool = False, width: int | None = None, terminal: bool | None = None
) -> str:
    """The report in `fmt`. For text, `terminal` (default: `color`) picks the table layout over
    the plain one, `width` the table's width."""
    if fmt == "json":
        from verifier.report.json import render_json

        return render_json(result)
    if fmt == "markdown":
        from verifier.report.markdown import render_markdown

        return render_markdown(result)
    if fmt == "github":
        from verifier.report.github import render_github

        return render_github(result)
    if fmt == "junit":
        from verifier.report.junit import render_junit

        return render_junit(result)
    if fmt == "html":
        from verifier.report.html import render_html

        return render_html(result)
    if fmt == "text":
        from verifier.report.text import render_text_result

        return render_text_result(result, color=color, width=width, terminal=terminal)
    raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")

