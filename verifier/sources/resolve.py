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

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from verifier.fetch.files import special_file
from verifier.models import ArticleText, Attribution, Origin, SourceRef
from verifier.registry import Registry, default_registry

_LINK_REACH = 40  # characters after a sentence in which a link still counts as "right next to" it
# Link targets that are never sources (and never refused either): mail, phone, in-page anchors.
_NOT_SOURCES = ("mailto:", "tel:", "sms:", "javascript:", "#")


@dataclass
class SourceSpec:
    """A user-given source: `NAME=LOCATION` or a bare `LOCATION`.

    `trusted`: typed on the command line or passed by a library caller, so any local file may
    be read. Sources named by a policy file (which a pull request can edit) are not trusted:
    their local files obey the same allow-list as links inside a draft."""

    location: str
    name: str | None = None
    trusted: bool = True

    @classmethod
    def parse(cls, value: str, trusted: bool = True) -> SourceSpec:
        # "Guardian=https://…" or "Financial Times=page.html"; a URL's own "=" (query strings)
        # never comes before "://", and a bare URL or path has no "=" before its first "/" or ":"
        if "=" in value:
            name, _, loc = value.partition("=")
            if name.strip() and "/" not in name and "://" not in name and loc.strip():
                return cls(loc.strip(), name.strip(), trusted)
        return cls(value.strip(), None, trusted)


# ---------------------------------------------------------------- local-file policy


@dataclass(frozen=True)
class LocalPolicy:
    """Which local files a draft's links (and a policy file's `sources`) may make us read.

    A draft is written by anyone who can open a pull request, and what the verifier reads can
    surface in its reports, so a link is read only when it resolves (symlinks included) to a
    regular, non-hidden file inside one of `folders` (the policy's `local_sources`, or
    `--local-sources`). Nothing else local is read: not `file://` links, not absolute paths
    outside those folders, not devices, FIFOs or sockets."""

    folders: tuple[Path, ...] = ()

    @classmethod
    def of(cls, folders: Iterable[str | Path]) -> LocalPolicy:
        return cls(tuple(Path(os.path.realpath(Path(f).expanduser())) for f in folders))

    def check(self, path: str | Path) -> tuple[str, str | None]:
        """(resolved path, why it is refused or None)."""
        try:
            real = Path(os.path.realpath(path))
        except (OSError, ValueError):  # a NUL byte, a path too long to resolve
            return str(path), "not a valid file path"
        if not self.folders:
            return str(real), ("links to local files are not read (allow a project folder with "
                               "local_sources in the policy, or --local-sources)")
        inside = next((f for f in self.folders if real == f or real.is_relative_to(f)), None)
        if inside is None:
            return str(real), "local file outside the allowed folders (local_sources)"
        if any(part.startswith(".") for part in real.relative_to(inside).parts):
            return str(real), "hidden files are not read"
        return str(real), _special(real)


def _special(path: str | Path) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None  # missing (or unusable): the fetch stage says why
    what = special_file(mode)
    return f"{path} is {what}, not a regular file" if what else None


def draft_folder(article: ArticleText | None) -> Path:
    """The folder a draft's relative links resolve against: the draft's own folder (the working
    directory for stdin or text passed in)."""
    src = article.source if article else ""
    if not src or src == "-" or src.startswith("<") or "://" in src:
        return Path.cwd()
    return Path(os.path.abspath(src)).parent


def _local_path(location: str) -> str | None:
    """The file path a location names, or None when it is a URL of some scheme."""
    try:
        parts = urlsplit(location)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme == "file":
        return unquote(parts.path)
    if len(scheme) > 1:  # one letter is a Windows drive ("C:\\..."), i.e. a path
        return None
    return location


