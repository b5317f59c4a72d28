"""Fetch stage: turn a location (URL or local file) into a `FetchResult`.

Design rules, because the rest of the pipeline relies on them:

* Never raise. Every failure becomes a `FetchResult` whose `error` is one human-readable line.
* Bounded. Every network operation has a timeout, redirects are capped, and the body is
  capped *after* content decoding, so a gzip bomb stops at `max_bytes` instead of filling memory.
* One code path. `fetch()` is `fetch_many([location])`, so single and batch fetches behave alike.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import email.utils
import hashlib
import http.cookiejar
import logging
import mimetypes
import random
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import httpx

from verifier.fetch.files import DEFAULT_MAX_BYTES, LocalReadError, read_local
from verifier.fetch.guards import AddressGuard, BlockedAddress, GuardedTransport, Unresolvable
from verifier.fetch.robots import RobotsRules, rules_from_response
from verifier.models import FetchResult
from verifier.textcodec import decode_text

if TYPE_CHECKING:
    from verifier.fetch.store import Store

log = logging.getLogger("verifier.fetch.client")

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
    "ProgressFn",
    "fetch",
    "fetch_many",
    "fetch_many_async",
    "url_problem",
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


@dataclass
class FetchConfig:
    """Knobs for fetching. Times are seconds."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    # per source: every attempt, retry wait, redirect and the whole body (a drip feed stops here)
    total_timeout: float = 20.0
    max_redirects: int = 5
    max_bytes: int = DEFAULT_MAX_BYTES  # body size cap (HTTP: after gzip/deflate; local files too)
    user_agent: str = DEFAULT_USER_AGENT
    offline: bool = False  # no network at all: URLs come from the store or fail
    allow_private: bool = False  # SSRF guard: refuse loopback/private/link-local/reserved hosts
    local_files: bool = True  # read file paths and file:// URLs (the server turns this off)
    headers: dict[str, str] = field(default_factory=dict)  # extra request headers, all hosts
    concurrency: int = 8  # simultaneous fetches overall
    per_host: int = 2  # simultaneous fetches to one host
    retries: int = 2  # extra attempts on connect errors, timeouts, 429 and 5xx
    backoff_base: float = 0.5  # first retry waits ~this long, doubling each time (with jitter)
    backoff_max: float = 8.0  # cap on one computed backoff wait
    retry_after_cap: float = 30.0  # longest Retry-After we wait for; longer => give up at once
    deadline: float | None = None  # whole-run budget; unfinished sources get a "deadline" error
    ignore_robots: bool = False
    max_crawl_delay: float = 30.0  # cap on a robots.txt Crawl-delay we honour
    cookies_file: str | None = None  # Netscape/Mozilla cookies.txt
    # Extra headers for one host and its subdomains, e.g. {"ft.com": {"Authorization": "..."}};
    # applied per hop, so they never follow a redirect to another host.
    host_headers: dict[str, dict[str, str]] = field(default_factory=dict)
    max_age: float | None = 86_400.0  # reuse a stored copy younger than this (None: any age)
    refresh: bool = False  # ignore stored copies (still store the new fetch)
    # The SSRF guard used by the transport (None: one built from allow_private). Tests put a
    # stand-in resolver here; nothing else needs to.
    guard: AddressGuard | None = None
    # Absolute end of the whole run on time.monotonic()'s clock (set from `deadline` by the
    # caller that owns the run, so discovery, fetching and matching share one budget).
    deadline_at: float | None = None

    def set_timeout(self, seconds: float) -> None:
        """`--timeout`: the most time one source may take; connect/read waits never exceed it."""
        self.total_timeout = seconds
        self.read_timeout = min(FetchConfig.read_timeout, seconds)
        self.connect_timeout = min(FetchConfig.connect_timeout, seconds)

    def remaining(self) -> float | None:
        """Seconds left of the run's budget (None: no deadline)."""
        if self.deadline_at is None:
            return None
        return max(0.0, self.deadline_at - time.monotonic())

    def run_deadline(self) -> FetchConfig:
        """A copy whose `deadline_at` is set from `deadline`, starting now (if not set already)."""
        if self.deadline is None or self.deadline_at is not None:
            return self
        from dataclasses import replace

        return replace(self, deadline_at=time.monotonic() + self.deadline)


