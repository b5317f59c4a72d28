"""The sentence-window claim matcher (`match_claim`): the window of one to three neighbouring
sentences that covers most of a claim's content words (stemmed), then checks that every number,
negation, antonym, named entity and clause of the claim agrees with it. The claim judge
(`match.claims`) decides verdicts; this coarser measure gives the coverage figure and the
"one word changed" evidence."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from verifier.match.normalize import (
    GAP,
    NEGATIONS,
    NUMBER,
    ORDINAL,
    STOPWORDS,
    UNIT,
    WORD,
    Token,
    content_stem,
    content_stems,
    tokenize,
)
from verifier.match.source_index import SourceIndex


@dataclass
class ClaimMatch:
    coverage: float  # 0..1 share of the claim's content words present in the passage
    start: int
    end: int
    missing: list[str] = field(default_factory=list)  # claim words not in the passage (surface)
    number_diffs: list[tuple[str, str]] = field(default_factory=list)
    negation_diffs: list[tuple[str, str]] = field(default_factory=list)
    antonym_diffs: list[tuple[str, str]] = field(default_factory=list)
    weak_clauses: list[str] = field(default_factory=list)
    best_clause: float = 0.0  # coverage of the best-supported clause, when the claim has several


_ANTONYMS = [
    ("increase", "decrease"), ("increase", "cut"), ("rise", "fall"), ("rose", "fell"), ("raise", "cut"),
    ("raise", "lower"), ("higher", "lower"), ("more", "less"), ("more", "fewer"), ("up", "down"),
    ("gain", "loss"), ("win", "lose"), ("won", "lost"), ("approve", "reject"), ("accept", "reject"),
    ("support", "oppose"), ("guilty", "innocent"), ("before", "after"), ("above", "below"),
    ("majority", "minority"), ("buy", "sell"), ("open", "close"), ("allow", "ban"), ("allow", "forbid"),
    ("include", "exclude"), ("start", "end"), ("maximum", "minimum"), ("strengthen", "weaken"),
    ("expand", "shrink"), ("profit", "loss"), ("success", "failure"), ("confirm", "deny"),
    ("agree", "disagree"), ("legal", "illegal"), ("likely", "unlikely"), ("possible", "impossible"),
    ("increase", "reduce"), ("grow", "shrink"), ("rising", "falling"), ("best", "worst"),
    ("first", "last"), ("east", "west"), ("north", "south"), ("lead", "trail"), ("boost", "cut"),
    ("surplus", "deficit"), ("acquit", "convict"), ("resume", "suspend"), ("lift", "impose"),
]


@lru_cache(maxsize=1)
def _antonym_stems() -> dict[str, set[str]]:
    """The pairs by stem, built on first use (stemming at import would load the stemmer for every
    command that imports the matcher)."""
    out: dict[str, set[str]] = defaultdict(set)
    for a, b in _ANTONYMS:
        out[content_stem(a)].add(content_stem(b))
        out[content_stem(b)].add(content_stem(a))
    return out


_NOT_ENTITIES = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december no mr mrs ms dr sir lord lady dame st""".split()
)
_MISSING_RUN = 5  # consecutive content words missing from the passage that make an unsupported statement
# Where a claim joins two statements: "…, and …", "… but …", "… and had come first …".
_CLAUSE_SPLIT = re.compile(
    r";|,\s*(?:and|but|while|whereas)\s+|\s+but\s+|\s+and\s+(?=(?:it|its|his|her|their|our|he|she|they|we|the|a|an|had|has|have|"
    r"was|were|is|are|will|would|could|should|may|might|must|can|did|does|do|also|then|plans|said|that)\s)"
)


def _clause_spans(claim: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _CLAUSE_SPLIT.finditer(claim):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(claim)))
    return [(a, b) for a, b in spans if claim[a:b].strip()]


def _negation_scopes(tokens: list[Token], reach: int = 3) -> list[tuple[str, set[str], str]]:
    """(negation word, stems of the next `reach` content words, the first of them) per negation."""
    out = []
    for i, t in enumerate(tokens):
        if t.norm in NEGATIONS:
            scope: set[str] = set()
            head = ""
            for u in tokens[i + 1 : i + 8]:
                if u.norm in NEGATIONS:
                    break
                if u.kind in (NUMBER, ORDINAL):
                    scope.add(u.norm)
                elif u.kind == WORD and u.norm not in STOPWORDS:
                    scope.add(content_stem(u.norm))
                else:
                    continue
                head = head or (u.norm if u.kind != WORD else content_stem(u.norm))
                if len(scope) >= reach:
                    break
            out.append((t.surface, scope, head))
    return out


