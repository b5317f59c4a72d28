"""The `verifier` typer app, assembled from one module per command group.

    article.py  claim.py  check.py  extract.py  fetch.py  find.py  outlets.py  eval.py
    audit.py  serve.py  sources.py (the `sources` sub-commands)

Each command is a plain function that returns its exit code and raises `verifier.errors`
exceptions; `verifier.cli.common.reports_errors` turns those into exit codes in one place (0 done;
1 `check`/`eval` failed; 2 usage or input error, one line on stderr; 3 internal error). Command
modules import the pipeline stages inside the functions, so `verifier --help` loads none of them.
"""

from __future__ import annotations

import typer

from verifier.cli import article, audit, check, claim, extract, fetch, find, outlets, serve
from verifier.cli import eval as eval_
from verifier.cli.check import FailOn
from verifier.cli.common import (
    EXIT_FAILED,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    Format,
    TextJson,
    reports_errors,
)
from verifier.cli.options import fetch_options
from verifier.cli.sources import app as sources_app
from verifier.errors import UsageError

__all__ = ["EXIT_FAILED", "EXIT_INPUT", "EXIT_INTERNAL", "EXIT_OK", "FailOn", "Format", "InputFailure", "TextJson",
           "app", "main"]

InputFailure = UsageError  # the old name of "bad input or options, exit 2"

app = typer.Typer(
    name="verifier",
    help="Check quotes and claims attributed to other outlets against the original articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# in the order `verifier --help` lists them; fetch_options adds the shared --store/--cookies/... flags
app.command("article")(reports_errors(fetch_options(article.article)))
app.command("find")(reports_errors(fetch_options(find.find)))
app.command("claim")(reports_errors(fetch_options(claim.claim)))
app.command("check")(reports_errors(fetch_options(check.check)))
app.command("extract")(reports_errors(extract.extract))
app.command("fetch")(reports_errors(fetch_options(fetch.fetch)))
app.command("outlets")(reports_errors(outlets.outlets))
app.command("audit")(reports_errors(audit.audit))
app.command("eval")(reports_errors(eval_.eval_corpus))
app.command("serve")(reports_errors(serve.serve))
app.add_typer(sources_app, name="sources")  # list | show | export | import


def main() -> None:
    # the same name in usage lines whether run as `verifier` or `python -m verifier`
    app(prog_name="verifier")


if __name__ == "__main__":
    main()
