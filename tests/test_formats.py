"""Every `verifier check --format` parsed back: JSON against its schema, GitHub annotations by
regex, JUnit with an XML parser, Markdown and text by their lines; --output files."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from verifier.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "fixtures" / "founding"
ARTICLE = FOUNDING / "article.txt"
MISQUOTE = ROOT / "tests" / "data" / "misquote.txt"
SCHEMA = json.loads((ROOT / "docs" / "check-report.schema.json").read_text(encoding="utf-8"))
SOURCES = [
    "--offline",
    "--source", f"Guardian={FOUNDING / 'guardian.html'}",
    "--source", f"Times={FOUNDING / 'times.html'}",
    "--source", f"Financial Times={FOUNDING / 'ft.html'}",
]
LENIENT = ["--reason", "no_source=allow:people", "--skip-outlet", "AFP"]

runner = CliRunner()


def run(fmt: str, *args: str | Path, files=(MISQUOTE,), policy=LENIENT):
    return runner.invoke(app, ["check", *map(str, files), *SOURCES, *policy, "--format", fmt, *map(str, args)])


ANNOTATION = re.compile(
    r"^::(?P<level>error|warning|notice) file=(?P<file>[^,]+),line=(?P<line>\d+),col=(?P<col>\d+),"
    r"endLine=(?P<end_line>\d+),endColumn=(?P<end_col>\d+),title=(?P<title>[^:]*)::(?P<message>.*)$"
)


def _unescape(s: str) -> str:
    return s.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_json_matches_schema():
    r = run("json", files=(MISQUOTE, ARTICLE))
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    jsonschema.validate(out, SCHEMA)
    assert out["passed"] is False and out["summary"]["files"] == 2
    assert out["summary"]["attributions"] == sum(len(rep["findings"]) for rep in out["reports"])
    for rep in out["reports"]:
        for f in rep["findings"]:
            assert f["line"] >= 1 and f["column"] >= 1


def test_json_schema_rejects_a_broken_report():
    out = json.loads(run("json").stdout)
    del out["reports"][0]["findings"][0]["line"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(out, SCHEMA)


def test_github_annotations():
    r = run("github")
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    anns = [m.groupdict() for m in map(ANNOTATION.match, lines) if m]
    # a6 fails under the lenient policy; a2, a faithful paraphrase, is a warning by default
    assert [(x["level"], x["line"]) for x in anns] == [("warning", "5"), ("error", "10")], lines
    assert "paraphrase" in _unescape(anns[0]["message"])
    a = anns[1]
    assert a["level"] == "error" and a["line"] == "10" and a["col"] == "2"
    assert Path(a["file"]).name == "misquote.txt" and not Path(a["file"]).is_absolute()
    msg = _unescape(a["message"])
    assert "wording_differs" in msg and "article “huge” vs source “significant”" in msg
    assert "\n" in msg and "%0A" in a["message"]  # multi-line messages are escaped
    assert _unescape(a["title"]).startswith("verifier a6 fail: partial")
    assert lines[-1].startswith("::error title=verifier::verifier: FAILED")


def test_github_partial_is_warning_when_policy_says_so(tmp_path):
    summary = tmp_path / "summary.md"
    r = runner.invoke(app, ["check", str(MISQUOTE), *SOURCES, *LENIENT, "--fail-on", "unverified",
                            "--format", "github"], env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert r.exit_code == 0
    anns = [m.groupdict() for m in map(ANNOTATION.match, r.stdout.splitlines()) if m]
    assert [(a["level"], a["line"]) for a in anns] == [("warning", "5"), ("warning", "10")]
    assert r.stdout.splitlines()[-1].startswith("::notice title=verifier::verifier: passed")
    assert "verifier: passed" in summary.read_text(encoding="utf-8")  # job summary in Markdown


def test_junit_one_testcase_per_attribution():
    r = run("junit", files=(MISQUOTE, ARTICLE))
    assert r.exit_code == 1
    root = ET.fromstring(r.stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 2
    js = json.loads(run("json", files=(MISQUOTE, ARTICLE)).stdout)
    for suite, rep in zip(suites, js["reports"], strict=True):
        cases = suite.findall("testcase")
        assert len(cases) == len(rep["findings"]) == int(suite.get("tests"))
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
    mis = suites[0]
    failing = [c for c in mis.findall("testcase") if c.find("failure") is not None]
    assert len(failing) == 1
    case = failing[0]
    assert case.get("name").startswith("a6 line 10") and case.get("line") == "10"
    fail = case.find("failure")
    assert fail.get("type") == "wording_differs" and "significant" in fail.text
    skipped = [c for c in mis.findall("testcase") if c.find("skipped") is not None]
    assert len(skipped) == 1 and "skip_outlets" in skipped[0].find("skipped").get("message")
    assert int(root.get("failures")) == 1 and int(root.get("tests")) == 16


def test_junit_input_error_is_an_error_case(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_text("   \n", encoding="utf-8")
    r = run("junit", files=(ARTICLE, empty))
    assert r.exit_code == 2
    root = ET.fromstring(r.stdout.encode("utf-8"))
    errs = root.findall(".//testcase/error")
    assert len(errs) == 1 and root.get("errors") == "1"


def test_markdown_summary():
    r = run("markdown")
    assert r.exit_code == 1
    md = r.stdout
    assert md.startswith("## ❌ **verifier: failed**")
    rows = [line for line in md.splitlines() if line.startswith("| `")]
    file_row = next(row for row in rows if "❌ failed" in row)
    # confirmed, partial, unverified (a3 skipped; a2 is a paraphrase since issue 9)
    assert [c.strip() for c in file_row.strip("|").split("|")][2:5] == ["2", "2", "3"]
    finding_row = next(row for row in rows if "misquote.txt:10`" in row)
    assert "`wording_differs`" in finding_row and "Financial Times" in finding_row
    assert "<details><summary>Differing words</summary>" in md and "article “huge” — source “significant”" in md


def test_text_format():
    r = run("text")
    assert r.exit_code == 1
    out = r.stdout
    assert "verifier: " in out and "a6" in out
    assert re.search(r"misquote\.txt:10:2: FAILED a6 partial/wording_differs", out)
    assert "a3 skipped" in out
    assert out.rstrip().splitlines()[-1].startswith("check: FAILED")
    assert "\x1b[" not in out  # no colour codes when not a terminal


def test_output_file_and_html_default(tmp_path, monkeypatch):
    out = tmp_path / "reports" / "check.json"
    r = run("json", "--output", out)
    assert r.exit_code == 1 and r.stdout == ""
    jsonschema.validate(json.loads(out.read_text(encoding="utf-8")), SCHEMA)
    assert f"report: {out}" in r.stderr
    monkeypatch.chdir(tmp_path)
    r = run("html")
    assert r.exit_code == 1 and r.stdout == ""
    page = (tmp_path / "verifier-report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'data-verdict="partial"' in page
    r = run("html", "--quiet", "--output", tmp_path / "x.html")
    assert r.stderr == "" and (tmp_path / "x.html").exists()


def test_article_format_enum_accepts_new_values():
    # `article` shares the Format enum; check itself handles every value
    from verifier.cli.app import Format
    from verifier.report import FORMATS

    assert {f.value for f in Format} >= set(FORMATS)
