"""Gate policy configuration: `[tool.verifier]` in pyproject.toml, or a `verifier.toml`.

Discovery walks up from the checked file's directory; in each directory a `verifier.toml` wins
over a `pyproject.toml` (which only counts when it has a `[tool.verifier]` table). The first hit
is used; nothing found means the defaults. Relative paths in a config file (store, cookies
files) are relative to that file's directory. See docs/gate.md for every key with an example.

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

    [tool.verifier.thresholds]     # verifier.match.verdict.Thresholds fields
    quote_partial_min = 70

    [tool.verifier.outlets."Financial Times"]          # per-outlet fetch settings
    headers = { Authorization = "Bearer ..." }
    cookies_file = "ft-cookies.txt"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from verifier import errors
from verifier.models import Reason

FAIL_ON_VALUES = ("partial", "unverified", "none")
LEVELS = ("fail", "warn", "allow")
ONLY_VALUES = ("people", "outlets")

_KNOWN_KEYS = {
    "fail_on",
    "reasons",
    "skip_outlets",
    "store",
    "deadline",
    "timeout",
    "offline",
    "cookies_file",
    "thresholds",
    "outlets",
    "headers",
    "sources",
    "local_sources",
    "base",
    "serve",  # the `verifier serve` table (verifier/serve/config.py); not gate policy
}


# A config file that cannot be used; the message names the file and the key (verifier/errors.py).
ConfigError = errors.ConfigError


@dataclass
class ReasonRule:
    level: str  # "fail" | "warn" | "allow"
    only: str | None = None  # None (all), "people" (no outlet named), "outlets" (an outlet named)


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
    p = Path(start).resolve()
    d = p if p.is_dir() else p.parent
    for directory in (d, *d.parents):
        vt = directory / "verifier.toml"
        if vt.is_file():
            return vt
        pp = directory / "pyproject.toml"
        if pp.is_file():
            try:
                data = tomllib.loads(pp.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue  # somebody else's broken pyproject is not our business
            if isinstance(data.get("tool"), dict) and "verifier" in data["tool"]:
                return pp
    return None


def load_config(path: str | Path) -> GateConfig:
    """Read one config file (verifier.toml or pyproject.toml). Raises ConfigError."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise ConfigError(f"no such config file: {path}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read config file {path}: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}") from e
    if path.name == "pyproject.toml" or "tool" in data:
        table = data.get("tool", {}).get("verifier", {})
    else:
        table = data.get("verifier", data)  # verifier.toml: top-level keys, or a [verifier] table
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.verifier] must be a table")
    return parse_config(table, path)


def config_for(start: str | Path) -> GateConfig:
    """The config governing a checked file: the discovered one, or defaults."""
    found = find_config_file(start)
    return load_config(found) if found else GateConfig()


