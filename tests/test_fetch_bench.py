"""bench/fetch_bench.py runs and shows the concurrency win (small sizes to stay fast)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from fetch_bench import run  # noqa: E402


def test_fetch_bench_run_reports_both_modes() -> None:
    rows = run(sources=6, latency_ms=200, runs=1)
    by_mode = {r["mode"]: r for r in rows}
    assert set(by_mode) == {"concurrent", "sequential"}
    assert by_mode["sequential"]["median_s"] >= 1.2  # 6 x 200 ms one after another
    assert by_mode["concurrent"]["median_s"] < 0.8
    assert by_mode["concurrent"]["speedup"] > 1.5
