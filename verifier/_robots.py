"""robots.txt rules for one origin, per RFC 9309 as far as urllib.robotparser allows."""

from __future__ import annotations

import urllib.robotparser
from dataclasses import dataclass

# The product token we match robots.txt groups against (our User-Agent starts with it).
ROBOTS_AGENT = "verifier"


@dataclass
class RobotsRules:
    """Parsed rules, or a blanket allow/deny when robots.txt could not be used."""

    parser: urllib.robotparser.RobotFileParser | None = None
    allow_all: bool = False
    deny_reason: str | None = None  # set => everything on this origin is refused

    def allowed(self, url: str) -> bool:
        if self.deny_reason is not None:
            return False
        if self.allow_all or self.parser is None:
            return True
        return self.parser.can_fetch(ROBOTS_AGENT, url)

    delay: float = 0.0  # Crawl-delay for our group (or "*"), seconds

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
    parser = urllib.robotparser.RobotFileParser()
    lines = text.splitlines()
    parser.parse(lines)
    return RobotsRules(parser=parser, delay=_crawl_delay(lines))


def _crawl_delay(lines: list[str]) -> float:
    """Crawl-delay for our agent, else for "*".

    Parsed here because urllib.robotparser only accepts whole seconds ("Crawl-delay: 0.5" is
    silently dropped), and fractional delays are common.
    """
    delays: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False  # a User-agent line after rules starts a new group
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
            continue
        in_rules = True
        if key == "crawl-delay":
            try:
                seconds = float(value)
            except ValueError:
                continue
            for agent in agents:
                delays.setdefault(agent, max(0.0, seconds))
    for agent, seconds in delays.items():
        if agent != "*" and agent in ROBOTS_AGENT:  # robotparser's own matching rule
            return seconds
    return delays.get("*", 0.0)
