"""The one registry of environment variables the verifier reads.

Every variable is listed here once, with the setting it feeds (`key`, as written in a config file:
"section.name"), how its text is read (`kind`) and a one-line description. The code reads them
through `value()`, docs/configuration.md lists them (a test checks it lists every one), and the
tests' isolation fixture (tests/conftest.py) clears every one of them, patterns included.

A name containing `<...>` is a pattern: VERIFIER_SITE_<KEY> is one variable per outlet key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

__all__ = ["ENV", "EnvVar", "by_name", "matching", "value"]


@dataclass(frozen=True)
class EnvVar:
    name: str  # VERIFIER_STORE, or a pattern such as VERIFIER_SITE_<KEY>
    key: str | None  # the config-file key it sets ("store.path"); None: no file key
    kind: str  # "path" | "bool" | "duration" | "size" | "text" | "url" | "seconds" | "lines" | "paths"
    doc: str
    flag: str | None = None  # the command-line flag that overrides it

    @property
    def is_pattern(self) -> bool:
        return "<" in self.name

    def regex(self) -> re.Pattern[str]:
        parts = re.split(r"<[^>]+>", self.name)
        return re.compile("^" + "[A-Z0-9_]+".join(re.escape(p) for p in parts) + "$")

    def matches(self, name: str) -> bool:
        return self.regex().match(name) is not None if self.is_pattern else name == self.name


ENV: tuple[EnvVar, ...] = (
    # ---- files
    EnvVar("VERIFIER_CONFIG", None, "path",
           "user config file; empty disables the default one", "--config"),
    EnvVar("VERIFIER_OUTLETS", None, "paths",
           "extra outlet registry files (os.pathsep-separated), read after the packaged one", "--outlets"),
    # ---- [store]
    EnvVar("VERIFIER_STORE", "store.path", "path", "evidence store (SQLite) path", "--store"),
    EnvVar("VERIFIER_NO_STORE", "store.enabled", "bool",
           "1 to neither read nor write the evidence store", "--no-store"),
    EnvVar("VERIFIER_MAX_AGE", "store.max_age", "duration",
           "reuse stored copies younger than this", "--max-age"),
    # ---- [fetch]
    EnvVar("VERIFIER_DEADLINE", "fetch.deadline", "duration", "whole-run fetch deadline", "--deadline"),
    EnvVar("VERIFIER_COOKIES", "fetch.cookies_file", "path", "Netscape cookies.txt file", "--cookies"),
    EnvVar("VERIFIER_IGNORE_ROBOTS", "fetch.ignore_robots", "bool", "1 to skip robots.txt", "--ignore-robots"),
    EnvVar("VERIFIER_USER_AGENT", "fetch.user_agent", "text", "User-Agent header", "--user-agent"),
    EnvVar("VERIFIER_HEADERS", "fetch.headers", "lines",
           "extra headers, one 'Name: value' or 'host=Name: value' per line", "--header"),
    EnvVar("VERIFIER_MAX_SIZE", "fetch.max_size", "size", "size cap for a page or local file", "--max-size"),
    # ---- [discovery]
    EnvVar("GUARDIAN_API_KEY", "discovery.guardian_api_key", "text",
           "Guardian Content API key (else the public 'test' key, with a warning)"),
    EnvVar("VERIFIER_GUARDIAN_API_BASE", "discovery.guardian_api_base", "url", "Guardian Content API base URL"),
    EnvVar("VERIFIER_GDELT_BASE", "discovery.gdelt_base", "url", "GDELT DOC API URL"),
    EnvVar("VERIFIER_WAYBACK_API", "discovery.wayback_api", "url", "Wayback Machine availability API URL"),
    EnvVar("VERIFIER_WAYBACK_WEB", "discovery.wayback_web", "url", "Wayback Machine snapshot base URL"),
    EnvVar("VERIFIER_SITE_<KEY>", "discovery.site_bases", "url",
           "an outlet's site base for its news sitemaps, by registry key (VERIFIER_SITE_TIMES)"),
    EnvVar("VERIFIER_<PROVIDER>_INTERVAL", "discovery.min_intervals", "seconds",
           "least seconds between two calls to a provider (VERIFIER_GDELT_INTERVAL)"),
    # ---- CI (read, never set by the verifier's own config)
    EnvVar("GITHUB_BASE_REF", None, "text",
           "set by GitHub Actions on pull requests: `check --changed-only` compares with origin/<it>"),
    EnvVar("GITHUB_STEP_SUMMARY", None, "path",
           "set by GitHub Actions: `check --format github` appends its summary to this file"),
)


def by_name(name: str) -> EnvVar:
    """The registry entry for a variable name (a pattern's instance finds the pattern)."""
    for var in ENV:
        if var.matches(name):
            return var
    raise KeyError(f"{name} is not in verifier.settings.env.ENV")


def value(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The variable's text, or None when it is unset. Only registered names may be read, so the
    docs and the tests' isolation fixture can never miss one."""
    by_name(name)
    return (os.environ if environ is None else environ).get(name)


def matching(environ: Mapping[str, str] | None = None) -> Iterator[str]:
    """Every variable set in `environ` (default: the process's) that the registry covers."""
    env = os.environ if environ is None else environ
    for name in list(env):
        if any(var.matches(name) for var in ENV):
            yield name
