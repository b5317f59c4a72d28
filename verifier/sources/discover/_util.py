"""Shared helpers for the provider modules."""

from __future__ import annotations

import json
from typing import Any

from verifier.models import FetchResult
from verifier.sources.discover.types import ProviderError


def http_error(provider: str, r: FetchResult) -> ProviderError:
    """A ProviderError for a failed request, flagged when it is a rate limit."""
    limited = r.status == 429 or (r.error or "").startswith("HTTP 429")
    what = {400: "rejected the query (HTTP 400)", 404: "not found (HTTP 404)",
            429: "rate limited (HTTP 429)"}.get(r.status or 0, r.error or "no answer")
    if r.error and "Retry-After" in r.error:
        what += " " + r.error[r.error.find("(Retry-After"):]
    return ProviderError(f"{provider}: {what}", rate_limited=limited)


def json_body(provider: str, r: FetchResult) -> Any:
    if r.error:
        raise http_error(provider, r)
    text = r.text or r.body.decode("utf-8", "replace")
    stripped = text.lstrip()
    if stripped.startswith("<"):
        raise ProviderError(f"{provider}: answered with an HTML page instead of JSON (query rejected?)")
    if not stripped:
        raise ProviderError(f"{provider}: empty answer")
    try:
        return json.loads(text)
    except ValueError:
        first = " ".join(stripped.split())[:120]
        limited = "limit requests" in first.lower() or "rate limit" in first.lower()
        raise ProviderError(f"{provider}: {'rate limited: ' if limited else 'not JSON: '}{first}",
                            rate_limited=limited) from None
