"""Hostile local-file input (issue 12, items 1 and 4): a draft must not make the verifier read
local files outside an allow-list of project folders, special files are never read, and every
local read is capped like an HTTP body. Nothing read from a refused source reaches any output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "fixtures" / "founding"
SECRET = "hunter2-TOPSECRET-token"
# the founding story's Guardian attribution, checked against the founding Guardian page
GUARDIAN_CLAIM = ("The UK-France proposal — attributed to unnamed western officials — would likely focus on air "
                  "and maritime defence, with “minimal” forces on the ground and none near the eastern frontline,")
FORMATS = ("json", "text", "markdown", "github", "junit", "html")


def run(*args: str | Path, cwd: Path | None = None, stdin: str | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "verifier", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, input=stdin, timeout=timeout)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with a sources/ folder holding the Guardian page, and a secrets file
    outside the project (what a CI runner's home looks like to a hostile draft)."""
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / ".env").write_text(
        f"AWS_SECRET_ACCESS_KEY={SECRET}\n{GUARDIAN_CLAIM} the Guardian newspaper said.\n", encoding="utf-8")
    proj = tmp_path / "proj"
    (proj / "sources").mkdir(parents=True)
    shutil.copy(FOUNDING / "guardian.html", proj / "sources" / "guardian.html")
    return proj


def draft(proj: Path, link: str, name: str = "draft.md") -> Path:
    p = proj / name
    p.write_text(f"# Story\n\n{GUARDIAN_CLAIM} [the Guardian newspaper said]({link}).\n", encoding="utf-8")
    return p


def check_json(path: Path, *extra: str) -> dict:
    cp = run("check", path, "--format", "json", "--no-store", "--offline", *extra)
    assert cp.returncode in (0, 1), cp.stderr
    return json.loads(cp.stdout)


def only_finding(out: dict) -> dict:
    [report] = out["reports"]
    [finding] = report["findings"]
    return finding


# ---- item 1: links inside a draft ---------------------------------------------------------------


@pytest.mark.parametrize("link", ["../home/.env", "{home}/.env", "file://{home}/.env", "file:///etc/passwd",
                                  "ftp://example.org/x.html", "/dev/zero"])
def test_draft_links_to_local_files_are_refused_and_nothing_is_read(project: Path, link: str) -> None:
    path = draft(project, link.format(home=project.parent / "home"))
    f = only_finding(check_json(path))
    assert (f["verdict"], f["reason"]) == ("unverified", "source_refused"), f
    assert "nothing was read" in f["explanation"]
    for fmt in FORMATS:
        cp = run("check", path, "--format", fmt, "--no-store", "--offline", "--output", project / f"out.{fmt}")
        assert cp.returncode == 1, cp.stderr
        assert SECRET not in (project / f"out.{fmt}").read_text(encoding="utf-8") + cp.stderr


def test_relative_link_resolves_against_the_draft_folder_and_needs_the_allow_list(project: Path,
                                                                                   tmp_path: Path) -> None:
    path = draft(project, "sources/guardian.html")
    # no allow-list: refused, even inside the project
    assert only_finding(check_json(path))["reason"] == "source_refused"
    # allowed folder, run from another working directory: read relative to the draft's folder
    (project / "verifier.toml").write_text('local_sources = ["sources"]\n', encoding="utf-8")
    cp = run("check", path, "--format", "json", "--no-store", "--offline", cwd=tmp_path)
    f = only_finding(json.loads(cp.stdout))
    assert f["verdict"] == "confirmed", f
    # the --local-sources flag works without a policy, for `article` too
    (project / "verifier.toml").unlink()
    assert only_finding(check_json(path, "--local-sources", str(project / "sources")))["verdict"] == "confirmed"
    cp = run("article", path, "--format", "json", "--no-store", "--offline", "--local-sources", project / "sources")
    assert json.loads(cp.stdout)["findings"][0]["verdict"] == "confirmed", cp.stdout


def test_symlink_out_of_the_allowed_folder_is_refused(project: Path) -> None:
    (project / "verifier.toml").write_text('local_sources = ["sources"]\n', encoding="utf-8")
    (project / "sources" / "innocent.html").symlink_to(project.parent / "home" / ".env")
    (project / "sources" / "zero.html").symlink_to("/dev/zero")
    for name in ("innocent.html", "zero.html"):
        f = only_finding(check_json(draft(project, f"sources/{name}")))
        assert f["reason"] == "source_refused", f
        assert SECRET not in json.dumps(f)


def test_hidden_and_special_files_inside_the_allowed_folder_are_refused(project: Path) -> None:
    (project / "verifier.toml").write_text('local_sources = ["."]\n', encoding="utf-8")
    shutil.copy(project.parent / "home" / ".env", project / ".env")
    os.mkfifo(project / "sources" / "pipe.html")  # a FIFO with no writer: reading it would hang
    t0 = time.monotonic()
    for link in (".env", "sources/pipe.html"):
        f = only_finding(check_json(draft(project, link)))
        assert f["reason"] == "source_refused", f
    assert time.monotonic() - t0 < 60


def test_policy_sources_obey_the_allow_list_but_command_line_sources_are_trusted(project: Path) -> None:
    secret = project.parent / "home" / ".env"
    path = project / "story.txt"
    path.write_text(f"{GUARDIAN_CLAIM} the Guardian newspaper said.\n", encoding="utf-8")
    (project / "verifier.toml").write_text(f'sources = ["Guardian={secret}"]\n', encoding="utf-8")
    f = only_finding(check_json(path))
    assert f["reason"] == "source_refused" and SECRET not in json.dumps(f)
    (project / "verifier.toml").write_text("", encoding="utf-8")
    f = only_finding(check_json(path, "--source", f"Guardian={project / 'sources' / 'guardian.html'}"))
    assert f["verdict"] == "confirmed"


