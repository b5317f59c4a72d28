"""The one settings loader: layers, each checked against `verifier.settings.schema`, merged.

Precedence, lowest first: defaults < user file < project file < environment < flags
(docs/configuration.md). A layer is the dotted keys one file sets (`"fetch.deadline": 60.0`);
`merge` puts layers together, table-valued keys (headers, outlets, reasons, ...) entry by entry.
The environment and the flags come last: typer reads a flag's variable with the flag
(`envvar=`; a test checks each name is in the registry verifier.settings.env), and the stages read the discovery
variables through that registry at the moment they need them.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.settings import env as envreg
from verifier.settings.policy import parse_reasons
from verifier.settings.schema import ALIASES, KEYS, PROJECT, PROJECT_TOP_LEVEL, SECTIONS, USER, Key, key
from verifier.settings.thresholds import ThresholdError, parse_threshold
from verifier.settings.values import CHECKS, SettingsError

__all__ = [
    "Layer", "Settings", "find_project_file", "merge", "parse_project_table",
    "parse_user_table", "read_project_file", "read_user_file", "user_file_path", "warn_deprecated",
]

log = logging.getLogger("verifier.settings")

_TABLE_KINDS = {"headers", "outlets", "reasons", "urls", "intervals"}


@dataclass
class Layer:
    origin: str  # "user file PATH", "project file PATH", "environment", "flags"
    values: dict[str, Any] = field(default_factory=dict)  # dotted key -> checked value
    path: Path | None = None
    deprecations: list[str] = field(default_factory=list)


@dataclass
class Settings:
    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # dotted key -> the layer that set it last

    def get(self, dotted: str, default: Any = None) -> Any:
        key(dotted)  # a typo in the code is a KeyError, not a silent default
        return self.values.get(dotted, default)


_warned: set[str] = set()


def warn_deprecated(message: str) -> None:
    """Say it once per process (a gate run reads a policy file once per checked file)."""
    if message not in _warned:
        _warned.add(message)
        log.warning("deprecated: %s", message)


def merge(*layers: Layer) -> Settings:
    out = Settings()
    for layer in layers:
        for dotted, value in layer.values.items():
            if key(dotted).kind in _TABLE_KINDS and isinstance(out.values.get(dotted), dict):
                value = {**out.values[dotted], **value}
            out.values[dotted] = value
            out.origins[dotted] = layer.origin
    return out


# ---- files ----------------------------------------------------------------------------------


def _check(k: Key, value: Any, where: str, shown: str, base: Path | None) -> Any:
    at = f"{where}: {shown}"
    if k.kind == "threshold":
        raise AssertionError("thresholds are read by _thresholds")
    if k.kind == "reasons":
        return parse_reasons(value, where)
    return CHECKS[k.kind](value, at, k.what, base)


def _thresholds(table: Any, where: str, layer: Layer) -> None:
    if not isinstance(table, dict):
        raise SettingsError(f"{where}: [thresholds] must be a table")
    for name, value in table.items():
        try:
            percent, note = parse_threshold(name, value, where)
        except ThresholdError as e:
            raise SettingsError(str(e)) from None
        if note:
            layer.deprecations.append(note)
        layer.values[f"thresholds.{name}"] = percent


def _section(layer: Layer, kind: str, section: str, table: Any, where: str, base: Path | None) -> None:
    if not isinstance(table, dict):
        raise SettingsError(f"{where}: [{section}] must be a table")
    if section == "thresholds":
        _thresholds(table, where, layer)
        return
    known = {k.name: k for k in KEYS if k.section == section}
    aliases = {d.split(".", 1)[1]: new for d, new in ALIASES[kind].items() if d.startswith(section + ".")}
    unknown = sorted(set(table) - set(known) - set(aliases))
    if unknown:
        raise SettingsError(f"{where}: unknown key(s) in [{section}]: {', '.join(unknown)} "
                            f"(known: {', '.join(sorted(known))})")
    for name, value in table.items():
        dotted = f"{section}.{name}"
        if name in aliases:
            dotted = aliases[name]
            new_section, new_name = dotted.split(".", 1)
            if name == "host_headers":
                value = _host_headers(value, where)
                said = f'[{section}.{name}."HOST"] is now [{new_section}.{new_name}."HOST"] headers'
            else:
                said = f"[{section}] {name} is now [{new_section}] {new_name}"
            layer.deprecations.append(f"{where}: {said}")
        k = key(dotted)
        if kind not in k.files:
            other = "user config file (--config)" if USER in k.files else "project's verifier.toml"
            raise SettingsError(f"{where}: [{section}] {name} is set in the {other}, not here "
                                "(docs/configuration.md)")
        shown = f"[{k.section}] {k.name}"
        layer.values[dotted] = _check(k, value, where, shown, base)


def _host_headers(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SettingsError(f"{where}: [fetch] host_headers must be a table of host tables, not {type(value).__name__}")
    out = {}
    for host, table in value.items():
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise SettingsError(f"{where}: [fetch.host_headers.{host!r}] must be a table of strings")
        out[host.lower()] = {"headers": table}
    return out


def parse_user_table(data: dict[str, Any], where: str) -> Layer:
    """The user file's tables: [fetch], [store], [discovery]. A newsroom server's one file also holds
    the policy ([verifier], top-level policy keys) and [serve], which their own readers check."""
    layer = Layer(f"user file {where}")
    project_only = sorted(set(data) & {"policy", "thresholds"})
    if project_only:
        raise SettingsError(f"config file {where}: [{project_only[0]}] is set in the project's verifier.toml "
                            "(or [tool.verifier] in pyproject.toml), not here (docs/configuration.md)")
    unknown = sorted(set(data) - {"fetch", "store", "discovery", "verifier", "serve"})
    if unknown:
        raise SettingsError(f"config file {where}: unknown key(s) {', '.join(unknown)} "
                            "(settings go in [fetch], [store] or [discovery])")
    for section in ("fetch", "store", "discovery"):
        if section in data:
            _section(layer, USER, section, data[section], f"config file {where}", None)
    return layer


def user_file_path(path: str | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """`path`, else $VERIFIER_CONFIG ("" disables it), else the default file when it exists."""
    explicit = path if path is not None else envreg.value("VERIFIER_CONFIG", environ)
    if explicit == "":
        return None
    if explicit is None:
        from platformdirs import user_config_dir

        candidate = Path(user_config_dir("verifier", appauthor=False)) / "config.toml"
        return candidate if candidate.is_file() else None
    return Path(explicit).expanduser()


def read_toml(p: Path, shown: str | None = None) -> dict[str, Any]:
    shown = shown or str(p)
    try:
        with open(p, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise SettingsError(f"config file not found: {shown}") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"cannot read config file {shown}: {str(exc).splitlines()[0]}") from None


def read_user_file(path: str | None = None, environ: Mapping[str, str] | None = None) -> tuple[dict[str, Any], Layer]:
    """(the file's raw tables, its checked layer); ({}, an empty layer) when there is no file."""
    p = user_file_path(path, environ)
    if p is None:
        return {}, Layer("user file (none)")
    shown = path if path is not None else str(p)
    data = read_toml(p, shown)
    layer = parse_user_table(data, shown)
    layer.path = p
    return data, layer


def parse_project_table(table: dict[str, Any], path: Path | None = None) -> Layer:
    """A project file's `[tool.verifier]` (or verifier.toml) table. Relative paths are relative to
    the file's folder."""
    where = str(path) if path else "config"
    base = path.parent if path else None
    layer = Layer(f"project file {where}", path=path)
    # `store = "path"` is the flat form of `[store] path`; a `store` table is the section
    sections = [name for name in SECTIONS if name in table and not (name == "store" and not isinstance(table[name], dict))]
    top = {name: v for name, v in table.items() if name not in sections and name not in ("reasons", "serve")}
    unknown = sorted(set(top) - set(PROJECT_TOP_LEVEL))
    if unknown:
        raise SettingsError(f"{where}: unknown key(s) in [tool.verifier]: {', '.join(unknown)}")
    for name, value in top.items():
        k = key(PROJECT_TOP_LEVEL[name])
        layer.values[k.dotted] = _check(k, value, where, name, base)
    if "reasons" in table:  # [tool.verifier.reasons], the policy's own table
        layer.values["policy.reasons"] = parse_reasons(table["reasons"], where)
    for section in sections:
        _section(layer, PROJECT, section, table[section], where, base)
    if "policy.sources" in layer.values:
        layer.values["policy.sources"] = [_source_rel(s, base) for s in layer.values["policy.sources"]]
    return layer


def _source_rel(spec: str, base: Path | None) -> str:
    """NAME=LOCATION with a relative file LOCATION made relative to the config file's directory."""
    from verifier.sources.resolve import SourceSpec

    s = SourceSpec.parse(spec)
    if "://" in s.location or base is None or Path(s.location).is_absolute():
        return spec
    full = str(base / s.location)
    return f"{s.name}={full}" if s.name else full


def find_project_file(start: str | Path) -> Path | None:
    """The project file governing `start` (a file or directory), walking up to the root: in each
    directory a verifier.toml wins over a pyproject.toml with a [tool.verifier] table."""
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


def read_project_file(path: str | Path) -> Layer:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise SettingsError(f"no such config file: {path}") from e
    except (OSError, UnicodeDecodeError) as e:
        raise SettingsError(f"cannot read config file {path}: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"{path}: invalid TOML: {e}") from e
    if path.name == "pyproject.toml" or "tool" in data:
        table = data.get("tool", {}).get("verifier", {})
    else:
        table = data.get("verifier", data)  # verifier.toml: top-level keys, or a [verifier] table
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [tool.verifier] must be a table")
    return parse_project_table(table, path)
