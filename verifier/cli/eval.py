"""`verifier eval`: verdict accuracy and attribution extraction on a labelled corpus."""

from __future__ import annotations

from typing import Annotated

import typer

from verifier.cli.common import EXIT_FAILED, EXIT_OK, TextJson, TextJsonOpt
from verifier.errors import InputError


def eval_corpus(
    directory: Annotated[str, typer.Argument(help="Folder of labelled cases (case.toml files).")] = "fixtures",
    format: TextJsonOpt = TextJson.text,
    min_accuracy: Annotated[
        float, typer.Option("--min-accuracy", help="Exit 1 when verdict accuracy is below this (0-1).")
    ] = 0.0,
    real_pages: Annotated[
        str, typer.Option("--real-pages", help="Captured pages with expected.json for the round trips ('' to skip).")
    ] = "fixtures/real-pages",
) -> int:
    """Measure verdict accuracy and attribution extraction on a labelled corpus.

    Exits 1 on any false confirm (corpus or real-page round trips) or when accuracy is below
    --min-accuracy.
    Example: verifier eval fixtures/corpus --format json
    """
    import json
    from pathlib import Path

    from verifier.evaluate import evaluate, render_eval_text

    root = Path(directory)
    if not root.is_dir():
        raise InputError(f"no such directory: {directory}")
    result = evaluate(root, real_pages=Path(real_pages) if real_pages else None)
    if not result.outcomes and not result.errors:
        raise InputError(f"no case.toml files under {directory}")
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
