"""The pre-commit hook definition (.pre-commit-hooks.yaml) run by pre-commit in a temporary git
repo. The hook is installed as a `repo: local` hook with the same definition but
`language: system` and the entry run by this interpreter, so no network is needed (the
published `language: python` hook would pip-install the package)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "fixtures" / "founding"
MISQUOTE = ROOT / "tests" / "data" / "misquote.txt"

yaml = pytest.importorskip("yaml", reason="pyyaml (a pre-commit dependency) not installed")
pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git not installed"),
    pytest.mark.skipif(shutil.which("pre-commit") is None and not (Path(sys.executable).parent / "pre-commit").exists(),
                       reason="pre-commit (test dependency) not installed"),
]


def _pre_commit() -> str:
    local = Path(sys.executable).parent / "pre-commit"
    return str(local) if local.exists() else shutil.which("pre-commit")  # type: ignore[return-value]


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)


@pytest.fixture
def newsroom(tmp_path, monkeypatch) -> Path:
    repo = tmp_path / "copy"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "desk@example.org")
    _git(repo, "config", "user.name", "Desk")
    _git(repo, "config", "commit.gpgsign", "false")
    for name in ("guardian.html", "times.html", "ft.html"):
        shutil.copy(FOUNDING / name, repo / name)
    (repo / "verifier.toml").write_text(
        'fail_on = "partial"\noffline = true\nskip_outlets = ["AFP"]\n'
        'sources = ["Guardian=guardian.html", "Times=times.html", "Financial Times=ft.html"]\n'
        'local_sources = ["."]\n\n'
        '[reasons]\nno_source = { level = "allow", only = "people" }\n',
        encoding="utf-8",
    )
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "verifier"]
    assert hook["entry"].split()[0] == "verifier" and hook["language"] == "python"
    local = dict(hook)
    local.pop("minimum_pre_commit_version", None)
    local["language"] = "system"
    local["entry"] = f"{sys.executable} -m verifier " + hook["entry"].split(None, 1)[1]
    local["args"] = ["--format", "github"]
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": "local", "hooks": [local]}]}, sort_keys=False), encoding="utf-8"
    )
    env_path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    monkeypatch.setenv("PYTHONPATH", env_path)
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "sources and policy", "--no-verify")
    return repo


def _run_hook(repo: Path, *files: str) -> subprocess.CompletedProcess:
    return subprocess.run([_pre_commit(), "run", "--files", *files], cwd=repo, capture_output=True, text=True,
                          timeout=300)


def test_hook_fails_on_misquote_with_annotation(newsroom):
    shutil.copy(MISQUOTE, newsroom / "story.txt")
    _git(newsroom, "add", "story.txt")
    r = _run_hook(newsroom, "story.txt")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Failed" in r.stdout
    assert "::error file=story.txt,line=10,col=2," in r.stdout
    assert "article “huge” vs source “significant”" in r.stdout


def test_hook_passes_on_faithful_copy_and_skips_other_files(newsroom):
    shutil.copy(FOUNDING / "article.txt", newsroom / "story.txt")
    (newsroom / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    _git(newsroom, "add", "story.txt", "photo.jpg")
    r = _run_hook(newsroom, "story.txt", "photo.jpg")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout


def test_hook_blocks_git_commit(newsroom):
    r = subprocess.run([_pre_commit(), "install"], cwd=newsroom, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    shutil.copy(MISQUOTE, newsroom / "story.txt")
    _git(newsroom, "add", "story.txt")
    c = subprocess.run(["git", "commit", "-m", "misquote"], cwd=newsroom, capture_output=True, text=True, timeout=300)
    assert c.returncode != 0
    assert "wording_differs" in c.stdout + c.stderr
    log = _git(newsroom, "log", "--oneline").stdout
    assert "misquote" not in log
