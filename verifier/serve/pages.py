"""The HTML the server shows an editor: the check form, live progress, the annotated result, the
history and the login form.

Every page is one self-contained document: inline CSS and script carrying the response's CSP
nonce, no external asset of any kind (air-gapped newsrooms), and it all works without JavaScript
(plain form post, a results page that refreshes itself while the check runs). With JavaScript the
form shows live progress from the Server-Sent Events stream, a dropped file fills the draft, and
`n`/`p` (or `j`/`k`) step through the findings. Everything from a request or a report is escaped.
"""

from __future__ import annotations

import html
import json
from typing import Any

from verifier.report.html import _CSS as REPORT_CSS
from verifier.report.html import _article_html, _card

_PAGE_CSS = """
.skip { position: absolute; left: -9999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 6px 10px;
  z-index: 10; outline: 3px solid var(--waive); }
header.site { display: flex; gap: 20px; align-items: baseline; padding: 12px 24px; background: #fff;
  border-bottom: 1px solid var(--line); }
header.site .brand { font-weight: 700; font-size: 18px; color: var(--fg); text-decoration: none; }
header.site nav a { margin-right: 14px; color: #0550ae; }
main { padding: 16px 24px 40px; max-width: 1500px; }
main.narrow { max-width: 960px; }
a { color: #0550ae; }
:focus-visible { outline: 3px solid var(--waive); outline-offset: 2px; }
label { display: block; font-weight: 600; margin: 12px 0 4px; }
.hint { color: var(--muted); font-size: 13px; margin: 2px 0 8px; }
textarea, input[type=text], input[type=url], input[type=date], input[type=password], select {
  font: 15px/1.45 system-ui, sans-serif; padding: 6px 8px; border: 1px solid #8c959f; border-radius: 6px;
  background: #fff; color: var(--fg); }
textarea { width: 100%; min-height: 260px; font-family: Georgia, serif; }
textarea.dragging { outline: 3px dashed var(--waive); }
fieldset { border: 1px solid var(--line); border-radius: 8px; margin: 16px 0; padding: 8px 14px 14px; }
legend { font-weight: 600; padding: 0 4px; }
.source-row { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 2fr); gap: 8px 14px; }
.source-row label { font-weight: 400; font-size: 13px; margin: 6px 0 2px; }
.source-row input { width: 100%; }
.inputs { display: grid; grid-template-columns: 1fr 1fr; gap: 0 24px; }
.inputs input, .inputs select { width: 100%; }
button, .button { font: 600 15px system-ui, sans-serif; padding: 8px 18px; border-radius: 6px; border: 1px solid #1f2328;
  background: #1f2328; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--fg); border-color: #8c959f; }
.error-box { border: 2px solid var(--bad); background: var(--bad-bg); color: #82071e; padding: 8px 12px;
  border-radius: 8px; margin: 10px 0; }
#progress ol { font-size: 14px; } #progress li { margin: 2px 0; }
.summary { display: flex; flex-wrap: wrap; gap: 16px; align-items: baseline; margin: 4px 0 10px; }
.summary h1 { font-size: 22px; margin: 0; }
.downloads a { margin-right: 12px; }
table.history { border-collapse: collapse; width: 100%; background: #fff; font-size: 14px; }
table.history th, table.history td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; }
.kbd { font: 12px ui-monospace, monospace; border: 1px solid #8c959f; border-radius: 4px; padding: 0 4px; }
mark.att a:focus-visible, .card h3 a:focus-visible { outline: 3px solid var(--waive); }
.card.current { box-shadow: 0 0 0 3px var(--waive); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""

# Progressive enhancement only: every feature below has a no-script path.
_FORM_JS = r"""
(function () {
  var form = document.getElementById('check-form');
  if (!form || !window.fetch || !window.EventSource) return;
  var draft = document.getElementById('draft'), fmt = document.getElementById('format');
  var rows = document.getElementById('source-rows'), add = document.getElementById('add-source');
  if (add) { add.hidden = false; add.addEventListener('click', function () {
    var n = rows.querySelectorAll('.source-row').length + 1, tpl = rows.querySelector('.source-row').cloneNode(true);
    tpl.querySelectorAll('input').forEach(function (i) { i.value = ''; i.id = i.id.replace(/\d+$/, n); });
    tpl.querySelectorAll('label').forEach(function (l) { l.htmlFor = l.htmlFor.replace(/\d+$/, n);
      l.textContent = l.textContent.replace(/\d+/, n); });
    rows.appendChild(tpl); tpl.querySelector('input').focus(); }); }
  function loadFile(file) {
    if (!file || file.size > Number(form.dataset.maxBytes)) { return; }
    var r = new FileReader();
    r.onload = function () { draft.value = r.result;
      var ext = (file.name.split('.').pop() || '').toLowerCase();
      fmt.value = ext === 'md' || ext === 'markdown' ? 'markdown' : (ext === 'html' || ext === 'htm') ? 'html' : 'text';
      document.getElementById('name').value = file.name; };
    r.readAsText(file);
  }
  draft.addEventListener('dragover', function (e) { e.preventDefault(); draft.classList.add('dragging'); });
  draft.addEventListener('dragleave', function () { draft.classList.remove('dragging'); });
  draft.addEventListener('drop', function (e) { e.preventDefault(); draft.classList.remove('dragging');
    if (e.dataTransfer.files.length) loadFile(e.dataTransfer.files[0]); });
  var progress = document.getElementById('progress'), list = document.getElementById('events');
  var errors = document.getElementById('form-error');
  function line(text) { var li = document.createElement('li'); li.textContent = text; list.appendChild(li); }
  function describe(ev, d) {
    if (ev === 'queued') return 'Queued.';
    if (ev === 'started') return 'Checking started.';
    if (ev === 'attributions') return 'Found ' + d.count + ' attribution' + (d.count === 1 ? '' : 's') + '.';
    if (ev === 'source') return (d.ok ? 'Read ' : 'Could not read ') + d.location + (d.error ? ' (' + d.error + ')' : '')
      + (d.from_store ? ' (stored copy)' : '');
    if (ev === 'discovered') return d.url ? d.id + ': found the original via ' + d.provider + ': ' + d.url
      : d.id + ': no original found';
    if (ev === 'verdict') return d.id + ' ' + d.verdict + ' (' + d.reason + ')' + (d.outlet ? ' \u2014 ' + d.outlet : '');
    if (ev === 'end') return d.status === 'done' ? 'Done: ' + (d.passed ? 'passed' : 'failed') + '.' : 'Stopped: ' + d.error;
    return ev;
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    errors.hidden = true; list.innerHTML = ''; progress.hidden = false;
    var button = form.querySelector('button[type=submit]'); button.disabled = true;
    fetch(form.action, { method: 'POST', body: new FormData(form), headers: { 'Accept': 'application/json' },
                          credentials: 'same-origin' })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (res) {
        if (!res.ok) { throw new Error(res.body.detail || 'the check could not be started'); }
        var id = res.body.id, es = new EventSource('/checks/' + encodeURIComponent(id) + '/events');
        ['queued', 'started', 'attributions', 'source', 'discovered', 'verdict', 'end'].forEach(function (name) {
          es.addEventListener(name, function (m) { var d = JSON.parse(m.data); line(describe(name, d));
            if (name === 'end') { es.close(); window.location.assign('/checks/' + encodeURIComponent(id)); } });
        });
        es.onerror = function () { es.close(); window.location.assign('/checks/' + encodeURIComponent(id)); };
      })
      .catch(function (err) { errors.textContent = err.message; errors.hidden = false; progress.hidden = true;
        button.disabled = false; errors.focus(); });
  });
})();
"""

_RESULT_JS = r"""
(function () {
  var marks = Array.prototype.slice.call(document.querySelectorAll('mark.att > a'));
  var status = document.getElementById('nav-status'), i = -1;
  function go(k) {
    if (!marks.length) return;
    i = (k + marks.length) % marks.length;
    var a = marks[i], id = a.getAttribute('href').slice(1), card = document.getElementById(id);
    document.querySelectorAll('.card.current').forEach(function (c) { c.classList.remove('current'); });
    if (card) { card.classList.add('current'); card.scrollIntoView({ block: 'nearest' }); }
    a.focus(); a.scrollIntoView({ block: 'center' });
    status.textContent = 'Finding ' + (i + 1) + ' of ' + marks.length + ': ' + a.parentNode.getAttribute('title');
  }
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || /input|textarea|select/i.test(e.target.tagName)) return;
    if (e.key === 'n' || e.key === 'j') { e.preventDefault(); go(i + 1); }
    else if (e.key === 'p' || e.key === 'k') { e.preventDefault(); go(i - 1); }
  });
  marks.forEach(function (a, k) { a.addEventListener('focus', function () { i = k; }); });
  var live = document.getElementById('live-events');
  if (live && window.EventSource) {
    var es = new EventSource(live.dataset.src);
    ['attributions', 'source', 'discovered', 'verdict', 'end'].forEach(function (name) {
      es.addEventListener(name, function (m) {
        var li = document.createElement('li'); li.textContent = name + ': ' + m.data; live.appendChild(li);
        if (name === 'end') { es.close(); window.location.reload(); } });
    });
  }
})();
"""


def e(s: object) -> str:
    return html.escape(str(s), quote=True)


def article_fragments(result: Any) -> dict[str, Any]:
    """What the result page needs, rendered once when the check ends (kept in the history)."""
    files = []
    for idx, fr in enumerate(result.files):
        files.append({
            "path": fr.path, "passed": fr.passed, "counts": fr.counts,
            "article_html": _article_html(fr, idx),
            "cards_html": "".join(_card(fr, g, idx) for g in fr.findings),
        })
    return {"passed": result.passed, "files": files,
            "errors": [{"input": x.path, "message": x.message} for x in result.errors]}


def layout(title: str, body: str, nonce: str, *, script: str = "", refresh: int | None = None,
           narrow: bool = False, user: str | None = None) -> str:
    meta_refresh = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    js = f'<script nonce="{nonce}">{script}</script>' if script else ""
    logout = ""
    if user and user.startswith("token:"):
        logout = ('<form method="post" action="/logout" class="inline"><button class="secondary" type="submit">'
                  "Log out</button></form>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{meta_refresh}
<title>{e(title)} — verifier</title>
<style nonce="{nonce}">{REPORT_CSS}{_PAGE_CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><a class="brand" href="/">verifier</a>
<nav aria-label="Main"><a href="/">New check</a><a href="/history">History</a></nav>{logout}</header>
<main id="main" tabindex="-1"{' class="narrow"' if narrow else ""}>
{body}
</main>
{js}
</body>
</html>
"""


