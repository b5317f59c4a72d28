"""One settings schema and loader (verifier/settings): thresholds in one unit, the layers, the old
spellings, the environment-variable registry, and docs/configuration.md covering all of it."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import isolate_environment

from verifier.cli.options import NetOptions, OptionError
from verifier.gate.core import check_article
from verifier.gate.policy import ConfigError, load_config, parse_config
from verifier.match.verdict import Thresholds
from verifier.pipeline import Options
from verifier.settings import env as envreg
from verifier.settings.schema import ALIASES, KEYS, PROJECT_TOP_LEVEL, env_for
from verifier.settings.thresholds import THRESHOLDS, to_matcher
from verifier.settings.values import PROVIDERS
from verifier.sources.discover.config import DEFAULT_INTERVALS, DiscoveryConfig

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "configuration.md"

# A source in a made-up outlet's style, and a draft quoting and reporting it (our own text).
SOURCE = """Council budget vote delayed

The council postponed its vote on the school budget until March, the Gazette has learned.

"We will not cut a single teacher from the schools this year, and the libraries stay open on Sundays," \
the council leader, Maria Lopez, told reporters on Monday.

The budget will be debated again next month.
"""
DRAFT = """Council delays budget vote

The council leader Maria Lopez said: "We will not cut a single teacher from the schools this year, and \
the pools and the parks will all stay open every weekend."

