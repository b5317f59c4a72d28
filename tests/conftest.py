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


@pytest.fixture(autouse=True)
def _isolated_evidence_store(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test touches the user's real evidence store or config file: CLI runs that forget
    --store get a throwaway store, and the default config file is disabled."""
    monkeypatch.setenv("VERIFIER_STORE", str(tmp_path_factory.mktemp("store") / "evidence.sqlite3"))
    monkeypatch.setenv("VERIFIER_CONFIG", "")
    for name in ("VERIFIER_NO_STORE", "VERIFIER_MAX_AGE", "VERIFIER_DEADLINE", "VERIFIER_COOKIES",
                 "VERIFIER_IGNORE_ROBOTS", "VERIFIER_USER_AGENT", "VERIFIER_HEADERS"):
        monkeypatch.delenv(name, raising=False)


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
