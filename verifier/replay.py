"""A loopback replay server: serve recorded pages (or failures) in place of live URLs.

Used by `verifier eval` and the tests to put captured outlet pages behind real HTTP on 127.0.0.1,
so the whole fetch stage (status codes, content types, charsets, timeouts) is exercised offline.

A replay map is {original URL: spec}; a spec is a file path, "status:NNN", "timeout" (answers after
`timeout_delay` seconds) or "slow:SECONDS".
"""

from __future__ import annotations

import mimetypes
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        spec = self.server.routes.get(self.path.split("?", 1)[0])
        if spec is None:
            return self._reply(404, b"not in replay map", "text/plain")
        if spec.startswith("status:"):
            code = int(spec.split(":", 1)[1])
            return self._reply(code, f"<html><body><h1>{code}</h1></body></html>".encode(), "text/html")
        if spec == "timeout" or spec.startswith("slow:"):
            delay = self.server.timeout_delay if spec == "timeout" else float(spec.split(":", 1)[1])
            time.sleep(delay)
            return self._reply(200, b"<html><body><p>late</p></body></html>", "text/html")
        path = Path(spec)
        try:
            body = path.read_bytes()
        except OSError:
            return self._reply(404, b"missing replay file", "text/plain")
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/json", "application/xml"):
            ctype += "; charset=utf-8"
        return self._reply(200, body, ctype)

    def _reply(self, code: int, body: bytes, ctype: str) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, str]
    timeout_delay: float

    def handle_error(self, request: Any, client_address: Any) -> None:  # quiet on client hang-ups
        pass


class ReplayServer:
    """Context manager: `with ReplayServer({url: spec}) as rs: rs.url_map -> {url: loopback url}`."""

    def __init__(self, mapping: dict[str, str] | None = None, *, timeout_delay: float = 3.0) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.routes = {}
        self._server.timeout_delay = timeout_delay
        self.url_map: dict[str, str] = {}
        self._thread: threading.Thread | None = None
        for url, spec in (mapping or {}).items():
            self.add(url, spec)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, url: str, spec: str) -> str:
        path = "/r/" + quote(url, safe="")
        self._server.routes[path] = spec
        self.url_map[url] = self.base + path
        return self.url_map[url]

    def __enter__(self) -> ReplayServer:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
