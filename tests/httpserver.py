"""A reusable loopback HTTP server for tests (no network beyond 127.0.0.1).

    with TestServer() as srv:               # serves the repo's fixtures/ directory
        srv.url("/founding/guardian.html")  # -> "http://127.0.0.1:PORT/founding/guardian.html"
        srv.requests["/status/404"]         # requests seen per path (query string excluded)

Built-in routes (all GET):
  /page?title=T                 small HTML page (a fixture-free 200)
  /status/<code>                that status, small HTML body
  /slow?delay=S                 sleep S seconds, then a page
  /drip?bytes=N&interval=S&chunk=C   N bytes of HTML, C bytes (default 1) every S seconds
  /big?bytes=N[&nolength=1]     N bytes of HTML; nolength omits Content-Length (close-delimited)
  /gzip-bomb[?mb=M]             ~M/1000 MB gzip body (Content-Encoding: gzip) inflating to M MB (default 60)
  /redirect/<n>                 chain of n 302s ending at /page
  /redirect-loop                302 to itself forever
  /redirect-to?url=U[&status=302]
  /retry-after?seconds=S[&times=K][&key=X][&date=1]   K x 429 with Retry-After, then 200
  /flaky?[times=K][&key=X][&status=503][&retry_after=S]  K x status, then 200
  /charset/latin1               ISO-8859-1 bytes, charset in the header
  /charset/meta                 ISO-8859-2 bytes, charset only in <meta>
  /charset/none                 UTF-8 bytes, no charset declared anywhere
  /binary[?type=image/png]      binary body with that content type
  /robots.txt                   `robots_txt` attribute if set, else the root's robots.txt, else 404
  /echo-headers                 request headers as JSON
  /delay/<ms>/<path>            any other route or file, answered after <ms> milliseconds
  /set-cookie?name=N&value=V    sets a cookie; /echo-headers shows what comes back
Custom routes: srv.route("/x", fn) where fn(handler) calls handler.reply(...) or writes itself.
"""

from __future__ import annotations

import email.utils
import io
import json
import mimetypes
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES_DIR = REPO_ROOT / "fixtures"

Handler = Callable[["RequestHandler"], None]

LATIN1_TEXT = "Café crème à la Zürich: « déjà vu »"
LATIN2_TEXT = "Zażółć gęślą jaźń - Łódź"
UTF8_TEXT = "Naïve café — “smart quotes” and emoji ✓"

_BOMB_CACHE: dict[int, bytes] = {}
_BOMB_LOCK = threading.Lock()


def gzip_bomb(megabytes: int = 60) -> bytes:
    """Gzip of `megabytes` MB of spaces (~1000:1), built once per size per process."""
    with _BOMB_LOCK:
        if megabytes not in _BOMB_CACHE:
            chunk = b" " * (1 << 20)
            obj = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16+: gzip framing
            buf = io.BytesIO()
            for _ in range(megabytes):
                buf.write(obj.compress(chunk))
            buf.write(obj.flush())
            _BOMB_CACHE[megabytes] = buf.getvalue()
        return _BOMB_CACHE[megabytes]


def html_page(title: str = "Test page", body: str = "<p>Hello from the test server.</p>") -> bytes:
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1>{body}</body></html>"
    ).encode()


