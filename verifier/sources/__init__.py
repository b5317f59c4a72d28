"""Stage: resolve sources. Attributions -> the sources each is checked against: `--source`
names, links in the draft, bare sources, then discovery (`sources.discover`) for outlets cited
without a link. Local files are read only inside permitted folders.

    from verifier.sources import resolve_sources
    mapping = resolve_sources(attributions, article, specs)
"""

from verifier.sources.resolve import (
    LocalPolicy,
    SourceSpec,
    all_locations,
    refused_locations,
    resolve_sources,
)

__all__ = ["LocalPolicy", "SourceSpec", "all_locations", "refused_locations", "resolve_sources"]
