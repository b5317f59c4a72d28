"""Wayback Machine: the closest snapshot of a page (`/wayback/available`) and its raw `id_` form."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from verifier.sources.discover._util import json_body
from verifier.sources.discover.http import Context
from verifier.sources.discover.types import ProviderError

NAME = "wayback"


def raw_snapshot_url(ctx: Context, timestamp: str, original: str) -> str:
    """`https://web.archive.org/web/<timestamp>id_/<original>`: the page as archived, no toolbar."""
    return f"{ctx.config.wayback_snapshots()}/{timestamp}id_/{original}"


def closest_snapshot(ctx: Context, url: str, when: datetime | None = None) -> tuple[str, str] | None:
    """(timestamp, raw snapshot URL) of the closest available snapshot, or None. Raises
    ProviderError when the availability API fails."""
    params = {"url": url}
    if when is not None:
        params["timestamp"] = when.strftime("%Y%m%d%H%M%S")
    data = json_body("Wayback", ctx.get(NAME, f"{ctx.config.wayback_available()}?{urlencode(params)}"))
    if not isinstance(data, dict):
        raise ProviderError("Wayback: unexpected answer")
    closest = (data.get("archived_snapshots") or {}).get("closest") or {}
    if not closest or not closest.get("available", False) or str(closest.get("status", "200")) != "200":
        return None
    ts = str(closest.get("timestamp") or "")
    if not ts.isdigit():
        return None
    return ts, raw_snapshot_url(ctx, ts, url)
