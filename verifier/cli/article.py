"""`verifier article`: every attribution in an article, verified (the command `make demo` runs)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from verifier.cli.common import (
    EXIT_OK,
    AllowPrivateOpt,
    DateOpt,
    Format,
    FormatOpt,
    LocalSourcesOpt,
    NoDiscoverOpt,
    OfflineOpt,
    OutletsOpt,
    ReplayOpt,
    SourceOpt,
    TimeoutOpt,
    check_sources,
    local_dirs,
    make_options,
    read_input,
)

if TYPE_CHECKING:
    from verifier.models import ArticleText, Report
    from verifier.pipeline import Options


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
) -> int:
    """Verify every attribution in an article.

    Example: verifier article story.txt --source Guardian=https://www.theguardian.com/… --source FT=ft.html
    """
    from verifier.cli.find import discovery_session
    from verifier.pipeline import verify_article

    sources = source or []
    check_sources(sources)
    opts = make_options(offline=offline, allow_private=allow_private, timeout=timeout, outlets=outlets, net=net)
    opts.local_sources = local_dirs(local_sources)
    art, raw = _read(input, opts)
    with discovery_session(opts, no_discover=no_discover, date=date, replay=replay):
        report = verify_article(art, sources=sources, options=opts, input_name=input)
    print_report(report, format, art, raw)
    return EXIT_OK


def _read(input: str, opts: Options) -> tuple[ArticleText, str]:
    """The article, and for a file its text as read (reports point into it): one read of the file."""
    from verifier.read.reader import read_article_file

    if input == "-" or "://" in input:
        return read_input(input, opts), ""
    return read_article_file(input, opts.fetch.max_bytes)


def print_report(report: Report, format: Format, article: ArticleText | None = None, raw: str = "") -> None:
    """A verification report (`article`, `claim`) on stdout in `format`. github, junit and html are
    the `check` renderers over the same report judged under the default policy (`raw`: the file
    text their line/column positions and waiver markers refer to)."""
    from verifier.report.article import render_text, report_json, report_markdown

    if format is Format.json:
        typer.echo(report_json(report))
    elif format is Format.markdown:
        typer.echo(report_markdown(report))
    elif format in (Format.github, Format.junit, Format.html):
        from verifier.gate.assess import report_result
        from verifier.report import render

        typer.echo(render(report_result(report, article, raw), format.value), nl=False)
    else:
        render_text(report)