def test_policy_local_sources_outside_the_project_is_an_error(project: Path) -> None:
    (project / "verifier.toml").write_text('local_sources = ["../home"]\n', encoding="utf-8")
    cp = run("check", draft(project, "x.html"), "--no-store", "--offline")
    assert cp.returncode == 2
    assert "local_sources" in cp.stderr and "outside the project" in cp.stderr
    assert len(cp.stderr.strip().splitlines()) == 1


def test_command_line_special_file_source_is_refused(project: Path) -> None:
    path = project / "story.txt"
    path.write_text(f"{GUARDIAN_CLAIM} the Guardian newspaper said.\n", encoding="utf-8")
    t0 = time.monotonic()
    cp = run("article", path, "--source", "Guardian=/dev/zero", "--format", "json", "--no-store", "--offline")
    assert cp.returncode == 0, cp.stderr
    f = json.loads(cp.stdout)["findings"][0]
    assert f["reason"] == "source_refused" and "not a regular file" in f["explanation"]
    assert time.monotonic() - t0 < 60


# ---- item 4: local reads are capped ----------------------------------------------------------------


@pytest.mark.parametrize("cmd", ["article", "check"])
def test_article_device_file_is_one_line_exit_2(cmd: str) -> None:
    cp = run(cmd, "/dev/zero", "--no-store", "--offline", timeout=60)
    assert cp.returncode == 2, cp.stderr
    lines = cp.stderr.strip().splitlines()
    assert any("/dev/zero" in line and "not a regular file" in line for line in lines), cp.stderr
    assert "Traceback" not in cp.stderr


def test_article_larger_than_the_cap_is_exit_2(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(f"{GUARDIAN_CLAIM} the Guardian newspaper said.\n" * 2000, encoding="utf-8")  # ~400 KB
    cp = run("article", big, "--no-store", "--offline", "--max-size", "100KB")
    assert cp.returncode == 2
    assert cp.stderr.strip().splitlines() == [
        f"verifier: error: {big} is too large (over the 100 KB limit; --max-size raises it)"]
    cp = run("check", big, "--no-store", "--offline", "--max-size", "100KB", "--format", "json")
    assert cp.returncode == 2 and "too large" in json.loads(cp.stdout)["errors"][0]["message"]
    cp = run("article", "-", "--no-store", "--offline", "--max-size", "100KB", stdin=big.read_text(encoding="utf-8"))
    assert cp.returncode == 2 and "standard input is too large" in cp.stderr


def test_source_larger_than_the_cap_is_source_unavailable(project: Path) -> None:
    path = project / "story.txt"
    path.write_text(f"{GUARDIAN_CLAIM} the Guardian newspaper said.\n", encoding="utf-8")
    page = project / "sources" / "guardian.html"  # 12 KB
    cp = run("article", path, "--source", f"Guardian={page}", "--format", "json", "--no-store", "--offline",
             "--max-size", "10KB")
    f = json.loads(cp.stdout)["findings"][0]
    assert (f["reason"], cp.returncode) == ("source_unavailable", 0), cp.stderr
    assert "too large" in f["explanation"]


def test_fifo_article_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    cp = run("article", fifo, "--no-store", "--offline", timeout=60)
    assert cp.returncode == 2 and "a FIFO" in cp.stderr


def test_max_size_must_be_a_size() -> None:
    cp = run("article", "-", "--max-size", "lots", stdin="x")
    assert cp.returncode == 2 and "--max-size" in cp.stderr


# ---- item 16: Markdown link destinations with parentheses -------------------------------------------


@pytest.mark.parametrize("md,url", [
    ("[the Guardian](https://en.wikipedia.org/wiki/Foo_(bar)) said", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ("[x](https://a.example/c_(d)_(e)) said", "https://a.example/c_(d)_(e)"),
    ("[x](https://a.example/c_((d))) said", "https://a.example/c_((d))"),
    ("[x](https://a.example/c\\)d) said", "https://a.example/c)d"),
    ("[x](<https://a.example/c(d>) said", "https://a.example/c(d"),
    ("[x](https://a.example/c_(d) \"title\") said", "https://a.example/c_(d)"),
    ("(see https://a.example/wiki/Foo_(bar)_(baz)) said", "https://a.example/wiki/Foo_(bar)_(baz)"),
])
def test_markdown_link_urls_keep_their_parentheses(md: str, url: str) -> None:
    from verifier.read.reader import markdown_to_article

    art = markdown_to_article(md, "x.md")
    assert [link.url for link in art.links] == [url]
    if md.startswith("["):  # nothing of the destination is left over in the text
        assert art.text == f"{art.links[0].text} said"


def test_nul_bytes_and_control_characters_in_paths(project: Path) -> None:
    (project / "verifier.toml").write_text('local_sources = ["."]\n', encoding="utf-8")
    f = only_finding(check_json(draft(project, "a%00b.html")))
    assert f["reason"] == "source_refused" and "not a valid file path" in f["explanation"]
    cp = run("article", draft(project, "x.html"), "--no-store", "--offline", "--source", "Guardian=a\x01b\nc")
    assert cp.returncode == 2 and "\x01" not in cp.stderr and len(cp.stderr.strip().splitlines()) == 1
