"""`verifier outlets`: the outlet registry (built-in plus --outlets files)."""

from __future__ import annotations

import sys

import typer

from verifier.cli.common import EXIT_OK, OutletsOpt, TextJson, TextJsonOpt, make_options


def outlets(
    format: TextJsonOpt = TextJson.text,
    extra: OutletsOpt = None,
) -> int:
    """List the outlet registry: names, aliases, domains.

    Example: verifier outlets --outlets my-outlets.toml
    """
    import json

    from verifier.registry import default_registry

    opts = make_options(outlets=extra)
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
