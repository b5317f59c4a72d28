"""What every command module shares: exit codes, the one place that turns an exception into an
exit code (`reports_errors`), the option types several commands declare, and the helpers that
turn command-line values into library options.

Exit codes: 0 done (for `check`: passed); 1 `check` or `eval` found a failure; 2 usage or input
error (`verifier.errors.UsageError`: one line on stderr, never a traceback); 3 unexpected internal
error; 130 interrupted. Nothing here imports a pipeline stage at module level, so `verifier --help`
starts fast: the stages are imported inside the functions that use them.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from verifier.errors import InputError, UsageError

if TYPE_CHECKING:
    from verifier.cli.options import NetOptions
    from verifier.models import ArticleText
    from verifier.pipeline import Options

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def err(message: str) -> None:
    """One line on stderr, whatever the input put in the message (newlines, terminal codes)."""
    from verifier.report.escape import terminal_text

    sys.stderr.write(f"verifier: error: {terminal_text(' '.join(message.split()))}\n")


def exit_code(exc: BaseException) -> int:
    """The exit code for an exception a command raised: the mapping, in one place."""
    if isinstance(exc, UsageError):
        return EXIT_INPUT
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    return EXIT_INTERNAL


def reports_errors(command: Callable[..., int | None]) -> Callable[..., None]:
    """Decorator for a command function that returns its exit code: a `UsageError` becomes one
    line on stderr and exit 2, anything unexpected exit 3 with its type and first line (never a
    traceback in front of a desk editor). The command keeps its signature for typer."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            code = command(*args, **kwargs)
        except typer.Exit:
            raise
        except KeyboardInterrupt as e:
            err("interrupted")
            raise typer.Exit(exit_code(e)) from None
        except Exception as e:  # noqa: BLE001 - every error ends as one line and an exit code
            if isinstance(e, UsageError):
                err(str(e))
            else:
                first = str(e).splitlines()[0] if str(e) else ""
                err(f"internal error: {type(e).__name__}: {first}")
            raise typer.Exit(exit_code(e)) from None
        raise typer.Exit(code or EXIT_OK)

    return run


# ---- option types shared by several commands -----------------------------------------------


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"
    junit = "junit"
    html = "html"


class TextJson(StrEnum):
    """The formats of the commands that print data rather than a verification report."""

    text = "text"
    json = "json"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
TextJsonOpt = Annotated[TextJson, typer.Option("--format", "-f", help="Output format.")]

SourceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        "-s",
        help="NAME=LOCATION (outlet or speaker name = URL or file) or a bare LOCATION; repeatable. "
        "Example: --source Guardian=https://www.theguardian.com/world/2025/feb/20/slug",
    ),
]
OfflineOpt = Annotated[bool, typer.Option("--offline", help="Make no network requests (files and stored copies only).")]
AllowPrivateOpt = Annotated[
    bool,
    typer.Option("--allow-private", help="Allow fetching from loopback/private addresses (refused by default)."),
]
TimeoutOpt = Annotated[
    float,
    typer.Option("--timeout", metavar="SECONDS", min=0.1, help="Time limit per source, seconds: connection, retries, "
                 "redirects and the whole body (a server dripping bytes stops here)."),
]
NoDiscoverOpt = Annotated[
    bool, typer.Option("--no-discover", help="Do not search for uncited originals (Guardian API, sitemaps, GDELT).")
]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", metavar="YYYY-MM-DD", help="The article's date for discovery (default: from the input, else today)."),
]
ReplayOpt = Annotated[
    str | None,
    typer.Option("--replay", metavar="FILE", help="Answer every request from a replay file, in process "
                 "(offline demos and tests; see docs/discovery.md)."),
]
LocalSourcesOpt = Annotated[
    list[str] | None,
    typer.Option("--local-sources", metavar="DIR", help="A folder whose files links inside the article may name "
                 "(relative links resolve against the article's folder); repeatable. Without it no local file "
                 "link is read (unverified/source_refused). --source files are always read."),
]
OutletsOpt = Annotated[
    list[str] | None, typer.Option("--outlets", help="Extra outlet registry TOML file(s) (same format as the built-in one).")
]
OutletOpt = Annotated[str | None, typer.Option("--outlet", help="Outlet it is attributed to.")]


# ---- command-line values -> library options ---------------------------------------------------


def make_options(
    *,
    offline: bool = False,
    allow_private: bool = False,
    timeout: float = 20.0,
    outlets: list[str] | None = None,
    net: NetOptions | None = None,
) -> Options:
    """`verifier.pipeline.Options` for the flags of one command. UsageError for a bad value."""
    from pathlib import Path

    from verifier.fetch.client import FetchConfig
    from verifier.pipeline import Options
    from verifier.registry import load_registry

    registry = None
    if outlets:
        for p in outlets:
            if not Path(p).is_file():
                raise InputError(f"no such outlet registry file: {p}")
        try:
            registry = load_registry([Path(p) for p in outlets])
        except ValueError as e:  # the first line names the file and the key
            raise UsageError(str(e).splitlines()[0]) from e
    cfg = FetchConfig(offline=offline, allow_private=allow_private)
    cfg.set_timeout(timeout)
    opts = Options(offline=offline, fetch=cfg, registry=registry)
    if net is not None:  # --store, --max-age, --deadline, --cookies, ... (verifier/cli/options.py)
        net.apply(opts)
    # --deadline bounds the whole command from here: reading a URL input, discovery, fetching, matching
    opts.fetch = opts.fetch.run_deadline()
    return opts


def local_dirs(dirs: list[str] | None) -> tuple[str, ...]:
    import os

    for d in dirs or []:
        if not os.path.isdir(d):
            raise InputError(f"--local-sources: not a directory: {d}")
    return tuple(dirs or ())


def check_url(url: str, what: str = "") -> None:
    """A malformed http(s) URL on the command line is an input error, said up front."""
    from verifier.fetch.client import url_problem

    if "://" in url and url.split("://", 1)[0].lower() in ("http", "https"):
        problem = url_problem(url)
        if problem:
            raise InputError(f"{what}{problem}: {url}")


def check_sources(sources: list[str]) -> None:
    """A file source that does not exist is a typo, not a dead link: say so up front."""
    import os

    from verifier.sources.resolve import SourceSpec

    for s in sources:
        loc = SourceSpec.parse(s).location
        if "://" not in loc and not os.path.exists(loc):
            raise InputError(f"source file not found: {loc}")
        check_url(loc, "--source: ")


def read_input(input_: str, opts: Options) -> ArticleText:
    """The article named on the command line (file, -, URL), read with the command's fetch settings."""
    from verifier.fetch.client import fetch
    from verifier.read.reader import read_article

    check_url(input_)
    return read_article(input_, fetcher=lambda url: fetch(url, opts.fetch, store=opts.store),  # type: ignore[arg-type]
                        max_bytes=opts.fetch.max_bytes)
