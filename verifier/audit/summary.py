"""The audit summary: one self-contained HTML page (inline SVG plots, no script, no CDN) and the
same content as Markdown, built from the judge tasks' small aggregates (never from the tables)."""

from __future__ import annotations

import html
import io
import os
from collections import Counter, defaultdict
from typing import Any

from verifier.audit import stages as S

VERDICTS = ("confirmed", "partial", "unverified")
_COLOURS = {"confirmed": "#2e7d32", "partial": "#ef6c00", "unverified": "#9e9e9e"}
TOP_PAIRS = 60
TOP_MISQUOTES = 15


def merge(aggregates: list[dict[str, Any]]) -> dict[str, Any]:
    pairs: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    reasons: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    timeline: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    worst: list[dict[str, Any]] = []
    for a in aggregates:
        for citing, cited, counts, rs in a["pairs"]:
            pairs[(citing, cited)].update(counts)
            reasons[(citing, cited)].update(rs)
        for day, c in a["timeline"].items():
            timeline[day].update(c)
        totals.update(a["totals"])
        worst.extend(a["worst"])
    worst.sort(key=S.misquote_rank)  # type: ignore[arg-type]
    return {"pairs": pairs, "reasons": reasons, "timeline": dict(sorted(timeline.items())), "totals": totals,
            "worst": worst[:TOP_MISQUOTES]}


def _cross_outlet(m: dict[str, Any]) -> Counter[str]:
    """Verdict counts of attributions naming an outlet other than the citing article's own."""
    c: Counter[str] = Counter()
    for (citing, cited), counts in m["pairs"].items():
        if citing != cited:
            c.update({k: counts[k] for k in ("attributions", *VERDICTS)})
    return c


def _self_citations(m: dict[str, Any]) -> int:
    return sum(c["attributions"] for (citing, cited), c in m["pairs"].items() if citing == cited)


def _pair_rows(m: dict[str, Any]) -> list[dict[str, Any]]:
    """Cross-outlet pairs, most attributions first (an outlet citing itself is counted apart)."""
    rows = []
    for (citing, cited), c in m["pairs"].items():
        if citing == cited:
            continue
        n = c["attributions"]
        top = ", ".join(f"{r} {k}" for r, k in m["reasons"][(citing, cited)].most_common(3))
        rows.append({"citing": citing, "cited": cited, "n": n, "linked": c["linked"] / n if n else 0.0,
                     **{v: c[v] for v in VERDICTS}, "top": top})
    rows.sort(key=lambda r: (-r["n"], r["citing"], r["cited"]))
    return rows


def _svg(fig) -> str:  # noqa: ANN001 - a matplotlib Figure
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    svg = buf.getvalue()
    return svg[svg.find("<svg"):]  # drop the XML prolog and DOCTYPE: the SVG sits inside HTML


