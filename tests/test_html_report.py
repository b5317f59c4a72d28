"""The HTML report: self-contained, and rendered correctly by headless Chromium (Debian
`chromium`, driven with Playwright's Python package). Saves build/html-report.png."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verifier.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
FOUNDING = ROOT / "fixtures" / "founding"
MISQUOTE = ROOT / "tests" / "data" / "misquote.txt"
SOURCES = [
    "--offline",
    "--source", f"Guardian={FOUNDING / 'guardian.html'}",
    "--source", f"Times={FOUNDING / 'times.html'}",
    "--source", f"Financial Times={FOUNDING / 'ft.html'}",
]
CHROMIUM = os.environ.get("VERIFIER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
COLOURS = {  # mark background per verdict (formats/html.py CSS variables)
    "confirmed": "rgb(218, 251, 225)",
    "partial": "rgb(255, 241, 168)",
    "unverified": "rgb(255, 220, 215)",
    "skipped": "rgb(234, 238, 242)",
}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[Path, dict]:
    """HTML and JSON reports for the misquote draft, with the Lavrov claim waived."""
    d = tmp_path_factory.mktemp("html")
    text = MISQUOTE.read_text(encoding="utf-8").replace(
        "Russia told the US", "[verifier: ignore reason=no_source note=\"agency copy\"]\nRussia told the US", 1)
    story = d / "story.txt"
    story.write_text(text, encoding="utf-8")
    args = ["check", str(story), *SOURCES, "--skip-outlet", "AFP", "--reason", "no_source=warn:people"]
    html_path = d / "verifier-report.html"
    r = CliRunner().invoke(app, [*args, "--format", "html", "--output", str(html_path)])
    assert r.exit_code == 1, r.output
    js = json.loads(CliRunner().invoke(app, [*args, "--format", "json"]).stdout)
    return html_path, js


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if tag in ("script", "iframe", "object", "embed"):
            self.external.append(tag)
        if tag == "link" or (tag in ("img", "audio", "video", "source") and not (a.get("src") or "").startswith("data:")):
            self.external.append(f"{tag} {a}")


def test_self_contained(report):
    html_path, js = report
    page = html_path.read_text(encoding="utf-8")
    p = _Assets()
    p.feed(page)
    assert p.external == []
    assert "@import" not in page and not re.search(r"url\((?!data:)", page)
    assert "Content-Security-Policy" in page
    n = len(js["reports"][0]["findings"])
    assert page.count('<mark class="att ') == n
    assert page.count('<section class="card ') == n


def _chromium_available() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return (f"{CHROMIUM} not installed: install Debian packages chromium and chromium-driver "
                "(.ci/run does this when it can reach the Debian registry)")
    return None


def test_renders_in_headless_chromium(report):
    reason = _chromium_available()
    if reason:
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (test dependency) not installed")
    html_path, js = report
    findings = {f["id"]: f for f in js["reports"][0]["findings"]}
    BUILD.mkdir(exist_ok=True)
    shot = BUILD / "html-report.png"
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            external: list[str] = []
            page.on("request", lambda req: None if req.url.startswith(("file:", "data:")) else external.append(req.url))
            page.goto(html_path.as_uri())
            page.wait_for_load_state("load")
            assert external == []

            marks = page.locator("mark.att")
            assert marks.count() == len(findings)
            for fid, f in findings.items():
                mark = page.locator(f"mark.att[data-id='{fid}']")
                assert mark.is_visible()
                assert mark.get_attribute("data-verdict") == f["verdict"]
                assert mark.get_attribute("data-status") == f["status"]
                assert mark.evaluate("e => getComputedStyle(e).backgroundColor") == COLOURS[f["verdict"]]
                # the tag after each highlight names the attribution and its verdict
                assert mark.locator("sup.tag").inner_text().replace("\u00a0", " ") == f"{fid} · {f['verdict']}"
                # its side-panel card shows the verdict label (uppercased by CSS)
                card = page.locator(f"#card-0-{fid}")
                assert card.is_visible() or card.count() == 1
                assert card.locator(".label").inner_text() == f["verdict"].upper()

            a6 = page.locator("mark.att[data-id='a6']")
            assert a6.get_attribute("data-verdict") == "partial"
            assert a6.locator("mark.diff").inner_text() == "huge"
            card = page.locator("#card-0-a6")
            assert card.locator(".status").inner_text() == "FAILED"
            assert card.locator("blockquote mark.diff-src").first.inner_text() == "significant"
            assert "significant advantage" in card.inner_text()
            a7 = page.locator("#card-0-a7")
            assert a7.locator(".status").inner_text() == "waived"
            assert "agency copy" in a7.inner_text()  # the waiver marker is shown with the finding
            assert page.locator("mark.att[data-id='a7']").evaluate("e => getComputedStyle(e).outlineStyle") == "dashed"
            assert page.locator("#result").inner_text() == "failed"

            # the tag link jumps to the card
            a6.locator("a").click()
            assert page.evaluate("location.hash") == "#card-0-a6"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000


def test_plain_chromium_screenshot(report):
    """The no-Playwright route: `chromium --headless --screenshot` and `--dump-dom`."""
    reason = _chromium_available()
    if reason:
        pytest.skip(reason)
    html_path, js = report
    BUILD.mkdir(exist_ok=True)
    shot = BUILD / "html-report-cli.png"
    shot.unlink(missing_ok=True)
    base = [CHROMIUM, *CHROMIUM_ARGS, "--window-size=1400,1000", f"--user-data-dir={html_path.parent / 'profile'}"]
    subprocess.run([*base, f"--screenshot={shot}", html_path.as_uri()], capture_output=True, timeout=120, check=False)
    assert shot.exists() and shot.stat().st_size > 10_000
    dom = subprocess.run([*base, "--dump-dom", html_path.as_uri()], capture_output=True, text=True, timeout=120,
                         check=False).stdout
    assert dom.count('class="att ') == len(js["reports"][0]["findings"])
    assert 'data-id="a6" data-verdict="partial"' in dom
