"""robots.txt rules for one origin, per RFC 9309, parsed with `protego`.

`urllib.robotparser` ignores the RFC's `*` and `$` wildcards (`Disallow: /*?share=` would be
read as a literal path and never match); protego, Scrapy's parser, implements them, longest-match
precedence between Allow and Disallow, and group selection by product token.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

# The product token we match robots.txt groups against (our User-Agent starts with it).
ROBOTS_AGENT = "verifier"
_MAX_ROBOTS_CHARS = 500_000  # RFC 9309 asks crawlers to parse at least 500 KiB


@dataclass
class RobotsRules:
    """Parsed rules, or a blanket allow/deny when robots.txt could not be used."""

    parser: Protego | None = None
    allow_all: bool = False
    deny_reason: str | None = None  # set => everything on this origin is refused
    delay: float = 0.0  # Crawl-delay for our group (or "*"), seconds

    def allowed(self, url: str) -> bool:
        if self.deny_reason is not None:
            return False
        if self.allow_all or self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, ROBOTS_AGENT))

    def crawl_delay(self) -> float:
        return self.delay


def rules_from_response(status: int | None, text: str, error: str | None) -> RobotsRules:
    """Interpret a robots.txt fetch.

    RFC 9309: 4xx means "no robots.txt" (allow all); 5xx or an unreachable server means the
    crawler must assume complete disallow, since the site may be unable to tell us its rules.
    """
    if status is not None and 400 <= status < 500:
        return RobotsRules(allow_all=True)
    if status is not None and status >= 500:
        return RobotsRules(deny_reason=f"robots.txt unavailable (HTTP {status})")
    if error is not None or status is None:
        return RobotsRules(deny_reason=f"robots.txt unavailable ({error or 'no response'})")
    try:
        parser = Protego.parse(text[:_MAX_ROBOTS_CHARS])
    except Exception:  # noqa: BLE001 - an unparseable file says nothing we can follow
        return RobotsRules(allow_all=True)
    delay = parser.crawl_delay(ROBOTS_AGENT)
    return RobotsRules(parser=parser, delay=max(0.0, float(delay)) if delay is not None else 0.0)
