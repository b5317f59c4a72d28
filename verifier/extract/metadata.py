"""A page's metadata: <meta> tags, JSON-LD (the NewsArticle object, its names, dates and
free-access flag) and the title without the site's suffix."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from bs4 import BeautifulSoup

from verifier.extract.page_text import _TITLE_SEP_RE
from verifier.registry import Outlet


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in soup.find_all("meta"):
        key = m.get("property") or m.get("name") or m.get("itemprop")
        content = m.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            out.setdefault(key.strip().lower(), content.strip())
    return out


def _json_ld(soup: BeautifulSoup) -> list[dict[str, Any]]:
    """All JSON-LD objects on the page, flattened out of lists and @graph."""
    objs: list[dict[str, Any]] = []

    def walk(x: Any, depth: int = 0) -> None:
        if depth > 5:
            return
        if isinstance(x, list):
            for i in x:
                walk(i, depth + 1)
        elif isinstance(x, dict):
            objs.append(x)
            if "@graph" in x:
                walk(x["@graph"], depth + 1)

    for sc in soup.find_all("script", attrs={"type": re.compile(r"ld\+json", re.I)}):
        raw = sc.string or sc.get_text() or ""
        raw = raw.strip().removeprefix("<!--").removesuffix("-->").strip().rstrip(";")
        if not raw:
            continue
        try:
            walk(json.loads(raw, strict=False))
        except (ValueError, RecursionError):
            continue
    return objs


def _types(obj: dict[str, Any]) -> list[str]:
    t = obj.get("@type", [])
    return [str(x) for x in (t if isinstance(t, list) else [t])]


def _article_ld(objs: list[dict[str, Any]]) -> dict[str, Any] | None:
    for o in objs:
        if any(t.endswith("Article") or t in ("BlogPosting", "LiveBlogPosting", "Report") for t in _types(o)):
            return o
    return None


def _ld_name(x: Any) -> str | None:
    if isinstance(x, str):
        return x.strip() or None
    if isinstance(x, dict):
        n = x.get("name")
        return n.strip() if isinstance(n, str) and n.strip() else None
    if isinstance(x, list):
        names = [n for n in (_ld_name(i) for i in x) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _falsy_flag(v: Any) -> bool:
    return v is False or (isinstance(v, str) and v.strip().lower() == "false")


def _iso(value: str | None) -> str | None:
    """ISO 8601 form of a date string when it parses; the string as given otherwise."""
    if not value:
        return None
    v = value.strip()
    try:
        return datetime.fromisoformat(v.replace("Z", "+00:00")).isoformat()
    except ValueError:
        return v


def _strip_title_suffix(title: str, outlet: Outlet | None, site_name: str | None) -> str:
    """'Headline | Spain | The Guardian' -> 'Headline'. Only strips when the last segment is
    the site, so a headline containing ' - ' keeps its text."""
    parts = _TITLE_SEP_RE.split(title)
    if len(parts) < 2:
        return title
    names = {n.lower() for n in ([site_name] if site_name else [])}
    if outlet:
        names |= {outlet.name.lower(), *(a.lower() for a in outlet.aliases)}
    if parts[-1].strip().lower() in names or (" | " in title and len(parts) <= 4):
        return parts[0].strip()
    return title
