"""`verifier audit`: progress bar, dashboard link, and the closing lines. Dask is imported only
when an audit runs."""

from __future__ import annotations

import re
import sys
from typing import Annotated, Any

import typer

from verifier.cli.common import OutletsOpt
from verifier.errors import UsageError


class AuditUsageError(UsageError):
    """Bad options or inputs: one line on stderr, exit code 2."""


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
) -> int:
    """Audit a news archive: every attribution, its original found in the archive, judged as by
    `check`; Parquet tables and an HTML summary in --output. A rerun resumes an interrupted one.

    Example: verifier audit 'crawl/CC-NEWS-*.warc.gz' --output audit/ --date-window 3d
    """
    return run(list(inputs), output, scheduler=scheduler, window=date_window, workers=workers,
               partitions=partitions, outlets=list(outlets or []), fresh=fresh, quiet=quiet)


def parse_window(value: str) -> int:
    """'3d', '3 days', '3' -> 3; a week as '1w'."""
    m = re.fullmatch(r"\s*(\d{1,3})\s*(d|day|days|w|week|weeks)?\s*", value or "", re.I)
    if not m:
        raise AuditUsageError(f"--date-window wants a number of days such as 3d, not {value!r}")
    n = int(m.group(1))
    return n * 7 if (m.group(2) or "d").lower().startswith("w") else n


def run(inputs: list[str], output: str, *, scheduler: str | None, window: str, workers: int | None,
        partitions: int | None, outlets: list[str], fresh: bool, quiet: bool) -> int:
    try:
        import distributed  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as e:
        raise AuditUsageError(f"verifier audit needs its extra packages ({e.name} is missing): "
                              "pip install 'verifier[audit]'") from e
    from verifier.audit.engine import AuditConfig, run_audit

    cfg = AuditConfig(inputs=inputs, output=output, scheduler=scheduler, workers=workers, partitions=partitions,
                      window_days=parse_window(window), outlets_files=outlets, fresh=fresh)
    err = sys.stderr
    bar: Any = None
    tasks: dict[str, Any] = {}

    def on_client(client: Any) -> None:
        if not quiet:
            n = len(client.scheduler_info().get("workers", {}))
            err.write(f"verifier: audit on {n} Dask worker(s); dashboard: {client.dashboard_link}\n")

    def progress(stage: str, done: int, total: int) -> None:
        if quiet:
            return
        if bar is not None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)
        elif done == total:
            err.write(f"verifier: {stage}: {total} partition(s) done\n")

    if not quiet and err.isatty():
        from rich import progress as rp
        from rich.console import Console

        bar = rp.Progress(rp.TextColumn("{task.description:>8}"), rp.BarColumn(), rp.MofNCompleteColumn(),
                          rp.TimeElapsedColumn(), console=Console(stderr=True))
        bar.start()
    try:
        result = run_audit(cfg, progress=progress, on_client=on_client)  # AuditError: a UsageError, exit 2
    finally:
        if bar is not None:
            bar.stop()
    t = result.totals
    skipped = sum(result.skipped.values())
    print(f"{t.get('articles', 0)} articles, {t.get('attributions', 0)} attributions: "
          f"{t.get('confirmed', 0)} confirmed, {t.get('partial', 0)} partial, {t.get('unverified', 0)} unverified; "
          f"{skipped} input record(s) skipped; {result.resumed_tasks} partition(s) resumed; {result.seconds:.1f} s")
    print(f"summary: {result.summary_html}")
    print(f"         {result.summary_md}")
    print(f"tables:  {result.output}/{{articles,attributions,findings,skipped}}/")
    return 0
