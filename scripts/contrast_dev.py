#!/usr/bin/env python3
"""Contrast sets over real text: no minimal meaning-changing edit may come back `confirmed`.

Runs the generator of `verifier/contrast/` over the sentences of real articles, each checked
against its own article as the source (as `verifier claim TEXT --source FILE` does), and prints
per-kind counts of verdicts, the false-confirm count and (with --verbose) every false confirm.

    .venv/bin/python scripts/contrast_dev.py                      # a sample of 105 PolNeAR articles
    .venv/bin/python scripts/contrast_dev.py --all                # all 840 (about half an hour)
    .venv/bin/python scripts/contrast_dev.py --verbose --kinds roles,hedge_move
    .venv/bin/python scripts/contrast_dev.py --out /tmp/contrast.jsonl
    .venv/bin/python scripts/contrast_dev.py --fixtures --verbose     # the project's own fixture pages,
                                                                      # uncapped (the tests cap per page)

Sources: ../shared/corpora/polnear/train/text (plain-text articles) and the real captured pages of
../shared/real-pages (*.html). Development data only: nothing here is copied into the repository,
and the tests do not run this (they run the same generator over the project's own fixtures).

A false confirm is "frame" when the edit changed only words outside a quotation that the verifier
read as the quote being attributed (the day, place or title in the cue of “…,” she said on
Friday): the quoted words themselves were not edited. They are counted apart.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.api import DocumentCache, Options, fetch_documents, verify_claim  # noqa: E402
from verifier.contrast import KINDS, Page, edited_outside_quote, page_cases  # noqa: E402

SHARED = ROOT.parent / "shared"


def sources(args: argparse.Namespace) -> list[Path]:
    if args.fixtures:
        fixtures = ROOT / "fixtures"
        return sorted((fixtures / "corpus").glob("*/sources/*.html")) + sorted((fixtures / "real-pages").glob("*.html"))
    out: list[Path] = []
    polnear = Path(args.polnear)
    if polnear.is_dir():
        texts = sorted(polnear.glob("*.txt"))
        if not args.all:
            # every k-th article: the same sample every run, all seven outlets in it
            step = max(1, len(texts) // args.articles)
            texts = texts[::step][: args.articles]
        out += texts
    pages = Path(args.pages)
    if pages.is_dir():
        out += sorted(pages.glob("*.html"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--polnear", default=str(SHARED / "corpora" / "polnear" / "train" / "text"))
    ap.add_argument("--pages", default=str(SHARED / "real-pages"))
    ap.add_argument("--articles", type=int, default=105, help="PolNeAR articles in the sample")
    ap.add_argument("--all", action="store_true", help="every PolNeAR article")
    ap.add_argument("--fixtures", action="store_true", help="the project's fixture pages instead of the shared data")
    ap.add_argument("--kinds", default="", help="comma-separated kinds (default: all)")
    ap.add_argument("--verbose", action="store_true", help="print every false confirm")
    ap.add_argument("--out", help="write every checked edit as JSON lines")
    args = ap.parse_args()
    kinds = tuple(k for k in args.kinds.split(",") if k) or KINDS
    unknown = set(kinds) - set(KINDS)
    if unknown:
        ap.error(f"unknown kinds: {', '.join(sorted(unknown))}")

    files = sources(args)
    if not files:
        print("no sources found (see --polnear, --pages)", file=sys.stderr)
        return 2
    opts = Options(offline=True, discover=False, documents=DocumentCache())
    out = open(args.out, "w", encoding="utf-8") if args.out else None
    counts: Counter[tuple[str, str]] = Counter()
    originals: Counter[str] = Counter()
    false_confirms: list[dict] = []
    frame: list[dict] = []
    crashes: list[dict] = []
    started = time.monotonic()
    checked = 0
    for n, path in enumerate(files, 1):
        loc = str(path)
        doc = fetch_documents([loc], opts)[loc]
        if not doc.ok or not doc.paragraphs or doc.paywalled:
            print(f"skipped {path.name}: {doc.error or ('paywalled' if doc.paywalled else 'no text')}", file=sys.stderr)
            continue
        page = Page.of(doc.text)
        cases = page_cases(doc.text, page, kinds)
        seen_originals: set[str] = set()
        for original, e in cases:
            if original not in seen_originals and not e.quote:
                seen_originals.add(original)
                got = verify_claim(original, sources=[loc], options=opts).findings[0]
                originals[got.verdict.value] += 1
            checked += 1
            name = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name
            row = {"source": name, "kind": e.kind, "original": original, "edited": e.text,
                   "before": e.before, "after": e.after, "speaker": e.speaker}
            try:
                f = verify_claim(e.text, sources=[loc], speaker=e.speaker, options=opts).findings[0]
            except Exception as exc:  # a crash in the verifier is a finding of this script
                crashes.append({**row, "error": repr(exc)})
                counts[(e.kind, "crash")] += 1
                continue
            row.update(verdict=f.verdict.value, reason=f.reason.value, score=round(f.score, 1),
                       checked_as=f.attribution.kind, checked_text=f.attribution.text)
            if out:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            if f.verdict.value == "confirmed":
                if edited_outside_quote(e, original, f.attribution.kind, f.attribution.text):
                    frame.append(row)
                    counts[(e.kind, "frame")] += 1
                    continue
                false_confirms.append(row)
            counts[(e.kind, f.verdict.value)] += 1
        if n % 20 == 0:
            print(f"{n}/{len(files)} sources, {checked} edits, {time.monotonic() - started:.0f}s", file=sys.stderr)
    if out:
        out.close()

    cols = ("confirmed", "partial", "unverified", "frame", "crash")
    print(f"{'kind':<20}" + "".join(f"{c:>11}" for c in cols) + f"{'total':>8}")
    for k in kinds:
        row_counts = [counts[(k, c)] for c in cols]
        if sum(row_counts):
            print(f"{k:<20}" + "".join(f"{c:>11}" for c in row_counts) + f"{sum(row_counts):>8}")
    total = sum(counts.values())
    print(f"sources={len(files)} edits={total} originals_confirmed={originals['confirmed']}/{sum(originals.values())}"
          f" seconds={time.monotonic() - started:.0f}")
    if args.verbose:
        for title, rows in (("FALSE CONFIRMS", false_confirms), ("FRAME EDITS CONFIRMED", frame), ("CRASHES", crashes)):
            print(f"\n== {title} ({len(rows)})")
            for r in rows:
                print(f"- [{r['kind']}] {r['source']}  {r.get('verdict', '')}/{r.get('reason', r.get('error', ''))}"
                      f"{'  speaker=' + r['speaker'] if r['speaker'] else ''}")
                print(f"    original: {r['original']}")
                print(f"    edited:   {r['edited']}")
                print(f"    change:   {r['before']!r} -> {r['after']!r}")
    print(f"contrast false_confirms={len(false_confirms)} frame={len(frame)} crashes={len(crashes)} edits={total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
