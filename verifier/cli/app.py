"""Command-line interface: a thin skin over the library API (`verifier.pipeline`).

Exit codes: 0 done (for `check`: passed); 1 `check` found a finding at or below --fail-on;
2 usage or input error (one line on stderr, never a traceback); 3 unexpected internal error.
Heavy modules are imported inside the commands so `verifier --help` starts fast.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from verifier.cli.options import fetch_options
from verifier.cli.sources import app as sources_app

if TYPE_CHECKING:
    from verifier.cli.options import NetOptions
    from verifier.pipeline import Options

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="verifier",
    help="Check quotes and claims attributed to other outlets against the original articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(sources_app, name="sources")  # verifier/cli_sources.py: list|show|export|import


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


class FailOn(StrEnum):
    partial = "partial"
    unverified = "unverified"
    none = "none"


class InputFailure(Exception):
    """Bad input or options: reported on one line, exit code 2."""


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


def _err(message: str) -> None:
    from verifier.report.escape import terminal_text

    # one line, whatever the input put in the message (newlines, terminal codes)
    sys.stderr.write(f"verifier: error: {terminal_text(' '.join(message.split()))}\n")


def _options(
    *,
    offline: bool = False,
    allow_private: bool = False,
    timeout: float = 20.0,
    outlets: list[str] | None = None,
    net: NetOptions | None = None,
) -> Options:
    from pathlib import Path

    from verifier.fetch.client import FetchConfig
    from verifier.pipeline import Options
    from verifier.registry import load_registry

    registry = None
    if outlets:
        for p in outlets:
            if not Path(p).is_file():
                raise InputFailure(f"no such outlet registry file: {p}")
        try:
            registry = load_registry([Path(p) for p in outlets])
        except ValueError as e:
            raise InputFailure(str(e).splitlines()[0]) from e
    cfg = FetchConfig(offline=offline, allow_private=allow_private)
    cfg.set_timeout(timeout)
    opts = Options(offline=offline, fetch=cfg, registry=registry)
    if net is not None:  # --store, --max-age, --deadline, --cookies, ... (verifier/cli_options.py)
        from verifier.cli.options import OptionError

        try:
            net.apply(opts)
        except OptionError as e:
            raise InputFailure(str(e)) from e
    # --deadline bounds the whole command from here: reading a URL input, discovery, fetching, matching
    opts.fetch = opts.fetch.run_deadline()
    return opts


def _local_dirs(dirs: list[str] | None) -> tuple[str, ...]:
    import os

    for d in dirs or []:
        if not os.path.isdir(d):
            raise InputFailure(f"--local-sources: not a directory: {d}")
    return tuple(dirs or ())


def _check_url(url: str, what: str = "") -> None:
    """A malformed http(s) URL on the command line is an input error, said up front."""
    from verifier.fetch.client import url_problem

    if "://" in url and url.split("://", 1)[0].lower() in ("http", "https"):
        problem = url_problem(url)
        if problem:
            raise InputFailure(f"{what}{problem}: {url}")


def _check_sources(sources: list[str]) -> None:
    """A file source that does not exist is a typo, not a dead link: say so up front."""
    import os

    from verifier.sources.resolve import SourceSpec

    for s in sources:
        loc = SourceSpec.parse(s).location
        if "://" not in loc and not os.path.exists(loc):
            raise InputFailure(f"source file not found: {loc}")
        _check_url(loc, "--source: ")


def _read(input_: str, opts: Options):
    from verifier.fetch.client import fetch
    from verifier.read.reader import InputError, read_article

    _check_url(input_)
    try:
        return read_article(input_, fetcher=lambda url: fetch(url, opts.fetch, store=opts.store),  # type: ignore[arg-type]
                            max_bytes=opts.fetch.max_bytes)
    except InputError as e:
        raise InputFailure(str(e)) from e


def _run(fn) -> None:
    """Run a command body: input problems exit 2 with one line, anything else exits 3."""
    try:
        code = fn()
    except InputFailure as e:
        _err(str(e))
        raise typer.Exit(EXIT_INPUT) from None
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        _err("interrupted")
        raise typer.Exit(130) from None
    except Exception as e:  # never show a traceback to a desk editor
        from verifier.fetch.store import StoreError
        from verifier.registry import RegistryError

        # a read-only or damaged evidence store, a bad outlet registry ($VERIFIER_OUTLETS): the
        # message names the file and says what to do
        if isinstance(e, StoreError | RegistryError):
            _err(str(e))
            raise typer.Exit(EXIT_INPUT) from None
        _err(f"internal error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        raise typer.Exit(EXIT_INTERNAL) from None
    raise typer.Exit(code or EXIT_OK)


@app.command()
@fetch_options
def article(
    input: Annotated[str, typer.Argument(help="Article: .txt/.md/.html file, - for stdin, or an http(s) URL.")],
    source: SourceOpt = None,
    offline: OfflineOpt = False,
    format: FormatOpt = Format.text,
    allow_private: AllowPrivateOpt = False,
    timeout: TimeoutOpt = 20.0,
    outlets: OutletsOpt = None,
    no_discover: NoDiscoverOpt = False,
    date: DateOpt = None,
    replay: ReplayOpt = None,
    local_sources: LocalSourcesOpt = None,
    net=None,
) -> None:
    """Verify every attribution in an article.

    Example: verifier article story.txt --source Guardian=https://www.theguardian.com/… --source FT=ft.html
    """

    def body() -> int:
        from verifier.pipeline import verify_article

        sources = source or []
        _check_sources(sources)
        from verifier.cli.find import discovery_session

        opts = _options(offline=offline, allow_private=allow_private, timeout=timeout, outlets=outlets, net=net)
        opts.local_sources = _local_dirs(local_sources)
        art = _read(input, opts)
        with discovery_session(opts, no_discover=no_discover, date=date, replay=replay):
            report = verify_article(art, sources=sources, options=opts, input_name=input)
        _print_report(report, format, art, opts.fetch.max_bytes)
        return EXIT_OK

    _run(body)


@app.command()
@fetch_options
def find(
    text: Annotated[str, typer.Argument(help="The claim, or a quote wrapped in quotation marks.")],
    outlet: Annotated[str | None, typer.Option("--outlet", help="Outlet it is attributed to.")] = None,
    date: DateOpt = None,
    format: TextJsonOpt = TextJson.text,
    replay: ReplayOpt = None,
    allow_private: AllowPrivateOpt = False,
    timeout: TimeoutOpt = 20.0,
    net=None,
) -> None:
    """List ranked candidate originals for a claim or quote (Guardian API, news sitemaps, GDELT).

    Example: verifier find 'US "air cover" would be essential to the plan' --outlet Times --date 2025-02-20
    """

    def body() -> int:
        from verifier.cli.find import discovery_session, run_find

        if not text.strip():
            raise InputFailure("the claim is empty")
        opts = _options(allow_private=allow_private, timeout=timeout, net=net)
        with discovery_session(opts, date=date, replay=replay):
            return run_find(text, outlet, opts, format.value)

    _run(body)


@app.command()
@fetch_options
def claim(
    text: Annotated[str, typer.Argument(help='The claim, or a quote wrapped in quotation marks: \'"We will not resign"\'.')],
    source: SourceOpt = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Outlet it is attributed to.")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Person it is attributed to.")] = None,
    offline: OfflineOpt = False,
    format: FormatOpt = Format.text,
    allow_private: AllowPrivateOpt = False,
    timeout: TimeoutOpt = 20.0,
    outlets: OutletsOpt = None,
    net=None,
) -> None:
    """Verify a single quote or claim against a source.

    Example: verifier claim '"We are ready"' --source https://www.ft.com/content/… --speaker "Keir Starmer"
    """

    def body() -> int:
        from verifier.pipeline import verify_claim

        if not text.strip():
            raise InputFailure("the claim is empty")
        if not source:
            raise InputFailure("give at least one --source for the claim")
        _check_sources(source)
        opts = _options(offline=offline, allow_private=allow_private, timeout=timeout, outlets=outlets, net=net)
        report = verify_claim(text, sources=source, outlet=outlet, speaker=speaker, options=opts)
        _print_report(report, format)
        return EXIT_OK

    _run(body)


@app.command()
@fetch_options
def check(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Article files, directories (searched for .md/.txt/.html) or globs ('drafts/**/*.md').",
                       show_default=False),
    ] = None,
    source: SourceOpt = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option("--fail-on", help="Fail on findings this bad or worse: partial, unverified, or none "
                     "(report only). Default: the policy file's fail_on, else partial."),
    ] = None,
    reason: Annotated[
        list[str] | None,
        typer.Option("--reason", metavar="CODE=LEVEL[:people|outlets]",
                     help="Per-reason policy: fail, warn or allow, optionally only for attributions to named "
                     "people or to outlets. Repeatable. Example: --reason paywalled=warn --reason no_source=allow:people"),
    ] = None,
    skip_outlet: Annotated[
        list[str] | None,
        typer.Option("--skip-outlet", metavar="NAME", help="Do not check attributions to this outlet. Repeatable."),
    ] = None,
    policy: Annotated[
        str | None,
        typer.Option("--policy", metavar="FILE", help="Policy file (verifier.toml or pyproject.toml with "
                     "\\[tool.verifier]) to use instead of the one found by walking up from each checked file."),
    ] = None,
    no_policy: Annotated[bool, typer.Option("--no-policy", help="Ignore policy files: defaults and flags only.")] = False,
    changed_only: Annotated[
        bool, typer.Option("--changed-only", help="Only check files changed in git against --base (plus uncommitted "
                           "and untracked files).")
    ] = False,
    base: Annotated[
        str | None,
        typer.Option("--base", metavar="REF", help="Base ref for --changed-only. Default: the policy's base, "
                     "origin/$GITHUB_BASE_REF, origin/HEAD, main or master."),
    ] = None,
    format: FormatOpt = Format.text,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of stdout "
                     "(html defaults to verifier-report.html)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary line on stderr.")] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, help="Check files in N worker processes (same report, in input order).")
    ] = 1,
    no_discover: NoDiscoverOpt = False,
    offline: OfflineOpt = False,
    allow_private: AllowPrivateOpt = False,
    timeout: Annotated[
        float | None, typer.Option("--timeout", metavar="SECONDS", min=0.1, help="Time limit per source, seconds: "
                                   "connection, retries, redirects and the whole body (default 20).")
    ] = None,
    outlets: OutletsOpt = None,
    local_sources: LocalSourcesOpt = None,
    net=None,
) -> None:
    """Pre-publication gate: exit 0 when every attribution meets the policy, 1 when one fails it,
    2 on usage or input errors. Policy: \\[tool.verifier] in pyproject.toml or verifier.toml (see docs/gate.md).

    Example: verifier check drafts/ --format github --reason paywalled=warn
    """

    def body() -> int:
        import dataclasses
        import os

        from verifier.cli.options import OptionError
        from verifier.gate.core import CheckRequest, GateError, run_check
        from verifier.report import DEFAULT_OUTPUT, render

        paths = list(inputs or [])
        if not paths:
            if not changed_only:
                raise InputFailure("give at least one file, directory or glob to check (or --changed-only)")
            paths = ["."]
        if policy and no_policy:
            raise InputFailure("--policy and --no-policy cannot be used together")
        req = CheckRequest(
            paths=paths, sources=list(source or []), config_file=policy, no_config=no_policy,
            fail_on=fail_on.value if fail_on else None, reasons=list(reason or []),
            skip_outlets=list(skip_outlet or []), timeout=timeout, offline=offline,
            allow_private=allow_private, outlets_files=list(outlets or []), changed_only=changed_only, base=base,
            jobs=jobs, discover=not no_discover, local_sources=list(_local_dirs(local_sources)),
            exclude=[p for p in (output, *DEFAULT_OUTPUT.values()) if p],
        )
        show_progress = not quiet and sys.stderr.isatty()
        copies = []

        def configure(opts, cfg):
            if net is None:
                return opts
            n = dataclasses.replace(
                net, _opened=[], progress=False,
                store=net.store if net.store is not None else cfg.store,
                deadline=net.deadline if net.deadline is not None else (str(cfg.deadline) if cfg.deadline else None),
            )
            copies.append(n)
            try:
                return n.apply(opts)
            except OptionError as e:
                raise InputFailure(str(e)) from e

        progress_bar = None
        try:
            hooks = {}
            if show_progress:
                from rich import progress as rp
                from rich.console import Console

                progress_bar = rp.Progress(
                    rp.TextColumn("checking"), rp.BarColumn(), rp.MofNCompleteColumn(), rp.TimeElapsedColumn(),
                    rp.TextColumn("{task.fields[last]}", style="dim"),
                    console=Console(stderr=True), transient=True,
                )
                task = progress_bar.add_task("check", total=None, last="")
                progress_bar.start()
                hooks = {
                    "total": lambda n: progress_bar.update(task, total=n),
                    "progress": lambda p: progress_bar.update(task, advance=1, last=p),
                }
            try:
                result = run_check(req, configure=configure, **hooks)
            except GateError as e:
                raise InputFailure(str(e)) from e
        finally:
            if progress_bar is not None:
                progress_bar.stop()
            for n in copies:
                n.close()

        fmt = format.value
        target = output or DEFAULT_OUTPUT.get(fmt)
        color = target is None and fmt == "text" and sys.stdout.isatty()
        width = None
        if color:
            import shutil

            width = shutil.get_terminal_size((120, 24)).columns
        text = render(result, fmt, color=color, width=width)
        if target:
            try:
                if os.path.dirname(target):
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "w", encoding="utf-8") as fh:
                    fh.write(text)
            except OSError as e:
                raise InputFailure(f"cannot write {target}: {e.strerror or e}") from e
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
            try:
                with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
                    fh.write(render(result, "markdown"))
            except OSError:
                pass
        for e in result.errors:
            _err(f"{e.path}: {e.message}")
        if not quiet and (target or fmt not in ("text", "github")):
            s = result.summary
            where = f" (report: {target})" if target else ""
            sys.stderr.write(
                f"verifier: check {'passed' if result.passed else 'FAILED'}: {s['files']} file(s), "
                f"{s['fail']} failing, {s['warn']} warning, {s['waived']} waived{where}\n"
            )
        return result.exit_code

    _run(body)


@app.command()
def extract(
    input: Annotated[str, typer.Argument(help="Article: file, - for stdin, or URL.")],
    format: TextJsonOpt = TextJson.text,
    allow_private: AllowPrivateOpt = False,
    outlets: OutletsOpt = None,
) -> None:
    """List the attributions in an article (no fetching of sources).

    Example: verifier extract story.txt --format json
    """

    def body() -> int:
        from verifier.attributions.finder import find_attributions
        from verifier.report.article import attributions_json, render_attributions_text

        opts = _options(allow_private=allow_private, outlets=outlets)
        art = _read(input, opts)
        found = find_attributions(art, opts.registry)
        if format is TextJson.json:
            typer.echo(attributions_json(input, found))
        else:
            render_attributions_text(found)
        return EXIT_OK

    _run(body)


@app.command("fetch")
@fetch_options
def fetch_cmd(
    location: Annotated[str, typer.Argument(help="URL or file of a source page.")],
    format: TextJsonOpt = TextJson.text,
    offline: OfflineOpt = False,
    allow_private: AllowPrivateOpt = False,
    timeout: TimeoutOpt = 20.0,
    outlets: OutletsOpt = None,
    net=None,
) -> None:
    """Show what the verifier reads from a source page: metadata, paywall state, body text.

    Example: verifier fetch https://www.theguardian.com/world/2025/feb/20/slug --format json
    """

    def body() -> int:
        import json

        from verifier.pipeline import fetch_documents
        from verifier.report.article import document_dict

        if "://" not in location:
            import os

            if not os.path.exists(location):
                raise InputFailure(f"no such file: {location}")
        _check_url(location)
        opts = _options(offline=offline, allow_private=allow_private, timeout=timeout, outlets=outlets, net=net)
        doc = fetch_documents([location], opts)[location]
        if format is TextJson.json:
            typer.echo(json.dumps(document_dict(doc), ensure_ascii=False, indent=2))
        else:
            # plain lines: a page's title or text is never read as markup or terminal codes
            from verifier.report.escape import terminal_text

            d = document_dict(doc)
            lines = [f"{key}: {terminal_text(d[key])}" for key in (
                "url", "final_url", "status", "outlet", "title", "byline", "published", "paywalled",
                "paywall_reason", "method", "error", "sha256") if d[key] not in (None, "")]
            lines.append("")
            for p in doc.paragraphs:
                lines += [terminal_text(p), ""]
            sys.stdout.write("\n".join(lines) + "\n")
        return EXIT_OK if doc.ok else EXIT_INPUT

    _run(body)


@app.command()
def outlets(
    format: TextJsonOpt = TextJson.text,
    extra: OutletsOpt = None,
) -> None:
    """List the outlet registry: names, aliases, domains.

    Example: verifier outlets --outlets my-outlets.toml
    """

    def body() -> int:
        import json

        opts = _options(outlets=extra)
        from verifier.registry import default_registry

        reg = opts.registry or default_registry()
        if format is TextJson.json:
            typer.echo(json.dumps(
                [{"name": o.name, "aliases": list(o.aliases), "domains": list(o.domains)} for o in reg.outlets],
                ensure_ascii=False, indent=2,
            ))
            return EXIT_OK
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        from verifier.report.escape import terminal_text

        console = Console()
        if not console.is_terminal:  # a pipe: one tab-separated line per outlet, nothing cut
            sys.stdout.write("outlet\taliases\tdomains\n" + "".join(
                f"{terminal_text(o.name)}\t{terminal_text(', '.join(o.aliases))}\t{terminal_text(', '.join(o.domains))}\n"
                for o in reg.outlets))
            return EXIT_OK
        t = Table("outlet", "aliases", "domains")
        for col in t.columns:
            col.overflow = "fold"
        for o in reg.outlets:
            t.add_row(*(Text(terminal_text(x)) for x in (o.name, ", ".join(o.aliases), ", ".join(o.domains))))
        console.print(t)
        return EXIT_OK

    _run(body)


@app.command()
def audit(
    inputs: Annotated[list[str], typer.Argument(help="WARC/WARC.gz, JSONL or Parquet files: paths, globs or fsspec URLs.",
                                                show_default=False)],
    output: Annotated[str, typer.Option("--output", "-o", metavar="DIR", help="Where the tables and the summary go.")],
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", metavar="ADDRESS", help="Dask scheduler (tcp://host:8786); default: "
                                 "a local cluster with one worker per core.")
    ] = None,
    date_window: Annotated[
        str, typer.Option("--date-window", metavar="DAYS", help="Originals of unlinked citations are searched this "
                          "many days either side of the citing article.")
    ] = "3d",
    workers: Annotated[int | None, typer.Option("--workers", min=1, help="Local cluster size (default: cores).")] = None,
    partitions: Annotated[
        int | None, typer.Option("--partitions", min=1, help="URL partitions (default: one per input file, 4-1024).")
    ] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Discard an earlier run's results in --output.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or dashboard link on stderr.")] = False,
    outlets: OutletsOpt = None,
) -> None:
    """Audit a news archive: every attribution, its original found in the archive, judged as by
    `check`; Parquet tables and an HTML summary in --output. A rerun resumes an interrupted one.

    Example: verifier audit 'crawl/CC-NEWS-*.warc.gz' --output audit/ --date-window 3d
    """

    def body() -> int:
        from verifier.cli.audit import AuditUsageError, run

        try:
            return run(list(inputs), output, scheduler=scheduler, window=date_window, workers=workers,
                       partitions=partitions, outlets=list(outlets or []), fresh=fresh, quiet=quiet)
        except AuditUsageError as e:
            raise InputFailure(str(e)) from e

    _run(body)


@app.command("eval")
def eval_cmd(
    directory: Annotated[str, typer.Argument(help="Folder of labelled cases (case.toml files).")] = "fixtures",
    format: TextJsonOpt = TextJson.text,
    min_accuracy: Annotated[
        float, typer.Option("--min-accuracy", help="Exit 1 when verdict accuracy is below this (0-1).")
    ] = 0.0,
    real_pages: Annotated[
        str, typer.Option("--real-pages", help="Captured pages with expected.json for the round trips ('' to skip).")
    ] = "fixtures/real-pages",
) -> None:
    """Measure verdict accuracy and attribution extraction on a labelled corpus.

    Exits 1 on any false confirm (corpus or real-page round trips) or when accuracy is below
    --min-accuracy.
    Example: verifier eval fixtures/corpus --format json
    """

    def body() -> int:
        import json
        from pathlib import Path

        from verifier.evaluate import evaluate, render_eval_text

        root = Path(directory)
        if not root.is_dir():
            raise InputFailure(f"no such directory: {directory}")
        result = evaluate(root, real_pages=Path(real_pages) if real_pages else None)
        if not result.outcomes and not result.errors:
            raise InputFailure(f"no case.toml files under {directory}")
        if format is TextJson.json:
            typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        else:
            typer.echo(render_eval_text(result))
        failed = (
            bool(result.false_confirms())
            or bool(result.round_trip_failures())
            or result.accuracy() < min_accuracy
            or bool(result.errors)
        )
        return EXIT_FAILED if failed else EXIT_OK

    _run(body)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", min=0, max=65535, help="Port (default 8321; 0: any free port).")] = None,
    config: Annotated[
        str | None, typer.Option("--config", metavar="FILE", help="Server config: policy, \\[fetch] and \\[serve] tables "
                                 "(see the README's 'Run it for your newsroom').")
    ] = None,
    no_auth: Annotated[bool, typer.Option("--no-auth", help="No bearer tokens (local use only: loopback addresses).")] = False,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Fetch sources on loopback/private addresses (a server flag, "
                           "never a request field).")
    ] = False,
    store: Annotated[
        str | None, typer.Option("--store", envvar="VERIFIER_STORE", metavar="PATH",
                                 help="Evidence store shared with the CLI. Default: the policy's, else the user cache dir.")
    ] = None,
    database: Annotated[str | None, typer.Option("--database", metavar="PATH", help="Report history (SQLite).")] = None,
    replay: ReplayOpt = None,
    no_discover: NoDiscoverOpt = False,
    new_token: Annotated[bool, typer.Option("--new-token", help="Print a new bearer token and its hash, then exit.")] = False,
    hash_token: Annotated[
        str | None, typer.Option("--hash-token", metavar="TOKEN", help="Print the [serve] tokens entry for TOKEN, then exit.")
    ] = None,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "info",
) -> None:
    """Run the newsroom web service: the page at / and the HTTP API under /api/v1 (SIGTERM stops it cleanly).

    Example: verifier serve --config verifier.toml --host 0.0.0.0 --port 8321
    """

    def body() -> int:
        from verifier.cli.serve import serve_main

        return serve_main(host=host, port=port, config=config, no_auth=no_auth, allow_private=allow_private,
                          store=store, database=database, replay=replay, no_discover=no_discover, new_token=new_token,
                          hash_token=hash_token, log_level=log_level, fail=InputFailure)

    _run(body)


def _print_report(report, format: Format, article=None, max_bytes: int = 5_000_000) -> None:
    from verifier.report.article import render_text, report_json, report_markdown

    if format is Format.json:
        typer.echo(report_json(report))
    elif format is Format.markdown:
        typer.echo(report_markdown(report))
    elif format.value in ("github", "junit", "html"):
        # the gate's renderers, over this report with the default policy
        from verifier.report import render, report_result

        raw = ""
        if article is not None and article.source not in ("-",) and "://" not in article.source:
            from verifier.fetch.files import LocalReadError, read_local

            try:
                raw = read_local(article.source, max_bytes)[0].decode("utf-8", errors="replace")
            except LocalReadError:
                raw = ""
        typer.echo(render(report_result(report, article, raw), format.value), nl=False)
    else:
        render_text(report)


def main() -> None:
    # the same name in usage lines whether run as `verifier` or `python -m verifier`
    app(prog_name="verifier")


if __name__ == "__main__":
    main()