def link_target(url: str, base: Path, policy: LocalPolicy) -> tuple[str, str | None]:
    """Where a link inside a draft points, and why it is refused (None: it may be read).

    http(s) links are fetched (through the SSRF guard); every other scheme is refused; a
    relative path resolves against the draft's folder and must pass `policy`."""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return url, None  # an invalid URL: the fetch stage reports it as unreadable
    if scheme in ("http", "https"):
        return url, None
    if scheme == "file":
        return url, "file:// links in a draft are not read (only http(s) links are followed)"
    if len(scheme) > 1:
        return url, f"{scheme}: links are not followed (only http(s) links are)"
    path = unquote(url.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return url, "empty link"
    return policy.check(base / path)


def spec_target(spec: SourceSpec, policy: LocalPolicy) -> tuple[str, str | None]:
    """Where a user-given source points, and why it is refused (None: it may be read)."""
    path = _local_path(spec.location)
    if path is None:
        return spec.location, None
    if spec.trusted:
        return spec.location, _special(Path(path).expanduser())
    return policy.check(path)


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
    local: LocalPolicy | None = None,
) -> dict[str, list[SourceRef]]:
    """Map each attribution id to the sources it must be checked against (possibly none).

    Sources the local-file policy refuses stay in the mapping with `refused` set, so their
    attributions are reported as refused rather than silently left without a source."""
    reg = registry or default_registry()
    policy = local or LocalPolicy()
    named: list[tuple[SourceSpec, str | None]] = []  # (spec, canonical outlet or None)
    bare: list[tuple[SourceSpec, str | None]] = []
    refusals: dict[str, str] = {}  # location -> why it is not read
    checked: list[SourceSpec] = []
    for spec in specs or []:
        loc, why = spec_target(spec, policy)
        if why:
            refusals[loc] = why
        checked.append(SourceSpec(loc, spec.name, spec.trusted))
    specs = checked
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

    base = draft_folder(article)
    links = []
    for link in article.links if article else []:
        if link.url.strip().lower().startswith(_NOT_SOURCES):
            continue
        target, why = link_target(link.url.strip(), base, policy)
        if why:
            refusals[target] = why
        links.append(type(link)(target, link.start, link.end, link.text))
    outlet_links: dict[str, list[str]] = {}
    for link in links:
        o = reg.for_url(link.url)
        if o:
            outlet_links.setdefault(o.name, []).append(link.url)

    result: dict[str, list[SourceRef]] = {}
    all_refs: list[SourceRef] = []

    def add(refs: list[SourceRef], ref: SourceRef) -> None:
        ref.refused = refusals.get(ref.location)
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
                add(refs, SourceRef(spec.location, Origin.GIVEN, spec.name))
        s0, s1 = a.sentence_span
        for link in links:
            # inside the sentence, or right after it in the same paragraph
            if s0 <= link.start and link.end <= s1 + _LINK_REACH and "\n" not in article.text[s1 : link.start]:
                o = reg.for_url(link.url)
                # a link to another outlet's page in the same sentence is not this outlet's original
                if outlets and o and o.name not in outlets:
                    continue
                add(refs, SourceRef(link.url, Origin.LINK, None))
        for name in outlets:
            if name not in outlet_links:
                continue
            if len(outlets) == 1 and refs:
                continue  # one outlet with a link of its own in the sentence: that link is its source
            if not any((o := reg.for_url(r.location)) is not None and o.name == name for r in refs):
                for url in outlet_links[name]:
                    add(refs, SourceRef(url, Origin.LINK, None))
        for spec, outlet in bare:
            if outlet and outlet in outlets:
                add(refs, SourceRef(spec.location, Origin.GIVEN, None))
        result[a.id] = refs
    # every cited source is known now: collective attributions use all of them, and bare sources
    # are candidates for attributions left with none
    for spec, _ in bare:
        if all(r.location != spec.location for r in all_refs):
            all_refs.append(SourceRef(spec.location, Origin.CANDIDATE, None, refusals.get(spec.location)))
    for spec, _ in named:
        if all(r.location != spec.location for r in all_refs):
            all_refs.append(SourceRef(spec.location, Origin.GIVEN, spec.name, refusals.get(spec.location)))
    for a in attributions:
        if a.collective:
            for ref in all_refs:
                if all(r.location != ref.location for r in result[a.id]):
                    result[a.id].append(SourceRef(ref.location, Origin.CITED, ref.name, ref.refused))
        elif not result[a.id]:
            result[a.id] = [SourceRef(s.location, Origin.CANDIDATE, None, refusals.get(s.location)) for s, _ in bare]
    return result


def all_locations(mapping: dict[str, list[SourceRef]]) -> list[str]:
    """Every location to read (refused ones left out: nothing is read from them)."""
    seen: dict[str, None] = {}
    for refs in mapping.values():
        for r in refs:
            if not r.refused:
                seen.setdefault(r.location, None)
    return list(seen)


def refused_locations(mapping: dict[str, list[SourceRef]]) -> dict[str, str]:
    """location -> why it is refused, for every refused source in the mapping."""
    return {r.location: r.refused for refs in mapping.values() for r in refs if r.refused}
