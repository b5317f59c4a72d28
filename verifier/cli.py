"""Command-line interface: a thin skin over the library API (`verifier.api`).

Exit codes: 0 done (for `check`: passed); 1 `check` found a finding at or below --fail-on;
2 usage or input error (one line on stderr, never a traceback); 3 unexpected internal error.
Heavy modules are imported inside the commands so `verifier --help` starts fast.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from .cli_options import fetch_options
from .cli_sources import app as sources_app

if TYPE_CHECKING:
    from .api import Options
    from .cli_options import NetOptions

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


class FailOn(StrEnum):
    partial = "partial"
    unverified = "unverified"


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
TimeoutOpt = Annotated[float, typer.Option("--timeout", help="Read timeout per request, seconds.", min=0.1)]
OutletsOpt = Annotated[
    list[str] | None, typer.Option("--outlets", help="Extra outlet registry TOML file(s) (same format as the built-in one).")
]


def _err(message: str) -> None:
    sys.stderr.write(f"verifier: error: {message}\n")


def _options(
    *,
    offline: bool = False,
    allow_private: bool = False,
    timeout: float = 10.0,
    outlets: list[str] | None = None,
    net: NetOptions | None = None,
) -> Options:
    from pathlib import Path

    from .api import Options
    from .fetch import FetchConfig
    from .registry import load_registry

    registry = None
    if outlets:
        for p in outlets:
            if not Path(p).is_file():
                raise InputFailure(f"no such outlet registry file: {p}")
        try:
            registry = load_registry([Path(p) for p in outlets])
        except ValueError as e:
            raise InputFailure(str(e).splitlines()[0]) from e
    cfg = FetchConfig(offline=offline, allow_private=allow_private, read_timeout=timeout)
    opts = Options(offline=offline, fetch=cfg, registry=registry)
    if net is not None:  # --store, --max-age, --deadline, --cookies, ... (verifier/cli_options.py)
        from .cli_options import OptionError

        try:
            net.apply(opts)
        except OptionError as e:
            raise InputFailure(str(e)) from e
    return opts


def _check_sources(sources: list[str]) -> None:
    """A file source that does not exist is a typo, not a dead link: say so up front."""
    import os

    from .sources import SourceSpec

    for s in sources:
        loc = SourceSpec.parse(s).location
        if "://" not in loc and not os.path.exists(loc):
            raise InputFailure(f"source file not found: {loc}")


def _read(input_: str, opts: Options):
    from .fetch import fetch
    from .reader import InputError, read_article

    try:
        return read_article(input_, fetcher=lambda url: fetch(url, opts.fetch, store=opts.store))  # type: ignore[arg-type]
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
        _err(f"internal error: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        raise typer.Exit(EXIT_INTERNAL) from None
    raise typer.Exit(code or EXIT_OK)


@app.command()
@fetch_options
def article(
    input: Annotated[str, typer.Argument(help="Article: .txt/.md/.html file, - for stdin, or an http(s) URL.")],
    source: SourceOpt = None,
    offline: OfflineOpt = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    allow_private: AllowPrivateOpt = False,
    timeout: TimeoutOpt = 10.0,
    outlets: OutletsOpt = None,
    net=None,
) -> None:
    """Verify every attribution in an article.

    Example: verifier article story.txt --source Guardian=https://www.theguardian.com/… --source FT=ft.html
    """

    def body() -> int:
        from .api import verify_article

        sources = source or []
        _check_sources(sources)
        opts = _options(offline=offline, allow_private=allow_private, timeout=timeout, outlets=outlets, net=net)
        art = _read(input, opts)
        report = verify_article(art, sources=sources, options=opts, input_name=input)
        _print_report(report, format)
        return EXIT_OK

    _run(body)


@app.command()
@fetch_options
def claim(
    text: Annotated[str, typer.Argument(help='The claim, or a quote wrapped in quotation marks: \'"We will not resign"\'.')],
    source: SourceOpt = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Outlet it is attributed to.")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Person it is attributed to.")] = None,
    offline: OfflineOpt = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    allow_private: AllowPrivateOpt = False,
    timeout: TimeoutOpt = 10.0,
    net=None,
) -> None:
    """Verify a single quote or claim against a source.

    Example: verifier claim '"We are ready"' --source https://www.ft.com/content/… --speaker "Keir Starmer"
    """

    def body() -> int:
        from .api import verify_claim

        if not text.strip():
            raise InputFailure("the claim is empty")
        if not source:
            raise InputFailure("give at least one --source for the claim")
        _check_sources(source)
        opts = _options(offline=offline, allow_private=allow_private, timeout=timeout, net=net)
        report = verify_claim(text, sources=source, outlet=outlet, speaker=speaker, options=opts)
        _print_report(report, format)
        return EXIT_OK

    _run(body)


@app.command()
def check(
    inputs: Annotated[list[str], typer.Argument(help="Article files (or URLs) to check.")],
    source: SourceOpt = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Fail when a finding is this bad or worse.")
    ] = FailOn.partial,
    offline: OfflineOpt = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    allow_private: AllowPrivateOpt = False,
    timeout: TimeoutOpt = 10.0,
) -> None:
    """Pre-publication gate: exit 1 when any attribution is at or below --fail-on.

    Example: verifier check drafts/*.md --fail-on unverified --format json
    """

    def body() -> int:
        from .api import verify_article
        from .models import Verdict
        from .report import check_json

        sources = source or []
        _check_sources(sources)
        opts = _options(offline=offline, allow_private=allow_private, timeout=timeout)
        failing = {Verdict.UNVERIFIED} if fail_on is FailOn.unverified else {Verdict.UNVERIFIED, Verdict.PARTIAL}
        reports = []
        input_errors = []
        for inp in inputs:
            try:
                art = _read(inp, opts)
            except InputFailure as e:  # keep checking the other files; report this one at the end
                input_errors.append(str(e))
                continue
            reports.append(verify_article(art, sources=sources, options=opts, input_name=inp))
        passed = not any(f.verdict in failing for r in reports for f in r.findings)
        if format is Format.json:
            typer.echo(check_json(reports, passed))
        else:
            for r in reports:
                _print_report(r, format)
            typer.echo("check: " + ("passed" if passed else f"FAILED (findings at or below {fail_on.value})"))
        for e in input_errors:
            _err(e)
        if input_errors:
            return EXIT_INPUT
        return EXIT_OK if passed else EXIT_FAILED

    _run(body)


@app.command()
def extract(
    input: Annotated[str, typer.Argument(help="Article: file, - for stdin, or URL.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format (text or json).")] = Format.text,
    allow_private: AllowPrivateOpt = False,
    outlets: OutletsOpt = None,
) -> None:
    """List the attributions in an article (no fetching of sources).

    Example: verifier extract story.txt --format json
    """

    def body() -> int:
        from .attributions import find_attributions
        from .report import attributions_json, render_attributions_text

        opts = _options(allow_private=allow_private, outlets=outlets)
        art = _read(input, opts)
        found = find_attributions(art, opts.registry)
        if format is Format.json:
            typer.echo(attributions_json(input, found))
        else:
            render_attributions_text(found)
        return EXIT_OK

    _run(body)


@app.command("fetch")
@fetch_options
def fetch_cmd(
    location: Annotated[str, typer.Argument(help="URL or file of a source page.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format (text or json).")] = Format.text,
    offline: OfflineOpt = False,
    allow_private: AllowPrivateOpt = False,
    timeout: TimeoutOpt = 10.0,
    net=None,
) -> None:
    """Show what the verifier reads from a source page: metadata, paywall state, body text.

    Example: verifier fetch https://www.theguardian.com/world/2025/feb/20/slug --format json
    """

    def body() -> int:
        import json

        from .api import fetch_documents
        from .report import document_dict

        if "://" not in location:
            import os

            if not os.path.exists(location):
                raise InputFailure(f"no such file: {location}")
        opts = _options(offline=offline, allow_private=allow_private, timeout=timeout, net=net)
        doc = fetch_documents([location], opts)[location]
        if format is Format.json:
            typer.echo(json.dumps(document_dict(doc), ensure_ascii=False, indent=2))
        else:
            from rich.console import Console

            c = Console()
            d = document_dict(doc)
            for key in ("url", "final_url", "status", "outlet", "title", "byline", "published", "paywalled",
                        "paywall_reason", "method", "error", "sha256"):
                if d[key] not in (None, ""):
                    c.print(f"[bold]{key}[/]: {d[key]}", highlight=False)
            c.print()
            for p in doc.paragraphs:
                c.print(p, highlight=False)
                c.print()
        return EXIT_OK if doc.ok else EXIT_INPUT

    _run(body)


@app.command()
def outlets(
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format (text or json).")] = Format.text,
    extra: OutletsOpt = None,
) -> None:
    """List the outlet registry: names, aliases, domains.

    Example: verifier outlets --outlets my-outlets.toml
    """

    def body() -> int:
        import json

        opts = _options(outlets=extra)
        from .registry import default_registry

        reg = opts.registry or default_registry()
        if format is Format.json:
            typer.echo(json.dumps(
                [{"name": o.name, "aliases": list(o.aliases), "domains": list(o.domains)} for o in reg.outlets],
                ensure_ascii=False, indent=2,
            ))
            return EXIT_OK
        from rich.console import Console
        from rich.table import Table

        t = Table("outlet", "aliases", "domains")
        for o in reg.outlets:
            t.add_row(o.name, ", ".join(o.aliases), ", ".join(o.domains))
        Console().print(t)
        return EXIT_OK

    _run(body)


def _print_report(report, format: Format) -> None:
    from .report import render_text, report_json, report_markdown

    if format is Format.json:
        typer.echo(report_json(report))
    elif format is Format.markdown:
        typer.echo(report_markdown(report))
    else:
        render_text(report)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
