"""Helpers for the audit tests: the test archive, `verifier check` on the same pages, comparison."""

from __future__ import annotations

import io
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from audit_archive import build  # noqa: E402

__all__ = ["build", "archive_records", "check_findings", "audit_findings", "comparable"]


def archive_records(files: list[str]) -> dict[str, tuple[int, str, bytes]]:
    """url -> (status, content type, body) of every response record, read with warcio directly
    (not with the audit's reader), first capture of a URL kept."""
    from warcio.archiveiterator import ArchiveIterator

    out: dict[str, tuple[int, str, bytes]] = {}
    for f in files:
        with open(f, "rb") as fh:
            try:
                for r in ArchiveIterator(fh):
                    if r.rec_type != "response":
                        continue
                    url = r.rec_headers.get_header("WARC-Target-URI")
                    body = r.content_stream().read()
                    if r.raw_stream.limit > 0 or url in out:
                        continue
                    out[url] = (int(r.http_headers.get_statuscode()), r.http_headers.get_header("Content-Type"), body)
            except Exception:  # noqa: BLE001 - the deliberately truncated tail of the last file
                pass
    return out


def check_findings(pages: dict[str, tuple[str, list[str]]], records: dict[str, tuple[int, str, bytes]],
                   tmp: Path) -> dict[str, list[dict[str, Any]]]:
    """`verifier check` (its library entry point, run_check, as the CLI calls it) on each page
    saved as an .html file, with the given --source values; every URL it fetches is answered over
    loopback HTTP from the archive's records (absent URLs get a 404). url -> finding dicts."""
    from verifier.gate.core import CheckRequest, run_check
    from verifier.sources.discover.replay import ProviderReplay

    out: dict[str, list[dict[str, Any]]] = {}
    with ProviderReplay() as rp:
        for url, (status, ctype, body) in records.items():
            rp.add(url, body=body, status=status, content_type=ctype)
        for n, (url, (html_url, sources)) in enumerate(sorted(pages.items())):
            path = tmp / f"page{n:05d}.html"
            path.write_bytes(records[html_url][2])
            req = CheckRequest(paths=[str(path)], sources=sources, no_config=True, discover=False,
                               allow_private=True, fail_on="none")
            result = run_check(req, configure=lambda opts, cfg: rp.apply(opts))
            assert not result.errors, result.errors
            out[url] = [f.to_dict() for f in result.files[0].report.findings]
    return out


def audit_findings(output: str) -> dict[str, list[dict[str, Any]]]:
    import pyarrow.parquet as pq

    rows = pq.read_table(Path(output) / "findings").to_pylist()
    by_url: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_url[r["article_url"]].append(r)
    return by_url


def comparable(d: dict[str, Any]) -> dict[str, Any]:
    """The judgement of a finding (check's dict or an audit row), without where it came from or
    when the evidence was read: the capture time of a WARC record is not a fetch time."""
    from verifier.audit.rows import JUDGEMENT_FIELDS

    if "span" in d:
        d = {**d, "span_start": d["span"][0], "span_end": d["span"][1]}
    out = {k: d[k] for k in JUDGEMENT_FIELDS}
    if out["evidence"]:
        out["evidence"] = {k: v for k, v in out["evidence"].items() if k != "fetched_at"}
    out["score"] = round(float(out["score"]), 1)
    return json.loads(json.dumps(out))


def dump(x: Any) -> str:
    buf = io.StringIO()
    json.dump(x, buf, indent=1, ensure_ascii=False)
    return buf.getvalue()
