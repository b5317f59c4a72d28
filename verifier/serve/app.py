"""The ASGI app (Starlette): the HTTP API under /api/v1 and the editors' page at `/`.

Every error is an RFC 9457 problem (JSON for the API, a small page for the browser) with a
one-line detail, never a traceback; every response carries security headers and a CSP (pages get
a per-response nonce for their one inline script and stylesheet).

The request and response plumbing the handlers share (security headers, problems, body limits,
SSE framing, the form as an API body) is in `http_helpers.py`; its names are importable from here.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from verifier import __version__
from verifier.serve import pages
from verifier.serve.auth import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    Client,
    RateLimiter,
    check_csrf,
    identify,
    new_csrf,
)
from verifier.serve.checks import parse_check, parse_claim
from verifier.serve.config import ServeConfig
from verifier.serve.history import History, default_database_path
from verifier.serve.http_helpers import (
    API_CSP,
    BODY_SLACK,
    ID_CHARS,
    KEEPALIVE,
    REPORT_CSP,
    SECURITY_HEADERS,
    Handler,
    SecurityHeaders,
    check_id,
    form_body,
    guarded,
    page_csp,
    parse_wait,
    problem_response,
    read_body,
    sse_bytes,
)
from verifier.serve.jobs import TERMINAL, Job, Runner, guard_callback, links
from verifier.serve.problems import Problem

log = logging.getLogger("verifier.serve")

__all__ = [
    "API_CSP", "BODY_SLACK", "ID_CHARS", "KEEPALIVE", "REPORT_CSP", "SECURITY_HEADERS", "Handler", "SecurityHeaders",
    "ServeState", "check_id", "create_app", "form_body", "guarded", "page_csp", "parse_wait", "problem_response",
    "read_body", "sse_bytes",
]


# ------------------------------------------------------------------------------- the app


class ServeState:
    """What the handlers share: config, history, the check runner, rate limits."""

    def __init__(self, cfg: ServeConfig, base_options: Any) -> None:
        self.cfg = cfg
        self.base_options = base_options
        self.history = History(cfg.database or default_database_path())
        self.runner = Runner(cfg, self.history, base_options)
        self.limiter = RateLimiter(cfg.rate_limit)
        self.body_limit = cfg.max_draft_bytes + BODY_SLACK


def create_app(cfg: ServeConfig, base_options: Any | None = None) -> Starlette:
    """The app for one server config. `base_options` (api.Options) default to those built from
    the config (policy fetch settings, [fetch] table, evidence store, discovery, replay)."""
    from verifier.serve.options import build_base_options

    closers: list[Callable[[], None]] = []
    holder: dict[str, ServeState] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        opts = base_options
        if opts is None:
            opts, close = build_base_options(cfg)
            closers.append(close)
        st = ServeState(cfg, opts)
        n = st.history.interrupt_leftovers("the server stopped before the check finished")
        if n:
            log.warning("marked %d unfinished check(s) from a previous run as interrupted", n)
        holder["state"] = st
        app.state.serve = st
        try:
            yield
        finally:
            await st.runner.shutdown()
            st.history.close()
            for c in closers:
                c()

    def S() -> ServeState:  # noqa: N802 - short accessor used by every handler
        return holder["state"]

    # ------------------------------------------------------------------ API

    async def submit(request: Request, parse: Callable[..., Any], *, default_wait: float | None) -> Response:
        st = S()
        client = identify(request, st.cfg, cookie=False)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype != "application/json":
            raise Problem(415, "send the request as application/json", "unsupported_media_type")
        raw = await read_body(request, st.body_limit)
        wait = parse_wait(request, st.cfg, default_wait)
        st.limiter.take(client.key)
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise Problem(400, f"invalid JSON body: {e}", "invalid_json") from None
        spec = parse(body, st.cfg.policy, st.cfg.max_draft_bytes)
        if spec.callback_url:
            await guard_callback(spec.callback_url, st.cfg)
        job = st.runner.submit(spec, client.key)
        return await answer(job, wait)

    async def answer(job: Job, wait: float | None) -> Response:
        st = S()
        if wait:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(job.finished.wait(), timeout=wait)
        if job.status in TERMINAL:
            return JSONResponse(st.runner.document(job.id), 200)
        doc = {"id": job.id, "kind": job.spec.kind, "name": job.spec.name, "status": job.status,
               "links": links(job.id)}
        return JSONResponse(doc, 202, headers={"Location": f"/api/v1/checks/{job.id}"})

    @guarded
    async def api_post_check(request: Request) -> Response:
        return await submit(request, parse_check, default_wait=None)

    @guarded
    async def api_post_claim(request: Request) -> Response:
        return await submit(request, parse_claim, default_wait=S().cfg.max_wait)

    @guarded
    async def api_get_check(request: Request) -> Response:
        identify(request, S().cfg, cookie=True)
        doc = S().runner.document(check_id(request))
        if doc is None:
            raise Problem(404, "no such check", "not_found")
        return JSONResponse(doc)

    @guarded
    async def api_list_checks(request: Request) -> Response:
        identify(request, S().cfg, cookie=True)
        try:
            limit = min(200, max(1, int(request.query_params.get("limit", "50"))))
            offset = max(0, int(request.query_params.get("offset", "0")))
        except ValueError:
            raise Problem(422, "limit and offset must be whole numbers", "invalid_request") from None
        rows = S().history.recent(limit, offset)
        return JSONResponse({"checks": [{**r.to_dict(), "links": links(r.id)} for r in rows],
                             "total": S().history.count()})

    @guarded
    async def events(request: Request) -> Response:
        st = S()
        identify(request, st.cfg, cookie=True)
        cid = check_id(request)
        job = st.runner.get(cid)
        stored: list[dict[str, Any]] | None = None
        if job is None:
            row = st.history.get(cid)
            if row is None:
                raise Problem(404, "no such check", "not_found")
            stored = st.history.field(cid, "events") or []
        try:
            after = int(request.headers.get("last-event-id", "-1"))
        except ValueError:
            after = -1
        return StreamingResponse(sse_stream(job, stored, after), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    async def sse_stream(job: Job | None, stored: list[dict[str, Any]] | None, after: int) -> AsyncIterator[bytes]:
        yield b"retry: 2000\n\n"
        if job is None:
            for ev in stored or []:
                if ev["id"] > after:
                    yield sse_bytes(ev)
            return
        i = after + 1
        while True:
            while i < len(job.events):
                yield sse_bytes(job.events[i])
                i += 1
            if job.status in TERMINAL:
                return
            changed = job.changed
            try:
                await asyncio.wait_for(changed.wait(), timeout=KEEPALIVE)
            except TimeoutError:
                yield b": keep-alive\n\n"

    @guarded
    async def outlets(request: Request) -> Response:
        identify(request, S().cfg, cookie=True)
        reg = S().base_options.registry
        if reg is None:
            from verifier.registry import default_registry

            reg = default_registry()
        return JSONResponse([{"name": o.name, "aliases": list(o.aliases), "domains": list(o.domains)}
                             for o in reg.outlets])

    @guarded
    async def openapi(request: Request) -> Response:
        from verifier.serve.openapi import document

        return JSONResponse(document(__version__))

    @guarded
    async def healthz(request: Request) -> Response:
        r = S().runner
        ok = r.accepting
        body = {"status": "ok" if ok else "shutting_down", "version": __version__,
                "checks": {"running": r.running, "queued": max(0, r.inflight - r.running)},
                "auth_required": S().cfg.auth_required}
        return JSONResponse(body, 200 if ok else 503, headers={} if ok else {"Retry-After": "10"})

    # ------------------------------------------------------------------ pages

    def page_user(request: Request) -> Client | None:
        try:
            return identify(request, S().cfg, cookie=True)
        except Problem:
            return None

    def html(body: str, nonce: str, status: int = 200, csrf: str | None = None) -> HTMLResponse:
        r = HTMLResponse(body, status, headers={"Content-Security-Policy": page_csp(nonce)})
        if csrf:
            r.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/")
        return r

    def to_login() -> Response:
        return RedirectResponse("/login", 303)

    @guarded
    async def index(request: Request) -> Response:
        user = page_user(request)
        if user is None:
            return to_login()
        nonce, csrf = secrets.token_urlsafe(16), request.cookies.get(CSRF_COOKIE) or new_csrf()
        return html(pages.form_page(nonce, csrf, max_bytes=S().cfg.max_draft_bytes, user=user.key), nonce, csrf=csrf)

    @guarded
    async def post_form(request: Request) -> Response:
        st = S()
        user = page_user(request)
        wants_json = "application/json" in request.headers.get("accept", "")
        if user is None:
            if wants_json:
                identify(request, st.cfg, cookie=True)  # raises the 401 problem
            return to_login()
        await read_body(request, st.body_limit)
        form = await request.form(max_files=1, max_fields=200, max_part_size=st.body_limit)
        values: dict[str, Any] = {
            "draft": str(form.get("draft") or ""), "format": str(form.get("format") or "auto"),
            "name": str(form.get("name") or ""), "url": str(form.get("url") or ""),
            "date": str(form.get("date") or ""),
            "source_name": [str(x) for x in form.getlist("source_name")],
            "source_url": [str(x) for x in form.getlist("source_url")],
        }
        try:
            check_csrf(request, str(form.get("csrf") or ""))
            st.limiter.take(user.key)
            upload = form.get("file")
            body = await form_body(values, upload, st.cfg.max_draft_bytes)
            spec = parse_check(body, st.cfg.policy, st.cfg.max_draft_bytes)
            job = st.runner.submit(spec, user.key)
        except Problem as p:
            if wants_json:
                return problem_response(p, None)
            nonce, csrf = secrets.token_urlsafe(16), request.cookies.get(CSRF_COOKIE) or new_csrf()
            return html(pages.form_page(nonce, csrf, max_bytes=st.cfg.max_draft_bytes, error=p.detail,
                                        values=values, user=user.key), nonce, p.status, csrf=csrf)
        finally:
            await form.close()
        if wants_json:
            return JSONResponse({"id": job.id, "status": job.status, "links": links(job.id)}, 202,
                                headers={"Location": f"/checks/{job.id}"})
        # without JavaScript: wait a little so most checks land straight on their result
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(job.finished.wait(), timeout=min(10.0, st.cfg.max_wait))
        return RedirectResponse(f"/checks/{job.id}", 303)

    @guarded
    async def check_page(request: Request) -> Response:
        user = page_user(request)
        if user is None:
            return to_login()
        cid = check_id(request)
        row = S().history.get(cid)
        if row is None:
            raise Problem(404, "no such check", "not_found")
        job = S().runner.get(cid)
        evs = list(job.events) if job else (S().history.field(cid, "events") or [])
        fragments = S().history.field(cid, "article") if row.status == "done" else None
        nonce = secrets.token_urlsafe(16)
        return html(pages.check_page(nonce, row, fragments, evs, user=user.key), nonce)

    def rendered(field: str, media: str, csp: str = API_CSP) -> Handler:
        @guarded
        async def handler(request: Request) -> Response:
            identify(request, S().cfg, cookie=True)
            cid = check_id(request)
            row = S().history.get(cid)
            if row is None:
                raise Problem(404, "no such check", "not_found")
            if row.status != "done":
                raise Problem(409, f"the check is {row.status}; the report exists once it is done", "not_done")
            return Response(S().history.field(cid, field), media_type=media, headers={"Content-Security-Policy": csp})

        handler.__name__ = f"check_{field}"
        return handler

    @guarded
    async def history_page(request: Request) -> Response:
        user = page_user(request)
        if user is None:
            return to_login()
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            page = 1
        per = 50
        rows = S().history.recent(per + 1, (page - 1) * per)
        nonce = secrets.token_urlsafe(16)
        return html(pages.history_page(nonce, rows[:per], page, len(rows) > per, user=user.key), nonce)

    @guarded
    async def login(request: Request) -> Response:
        nonce, csrf = secrets.token_urlsafe(16), request.cookies.get(CSRF_COOKIE) or new_csrf()
        if request.method == "GET":
            return html(pages.login_page(nonce, csrf), nonce, csrf=csrf)
        await read_body(request, 16 * 1024)
        form = await request.form(max_files=0, max_fields=10)
        check_csrf(request, str(form.get("csrf") or ""))
        S().limiter.take("login:" + (request.client.host if request.client else "?"))
        token = str(form.get("token") or "").strip()
        if not token or S().cfg.token_id(token) is None:
            return html(pages.login_page(nonce, csrf, "That token is not valid."), nonce, 401, csrf=csrf)
        r = RedirectResponse("/", 303)
        r.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", path="/",
                     secure=request.url.scheme == "https", max_age=12 * 3600)
        return r

    @guarded
    async def logout(request: Request) -> Response:
        r = RedirectResponse("/login" if S().cfg.auth_required else "/", 303)
        r.delete_cookie(SESSION_COOKIE, path="/")
        return r

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        detail = "no such page" if status == 404 else f"method {request.method} not allowed here"
        return problem_response(Problem(status, detail), request)

    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/api/v1/openapi.json", openapi, methods=["GET"]),
        Route("/api/v1/outlets", outlets, methods=["GET"]),
        Route("/api/v1/checks", api_post_check, methods=["POST"]),
        Route("/api/v1/checks", api_list_checks, methods=["GET"]),
        Route("/api/v1/claims", api_post_claim, methods=["POST"]),
        Route("/api/v1/checks/{id}/events", events, methods=["GET"]),
        Route("/api/v1/checks/{id}", api_get_check, methods=["GET"]),
        Route("/", index, methods=["GET"]),
        Route("/checks", post_form, methods=["POST"]),
        Route("/history", history_page, methods=["GET"]),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/checks/{id}.html", rendered("html", "text/html; charset=utf-8", REPORT_CSP), methods=["GET"]),
        Route("/checks/{id}.md", rendered("markdown", "text/markdown; charset=utf-8"), methods=["GET"]),
        Route("/checks/{id}.junit.xml", rendered("junit", "application/xml"), methods=["GET"]),
        Route("/checks/{id}.json", rendered("report", "application/json"), methods=["GET"]),
        Route("/checks/{id}/events", events, methods=["GET"]),
        Route("/checks/{id}", check_page, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: not_found})
    app.add_middleware(SecurityHeaders)
    return app
