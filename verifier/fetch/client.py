"""Fetch stage: turn a location (URL or local file) into a `FetchResult`.

Design rules, because the rest of the pipeline relies on them:

* Never raise. Every failure becomes a `FetchResult` whose `error` is one human-readable line.
* Bounded. Every network operation has a timeout, redirects are capped, and the body is
  capped *after* content decoding, so a gzip bomb stops at `max_bytes` instead of filling memory.
* One code path. `fetch()` is `fetch_many([location])`, so single and batch fetches behave alike.

This module is the run loop (concurrency, per-host limits, retries, redirects, robots.txt, the
store); `config` holds FetchConfig, `body` the capped response body, `locations` URLs and local
files, `messages` the one-line errors, `cookies` the cookies file.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import random
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from verifier.fetch.body import ACCEPT_ENCODING, finish
from verifier.fetch.config import ACCEPTED_CONTENT_TYPES, DEFAULT_USER_AGENT, FetchConfig, ProgressFn
from verifier.fetch.cookies import CookieFileError, load_cookies
from verifier.fetch.guards import AddressGuard, BlockedAddress, GuardedTransport, Unresolvable
from verifier.fetch.locations import classify, read_file, url_problem
from verifier.fetch.messages import FetchFailure, describe_httpx_error, one_line, parse_retry_after, secs
from verifier.fetch.robots import RobotsRules, rules_from_response
from verifier.models import FetchResult

if TYPE_CHECKING:
    from verifier.fetch.store import EvidenceStore

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

log = logging.getLogger("verifier.fetch.client")

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def fetch(location: str, config: FetchConfig | None = None, store: EvidenceStore | None = None,
          transport: httpx.AsyncBaseTransport | None = None) -> FetchResult:
    """Fetch one URL or local file. Never raises."""
    return fetch_many([location], config, store=store, transport=transport)[location]


def fetch_many(
    locations: list[str],
    config: FetchConfig | None = None,
    store: EvidenceStore | None = None,
    progress: ProgressFn | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> dict[str, FetchResult]:
    """Fetch several locations concurrently; the dict is keyed by location in input order.

    `transport` answers the HTTP requests (httpx's model); None is the default one, which
    resolves each host once, refuses private and reserved addresses unless
    `config.allow_private` (the SSRF guard) and connects to the address it checked. A replay
    (`verifier.sources.discover.replay`) or a test passes its own. Either way every request goes
    through the same client: robots.txt, redirects, size and type limits, retries, the store.

    With a `store`, URLs are served from it when a copy younger than `config.max_age` exists
    (unless `config.refresh`), every successful network fetch is saved to it as soon as it
    completes, and in offline mode the store is the only source.

    Safe to call from synchronous code. If an event loop is already running in this thread
    (e.g. called from async code or a notebook), the work runs on a private loop in a worker
    thread, because asyncio.run() cannot nest.
    """

    def run() -> dict[str, FetchResult]:
        return asyncio.run(fetch_many_async(locations, config, store=store, progress=progress, transport=transport))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return run()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


async def fetch_many_async(
    locations: list[str],
    config: FetchConfig | None = None,
    store: EvidenceStore | None = None,
    progress: ProgressFn | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> dict[str, FetchResult]:
    """Async core of `fetch_many`. Duplicate locations are fetched once."""
    config = (config or FetchConfig()).run_deadline()
    unique = list(dict.fromkeys(locations))
    run = _Run(config, store, transport)
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
            log.warning("progress callback failed: %s", one_line(exc))

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
            kind, target = classify(loc)
            return FetchResult(
                location=loc,
                url=target if kind == "url" else None,
                error=f"deadline reached after {secs(config.deadline or 0)}",
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

    def __init__(self, config: FetchConfig, store: EvidenceStore | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.config = config
        self.store = store
        self._transport = transport  # the caller's, which the caller closes; None: the default
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
            # The default transport makes every connection (each redirect hop, robots.txt):
            # resolved once, every address checked, connected to the checked address.
            transport = self._transport or GuardedTransport(c.guard or AddressGuard(allow_private=c.allow_private),
                                                            limits=limits)
            self._client = httpx.AsyncClient(
                transport=transport,
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
        if not self.config.cookies_file:
            return None
        try:
            return load_cookies(self.config.cookies_file)
        except CookieFileError as exc:
            # Fail the URLs rather than fetch without the cookies the user relies on (a
            # paywalled page would quietly come back as a teaser).
            self._cookie_error = str(exc)
            return None

    async def aclose(self) -> None:
        if self._client is not None and self._transport is None:  # a caller's transport is the caller's to close
            await self._client.aclose()

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _Host(sem=asyncio.Semaphore(max(1, self.config.per_host)))
        return state

    async def one(self, location: str) -> FetchResult:
        try:
            kind, target = classify(location)
            if kind == "file":
                if not self.config.local_files:
                    return FetchResult(location=location, error="local files are not read here (only http/https sources)")
                return read_file(location, target, self.config.max_bytes)
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
            return FetchResult(location=location, error=f"internal error: {one_line(exc)}")

    def _from_store(self, url: str, max_age: float | None) -> FetchResult | None:
        assert self.store is not None
        try:
            return self.store.get(url, max_age=max_age)
        except Exception as exc:  # a broken cache must not break verification
            log.warning("evidence store read failed for %s: %s", url, one_line(exc))
            return None

    def _to_store(self, result: FetchResult) -> None:
        assert self.store is not None
        try:
            self.store.put(result, headers=self.headers_seen.get(result.location))
        except Exception as exc:
            log.warning("evidence store write failed for %s: %s", result.url, one_line(exc))

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
            wanted = parse_retry_after(outcome.retry_after)
            if wanted is not None:
                if wanted > c.retry_after_cap:
                    # Retrying sooner than the server asked would just be refused again.
                    r.error += f" (Retry-After {secs(round(wanted))} exceeds cap {secs(c.retry_after_cap)})"
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
            return _Attempt(FetchResult(location=location, url=url, error=f"timed out after {secs(total)} (total)"))
        except FetchFailure as exc:
            return _Attempt(FetchResult(location=location, url=url, status=exc.status, error=exc.message))
        except httpx.HTTPError as exc:
            return _Attempt(FetchResult(location=location, url=url, error=describe_httpx_error(exc, self.config)))

    def _request_headers(self, host: str) -> dict[str, str]:
        c = self.config
        headers = {
            "User-Agent": c.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
            "Accept-Encoding": ACCEPT_ENCODING,
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
            raise FetchFailure(self._cookie_error)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchFailure(f"unsupported scheme {scheme or '(none)'} (redirect to {url})")
        try:
            host = (parts.hostname or "").lower()
            port = parts.port
        except ValueError as exc:  # "Port out of range", bad IPv6 literal
            raise FetchFailure(f"invalid URL: {one_line(exc)}: {url}") from None
        if not host:
            raise FetchFailure(f"invalid URL: no host in {url}")
        if port == 0:
            raise FetchFailure(f"invalid URL: port 0 in {url}")
        # The SSRF guard runs in the default transport, at connect time (verifier/fetch/guards.py).
        if robots and not self.config.ignore_robots:
            rules = await self._robots_for(f"{scheme}://{parts.netloc}")
            if not rules.allowed(url):
                why = rules.deny_reason or "disallowed"
                raise FetchFailure(f"blocked by robots.txt ({why}): {url} (--ignore-robots to override)")
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
        except FetchFailure:
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
            raise FetchFailure(r.error)
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
            except FetchFailure as exc:
                return _Attempt(FetchResult(location=location, url=url, final_url=current if hops else None,
                                            error=exc.message))
            host = (urlsplit(current).hostname or "").lower()
            try:
                request = self.client.build_request("GET", current, headers=self._request_headers(host))
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
                return _Attempt(FetchResult(location=location, url=url, error=f"invalid URL: {one_line(exc)}"))
            try:
                response = await self.client.send(request, stream=True)
            except (BlockedAddress, Unresolvable) as exc:
                return _Attempt(FetchResult(location=location, url=url, final_url=current if hops else None,
                                            error=str(exc)))
            except httpx.HTTPError as exc:
                return _Attempt(FetchResult(location=location, url=url, error=describe_httpx_error(exc, c)))
            try:
                if response.status_code in _REDIRECT_STATUSES and "location" in response.headers:
                    hops += 1
                    if hops > c.max_redirects:
                        raise FetchFailure(f"too many redirects ({hops})", status=response.status_code)
                    current = str(response.url.join(response.headers["location"]))
                    continue
                self.headers_seen[location] = {
                    k: response.headers[k] for k in _KEPT_HEADERS if k in response.headers
                }
                result = await finish(location, url, response, c, check_type=check_type, max_bytes=max_bytes)
                return _Attempt(result, response.headers.get("retry-after"))
            finally:
                await response.aclose()


