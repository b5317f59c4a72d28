"""Evidence store: every page the verifier read, kept so a verdict can be re-checked later.

SQLite in WAL mode: readers never block the writer, and a process killed mid-run leaves a
readable database holding every fetch that was committed (each `put` is one transaction).
WARC export/import lets the evidence travel to archiving tools (pywb, ArchiveWeb.page...).
"""

from __future__ import annotations

import io
import json
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from verifier.models import FetchResult

__all__ = ["StoredEntry", "Store", "default_store_path"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS fetches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL,              -- requested URL
    final_url TEXT,                 -- after redirects
    status INTEGER,
    content_type TEXT,
    encoding TEXT,
    headers TEXT NOT NULL DEFAULT '{}',  -- JSON object of selected response headers
    fetched_at TEXT NOT NULL,       -- ISO 8601 UTC, "Z"
    sha256 TEXT NOT NULL,
    body BLOB NOT NULL,
    extracted_text TEXT             -- filled later by the extract stage, may stay NULL
);
CREATE INDEX IF NOT EXISTS fetches_url_time ON fetches (url, fetched_at);
CREATE INDEX IF NOT EXISTS fetches_final_url ON fetches (final_url);
"""

# Headers we never persist: they can carry credentials.
_NEVER_STORE = {"set-cookie", "cookie", "authorization", "proxy-authorization"}


def default_store_path() -> Path:
    """<user cache dir>/verifier/evidence.sqlite3 (platform-appropriate)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("verifier", appauthor=False)) / "evidence.sqlite3"


@dataclass
class StoredEntry:
    """One stored fetch, without its body (for listings)."""

    id: int
    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    fetched_at: str
    sha256: str
    size: int
    has_text: bool


