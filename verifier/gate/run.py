"""`run_check`: the whole gate over files (one process, or a pool with --jobs), and
`check_article`/`gate_article` for one article given as text (CMS hooks, the server).

    files (verifier.gate.files) -> per file: policy (walk up) -> read the draft -> verify
    -> positions, waivers, policy (verifier.gate.assess) -> GateResult
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.errors import GateError, InputError
from verifier.gate.assess import apply_overrides, assess
from verifier.gate.files import changed_files, discover_inputs, own_report, read_draft
from verifier.gate.options import Resources, build_options
from verifier.gate.policy import GateConfig, config_for, load_config
from verifier.gate.waivers import without_markers
from verifier.models import ArticleText
from verifier.read.reader import parse_article
from verifier.report.results import FileError, FileResult, GateResult


@dataclass
class CheckRequest:
    paths: list[str]
    sources: list[str] = field(default_factory=list)
    config_file: str | None = None  # explicit --config (no discovery)
    no_config: bool = False
    fail_on: str | None = None
    reasons: list[str] = field(default_factory=list)
    skip_outlets: list[str] = field(default_factory=list)
    store: str | None = None
    deadline: float | None = None
    timeout: float | None = None
    offline: bool = False
    allow_private: bool = False
    outlets_files: list[str] = field(default_factory=list)
    changed_only: bool = False
    base: str | None = None
    jobs: int = 1  # worker processes over the input files (results stay in input order)
    local_sources: list[str] = field(default_factory=list)  # --local-sources: folders links may name
    exclude: list[str] = field(default_factory=list)  # files never checked: this run's report outputs
    discover: bool = True  # look for unlinked outlets' originals (docs/discovery.md)


def run_check(
    req: CheckRequest,
    progress: Callable[[str], Any] | None = None,
    total: Callable[[int], Any] | None = None,
    configure: Callable[[Any, GateConfig], Any] | None = None,
) -> GateResult:
    """The whole gate. UsageError (GateError, ConfigError) for usage problems; per-file input problems land in
    GateResult.errors (the other files are still checked).

    `progress(path)` is called after each file, `total(n)` once the files are known, and
    `configure(options, policy)` may adjust each file's api.Options (the CLI applies its shared
    fetch/store flags there; the policy's store is then left to it)."""
    from verifier.registry import default_registry, load_registry

    registry = None
    if req.outlets_files:
        for p in req.outlets_files:
            if not Path(p).is_file():
                raise GateError(f"no such outlet registry file: {p}")
        try:
            registry = load_registry([Path(p) for p in req.outlets_files])
        except ValueError as e:
            raise GateError(str(e).splitlines()[0]) from e
    reg = registry or default_registry()

    explicit: GateConfig | None = None
    if req.config_file:
        explicit = load_config(req.config_file)
    elif req.no_config:
        explicit = GateConfig()

    files, input_errors = discover_inputs(req.paths, empty_dirs_ok=req.changed_only)
    # never check the tool's own reports as drafts (--output files, verifier-report.html)
    outputs = {os.path.realpath(p) for p in req.exclude}
    files = [f for f in files if "://" in f or f == "-" or (os.path.realpath(f) not in outputs and not own_report(f))]
    if req.changed_only:
        base = req.base
        if base is None:
            first = next((f for f in files if "://" not in f and f != "-"), ".")
            base = (explicit or config_for(first)).base
        cwd = os.path.dirname(os.path.realpath(files[0])) if files and os.path.exists(files[0]) else "."
        changed = changed_files(base, cwd if os.path.isdir(cwd) else ".")
        files = [f for f in files if os.path.realpath(f) in changed]
    if total:
        total(len(files))

    result = GateResult(errors=input_errors)
    ctx = _CheckContext(req, explicit, registry, reg, configure)
    if req.jobs > 1 and len(files) > 1 and "-" not in files and _fork_context() is not None:
        _run_parallel(ctx, files, result, progress)
        return result
    resources = Resources()
    configs: dict[str, GateConfig] = {}
    try:
        for path in files:
            try:
                got = _check_one(ctx, path, configs, resources)
                (result.files if isinstance(got, FileResult) else result.errors).append(got)
            finally:
                if progress:
                    progress(path)
    finally:
        resources.close()
    return result


@dataclass
class _CheckContext:
    """What every file of one `run_check` shares (inherited by --jobs workers through fork)."""

    req: CheckRequest
    explicit: GateConfig | None
    registry: Any
    reg: Any
    configure: Callable[[Any, GateConfig], Any] | None


def _check_one(
    ctx: _CheckContext, path: str, configs: dict[str, GateConfig], resources: Resources
) -> FileResult | FileError:
    """One file through the gate. A UsageError (GateError, a policy's ConfigError, whatever
    `configure` raises) aborts the run."""
    from verifier.attributions.finder import find_attributions
    from verifier.fetch.client import fetch
    from verifier.pipeline import verify_attributions

    req, reg = ctx.req, ctx.reg
    if ctx.explicit is not None:
        base_cfg = ctx.explicit
    else:
        start = path if "://" not in path and path != "-" else "."
        base_cfg = _find_cached(start, configs)
    cfg = apply_overrides(
        base_cfg, fail_on=req.fail_on, reasons=req.reasons, skip_outlets=req.skip_outlets,
        store=req.store, deadline=req.deadline, timeout=req.timeout, offline=req.offline,
    )
    _check_source_files(req.sources)
    opts = build_options(cfg, allow_private=req.allow_private, registry=ctx.registry,
                         resources=resources, open_store=ctx.configure is None)
    opts.discover = req.discover
    opts.local_sources = (*opts.local_sources, *req.local_sources)
    if ctx.configure is not None:
        opts = ctx.configure(opts, cfg)
    try:
        art, raw = read_draft(path, fetcher=lambda url, o=opts: fetch(url, o.fetch, store=o.store),
                              max_bytes=opts.fetch.max_bytes)
    except InputError as e:  # this file only: the others are still checked
        return FileError(path, str(e))
    found_atts = find_attributions(art, reg)
    skip = {(reg.find(n).name if reg.find(n) else n).casefold() for n in cfg.skip_outlets}
    skipped = [a for a in found_atts if a.outlet and a.outlet.casefold() in skip]
    checked = [a for a in found_atts if a not in skipped]
    report = verify_attributions(
        checked, art, sources=_policy_specs(cfg, req.sources), options=opts, input_name=path
    )
    return assess(path, art, raw, report, skipped, cfg)


