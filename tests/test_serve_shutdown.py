"""`verifier serve` as a process: prints its URL, and SIGTERM shuts it down cleanly (running checks
finish within the grace period or are marked interrupted; nothing stored is lost)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (ROOT / "fixtures" / "founding" / "article.txt").read_text(encoding="utf-8")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")


def start(tmp_path: Path, grace: float) -> tuple[subprocess.Popen, str]:
    cfg = tmp_path / "verifier.toml"
    cfg.write_text(f"[verifier]\nfail_on = \"partial\"\n\n[serve]\nshutdown_grace = {grace}\ndiscover = false\n",
                   encoding="utf-8")
    exe = Path(sys.executable).with_name("verifier")
    cmd = [str(exe) if exe.exists() else sys.executable, *([] if exe.exists() else ["-m", "verifier"]),
           "serve", "--port", "0", "--config", str(cfg), "--allow-private", "--log-level", "warning",
           "--database", str(tmp_path / "history.sqlite3"), "--store", str(tmp_path / "evidence.sqlite3")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env={**os.environ, "VERIFIER_CONFIG": ""})
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("verifier serve: http://127.0.0.1:"), line + (proc.stderr.read() if proc.stderr else "")
    base = line.split(": ", 1)[1].strip().rstrip("/")
    end = time.monotonic() + 20
    while time.monotonic() < end:
        try:
            if httpx.get(base + "/healthz", trust_env=False).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not come up")


def rows(tmp_path: Path) -> dict[str, tuple[str, str | None, str | None]]:
    db = sqlite3.connect(tmp_path / "history.sqlite3")
    try:
        return {r[0]: (r[1], r[2], r[3]) for r in db.execute("SELECT id, status, error, report FROM checks")}
    finally:
        db.close()


@pytest.mark.parametrize(("grace", "delay_ms", "expected"), [(15, 1200, "done"), (1, 6000, "interrupted")])
def test_sigterm(tmp_path, fixture_server, grace, delay_ms, expected):
    proc, base = start(tmp_path, grace)
    try:
        src = {"Guardian": fixture_server.url(f"/delay/{delay_ms}/founding/guardian.html")}
        r = httpx.post(base + "/api/v1/checks", json={"text": ARTICLE, "sources": src}, trust_env=False)
        assert r.status_code == 202
        cid = r.json()["id"]
        time.sleep(0.3)  # running, waiting for its slow source
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    status, error, report = rows(tmp_path)[cid]
    assert status == expected
    if expected == "done":
        assert json.loads(report)["summary"]["attributions"] == 8
    else:
        assert "shut down" in error and report is None