class Store:
    """SQLite evidence store. Thread-safe; use as a context manager or call close()."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path).expanduser() if path is not None else default_store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection guarded by a lock: fetch_many may call us from a worker thread.
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30.0, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL is crash-safe in WAL mode (a killed process loses nothing committed); only an
        # OS crash/power cut can drop the last transactions, which a re-fetch restores.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        with self._lock:
            self._db.executescript(_SCHEMA)

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------------------
    def put(self, result: FetchResult, headers: dict[str, str] | None = None) -> int | None:
        """Save a successful fetch; returns its row id. Errors and bodiless results are skipped."""
        if result.error is not None or result.sha256 is None:
            return None
        url = result.url or result.location
        kept = {k.lower(): v for k, v in (headers or {}).items() if k.lower() not in _NEVER_STORE}
        if result.content_type and "content-type" not in kept:
            kept["content-type"] = result.content_type
        row = (
            url,
            result.final_url,
            result.status,
            result.content_type,
            result.encoding,
            json.dumps(kept, sort_keys=True),
            result.fetched_at or _now_iso(),
            result.sha256,
            sqlite3.Binary(result.body),
        )
        with self._lock:
            # Single INSERT inside an explicit transaction: all of the row or none of it.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                cur = self._db.execute(
                    "INSERT INTO fetches (url, final_url, status, content_type, encoding, headers,"
                    " fetched_at, sha256, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return cur.lastrowid

    def set_text(self, url: str, text: str, sha256: str | None = None) -> int:
        """Attach extracted text to the latest copy of `url` (or the copy with `sha256`).

        Returns the number of rows updated (0 or 1).
        """
        with self._lock:
            if sha256 is None:
                cur = self._db.execute(
                    "UPDATE fetches SET extracted_text = ? WHERE id = "
                    "(SELECT id FROM fetches WHERE url = ? ORDER BY fetched_at DESC, id DESC LIMIT 1)",
                    (text, url),
                )
            else:
                cur = self._db.execute(
                    "UPDATE fetches SET extracted_text = ? WHERE id = (SELECT id FROM fetches "
                    "WHERE url = ? AND sha256 = ? ORDER BY fetched_at DESC, id DESC LIMIT 1)",
                    (text, url, sha256),
                )
            return cur.rowcount

    # -- reading ------------------------------------------------------------------------------
    def get(self, url: str, max_age: float | None = None) -> FetchResult | None:
        """Latest stored copy of `url` (requested or final URL), or None.

        max_age: seconds; copies older than that are ignored. None accepts any age.
        """
        with self._lock:
            row = self._db.execute(
                "SELECT url, final_url, status, content_type, encoding, fetched_at, sha256, body "
                "FROM fetches WHERE url = ? OR final_url = ? "
                "ORDER BY (url = ?) DESC, fetched_at DESC, id DESC LIMIT 1",
                (url, url, url),
            ).fetchone()
        if row is None:
            return None
        req_url, final_url, status, content_type, encoding, fetched_at, sha256, body = row
        if max_age is not None and _age_seconds(fetched_at) > max_age:
            return None
        body = bytes(body)
        from verifier.fetch import decode_body  # late: fetch imports this module for typing

        text, used = decode_body(body, encoding, content_type)
        return FetchResult(
            location=url,
            url=req_url,
            final_url=final_url,
            status=status,
            content_type=content_type,
            body=body,
            text=text,
            encoding=used,
            fetched_at=fetched_at,
            sha256=sha256,
            from_store=True,
        )

    def headers(self, url: str) -> dict[str, str]:
        """Selected response headers of the latest copy of `url` ({} if none)."""
        with self._lock:
            row = self._db.execute(
                "SELECT headers FROM fetches WHERE url = ? ORDER BY fetched_at DESC, id DESC LIMIT 1", (url,)
            ).fetchone()
        return json.loads(row[0]) if row else {}

    def text(self, url: str) -> str | None:
        """Extracted text of the latest copy of `url`, if the extract stage stored one."""
        with self._lock:
            row = self._db.execute(
                "SELECT extracted_text FROM fetches WHERE url = ? ORDER BY fetched_at DESC, id DESC LIMIT 1",
                (url,),
            ).fetchone()
        return row[0] if row else None

    def list(self) -> list[StoredEntry]:
        """Every stored fetch, oldest first, without bodies."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, url, final_url, status, content_type, fetched_at, sha256, length(body),"
                " extracted_text IS NOT NULL FROM fetches ORDER BY fetched_at, id"
            ).fetchall()
        return [StoredEntry(*r[:8], has_text=bool(r[8])) for r in rows]

    # -- WARC ---------------------------------------------------------------------------------
    def export_warc(self, path: str | Path, urls: Iterable[str] | None = None) -> int:
        """Write stored fetches (all, or the latest copy of each of `urls`) as a gzipped WARC.

        Each fetch becomes a `response` record whose target is the final URL; the requested URL
        is kept in a `WARC-Verifier-Requested-URL` field so import restores it. Returns the count.
        """
        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        with self._lock:
            if urls is None:
                rows = self._db.execute(
                    "SELECT url, final_url, status, headers, fetched_at, sha256, body FROM fetches ORDER BY id"
                ).fetchall()
            else:
                rows = []
                for u in urls:
                    r = self._db.execute(
                        "SELECT url, final_url, status, headers, fetched_at, sha256, body FROM fetches "
                        "WHERE url = ? ORDER BY fetched_at DESC, id DESC LIMIT 1",
                        (u,),
                    ).fetchone()
                    if r is not None:
                        rows.append(r)
        count = 0
        with open(path, "wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for url, final_url, status, headers_json, fetched_at, sha256, body in rows:
                status = status or 200
                http_headers = [(k.title(), v) for k, v in json.loads(headers_json).items()]
                # The body is stored decoded, so any transfer/content coding header would lie.
                http_headers = [(k, v) for k, v in http_headers
                                if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")]
                http_headers.append(("Content-Length", str(len(body))))
                status_line = f"{status} {_phrase(status)}".strip()
                sah = StatusAndHeaders(status_line, http_headers, protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    final_url or url,
                    "response",
                    payload=io.BytesIO(bytes(body)),
                    http_headers=sah,
                    warc_headers_dict={
                        "WARC-Date": _warc_date(fetched_at),
                        "WARC-Verifier-Requested-URL": url,
                        "WARC-Verifier-Fetched-At": fetched_at,
                        "WARC-Verifier-SHA256": sha256,
                    },
                )
                writer.write_record(record)
                count += 1
        return count

    def import_warc(self, path: str | Path) -> int:
        """Add every `response` record of a WARC (ours or any crawler's) to the store.

        Returns the number of records imported. Bodies are decoded of any content coding.
        """
        import hashlib

        from warcio.archiveiterator import ArchiveIterator

        from verifier.fetch import decode_body

        count = 0
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                target = record.rec_headers.get_header("WARC-Target-URI")
                requested = record.rec_headers.get_header("WARC-Verifier-Requested-URL") or target
                fetched_at = record.rec_headers.get_header("WARC-Verifier-Fetched-At") or _from_warc_date(
                    record.rec_headers.get_header("WARC-Date")
                )
                body = record.content_stream().read()  # undoes chunking and content coding
                status_code = record.http_headers.get_statuscode()
                status = int(status_code) if status_code and status_code.isdigit() else None
                headers = {k.lower(): v for k, v in record.http_headers.headers}
                headers.pop("content-length", None)
                headers.pop("content-encoding", None)
                headers.pop("transfer-encoding", None)
                ctype = headers.get("content-type")
                mime, charset = _split_ct(ctype)
                text, enc = decode_body(body, charset, mime)
                result = FetchResult(
                    location=requested,
                    url=requested,
                    final_url=target,
                    status=status,
                    content_type=mime,
                    body=body,
                    text=text,
                    encoding=enc,
                    fetched_at=fetched_at,
                    sha256=hashlib.sha256(body).hexdigest(),
                )
                if self.put(result, headers=headers) is not None:
                    count += 1
        return count


def _split_ct(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    mime, _, rest = value.partition(";")
    charset = None
    for part in rest.split(";"):
        k, _, v = part.partition("=")
        if k.strip().lower() == "charset":
            charset = v.strip().strip("\"'") or None
    return mime.strip().lower() or None, charset


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _parse_iso(value: str) -> datetime:
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _age_seconds(fetched_at: str) -> float:
    try:
        return (datetime.now(UTC) - _parse_iso(fetched_at)).total_seconds()
    except ValueError:
        return float("inf")  # unparseable date: treat as too old rather than fresh


def _warc_date(fetched_at: str) -> str:
    try:
        return _parse_iso(fetched_at).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return _now_iso()


def _from_warc_date(value: Any) -> str:
    if not value:
        return _now_iso()
    try:
        return _parse_iso(str(value)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return _now_iso()


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
