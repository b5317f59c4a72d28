"""CLI fetch/store options, `verifier sources`, offline replay from the store and from WARC.

Every test runs the real CLI (typer CliRunner in-process, or a subprocess) against real
loopback servers, and always passes --store under tmp_path.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import FIXTURES_DIR, REPO_ROOT, TestServer
from typer.testing import CliRunner

from verifier.cli.app import app
from verifier.fetch.store import Store

FOUNDING = FIXTURES_DIR / "founding"
ARTICLE = str(FOUNDING / "article.txt")
ORIGINALS = {"Guardian": "guardian.html", "Times": "times.html", "Financial Times": "ft.html"}

runner = CliRunner()


def cli(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args))
    return r.exit_code, r.stdout, r.stderr


def founding_sources(base: str) -> list[str]:
    out = []
    for name, file in ORIGINALS.items():
        out += ["--source", f"{name}={base}/founding/{file}"]
    return out


def comparable(report_json: str) -> dict:
    """The report minus what source *discovery* adds: discovery (a separate stage that searches
    GDELT/Wayback/... for uncited originals) runs online only, by design, so an attribution with
    no source gets a different explanation offline. Everything about fetched sources must match."""
    report = json.loads(report_json)
    for f in report["findings"]:
        tried = f.pop("providers_tried", None)
        if tried or "discovery" in f["explanation"]:
            f.pop("explanation")
    return report


def run_subprocess(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "verifier", *args],
        capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120,
    )


# ---- the "done when": online run, then --offline from the store ---------------------------------


def test_founding_offline_after_online_gives_identical_findings(make_server, tmp_path: Path) -> None:
    srv: TestServer = make_server(root=FIXTURES_DIR)
    store = str(tmp_path / "x.sqlite")
    # --no-discover: the uncited attributions would send discovery to the real providers
    args = ["article", ARTICLE, *founding_sources(srv.base), "--store", store, "--format", "json", "--no-discover"]

    online = run_subprocess(*args, "--allow-private")
    assert online.returncode == 0, online.stderr
    assert srv.count("/founding/") == 3
    assert online.stderr == ""  # not a terminal: no progress display

    offline = run_subprocess(*args, "--offline")
    assert offline.returncode == 0, offline.stderr
    assert srv.count("/founding/") == 3  # nothing fetched again

    assert comparable(offline.stdout) == comparable(online.stdout)
    report = json.loads(online.stdout)
    verdicts = [f["verdict"] for f in report["findings"]]
    assert verdicts.count("confirmed") >= 3
    evidence = [f["evidence"] for f in report["findings"] if f["evidence"]]
    assert evidence
    for ev in evidence:
        file = ev["url"].rsplit("/", 1)[1]
        assert ev["sha256"] == hashlib.sha256((FOUNDING / file).read_bytes()).hexdigest()
        assert ev["fetched_at"] and ev["fetched_at"].endswith("Z")


def test_export_import_then_offline_gives_same_findings(make_server, tmp_path: Path) -> None:
    srv: TestServer = make_server(root=FIXTURES_DIR)
    first, second = str(tmp_path / "first.sqlite"), str(tmp_path / "second.sqlite")
    args = ["article", ARTICLE, *founding_sources(srv.base), "--format", "json", "--no-discover"]
    code, online, err = cli(*args, "--allow-private", "--store", first)
    assert code == 0, err

    warc = str(tmp_path / "evidence.warc.gz")
    code, out, err = cli("sources", "export", "--warc", warc, "--store", first)
    assert code == 0, err
    assert "exported 3 records" in out
    code, out, err = cli("sources", "import", warc, "--store", second)
    assert code == 0, err
    assert "imported 3 records" in out

    srv.stop()  # the server is gone: only the imported store can answer
    code, offline, err = cli(*args, "--offline", "--store", second)
    assert code == 0, err
    assert comparable(offline) == comparable(online)


def test_bundled_founding_warc_replays_offline(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO_ROOT / "bench"))
    from make_founding_warc import FETCHED_AT, sources

    store = str(tmp_path / "demo.sqlite")
    code, out, err = cli("sources", "import", str(FOUNDING / "founding.warc.gz"), "--store", store)
    assert code == 0, err
    assert "imported 3 records" in out

    canonical = sources()
    assert canonical["Guardian"].startswith("https://www.theguardian.com/world/2025/feb/20/")
    args = ["article", ARTICLE, "--offline", "--format", "json"]
    code, from_warc, err = cli(*args, "--store", store,
                               *[a for n, u in canonical.items() for a in ("--source", f"{n}={u}")])
    assert code == 0, err
    code, from_files, err = cli(*args, "--no-store",
                                *[a for n, f in ORIGINALS.items() for a in ("--source", f"{n}={FOUNDING / f}")])
    assert code == 0, err

    warc_findings = json.loads(from_warc)["findings"]
    file_findings = json.loads(from_files)["findings"]
    assert [(f["id"], f["verdict"], f["reason"]) for f in warc_findings] == [
        (f["id"], f["verdict"], f["reason"]) for f in file_findings
    ]
    for f in warc_findings:
        if f["evidence"]:
            assert f["evidence"]["url"] in canonical.values()
            assert f["evidence"]["fetched_at"] == FETCHED_AT
            name = next(n for n, u in canonical.items() if u == f["evidence"]["url"])
            assert f["evidence"]["sha256"] == hashlib.sha256((FOUNDING / ORIGINALS[name]).read_bytes()).hexdigest()
            assert f["evidence"]["outlet"]  # outlet comes from the canonical domain


# ---- store reuse ---------------------------------------------------------------------------------


def test_store_reuse_max_age_refresh_and_no_store(make_server, tmp_path: Path) -> None:
    srv: TestServer = make_server(root=FIXTURES_DIR)
    url = srv.url("/founding/ft.html")
    store = tmp_path / "s.sqlite"
    base = ["fetch", url, "--allow-private", "--format", "json"]

    code, out1, err = cli(*base, "--store", str(store))
    assert code == 0, err
    assert srv.count("/founding/ft.html") == 1
    code, out2, _ = cli(*base, "--store", str(store))  # fresh copy in the store: no request
    assert srv.count("/founding/ft.html") == 1
    assert json.loads(out2)["fetched_at"] == json.loads(out1)["fetched_at"]
    assert json.loads(out2)["sha256"] == json.loads(out1)["sha256"]

    cli(*base, "--store", str(store), "--max-age", "0")  # too old for max-age 0: fetched again
    assert srv.count("/founding/ft.html") == 2
    cli(*base, "--store", str(store), "--refresh")
    assert srv.count("/founding/ft.html") == 3
    assert len(Store(store).list()) == 3

    other = tmp_path / "other.sqlite"
    cli(*base, "--store", str(other), "--no-store")
    assert srv.count("/founding/ft.html") == 4
    assert not other.exists()


def test_store_keeps_extracted_text_and_sources_show(make_server, tmp_path: Path) -> None:
    srv: TestServer = make_server(root=FIXTURES_DIR)
    url = srv.url("/founding/guardian.html")
    store = str(tmp_path / "s.sqlite")
    code, out, err = cli("fetch", url, "--allow-private", "--store", store, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    with Store(store) as s:
        assert s.text(url) == doc["text"]
        [entry] = s.list()
        assert entry.has_text

    code, out, err = cli("sources", "show", url, "--store", store, "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["sha256"] == doc["sha256"] and shown["fetched_at"] == doc["fetched_at"]
    assert shown["status"] == 200 and shown["headers"]["content-type"].startswith("text/html")
    assert shown["text"] == doc["text"]

    code, out, err = cli("sources", "show", url, "--store", store)
    assert code == 0, err
    assert doc["sha256"] in out and "reassurance force" in out

    code, out, err = cli("sources", "list", "--store", store, "--json")
    assert code == 0, err
    [row] = json.loads(out)
    assert row["url"] == url and row["has_text"] is True

    code, out, err = cli("sources", "list", "--store", store)
    assert code == 0 and "200" in out

    code, _, err = cli("sources", "show", srv.url("/nope"), "--store", store)
    assert code == 2 and "not in the evidence store" in err


def test_sources_errors_are_one_line(tmp_path: Path) -> None:
    missing = str(tmp_path / "none.sqlite")
    for args in (["list"], ["show", "https://example.org/"], ["export", "--warc", str(tmp_path / "x.warc.gz")]):
        code, _, err = cli("sources", *args, "--store", missing)
        assert code == 2, args
        assert err.startswith("verifier: error: no evidence store") and "Traceback" not in err
    assert not Path(missing).exists()  # browsing never creates a store

    code, _, err = cli("sources", "import", str(tmp_path / "nope.warc.gz"), "--store", missing)
    assert code == 2 and "no such file" in err
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"this is not a warc")
    code, _, err = cli("sources", "import", str(junk), "--store", missing)
    assert code == 2 and ("cannot read WARC" in err or "no HTTP response records" in err)


def test_offline_url_missing_from_store_is_source_unavailable(tmp_path: Path) -> None:
    code, out, err = cli("claim", '"We will not resign"', "--source", "https://www.ft.com/content/never-fetched",
                         "--offline", "--store", str(tmp_path / "s.sqlite"), "--format", "json")
    assert code == 0, err
    [finding] = json.loads(out)["findings"]
    assert (finding["verdict"], finding["reason"]) == ("unverified", "source_unavailable")
    assert "not in the evidence store" in finding["explanation"]


def test_local_files_only_never_create_the_store(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    code, _, err = cli("claim", "Britain and France are drawing up plans", "--source",
                       str(FOUNDING / "guardian.html"), "--store", str(store), "--format", "json")
    assert code == 0, err
    assert not store.exists()


def test_default_store_is_in_the_user_cache_dir(make_server, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("VERIFIER_STORE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    srv: TestServer = make_server(root=FIXTURES_DIR)
    code, _, err = cli("fetch", srv.url("/founding/ft.html"), "--allow-private")
    assert code == 0, err
    with Store(tmp_path / "cache" / "verifier" / "evidence.sqlite3") as s:
        assert [e.url for e in s.list()] == [srv.url("/founding/ft.html")]


def test_store_from_environment(make_server, tmp_path: Path, monkeypatch) -> None:
    store = tmp_path / "env.sqlite"
    monkeypatch.setenv("VERIFIER_STORE", str(store))
    srv: TestServer = make_server(root=FIXTURES_DIR)
    code, _, err = cli("fetch", srv.url("/founding/ft.html"), "--allow-private")
    assert code == 0, err
    code, out, err = cli("sources", "list", "--json")
    assert code == 0, err
    assert len(json.loads(out)) == 1


# ---- request options -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def echo_server() -> Iterator[TestServer]:
    """/echo serves the request headers as JSON in a text/plain page (a type the extract stage reads)."""

    def echo(h) -> None:
        h.reply(200, json.dumps(dict(h.headers.items())), "text/plain; charset=utf-8")

    with TestServer() as srv:
        srv.route("/echo", echo)
        yield srv


def echoed(*args: str) -> dict[str, str]:
    code, out, err = cli("fetch", *args, "--allow-private", "--no-store", "--format", "json")
    assert code == 0, err
    return {k.lower(): v for k, v in json.loads(json.loads(out)["text"]).items()}


def test_headers_user_agent_and_host_scoped_headers(echo_server: TestServer, monkeypatch) -> None:
    url = echo_server.url("/echo")
    h = echoed(url, "--header", "X-Desk: politics", "-H", "127.0.0.1=X-Token: t1",
               "--header", "ft.com=X-Other: no", "--user-agent", "DeskBot/1.0 (+https://example.org)")
    assert h["x-desk"] == "politics"
    assert h["x-token"] == "t1"
    assert "x-other" not in h
    assert h["user-agent"] == "DeskBot/1.0 (+https://example.org)"

    default = echoed(url)
    assert default["user-agent"].startswith("verifier/") and "https://" in default["user-agent"]

    monkeypatch.setenv("VERIFIER_USER_AGENT", "EnvBot/2")
    monkeypatch.setenv("VERIFIER_HEADERS", "X-From-Env: 1\n127.0.0.1=X-Env-Host: 2")
    h = echoed(url)
    assert h["user-agent"] == "EnvBot/2" and h["x-from-env"] == "1" and h["x-env-host"] == "2"
    assert echoed(url, "--user-agent", "FlagBot/3")["user-agent"] == "FlagBot/3"  # flag beats env


def test_bad_header_is_an_input_error_without_echoing_the_value(fixture_server: TestServer) -> None:
    code, _, err = cli("fetch", fixture_server.url("/page"), "--allow-private", "--no-store",
                       "--header", "Authorization Bearer s3cr3t")
    assert code == 2 and "--header" in err
    assert "s3cr3t" not in err


def test_config_file_headers_and_precedence(echo_server: TestServer, tmp_path: Path, monkeypatch) -> None:
    conf = tmp_path / "config.toml"
    conf.write_text(
        '[fetch]\nuser_agent = "ConfBot/1"\n'
        '[fetch.headers]\n"Accept-Language" = "en-GB"\n'
        '[fetch.host_headers."127.0.0.1"]\nX-Subscriber = "yes"\n'
        '[fetch.host_headers."ft.com"]\nX-Ft = "no"\n'
    )
    url = echo_server.url("/echo")
    h = echoed(url, "--config", str(conf))
    assert h["user-agent"] == "ConfBot/1" and h["accept-language"] == "en-GB" and h["x-subscriber"] == "yes"
    assert "x-ft" not in h
    monkeypatch.setenv("VERIFIER_CONFIG", str(conf))
    assert echoed(url)["user-agent"] == "ConfBot/1"
    monkeypatch.setenv("VERIFIER_USER_AGENT", "EnvBot/2")
    assert echoed(url)["user-agent"] == "EnvBot/2"  # env beats config file

    code, _, err = cli("fetch", url, "--no-store", "--config", str(tmp_path / "missing.toml"))
    assert code == 2 and "config file not found" in err


def test_cookies_file(echo_server: TestServer, tmp_path: Path) -> None:
    jar = tmp_path / "cookies.txt"
    jar.write_text("# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\ts3cr3tvalue\n")
    h = echoed(echo_server.url("/echo"), "--cookies", str(jar))
    assert "session=s3cr3tvalue" in h.get("cookie", "")

    code, _, err = cli("fetch", echo_server.url("/page"), "--no-store", "--cookies", str(tmp_path / "none.txt"))
    assert code == 2 and "cookies file not found" in err
    bad = tmp_path / "bad.txt"
    bad.write_text("session=s3cr3tvalue\n")
    code, _, err = cli("fetch", echo_server.url("/page"), "--no-store", "--cookies", str(bad))
    assert code == 2 and "not a Netscape cookies.txt" in err and "s3cr3t" not in err


def test_ignore_robots(make_server) -> None:
    srv: TestServer = make_server(robots_txt="User-agent: *\nDisallow: /\n")
    url = srv.url("/page?title=Robots")
    code, out, _ = cli("fetch", url, "--allow-private", "--no-store", "--format", "json")
    assert code == 2 and "robots.txt" in json.loads(out)["error"]
    code, out, err = cli("fetch", url, "--allow-private", "--no-store", "--ignore-robots", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["error"] is None


def test_private_addresses_refused_without_allow_private(fixture_server: TestServer) -> None:
    code, out, _ = cli("fetch", fixture_server.url("/page"), "--no-store", "--format", "json")
    assert code == 2 and json.loads(out)["error"].startswith("refusing to fetch 127.0.0.1")


def test_deadline_makes_slow_sources_unverified(fixture_server: TestServer, tmp_path: Path) -> None:
    start = time.monotonic()
    code, out, err = cli("claim", '"We will not resign"', "--source", fixture_server.url("/slow?delay=3"),
                         "--allow-private", "--store", str(tmp_path / "s.sqlite"), "--deadline", "0.5",
                         "--format", "json")
    elapsed = time.monotonic() - start
    assert code == 0, err
    [finding] = json.loads(out)["findings"]
    assert (finding["verdict"], finding["reason"]) == ("unverified", "source_unavailable")
    assert "deadline" in finding["explanation"]
    assert elapsed < 2.5


@pytest.mark.parametrize("value", ["-1", "soon", "0"])
def test_bad_deadline(value: str, fixture_server: TestServer) -> None:
    code, _, err = cli("fetch", fixture_server.url("/page"), "--no-store", "--deadline", value)
    assert code == 2 and "--deadline" in err


# ---- evidence of store-served results (library level) -------------------------------------------


def test_store_served_documents_keep_fetched_at_and_sha256(make_server, tmp_path: Path) -> None:
    from verifier.fetch.client import FetchConfig
    from verifier.pipeline import Options, verify_article

    srv: TestServer = make_server(root=FIXTURES_DIR)
    sources = {name: f"{srv.base}/founding/{file}" for name, file in ORIGINALS.items()}
    text = (FOUNDING / "article.txt").read_text(encoding="utf-8")
    with Store(tmp_path / "s.sqlite") as store:
        online = verify_article(text, sources=sources,
                                options=Options(fetch=FetchConfig(allow_private=True), store=store))
        offline = verify_article(text, sources=sources,
                                 options=Options(offline=True, store=store))
    assert srv.count("/founding/") == 3
    pairs = [(a.evidence, b.evidence) for a, b in zip(online.findings, offline.findings, strict=True) if a.evidence]
    assert len(pairs) >= 3
    for a, b in pairs:
        assert b is not None and a.sha256 and a.fetched_at
        assert (b.sha256, b.fetched_at, b.passage) == (a.sha256, a.fetched_at, a.passage)
    assert all(d.fetched_at and d.sha256 for d in offline.sources)


# ---- progress display ----------------------------------------------------------------------------


def test_fetch_many_reports_progress(fixture_server: TestServer) -> None:
    from verifier.fetch.client import FetchConfig, fetch_many

    calls: list[tuple[int, int, str | None, bool]] = []
    urls = [fixture_server.url(f"/page?title=p{i}") for i in range(3)]
    fetch_many(urls + urls[:1], FetchConfig(allow_private=True, per_host=3),
               progress=lambda d, t, loc, r: calls.append((d, t, loc, r is None)))
    assert calls[0] == (0, 3, None, True)
    assert [c[0] for c in calls[1:]] == [1, 2, 3]
    assert {c[2] for c in calls[1:]} == set(urls) and all(c[1] == 3 for c in calls)


def test_stderr_progress_draws_only_on_a_terminal() -> None:
    import io

    from rich.console import Console

    from verifier.cli.options import StderrProgress
    from verifier.models import FetchResult

    def drive(console: Console, total: int) -> str:
        p = StderrProgress(console)
        p(0, total, None, None)
        for i in range(total):
            p(i + 1, total, f"https://example.org/{i}", FetchResult(location=f"https://example.org/{i}"))
        return console.file.getvalue()  # type: ignore[attr-defined]

    assert "fetching sources" in drive(Console(file=io.StringIO(), force_terminal=True, width=100), 3)
    assert drive(Console(file=io.StringIO(), force_terminal=False), 3) == ""
    assert drive(Console(file=io.StringIO(), force_terminal=True, width=100), 1) == ""  # one source: silent


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_cli_progress_on_a_real_terminal(make_server, tmp_path: Path) -> None:
    import pty

    srv: TestServer = make_server(root=FIXTURES_DIR)
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "TERM": "xterm", "COLUMNS": "120"}
    env.pop("NO_COLOR", None)
    sources = [a for n, f in ORIGINALS.items() for a in ("--source", f"{n}={srv.base}/delay/400/founding/{f}")]
    proc = subprocess.run(
        [sys.executable, "-m", "verifier", "article", ARTICLE, *sources, "--allow-private",
         "--store", str(tmp_path / "s.sqlite"), "--format", "json", "--no-discover"],
        stdout=subprocess.PIPE, stderr=slave, env=env, cwd=REPO_ROOT, timeout=60,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.returncode == 0
    assert b"fetching sources" in b"".join(chunks)
    assert json.loads(proc.stdout)["findings"]  # stdout stays clean JSON
