"""What a claim is made of: content elements, and the closed-class markers that qualify them.

A claim's *elements* are the words and values it asserts: names (entities), numbers with their
units, dates, vague quantities and the other content words. Its *markers* are the closed-class
words around an element that change what is asserted about it: modality ("may", "will", "plans
to"), negation ("not", "never", "declined to"), quantifiers ("all", "few"), approximators
("nearly", "more than") and temporal relations ("after", "while"). The judge (`claim_judge`) needs
every element accounted for in the source passage and every marker of the same class there.

The same analysis runs on the claim and on the source sentences, so a rule can only call two
things equal when both sides read the same way. Word classes come from `lexicon.semantics()`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from verifier import lexicon
from verifier.match.normalize import NEGATIONS, NUMBER, ORDINAL, STOPWORDS, UNIT, WORD, Token

# Element classes
ENTITY = "entity"
NUMBER_EL = "number"
DATE = "date"
QUANTITY = "quantity"
CONTENT = "word"
FRAME = "frame"  # a reporting verb: compared as the attribution, weightless as content

_BREAK = re.compile(r"[,;:()\[\]—–]|[.!?](?:\s|$)|\s-\s|\n")
_CONTRACTION_MODAL = {"wo": "will", "ca": "can", "sha": "shall", "can": "can"}


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Grammatical words with no checkable content of their own. The shared STOPWORDS less the
    words of the closed classes, which are compared as classes instead of ignored."""
    sem = lexicon.semantics()
    classed = (
        set(sem.quantifiers) | set(sem.approximators) | set(sem.temporal_relations) | set(sem.exclusive)
        | set(sem.negators)
    )
    keep = {w for w in STOPWORDS if w not in classed or w in ("some", "about", "over", "under", "up", "down")}
    return frozenset(keep | set(sem.reporting) | {"percent", "cent"} | _extra_function_words())


@lru_cache(maxsize=1)
def _extra_function_words() -> frozenset[str]:
    import tomllib
    from importlib import resources

    raw = tomllib.loads((resources.files("verifier") / "data" / "semantics.toml").read_text(encoding="utf-8"))
    return frozenset(raw["function_words"]["members"])


@dataclass
class Analysed:
    """A tokenised span with its lower-cased words and clause breaks."""

    text: str
    tokens: list[Token]
    words: list[str]
    breaks: list[bool]  # breaks[i]: a clause boundary (comma, colon, dash, sentence end) before token i

    def phrase_ending(self, k: int, table: dict[str, str] | frozenset[str]) -> tuple[str, int] | None:
        """The longest marker of `table` ending at token k: (marker, its first token index)."""
        longest = lexicon.semantics().max_marker_words
        for n in range(longest, 0, -1):
            s = k - n + 1
            if s < 0 or any(self.breaks[j] for j in range(s + 1, k + 1)):
                continue
            phrase = " ".join(self.words[s : k + 1])
            if phrase in table:
                return phrase, s
        return None


def analyse(text: str, tokens: list[Token]) -> Analysed:
    words = []
    for t in tokens:
        if t.kind == WORD:
            w = text[t.start : t.end].lower().replace("’", "'")
            words.append(w[:-2] if w.endswith("'s") and len(w) > 3 else w)
        else:
            words.append(t.norm)
    breaks = [True]
    for i, (a, b) in enumerate(zip(tokens, tokens[1:], strict=False)):
        gap = text[a.end : b.start]
        brk = bool(_BREAK.search(gap))
        if brk and gap.strip() == "." and (words[i] in titles() or len(words[i]) == 1):
            brk = False  # "Mrs. Clinton", "James C. Cacheris": an abbreviation, not a sentence end
        breaks.append(brk)
    return Analysed(text, tokens, words, breaks)


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


@lru_cache(maxsize=1)
def grammatical_words() -> frozenset[str]:
    """Function words a scan for markers walks over (not the reporting verbs: "did not respond to
    emailed questions" does not negate "emailed")."""
    return frozenset(function_words() - lexicon.semantics().reporting)


@lru_cache(maxsize=1)
def _transparent() -> frozenset[str]:
    import tomllib
    from importlib import resources

    raw = tomllib.loads((resources.files("verifier") / "data" / "semantics.toml").read_text(encoding="utf-8"))
    return frozenset(raw["transparent"]["members"])


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    import tomllib
    from importlib import resources

    raw = tomllib.loads((resources.files("verifier") / "data" / "semantics.toml").read_text(encoding="utf-8"))
    return frozenset(raw["titles"]["members"])


def class_words_before(a: Analysed, i: int, table: dict[str, str], reach: int = 4) -> list[tuple[str, str]]:
    """Markers of one class (quantifier, approximator, temporal relation) just before token i:
    [(word, class)], nearest first, within the clause."""
    out = []
    k = i - 1
    steps = 0
    fw = function_words()
    while k >= 0 and steps < reach and not a.breaks[k + 1]:
        hit = a.phrase_ending(k, table)
        if hit:
            out.append((hit[0], table[hit[0]]))
            k, steps = hit[1] - 1, steps + 1
            continue
        w = a.words[k]
        if w in fw or a.tokens[k].kind in (NUMBER, UNIT) or w in _transparent():
            k -= 1
            steps += 1
            continue
        break
    return out


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
    fw = function_words()
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
            # a title only as a title: "Miss Smith", not "will miss the tour"
            elif w in fw or (w in titles() and (_capitalised(a, k) or "v" not in lexicon.parts_of_speech(w))) or (
                    w in NEGATIONS or w in sem.modality or w in sem.quantifiers):
                continue
            elif w in sem.approximators or w in sem.temporal_relations or w in sem.exclusive:
                continue
            elif w in sem.relative_anchors or w in _transparent():
                continue
            else:
                out.append(Element(k, CONTENT, t.surface, 1.0, None, clause, is_predicate(a, k)))
    return out


