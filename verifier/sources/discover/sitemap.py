"""Google News sitemaps of the registry's outlets: candidates by title and publication date.

XML is parsed with defusedxml (no entity expansion, no external entities). A sitemap index is
followed one level down, to at most `_MAX_CHILDREN` child sitemaps (news ones first)."""

from __future__ import annotations

from urllib.parse import urljoin

from defusedxml import ElementTree as SafeET

from verifier.settings.env import value as env_value
from verifier.sources.discover._util import http_error
from verifier.sources.discover.http import Context
from verifier.sources.discover.query import parse_datetime
from verifier.sources.discover.types import Candidate, ProviderError, Query

NAME = "sitemap"
_SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
_MAX_CHILDREN = 3


def site_base(ctx: Context, query: Query) -> str | None:
    o = query.outlet
    if o is None or not o.domains:
        return None
    cfg = ctx.config.site_bases
    for k in (o.name, o.key):
        if k in cfg:
            return cfg[k].rstrip("/")
    env = env_value(f"VERIFIER_SITE_{o.key.upper()}")
    if env:
        return env.rstrip("/")
    if o.discovery.get("site"):
        return str(o.discovery["site"]).rstrip("/")
    return f"https://www.{o.domains[0]}"


def sitemap_urls(ctx: Context, query: Query) -> list[str]:
    o = query.outlet
    base = site_base(ctx, query)
    if o is None or base is None:
        return []
    paths = o.discovery.get("sitemap") or []
    if isinstance(paths, str):
        paths = [paths]
    return [p if "://" in p else urljoin(base + "/", p.lstrip("/")) for p in paths]


def parse_sitemap(xml: bytes | str) -> tuple[list[dict[str, str]], list[str]]:
    """(url entries, child sitemap URLs). Entries: loc, title, published, name."""
    try:
        root = SafeET.fromstring(xml)
    except Exception as e:  # defusedxml raises its own errors for forbidden constructs
        raise ProviderError(f"sitemap: unreadable XML ({type(e).__name__})") from None
    entries: list[dict[str, str]] = []
    children: list[str] = []
    if root.tag == f"{_SM}sitemapindex":
        for sm in root.findall(f"{_SM}sitemap"):
            loc = (sm.findtext(f"{_SM}loc") or "").strip()
            if loc:
                children.append(loc)
        return entries, children
    if root.tag != f"{_SM}urlset":
        raise ProviderError(f"sitemap: not a sitemap (root <{root.tag}>)")
    for u in root.findall(f"{_SM}url"):
        loc = (u.findtext(f"{_SM}loc") or "").strip()
        news = u.find(f"{_NEWS}news")
        if not loc:
            continue
        e = {"loc": loc, "title": "", "published": "", "name": ""}
        if news is not None:
            e["title"] = (news.findtext(f"{_NEWS}title") or "").strip()
            e["published"] = (news.findtext(f"{_NEWS}publication_date") or "").strip()
            e["name"] = (news.findtext(f"{_NEWS}publication/{_NEWS}name") or "").strip()
        else:
            e["published"] = (u.findtext(f"{_SM}lastmod") or "").strip()
        entries.append(e)
    return entries, children


class SitemapProvider:
    name = NAME

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def applies(self, query: Query) -> bool:
        return bool(query.outlet and query.outlet.discovery.get("sitemap") and query.outlet.domains)

    def _read(self, url: str) -> tuple[list[dict[str, str]], list[str]]:
        r = self.ctx.get(NAME, url)
        if r.error:
            raise http_error(f"sitemap {url}", r)
        return parse_sitemap(r.body or r.text.encode())

    def candidates(self, query: Query) -> list[Candidate]:
        out: list[Candidate] = []
        errors: list[str] = []
        for url in sitemap_urls(self.ctx, query):
            try:
                entries, children = self._read(url)
                children.sort(key=lambda c: "news" not in c.lower())
                for child in children[:_MAX_CHILDREN]:
                    more, _ = self._read(child)
                    entries.extend(more)
            except ProviderError as e:
                errors.append(e.message)
                continue
            for e in entries:
                out.append(Candidate(url=e["loc"], provider=NAME, title=e["title"],
                                     published=parse_datetime(e["published"])))
        if errors and not out:
            raise ProviderError("; ".join(errors))
        return out
