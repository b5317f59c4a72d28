"""What a fetch may do: `FetchConfig` (timeouts, caps, politeness, headers, cookies, the store's
freshness) and the identity the client sends."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from verifier.fetch.files import DEFAULT_MAX_BYTES
from verifier.fetch.guards import AddressGuard

if TYPE_CHECKING:
    from verifier.models import FetchResult

try:  # verifier/__init__.py is owned elsewhere and may not define __version__ yet.
    from verifier import __version__  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the package state
    try:
        from importlib.metadata import version as _dist_version

        __version__ = _dist_version("verifier")
    except Exception:
        __version__ = "0.1.0"

__all__ = ["ACCEPTED_CONTENT_TYPES", "DEFAULT_USER_AGENT", "FetchConfig", "ProgressFn"]

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
        return replace(self, deadline_at=time.monotonic() + self.deadline)


# Progress hook: called as progress(done, total, location, result) -- once with (0, total, None, None)
# before any work, then after each location finishes. It runs on the fetching loop: keep it quick.
ProgressFn = Callable[[int, int, "str | None", "FetchResult | None"], None]
