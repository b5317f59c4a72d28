"""`verifier serve`: the newsroom web service (verifier/serve/)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Annotated

import typer

from verifier.cli.common import NoDiscoverOpt, ReplayOpt
from verifier.errors import UsageError


def serve(
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option("--port", min=0, max=65535, help="Port (default 8321; 0: any free port).")] = None,
    config: Annotated[
        str | None, typer.Option("--config", metavar="FILE", help="Server config: policy, \\[fetch] and \\[serve] tables "
                                 "(see the README's 'Run it for your newsroom').")
    ] = None,
    no_auth: Annotated[bool, typer.Option("--no-auth", help="No bearer tokens (local use only: loopback addresses).")] = False,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Fetch sources on loopback/private addresses (a server flag, "
                           "never a request field).")
    ] = False,
    store: Annotated[
        str | None, typer.Option("--store", envvar="VERIFIER_STORE", metavar="PATH",
                                 help="Evidence store shared with the CLI. Default: the policy's, else the user cache dir.")
    ] = None,
    database: Annotated[str | None, typer.Option("--database", metavar="PATH", help="Report history (SQLite).")] = None,
    replay: ReplayOpt = None,
    no_discover: NoDiscoverOpt = False,
    new_token: Annotated[bool, typer.Option("--new-token", help="Print a new bearer token and its hash, then exit.")] = False,
    hash_token: Annotated[
        str | None, typer.Option("--hash-token", metavar="TOKEN", help="Print the [serve] tokens entry for TOKEN, then exit.")
    ] = None,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "info",
) -> int:
    """Run the newsroom web service: the page at / and the HTTP API under /api/v1 (SIGTERM stops it cleanly).

    Example: verifier serve --config verifier.toml --host 0.0.0.0 --port 8321
    """
    return serve_main(host=host, port=port, config=config, no_auth=no_auth, allow_private=allow_private,
                      store=store, database=database, replay=replay, no_discover=no_discover, new_token=new_token,
                      hash_token=hash_token, log_level=log_level)


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
    fail: Callable[[str], Exception] = UsageError,
) -> int:
    """The server's settings from --config and the flags, then the server until it stops.
    UsageError (exit 2) for a bad setting or a port that cannot be listened on."""
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
    cfg = load_serve_config(config)  # ConfigError: a UsageError
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

    opts, close = build_base_options(cfg)  # ConfigError: a UsageError
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(name)s: %(message)s")
    try:
        try:
            return run(cfg, base_options=opts, log_level=log_level.lower())
        except OSError as e:  # the port is taken, the address is not ours, ...
            raise fail(f"cannot listen on {cfg.host}:{cfg.port}: {e.strerror or e}") from None
    finally:
        close()
