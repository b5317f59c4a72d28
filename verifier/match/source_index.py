"""A source text tokenised once (`SourceIndex`): canonical tokens, a token position index, sentence
spans (abbreviation-aware), their content stems and paragraphs. Built once per document by
`index_text` and shared by the quote aligner, the claim matchers and the speaker checks."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache

from verifier.match.normalize import Token, content_stems, tokenize


@dataclass
class SourceIndex:
    """A source text tokenised once, with lookups the matcher needs. Build with `index_text`."""

    text: str
    tokens: list[Token]
    positions: dict[str, list[int]]  # norm -> token indexes
    sentences: list[tuple[int, int]]  # token index ranges [start, end)
    sentence_stems: list[list[str]]
    stem_sentences: dict[str, set[int]]
    sentence_paragraph: list[int]
    derived: dict[str, object] = field(default_factory=dict)  # per-document indexes other stages build lazily



_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)]*\s+(?=[\"'“‘«(]?[A-Z0-9])|(?:(?<=\.\.\.)|(?<=…))(?=[A-Z])|\n+")


@lru_cache(maxsize=1)
def _abbreviation_end() -> re.Pattern[str]:
    """A full stop that ends an abbreviation, not a sentence: a title ("Sen.", "Gov.", from the
    titles in data/semantics.toml), a middle initial ("Harry M. Reid"), "No.", "U.S.", "e.g."."""
    from verifier.match.elements import titles

    words = sorted({t.capitalize() for t in titles()} | {"No", "vs", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec"})
    return re.compile(r"(?:\b(?:" + "|".join(map(re.escape, words)) + r")|\b[A-Z]|U\.S|U\.K|e\.g|i\.e)\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences (newlines always end one)."""
    spans = []
    start = 0
    abbreviation = _abbreviation_end()
    for m in _SENTENCE_END.finditer(text):
        prev = text[max(0, m.start() - 6) : m.start()]
        if abbreviation.search(prev):
            continue
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


# In a source, the cue between two parts of one speaker's quotation (“…,” she said. “…”) may be
# dropped by copy that quotes both parts as one; its words are free to skip when aligning a quote.
_INTERJECTION = re.compile(
    r"[”\"’»]\s*(?P<mid>[^“”\"«»\n]{1,100}?)\s*[“\"‘«]"
)
_INTERJECTION_VERB = re.compile(r"\b(?:said|says|added|adds|told|continued|explained|insisted|warned|according)\b")


def _free_interjections(text: str, tokens: list[Token]) -> list[Token]:
    spans = [
        (m.start("mid"), m.end("mid"))
        for m in _INTERJECTION.finditer(text)
        if _INTERJECTION_VERB.search(m.group("mid"))
    ]
    if not spans:
        return tokens
    out = []
    k = 0
    for t in tokens:
        while k < len(spans) and spans[k][1] <= t.start:
            k += 1
        if k < len(spans) and spans[k][0] <= t.start < spans[k][1]:
            t = replace(t, optional=True)
        out.append(t)
    return out


def index_text(text: str) -> SourceIndex:
    tokens = _free_interjections(text, tokenize(text))
    positions: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(tokens):
        positions[t.norm].append(i)
    sents: list[tuple[int, int]] = []
    paragraph_of: list[int] = []
    para_breaks = [m.start() for m in re.finditer(r"\n\s*\n", text)]
    ti = 0
    for s, e in sentence_spans(text):
        first = ti
        while ti < len(tokens) and tokens[ti].start < e:
            ti += 1
        if ti > first:
            sents.append((first, ti))
            paragraph_of.append(sum(1 for b in para_breaks if b < s))
    sent_stems = [content_stems(tokens[a:b]) for a, b in sents]
    stem_sents: dict[str, set[int]] = defaultdict(set)
    for si, stems in enumerate(sent_stems):
        for st in stems:
            stem_sents[st].add(si)
    return SourceIndex(text, tokens, dict(positions), sents, sent_stems, dict(stem_sents), paragraph_of)
