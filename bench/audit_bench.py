"""Bench `verifier audit`: articles/s on a local Dask cluster of 1 and 2 workers over a generated
archive of >= 20,000 articles, peak memory per worker, and the cost split by stage.

    python bench/audit_bench.py [--copies 45] [--generated 420] [--workers 1 2] [--dir build/audit-bench]

The archive is bench/audit_archive.py's test archive repeated `--copies` times (each copy a week
later, at new URLs), so it has the corpus' real outlet markup and citation structure. Figures go to
stdout as Markdown and to DIR/results.json. bench/README.md has the measured table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_archive import build  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=45)
    ap.add_argument("--generated", type=int, default=420)
    ap.add_argument("--files", type=int, default=45)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--dir", default="build/audit-bench")
    a = ap.parse_args(argv)

    from verifier.audit import AuditConfig, run_audit

    root = Path(a.dir)
    archive = root / "archive"
    if not (archive / "ground_truth.json").exists():
        t = time.perf_counter()
        truth = build(archive, a.generated, a.files, a.copies)
        print(f"built {len(truth['pages'])} pages in {len(truth['files'])} files ({time.perf_counter() - t:.0f} s)",
              file=sys.stderr)
    size = sum(p.stat().st_size for p in archive.glob("*.warc.gz"))
    runs = []
    for n in a.workers:
        out = root / f"out-{n}w"
        t = time.perf_counter()
        res = run_audit(AuditConfig(inputs=[str(archive / "*.warc.gz")], output=str(out), workers=n, fresh=True),
                        progress=lambda s, d, tot, n=n: print(f"  {n}w {s}: {d}/{tot}", file=sys.stderr) if d == tot else None)
        wall = time.perf_counter() - t
        stages: dict[str, Counter[str]] = defaultdict(Counter)
        held = {}
        for stage, stats in res.stats.items():
            for s in stats:
                stages[stage].update(s.get("seconds", {}))
            held[stage] = max((s.get("rows_held", 0) for s in stats), default=0)
        articles = res.totals.get("articles", 0)
        runs.append({
            "workers": n, "wall_s": round(wall, 1), "articles": articles, "attributions": res.totals.get("attributions", 0),
            "articles_per_s": round(articles / wall, 1), "archive_mb": round(size / 1e6, 1),
            "task_s": {k: {kk: round(vv, 1) for kk, vv in v.items()} for k, v in stages.items()},
            "task_ms_per_article": round(1000 * sum(v["total"] for v in stages.values()) / max(1, articles), 1),
            "peak_rss_mb_per_worker": sorted(round(v / 1e6) for v in res.worker_peak_rss.values()),
            "max_rows_held_by_a_task": held, "partitions": len(res.stats.get("judge", [])),
            "skipped": res.skipped,
        })
        print(f"{n} worker(s): {articles} articles in {wall:.0f} s = {articles / wall:.1f} articles/s", file=sys.stderr)
    info = {"machine": f"{os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, Python "
                       f"{platform.python_version()}, {platform.system()}", "runs": runs}
    (root / "results.json").write_text(json.dumps(info, indent=1))
    print(f"\n{info['machine']}\n")
    print("| workers | articles | attributions | wall | articles/s | task ms/article | peak RSS per worker |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for r in runs:
        print(f"| {r['workers']} | {r['articles']:,} | {r['attributions']:,} | {r['wall_s']} s | {r['articles_per_s']} |"
              f" {r['task_ms_per_article']} | {', '.join(f'{m} MB' for m in r['peak_rss_mb_per_worker'])} |")
    r = runs[-1]
    total = sum(v["total"] for v in r["task_s"].values())
    print("\n| stage | task time | share | split |\n|---|---:|---:|---|")
    for stage, v in r["task_s"].items():
        split = ", ".join(f"{k} {x} s" for k, x in v.items() if k != "total")
        print(f"| {stage} | {v['total']} s | {100 * v['total'] / total:.0f} % | {split} |")
    print(f"\nlargest partition held by one task, rows: {r['max_rows_held_by_a_task']} (archive: {r['articles']:,} articles)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
