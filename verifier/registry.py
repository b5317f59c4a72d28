"""The outlet registry: which publications the verifier knows, as data (outlets.toml).

Used three ways: resolving a name written in copy ("the Guardian newspaper") to a canonical
outlet, resolving a URL's host to an outlet, and scanning running text for outlet mentions.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from verifier.errors import ConfigError

_LIST_FIELDS = (
    "aliases",
    "guarded_aliases",
    "false_friends",
    "domains",
    "body_selectors",
    "headline_selectors",
    "standfirst_selectors",
    "byline_selectors",
    "paywall_markers",
    "paywall_selectors",
    "back_references",
)
# Lists a user file extends rather than replaces: adding an alias or a mirror domain is the
# common case; replacing selectors (because the site changed its markup) is the other.
_EXTENDED_FIELDS = frozenset({"aliases", "guarded_aliases", "false_friends", "domains"})

# Descriptions that follow an outlet's name in copy without changing which outlet it is.
_TRAILERS = (
    "news agency",
    "newswire",
    "wire service",
    "news service",
    "news website",
    "newspaper",
    "paper",
    "daily",
    "weekly",
    "website",
    "site",
    "magazine",
    "broadsheet",
    "tabloid",
    "agency",
)
_TRAILER_RE = re.compile(r"(?:\s+(?:" + "|".join(re.escape(t) for t in _TRAILERS) + r"))+$")
_LEADING_THE_RE = re.compile(r"^the\s+")


@dataclass(frozen=True)
class Outlet:
    name: str
    key: str = ""
    aliases: tuple[str, ...] = ()
    guarded_aliases: tuple[str, ...] = ()
    false_friends: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    body_selectors: tuple[str, ...] = ()
    headline_selectors: tuple[str, ...] = ()
    standfirst_selectors: tuple[str, ...] = ()
    byline_selectors: tuple[str, ...] = ()
    paywall_markers: tuple[str, ...] = ()
    paywall_selectors: tuple[str, ...] = ()
    # short names that refer back to this outlet once it has been cited by its full name
    # ("the Times" after The New York Times, "the Post" after The Washington Post)
    back_references: tuple[str, ...] = ()
    # dicts are unhashable: keep discovery out of hash/eq so Outlet stays usable as a dict key
    discovery: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


def _norm_name(name: str) -> str:
    """Lower-case, collapse whitespace, drop possessive 's, leading 'the', trailing 'newspaper' etc."""
    s = " ".join(name.replace("\u2019", "'").split()).lower().strip(" .,;:")
    s = re.sub(r"'s?$", "", s)
    s = _LEADING_THE_RE.sub("", s)
    s = _TRAILER_RE.sub("", s)
    return s.strip()


