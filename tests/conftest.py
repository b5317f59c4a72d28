"""Shared pytest fixtures: loopback HTTP servers (see tests/httpserver.py)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Make `verifier` and `httpserver` importable however pytest is launched (plain `pytest`,
# `python -m pytest`, with or without tests/__init__.py), without installing the package.
_TESTS = Path(__file__).resolve().parent
for _p in (_TESTS.parent, _TESTS):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from httpserver import TestServer  # noqa: E402

from verifier.settings import env as env_registry  # noqa: E402


def isolate_environment(monkeypatch: pytest.MonkeyPatch, store_dir: Path) -> None:
    """No test sees the user's settings: every variable in the registry (verifier.settings.env,
    patterns such as VERIFIER_SITE_<KEY> included) is cleared, CLI runs that forget --store get a
    throwaway store, and the default config file is disabled."""
    for name in list(env_registry.matching()):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VERIFIER_STORE", str(store_dir / "evidence.sqlite3"))
    monkeypatch.setenv("VERIFIER_CONFIG", "")


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    isolate_environment(monkeypatch, tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="session")
def fixture_server() -> Iterator[TestServer]:
    """One server for the session, serving fixtures/ plus the built-in routes.

    Tests that assert on `.requests` should use unique paths or query keys, or call `.reset()`,
    since other tests share the counter.
    """
    with TestServer() as srv:
        yield srv


@pytest.fixture
def make_server() -> Iterator[Callable[..., TestServer]]:
    """Factory for private servers: make_server(root=tmp_path, robots_txt="...")."""
    servers: list[TestServer] = []

    def factory(root: str | Path | None = None, robots_txt: str | None = None) -> TestServer:
        srv = TestServer(root=root, robots_txt=robots_txt).start()
        servers.append(srv)
        return srv

    yield factory
    for srv in servers:
        srv.stop()
