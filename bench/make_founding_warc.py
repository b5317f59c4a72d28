"""Build fixtures/founding/founding.warc.gz: the founding example's three originals, as if
fetched from their canonical URLs, so the demo can be replayed from the evidence store:

    verifier sources import fixtures/founding/founding.warc.gz --store demo.sqlite3
    verifier article fixtures/founding/article.txt --offline --store demo.sqlite3 \\
        --source "Guardian=https://www.theguardian.com/world/2025/feb/20/uk-and-france-draw-up-plans-for-european-reassurance-force-in-ukraine" \\
        --source "Times=https://www.thetimes.com/world/russia-ukraine-war/article/us-air-cover-essential-to-european-peace-force-plan-qm7xk2vbd" \\
        --source "Financial Times=https://www.ft.com/content/3f4c8a2e-6d1b-4a57-b0c9-2e8f7d51a6b4"

The URLs are each page's <link rel="canonical">; the capture time is fixed so the WARC (and the
evidence it yields) does not change between regenerations apart from WARC record ids.

    python bench/make_founding_warc.py [OUT]
"""

from __future__ import annotations

import hashlib
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.fetch.store import Store  # noqa: E402
from verifier.models import FetchResult  # noqa: E402
from verifier.textcodec import decode_text  # noqa: E402

FOUNDING = ROOT / "fixtures" / "founding"
OUT = FOUNDING / "founding.warc.gz"
FETCHED_AT = "2025-02-20T09:30:00Z"  # the morning the wire story ran
ORIGINALS = {"Guardian": "guardian.html", "Times": "times.html", "Financial Times": "ft.html"}
_CANONICAL = re.compile(r"""<link\s+rel=["']canonical["']\s+href=["']([^"']+)["']""", re.I)


def canonical_url(path: Path) -> str:
    m = _CANONICAL.search(path.read_text(encoding="utf-8"))
    if not m:
        raise SystemExit(f"{path}: no <link rel=canonical>")
    return m.group(1)


def sources() -> dict[str, str]:
    """{--source NAME: canonical URL} for the three originals."""
    return {name: canonical_url(FOUNDING / file) for name, file in ORIGINALS.items()}


def build(out: Path = OUT) -> int:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.sqlite3") as store:
        for file in ORIGINALS.values():
            body = (FOUNDING / file).read_bytes()
            url = canonical_url(FOUNDING / file)
            text, enc = decode_text(body, "utf-8")
            result = FetchResult(
                location=url, url=url, final_url=url, status=200, content_type="text/html",
                body=body, text=text, encoding=enc, fetched_at=FETCHED_AT,
                sha256=hashlib.sha256(body).hexdigest(),
            )
            store.put(result, headers={"content-type": "text/html; charset=utf-8",
                                       "date": "Thu, 20 Feb 2025 09:30:00 GMT"})
        return store.export_warc(out)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    n = build(target)
    print(f"wrote {n} records to {target}")
    for name, url in sources().items():
        print(f"  --source '{name}={url}'")
