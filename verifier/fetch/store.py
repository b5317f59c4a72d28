"""Evidence store: every page the verifier read, kept so a verdict can be re-checked later.

SQLite in WAL mode: readers never block the writer, and a process killed mid-run leaves a
readable database holding every fetch that was committed (each `put` is one transaction).
WARC export/import lets the evidence travel to archiving tools (pywb, ArchiveWeb.page...).
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from verifier.errors import UsageError
from verifier.fetch.messages import now_iso, parse_iso
from verifier.fetch.warc import ImportResult, WarcError, drain, response_record, write_response
from verifier.models import FetchResult
from verifier.textcodec import decode_text

zlib_error = __import__("zlib").error

__all__ = ["EvidenceStore", "ImportResult", "StoredEntry", "Store", "StoreError", "WarcError", "default_store_path"]


class EvidenceStore(Protocol):
    """What fetching and the pipeline need from an evidence store. `Store` (SQLite) is the one the
    tool uses; anything with these three methods can stand in (a server's shared store, a test's)."""

    def get(self, url: str, max_age: float | None = None) -> FetchResult | None:
        """The latest stored fetch of `url` (requested or final URL), None when there is none
        younger than `max_age` seconds."""
        ...

    def put(self, result: FetchResult, headers: dict[str, str] | None = None) -> int | None:
        """Keep a successful fetch (body, status, the headers worth keeping)."""
        ...

    def set_text(self, url: str, text: str, sha256: str | None = None) -> int:
        """Keep the text the verdicts were computed from next to the stored body of `url`."""
        ...


class StoreError(UsageError):
    """The evidence store cannot be used as asked. str() is one line that says what to do.

    kind: "read_only" (readable, not writable), "corrupt" (not a usable SQLite store; left as it
    is), "unavailable" (cannot be opened or created at all)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


