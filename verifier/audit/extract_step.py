"""Step 1, one task per input split: archive pages -> article rows (text, date, outlet, links),
routed to URL buckets; pages that are not articles are counted as skipped rows with a reason."""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from http import HTTPStatus
from typing import Any

from verifier.audit import rows as R
from verifier.audit.inputs import Page, Skip, read_split, warc_date_day
from verifier.audit.plan import Plan, _done_stats, _skip_rows, _Task, _write_skipped, registry
from verifier.models import FetchResult
from verifier.registry import Registry

# ------------------------------------------------------------------------------ 1 extract


def _fetch_result(page: Page) -> FetchResult:
    """The page as `verifier fetch` would have returned it, from the archived response."""
    from verifier.textcodec import decode_text

    ctype = page.content_type
    if page.text is not None:
        body = page.text.encode("utf-8", "surrogatepass")
        text, enc = page.text, "utf-8"
    else:
        body = page.body or b""
        mime, _, params = (ctype or "").partition(";")
        declared = None
        for p in params.split(";"):
            k, _, v = p.partition("=")
            if k.strip().lower() == "charset":
                declared = v.strip().strip("\"'") or None
        text, enc = decode_text(body, declared)
    res = FetchResult(
        location=page.url, url=page.url, final_url=page.url, status=page.status, content_type=ctype,
        body=body, text=text, encoding=enc, fetched_at=page.date, sha256=hashlib.sha256(body).hexdigest(),
    )
    if page.status >= 400:
        try:
            phrase = HTTPStatus(page.status).phrase
        except ValueError:
            phrase = ""
        res.error = f"HTTP {page.status} {phrase}".rstrip()
    return res


def page_row(page: Page, reg: Registry, split: str, file: str) -> tuple[dict[str, Any], Skip | None]:
    """(row, skip): every page gets a row (a link to a dead or empty page must still resolve to
    it); pages that are not articles also get a skip saying why."""
    from verifier.extract.document import document_from_fetch
    from verifier.read.reader import InputError, _cleaned, _parse, html_to_article
    from verifier.sources.discover.query import parse_date

    res = _fetch_result(page)
    doc = document_from_fetch(res, reg)
    key = R.url_key(page.url)
    row: dict[str, Any] = {
        "url": page.url, "url_key": key, "canonical_url": doc.canonical_url, "outlet": doc.outlet,
        "site": R.host_of(page.url), "citing_outlet": doc.outlet or R.host_of(page.url),
        "doc": R.doc_to_dict(doc), "split": split, "file": file, "offset": page.offset, "capture": page.date,
        "is_article": False, "article": None,
    }
    skip: Skip | None = None
    if res.error:
        skip = Skip("http_error", res.error, page.offset, page.url)
    elif doc.error:
        reason = "binary" if "binary" in doc.error or "unsupported content type" in doc.error else "unreadable_page"
        skip = Skip(reason, doc.error, page.offset, page.url)
    else:
        try:
            if page.text is not None or (res.content_type or "").startswith("text/plain"):
                art = _parse(res.text, page.url, "txt", page.url)
            else:
                # as `check` reads an .html draft (reader._parse): the article text, then cleaned
                art = _cleaned(html_to_article(res.text, page.url, page_url=page.url, doc=doc))
                if not art.text.strip():
                    raise InputError("no article text")
        except InputError as e:
            skip = Skip("no_text", str(e), page.offset, page.url)
        else:
            row["is_article"] = True
            row["article"] = R.article_to_dict(art)
            row["title"] = art.title
    published = doc.published or (row["article"] or {}).get("published")
    day = parse_date(published)
    if day is not None:
        row["day"], row["date_source"] = day.isoformat(), "page"
    elif warc_date_day(page.date):
        row["day"], row["date_source"] = warc_date_day(page.date), "capture"
    else:
        row["day"], row["date_source"] = None, "unknown"
    row["published"] = published
    return row, skip


def extract_split(plan: Plan, split: str, file: str) -> dict[str, Any]:
    """Stage 1: read one input split and route its pages to their URL buckets."""
    if (done := _done_stats(plan, "s1", split)) is not None:
        return done
    t0 = time.perf_counter()
    reg = registry(plan)
    task = _Task(plan, "s1", split)
    by_bucket: dict[int, list[dict[str, Any]]] = defaultdict(list)
    skips: list[Skip] = []
    reading = extracting = 0.0
    n_pages = 0
    it = read_split(file)
    while True:
        r0 = time.perf_counter()
        item = next(it, None)
        reading += time.perf_counter() - r0
        if item is None:
            break
        if isinstance(item, Skip):
            skips.append(item)
            continue
        n_pages += 1
        e0 = time.perf_counter()
        row, skip = page_row(item, reg, split, file)
        extracting += time.perf_counter() - e0
        if skip is not None:
            skips.append(skip)
        by_bucket[R.stable_bucket(row["url_key"], plan.buckets)].append(row)
    for k, rows in by_bucket.items():
        R.write_rows(task.path(f"b{k:05d}.parquet"), rows, keys=["url_key"])
    _write_skipped(plan, split, _skip_rows(skips, file))
    return task.commit({
        "stage": "extract", "split": split, "file": file, "pages": n_pages,
        "articles": sum(1 for rows in by_bucket.values() for r in rows if r["is_article"]),
        "skipped": dict(Counter(s.reason for s in skips)),
        "seconds": {"read": reading, "extract": extracting, "total": time.perf_counter() - t0},
        "rows_held": n_pages,
    })
