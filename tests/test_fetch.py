"""Behaviour of verifier.fetch.client against the loopback test server (no real network)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import socket
import time
from pathlib import Path

from httpserver import LATIN1_TEXT, LATIN2_TEXT, UTF8_TEXT, TestServer

from verifier.fetch.client import DEFAULT_USER_AGENT, FetchConfig, fetch, fetch_many

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

# Small timeouts keep the failure-path tests fast.
FAST = FetchConfig(connect_timeout=1.0, read_timeout=0.5, total_timeout=3.0, retries=0, allow_private=True)


def cfg(**kw: object) -> FetchConfig:
    base = dict(FAST.__dict__)
    base.update(kw)
    return FetchConfig(**base)  # type: ignore[arg-type]


def test_ok_page_has_body_sha_and_timestamp(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/page?title=Hello"), FAST)
    assert r.error is None
    assert r.status == 200
    assert r.content_type == "text/html"
    assert r.encoding == "utf-8"
    assert "<title>Hello</title>" in r.text
    assert r.sha256 == hashlib.sha256(r.body).hexdigest()
    assert r.fetched_at and ISO_Z.match(r.fetched_at)
    assert r.url == r.final_url == fixture_server.url("/page?title=Hello")
    assert r.from_store is False


def test_serves_fixture_files_from_a_root(make_server, tmp_path: Path) -> None:
    (tmp_path / "outlet").mkdir()
    (tmp_path / "outlet" / "story.html").write_text("<p>Quoted words</p>", encoding="utf-8")
    srv = make_server(root=tmp_path)
    r = fetch(srv.url("/outlet/story.html"), FAST)
    assert r.error is None and "Quoted words" in r.text


def test_404_is_an_error_with_status(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/status/404"), FAST)
    assert r.status == 404
    assert r.error == "HTTP 404 Not Found"


def test_500_is_an_error(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/status/500"), FAST)
    assert r.error == "HTTP 500 Internal Server Error"


def test_redirect_chain_followed_and_final_url_set(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/redirect/3"), FAST)
    assert r.error is None
    assert r.url == fixture_server.url("/redirect/3")
    assert r.final_url == fixture_server.url("/page?title=Redirect+target")
    assert "Redirect target" in r.text


def test_redirect_chain_longer_than_max_fails(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/redirect/6"), cfg(max_redirects=5))
    assert r.error == "too many redirects (6)"


def test_redirect_loop_is_an_error(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/redirect-loop"), FAST)
    assert r.error == "too many redirects (6)"


def test_redirect_to_other_scheme_refused(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/redirect-to?url=ftp://example.com/x"), FAST)
    assert r.error is not None and r.error.startswith("unsupported scheme ftp")


def test_read_timeout(fixture_server: TestServer) -> None:
    t0 = time.monotonic()
    r = fetch(fixture_server.url("/slow?delay=2"), cfg(read_timeout=0.3))
    assert r.error == "timed out after 0.3s (read)"
    assert time.monotonic() - t0 < 1.5


def test_total_timeout_stops_a_drip_feed(fixture_server: TestServer) -> None:
    # Each byte arrives well within the read timeout, so only the total deadline can stop it.
    t0 = time.monotonic()
    r = fetch(fixture_server.url("/drip?bytes=1000&interval=0.05"), cfg(read_timeout=1.0, total_timeout=0.5))
    assert r.error == "timed out after 0.5s (total)"
    assert time.monotonic() - t0 < 1.5


def test_connection_refused() -> None:
    with socket.socket() as s:  # grab a free port, then close it so nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = fetch(f"http://127.0.0.1:{port}/", FAST)
    assert r.error == "connection refused"


def test_big_body_with_content_length(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/big?bytes=200000"), cfg(max_bytes=100_000))
    assert r.error == "body larger than 100000 bytes"
    assert r.body == b""


def test_big_body_without_content_length_is_cut_while_streaming(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/big?bytes=3000000&nolength=1"), cfg(max_bytes=100_000))
    assert r.error == "body larger than 100000 bytes"


def test_body_at_exactly_the_limit_is_fine(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/big?bytes=100000&nolength=1"), cfg(max_bytes=100_000))
    assert r.error is None and len(r.body) == 100_000


def test_gzip_bomb_stops_at_decoded_limit(fixture_server: TestServer) -> None:
    import tracemalloc

    from httpserver import gzip_bomb

    gzip_bomb(60)  # built before tracing: compressing 60 MB under tracemalloc outlasts the read timeout
    tracemalloc.start()
    try:
        r = fetch(fixture_server.url("/gzip-bomb?mb=60"), cfg(max_bytes=1_000_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.error == "body larger than 1000000 bytes"
    # Inflating one network chunk whole would allocate tens of MB; we never go far past the cap.
    assert peak < 20_000_000, peak


def test_gzip_body_is_decoded(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/gzip-bomb?mb=1"), cfg(max_bytes=2_000_000))
    assert r.error is None
    assert len(r.body) == 1 << 20 and r.body.strip() == b""


def test_charset_from_header(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/charset/latin1"), FAST)
    assert r.error is None
    assert LATIN1_TEXT in r.text
    assert r.encoding == "cp1252"  # WHATWG: latin-1 labels mean windows-1252


def test_charset_from_meta(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/charset/meta"), FAST)
    assert r.encoding == "iso8859-2"
    assert LATIN2_TEXT in r.text


def test_charset_missing_falls_back_to_utf8(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/charset/none"), FAST)
    assert r.encoding == "utf-8"
    assert UTF8_TEXT in r.text


def test_binary_is_unsupported_content_type(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/binary"), FAST)
    assert r.error == "unsupported content type image/png"
    r = fetch(fixture_server.url("/binary?type=application/octet-stream"), FAST)
    assert r.error == "unsupported content type application/octet-stream"


def test_json_and_xml_are_accepted(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/echo-headers"), FAST)
    assert r.error is None and r.content_type == "application/json"


def test_offline_makes_no_request(make_server) -> None:
    srv = make_server()
    url = srv.url("/page")
    r = fetch(url, cfg(offline=True))
    assert r.error == f"offline mode: {url} not fetched"
    assert srv.count() == 0


def test_unsupported_scheme() -> None:
    r = fetch("ftp://example.com/file.html", FAST)
    assert r.error == "unsupported scheme ftp"


def test_local_file(tmp_path: Path) -> None:
    p = tmp_path / "guardian.html"
    p.write_bytes("<p>\u201cQuote\u201d</p>".encode())
    r = fetch(str(p), FAST)
    assert r.error is None
    assert r.url is None and r.final_url is None and r.status is None
    assert r.text == "<p>\u201cQuote\u201d</p>"
    assert r.content_type == "text/html"
    assert r.sha256 == hashlib.sha256(p.read_bytes()).hexdigest()
    assert r.fetched_at and ISO_Z.match(r.fetched_at)


def test_local_file_url_and_offline(tmp_path: Path) -> None:
    p = tmp_path / "a b.txt"
    p.write_text("plain words", encoding="utf-8")
    r = fetch(p.as_uri(), cfg(offline=True))  # offline means no network; files still read
    assert r.error is None and r.text == "plain words"


def test_missing_file(tmp_path: Path) -> None:
    r = fetch(str(tmp_path / "nope.html"), FAST)
    assert r.error is not None and r.error.startswith("file not found")


def test_user_agent_names_verifier(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/echo-headers"), cfg(headers={"X-Extra": "1"}))
    headers = {k.lower(): v for k, v in json.loads(r.text).items()}
    assert headers["user-agent"] == DEFAULT_USER_AGENT
    assert headers["user-agent"].startswith("verifier/")
    assert headers["x-extra"] == "1"


def test_fetch_many_is_concurrent_and_ordered(fixture_server: TestServer) -> None:
    # 10 pages on one host, each answered after 300 ms; per_host must allow them in parallel.
    urls = [fixture_server.url(f"/delay/300/page?title=p{i}") for i in range(10)]
    config = cfg(concurrency=10, per_host=10, read_timeout=2.0)
    t0 = time.monotonic()
    results = fetch_many(urls, config)
    elapsed = time.monotonic() - t0
    assert list(results) == urls
    assert all(r.error is None for r in results.values())
    assert all(f"p{i}" in results[u].text for i, u in enumerate(urls))
    assert elapsed < 1.5, elapsed


def test_fetch_many_respects_per_host_limit(fixture_server: TestServer) -> None:
    urls = [fixture_server.url(f"/delay/200/page?title=h{i}") for i in range(4)]
    t0 = time.monotonic()
    fetch_many(urls, cfg(concurrency=8, per_host=1, read_timeout=2.0))
    assert time.monotonic() - t0 >= 0.75  # 4 x 200 ms serialised


def test_fetch_many_mixed_and_duplicates(fixture_server: TestServer, tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_text("x", encoding="utf-8")
    locs = [fixture_server.url("/status/404"), str(p), fixture_server.url("/page"), str(p)]
    results = fetch_many(locs, FAST)
    assert list(results) == [locs[0], locs[1], locs[2]]
    assert results[locs[0]].error == "HTTP 404 Not Found"
    assert results[locs[1]].text == "x"
    assert results[locs[2]].error is None


def test_fetch_many_callable_inside_running_loop(fixture_server: TestServer) -> None:
    async def inner() -> str | None:
        return fetch(fixture_server.url("/page"), FAST).error

    assert asyncio.run(inner()) is None


def test_never_raises_on_garbage() -> None:
    for loc in ["http://", "http://[::1", "", "https://exa mple.com/"]:
        r = fetch(loc, FAST)
        assert r.error, loc
