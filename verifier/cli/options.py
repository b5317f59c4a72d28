"""Fetch/store options shared by the commands that fetch sources (`article`, `claim`, `fetch`, `check`).

Usage in cli.py: put `@fetch_options` under `@app.command()` and give the command a keyword
parameter `net` (no annotation needed); the decorator adds the options below to the command's
signature, and passes their values as one `NetOptions`. `net.apply(options)` then configures an
`api.Options` (FetchConfig fields, evidence store, progress display).

Precedence for every setting: command-line flag > environment variable > config file > default.
The config file is TOML: `--config FILE`, else $VERIFIER_CONFIG, else
<user config dir>/verifier/config.toml when it exists (VERIFIER_CONFIG="" disables it):

    [fetch]
    store = "~/newsroom/evidence.sqlite3"
    max_age = "12h"
    deadline = 60
    user_agent = "verifier (+https://example.org/desk; desk@example.org)"
    cookies = "~/cookies.txt"
    ignore_robots = false
    [fetch.headers]                 # sent to every host
    "Accept-Language" = "en-GB"
    [fetch.host_headers."ft.com"]   # sent to ft.com and its subdomains only
    Authorization = "Bearer ..."

This module stays light (typer only at import time) so `verifier --help` starts fast.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from verifier import errors

__all__ = [
    "ENV_VARS",
    "LazyStore",
    "NetOptions",
    "StderrProgress",
    "fetch_options",
    "load_config",
    "parse_duration",
    "parse_header",
    "parse_size",
    "resolve_store_path",
]

DEFAULT_MAX_AGE = 86_400.0  # one day

# Every environment variable the fetch options read (documented in docs/fetching.md).
ENV_VARS = {
    "VERIFIER_STORE": "evidence store path (--store)",
    "VERIFIER_NO_STORE": "1 to disable the evidence store (--no-store)",
    "VERIFIER_MAX_AGE": "reuse stored copies younger than this (--max-age)",
    "VERIFIER_DEADLINE": "whole-run fetch deadline (--deadline)",
    "VERIFIER_COOKIES": "Netscape cookies.txt file (--cookies)",
    "VERIFIER_IGNORE_ROBOTS": "1 to skip robots.txt (--ignore-robots)",
    "VERIFIER_USER_AGENT": "User-Agent header (--user-agent)",
    "VERIFIER_HEADERS": "extra headers, one 'Name: value' or 'host=Name: value' per line (--header)",
    "VERIFIER_CONFIG": "config file path; empty disables the default one (--config)",
    "VERIFIER_MAX_SIZE": "size cap for a page or local file (--max-size)",
}

_PANEL = "Fetching and evidence store"

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="VERIFIER_STORE",
        metavar="PATH",
        rich_help_panel=_PANEL,
        help="Evidence store (SQLite) to read and write. Default: the user cache dir.",
    ),
]
NoStoreOpt = Annotated[
    bool,
    typer.Option("--no-store", envvar="VERIFIER_NO_STORE", rich_help_panel=_PANEL,
                 help="Neither read nor write the evidence store."),
]
MaxAgeOpt = Annotated[
    str | None,
    typer.Option("--max-age", envvar="VERIFIER_MAX_AGE", metavar="SECONDS", rich_help_panel=_PANEL,
                 help="Reuse a stored copy younger than this instead of refetching (also 30m, 12h, 2d). "
                 "Default 1 day."),
]
RefreshOpt = Annotated[
    bool,
    typer.Option("--refresh", rich_help_panel=_PANEL,
                 help="Fetch again even when the store has a fresh copy (the new copy is stored)."),
]
DeadlineOpt = Annotated[
    str | None,
    typer.Option("--deadline", envvar="VERIFIER_DEADLINE", metavar="SECONDS", rich_help_panel=_PANEL,
                 help="Total fetch budget for the run; unfinished sources become unverified (deadline)."),
]
CookiesOpt = Annotated[
    str | None,
    typer.Option("--cookies", envvar="VERIFIER_COOKIES", metavar="FILE", rich_help_panel=_PANEL,
                 help="Netscape cookies.txt (as browsers export) for subscriber access."),
]
IgnoreRobotsOpt = Annotated[
    bool,
    typer.Option("--ignore-robots", envvar="VERIFIER_IGNORE_ROBOTS", rich_help_panel=_PANEL,
                 help="Do not check robots.txt (only if you have the right to)."),
]
UserAgentOpt = Annotated[
    str | None,
    typer.Option("--user-agent", envvar="VERIFIER_USER_AGENT", metavar="UA", rich_help_panel=_PANEL,
                 help="User-Agent to send. Default names the tool, its version and project URL."),
]
HeaderOpt = Annotated[
    list[str] | None,
    typer.Option("--header", "-H", metavar="'Name: value'", rich_help_panel=_PANEL,
                 help="Extra request header; 'host=Name: value' sends it to that host (and subdomains) "
                 "only. Repeatable."),
]
MaxSizeOpt = Annotated[
    str | None,
    typer.Option("--max-size", envvar="VERIFIER_MAX_SIZE", metavar="SIZE", rich_help_panel=_PANEL,
                 help="Largest page body or local file read (article, --source, linked files), e.g. 5MB, "
                 "500KB. Default 5MB."),
]
ConfigOpt = Annotated[
    str | None,
    typer.Option("--config", metavar="FILE", rich_help_panel=_PANEL,
                 help="Config file (TOML, see docs/fetching.md). Default: $VERIFIER_CONFIG or "
                 "<user config dir>/verifier/config.toml."),
]

# name -> (annotation, default) of the parameters `fetch_options` adds, in --help order.
_PARAMS: dict[str, tuple[Any, Any]] = {
    "store": (StoreOpt, None),
    "no_store": (NoStoreOpt, False),
    "max_age": (MaxAgeOpt, None),
    "refresh": (RefreshOpt, False),
    "deadline": (DeadlineOpt, None),
    "cookies": (CookiesOpt, None),
    "ignore_robots": (IgnoreRobotsOpt, False),
    "user_agent": (UserAgentOpt, None),
    "header": (HeaderOpt, None),
    "max_size": (MaxSizeOpt, None),
    "config": (ConfigOpt, None),
}


# A bad option value; the CLI reports it on one line (exit 2). Part of verifier/errors.py's tree.
OptionError = errors.OptionError


@dataclass
class NetOptions:
    """Raw values of the shared fetch/store options, as typed (None = not given)."""

    store: str | None = None
    no_store: bool = False
    max_age: str | None = None
    refresh: bool = False
    deadline: str | None = None
    cookies: str | None = None
    ignore_robots: bool = False
    user_agent: str | None = None
    header: list[str] | None = None
    max_size: str | None = None
    config: str | None = None
    progress: bool = True  # show a progress display when stderr is a terminal
    _opened: list[LazyStore] = field(default_factory=list, repr=False)

    def apply(self, options: Any) -> Any:
        """Configure an `api.Options` in place (and return it). Raises OptionError on bad values."""
        cfg_file = load_config(self.config)
        fetch_cfg = cfg_file.get("fetch", {})
        c = options.fetch

        max_age = _first(self.max_age, fetch_cfg.get("max_age"))
        c.max_age = DEFAULT_MAX_AGE if max_age is None else parse_duration(max_age, "--max-age")
        deadline = _first(self.deadline, fetch_cfg.get("deadline"))
        if deadline is not None:
            c.deadline = parse_duration(deadline, "--deadline")
            if c.deadline <= 0:
                raise OptionError("--deadline must be more than 0 seconds")
        c.refresh = self.refresh
        max_size = _first(self.max_size, fetch_cfg.get("max_size"))
        if max_size is not None:
            c.max_bytes = parse_size(max_size, "--max-size")
        c.ignore_robots = self.ignore_robots or bool(fetch_cfg.get("ignore_robots", False))

        ua = _first(self.user_agent, fetch_cfg.get("user_agent"))
        if ua is not None:
            ua = str(ua).strip()
            if not ua or "\n" in ua or "\r" in ua:
                raise OptionError("--user-agent must be one non-empty line")
            c.user_agent = ua

        cookies = _first(self.cookies, fetch_cfg.get("cookies"))
        if cookies is not None:
            c.cookies_file = _check_cookies(str(cookies))

        headers = dict(c.headers)
        host_headers = {h: dict(v) for h, v in c.host_headers.items()}
        for name, value in _table(fetch_cfg.get("headers"), "[fetch.headers]").items():
            headers[name] = _check_value(name, value)
        for host, table in _table(fetch_cfg.get("host_headers"), "[fetch.host_headers]").items():
            for name, value in _table(table, f"[fetch.host_headers.{host!r}]").items():
                host_headers.setdefault(host.lower(), {})[name] = _check_value(name, value)
        env_headers = [h for h in os.environ.get("VERIFIER_HEADERS", "").splitlines() if h.strip()]
        for raw in [*env_headers, *(self.header or [])]:
            host, name, value = parse_header(raw)
            if host is None:
                headers[name] = value
            else:
                host_headers.setdefault(host, {})[name] = value
        c.headers, c.host_headers = headers, host_headers

        if not self.no_store:
            path = resolve_store_path(self.store, cfg_file)
            store = LazyStore(path, read_only=bool(options.offline or c.offline))
            self._opened.append(store)
            if path.is_file():
                # an existing store is opened now, so a read-only or damaged one is one clear
                # line (exit 2) before any work rather than a warning per source
                from verifier.fetch.store import StoreError

                try:
                    store.store  # noqa: B018 - opens it
                except StoreError as e:
                    raise OptionError(str(e)) from None
            options.store = store
        if self.progress:
            options.progress = StderrProgress()
        return options

    def close(self) -> None:
        for s in self._opened:
            s.close()
        self._opened.clear()


def fetch_options(func: Any) -> Any:
    """Decorator: add the shared fetch/store options to a typer command.

    The command declares a keyword parameter `net`; it receives a `NetOptions`. The evidence
    store opened through `net.apply` is closed when the command returns (or exits).
    """
    sig = inspect.signature(func)
    if "net" not in sig.parameters:
        raise TypeError(f"{func.__name__} must take a `net` keyword parameter")
    globalns = getattr(func, "__globals__", {})
    kept = []
    for p in sig.parameters.values():
        if p.name == "net":
            continue
        ann = p.annotation
        if isinstance(ann, str):  # `from __future__ import annotations` in the command's module
            ann = eval(ann, globalns)  # noqa: S307 - the command's own annotation text
        kept.append(p.replace(annotation=ann))
    clash = {p.name for p in kept} & set(_PARAMS)
    if clash:
        raise TypeError(f"{func.__name__} already has parameters {sorted(clash)}")
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=ann)
        for name, (ann, default) in _PARAMS.items()
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        net = NetOptions(**{name: kwargs.pop(name, _PARAMS[name][1]) for name in _PARAMS})
        try:
            return func(*args, net=net, **kwargs)
        finally:  # also on typer.Exit, which every command ends with
            net.close()

    params = kept + added
    wrapper.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    del wrapper.__wrapped__  # typer must see the new signature, not the wrapped one
    return wrapper


# ---- values ---------------------------------------------------------------------------------

_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([smhd]?)\s*$", re.IGNORECASE)


def parse_duration(value: Any, flag: str = "duration") -> float:
    """Seconds from 90, "90", "90s", "15m", "12h" or "2d"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        m = _DURATION.match(str(value))
        if not m:
            raise OptionError(f"{flag}: expected seconds (or 30m, 12h, 2d), got {value!r}")
        seconds = float(m.group(1)) * _UNITS[m.group(2).lower()]
    if seconds < 0:
        raise OptionError(f"{flag} must not be negative")
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
            raise OptionError(f"{flag}: expected a size such as 5MB or 500KB, got {value!r}")
        n = int(float(m.group(1)) * _SIZE_UNITS[unit])
    if n <= 0:
        raise OptionError(f"{flag} must be more than 0 bytes")
    return n


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"  # RFC 9110 header-name characters (no '=' or ':')
_HEADER = re.compile(rf"^\s*(?:(?P<host>[A-Za-z0-9.\-]+)=)?(?P<name>{_TOKEN})\s*:\s*(?P<value>.*?)\s*$")


