"""`verifier audit` interrupted: a worker killed mid-run, the whole run killed and restarted, and
the date window of the unlinked-citation join; plus the command's usage errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

from audit_support import audit_findings, build  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from verifier.audit import AuditConfig, run_audit  # noqa: E402
from verifier.audit.rows import stable_bucket, url_key  # noqa: E402
from verifier.audit.stages import Plan, block_of  # noqa: E402
from verifier.cli.app import app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VERIFIER = str(Path(sys.executable).with_name("verifier"))


def _rows(output: Path) -> list[str]:
    """Every finding as one canonical JSON line, sorted: equal lists mean equal outputs."""
    rows = [r for rs in audit_findings(str(output)).values() for r in rs]
    for r in rows:
        if r["evidence"]:
            r["evidence"].pop("fetched_at", None)
    return sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("small-archive")
    build(root, generated=60, files=4)
    out = tmp_path_factory.mktemp("baseline")
    run_audit(AuditConfig(inputs=[str(root / "*.warc.gz")], output=str(out), workers=2, partitions=4))
    baseline = _rows(out)
    keys = Counter(json.loads(r)["article_key"] + "#" + json.loads(r)["id"] for r in baseline)
    assert baseline and max(keys.values()) == 1
    return root, baseline


def test_worker_killed_mid_run_gives_the_same_output(small, tmp_path):
    root, baseline = small
    pids: list[int] = []
    killed: list[int] = []

    def on_client(client):
        pids.extend(client.run(os.getpid).values())

    def progress(stage, done, total):
        # one worker dies (SIGKILL: no clean-up) while the attribution stage is under way; the
        # scheduler re-runs its task elsewhere and the nanny starts a fresh worker
        if stage == "articles" and done == 1 and not killed:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    result = run_audit(AuditConfig(inputs=[str(root / "*.warc.gz")], output=str(tmp_path), workers=2, partitions=4),
                       progress=progress, on_client=on_client)
    assert killed and len(pids) == 2
    with pytest.raises(ProcessLookupError):
        os.kill(killed[0], 0)
    assert result.totals["attributions"] == len(baseline)
    assert _rows(tmp_path) == baseline  # same rows, none twice


def test_killed_run_resumes_to_the_same_output(small, tmp_path):
    root, baseline = small
    cmd = [VERIFIER, "audit", str(root / "*.warc.gz"), "--output", str(tmp_path), "--workers", "2",
           "--partitions", "4", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        # kill the whole run (client, scheduler, workers) once some partitions are finished
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list((tmp_path / "_work" / "s2").glob("b*/done.json"))) >= 2:
                break
            time.sleep(0.05)
        assert proc.poll() is None, proc.communicate()
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert not (tmp_path / "summary.html").exists()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    resumed = int(done.stdout.split(" partition(s) resumed")[0].rsplit(";", 1)[1])
    assert resumed >= 4 + 2  # the 4 extract splits and at least 2 attribution buckets were not redone
    assert "summary: " in done.stdout and (tmp_path / "summary.html").exists()
    assert _rows(tmp_path) == baseline


def test_unlinked_citation_outside_the_date_window_is_not_joined(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from audit_archive import ArchivePage, citing_page, write_warcs

    src = (ROOT / "fixtures" / "corpus" / "08_ofsted_report_cards_md" / "sources" / "guardian.html").read_text()
    original = "https://www.theguardian.com/education/2025/feb/03/ofsted-report-cards-single-word-judgments-replaced"
    assert original in src and "far richer picture" in src
    # published on the last day of one date block (Saturday 8 February), cited on the first day of
    # the next, and ten days later
    src = src.replace("2025-02-03", "2025-02-08")
    quote = "Parents will get a far richer picture of what a school does well and where it needs to improve"
    pages = [ArchivePage(original, src.encode(), "2025-02-08T08:00:00Z")]
    for name, day in (("next-day", date(2025, 2, 9)), ("ten-days-later", date(2025, 2, 19))):
        url = f"https://newsdesk.example/{day}/{name}"
        paras = ["Schools were told of the change on Monday.",
                 f"“{quote},” the Guardian reported."]
        pages.append(ArchivePage(url, citing_page(url, name, day, paras), f"{day}T12:00:00Z", kind="citing"))
    write_warcs(pages, tmp_path / "in", files=1, truncate_last=False)
    found = {}
    for window in (3, 14):
        out = tmp_path / f"out{window}"
        run_audit(AuditConfig(inputs=[str(tmp_path / "in" / "*.warc.gz")], output=str(out), workers=2,
                              partitions=3, window_days=window))
        rows = audit_findings(str(out))
        found[window] = {u.rsplit("/", 1)[1]: [r for r in rs if r["outlet"] == "The Guardian"] for u, rs in rows.items()
                         if "newsdesk" in u}
    near, far = found[3]["next-day"][0], found[3]["ten-days-later"][0]
    # the original was published the day before, in another URL bucket and another date block
    plan = Plan(work="", output="", buckets=3, groups=1, window_days=3)
    assert block_of("2025-02-08", plan) != block_of("2025-02-09", plan)
    assert stable_bucket(url_key(original), 3) != stable_bucket(url_key(near["article_url"]), 3)
    assert near["candidate_url"] == original and near["source_date"] == "2025-02-08" and near["date"] == "2025-02-09"
    assert near["discovered_by"] == "archive" and near["verdict"] == "confirmed"
    assert far["reason"] == "no_source" and far["candidate_url"] is None
    assert "within 3 days of 2025-02-19" in far["explanation"]
    wide = found[14]["ten-days-later"][0]
    assert wide["candidate_url"] == original and wide["verdict"] == near["verdict"]


def test_usage_errors_are_one_line_exit_2(tmp_path):
    runner = CliRunner()
    r = runner.invoke(app, ["audit", str(tmp_path / "nothing-*.warc.gz"), "--output", str(tmp_path / "o")])
    assert r.exit_code == 2 and "no input files match" in r.output and "Traceback" not in r.output
    (tmp_path / "a.jsonl").write_text('{"url": "https://newsdesk.example/x", "text": "Hello."}\n')
    r = runner.invoke(app, ["audit", str(tmp_path / "a.jsonl"), "--output", str(tmp_path / "o"),
                            "--date-window", "soon"])
    assert r.exit_code == 2 and "--date-window" in r.output


def test_jsonl_and_parquet_inputs(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = (ROOT / "fixtures" / "corpus" / "08_ofsted_report_cards_md" / "sources" / "guardian.html").read_text()
    original = "https://www.theguardian.com/education/2025/feb/03/ofsted-report-cards-single-word-judgments-replaced"
    quote = "Parents will get a far richer picture of what a school does well and where it needs to improve"
    lines = [
        json.dumps({"url": original, "html": src, "date": "2025-02-03T08:00:00Z"}),
        "{not json",
        json.dumps({"url": "https://newsdesk.example/no-body", "date": "2025-02-03"}),
    ]
    (tmp_path / "pages.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pq.write_table(pa.table({
        "url": ["https://newsdesk.example/2025-02-04/plain-text"],
        "text": [f"Schools were told of the change on Monday.\n\n“{quote},” the Guardian reported.\n"],
        "date": ["2025-02-04T12:00:00Z"],
    }), tmp_path / "copy.parquet")
    result = run_audit(AuditConfig(inputs=[str(tmp_path / "pages.jsonl"), str(tmp_path / "copy.parquet")],
                                   output=str(tmp_path / "out"), workers=2, partitions=2))
    assert result.skipped == {"bad_record": 2}
    rows = audit_findings(str(tmp_path / "out"))["https://newsdesk.example/2025-02-04/plain-text"]
    assert [(r["outlet"], r["verdict"], r["reason"], r["candidate_url"]) for r in rows] == [
        ("The Guardian", "confirmed", "verbatim", original)]
