"""GDELT DOC 2.0 `artlist`: articles on the outlet's domain in the date window.

Answers: `{"articles": [...]}`; `{}` when nothing matched; a 200 text/html page for a query GDELT
rejects; 429 (or 200) plain text "Please limit requests to one every 5 seconds" when rate limited."""

from __future__ import annotations

from urllib.parse import urlencode

from verifier.sources.discover._util import json_body
from verifier.sources.discover.http import Context
from verifier.sources.discover.query import parse_datetime
from verifier.sources.discover.types import Candidate, ProviderError, Query

NAME = "gdelt"


def gdelt_query(query: Query) -> str:
    # GDELT wants OR'ed terms in parentheses, phrases in quotes, words of 3+ letters
    terms = [f'"{p}"' for p in query.phrases[:1] if 2 <= len(p.split()) <= 10 and '"' not in p]
    terms += [w for w in query.words[:5] if len(w) >= 3 and w.upper() not in ("AND", "OR", "NOT")]
    q = "(" + " OR ".join(terms) + ")" if len(terms) > 1 else (terms[0] if terms else "")
    if query.outlet and query.outlet.domains:
        q += f" domainis:{query.outlet.domains[0]}"
    return q.strip()


class GdeltProvider:
    name = NAME

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def applies(self, query: Query) -> bool:
        return bool(query.words or query.phrases)

    def search_url(self, query: Query) -> str:
        params = {
            "query": gdelt_query(query),
            "mode": "artlist",
            "format": "json",
            "maxrecords": str(min(250, max(1, self.ctx.config.max_candidates))),
            "sort": "hybridrel",
            "startdatetime": query.start.strftime("%Y%m%d") + "000000",
            "enddatetime": query.end.strftime("%Y%m%d") + "235959",
        }
        return f"{self.ctx.config.gdelt()}?{urlencode(params)}"

    def candidates(self, query: Query) -> list[Candidate]:
        data = json_body("GDELT", self.ctx.get(NAME, self.search_url(query)))
        if not isinstance(data, dict):
            raise ProviderError("GDELT: unexpected answer")
        out = []
        for art in data.get("articles") or []:  # {} means no results
            if not isinstance(art, dict) or not art.get("url"):
                continue
            out.append(Candidate(url=str(art["url"]), provider=NAME, title=str(art.get("title") or ""),
                                 published=parse_datetime(art.get("seendate"))))
        return out
