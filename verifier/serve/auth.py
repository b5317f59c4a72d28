"""Who is asking, and how often: bearer tokens, the page's login cookie, CSRF, rate limits.

* The API takes `Authorization: Bearer TOKEN` only (no ambient credentials, so no CSRF).
* The page logs an editor in with a token form; the token is kept in an HttpOnly, SameSite=Strict
  cookie and checked like a bearer token. Every form post also carries a CSRF token that must equal
  the `verifier_csrf` cookie (double submit) and come from this origin.
* Rate limits are a token bucket per client: a valid token's id, else the client address.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from dataclasses import dataclass

from starlette.requests import Request

from verifier.serve.config import ServeConfig
from verifier.serve.problems import Problem

SESSION_COOKIE = "verifier_token"
CSRF_COOKIE = "verifier_csrf"
CSRF_FIELD = "csrf"


@dataclass
class Client:
    key: str  # "token:xxxxxxxx", or "addr:127.0.0.1" when auth is off
    via: str  # "bearer" | "cookie" | "none"


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def identify(request: Request, cfg: ServeConfig, *, cookie: bool) -> Client:
    """The client behind a request, or a 401 problem when auth is required and missing/wrong.
    `cookie`: whether the page's login cookie counts (page routes and GETs; never API posts)."""
    header = request.headers.get("authorization", "")
    token = None
    via = "none"
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Problem(401, "use Authorization: Bearer TOKEN", "unauthorized",
                          headers={"WWW-Authenticate": 'Bearer realm="verifier"'})
        token, via = value.strip(), "bearer"
    elif cookie and request.cookies.get(SESSION_COOKIE):
        token, via = request.cookies[SESSION_COOKIE], "cookie"
    if token is not None:
        tid = cfg.token_id(token)
        if tid is not None:
            return Client(tid, via)
        if cfg.auth_required or via == "bearer":
            raise Problem(401, "invalid token", "unauthorized",
                          headers={"WWW-Authenticate": 'Bearer realm="verifier", error="invalid_token"'})
    if cfg.auth_required:
        raise Problem(401, "authentication required: send Authorization: Bearer TOKEN", "unauthorized",
                      headers={"WWW-Authenticate": 'Bearer realm="verifier"'})
    return Client("addr:" + client_address(request), "none")


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def check_csrf(request: Request, form_value: str | None) -> None:
    """Double-submit check plus same-origin check for a form post."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not form_value or not secrets.compare_digest(cookie, form_value):
        raise Problem(403, "the form has expired or did not come from this page: reload it and try again",
                      "csrf_failed")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        expected = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin.rstrip("/") != expected:
            raise Problem(403, "cross-site form posts are refused", "csrf_failed")


class RateLimiter:
    """Token bucket per client key: `per_minute` requests, refilled continuously, bursts up to
    the same number. Thread-safe; the state is a dict of (tokens, last time) per key."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> None:
        """Spend one request for `key`, or raise a 429 problem with Retry-After."""
        if self.capacity <= 0:
            return
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                wait = math.ceil((1.0 - tokens) / self.rate)
                raise Problem(429, f"rate limit of {int(self.capacity)} checks per minute reached; retry in {wait} s",
                              "rate_limited", headers={"Retry-After": str(wait)})
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > 10_000:  # forget idle clients (full buckets) so memory stays bounded
                full = [k for k, (t, ts) in self._buckets.items() if t + (now - ts) * self.rate >= self.capacity]
                for k in full:
                    del self._buckets[k]
