"""Each provider's answers and error paths, the rate limiter, query building and the CLI."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verifier.cli.app import app
from verifier.fetch.client import FetchConfig
from verifier.models import ArticleText, Attribution
from verifier.pipeline import Options
from verifier.registry import default_registry
from verifier.sources.discover import DiscoveryConfig, ProviderError, Query, build_query, make_context
from verifier.sources.discover.gdelt import GdeltProvider, gdelt_query
from verifier.sources.discover.guardian import GuardianProvider
from verifier.sources.discover.http import LIMITER, RateLimiter
from verifier.sources.discover.query import article_date, parse_datetime
from verifier.sources.discover.replay import ProviderReplay
from verifier.sources.discover.sitemap import SitemapProvider, parse_sitemap
from verifier.sources.discover.wayback import closest_snapshot

ROOT = Path(__file__).resolve().parent.parent
D = ROOT / "fixtures/discovery"
GSEARCH = "https://content.guardianapis.com/search"
GDELT = "https://api.gdeltproject.org/api/v2/doc/doc"
REG = default_registry()


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    LIMITER.reset()
    for p in ("GUARDIAN_API", "GDELT", "WAYBACK", "SITEMAP"):
        monkeypatch.setenv(f"VERIFIER_{p}_INTERVAL", "0")


def _ctx(rp, **cfg):
    opts = rp.apply(Options(fetch=FetchConfig(retries=0, read_timeout=2, total_timeout=5),
                            discovery=DiscoveryConfig(**cfg)))
    return make_context(opts)


def _query(outlet="The Guardian", text="Britain and France plan a reassurance force for Ukraine"):
    o = REG.find(outlet)
    d = date(2025, 2, 20)
    return Query(text=text, words=["Britain", "France", "reassurance", "Ukraine"], phrases=["reassurance force"],
                 outlet=o, article_date=d, start=date(2025, 2, 13), end=date(2025, 2, 21))


# ------------------------------------------------------------------------------- Guardian


def test_guardian_search_request_and_envelope(monkeypatch):
    monkeypatch.setenv("GUARDIAN_API_KEY", "k123")
    with ProviderReplay() as rp:
        rp.add(GSEARCH, file=D / "guardian/search_founding.json")
        got = GuardianProvider(_ctx(rp)).candidates(_query())
        (url,) = rp.asked(GSEARCH)
    assert "api-key=k123" in url and "from-date=2025-02-13" in url and "to-date=2025-02-21" in url
    assert "show-fields=headline%2CtrailText%2CbodyText" in url and "%22reassurance+force%22" in url
    assert len(got) == 3 and got[1].body.startswith("Britain and France are drawing up plans")
    assert got[0].kind == "liveblog" and got[1].standfirst.startswith("Proposal under discussion")


def test_guardian_key_falls_back_to_test_with_warning(monkeypatch, caplog):
    monkeypatch.delenv("GUARDIAN_API_KEY", raising=False)
    from verifier.sources.discover import config

    config._warned.clear()
    with caplog.at_level("WARNING", logger="verifier.sources.discover"):
        assert DiscoveryConfig().guardian_key() == "test"
    assert "test" in caplog.text
    assert DiscoveryConfig(guardian_api_key="mine").guardian_key() == "mine"


@pytest.mark.parametrize(
    ("status", "file", "expect", "limited"),
    [
        (400, "guardian/error_400.json", "rejected the query (HTTP 400)", False),
        (404, "guardian/error_404.json", "not found (HTTP 404)", False),
        (429, None, "rate limited (HTTP 429)", True),
    ],
)
def test_guardian_error_statuses(status, file, expect, limited):
    with ProviderReplay() as rp:
        if file:
            rp.add(GSEARCH, file=D / file, status=status)
        else:
            rp.add(GSEARCH, body='{"message":"API rate limit exceeded"}', status=429, content_type="application/json")
        with pytest.raises(ProviderError) as e:
            GuardianProvider(_ctx(rp)).candidates(_query())
    assert expect in e.value.message and e.value.rate_limited is limited


def test_guardian_error_envelope_with_200():
    with ProviderReplay() as rp:
        rp.add(GSEARCH, file=D / "guardian/error_400.json")
        with pytest.raises(ProviderError, match="page-size must be an integer"):
            GuardianProvider(_ctx(rp)).candidates(_query())


def test_guardian_429_then_ok_is_retried_after_retry_after():
    with ProviderReplay() as rp:
        rp.add(GSEARCH, body="{}", status=429, headers={"Retry-After": "0"}, times=1, content_type="application/json")
        rp.add(GSEARCH, file=D / "guardian/search_founding.json")
        ctx = _ctx(rp)
        ctx.fetch = FetchConfig(retries=1, allow_private=True, ignore_robots=True, backoff_base=0.01)
        got = GuardianProvider(ctx).candidates(_query())
        assert len(rp.asked(GSEARCH)) == 2
    assert len(got) == 3


def test_guardian_base_url_configurable(monkeypatch):
    with ProviderReplay() as rp:
        rp.add("https://guardian.example/api/search", file=D / "guardian/search_empty.json")
        monkeypatch.setenv("VERIFIER_GUARDIAN_API_BASE", "https://guardian.example/api")
        assert GuardianProvider(_ctx(rp)).candidates(_query()) == []
        ctx = _ctx(rp, guardian_api_base="https://other.example")  # explicit config beats env
        assert GuardianProvider(ctx).search_url(_query()).startswith("https://other.example/search?")


# --------------------------------------------------------------------------------- GDELT


def test_gdelt_query_and_answer():
    q = _query("Financial Times")
    assert gdelt_query(q) == '("reassurance force" OR Britain OR France OR reassurance OR Ukraine) domainis:ft.com'
    with ProviderReplay() as rp:
        rp.add(GDELT, file=D / "gdelt/ft_founding.json", query={"query": "domainis:ft.com"})
        got = GdeltProvider(_ctx(rp)).candidates(q)
        (url,) = rp.asked(GDELT)
    assert "mode=artlist" in url and "format=json" in url and "startdatetime=20250213000000" in url
    assert [c.url.rsplit("/", 1)[-1][:8] for c in got] == ["5b6c7d8e", "3f4c8a2e"]
    assert got[1].published.isoformat() == "2025-02-20T17:45:00"


def test_gdelt_empty_object_is_no_results():
    with ProviderReplay() as rp:
        rp.add(GDELT, file=D / "gdelt/empty.json")
        assert GdeltProvider(_ctx(rp)).candidates(_query("Financial Times")) == []


@pytest.mark.parametrize(
    ("status", "file", "ctype", "expect", "limited"),
    [
        (200, "gdelt/bad_query.html", "text/html", "HTML page instead of JSON", False),
        (429, "gdelt/ratelimit.txt", "text/plain", "rate limited", True),
        (200, "gdelt/ratelimit.txt", "text/plain", "rate limited: Please limit requests", True),
        (503, None, "text/html", "HTTP 503", False),
    ],
)
def test_gdelt_errors(status, file, ctype, expect, limited):
    with ProviderReplay() as rp:
        rp.add(GDELT, file=D / file if file else None, body=None if file else "down", status=status, content_type=ctype)
        with pytest.raises(ProviderError) as e:
            GdeltProvider(_ctx(rp)).candidates(_query("Financial Times"))
    assert expect in e.value.message and e.value.rate_limited is limited


# ------------------------------------------------------------------------------ sitemaps


def test_sitemap_parse_and_provider():
    entries, children = parse_sitemap((D / "sitemaps/times_news.xml").read_bytes())
    assert not children and len(entries) == 4 and entries[2]["title"].startswith("US air cover")
    with ProviderReplay() as rp:
        rp.add("https://www.thetimes.com/sitemaps/news", file=D / "sitemaps/times_news.xml", content_type="application/xml")
        got = SitemapProvider(_ctx(rp)).candidates(_query("The Times"))
    assert len(got) == 4 and got[2].published.isoformat() == "2025-02-20T22:00:00"


def test_sitemap_index_followed():
    index = ("<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
             "<sitemap><loc>https://www.ft.com/sitemaps/news-1.xml</loc></sitemap></sitemapindex>")
    with ProviderReplay() as rp:
        rp.add("https://www.ft.com/sitemaps/news.xml", body=index, content_type="application/xml")
        rp.add("https://www.ft.com/sitemaps/news-1.xml", file=D / "sitemaps/ft_news.xml")
        got = SitemapProvider(_ctx(rp)).candidates(_query("Financial Times"))
    assert len(got) == 2


def test_sitemap_rejects_entity_expansion_and_garbage():
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol2;</loc></url></urlset>')
    with pytest.raises(ProviderError, match="unreadable XML"):
        parse_sitemap(bomb)
    with pytest.raises(ProviderError, match="unreadable XML"):
        parse_sitemap("<html><body>not xml")
    with ProviderReplay() as rp:
        rp.add("https://www.thetimes.com/sitemaps/news", body="nope", status=404, content_type="text/html")
        with pytest.raises(ProviderError, match="HTTP 404"):
            SitemapProvider(_ctx(rp)).candidates(_query("The Times"))


# ------------------------------------------------------------------------------- Wayback


def test_wayback_available_and_none():
    url = "https://www.thetimes.com/world/russia-ukraine-war/article/us-air-cover-essential-to-european-peace-force-plan-qm7xk2vbd"
    with ProviderReplay() as rp:
        rp.add("https://archive.org/wayback/available", file=D / "wayback/times_available.json", times=1)
        rp.add("https://archive.org/wayback/available", file=D / "wayback/none.json")
        ctx = _ctx(rp)
        ts, raw = closest_snapshot(ctx, url, parse_datetime("2025-02-20T22:00:00Z"))
        assert closest_snapshot(ctx, url) is None
        assert "timestamp=20250220220000" in rp.asked("https://archive.org/wayback/available")[0]
    assert ts == "20250221000000" and raw == f"https://web.archive.org/web/20250221000000id_/{url}"


# ------------------------------------------------------------------- limits, query, dates


def test_rate_limiter_spaces_calls():
    rl = RateLimiter()
    t0 = time.monotonic()
    rl.wait("x", 0.2)
    rl.wait("x", 0.2)
    rl.wait("y", 0.2)  # another provider is not held up
    assert 0.18 <= time.monotonic() - t0 < 0.4


def test_guardian_calls_respect_one_per_interval(monkeypatch):
    monkeypatch.setenv("VERIFIER_GUARDIAN_API_INTERVAL", "0.3")
    with ProviderReplay() as rp:
        rp.add(GSEARCH, file=D / "guardian/search_empty.json")
        p = GuardianProvider(_ctx(rp))
        t0 = time.monotonic()
        p.candidates(_query())
        p.candidates(_query())
        assert time.monotonic() - t0 >= 0.28
    assert DiscoveryConfig(min_intervals={"gdelt": 1.5}).interval("gdelt") == 1.5


def test_build_query_from_attribution():
    text = "would likely focus on air and maritime defence, with “minimal” forces on the ground"
    a = Attribution("a1", "claim", text, (0, len(text)), text + ", the Guardian newspaper said.",
                    "the Guardian newspaper said", outlet="The Guardian", fragments=["minimal"])
    q = build_query(a, REG, date(2025, 2, 20))
    assert q.phrases == ["minimal"] and "maritime" in q.words and "Guardian" not in q.words
    assert (q.start, q.end) == (date(2025, 2, 13), date(2025, 2, 21))


def test_article_date_sources():
    assert article_date(None, "2025-02-20")[0] == date(2025, 2, 20)
    assert article_date(ArticleText("x", "-", "txt", published="2024-05-01T10:00:00Z"))[1] == "metadata"
    d, how = article_date(ArticleText("LONDON, Feb 20, 2025 (Reuters) - Britain said ...", "-", "txt"))
    assert (d, how) == (date(2025, 2, 20), "dateline")
    assert article_date(ArticleText("PARIS: Britain and France ...", "-", "txt"))[1] == "today"
    with pytest.raises(ValueError):
        article_date(None, "yesterday")


# ----------------------------------------------------------------------------------- CLI


def test_cli_find_lists_ranked_candidates():
    r = CliRunner().invoke(app, ["find", "a so-called US backstop in the form of “air cover” would be essential",
                                 "--outlet", "Times", "--date", "2025-02-20", "--format", "json",
                                 "--replay", str(D / "founding.toml")])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["candidates"][0]["url"].endswith("qm7xk2vbd") and out["candidates"][0]["provider"] == "sitemap"
    assert out["query"]["outlet"] == "The Times" and out["tried"][0].startswith("sitemap")


def test_cli_article_discovers_and_no_discover():
    args = ["article", str(ROOT / "fixtures/founding/article.txt"), "--date", "2025-02-20", "--format", "json",
            "--replay", str(D / "founding.toml")]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    found = {f["outlet"]: f for f in json.loads(r.stdout)["findings"]}
    assert found["Financial Times"]["discovered_by"] == "gdelt" and found["Financial Times"]["verdict"] == "confirmed"
    r = CliRunner().invoke(app, [*args, "--no-discover"])
    found = {f["outlet"]: f for f in json.loads(r.stdout)["findings"]}
    assert found["Financial Times"]["reason"] == "no_source"


def test_cli_bad_date_and_missing_replay():
    r = CliRunner().invoke(app, ["find", "x y z", "--date", "20/02/2025"])
    assert r.exit_code == 2 and "--date" in r.output
    r = CliRunner().invoke(app, ["find", "x y z", "--replay", "nope.toml"])
    assert r.exit_code == 2 and "replay" in r.output
