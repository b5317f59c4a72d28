"""`verifier serve`: a newsroom web service on the library API.

    ServeConfig (config.py)  <- the server's verifier.toml: [serve] table, policy, [fetch]
    app.py       Starlette app: the page at `/`, the HTTP API under /api/v1, problem details
    http_helpers.py  security headers, problem responses, body limits, SSE framing, the form
    jobs.py      bounded queue of checks run on worker threads, progress events, webhooks
    checks.py    one request -> the gate (`verifier.gate.core`) -> the `check --format json` report
    history.py   report history in SQLite
    server.py    uvicorn, start-up banner, clean SIGTERM shutdown

Nothing here is imported by the CLI until `verifier serve` runs, so `verifier --help` stays fast.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ServeConfig", "create_app", "load_serve_config", "run"]


def __getattr__(name: str) -> Any:
    if name in ("ServeConfig", "load_serve_config"):
        from verifier.serve import config

        return getattr(config, name)
    if name == "create_app":
        from verifier.serve.app import create_app

        return create_app
    if name == "run":
        from verifier.serve.server import run

        return run
    raise AttributeError(f"module 'verifier.serve' has no attribute {name!r}")
