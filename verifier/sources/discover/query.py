"""Build a search `Query` from an attribution, and find the article's date."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from verifier.models import ArticleText, Attribution
from verifier.registry import Registry
from verifier.sources.discover.types import Query

_STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself said says say told according reported report reports newspaper paper
would could might must may shall one two three new also like last next week month year thursday
friday saturday sunday monday tuesday wednesday today yesterday mr mrs ms its it's s
""".split())

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|\d[\d,.]*")
_QUOTED = re.compile(r"[“\"«‘]([^”\"»’]{3,120})[”\"»’]")


def _words(text: str) -> list[str]:
    return [w.strip("'’-").replace("’", "'") for w in _WORD.findall(text)]


def distinctive_words(text: str, context: str = "", exclude: set[str] | None = None, limit: int = 8) -> list[str]:
    """Content words most likely to find the story: proper nouns and numbers first, then longer
    words; words from `text` before words only in `context`."""
    exclude = {e.lower() for e in (exclude or set())}
    scored: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    display: dict[str, str] = {}
    for weight, source in ((2.0, text), (0.5, context)):
        for i, w in enumerate(_words(source)):
            lw = w.lower()
            if lw in _STOP or lw in exclude or len(lw) < 3 and not lw[0].isdigit():
                continue
            s = weight
            if w[0].isupper() and i > 0:
                s += 1.5
            if w[0].isdigit():
                s += 1.0
            s += min(len(w), 12) / 6
            scored[lw] += s
            first_seen.setdefault(lw, len(first_seen))
            display.setdefault(lw, w)
    ranked = sorted(scored, key=lambda k: (-scored[k], first_seen[k]))
    return [display[k] for k in ranked[:limit]]


def build_query(
    a: Attribution,
    registry: Registry,
    article_date: date,
    *,
    days_before: int = 7,
    days_after: int = 1,
) -> Query:
    outlet = registry.find(a.outlet) if a.outlet else None
    exclude: set[str] = set()
    if outlet:
        for alias in (outlet.name, *outlet.aliases):
            exclude.update(w.lower() for w in _words(alias))
    phrases = [f for f in a.fragments if len(f.split()) >= 1]
    if a.kind == "quote":
        words = a.text.split()
        # an exact phrase of the quote's first words: long enough to be distinctive
        phrases = [" ".join(words[:8])] if len(words) >= 4 else [a.text]
    for q in _QUOTED.findall(a.sentence):
        if q not in phrases and a.kind != "quote":
            phrases.append(q.strip(" ,.;:"))
    context = a.sentence.replace(a.cue, " ") if a.cue else a.sentence
    return Query(
        text=a.text,
        kind=a.kind,
        words=distinctive_words(a.text, context, exclude),
        phrases=[p for p in phrases if p],
        outlet=outlet,
        article_date=article_date,
        start=article_date - timedelta(days=days_before),
        end=article_date + timedelta(days=days_after),
        context=context,
    )


# ------------------------------------------------------------------------------------- dates

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)")
_DMY = re.compile(r"\b(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+(20\d\d)\b", re.I)
_MDY = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2}),?\s+(20\d\d)\b", re.I)


def parse_date(value: str | None) -> date | None:
    """A date from ISO text ("2025-02-20", "2025-02-20T19:10:00Z") or "20 February 2025" /
    "Feb 20, 2025"; None when there is none."""
    if not value:
        return None
    m = _ISO.search(value)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _DMY.search(value)
        if m:
            return date(int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1)))
        m = _MDY.search(value)
        if m:
            return date(int(m.group(3)), _MONTHS[m.group(1)[:3].lower()], int(m.group(2)))
    except ValueError:
        return None
    return None


def parse_datetime(value: str | None) -> datetime | None:
    """Provider timestamps: ISO 8601 ("2025-02-20T19:10:00Z") or GDELT's "20250220T170000Z"."""
    if not value:
        return None
    v = value.strip()
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)T?(\d\d)(\d\d)(\d\d)Z?", v)
    if m:
        return datetime(*map(int, m.groups()))
    try:
        dt = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        d = parse_date(v)
        return datetime(d.year, d.month, d.day) if d else None
    return dt if dt.tzinfo is None else dt.astimezone(UTC).replace(tzinfo=None)


def article_date(article: ArticleText | None, explicit: str | None = None) -> tuple[date, str]:
    """The article's date and where it came from: `explicit` (--date), the input's metadata, a
    dateline in the first lines, else today."""
    if explicit:
        d = parse_date(explicit)
        if d is None:
            raise ValueError(f"not a date: {explicit!r} (use YYYY-MM-DD)")
        return d, "given"
    if article is not None:
        d = parse_date(article.published)
        if d:
            return d, "metadata"
        d = parse_date(article.text[:600])
        if d:
            return d, "dateline"
    return date.today(), "today"