class RequestHandler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, so clients can pool connections like in production

    # -- helpers for route functions -----------------------------------------------------------
    @property
    def route_path(self) -> str:
        return unquote(urlsplit(self.path).path)

    @property
    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}

    def reply(
        self,
        status: int = 200,
        body: bytes | str = b"",
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    # -- dispatch --------------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self.server.owner._count(self.route_path, self)
        try:
            self._dispatch(self.route_path)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (timeouts, size caps): that is what many tests provoke.
            self.close_connection = True
        except Exception as exc:
            # A broken route should show up as a 500 naming the bug, not a silent disconnect.
            self.close_connection = True
            try:
                self.reply(500, f"test server route failed: {exc!r}", "text/plain; charset=utf-8")
            except OSError:
                pass

    do_HEAD = do_GET

    def _dispatch(self, path: str) -> None:
        owner = self.server.owner
        if path.startswith("/delay/"):
            _, _, rest = path.partition("/delay/")
            ms, _, inner = rest.partition("/")
            time.sleep(float(ms) / 1000)
            return self._dispatch("/" + inner)
        if path in owner.routes:
            return owner.routes[path](self)
        for prefix, fn in owner.prefix_routes.items():
            if path.startswith(prefix):
                return fn(self)
        builtin = _BUILTINS.get(path)
        if builtin is not None:
            return builtin(self)
        for prefix, fn in _PREFIX_BUILTINS:
            if path.startswith(prefix):
                return fn(self, path[len(prefix):])
        return self._serve_file(path)

    def _serve_file(self, path: str) -> None:
        root = self.server.owner.root.resolve()
        target = (root / path.lstrip("/")).resolve()
        if not target.is_relative_to(root):
            return self.reply(403, html_page("Forbidden"))
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return self.reply(404, html_page("Not Found"))
        self.reply(200, target.read_bytes(), content_type_for(target))

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence test output
        pass


def content_type_for(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return "text/html; charset=utf-8"
    if suffix in (".txt", ".md"):
        return "text/plain; charset=utf-8"
    if suffix == ".json":
        return "application/json"
    if suffix == ".xml":
        return "application/xml"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


# ---- built-in routes ---------------------------------------------------------------------------


def _page(h: RequestHandler) -> None:
    h.reply(200, html_page(h.query.get("title", "Test page")))


def _status(h: RequestHandler, rest: str) -> None:
    code = int(rest.strip("/") or 200)
    h.reply(code, html_page(f"Status {code}"))


def _slow(h: RequestHandler) -> None:
    time.sleep(float(h.query.get("delay", "1")))
    h.reply(200, html_page("Slow page"))


def _drip(h: RequestHandler) -> None:
    total = int(h.query.get("bytes", "100"))
    interval = float(h.query.get("interval", "0.1"))
    chunk = max(1, int(h.query.get("chunk", "1")))
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(total))
    h.end_headers()
    sent = 0
    while sent < total:
        n = min(chunk, total - sent)
        h.wfile.write(b"x" * n)
        h.wfile.flush()
        sent += n
        time.sleep(interval)


def _big(h: RequestHandler) -> None:
    n = int(h.query.get("bytes", str(6_000_000)))
    nolength = h.query.get("nolength") == "1"
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    if nolength:
        h.send_header("Connection", "close")
        h.close_connection = True
    else:
        h.send_header("Content-Length", str(n))
    h.end_headers()
    block = b"a" * 65536
    sent = 0
    while sent < n:
        piece = block[: min(len(block), n - sent)]
        h.wfile.write(piece)
        sent += len(piece)


def _gzip_bomb(h: RequestHandler) -> None:
    data = gzip_bomb(int(h.query.get("mb", "60")))
    h.reply(200, data, "text/html; charset=utf-8", {"Content-Encoding": "gzip"})


def _redirect(h: RequestHandler, rest: str) -> None:
    n = int(rest.strip("/") or 0)
    target = f"/redirect/{n - 1}" if n > 1 else "/page?title=Redirect+target"
    h.reply(302, b"", None, {"Location": target})


def _redirect_loop(h: RequestHandler) -> None:
    h.reply(302, b"", None, {"Location": "/redirect-loop"})


def _redirect_to(h: RequestHandler) -> None:
    h.reply(int(h.query.get("status", "302")), b"", None, {"Location": h.query["url"]})


def _counted_failure(h: RequestHandler, default_status: int, retry_after: str | None) -> None:
    q = h.query
    key = f"{h.route_path}:{q.get('key', '')}"
    times = int(q.get("times", "1"))
    seen = h.server.owner._bump(key)
    if seen <= times:
        headers = {"Retry-After": retry_after} if retry_after else {}
        status = int(q.get("status", str(default_status)))
        h.reply(status, html_page(f"Status {status}"), headers=headers)
    else:
        h.reply(200, html_page("Recovered"))


def _retry_after(h: RequestHandler) -> None:
    seconds = float(h.query.get("seconds", "1"))
    if h.query.get("date") == "1":
        value = email.utils.formatdate(time.time() + seconds, usegmt=True)
    else:
        value = f"{seconds:g}"
    _counted_failure(h, 429, value)


def _flaky(h: RequestHandler) -> None:
    _counted_failure(h, 503, h.query.get("retry_after"))


def _charset_latin1(h: RequestHandler) -> None:
    body = f"<html><body><p>{LATIN1_TEXT}</p></body></html>".encode("latin-1")
    h.reply(200, body, "text/html; charset=ISO-8859-1")


def _charset_meta(h: RequestHandler) -> None:
    body = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">'
        f"</head><body><p>{LATIN2_TEXT}</p></body></html>"
    ).encode("iso-8859-2")
    h.reply(200, body, "text/html")