def parse_header(raw: str) -> tuple[str | None, str, str]:
    """'Name: value' -> (None, name, value); 'host=Name: value' -> (host, name, value)."""
    m = _HEADER.match(raw)
    if not m:
        raise OptionError(f"--header: expected 'Name: value' or 'host=Name: value', got {_redact(raw)!r}")
    host = m.group("host")
    name = m.group("name")
    return (host.lower().lstrip(".") if host else None), name, _check_value(name, m.group("value"))


def _check_value(name: str, value: Any) -> str:
    text = str(value)
    if "\n" in text or "\r" in text or "\0" in text:
        raise OptionError(f"header {name}: value must be one line")
    return text


def _redact(raw: str) -> str:
    # never echo a header value back: it may be a credential
    name = re.split(r"[:\s]", raw.strip(), maxsplit=1)[0]
    return name + (" …" if len(name) < len(raw.strip()) else "")


def _check_cookies(path: str) -> str:
    """Fail early (exit 2) on a missing or unreadable cookies file; never print its contents."""
    import http.cookiejar

    p = Path(path).expanduser()
    if not p.is_file():
        raise OptionError(f"cookies file not found: {path}")
    try:
        http.cookiejar.MozillaCookieJar().load(str(p), ignore_discard=True, ignore_expires=True)
    except (OSError, http.cookiejar.LoadError):
        raise OptionError(f"not a Netscape cookies.txt file: {path}") from None
    return str(p)


