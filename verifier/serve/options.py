"""The server's shared api.Options, built once at start-up from its config, exactly as
`verifier check --policy FILE --config FILE` builds them per file: the policy's fetch settings,
the [fetch] table, the evidence store (shared with the CLI), discovery and an optional replay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from verifier.gate.policy import ConfigError
from verifier.serve.config import ServeConfig


def build_base_options(cfg: ServeConfig) -> tuple[Any, Callable[[], None]]:
    """(api.Options, close). Raises ConfigError with one line for a bad setting."""
    from verifier.cli.options import LazyStore, NetOptions, OptionError
    from verifier.gate.core import GateError, _Resources, build_options

    resources = _Resources()
    try:
        opts = build_options(cfg.policy, allow_private=cfg.allow_private, resources=resources, open_store=False)
    except GateError as e:
        raise ConfigError(str(e)) from e
    net = NetOptions(
        store=cfg.store or cfg.policy.store, no_store=cfg.no_store,
        config=str(cfg.path) if cfg.path else None,
        deadline=str(cfg.policy.deadline) if cfg.policy.deadline else None, progress=False,
    )
    try:
        net.apply(opts)
    except OptionError as e:
        resources.close()
        raise ConfigError(str(e)) from e
    if isinstance(opts.store, LazyStore):
        try:
            opts.store = opts.store.store  # opened now: worker threads must not race to open it
        except Exception as e:  # noqa: BLE001 - one line to the operator
            raise ConfigError(f"cannot open evidence store {net.store or ''}: {e}") from e
    opts.discover = cfg.discover
    from verifier.pipeline import DocumentCache

    opts.documents = DocumentCache()  # warm sources are not parsed again for every check
    closers: list[Callable[[], None]] = [net.close, resources.close]
    if opts.store is not None and not isinstance(opts.store, LazyStore):
        store = opts.store
        closers.insert(0, store.close)
    if cfg.replay:
        from verifier.sources.discover.replay import ProviderReplay

        try:
            rp = ProviderReplay.from_file(cfg.replay)
        except (OSError, ValueError, KeyError) as e:
            raise ConfigError(f"bad replay file {cfg.replay}: {e}") from e
        rp.__enter__()
        rp.apply(opts)  # every URL answered from the replay, in process (demos and tests)
        closers.insert(0, lambda: rp.__exit__(None, None, None))

    def close() -> None:
        for c in closers:
            try:
                c()
            except Exception:  # noqa: BLE001,S110 - closing must not mask shutdown
                pass

    return opts, close