def _numbers(tokens: list[Token]) -> list[Token]:
    # "one" as a word is as often a pronoun as a number; only digits or larger number words count.
    return [t for t in tokens if t.kind == NUMBER and not (t.surface in ("one", "a") and t.norm == "1")]


def _window_tokens(index: SourceIndex, first: int, last: int) -> list[Token]:
    a = index.sentences[first][0]
    b = index.sentences[last][1]
    return index.tokens[a:b]


def _coverage(claim_stems: list[str], window_stems: set[str]) -> float:
    if not claim_stems:
        return 0.0
    weights = [1.5 if s[:1].isdigit() else 1.0 for s in claim_stems]
    got = sum(w for s, w in zip(claim_stems, weights, strict=True) if s in window_stems)
    return got / sum(weights)


def match_claim(claim: str, index: SourceIndex) -> ClaimMatch:
    """The best-supporting passage for `claim` and what in it disagrees."""
    ctokens = [t for t in tokenize(claim) if t.kind != GAP]
    cstems = content_stems(ctokens)
    if not cstems or not index.sentences:
        return ClaimMatch(0.0, 0, 0, missing=[t.surface for t in ctokens])
    # Only windows around sentences sharing words with the claim are scored.
    hits: Counter[int] = Counter()
    for s in set(cstems):
        for si in index.stem_sentences.get(s, ()):
            hits[si] += 1
    best: tuple[float, int, int] | None = None
    for si, _ in hits.most_common(30):
        for first in range(max(0, si - 2), si + 1):
            for last in range(si, min(len(index.sentences), first + 3)):
                if index.sentence_paragraph[first] != index.sentence_paragraph[last] and last - first > 1:
                    continue
                stems: set[str] = set()
                for k in range(first, last + 1):
                    stems.update(index.sentence_stems[k])
                cov = _coverage(cstems, stems)
                # prefer the shorter window on ties: a tighter passage is better evidence
                key = cov - 0.01 * (last - first)
                if best is None or key > best[0]:
                    best = (key, first, last)
    if best is None:
        return ClaimMatch(0.0, 0, 0, missing=[t.surface for t in ctokens])
    _, first, last = best
    wtokens = _window_tokens(index, first, last)
    wstems = {st for k in range(first, last + 1) for st in index.sentence_stems[k]}
    coverage = _coverage(cstems, wstems)
    start, end = wtokens[0].start, wtokens[-1].end
    m = ClaimMatch(coverage, start, end)
    seen_missing = set()
    for t in ctokens:
        if t.kind in (NUMBER, UNIT) or t.norm in NEGATIONS:
            continue
        st = content_stem(t.norm)
        if st in cstems and st not in wstems and st not in seen_missing:
            seen_missing.add(st)
            m.missing.append(t.surface)
    # numbers: every number in the claim must be in the passage. A missing number whose own clause
    # is otherwise unsupported is a missing statement (partly supported), not a wrong figure.
    clause_spans = _clause_spans(claim)
    wnums = {t.norm for t in _numbers(wtokens)}
    word_ords = {t.norm for t in wtokens if t.kind == ORDINAL}
    for t in [*_numbers(ctokens), *(t for t in ctokens if t.kind == ORDINAL)]:
        if t.norm in wnums or t.norm in word_ords:
            continue
        if t.kind == ORDINAL and not word_ords:
            continue  # "first" as a plain adverb; only a different ordinal contradicts it
        cs_, ce_ = next(((a, b) for a, b in clause_spans if a <= t.start < b), (0, len(claim)))
        clause = claim[cs_:ce_]
        clause_stems = [x for x in content_stems(tokenize(clause)) if not x[:1].isdigit() and x[:1] != "#"]
        clause_stems = [x for x in clause_stems if x not in ("gbp", "usd", "eur", "jpy", "inr", "percent")]
        # the words the figure counts ("£19bn of debts", "3 million appointments") must be in the
        # passage too; a figure for something the passage does not mention is not a wrong figure
        k = ctokens.index(t)
        near = [
            content_stem(u.norm)
            for u in ctokens[max(0, k - 3) : k + 4]
            if u.kind == WORD and u.norm not in STOPWORDS and u.norm not in NEGATIONS
        ]
        if (clause_stems and _coverage(clause_stems, wstems) < 0.6) or (near and not set(near) & wstems):
            if clause.strip() not in m.weak_clauses:
                m.weak_clauses.append(clause.strip())
            continue
        pool = word_ords if t.kind == ORDINAL else [u.surface for u in _numbers(wtokens)]
        others = [u.surface for u in wtokens if u.norm in pool] if t.kind == ORDINAL else list(pool)
        m.number_diffs.append((t.surface, ", ".join(dict.fromkeys(others)) if others else ""))
    # negations: compare polarity, not word positions (paraphrase moves words around). A negation
    # counts when its scope (the next few content words) touches what the two sides share.
    shared = set(cstems) & wstems
    c_scopes = _negation_scopes(ctokens)
    w_scopes = [sc for _, sc, head in _negation_scopes(wtokens) if head in set(cstems)]
    # the negated head word itself must be shared; if it is absent, the negated phrase is simply
    # unsupported (handled below), not contradicted
    c_relevant = [(w, sc) for w, sc, head in c_scopes if head in shared]
    if c_relevant and not w_scopes:
        for word, sc in c_relevant:
            m.negation_diffs.append((f"{word} {' '.join(sorted(sc & shared))}", " ".join(sorted(sc & shared))))
    elif w_scopes and not c_scopes:
        for sc in w_scopes:
            words = " ".join(sorted(sc & set(cstems)))
            m.negation_diffs.append((words, f"not {words}"))
    # a negated statement whose negated head word the passage never mentions ("passed without a
    # vote" against "passed through the Commons") is not supported by it
    # (unless the passage negates the same thing in its own words: "did not find" for "had not found")
    passage_negates = any(sc & set(cstems) for _, sc, _ in _negation_scopes(wtokens))
    for i, t in enumerate(ctokens):
        if t.norm not in NEGATIONS or passage_negates:
            continue
        scope = [u for u in ctokens[i + 1 : i + 5] if u.kind == WORD and u.norm not in STOPWORDS][:1]
        if scope and content_stem(scope[0].norm) not in wstems:
            m.weak_clauses.append(claim[t.start : scope[0].end])
    # antonyms: the claim says "rise" where the passage says "fall"
    for st in set(cstems) - wstems:
        for ant in _antonym_stems().get(st, ()):
            if ant in wstems and ant not in cstems:
                m.antonym_diffs.append((st, ant))
    # a named entity (capitalised mid-claim) that the source never mentions is an unsupported
    # addition: "…in the Turks and Caicos Islands and the Bahamas" when only the first is reported
    for t in ctokens:
        if (
            t.kind == WORD
            and t.start > 0
            and claim[t.start].isupper()
            and t.norm not in STOPWORDS
            and t.norm not in _NOT_ENTITIES
            and len(t.norm) > 2
            and content_stem(t.norm) not in index.stem_sentences
        ):
            m.weak_clauses.append(claim[t.start : t.end])
    # a run of several consecutive content words absent from the passage is a statement the passage
    # does not make, even when the claim has no conjunction to split on
    run: list[Token] = []
    for t in ctokens + [Token("", 0, 0, "", WORD)]:
        if t.kind == WORD and (t.norm in STOPWORDS or t.norm in NEGATIONS) and t.norm:
            continue
        st = t.norm if t.kind != WORD else content_stem(t.norm)
        if t.norm and st not in wstems:
            run.append(t)
            continue
        if len(run) >= _MISSING_RUN:
            m.weak_clauses.append(claim[run[0].start : run[-1].end])
        run = []
    # clauses: a claim joining two statements must have both supported
    clauses = [c.strip() for c in _CLAUSE_SPLIT.split(claim) if c and len(c.split()) >= 3]
    if len(clauses) > 1:
        for c in clauses:
            cs = content_stems(tokenize(c))
            m.best_clause = max(m.best_clause, _coverage(cs, wstems) if cs else 0.0)
            if len(cs) >= 2 and _coverage(cs, wstems) < 0.5:
                whole = match_claim(c, index) if len(clauses) <= 4 else None
                if whole is None or whole.coverage < 0.5:
                    m.weak_clauses.append(c)
    return m
