"""The body of `verifier serve` (verifier/cli.py keeps only the option declarations)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable


def serve_main(
    *,
    host: str | None,
    port: int | None,
    config: str | None,
    no_auth: bool,
    allow_private: bool,
    store: str | None,
    database: str | None,
    replay: str | None,
    no_discover: bool,
    new_token: bool,
    hash_token: str | None,
    log_level: str,
    fail: Callable[[str], Exception],
) -> int:
    from verifier.gate.policy import ConfigError
    from verifier.serve.config import hash_token as make_hash
    from verifier.serve.config import load_serve_config
    from verifier.serve.config import new_token as make_token

    if new_token:
        token = make_token()
        print(f"token (give it to the client; it is not stored anywhere): {token}")
        print(f'[serve] tokens entry: "{make_hash(token)}"')
        return 0
    if hash_token is not None:
        if not hash_token.strip():
            raise fail("--hash-token needs the token")
        print(f'"{make_hash(hash_token.strip())}"')
        return 0
    if log_level.lower() not in ("critical", "error", "warning", "info", "debug", "trace"):
        raise fail(f"--log-level: unknown level {log_level!r}")
    if config is not None and not os.path.isfile(config):
        raise fail(f"no such config file: {config}")
    try:
        cfg = load_serve_config(config)
    except ConfigError as e:
        raise fail(str(e)) from None
    if host is not None:
        cfg.host = host
    if port is not None:
        cfg.port = port
    if no_auth:
        cfg.auth = "off"
    cfg.allow_private = allow_private
    if store is not None:
        cfg.store = store
    if database is not None:
        cfg.database = database
    if no_discover:
        cfg.discover = False
    if replay is not None:
        if not os.path.isfile(replay):
            raise fail(f"no such replay file: {replay}")
        cfg.replay = replay
    problems = cfg.problems()
    if problems:
        raise fail(problems[0])

    from verifier.serve.options import build_base_options
    from verifier.serve.server import run

    try:
        opts, close = build_base_options(cfg)
    except ConfigError as e:
        raise fail(str(e)) from None
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(name)s: %(message)s")
    try:
        try:
            return run(cfg, base_options=opts, log_level=log_level.lower())
        except OSError as e:  # the port is taken, the address is not ours, ...
            raise fail(f"cannot listen on {cfg.host}:{cfg.port}: {e.strerror or e}") from None
    finally:
        close()