def _first(*values: Any) -> Any:
    for v in values:
        if v is not None:
            return v
    return None


def _table(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise OptionError(f"config: {where} must be a table")
    return value


def load_config(path: str | None = None) -> dict[str, Any]:
    """Read the TOML config file: `path`, else $VERIFIER_CONFIG, else the default if it exists."""
    import tomllib

    explicit = path if path is not None else os.environ.get("VERIFIER_CONFIG")
    if explicit == "":
        return {}
    if explicit is None:
        from platformdirs import user_config_dir

        candidate = Path(user_config_dir("verifier", appauthor=False)) / "config.toml"
        if not candidate.is_file():
            return {}
        explicit = str(candidate)
    p = Path(explicit).expanduser()
    try:
        with open(p, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise OptionError(f"config file not found: {explicit}") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise OptionError(f"cannot read config file {explicit}: {str(exc).splitlines()[0]}") from None
    _validate_config(data, explicit)
    return data


_NUMBER_OR_TEXT = (str, int, float)
# [fetch] key -> (accepted types, what to say when the type is wrong)
_FETCH_KEYS: dict[str, tuple[tuple[type, ...], str]] = {
    "store": ((str,), "a path string"),
    "max_age": (_NUMBER_OR_TEXT, "seconds or a duration such as 12h"),
    "deadline": (_NUMBER_OR_TEXT, "seconds or a duration such as 30m"),
    "user_agent": ((str,), "a string"),
    "cookies": ((str,), "a path string"),
    "ignore_robots": ((bool,), "true or false"),
    "max_size": ((str, int), "a size such as 5MB"),
    "headers": ((dict,), "a table of header names and values"),
    "host_headers": ((dict,), "a table of host tables"),
}


def _validate_config(data: dict[str, Any], where: str) -> None:
    """The user config the way the policy file is checked: an unknown key or a wrong type is an
    error naming the key (a typo must not silently drop a setting)."""
    # a newsroom server's one config file also holds the policy ([verifier]) and the server
    # ([serve]) tables, which their own readers validate
    unknown = sorted(set(data) - {"fetch", "verifier", "serve"})
    if unknown:
        raise OptionError(f"config file {where}: unknown key(s) {', '.join(unknown)} (settings go in [fetch])")
    fetch = data.get("fetch", {})
    if not isinstance(fetch, dict):
        raise OptionError(f"config file {where}: [fetch] must be a table")
    unknown = sorted(set(fetch) - set(_FETCH_KEYS))
    if unknown:
        raise OptionError(f"config file {where}: unknown key(s) in [fetch]: {', '.join(unknown)} "
                          f"(known: {', '.join(_FETCH_KEYS)})")
    for key, value in fetch.items():
        types, what = _FETCH_KEYS[key]
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            raise OptionError(f"config file {where}: [fetch] {key} must be {what}, not {type(value).__name__}")
    for name, value in fetch.get("headers", {}).items():
        if not isinstance(value, str):
            raise OptionError(f"config file {where}: [fetch.headers] {name} must be a string")
    for host, table in fetch.get("host_headers", {}).items():
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise OptionError(f"config file {where}: [fetch.host_headers.{host!r}] must be a table of strings")


def resolve_store_path(flag: str | None, config: dict[str, Any] | None = None) -> Path:
    """--store / $VERIFIER_STORE, else config [fetch] store, else the platform cache dir."""
    value = _first(flag, (config or {}).get("fetch", {}).get("store"))
    if value is not None:
        return Path(str(value)).expanduser()
    from verifier.fetch.store import default_store_path

    return default_store_path()


# ---- store and progress ---------------------------------------------------------------------


class LazyStore:
    """A `verifier.fetch.store.Store` opened on first use, so runs that fetch only local files never
    create (or need) the store file."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only  # --offline: the store is only read, so it may be read-only
        self._store: Any = None

    @property
    def store(self) -> Any:
        if self._store is None:
            from verifier.fetch.store import Store

            self._store = Store(self.path, read_only=self.read_only and self.path.is_file())
        return self._store

    def __getattr__(self, name: str) -> Any:  # get, put, set_text, list, ... of the real store
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.store, name)

    @property
    def opened(self) -> bool:
        return self._store is not None

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class StderrProgress:
    """`fetch.ProgressFn` that draws a rich progress bar on stderr while several sources are
    fetched, and only when stderr is a terminal; otherwise it does nothing."""

    def __init__(self, console: Any = None) -> None:
        self._console = console
        self._progress: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int, location: str | None, result: Any) -> None:
        if location is None and result is None:  # a fetch_many call is starting
            self.stop()
            if total > 1 and self._terminal():
                self._start(total)
            return
        if self._progress is None:
            return
        label = _short(location or "")
        if result is not None and getattr(result, "error", None):
            label += " (failed)"
        elif result is not None and getattr(result, "from_store", False):
            label += " (stored copy)"
        self._progress.update(self._task, completed=done, last=label)
        if done >= total:
            self.stop()

    def _terminal(self) -> bool:
        if self._console is not None:
            return bool(self._console.is_terminal)
        return sys.stderr.isatty()

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = self._console or Console(stderr=True)
        self._progress = Progress(
            TextColumn("fetching sources"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[last]}", style="dim"),
            console=console,
            transient=True,
        )
        self._task = self._progress.add_task("fetch", total=total, last="")
        self._progress.start()

    def stop(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def _short(location: str, width: int = 60) -> str:
    return location if len(location) <= width else location[: width - 1] + "…"