# --jobs N: a process pool over the input files. The context is left in a module global before the
# pool forks, so neither it nor the CLI's `configure` closure has to be pickled; each worker keeps
# its own policy cache and stores, and sends back the (picklable) FileResult or FileError.
_WORKER: _CheckContext | None = None
_WORKER_CONFIGS: dict[str, GateConfig] = {}


def _fork_context() -> Any:
    import multiprocessing

    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: --jobs falls back to one process
        return None


def _worker_check(path: str) -> FileResult | FileError:
    assert _WORKER is not None
    resources = Resources()
    try:
        return _check_one(_WORKER, path, _WORKER_CONFIGS, resources)
    finally:
        resources.close()


def _run_parallel(ctx: _CheckContext, files: list[str], result: GateResult,
                  progress: Callable[[str], Any] | None) -> None:
    global _WORKER
    from concurrent.futures import ProcessPoolExecutor

    from verifier import pipeline as api  # noqa: F401 - imported once, before the fork

    _WORKER = ctx
    _WORKER_CONFIGS.clear()
    pool = ProcessPoolExecutor(max_workers=min(ctx.req.jobs, len(files)), mp_context=_fork_context())
    try:
        futures = [pool.submit(_worker_check, path) for path in files]
        for path, fut in zip(files, futures, strict=True):
            try:
                got = fut.result()  # in input order; a worker's GateError is raised here, as with one job
                (result.files if isinstance(got, FileResult) else result.errors).append(got)
            finally:
                if progress:
                    progress(path)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _WORKER = None


def _find_cached(start: str, cache: dict[str, GateConfig]) -> GateConfig:
    from verifier.gate.policy import find_config_file

    found = find_config_file(start)
    key = str(found) if found else ""
    if key not in cache:
        cache[key] = load_config(found) if found else GateConfig()
    return cache[key]


def _policy_specs(cfg: GateConfig, trusted: list[str]) -> list[Any]:
    """Sources for one draft: the policy's (a pull request can edit the policy, so its local
    files obey the local_sources allow-list) and the command line's (trusted)."""
    from verifier.sources.resolve import SourceSpec

    return [*(SourceSpec.parse(s, trusted=False) for s in cfg.sources), *(SourceSpec.parse(s) for s in trusted)]


def _check_source_files(sources: list[str]) -> None:
    from verifier.sources.resolve import SourceSpec

    for s in sources:
        loc = SourceSpec.parse(s).location
        if "://" not in loc and not os.path.exists(loc):
            raise GateError(f"source file not found: {loc}")


def check_article(
    text: str,
    *,
    sources: list[str] | dict[str, str] | None = None,
    config: GateConfig | dict[str, Any] | str | Path | None = None,
    format: str = "txt",
    input_name: str = "<text>",
    allow_private: bool = False,
    options: Any = None,
) -> FileResult:
    """Gate one article given as text (for a CMS hook): waivers, positions and policy included.

    `config` is a GateConfig, a `[tool.verifier]`-style dict, a path to verifier.toml /
    pyproject.toml, or None (defaults). `format` is how to read `text`: "txt", "md" or "html".
    `options` (api.Options) replaces the ones built from the policy (the server passes its shared
    store, fetch settings and progress hook). `result.passed`, `result.findings[i].status`,
    `result.to_dict()`."""
    from verifier.gate.policy import parse_config

    if config is None:
        cfg = GateConfig()
    elif isinstance(config, GateConfig):
        cfg = config
    elif isinstance(config, dict):
        cfg = parse_config(config)
    else:
        cfg = load_config(config)
    if isinstance(sources, dict):
        sources = [f"{k}={v}" if k else v for k, v in sources.items()]
    raw = text.lstrip("\ufeff")
    art = parse_article(without_markers(raw, format), input_name, format, input_name)
    resources = Resources()
    try:
        opts = options or build_options(cfg, allow_private=allow_private, resources=resources)
        return gate_article(art, raw, cfg, sources=sources or [], options=opts, input_name=input_name)
    finally:
        resources.close()


def gate_article(
    article: ArticleText, raw: str, cfg: GateConfig, *, sources: list[str], options: Any, input_name: str
) -> FileResult:
    """One article already read (`raw`: the file text positions refer to, "" for none): its
    attributions, skip_outlets, verification against the policy's and the given sources, policy."""
    from verifier.attributions.finder import find_attributions
    from verifier.pipeline import verify_attributions
    from verifier.registry import default_registry

    reg = options.registry or default_registry()
    found = find_attributions(article, reg)
    skip = {(reg.find(n).name if reg.find(n) else n).casefold() for n in cfg.skip_outlets}
    skipped = [a for a in found if a.outlet and a.outlet.casefold() in skip]
    report = verify_attributions([a for a in found if a not in skipped], article,
                                 sources=_policy_specs(cfg, list(sources)), options=options, input_name=input_name)
    return assess(input_name, article, raw, report, skipped, cfg)
