"""Audit inputs: expand INPUT paths/globs/URLs into splits, and read each split's pages.

Formats (by name, else by the first bytes):
  * WARC / WARC.gz (the CC-NEWS layout): `response` and `resource` records are pages; request,
    metadata, warcinfo and revisit records are not pages and are passed over.
  * JSONL: one `{"url", "html" | "text", "date"}` object per line.
  * Parquet: columns `url`, `html` or `text`, optional `date`.

Nothing here raises on bad data: a record that cannot be a page becomes a `Skip` with a reason
(the summary's "skipped" table); only an INPUT that matches nothing is a usage error.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

MAX_BODY_BYTES = 5 * 1024 * 1024  # the same cap `verifier fetch` puts on a page
MAX_JSONL_LINE = 8 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class InputMissing(Exception):
    """An INPUT matched no file (usage error, exit 2)."""


@dataclass
class Page:
    """One archived page, as read from an input split."""

    url: str
    body: bytes | None  # raw payload (WARC, JSONL "html" encoded as UTF-8)
    text: str | None  # JSONL/Parquet "text": already plain text
    content_type: str | None
    status: int
    date: str | None  # capture date (WARC-Date) or the record's "date"
    offset: int  # byte offset of the WARC record, or line/row number


@dataclass
class Skip:
    reason: str  # truncated | non_html | binary | too_large | http_error | bad_record | unreadable | ...
    detail: str
    offset: int
    url: str | None = None


def expand_inputs(inputs: list[str]) -> list[str]:
    """Every file the INPUT arguments name, in a stable order. Local paths and globs, or any
    fsspec URL (s3://, gs://) whose filesystem package is installed."""
    import fsspec

    out: list[str] = []
    for spec in inputs:
        try:
            fs, _, paths = fsspec.get_fs_token_paths(spec)
        except (ImportError, ValueError) as e:
            raise InputMissing(f"cannot open {spec}: {e}") from e
        found = sorted(p for p in paths if not fs.isdir(p))
        if not found:
            raise InputMissing(f"no input files match {spec}")
        protocol = fs.protocol[0] if isinstance(fs.protocol, tuple | list) else fs.protocol
        out.extend(p if protocol in ("file", "local") else f"{protocol}://{p}" for p in found)
    return list(dict.fromkeys(out))


def _open(path: str) -> io.BufferedIOBase:
    import fsspec

    return fsspec.open(path, "rb").open()


def _kind(path: str, head: bytes) -> str:
    name = path.lower()
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".warc", ".warc.gz", ".arc.gz")):
        return "warc"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\x1f\x8b"):
        try:  # the first bytes of the first member say what is inside
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head)
        except zlib.error:
            return "warc"
    if head.startswith(b"WARC/"):
        return "warc"
    if head.lstrip().startswith(b"{"):
        return "jsonl"
    return "warc"


def read_split(path: str) -> Iterator[Page | Skip]:
    """Pages and skipped records of one input file. Never raises."""
    try:
        fh = _open(path)
    except Exception as e:  # noqa: BLE001 - a missing or unreadable file is reported, not fatal
        yield Skip("unreadable", f"cannot open: {type(e).__name__}: {e}"[:200], 0)
        return
    with fh:
        try:
            head = fh.peek(1024)[:1024] if hasattr(fh, "peek") else b""
        except Exception:  # noqa: BLE001
            head = b""
        kind = _kind(path, head)
        if kind == "parquet":
            yield from _read_parquet(fh)
        elif kind == "jsonl":
            yield from _read_jsonl(path, fh)
        else:
            yield from _read_warc(fh)


def _status_line(code: int | None) -> int:
    return int(code) if code else 200


