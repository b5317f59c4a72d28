"""Verdicts: turn matches against an attribution's sources into one explained `Finding`.

The rules, in the order they are applied, are documented in the README ("Verdict rules"). The
guiding constraint: `confirmed` only when every word of a quote is accounted for (after
normalisation), or when a claim's substance is in one passage and its numbers, negations and
quoted fragments all agree. Everything uncertain degrades to `partial` or `unverified`.

The parts: `assess.py` judges one attribution against one document; `named_speakers.py` is the
by-name speaker check; this module picks the best of an attribution's sources and applies the
paywall, misattribution and unreadable-source rules.
"""

from __future__ import annotations

from verifier.match.assess import (
    CLAIM_PARTIAL_MIN,
    CLAIM_SUPPORTED_MIN,
    QUOTE_PARTIAL_MIN,
    Assessment,
    Thresholds,
    assess,
    claim_index,
    source_name,
)
from verifier.match.named_speakers import speaker_conflict_by_name as _speaker_conflict
from verifier.match.source_index import SourceIndex, index_text
from verifier.models import (
    Attribution,
    Finding,
    Reason,
    SourceDocument,
    SourceRef,
    Verdict,
)

__all__ = ["CLAIM_PARTIAL_MIN", "CLAIM_SUPPORTED_MIN", "QUOTE_PARTIAL_MIN", "DocumentIndexCache", "Thresholds",
           "_speaker_conflict", "claim_index", "judge"]


class DocumentIndexCache:
    """Tokenise each source document once per run, however many attributions it serves."""

    def __init__(self) -> None:
        self._cache: dict[int, SourceIndex] = {}

    def get(self, doc: SourceDocument) -> SourceIndex:
        key = id(doc)
        if key not in self._cache:
            self._cache[key] = index_text(doc.text)
        return self._cache[key]


