"""The real CLI end to end: the founding example, sources over loopback HTTP, bad input, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verifier.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "fixtures" / "founding"
SOURCES = [
    "--source", f"Guardian={FOUNDING / 'guardian.html'}",
    "--source", f"Times={FOUNDING / 'times.html'}",
    "--source", f"Financial Times={FOUNDING / 'ft.html'}",
]
runner = CliRunner()


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _by_outlet(report: dict) -> dict[str, dict]:
    return {f["outlet"]: f for f in report["findings"] if f["outlet"]}


def test_founding_example_offline_from_files():
    report = _json(runner.invoke(app, ["article", str(FOUNDING / "article.txt"), *SOURCES, "--offline",
                                       "--format", "json"]))
    found = _by_outlet(report)
    assert found["The Guardian"]["verdict"] == "confirmed"
    assert found["The Times"]["verdict"] == "confirmed"
    ft = found["Financial Times"]
    assert (ft["verdict"], ft["reason"]) == ("confirmed", "normalised")
    assert "[our]" in ft["evidence"]["passage"] and ft["evidence"]["sha256"]
    unsourced = [f for f in report["findings"] if not f["outlet"] and not f["cue"].startswith("UK media")]
    assert unsourced and all((f["verdict"], f["reason"]) == ("unverified", "no_source") for f in unsourced)
    assert report["summary"]["confirmed"] >= 3
    # schema: every documented key is there
    for f in report["findings"]:
        assert set(f) >= {"id", "kind", "text", "sentence", "span", "outlet", "speaker", "cue", "fragments",
                          "verdict", "reason", "score", "explanation", "evidence", "differences"}


def test_founding_example_over_loopback_http(fixture_server):
    sources = [
        "--source", f"Guardian={fixture_server.url('/founding/guardian.html')}",
        "--source", f"Times={fixture_server.url('/founding/times.html')}",
        "--source", f"FT={fixture_server.url('/founding/ft.html')}",
    ]
    report = _json(runner.invoke(app, ["article", str(FOUNDING / "article.txt"), *sources, "--allow-private",
                                       "--format", "json"]))
    found = _by_outlet(report)
    assert {found[o]["verdict"] for o in ("The Guardian", "The Times", "Financial Times")} == {"confirmed"}
    assert found["The Guardian"]["evidence"]["url"].startswith("http://127.0.0.1")


def test_private_addresses_refused_by_default(fixture_server):
    report = _json(runner.invoke(app, ["article", str(FOUNDING / "article.txt"), "--source",
                                       f"Guardian={fixture_server.url('/founding/guardian.html')}",
                                       "--format", "json"]))
    g = _by_outlet(report)["The Guardian"]
    assert (g["verdict"], g["reason"]) == ("unverified", "source_unavailable")
    assert "127.0.0.1" in g["explanation"]


@pytest.mark.parametrize("route,needle", [("/status/404", "404"), ("/status/503", "503"),
                                          ("/redirect-loop", "redirect"), ("/binary", "content type")])
def test_dead_sources_are_findings_not_crashes(fixture_server, route, needle):
    report = _json(runner.invoke(app, ["article", str(FOUNDING / "article.txt"), "--source",
                                       f"Guardian={fixture_server.url(route)}", "--allow-private",
                                       "--format", "json", "--timeout", "2"]))
    g = _by_outlet(report)["The Guardian"]
    assert (g["verdict"], g["reason"]) == ("unverified", "source_unavailable")
    assert needle in g["explanation"].lower()


def test_slow_source_times_out(fixture_server):
    report = _json(runner.invoke(app, ["article", str(FOUNDING / "article.txt"), "--source",
                                       f"Guardian={fixture_server.url('/slow?delay=3')}", "--allow-private",
                                       "--format", "json", "--timeout", "0.5"]))
    g = _by_outlet(report)["The Guardian"]
    assert g["reason"] == "source_unavailable" and "timed out" in g["explanation"]


def test_offline_makes_no_request(fixture_server):
    before = fixture_server.count("/founding/")
    report = _json(runner.invoke(app, ["article", str(FOUNDING / "article.txt"), "--source",
                                       f"Guardian={fixture_server.url('/founding/guardian.html?offline')}",
                                       "--allow-private", "--offline", "--format", "json"]))
    assert fixture_server.count("/founding/") == before
    assert _by_outlet(report)["The Guardian"]["reason"] == "source_unavailable"


def test_claim_quote_and_misquote():
    ok = _json(runner.invoke(app, ["claim", '"We will organise the defence"', "--source", str(_src()),
                                   "--format", "json"]))
    assert ok["findings"][0]["verdict"] == "confirmed" and ok["findings"][0]["kind"] == "quote"
    bad = _json(runner.invoke(app, ["claim", '"We will not organise the defence"', "--source", str(_src()),
                                    "--format", "json"]))
    f = bad["findings"][0]
    assert (f["verdict"], f["reason"]) == ("partial", "negation_differs")
    assert f["differences"] == [{"article": "not", "source": "", "kind": "negation"}]


def test_claim_with_speaker_that_differs():
    r = _json(runner.invoke(app, ["claim", '"We will organise the defence"', "--speaker", "Boris Johnson",
                                  "--source", str(_src()), "--format", "json"]))
    assert r["findings"][0]["reason"] == "speaker_differs"


def _src() -> Path:
    p = ROOT / "build" / "claim-source.txt"
    p.parent.mkdir(exist_ok=True)
    p.write_text("“We will organise the defence of the realm,” said Rachel Reeves on Tuesday.\n")
    return p


def test_extract_json_shape():
    r = _json(runner.invoke(app, ["extract", str(FOUNDING / "article.txt"), "--format", "json"]))
    assert len(r["attributions"]) >= 7
    assert all("verdict" not in a for a in r["attributions"])


def test_fetch_json_shape():
    r = _json(runner.invoke(app, ["fetch", str(FOUNDING / "ft.html"), "--format", "json"]))
    assert r["outlet"] == "Financial Times" and r["paragraphs"] and r["paywalled"] is False
    assert set(r) >= {"url", "final_url", "status", "outlet", "title", "byline", "published", "paywalled",
                      "text", "paragraphs"}


def test_check_gate_exit_codes():
    ok = runner.invoke(app, ["check", str(FOUNDING / "article.txt"), *SOURCES, "--offline",
                             "--fail-on", "unverified"])
    assert ok.exit_code == 1  # the founding example has unsourced statements
    passing = ROOT / "build" / "passing.txt"
    passing.write_text("“The area we have a significant advantage over Russia is in the air,” the Financial "
                       "Times quoted a western official as saying.\n")
    r = runner.invoke(app, ["check", str(passing), *SOURCES, "--offline", "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["passed"] is True


def test_outlets_lists_registry():
    r = runner.invoke(app, ["outlets", "--format", "json"])
    names = {o["name"] for o in json.loads(r.stdout)}
    assert {"The Guardian", "The Times", "Financial Times", "Le Monde"} <= names


@pytest.mark.parametrize(
    "args,needle",
    [
        (["article", "no/such/file.txt"], "no such file"),
        (["article", "{empty}"], "empty"),
        (["article", "{binary}"], "not an article"),
        (["article", "{dir}"], "directory"),
        (["article", str(FOUNDING / "article.txt"), "--source", "Guardian=missing.html"], "not found"),
        (["claim", "", "--source", "x.html"], "empty"),
        (["article", str(FOUNDING / "article.txt"), "--format", "yaml"], "yaml"),
    ],
)
def test_bad_input_one_line_exit_2_no_traceback(tmp_path, args, needle):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" + bytes(range(256)))
    args = [a.format(empty=empty, binary=binary, dir=tmp_path) for a in args]
    proc = subprocess.run([sys.executable, "-m", "verifier", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert needle in proc.stderr.lower()


@pytest.mark.parametrize("fmt,needle", [("github", "::error file="), ("junit", "<testsuites"), ("html", "<html")])
def test_article_accepts_gate_formats(fmt, needle):
    r = runner.invoke(app, ["article", str(FOUNDING / "article.txt"), *SOURCES, "--offline", "--no-discover",
                            "--format", fmt])
    assert r.exit_code == 0, r.output
    assert needle in r.stdout


def test_check_no_discover():
    r = runner.invoke(app, ["check", str(FOUNDING / "article.txt"), "--offline", "--no-discover", "-f", "json",
                            "-q"])
    assert r.exit_code == 1
    findings = [f for rep in json.loads(r.stdout)["reports"] for f in rep["findings"]]
    assert any("discovery disabled" in f["explanation"] for f in findings)


def test_claim_with_unregistered_outlet_uses_the_given_source(make_server, monkeypatch, tmp_path):
    """Issue 9 bug: an outlet missing from the registry (Daily Maverick) made `claim` drop the
    --source it was given, answer no_source and call the discovery hosts. The given source is the
    only one checked, and no discovery endpoint is asked anything."""
    hosts = make_server()
    for var in ("VERIFIER_GUARDIAN_API_BASE", "VERIFIER_GDELT_BASE", "VERIFIER_WAYBACK_API", "VERIFIER_WAYBACK_WEB"):
        monkeypatch.setenv(var, hosts.url(f"/{var.lower()}"))
    page = tmp_path / "maverick.html"
    page.write_text("<html><body><article><h1>Water crisis</h1><p>“The taps ran dry for nine days,” "
                    "said Thandi Mokoena, a resident of Soweto.</p></article></body></html>")
    r = _json(runner.invoke(app, ["claim", '"The taps ran dry for nine days"', "--outlet", "Daily Maverick",
                                  "--source", str(page), "--format", "json"]))
    f = r["findings"][0]
    assert (f["verdict"], f["outlet"]) == ("confirmed", "Daily Maverick")
    assert f["evidence"]["url"].endswith("maverick.html") and f["discovered_by"] == "given"
    assert hosts.count() == 0
    # the same with a misquote: judged against the given page, not no_source
    r = _json(runner.invoke(app, ["claim", '"The taps never ran dry"', "--outlet", "Daily Maverick",
                                  "--source", str(page), "--format", "json"]))
    assert r["findings"][0]["reason"] != "no_source" and r["findings"][0]["verdict"] != "confirmed"
    assert hosts.count() == 0


def test_every_usage_error_class_is_one_tree_and_exit_2():
    """The error tree (verifier/errors.py): the classes that predate it are its classes or
    subclasses of them, so the CLI's one mapping gives each of them exit code 2."""
    from verifier.audit.engine import AuditError
    from verifier.cli.audit import AuditUsageError
    from verifier.cli.common import exit_code
    from verifier.cli.options import OptionError
    from verifier.errors import ConfigError, GateError, InputError, UsageError
    from verifier.fetch.files import LocalReadError
    from verifier.fetch.store import StoreError
    from verifier.gate import GateError as GateErrorFromGate
    from verifier.gate.policy import ConfigError as PolicyConfigError
    from verifier.read.reader import InputError as ReaderInputError
    from verifier.registry import RegistryError

    assert (ReaderInputError, PolicyConfigError, GateErrorFromGate) == (InputError, ConfigError, GateError)
    assert issubclass(OptionError, ValueError) and issubclass(ConfigError, ValueError)  # as they always were
    errors = [InputError("x"), OptionError("x"), ConfigError("x"), GateError("x"), LocalReadError("x", "missing"),
              StoreError("x", "corrupt"), RegistryError("x"), AuditError("x"), AuditUsageError("x")]
    for e in errors:
        assert isinstance(e, UsageError) and exit_code(e) == 2, type(e)
    assert exit_code(RuntimeError("boom")) == 3
    assert exit_code(KeyboardInterrupt()) == 130