def _rel(value: Any, base: Path | None, key: str, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: {key} must be a path string")
    p = Path(value).expanduser()
    if base is not None and not p.is_absolute():
        p = base / p
    return str(p)


def parse_config(table: dict[str, Any], path: Path | None = None) -> GateConfig:
    where = str(path) if path else "config"
    base = path.parent if path else None
    unknown = sorted(set(table) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) in [tool.verifier]: {', '.join(unknown)}")
    cfg = GateConfig(path=path)
    if "fail_on" in table:
        v = table["fail_on"]
        if v not in FAIL_ON_VALUES:
            raise ConfigError(f"{where}: fail_on must be one of {', '.join(FAIL_ON_VALUES)}, not {v!r}")
        cfg.fail_on = v
    for code, rule in (table.get("reasons") or {}).items():
        cfg.reasons[code] = parse_reason_rule(code, rule, where)
    so = table.get("skip_outlets", [])
    if not isinstance(so, list) or not all(isinstance(x, str) for x in so):
        raise ConfigError(f"{where}: skip_outlets must be a list of outlet names")
    cfg.skip_outlets = list(so)
    if "store" in table:
        cfg.store = _rel(table["store"], base, "store", where)
    for key in ("deadline", "timeout"):
        if key in table:
            v = table[key]
            if isinstance(v, bool) or not isinstance(v, int | float) or v <= 0:
                raise ConfigError(f"{where}: {key} must be a positive number of seconds")
            setattr(cfg, key, float(v))
    if "offline" in table:
        if not isinstance(table["offline"], bool):
            raise ConfigError(f"{where}: offline must be true or false")
        cfg.offline = table["offline"]
    if "cookies_file" in table:
        cfg.cookies_file = _rel(table["cookies_file"], base, "cookies_file", where)
    from verifier.match.verdict import Thresholds

    names = {f.name for f in fields(Thresholds)}
    for k, v in (table.get("thresholds") or {}).items():
        if k not in names:
            raise ConfigError(f"{where}: unknown threshold {k!r} (known: {', '.join(sorted(names))})")
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 100:
            raise ConfigError(f"{where}: threshold {k} must be a number from 0 to 100")
        cfg.thresholds[k] = float(v)
    headers = table.get("headers", {})
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise ConfigError(f"{where}: headers must be a table of strings")
    cfg.headers = dict(headers)
    for name, spec in (table.get("outlets") or {}).items():
        if not isinstance(spec, dict):
            raise ConfigError(f"{where}: outlets.{name} must be a table")
        h = spec.get("headers", {})
        if not isinstance(h, dict) or not all(isinstance(v, str) for v in h.values()):
            raise ConfigError(f"{where}: outlets.{name}.headers must be a table of strings")
        cf = spec.get("cookies_file")
        cfg.outlets[name] = OutletFetch(
            headers=dict(h), cookies_file=_rel(cf, base, f"outlets.{name}.cookies_file", where) if cf else None
        )
    src = table.get("sources", [])
    if not isinstance(src, list) or not all(isinstance(x, str) for x in src):
        raise ConfigError(f"{where}: sources must be a list of NAME=LOCATION strings")
    cfg.sources = [_source_rel(s, base) for s in src]
    local = table.get("local_sources", [])
    if not isinstance(local, list) or not all(isinstance(x, str) and x for x in local):
        raise ConfigError(f"{where}: local_sources must be a list of folder paths")
    project = Path(os.path.realpath(base if base is not None else Path.cwd()))
    for folder in local:
        real = Path(os.path.realpath((base or Path.cwd()) / Path(folder)))
        if not (real == project or real.is_relative_to(project)):
            raise ConfigError(f"{where}: local_sources: {folder!r} is outside the project ({project})")
        cfg.local_sources.append(str(real))
    if "base" in table:
        if not isinstance(table["base"], str):
            raise ConfigError(f"{where}: base must be a git ref string")
        cfg.base = table["base"]
    return cfg


def _source_rel(spec: str, base: Path | None) -> str:
    """NAME=LOCATION with a relative file LOCATION made relative to the config file's directory."""
    from verifier.sources.resolve import SourceSpec

    s = SourceSpec.parse(spec)
    if "://" in s.location or base is None or Path(s.location).is_absolute():
        return spec
    full = str(base / s.location)
    return f"{s.name}={full}" if s.name else full


def parse_reason_rule(code: str, rule: Any, where: str = "config") -> ReasonRule:
    valid = {r.value for r in Reason}
    if code not in valid:
        raise ConfigError(f"{where}: unknown reason code {code!r} (known: {', '.join(sorted(valid))})")
    if isinstance(rule, str):
        level, only = rule, None
    elif isinstance(rule, dict):
        level, only = rule.get("level"), rule.get("only")
        extra = set(rule) - {"level", "only"}
        if extra:
            raise ConfigError(f"{where}: reasons.{code}: unknown key(s) {', '.join(sorted(extra))}")
    else:
        raise ConfigError(f"{where}: reasons.{code} must be a level string or a table")
    if level not in LEVELS:
        raise ConfigError(f"{where}: reasons.{code} level must be one of {', '.join(LEVELS)}, not {level!r}")
    if only is not None and only not in ONLY_VALUES:
        raise ConfigError(f"{where}: reasons.{code}.only must be one of {', '.join(ONLY_VALUES)}")
    return ReasonRule(level, only)
