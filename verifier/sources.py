"""Resolve sources: decide which locations each attribution must be checked against.

Rules, in order:
1. `--source NAME=LOCATION`: NAME is an outlet name/alias (case-insensitive) or a speaker's name;
   it applies to every attribution of that outlet or speaker.
2. A link inside the attribution's sentence (or right next to it) is its source. A linked outlet's
   page also serves later attributions to the same outlet that carry no link of their own.
3. A bare `--source LOCATION` whose outlet is known from its domain behaves like rule 1 for that
   outlet; every bare source is also a candidate for each attribution that has no other.
4. Collective attributions ("UK media reported", "reports said") are checked against every source
   the article cites.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import ArticleText, Attribution, SourceRef
from .registry import Registry, default_registry

_LINK_REACH = 40  # characters after a sentence in which a link still counts as "right next to" it


@dataclass
class SourceSpec:
    """A user-given source: `NAME=LOCATION` or a bare `LOCATION`."""

    location: str
    name: str | None = None

    @classmethod
    def parse(cls, value: str) -> SourceSpec:
        # "Guardian=https://…" or "Financial Times=page.html"; a URL's own "=" (query strings)
        # never comes before "://", and a bare URL or path has no "=" before its first "/" or ":"
        if "=" in value:
            name, _, loc = value.partition("=")
            if name.strip() and "/" not in name and "://" not in name and loc.strip():
                return cls(loc.strip(), name.strip())
        return cls(value.strip())


def _speaker_matches(name: str, speaker: str | None) -> bool:
    if not speaker:
        return False
    n, s = name.lower().strip(), speaker.lower()
    if n in s:
        return True
    # "Lavrov" matches "Russian Foreign Minister Sergei Lavrov"
    return n.split()[-1] in s.split()


def resolve_sources(
    attributions: list[Attribution],
    article: ArticleText | None = None,
    specs: list[SourceSpec] | None = None,
    registry: Registry | None = None,
) -> dict[str, list[SourceRef]]:
    """Map each attribution id to the sources it must be checked against (possibly none)."""
    reg = registry or default_registry()
    specs = specs or []
    named: list[tuple[SourceSpec, str | None]] = []  # (spec, canonical outlet or None)
    bare: list[tuple[SourceSpec, str | None]] = []
    for spec in specs:
        if spec.name:
            # "BBC Sport", "the Guardian newspaper": an alias, or a name that contains one
            outlet = reg.find(spec.name)
            if outlet is None:
                found = reg.mentions(spec.name)
                outlet = found[0][2] if found else None
            named.append((spec, outlet.name if outlet else None))
        else:
            outlet = reg.for_url(spec.location) if "://" in spec.location else None
            bare.append((spec, outlet.name if outlet else None))

    links = article.links if article else []
    outlet_links: dict[str, list[str]] = {}
    for link in links:
        o = reg.for_url(link.url)
        if o:
            outlet_links.setdefault(o.name, []).append(link.url)

    result: dict[str, list[SourceRef]] = {}
    all_refs: list[SourceRef] = []

    def add(refs: list[SourceRef], ref: SourceRef) -> None:
        if all(r.location != ref.location for r in refs):
            refs.append(ref)
        if all(r.location != ref.location for r in all_refs):
            all_refs.append(ref)

    for a in attributions:
        refs: list[SourceRef] = []
        # "The Times and the Guardian both reported …": checked against each outlet's source
        outlets = a.outlets or ([a.outlet] if a.outlet else [])
        for spec, outlet in named:
            if (outlet and outlet in outlets) or (not outlet and _speaker_matches(spec.name or "", a.speaker)):
                add(refs, SourceRef(spec.location, "given", spec.name))
        s0, s1 = a.sentence_span
        for link in links:
            # inside the sentence, or right after it in the same paragraph
            if s0 <= link.start and link.end <= s1 + _LINK_REACH and "\n" not in article.text[s1 : link.start]:
                o = reg.for_url(link.url)
                # a link to another outlet's page in the same sentence is not this outlet's original
                if outlets and o and o.name not in outlets:
                    continue
                add(refs, SourceRef(link.url, "link", None))
        for name in outlets:
            if name not in outlet_links:
                continue
            if len(outlets) == 1 and refs:
                continue  # one outlet with a link of its own in the sentence: that link is its source
            if not any((o := reg.for_url(r.location)) is not None and o.name == name for r in refs):
                for url in outlet_links[name]:
                    add(refs, SourceRef(url, "link", None))
        for spec, outlet in bare:
            if outlet and outlet in outlets:
                add(refs, SourceRef(spec.location, "given", None))
        result[a.id] = refs
    # every cited source is known now: collective attributions use all of them, and bare sources
    # are candidates for attributions left with none
    for spec, _ in bare:
        if all(r.location != spec.location for r in all_refs):
            all_refs.append(SourceRef(spec.location, "candidate", None))
    for spec, _ in named:
        if all(r.location != spec.location for r in all_refs):
            all_refs.append(SourceRef(spec.location, "given", spec.name))
    for a in attributions:
        if a.collective:
            for ref in all_refs:
                if all(r.location != ref.location for r in result[a.id]):
                    result[a.id].append(SourceRef(ref.location, "cited", ref.name))
        elif not result[a.id]:
            result[a.id] = [SourceRef(s.location, "candidate", None) for s, _ in bare]
    return result


def all_locations(mapping: dict[str, list[SourceRef]]) -> list[str]:
    seen: dict[str, None] = {}
    for refs in mapping.values():
        for r in refs:
            seen.setdefault(r.location, None)
    return list(seen)
