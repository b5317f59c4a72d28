"""Load bench for `verifier serve` (a script, not a timed test). Nothing leaves the machine.

    python bench/serve_load.py [--requests 200] [--concurrency 1,8,32] [--max-seconds 60] [--json F]

Starts the sources (the founding example's three pages on a loopback server) and the real server
(`verifier serve --port 0` as its own process, so client and server do not share an interpreter),
warms the evidence store with one check, then for each concurrency level fires `--requests`
checks of the founding draft (8 attributions, 3 sources) from an httpx client on 127.0.0.1 and
waits for each report (`POST /api/v1/checks?wait=30`: one round trip per check). Every loop is
bounded in count and in time (`--max-seconds` per level).

Reports, per level: checks/s (finished reports per wall-clock second), p50/p95 latency of the
finished ones, and every status code seen (429/503 are the server's intended refusals); and the
server's memory (RSS and PSS, psutil) at rest and its peak under load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import httpx  # noqa: E402

ARTICLE = (ROOT / "fixtures" / "founding" / "article.txt").read_text(encoding="utf-8")


def start_server(tmp: Path, max_concurrent: int, queue_size: int) -> tuple[subprocess.Popen[str], str]:
    cfg = tmp / "verifier.toml"
    cfg.write_text(
        '[verifier]\nfail_on = "partial"\n\n'
        f"[serve]\nrate_limit = 0\nmax_concurrent = {max_concurrent}\nqueue_size = {queue_size}\ndiscover = false\n",
        encoding="utf-8",
    )
    exe = Path(sys.executable).with_name("verifier")
    cmd = [str(exe), "serve", "--port", "0", "--config", str(cfg), "--allow-private", "--log-level", "warning",
           "--database", str(tmp / "history.sqlite3"), "--store", str(tmp / "evidence.sqlite3")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=tmp)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("verifier serve: http"):
        proc.kill()
        raise SystemExit(f"server did not start: {line!r}")
    base = line.split(": ", 1)[1].strip().rstrip("/")
    for _ in range(200):
        try:
            if httpx.get(base + "/healthz", trust_env=False).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    return proc, base


class MemorySampler:
    """Peak RSS/PSS of one process, sampled every 50 ms on a thread."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.proc = psutil.Process(pid)
        self.peak_rss = self.peak_pss = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def now(self) -> tuple[int, int]:
        info = self.proc.memory_full_info()
        return info.rss, getattr(info, "pss", info.rss)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                rss, pss = self.now()
            except Exception:  # noqa: BLE001 - the process may be gone at the end
                return
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self._stop.wait(0.05)

    def __enter__(self) -> MemorySampler:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join()


async def level(base: str, body: dict[str, Any], concurrency: int, requests: int, max_seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    codes: Counter[int] = Counter()
    errors: Counter[str] = Counter()
    todo = iter(range(requests))
    started = time.perf_counter()
    stop_at = started + max_seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits, trust_env=False) as client:

        async def worker() -> None:
            for _ in todo:
                if time.perf_counter() > stop_at:
                    return
                t0 = time.perf_counter()
                try:
                    r = await client.post(base + "/api/v1/checks?wait=30", json=body)
                except httpx.HTTPError as e:
                    errors[type(e).__name__] += 1
                    continue
                codes[r.status_code] += 1
                if r.status_code == 200 and r.json().get("status") == "done":
                    latencies.append(time.perf_counter() - t0)
                elif r.status_code in (429, 503):
                    # an intended refusal: honour Retry-After briefly, as a client should
                    await asyncio.sleep(min(1.0, float(r.headers.get("retry-after", "1"))))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - started
    lat = sorted(latencies)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [lat[0] if lat else 0.0] * 99
    return {
        "concurrency": concurrency, "sent": sum(codes.values()) + sum(errors.values()), "done": len(lat),
        "wall_s": round(wall, 2), "checks_per_s": round(len(lat) / wall, 1) if wall else 0.0,
        "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1),
        "codes": dict(sorted(codes.items())), "errors": dict(errors),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=200, help="checks per concurrency level (default 200)")
    ap.add_argument("--concurrency", default="1,8,32")
    ap.add_argument("--max-seconds", type=float, default=60.0, help="time bound per level")
    ap.add_argument("--max-concurrent", type=int, default=4, help="the server's [serve] max_concurrent")
    ap.add_argument("--queue-size", type=int, default=16, help="the server's [serve] queue_size")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()
    from httpserver import TestServer

    results: dict[str, Any] = {"levels": []}
    with TestServer() as sources, tempfile.TemporaryDirectory() as d:
        body = {"text": ARTICLE, "name": "founding.txt", "sources": {
            "Guardian": sources.url("/founding/guardian.html"), "Times": sources.url("/founding/times.html"),
            "Financial Times": sources.url("/founding/ft.html")}}
        proc, base = start_server(Path(d), args.max_concurrent, args.queue_size)
        try:
            warm = httpx.post(base + "/api/v1/checks?wait=30", json=body, trust_env=False, timeout=60).json()
            assert warm["status"] == "done" and warm["summary"]["attributions"] == 8, warm
            with MemorySampler(proc.pid) as mem:
                time.sleep(0.3)
                rest_rss, rest_pss = mem.now()
                for c in (int(x) for x in args.concurrency.split(",")):
                    r = asyncio.run(level(base, body, c, args.requests, args.max_seconds))
                    results["levels"].append(r)
                    print(f"c={c:>3}: {r['checks_per_s']:6.1f} checks/s  p50 {r['p50_ms']:7.1f} ms  "
                          f"p95 {r['p95_ms']:7.1f} ms  done {r['done']}/{r['sent']}  codes {r['codes']}"
                          + (f"  errors {r['errors']}" if r["errors"] else ""), flush=True)
            results["memory_mb"] = {"rest_rss": round(rest_rss / 2**20), "rest_pss": round(rest_pss / 2**20),
                                    "peak_rss": round(mem.peak_rss / 2**20), "peak_pss": round(mem.peak_pss / 2**20)}
            print("memory (MB): " + ", ".join(f"{k} {v}" for k, v in results["memory_mb"].items()))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
