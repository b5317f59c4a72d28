"""Checking one setting's value: each kind of key has one check, which returns the value in the form
the code uses or raises `SettingsError` naming the key (exit 2 at the CLI)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from verifier.errors import ConfigError

__all__ = ["CHECKS", "SettingsError", "check_header_value", "parse_duration", "parse_header", "parse_size"]


class SettingsError(ConfigError):
    """A setting that cannot be used; the message names the file (or flag) and the key. A
    `verifier.errors.ConfigError` (so a ValueError too): the CLI says it on one line, exit 2."""


_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([smhd]?)\s*$", re.IGNORECASE)


def parse_duration(value: Any, flag: str = "duration") -> float:
    """Seconds from 90, "90", "90s", "15m", "12h" or "2d"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        m = _DURATION.match(str(value))
        if not m:
            raise SettingsError(f"{flag}: expected seconds (or 30m, 12h, 2d), got {value!r}")
        seconds = float(m.group(1)) * _UNITS[m.group(2).lower()]
    if seconds < 0:
        raise SettingsError(f"{flag} must not be negative")
    return seconds


_SIZE_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
               "kib": 2**10, "mib": 2**20, "gib": 2**30}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d*)?)\s*([a-z]*)\s*$", re.IGNORECASE)


def parse_size(value: Any, flag: str = "size") -> int:
    """Bytes from 5000000, "5MB", "500KB", "2MiB"."""
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    else:
        m = _SIZE.match(str(value))
        unit = m.group(2).lower() if m else ""
        if not m or unit not in _SIZE_UNITS:
            raise SettingsError(f"{flag}: expected a size such as 5MB or 500KB, got {value!r}")
        n = int(float(m.group(1)) * _SIZE_UNITS[unit])
    if n <= 0:
        raise SettingsError(f"{flag} must be more than 0 bytes")
    return n


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"  # RFC 9110 header-name characters (no '=' or ':')
_HEADER = re.compile(rf"^\s*(?:(?P<host>[A-Za-z0-9.\-]+)=)?(?P<name>{_TOKEN})\s*:\s*(?P<value>.*?)\s*$")


def parse_header(raw: str) -> tuple[str | None, str, str]:
    """'Name: value' -> (None, name, value); 'host=Name: value' -> (host, name, value)."""
    m = _HEADER.match(raw)
    if not m:
        raise SettingsError(f"--header: expected 'Name: value' or 'host=Name: value', got {_redact(raw)!r}")
    host = m.group("host")
    name = m.group("name")
    return (host.lower().lstrip(".") if host else None), name, check_header_value(name, m.group("value"))


def check_header_value(name: str, value: Any) -> str:
    text = str(value)
    if "\n" in text or "\r" in text or "\0" in text:
        raise SettingsError(f"header {name}: value must be one line")
    return text


def _redact(raw: str) -> str:
    # never echo a header value back: it may be a credential
    name = re.split(r"[:\s]", raw.strip(), maxsplit=1)[0]
    return name + (" …" if len(name) < len(raw.strip()) else "")


# ---- checks by kind: check(value, where, name, what, base) -> value ---------------------------
# `where` is "FILE: [section] key"-style text for messages; `base` the file's folder (project files
# resolve relative paths against it) or None (user file: relative to the working directory).


def _wrong(where: str, what: str, value: Any) -> SettingsError:
    return SettingsError(f"{where} must be {what}, not {type(value).__name__}")


def _is(value: Any, types: tuple[type, ...]) -> bool:
    return isinstance(value, types) and not (isinstance(value, bool) and bool not in types)


def _bool(value: Any, where: str, what: str, base: Path | None) -> bool:
    if not isinstance(value, bool):
        raise _wrong(where, what, value)
    return value


def _line(value: Any, where: str, what: str, base: Path | None) -> str:
    if not isinstance(value, str):
        raise _wrong(where, what, value)
    if "\n" in value or "\r" in value or "\0" in value:
        raise SettingsError(f"{where} must be one line")
    return value


def _path(value: Any, where: str, what: str, base: Path | None) -> str:
    if not isinstance(value, str) or not value:
        raise _wrong(where, what, value)
    p = Path(value).expanduser()
    if base is not None and not p.is_absolute():
        p = base / p
    return str(p)


def _duration(value: Any, where: str, what: str, base: Path | None) -> float:
    if not _is(value, (str, int, float)):
        raise _wrong(where, what, value)
    seconds = parse_duration(value, where)
    if seconds <= 0 and where.endswith("deadline"):
        raise SettingsError(f"{where} must be more than 0 seconds")
    return seconds


