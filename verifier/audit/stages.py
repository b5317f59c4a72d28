"""The audit's distributed steps, as plain functions of paths and settings.

    1 extract   one task per input split      pages -> rows, routed to URL buckets
    2 articles  one task per URL bucket       dedupe, find attributions, emit link requests
                                              (to the target URL's bucket), archive-search requests
                                              and originals (to (outlet group, date block)
                                              partitions; an original near a block edge goes to
                                              both blocks its window touches)
    3 links     one task per URL bucket       join link requests with the pages of the bucket
    3 window    one task per (outlet group, date block)  search each cited outlet's originals
                                              within the window of the citing article's day
    4 judge     one task per URL bucket       `verdict.judge` every attribution; write the tables

Each task reads only its own partition's files from the work directory and writes its outputs
atomically (a temporary name, then a rename), its done marker last; a rerun skips tasks whose
marker exists, and a task run twice (a worker killed mid-task) overwrites the same files, so no
output row is ever duplicated. The engine (engine.py) runs these as Dask tasks; nothing here
imports Dask.

This module holds steps 2 to 4; step 1 is in `extract_step.py`, the run's plan and task plumbing
in `plan.py`, the running aggregate in `aggregate.py` (their names are importable from here).
"""

from __future__ import annotations

import glob
import os
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from verifier.audit import rows as R
from verifier.audit.aggregate import _SEVERITY, Aggregate, misquote_rank
from verifier.audit.extract_step import _fetch_result, extract_split, page_row
from verifier.audit.plan import (
    AGG_TOP_MISQUOTES,
    VERSION,
    Plan,
    _done_stats,
    _registry,
    _skip_rows,
    _Task,
    _write_skipped,
    is_done,
    registry,
    task_dir,
)
from verifier.models import Origin, Reason, SourceRef

__all__ = [
    "AGG_TOP_MISQUOTES", "VERSION", "_SEVERITY", "Aggregate", "Plan", "_Task", "_done_stats", "_fetch_result", "_registry",
    "_skip_rows", "_write_skipped", "block_of", "build_bucket", "extract_split", "group_of", "is_done", "judge_bucket",
    "link_join", "misquote_rank", "page_row", "registry", "task_dir", "window_join", "window_name",
    "window_names_for_original",
]

# ------------------------------------------------------------------------------ 2 articles


def group_of(outlet: str, plan: Plan) -> int:
    return R.stable_bucket(outlet, plan.groups)


def block_of(day: str, plan: Plan) -> int:
    return date.fromisoformat(day).toordinal() // plan.block_days


def window_name(group: int, block: int) -> str:
    return f"g{group:05d}-w{block:06d}"


def window_names_for_original(outlet: str, day: str, plan: Plan) -> list[str]:
    """The window partitions whose requests may need this original: its outlet group, and every
    date block within the window of its day (an original near a block's edge is copied to the
    neighbouring block, so each partition holds all it needs and nothing else)."""
    d = date.fromisoformat(day)
    first = (d - timedelta(days=plan.window_days)).toordinal() // plan.block_days
    last = (d + timedelta(days=plan.window_days)).toordinal() // plan.block_days
    g = group_of(outlet, plan)
    return [window_name(g, b) for b in range(first, last + 1)]


