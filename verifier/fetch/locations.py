"""What a source location is (an http(s) URL, a local file, or unusable, with the reason) and
reading a file location into a `FetchResult`, bounded like an HTTP body."""

from __future__ import annotations

import hashlib
import mimetypes
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import httpx

from verifier.fetch.files import LocalReadError, read_local
from verifier.fetch.messages import one_line
from verifier.models import FetchResult
from verifier.textcodec import decode_text


def url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched as an http(s) URL ("invalid URL: …"), or None when it can."""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        return f"invalid URL: {one_line(exc)}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"unsupported scheme {parts.scheme or '(none)'}"
    if not host:
        return "invalid URL: no host"
    if port == 0:
        return "invalid URL: port 0"
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        return f"invalid URL: {one_line(exc)}"
    return None


def classify(location: str) -> tuple[str, str]:
    """Return ("url", url) | ("file", path) | ("unsupported", scheme) | ("invalid", message)."""
    try:
        parts = urlsplit(location)
    except ValueError as exc:
        return "invalid", f"invalid URL: {one_line(exc)}"
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        problem = url_problem(location)
        return ("invalid", problem) if problem else ("url", location)
    if scheme == "file":
        # file:///abs/path and file://localhost/abs/path; percent-escapes are decoded.
        return "file", url2pathname(unquote(parts.path)) if parts.path else ""
    if len(scheme) > 1:  # one letter is a Windows drive ("C:\\..."), i.e. a path
        return "unsupported", scheme
    return "file", location


def read_file(location: str, path_str: str, max_bytes: int) -> FetchResult:
    """Read a local file, bounded like an HTTP body (regular files only). fetched_at is the file's
    mtime: it dates the evidence, and it keeps reports of an unchanged file identical run to run."""
    path = Path(path_str).expanduser()
    result = FetchResult(location=location)
    try:
        body, mtime = read_local(path, max_bytes)
    except LocalReadError as exc:
        result.error = exc.message
        return result
    mime = guess_file_type(path)
    result.content_type = mime
    result.body = body
    result.sha256 = hashlib.sha256(body).hexdigest()
    result.fetched_at = datetime.fromtimestamp(mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    result.text, result.encoding = decode_text(body)
    return result


def guess_file_type(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".shtml"):
        return "text/html"
    if suffix in (".txt", ".text", ".md", ".markdown"):
        return "text/plain"
    return mimetypes.guess_type(path.name)[0]
