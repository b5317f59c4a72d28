"""`verifier check`: the pre-publication gate over files, directories and globs (docs/gate.md)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from verifier.cli.common import (
    AllowPrivateOpt,
    Format,
    FormatOpt,
    LocalSourcesOpt,
    NoDiscoverOpt,
    OfflineOpt,
    OutletsOpt,
    SourceOpt,
    err,
    local_dirs,
)
from verifier.errors import UsageError
from verifier.report.status import FailOn

if TYPE_CHECKING:
    from verifier.cli.options import NetOptions
    from verifier.gate.policy import GateConfig


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
) -> int:
    """Pre-publication gate: exit 0 when every attribution meets the policy, 1 when one fails it,
    2 on usage or input errors. Policy: \\[tool.verifier] in pyproject.toml or verifier.toml (see docs/gate.md).

    Example: verifier check drafts/ --format github --reason paywalled=warn
    """
    from verifier.gate import CheckRequest
    from verifier.report import DEFAULT_OUTPUT

    paths = list(inputs or [])
    if not paths:
        if not changed_only:
            raise UsageError("give at least one file, directory or glob to check (or --changed-only)")
        paths = ["."]
    if policy and no_policy:
        raise UsageError("--policy and --no-policy cannot be used together")
    req = CheckRequest(
        paths=paths, sources=list(source or []), config_file=policy, no_config=no_policy,
        fail_on=fail_on.value if fail_on else None, reasons=list(reason or []),
        skip_outlets=list(skip_outlet or []), timeout=timeout, offline=offline,
        allow_private=allow_private, outlets_files=list(outlets or []), changed_only=changed_only, base=base,
        jobs=jobs, discover=not no_discover, local_sources=list(local_dirs(local_sources)),
        exclude=[p for p in (output, *DEFAULT_OUTPUT.values()) if p],
    )
    result = _run_gate(req, net, progress=not quiet and sys.stderr.isatty())
    fmt = format.value
    target = output or DEFAULT_OUTPUT.get(fmt)
    _write_report(result, fmt, target)
    for e in result.errors:
        err(f"{e.path}: {e.message}")
    if not quiet and (target or fmt not in ("text", "github")):
        s = result.summary
        where = f" (report: {target})" if target else ""
        sys.stderr.write(
            f"verifier: check {'passed' if result.passed else 'FAILED'}: {s['files']} file(s), "
            f"{s['fail']} failing, {s['warn']} warning, {s['waived']} waived{where}\n"
        )
    return result.exit_code


def _run_gate(req: Any, net: NetOptions | None, *, progress: bool) -> Any:
    """`run_check` with the shared fetch/store flags applied to each file's options, and a
    progress bar on a terminal."""
    import dataclasses

    from verifier.gate import run_check

    copies: list[NetOptions] = []

    def configure(opts: Any, cfg: GateConfig) -> Any:
        if net is None:
            return opts
        n = dataclasses.replace(
            net, _opened=[], progress=False,
            store=net.store if net.store is not None else cfg.store,
            deadline=net.deadline if net.deadline is not None else (str(cfg.deadline) if cfg.deadline else None),
        )
        copies.append(n)
        return n.apply(opts)

    progress_bar = None
    try:
        hooks = {}
        if progress:
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
        return run_check(req, configure=configure, **hooks)
    finally:
        if progress_bar is not None:
            progress_bar.stop()
        for n in copies:
            n.close()


def _write_report(result: Any, fmt: str, target: str | None) -> None:
    """The report to `target` (a file) or stdout; with --format github in a GitHub workflow, the
    Markdown report is appended to the job summary too."""
    import os

    from verifier.report import render

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
            raise UsageError(f"cannot write {target}: {e.strerror or e}") from e
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        try:
            with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
                fh.write(render(result, "markdown"))
        except OSError:
            pass
