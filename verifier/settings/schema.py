"""The one settings schema: every key a config file may hold, its section, type, files and doc.

Sections: `[fetch]`, `[store]`, `[discovery]`, `[policy]`, `[thresholds]`. Two kinds of file hold
them (docs/configuration.md):

* the **user file** (`--config`, $VERIFIER_CONFIG, `<user config dir>/verifier/config.toml`):
  per-person settings — how to fetch, where the evidence store is, discovery keys;
* the **project file** (`verifier.toml`, or `[tool.verifier]` in pyproject.toml): the gate policy
  a repository shares, plus the fetch settings a desk agrees on. In a project file the `[policy]`
  keys and the project fetch keys may also sit at the top level (the form every policy file has
  used so far); `[policy]`, `[fetch]`, `[store]` tables say the same thing.

A key in a file that does not take it is an error naming the key and the file it belongs in (an
API key does not belong in a repository; a User-Agent is a person's, not a project's).

Old spellings (`ALIASES`) keep working and print a deprecation message naming the new key.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.settings.env import ENV
from verifier.settings.thresholds import THRESHOLDS

__all__ = ["ALIASES", "KEYS", "SECTIONS", "Key", "env_for", "key"]

SECTIONS = ("fetch", "store", "discovery", "policy", "thresholds")
USER, PROJECT = "user", "project"
BOTH = frozenset({USER, PROJECT})


@dataclass(frozen=True)
class Key:
    section: str
    name: str
    kind: str  # how the value is checked: see verifier.settings.values.CHECKS
    what: str  # what a wrong value is told it must be
    doc: str
    default: str  # as shown in the docs
    files: frozenset[str] = BOTH
    flag: str | None = None

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.name}"


def _keys() -> tuple[Key, ...]:
    u, p = frozenset({USER}), frozenset({PROJECT})
    out = [
        # ---- [fetch]
        Key("fetch", "deadline", "duration", "seconds or a duration such as 30m",
            "whole-run budget (discovery, fetching, matching); unfinished sources become unverified", "none",
            BOTH, "--deadline"),
        Key("fetch", "timeout", "seconds", "a positive number of seconds",
            "time limit per source: connection, retries, redirects and the whole body", "20", p, "--timeout"),
        Key("fetch", "offline", "bool", "true or false", "files and stored copies only, no network", "false",
            p, "--offline"),
        Key("fetch", "user_agent", "line", "a string", "User-Agent sent with every request",
            "verifier/VERSION (+project URL)", u, "--user-agent"),
        Key("fetch", "ignore_robots", "bool", "true or false",
            "do not check robots.txt (only where you have the right to)", "false", u, "--ignore-robots"),
        Key("fetch", "max_size", "size", "a size such as 5MB",
            "largest page body or local file read (after decompression)", "5MB", u, "--max-size"),
        Key("fetch", "cookies_file", "path", "a path string",
            "Netscape cookies.txt (as browsers export) sent to every host", "none", BOTH, "--cookies"),
        Key("fetch", "headers", "headers", "a table of header names and values",
            "extra request headers sent to every host", "none", BOTH, "--header"),
        Key("fetch", "outlets", "outlets", "a table of outlet tables",
            'per-outlet `headers` and `cookies_file`, by outlet name or a domain: '
            '`[fetch.outlets."Financial Times"]`; sent to that outlet\'s registry domains only', "none", BOTH),
        # ---- [store]
        Key("store", "path", "path", "a path string", "evidence store (SQLite) to read and write",
            "the user cache dir", BOTH, "--store"),
        Key("store", "enabled", "bool", "true or false", "false: neither read nor write the evidence store",
            "true", u, "--no-store"),
        Key("store", "max_age", "duration", "seconds or a duration such as 12h",
            "reuse a stored copy younger than this instead of fetching again", "1d", u, "--max-age"),
        # ---- [discovery] (per user only: it holds API keys)
        Key("discovery", "guardian_api_key", "line", "a string", "Guardian Content API key",
            "the public 'test' key, with a warning", u),
        Key("discovery", "guardian_api_base", "url", "an http(s) URL", "Guardian Content API base",
            "registry api_base, else https://content.guardianapis.com", u),
        Key("discovery", "gdelt_base", "url", "an http(s) URL", "GDELT DOC API",
            "https://api.gdeltproject.org/api/v2/doc/doc", u),
        Key("discovery", "wayback_api", "url", "an http(s) URL", "Wayback Machine availability API",
            "https://archive.org/wayback/available", u),
        Key("discovery", "wayback_web", "url", "an http(s) URL", "Wayback Machine snapshots",
            "https://web.archive.org/web", u),
        Key("discovery", "site_bases", "urls", "a table of outlet names and URLs",
            "an outlet's site base for its news sitemaps, by outlet name or registry key",
            "registry discovery.site, else https://www.<first domain>", u),
        Key("discovery", "min_intervals", "intervals", "a table of provider names and seconds",
            "least seconds between two calls to one provider", "guardian_api 1, gdelt 5, wayback 1, sitemap 0", u),
        # ---- [policy] (per project: the gate)
        Key("policy", "fail_on", "fail_on", "one of partial, unverified, none",
            "fail on findings this bad or worse", "partial", p, "--fail-on"),
        Key("policy", "reasons", "reasons", "a table of reason codes",
            'per reason code, a level (`"fail"`, `"warn"` or `"allow"`) or a table `{ level = ..., only = '
            '"people" }` (or `"outlets"`)',
            'paraphrase = "warn"', p, "--reason"),
        Key("policy", "skip_outlets", "strings", "a list of outlet names",
            "attributions to these outlets are not checked (reported as skipped)", "none", p, "--skip-outlet"),
        Key("policy", "sources", "strings", "a list of NAME=LOCATION strings",
            "sources added to every draft's --source", "none", p, "--source"),
        Key("policy", "local_sources", "folders", "a list of folder paths",
            "folders (inside the project) whose files links and sources may name", "none", p, "--local-sources"),
        Key("policy", "base", "line", "a git ref string", "default --base for --changed-only",
            "origin/$GITHUB_BASE_REF, origin/HEAD, main or master", p, "--base"),
    ]
    out += [Key("thresholds", t.name, "threshold", "a number from 0 to 100 (percent)", t.doc, f"{t.default:g}", p)
            for t in THRESHOLDS.values()]
    return tuple(out)


KEYS: tuple[Key, ...] = _keys()
_BY_DOTTED = {k.dotted: k for k in KEYS}

# Old spelling -> new key, per file kind. A project file's top level is its [policy] section and
# holds the project fetch keys too (not deprecated: every policy file so far is written so).
ALIASES: dict[str, dict[str, str]] = {
    USER: {
        "fetch.cookies": "fetch.cookies_file",
        "fetch.store": "store.path",
        "fetch.max_age": "store.max_age",
        "fetch.host_headers": "fetch.outlets",  # {host: {name: value}} -> {host: {headers: {...}}}
    },
    PROJECT: {},
}
# top-level keys of a project file -> their key
PROJECT_TOP_LEVEL: dict[str, str] = {
    **{k.name: k.dotted for k in KEYS if k.section == "policy"},
    "store": "store.path",
    "deadline": "fetch.deadline",
    "timeout": "fetch.timeout",
    "offline": "fetch.offline",
    "cookies_file": "fetch.cookies_file",
    "headers": "fetch.headers",
    "outlets": "fetch.outlets",
}


def key(dotted: str) -> Key:
    return _BY_DOTTED[dotted]


def env_for(k: Key) -> list[str]:
    """The environment variables that set key `k`."""
    return [v.name for v in ENV if v.key == k.dotted]
