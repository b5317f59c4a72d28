"""Data passed between the discovery stages: the search `Query`, a `Candidate` original, and the
`Provider` interface every search backend implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from verifier.registry import Outlet

# Values of Finding.discovered_by
PROVIDER_NAMES = ("guardian_api", "sitemap", "gdelt", "wayback")


class ProviderError(Exception):
    """A provider could not answer (HTTP error, error envelope, rate limit, unparseable body).
    The message is one line and ends up in the finding's explanation."""

    def __init__(self, message: str, *, rate_limited: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.rate_limited = rate_limited


@dataclass
class Query:
    """What to look for: built from one attribution (see `query.build_query`)."""

    text: str  # the quote or claim as the article gives it
    kind: str = "claim"  # "quote" | "claim"
    words: list[str] = field(default_factory=list)  # distinctive words, most distinctive first
    phrases: list[str] = field(default_factory=list)  # quoted fragments / exact phrases
    outlet: Outlet | None = None
    article_date: date = field(default_factory=date.today)
    start: date = field(default_factory=date.today)  # search window, inclusive
    end: date = field(default_factory=date.today)
    context: str = ""  # the attribution's sentence (extra words for title matching)

    @property
    def domains(self) -> tuple[str, ...]:
        return self.outlet.domains if self.outlet else ()


@dataclass
class Candidate:
    """A page that may be the cited original."""

    url: str
    provider: str  # "guardian_api" | "sitemap" | "gdelt" | "wayback"
    title: str = ""
    standfirst: str = ""
    published: datetime | None = None
    body: str = ""  # body text when the provider gives it (Guardian bodyText)
    outlet: str | None = None  # canonical outlet name from the URL's domain
    kind: str = "article"  # "article" | "liveblog"
    score: float = 0.0
    breakdown: dict[str, float] = field(default_factory=dict)
    archived_url: str | None = None  # the Wayback snapshot actually read, when one was

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "provider": self.provider,
            "title": self.title,
            "standfirst": self.standfirst,
            "published": self.published.isoformat() if self.published else None,
            "outlet": self.outlet,
            "kind": self.kind,
            "score": round(self.score, 1),
            "breakdown": {k: round(v, 1) for k, v in self.breakdown.items()},
            "archived_url": self.archived_url,
        }


class Provider(Protocol):
    """One search backend. `candidates` raises ProviderError when the provider fails; an empty
    list means it answered and found nothing. `applies` says whether it can serve the query."""

    name: str

    def applies(self, query: Query) -> bool: ...

    def candidates(self, query: Query) -> list[Candidate]: ...
