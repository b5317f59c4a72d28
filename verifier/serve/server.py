"""Run the app on uvicorn: bind, print the URL, serve until SIGINT/SIGTERM, shut down cleanly.

On SIGTERM the server stops admitting checks at once (new ones and /healthz get 503), lets running
checks finish for `shutdown_grace` seconds, marks the rest `interrupted` in the history, closes the
history and the evidence store, and exits 0.
"""

from __future__ import annotations

import signal
import socket
import sys
from typing import Any, TextIO

from verifier.serve.config import ServeConfig


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port), so the printed URL is the real one."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, _, proto, _, addr = infos[0]
    # proto must be IPPROTO_TCP (not 0): asyncio sets TCP_NODELAY on accepted connections only then,
    # and without it every response waits ~40 ms on Nagle's algorithm and delayed ACKs
    sock = socket.socket(family, socket.SOCK_STREAM, proto or socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    sock.bind(addr)
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def banner(cfg: ServeConfig, url: str) -> list[str]:
    lines = [f"verifier serve: {url}"]
    if cfg.auth == "off":
        lines.append("verifier serve: --no-auth: authentication is OFF; for local use only")
    elif cfg.auth_required:
        lines.append(f"verifier serve: bearer token required ({len(cfg.token_hashes)} token(s) configured)")
    else:
        lines.append("verifier serve: no token needed on a loopback address; "
                     "anyone on this machine can use it")
    if cfg.allow_private:
        lines.append("verifier serve: --allow-private: sources on private and loopback addresses are fetched")
    if cfg.replay:
        lines.append(f"verifier serve: replay mode: every fetch is answered from {cfg.replay}")
    return lines


def run(cfg: ServeConfig, *, base_options: Any = None, log_level: str = "info", out: TextIO | None = None) -> int:
    import uvicorn

    from verifier.serve.app import create_app

    out = out or sys.stdout
    app = create_app(cfg, base_options)
    sock = bind(cfg.host, cfg.port)

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            st = getattr(app.state, "serve", None)
            if st is not None:  # refuse new checks from the first signal on
                st.runner.accepting = False
            super().handle_exit(sig, frame)

    config = uvicorn.Config(
        app, log_level=log_level, lifespan="on", server_header=False, proxy_headers=False,
        timeout_graceful_shutdown=int(max(1, cfg.shutdown_grace)), timeout_keep_alive=5,
    )
    server = Server(config)
    for line in banner(cfg, url_of(sock)):
        print(line, file=out, flush=True)
    # uvicorn re-raises the signal that stopped it once it has shut down; with these handlers in
    # place that re-raise is a no-op, so a clean shutdown exits 0 instead of dying by the signal
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if server.started else 3