def _sources_rows(names: list[str], urls: list[str], n: int = 3) -> str:
    rows = []
    count = max(n, len(names), len(urls))
    for i in range(1, count + 1):
        nm = names[i - 1] if i - 1 < len(names) else ""
        url = urls[i - 1] if i - 1 < len(urls) else ""
        rows.append(
            f'<div class="source-row"><div><label for="src-name-{i}">Outlet or speaker {i}</label>'
            f'<input type="text" id="src-name-{i}" name="source_name" value="{e(nm)}" autocomplete="off" '
            f'placeholder="Guardian"></div><div><label for="src-url-{i}">Source URL {i}</label>'
            f'<input type="url" id="src-url-{i}" name="source_url" value="{e(url)}" '
            f'placeholder="https://www.theguardian.com/…"></div></div>'
        )
    return "".join(rows)


def form_page(nonce: str, csrf: str, *, max_bytes: int, error: str | None = None,
              values: dict[str, Any] | None = None, user: str | None = None) -> str:
    v = values or {}
    fmt = v.get("format", "auto")
    options = "".join(
        f'<option value="{k}"{" selected" if k == fmt else ""}>{label}</option>'
        for k, label in (("auto", "Detect"), ("text", "Plain text"), ("markdown", "Markdown"), ("html", "HTML"))
    )
    err = (f'<div class="error-box" id="form-error" role="alert" tabindex="-1">{e(error)}</div>' if error
           else '<div class="error-box" id="form-error" role="alert" tabindex="-1" hidden></div>')
    body = f"""
<h1>Check a draft's attributions</h1>
<p class="hint">Paste a draft, choose a file or give its URL; add the sources it cites if they are not linked in it.
Every quote and claim attributed to another outlet is checked against the original.</p>
{err}
<form id="check-form" method="post" action="/checks" enctype="multipart/form-data" data-max-bytes="{max_bytes}">
<input type="hidden" name="csrf" value="{e(csrf)}">
<label for="draft">Draft</label>
<p class="hint" id="draft-help">Plain text or Markdown. You can also drop a .md, .html or .txt file here.</p>
<textarea id="draft" name="draft" rows="16" aria-describedby="draft-help" spellcheck="false">{e(v.get("draft", ""))}</textarea>
<div class="inputs">
<div><label for="format">Draft format</label><select id="format" name="format">{options}</select></div>
<div><label for="name">Name in the report</label><input type="text" id="name" name="name" value="{e(v.get("name", ""))}"
  placeholder="draft.txt" maxlength="200"></div>
<div><label for="file">Or a file</label><input type="file" id="file" name="file" accept=".md,.markdown,.txt,.html,.htm,text/plain,text/markdown,text/html"></div>
<div><label for="url">Or the draft's URL</label><input type="url" id="url" name="url" value="{e(v.get("url", ""))}"
  placeholder="https://cms.example.org/preview/…"></div>
</div>
<fieldset><legend>Sources (optional)</legend>
<p class="hint">The outlet (or person) as the draft names them, and the original's URL.</p>
<div id="source-rows">{_sources_rows(v.get("source_name", []), v.get("source_url", []))}</div>
<button type="button" class="secondary" id="add-source" hidden>Add a source</button>
</fieldset>
<div class="inputs"><div><label for="date">Article date</label>
<input type="date" id="date" name="date" value="{e(v.get("date", ""))}" aria-describedby="date-help">
<p class="hint" id="date-help">Used to look for originals the draft does not link. Default: today.</p></div></div>
<p><button type="submit">Check</button></p>
</form>
<section id="progress" aria-live="polite" hidden><h2>Progress</h2><ol id="events"></ol></section>
"""
    return layout("New check", body, nonce, script=_FORM_JS, narrow=True, user=user)