# Progress hook: called as progress(done, total, location, result) -- once with (0, total, None, None)
# before any work, then after each location finishes. It runs on the fetching loop: keep it quick.
ProgressFn = Callable[[int, int, "str | None", "FetchResult | None"], None]


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def fetch(location: str, config: FetchConfig | None = None, store: Store | None = None) -> FetchResult:
    """Fetch one URL or local file. Never raises."""
    return fetch_many([location], config, store=store)[location]


def fetch_many(
    locations: list[str],
    config: FetchConfig | None = None,
    store: Store | None = None,
    progress: ProgressFn | None = None,
) -> dict[str, FetchResult]:
    """Fetch several locations concurrently; the dict is keyed by location in input order.

    With a `store`, URLs are served from it when a copy younger than `config.max_age` exists
    (unless `config.refresh`), every successful network fetch is saved to it as soon as it
    completes, and in offline mode the store is the only source.

    Safe to call from synchronous code. If an event loop is already running in this thread
    (e.g. called from async code or a notebook), the work runs on a private loop in a worker
    thread, because asyncio.run() cannot nest.
    """

    def run() -> dict[str, FetchResult]:
        return asyncio.run(fetch_many_async(locations, config, store=store, progress=progress))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


async def fetch_many_async(
    locations: list[str],
    config: FetchConfig | None = None,
    store: Store | None = None,
    progress: ProgressFn | None = None,
) -> dict[str, FetchResult]:
    """Async core of `fetch_many`. Duplicate locations are fetched once."""
    config = (config or FetchConfig()).run_deadline()
    unique = list(dict.fromkeys(locations))
    run = _Run(config, store)
    deadline_at = config.deadline_at

    done = 0

    def report(loc: str | None, result: FetchResult | None) -> None:
        nonlocal done
        if progress is None:
            return
        done += result is not None
        try:
            progress(done, len(unique), loc, result)
        except Exception as exc:  # a display problem must never cost a verification
            log.warning("progress callback failed: %s", _one_line(exc))

    async def bounded(loc: str) -> FetchResult:
        result = await timed(loc)
        report(loc, result)
        return result

    async def timed(loc: str) -> FetchResult:
        if deadline_at is None:
            return await run.one(loc)
        try:
            # run.one never raises, so a TimeoutError here can only be the run deadline.
            return await asyncio.wait_for(run.one(loc), timeout=max(0.0, deadline_at - time.monotonic()))
        except TimeoutError:
            kind, target = _classify(loc)
            return FetchResult(
                location=loc,
                url=target if kind == "url" else None,
                error=f"deadline reached after {_secs(config.deadline or 0)}",
            )

    report(None, None)
    try:
        results = await asyncio.gather(*(bounded(loc) for loc in unique))
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


# Failures worth another attempt: the server or network may do better in a moment.
_TRANSIENT_PREFIXES = (
    "timed out",
    "connection refused",
    "connection failed",
    "connection broken",
    "network unreachable",
    "protocol error",
)
# Response headers kept with stored evidence (never Set-Cookie: it can carry session secrets).
_KEPT_HEADERS = (
    "content-type",
    "content-language",
    "last-modified",
    "etag",
    "date",
    "cache-control",
    "link",
    "x-robots-tag",
)


@dataclass
class _Attempt:
    result: FetchResult
    retry_after: str | None = None  # raw Retry-After header of a 429/5xx


@dataclass
class _Host:
    """Per-hostname politeness state for one run."""

    sem: asyncio.Semaphore
    pace_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    crawl_delay: float = 0.0
    next_at: float = 0.0


