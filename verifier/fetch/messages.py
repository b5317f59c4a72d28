"""One-line messages for everything a fetch can run into (a `FetchResult.error` is always one
human-readable line), and the small parsers behind them (Retry-After, status phrases)."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from verifier.fetch.config import FetchConfig


class FetchFailure(Exception):
    """A failure with a ready-made one-line message (and the status, when there was a response)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def describe_httpx_error(exc: httpx.HTTPError, c: FetchConfig) -> str:
    import httpx  # late: the store and the WARC code use this module's timestamps without httpx

    if isinstance(exc, httpx.ConnectTimeout):
        return f"timed out after {secs(c.connect_timeout)} (connect)"
    if isinstance(exc, httpx.ReadTimeout):
        return f"timed out after {secs(c.read_timeout)} (read)"
    if isinstance(exc, httpx.WriteTimeout):
        return f"timed out after {secs(c.read_timeout)} (write)"
    if isinstance(exc, httpx.PoolTimeout):
        return f"timed out after {secs(c.total_timeout)} (waiting for a connection)"
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
            return f"TLS error: {one_line(exc)}"
        if "unreachable" in text:
            return "network unreachable"
        return f"connection failed: {one_line(exc)}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"protocol error: {one_line(exc)}"
    if isinstance(exc, httpx.ReadError):
        return f"connection broken while reading: {one_line(exc)}"
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return f"invalid URL: {one_line(exc)}"
    return f"network error: {one_line(exc)}"


def _has_request(exc: httpx.HTTPError) -> bool:
    try:
        exc.request  # noqa: B018 - property raises RuntimeError when unset
    except RuntimeError:
        return False
    return True


def _chain_text(exc: BaseException) -> str:
    """Type names and messages of `exc` and every exception it was raised from or during."""
    seen: list[str] = []
    visited: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 12:
        cur = todo.pop(0)
        if id(cur) in visited:
            continue
        visited.add(id(cur))
        seen.append(f"{type(cur).__name__} {cur}")
        todo += [e for e in (cur.__cause__, cur.__context__) if e is not None]
    return " | ".join(seen)


def one_line(exc: BaseException) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg[:300]


def reason_phrase(response: httpx.Response) -> str:
    try:
        return HTTPStatus(response.status_code).phrase
    except ValueError:
        return response.reason_phrase or ""


def parse_retry_after(value: str) -> float | None:
    """Retry-After is delta-seconds or an HTTP date; return seconds from now (>= 0)."""
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def secs(seconds: float) -> str:
    return f"{seconds:g}s"


def parse_iso(value: str) -> datetime:
    """An ISO 8601 time (a trailing "Z" too) as an aware datetime; naive times are UTC."""
    dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
