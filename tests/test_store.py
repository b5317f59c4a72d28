"""Evidence store: SQLite round trips, fetch integration, WARC, crash safety."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from httpserver import TestServer

from verifier.fetch.client import FetchConfig, fetch, fetch_many
from verifier.fetch.store import EvidenceStore, Store, default_store_path
from verifier.models import FetchResult

REPO = Path(__file__).resolve().parent.parent


def cfg(**kw: object) -> FetchConfig:
    base: dict[str, object] = dict(connect_timeout=1.0, read_timeout=1.0, total_timeout=3.0, allow_private=True)
    base.update(kw)
    return FetchConfig(**base)  # type: ignore[arg-type]


def result(url: str, body: bytes = b"<p>caf\xc3\xa9</p>", fetched_at: str = "2030-01-01T00:00:00Z") -> FetchResult:
    return FetchResult(
        location=url, url=url, final_url=url + "?final", status=200, content_type="text/html",
        body=body, text=body.decode(), encoding="utf-8", fetched_at=fetched_at,
        sha256=hashlib.sha256(body).hexdigest(),
    )


def test_put_get_roundtrip_and_wal(tmp_path: Path) -> None:
    with Store(tmp_path / "ev.sqlite3") as store:
        rowid = store.put(result("https://a.example/x"), headers={"ETag": "abc", "Set-Cookie": "sid=secret"})
        assert rowid is not None
        got = store.get("https://a.example/x")
        assert got is not None and got.from_store
        assert got.body == b"<p>caf\xc3\xa9</p>" and got.text == "<p>café</p>"
        assert got.final_url == "https://a.example/x?final" and got.status == 200
        assert store.get("https://a.example/x?final") is not None  # final URL finds it too
        assert store.headers("https://a.example/x") == {"content-type": "text/html", "etag": "abc"}
        assert store.get("https://nope.example/") is None
    mode = sqlite3.connect(tmp_path / "ev.sqlite3").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_errors_are_not_stored(tmp_path: Path) -> None:
    with Store(tmp_path / "ev.sqlite3") as store:
        assert store.put(FetchResult(location="u", url="u", error="HTTP 404 Not Found")) is None
        assert store.list() == []


def test_max_age_and_latest_wins(tmp_path: Path) -> None:
    with Store(tmp_path / "ev.sqlite3") as store:
        store.put(result("https://a.example/x", b"old", "2001-01-01T00:00:00Z"))
        assert store.get("https://a.example/x", max_age=3600) is None
        assert store.get("https://a.example/x", max_age=None).body == b"old"  # type: ignore[union-attr]
        store.put(result("https://a.example/x", b"new", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
        assert store.get("https://a.example/x", max_age=3600).body == b"new"  # type: ignore[union-attr]
        assert [e.size for e in store.list()] == [3, 3]


def test_set_text(tmp_path: Path) -> None:
    with Store(tmp_path / "ev.sqlite3") as store:
        store.put(result("https://a.example/x"))
        assert store.text("https://a.example/x") is None
        assert store.set_text("https://a.example/x", "café") == 1
        assert store.text("https://a.example/x") == "café"
        assert store.list()[0].has_text


def test_default_path_is_in_user_cache() -> None:
    p = default_store_path()
    assert p.name == "evidence.sqlite3" and "verifier" in str(p)


def test_fetch_many_uses_store(make_server, tmp_path: Path) -> None:
    srv = make_server()
    url = srv.url("/page?title=stored")
    with Store(tmp_path / "ev.sqlite3") as store:
        first = fetch(url, cfg(), store=store)
        assert first.error is None and not first.from_store
        assert srv.requests["/page"] == 1
        again = fetch(url, cfg(), store=store)
        assert again.from_store and again.sha256 == first.sha256 and again.location == url
        assert srv.requests["/page"] == 1  # served from the store
        fetch(url, cfg(refresh=True), store=store)
        assert srv.requests["/page"] == 2
        assert len(store.list()) == 2
        offline = fetch(url, cfg(offline=True, max_age=0), store=store)  # offline: any age
        assert offline.from_store and offline.error is None
        missing = srv.url("/page?title=never")
        r = fetch(missing, cfg(offline=True), store=store)
        assert r.error == f"offline mode: {missing} not in the evidence store"
        assert srv.requests["/page"] == 2
        stale = fetch(url, cfg(max_age=0), store=store)
        assert not stale.from_store and srv.requests["/page"] == 3


def test_warc_roundtrip(fixture_server: TestServer, tmp_path: Path) -> None:
    urls = [fixture_server.url("/redirect/2"), fixture_server.url("/charset/latin1")]
    with Store(tmp_path / "a.sqlite3") as a:
        fetched = fetch_many(urls, cfg(), store=a)
        assert all(r.error is None for r in fetched.values())
        assert a.export_warc(tmp_path / "ev.warc.gz") == 2
    with Store(tmp_path / "b.sqlite3") as b:
        assert b.import_warc(tmp_path / "ev.warc.gz") == 2
        for u in urls:
            got = b.get(u)
            assert got is not None
            assert got.sha256 == fetched[u].sha256 and got.body == fetched[u].body
            assert got.final_url == fetched[u].final_url
            assert got.fetched_at == fetched[u].fetched_at
        assert "Zürich" in b.get(urls[1]).text  # type: ignore[union-attr]


def test_store_survives_kill_mid_run(fixture_server: TestServer, tmp_path: Path) -> None:
    db = tmp_path / "ev.sqlite3"
    fast = [fixture_server.url(f"/page?title=k{i}") for i in range(3)]
    slow = fixture_server.url("/slow?delay=30")
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(REPO)!r})
        from verifier.fetch.client import FetchConfig, fetch_many
        from verifier.fetch.store import Store
        store = Store({str(db)!r})
        fetch_many({fast + [slow]!r}, FetchConfig(allow_private=True, read_timeout=60, total_timeout=60,
                                                  concurrency=8, per_host=8), store=store)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        count = 0
        while time.monotonic() < deadline:
            if db.exists():
                try:
                    count = sqlite3.connect(db).execute("SELECT count(*) FROM fetches").fetchone()[0]
                except sqlite3.OperationalError:
                    count = 0  # schema not created yet
            if count >= 3:
                break
            time.sleep(0.05)
        assert count >= 3, "child never stored the fast pages"
        assert proc.poll() is None, "child should still be waiting on the slow page"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with Store(db) as store:
        urls = {e.url for e in store.list()}
        assert urls == set(fast)
        for u in fast:
            assert store.get(u).sha256 is not None  # type: ignore[union-attr]


class _DictStore:
    """An evidence store in a dict: the EvidenceStore protocol and nothing else."""

    def __init__(self) -> None:
        self.rows: dict[str, FetchResult] = {}
        self.texts: dict[str, str] = {}

    def get(self, url: str, max_age: float | None = None) -> FetchResult | None:
        got = self.rows.get(url)
        return None if got is None else FetchResult(**{**got.__dict__, "from_store": True})

    def put(self, result: FetchResult, headers: dict[str, str] | None = None) -> int | None:
        self.rows[result.url or result.location] = result
        return len(self.rows)

    def set_text(self, url: str, text: str, sha256: str | None = None) -> int:
        self.texts[url] = text
        return 1


def test_fetching_and_the_pipeline_need_only_the_evidence_store_protocol(fixture_server: TestServer) -> None:
    from verifier.pipeline import Options, fetch_documents

    store = _DictStore()
    kept: EvidenceStore = store
    url = fixture_server.url("/page?title=Kept")
    doc = fetch_documents([url], Options(fetch=cfg(), store=kept))[url]
    assert doc.ok and doc.title == "Kept"
    assert url in store.rows and store.texts[url] == doc.text  # the body and the text it gave
    offline = fetch(url, cfg(offline=True), store=kept)
    assert offline.from_store and offline.text == store.rows[url].text
    again = fetch_documents([url], Options(fetch=cfg(offline=True), store=kept))[url]
    assert again.text == doc.text
    # a real Store satisfies the same protocol
    assert all(callable(getattr(Store, name, None)) for name in ("get", "put", "set_text"))
