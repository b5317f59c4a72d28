"""Gate policy configuration: `[tool.verifier]` in pyproject.toml, or a `verifier.toml`.

Discovery walks up from the checked file's directory; in each directory a `verifier.toml` wins
over a `pyproject.toml` (which only counts when it has a `[tool.verifier]` table). The first hit
is used; nothing found means the defaults. Relative paths in a config file (store, cookies
files) are relative to that file's directory. See docs/gate.md for every key with an example.

Reading and checking the file is verifier.settings' job (one schema for every config file,
docs/configuration.md); this module turns its checked values into the gate's `GateConfig`.

    [tool.verifier]
    fail_on = "partial"            # "partial" | "unverified" | "none"
    skip_outlets = ["AFP"]         # attributions to these outlets are not checked
    store = ".verifier/evidence.sqlite"
    deadline = 60                  # whole-run fetch budget per file, seconds
    timeout = 20                   # time limit per source (connection, retries, body), seconds
    offline = false
    cookies_file = "cookies.txt"   # Netscape cookies.txt for every host
    sources = ["Guardian=https://www.theguardian.com/..."]
    local_sources = ["archive"]    # folders (inside the project) whose files links may name

    [tool.verifier.reasons]        # per-reason level: "fail" | "warn" | "allow"
    paywalled = "warn"
    no_source = { level = "allow", only = "people" }   # only: "people" | "outlets"

    [tool.verifier.thresholds]     # percent, 0-100 (verifier.settings.thresholds)
    quote_partial_min = 70

    [tool.verifier.outlets."Financial Times"]          # per-outlet fetch settings
    headers = { Authorization = "Bearer ..." }
    cookies_file = "ft-cookies.txt"
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier import errors
from verifier.settings.loader import (
    Layer,
    find_project_file,
    parse_project_table,
    read_project_file,
    warn_deprecated,
)
from verifier.settings.policy import FAIL_ON_VALUES, LEVELS, ONLY_VALUES, ReasonRule
from verifier.settings.policy import parse_reason_rule as _parse_reason_rule
from verifier.settings.thresholds import to_matcher
from verifier.settings.values import SettingsError

__all__ = [
    "FAIL_ON_VALUES", "LEVELS", "ONLY_VALUES", "ConfigError", "GateConfig", "OutletFetch", "ReasonRule",
    "config_for", "find_config_file", "load_config", "parse_config", "parse_reason_rule",
]


# A config file that cannot be used; the message names the file and the key (verifier/errors.py).
ConfigError = errors.ConfigError


@dataclass
class OutletFetch:
    headers: dict[str, str] = field(default_factory=dict)
    cookies_file: str | None = None


@dataclass
class GateConfig:
    fail_on: str = "partial"
    reasons: dict[str, ReasonRule] = field(default_factory=dict)
    skip_outlets: list[str] = field(default_factory=list)
    store: str | None = None
    deadline: float | None = None
    timeout: float | None = None
    offline: bool = False
    cookies_file: str | None = None
    # verifier.match.verdict.Thresholds keyword arguments, in the matcher's units (the file says
    # percent: verifier.settings.thresholds.to_matcher converts)
    thresholds: dict[str, float] = field(default_factory=dict)
    outlets: dict[str, OutletFetch] = field(default_factory=dict)  # outlet name or domain -> settings
    headers: dict[str, str] = field(default_factory=dict)  # extra request headers for every host
    sources: list[str] = field(default_factory=list)
    local_sources: list[str] = field(default_factory=list)  # resolved folders, inside the project
    base: str | None = None  # git base ref for --changed-only
    path: Path | None = None  # the file this came from (None: defaults)

    def copy(self) -> GateConfig:
        return GateConfig(
            fail_on=self.fail_on,
            reasons=dict(self.reasons),
            skip_outlets=list(self.skip_outlets),
            store=self.store,
            deadline=self.deadline,
            timeout=self.timeout,
            offline=self.offline,
            cookies_file=self.cookies_file,
            thresholds=dict(self.thresholds),
            outlets=dict(self.outlets),
            headers=dict(self.headers),
            sources=list(self.sources),
            local_sources=list(self.local_sources),
            base=self.base,
            path=self.path,
        )


def find_config_file(start: str | Path) -> Path | None:
    """The config file governing `start` (a file or directory), walking up to the root."""
    return find_project_file(start)


def load_config(path: str | Path) -> GateConfig:
    """Read one config file (verifier.toml or pyproject.toml). Raises ConfigError."""
    try:
        layer = read_project_file(path)
    except SettingsError as e:
        raise ConfigError(str(e)) from None
    return _from_layer(layer)


def config_for(start: str | Path) -> GateConfig:
    """The config governing a checked file: the discovered one, or defaults."""
    found = find_config_file(start)
    return load_config(found) if found else GateConfig()


def parse_config(table: dict[str, Any], path: Path | None = None) -> GateConfig:
    """A `[tool.verifier]`-style table (relative paths relative to `path`'s folder). Raises ConfigError."""
    try:
        layer = parse_project_table(table, path)
    except SettingsError as e:
        raise ConfigError(str(e)) from None
    return _from_layer(layer)


def _from_layer(layer: Layer) -> GateConfig:
    for note in layer.deprecations:
        warn_deprecated(note)
    v = layer.values
    outlets = {name: OutletFetch(headers=dict(spec.get("headers", {})), cookies_file=spec.get("cookies_file"))
               for name, spec in (v.get("fetch.outlets") or {}).items()}
    return GateConfig(
        fail_on=v.get("policy.fail_on", "partial"),
        reasons=dict(v.get("policy.reasons") or {}),
        skip_outlets=list(v.get("policy.skip_outlets") or []),
        store=v.get("store.path"),
        deadline=v.get("fetch.deadline"),
        timeout=v.get("fetch.timeout"),
        offline=bool(v.get("fetch.offline", False)),
        cookies_file=v.get("fetch.cookies_file"),
        thresholds=to_matcher({k.split(".", 1)[1]: x for k, x in v.items() if k.startswith("thresholds.")}),
        outlets=outlets,
        headers=dict(v.get("fetch.headers") or {}),
        sources=list(v.get("policy.sources") or []),
        local_sources=list(v.get("policy.local_sources") or []),
        base=v.get("policy.base"),
        path=layer.path,
    )


def parse_reason_rule(code: str, rule: Any, where: str = "config") -> ReasonRule:
    try:
        return _parse_reason_rule(code, rule, where)
    except SettingsError as e:
        raise ConfigError(str(e)) from None