def judge(
    attribution: Attribution,
    refs: list[SourceRef],
    documents: dict[str, SourceDocument],
    *,
    cited: list[str] | None = None,
    cache: DocumentIndexCache | None = None,
    thresholds: Thresholds | None = None,
    article_date: str | None = None,
) -> Finding:
    """The finding for one attribution.

    `refs` are its own sources; `documents` maps every location to its document; `cited` lists
    every location the article cites (for the misattribution check); `article_date` (YYYY-MM-DD)
    places the article's relative times ("last year") when a source gives the absolute one.
    """
    cache = cache or DocumentIndexCache()
    th = thresholds or Thresholds()
    a = attribution
    tried = [r.location for r in refs]
    if not refs:
        who = a.outlet or a.speaker or "this attribution"
        return Finding(
            a, Verdict.UNVERIFIED, Reason.NO_SOURCE, 0.0,
            f"No source available for {who}: the article gives no link and none was passed with --source.",
        )
    docs = [(r, documents[r.location]) for r in refs if r.location in documents]
    usable = [(r, d) for r, d in docs if d.ok and d.paragraphs]
    failed = [(r, d) for r, d in docs if not (d.ok and d.paragraphs)]
    if not usable:
        errors = "; ".join(f"{source_name(d)}: {d.error or 'no article text found'}" for _, d in failed)
        return Finding(
            a, Verdict.UNVERIFIED, Reason.SOURCE_UNAVAILABLE, 0.0,
            f"Source could not be read ({errors}).", sources_tried=tried,
        )
    best: Assessment | None = None
    best_doc: SourceDocument | None = None
    best_ref: SourceRef | None = None
    for ref, doc in usable:
        got = assess(a, doc, cache.get(doc), th, article_date)
        if best is None or got.rank() > best.rank():
            best, best_doc, best_ref = got, doc, ref
    assert best is not None and best_doc is not None and best_ref is not None

    # A bare candidate source from a different outlet than the one named is not the cited original.
    if (
        best.verdict is not Verdict.UNVERIFIED
        and best_ref.origin == "candidate"
        and a.outlet
        and best_doc.outlet
        and best_doc.outlet != a.outlet
    ):
        best = _misattributed(a, best, best_doc)
    if best.verdict is Verdict.PARTIAL and best_doc.paywalled and _missing_only(best):
        # on a teaser, "part of the claim is missing" means "the rest is behind the paywall"
        best = Assessment(Reason.NOT_FOUND, best.score, best.explanation, best.evidence, best.differences)
    # Misattribution: the cited outlet's article does not carry it (or only a distorted version),
    # but another source the article cites carries it exactly.
    other: Assessment | None = None
    # Only when the cited article is silent: when it contradicts (a different number, a flipped
    # negation, other words in a quote) that contradiction is the finding.
    silent = best.verdict is Verdict.UNVERIFIED or (best.verdict is Verdict.PARTIAL and _missing_only(best))
    if silent and not a.collective:
        other = _search_elsewhere(a, [loc for loc in (cited or []) if loc not in tried], documents, cache, th,
                                  article_date, paraphrase_will_do=best.verdict is Verdict.UNVERIFIED)
    if best.verdict is Verdict.UNVERIFIED:
        paywalled = [d for _, d in usable if d.paywalled]
        if paywalled:
            # we cannot say the cited outlet lacks it: the rest of its article is behind the wall
            d = paywalled[0]
            also = f" It is in {other.evidence.outlet or other.evidence.url}, another cited source." if (
                other is not None and other.evidence is not None) else ""
            best = Assessment(
                Reason.PAYWALLED, best.score,
                f"Not in the text visible on {source_name(d)}, which is behind a paywall"
                f" ({d.paywall_reason or 'subscriber-only'}); only the teaser could be checked.{also}",
                best.evidence, best.differences,
            )
        elif other is not None:
            best = other
    elif other is not None:
        best = other
    if best.verdict is Verdict.UNVERIFIED:
        if best.reason is Reason.NOT_FOUND and failed:
            errors = "; ".join(f"{source_name(d)}: {d.error or 'no article text'}" for _, d in failed)
            best.explanation += f" Other sources could not be read ({errors})."
    if best.reason is Reason.PAYWALLED and best.evidence is not None:
        best.evidence.paywalled = True
    return Finding(
        a, best.verdict, best.reason, best.score, best.explanation, best.evidence, best.differences,
        sources_tried=tried,
    )


def _missing_only(got: Assessment) -> bool:
    """A partial verdict that only says something is absent (not contradicted) in the passage."""
    if got.reason in (Reason.PARTLY_SUPPORTED, Reason.FRAGMENT_MISSING):
        return True
    return got.reason is Reason.NUMBER_DIFFERS and all(
        not d.source for d in got.differences if d.kind == "number"
    )



def _search_elsewhere(
    a: Attribution,
    locations: list[str],
    documents: dict[str, SourceDocument],
    cache: DocumentIndexCache,
    th: Thresholds,
    article_date: str | None = None,
    paraphrase_will_do: bool = False,
) -> Assessment | None:
    """Another cited source that carries the attribution: word for word, or, when the cited
    outlet has nothing like it at all, in other words."""
    for loc in locations:
        doc = documents.get(loc)
        if doc is None or not doc.ok or not doc.paragraphs:
            continue
        got = assess(a, doc, cache.get(doc), th, article_date)
        if got.verdict is Verdict.CONFIRMED or (paraphrase_will_do and got.reason is Reason.PARAPHRASE):
            return _misattributed(a, got, doc)
    return None


def _misattributed(a: Attribution, got: Assessment, doc: SourceDocument) -> Assessment:
    cited = a.outlet or "the cited source"
    return Assessment(
        Reason.MISATTRIBUTED, got.score,
        f"Not in {cited}'s article, but found in {source_name(doc)}, another source: the attribution"
        f" names the wrong outlet.",
        got.evidence, got.differences,
    )
