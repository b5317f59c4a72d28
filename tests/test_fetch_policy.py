"""Stage-2 fetch policy: retries, Retry-After, deadline, robots.txt, SSRF guard, cookies, headers."""

from __future__ import annotations

import ipaddress
import json
import logging
import time
import uuid
from pathlib import Path

import pytest
from httpserver import TestServer

from verifier.fetch.client import FetchConfig, fetch, fetch_many
from verifier.fetch.guards import AddressGuard, BlockedAddress, is_public
from verifier.fetch.messages import parse_retry_after


def cfg(**kw: object) -> FetchConfig:
    base: dict[str, object] = dict(
        connect_timeout=1.0, read_timeout=0.5, total_timeout=3.0, allow_private=True, backoff_base=0.01
    )
    base.update(kw)
    return FetchConfig(**base)  # type: ignore[arg-type]


def key() -> str:
    return uuid.uuid4().hex  # per-test counter key on the shared server


# ---- retries --------------------------------------------------------------------------------


def test_503_is_retried_then_succeeds(fixture_server: TestServer) -> None:
    k = key()
    r = fetch(fixture_server.url(f"/flaky?key={k}&times=1"), cfg(retries=2))
    assert r.error is None and "Recovered" in r.text
    assert fixture_server.requests["/flaky"] >= 2


def test_retries_exhausted_reports_last_error(make_server) -> None:
    srv = make_server()
    r = fetch(srv.url("/flaky?times=10"), cfg(retries=2))
    assert r.error == "HTTP 503 Service Unavailable"
    assert srv.requests["/flaky"] == 3  # first try + 2 retries


def test_404_is_not_retried(make_server) -> None:
    srv = make_server()
    r = fetch(srv.url("/status/404"), cfg(retries=3))
    assert r.error == "HTTP 404 Not Found"
    assert srv.requests["/status/404"] == 1


def test_timeout_is_retried(make_server) -> None:
    srv = make_server()
    r = fetch(srv.url("/slow?delay=1"), cfg(retries=1, read_timeout=0.2))
    assert r.error == "timed out after 0.2s (read)"
    assert srv.requests["/slow"] == 2


def test_retry_after_seconds_is_honoured(fixture_server: TestServer) -> None:
    t0 = time.monotonic()
    r = fetch(fixture_server.url(f"/retry-after?seconds=0.6&key={key()}"), cfg(retries=1))
    assert r.error is None
    assert time.monotonic() - t0 >= 0.55


def test_retry_after_http_date_is_honoured(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url(f"/retry-after?seconds=1&date=1&key={key()}"), cfg(retries=1))
    assert r.error is None and "Recovered" in r.text


def test_retry_after_beyond_cap_gives_up_at_once(make_server) -> None:
    srv = make_server()
    t0 = time.monotonic()
    r = fetch(srv.url("/retry-after?seconds=3600"), cfg(retries=3, retry_after_cap=5))
    assert r.status == 429
    assert r.error is not None and r.error.startswith("HTTP 429 Too Many Requests") and "exceeds cap" in r.error
    assert srv.requests["/retry-after"] == 1
    assert time.monotonic() - t0 < 1


def test_parse_retry_after() -> None:
    import email.utils

    assert parse_retry_after("5") == 5
    assert parse_retry_after("nonsense") is None
    soon = parse_retry_after(email.utils.formatdate(time.time() + 100, usegmt=True))
    assert soon is not None and 95 <= soon <= 101


# ---- deadline -------------------------------------------------------------------------------


def test_deadline_cuts_unfinished_sources(fixture_server: TestServer) -> None:
    fast, slow = fixture_server.url("/page?title=fast"), fixture_server.url("/slow?delay=5")
    t0 = time.monotonic()
    results = fetch_many([fast, slow], cfg(read_timeout=10, total_timeout=10, deadline=0.5))
    assert time.monotonic() - t0 < 1.5
    assert results[fast].error is None
    assert results[slow].error == "deadline reached after 0.5s"


# ---- robots.txt -----------------------------------------------------------------------------


def test_robots_disallow_blocks_and_ignore_robots_overrides(make_server) -> None:
    srv = make_server(robots_txt="User-agent: *\nDisallow: /status/\n")
    r = fetch(srv.url("/status/200"), cfg())
    assert r.error is not None and r.error.startswith("blocked by robots.txt")
    assert srv.requests["/status/200"] == 0
    assert fetch(srv.url("/page"), cfg()).error is None
    assert fetch(srv.url("/status/200"), cfg(ignore_robots=True)).error is None


