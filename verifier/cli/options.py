"""Fetch/store options shared by the commands that fetch sources (`article`, `claim`, `fetch`, `check`).

Usage in cli.py: put `@fetch_options` under `@app.command()` and give the command a keyword
parameter `net` (no annotation needed); the decorator adds the options below to the command's
signature, and passes their values as one `NetOptions`. `net.apply(options)` then configures an
`api.Options` (FetchConfig fields, evidence store, progress display).

Precedence for every setting, lowest first: default < user config file < project file (`check`
only) < environment variable < command-line flag. The user config file is TOML: `--config FILE`,
else $VERIFIER_CONFIG, else <user config dir>/verifier/config.toml when it exists
(VERIFIER_CONFIG="" disables it). Its keys, checked and documented in one place, are those of
verifier.settings (docs/configuration.md):

    [fetch]
    deadline = 60
    user_agent = "verifier (+https://example.org/desk; desk@example.org)"
    cookies_file = "~/cookies.txt"
    headers = { "Accept-Language" = "en-GB" }        # sent to every host
    [fetch.outlets."Financial Times"]                 # that outlet's registry domains only
    headers = { Authorization = "Bearer ..." }
    [store]
    path = "~/newsroom/evidence.sqlite3"
    max_age = "12h"

This module stays light (typer only at import time) so `verifier --help` starts fast.
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer

from verifier import errors
from verifier.settings import env as envreg
from verifier.settings.env import ENV
from verifier.settings.values import SettingsError, parse_duration, parse_header, parse_size

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

# The environment variables behind the fetch options (the registry: verifier.settings.env).
ENV_VARS = {v.name: f"{v.doc} ({v.flag})" for v in ENV if v.flag and v.key and v.key.split(".")[0] in ("fetch", "store")}
ENV_VARS["VERIFIER_CONFIG"] = "config file path; empty disables the default one (--config)"

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


class OptionError(errors.OptionError, SettingsError):
    """A bad option value; the CLI reports it on one line (exit 2). In verifier/errors.py's tree,
    and a SettingsError (a value the settings checks refused)."""


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
    _opened: list[Any] = field(default_factory=list, repr=False)  # stores and temp files, closed by close()

    def apply(self, options: Any) -> Any:
        """Configure a `pipeline.Options` in place (and return it). The user file's settings go
        under whatever a project file already put in `options` (`check`), the environment and the
        flags over both. Raises OptionError on bad values."""
        try:
            return self._apply(options)
        except OptionError:
            raise
        except SettingsError as e:
            raise OptionError(str(e)) from None

    def _apply(self, options: Any) -> Any:
        # the loader and the registry are imported here, so `verifier --help` does not pay for them
        from verifier.settings.apply import apply_discovery, merge_cookie_files, outlet_fetch
        from verifier.settings.loader import merge, read_user_file, warn_deprecated

        _, layer = read_user_file(self.config)
        for note in layer.deprecations:
            warn_deprecated(note)
        user = merge(layer)
        c = options.fetch

        if self.max_age is not None:
            c.max_age = parse_duration(self.max_age, "--max-age")
        else:
            c.max_age = user.get("store.max_age", DEFAULT_MAX_AGE)
        if self.deadline is not None:
            c.deadline = parse_duration(self.deadline, "--deadline")
            if c.deadline <= 0:
                raise OptionError("--deadline must be more than 0 seconds")
        elif user.get("fetch.deadline") is not None:
            c.deadline = user.get("fetch.deadline")
        c.refresh = self.refresh
        if self.max_size is not None:
            c.max_bytes = parse_size(self.max_size, "--max-size")
        elif user.get("fetch.max_size") is not None:
            c.max_bytes = user.get("fetch.max_size")
        c.ignore_robots = self.ignore_robots or bool(user.get("fetch.ignore_robots", False))

        ua = _first(self.user_agent, user.get("fetch.user_agent"))
        if ua is not None:
            ua = str(ua).strip()
            if not ua or "\n" in ua or "\r" in ua:
                raise OptionError("--user-agent must be one non-empty line")
            c.user_agent = ua

        # cookies: flag/env > the project's (already in `c`) > the user file's
        if self.cookies is not None:
            c.cookies_file = _check_cookies(self.cookies)
        elif c.cookies_file is None and user.get("fetch.cookies_file") is not None:
            c.cookies_file = _check_cookies(user.get("fetch.cookies_file"))

        # headers: user file < project (already in `c`) < environment < flags, header by header
        hosts, outlet_cookies = outlet_fetch(user.get("fetch.outlets") or {}, options.registry)
        headers = {**(user.get("fetch.headers") or {}), **c.headers}
        host_headers = {h: dict(v) for h, v in hosts.items()}
        for h, v in c.host_headers.items():
            host_headers.setdefault(h, {}).update(v)
        env_headers = [h for h in (envreg.value("VERIFIER_HEADERS") or "").splitlines() if h.strip()]
        for raw in [*env_headers, *(self.header or [])]:
            host, name, value = parse_header(raw)
            if host is None:
                headers[name] = value
            else:
                host_headers.setdefault(host, {})[name] = value
        c.headers, c.host_headers = headers, host_headers
        if outlet_cookies:
            for path, _ in outlet_cookies:
                _check_cookies(path)
            merged = merge_cookie_files(c.cookies_file, outlet_cookies)
            self._opened.append(_TempFile(merged))
            c.cookies_file = merged

        apply_discovery(options.discovery, user)

        if not self.no_store and user.get("store.enabled", True):
            path = _store_path(self.store, user)
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


class _TempFile:
    def __init__(self, path: str) -> None:
        self.path = path

    def close(self) -> None:
        try:
            os.unlink(self.path)
        except OSError:
            pass


def _first(*values: Any) -> Any:
    for v in values:
        if v is not None:
            return v
    return None


def load_config(path: str | None = None) -> dict[str, Any]:
    """The user config file's tables (`path`, else $VERIFIER_CONFIG, else the default if it exists),
    checked against the settings schema. Raises OptionError."""
    from verifier.settings.loader import read_user_file, warn_deprecated

    try:
        data, layer = read_user_file(path)
    except SettingsError as e:
        raise OptionError(str(e)) from None
    for note in layer.deprecations:
        warn_deprecated(note)
    return data


def resolve_store_path(flag: str | None, config: dict[str, Any] | None = None) -> Path:
    """--store / $VERIFIER_STORE, else the user file's [store] path, else the platform cache dir."""
    from verifier.settings.loader import merge, parse_user_table

    try:
        user = merge(parse_user_table(config or {}, "config"))
    except SettingsError as e:
        raise OptionError(str(e)) from None
    return _store_path(flag, user)


def _store_path(flag: str | None, user: Any) -> Path:  # user: verifier.settings.loader.Settings
    value = _first(flag, user.get("store.path"))
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
