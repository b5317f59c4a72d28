"""Find an unlinked citation's original among the archived articles of the cited outlet.

An inverted index over each outlet's articles in one date window gives, for an attribution, the
articles that share enough of its content words (every posting list touched is one word's, so no
pair of articles is compared blindly). Those candidates go through the same ranking and checking
as live discovery (`verifier.sources.discover.discover_sources`), through the `Provider` interface: the
archive is just one more provider, whose pages are already read.

Why an inverted index rather than MinHash/LSH: an attribution is a sentence and its original a
whole article, so the question is containment, not Jaccard similarity; exact word overlap has no
false negatives (LSH's banding has), so the audit finds whatever `verifier check` would be handed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from verifier.audit.rows import doc_from_dict
from verifier.match.normalize import STOPWORDS
from verifier.models import SourceDocument
from verifier.sources.discover.query import parse_datetime
from verifier.sources.discover.types import Candidate, Query

_WORD = re.compile(r"[^\W_]+", re.U)
# Like a news sitemap or GDELT answer, the outlet's articles of the window are the candidates:
# the `limit` sharing most content words with the attribution, topped up with the ones nearest in
# date (a quote the outlet never printed still gets candidates, and so a verdict against them,
# not_found, as live discovery gives it). The discovery ranking then orders them.
MIN_SHARED = 1


def content_words(text: str) -> set[str]:
    return {w for w in (m.lower() for m in _WORD.findall(text)) if len(w) >= 3 and w not in STOPWORDS}


class OutletIndex:
    """The archived articles of one outlet in one date window, indexed by content word."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.rows: list[dict[str, Any]] = list(rows)
        self.postings: dict[str, list[int]] = {}
        for i, r in enumerate(self.rows):
            d = r["doc"]
            words = content_words(" ".join([d.get("title") or "", d.get("standfirst") or "", *d["paragraphs"]]))
            for w in words:
                self.postings.setdefault(w, []).append(i)

    def search(self, words: set[str], start: date, end: date, around: date, exclude_key: str,
               limit: int) -> list[dict[str, Any]]:
        counts: Counter[int] = Counter()
        for w in words:
            for i in self.postings.get(w, ()):
                counts[i] += 1
        lo, hi = start.isoformat(), end.isoformat()

        def usable(i: int) -> bool:
            return lo <= self.rows[i]["day"] <= hi and self.rows[i]["url_key"] != exclude_key

        hits = sorted((i for i, n in counts.items() if n >= MIN_SHARED and usable(i)),
                      key=lambda i: (-counts[i], self.rows[i]["url_key"]))[:limit]
        if len(hits) < limit:
            taken = set(hits)
            rest = [i for i in range(len(self.rows)) if i not in taken and usable(i)]
            rest.sort(key=lambda i: (abs((date.fromisoformat(self.rows[i]["day"]) - around).days),
                                     self.rows[i]["url_key"]))
            hits += rest[: limit - len(hits)]
        return [self.rows[i] for i in hits]


class ArchiveProvider:
    """A discovery provider answering from an `OutletIndex` (one per attribution: it leaves out
    the citing article itself)."""

    name = "archive"

    def __init__(self, index: OutletIndex | None, exclude_key: str, limit: int = 20) -> None:
        self.index = index
        self.exclude_key = exclude_key
        self.limit = limit
        self._docs: dict[str, dict[str, Any]] = {}

    def applies(self, query: Query) -> bool:
        return query.outlet is not None

    def candidates(self, query: Query) -> list[Candidate]:
        if self.index is None:
            return []
        words = content_words(" ".join([query.text, *query.phrases]))
        out = []
        for r in self.index.search(words, query.start, query.end, query.article_date, self.exclude_key, self.limit):
            d = r["doc"]
            self._docs[r["url"]] = r
            published = parse_datetime(d.get("published")) or datetime.fromisoformat(r["day"])
            out.append(Candidate(
                url=r["url"], provider=self.name, title=d.get("title") or "", standfirst=d.get("standfirst") or "",
                published=published, body="\n\n".join(d["paragraphs"]), outlet=d.get("outlet"),
            ))
        return out

    def read(self, c: Candidate) -> SourceDocument:
        return doc_from_dict(self._docs[c.url]["doc"])

    def row(self, url: str) -> dict[str, Any] | None:
        return self._docs.get(url)
