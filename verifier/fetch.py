"""Fetch stage: turn a location (URL or local file) into a `FetchResult`.

Design rules, because the rest of the pipeline relies on them:

* Never raise. Every failure becomes a `FetchResult` whose `error` is one human-readable line.
* Bounded. Every network operation has a timeout, redirects are capped, and the body is
  capped *after* content decoding, so a gzip bomb stops at `max_bytes` instead of filling memory.
* One code path. `fetch()` is `fetch_many([location])`, so single and batch fetches behave alike.
"""

from __future__ import annotations

import asyncio
import codecs
import concurrent.futures
import hashlib
import mimetypes
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import httpx

from verifier.models import FetchResult

try:  # verifier/__init__.py is owned elsewhere and may not define __version__ yet.
    from verifier import __version__  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the package state
    try:
        from importlib.metadata import version as _dist_version

        __version__ = _dist_version("verifier")
    except Exception:
        __version__ = "0.1.0"

__all__ = [
    "ACCEPTED_CONTENT_TYPES",
    "DEFAULT_USER_AGENT",
    "FetchConfig",
    "fetch",
    "fetch_many",
    "fetch_many_async",
]

DEFAULT_USER_AGENT = (
    f"verifier/{__version__} (+https://github.com/newsroom-tools/verifier; source-attribution checker)"
)

# Types the extract stage can read. "+xml"/"+json" suffix types (RSS, Atom, JSON-LD) are accepted too.
ACCEPTED_CONTENT_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        "application/json",
        "application/xml",
        "text/xml",
    }
)

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# We only advertise encodings we decode ourselves (see _Decoder); that is what lets us bound the
# *decoded* size chunk by chunk rather than trusting a library to inflate whole chunks at once.
_ACCEPT_ENCODING = "gzip, deflate"
_META_SNIFF_BYTES = 2048