# ------------------------------------------------------------------------------------- values


@dataclass
class Duration:
    days: float
    start: int  # token range
    end: int
    approximator: str | None = None


_HALF = {"half": 0.5, "quarter": 0.25, "0.5": 0.5, "0.25": 0.25}


def durations(a: Analysed) -> list[Duration]:
    """Spans of time: "18 months", "a year and a half", "a decade", "more than four years"."""
    sem = lexicon.semantics()
    out: list[Duration] = []
    n = len(a.tokens)
    k = 0
    while k < n:
        w = a.words[k]
        value: float | None = None
        start = k
        if a.tokens[k].kind == NUMBER and k + 1 < n and a.words[k + 1] in sem.durations:
            try:
                value = float(a.tokens[k].norm) * sem.durations[a.words[k + 1]]
            except ValueError:
                value = None
            k += 2
        elif w in ("a", "an", "one") and k + 1 < n and a.words[k + 1] in sem.durations:
            value = sem.durations[a.words[k + 1]]
            k += 2
        elif w in sem.durations and (k == 0 or a.words[k - 1] in ("the", "next", "past", "last", "this")):
            value = sem.durations[w]
            k += 1
        elif w in ("half", "0.5") and k + 2 < n and a.words[k + 1] in ("a", "an") and a.words[k + 2] in sem.durations:
            value = 0.5 * sem.durations[a.words[k + 2]]
            k += 3
        else:
            k += 1
            continue
        if value is None:
            continue
        if k + 2 < n and a.words[k] == "and" and a.words[k + 1] in ("a", "an") and a.words[k + 2] in _HALF:
            value += _HALF[a.words[k + 2]] * sem.durations[a.words[k - 1]]
            k += 3
        approx = class_words_before(a, start, sem.approximators)
        out.append(Duration(value, start, k, approx[0][1] if approx else None))
    return out


@dataclass
class RelativeTime:
    unit: str
    offset: int
    start: int
    end: int


def relative_times(a: Analysed) -> list[RelativeTime]:
    """Deictic times: "last week", "this year", "next month", "yesterday"."""
    sem = lexicon.semantics()
    out = []
    for k, w in enumerate(a.words):
        surface = a.text[a.tokens[k].start : a.tokens[k].end]
        if surface.isupper() and len(surface) > 1:
            continue  # "USA TODAY" is a name
        if w in sem.relative_words:
            unit, off = sem.relative_words[w]
            out.append(RelativeTime(unit, off, k, k + 1))
        elif w in sem.relative_anchors and k + 1 < len(a.words) and a.words[k + 1] in sem.relative_units:
            if w == "this" and a.words[k + 1] in sem.weekdays:
                continue
            out.append(RelativeTime(a.words[k + 1], sem.relative_anchors[w], k, k + 2))
    return out


@dataclass
class NumberPair:
    """An ordered pair: "from 11 to 5.5", "30 to 12", "46%-35%", "by 92-0"."""

    first: str
    second: str
    start: int
    end: int


def number_pairs(a: Analysed) -> list[NumberPair]:
    out = []
    toks = a.tokens
    nums = [k for k, t in enumerate(toks) if t.kind == NUMBER]
    for x, y in zip(nums, nums[1:], strict=False):
        between = a.text[toks[x].end : toks[y].start]
        words_between = [a.words[j] for j in range(x + 1, y) if toks[j].kind == WORD]
        units_between = [j for j in range(x + 1, y) if toks[j].kind == UNIT]
        if len(words_between) > 2 or len(units_between) > 1:
            continue
        if re.fullmatch(r"\s*(?:%|percent|per cent|points?|votes?)?\s*(?:-|–|to)\s*", between.replace("percent", "%")) or (
            words_between in (["to"], ["percent", "to"], ["votes", "to"], ["points", "to"])
        ):
            out.append(NumberPair(toks[x].norm, toks[y].norm, x, y))
    return out


@dataclass
class VagueQuantity:
    magnitude: int  # power of ten
    start: int
    end: int


def vague_quantities(a: Analysed) -> list[VagueQuantity]:
    """"hundreds of protesters" (10^2), "tens of thousands" (10^4), "hundreds of billions" (10^11)."""
    sem = lexicon.semantics()
    out = []
    k = 0
    n = len(a.words)
    while k < n:
        w = a.words[k]
        if w in sem.vague_quantities and a.tokens[k].kind == WORD:
            mag = sem.vague_quantities[w]
            j = k
            while j + 2 < n and a.words[j + 1] == "of" and a.words[j + 2] in sem.vague_quantities:
                mag += sem.vague_quantities[a.words[j + 2]]
                j += 2
            out.append(VagueQuantity(mag, k, j + 1))
            k = j + 1
        else:
            k += 1
    return out


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