def _host(url: str) -> str:
    try:
        parts = urlsplit(url if "//" in url else "//" + url)
        return (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


class Registry:
    def __init__(self, outlets: Iterable[Outlet]) -> None:
        self.outlets: list[Outlet] = list(outlets)
        self._by_name: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        # Later outlets (user overrides) win on name collisions; canonical names beat aliases.
        for o in self.outlets:
            for a in o.aliases:
                self._by_name.setdefault(a.lower(), o)
                self._by_name.setdefault(_norm_name(a), o)
            for d in o.domains:
                self._by_domain[d.lower().removeprefix("www.")] = o
        for o in self.outlets:
            self._by_name[o.name.lower()] = o
            self._by_name[_norm_name(o.name)] = o
        self._mention_re, self._surface = self._compile()

    def _compile(self) -> tuple[re.Pattern[str] | None, dict[str, tuple[Outlet | None, bool]]]:
        # surface form -> (outlet or None for a false friend, guarded?)
        surface: dict[str, tuple[Outlet | None, bool]] = {}
        for o in self.outlets:
            for a in o.aliases:
                surface[a] = (o, a in o.guarded_aliases)
        for o in self.outlets:
            for ff in o.false_friends:
                surface[ff] = (None, False)
        if not surface:
            return None, surface
        # Longest first: Python's alternation takes the first alternative that matches at a
        # position, so this makes "The Times Educational Supplement" beat "The Times".
        forms = sorted(surface, key=lambda s: (-len(s), s))
        pattern = r"(?<![\w@.-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)"
        return re.compile(pattern), surface

    def find(self, name: str) -> Outlet | None:
        """Outlet by canonical name or alias, case-insensitively ("the Guardian newspaper", "ft")."""
        if not name or not name.strip():
            return None
        raw = " ".join(name.split()).lower()
        hit = self._by_name.get(raw)
        if hit is None:
            hit = self._by_name.get(_norm_name(name))
        return hit

    def for_url(self, url: str) -> Outlet | None:
        """Outlet whose domain is the URL's host or a parent of it (www.ft.com, amp.theguardian.com)."""
        host = _host(url)
        if not host:
            return None
        labels = host.split(".")
        # Most specific first, so news.sky.com is checked before sky.com.
        for i in range(len(labels) - 1):
            hit = self._by_domain.get(".".join(labels[i:]))
            if hit is not None:
                return hit
        return None

    def mentions(self, text: str) -> list[tuple[int, int, Outlet]]:
        """(start, end, outlet) for each outlet named in `text`: case-sensitive, whole words,
        longest match first, non-overlapping, in text order."""
        if self._mention_re is None or not text:
            return []
        out: list[tuple[int, int, Outlet]] = []
        for m in self._mention_re.finditer(text):
            outlet, guarded = self._surface[m.group(0)]
            if outlet is None:
                continue
            if guarded and _preceded_by_proper_name(text, m.start()):
                continue
            out.append((m.start(), m.end(), outlet))
        return out


_PRECEDING_WORD_RE = re.compile(r"([A-Z][\w.&'-]*)[ \t]+$")
_NOT_A_NAME = frozenset(
    {"The", "THE", "A", "An", "By", "In", "To", "Of", "For", "And", "But", "Said", "Told"}
)


def _preceded_by_proper_name(text: str, start: int) -> bool:
    """True for "Hindustan Times", "Belfast Telegraph": a capitalised word right before a bare,
    guarded alias makes it part of another title we do not know."""
    m = _PRECEDING_WORD_RE.search(text[max(0, start - 40) : start])
    if not m:
        return False
    word = m.group(1)
    if word in _NOT_A_NAME or word.endswith("'s") or word.endswith("\u2019s"):
        return False
    # Sentence-initial capitals ("Yesterday Times reporters...") are not names either.
    before = text[: start - len(m.group(0))].rstrip()
    return not (before == "" or before[-1] in ".!?\"'\u201d\n")


class RegistryError(ConfigError):
    """An outlet registry file that cannot be used; the message names the file and the key."""


_DISCOVERY_KEYS = {"sitemap": (str, list), "site": (str,), "api_base": (str,)}


def _validate(key: str, table: Mapping[str, Any], origin: str) -> None:
    """Unknown keys and wrong types are errors naming the key (ValueError, one line): a string
    where a list belongs would otherwise become one alias per letter."""
    where = f"{origin}: outlet.{key}"
    unknown = sorted(set(table) - {"name", "replace", "discovery", *_LIST_FIELDS})
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {', '.join(unknown)}")
    if not isinstance(table.get("name"), str) or not table["name"].strip():
        raise RegistryError(f"{where}.name must be a non-empty string")
    for f in _LIST_FIELDS:
        if f in table:
            v = table[f]
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                got = "a string" if isinstance(v, str) else type(v).__name__
                raise RegistryError(f"{where}.{f} must be a list of strings, not {got}")
    if "replace" in table and not isinstance(table["replace"], bool):
        raise RegistryError(f"{where}.replace must be true or false")
    if "discovery" in table:
        disc = table["discovery"]
        if not isinstance(disc, dict):
            raise RegistryError(f"{where}.discovery must be a table")
        for k, v in disc.items():
            if k not in _DISCOVERY_KEYS:
                raise RegistryError(f"{where}.discovery: unknown key {k}")
            if not isinstance(v, _DISCOVERY_KEYS[k]) or (isinstance(v, list) and not all(isinstance(x, str) for x in v)):
                raise RegistryError(f"{where}.discovery.{k} must be a string" + (" or a list of strings" if k == "sitemap" else ""))


def _outlet_from_table(key: str, table: Mapping[str, Any]) -> Outlet:
    kwargs: dict[str, Any] = {"name": str(table["name"]), "key": key}
    for f in _LIST_FIELDS:
        if f in table:
            kwargs[f] = tuple(str(x) for x in table[f])
    kwargs["discovery"] = dict(table.get("discovery", {}))
    return Outlet(**kwargs)


def _merge(base: Outlet, table: Mapping[str, Any]) -> Outlet:
    replace = bool(table.get("replace", False))
    changes: dict[str, Any] = {}
    for f in _LIST_FIELDS:
        if f not in table:
            continue
        new = tuple(str(x) for x in table[f])
        if f in _EXTENDED_FIELDS and not replace:
            new = tuple(dict.fromkeys(getattr(base, f) + new))
        changes[f] = new
    if "discovery" in table:
        changes["discovery"] = {**base.discovery, **dict(table["discovery"])}
    return Outlet(**{**base.__dict__, **changes})


def _tables(doc: Mapping[str, Any], origin: str) -> list[tuple[str, Mapping[str, Any]]]:
    outlets = doc.get("outlet", {})
    if not isinstance(outlets, dict):
        raise RegistryError(f"{origin}: [outlet.*] tables expected")
    unknown = sorted(set(doc) - {"outlet"})
    if unknown:
        raise RegistryError(f"{origin}: unknown top-level key(s) {', '.join(unknown)} (outlets go in [outlet.KEY] tables)")
    out = []
    for key, table in outlets.items():
        if not isinstance(table, dict) or not table.get("name"):
            raise RegistryError(f"{origin}: outlet.{key} needs a name")
        _validate(key, table, origin)
        out.append((key, table))
    return out


def load_registry(extra: list[Path] | None = None) -> Registry:
    """The packaged outlets.toml, then $VERIFIER_OUTLETS, then `extra` files, later files
    overriding earlier ones outlet by outlet (matched on name, case-insensitively)."""
    sources: list[tuple[str, str]] = [
        ("outlets.toml", resources.files("verifier").joinpath("data", "outlets.toml").read_text(encoding="utf-8"))
    ]
    paths: list[Path] = []
    env = os.environ.get("VERIFIER_OUTLETS")
    if env:
        paths.extend(Path(p) for p in env.split(os.pathsep) if p)
    paths.extend(extra or [])
    for p in paths:
        try:
            sources.append((str(p), Path(p).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as e:
            raise RegistryError(f"cannot read outlet registry {p}: {getattr(e, 'strerror', None) or e}") from None

    merged: dict[str, Outlet] = {}  # lower-cased name -> outlet, insertion order kept
    for origin, text in sources:
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise RegistryError(f"{origin}: invalid TOML: {e}") from e
        for key, table in _tables(doc, origin):
            lname = str(table["name"]).lower()
            if lname in merged:
                merged[lname] = _merge(merged[lname], table)
            else:
                merged[lname] = _outlet_from_table(key, table)
    return Registry(merged.values())


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry built once per process (packaged data + $VERIFIER_OUTLETS)."""
    return load_registry()
