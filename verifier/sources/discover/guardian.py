"""The Guardian Content API (`/search`): candidates with headline, standfirst and bodyText."""

from __future__ import annotations

from urllib.parse import urlencode

from verifier.sources.discover._util import http_error, json_body
from verifier.sources.discover.http import Context
from verifier.sources.discover.query import parse_datetime
from verifier.sources.discover.types import Candidate, ProviderError, Query

NAME = "guardian_api"


def search_terms(query: Query) -> str:
    """Exact phrases OR'ed with the distinctive words; the API orders by relevance and the
    local ranking does the rest."""
    parts = [f'"{p}"' for p in query.phrases[:2] if '"' not in p]
    parts += [w for w in query.words[:6] if w.upper() not in ("AND", "OR", "NOT")]
    return " OR ".join(parts) if parts else query.text[:100]


class GuardianProvider:
    name = NAME

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def applies(self, query: Query) -> bool:
        # the API only holds the Guardian's (and Observer's) own content
        return query.outlet is None or "theguardian.com" in query.domains or query.outlet.key == "observer"

    def search_url(self, query: Query) -> str:
        reg = self.ctx.registry.find("The Guardian")
        base = self.ctx.config.guardian_base(reg.discovery.get("api_base") if reg else None)
        params = {
            "q": search_terms(query),
            "from-date": query.start.isoformat(),
            "to-date": query.end.isoformat(),
            "order-by": "relevance",
            "page-size": str(min(200, max(1, self.ctx.config.max_candidates))),
            "show-fields": "headline,trailText,bodyText",
            "api-key": self.ctx.config.guardian_key(),
        }
        return f"{base}/search?{urlencode(params)}"

    def candidates(self, query: Query) -> list[Candidate]:
        r = self.ctx.get(NAME, self.search_url(query))
        if r.error:
            raise http_error("Guardian API", r)
        data = json_body("Guardian API", r)
        resp = data.get("response") if isinstance(data, dict) else None
        if not isinstance(resp, dict):
            raise ProviderError("Guardian API: answer has no 'response' envelope")
        if resp.get("status") != "ok":
            msg = str(resp.get("message") or "unknown error")
            raise ProviderError(f"Guardian API error: {msg}", rate_limited="rate limit" in msg.lower())
        out = []
        for item in resp.get("results") or []:
            if not isinstance(item, dict) or not item.get("webUrl"):
                continue
            fields = item.get("fields") or {}
            out.append(Candidate(
                url=str(item["webUrl"]),
                provider=NAME,
                title=str(fields.get("headline") or item.get("webTitle") or ""),
                standfirst=_strip_tags(str(fields.get("trailText") or "")),
                published=parse_datetime(item.get("webPublicationDate")),
                body=str(fields.get("bodyText") or ""),
                kind="liveblog" if item.get("type") == "liveblog" else "article",
            ))
        return out


def _strip_tags(s: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", s).split())
