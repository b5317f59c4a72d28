"""Turning checked settings into what the stages read: per-outlet fetch settings into per-host
headers and one cookies file, `[discovery]` keys into a `DiscoveryConfig`, `[thresholds]` percent
into the matcher's `Thresholds` (verifier.settings.thresholds.to_matcher)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from verifier.settings import env as envreg
from verifier.settings.loader import Settings
from verifier.settings.values import SettingsError

__all__ = ["apply_discovery", "cookie_lines", "merge_cookie_files", "outlet_domains", "outlet_fetch"]


def outlet_domains(name: str, registry: Any = None) -> tuple[str, ...]:
    """An outlet's registry domains ("Financial Times" -> ft.com, ...), else `name` as a host."""
    from verifier.registry import default_registry

    o = (registry or default_registry()).find(name)
    return tuple(d.lower() for d in o.domains) if o and o.domains else (name.lower(),)


def outlet_fetch(outlets: dict[str, dict[str, Any]], registry: Any = None
                 ) -> tuple[dict[str, dict[str, str]], list[tuple[str, tuple[str, ...]]]]:
    """`[fetch.outlets]` -> ({host: headers}, [(cookies file, its outlet's domains)])."""
    hosts: dict[str, dict[str, str]] = {}
    cookies: list[tuple[str, tuple[str, ...]]] = []
    for name, spec in outlets.items():
        domains = outlet_domains(name, registry)
        for d in domains:
            if spec.get("headers"):
                hosts.setdefault(d, {}).update(spec["headers"])
        if spec.get("cookies_file"):
            cookies.append((spec["cookies_file"], domains))
    return hosts, cookies


def cookie_lines(path: str, domains: tuple[str, ...] | None) -> list[str]:
    """The Netscape cookies.txt lines of `path` for `domains` (and their subdomains); None: all."""
    try:
        lines = Path(path).expanduser().read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as e:
        raise SettingsError(f"cannot read cookies file {path}: {e.strerror or e}") from e
    out = []
    for line in lines:
        if not line.strip() or (line.startswith("#") and not line.startswith("#HttpOnly_")):
            continue
        host = line.split("\t", 1)[0].removeprefix("#HttpOnly_").lstrip(".").lower()
        if domains is None or any(host == d or host.endswith("." + d) for d in domains):
            out.append(line)
    return out


def merge_cookie_files(base: str | None, per_outlet: list[tuple[str, tuple[str, ...]]]) -> str:
    """One temporary cookies.txt: every cookie of `base`, and each outlet's file's cookies for that
    outlet's domains only. The caller deletes the file."""
    lines = cookie_lines(base, None) if base else []
    for path, domains in per_outlet:
        lines += cookie_lines(path, domains)
    fd, merged = tempfile.mkstemp(prefix="verifier-cookies-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("# Netscape HTTP Cookie File\n" + "\n".join(lines) + "\n")
    return merged


# [discovery] key -> DiscoveryConfig field; the environment variable (when set) wins over the file,
# so the file fills only the fields whose variable is unset
_DISCOVERY_FIELDS = ("guardian_api_key", "guardian_api_base", "gdelt_base", "wayback_api", "wayback_web")


def apply_discovery(cfg: Any, settings: Settings) -> None:
    """Fill a `DiscoveryConfig`'s unset fields from the user file's `[discovery]` table."""
    for name in _DISCOVERY_FIELDS:
        value = settings.get(f"discovery.{name}")
        var = next(v.name for v in envreg.ENV if v.key == f"discovery.{name}")
        if value is not None and getattr(cfg, name) is None and not envreg.value(var):
            setattr(cfg, name, value)
    for outlet, base in (settings.get("discovery.site_bases") or {}).items():
        env_name = "VERIFIER_SITE_" + "".join(ch if ch.isalnum() else "_" for ch in outlet.upper())
        if outlet not in cfg.site_bases and not envreg.value(env_name):
            cfg.site_bases[outlet] = base
    for provider, seconds in (settings.get("discovery.min_intervals") or {}).items():
        if provider not in cfg.min_intervals and not envreg.value(f"VERIFIER_{provider.upper()}_INTERVAL"):
            cfg.min_intervals[provider] = seconds