def login_page(nonce: str, csrf: str, error: str | None = None) -> str:
    err = f'<div class="error-box" role="alert">{e(error)}</div>' if error else ""
    body = f"""
<h1>Sign in</h1>
<p class="hint">This service needs an access token. Ask whoever runs it for one.</p>
{err}
<form method="post" action="/login">
<input type="hidden" name="csrf" value="{e(csrf)}">
<label for="token">Access token</label>
<input type="password" id="token" name="token" autocomplete="current-password" required size="50">
<p><button type="submit">Sign in</button></p>
</form>"""
    return layout("Sign in", body, nonce, narrow=True)


_STATUS_TEXT = {"queued": "Waiting for a free slot…", "running": "Checking…"}


def check_page(nonce: str, row: Any, fragments: dict[str, Any] | None, events: list[dict[str, Any]],
               user: str | None = None) -> str:
    title = f"{row.name} — {row.status}"
    if row.status in ("queued", "running"):
        items = "".join(f"<li>{e(ev['event'])}: {e(json.dumps(ev['data'], ensure_ascii=False))}</li>" for ev in events)
        body = f"""
<h1>{e(_STATUS_TEXT[row.status])}</h1>
<p class="hint">{e(row.name)} · started {e(row.created_at)}. This page refreshes itself until the check is done.</p>
<ol id="live-events" aria-live="polite" data-src="/checks/{e(row.id)}/events">{items}</ol>"""
        return layout(title, body, nonce, script=_RESULT_JS, refresh=2, user=user)
    if row.status != "done" or fragments is None:
        body = f"""
<h1>Check {e(row.status)}</h1>
<div class="error-box" role="alert">{e(row.error or row.status)}</div>
<p><a href="/">Start a new check</a></p>"""
        return layout(title, body, nonce, user=user)
    passed = fragments["passed"]
    verdict = "passed" if passed else "failed"
    parts = [f"""
<div class="summary"><h1>{e(row.name)}: <span class="result-{verdict}" id="result">{verdict}</span></h1>
<span class="muted">checked {e((row.finished_at or row.created_at)[:19].replace("T", " "))} UTC · permalink
<a href="/checks/{e(row.id)}" id="permalink">/checks/{e(row.id)}</a></span></div>
<p class="downloads muted">Download: <a href="/checks/{e(row.id)}.html">HTML report</a>
<a href="/checks/{e(row.id)}.md">Markdown</a> <a href="/checks/{e(row.id)}.junit.xml">JUnit XML</a>
<a href="/checks/{e(row.id)}.json">JSON</a></p>
<p class="hint">Keyboard: <span class="kbd">Tab</span> moves from finding to finding and <span class="kbd">Enter</span>
opens its evidence; with scripts on, <span class="kbd">n</span> / <span class="kbd">p</span> go to the next / previous finding.</p>
<p id="nav-status" class="visually-hidden" aria-live="polite"></p>"""]
    for err in fragments["errors"]:
        parts.append(f'<div class="error-box" role="alert">{e(err["input"])}: {e(err["message"])}</div>')
    for f in fragments["files"]:
        c = f["counts"]
        parts.append(
            f'<section class="file"><p class="muted">{c["confirmed"]} confirmed · {c["partial"]} partial · '
            f'{c["unverified"]} unverified · {c["fail"]} failing · {c["warn"]} warning · {c["waived"]} waived · '
            f'{c["skipped"]} skipped</p>'
            f'<div class="cols"><article class="article" aria-label="The draft with its attributions marked">'
            f'{f["article_html"]}</article>'
            f'<aside class="panel" aria-label="Findings">{f["cards_html"]}</aside></div></section>'
        )
    return layout(title, "".join(parts), nonce, script=_RESULT_JS, user=user)


