"""Config and registry files (issue 12, item 17): validated like the policy file, so an unknown
key or a wrong type is one line naming the key (exit 2), never a silently wrong setting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "fixtures" / "founding" / "article.txt"


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "verifier", *map(str, args)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})


def one_line(cp: subprocess.CompletedProcess[str]) -> str:
    assert cp.returncode == 2, (cp.returncode, cp.stdout, cp.stderr)
    lines = cp.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in cp.stderr and "internal error" not in lines[0], cp.stderr
    return lines[0]


@pytest.mark.parametrize("body,needle", [
    ('[outlet.gazette]\nname = "The Gazette"\naliases = "The Gazette"\n', "aliases must be a list of strings"),
    ('[outlet.gazette]\nname = "The Gazette"\naliasses = ["Gazette"]\n', "unknown key(s) aliasses"),
    ('[outlet.gazette]\nname = "The Gazette"\ndomains = [1, 2]\n', "domains must be a list of strings"),
    ('[outlet.gazette]\nname = "The Gazette"\n[outlet.gazette.discovery]\nsitemapp = "/x"\n', "unknown key sitemapp"),
    ('[outlet.gazette]\nname = "The Gazette"\nreplace = "yes"\n', "replace must be true or false"),
    ('[outlets.gazette]\nname = "The Gazette"\n', "unknown top-level key(s) outlets"),
])
def test_bad_outlet_registry_file(tmp_path: Path, body: str, needle: str) -> None:
    reg = tmp_path / "outlets.toml"
    reg.write_text(body, encoding="utf-8")
    for args in (["outlets", "--outlets", reg], ["extract", ARTICLE, "--outlets", reg],
                 ["check", ARTICLE, "--outlets", reg, "--offline", "--no-store"]):
        line = one_line(run(*args))
        assert needle in line and str(reg) in line, line


def test_registry_from_the_environment_is_validated_too(tmp_path: Path) -> None:
    reg = tmp_path / "outlets.toml"
    reg.write_text('[outlet.gazette]\nname = "The Gazette"\naliases = "The Gazette"\n', encoding="utf-8")
    assert "aliases must be a list" in one_line(run("outlets", env={"VERIFIER_OUTLETS": str(reg)}))
    assert "cannot read outlet registry" in one_line(run("outlets", env={"VERIFIER_OUTLETS": str(tmp_path / "no")}))


def test_good_registry_string_alias_is_not_split_into_letters(tmp_path: Path) -> None:
    reg = tmp_path / "outlets.toml"
    reg.write_text('[outlet.gazette]\nname = "The Gazette"\naliases = ["The Gazette", "Gazette"]\n', encoding="utf-8")
    cp = run("outlets", "--outlets", reg, "--format", "json")
    assert cp.returncode == 0 and '"The Gazette",\n      "Gazette"' in cp.stdout


@pytest.mark.parametrize("body,needle", [
    ('[fetch]\nmax_agee = "1d"\n', "unknown key(s) in [fetch]: max_agee"),
    ('store = "x.sqlite3"\n', "[store] must be a table"),
    ('[fetch]\nignore_robots = "yes"\n', "[fetch] ignore_robots must be true or false"),
    ('[fetch]\nuser_agent = 7\n', "[fetch] user_agent must be a string"),
    ('[fetch]\ndeadline = true\n', "[fetch] deadline must be seconds"),
    ('[fetch.headers]\nX-Token = 5\n', "[fetch.headers] X-Token must be a string"),
    ('[store]\npath = 3\n', "[store] path must be a path string, not int"),
    ('[store]\nmax_age = "soon"\n', "[store] max_age: expected seconds"),
    ('[discovery]\nwayback_api = "file:///etc/passwd"\n', "[discovery] wayback_api must be an http(s) URL"),
    ('[discovery]\nguardian_key = "k"\n', "unknown key(s) in [discovery]: guardian_key"),
    ('[fetch]\noffline = true\n', "[fetch] offline is set in the project's verifier.toml"),
    ('[thresholds]\nquote_partial_min = 60\n', "[thresholds] is set in the project's verifier.toml"),
    ('[fetch]\nmax_size = "lots"\n', "[fetch] max_size: expected a size"),
])
def test_bad_user_config(tmp_path: Path, body: str, needle: str) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(body, encoding="utf-8")
    line = one_line(run("article", ARTICLE, "--config", cfg, "--offline", "--no-store", "--no-discover"))
    assert needle in line, line


@pytest.mark.parametrize("body,needle", [
    ("[thresholds]\nquote_partial_min = 150\n", "threshold quote_partial_min must be a number from 0 to 100"),
    ('[thresholds]\nclaim_supported_min = "60%"\n', "threshold claim_supported_min must be a number"),
    ("[thresholds]\nquote_min = 50\n", "unknown threshold 'quote_min'"),
    ('[fetch]\nuser_agent = "x"\n', "[fetch] user_agent is set in the user config file"),
    ('[discovery]\nguardian_api_key = "k"\n', "[discovery] guardian_api_key is set in the user config file"),
    ('reasons = "warn"\n', "reasons must be a table"),
    ('[store]\npath = ""\n', "[store] path must be a path string"),
])
def test_bad_project_file(tmp_path: Path, body: str, needle: str) -> None:
    (tmp_path / "verifier.toml").write_text(body, encoding="utf-8")
    line = one_line(run("check", ARTICLE, "--policy", tmp_path / "verifier.toml", "--offline", "--no-store"))
    assert needle in line and "verifier.toml" in line, line
