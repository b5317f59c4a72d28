"""Request and response plumbing shared by the service's handlers: security headers and CSPs, RFC 9457
problem responses, the guard that turns any error into a problem (never a traceback), bounded
request bodies, SSE framing, check ids, waits, and the editors' form read as an API request body."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from verifier.serve import pages
from verifier.serve.config import ServeConfig
from verifier.serve.problems import PROBLEM_TYPE, Problem

log = logging.getLogger("verifier.serve")

ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
BODY_SLACK = 64 * 1024  # JSON envelope, sources and form fields around the draft itself
KEEPALIVE = 15.0  # seconds between SSE comments on a quiet stream

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'"
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


def page_csp(nonce: str) -> str:
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


class SecurityHeaders:
    """Adds the security headers (and a default CSP and no-store caching) to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", API_CSP.encode()))
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ------------------------------------------------------------------------------- helpers


def problem_response(p: Problem, request: Request | None = None) -> Response:
    path = request.url.path if request is not None else None
    wants_html = (request is not None and not path.startswith(("/api/", "/healthz"))  # type: ignore[union-attr]
                  and "text/html" in request.headers.get("accept", ""))
    if wants_html:
        nonce = secrets.token_urlsafe(16)
        body = pages.error_page(nonce, p.status, p.body()["title"], p.detail)
        return HTMLResponse(body, p.status, headers={**p.headers, "Content-Security-Policy": page_csp(nonce)})
    return Response(p.payload(path), p.status, media_type=PROBLEM_TYPE, headers=p.headers)


Handler = Callable[[Request], Awaitable[Response]]


def guarded(fn: Handler) -> Handler:
    """Problems become problem responses; anything unexpected a one-line 500 (logged here)."""

    async def wrapper(request: Request) -> Response:
        try:
            return await fn(request)
        except Problem as p:
            return problem_response(p, request)
        except ClientDisconnect:
            return Response(status_code=499)
        except Exception as e:  # noqa: BLE001 - never a traceback to the client
            log.exception("internal error on %s %s", request.method, request.url.path)
            return problem_response(Problem(500, f"internal error: {type(e).__name__}", "internal_error"), request)

    wrapper.__name__ = fn.__name__
    return wrapper


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or a 413 problem as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise Problem(413, f"request body larger than {limit} bytes", "body_too_large")
        except ValueError:
            raise Problem(400, "bad Content-Length", "bad_request") from None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, f"request body larger than {limit} bytes", "body_too_large")
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # noqa: SLF001 - let request.form() parse what was read under the cap
    return body


def sse_bytes(ev: dict[str, Any]) -> bytes:
    """One Server-Sent Event: id, event name, and the data as one line of JSON."""
    data = json.dumps(ev["data"], ensure_ascii=False, separators=(",", ":"))
    return f"id: {ev['id']}\nevent: {ev['event']}\ndata: {data}\n\n".encode()


def check_id(request: Request) -> str:
    cid = request.path_params["id"]
    if not cid or len(cid) > 64 or not set(cid) <= ID_CHARS:
        raise Problem(404, "no such check", "not_found")
    return cid


def parse_wait(request: Request, cfg: ServeConfig, default: float | None = None) -> float | None:
    raw = request.query_params.get("wait")
    if raw is None:
        return default
    try:
        w = float(raw)
    except ValueError:
        raise Problem(422, "wait must be a number of seconds", "invalid_request") from None
    if not 0 <= w <= cfg.max_wait:
        raise Problem(422, f"wait must be from 0 to {cfg.max_wait:g} seconds", "invalid_request")
    return w


async def form_body(values: dict[str, Any], upload: Any, max_bytes: int) -> dict[str, Any]:
    """The page's form as an API request body (so both go through one validation)."""
    from verifier.read.reader import InputError, _decode, _sniff_format

    body: dict[str, Any] = {}
    text = values["draft"]
    fmt = values["format"]
    name = values["name"].strip() or None
    if upload is not None and getattr(upload, "filename", None):
        data = await upload.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise Problem(413, f"the file is larger than {max_bytes} bytes", "draft_too_large")
        if data:
            try:
                text = _decode(data, upload.filename)
            except InputError as e:
                raise Problem(422, str(e), "invalid_request") from None
            ext = Path(upload.filename).suffix.lower()
            fmt = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}.get(ext, "text")
            name = name or Path(upload.filename).name
    url = values["url"].strip()
    if text.strip() and url:
        raise Problem(422, "give a draft or a URL, not both", "invalid_request")
    if url:
        body["url"] = url
    else:
        if fmt == "auto":
            fmt = {"txt": "text", "md": "markdown", "html": "html"}[_sniff_format(text)]
        if fmt not in ("text", "markdown", "html"):
            raise Problem(422, "format must be text, markdown or html", "invalid_request")
        body[fmt] = text
    if name:
        body["name"] = name
    sources = []
    for n, u in zip(values["source_name"], values["source_url"], strict=False):
        n, u = n.strip(), u.strip()
        if u:  # a row without a name is a bare source (a candidate for every attribution)
            sources.append(f"{n}={u}" if n else u)
        elif n:
            raise Problem(422, f"source {n!r} has no URL", "invalid_request")
    if sources:
        body["sources"] = sources
    if values["date"].strip():
        body["date"] = values["date"].strip()
    return body