The council postponed its vote on the school budget until March, the Gazette reported.
"""


def gate(tmp_path: Path, config: dict | None) -> dict[str, tuple[str, str, float]]:
    src = tmp_path / "gazette.txt"
    src.write_text(SOURCE, encoding="utf-8")
    result = check_article(DRAFT, sources=[f"Maria Lopez={src}", f"Gazette={src}"], config=config)
    return {f.finding.attribution.kind: (f.finding.verdict.value, f.finding.reason.value, f.finding.score)
            for f in result.findings}


def docs_thresholds() -> dict[str, float]:
    """The `[tool.verifier.thresholds]` example in docs/gate.md, as written there."""
    text = (ROOT / "docs" / "gate.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(# pyproject.toml.*?)```", text, re.S)
    assert block, "docs/gate.md lost its policy example"
    return tomllib.loads(block.group(1))["tool"]["verifier"]["thresholds"]


# ---------------------------------------------------------------- thresholds: one unit


def test_percent_thresholds_reach_the_matcher_in_its_units() -> None:
    # the bug: the policy handed `claim_supported_min = 60` to a matcher that means 0.6 by it
    cfg = parse_config({"thresholds": {"quote_partial_min": 50, "claim_supported_min": 60, "claim_partial_min": 45}})
    assert Thresholds(**cfg.thresholds) == Thresholds()
    assert cfg.thresholds["claim_supported_min"] == pytest.approx(0.6)


def test_the_default_percentages_are_the_matchers_defaults() -> None:
    # if the matcher changes a unit or a default, this says so before a policy file means something else
    assert Thresholds(**to_matcher({n: t.default for n, t in THRESHOLDS.items()})) == Thresholds()
    assert set(THRESHOLDS) == set(Thresholds.__dataclass_fields__)


def test_docs_example_keeps_a_confirmed_claim_confirmed(tmp_path: Path) -> None:
    example = docs_thresholds()
    assert example["claim_supported_min"] == 60  # the example the issue reported
    default = gate(tmp_path, None)
    assert default["claim"][:2] == ("confirmed", "supported")
    assert gate(tmp_path, {"thresholds": example})["claim"] == default["claim"]


def test_a_fraction_is_read_as_a_percentage_with_a_deprecation(tmp_path: Path, caplog) -> None:
    default = gate(tmp_path, None)
    assert default["quote"][0] == "partial" and 50 <= default["quote"][2] < 70
    with caplog.at_level(logging.WARNING, logger="verifier.settings"):
        as_fraction = gate(tmp_path, {"thresholds": {"quote_partial_min": 0.7}})
    # 0.7 is 70 %: the quote with two thirds of its words in place is no longer found (it was
    # read as 0.7 % before, which let almost any quote through as partial)
    assert as_fraction["quote"][:2] == ("unverified", "not_found")
    assert gate(tmp_path, {"thresholds": {"quote_partial_min": 70}})["quote"] == as_fraction["quote"]
    assert any("quote_partial_min = 0.7 is a fraction" in r.getMessage() and "read as 70" in r.getMessage()
               for r in caplog.records)


@pytest.mark.parametrize("value,needle", [
    ("150", "threshold quote_partial_min must be a number from 0 to 100"),
    ('"high"', "threshold quote_partial_min must be a number from 0 to 100 (percent), not str"),
    ("true", "not bool"),
    ("-1", "from 0 to 100"),
])
def test_bad_threshold_names_the_key(tmp_path: Path, value: str, needle: str) -> None:
    p = tmp_path / "verifier.toml"
    p.write_text(f"[thresholds]\nquote_partial_min = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(needle)):
        load_config(p)


def test_unknown_threshold_is_an_error() -> None:
    with pytest.raises(ConfigError, match="unknown threshold 'quote_min'"):
        parse_config({"thresholds": {"quote_min": 50}})


def test_cli_check_prints_the_deprecation_once_and_still_runs(tmp_path: Path) -> None:
    (tmp_path / "verifier.toml").write_text("[thresholds]\nclaim_partial_min = 0.45\n", encoding="utf-8")
    drafts = []
    for name in ("one.txt", "two.txt"):  # the policy is read for each file; said once
        drafts.append(tmp_path / name)
        drafts[-1].write_text(DRAFT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "VERIFIER_CONFIG"} | {"VERIFIER_CONFIG": ""}
    cp = subprocess.run([sys.executable, "-m", "verifier", "check", *map(str, drafts), "--offline", "--no-store",
                         "--no-discover", "--format", "json"], capture_output=True, text=True, timeout=120, env=env)
    assert cp.returncode in (0, 1), cp.stderr
    assert cp.stderr.count("deprecated:") == 1 and "claim_partial_min = 0.45 is a fraction" in cp.stderr, cp.stderr
    assert "read as 45 (write claim_partial_min = 45)" in cp.stderr


# ---------------------------------------------------------------- project files


def test_sections_and_the_flat_form_are_the_same_policy(tmp_path: Path) -> None:
    flat = parse_config({"fail_on": "unverified", "store": "e.sqlite3", "deadline": 30, "offline": True,
                         "cookies_file": "c.txt", "headers": {"X-Desk": "politics"}, "reasons": {"paywalled": "warn"},
                         "outlets": {"Financial Times": {"headers": {"X-Ft": "1"}}}}, tmp_path / "verifier.toml")
    sectioned = parse_config({
        "policy": {"fail_on": "unverified", "reasons": {"paywalled": "warn"}},
        "store": {"path": "e.sqlite3"},
        "fetch": {"deadline": 30, "offline": True, "cookies_file": "c.txt", "headers": {"X-Desk": "politics"},
                  "outlets": {"Financial Times": {"headers": {"X-Ft": "1"}}}},
    }, tmp_path / "verifier.toml")
    assert flat == sectioned
    assert flat.store == str(tmp_path / "e.sqlite3") and flat.deadline == 30.0


@pytest.mark.parametrize("table,needle", [
    ({"fetch": {"user_agent": "x"}}, "[fetch] user_agent is set in the user config file"),
    ({"discovery": {"guardian_api_key": "k"}}, "[discovery] guardian_api_key is set in the user config file"),
    ({"fetch": {"timeoutt": 3}}, "unknown key(s) in [fetch]: timeoutt"),
    ({"fetch": {"timeout": "soon"}}, "[fetch] timeout must be a positive number of seconds"),
    ({"policy": {"fail_on": "sometimes"}}, "fail_on must be one of partial, unverified, none"),
    ({"reasons": ["paywalled"]}, "reasons must be a table"),
    ({"colour": "blue"}, "unknown key(s) in [tool.verifier]: colour"),
    ({"outlets": {"FT": {"header": {}}}}, "outlets.FT: unknown key(s) header"),
])
def test_bad_project_keys_name_the_key(table: dict, needle: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(needle)):
        parse_config(table)


# ---------------------------------------------------------------- the user file and the layers


def user_file(tmp_path: Path, body: str) -> str:
    p = tmp_path / "config.toml"
    p.write_text(body, encoding="utf-8")
    return str(p)


def cookies(tmp_path: Path, name: str, *hosts: str) -> str:
    p = tmp_path / name
    p.write_text("# Netscape HTTP Cookie File\n" + "".join(
        f".{h}\tTRUE\t/\tFALSE\t0\t{name.split('.')[0]}\tv\n" for h in hosts), encoding="utf-8")
    return str(p)


def applied(config: str, options: Options | None = None, **flags) -> Options:
    net = NetOptions(config=config, no_store=True, progress=False, **flags)
    try:
        return net.apply(options or Options())
    finally:
        net.close()


def test_old_user_keys_keep_working_with_a_deprecation(tmp_path: Path, caplog) -> None:
    jar = cookies(tmp_path, "all.txt", "example.org")
    conf = user_file(tmp_path, f'[fetch]\ncookies = "{jar}"\nmax_age = "2h"\nstore = "{tmp_path}/s.sqlite3"\n'
                     '[fetch.host_headers."ft.com"]\nX-Ft = "1"\n')
    with caplog.at_level(logging.WARNING, logger="verifier.settings"):
        net = NetOptions(config=conf, progress=False)
        opts = net.apply(Options())
        net.close()
    c = opts.fetch
    assert c.cookies_file == jar and c.max_age == 7200 and c.host_headers["ft.com"] == {"X-Ft": "1"}
    assert Path(opts.store.path) == tmp_path / "s.sqlite3"
    said = " ".join(r.getMessage() for r in caplog.records)
    for old, new in (("[fetch] cookies", "[fetch] cookies_file"), ("[fetch] max_age", "[store] max_age"),
                     ("[fetch] store", "[store] path"),
                     ('[fetch.host_headers."HOST"]', '[fetch.outlets."HOST"] headers')):
        assert f"{old} is now {new}" in said, (old, said)


def test_new_user_keys(tmp_path: Path) -> None:
    jar = cookies(tmp_path, "all.txt", "example.org")
    ft_jar = cookies(tmp_path, "ft.txt", "ft.com", "example.org")
    conf = user_file(tmp_path, f'[fetch]\ncookies_file = "{jar}"\nmax_size = "1MB"\n'
                     f'[fetch.outlets."Financial Times"]\nheaders = {{ X-Ft = "1" }}\ncookies_file = "{ft_jar}"\n'
                     '[store]\nmax_age = 60\n')
    net = NetOptions(config=conf, no_store=True, progress=False)
    opts = net.apply(Options())
    c = opts.fetch
    assert c.max_bytes == 1_000_000 and c.max_age == 60.0
    assert c.host_headers["ft.com"] == {"X-Ft": "1"}  # the registry's domains for the outlet
    merged = Path(c.cookies_file).read_text(encoding="utf-8")
    # every cookie of the general file, and the outlet file's cookies for the outlet's domains only
    assert merged.count(".example.org") == 1 and ".ft.com\t" in merged
    net.close()
    assert not Path(c.cookies_file).exists()  # the merged file goes with the run


def test_precedence_user_file_project_environment_flags(tmp_path: Path, monkeypatch) -> None:
    user_jar, project_jar, env_jar = (cookies(tmp_path, f"{n}.txt", "example.org") for n in ("user", "project", "env"))
    conf = user_file(tmp_path, f'[fetch]\ncookies_file = "{user_jar}"\n'
                     '[fetch.headers]\nX-A = "user"\nX-B = "user"\nX-C = "user"\n')
    # `check` puts the project file's settings in the options first (gate.core.build_options)
    project = Options()
    project.fetch.cookies_file = project_jar
    project.fetch.headers = {"X-B": "project", "X-C": "project"}
    monkeypatch.setenv("VERIFIER_HEADERS", "X-C: env")
    c = applied(conf, project).fetch
    assert c.headers == {"X-A": "user", "X-B": "project", "X-C": "env"}
    assert c.cookies_file == project_jar
    assert applied(conf).fetch.cookies_file == user_jar
    assert applied(conf, cookies=env_jar).fetch.cookies_file == env_jar  # flag or $VERIFIER_COOKIES
    assert applied(conf, header=["X-C: flag"]).fetch.headers["X-C"] == "flag"


def test_discovery_from_the_user_file_under_the_environment(tmp_path: Path, monkeypatch) -> None:
    conf = user_file(tmp_path, '[discovery]\nguardian_api_key = "from-file"\ngdelt_base = "http://127.0.0.1:9/gdelt/"\n'
                     'min_intervals = { gdelt = 0.5 }\nsite_bases = { "The Times" = "http://127.0.0.1:9" }\n')
    d = applied(conf).discovery
    assert d.guardian_key() == "from-file" and d.gdelt() == "http://127.0.0.1:9/gdelt"
    assert d.interval("gdelt") == 0.5 and d.site_bases == {"The Times": "http://127.0.0.1:9"}
    monkeypatch.setenv("GUARDIAN_API_KEY", "from-env")
    monkeypatch.setenv("VERIFIER_GDELT_INTERVAL", "2")
    d = applied(conf).discovery
    assert d.guardian_key() == "from-env" and d.interval("gdelt") == 2.0
    explicit = Options(discovery=DiscoveryConfig(guardian_api_key="explicit"))
    assert applied(conf, explicit).discovery.guardian_key() == "explicit"


@pytest.mark.parametrize("body,needle", [
    ("[discovery]\nmin_intervals = { gdlet = 1 }\n", "unknown provider 'gdlet'"),
    ('[discovery]\ngdelt_base = "file:///etc/passwd"\n', "[discovery] gdelt_base must be an http(s) URL"),
    ('[fetch]\nfail_on = "none"\n', "unknown key(s) in [fetch]: fail_on"),
    ('[store]\npath = 3\n', "[store] path must be a path string, not int"),
    ('[fetch.outlets.FT]\nheaders = { X = 1 }\n', "outlets.FT.headers must be a table of strings"),
    ('[fetch]\ntimeout = 3\n', "[fetch] timeout is set in the project's verifier.toml"),
])
def test_bad_user_keys_name_the_key(tmp_path: Path, body: str, needle: str) -> None:
    with pytest.raises(OptionError, match=re.escape(needle)):
        applied(user_file(tmp_path, body))


# ---------------------------------------------------------------- the environment registry


def _names_read_in_code() -> set[str]:
    names = set()
    for p in (ROOT / "verifier").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        names.update(re.findall(r"""(?:environ(?:\.get)?\(|environ\[|getenv\(|env_value\(|value\(|envvar=)\s*["']([A-Z][A-Z0-9_]+)["']""",
                                text))
        names.update(re.sub(r"\{[^}]*\}", "X", m) for m in re.findall(r"""env_value\(f["']([A-Z_{}.()a-z]+)["']""", text))
    return names


def test_every_variable_the_code_reads_is_registered() -> None:
    names = _names_read_in_code()
    assert {"VERIFIER_STORE", "GUARDIAN_API_KEY", "VERIFIER_OUTLETS", "GITHUB_STEP_SUMMARY"} <= names
    for name in names:
        envreg.by_name(name)  # KeyError names the one missing
    with pytest.raises(KeyError):
        envreg.value("VERIFIER_NOT_A_SETTING")


def test_every_registered_file_key_exists() -> None:
    dotted = {k.dotted for k in KEYS}
    for var in envreg.ENV:
        assert var.key is None or var.key in dotted, var
    assert set(PROVIDERS) == set(DEFAULT_INTERVALS)
    for kind in ALIASES.values():
        assert set(kind.values()) <= dotted
    assert set(PROJECT_TOP_LEVEL.values()) <= dotted


def test_isolation_clears_every_registered_variable(tmp_path: Path) -> None:
    mp = pytest.MonkeyPatch()
    try:
        for name in ("GUARDIAN_API_KEY", "VERIFIER_SITE_TIMES", "VERIFIER_GDELT_INTERVAL", "VERIFIER_WAYBACK_API",
                     "VERIFIER_OUTLETS", "GITHUB_STEP_SUMMARY", "VERIFIER_NO_STORE"):
            mp.setenv(name, "1")
        isolate_environment(mp, tmp_path)
        left = set(envreg.matching())
        assert left == {"VERIFIER_STORE", "VERIFIER_CONFIG"}
    finally:
        mp.undo()


# ---------------------------------------------------------------- docs/configuration.md


def test_configuration_doc_lists_every_key_variable_and_old_spelling() -> None:
    doc = DOCS.read_text(encoding="utf-8")
    sections = {m.group(1): m.group(2)
                for m in re.finditer(r"^### `\[(\w+)\]`\n(.*?)(?=^### |^## |\Z)", doc, re.S | re.M)}
    assert set(sections) == {k.section for k in KEYS}
    for k in KEYS:
        row = next((line for line in sections[k.section].splitlines() if line.startswith(f"| `{k.name}` |")), None)
        assert row, f"docs/configuration.md: no row for [{k.section}] {k.name}"
        for name in env_for(k):
            assert f"`{name}`" in row, (k.dotted, name)
        if k.flag:
            assert f"`{k.flag}" in row, (k.dotted, k.flag)
    for var in envreg.ENV:
        assert f"`{var.name}`" in doc, var.name
    for old in ALIASES["user"]:
        section, name = old.split(".")
        assert f"[{section}] {name}" in doc, old
    assert "defaults < user file < project file < environment < flags" in doc
