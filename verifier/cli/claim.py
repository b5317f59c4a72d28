"""`verifier claim`: one quote or claim against the sources given."""

from __future__ import annotations

from typing import Annotated

import typer

from verifier.cli.common import (
    EXIT_OK,
    AllowPrivateOpt,
    Format,
    FormatOpt,
    OfflineOpt,
    OutletOpt,
    OutletsOpt,
    SourceOpt,
    TimeoutOpt,
    check_sources,
    make_options,
)
from verifier.errors import UsageError


def claim(
    text: Annotated[str, typer.Argument(help='The claim, or a quote wrapped in quotation marks: \'"We will not resign"\'.')],
    source: SourceOpt = None,
    outlet: OutletOpt = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Person it is attributed to.")] = None,
    offline: OfflineOpt = False,
    format: FormatOpt = Format.text,
    allow_private: AllowPrivateOpt = False,
    timeout: TimeoutOpt = 20.0,
    outlets: OutletsOpt = None,
    net=None,
) -> int:
    """Verify a single quote or claim against a source.

    Example: verifier claim '"We are ready"' --source https://www.ft.com/content/… --speaker "Keir Starmer"
    """
    from verifier.cli.article import print_report
    from verifier.pipeline import verify_claim

    if not text.strip():
        raise UsageError("the claim is empty")
    if not source:
        raise UsageError("give at least one --source for the claim")
    check_sources(source)
    opts = make_options(offline=offline, allow_private=allow_private, timeout=timeout, outlets=outlets, net=net)
    report = verify_claim(text, sources=source, outlet=outlet, speaker=speaker, options=opts)
    print_report(report, format)
    return EXIT_OK
