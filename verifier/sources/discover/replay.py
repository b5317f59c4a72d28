"""An in-process httpx transport that answers as the discovery providers and outlets do, from
recorded answers (`--replay FILE`, `make demo`, tests).

A replay file (TOML) lists routes; every request is matched on the original URL (scheme, host,
path) plus optional query-parameter substrings, first match wins:

    [discovery]                       # optional DiscoveryConfig overrides for this replay
    min_intervals = { gdelt = 0.0 }

    [[route]]
    url = "https://content.guardianapis.com/search"
    query = { q = "reassurance" }     # optional: each parameter must contain the substring
    file = "guardian/search.json"     # relative to the replay file; or body = "..."
    status = 200                      # optional, default 200
    content_type = "application/json" # optional, default from the file name
    headers = { "Retry-After" = "1" } # optional
    times = 1                         # optional: answer this way only N times, then fall through
    delay = 3.0                       # optional: seconds before answering (a slow source)

The fetch client is given the replay's transport (`ProviderReplay.apply`), so EVERY URL the run
fetches (provider APIs, sitemaps, article pages, Wayback, robots.txt) is answered from the replay,
under its own URL: nothing leaves the machine. Unknown URLs get 404 "not in replay map".
"""

from __future__ import annotations

import asyncio
import mimetypes
import threading
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx


@dataclass
class Route:
    url: str
    query: dict[str, str] = field(default_factory=dict)
    file: Path | None = None
    body: bytes | None = None
    status: int = 200
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None
    delay: float = 0.0  # seconds to wait before answering (a slow or hanging source)

    def matches(self, url: str, params: dict[str, list[str]]) -> bool:
        if url.rstrip("/") != self.url.rstrip("/"):
            return False
        for k, needle in self.query.items():
            values = params.get(k)
            if not values or not any(needle.lower() in v.lower() for v in values):
                return False
        return True

    def payload(self) -> tuple[bytes, str]:
        if self.body is not None:
            data = self.body
            ctype = self.content_type or "text/plain"
        elif self.file is not None:
            try:
                data = self.file.read_bytes()
            except OSError:
                return b"missing replay file", "text/plain"
            ctype = self.content_type or mimetypes.guess_type(self.file.name)[0] or "application/octet-stream"
        else:
            data, ctype = b"", self.content_type or "text/plain"
        if (ctype.startswith("text/") or ctype in ("application/json", "application/xml")) and "charset" not in ctype:
            ctype += "; charset=utf-8"
        return data, ctype


def load_routes(path: str | Path) -> tuple[list[Route], dict[str, Any]]:
    """Routes and the [discovery] overrides of a replay file."""
    p = Path(path)
    doc = tomllib.loads(p.read_text(encoding="utf-8"))
    routes = []
    for r in doc.get("route", []):
        routes.append(Route(
            url=str(r["url"]),
            query={str(k): str(v) for k, v in (r.get("query") or {}).items()},
            file=(p.parent / r["file"]).resolve() if r.get("file") else None,
            body=str(r["body"]).encode() if "body" in r else None,
            status=int(r.get("status", 200)),
            content_type=r.get("content_type"),
            headers={str(k): str(v) for k, v in (r.get("headers") or {}).items()},
            times=int(r["times"]) if "times" in r else None,
            delay=float(r.get("delay", 0.0)),
        ))
    return routes, dict(doc.get("discovery") or {})


class ReplayTransport(httpx.AsyncBaseTransport):
    """An httpx transport that answers every request from a `ProviderReplay`'s routes, in process:
    nothing is resolved or connected, so the fetch client's own checks (robots.txt, redirects,
    size and type limits, the store) run exactly as on a live run. A route's `delay` longer than
    the request's read timeout ends in httpx.ReadTimeout, as a slow server would."""

    def __init__(self, replay: ProviderReplay) -> None:
        self.replay = replay

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raw_path = request.url.raw_path.decode("ascii", "replace")
        path, _, query = raw_path.partition("?")
        original = f"{request.url.scheme}://{request.url.netloc.decode('ascii', 'replace')}{path}"
        route = self.replay.pick(original + (f"?{query}" if query else ""), original, parse_qs(query))
        if route is None:
            return _response(404, b"not in replay map", "text/plain", {}, request)
        if route.delay:
            read_timeout = (request.extensions.get("timeout") or {}).get("read")
            if read_timeout is not None and route.delay > read_timeout:
                await asyncio.sleep(read_timeout)
                raise httpx.ReadTimeout("replayed answer slower than the read timeout", request=request)
            await asyncio.sleep(route.delay)
        data, ctype = route.payload()
        return _response(route.status, data, ctype, route.headers, request)


def _response(status: int, body: bytes, ctype: str, headers: dict[str, str], request: httpx.Request) -> httpx.Response:
    # a stream, not `content=`: the client reads bodies as streams, with its own size cap
    return httpx.Response(status, headers=[("Content-Type", ctype), ("Content-Length", str(len(body))),
                                           *headers.items()], stream=httpx.ByteStream(body), request=request)


class ProviderReplay:
    """`with ProviderReplay(routes) as rp:` -> `rp.transport` answers every http(s) URL from the
    routes; `rp.apply(options)` points a run at it. `rp.requests` lists the original URLs asked
    for (with query strings), robots.txt included."""

    def __init__(self, routes: list[Route] | None = None, overrides: dict[str, Any] | None = None) -> None:
        self.routes: list[Route] = list(routes or [])
        self.overrides = overrides or {}
        self.requests: list[str] = []
        self._served: Counter[int] = Counter()
        self._lock = threading.Lock()
        self.transport = ReplayTransport(self)

    @classmethod
    def from_file(cls, path: str | Path) -> ProviderReplay:
        routes, overrides = load_routes(path)
        return cls(routes, overrides)

    def add(self, url: str, *, file: str | Path | None = None, body: str | bytes | None = None,
            status: int = 200, content_type: str | None = None, query: dict[str, str] | None = None,
            headers: dict[str, str] | None = None, times: int | None = None, delay: float = 0.0) -> None:
        if isinstance(body, str):
            body = body.encode()
        self.routes.append(Route(url, dict(query or {}), Path(file) if file else None, body, status,
                                 content_type, dict(headers or {}), times, delay))

    def pick(self, full: str, url: str, params: dict[str, list[str]]) -> Route | None:
        with self._lock:
            self.requests.append(full)
            for i, r in enumerate(self.routes):
                if r.times is not None and self._served[i] >= r.times:
                    continue
                if r.matches(url, params):
                    self._served[i] += 1
                    return r
        return None

    def asked(self, prefix: str) -> list[str]:
        return [u for u in self.requests if u.startswith(prefix)]

    def apply(self, options: Any) -> Any:
        """Point `options` (verifier.pipeline.Options) at this replay: its transport for every
        fetch, network mode on, the replay's [discovery] overrides. The SSRF guard and robots.txt
        stay as configured (the guard has nothing to check: no connection is made). Recorded
        answers are not evidence of what an outlet published, so they are kept out of the
        evidence store: a later real run must never read a replayed page as the outlet's."""
        from dataclasses import replace

        options.transport = self.transport
        options.fetch = replace(options.fetch, offline=False)
        options.offline = False
        options.store = None
        cfg = options.discovery
        for k, v in self.overrides.items():
            if not hasattr(cfg, k):
                raise ValueError(f"replay [discovery]: unknown setting {k!r}")
            if k == "providers":
                v = tuple(v)
            setattr(cfg, k, v)
        return options

    def __enter__(self) -> ProviderReplay:
        return self

    def __exit__(self, *exc: object) -> None:
        pass
