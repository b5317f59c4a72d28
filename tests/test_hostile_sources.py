"""Hostile or absent sources (issue 12, items 6 and 10): the run's deadline bounds discovery,
fetching and matching; a network that is down gives `source_unavailable`, not `no_source`; a
200 "page not found" template is `source_unavailable (soft 404)`. All traffic goes to 127.0.0.1."""

from __future__ import annotations

import socket
import time

from httpserver import html_page

from verifier.fetch.client import FetchConfig
from verifier.pipeline import Options, verify_article, verify_claim
from verifier.sources.discover import DiscoveryConfig

OUTLETS = ["the Guardian", "The Times", "the Financial Times", "the BBC", "Reuters"]
# 20 unlinked attributions to outlets: every one goes to discovery
ARTICLE = "\n\n".join(
    f"“Ministers will announce plan number {i} for the railways next week,” {OUTLETS[i % 5]} reported."
    for i in range(20)
)


def _everything_at(base: str, **cfg) -> DiscoveryConfig:
    """Discovery with every provider endpoint (Guardian API, GDELT, Wayback, each outlet's news
    sitemap) at `base`, a loopback address: the real client and transport make every request."""
    return DiscoveryConfig(article_date="2025-02-20", guardian_api_base=base, gdelt_base=base, wayback_api=base,
                           site_bases={k: base for k in ("guardian", "times", "ft", "bbc", "reuters")}, **cfg)


def test_deadline_bounds_discovery(make_server) -> None:
    srv = make_server()
    # every request hangs for 30 s; the providers' own rate limits (GDELT: one call per 5 s)
    # stay in force, as they are in a real run
    opts = Options(fetch=FetchConfig(deadline=3, allow_private=True, retries=0),
                   discovery=_everything_at(f"{srv.base}/delay/30000"))
    t0 = time.monotonic()
    report = verify_article(ARTICLE, options=opts)
    took = time.monotonic() - t0
    assert len(report.findings) == 20
    assert took < 3 + 5, took  # was 96 s for the same article without the bound
    for f in report.findings:
        assert f.reason.value == "source_unavailable", (f.reason, f.explanation)
        assert "deadline" in f.explanation


def test_network_down_is_source_unavailable_not_no_source() -> None:
    with socket.socket() as s:  # a port nothing listens on: every connection is refused
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    opts = Options(fetch=FetchConfig(allow_private=True, retries=0),
                   discovery=_everything_at(f"http://127.0.0.1:{port}", min_intervals={
                       "guardian_api": 0, "gdelt": 0, "sitemap": 0, "wayback": 0}))
    report = verify_article(ARTICLE.split("\n\n")[0], options=opts)
    [f] = report.findings
    assert (f.verdict.value, f.reason.value) == ("unverified", "source_unavailable"), f.explanation
    assert "network unreachable" in f.explanation and "connection refused" in f.explanation


SOFT_404 = html_page("Page not found | The Guardian",
                     "<p>Sorry – we haven’t been able to serve the page you asked for.</p>"
                     "<p>You may have followed an outdated link, or have mistyped a URL.</p>")
REAL = html_page("Why websites say “page not found”",
                 "".join(f"<p>Paragraph {i} of a long article about broken links. Ministers will resign over "
                         "the plan, the paper said, and readers often meet a page not found error.</p>"
                         for i in range(30)))


def test_soft_404_is_source_unavailable(make_server) -> None:
    srv = make_server()
    srv.route("/gone", lambda h: h.reply(200, SOFT_404))
    srv.route("/real", lambda h: h.reply(200, REAL))
    cfg = FetchConfig(allow_private=True, retries=0, ignore_robots=True)
    gone = verify_claim("Ministers will resign over the plan", sources=[srv.url("/gone")], outlet="Guardian",
                        options=Options(fetch=cfg, discover=False))
    [f] = gone.findings
    assert f.reason.value == "source_unavailable", f.explanation
    assert "soft 404" in f.explanation
    # an article that merely talks about missing pages is read as an article
    real = verify_claim("Ministers will resign over the plan", sources=[srv.url("/real")], outlet="Guardian",
                        options=Options(fetch=cfg, discover=False))
    assert real.findings[0].reason.value != "source_unavailable", real.findings[0].explanation


def test_sources_read_in_time_are_still_judged_when_another_hangs(make_server) -> None:
    from pathlib import Path

    founding = Path(__file__).resolve().parent.parent / "fixtures" / "founding"
    srv = make_server(root=founding)
    article = (founding / "article.txt").read_text(encoding="utf-8")
    opts = Options(fetch=FetchConfig(deadline=2, allow_private=True, retries=0, ignore_robots=True), discover=False)
    report = verify_article(article, sources=[f"Guardian={srv.url('/guardian.html')}",
                                              f"Times={srv.url('/delay/30000/times.html')}"], options=opts)
    by_outlet = {f.attribution.outlet: f for f in report.findings}
    assert by_outlet["The Guardian"].verdict.value == "confirmed", by_outlet["The Guardian"].explanation
    assert by_outlet["The Times"].reason.value == "source_unavailable"
    assert "deadline reached" in by_outlet["The Times"].explanation
