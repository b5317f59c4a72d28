"""What every task of an audit run shares: the `Plan`, the outlet registry it names, and the
task plumbing (done markers, atomic outputs, skipped-row files) that makes a rerun skip finished
tasks and a task run twice write the same files."""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from verifier.audit import rows as R
from verifier.audit.inputs import Skip
from verifier.registry import Registry

VERSION = 1
AGG_TOP_MISQUOTES = 25


@dataclass(frozen=True)
class Plan:
    """What every task of one run shares (small and picklable: it travels with each task)."""

    work: str  # intermediate files (shared storage on a multi-machine cluster)
    output: str  # the tables and summary
    buckets: int  # URL-hash partitions
    groups: int  # outlet-hash groups of the (outlet group, date block) partitions
    window_days: int  # originals within this many days of the citing article
    outlets_files: tuple[str, ...] = ()
    block_days: int = 7  # date blocks of the window partitions


@lru_cache(maxsize=4)
def _registry(files: tuple[str, ...]) -> Registry:
    from verifier.registry import default_registry, load_registry

    return load_registry([Path(p) for p in files]) if files else default_registry()


def registry(plan: Plan) -> Registry:
    return _registry(plan.outlets_files)


# ------------------------------------------------------------------------------ task plumbing


def task_dir(plan: Plan, stage: str, name: str) -> str:
    return os.path.join(plan.work, stage, name)


def is_done(plan: Plan, stage: str, name: str) -> bool:
    return os.path.exists(os.path.join(task_dir(plan, stage, name), "done.json"))


class _Task:
    """Outputs of one task go to a private temporary directory that becomes the task's directory
    in one rename; a second attempt of the same task finding it done keeps the first result."""

    def __init__(self, plan: Plan, stage: str, name: str) -> None:
        self.final = task_dir(plan, stage, name)
        self.tmp = os.path.join(plan.work, stage, f".tmp-{name}-{uuid.uuid4().hex[:8]}")
        os.makedirs(self.tmp, exist_ok=True)

    def path(self, name: str) -> str:
        return os.path.join(self.tmp, name)

    def commit(self, stats: dict[str, Any]) -> dict[str, Any]:
        R.write_json(self.path("done.json"), stats)
        if os.path.exists(self.final):
            # a stale directory of an attempt that died before its marker (or a finished twin)
            if os.path.exists(os.path.join(self.final, "done.json")):
                shutil.rmtree(self.tmp, ignore_errors=True)
                return R.read_json(os.path.join(self.final, "done.json"))
            shutil.rmtree(self.final, ignore_errors=True)
        try:
            os.rename(self.tmp, self.final)
        except OSError:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return R.read_json(os.path.join(self.final, "done.json"))


def _done_stats(plan: Plan, stage: str, name: str) -> dict[str, Any] | None:
    p = os.path.join(task_dir(plan, stage, name), "done.json")
    if os.path.exists(p):
        stats = R.read_json(p)
        stats["resumed"] = True
        return stats
    return None


def _skip_rows(skips: list[Skip], file: str) -> list[dict[str, Any]]:
    return [{"reason": s.reason, "detail": s.detail, "file": file, "offset": s.offset, "url": s.url} for s in skips]


def _write_skipped(plan: Plan, name: str, rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa

    path = os.path.join(plan.output, "skipped", f"part-{name}.parquet")
    R.write_table(path, pa.Table.from_pylist(rows, schema=R.SKIPPED))