def test_robots_group_for_verifier_agent(make_server) -> None:
    srv = make_server(robots_txt="User-agent: verifier\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    assert fetch(srv.url("/page"), cfg()).error.startswith("blocked by robots.txt")  # type: ignore[union-attr]


def test_robots_fetched_once_per_host(make_server) -> None:
    srv = make_server(robots_txt="User-agent: *\nAllow: /\n")
    fetch_many([srv.url(f"/page?title={i}") for i in range(5)], cfg())
    assert srv.requests["/robots.txt"] == 1


def test_robots_5xx_means_disallow_all(make_server) -> None:
    srv = make_server()
    srv.route("/robots.txt", lambda h: h.reply(503, "down", "text/plain"))
    r = fetch(srv.url("/page"), cfg(retries=0))
    assert r.error is not None and "robots.txt unavailable (HTTP 503)" in r.error


def test_robots_404_means_allow_all(make_server, tmp_path: Path) -> None:
    srv = make_server(root=tmp_path)  # no robots.txt file there
    assert fetch(srv.url("/page"), cfg()).error is None


def test_crawl_delay_spaces_requests(make_server) -> None:
    srv = make_server(robots_txt="User-agent: *\nCrawl-delay: 0.3\n")
    t0 = time.monotonic()
    results = fetch_many([srv.url(f"/page?title={i}") for i in range(3)], cfg(per_host=3))
    assert all(r.error is None for r in results.values())
    assert time.monotonic() - t0 >= 0.55  # 3 page requests, >= 0.3 s apart


# ---- SSRF guard -----------------------------------------------------------------------------


def test_private_address_refused_by_default(make_server) -> None:
    srv = make_server()
    assert FetchConfig().allow_private is False
    r = fetch(srv.url("/page"), FetchConfig(retries=0))
    assert r.error is not None and r.error.startswith("refusing to fetch 127.0.0.1")
    assert srv.count() == 0


def _pretend_public(*public: str) -> AddressGuard:
    """A guard for which the given loopback addresses count as public and every name resolves
    to 127.0.0.1: the tests then exercise the guard's decisions with traffic to 127.0.0.1 only."""

    async def resolver(host: str, port: int) -> list:
        try:
            return [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            return [ipaddress.ip_address("127.0.0.1")]

    return AddressGuard(resolver=resolver, permit=lambda ip: str(ip) in public or is_public(ip))


def test_redirect_to_private_address_refused(make_server) -> None:
    # 127.0.0.1 counts as public here, so the first hop passes; the redirect to 127.0.0.2 (where
    # nothing listens) must be refused by the guard before any connection is made.
    srv = make_server()
    start = f"http://news.example:{srv.port}/redirect-to?url=http://127.0.0.2:{srv.port}/page"
    r = fetch(start, FetchConfig(retries=0, ignore_robots=True, guard=_pretend_public("127.0.0.1")))
    assert r.error is not None and r.error.startswith("refusing to fetch 127.0.0.2"), r.error
    assert "--allow-private" in r.error
    assert srv.requests["/redirect-to"] == 1


@pytest.mark.parametrize(
    "addr,public",
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("224.0.0.1", False),
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        # every IPv6 form that embeds an IPv4 address is judged by the IPv4 address inside
        ("::127.0.0.1", False),  # IPv4-compatible (deprecated): never public
        ("::169.254.169.254", False),
        ("::8.8.8.8", False),
        ("::ffff:169.254.169.254", False),  # IPv4-mapped
        ("::ffff:8.8.8.8", True),
        ("::ffff:0:127.0.0.1", False),  # IPv4-translated (SIIT)
        ("::ffff:0:8.8.8.8", True),
        ("64:ff9b::127.0.0.1", False),  # NAT64 well-known prefix
        ("64:ff9b::10.0.0.1", False),
        ("64:ff9b::8.8.8.8", True),
        ("64:ff9b:1::8.8.8.8", False),  # NAT64 local-use prefix: never global
        ("2002:7f00:1::1", False),  # 6to4 around 127.0.0.1
        ("2002:a9fe:a9fe::1", False),  # 6to4 around 169.254.169.254
        ("2002:0808:0808::1", True),  # 6to4 around 8.8.8.8
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo
        ("fec0::1", False),  # site-local
        ("fe80::1%eth0", False),
        ("ff02::1", False),
        ("0.0.0.0", False),
        ("255.255.255.255", False),
        ("198.18.0.1", False),
    ],
)
def test_is_public(addr: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(addr)) is public


@pytest.mark.parametrize("host", ["[::127.0.0.1]", "[::ffff:7f00:1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::]",
                                  "2130706433", "0x7f.1", "127.1", "localhost", "[fec0::1]"])
def test_embedded_and_odd_forms_of_loopback_are_refused_before_connecting(make_server, host: str) -> None:
    srv = make_server()
    r = fetch(f"http://{host}:{srv.port}/page", FetchConfig(retries=0, ignore_robots=True))
    assert r.error is not None and r.error.startswith("refusing to fetch"), r.error
    assert srv.count() == 0


def test_guard_resolves_once_and_connects_to_the_checked_address(make_server) -> None:
    # A rebinding DNS: the first answer is the (pretend-public) server, any later one points at
    # 127.0.0.2. The guard must resolve once per connection and connect to what it checked.
    srv = make_server()
    answers: list[str] = []

    async def rebinding(host: str, port: int) -> list:
        answers.append(host)
        return [ipaddress.ip_address("127.0.0.1" if len(answers) == 1 else "127.0.0.2")]

    guard = AddressGuard(resolver=rebinding, permit=lambda ip: str(ip) == "127.0.0.1")
    r = fetch(f"http://rebind.example:{srv.port}/echo-headers", FetchConfig(retries=0, ignore_robots=True, guard=guard))
    assert r.error is None, r.error
    assert answers == ["rebind.example"]
    assert json.loads(r.text)["Host"] == f"rebind.example:{srv.port}"  # the original Host header


def test_guard_blocks_when_any_address_is_private() -> None:
    import asyncio

    async def mixed(host: str, port: int) -> list:
        return [ipaddress.ip_address("8.8.8.8"), ipaddress.ip_address("10.0.0.1")]

    with pytest.raises(BlockedAddress, match="10.0.0.1"):
        asyncio.run(AddressGuard(resolver=mixed).addresses("mixed.example", 80))


def test_check_host_blocks_literal() -> None:
    import asyncio

    from verifier.fetch.guards import check_host

    with pytest.raises(BlockedAddress):
        asyncio.run(check_host("169.254.169.254", 80))


# ---- cookies and headers ----------------------------------------------------------------------


def test_cookies_file_sent_and_value_never_logged(
    fixture_server: TestServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    jar = tmp_path / "cookies.txt"
    jar.write_text("# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\ts3cr3tvalue\n")
    with caplog.at_level(logging.DEBUG):
        r = fetch(fixture_server.url("/echo-headers"), cfg(cookies_file=str(jar)))
    headers = {k.lower(): v for k, v in json.loads(r.text).items()}
    assert "session=s3cr3tvalue" in headers.get("cookie", "")
    assert "s3cr3tvalue" not in caplog.text


def test_bad_cookies_file_is_an_error(fixture_server: TestServer, tmp_path: Path) -> None:
    r = fetch(fixture_server.url("/page"), cfg(cookies_file=str(tmp_path / "missing.txt")))
    assert r.error is not None and r.error.startswith("cannot load cookies file")


def test_host_headers_only_for_that_host(fixture_server: TestServer) -> None:
    r = fetch(fixture_server.url("/echo-headers"), cfg(host_headers={"127.0.0.1": {"X-Token": "t1"}}))
    assert json.loads(r.text).get("X-Token") == "t1"
    r = fetch(fixture_server.url("/echo-headers"), cfg(host_headers={"example.com": {"X-Token": "t1"}}))
    assert "X-Token" not in json.loads(r.text)


def test_user_file_per_outlet_headers_and_cookies_reach_that_host_only(
    fixture_server: TestServer, tmp_path: Path
) -> None:
    """`[fetch.outlets."HOST"]` in the user config file, through the settings loader to the wire."""
    from verifier.cli.options import NetOptions
    from verifier.pipeline import Options

    general = tmp_path / "all.txt"
    general.write_text("# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tgeneral\tg1\n")
    outlet = tmp_path / "outlet.txt"
    outlet.write_text("# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsubscriber\ts1\n"
                      "example.com\tFALSE\t/\tFALSE\t0\tother\to1\n")
    conf = tmp_path / "config.toml"
    conf.write_text(f'[fetch]\ncookies_file = "{general}"\n'
                    f'[fetch.outlets."127.0.0.1"]\nheaders = {{ X-Subscriber = "yes" }}\ncookies_file = "{outlet}"\n'
                    '[fetch.outlets."example.com"]\nheaders = { X-Elsewhere = "no" }\n', encoding="utf-8")
    net = NetOptions(config=str(conf), no_store=True, progress=False)
    try:
        c = net.apply(Options()).fetch
        c.allow_private, c.backoff_base = True, 0.01
        r = fetch(fixture_server.url("/echo-headers"), c)
    finally:
        net.close()
    headers = {k.lower(): v for k, v in json.loads(r.text).items()}
    assert headers["x-subscriber"] == "yes" and "x-elsewhere" not in headers
    cookie = headers.get("cookie", "")
    assert "general=g1" in cookie and "subscriber=s1" in cookie and "other=o1" not in cookie
