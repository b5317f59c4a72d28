"""The pipeline options a policy asks for: fetch settings (timeouts, headers and cookies per
outlet), thresholds, and the evidence store (opened once per run, closed by `Resources`)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import Any

from verifier.errors import GateError
from verifier.gate.policy import GateConfig
from verifier.settings.apply import cookie_lines
from verifier.settings.values import SettingsError


def _cookie_lines(path: str, domains: tuple[str, ...] | None) -> list[str]:
    """The settings' reader of a cookies file, its error as the gate's (exit 2 either way)."""
    try:
        return cookie_lines(path, domains)
    except SettingsError as e:
        raise GateError(str(e)) from e


@dataclass
class Resources:
    temp_files: list[str] = field(default_factory=list)
    stores: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        for s in self.stores.values():
            try:
                s.close()
            except Exception:  # noqa: BLE001 - closing must not mask the result
                pass
        for p in self.temp_files:
            try:
                os.unlink(p)
            except OSError:
                pass


def build_options(
    cfg: GateConfig,
    *,
    allow_private: bool = False,
    registry: Any = None,
    resources: Resources | None = None,
    open_store: bool = True,
):
    """verifier.pipeline.Options for a policy: fetch settings, thresholds, and (with `open_store`) the
    policy's evidence store."""
    from verifier.fetch.client import FetchConfig
    from verifier.match.verdict import Thresholds
    from verifier.pipeline import Options
    from verifier.registry import default_registry

    reg = registry or default_registry()
    host_headers: dict[str, dict[str, str]] = {}
    cookie_lines: list[str] = []
    for name, spec in cfg.outlets.items():
        o = reg.find(name)
        domains = tuple(d.lower() for d in o.domains) if o and o.domains else (name.lower(),)
        for d in domains:
            if spec.headers:
                host_headers.setdefault(d, {}).update(spec.headers)
        if spec.cookies_file:
            cookie_lines += _cookie_lines(spec.cookies_file, domains)
    cookies_file = cfg.cookies_file
    if cookie_lines:
        if cookies_file:
            cookie_lines = _cookie_lines(cookies_file, None) + cookie_lines
        fd, cookies_file = tempfile.mkstemp(prefix="verifier-cookies-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("# Netscape HTTP Cookie File\n" + "\n".join(cookie_lines) + "\n")
        if resources is not None:
            resources.temp_files.append(cookies_file)
    fetch_cfg = FetchConfig(
        offline=cfg.offline,
        allow_private=allow_private,
        deadline=cfg.deadline,
        cookies_file=cookies_file,
        headers=dict(cfg.headers),
        host_headers=host_headers,
    )
    if cfg.timeout:
        fetch_cfg.set_timeout(cfg.timeout)
    store = None
    if cfg.store and open_store:
        key = os.path.realpath(cfg.store)
        if resources is not None and key in resources.stores:
            store = resources.stores[key]
        else:
            from verifier.fetch.store import Store, StoreError

            try:
                os.makedirs(os.path.dirname(key), exist_ok=True)
                store = Store(cfg.store, read_only=cfg.offline and os.path.isfile(key))
            except StoreError as e:
                raise GateError(str(e)) from None
            except OSError as e:
                raise GateError(f"cannot open evidence store {cfg.store}: {e.strerror or e}") from None
            if resources is not None:
                resources.stores[key] = store
    return Options(
        offline=cfg.offline,
        fetch=fetch_cfg,
        registry=registry,
        thresholds=Thresholds(**cfg.thresholds),
        store=store,
        local_sources=tuple(cfg.local_sources),
    )
