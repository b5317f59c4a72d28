"""The evidence store under bad input (issue 12, items 8 and 9): a truncated or corrupt WARC is an
error with nothing stored, importing twice adds nothing, a read-only store can still be read, and
a damaged store is one clear line (exit 2) and is never overwritten."""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT / "fixtures" / "founding"
WARC = FOUNDING / "founding.warc.gz"
GUARDIAN = "https://www.theguardian.com/world/2025/feb/20/uk-and-france-draw-up-plans-for-european-reassurance-force-in-ukraine"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "verifier", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def one_line(cp: subprocess.CompletedProcess[str]) -> str:
    assert cp.returncode == 2, (cp.returncode, cp.stdout, cp.stderr)
    lines = cp.stderr.strip().splitlines()
    assert len(lines) == 1 and "internal error" not in lines[0] and "Traceback" not in cp.stderr, cp.stderr
    return lines[0]


def rows(store: Path) -> int:
    with contextlib.closing(sqlite3.connect(store)) as db:
        return db.execute("SELECT count(*) FROM fetches").fetchone()[0]


# ---- item 8: WARC import ----------------------------------------------------------------------------


@pytest.mark.parametrize("cut", [5000, 8000])
def test_truncated_warc_is_an_error_and_stores_nothing(tmp_path: Path, cut: int) -> None:
    trunc = tmp_path / "cut.warc.gz"
    trunc.write_bytes(WARC.read_bytes()[:cut])
    store = tmp_path / "s.sqlite3"
    line = one_line(run("sources", "import", trunc, "--store", store))
    assert "nothing was stored" in line and ("truncated" in line or "corrupt" in line), line
    assert rows(store) == 0


def test_truncated_uncompressed_warc_is_an_error(tmp_path: Path) -> None:
    raw = gzip.decompress(WARC.read_bytes())
    cut = tmp_path / "cut.warc"
    cut.write_bytes(raw[: len(raw) - 500])
    store = tmp_path / "s.sqlite3"
    line = one_line(run("sources", "import", cut, "--store", store))
    assert "truncated" in line
    assert rows(store) == 0


def test_body_not_matching_its_recorded_sha256_is_corrupt(tmp_path: Path) -> None:
    raw = gzip.decompress(WARC.read_bytes())
    i = raw.index(b"<title>") + len(b"<title>")
    bad = tmp_path / "bad.warc"
    bad.write_bytes(raw[:i] + (b"X" if raw[i:i + 1] != b"X" else b"Y") + raw[i + 1:])  # same length
    store = tmp_path / "s.sqlite3"
    line = one_line(run("sources", "import", bad, "--store", store))
    assert "corrupt" in line and "WARC-Verifier-SHA256" in line
    assert rows(store) == 0


def test_importing_twice_adds_nothing_and_says_so(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    first = run("sources", "import", WARC, "--store", store)
    assert first.returncode == 0 and "imported 3 records" in first.stdout
    second = run("sources", "import", WARC, "--store", store)
    assert second.returncode == 0 and "imported 0 records" in second.stdout and "3 already in the store" in second.stdout
    assert rows(store) == 3


# ---- item 9: read-only and damaged stores ------------------------------------------------------------


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make `path` unwritable for this process: chmod for a normal user; as root (who ignores
    permission bits), the immutable attribute. Skips when neither is possible here."""
    if os.geteuid() != 0:
        os.chmod(path, 0o444)
        try:
            yield
        finally:
            os.chmod(path, 0o644)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)],
                                                          capture_output=True).returncode != 0:
        pytest.skip("cannot make a file read-only for root here (no chattr +i)")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def test_read_only_store_can_still_be_read(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    assert run("sources", "import", WARC, "--store", store).returncode == 0
    article = FOUNDING / "article.txt"
    with read_only(store):
        cp = run("sources", "list", "--store", store)
        assert cp.returncode == 0 and GUARDIAN in cp.stdout, cp.stderr
        cp = run("article", article, "--offline", "--store", store, "--no-discover", "--format", "json",
                 "--source", f"Guardian={GUARDIAN}")
        assert cp.returncode == 0, cp.stderr
        assert '"verdict": "confirmed"' in cp.stdout
        # writing is what cannot work: one line, saying what to do
        line = one_line(run("sources", "import", WARC, "--store", store))
        assert "read-only" in line and "--offline" in line
        line = one_line(run("article", article, "--store", store, "--no-discover", "--source", f"Guardian={GUARDIAN}"))
        assert "read-only" in line


def test_damaged_store_is_one_line_and_left_untouched(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    store.write_bytes(b"this is not an SQLite database at all\n" * 100)
    before = store.read_bytes()
    for args in (["sources", "list"], ["sources", "import", WARC],
                 ["article", FOUNDING / "article.txt", "--offline", "--no-discover"],
                 ["check", FOUNDING / "article.txt", "--offline", "--no-discover"]):
        line = one_line(run(*args, "--store", store))
        assert "damaged" in line and "sources export" in line, line
    assert store.read_bytes() == before


def test_export_saves_what_a_damaged_store_still_holds(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    assert run("sources", "import", WARC, "--store", store).returncode == 0
    with contextlib.closing(sqlite3.connect(store)) as db:
        db.execute("PRAGMA journal_mode=DELETE")
        page = db.execute("PRAGMA page_size").fetchone()[0]
        count = db.execute("PRAGMA page_count").fetchone()[0]
    data = bytearray(store.read_bytes())
    # overwrite the last page (a body's overflow page) with garbage: the schema stays readable
    data[(count - 1) * page:] = b"\xff" * page
    store.write_bytes(bytes(data))
    assert "damaged" in one_line(run("sources", "list", "--store", store))
    cp = run("sources", "export", "--warc", tmp_path / "saved.warc.gz", "--store", store)
    assert cp.returncode == 0, cp.stderr
    assert "exported 2 records" in cp.stdout and "1 damaged record could not be read" in cp.stdout
    fresh = tmp_path / "fresh.sqlite3"
    assert run("sources", "import", tmp_path / "saved.warc.gz", "--store", fresh).returncode == 0
    assert rows(fresh) == 2
