"""Source discovery: find the cited original when the article gives no link.

Providers (one module each, all behind `types.Provider`): the Guardian Content API
(`guardian`), Google News sitemaps of registry outlets (`sitemap`), GDELT DOC 2.0 (`gdelt`);
the Wayback Machine (`wayback`) rescues a paywalled or dead original. See docs/discovery.md.
"""

from __future__ import annotations

from verifier.sources.discover.config import DiscoveryConfig
from verifier.sources.discover.core import (
    Discovery,
    DiscoveryOutcome,
    Ports,
    annotate_findings,
    discover_for_article,
    discover_sources,
    find_candidates,
    make_context,
)
from verifier.sources.discover.query import article_date, build_query
from verifier.sources.discover.rank import rank
from verifier.sources.discover.types import Candidate, Provider, ProviderError, Query

__all__ = [
    "Candidate",
    "Discovery",
    "DiscoveryConfig",
    "DiscoveryOutcome",
    "Ports",
    "Provider",
    "ProviderError",
    "Query",
    "annotate_findings",
    "article_date",
    "build_query",
    "discover_for_article",
    "discover_sources",
    "find_candidates",
    "make_context",
    "rank",
]