def _plots(m: dict[str, Any]) -> list[tuple[str, str]]:
    """(title, inline SVG) for the timeline and the verdicts per cited outlet."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, searchable
    out = []
    days = [d for d in m["timeline"] if d != "unknown"]
    if days:
        fig, ax = plt.subplots(figsize=(8, 3))
        bottom = [0] * len(days)
        for v in VERDICTS:
            vals = [m["timeline"][d].get(v, 0) for d in days]
            ax.bar(range(len(days)), vals, bottom=bottom, color=_COLOURS[v], label=v, width=0.85)
            bottom = [b + x for b, x in zip(bottom, vals, strict=True)]
        step = max(1, len(days) // 12)
        ax.set_xticks(range(0, len(days), step), [days[i] for i in range(0, len(days), step)], rotation=45,
                      ha="right", fontsize=7)
        ax.set_ylabel("attributions")
        ax.legend(fontsize=7, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        out.append(("Timeline: attributions by the citing article's date", _svg(fig)))
        plt.close(fig)
    by_cited: dict[str, Counter[str]] = defaultdict(Counter)
    for (_, cited), c in m["pairs"].items():
        by_cited[cited].update({v: c[v] for v in VERDICTS})
    cited = sorted(by_cited, key=lambda o: -sum(by_cited[o].values()))[:20]
    if cited:
        fig, ax = plt.subplots(figsize=(8, 0.3 * len(cited) + 1))
        left = [0] * len(cited)
        for v in VERDICTS:
            vals = [by_cited[o][v] for o in cited]
            ax.barh(range(len(cited)), vals, left=left, color=_COLOURS[v], label=v)
            left = [a + b for a, b in zip(left, vals, strict=True)]
        ax.set_yticks(range(len(cited)), cited, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel("attributions")
        ax.legend(fontsize=7, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        out.append(("Verdicts per cited outlet", _svg(fig)))
        plt.close(fig)
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %"


def _md_cell(s: Any) -> str:
    return str(s if s is not None else "").replace("|", "\\|").replace("\n", " ")


def _diffs(d: list[dict[str, Any]]) -> str:
    return "; ".join(f"{x['kind']}: article '{x['article']}' / source '{x['source']}'" for x in d[:4])


def render_markdown(m: dict[str, Any], skipped: dict[str, int], meta: dict[str, Any]) -> str:
    t = m["totals"]
    lines = [
        "# Archive audit", "",
        f"{t.get('articles', 0)} articles, {t.get('attributions', 0)} attributions: "
        + ", ".join(f"{t.get(v, 0)} {v}" for v in VERDICTS) + ".", "",
        f"Cross-outlet attributions (naming an outlet other than the article's own): {_cross_outlet(m)['attributions']}: "
        + ", ".join(f"{_cross_outlet(m)[v]} {v}" for v in VERDICTS) + ". The rest name a person or body only,"
        " are collective (\"reports said\") or cite the article's own outlet.", "",
        f"Inputs: {meta['inputs']} file(s); date window ±{meta['window_days']} days; {meta['buckets']} URL partitions;"
        f" {meta['seconds']:.1f} s of task time.", "",
        "## Citing outlet × cited outlet", "",
        "| citing outlet | cited outlet | attributions | linked | confirmed | partial | unverified | top reasons |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in _pair_rows(m)[:TOP_PAIRS]:
        lines.append(f"| {_md_cell(r['citing'])} | {_md_cell(r['cited'])} | {r['n']} | {_pct(r['linked'])} | "
                     f"{r['confirmed']} | {r['partial']} | {r['unverified']} | {_md_cell(r['top'])} |")
    lines += ["", f"Attributions of an outlet to itself (not in the table): {_self_citations(m)}.",
              "", "## Worst misquotes", ""]
    if not m["worst"]:
        lines.append("None found.")
    for i, w in enumerate(m["worst"], 1):
        ev = w["evidence"] or {}
        lines += [
            f"{i}. **{_md_cell(w['reason'])}** — {_md_cell(w['citing_outlet'])} citing {_md_cell(w['outlet'])}"
            f" ({w['date']}): “{_md_cell(w['text'])}”",
            f"   - article: {w['article_url']}",
            f"   - source: {_md_cell(ev.get('url'))}",
            f"     > {_md_cell(ev.get('passage'))}",
            f"   - differences: {_md_cell(_diffs(w['differences']))}",
        ]
    lines += ["", "## Timeline", "", "| date | articles | confirmed | partial | unverified |", "|---|---:|---:|---:|---:|"]
    for day, c in m["timeline"].items():
        lines.append(f"| {day} | {c.get('articles', 0)} | " + " | ".join(str(c.get(v, 0)) for v in VERDICTS) + " |")
    lines += ["", "## Skipped input", "", "| reason | records |", "|---|---:|"]
    for reason, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"| {reason} | {n} |")
    if not skipped:
        lines.append("| (none) | 0 |")
    lines += ["", "Tables: `articles/`, `attributions/`, `findings/` (Parquet, partitioned by date), `skipped/`.", ""]
    return "\n".join(lines)


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:13px}th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f5f5f5}
.confirmed{color:#2e7d32}.partial{color:#ef6c00}.unverified{color:#757575}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.6rem;border-left:3px solid #ccc;color:#444}
.misquote{margin-bottom:1.2rem}.small{color:#666;font-size:12px}figure{margin:0 0 1.5rem}svg{max-width:100%;height:auto}
"""


