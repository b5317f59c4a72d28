"""`verifier sources ...`: browse the evidence store and exchange it as WARC.

    verifier sources list                      every stored fetch (newest copy last)
    verifier sources show URL                  metadata + the extracted text of the latest copy
    verifier sources export --warc FILE [URL...]   write the store (or some URLs) as .warc.gz
    verifier sources import FILE               add the response records of any WARC to the store

The store is chosen like everywhere else: --store / $VERIFIER_STORE / config file / cache dir.
Mounted in verifier/cli/app.py with `app.add_typer(sources_app, name="sources")`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from verifier.cli.common import reports_errors
from verifier.errors import UsageError

app = typer.Typer(
    help="Browse the evidence store (every source page fetched) and export/import it as WARC.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

StoreOpt = Annotated[
    str | None,
    typer.Option("--store", envvar="VERIFIER_STORE", metavar="PATH",
                 help="Evidence store (SQLite). Default: the user cache dir."),
]
ConfigOpt = Annotated[str | None, typer.Option("--config", metavar="FILE", help="Config file (TOML).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table/text.")]


def _fail(message: str) -> Exception:
    return UsageError(message)


def _path(store: str | None, config: str | None) -> Path:
    from verifier.cli.options import load_config, resolve_store_path

    return resolve_store_path(store, load_config(config))  # OptionError: a UsageError


def _open_existing(store: str | None, config: str | None) -> Any:
    """The store, opened read-only: listing, showing and exporting never write (so a read-only
    store, or a damaged one being rescued with export, can be used)."""
    from verifier.fetch.store import Store

    path = _path(store, config)
    if not path.is_file():
        raise _fail(f"no evidence store at {path} (nothing fetched yet, or give --store PATH)")
    return Store(path, read_only=True)  # StoreError: a UsageError


@app.command("list")
@reports_errors
def list_cmd(store: StoreOpt = None, config: ConfigOpt = None, as_json: JsonOpt = False) -> int:
    """List every stored fetch: time, status, size, SHA-256 and URL.

    Example: verifier sources list --store evidence.sqlite3
    """
    with _open_existing(store, config) as s:
        entries = s.list()
        path = s.path
    if as_json:
        typer.echo(json.dumps([e.__dict__ for e in entries], ensure_ascii=False, indent=2))
        return 0
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from verifier.report.escape import terminal_text

    console = Console()
    if not entries:
        typer.echo(f"evidence store {path} is empty")
        return 0
    if not console.is_terminal:
        # a pipe: one tab-separated line per fetch, full URLs (`| grep URL` finds them)
        rows = ["id\tfetched_at\tstatus\tbytes\tsha256\ttext\turl\tfinal_url"]
        rows += [f"{e.id}\t{e.fetched_at}\t{e.status or ''}\t{e.size}\t{e.sha256}\t{'yes' if e.has_text else ''}\t"
                 f"{terminal_text(e.url)}\t{terminal_text(e.final_url or '')}" for e in entries]
        typer.echo("\n".join(rows))
        return 0
    t = Table("id", "fetched_at", "status", "bytes", "sha256", "text", "url", title=Text(str(path)))
    for col in t.columns:
        col.overflow = "fold"  # wrap long URLs on a narrow terminal, never cut them
    for e in entries:
        url = e.url if not e.final_url or e.final_url == e.url else f"{e.url}\n→ {e.final_url}"
        t.add_row(str(e.id), e.fetched_at, str(e.status or ""), str(e.size), e.sha256[:12],
                  "yes" if e.has_text else "", Text(terminal_text(url)))
    console.print(t)
    return 0


@app.command()
@reports_errors
def show(
    url: Annotated[str, typer.Argument(help="Requested or final URL of a stored page.")],
    store: StoreOpt = None,
    config: ConfigOpt = None,
    as_json: JsonOpt = False,
    raw: Annotated[bool, typer.Option("--raw", help="Print the stored body instead of the extracted text.")] = False,
) -> int:
    """Show the latest stored copy of URL: metadata, response headers and the extracted text.

    Example: verifier sources show https://www.theguardian.com/world/2025/feb/20/slug
    """
    with _open_existing(store, config) as s:
        result = s.get(url)
        if result is None:
            raise _fail(f"not in the evidence store: {url}")
        req = result.url or url
        headers = s.headers(req)
        text = s.text(req)
    if raw:
        typer.echo(result.text)
        return 0
    if text is None:  # stored by an older run or imported from a WARC: extract now
        from verifier.extract.document import document_from_fetch
        from verifier.registry import default_registry

        text = document_from_fetch(result, default_registry()).text
    meta = {
        "url": result.url,
        "final_url": result.final_url,
        "status": result.status,
        "content_type": result.content_type,
        "encoding": result.encoding,
        "fetched_at": result.fetched_at,
        "sha256": result.sha256,
        "bytes": len(result.body),
        "headers": headers,
    }
    if as_json:
        typer.echo(json.dumps({**meta, "text": text}, ensure_ascii=False, indent=2))
        return 0
    # plain lines: stored headers and page text are never read as markup or terminal codes
    from verifier.report.escape import terminal_text

    lines = []
    for key, value in meta.items():
        if key == "headers":
            lines += [f"header {terminal_text(h)}: {terminal_text(v)}" for h, v in sorted(value.items())]
        elif value not in (None, ""):
            lines.append(f"{key}: {terminal_text(value)}")
    typer.echo("\n".join(lines) + "\n\n" + terminal_text(text))
    return 0


@app.command()
@reports_errors
def export(
    warc: Annotated[str, typer.Option("--warc", metavar="FILE", help="WARC file to write (gzipped, .warc.gz).")],
    urls: Annotated[
        list[str] | None, typer.Argument(help="Only these URLs (latest copy of each). Default: everything.")
    ] = None,
    store: StoreOpt = None,
    config: ConfigOpt = None,
) -> int:
    """Export stored fetches as a standard WARC (opens in pywb, ArchiveWeb.page, warcio).

    Example: verifier sources export --warc evidence.warc.gz
    """
    with _open_existing(store, config) as s:
        if urls:
            missing = [u for u in urls if s.get(u) is None]
            if missing:
                raise _fail(f"not in the evidence store: {missing[0]}")
        try:
            n = s.export_warc(warc, urls or None)
        except OSError as e:
            raise _fail(f"cannot write {warc}: {e.strerror or e}") from e
        skipped = s.export_skipped
    typer.echo(f"exported {n} record{'s' if n != 1 else ''} to {warc}"
               + (f" ({skipped} damaged record{'s' if skipped != 1 else ''} could not be read)" if skipped else ""))
    return 0


@app.command("import")
@reports_errors
def import_cmd(
    file: Annotated[str, typer.Argument(help="WARC file (.warc or .warc.gz) from verifier or any crawler.")],
    store: StoreOpt = None,
    config: ConfigOpt = None,
) -> int:
    """Import the response records of a WARC into the store (then usable with --offline).

    Example: verifier sources import fixtures/founding/founding.warc.gz
    """
    from verifier.fetch.store import Store, StoreError, WarcError

    if not Path(file).is_file():
        raise _fail(f"no such file: {file}")
    with Store(_path(store, config)) as s:  # StoreError: a UsageError
        try:
            s.import_warc(file)
            got = s.last_import
        except WarcError as e:
            raise _fail(f"cannot import {file}: {e}; nothing was stored") from None
        except StoreError:
            raise
        except Exception as e:  # warcio raises assorted errors on non-WARC input
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise _fail(f"cannot read WARC {file}: {first}; nothing was stored") from e
        path = s.path
    if got.imported == 0 and got.duplicates == 0:
        raise _fail(f"no HTTP response records in {file} (is it a WARC?)")
    n = got.imported
    notes = [f"{got.duplicates} already in the store"] if got.duplicates else []
    if got.too_large:
        notes.append(f"{got.too_large} over the size limit, skipped")
    typer.echo(f"imported {n} record{'s' if n != 1 else ''} into {path}" + (f" ({'; '.join(notes)})" if notes else ""))
    return 0
