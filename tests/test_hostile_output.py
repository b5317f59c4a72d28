"""Hostile text in outputs (issue 12, items 3 and 19): text from a draft or a source is escaped in
every format (never read as rich markup, HTML, Markdown or terminal codes), and names and URLs are
never cut: a plain layout in a pipe, wrapping (not ellipses) on a narrow terminal."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rich.console import Console

from verifier.attributions.finder import find_attributions
from verifier.gate.assess import report_result
from verifier.pipeline import Options, verify_article
from verifier.read.reader import read_article
from verifier.report import render
from verifier.report.article import render_attributions_text, render_text, report_markdown
from verifier.sources.discover.replay import ProviderReplay

SOURCE_HTML = """<html><head><title>Minister &lt;script&gt;alert(1)&lt;/script&gt; [/bold] story</title></head>
<body><article>
<p>The minister spoke to reporters on Tuesday about the plan and the vote in parliament.</p>
<p>"We will not resign over the [/bold] plan &lt;img src=x onerror=alert(1)&gt; and we will win the vote \x1b[2J,"
the minister said. &lt;script&gt;alert(1)&lt;/script&gt; [red]red[/red] | not | a | table</p>
</article></body></html>"""
DRAFT = ('# Vote\n\n"We will not resign over the [/bold] plan <img src=x onerror=alert(1)> and we will lose the vote,"'
         " the minister told [the Guardian](https://www.theguardian.com/politics/2025/jan/01/long-"
         + "slug-" * 20 + "end).\n")
LONG_URL = "https://www.theguardian.com/politics/2025/jan/01/long-" + "slug-" * 20 + "end"


@pytest.fixture
def report(tmp_path: Path):
    (tmp_path / "src.html").write_text(SOURCE_HTML, encoding="utf-8")
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")
    art = read_article(str(tmp_path / "draft.md"))
    replay = ProviderReplay()
    replay.add(LONG_URL, file=tmp_path / "src.html")
    rep = verify_article(art, options=replay.apply(Options(discover=False)))
    assert rep.findings and rep.findings[0].evidence is not None, rep.findings
    return rep, art


def _every_format(report) -> dict[str, str]:
    rep, art = report
    result = report_result(rep, art, DRAFT)
    return {fmt: render(result, fmt) for fmt in ("text", "json", "markdown", "github", "junit", "html")}


def test_markup_in_quotes_and_sources_never_crashes_the_text_report(report) -> None:
    rep, _ = report
    for terminal in (True, False):
        buf = io.StringIO()
        render_text(rep, Console(file=buf, force_terminal=terminal, width=100))
        out = buf.getvalue()
        assert "[/bold]" in out and "[red]red[/red]" in out  # shown literally, not taken as markup
        assert "\x1b[2J" not in out  # a terminal code from the page is never obeyed


def test_terminal_codes_are_shown_not_obeyed() -> None:
    from verifier.report.escape import terminal_text

    assert terminal_text("a\x1b[2Jb\u202ec\td\ne") == "a\\x1b[2Jb\\u202ec\td\ne"


def test_no_raw_html_from_a_source_in_markdown_or_html(report) -> None:
    outs = _every_format(report)
    for fmt in ("markdown", "html"):
        assert "<script" not in outs[fmt].replace("<script type", "") and "<img" not in outs[fmt], fmt
    assert "&lt;script&gt;" in outs["markdown"] and "&lt;img src=x onerror=alert\\(1\\)&gt;" in outs["markdown"]
    assert report_markdown(report[0]).count("<script") == 0
    # a pipe inside a table cell is escaped, so the row keeps its columns
    lines = outs["markdown"].splitlines()
    head = lines.index(next(line for line in lines if line.startswith("| where |")))
    rows = lines[head + 2 : lines.index("", head)]
    assert rows and all(len(re.findall(r"(?<!\\)\|", r)) == 7 for r in rows), rows


def test_every_format_parses_and_keeps_one_command_per_line(report) -> None:
    outs = _every_format(report)
    json.loads(outs["json"])
    ET.fromstring(outs["junit"].split("\n", 1)[1])  # control characters never reach the XML
    for line in outs["github"].splitlines():
        assert line.startswith("::"), line
        assert "\x1b" not in line


def test_extract_keeps_bracketed_words() -> None:
    text = ("“The area we have a significant advantage over Russia is in the air and in [our] ability to respond,” "
            "the Financial Times quoted a western official as saying.")
    found = find_attributions(read_article("-", stdin=io.StringIO(text)))
    assert found and "[our]" in found[0].text
    for terminal in (True, False):
        buf = io.StringIO()
        render_attributions_text(found, Console(file=buf, force_terminal=terminal, width=200))
        assert "[our]" in buf.getvalue()
    cp = subprocess.run([sys.executable, "-m", "verifier", "extract", "-"], input=text, capture_output=True,
                        text=True, timeout=60)
    assert cp.returncode == 0 and "[our]" in cp.stdout
    # a closing tag in a quote used to end the table with "internal error: MarkupError"
    crash = '"We will not resign [/bold] over the plan [/]," the minister told the Guardian.'
    cp = subprocess.run([sys.executable, "-m", "verifier", "extract", "-"], input=crash, capture_output=True,
                        text=True, timeout=60)
    assert cp.returncode == 0 and "[/bold] over the plan [/]" in cp.stdout, cp.stderr


def test_narrow_terminal_wraps_instead_of_cutting(report) -> None:
    rep, _ = report
    buf = io.StringIO()
    render_text(rep, Console(file=buf, force_terminal=True, width=80))
    out = buf.getvalue()
    assert "…" not in out
    assert "The Guardian" in out.replace("\n", " ") or "Guardian" in out


def test_pipe_layout_has_full_urls_and_names(report) -> None:
    rep, _ = report
    buf = io.StringIO()
    render_text(rep, Console(file=buf, force_terminal=False, width=80))
    out = buf.getvalue()
    assert "…" not in out and "The Guardian / the minister" in out


def test_sources_list_and_outlets_in_a_pipe_are_not_truncated(tmp_path: Path) -> None:
    from verifier.fetch.store import Store
    from verifier.models import FetchResult

    store = tmp_path / "e.sqlite3"
    with Store(store) as s:
        s.put(FetchResult(location=LONG_URL, url=LONG_URL, final_url=LONG_URL, status=200, body=b"<p>x</p>",
                          content_type="text/html", sha256="0" * 64, fetched_at="2025-01-01T00:00:00Z"))
    cp = subprocess.run([sys.executable, "-m", "verifier", "sources", "list", "--store", str(store)],
                        capture_output=True, text=True, timeout=60, env={"COLUMNS": "80", "PATH": "/usr/bin:/bin"})
    assert cp.returncode == 0, cp.stderr
    assert [line for line in cp.stdout.splitlines() if LONG_URL in line], cp.stdout
    cp = subprocess.run([sys.executable, "-m", "verifier", "outlets"], capture_output=True, text=True,
                        timeout=60, env={"COLUMNS": "80", "PATH": "/usr/bin:/bin"})
    assert "…" not in cp.stdout and "The Guardian\t" in cp.stdout