def _charset_none(h: RequestHandler) -> None:
    h.reply(200, f"<html><body><p>{UTF8_TEXT}</p></body></html>".encode(), "text/html")


def _binary(h: RequestHandler) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    h.reply(200, png, h.query.get("type", "image/png"))


def _robots(h: RequestHandler) -> None:
    owner = h.server.owner
    if owner.robots_txt is not None:
        return h.reply(200, owner.robots_txt, "text/plain; charset=utf-8")
    f = owner.root / "robots.txt"
    if f.is_file():
        return h.reply(200, f.read_bytes(), "text/plain; charset=utf-8")
    h.reply(404, "not found", "text/plain")


def _echo_headers(h: RequestHandler) -> None:
    h.reply(200, json.dumps(dict(h.headers.items())), "application/json")


def _set_cookie(h: RequestHandler) -> None:
    q = h.query
    h.reply(200, html_page("Cookie set"), headers={"Set-Cookie": f"{q.get('name', 'c')}={q.get('value', '1')}"})


_BUILTINS: dict[str, Callable[[RequestHandler], None]] = {
    "/page": _page,
    "/slow": _slow,
    "/drip": _drip,
    "/big": _big,
    "/gzip-bomb": _gzip_bomb,
    "/redirect-loop": _redirect_loop,
    "/redirect-to": _redirect_to,
    "/retry-after": _retry_after,
    "/flaky": _flaky,
    "/charset/latin1": _charset_latin1,
    "/charset/meta": _charset_meta,
    "/charset/none": _charset_none,
    "/binary": _binary,
    "/robots.txt": _robots,
    "/echo-headers": _echo_headers,
    "/set-cookie": _set_cookie,
}
_PREFIX_BUILTINS: list[tuple[str, Callable[[RequestHandler, str], None]]] = [
    ("/status/", _status),
    ("/redirect/", _redirect),
]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # slow/drip handlers must not hold up teardown
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's default backlog of 5 drops SYNs under concurrent tests
    owner: TestServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-response is expected in these tests; don't spam stderr.
        pass


class TestServer:
    """Threaded loopback HTTP server. Context manager; also usable via start()/stop()."""

    __test__ = False  # not a pytest test class despite the name

    def __init__(self, root: str | Path | None = None, robots_txt: str | None = None) -> None:
        self.root = Path(root) if root is not None else FIXTURES_DIR
        self.robots_txt = robots_txt
        self.routes: dict[str, Handler] = {}
        self.prefix_routes: dict[str, Handler] = {}
        self.requests: Counter[str] = Counter()
        self.request_log: list[tuple[str, dict[str, str]]] = []  # (path with query, headers)
        self._counters: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> TestServer:
        self._httpd = _Server(("127.0.0.1", 0), RequestHandler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="test-httpserver", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> TestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addressing -----------------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base + ("" if path.startswith("/") else "/") + path

    # -- customisation --------------------------------------------------------------------------
    def route(self, path: str, handler: Handler, prefix: bool = False) -> None:
        """Register a handler for an exact path (or every path starting with it, if prefix)."""
        (self.prefix_routes if prefix else self.routes)[path] = handler

    def reset(self) -> None:
        """Forget request counts and per-key failure counters (session-scoped servers)."""
        with self._lock:
            self.requests.clear()
            self.request_log.clear()
            self._counters.clear()

    def count(self, prefix: str = "") -> int:
        """Requests seen for paths starting with prefix (all requests by default)."""
        with self._lock:
            return sum(n for p, n in self.requests.items() if p.startswith(prefix))

    # -- internals ------------------------------------------------------------------------------
    def _count(self, path: str, h: RequestHandler) -> None:
        with self._lock:
            self.requests[path] += 1
            self.request_log.append((h.path, dict(h.headers.items())))

    def _bump(self, key: str) -> int:
        with self._lock:
            self._counters[key] += 1
            return self._counters[key]
