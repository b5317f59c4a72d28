"""What a claim is made of: content elements, and the closed-class markers that qualify them.

A claim's *elements* are the words and values it asserts: names (entities), numbers with their
units, dates, vague quantities and the other content words. Its *markers* are the closed-class
words around an element that change what is asserted about it: modality ("may", "will", "plans
to"), negation ("not", "never", "declined to"), quantifiers ("all", "few"), approximators
("nearly", "more than") and temporal relations ("after", "while"). The judge (`claim_judge`) needs
every element accounted for in the source passage and every marker of the same class there.

The same analysis runs on the claim and on the source sentences, so a rule can only call two
things equal when both sides read the same way. Word classes come from `lexicon.semantics()`.

The shared reading of a span (`Analysed`, the word lists) is in `analysed.py` and the multi-word
values in `value_phrases.py`; their names are re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from verifier import lexicon
from verifier.match.analysed import (
    Analysed,
    _extra_function_words,
    _transparent,
    analyse,
    class_words_before,
    function_words,
    grammatical_words,
    titles,
)
from verifier.match.normalize import NEGATIONS, NUMBER, ORDINAL, UNIT, WORD, Token
from verifier.match.value_phrases import (
    Duration,
    NumberPair,
    RelativeTime,
    VagueQuantity,
    durations,
    number_pairs,
    relative_times,
    vague_quantities,
)

__all__ = [
    "CONTENT", "DATE", "ENTITY", "FRAME", "NUMBER_EL", "QUANTITY", "Analysed", "ClaimShape", "Duration", "Element",
    "Markers", "NumberPair", "RelativeTime", "VagueQuantity", "_extra_function_words", "_transparent", "analyse",
    "class_words_before", "closed_class_word", "durations", "elements", "function_words", "grammatical_words", "markers_before",
    "number_pairs", "relative_times", "shape", "titles", "vague_quantities",
]

# Element classes
ENTITY = "entity"
NUMBER_EL = "number"
DATE = "date"
QUANTITY = "quantity"
CONTENT = "word"
FRAME = "frame"  # a reporting verb: compared as the attribution, weightless as content

_CONTRACTION_MODAL = {"wo": "will", "ca": "can", "sha": "shall", "can": "can"}



# ------------------------------------------------------------------------------------ markers


@dataclass(frozen=True)
class Markers:
    """The closed-class words qualifying one element, read leftwards from it within its clause."""

    modality: frozenset[str] = frozenset()
    negative: bool = False
    negators: tuple[str, ...] = ()
    hedges: tuple[str, ...] = ()


def _split_contraction(word: str) -> tuple[str | None, bool]:
    """("wouldn't") -> ("would", True); ("cannot") -> ("can", True); ("never") -> (None, False)."""
    if word == "cannot":
        return "can", True
    if word.endswith("n't") and len(word) > 3:
        stem = word[:-3]
        return _CONTRACTION_MODAL.get(stem, stem), True
    return None, False


def markers_before(a: Analysed, i: int, reach: int = 7) -> Markers:
    """Modality and polarity of the verb group that ends at element i.

    Walks left over function words, transparent adverbs and markers, and stops at the first other
    content word or at a clause break: "has not yet responded" -> negative; "are hoping they will
    win" -> {intended, future}; "the party is considering filing an appeal" -> {intended}.
    """
    sem = lexicon.semantics()
    fw = grammatical_words()
    transparent = _transparent()
    classes: set[str] = set()
    negs: list[str] = []
    hedges: list[str] = []
    k = i - 1
    steps = 0
    while k >= 0 and steps < reach and not a.breaks[k + 1]:
        w = a.words[k]
        modal, contracted = _split_contraction(w)
        if contracted:
            negs.append(w)
            if modal in sem.modality:
                classes.add(sem.modality[modal])
                hedges.append(modal)
            k -= 1
            steps += 1
            continue
        hit = a.phrase_ending(k, sem.modality)
        if hit:
            cls = sem.modality[hit[0]]
            if cls != "fact":
                classes.add(cls)
                hedges.append(hit[0])
            k, steps = hit[1] - 1, steps + 1
            continue
        hit = a.phrase_ending(k, sem.negators) or _governing_negative(a, k)
        if hit or w in NEGATIONS:
            phrase, start = hit if hit else (w, k)
            negs.append(phrase)
            k, steps = start - 1, steps + 1
            continue
        if w in fw or w in transparent or w in sem.quantifiers or w.endswith("ly") and not lexicon.known(w[:-2]):
            k -= 1
            steps += 1
            continue
        break
    return Markers(frozenset(classes), len(negs) % 2 == 1, tuple(negs), tuple(hedges))


def _governing_negative(a: Analysed, k: int) -> tuple[str, int] | None:
    """An implicit negative that governs what follows: "declined to comment", "denied that",
    "refused to". A noun or verb with no complement ("a decline", "banned cloning") negates nothing."""
    hit = a.phrase_ending(k, lexicon.semantics().implicit_negatives)
    if hit is None or k + 1 >= len(a.words) or a.breaks[k + 1]:
        return None
    nxt = a.words[k + 1]
    if nxt == "to" or (nxt.endswith("ing") and a.tokens[k + 1].kind == WORD):
        return hit
    if nxt == "that" and any(lem in ("deny", "dispute", "reject") for lem in lexicon.lemmas(a.words[k])):
        return hit
    return None


# ----------------------------------------------------------------------------------- elements


@dataclass
class Element:
    """One thing a claim asserts, to be accounted for in the source."""

    index: int  # token index in the analysed claim
    cls: str  # ENTITY | NUMBER_EL | DATE | QUANTITY | CONTENT | FRAME
    surface: str
    weight: float
    unit: str | None = None  # for numbers: the currency or "percent" that follows
    clause: int = 0
    verb_like: bool = False


def _capitalised(a: Analysed, k: int) -> bool:
    t = a.tokens[k]
    s = a.text[t.start : t.end]
    return s[:1].isupper()


def _sentence_initial(a: Analysed, k: int) -> bool:
    if k == 0:
        return True
    gap = a.text[a.tokens[k - 1].end : a.tokens[k].start]
    return bool(re.search(r"[.!?:\"“”]\s*$", gap)) or "\n" in gap


@lru_cache(maxsize=1 << 14)
def is_verb_like(word: str) -> bool:
    """Whether the word can be a verb and nothing else: "filed", "insisted" (a WordNet verb);
    not "registered" (also an adjective) or "tax" (also a noun)."""
    return lexicon.parts_of_speech(word) == "v"


_DETERMINERS = frozenset("the a an this that these those his her its their our my your every each some any no "
                         "of in on at for from with by into about against between among".split())


_VERB_SIGNALS = frozenset("to will would can could may might must shall should did does do not never n't "
                          "has have had is are was were be been being he she they it we i who which that".split())


def is_predicate(a: Analysed, k: int) -> bool:
    """Whether the word at k is used as a verb here. A form that is only a verb ("insisted") is;
    a word that can also be a noun ("tax", "term", "reason") is a verb only in a verb's place: an
    inflected form ("filed", "leads") not after a determiner, or after "to", a modal, an auxiliary
    or a pronoun ("would generate", "to reduce", "they lead")."""
    w = a.words[k]
    pos = lexicon.parts_of_speech(w)
    if "v" not in pos:
        return False
    prev = a.words[k - 1] if k > 0 and not a.breaks[k] else ""
    if prev in _DETERMINERS:
        return False
    if pos == "v":
        return True
    if prev in _VERB_SIGNALS:
        return True
    # a participle right before a noun is an adjective ("emailed questions", "registered voters")
    if k + 1 < len(a.words) and not a.breaks[k + 1] and a.tokens[k + 1].kind == WORD:
        nxt = a.words[k + 1]
        if nxt not in function_words() and "n" in lexicon.parts_of_speech(nxt) and not _capitalised(a, k + 1):
            return False
    inflected = any(lem != w and "v" in lexicon.senses(lem).pos for lem in lexicon.lemmas(w))
    if not inflected:
        return False
    if w.endswith("s") and not w.endswith("ss"):
        # "leads" is a verb after its subject ("Clinton leads"), a plural noun elsewhere
        return k > 0 and not a.breaks[k] and (_capitalised(a, k - 1) or a.words[k - 1] in _VERB_SIGNALS)
    return True


def is_entity(a: Analysed, k: int, elsewhere_capitalised: frozenset[str] = frozenset()) -> bool:
    """A proper name: capitalised inside a sentence, or sentence-initial and not an ordinary word
    (or written capitalised elsewhere too)."""
    t = a.tokens[k]
    if t.kind != WORD or not _capitalised(a, k):
        return False
    w = a.words[k]
    if w in titles() or w in function_words():
        return False
    sem = lexicon.semantics()
    if w in sem.months or w in sem.weekdays:
        return False
    if not _sentence_initial(a, k):
        return True
    return w in elsewhere_capitalised or not lexicon.known(w)


def _is_month(a: Analysed, k: int) -> bool:
    w = a.words[k]
    sem = lexicon.semantics()
    if w not in sem.months:
        return False
    # "may" the modal, "march" the verb: a month is capitalised, or an abbreviation before a day
    return _capitalised(a, k)


def is_year(t: Token) -> bool:
    return t.kind == NUMBER and t.norm.isdigit() and 1800 <= int(t.norm) <= 2100 and "," not in t.surface


def capitalised_words(a: Analysed) -> frozenset[str]:
    """Words written with a capital inside a sentence: the names this text uses."""
    return frozenset(a.words[k] for k in range(len(a.tokens)) if _capitalised(a, k) and not _sentence_initial(a, k))


def elements(a: Analysed, clause_of: list[int] | None = None, names: frozenset[str] = frozenset()) -> list[Element]:
    """The content elements of an analysed claim, in order. `names` are words the source writes
    as names, so a sentence-initial "Trump" is a name when the source writes "Donald Trump"."""
    sem = lexicon.semantics()
    caps = capitalised_words(a) | names
    out: list[Element] = []
    toks = a.tokens
    for k, t in enumerate(toks):
        clause = clause_of[k] if clause_of else 0
        w = a.words[k]
        if t.kind == NUMBER:
            unit = toks[k + 1].norm if k + 1 < len(toks) and toks[k + 1].kind == UNIT else None
            if unit is None and k + 1 < len(toks) and a.words[k + 1] in ("points", "point", "votes", "seats"):
                unit = a.words[k + 1]  # "16 points ahead", "by 12 votes": a count of something
            near_month = any(
                0 <= j < len(toks) and _is_month(a, j) for j in (k - 1, k + 1, k - 2)
            )
            cls = DATE if (is_year(t) and unit is None) or (near_month and unit is None) else NUMBER_EL
            out.append(Element(k, cls, t.surface, 1.5, unit, clause))
        elif t.kind == ORDINAL:
            near_month = any(0 <= j < len(toks) and _is_month(a, j) for j in (k - 1, k + 1, k - 2))
            out.append(Element(k, DATE if near_month else NUMBER_EL, t.surface, 1.0, None, clause))
        elif t.kind == WORD:
            if _is_month(a, k) or (w in sem.weekdays and _capitalised(a, k)):
                out.append(Element(k, DATE, t.surface, 1.0, None, clause))
            elif w in sem.vague_quantities:
                out.append(Element(k, QUANTITY, t.surface, 1.0, None, clause))
            elif w in sem.reporting and not _capitalised(a, k):
                out.append(Element(k, FRAME, t.surface, 0.0, None, clause, True))
            elif is_entity(a, k, caps):
                out.append(Element(k, ENTITY, t.surface, 1.0, None, clause))
            elif closed_class_word(a, k):
                continue
            else:
                out.append(Element(k, CONTENT, t.surface, 1.0, None, clause, is_predicate(a, k)))
    # a reporting verb is weightless because what it reports is the content; one that reports
    # nothing ("KKR commented", "the ministry responded") is itself what the claim asserts
    for e in out:
        if e.cls == FRAME and not any(x.cls == CONTENT and x.clause == e.clause for x in out):
            e.weight = 1.0
    return out


def closed_class_word(a: Analysed, k: int) -> bool:
    """A grammatical word, or a member of a closed class the judge compares as a class (modals,
    negators, quantifiers, approximators, temporal relations, exclusives, relative anchors): not a
    content element of its own. A title counts only as a title: "Miss Smith", not "will miss the tour"."""
    sem = lexicon.semantics()
    w = a.words[k]
    return (w in function_words() or (w in titles() and (_capitalised(a, k) or "v" not in lexicon.parts_of_speech(w)))
            or w in NEGATIONS or w in sem.modality or w in sem.quantifiers or w in sem.approximators
            or w in sem.temporal_relations or w in sem.exclusive or w in sem.relative_anchors or w in _transparent())


@dataclass
class ClaimShape:
    """Everything the judge compares, for one analysed text."""

    analysed: Analysed
    elements: list[Element] = field(default_factory=list)
    durations: list[Duration] = field(default_factory=list)
    relative_times: list[RelativeTime] = field(default_factory=list)
    pairs: list[NumberPair] = field(default_factory=list)
    vague: list[VagueQuantity] = field(default_factory=list)


def shape(text: str, tokens: list[Token], clause_of: list[int] | None = None,
          names: frozenset[str] = frozenset()) -> ClaimShape:
    a = analyse(text, tokens)
    return ClaimShape(a, elements(a, clause_of, names), durations(a), relative_times(a), number_pairs(a),
                      vague_quantities(a))