def _store_error(path: Path, exc: BaseException) -> StoreError:
    """A one-line StoreError for an sqlite3 error on the store at `path`."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    low = text.lower()
    if "readonly" in low or "read-only" in low or "attempt to write" in low:
        return StoreError(f"evidence store {path} is read-only: add --offline to read from it, give --store PATH "
                          "for a writable one, or --no-store", "read_only")
    if "not a database" in low or "malformed" in low or "corrupt" in low or isinstance(exc, sqlite3.DatabaseError) \
            and not isinstance(exc, sqlite3.OperationalError):
        return StoreError(f"evidence store {path} is damaged ({text}); it was left as it is. Save what is still "
                          f"readable with `verifier sources export --warc saved.warc.gz --store {path}`, then move "
                          "the file aside (a new store is created on the next run)", "corrupt")
    return StoreError(f"cannot open evidence store {path}: {text}", "unavailable")

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


_F = TypeVar("_F", bound=Callable[..., Any])


def _guarded(method: _F) -> _F:
    """sqlite3 errors from a store method become one-line StoreErrors."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc) from None

    return wrapper  # type: ignore[return-value]


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

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        """Open (creating if needed) the store at `path`; `read_only` opens an existing store
        without ever writing to it (a read-only file or folder is fine then). Raises StoreError."""
        self.path = Path(path).expanduser() if path is not None else default_store_path()
        self.read_only = read_only
        self.export_skipped = 0  # rows export_warc could not read (a damaged store)
        self.last_import = ImportResult()  # what the last import_warc did
        # One connection guarded by a lock: fetch_many may call us from a worker thread.
        self._lock = threading.Lock()
        self._db = self._open_read_only() if read_only else self._open_read_write()

    def _open_read_write(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder of evidence store {self.path}: {exc.strerror or exc}",
                             "unavailable") from None
        db = None
        try:
            db = sqlite3.connect(self.path, check_same_thread=False, timeout=30.0, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL is crash-safe in WAL mode (a killed process loses nothing committed); only an
            # OS crash/power cut can drop the last transactions, which a re-fetch restores.
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=30000")
            db.executescript(_SCHEMA)
            # a store we can read but not write fails here, not half-way through a run
            _check_schema(db)
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DELETE FROM fetches WHERE 0")  # changes nothing, but needs write access
            finally:
                db.execute("ROLLBACK")
        except sqlite3.Error as exc:
            if db is not None:
                db.close()
            raise _store_error(self.path, exc) from None
        return db

    def _open_read_only(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise StoreError(f"no evidence store at {self.path}", "unavailable")
        uri = self.path.resolve().as_uri()
        last: sqlite3.Error | None = None
        # mode=ro needs the WAL index (-shm) to be writable; immutable=1 reads a store in a
        # read-only folder too (nothing else may write it meanwhile, which read-only implies).
        for query in ("mode=ro", "immutable=1"):
            db = None
            try:
                db = sqlite3.connect(f"{uri}?{query}", uri=True, check_same_thread=False, timeout=30.0,
                                     isolation_level=None)
                _check_schema(db)
                return db
            except sqlite3.Error as exc:
                if db is not None:
                    db.close()
                last = exc
        assert last is not None
        raise _store_error(self.path, last)

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------------------
    @_guarded
    def put(self, result: FetchResult, headers: dict[str, str] | None = None) -> int | None:
        """Save a successful fetch; returns its row id. Errors and bodiless results are skipped."""
        if result.error is not None or result.sha256 is None:
            return None
        if self.read_only:
            raise StoreError(f"evidence store {self.path} was opened read-only", "read_only")
        row = _row(result, headers)
        with self._lock:
            # Single INSERT inside an explicit transaction: all of the row or none of it.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                rowid = self._insert(row)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return rowid

    def _insert(self, row: tuple[Any, ...]) -> int | None:
        cur = self._db.execute(
            "INSERT INTO fetches (url, final_url, status, content_type, encoding, headers,"
            " fetched_at, sha256, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )
        return cur.lastrowid

    @_guarded
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
    @_guarded
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
        text, used = decode_text(body, encoding)
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

    @_guarded
    def headers(self, url: str) -> dict[str, str]:
        """Selected response headers of the latest copy of `url` ({} if none)."""
        with self._lock:
            row = self._db.execute(
                "SELECT headers FROM fetches WHERE url = ? ORDER BY fetched_at DESC, id DESC LIMIT 1", (url,)
            ).fetchone()
        return json.loads(row[0]) if row else {}

    @_guarded
    def text(self, url: str) -> str | None:
        """Extracted text of the latest copy of `url`, if the extract stage stored one."""
        with self._lock:
            row = self._db.execute(
                "SELECT extracted_text FROM fetches WHERE url = ? ORDER BY fetched_at DESC, id DESC LIMIT 1",
                (url,),
            ).fetchone()
        return row[0] if row else None

    @_guarded
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
        Rows a damaged store cannot read are skipped and counted in `export_skipped`, so this is
        also how to save what is left of a corrupt store.
        """
        from warcio.warcwriter import WARCWriter

        columns = "url, final_url, status, headers, fetched_at, sha256, body"
        self.export_skipped = 0
        with self._lock:
            try:
                if urls is None:
                    ids = self._all_ids()
                else:
                    ids = []
                    for u in urls:
                        r = self._db.execute("SELECT id FROM fetches WHERE url = ? ORDER BY fetched_at DESC, id DESC"
                                             " LIMIT 1", (u,)).fetchone()
                        if r is not None:
                            ids.append(r[0])
            except sqlite3.Error as exc:
                raise _store_error(self.path, exc) from None
        count = 0
        with open(path, "wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for row_id in ids:
                with self._lock:
                    try:
                        row = self._db.execute(f"SELECT {columns} FROM fetches WHERE id = ?", (row_id,)).fetchone()
                        if row is None:
                            continue  # an id that was never used, or a deleted row
                        url, final_url, status, headers_json, fetched_at, sha256, body = row
                        headers = json.loads(headers_json)
                    except (sqlite3.Error, TypeError, ValueError):
                        self.export_skipped += 1  # a damaged page of the database: save the rest
                        continue
                write_response(writer, url, final_url, status, headers, fetched_at, sha256, bytes(body))
                count += 1
        return count

    def _all_ids(self) -> list[int]:
        """Every row id. When a damaged page stops the table scan, every id up to the highest
        ever issued (kept in sqlite_sequence) is tried one by one instead, so rows on intact pages
        can still be exported."""
        try:
            return [r[0] for r in self._db.execute("SELECT id FROM fetches ORDER BY id").fetchall()]
        except sqlite3.DatabaseError:
            row = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'fetches'").fetchone()
            return list(range(1, int(row[0]) + 1)) if row else []

    def import_warc(self, path: str | Path, max_bytes: int = 50_000_000) -> int:
        """Add every `response` record of a WARC (ours or any crawler's) to the store, all or
        nothing: a truncated or corrupt record raises WarcError and nothing from the file is
        stored. Records already in the store (same URL, fetch time and SHA-256) are not added
        again; response bodies over `max_bytes` are skipped. Bodies are decoded of any content
        coding. Returns the number of rows added; `last_import` has the details."""
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed

        if self.read_only:
            raise StoreError(f"evidence store {self.path} is read-only: cannot import into it", "read_only")
        out = ImportResult()
        with self._lock, open(path, "rb") as fh:
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _store_error(self.path, exc) from None
            try:
                n = 0
                for record in ArchiveIterator(fh):
                    n += 1
                    if record.rec_type != "response" or record.http_headers is None:
                        out.other += 1
                        drain(record)
                        continue
                    result, headers = response_record(record, n, max_bytes)
                    if result is None:
                        out.too_large += 1
                        continue
                    dup = self._db.execute(
                        "SELECT 1 FROM fetches WHERE url = ? AND fetched_at = ? AND sha256 = ? LIMIT 1",
                        (result.url, result.fetched_at, result.sha256)).fetchone()
                    if dup:
                        out.duplicates += 1
                        continue
                    self._insert(_row(result, headers))
                    out.imported += 1
                self._db.execute("COMMIT")
                self.last_import = out
            except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib_error) as exc:
                self._db.execute("ROLLBACK")
                msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise WarcError(msg if isinstance(exc, WarcError) else f"corrupt WARC: {msg}") from None
            except sqlite3.Error as exc:
                self._db.execute("ROLLBACK")
                raise _store_error(self.path, exc) from None
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return out.imported


def _row(result: FetchResult, headers: dict[str, str] | None) -> tuple[Any, ...]:
    kept = {k.lower(): v for k, v in (headers or {}).items() if k.lower() not in _NEVER_STORE}
    if result.content_type and "content-type" not in kept:
        kept["content-type"] = result.content_type
    return (result.url or result.location, result.final_url, result.status, result.content_type, result.encoding,
            json.dumps(kept, sort_keys=True), result.fetched_at or now_iso(), result.sha256,
            sqlite3.Binary(result.body))


def _check_schema(db: sqlite3.Connection) -> None:
    """Raise sqlite3.DatabaseError unless `db` is an evidence store (this reads the file header
    and schema, so a file that is not SQLite at all fails here)."""
    cols = {row[1] for row in db.execute("PRAGMA table_info(fetches)").fetchall()}
    if not {"url", "fetched_at", "sha256", "body"} <= cols:
        raise sqlite3.DatabaseError("not an evidence store (no fetches table)")


def _age_seconds(fetched_at: str) -> float:
    try:
        return (datetime.now(UTC) - parse_iso(fetched_at)).total_seconds()
    except ValueError:
        return float("inf")  # unparseable date: treat as too old rather than fresh
