"""`--format html`: one self-contained page (inline CSS, no scripts, no external assets; a
Content-Security-Policy forbids loading any). Per checked file: the article with every
attribution highlighted in its verdict colour and tagged `a6 · partial`, and a side panel with a
card per finding — verdict, reason, gate status, the article's words and the source passage with
the differing words marked, the list of differences, and a link to the evidence."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from verifier.report.common import STATUS_LABEL, display_path, who

if TYPE_CHECKING:
    from verifier.report.results import FileResult, GateFinding, GateResult

_CSS = """
:root { --ok:#1a7f37; --ok-bg:#dafbe1; --part:#9a6700; --part-bg:#fff1a8; --bad:#cf222e; --bad-bg:#ffdcd7;
  --skip:#57606a; --skip-bg:#eaeef2; --waive:#0969da; --fg:#1f2328; --muted:#57606a; --line:#d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
  background: #f6f8fa; }
header.top { padding: 16px 24px; background: #fff; border-bottom: 1px solid var(--line); }
header.top h1 { margin: 0 0 4px; font-size: 20px; }
.result-passed { color: var(--ok); } .result-failed { color: var(--bad); }
.legend span { display: inline-block; margin-right: 10px; padding: 0 6px; border-radius: 4px; font-size: 13px; }
.file { margin: 16px 24px 32px; }
.file > h2 { font-size: 17px; margin: 0 0 8px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.cols { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; align-items: start; }
.article { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px;
  white-space: pre-wrap; overflow-wrap: anywhere; font-family: Georgia, "Times New Roman", serif; font-size: 16px; }
.panel { display: flex; flex-direction: column; gap: 10px; position: sticky; top: 8px;
  max-height: calc(100vh - 16px); overflow-y: auto; }
mark.att { border-radius: 3px; padding: 1px 2px; color: inherit; border-bottom: 3px solid transparent; }
mark.att a { color: inherit; text-decoration: none; }
mark.v-confirmed { background: var(--ok-bg); border-bottom-color: var(--ok); }
mark.v-partial { background: var(--part-bg); border-bottom-color: var(--part); }
mark.v-unverified { background: var(--bad-bg); border-bottom-color: var(--bad); }
mark.v-skipped { background: var(--skip-bg); border-bottom-color: var(--skip); }
mark.s-waived { outline: 2px dashed var(--waive); }
sup.tag { font: 600 11px/1 system-ui, sans-serif; padding: 2px 4px; margin-left: 2px; border-radius: 3px;
  color: #fff; white-space: nowrap; }
.bg-confirmed { background: var(--ok); } .bg-partial { background: var(--part); }
.bg-unverified { background: var(--bad); } .bg-skipped { background: var(--skip); }
.card { background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--skip); border-radius: 8px;
  padding: 10px 14px; }
.card.v-confirmed { border-left-color: var(--ok); } .card.v-partial { border-left-color: var(--part); }
.card.v-unverified { border-left-color: var(--bad); }
.card:target { box-shadow: 0 0 0 3px var(--waive); }
.card h3 { margin: 0 0 6px; font-size: 15px; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.label { font: 700 12px/1.6 system-ui, sans-serif; padding: 0 7px; border-radius: 10px; color: #fff;
  text-transform: uppercase; letter-spacing: .03em; }
.status { font: 600 12px/1.6 system-ui, sans-serif; padding: 0 7px; border-radius: 10px; border: 1px solid var(--line); }
.status.s-fail { color: var(--bad); border-color: var(--bad); } .status.s-warn { color: var(--part); border-color: var(--part); }
.status.s-waived { color: var(--waive); border-color: var(--waive); } .status.s-pass { color: var(--ok); border-color: var(--ok); }
code, .reason { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
.muted { color: var(--muted); font-size: 13px; }
blockquote { margin: 6px 0; padding: 6px 10px; border-left: 3px solid var(--line); background: #f6f8fa;
  font-family: Georgia, serif; }
mark.diff { background: #ffb3ad; color: #82071e; font-weight: 700; border-radius: 2px; padding: 0 1px; }
mark.diff-src { background: #aceebb; color: #116329; font-weight: 700; border-radius: 2px; padding: 0 1px; }
table.diffs { border-collapse: collapse; font-size: 13px; margin: 4px 0; }
table.diffs td, table.diffs th { border: 1px solid var(--line); padding: 2px 6px; text-align: left; }
.errors { margin: 16px 24px; color: var(--bad); }
@media (max-width: 900px) { .cols { grid-template-columns: 1fr; } .panel { position: static; max-height: none; } }
@media print { .card:target { box-shadow: none; } .panel { position: static; max-height: none; overflow: visible; } }
"""


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def _mark_words(text: str, needles: list[str], cls: str) -> str:
    """Escape `text`, wrapping the first occurrence of each needle in <mark class=cls>."""
    ranges: list[tuple[int, int]] = []
    for n in needles:
        n = n.strip()
        if not n:
            continue
        start = 0
        while True:
            i = text.find(n, start)
            if i < 0:
                break
            if not any(i < e and i + len(n) > s for s, e in ranges):
                ranges.append((i, i + len(n)))
                break
            start = i + 1
    ranges.sort()
    out, pos = [], 0
    for s, e in ranges:
        out.append(_e(text[pos:s]))
        out.append(f'<mark class="{cls}">{_e(text[s:e])}</mark>')
        pos = e
    out.append(_e(text[pos:]))
    return "".join(out)


def _verdict_class(g: GateFinding) -> str:
    return g.verdict  # confirmed | partial | unverified | skipped


def _article_html(fr: FileResult, idx: int) -> str:
    text = fr.article.text
    spans = sorted(fr.findings, key=lambda g: g.attribution.span[0])
    out, pos = [], 0
    for g in spans:
        s, e = g.attribution.span
        s = max(s, pos)
        if e <= s or s >= len(text):
            continue
        out.append(_e(text[pos:s]))
        diffs = [d.article for d in g.finding.differences] if g.finding else []
        inner = _mark_words(text[s:e], diffs, "diff")
        v = _verdict_class(g)
        title = f"{g.id}: {g.verdict} ({g.reason}) — {STATUS_LABEL[g.status]}"
        out.append(
            f'<mark class="att v-{v} s-{g.status}" id="att-{idx}-{g.id}" data-id="{g.id}" data-verdict="{v}"'
            f' data-status="{g.status}" title="{_e(title)}"><a href="#card-{idx}-{g.id}">{inner}</a>'
            f'<sup class="tag bg-{v}">{g.id} · {_e(g.verdict)}</sup></mark>'
        )
        pos = e
    out.append(_e(text[pos:]))
    return "".join(out)


def _card(fr: FileResult, g: GateFinding, idx: int) -> str:
    a = g.attribution
    f = g.finding
    v = _verdict_class(g)
    parts = [
        f'<section class="card v-{v} s-{g.status}" id="card-{idx}-{g.id}" data-id="{g.id}" data-verdict="{v}">',
        f'<h3><a href="#att-{idx}-{g.id}">{g.id}</a><span class="label bg-{v}">{_e(g.verdict)}</span>'
        f'<span class="reason">{_e(g.reason)}</span><span class="status s-{g.status}">{_e(STATUS_LABEL[g.status])}</span>'
        + (f'<span class="muted">score {f.score:.0f}</span>' if f else "")
        + "</h3>",
        f'<div class="muted">{_e(display_path(fr.path))}:{g.line}:{g.column} · {_e(a.kind)} attributed to '
        f"<strong>{_e(who(g))}</strong></div>",
    ]
    diffs = f.differences if f else []
    parts.append('<div class="muted">Article says</div>')
    parts.append(f"<blockquote>{_mark_words(a.text, [d.article for d in diffs], 'diff')}</blockquote>")
    if f and f.evidence:
        ev = f.evidence
        parts.append(f'<div class="muted">Source says{(" — " + _e(ev.outlet)) if ev.outlet else ""}</div>')
        parts.append(f"<blockquote>{_mark_words(ev.passage, [d.source for d in diffs], 'diff-src')}</blockquote>")
    if diffs:
        rows = "".join(
            f"<tr><td>{_e(d.kind)}</td><td><mark class='diff'>{_e(d.article) or '—'}</mark></td>"
            f"<td><mark class='diff-src'>{_e(d.source) or '—'}</mark></td></tr>"
            for d in diffs
        )
        parts.append(f'<table class="diffs"><tr><th>kind</th><th>article</th><th>source</th></tr>{rows}</table>')
    parts.append(f"<p>{_e(g.explanation)}</p>")
    if f and f.evidence:
        ev = f.evidence
        url = ev.url or ""
        label = _e(ev.title or url or "evidence")
        link = (f'<a href="{_e(url)}" rel="noopener noreferrer">{label}</a>' if url.startswith(("http://", "https://"))
                else f"{label} <code>{_e(url)}</code>")
        extra = " · ".join(x for x in (
            f"fetched {_e(ev.fetched_at)}" if ev.fetched_at else "",
            f"sha256 <code>{_e(ev.sha256[:12])}</code>" if ev.sha256 else "",
            "paywalled" if ev.paywalled else "",
        ) if x)
        parts.append(f'<div class="muted">Evidence: {link}{(" · " + extra) if extra else ""}</div>')
    elif f and f.sources_tried:
        parts.append('<div class="muted">Sources tried: ' + ", ".join(f"<code>{_e(s)}</code>" for s in f.sources_tried)
                     + "</div>")
    parts.append(f'<div class="muted">Policy: {_e(g.policy)}</div>')
    if g.waiver:
        w = g.waiver
        parts.append(f'<div class="muted">Waiver at line {w.line}: <code>{_e(w.marker)}</code>'
                     + (f" — {_e(w.problem)}" if w.problem else "") + "</div>")
    parts.append("</section>")
    return "\n".join(parts)


def render_html(result: GateResult) -> str:
    s = result.summary
    verdict = "passed" if result.passed else "failed"
    files = []
    for idx, fr in enumerate(result.files):
        c = fr.counts
        files.append(
            f'<section class="file" data-file="{_e(display_path(fr.path))}">'
            f'<h2>{_e(display_path(fr.path))} — <span class="result-{"passed" if fr.passed else "failed"}">'
            f'{"passed" if fr.passed else "failed"}</span></h2>'
            f'<div class="muted">{c["confirmed"]} confirmed · {c["partial"]} partial · {c["unverified"]} unverified'
            f' · {c["fail"]} failing · {c["warn"]} warning · {c["waived"]} waived · {c["skipped"]} skipped'
            + (f" · policy from <code>{_e(fr.config.path)}</code>" if fr.config.path else "")
            + "</div>"
            f'<div class="cols"><article class="article">{_article_html(fr, idx)}</article>'
            f'<aside class="panel">{"".join(_card(fr, g, idx) for g in fr.findings)}</aside></div></section>'
        )
    errors = ""
    if result.errors:
        errors = '<div class="errors"><h2>Input errors</h2><ul>' + "".join(
            f"<li><code>{_e(display_path(e.path))}</code>: {_e(e.message)}</li>" for e in result.errors
        ) + "</ul></div>"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="verifier">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>verifier report — {verdict}</title>
<style>{_CSS}</style>
</head>
<body>
<header class="top">
<h1>verifier report: <span class="result-{verdict}" id="result">{verdict}</span></h1>
<div class="muted">{s["files"]} file(s), {s["attributions"]} attribution(s): {s["confirmed"]} confirmed,
{s["partial"]} partial, {s["unverified"]} unverified — {s["fail"]} failing, {s["warn"]} warning,
{s["waived"]} waived, {s["skipped"]} skipped, {s["errors"]} input error(s)</div>
<div class="legend"><span class="bg-confirmed" style="color:#fff">confirmed</span><span class="bg-partial"
style="color:#fff">partial</span><span class="bg-unverified" style="color:#fff">unverified</span><span
class="bg-skipped" style="color:#fff">skipped</span><span style="outline:2px dashed var(--waive)">waived</span></div>
</header>
{errors}
{"".join(files)}
</body>
</html>
"""
