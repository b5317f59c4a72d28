"""Run the audit's stages on Dask distributed: a local cluster, or a scheduler given by address.

The stages (stages.py) are submitted as one Dask task per partition, stage after stage; the
scheduler places them on workers, re-runs a task whose worker dies, and serves the dashboard.
Between stages the data moves through the work directory (the shuffle files), so a run that is
killed resumes from the last finished partitions, and no worker ever holds more than the
partitions of the tasks it runs.
"""

from __future__ import annotations

import glob
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from verifier.audit import rows as R
from verifier.audit import stages as S
from verifier.audit.inputs import expand_inputs
from verifier.errors import UsageError

ProgressFn = Callable[[str, int, int], Any]  # (stage, done, total)


class AuditError(UsageError):
    """A usage problem with the whole run (exit code 2): no inputs, a different run in --output."""


@dataclass
class AuditConfig:
    inputs: list[str]
    output: str
    scheduler: str | None = None  # tcp://host:8786; None = a local cluster on this machine
    workers: int | None = None  # local cluster size (default: one per core)
    partitions: int | None = None  # URL buckets (default: from the number of input splits)
    window_days: int = 3
    outlets_files: list[str] = field(default_factory=list)
    fresh: bool = False  # discard a previous run's partial results in --output
    memory_limit: str | None = None  # per local worker, e.g. "4GB" (default: Dask's share of RAM)


@dataclass
class AuditResult:
    output: str
    summary_html: str
    summary_md: str
    stats: dict[str, list[dict[str, Any]]]
    dashboard: str | None
    totals: dict[str, int]
    skipped: dict[str, int]
    seconds: float
    worker_peak_rss: dict[str, int] = field(default_factory=dict)  # worker address -> bytes

    @property
    def resumed_tasks(self) -> int:
        return sum(1 for rows in self.stats.values() for s in rows if s.get("resumed"))


def _manifest(cfg: AuditConfig, splits: list[str], buckets: int) -> dict[str, Any]:
    return {
        "version": S.VERSION,
        "inputs": splits,
        "buckets": buckets,
        "window_days": cfg.window_days,
        "outlets_files": [os.path.abspath(p) for p in cfg.outlets_files],
    }


