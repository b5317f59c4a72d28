"""Provider HTTP: every request goes through `verifier.fetch.client` (size/time limits, robots.txt,
retries with Retry-After; the SSRF guard on the default transport) after a per-provider rate
limit, and through the run's transport (a replay answers from recorded answers)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace

import httpx

from verifier.fetch.client import FetchConfig, fetch_many
from verifier.fetch.store import EvidenceStore
from verifier.models import FetchResult
from verifier.registry import Registry
from verifier.sources.discover.config import DiscoveryConfig
from verifier.sources.discover.types import ProviderError


class RateLimiter:
    """Minimum spacing between calls per provider, shared by every thread of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, key: str, interval: float, budget: float | None = None) -> float | None:
        """Block until `key` may be called again; returns the seconds waited, or None (without
        waiting or taking the slot) when that would take longer than `budget` seconds."""
        if interval <= 0:
            return 0.0
        with self._lock:
            now = time.monotonic()
            at = max(now, self._next.get(key, 0.0))
            if budget is not None and at - now > budget:
                return None
            self._next[key] = at + interval
        waited = at - now
        if waited > 0:
            time.sleep(waited)
        return waited

    def reset(self) -> None:
        with self._lock:
            self._next.clear()


LIMITER = RateLimiter()


@dataclass
class Context:
    """What a provider needs to make requests."""

    config: DiscoveryConfig
    registry: Registry
    fetch: FetchConfig = field(default_factory=FetchConfig)
    store: EvidenceStore | None = None  # not used for provider answers (they are not evidence)
    transport: httpx.AsyncBaseTransport | None = None  # what answers requests (None: the network)
    calls: list[str] = field(default_factory=list)  # provider requests made (for tests and reports)

    def get(self, provider: str, url: str) -> FetchResult:
        """One provider request. Raises ProviderError("deadline reached") when the run's
        deadline has passed, or would pass while waiting for the provider's rate limit."""
        remaining = self.fetch.remaining()
        if remaining is not None and (remaining <= 0 or LIMITER.wait(provider, self.config.interval(provider),
                                                                     remaining) is None):
            raise ProviderError(f"{provider}: deadline reached")
        if remaining is None:
            LIMITER.wait(provider, self.config.interval(provider))
        self.calls.append(url)
        # API answers are not evidence: never serve them from, or save them to, the store
        cfg = replace(self.fetch, retries=min(self.fetch.retries, 1))
        return fetch_many([url], cfg, transport=self.transport)[url]