def _seconds(value: Any, where: str, what: str, base: Path | None) -> float:
    if not _is(value, (int, float)) or value <= 0:
        raise SettingsError(f"{where} must be {what}")
    return float(value)


def _size(value: Any, where: str, what: str, base: Path | None) -> int:
    if not _is(value, (str, int)):
        raise _wrong(where, what, value)
    return parse_size(value, where)


def _url(value: Any, where: str, what: str, base: Path | None) -> str:
    if not isinstance(value, str) or not re.match(r"^https?://[^\s/]+", value):
        raise SettingsError(f"{where} must be {what}")
    return value.rstrip("/")


def _table(value: Any, where: str, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _wrong(where, what, value)
    return value


def _headers(value: Any, where: str, what: str, base: Path | None) -> dict[str, str]:
    out = {}
    for name, v in _table(value, where, what).items():
        if not isinstance(v, str):
            raise SettingsError(f"{where.replace('] headers', '.headers]')} {name} must be a string")
        out[name] = check_header_value(name, v)
    return out


def _outlets(value: Any, where: str, what: str, base: Path | None) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, spec in _table(value, where, what).items():
        if not isinstance(spec, dict):
            raise SettingsError(f"{where}.{name} must be a table")
        extra = sorted(set(spec) - {"headers", "cookies_file"})
        if extra:
            raise SettingsError(f"{where}.{name}: unknown key(s) {', '.join(extra)} (known: headers, cookies_file)")
        h = spec.get("headers", {})
        if not isinstance(h, dict) or not all(isinstance(v, str) for v in h.values()):
            raise SettingsError(f"{where}.{name}.headers must be a table of strings")
        entry: dict[str, Any] = {"headers": {k: check_header_value(k, v) for k, v in h.items()}}
        if spec.get("cookies_file"):
            entry["cookies_file"] = _path(spec["cookies_file"], f"{where}.{name}.cookies_file", "a path string", base)
        out[name] = entry
    return out


def _strings(value: Any, where: str, what: str, base: Path | None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise SettingsError(f"{where} must be {what}")
    return list(value)


def _folders(value: Any, where: str, what: str, base: Path | None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
        raise SettingsError(f"{where} must be {what}")
    project = Path(os.path.realpath(base if base is not None else Path.cwd()))
    out = []
    for folder in value:
        real = Path(os.path.realpath((base or Path.cwd()) / Path(folder)))
        if not (real == project or real.is_relative_to(project)):
            raise SettingsError(f"{where}: {folder!r} is outside the project ({project})")
        out.append(str(real))
    return out


def _urls(value: Any, where: str, what: str, base: Path | None) -> dict[str, str]:
    return {k: _url(v, f"{where}.{k}", "an http(s) URL", base) for k, v in _table(value, where, what).items()}


# discovery providers with a call interval (verifier.sources.discover.config.DEFAULT_INTERVALS)
PROVIDERS = ("guardian_api", "gdelt", "wayback", "sitemap")


def _intervals(value: Any, where: str, what: str, base: Path | None) -> dict[str, float]:
    out = {}
    for k, v in _table(value, where, what).items():
        if k not in PROVIDERS:
            raise SettingsError(f"{where}: unknown provider {k!r} (known: {', '.join(PROVIDERS)})")
        if not _is(v, (int, float)) or v < 0:
            raise SettingsError(f"{where}.{k} must be a number of seconds, 0 or more")
        out[k] = float(v)
    return out


def _fail_on(value: Any, where: str, what: str, base: Path | None) -> str:
    if value not in ("partial", "unverified", "none"):
        raise SettingsError(f"{where} must be one of partial, unverified, none, not {value!r}")
    return value


def _passthrough(value: Any, where: str, what: str, base: Path | None) -> Any:
    return value  # checked by its own parser (reasons, thresholds: verifier.settings.loader)


CHECKS: dict[str, Callable[[Any, str, str, Path | None], Any]] = {
    "bool": _bool, "line": _line, "path": _path, "duration": _duration, "seconds": _seconds, "size": _size,
    "url": _url, "headers": _headers, "outlets": _outlets, "strings": _strings, "folders": _folders,
    "urls": _urls, "intervals": _intervals, "fail_on": _fail_on, "reasons": _passthrough,
    "threshold": _passthrough,
}
