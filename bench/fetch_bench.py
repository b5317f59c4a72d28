"""Fetch benchmark: N loopback sources, each answered after a fixed latency, fetched concurrently
(one fetch_many call, as the verifier does) vs sequentially (one fetch after another).

    python bench/fetch_bench.py [--sources 10] [--latency-ms 300] [--runs 5]

`run()` returns one dict per mode for bench/run.py:
    {"bench": "fetch", "mode": "concurrent"|"sequential", "sources": 10, "latency_ms": 300,
     "runs": 5, "median_s": ..., "min_s": ..., "max_s": ..., "speedup": ...}
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier.fetch.client import FetchConfig, fetch, fetch_many  # noqa: E402


class _Slow(BaseHTTPRequestHandler):
    latency = 0.3

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        if self.path == "/robots.txt":
            body, code = b"User-agent: *\nAllow: /\n", 200
        else:
            time.sleep(self.latency)
            body, code = f"<html><body><p>source {self.path}</p></body></html>".encode(), 200
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def _server(latency: float) -> ThreadingHTTPServer:
    handler = type("SlowHandler", (_Slow,), {"latency": latency})
    # The stdlib default listen backlog is 5: ten simultaneous connects would overflow it and the
    # kernel's SYN retry (1 s) would be measured instead of the fetch stage.
    server_cls = type("Server", (ThreadingHTTPServer,), {"request_queue_size": 128})
    srv = server_cls(("127.0.0.1", 0), handler)
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def run(sources: int = 10, latency_ms: int = 300, runs: int = 5) -> list[dict[str, Any]]:
    """Median wall time of fetching `sources` URLs concurrently and sequentially."""
    srv = _server(latency_ms / 1000)
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    # All sources on one loopback host, so lift the per-host limit (default 2) to measure the
    # concurrency of the fetch stage itself; robots.txt is fetched (once per run) as in production.
    config = FetchConfig(allow_private=True, concurrency=sources, per_host=sources, retries=0)
    times: dict[str, list[float]] = {"concurrent": [], "sequential": []}
    try:
        for i in range(runs):
            urls = [f"{base}/s/{i}/{n}" for n in range(sources)]
            t0 = time.perf_counter()
            results = fetch_many(urls, config)
            times["concurrent"].append(time.perf_counter() - t0)
            assert all(r.error is None for r in results.values()), [r.error for r in results.values()]
            t0 = time.perf_counter()
            for u in urls:
                r = fetch(u + "?seq", config)
                assert r.error is None, r.error
            times["sequential"].append(time.perf_counter() - t0)
    finally:
        srv.shutdown()
        srv.server_close()
    seq = statistics.median(times["sequential"])
    rows = []
    for mode, ts in times.items():
        med = statistics.median(ts)
        rows.append({
            "bench": "fetch", "mode": mode, "sources": sources, "latency_ms": latency_ms, "runs": runs,
            "median_s": round(med, 3), "min_s": round(min(ts), 3), "max_s": round(max(ts), 3),
            "speedup": round(seq / med, 2),
        })
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    r0 = rows[0]
    t = Table("mode", "median (s)", "min (s)", "max (s)", "speedup vs sequential",
              title=f"fetch: {r0['sources']} loopback sources x {r0['latency_ms']} ms, {r0['runs']} runs")
    for r in rows:
        t.add_row(r["mode"], f"{r['median_s']:.3f}", f"{r['min_s']:.3f}", f"{r['max_s']:.3f}", f"{r['speedup']:.1f}x")
    Console().print(t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=10)
    ap.add_argument("--latency-ms", type=int, default=300)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    print_table(run(a.sources, a.latency_ms, a.runs))


if __name__ == "__main__":
    main()