def build_bucket(plan: Plan, bucket: int, splits: list[str]) -> dict[str, Any]:
    """Stage 2: one URL bucket: drop duplicate URLs, find every attribution, and route link
    requests, archive-search requests and originals to the partitions that join them."""
    name = f"b{bucket:05d}"
    if (done := _done_stats(plan, "s2", name)) is not None:
        return done
    from verifier.attributions.finder import find_attributions
    from verifier.sources.resolve import all_locations, resolve_sources

    t0 = time.perf_counter()
    reg = registry(plan)
    task = _Task(plan, "s2", name)
    rows = R.read_rows(os.path.join(task_dir(plan, "s1", s), f"{name}.parquet") for s in splits)
    t_read = time.perf_counter() - t0
    # duplicate URLs: keep the earliest capture (then the first in input order)
    rows.sort(key=lambda r: (r["url_key"], r.get("capture") or "", r["split"], r["offset"]))
    kept: list[dict[str, Any]] = []
    dup_skips: list[dict[str, Any]] = []
    for r in rows:
        if kept and kept[-1]["url_key"] == r["url_key"]:
            dup_skips.append({"reason": "duplicate_url", "detail": f"same URL as {kept[-1]['file']} @{kept[-1]['offset']}",
                              "file": r["file"], "offset": r["offset"], "url": r["url"]})
            continue
        kept.append(r)
    link_reqs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    search_reqs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    originals: dict[str, list[dict[str, Any]]] = defaultdict(list)
    t_find = t_route = 0.0
    n_atts = 0
    for r in kept:
        day = r.get("day")
        d = r["doc"]
        if r["is_article"] and d["outlet"] and day and d["paragraphs"] and not d["error"]:
            for w in window_names_for_original(d["outlet"], day, plan):
                originals[w].append({"url": r["url"], "url_key": r["url_key"], "day": day, "doc": d})
        if not r["is_article"]:
            continue
        f0 = time.perf_counter()
        art = R.article_from_dict(r["article"])
        atts = find_attributions(art, reg)
        t_find += time.perf_counter() - f0
        f0 = time.perf_counter()
        n_atts += len(atts)
        r["attributions"] = [a.to_dict() for a in atts]
        mapping = resolve_sources(atts, art, [], reg)
        for loc in all_locations(mapping):
            target = R.url_key(loc)
            link_reqs[R.stable_bucket(target, plan.buckets)].append(
                {"citing_key": r["url_key"], "citing_bucket": bucket, "location": loc, "target_key": target})
        for order, a in enumerate(atts):
            # what live discovery would be asked for (discover_for_article): an outlet named, no link
            if mapping.get(a.id) or a.collective or not a.outlet or not day:
                continue
            search_reqs[window_name(group_of(a.outlet, plan), block_of(day, plan))].append({
                "citing_key": r["url_key"], "citing_bucket": bucket, "day": day, "order": order,
                "attribution": a.to_dict(),
            })
        t_route += time.perf_counter() - f0
    R.write_rows(task.path("pages.parquet"), kept, keys=["url_key"])
    for j, reqs in link_reqs.items():
        R.write_rows(task.path(f"links-to-b{j:05d}.parquet"), reqs)
    for w, reqs in search_reqs.items():
        R.write_rows(task.path(f"search-{w}.parquet"), reqs)
    for w, origs in originals.items():
        R.write_rows(task.path(f"orig-{w}.parquet"), origs)
    _write_skipped(plan, name, dup_skips)
    return task.commit({
        "stage": "articles", "bucket": bucket, "pages": len(kept), "articles": sum(r["is_article"] for r in kept),
        "attributions": n_atts, "skipped": dict(Counter(s["reason"] for s in dup_skips)),
        "search_partitions": sorted(search_reqs), "rows_held": len(rows),
        "seconds": {"read": t_read, "find_attributions": t_find, "route": t_route, "total": time.perf_counter() - t0},
    })


# ------------------------------------------------------------------------------ 3 joins


def link_join(plan: Plan, bucket: int) -> dict[str, Any]:
    """Stage 3 (links): every link to a URL of this bucket gets the archived page, or an error
    document when the archive does not hold it."""
    name = f"b{bucket:05d}"
    if (done := _done_stats(plan, "s3l", name)) is not None:
        return done
    t0 = time.perf_counter()
    reg = registry(plan)
    task = _Task(plan, "s3l", name)
    reqs = R.read_rows(sorted(glob.glob(os.path.join(plan.work, "s2", "b*", f"links-to-{name}.parquet"))))
    pages = {r["url_key"]: r for r in R.read_rows([os.path.join(task_dir(plan, "s2", name), "pages.parquet")])}
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    found = 0
    for q in reqs:
        page = pages.get(q["target_key"])
        loc = q["location"]
        if page is not None:
            found += 1
            # as a fetch of the link would report it: the location, URL and final URL as linked
            doc = {**page["doc"], "location": loc, "url": loc, "final_url": loc}
            day = page.get("day")
        else:
            doc = R.doc_to_dict(R.doc_from_dict({"location": loc, "url": loc, "error": "not in the archive"}))
            day = None
        if doc["outlet"] is None and not doc.get("error"):
            # a readable page belongs to its domain's outlet; an unreadable one is named by its URL,
            # as `verifier check` reports it ("https://…: HTTP 404 Not Found")
            o = reg.for_url(loc)
            doc["outlet"] = o.name if o else None
        out[q["citing_bucket"]].append({"citing_key": q["citing_key"], "location": loc, "doc": doc, "source_day": day,
                                        "in_archive": page is not None})
    for i, rows in out.items():
        R.write_rows(task.path(f"to-b{i:05d}.parquet"), rows)
    return task.commit({
        "stage": "links", "bucket": bucket, "requests": len(reqs), "found": found,
        "rows_held": len(pages) + len(reqs), "seconds": {"total": time.perf_counter() - t0},
    })


