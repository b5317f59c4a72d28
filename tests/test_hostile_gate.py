"""Gate and CLI input (issue 12, items 11-14): the tool's own reports are never checked as
drafts, unreadable inputs do not stop the readable ones, an empty folder is an error, and git
problems are one clear line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "fixtures" / "founding"
ARTICLE = FOUNDING / "article.txt"
OFFLINE = ["--offline", "--no-store", "--no-discover", "--reason", "no_source=allow", "--skip-outlet", "AFP",
           "--source", f"Guardian={FOUNDING / 'guardian.html'}", "--source", f"Times={FOUNDING / 'times.html'}",
           "--source", f"Financial Times={FOUNDING / 'ft.html'}"]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "verifier", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


def repo(tmp_path: Path, commit: bool = True) -> Path:
    r = tmp_path / "copy"
    r.mkdir()
    git(r, "init", "-q", "-b", "main")
    git(r, "config", "user.email", "desk@example.org")
    git(r, "config", "user.name", "Desk")
    git(r, "config", "commit.gpgsign", "false")
    shutil.copy(ARTICLE, r / "story.txt")
    if commit:
        git(r, "add", ".")
        git(r, "commit", "-q", "-m", "published")
    return r


# ---- item 11 ----------------------------------------------------------------------------------


def test_changed_only_skips_own_reports_and_gitignored_files(tmp_path: Path) -> None:
    r = repo(tmp_path)
    (r / ".gitignore").write_text("scratch/\n", encoding="utf-8")
    (r / "scratch").mkdir()
    shutil.copy(ARTICLE, r / "scratch" / "notes.txt")
    shutil.copy(ARTICLE, r / "new.txt")
    # a first run leaves an HTML report and a Markdown report behind, untracked
    assert run("check", "--changed-only", "--format", "html", *OFFLINE, cwd=r).returncode == 0
    assert run("check", "new.txt", "--format", "markdown", "--output", "report.md", *OFFLINE, cwd=r).returncode == 0
    assert (r / "verifier-report.html").exists() and (r / "report.md").exists()
    shutil.move(r / "verifier-report.html", r / "renamed-report.html")  # still ours, by its mark
    cp = run("check", "--changed-only", "--format", "json", "--output", "report.md", *OFFLINE, cwd=r)
    assert cp.returncode == 0, cp.stderr
    checked = sorted(Path(rep["input"]).name for rep in json.loads((r / "report.md").read_text())["reports"])
    assert checked == ["new.txt"]


# ---- items 12 and 13 ----------------------------------------------------------------------------


def test_missing_input_does_not_stop_the_readable_ones(tmp_path: Path) -> None:
    shutil.copy(ARTICLE, tmp_path / "good.txt")
    cp = run("check", tmp_path / "good.txt", tmp_path / "missing.md", "--format", "json", *OFFLINE)
    assert cp.returncode == 2
    out = json.loads(cp.stdout)
    assert [Path(x["input"]).name for x in out["reports"]] == ["good.txt"]
    assert out["reports"][0]["findings"]
    assert out["errors"][0]["message"].startswith("no such file or directory")
    assert "missing.md" in cp.stderr
    cp = run("check", tmp_path / "good.txt", tmp_path / "missing.md", *OFFLINE)  # text format too
    assert cp.returncode == 2 and "good.txt" in cp.stdout and "missing.md" in cp.stdout


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "image.png").write_bytes(b"\x89PNG")
    cp = run("check", tmp_path / "drafts", *OFFLINE)
    assert cp.returncode == 2
    assert "no article files" in cp.stderr and "0 file(s)" in cp.stdout


# ---- item 14 ------------------------------------------------------------------------------------


def one_line_error(cp: subprocess.CompletedProcess[str]) -> str:
    assert cp.returncode == 2, (cp.stdout, cp.stderr)
    lines = cp.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("verifier: error:"), cp.stderr
    assert "usage" not in lines[0].lower() and "Traceback" not in cp.stderr
    return lines[0]


def test_bad_base_ref_is_one_line(tmp_path: Path) -> None:
    r = repo(tmp_path)
    line = one_line_error(run("check", "--changed-only", "--base", "no-such-branch", *OFFLINE, cwd=r))
    assert "--base no-such-branch" in line


def test_repository_without_commits_is_one_line(tmp_path: Path) -> None:
    r = repo(tmp_path, commit=False)
    line = one_line_error(run("check", "--changed-only", *OFFLINE, cwd=r))
    assert "no commits" in line


def test_not_a_repository_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    shutil.copy(ARTICLE, tmp_path / "d" / "story.txt")
    line = one_line_error(run("check", "--changed-only", *OFFLINE, cwd=tmp_path / "d"))
    assert "not inside a git repository" in line
