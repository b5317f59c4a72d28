"""Report history: every check the server ran, in an embedded SQLite database.

WAL mode with one connection behind a lock (checks finish on worker threads); every write is one
transaction, so a killed server loses nothing it had recorded. Rows left `queued` or `running` by a
server that died are marked `interrupted` when the next one starts.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

STATUSES = ("queued", "running", "done", "failed", "interrupted")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS checks (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,             -- "article" | "claim"
    name TEXT NOT NULL,             -- the input name shown in reports
    client TEXT NOT NULL,           -- "token:xxxxxxxx" or "local" / the client address
    status TEXT NOT NULL,           -- queued | running | done | failed | interrupted
    created_at TEXT NOT NULL,
    finished_at TEXT,
    passed INTEGER,                 -- 1/0 once done
    summary TEXT,                   -- JSON: the report's summary counts
    report TEXT,                    -- JSON: the `verifier check --format json` document
    html TEXT,                      -- the HTML report (`--format html`)
    markdown TEXT,
    junit TEXT,
    article TEXT,                   -- JSON: what the page needs to show the annotated article
    events TEXT,                    -- JSON list of the progress events, for late listeners
    error TEXT,                     -- one line, when failed or interrupted
    callback TEXT                   -- webhook delivery outcome, one line
);
CREATE INDEX IF NOT EXISTS checks_created ON checks (created_at);
"""


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def default_database_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("verifier", appauthor=False)) / "serve-history.sqlite3"


@dataclass
class CheckRow:
    id: str
    kind: str
    name: str
    client: str
    status: str
    created_at: str
    finished_at: str | None
    passed: bool | None
    summary: dict[str, int] | None
    error: str | None
    callback: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "name": self.name, "status": self.status,
                "created_at": self.created_at, "finished_at": self.finished_at, "passed": self.passed,
                "summary": self.summary, "error": self.error}


_LIST_COLS = "id, kind, name, client, status, created_at, finished_at, passed, summary, error, callback"


def _row(r: tuple[Any, ...]) -> CheckRow:
    return CheckRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], None if r[7] is None else bool(r[7]),
                    json.loads(r[8]) if r[8] else None, r[9], r[10])


class History:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30.0, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _exec(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def interrupt_leftovers(self, why: str) -> int:
        """Mark checks a previous server left unfinished as interrupted; returns how many."""
        with self._lock:
            cur = self._db.execute(
                "UPDATE checks SET status='interrupted', error=?, finished_at=? WHERE status IN ('queued','running')",
                (why, now_iso()),
            )
            return cur.rowcount

    def add(self, id: str, kind: str, name: str, client: str) -> None:
        self._exec("INSERT INTO checks (id, kind, name, client, status, created_at) VALUES (?,?,?,?,?,?)",
                   (id, kind, name, client, "queued", now_iso()))

    def mark_running(self, id: str) -> None:
        """queued -> running; never over a status a worker thread has already written."""
        self._exec("UPDATE checks SET status='running' WHERE id=? AND status='queued'", (id,))

    def set_status(self, id: str, status: str, error: str | None = None) -> None:
        finished = now_iso() if status in ("done", "failed", "interrupted") else None
        self._exec("UPDATE checks SET status=?, error=?, finished_at=COALESCE(?, finished_at) WHERE id=?",
                   (status, error, finished, id))

    def finish(self, id: str, *, passed: bool, summary: dict[str, int], report_json: str, html: str,
               markdown: str, junit: str, article: dict[str, Any], events: list[dict[str, Any]]) -> None:
        """`report_json` is kept byte for byte as `verifier check --format json` would print it."""
        self._exec(
            "UPDATE checks SET status='done', finished_at=?, passed=?, summary=?, report=?, html=?, markdown=?,"
            " junit=?, article=?, events=?, error=NULL WHERE id=?",
            (now_iso(), int(passed), json.dumps(summary), report_json, html, markdown,
             junit, json.dumps(article, ensure_ascii=False), json.dumps(events, ensure_ascii=False), id),
        )

    def fail(self, id: str, status: str, error: str, events: list[dict[str, Any]]) -> None:
        self._exec("UPDATE checks SET status=?, finished_at=?, error=?, events=? WHERE id=?",
                   (status, now_iso(), error, json.dumps(events, ensure_ascii=False), id))

    def set_callback(self, id: str, outcome: str) -> None:
        self._exec("UPDATE checks SET callback=? WHERE id=?", (outcome, id))

    def get(self, id: str) -> CheckRow | None:
        rows = self._exec(f"SELECT {_LIST_COLS} FROM checks WHERE id=?", (id,))
        return _row(rows[0]) if rows else None

    def field(self, id: str, name: str) -> Any:
        """One stored document of a check: "report" (the JSON text as printed), "html", "markdown",
        "junit" (text), "article", "events" (parsed JSON)."""
        if name not in ("report", "html", "markdown", "junit", "article", "events"):
            raise ValueError(name)
        rows = self._exec(f"SELECT {name} FROM checks WHERE id=?", (id,))  # noqa: S608 - name checked above
        if not rows or rows[0][0] is None:
            return None
        v = rows[0][0]
        return json.loads(v) if name in ("article", "events") else v

    def recent(self, limit: int = 50, offset: int = 0) -> list[CheckRow]:
        rows = self._exec(f"SELECT {_LIST_COLS} FROM checks ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?",
                          (limit, offset))
        return [_row(r) for r in rows]

    def count(self) -> int:
        return int(self._exec("SELECT COUNT(*) FROM checks")[0][0])
