"""The transport seam: `fetch`/`fetch_many` take an httpx transport. The default one carries the
SSRF guard and DNS pinning; a replay (`verifier.sources.discover.replay`) is an in-process
transport, and the client's own rules (robots.txt, size and type limits, timeouts, the store)
apply to what it answers exactly as to the network."""

from __future__ import annotations

from pathlib import Path

from verifier.fetch.client import FetchConfig, fetch, fetch_many
from verifier.fetch.store import Store
from verifier.sources.discover.replay import ProviderReplay

PAGE = "https://www.theguardian.com/politics/2025/feb/20/a-story"
HTML = "<html><head><title>A story</title></head><body><article><p>Ministers met.</p></article></body></html>"


def _replay(**kw: object) -> ProviderReplay:
    rp = ProviderReplay()
    rp.add(PAGE, body=HTML, content_type="text/html", **kw)  # type: ignore[arg-type]
    return rp


def test_replayed_page_keeps_its_url_and_passes_robots_with_the_guard_on() -> None:
    rp = _replay()
    r = fetch(PAGE, FetchConfig(retries=0), transport=rp.transport)  # allow_private off, robots on
    assert r.error is None and r.status == 200 and "Ministers met." in r.text
    assert (r.url, r.final_url) == (PAGE, PAGE)
    assert rp.requests == ["https://www.theguardian.com/robots.txt", PAGE]  # robots.txt asked first


def test_robots_txt_from_the_replay_is_obeyed() -> None:
    rp = _replay()
    rp.add("https://www.theguardian.com/robots.txt", body="User-agent: *\nDisallow: /politics/\n")
    r = fetch(PAGE, FetchConfig(retries=0), transport=rp.transport)
    assert r.error is not None and r.error.startswith("blocked by robots.txt"), r.error
    assert PAGE not in rp.requests


def test_limits_apply_to_replayed_answers() -> None:
    rp = _replay()
    rp.add("https://example.org/big", body="x" * 5000, content_type="text/plain")
    rp.add("https://example.org/pic", body=b"\x89PNG\r\n", content_type="image/png")
    cfg = FetchConfig(retries=0, max_bytes=1000, ignore_robots=True)
    got = fetch_many(["https://example.org/big", "https://example.org/pic", "https://example.org/none"],
                     cfg, transport=rp.transport)
    assert got["https://example.org/big"].error == "body larger than 1000 bytes"
    assert got["https://example.org/pic"].error == "unsupported content type image/png"
    assert got["https://example.org/none"].error == "HTTP 404 Not Found"


def test_a_slow_answer_is_a_read_timeout() -> None:
    rp = _replay(delay=3.0)
    r = fetch(PAGE, FetchConfig(retries=0, read_timeout=0.2, ignore_robots=True), transport=rp.transport)
    assert r.error == "timed out after 0.2s (read)"


def test_the_store_works_with_any_transport_and_the_transport_outlives_a_run(tmp_path: Path) -> None:
    rp = _replay()
    with Store(tmp_path / "ev.sqlite3") as store:
        first = fetch(PAGE, FetchConfig(retries=0, ignore_robots=True), store=store, transport=rp.transport)
        assert first.error is None and not first.from_store
        again = fetch(PAGE, FetchConfig(retries=0, ignore_robots=True, refresh=True), store=store,
                      transport=rp.transport)  # the same transport, a second run: still usable
        assert again.error is None and not again.from_store
        kept = fetch(PAGE, FetchConfig(offline=True), store=store)
        assert kept.from_store and kept.text == first.text
    assert rp.requests == [PAGE, PAGE]


def test_the_default_transport_still_refuses_loopback(fixture_server) -> None:
    # no transport given: the guarded default, which refuses private addresses unless allowed
    r = fetch(fixture_server.url("/page"), FetchConfig(retries=0))
    assert (r.error or "").startswith("refusing to fetch 127.0.0.1: it resolves to non-public address"), r.error
