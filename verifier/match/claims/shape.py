"""The claim side: clauses, elements' keys, and the runs and clauses the decision reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from verifier import lexicon

# A claim with less than this share of its content in the best passage is about something else.
from verifier.match.claims.index import event_keys, phrasal_keys, word_key_forms
from verifier.match.elements import (
    CONTENT,
    ENTITY,
    FRAME,
    ClaimShape,
    Element,
    grammatical_words,
)
from verifier.match.normalize import NEGATIONS, NUMBER, WORD, Token, stem
from verifier.models import Difference, Reason


@dataclass
class ClaimJudgement:
    reason: Reason
    coverage: float  # 0..1: share of the claim's content weight accounted for in the passage
    start: int  # character span of the passage in the source
    end: int
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what differs, in words, for the explanation
    missing: list[str] = field(default_factory=list)
    severity: float = 0.0  # how many things are wrong (see _severity)
    rest_coverage: float = 1.0  # coverage of the claim without the words of its first difference


_CLAUSE_SPLIT = re.compile(
    r";|,\s*(?:and|but|while|whereas|nor|saying|although|though)\s+|\s+but\s+|,\s+(?=who|which)|,\s+(?=(?:up|down)\s)|"
    # a subordinate clause ("after waiting 18 months", "because they said …") is a statement of its own
    r"\s(?=(?:after|before|because|although|though|while|whereas|despite|until|unless)\s+"
    r"(?:\w+ing|he|she|they|it|we|the|a|an|his|her|its|their)\b)|"
    r"\s+and\s+(?=(?:it|its|his|her|their|he|she|they|we|the|a|an|had|has|have|was|were|is|are|will|would|"
    r"could|should|may|might|must|can|did|does|also|then|said|that)\s)"
)


# An apposition is a statement of its own ("Waverly Crenshaw, a Tennessee district court nominee, was
# confirmed"): the source may make it in another sentence.
_APPOSITION = re.compile(
    r",\s+(?:a|an|the|who|which|whose)\s[^,;]{3,80}?,"
    # "Thames Water, Britain's biggest water company, has won": a description between a name and its verb
    r"|(?<=[A-Z][\w'’.-]),\s+[^,;]{3,80}?,(?=\s+(?:has|had|have|is|was|were|are|will|would|said|says|\w+ed)\b)")


_AUXILIARIES = frozenset("is are was were be been has have had will would could can may might must shall should "
                         "did does do".split())


def _join_verbless_clauses(sh: ClaimShape) -> None:
    """A part split off at "and" with no verb of its own is a coordinated phrase, not a statement
    ("the 5-Star Movement and the National Front"): it belongs to the clause before."""
    clauses = sorted({e.clause for e in sh.elements if e.clause < 1000})
    a = sh.analysed
    for c in clauses[1:]:
        members = [e for e in sh.elements if e.clause == c]
        span = range(min(e.index for e in members), max(e.index for e in members) + 1) if members else range(0)
        has_aux = any(a.words[k] in _AUXILIARIES for k in span) or (
            members and any(a.words[k] in _AUXILIARIES for k in range(max(0, span.start - 3), span.start)))
        if members and not has_aux and not any(e.verb_like or e.cls == FRAME for e in members):
            prev = max((x for x in clauses if x < c), default=None)
            if prev is not None:
                for e in members:
                    e.clause = prev


def _clauses(text: str, tokens: list[Token]) -> list[int]:
    appositions = [(m.start(), m.end()) for m in _APPOSITION.finditer(text)]
    # a split inside an apposition (", which began …,") does not start a clause of the sentence
    bounds = [m.end() for m in _CLAUSE_SPLIT.finditer(text)
              if not any(s <= m.start() < e for s, e in appositions)]
    out = []
    for t in tokens:
        inside = next((i for i, (s, e) in enumerate(appositions) if s <= t.start < e), None)
        if inside is not None:
            out.append(1000 + inside)
        else:
            out.append(sum(1 for b in bounds if b <= t.start))
    return out


def _claim_keys(shape_: ClaimShape, el: Element, acr: dict[int, set[str]]) -> set[str]:
    a = shape_.analysed
    t = a.tokens[el.index]
    keys: set[str] = set()
    if t.kind == NUMBER:
        keys.add("N:" + t.norm)
    elif t.kind == WORD:
        sem = lexicon.semantics()
        w = word_key_forms(t.norm)
        if w in sem.months:
            keys.add(f"M:{sem.months[w]}")
        # a grammatical word ("is", "had") stands for no sense of its own: "costing" is not "is"
        # for sharing WordNet's {cost, be} synset
        grammatical = w in grammatical_words()
        for lem in lexicon.lemmas(w):
            keys.add("L:" + lem)
            if grammatical:
                continue
            ss = lexicon.senses(lem)
            if el.cls == ENTITY:
                # a name matches only in its main senses ("Mexican" pertains to "Mexico"); a
                # capitalised "House" is not any house
                keys.update("T:" + x for x in ss.top)
            else:
                keys.update("S:" + x for x in ss.top)  # my main sense is one of its senses
                keys.update("T:" + x for x in ss.all)  # or one of mine is its main sense
                keys.update("H:" + x for x in ss.top)  # or mine is its hypernym
        if el.cls != ENTITY and not grammatical:
            keys.update(phrasal_keys(a, el.index, source=False))
            keys.update(event_keys(a, el.index, source=False))
        if el.cls == ENTITY:
            keys.update(acr.get(el.index, ()))
        if not lexicon.in_wordnet(w) and len(lexicon.lemmas(w)) == 1:
            keys.add("St:" + stem(w))
    else:
        keys.add("O:" + t.norm)
    return keys


@dataclass
class _Found:
    element: Element
    status: str  # strong | context | elsewhere | weak | substituted | absent
    positions: list[int] = field(default_factory=list)  # source token positions
    counterpart: str = ""
    reason: Reason | None = None  # for a substitution: what kind of difference it is


def _one_clause_holds(sh: ClaimShape, found: dict[int, _Found]) -> bool:
    """A claim of several clauses one of which the passage carries (three words or more)."""
    clauses = {e.clause for e in sh.elements if e.weight and e.clause < 1000}
    if len(clauses) < 2:
        return False
    for c in clauses:
        els = [e for e in sh.elements if e.clause == c and e.weight]
        total = sum(e.weight for e in els)
        got = sum(e.weight for e in els if found[e.index].status in ("strong", "context"))
        if len(els) >= 3 and total and got / total >= 0.8:
            return True
    return False


def _negated_run(sh: ClaimShape, run: list[Element]) -> bool:
    a = sh.analysed
    k = run[0].index - 1
    while k >= 0 and a.words[k] in ("a", "an", "the", "any"):
        k -= 1
    return k >= 0 and (a.words[k] in NEGATIONS or a.words[k] in lexicon.semantics().negators)


def _clause_text(sh: ClaimShape, c: int) -> str:
    els = [e for e in sh.elements if e.clause == c]
    a = sh.analysed
    return a.text[a.tokens[els[0].index].start : a.tokens[els[-1].index].end] if els else ""


def _unsupported_clauses(sh: ClaimShape, found: dict[int, _Found]) -> set[int]:
    """Clauses (of a claim with several) of which less than half is in the passage."""
    clauses = {e.clause for e in sh.elements if e.weight and e.clause < 1000}
    if len(clauses) < 2:
        return set()
    out = set()
    for c in clauses:
        els = [e for e in sh.elements if e.clause == c and e.weight]
        total = sum(e.weight for e in els)
        got = sum(e.weight for e in els if found[e.index].status in ("strong", "context", "weak"))
        if total and got / total < 0.5:
            out.add(c)
    return out


def _unstated_clauses(sh: ClaimShape, found: dict[int, _Found]) -> set[int]:
    """Clauses whose predicates (verbs) are all absent from the passage, with no related word."""
    out = set()
    for c in {e.clause for e in sh.elements}:
        preds = [e for e in sh.elements if e.clause == c and e.verb_like and e.cls == CONTENT]
        if preds and all(found[e.index].status == "absent" for e in preds):
            out.add(c)
    return out


def r_text(sh: ClaimShape, run: list[Element]) -> str:
    a = sh.analysed
    return a.text[a.tokens[run[0].index].start : a.tokens[run[-1].index].end]


def _runs(sh: ClaimShape, fs: list[_Found]) -> list[list[Element]]:
    """Group missing elements that stand next to each other in the claim."""
    order = sorted((f.element for f in fs), key=lambda e: e.index)
    content_idx = [e.index for e in sh.elements]
    runs: list[list[Element]] = []
    for e in order:
        if runs and content_idx.index(e.index) == content_idx.index(runs[-1][-1].index) + 1:
            runs[-1].append(e)
        else:
            runs.append([e])
    return runs
