"""`verifier audit`: every cross-outlet attribution in a news archive, checked on Dask distributed.

    inputs (WARC / JSONL / Parquet) -> 1 extract -> 2 articles + attributions -> 3 joins (links by
    URL; unlinked citations by outlet and date window) -> 4 judge -> Parquet tables + summary

The same reading (`reader`/`extract`), finding (`attributions.find_attributions`), source
resolution (`sources.resolve_sources`), ranking (`discover`) and judging (`verdict.judge`) code as
every other command. Nothing heavy (Dask, pyarrow) is imported until an audit runs.
"""

from __future__ import annotations

from typing import Any

__all__ = ["AuditConfig", "AuditError", "AuditResult", "run_audit"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from verifier.audit import engine

        return getattr(engine, name)
    raise AttributeError(name)
