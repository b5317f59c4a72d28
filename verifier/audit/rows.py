"""Rows of the audit's tables, and the conversions between them and the pipeline's data classes.

Intermediate (shuffle) files keep a few key columns for routing plus one JSON payload column, so
the dataclasses round-trip exactly; the final tables (articles/, attributions/, findings/) have
typed Parquet schemas that analysts query directly.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid
import zlib
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pyarrow as pa
import pyarrow.parquet as pq

from verifier.models import ArticleText, Attribution, Finding, Link, SourceDocument

# Query parameters that identify a campaign or a click, never a different page.
_TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|ocid|cmp|cmpid|at_\w+|ito|smid|ref|referrer)$", re.I)


def url_key(url: str) -> str:
    """The normalised URL that links and archived pages are joined on: https, lower-case host
    without "www.", no default port, no fragment, no tracking parameters, remaining parameters
    sorted, no trailing slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower().rstrip(".").removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING_PARAMS.match(k)]
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    scheme = "https" if parts.scheme.lower() in ("http", "https", "") else parts.scheme.lower()
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def stable_bucket(key: str, n: int) -> int:
    """Partition of a key: the same on every worker and every run (Python's hash() is salted)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % max(1, n)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# ---------------------------------------------------------------------------- dataclass <-> dict


def doc_to_dict(doc: SourceDocument) -> dict[str, Any]:
    return {
        "location": doc.location, "url": doc.url, "final_url": doc.final_url, "status": doc.status,
        "outlet": doc.outlet, "title": doc.title, "standfirst": doc.standfirst, "byline": doc.byline,
        "published": doc.published, "canonical_url": doc.canonical_url, "paragraphs": list(doc.paragraphs),
        "paywalled": doc.paywalled, "paywall_reason": doc.paywall_reason, "method": doc.method,
        "fetched_at": doc.fetched_at, "sha256": doc.sha256, "error": doc.error,
    }


def doc_from_dict(d: dict[str, Any]) -> SourceDocument:
    return SourceDocument(**{**d, "paragraphs": list(d.get("paragraphs") or [])})


def article_to_dict(art: ArticleText) -> dict[str, Any]:
    return {
        "text": art.text, "source": art.source, "format": art.format, "title": art.title,
        "published": art.published,
        "links": [{"url": k.url, "start": k.start, "end": k.end, "text": k.text} for k in art.links],
    }


def article_from_dict(d: dict[str, Any]) -> ArticleText:
    return ArticleText(
        text=d["text"], source=d["source"], format=d["format"], title=d.get("title"),
        published=d.get("published"), links=[Link(**k) for k in d.get("links") or []],
    )


def attribution_from_dict(d: dict[str, Any]) -> Attribution:
    return Attribution(
        **{**d, "span": tuple(d["span"]), "sentence_span": tuple(d["sentence_span"]), "fragments": list(d["fragments"])}
    )


# ---------------------------------------------------------------------------- files


def write_rows(path: str, rows: list[dict[str, Any]], keys: Iterable[str] = ()) -> None:
    """An intermediate file: the given key columns plus a JSON `payload` of each whole row.
    Written to a temporary name and renamed, so a reader never sees half a file."""
    keys = list(keys)
    cols: dict[str, list[Any]] = {k: [r.get(k) for r in rows] for k in keys}
    cols["payload"] = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows]
    table = pa.table(cols) if rows else pa.table({**{k: pa.array([], pa.string()) for k in keys},
                                                  "payload": pa.array([], pa.string())})
    write_table(path, table)


def read_rows(paths: Iterable[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for p in paths:
        if not os.path.exists(p):
            continue
        for s in pq.read_table(p, columns=["payload"]).column("payload").to_pylist():
            out.append(json.loads(s))
    return out


def write_table(path: str, table: pa.Table) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = f"{path}.tmp-{uuid.uuid4().hex}"
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def write_json(path: str, data: Any) -> None:
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = f"{path}.tmp-{uuid.uuid4().hex}"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
    os.replace(tmp, path)


def read_json(path: str) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


# ---------------------------------------------------------------------------- final tables
# Each table is a Hive-partitioned dataset (TABLE/date=YYYY-MM-DD/part-bNNNNN.parquet): the date
# is in the directory name, not in the files; readers (pyarrow, Dask, Spark, DuckDB) add it back.

_LINK = pa.struct([("url", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string())])
_DIFF = pa.struct([("article", pa.string()), ("source", pa.string()), ("kind", pa.string())])
_EVIDENCE = pa.struct([
    ("url", pa.string()), ("title", pa.string()), ("passage", pa.string()), ("start", pa.int64()),
    ("end", pa.int64()), ("outlet", pa.string()), ("fetched_at", pa.string()), ("sha256", pa.string()),
    ("paywalled", pa.bool_()),
])

ARTICLES = pa.schema([
    ("url", pa.string()), ("url_key", pa.string()), ("canonical_url", pa.string()), ("outlet", pa.string()),
    ("site", pa.string()), ("published", pa.string()), ("date_source", pa.string()), ("title", pa.string()),
    ("text", pa.string()), ("text_hash", pa.string()), ("paywalled", pa.bool_()), ("method", pa.string()),
    ("links", pa.list_(_LINK)), ("attributions", pa.int64()), ("warc_file", pa.string()),
    ("warc_offset", pa.int64()),
])

ATTRIBUTIONS = pa.schema([
    ("article_url", pa.string()), ("article_key", pa.string()), ("citing_outlet", pa.string()),
    ("id", pa.string()), ("kind", pa.string()), ("text", pa.string()), ("span_start", pa.int64()),
    ("span_end", pa.int64()), ("sentence", pa.string()), ("cue", pa.string()), ("outlet", pa.string()),
    ("speaker", pa.string()), ("fragments", pa.list_(pa.string())), ("collective", pa.bool_()),
    ("linked", pa.bool_()),
])

FINDINGS = pa.schema([
    ("article_url", pa.string()), ("article_key", pa.string()), ("citing_outlet", pa.string()),
    ("id", pa.string()), ("kind", pa.string()), ("text", pa.string()), ("sentence", pa.string()),
    ("span_start", pa.int64()), ("span_end", pa.int64()), ("outlet", pa.string()), ("speaker", pa.string()),
    ("cue", pa.string()), ("fragments", pa.list_(pa.string())), ("verdict", pa.string()), ("reason", pa.string()),
    ("score", pa.float64()), ("explanation", pa.string()), ("evidence", _EVIDENCE),
    ("differences", pa.list_(_DIFF)), ("sources_tried", pa.list_(pa.string())), ("linked", pa.bool_()),
    ("discovered_by", pa.string()), ("candidate_url", pa.string()), ("candidate_score", pa.float64()),
    ("alternatives", pa.list_(pa.string())), ("source_date", pa.string()),
])

SKIPPED = pa.schema([
    ("reason", pa.string()), ("detail", pa.string()), ("file", pa.string()), ("offset", pa.int64()),
    ("url", pa.string()),
])


def finding_row(f: Finding, article: dict[str, Any], provenance: dict[str, Any]) -> dict[str, Any]:
    """One findings-table row: the finding exactly as `verifier check --format json` gives it
    (flattened span), the citing article, and how its source was found in the archive."""
    d = f.to_dict()
    return {
        "article_url": article["url"], "article_key": article["url_key"], "citing_outlet": article["citing_outlet"],
        "id": d["id"], "kind": d["kind"], "text": d["text"], "sentence": d["sentence"],
        "span_start": d["span"][0], "span_end": d["span"][1], "outlet": d["outlet"], "speaker": d["speaker"],
        "cue": d["cue"], "fragments": d["fragments"], "verdict": d["verdict"], "reason": d["reason"],
        "score": float(d["score"]), "explanation": d["explanation"], "evidence": d["evidence"],
        "differences": d["differences"], "sources_tried": d["sources_tried"],
        "linked": provenance.get("linked", False), "discovered_by": provenance.get("discovered_by"),
        "candidate_url": provenance.get("candidate_url"), "candidate_score": provenance.get("candidate_score"),
        "alternatives": provenance.get("alternatives") or [], "source_date": provenance.get("source_date"),
        "date": article["date"],
    }


# The finding fields that are the judgement itself: identical to `verifier check` on the same
# article with the same sources (the equality test compares these).
JUDGEMENT_FIELDS = (
    "id", "kind", "text", "sentence", "span_start", "span_end", "outlet", "speaker", "cue", "fragments",
    "verdict", "reason", "score", "explanation", "evidence", "differences", "sources_tried",
)
