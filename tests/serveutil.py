"""The real `verifier serve` app on uvicorn, on 127.0.0.1, in a background thread (for tests and
the load bench)."""

from __future__ import annotations

import threading
import time
from typing import Any

import uvicorn

from verifier.serve.app import create_app
from verifier.serve.config import ServeConfig
from verifier.serve.options import build_base_options
from verifier.serve.server import bind


class LiveServer:
    """`with LiveServer(cfg) as srv:` -> srv.url("/healthz")."""

    def __init__(self, cfg: ServeConfig, base_options: Any = None) -> None:
        cfg.host = "127.0.0.1"
        self.cfg = cfg
        self._close = None
        if base_options is None:
            base_options, self._close = build_base_options(cfg)
        self.options = base_options
        self.app = create_app(cfg, base_options)
        self.sock = bind("127.0.0.1", 0)
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", lifespan="on",
                                                    timeout_graceful_shutdown=5))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def state(self) -> Any:
        return self.app.state.serve

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.sock.close()
        if self._close is not None:
            self._close()
