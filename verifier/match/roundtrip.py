"""Round trips on real captured pages: verbatim quotes must confirm, altered ones must not.

Real sentences are taken from a page's known body paragraphs (`expected.json` next to the pages)
and altered the ways copy goes wrong: a word swapped, a word dropped, "not" inserted, a number
changed, two quotes spliced. `verifier eval` reports these next to the corpus; the test suite runs
them one by one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from verifier.match.source_index import sentence_spans
from verifier.models import Attribution, AttributionKind, Finding, SourceDocument, SourceRef, Verdict

_WORD = re.compile(r"[A-Za-z]{4,}")
_AUX = re.compile(r"\b(is|was|were|are|will|would|has|had|can|could|should|did)\b")


@dataclass
class RoundTrip:
    page: str
    kind: str  # "verbatim" or the alteration: swap, drop, negation, number, splice
    text: str
    finding: Finding

    @property
    def ok(self) -> bool:
        confirmed = self.finding.verdict is Verdict.CONFIRMED
        return confirmed if self.kind == "verbatim" else not confirmed


def real_sentences(real_dir: Path, per_page: int = 12) -> list[tuple[str, str]]:
    """(page, sentence): real sentences of 8-40 words, without quotation marks, from each page."""
    expected = json.loads((real_dir / "expected.json").read_text(encoding="utf-8"))
    out = []
    for name in sorted(expected):
        picked = 0
        for para in expected[name]["body_paragraphs"]:
            for s, e in sentence_spans(para):
                sent = para[s:e].strip().strip("“”\"")
                if 8 <= len(sent.split()) <= 40 and "“" not in sent and '"' not in sent:
                    out.append((name, sent))
                    picked += 1
                if picked >= per_page:
                    break
            if picked >= per_page:
                break
    return out


def swap(sentence: str, vocabulary: list[str]) -> str:
    words = _WORD.findall(sentence)
    target = max(words, key=len)
    for w in vocabulary:
        if w.lower() not in sentence.lower() and len(w) >= 5 and w[0].islower() == target[0].islower():
            return sentence.replace(target, w, 1)
    return sentence.replace(target, "something", 1)


def drop(sentence: str) -> str:
    words = sentence.split()
    i = max(range(1, len(words) - 1), key=lambda k: len(words[k].strip(",.")))
    return " ".join(words[:i] + words[i + 1 :])


def negate(sentence: str) -> str:
    m = _AUX.search(sentence)
    if m:
        return sentence[: m.end()] + " not" + sentence[m.end() :]
    words = sentence.split()
    return " ".join(words[:2] + ["did", "not"] + words[2:])


def renumber(sentence: str) -> str | None:
    m = re.search(r"\d+", sentence)
    if not m:
        return None
    return sentence[: m.start()] + str(int(m.group()) + 3) + sentence[m.end() :]


def splice(a: str, b: str) -> str:
    wa, wb = a.split(), b.split()
    return " ".join(wa[: len(wa) // 2] + wb[len(wb) // 2 :])


def alterations(sentences: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(page, kind, text) for every verbatim sentence and each of its alterations."""
    vocab = sorted({w for _, s in sentences for w in _WORD.findall(s)}, key=lambda w: (-len(w), w))
    out: list[tuple[str, str, str]] = []
    for i, (page, s) in enumerate(sentences):
        out.append((page, "verbatim", s))
        out.append((page, "swap", swap(s, vocab)))
        out.append((page, "drop", drop(s)))
        out.append((page, "negation", negate(s)))
        if (n := renumber(s)) is not None:
            out.append((page, "number", n))
        if i + 1 < len(sentences):
            out.append((page, "splice", splice(s, sentences[i + 1][1])))
    return out


def run_round_trips(real_dir: Path) -> list[RoundTrip]:
    from verifier.extract.document import extract_document
    from verifier.match.verdict import DocumentIndexCache, judge

    docs: dict[str, SourceDocument] = {}
    cache = DocumentIndexCache()
    results = []
    for page, kind, text in alterations(real_sentences(real_dir)):
        if page not in docs:
            docs[page] = extract_document((real_dir / f"{page}.html").read_bytes(), location=f"{page}.html")
        doc = docs[page]
        a = Attribution("a1", AttributionKind.QUOTE, text, (0, len(text)), text, "said")
        f = judge(a, [SourceRef(doc.location, "given")], {doc.location: doc}, cache=cache)
        results.append(RoundTrip(page, kind, text, f))
    return results
