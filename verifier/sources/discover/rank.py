"""Score candidates: outlet/domain, date distance, and how well the claim or quote matches the
candidate's title, standfirst and (when known) body. Scores are 0..100."""

from __future__ import annotations

import re
from datetime import datetime

from rapidfuzz import fuzz

from verifier.registry import Registry
from verifier.sources.discover.types import Candidate, Query

# weights of the parts (sum 100)
W_OUTLET = 25.0
W_DATE = 20.0
W_TEXT = 55.0
LIVEBLOG_PENALTY = 8.0

_LIVE_URL = re.compile(r"/live/|/liveblog|live-updates|/live-news/|-live$|-live-", re.I)
_LIVE_TITLE = re.compile(r"[-–—:|]\s*live\b|\blive updates?\b|\bas it happened\b|\blive:\s", re.I)


def is_liveblog(url: str, title: str = "", kind: str | None = None) -> bool:
    if kind and kind.lower() in ("liveblog", "live"):
        return True
    path = url.split("?", 1)[0]
    return bool(_LIVE_URL.search(path) or _LIVE_TITLE.search(title or ""))


def _norm(s: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", s.lower().replace("’", "'")))


def text_score(query: Query, c: Candidate) -> float:
    """0..1: how well the candidate's words fit the attribution."""
    words = {w.lower() for w in query.words}
    head = _norm(f"{c.title} {c.standfirst}")
    head_words = set(head.split())
    target = _norm(f"{query.text} {query.context}")
    # shared distinctive words (stems approximated by 5-letter prefixes)
    pref = {w[:5] for w in words}
    hits = sum(1 for w in pref if any(h.startswith(w) for h in head_words)) if pref else 0
    word_share = hits / max(1, min(len(pref), 6))
    fuzzy = fuzz.token_set_ratio(target, head) / 100 if head else 0.0
    head_score = 0.6 * min(1.0, word_share) + 0.4 * fuzzy
    if not c.body:
        return head_score
    body = _norm(c.body)
    phrase_hits = [1.0 if _norm(p) in body else fuzz.partial_ratio(_norm(p), body) / 100 for p in query.phrases]
    text_in_body = fuzz.partial_ratio(_norm(query.text), body) / 100 if len(query.text) < 400 else 0.0
    body_words = set(body.split())
    body_share = (sum(1 for w in pref if any(b.startswith(w) for b in body_words)) / max(1, len(pref))) if pref else 0
    body_score = max(text_in_body, (sum(phrase_hits) / len(phrase_hits)) if phrase_hits else 0.0) * 0.6 + 0.4 * body_share
    return max(head_score, 0.35 * head_score + 0.65 * body_score)


def date_score(query: Query, published: datetime | None) -> float:
    """0..1: 1 on the article's day or the day before, falling off over the window; 0 outside."""
    if published is None:
        return 0.3  # unknown: neither rewarded nor ruled out
    d = published.date()
    if d < query.start or d > query.end:
        return 0.0
    delta = (query.article_date - d).days  # > 0: published before the article
    if delta in (0, 1):
        return 1.0
    if delta < 0:  # after the article: possible (time zones, updates) but less likely
        return 0.6
    span = max(1, (query.article_date - query.start).days)
    return max(0.0, 1.0 - (delta - 1) / span)


def score(query: Query, c: Candidate, registry: Registry) -> Candidate:
    o = registry.for_url(c.url)
    c.outlet = c.outlet or (o.name if o else None)
    if query.outlet is None:
        outlet_part = 0.5
    elif c.outlet == query.outlet.name:
        outlet_part = 1.0
    else:
        outlet_part = 0.0
    parts = {
        "outlet": W_OUTLET * outlet_part,
        "date": W_DATE * date_score(query, c.published),
        "text": W_TEXT * text_score(query, c),
    }
    if is_liveblog(c.url, c.title, c.kind):
        c.kind = "liveblog"
        parts["liveblog"] = -LIVEBLOG_PENALTY
    c.breakdown = parts
    c.score = max(0.0, sum(parts.values()))
    return c


def rank(query: Query, candidates: list[Candidate], registry: Registry) -> list[Candidate]:
    """Scored, de-duplicated (by URL, best provider kept), best first. Candidates from another
    outlet than the one named, or outside the date window, are dropped."""
    best: dict[str, Candidate] = {}
    for c in candidates:
        score(query, c, registry)
        if query.outlet is not None and c.outlet != query.outlet.name:
            continue
        if c.published is not None and c.breakdown.get("date", 0) == 0:
            continue
        key = c.url.split("#", 1)[0].split("?", 1)[0].rstrip("/")
        if key not in best or c.score > best[key].score or (c.body and not best[key].body):
            if key in best and not c.body and best[key].body:
                c.body = best[key].body
            best[key] = c
    return sorted(best.values(), key=lambda c: -c.score)