def _read_warc(fh: io.BufferedIOBase) -> Iterator[Page | Skip]:
    from warcio.archiveiterator import ArchiveIterator

    offset = 0
    try:
        it = ArchiveIterator(fh, no_record_parse=False, arc2warc=True)
        for record in it:
            offset = it.offset  # start of this record (get_record_offset() would consume it)
            if record.rec_type not in ("response", "resource"):
                continue
            url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
            date = record.rec_headers.get_header("WARC-Date")
            if not url:
                yield Skip("bad_record", "record without WARC-Target-URI", offset)
                continue
            status, ctype = 200, record.rec_headers.get_header("Content-Type")
            if record.http_headers is not None:
                try:
                    status = _status_line(int(record.http_headers.get_statuscode() or 200))
                except ValueError:
                    yield Skip("bad_record", "unparseable HTTP status line", offset, url)
                    continue
                ctype = record.http_headers.get_header("Content-Type")
            mime = (ctype or "").split(";")[0].strip().lower()
            if mime and mime not in _HTML_TYPES and not mime.startswith("text/"):
                yield Skip("non_html", f"content type {mime}", offset, url)
                continue
            if record.rec_headers.get_header("WARC-Truncated"):
                yield Skip("truncated", f"WARC-Truncated: {record.rec_headers.get_header('WARC-Truncated')}", offset, url)
                continue
            try:
                body = record.content_stream().read(MAX_BODY_BYTES + 1)
            except Exception as e:  # noqa: BLE001 - corrupt chunked/gzip payloads
                yield Skip("truncated", f"unreadable payload: {type(e).__name__}"[:200], offset, url)
                continue
            if len(body) > MAX_BODY_BYTES:
                yield Skip("too_large", f"payload over {MAX_BODY_BYTES} bytes", offset, url)
                continue
            if getattr(record.raw_stream, "limit", 0) > 0:
                # the file ended inside this record: what was read is a fragment of the page
                yield Skip("truncated", "file ends inside this record", offset, url)
                continue
            yield Page(url, body, None, ctype, status, date, offset)
    except Exception as e:  # noqa: BLE001 - warcio/gzip errors on a damaged file: keep what was read
        yield Skip("truncated", f"damaged file after this offset: {type(e).__name__}: {e}"[:200], offset)


def _read_jsonl(path: str, fh: io.BufferedIOBase) -> Iterator[Page | Skip]:
    stream: io.BufferedIOBase = gzip.GzipFile(fileobj=fh) if path.lower().endswith(".gz") else fh  # type: ignore[assignment]
    n = 0
    try:
        while True:
            line = stream.readline(MAX_JSONL_LINE + 1)
            if not line:
                break
            n += 1
            if len(line) > MAX_JSONL_LINE:
                yield Skip("too_large", f"line over {MAX_JSONL_LINE} bytes", n)
                while line and not line.endswith(b"\n"):  # skip the rest of the long line
                    line = stream.readline(MAX_JSONL_LINE)
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (ValueError, UnicodeDecodeError) as e:
                yield Skip("bad_record", f"not JSON: {e}"[:200], n)
                continue
            yield _from_mapping(obj, n)
    except (OSError, EOFError) as e:
        yield Skip("truncated", f"damaged file after line {n}: {e}"[:200], n)


def _from_mapping(obj: object, n: int) -> Page | Skip:
    if not isinstance(obj, dict) or not isinstance(obj.get("url"), str) or not obj["url"].strip():
        return Skip("bad_record", "no \"url\"", n)
    url = obj["url"].strip()
    html, text = obj.get("html"), obj.get("text")
    date = obj.get("date")
    date = str(date) if date is not None else None
    if isinstance(html, str) and html.strip():
        body = html.encode("utf-8", "surrogatepass")
        if len(body) > MAX_BODY_BYTES:
            return Skip("too_large", f"html over {MAX_BODY_BYTES} bytes", n, url)
        return Page(url, body, None, "text/html; charset=utf-8", 200, date, n)
    if isinstance(text, str) and text.strip():
        if len(text) > MAX_BODY_BYTES:
            return Skip("too_large", f"text over {MAX_BODY_BYTES} characters", n, url)
        return Page(url, None, text, "text/plain; charset=utf-8", 200, date, n)
    return Skip("bad_record", "no \"html\" or \"text\"", n, url)


def _read_parquet(fh: io.BufferedIOBase) -> Iterator[Page | Skip]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(fh)
        names = set(pf.schema_arrow.names)
        cols = [c for c in ("url", "html", "text", "date") if c in names]
        if "url" not in names:
            yield Skip("bad_record", "Parquet file without a url column", 0)
            return
        n = 0
        for batch in pf.iter_batches(batch_size=256, columns=cols):
            for row in batch.to_pylist():
                n += 1
                if row.get("date") is not None and not isinstance(row["date"], str):
                    row["date"] = row["date"].isoformat() if hasattr(row["date"], "isoformat") else str(row["date"])
                yield _from_mapping(row, n)
    except Exception as e:  # noqa: BLE001 - a damaged Parquet file is reported, not fatal
        yield Skip("unreadable", f"cannot read Parquet: {type(e).__name__}: {e}"[:200], 0)


def warc_date_day(value: str | None) -> str | None:
    """YYYY-MM-DD of a WARC-Date (or any ISO timestamp); None when unparseable."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.date().isoformat()