def window_join(plan: Plan, partition: str) -> dict[str, Any]:
    """Stage 3 (window): attributions to outlets of one group, cited by articles of one date
    block, each searched among the group's originals within the window of its article's day (by
    the discovery ranking)."""
    if (done := _done_stats(plan, "s3w", partition)) is not None:
        return done
    from verifier.audit.search import ArchiveProvider, OutletIndex
    from verifier.pipeline import Options, discovery_ports
    from verifier.sources.discover import DiscoveryConfig, discover_sources, make_context

    t0 = time.perf_counter()
    reg = registry(plan)
    task = _Task(plan, "s3w", partition)
    reqs = R.read_rows(sorted(glob.glob(os.path.join(plan.work, "s2", "b*", f"search-{partition}.parquet"))))
    origs = R.read_rows(sorted(glob.glob(os.path.join(plan.work, "s2", "b*", f"orig-{partition}.parquet"))))
    t_read = time.perf_counter() - t0
    by_outlet: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for o in origs:
        by_outlet[o["doc"]["outlet"]].append(o)
    i0 = time.perf_counter()
    indexes = {name: OutletIndex(rows) for name, rows in by_outlet.items()}
    t_index = time.perf_counter() - i0
    cfg = DiscoveryConfig(providers=(), wayback=False, days_before=plan.window_days, days_after=plan.window_days,
                          max_candidates=20, max_fetch=3)
    opts = Options(registry=reg, discovery=cfg, offline=True)
    ctx = make_context(opts, reg)
    ports = discovery_ports(opts)
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    s0 = time.perf_counter()
    found = 0
    for q in sorted(reqs, key=lambda q: (q["citing_key"], q["order"])):
        a = R.attribution_from_dict(q["attribution"])
        provider = ArchiveProvider(indexes.get(a.outlet or ""), q["citing_key"])
        d = discover_sources(a, None, ctx, ports, on_date=date.fromisoformat(q["day"]), providers=[provider],
                             read=provider.read)
        row: dict[str, Any] = {"citing_key": q["citing_key"], "id": a.id, "location": None, "tried": d.tried,
                               "candidates": len(d.candidates)}
        if d.ref is not None and d.chosen is not None:
            found += 1
            src = provider.row(d.chosen.url) or {}
            row.update(location=d.ref.location, doc=R.doc_to_dict(d.documents[d.ref.location]),
                       candidate_score=round(d.chosen.score, 1), alternatives=d.alternatives,
                       source_day=src.get("day"))
        out[q["citing_bucket"]].append(row)
    for i, rows in out.items():
        R.write_rows(task.path(f"to-b{i:05d}.parquet"), rows)
    return task.commit({
        "stage": "window", "partition": partition, "requests": len(reqs), "found": found, "originals": len(origs),
        "rows_held": len(origs) + len(reqs),
        "seconds": {"read": t_read, "index": t_index, "search_and_rank": time.perf_counter() - s0,
                    "total": time.perf_counter() - t0},
    })


# ------------------------------------------------------------------------------ 4 judge