@pytest.mark.parametrize("raised,code,needle", [
    ("usage", 2, "verifier: error: bad value here"),
    ("bug", 3, "verifier: error: internal error: RuntimeError: first line"),
    ("none", 1, ""),
])
def test_reports_errors_turns_exceptions_into_one_line_and_an_exit_code(raised, code, needle):
    import typer

    from verifier.cli.common import reports_errors
    from verifier.errors import OptionError

    def command(what: str) -> int:
        if what == "usage":
            raise OptionError("bad\nvalue   here")  # whatever the message holds, one line
        if what == "bug":
            raise RuntimeError("first line\nsecond line")
        return 1

    one = typer.Typer()
    one.command()(reports_errors(command))
    r = runner.invoke(one, [raised])
    assert r.exit_code == code
    assert "Traceback" not in r.output and "Traceback" not in r.stderr
    if needle:
        assert r.stderr.strip() == needle


def test_article_gate_formats_point_into_the_file_as_read(tmp_path):
    """`article --format github` positions come from the one read of the file: each annotation is
    on its quote's line and columns of the Markdown source (the heading and blank lines counted)."""
    draft = tmp_path / "draft.md"
    draft.write_text("# Title\n\nSome context first.\n\n“We will not resign,” the minister said.\n\n"
                     "More context.\n\n“The budget is final,” the minister told reporters.\n", encoding="utf-8")
    r = runner.invoke(app, ["article", str(draft), "--offline", "--no-discover", "--format", "github"])
    assert r.exit_code == 0, r.output
    lines = [x for x in r.stdout.splitlines() if x.startswith("::error file=")]
    assert len(lines) == 2, lines
    assert ",line=5,col=2,endLine=5,endColumn=20," in lines[0] and "We will not resign" in lines[0]
    assert ",line=9,col=2,endLine=9,endColumn=21," in lines[1] and "The budget is final" in lines[1]
