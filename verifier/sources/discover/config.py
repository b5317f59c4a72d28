"""Discovery settings. Precedence, lowest first: built-in defaults < the registry's
`[outlet.<key>.discovery]` tables < the user config file's `[discovery]` table < environment
variables < explicit DiscoveryConfig fields (set by the CLI or a library caller). The CLI fills
fields from the file only where the variable is unset (verifier.settings.apply.apply_discovery);
every variable is in the registry verifier.settings.env."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from verifier.settings.env import value as env_value

log = logging.getLogger("verifier.sources.discover")

DEFAULT_GUARDIAN_API = "https://content.guardianapis.com"
DEFAULT_GDELT_API = "https://api.gdeltproject.org/api/v2/doc/doc"
DEFAULT_WAYBACK_API = "https://archive.org/wayback/available"
DEFAULT_WAYBACK_WEB = "https://web.archive.org/web"

# Minimum seconds between two calls to one provider (the providers' published limits).
DEFAULT_INTERVALS = {"guardian_api": 1.0, "gdelt": 5.0, "wayback": 1.0, "sitemap": 0.0}
DEFAULT_PROVIDERS = ("guardian_api", "sitemap", "gdelt")


@dataclass
class DiscoveryConfig:
    """Everything discovery can be tuned with. None means "use env / registry / default"."""

    providers: tuple[str, ...] = DEFAULT_PROVIDERS  # search order; "wayback" is always a rescue step
    wayback: bool = True  # look for an archived copy when the original is paywalled or gone
    guardian_api_key: str | None = None  # else $GUARDIAN_API_KEY, else "test" (with a warning)
    guardian_api_base: str | None = None  # else $VERIFIER_GUARDIAN_API_BASE, registry api_base, default
    gdelt_base: str | None = None  # else $VERIFIER_GDELT_BASE, default
    wayback_api: str | None = None  # else $VERIFIER_WAYBACK_API, default
    wayback_web: str | None = None  # else $VERIFIER_WAYBACK_WEB, default
    # outlet name or key -> site base for its sitemap ("https://www.theguardian.com"); else the
    # registry's discovery `site`, else https://www.<first domain>
    site_bases: dict[str, str] = field(default_factory=dict)
    article_date: str | None = None  # YYYY-MM-DD; else the input's date, else today
    days_before: int = 7
    days_after: int = 1
    max_candidates: int = 20  # per provider call
    max_fetch: int = 3  # top candidates fetched and verified per attribution
    min_intervals: dict[str, float] = field(default_factory=dict)  # provider -> seconds
    good_enough: float = 75.0  # stop asking further providers once a candidate scores this

    def interval(self, provider: str) -> float:
        if provider in self.min_intervals:
            return float(self.min_intervals[provider])
        env = env_value(f"VERIFIER_{provider.upper()}_INTERVAL")
        if env:
            try:
                return float(env)
            except ValueError:
                log.warning("ignoring bad VERIFIER_%s_INTERVAL=%r", provider.upper(), env)
        return DEFAULT_INTERVALS.get(provider, 0.0)

    def guardian_key(self) -> str:
        key = self.guardian_api_key or env_value("GUARDIAN_API_KEY")
        if key:
            return key
        _warn_once("no Guardian API key (config or GUARDIAN_API_KEY): using the public 'test' key")
        return "test"

    def guardian_base(self, registry_value: str | None = None) -> str:
        return _first(self.guardian_api_base, env_value("VERIFIER_GUARDIAN_API_BASE"),
                      registry_value, DEFAULT_GUARDIAN_API)

    def gdelt(self) -> str:
        return _first(self.gdelt_base, env_value("VERIFIER_GDELT_BASE"), DEFAULT_GDELT_API)

    def wayback_available(self) -> str:
        return _first(self.wayback_api, env_value("VERIFIER_WAYBACK_API"), DEFAULT_WAYBACK_API)

    def wayback_snapshots(self) -> str:
        return _first(self.wayback_web, env_value("VERIFIER_WAYBACK_WEB"), DEFAULT_WAYBACK_WEB)


def _first(*values: str | None) -> str:
    for v in values:
        if v:
            return v.rstrip("/")
    return ""


_warned: set[str] = set()


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        log.warning(message)