def history_page(nonce: str, rows: list[Any], page: int, more: bool, user: str | None = None) -> str:
    trs = []
    for r in rows:
        s = r.summary or {}
        result = ("passed" if r.passed else "failed") if r.status == "done" else r.status
        trs.append(
            f'<tr><td><a href="/checks/{e(r.id)}">{e(r.name)}</a></td><td>{e(r.kind)}</td>'
            f"<td>{e(r.created_at[:19].replace('T', ' '))}</td>"
            f'<td class="result-{e(result)}">{e(result)}</td><td>{s.get("confirmed", "")}</td>'
            f'<td>{s.get("partial", "")}</td><td>{s.get("unverified", "")}</td></tr>'
        )
    nav = []
    if page > 1:
        nav.append(f'<a href="/history?page={page - 1}">Newer</a>')
    if more:
        nav.append(f'<a href="/history?page={page + 1}">Older</a>')
    body = f"""
<h1>History</h1>
<table class="history"><caption class="visually-hidden">Past checks, newest first</caption>
<thead><tr><th scope="col">Draft</th><th scope="col">Kind</th><th scope="col">When (UTC)</th><th scope="col">Result</th>
<th scope="col">Confirmed</th><th scope="col">Partial</th><th scope="col">Unverified</th></tr></thead>
<tbody>{"".join(trs) or '<tr><td colspan="7">No checks yet.</td></tr>'}</tbody></table>
<p>{" · ".join(nav)}</p>"""
    return layout("History", body, nonce, user=user)


def error_page(nonce: str, status: int, title: str, detail: str) -> str:
    body = f'<h1>{e(status)} {e(title)}</h1><div class="error-box" role="alert">{e(detail)}</div><p><a href="/">Back</a></p>'
    return layout(title, body, nonce, narrow=True)