def prepare(cfg: AuditConfig) -> tuple[S.Plan, list[tuple[str, str]]]:
    """The run's plan and its splits; checks --output against an earlier run there."""
    try:
        files = expand_inputs(cfg.inputs)
    except Exception as e:  # noqa: BLE001 - any failure to list inputs is a usage error
        raise AuditError(str(e)) from e
    for p in cfg.outlets_files:
        if not os.path.isfile(p):
            raise AuditError(f"no such outlet registry file: {p}")
    if cfg.window_days < 0 or cfg.window_days > 60:
        raise AuditError("--date-window must be between 0d and 60d")
    out = os.path.abspath(cfg.output)
    work = os.path.join(out, "_work")
    manifest_path = os.path.join(work, "manifest.json")
    # one URL bucket per input file (a CC-NEWS file holds tens of thousands of pages): enough
    # partitions to keep every worker busy, few enough that the output files are not tiny
    buckets = cfg.partitions or max(4, min(1024, len(files)))
    if os.path.exists(manifest_path) and not cfg.fresh:
        old = R.read_json(manifest_path)
        wanted = _manifest(cfg, files, old.get("buckets", buckets) if cfg.partitions is None else buckets)
        if old != wanted:
            raise AuditError(f"{cfg.output} holds a different audit (other inputs or settings); "
                             "use another --output, or --fresh to discard it")
        buckets = old["buckets"]
    elif cfg.fresh:
        for sub in ("_work", "articles", "attributions", "findings", "skipped"):
            shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    if not os.path.exists(manifest_path):
        R.write_json(manifest_path, _manifest(cfg, files, buckets))
    # outlet groups: enough window partitions to spread the work, few enough that the shuffle
    # files (one per URL bucket and window partition) stay few
    plan = S.Plan(work=work, output=out, buckets=buckets, groups=max(1, buckets // 8), window_days=cfg.window_days,
                  outlets_files=tuple(os.path.abspath(p) for p in cfg.outlets_files))
    splits = [(f"s{i:05d}", f) for i, f in enumerate(files)]
    return plan, splits


def _client(cfg: AuditConfig):  # noqa: ANN202 - distributed.Client
    import dask
    from distributed import Client, LocalCluster

    # tasks are Python-heavy: one thread per worker process, and no work stealing surprises
    dask.config.set({"distributed.scheduler.work-stealing": True, "distributed.worker.daemon": False})
    if cfg.scheduler:
        return Client(cfg.scheduler, timeout="30s"), None
    n = cfg.workers or os.cpu_count() or 1
    cluster = LocalCluster(
        n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0",
        memory_limit=cfg.memory_limit or "auto", silence_logs=40,
    )
    return Client(cluster), cluster


def _run_stage(client, name: str, fn, items: list[tuple], progress: ProgressFn | None) -> list[dict[str, Any]]:  # noqa: ANN001
    from distributed import as_completed

    if not items:
        if progress:
            progress(name, 0, 0)
        return []
    token = uuid.uuid4().hex[:8]
    # retries: a task whose worker died is re-run by the scheduler anyway; these cover a task
    # that raised (e.g. a file system hiccup on shared storage)
    futures = [client.submit(fn, *args, key=f"audit-{name}-{i}-{token}", pure=False, retries=2)
               for i, args in enumerate(items)]
    out = []
    if progress:
        progress(name, 0, len(futures))
    for i, fut in enumerate(as_completed(futures), 1):
        out.append(fut.result())
        if progress:
            progress(name, i, len(futures))
    return out


def run_audit(cfg: AuditConfig, progress: ProgressFn | None = None,
              on_client: Callable[[Any], Any] | None = None) -> AuditResult:
    """The whole audit. `progress(stage, done, total)` is called as partitions finish;
    `on_client(client)` once the cluster is up (the CLI prints the dashboard link there)."""
    from verifier.audit.summary import write_summary

    t0 = time.perf_counter()
    plan, splits = prepare(cfg)
    client, cluster = _client(cfg)
    stats: dict[str, list[dict[str, Any]]] = {}
    try:
        if on_client is not None:
            on_client(client)
        stats["extract"] = _run_stage(client, "extract", S.extract_split,
                                      [(plan, sid, f) for sid, f in splits], progress)
        split_ids = [sid for sid, _ in splits]
        stats["articles"] = _run_stage(client, "articles", S.build_bucket,
                                       [(plan, k, split_ids) for k in range(plan.buckets)], progress)
        partitions = sorted({p for s in stats["articles"] for p in s.get("search_partitions", [])})
        stats["links"] = _run_stage(client, "links", S.link_join, [(plan, k) for k in range(plan.buckets)], progress)
        stats["window"] = _run_stage(client, "window", S.window_join, [(plan, p) for p in partitions], progress)
        stats["judge"] = _run_stage(client, "judge", S.judge_bucket, [(plan, k) for k in range(plan.buckets)], progress)
        dashboard = client.dashboard_link
        try:
            peak = client.run(_peak_rss)
        except Exception:  # noqa: BLE001 - a figure for the bench, never worth failing a run
            peak = {}
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    aggregates = [R.read_json(p) for p in sorted(glob.glob(os.path.join(plan.work, "s4", "b*", "aggregate.json")))]
    skipped: dict[str, int] = {}
    for st in stats["extract"] + stats["articles"]:
        for reason, n in st.get("skipped", {}).items():
            skipped[reason] = skipped.get(reason, 0) + n
    html_path, md_path, totals = write_summary(plan, aggregates, skipped, stats)
    return AuditResult(plan.output, html_path, md_path, stats, dashboard, totals, skipped, time.perf_counter() - t0,
                       peak)


def _peak_rss() -> int:
    """Peak resident memory of this (worker) process, in bytes."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024