class _Run:
    """State shared by all fetches of one fetch_many call: client, pools, limits, robots."""

    def __init__(self, config: FetchConfig, store: Store | None = None) -> None:
        self.config = config
        self.store = store
        self._client: httpx.AsyncClient | None = None
        self._cookie_error: str | None = None
        # Loaded up front so a bad cookies file fails every URL, including the first request.
        self._cookies = self._load_cookies() if not config.offline else None
        self._global = asyncio.Semaphore(max(1, config.concurrency))
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, asyncio.Future[RobotsRules]] = {}
        self.headers_seen: dict[str, dict[str, str]] = {}

    @property
    def client(self) -> httpx.AsyncClient:
        # Created lazily so offline runs and file-only runs never build a network client.
        if self._client is None:
            c = self.config
            limits = httpx.Limits(
                max_connections=max(1, c.concurrency),
                max_keepalive_connections=max(1, c.concurrency),
            )
            # Every connection (each redirect hop, robots.txt) is made by the guarded transport:
            # resolved once, every address checked, connected to the checked address.
            guard = c.guard or AddressGuard(allow_private=c.allow_private)
            self._client = httpx.AsyncClient(
                transport=GuardedTransport(guard, limits=limits),
                follow_redirects=False,  # manual, so each hop can be counted and checked
                timeout=httpx.Timeout(
                    connect=c.connect_timeout,
                    read=c.read_timeout,
                    write=c.read_timeout,
                    pool=c.total_timeout,
                ),
                limits=limits,
                cookies=self._cookies,
            )
        return self._client

    def _load_cookies(self) -> httpx.Cookies | None:
        path = self.config.cookies_file
        if not path:
            return None
        jar = http.cookiejar.MozillaCookieJar()
        try:
            # ignore_expires=True, then filter ourselves: browser/curl exports write expiry 0
            # for session cookies, which the stdlib would treat as long expired.
            jar.load(str(Path(path).expanduser()), ignore_discard=True, ignore_expires=True)
        except (OSError, http.cookiejar.LoadError) as exc:
            # Fail the URLs rather than fetch without the cookies the user relies on (a
            # paywalled page would quietly come back as a teaser).
            self._cookie_error = f"cannot load cookies file {path}: {_one_line(exc)}"
            return None
        now = time.time()
        for cookie in list(jar):
            if cookie.expires == 0:
                cookie.expires, cookie.discard = None, True
            elif cookie.expires is not None and cookie.expires < now:
                jar.clear(cookie.domain, cookie.path, cookie.name)
        # Counts and domains only: cookie values are credentials and must never reach a log.
        domains = sorted({c.domain for c in jar})
        log.info("loaded %d cookies for %d domains from %s", len(jar), len(domains), path)
        return httpx.Cookies(jar)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _Host(sem=asyncio.Semaphore(max(1, self.config.per_host)))
        return state

    async def one(self, location: str) -> FetchResult:
        try:
            kind, target = _classify(location)
            if kind == "file":
                if not self.config.local_files:
                    return FetchResult(location=location, error="local files are not read here (only http/https sources)")
                return _read_file(location, target, self.config)
            if kind == "unsupported":
                return FetchResult(location=location, error=f"unsupported scheme {target}")
            if kind == "invalid":
                return FetchResult(location=location, error=target)
            c = self.config
            if self.store is not None and (c.offline or not c.refresh):
                cached = self._from_store(target, None if c.offline else c.max_age)
                if cached is not None:
                    cached.location = location
                    return cached
            if c.offline:
                where = "not in the evidence store" if self.store is not None else "not fetched"
                return FetchResult(location=location, url=target, error=f"offline mode: {target} {where}")
            result = await self._with_retries(location, target)
            if self.store is not None and result.error is None:
                self._to_store(result)
            return result
        except Exception as exc:  # last line of defence for the never-raise contract
            return FetchResult(location=location, error=f"internal error: {_one_line(exc)}")

    def _from_store(self, url: str, max_age: float | None) -> FetchResult | None:
        assert self.store is not None
        try:
            return self.store.get(url, max_age=max_age)
        except Exception as exc:  # a broken cache must not break verification
            log.warning("evidence store read failed for %s: %s", url, _one_line(exc))
            return None

    def _to_store(self, result: FetchResult) -> None:
        assert self.store is not None
        try:
            self.store.put(result, headers=self.headers_seen.get(result.location))
        except Exception as exc:
            log.warning("evidence store write failed for %s: %s", result.url, _one_line(exc))

    async def _with_retries(self, location: str, url: str) -> FetchResult:
        host = self._host(urlsplit(url).hostname or "")
        attempt = 0
        ends_at: float | None = None  # this source's total budget, from its first attempt
        while True:
            # Slots are held per attempt, not across backoff sleeps, so waiting sources don't
            # block others. Per-host slot first, then global: the other order lets tasks queued
            # behind one busy host sit on global slots and starve other hosts.
            async with host.sem, self._global:
                if ends_at is None:
                    ends_at = time.monotonic() + self.config.total_timeout
                outcome = await self._attempt(location, url, ends_at=ends_at)
            wait = self._retry_wait(outcome, attempt)
            if wait is None:
                return outcome.result
            if time.monotonic() + wait >= ends_at:
                # another try could not finish inside the budget the error message promises
                return outcome.result
            log.info("retrying %s in %.1fs after: %s", url, wait, outcome.result.error)
            await asyncio.sleep(wait)
            attempt += 1

    def _retry_wait(self, outcome: _Attempt, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None to stop (success, permanent error, no budget)."""
        c = self.config
        r = outcome.result
        if r.error is None or attempt >= c.retries:
            return None
        if r.error.startswith("timed out after") and r.error.endswith("(total)"):
            return None  # the source's whole budget is spent
        transient = (r.status is not None and (r.status == 429 or r.status >= 500)) or (
            r.status is None and r.error.startswith(_TRANSIENT_PREFIXES)
        )
        if not transient:
            return None
        if outcome.retry_after is not None:
            wanted = _parse_retry_after(outcome.retry_after)
            if wanted is not None:
                if wanted > c.retry_after_cap:
                    # Retrying sooner than the server asked would just be refused again.
                    r.error += f" (Retry-After {_secs(round(wanted))} exceeds cap {_secs(c.retry_after_cap)})"
                    return None
                return wanted
        backoff = min(c.backoff_max, c.backoff_base * (2**attempt))
        return backoff * random.uniform(0.5, 1.0)  # jitter: don't retry in lockstep with others

    async def _attempt(self, location: str, url: str, *, ends_at: float | None = None, **get_kw: Any) -> _Attempt:
        total = self.config.total_timeout
        ends_at = ends_at if ends_at is not None else time.monotonic() + total
        loop = asyncio.get_running_loop()
        try:
            # asyncio's clock is time.monotonic(); convert explicitly in case a loop differs
            async with asyncio.timeout_at(loop.time() + (ends_at - time.monotonic())):
                return await self._get(location, url, **get_kw)
        except TimeoutError:
            return _Attempt(FetchResult(location=location, url=url, error=f"timed out after {_secs(total)} (total)"))
        except _FetchError as exc:
            return _Attempt(FetchResult(location=location, url=url, status=exc.status, error=exc.message))
        except httpx.HTTPError as exc:
            return _Attempt(FetchResult(location=location, url=url, error=_describe_httpx_error(exc, self.config)))

    def _request_headers(self, host: str) -> dict[str, str]:
        c = self.config
        headers = {
            "User-Agent": c.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
            "Accept-Encoding": _ACCEPT_ENCODING,
            **c.headers,
        }
        for pattern, extra in c.host_headers.items():
            p = pattern.lower().lstrip(".")
            if host == p or host.endswith("." + p):
                headers.update(extra)
        return headers

    async def _before_request(self, url: str, *, robots: bool = True) -> None:
        """Checks and politeness before any request (each redirect hop, robots.txt too)."""
        if self._cookie_error:
            raise _FetchError(self._cookie_error)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise _FetchError(f"unsupported scheme {scheme or '(none)'} (redirect to {url})")
        try:
            host = (parts.hostname or "").lower()
            port = parts.port
        except ValueError as exc:  # "Port out of range", bad IPv6 literal
            raise _FetchError(f"invalid URL: {_one_line(exc)}: {url}") from None
        if not host:
            raise _FetchError(f"invalid URL: no host in {url}")
        if port == 0:
            raise _FetchError(f"invalid URL: port 0 in {url}")
        # The SSRF guard runs in the transport, at connect time (verifier/_netguard.py).
        if robots and not self.config.ignore_robots:
            rules = await self._robots_for(f"{scheme}://{parts.netloc}")
            if not rules.allowed(url):
                why = rules.deny_reason or "disallowed"
                raise _FetchError(f"blocked by robots.txt ({why}): {url} (--ignore-robots to override)")
        await self._pace(host)

    async def _pace(self, host: str) -> None:
        """Honour the host's Crawl-delay between request starts."""
        state = self._host(host)
        if state.crawl_delay <= 0:
            return
        async with state.pace_lock:
            loop = asyncio.get_running_loop()
            wait = state.next_at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            state.next_at = loop.time() + state.crawl_delay

    async def _robots_for(self, origin: str) -> RobotsRules:
        fut = self._robots.get(origin)
        if fut is None:
            fut = self._robots[origin] = asyncio.ensure_future(self._load_robots(origin))
        try:
            rules = await asyncio.shield(fut)
        except _FetchError:
            # Network failures are not remembered: the next attempt (a retry) asks again.
            if self._robots.get(origin) is fut:
                del self._robots[origin]
            raise
        return rules

    async def _load_robots(self, origin: str) -> RobotsRules:
        url = origin + "/robots.txt"
        attempt = await self._attempt(url, url, robots=False, check_type=False, max_bytes=512_000)
        r = attempt.result
        if r.status is None and r.error:
            # No answer at all (refused, unresolvable...): report that plainly, since the same
            # failure would stop the page itself; the robots.txt detail would only confuse.
            raise _FetchError(r.error)
        rules = rules_from_response(r.status, r.text, None if r.status else r.error)
        delay = min(rules.crawl_delay(), self.config.max_crawl_delay)
        if delay > 0:
            self._host((urlsplit(origin).hostname or "").lower()).crawl_delay = delay
        return rules

    async def _get(
        self,
        location: str,
        url: str,
        *,
        robots: bool = True,
        check_type: bool = True,
        max_bytes: int | None = None,
    ) -> _Attempt:
        c = self.config
        current = url
        hops = 0
        while True:
            try:
                await self._before_request(current, robots=robots)
            except _FetchError as exc:
                return _Attempt(FetchResult(location=location, url=url, final_url=current if hops else None,
                                            error=exc.message))
            host = (urlsplit(current).hostname or "").lower()
            try:
                request = self.client.build_request("GET", current, headers=self._request_headers(host))
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
                return _Attempt(FetchResult(location=location, url=url, error=f"invalid URL: {_one_line(exc)}"))
            try:
                response = await self.client.send(request, stream=True)
            except (BlockedAddress, Unresolvable) as exc:
                return _Attempt(FetchResult(location=location, url=url, final_url=current if hops else None,
                                            error=str(exc)))
            except httpx.HTTPError as exc:
                return _Attempt(FetchResult(location=location, url=url, error=_describe_httpx_error(exc, c)))
            try:
                if response.status_code in _REDIRECT_STATUSES and "location" in response.headers:
                    hops += 1
                    if hops > c.max_redirects:
                        raise _FetchError(f"too many redirects ({hops})", status=response.status_code)
                    current = str(response.url.join(response.headers["location"]))
                    continue
                self.headers_seen[location] = {
                    k: response.headers[k] for k in _KEPT_HEADERS if k in response.headers
                }
                result = await _finish(location, url, response, c, check_type=check_type, max_bytes=max_bytes)
                return _Attempt(result, response.headers.get("retry-after"))
            finally:
                await response.aclose()


async def _finish(
    location: str,
    url: str,
    response: httpx.Response,
    c: FetchConfig,
    *,
    check_type: bool = True,
    max_bytes: int | None = None,
) -> FetchResult:
    """Turn a final (non-redirect) streamed response into a FetchResult."""
    limit = c.max_bytes if max_bytes is None else max_bytes
    status = response.status_code
    final_url = str(response.url)
    base = FetchResult(location=location, url=url, final_url=final_url, status=status)
    if status >= 400:
        base.error = f"HTTP {status} {_reason(response)}".rstrip()
        return base
    raw_ct = response.headers.get("content-type")
    mime, charset = _parse_content_type(raw_ct)
    base.content_type = mime
    if check_type and mime is not None and not _accepted(mime):
        base.error = f"unsupported content type {mime}"
        return base
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit and not response.headers.get("content-encoding"):
        # Cheap early exit; for encoded bodies the decoded size is what counts, so we stream.
        base.error = f"body larger than {limit} bytes"
        return base
    body = await _read_body(response, limit)
    base.body = body
    base.sha256 = hashlib.sha256(body).hexdigest()
    base.fetched_at = _now_iso()
    base.text, base.encoding = decode_text(body, charset)
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


def url_problem(url: str) -> str | None:
    """Why `url` cannot be fetched as an http(s) URL ("invalid URL: …"), or None when it can."""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        return f"invalid URL: {_one_line(exc)}"
    if parts.scheme.lower() not in ("http", "https"):
        return f"unsupported scheme {parts.scheme or '(none)'}"
    if not host:
        return "invalid URL: no host"
    if port == 0:
        return "invalid URL: port 0"
    try:
        httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        return f"invalid URL: {_one_line(exc)}"
    return None


def _classify(location: str) -> tuple[str, str]:
    """Return ("url", url) | ("file", path) | ("unsupported", scheme) | ("invalid", message)."""
    try:
        parts = urlsplit(location)
    except ValueError as exc:
        return "invalid", f"invalid URL: {_one_line(exc)}"
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


def _read_file(location: str, path_str: str, c: FetchConfig) -> FetchResult:
    """Read a local file, bounded like an HTTP body (regular files only). fetched_at is the file's
    mtime: it dates the evidence, and it keeps reports of an unchanged file identical run to run."""
    path = Path(path_str).expanduser()
    result = FetchResult(location=location)
    try:
        body, mtime = read_local(path, c.max_bytes)
    except LocalReadError as exc:
        result.error = exc.message
        return result
    mime = _guess_file_type(path)
    result.content_type = mime
    result.body = body
    result.sha256 = hashlib.sha256(body).hexdigest()
    result.fetched_at = datetime.fromtimestamp(mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    result.text, result.encoding = decode_text(body)
    return result


def _guess_file_type(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".shtml"):
        return "text/html"
    if suffix in (".txt", ".text", ".md", ".markdown"):
        return "text/plain"
    return mimetypes.guess_type(path.name)[0]


# ---- decoding -------------------------------------------------------------------------------

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


def _one_line(exc: BaseException) -> str:
    msg = " ".join(str(exc).split()) or type(exc).__name__
    return msg[:300]


def _reason(response: httpx.Response) -> str:
    try:
        return HTTPStatus(response.status_code).phrase
    except ValueError:
        return response.reason_phrase or ""


def _parse_retry_after(value: str) -> float | None:
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


def _secs(seconds: float) -> str:
    return f"{seconds:g}s"


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
