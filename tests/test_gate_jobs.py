"""`verifier check --jobs N`: a process pool over the input files gives the same report, in the
same order, with the same exit code, as one process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verifier.cli.app import app
from verifier.gate import CheckRequest, run_check

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "fixtures" / "founding"
CORPUS = ROOT / "fixtures" / "corpus"
SOURCES = [
    "--offline",
    "--source", f"Guardian={FOUNDING / 'guardian.html'}",
    "--source", f"Times={FOUNDING / 'times.html'}",
    "--source", f"Financial Times={FOUNDING / 'ft.html'}",
]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="--jobs uses a fork process pool")

runner = CliRunner()


def _tree(tmp_path: Path) -> list[str]:
    """Founding copies (txt and md), a misquote, an unreadable (empty) file, and corpus cases
    each with its own verifier.toml naming its sources: per-file policies in the workers."""
    files = []
    for i in range(3):
        p = tmp_path / f"founding_{i}.txt"
        shutil.copy(FOUNDING / "article.txt", p)
        files.append(p)
    md = tmp_path / "founding.md"
    body = "\n\n".join(x for x in (FOUNDING / "article.txt").read_text(encoding="utf-8").splitlines() if x.strip())
    md.write_text("# Reassurance force\n\n" + body + "\n", encoding="utf-8")
    files.append(md)
    shutil.copy(ROOT / "tests" / "data" / "misquote.txt", tmp_path / "misquote.txt")
    files.append(tmp_path / "misquote.txt")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    files.append(tmp_path / "empty.txt")
    for case in sorted(CORPUS.iterdir())[:4]:
        data = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
        d = tmp_path / case.name
        d.mkdir()
        shutil.copy(case / data["article"], d / data["article"])
        # policy sources are files inside the project, in a local_sources folder
        shutil.copytree(case / "sources", d / "sources")
        srcs = [f"{s['name']}={s['location']}" if s.get("name") else s["location"] for s in data.get("sources", [])]
        (d / "verifier.toml").write_text(
            'offline = true\nlocal_sources = ["sources"]\nsources = [' + ", ".join(json.dumps(s) for s in srcs) + "]\n",
            encoding="utf-8",
        )
        files.append(d / data["article"])
    return [str(f) for f in files]


def _check(files: list[str], jobs: int, *extra: str):
    return runner.invoke(app, ["check", *files, *SOURCES, "--format", "json", "--jobs", str(jobs), *extra])


def test_jobs_2_gives_identical_json_and_exit_code(tmp_path):
    files = _tree(tmp_path)
    one = _check(files, 1)
    two = _check(files, 2)
    assert one.exit_code == two.exit_code == 2  # the empty file is an input error; the rest are reported
    assert two.stdout == one.stdout
    out = json.loads(one.stdout)
    assert [r["input"] for r in out["reports"]] == [f for f in files if not f.endswith("empty.txt")]
    assert len(out["errors"]) == 1 and sum(len(r["findings"]) for r in out["reports"]) > 30
    # more workers than files, and the text format too
    assert _check(files[:2], 8).stdout == _check(files[:2], 1).stdout
    t1 = runner.invoke(app, ["check", *files, *SOURCES, "--jobs", "1"])
    t2 = runner.invoke(app, ["check", *files, *SOURCES, "--jobs", "2"])
    assert (t1.exit_code, t1.stdout) == (t2.exit_code, t2.stdout)


def test_jobs_policy_error_in_a_worker_is_a_usage_error(tmp_path):
    files = _tree(tmp_path)
    bad = Path(files[-1]).parent / "verifier.toml"
    bad.write_text('fail_on = "sometimes"\n', encoding="utf-8")
    one = _check(files, 1)
    two = _check(files, 2)
    assert one.exit_code == two.exit_code == 2
    assert "fail_on must be one of" in one.output and one.output == two.output


def test_jobs_python_api_in_input_order(tmp_path):
    files = _tree(tmp_path)[:5]
    req = dict(paths=files, sources=SOURCES[2::2], offline=True)
    seen: list[str] = []
    a = run_check(CheckRequest(**req, jobs=1))
    b = run_check(CheckRequest(**req, jobs=3), progress=seen.append)
    assert seen == files
    assert [f.to_dict() for f in a.files] == [f.to_dict() for f in b.files]


def test_jobs_real_cli_subprocess(tmp_path):
    files = _tree(tmp_path)
    env = {**os.environ, "VERIFIER_STORE": str(tmp_path / "store.sqlite3"), "VERIFIER_CONFIG": ""}
    runs = [
        subprocess.run([sys.executable, "-c", "from verifier.cli.app import main; main()", "check", *files, *SOURCES, "--format", "json",
                        "--jobs", str(n), "--quiet"], capture_output=True, text=True, env=env, cwd=ROOT)
        for n in (1, 2)
    ]
    assert runs[0].returncode == runs[1].returncode == 2
    assert runs[0].stdout == runs[1].stdout and json.loads(runs[0].stdout)["reports"]