@dataclass
class FetchConfig:
    """Knobs for fetching. Timeouts are seconds."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 20.0  # per location, across redirects and the whole body
    max_redirects: int = 5
    max_bytes: int = 5_000_000  # decoded body size cap (after gzip/deflate)
    user_agent: str = DEFAULT_USER_AGENT
    offline: bool = False  # no network at all: URLs fail with an "offline mode" error
    allow_private: bool = True  # stage 2 flips this to False (SSRF guard)
    headers: dict[str, str] = field(default_factory=dict)  # extra request headers, all hosts
    concurrency: int = 8  # simultaneous fetches overall
    per_host: int = 2  # simultaneous fetches to one host
    retries: int = 2  # extra attempts on transient failures (stage 2)


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def fetch(location: str, config: FetchConfig | None = None) -> FetchResult:
    """Fetch one URL or local file. Never raises."""
    return fetch_many([location], config)[location]


def fetch_many(locations: list[str], config: FetchConfig | None = None) -> dict[str, FetchResult]:
    """Fetch several locations concurrently; the dict is keyed by location in input order.

    Safe to call from synchronous code. If an event loop is already running in this thread
    (e.g. called from async code or a notebook), the work runs on a private loop in a worker
    thread, because asyncio.run() cannot nest.
    """
    coro_factory = lambda: fetch_many_async(locations, config)  # noqa: E731
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro_factory())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coro_factory())).result()


async def fetch_many_async(
    locations: list[str], config: FetchConfig | None = None
) -> dict[str, FetchResult]:
    """Async core of `fetch_many`. Duplicate locations are fetched once."""
    config = config or FetchConfig()
    unique = list(dict.fromkeys(locations))
    run = _Run(config)
    try:
        results = await asyncio.gather(*(run.one(loc) for loc in unique))
    finally:
        await run.aclose()
    return dict(zip(unique, results, strict=True))


# --------------------------------------------------------------------------------------------
# Internals
# --------------------------------------------------------------------------------------------


class _FetchError(Exception):
    """A failure with a ready-made one-line message (and the status, when there was a response)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class _Run:
    """State shared by all fetches of one fetch_many call: client, pools, limits."""

    def __init__(self, config: FetchConfig) -> None:
        self.config = config
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(max(1, config.concurrency))
        self._hosts: dict[str, asyncio.Semaphore] = {}

    @property
    def client(self) -> httpx.AsyncClient:
        # Created lazily so offline runs and file-only runs never build a network client.
        if self._client is None:
            c = self.config
            self._client = httpx.AsyncClient(
                follow_redirects=False,  # manual, so each hop can be counted and checked
                timeout=httpx.Timeout(
                    connect=c.connect_timeout,
                    read=c.read_timeout,
                    write=c.read_timeout,
                    pool=c.total_timeout,
                ),
                limits=httpx.Limits(
                    max_connections=max(1, c.concurrency),
                    max_keepalive_connections=max(1, c.concurrency),
                ),
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    def _host_sem(self, host: str) -> asyncio.Semaphore:
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(max(1, self.config.per_host))
        return sem

    async def one(self, location: str) -> FetchResult:
        try:
            kind, target = _classify(location)
            if kind == "file":
                return _read_file(location, target, self.config)
            if kind == "unsupported":
                return FetchResult(location=location, error=f"unsupported scheme {target}")
            if self.config.offline:
                return FetchResult(location=location, url=target, error=f"offline mode: {target} not fetched")
            host = urlsplit(target).hostname or ""
            # Per-host slot first, then the global one: taking the global slot first would let
            # tasks queued behind a busy host hold global slots and starve other hosts.
            async with self._host_sem(host), self._global:
                return await self._fetch_url(location, target)
        except Exception as exc:  # last line of defence for the never-raise contract
            return FetchResult(location=location, error=f"internal error: {_one_line(exc)}")

    async def _fetch_url(self, location: str, url: str) -> FetchResult:
        total = self.config.total_timeout
        try:
            async with asyncio.timeout(total):
                return await self._get(location, url)
        except TimeoutError:
            return FetchResult(location=location, url=url, error=f"timed out after {_secs(total)} (total)")
        except _FetchError as exc:
            return FetchResult(location=location, url=url, status=exc.status, error=exc.message)
        except httpx.HTTPError as exc:
            return FetchResult(location=location, url=url, error=_describe_httpx_error(exc, self.config))

    async def _get(self, location: str, url: str) -> FetchResult:
        c = self.config
        headers = {
            "User-Agent": c.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
            "Accept-Encoding": _ACCEPT_ENCODING,
            **c.headers,
        }
        current = url
        hops = 0
        while True:
            if urlsplit(current).scheme.lower() not in ("http", "https"):
                raise _FetchError(f"unsupported scheme {urlsplit(current).scheme or '(none)'} (redirect to {current})")
            request = self.client.build_request("GET", current, headers=headers)
            response = await self.client.send(request, stream=True)
            try:
                if response.status_code in _REDIRECT_STATUSES and "location" in response.headers:
                    hops += 1
                    if hops > c.max_redirects:
                        raise _FetchError(f"too many redirects ({hops})", status=response.status_code)
                    current = str(response.url.join(response.headers["location"]))
                    continue
                return await _finish(location, url, response, c)
            finally:
                await response.aclose()


async def _finish(location: str, url: str, response: httpx.Response, c: FetchConfig) -> FetchResult:
    """Turn a final (non-redirect) streamed response into a FetchResult."""
    status = response.status_code
    final_url = str(response.url)
    base = FetchResult(location=location, url=url, final_url=final_url, status=status)
    if status >= 400:
        base.error = f"HTTP {status} {_reason(response)}".rstrip()
        return base
    raw_ct = response.headers.get("content-type")
    mime, charset = _parse_content_type(raw_ct)
    base.content_type = mime
    if mime is not None and not _accepted(mime):
        base.error = f"unsupported content type {mime}"
        return base
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > c.max_bytes and not response.headers.get("content-encoding"):
        # Cheap early exit; for encoded bodies the decoded size is what counts, so we stream.
        base.error = f"body larger than {c.max_bytes} bytes"
        return base
    body = await _read_body(response, c.max_bytes)
    base.body = body
    base.sha256 = hashlib.sha256(body).hexdigest()
    base.fetched_at = _now_iso()
    base.text, base.encoding = decode_body(body, charset, mime)
    return base


async def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    decoder = _Decoder(response.headers.get("content-encoding", ""))
    out = bytearray()
    raw_seen = 0
    async for chunk in response.aiter_raw():
        raw_seen += len(chunk)
        if raw_seen > max_bytes:  # compressed bytes count too: no point downloading more than the cap
            raise _FetchError(f"body larger than {max_bytes} bytes", response.status_code)
        out += decoder.decode(chunk, max_bytes - len(out) + 1)
        if len(out) > max_bytes:
            raise _FetchError(f"body larger than {max_bytes} bytes", response.status_code)
    out += decoder.flush(max_bytes - len(out) + 1)
    if len(out) > max_bytes:
        raise _FetchError(f"body larger than {max_bytes} bytes", response.status_code)
    return bytes(out)


class _Decoder:
    """Incremental Content-Encoding decoder whose output per call is capped.

    httpx's own decoders inflate each network chunk in one go: a 64 KB chunk of a gzip bomb
    becomes ~64 MB before anyone can count it. zlib's max_length lets us stop at the cap.
    """

    def __init__(self, header: str) -> None:
        codings = [t.strip().lower() for t in header.split(",") if t.strip()]
        codings = [t for t in codings if t != "identity"]
        if len(codings) > 1:
            raise _FetchError(f"unsupported content encoding {header.strip()}")
        self.coding = codings[0] if codings else ""
        if self.coding in ("gzip", "x-gzip"):
            self._new = lambda: zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self._new = lambda: zlib.decompressobj(zlib.MAX_WBITS)
        elif self.coding:
            raise _FetchError(f"unsupported content encoding {self.coding}")
        self._obj = self._new() if self.coding else None
        self._first = True

    def decode(self, data: bytes, budget: int) -> bytes:
        """Decode `data`, producing at most `budget` bytes (producing exactly `budget` means 'over')."""
        if self._obj is None:
            return data[:budget]
        try:
            out = bytearray()
            while data and len(out) < budget:
                try:
                    piece = self._obj.decompress(data, budget - len(out))
                except zlib.error:
                    if self.coding == "deflate" and self._first:
                        # Some servers send raw deflate without the zlib header; retry that way.
                        self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                        self._first = False
                        continue
                    raise
                self._first = False
                out += piece
                # Input not consumed because max_length was hit lives in unconsumed_tail;
                # a finished gzip member followed by another member lives in unused_data.
                if self._obj.unconsumed_tail:
                    data = self._obj.unconsumed_tail
                elif self._obj.eof and self._obj.unused_data:
                    data = self._obj.unused_data
                    self._obj = self._new()
                else:
                    data = b""
            return bytes(out)
        except zlib.error as exc:
            raise _FetchError(f"corrupt {self.coding} body: {exc}") from None

    def flush(self, budget: int) -> bytes:
        if self._obj is None:
            return b""
        try:
            return self._obj.flush()[:budget]
        except zlib.error as exc:
            raise _FetchError(f"corrupt {self.coding} body: {exc}") from None


def _classify(location: str) -> tuple[str, str]:
    """Return ("url", url) | ("file", path) | ("unsupported", scheme)."""
    parts = urlsplit(location)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return "url", location
    if scheme == "file":
        # file:///abs/path and file://localhost/abs/path; percent-escapes are decoded.
        return "file", url2pathname(unquote(parts.path)) if parts.path else ""
    if len(scheme) > 1:  # one letter is a Windows drive ("C:\\..."), i.e. a path
        return "unsupported", scheme
    return "file", location


def _read_file(location: str, path_str: str, c: FetchConfig) -> FetchResult:
    """Read a local file. fetched_at is the file's mtime: it dates the evidence, and it keeps
    reports of an unchanged file identical run to run."""
    path = Path(path_str).expanduser()
    result = FetchResult(location=location)
    try:
        if path.is_dir():
            result.error = f"is a directory: {path}"
            return result
        size = path.stat().st_size
        if size > c.max_bytes:
            result.error = f"body larger than {c.max_bytes} bytes"
            return result
        body = path.read_bytes()
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        result.error = f"file not found: {path}"
        return result
    except PermissionError:
        result.error = f"permission denied: {path}"
        return result
    except OSError as exc:
        result.error = f"cannot read {path}: {exc.strerror or exc}"
        return result
    mime = _guess_file_type(path)
    result.content_type = mime
    result.body = body
    result.sha256 = hashlib.sha256(body).hexdigest()
    result.fetched_at = datetime.fromtimestamp(mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    result.text, result.encoding = decode_body(body, None, mime)
    return result


def _guess_file_type(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".shtml"):
        return "text/html"
    if suffix in (".txt", ".text", ".md", ".markdown"):
        return "text/plain"
    return mimetypes.guess_type(path.name)[0]


# ---- decoding -------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""", re.IGNORECASE)
# Browsers (WHATWG Encoding) treat these labels as windows-1252; news CMSes that say "latin-1"
# routinely send cp1252 curly quotes (0x93/0x94), which latin-1 would turn into C1 controls.
_WHATWG_ALIASES = {"latin1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}
_NOT_WEB = re.compile(r"^(cp(437|7\d\d|8\d\d|1125)|mac_|ptcp|hp_|kz)")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_body(body: bytes, declared: str | None, mime: str | None = None) -> tuple[str, str | None]:
    """Decode bytes to text: BOM, declared charset, <meta>/XML declaration, then detection.

    Returns (text, encoding used). Never raises; undecodable bytes become U+FFFD.
    """
    if not body:
        return "", None
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return body.decode(enc, errors="replace"), enc
    for candidate in (declared, _sniff_declared(body)):
        enc = _normalise_encoding(candidate)
        if enc:
            return body.decode(enc, errors="replace"), enc
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        for match in from_bytes(body):
            # Detectors happily pick DOS code pages (cp775, cp850...) that web pages never use;
            # among equally plausible web encodings prefer windows-1252, the web's legacy default.
            web = [c for c in (match.could_be_from_charset or [match.encoding]) if not _NOT_WEB.match(c)]
            if web:
                enc = _normalise_encoding("cp1252" if "cp1252" in web else web[0]) or web[0]
                return body.decode(enc, errors="replace"), enc
    except Exception:  # detection is best-effort; fall through to a lossless-ish default
        pass
    return body.decode("cp1252", errors="replace"), "cp1252"


def _sniff_declared(body: bytes) -> str | None:
    head = body[:_META_SNIFF_BYTES]
    m = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", errors="ignore") if m else None


def _normalise_encoding(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(name, name)


def _parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    parts = [p.strip() for p in value.split(";")]
    mime = parts[0].lower() or None
    charset = None
    for p in parts[1:]:
        key, _, val = p.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return mime, charset


def _accepted(mime: str) -> bool:
    return mime in ACCEPTED_CONTENT_TYPES or mime.endswith("+xml") or mime.endswith("+json")


# ---- messages -------------------------------------------------------------------------------


def _describe_httpx_error(exc: httpx.HTTPError, c: FetchConfig) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out after {_secs(c.connect_timeout)} (connect)"
    if isinstance(exc, httpx.ReadTimeout):
        return f"timed out after {_secs(c.read_timeout)} (read)"
    if isinstance(exc, httpx.WriteTimeout):
        return f"timed out after {_secs(c.read_timeout)} (write)"
    if isinstance(exc, httpx.PoolTimeout):
        return f"timed out after {_secs(c.total_timeout)} (waiting for a connection)"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    text = _chain_text(exc).lower()
    if isinstance(exc, httpx.ConnectError):
        if "refused" in text:
            return "connection refused"
        if any(s in text for s in ("name or service not known", "nodename nor servname", "getaddrinfo",
                                   "name resolution", "no address associated")):
            host = exc.request.url.host if _has_request(exc) else "host"
            return f"could not resolve host {host}"
        if "certificate" in text or "ssl" in text or "tls" in text:
            return f"TLS error: {_one_line(exc)}"
        if "unreachable" in text:
            return "network unreachable"
        return f"connection failed: {_one_line(exc)}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"protocol error: {_one_line(exc)}"
    if isinstance(exc, httpx.ReadError):
        return f"connection broken while reading: {_one_line(exc)}"
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return f"invalid URL: {_one_line(exc)}"
    return f"network error: {_one_line(exc)}"


def _has_request(exc: httpx.HTTPError) -> bool:
    try:
        exc.request  # noqa: B018 - property raises RuntimeError when unset
    except RuntimeError:
        return False
    return True


def _chain_text(exc: BaseException) -> str:
    seen: list[str] = []
    cur: BaseException | None = exc
    while cur is not None and len(seen) < 8:
        seen.append(f"{type(cur).__name__} {cur}")
        cur = cur.__cause__ or cur.__context__
    return " | ".join(seen)


def _one_line(exc: BaseException) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg[:300]


def _reason(response: httpx.Response) -> str:
    try:
        return HTTPStatus(response.status_code).phrase
    except ValueError:
        return response.reason_phrase or ""


def _secs(seconds: float) -> str:
    return f"{seconds:g}s"


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
