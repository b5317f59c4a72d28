"""The WARC side of the evidence store: one stored fetch as a WARC `response` record, and a
response record (ours or any crawler's) back as a `FetchResult`, checked whole."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC
from http import HTTPStatus
from typing import Any

from verifier.fetch.messages import now_iso, parse_iso
from verifier.models import FetchResult
from verifier.textcodec import decode_text, parse_content_type


class WarcError(Exception):
    """A WARC that cannot be imported whole (truncated or corrupt record); nothing was stored."""


@dataclass
class ImportResult:
    imported: int = 0  # new rows
    duplicates: int = 0  # records already in the store (same URL, fetch time and SHA-256)
    too_large: int = 0  # response records over the size cap, skipped
    other: int = 0  # request, metadata, warcinfo... records (not evidence)


def write_response(writer: Any, url: str, final_url: str | None, status: int | None, headers: dict[str, str],
                   fetched_at: str, sha256: str, body: bytes) -> None:
    """Write one stored fetch as a `response` record whose target is the final URL; the requested
    URL, the fetch time and the body's SHA-256 go in WARC-Verifier-* fields so import restores them."""
    from warcio.statusandheaders import StatusAndHeaders

    status = status or 200
    http_headers = [(k.title(), v) for k, v in headers.items()]
    # The body is stored decoded, so any transfer/content coding header would lie.
    http_headers = [(k, v) for k, v in http_headers
                    if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")]
    http_headers.append(("Content-Length", str(len(body))))
    status_line = f"{status} {_phrase(status)}".strip()
    sah = StatusAndHeaders(status_line, http_headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        final_url or url,
        "response",
        payload=io.BytesIO(body),
        http_headers=sah,
        warc_headers_dict={
            "WARC-Date": _warc_date(fetched_at),
            "WARC-Verifier-Requested-URL": url,
            "WARC-Verifier-Fetched-At": fetched_at,
            "WARC-Verifier-SHA256": sha256,
        },
    )
    writer.write_record(record)


def drain(record: Any) -> None:
    """Read a record to its end so a truncation in it is noticed, not skipped over."""
    stream = record.raw_stream
    while stream.read(1 << 16):
        pass
    if getattr(stream, "limit", 0) > 0:
        raise WarcError("truncated WARC: a record ends before its Content-Length")


def response_record(record: Any, n: int, max_bytes: int) -> tuple[FetchResult | None, dict[str, str]]:
    """The FetchResult of one WARC response record (None when over `max_bytes`); WarcError
    when the record is cut short or its body does not match the digest it declares."""
    target = record.rec_headers.get_header("WARC-Target-URI")
    if not target:
        raise WarcError(f"corrupt WARC: response record {n} has no WARC-Target-URI")
    body = record.content_stream().read(max_bytes + 1)  # undoes chunking and content coding
    if len(body) > max_bytes:
        drain(record)
        return None, {}
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise WarcError(f"truncated WARC: record {n} ({target}) ends before its Content-Length")
    declared = record.rec_headers.get_header("WARC-Verifier-SHA256")
    sha256 = hashlib.sha256(body).hexdigest()
    if declared and declared != sha256:
        raise WarcError(f"corrupt WARC: record {n} ({target}) does not match its WARC-Verifier-SHA256")
    requested = record.rec_headers.get_header("WARC-Verifier-Requested-URL") or target
    fetched_at = record.rec_headers.get_header("WARC-Verifier-Fetched-At") or _from_warc_date(
        record.rec_headers.get_header("WARC-Date")
    )
    status_code = record.http_headers.get_statuscode()
    status = int(status_code) if status_code and status_code.isdigit() else None
    headers = {k.lower(): v for k, v in record.http_headers.headers}
    for h in ("content-length", "content-encoding", "transfer-encoding"):
        headers.pop(h, None)
    mime, charset = parse_content_type(headers.get("content-type"))
    text, enc = decode_text(body, charset)
    result = FetchResult(location=requested, url=requested, final_url=target, status=status, content_type=mime,
                         body=body, text=text, encoding=enc, fetched_at=fetched_at, sha256=sha256)
    return result, headers


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _warc_date(fetched_at: str) -> str:
    try:
        return parse_iso(fetched_at).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return now_iso()


def _from_warc_date(value: Any) -> str:
    if not value:
        return now_iso()
    try:
        return parse_iso(str(value)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return now_iso()
