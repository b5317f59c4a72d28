"""`verifier extract`: the attributions found in an article, nothing fetched."""

from __future__ import annotations

from typing import Annotated

import typer

from verifier.cli.common import (
    EXIT_OK,
    AllowPrivateOpt,
    OutletsOpt,
    TextJson,
    TextJsonOpt,
    make_options,
    read_input,
)


def extract(
    input: Annotated[str, typer.Argument(help="Article: file, - for stdin, or URL.")],
    format: TextJsonOpt = TextJson.text,
    allow_private: AllowPrivateOpt = False,
    outlets: OutletsOpt = None,
) -> int:
    """List the attributions in an article (no fetching of sources).

    Example: verifier extract story.txt --format json
    """
    from verifier.attributions.finder import find_attributions
    from verifier.report.article import attributions_json, render_attributions_text

    opts = make_options(allow_private=allow_private, outlets=outlets)
    art = read_input(input, opts)
    found = find_attributions(art, opts.registry)
    if format is TextJson.json:
        typer.echo(attributions_json(input, found))
    else:
        render_attributions_text(found)
    return EXIT_OK
