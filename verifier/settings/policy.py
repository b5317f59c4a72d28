"""`[policy] reasons`: per-reason gate levels (`paywalled = "warn"`, `{ level = "allow", only = "people" }`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from verifier.models import Reason
from verifier.settings.values import SettingsError

__all__ = ["FAIL_ON_VALUES", "LEVELS", "ONLY_VALUES", "ReasonRule", "parse_reason_rule"]

FAIL_ON_VALUES = ("partial", "unverified", "none")
LEVELS = ("fail", "warn", "allow")
ONLY_VALUES = ("people", "outlets")


@dataclass
class ReasonRule:
    level: str  # "fail" | "warn" | "allow"
    only: str | None = None  # None (all), "people" (no outlet named), "outlets" (an outlet named)


def parse_reason_rule(code: str, rule: Any, where: str = "config") -> ReasonRule:
    valid = {r.value for r in Reason}
    if code not in valid:
        raise SettingsError(f"{where}: unknown reason code {code!r} (known: {', '.join(sorted(valid))})")
    if isinstance(rule, str):
        level, only = rule, None
    elif isinstance(rule, dict):
        level, only = rule.get("level"), rule.get("only")
        extra = set(rule) - {"level", "only"}
        if extra:
            raise SettingsError(f"{where}: reasons.{code}: unknown key(s) {', '.join(sorted(extra))}")
    else:
        raise SettingsError(f"{where}: reasons.{code} must be a level string or a table")
    if level not in LEVELS:
        raise SettingsError(f"{where}: reasons.{code} level must be one of {', '.join(LEVELS)}, not {level!r}")
    if only is not None and only not in ONLY_VALUES:
        raise SettingsError(f"{where}: reasons.{code}.only must be one of {', '.join(ONLY_VALUES)}")
    return ReasonRule(level, only)


def parse_reasons(value: Any, where: str) -> dict[str, ReasonRule]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SettingsError(f"{where}: reasons must be a table of reason codes")
    return {code: parse_reason_rule(code, rule, where) for code, rule in value.items()}