def judge_bucket(plan: Plan, bucket: int) -> dict[str, Any]:
    """Stage 4: judge every attribution of this bucket's articles against the sources the joins
    found, with `verifier.match.verdict.judge`, and write the bucket's part of the output tables."""
    name = f"b{bucket:05d}"
    if (done := _done_stats(plan, "s4", name)) is not None:
        return done
    import pyarrow as pa

    from verifier.match.verdict import DocumentIndexCache, judge
    from verifier.sources.resolve import all_locations, resolve_sources

    t0 = time.perf_counter()
    reg = registry(plan)
    task = _Task(plan, "s4", name)
    pages = [r for r in R.read_rows([os.path.join(task_dir(plan, "s2", name), "pages.parquet")]) if r["is_article"]]
    linked: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in R.read_rows(sorted(glob.glob(os.path.join(plan.work, "s3l", "b*", f"to-{name}.parquet")))):
        linked[r["citing_key"]][r["location"]] = r
    searched: dict[tuple[str, str], dict[str, Any]] = {}
    for r in R.read_rows(sorted(glob.glob(os.path.join(plan.work, "s3w", "g*", f"to-{name}.parquet")))):
        searched[(r["citing_key"], r["id"])] = r
    t_read = time.perf_counter() - t0
    tables: dict[str, dict[str, list[dict[str, Any]]]] = {"articles": defaultdict(list),
                                                          "attributions": defaultdict(list),
                                                          "findings": defaultdict(list)}
    agg = Aggregate()
    j0 = time.perf_counter()
    for page in sorted(pages, key=lambda p: p["url_key"]):
        art = R.article_from_dict(page["article"])
        atts = [R.attribution_from_dict(x) for x in page.get("attributions") or []]
        day = page.get("day") or "unknown"
        info = {"url": page["url"], "url_key": page["url_key"], "citing_outlet": page["citing_outlet"], "date": day}
        mapping = resolve_sources(atts, art, [], reg)
        mine = linked.get(page["url_key"], {})
        documents = {loc: R.doc_from_dict(r["doc"]) for loc, r in mine.items()}
        source_day = {loc: r.get("source_day") for loc, r in mine.items()}
        found: dict[str, dict[str, Any]] = {}
        # the same order as live discovery (discover_for_article): named outlets, then collectives
        for a in atts:
            if mapping.get(a.id) or a.collective or not a.outlet:
                continue
            r = searched.get((page["url_key"], a.id))
            if r is not None and r.get("location"):
                mapping.setdefault(a.id, []).append(SourceRef(r["location"], Origin.DISCOVERED, None, provider="archive"))
                documents[r["location"]] = R.doc_from_dict(r["doc"])
                source_day[r["location"]] = r.get("source_day")
                found[a.id] = r
        for a in atts:
            if not a.collective or mapping.get(a.id):
                continue
            refs = mapping.setdefault(a.id, [])
            for r in found.values():
                if all(x.location != r["location"] for x in refs):
                    refs.append(SourceRef(r["location"], Origin.DISCOVERED, None, provider="archive"))
        cited = all_locations(mapping)
        cache = DocumentIndexCache()
        for a in atts:
            refs = mapping.get(a.id, [])
            f = judge(a, refs, documents, cited=cited, cache=cache)
            prov: dict[str, Any] = {"linked": any(x.origin is Origin.LINK for x in refs)}
            if refs:
                used = next((x for x in refs if f.evidence is not None and x.location == f.evidence.url), refs[0])
                prov["discovered_by"] = "link" if used.origin is Origin.LINK else "archive"
                prov["candidate_url"] = used.location
                prov["source_date"] = source_day.get(used.location)
                hit = found.get(a.id) or next((r for r in found.values() if r["location"] == used.location), None)
                if hit is not None and used.origin is not Origin.LINK:
                    prov["candidate_score"] = hit.get("candidate_score")
                    prov["alternatives"] = hit.get("alternatives")
            if f.reason is Reason.NO_SOURCE and (a.outlet or a.collective):
                # where live discovery would have been asked, say what the archive search found
                f.explanation = _no_source_explanation(a.outlet, a.collective, searched.get((page["url_key"], a.id)),
                                                       plan.window_days, page.get("day"))
            row = R.finding_row(f, info, prov)
            tables["findings"][day].append(row)
            agg.add(row)
            tables["attributions"][day].append({
                "article_url": page["url"], "article_key": page["url_key"], "citing_outlet": page["citing_outlet"],
                "id": a.id, "kind": a.kind, "text": a.text, "span_start": a.span[0], "span_end": a.span[1],
                "sentence": a.sentence, "cue": a.cue, "outlet": a.outlet, "speaker": a.speaker,
                "fragments": list(a.fragments), "collective": a.collective, "linked": prov["linked"], "date": day,
            })
        agg.add_article(day)
        tables["articles"][day].append({
            "url": page["url"], "url_key": page["url_key"], "canonical_url": page.get("canonical_url"),
            "outlet": page.get("outlet"), "site": page.get("site"), "published": page.get("published"),
            "date_source": page.get("date_source"), "title": page.get("title"), "text": art.text,
            "text_hash": R.text_hash(art.text), "paywalled": bool(page["doc"].get("paywalled")),
            "method": page["doc"].get("method"), "links": page["article"]["links"], "attributions": len(atts),
            "warc_file": page["file"], "warc_offset": page["offset"], "date": day,
        })
    t_judge = time.perf_counter() - j0
    w0 = time.perf_counter()
    schemas = {"articles": R.ARTICLES, "attributions": R.ATTRIBUTIONS, "findings": R.FINDINGS}
    for table, by_day in tables.items():
        for day, rows in by_day.items():
            # one file per (table, day, bucket): a rerun of this task replaces exactly these files
            path = os.path.join(plan.output, table, f"date={day}", f"part-{name}.parquet")
            R.write_table(path, pa.Table.from_pylist(rows, schema=schemas[table]))
    R.write_json(task.path("aggregate.json"), agg.to_dict())
    return task.commit({
        "stage": "judge", "bucket": bucket, "articles": len(pages),
        "findings": sum(len(v) for v in tables["findings"].values()),
        "rows_held": len(pages) + sum(len(v) for v in linked.values()) + len(searched),
        "seconds": {"read": t_read, "judge": t_judge, "write": time.perf_counter() - w0, "total": time.perf_counter() - t0},
    })


def _no_source_explanation(outlet: str | None, collective: bool, searched: dict[str, Any] | None,
                           window: int, day: str | None) -> str:
    if collective or not outlet:
        return "No source: a collective attribution, and the article links to nothing and names no outlet found in the archive."
    if not day:
        return f"No source for {outlet}: the article gives no link and its date is unknown, so the archive was not searched."
    n = (searched or {}).get("candidates", 0)
    return (f"No source for {outlet} in the archive: the article gives no link, and no {outlet} article within"
            f" {window} days of {day} matches ({n} candidate{'s' if n != 1 else ''} ranked).")
