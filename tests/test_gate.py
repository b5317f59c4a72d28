"""`verifier check` as a gate: exit codes, policy combinations, config discovery, waivers,
file discovery and --changed-only. Every test drives the real CLI on the founding example."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verifier.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "fixtures" / "founding"
ARTICLE = FOUNDING / "article.txt"
MISQUOTE = ROOT / "tests" / "data" / "misquote.txt"
SOURCES = [
    "--offline",
    "--source", f"Guardian={FOUNDING / 'guardian.html'}",
    "--source", f"Times={FOUNDING / 'times.html'}",
    "--source", f"Financial Times={FOUNDING / 'ft.html'}",
]
# The founding story's unsourced attributions (Trump, Lavrov, AFP's own reporting) are fine for
# the wire desk: allow no_source for named people and skip AFP.
LENIENT = ["--reason", "no_source=allow:people", "--skip-outlet", "AFP"]
POLICY_TOML = """
fail_on = "partial"
skip_outlets = ["AFP"]

[reasons]
no_source = { level = "allow", only = "people" }
"""

runner = CliRunner()


def check(*args: str | Path):
    return runner.invoke(app, ["check", *map(str, args)])


def check_json(*args: str | Path) -> tuple[int, dict]:
    r = check(*args, "--format", "json")
    return r.exit_code, json.loads(r.stdout)


def by_id(report: dict) -> dict[str, dict]:
    return {f["id"]: f for f in report["findings"]}


def md_version(text: str) -> str:
    """The txt article as Markdown: a title, front matter, one paragraph per line."""
    body = "\n\n".join(line for line in text.splitlines() if line.strip())
    return "---\ntitle: Reassurance force\n---\n# Reassurance force\n\n" + body + "\n"


# ---------------------------------------------------------------- exit codes and policy


def test_founding_fails_default_policy_on_unsourced_claims():
    code, out = check_json(ARTICLE, *SOURCES)
    assert code == 1
    assert out["passed"] is False
    f = by_id(out["reports"][0])
    assert f["a6"]["status"] == "pass" and f["a6"]["verdict"] == "confirmed"
    assert f["a1"]["status"] == "fail" and f["a1"]["reason"] == "no_source"


def test_founding_passes_lenient_policy_flags():
    code, out = check_json(ARTICLE, *SOURCES, *LENIENT)
    assert code == 0, out
    f = by_id(out["reports"][0])
    assert f["a3"]["status"] == "skipped" and f["a3"]["verdict"] == "skipped"
    assert f["a1"]["status"] == "pass" and "allow for people" in f["a1"]["policy"]
    assert out["summary"]["fail"] == 0 and out["summary"]["skipped"] == 1


def test_misquote_fails_with_partial_at_its_line():
    code, out = check_json(MISQUOTE, *SOURCES, *LENIENT)
    assert code == 1
    a6 = by_id(out["reports"][0])["a6"]
    assert (a6["verdict"], a6["reason"], a6["status"]) == ("partial", "wording_differs", "fail")
    assert a6["line"] == 10 and a6["column"] == 2  # after the opening quotation mark
    assert {"article": "huge", "source": "significant", "kind": "wording"} in a6["differences"]


@pytest.mark.parametrize(
    "extra, code, a6_status",
    [
        ([], 1, "fail"),
        (["--fail-on", "unverified"], 0, "warn"),
        (["--fail-on", "none"], 0, "warn"),
        (["--reason", "wording_differs=warn"], 0, "warn"),
        (["--reason", "wording_differs=allow"], 0, "pass"),
        (["--fail-on", "unverified", "--reason", "wording_differs=fail"], 1, "fail"),
        (["--reason", "wording_differs=allow:people"], 1, "fail"),  # a6 is attributed to an outlet
        (["--reason", "wording_differs=warn:outlets"], 0, "warn"),
    ],
)
def test_policy_combinations(extra, code, a6_status):
    got, out = check_json(MISQUOTE, *SOURCES, *LENIENT, *extra)
    assert got == code
    assert by_id(out["reports"][0])["a6"]["status"] == a6_status


def test_fail_on_unverified_still_fails_on_unsourced():
    code, out = check_json(MISQUOTE, *SOURCES, "--fail-on", "unverified")
    assert code == 1
    f = by_id(out["reports"][0])
    assert f["a6"]["status"] == "warn" and f["a1"]["status"] == "fail"


def test_paywalled_as_warning(tmp_path):
    # Only The Times cited, and its page saved as a paywalled teaser: the claim is unverified (paywalled)
    art = tmp_path / "times.txt"
    art.write_text("The Times reported that a so-called US backstop in the form of “air cover” would be "
                   "essential to the plan.\n", encoding="utf-8")
    teaser = tmp_path / "teaser.html"
    teaser.write_text(
        '<html><head><meta property="og:site_name" content="The Times"><title>Plan</title>'
        '<script type="application/ld+json">{"@type":"NewsArticle","isAccessibleForFree":false,'
        '"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".paywall"}}</script>'
        '</head><body><article><p>Britain and France are drawing up plans.</p>'
        '<div class="paywall">Subscribe to read more</div></article></body></html>',
        encoding="utf-8",
    )
    code, out = check_json(art, "--offline", "--source", f"Times={teaser}")
    f = out["reports"][0]["findings"][0]
    if f["reason"] != "paywalled":
        pytest.skip(f"teaser not detected as paywalled by the extractor (reason {f['reason']})")
    assert code == 1
    code, out = check_json(art, "--offline", "--source", f"Times={teaser}", "--reason", "paywalled=warn")
    assert code == 0 and out["reports"][0]["findings"][0]["status"] == "warn"


@pytest.mark.parametrize(
    "args, message",
    [
        (["nope.txt"], "no such file or directory: nope.txt"),
        (["drafts-*/*.md"], "no article files match"),
        ([str(ARTICLE), "--reason", "no_source"], "CODE=LEVEL"),
        ([str(ARTICLE), "--reason", "made_up=warn"], "unknown reason code"),
        ([str(ARTICLE), "--reason", "no_source=ignore"], "level must be one of"),
        ([str(ARTICLE), "--policy", "missing.toml"], "no such config file"),
        ([str(ARTICLE), "--policy", "x.toml", "--no-policy"], "cannot be used together"),
        ([], "give at least one file"),
        ([str(ARTICLE), "--source", "Guardian=missing.html"], "source file not found"),
    ],
)
def test_usage_errors_exit_2(args, message):
    r = check(*args)
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert "Traceback" not in r.output


def test_unreadable_file_exit_2_but_others_reported(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    r = check(ARTICLE, empty, *SOURCES, *LENIENT, "--format", "json")
    assert r.exit_code == 2
    out = json.loads(r.stdout)
    assert len(out["reports"]) == 1 and out["errors"][0]["input"] == str(empty)
    assert "empty" in out["errors"][0]["message"]


def test_bad_config_exit_2(tmp_path):
    (tmp_path / "verifier.toml").write_text('fail_on = "sometimes"\n', encoding="utf-8")
    shutil.copy(ARTICLE, tmp_path / "story.txt")
    r = check(tmp_path / "story.txt", *SOURCES)
    assert r.exit_code == 2 and "fail_on must be one of" in r.output
    (tmp_path / "verifier.toml").write_text("colour = 'blue'\n", encoding="utf-8")
    r = check(tmp_path / "story.txt", *SOURCES)
    assert r.exit_code == 2 and "unknown key(s)" in r.output


# ---------------------------------------------------------------- config discovery


def test_verifier_toml_found_walking_up(tmp_path):
    (tmp_path / "verifier.toml").write_text(POLICY_TOML, encoding="utf-8")
    deep = tmp_path / "desk" / "2025" / "02"
    deep.mkdir(parents=True)
    shutil.copy(ARTICLE, deep / "story.txt")
    code, out = check_json(deep / "story.txt", *SOURCES)
    assert code == 0
    assert out["reports"][0]["config"] == str(tmp_path / "verifier.toml")
    # --no-policy ignores it
    code, _ = check_json(deep / "story.txt", *SOURCES, "--no-policy")
    assert code == 1
    # flags override the file
    code, out = check_json(deep / "story.txt", *SOURCES, "--reason", "no_source=fail")
    assert code == 1


def test_pyproject_tool_verifier_and_precedence(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "copy"\n\n[tool.verifier]\nfail_on = "none"\n', encoding="utf-8"
    )
    sub = tmp_path / "drafts"
    sub.mkdir()
    shutil.copy(MISQUOTE, sub / "story.txt")
    code, out = check_json(sub / "story.txt", *SOURCES)
    assert code == 0 and out["reports"][0]["config"] == str(tmp_path / "pyproject.toml")
    # a pyproject.toml without [tool.verifier] nearer the file is passed over
    (sub / "pyproject.toml").write_text('[project]\nname = "other"\n', encoding="utf-8")
    code, out = check_json(sub / "story.txt", *SOURCES)
    assert out["reports"][0]["config"] == str(tmp_path / "pyproject.toml")
    # verifier.toml wins over pyproject.toml in the same directory
    (tmp_path / "verifier.toml").write_text('fail_on = "partial"\n', encoding="utf-8")
    code, out = check_json(sub / "story.txt", *SOURCES)
    assert code == 1 and out["reports"][0]["config"] == str(tmp_path / "verifier.toml")


def test_each_file_gets_its_own_config(tmp_path):
    strict, lenient = tmp_path / "strict", tmp_path / "lenient"
    for d in (strict, lenient):
        d.mkdir()
        shutil.copy(ARTICLE, d / "story.txt")
    (lenient / "verifier.toml").write_text(POLICY_TOML, encoding="utf-8")
    code, out = check_json(strict / "story.txt", lenient / "story.txt", *SOURCES)
    assert code == 1
    passed = {Path(r["input"]).parent.name: r["passed"] for r in out["reports"]}
    assert passed == {"strict": False, "lenient": True}


def test_config_sources_thresholds_relative_to_config(tmp_path):
    for name in ("guardian.html", "times.html", "ft.html"):
        shutil.copy(FOUNDING / name, tmp_path / name)
    (tmp_path / "verifier.toml").write_text(
        POLICY_TOML.replace(
            'fail_on = "partial"',
            'fail_on = "partial"\noffline = true\n'
            'sources = ["Guardian=guardian.html", "Times=times.html", "Financial Times=ft.html"]\n'
            'local_sources = ["."]',
        ) + "\n[thresholds]\nquote_partial_min = 50\n",
        encoding="utf-8",
    )
    (tmp_path / "drafts").mkdir()
    shutil.copy(MISQUOTE, tmp_path / "drafts" / "story.txt")
    code, out = check_json(tmp_path / "drafts" / "story.txt")
    assert code == 1
    a6 = by_id(out["reports"][0])["a6"]
    assert a6["reason"] == "wording_differs" and a6["evidence"]["passage"]


# ---------------------------------------------------------------- waivers


def _md_with_waiver(marker: str) -> str:
    md = md_version(MISQUOTE.read_text(encoding="utf-8"))
    return md.replace("“The area we have", marker + "\n“The area we have", 1)


def test_markdown_waiver_waives_next_attribution(tmp_path):
    story = tmp_path / "story.md"
    story.write_text(_md_with_waiver('<!-- verifier: ignore reason=wording_differs note="FT checked by phone" -->'),
                     encoding="utf-8")
    code, out = check_json(story, *SOURCES, *LENIENT)
    assert code == 0, out
    rep = out["reports"][0]
    a6 = by_id(rep)["a6"]
    assert a6["status"] == "waived" and a6["verdict"] == "partial"  # reported, not hidden
    assert a6["waiver"]["note"] == "FT checked by phone" and a6["waiver"]["used"] is True
    lines = story.read_text(encoding="utf-8").splitlines()
    assert "verifier: ignore" in lines[a6["waiver"]["line"] - 1]
    assert lines[a6["line"] - 1].startswith("“The area we have a huge")
    assert out["summary"]["waived"] == 1
    # the marker never reaches the article text
    assert all("verifier" not in f["sentence"] for f in rep["findings"])


def test_waiver_for_another_reason_does_not_apply(tmp_path):
    story = tmp_path / "story.md"
    story.write_text(_md_with_waiver("<!-- verifier: ignore reason=paywalled -->"), encoding="utf-8")
    code, out = check_json(story, *SOURCES, *LENIENT)
    assert code == 1
    a6 = by_id(out["reports"][0])["a6"]
    assert a6["status"] == "fail" and a6["waiver"]["used"] is False
    assert "not waived" in a6["waiver"]["problem"]


@pytest.mark.parametrize(
    "marker",
    ["[verifier: ignore reason=wording_differs]", "# verifier: ignore note='desk approved'",
     "<!-- verifier: ignore -->"],
)
def test_text_waiver_forms(tmp_path, marker):
    text = MISQUOTE.read_text(encoding="utf-8").replace("“The area we have", marker + "\n“The area we have", 1)
    story = tmp_path / "story.txt"
    story.write_text(text, encoding="utf-8")
    code, out = check_json(story, *SOURCES, *LENIENT)
    assert code == 0, out
    a6 = by_id(out["reports"][0])["a6"]
    assert a6["status"] == "waived" and a6["line"] == 11
    assert all("verifier" not in f["sentence"] for f in out["reports"][0]["findings"])


def test_html_waiver(tmp_path):
    paras = [p for p in MISQUOTE.read_text(encoding="utf-8").splitlines() if p.strip()]
    body = "\n".join(
        ("<!-- verifier: ignore reason=wording_differs -->\n" if p.startswith("“The area") else "")
        + f"<p>{p.replace('&', '&amp;')}</p>"
        for p in paras
    )
    story = tmp_path / "story.html"
    story.write_text(f"<html><head><title>Draft</title></head><body><article>\n{body}\n</article></body></html>",
                     encoding="utf-8")
    code, out = check_json(story, *SOURCES, *LENIENT)
    assert code == 0, out
    a6 = by_id(out["reports"][0])["a6"]
    assert a6["status"] == "waived"
    assert "The area we have a huge" in story.read_text(encoding="utf-8").splitlines()[a6["line"] - 1]


# ---------------------------------------------------------------- positions in md


def test_markdown_positions_point_at_the_raw_file(tmp_path):
    md = md_version(MISQUOTE.read_text(encoding="utf-8")).replace(
        "the Guardian newspaper said", "the *Guardian* newspaper said"
    ).replace("The Times reported", "[The Times](https://www.thetimes.co.uk/article/x) reported")
    story = tmp_path / "story.md"
    story.write_text(md, encoding="utf-8")
    code, out = check_json(story, *SOURCES, *LENIENT)
    lines = md.splitlines()
    for f in out["reports"][0]["findings"]:
        line = lines[f["line"] - 1]
        first = f["text"].split()[0].strip("“”\"'")
        assert line[f["column"] - 1 :].startswith(first), (f["id"], line, f["column"])


# ---------------------------------------------------------------- discovery


def test_directories_and_globs(tmp_path):
    d = tmp_path / "copy"
    (d / "world").mkdir(parents=True)
    (d / ".drafts-old").mkdir()
    shutil.copy(ARTICLE, d / "world" / "a.txt")
    (d / "world" / "b.md").write_text(md_version(ARTICLE.read_text(encoding="utf-8")), encoding="utf-8")
    (d / "c.html").write_text("<html><body><p>" + ARTICLE.read_text(encoding="utf-8").splitlines()[9] +
                              "</p></body></html>", encoding="utf-8")
    (d / "photo.png").write_bytes(b"\x89PNG\r\n")
    shutil.copy(ARTICLE, d / ".drafts-old" / "old.txt")
    code, out = check_json(d, *SOURCES, *LENIENT)
    assert code == 0
    names = sorted(Path(r["input"]).name for r in out["reports"])
    assert names == ["a.txt", "b.md", "c.html"]
    code, out = check_json(str(d / "**" / "*.md"), *SOURCES, *LENIENT)
    assert [Path(r["input"]).name for r in out["reports"]] == ["b.md"]
    # the same file twice (directory and explicit path) is checked once
    code, out = check_json(d, d / "c.html", *SOURCES, *LENIENT)
    assert len(out["reports"]) == 3


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_changed_only(tmp_path, monkeypatch):
    repo = tmp_path / "copy"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.email", "desk@example.org")
    _git(repo, "config", "user.name", "Desk")
    (repo / "verifier.toml").write_text(POLICY_TOML, encoding="utf-8")
    for name in ("one.txt", "two.txt", "three.txt"):
        shutil.copy(ARTICLE, repo / name)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "published")
    _git(repo, "checkout", "-q", "-b", "edit")
    shutil.copy(MISQUOTE, repo / "two.txt")
    _git(repo, "commit", "-q", "-am", "edit two")
    shutil.copy(ARTICLE, repo / "four.txt")  # untracked new draft
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    code, out = check_json(".", "--changed-only", "--base", "main", *SOURCES)
    assert sorted(Path(r["input"]).name for r in out["reports"]) == ["four.txt", "two.txt"]
    assert code == 1
    # default base: main exists, so the same answer without --base
    code, out = check_json("--changed-only", *SOURCES)
    assert sorted(Path(r["input"]).name for r in out["reports"]) == ["four.txt", "two.txt"]
    r = check(".", "--changed-only", "--base", "no-such-ref", *SOURCES)
    assert r.exit_code == 2 and "no-such-ref" in r.output


def test_changed_only_outside_git_is_usage_error(tmp_path):
    shutil.copy(ARTICLE, tmp_path / "story.txt")
    r = check(tmp_path / "story.txt", "--changed-only", *SOURCES)
    assert r.exit_code == 2 and "git" in r.output


# ---------------------------------------------------------------- quiet / progress / API


def test_no_progress_output_when_not_a_terminal():
    r = runner.invoke(app, ["check", str(ARTICLE), *SOURCES, *LENIENT, "--format", "json"])
    assert r.exit_code == 0
    assert "checking" not in r.stderr
    r = runner.invoke(app, ["check", str(ARTICLE), *SOURCES, *LENIENT, "--format", "json", "--quiet"])
    assert r.stderr == ""


def test_python_api_run_check():
    from verifier.gate import CheckRequest, run_check

    res = run_check(CheckRequest(
        paths=[str(MISQUOTE)], sources=SOURCES[2::2], offline=True,
        reasons=["no_source=allow:people"], skip_outlets=["AFP"],
    ))
    assert res.exit_code == 1
    [fr] = res.files
    assert [g.id for g in fr.findings if g.status == "fail"] == ["a6"]


def test_python_api_check_article_for_cms():
    from verifier.gate import check_article

    text = MISQUOTE.read_text(encoding="utf-8").replace(
        "“The area we have", "[verifier: ignore reason=wording_differs]\n“The area we have", 1)
    res = check_article(
        text,
        sources={"Guardian": str(FOUNDING / "guardian.html"), "Times": str(FOUNDING / "times.html"),
                 "Financial Times": str(FOUNDING / "ft.html")},
        config={"offline": True, "skip_outlets": ["AFP"], "reasons": {"no_source": {"level": "allow", "only": "people"}}},
    )
    assert res.passed
    a6 = next(g for g in res.findings if g.id == "a6")
    assert a6.status == "waived" and a6.line == 11 and a6.finding.verdict.value == "partial"
