"""A loopback server that answers as the discovery providers do, from recorded answers.

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

`url_map` maps "https://" and "http://" to the server, so EVERY URL the run fetches (provider
APIs, sitemaps, article pages, Wayback) is answered from the replay: nothing leaves the machine.
Unknown URLs get 404 "not in replay map".
"""

from __future__ import annotations

import mimetypes
import threading
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit


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


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        parts = urlsplit(self.path)
        pieces = parts.path.lstrip("/").split("/", 1)
        if len(pieces) < 2 or pieces[0] not in ("http", "https"):
            return self._reply(404, b"not in replay map", "text/plain", {})
        original = f"{pieces[0]}://{pieces[1]}"
        params = parse_qs(parts.query)
        route = self.server.owner.pick(original + (f"?{parts.query}" if parts.query else ""), original, params)
        if route is None:
            return self._reply(404, b"not in replay map", "text/plain", {})
        if route.delay:
            time.sleep(route.delay)
        data, ctype = route.payload()
        self._reply(route.status, data, ctype, route.headers)

    def _reply(self, code: int, body: bytes, ctype: str, headers: dict[str, str]) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: ProviderReplay

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class ProviderReplay:
    """`with ProviderReplay(routes) as rp:` -> `rp.url_map` sends every http(s) URL to it;
    `rp.requests` lists the original URLs asked for (with query strings)."""

    def __init__(self, routes: list[Route] | None = None, overrides: dict[str, Any] | None = None) -> None:
        self.routes: list[Route] = list(routes or [])
        self.overrides = overrides or {}
        self.requests: list[str] = []
        self._served: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread: threading.Thread | None = None

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

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url_map(self) -> dict[str, str]:
        return {"https://": f"{self.base}/https/", "http://": f"{self.base}/http/"}

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
        """Point `options` (verifier.pipeline.Options) at this replay: URL map, loopback allowed,
        no robots.txt round trips, the replay's [discovery] overrides."""
        from dataclasses import replace

        options.url_map = {**options.url_map, **self.url_map}
        options.fetch = replace(options.fetch, allow_private=True, offline=False, ignore_robots=True)
        options.offline = False
        options.store = None  # replayed pages are not evidence worth keeping
        cfg = options.discovery
        for k, v in self.overrides.items():
            if not hasattr(cfg, k):
                raise ValueError(f"replay [discovery]: unknown setting {k!r}")
            if k == "providers":
                v = tuple(v)
            setattr(cfg, k, v)
        return options

    def __enter__(self) -> ProviderReplay:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