def render_html(m: dict[str, Any], skipped: dict[str, int], meta: dict[str, Any]) -> str:
    e = html.escape
    t = m["totals"]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Archive audit</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Archive audit</h1>",
        f"<p>{t.get('articles', 0)} articles, {t.get('attributions', 0)} attributions: "
        + ", ".join(f"<span class='{v}'>{t.get(v, 0)} {v}</span>" for v in VERDICTS) + ".</p>",
        f"<p>Cross-outlet attributions (naming an outlet other than the article's own): "
        f"{_cross_outlet(m)['attributions']}: "
        + ", ".join(f"<span class='{v}'>{_cross_outlet(m)[v]} {v}</span>" for v in VERDICTS)
        + ". The rest name a person or body only, are collective (&ldquo;reports said&rdquo;) or cite the article&rsquo;s own outlet.</p>",
        f"<p class='small'>Inputs: {meta['inputs']} file(s); date window ±{meta['window_days']} days; "
        f"{meta['buckets']} URL partitions; {meta['seconds']:.1f} s of task time.</p>",
    ]
    for title, svg in _plots(m):
        parts.append(f"<figure><h2>{e(title)}</h2>{svg}</figure>")
    parts += ["<h2>Citing outlet × cited outlet</h2><table><tr><th>citing outlet</th><th>cited outlet</th>"
              "<th>attributions</th><th>linked</th><th>confirmed</th><th>partial</th><th>unverified</th>"
              "<th>top reasons</th></tr>"]
    for r in _pair_rows(m)[:TOP_PAIRS]:
        parts.append(f"<tr><td>{e(r['citing'])}</td><td>{e(r['cited'])}</td><td class=n>{r['n']}</td>"
                     f"<td class=n>{_pct(r['linked'])}</td><td class='n confirmed'>{r['confirmed']}</td>"
                     f"<td class='n partial'>{r['partial']}</td><td class='n unverified'>{r['unverified']}</td>"
                     f"<td>{e(r['top'])}</td></tr>")
    parts.append(f"</table><p class='small'>Attributions of an outlet to itself (not in the table): "
                 f"{_self_citations(m)}.</p><h2>Worst misquotes</h2>")
    if not m["worst"]:
        parts.append("<p>None found.</p>")
    for w in m["worst"]:
        ev = w["evidence"] or {}
        parts.append(
            f"<div class='misquote'><b class='partial'>{e(w['reason'])}</b> — {e(w['citing_outlet'] or '')} citing "
            f"{e(w['outlet'] or '')} ({e(w['date'])}), <a href='{e(w['article_url'])}'>article</a>"
            f"<blockquote>{e(w['text'])}</blockquote><div class='small'>source: "
            f"<a href='{e(ev.get('url') or '')}'>{e(ev.get('url') or '')}</a></div>"
            f"<blockquote>{e(ev.get('passage') or '')}</blockquote>"
            f"<div class='small'>{e(_diffs(w['differences']))}</div></div>")
    parts.append("<h2>Timeline</h2><table><tr><th>date</th><th>articles</th><th>confirmed</th><th>partial</th>"
                 "<th>unverified</th></tr>")
    for day, c in m["timeline"].items():
        parts.append(f"<tr><td>{e(day)}</td><td class=n>{c.get('articles', 0)}</td>"
                     + "".join(f"<td class=n>{c.get(v, 0)}</td>" for v in VERDICTS) + "</tr>")
    parts.append("</table><h2>Skipped input</h2><table><tr><th>reason</th><th>records</th></tr>")
    for reason, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])):
        parts.append(f"<tr><td>{e(reason)}</td><td class=n>{n}</td></tr>")
    if not skipped:
        parts.append("<tr><td>(none)</td><td class=n>0</td></tr>")
    parts.append("</table><p class='small'>Tables: <code>articles/</code>, <code>attributions/</code>, "
                 "<code>findings/</code> (Parquet, partitioned by date), <code>skipped/</code>.</p></body></html>")
    return "\n".join(parts)


def write_summary(plan: S.Plan, aggregates: list[dict[str, Any]], skipped: dict[str, int],
                  stats: dict[str, list[dict[str, Any]]]) -> tuple[str, str, dict[str, int]]:
    m = merge(aggregates)
    seconds = sum(s.get("seconds", {}).get("total", 0.0) for rows in stats.values() for s in rows
                  if not s.get("resumed"))
    meta = {"inputs": len(stats.get("extract", [])), "window_days": plan.window_days, "buckets": plan.buckets,
            "seconds": seconds}
    md_path = os.path.join(plan.output, "summary.md")
    html_path = os.path.join(plan.output, "summary.html")
    for path, text in ((md_path, render_markdown(m, skipped, meta)), (html_path, render_html(m, skipped, meta))):
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    return html_path, md_path, {k: int(v) for k, v in m["totals"].items()}
