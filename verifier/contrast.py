"""Contrast sets: minimal meaning-changing edits of real-style sentences.

Each edit changes exactly one thing a careful reader would call a different statement: who did
what to whom, the day, month or year, the hedge, a vague quantity, a word for its opposite, a
name for another name of the same page, the order of a from/to pair or a score, the polarity, a
number, or (in quotations) a negation dropped through an ellipsis or a word replaced through an
editorial bracket, and the person a quotation is given to. A verifier must never confirm an
edited sentence against the page the original came from (`tests/test_contrast.py`,
`scripts/contrast_dev.py`).

Every edit returns the edited text and the kind of change, or refuses (None) when the sentence has
nothing to edit for that kind. The knowledge comes from the project's data, not from lists here:
the closed classes of `data/semantics.toml` (modality, negation, approximators, vague quantities,
temporal relations, calendar), WordNet antonyms and the opposition pairs
(`lexicon.antonym_lemmas`), the tokeniser's numbers, the attribution finder's speakers, the
outlet registry, and gender-guesser's table of first names to tell a person's name. Inflecting a
replacement word ("disapprove" -> "disapproved") uses lemminflect (a test dependency); without it
the edits that need an inflection refuse.

Nothing here is used to judge anything: it is a generator of test inputs.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any

from verifier import lexicon
from verifier.match.elements import (
    Analysed,
    analyse,
    capitalised_words,
    function_words,
    is_entity,
    is_predicate,
    is_verb_like,
    is_year,
    number_pairs,
    titles,
    vague_quantities,
)
from verifier.match.normalize import NUMBER, ORDINAL, UNIT, WORD, tokenize
from verifier.match.source_index import sentence_spans

# The kinds of edit, for a claim sentence (and for the words of a quotation).
CLAIM_KINDS = (
    "roles",  # agent and patient swapped: "X beat Y" -> "Y beat X"; "X's victory over Y"
    "weekday",  # "on Tuesday" -> "on Wednesday"
    "month",  # "in June" -> "in July"
    "year",  # "in 2012" -> "in 2013"
    "hedge_move",  # "may" -> "will", "is expected to" -> "will", "will" -> "may"
    "hedge_drop",  # "may take" -> "takes", "reportedly paid" -> "paid"
    "vague_quantity",  # "hundreds" -> "thousands"
    "antonym",  # "approved" -> "disapproved", "rose" -> "fell"
    "entity",  # a name for another name of the same kind on the same page
    "pair",  # "from £11m to £5.5m" -> "from £5.5m to £11m", "30 votes to 12", "6-4"
    "negation_insert",  # "will open" -> "will not open", "approved" -> "did not approve"
    "negation_drop",  # "will not open" -> "will open", "refused to pay" -> "paid"
    "number",  # "500" -> "5,000"
)
# Kinds that only make sense inside a quotation (editorial marks).
QUOTE_KINDS = (
    "ellipsis_negation",  # "We will never send" -> "We will … send"
    "bracket_antonym",  # "supports" -> "[opposes]"
    "bracket_number",  # "500" -> "[5,000]"
    "bracket_not",  # "will take" -> "will [not] take"
    "bracket_name",  # "Boulter" -> "[Parry]"
)
# Kinds that give a page's quotation to someone else.
SPEAKER_KINDS = (
    "speaker_named",  # the page names the speaker; the edit names another person of the page
    "speaker_anonymous",  # the page's speaker is anonymous ("a spokesperson"); the edit names a person
)
KINDS = CLAIM_KINDS + QUOTE_KINDS + SPEAKER_KINDS


@dataclass(frozen=True)
class Edit:
    kind: str
    text: str  # the edited claim, or the edited quotation wrapped in quotation marks
    before: str  # the words that were changed, as the original has them
    after: str  # what replaced them
    speaker: str | None = None  # who the edited quotation is given to (speaker kinds)
    quote: bool = False  # the text is a quotation (checked as a quote, not as a claim)


# ------------------------------------------------------------------------------ data


@lru_cache(maxsize=1)
def _raw_semantics() -> dict[str, Any]:
    """semantics.toml as written: its lists keep their order (the calendar's, the classes' heads)."""
    return tomllib.loads((resources.files("verifier") / "data" / "semantics.toml").read_text(encoding="utf-8"))


def _weekdays() -> list[str]:
    return list(_raw_semantics()["calendar"]["weekdays"])


def _months() -> list[str]:
    return list(_raw_semantics()["calendar"]["months"])


def _class_head(section: str, cls: str) -> str:
    """The first member of a closed class: the plain word for it ("will", "may")."""
    return str(_raw_semantics()[section][cls][0])


def _class_member(section: str, cls: str, n: int) -> str:
    return str(_raw_semantics()[section][cls][n])


@lru_cache(maxsize=1)
def _magnitude_words() -> list[tuple[int, str]]:
    """One word per magnitude of the vague quantities, the first the data gives for it."""
    seen: dict[int, str] = {}
    for word, mag in _raw_semantics()["vague_quantities"].items():
        seen.setdefault(int(mag), word)
    return sorted(seen.items())


# The tense pairs of the central modals (Quirk et al. 4.49): the present and past forms.
_MODAL_PAST = {"will": "would", "can": "could", "may": "might", "shall": "should"}
_PAST_MODALS = frozenset(_MODAL_PAST.values())
# The spelling of the contracted negative of three modals ("won't", "can't", "shan't").
_CONTRACTED_STEM = {"wo": "will", "ca": "can", "sha": "shall"}
# The primary auxiliaries (be, have, do) by lemma: they carry "not" ("is not", "did not").
_PRIMARY_AUXILIARIES = frozenset({"be", "have", "do"})
# Indefinite determiners: a speaker introduced with one is not a person the page names.
_INDEFINITE = frozenset({"a", "an", "one", "some", "several", "two", "three", "four", "five"})
# Prepositions that mark the patient of a nominalised action: "X's victory over Y", "X's attack
# on Y", "X's lawsuit against Y", "X's defeat of Y".
_ROLE_PREPOSITIONS = frozenset({"over", "against", "on", "of"})


@lru_cache(maxsize=1)
def _lemminflect() -> Any:
    try:
        import lemminflect
    except ImportError:  # a test dependency; the edits that need it refuse without it
        return None
    return lemminflect


@lru_cache(maxsize=1)
def _first_names() -> Any:
    import gender_guesser.detector as gd

    return gd.Detector(case_sensitive=False)


def _is_first_name(word: str) -> bool:
    if not word[:1].isupper():
        return False
    return _first_names().get_gender(word) in ("male", "female", "mostly_male", "mostly_female", "andy")


# ------------------------------------------------------------------------------ inflection

_TAG_ORDER = ("VBD", "VBZ", "VBG", "VBN", "VBP", "VB", "NNS", "NN", "JJR", "JJS", "JJ", "RBR", "RBS", "RB")
_UPOS = {"V": "VERB", "N": "NOUN", "J": "ADJ", "R": "ADV"}


@lru_cache(maxsize=1 << 14)
def _tags_of(word: str) -> tuple[str, ...]:
    """The Penn tags the word can have as an inflection of one of its lemmas, in _TAG_ORDER."""
    lm = _lemminflect()
    if lm is None:
        return ()
    w = word.lower()
    found: set[str] = set()
    for upos, lems in lm.getAllLemmas(w).items():
        for lem in lems:
            for tag, forms in lm.getAllInflections(lem, upos=upos).items():
                if w in forms:
                    found.add(tag)
    order = [t for t in _TAG_ORDER if t in found]
    if "NN" in order and w in lm.getAllLemmas(w).get("NOUN", ()):
        order.remove("NN")
        order.insert(0, "NN")  # "victory" is the singular, whatever else the table allows
    return tuple(order)


def _inflect(lemma: str, tag: str) -> str | None:
    lm = _lemminflect()
    if lm is None:
        return None
    if tag in ("VB", "VBP") and lemma == "be":
        return "are" if tag == "VBP" else "be"
    got = lm.getInflection(lemma, tag=tag)
    return got[0] if got else None


def _inflect_like(lemma: str, like: str, verb: bool | None = None) -> str | None:
    """`lemma` in the form `like` has: ("disapprove", "approved") -> "disapproved". `verb`: the
    word is used as a verb here (True), as something else (False), or either (None)."""
    tags = list(_tags_of(like))
    if verb is not None:
        tags = [t for t in tags if (t[0] == "V") == verb] or tags
    if not tags:
        return lemma if lexicon.lemmas(like) == {like.lower()} else None
    want = tags[0]
    got = _inflect(lemma, want)
    if got is None and want[:1] == "V":
        return None
    return got or lemma


def _verb_lemma(word: str) -> str | None:
    lm = _lemminflect()
    if lm is None:
        return None
    lems = lm.getAllLemmas(word.lower()).get("VERB")
    return lems[0] if lems else None


# ------------------------------------------------------------------------------ text helpers


def _cased(old: str, new: str) -> str:
    if len(old) > 1 and old.isupper() and len(new) > 1:
        return new.upper()
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" ([,.;:!?])", r"\1", text)
    return text.strip()


def _splice(text: str, start: int, end: int, new: str) -> str:
    return _tidy(text[:start] + new + text[end:])


def _surface(a: Analysed, k: int) -> str:
    t = a.tokens[k]
    return a.text[t.start : t.end]


def _word(a: Analysed, k: int) -> str:
    return a.words[k] if 0 <= k < len(a.words) and a.tokens[k].kind == WORD else ""


def _next_word(a: Analysed, k: int) -> str:
    """The word after token k in the same clause ("" at a clause break)."""
    if k + 1 < len(a.tokens) and not a.breaks[k + 1]:
        return _word(a, k + 1)
    return ""


def _prev_word(a: Analysed, k: int) -> str:
    if k > 0 and not a.breaks[k]:
        return _word(a, k - 1)
    return ""


@lru_cache(maxsize=1 << 12)
def _analysed(text: str) -> Analysed:  # every kind reads the same sentence: tokenise it once
    return analyse(text, tokenize(text))


def _base_verb(word: str) -> bool:
    """A verb in its plain form ("take", "be", "rise"): what follows a modal."""
    if not word or "v" not in lexicon.parts_of_speech(word):
        return False
    lem = _verb_lemma(word)
    return lem == word if lem is not None else word in lexicon.lemmas(word)


# ------------------------------------------------------------------------------ the page


@dataclass(frozen=True)
class Name:
    text: str  # as written: "Katie Boulter", "Boulter", "Thames Water"
    kind: str  # "person" | "organisation" | "other"
    words: frozenset[str]


@dataclass(frozen=True)
class PageQuote:
    text: str  # the quotation's words
    span: tuple[int, int]  # in the page text
    named: str | None  # the person the page's cue names ("said Carlo Buontempo"), if any
    anonymous: bool  # the cue gives an unnamed speaker ("a spokesperson", "one official")


@dataclass
class Page:
    """What the edits need to know of the page a sentence comes from: its names and quotations."""

    text: str
    names: list[Name] = field(default_factory=list)
    quotes: list[PageQuote] = field(default_factory=list)
    caps: frozenset[str] = frozenset()
    outlets: frozenset[str] = frozenset()

    @classmethod
    def of(cls, text: str) -> Page:
        page = cls(text)
        a = _analysed(text)
        page.caps = capitalised_words(a)
        from verifier.registry import default_registry

        reg = default_registry()
        page.outlets = frozenset(w.lower() for s, e, _ in reg.mentions(text) for w in text[s:e].split())
        seen: dict[str, Name] = {}
        for s, e in sentence_spans(text):
            for name in _names_in(_analysed(text[s:e]), page):
                seen.setdefault(name.text, name)
        # a surname is a person's once the page has the full name ("Boulter" after "Katie Boulter")
        page.names = list(seen.values())
        page.names = [Name(n.text, _classify(n.text, page), n.words) for n in page.names]
        page.quotes = _page_quotes(text, page)
        return page

    def people(self) -> list[Name]:
        return [n for n in self.names if n.kind == "person" and len(n.words) > 1]

    def full_name(self, mention: Name) -> Name | None:
        """The page's full name for a surname-only mention ("Boulter" -> "Katie Boulter")."""
        if len(mention.words) > 1:
            return mention
        for n in self.names:
            if len(n.words) > 1 and n.text.split()[-1].lower() == mention.text.lower():
                return n
        return None


def _name_runs(a: Analysed, caps: frozenset[str]) -> list[tuple[int, int]]:
    """Token ranges [i, j) of consecutive name words within one clause: initials ("U.S."), a
    capitalised sentence-initial word before a name ("Food Standards Agency"), and "of"/"for"
    between capitalised words ("Office for Budget Responsibility") belong to the name."""
    runs: list[tuple[int, int]] = []
    k = 0
    n = len(a.tokens)

    def name_word(i: int) -> bool:
        after_initial = i > 0 and _initial(a, i - 1) and _surface(a, i)[:1].isupper()
        return is_entity(a, i, caps) or _initial(a, i) or after_initial

    while k < n:
        if name_word(k) or (k == 0 and n > 1 and _surface(a, 0)[:1].isupper() and not a.breaks[1]
                            and name_word(1) and a.words[0] not in function_words()):
            j = k + 1
            while j < n and not a.breaks[j] and not _possessive(a, j - 1):
                if name_word(j):
                    j += 1
                elif a.words[j] in _NAME_CONNECTORS and j + 1 < n and not a.breaks[j + 1] and is_entity(a, j + 1, caps):
                    j += 2
                else:
                    break
            runs.append((k, j))
            k = j
        else:
            k += 1
    return runs


# Lower-case words inside a name: "Bank of England", "Office for Budget Responsibility".
_NAME_CONNECTORS = frozenset({"of", "for"})


def _initial(a: Analysed, k: int) -> bool:
    """A capital letter written as an initial or inside an abbreviation: "U.S.", "George W. Bush"."""
    s = _surface(a, k)
    return len(s) == 1 and s.isupper() and a.text[a.tokens[k].end : a.tokens[k].end + 1] == "."


def _possessive(a: Analysed, k: int) -> bool:
    s = _surface(a, k)
    return s.endswith("'s") or s.endswith("’s")


def _run_span(a: Analysed, i: int, j: int) -> tuple[int, int]:
    """Character span of a name run, without a possessive "'s"."""
    start, end = a.tokens[i].start, a.tokens[j - 1].end
    if _possessive(a, j - 1):
        end -= 2
    elif _initial(a, j - 1):
        end += 1  # "U.S."
    return start, end


def _organisation_heads() -> frozenset[str]:
    return frozenset(_raw_semantics()["organisations"]["heads"])


def _person_in(run: str) -> str | None:
    """The person's name at the end of a name run, from its first given name on: "Defence
    Secretary John Healey" -> "John Healey" (gender-guesser's first-name table decides)."""
    words = run.split()
    for i, w in enumerate(words[:-1]):
        if _is_first_name(w):
            return " ".join(words[i:])
    return None


def _classify(text: str, page: Page | None) -> str:
    words = text.split()
    if len(words) > 1 and _is_first_name(words[0]):
        return "person"
    if len(words) == 1 and page is not None:
        for n in page.names:
            if n.kind == "person" and len(n.words) > 1 and n.text.split()[-1] == text:
                return "person"
    if words and words[-1].lower() in _organisation_heads():
        return "organisation"
    if len(words) == 1 and "a" in lexicon.parts_of_speech(text.lower()):
        return "demonym"  # "British", "Mexican": swapped only for another of their kind
    return "other"


def _names_in(a: Analysed, page: Page | None) -> list[Name]:
    """The names of an analysed sentence, a person's name without the titles and roles before it
    ("Treasury Secretary Scott Bessent" -> "Scott Bessent")."""
    out: list[Name] = []
    caps = page.caps if page is not None else capitalised_words(a)
    for i, j in _name_runs(a, caps):
        s, e = _run_span(a, i, j)
        if len(a.text[s:e].replace(".", "")) < 2:
            continue  # an initial
        raw = a.text[s:e]
        if " " in raw and raw.isupper():
            continue  # a headline in capitals, not a name
        if " " not in raw and not raw.isupper() and lexicon.lemmas(raw.lower()) - {raw.lower()} and \
                lexicon.known(raw.lower()):
            continue  # "Crossed", "Rules": a common word inflected, capitalised in a title
        text = _person_in(a.text[s:e]) or a.text[s:e]
        kind = _classify(text, page)
        out.append(Name(text, kind, frozenset(w.lower() for w in text.split())))
    return out


def _page_quotes(text: str, page: Page) -> list[PageQuote]:
    from verifier.attributions.finder import find_attributions
    from verifier.models import ArticleText
    out = []
    for a in find_attributions(ArticleText(text, "<page>", "txt")):
        if a.kind != "quote" or not a.speaker or len(a.text.split()) < 4:
            continue
        # only a speaker the cue writes out: a pronoun the finder resolved is its guess, not the page's
        written = a.speaker.lower() in (a.cue or "").lower()
        named = _person_in(a.speaker) if written else None
        first = a.speaker.split()[0].lower()
        anonymous = written and named is None and first in _INDEFINITE and not any(
            w[:1].isupper() and _is_first_name(w) for w in a.speaker.split())
        if named is None and not anonymous:
            continue
        out.append(PageQuote(a.text, a.span, named, anonymous))
    return out


def _other_name(mention: Name, page: Page, exclude: list[Name]) -> Name | None:
    """Another name of the same kind on the page, sharing no word with the mention or with the
    sentence's other names, not an outlet, and not the mention's acronym (or the other way)."""
    full = page.full_name(mention) if mention.kind == "person" else mention
    taken = set(mention.words) | (full.words if full else set())
    for n in exclude:
        taken |= n.words
    for cand in page.names:
        if cand.kind != mention.kind or cand.words & taken or cand.words & page.outlets:
            continue
        if _acronym_of(cand.text, mention.text) or _acronym_of(mention.text, cand.text):
            continue
        if full is not None and (_acronym_of(cand.text, full.text) or _acronym_of(full.text, cand.text)):
            continue
        if mention.kind == "person" and len(mention.words) == 1:
            # a surname for a surname
            return Name(cand.text.split()[-1], cand.kind, frozenset({cand.text.split()[-1].lower()}))
        if mention.kind == "person" and len(cand.words) < 2:
            continue
        return cand
    return None


def _acronym_of(short: str, long: str) -> bool:
    """"IDF" / "Nato" / "OBR" abbreviates "Israel Defense Forces" / "North Atlantic Treaty Organisation"."""
    s = short.replace(".", "")
    if " " in s or len(s) < 2:
        return False
    if s.isupper() and long.replace(" ", "").lower().startswith(s.lower()):
        return True  # "EU" for "Europe", "UN" for "United Nations"
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’-]*", long) if w[0].isupper())
    return len(initials) >= 2 and initials.lower().startswith(s.lower())


# ------------------------------------------------------------------------------ the edits


def edit(text: str, kind: str, page: Page | None = None, nth: int = 0) -> Edit | None:
    """The `nth` edit of this kind the text allows (0: the first), or None when there is none."""
    sites = _sites(text, kind, page)
    if nth < 0 or nth >= len(sites):
        return None
    return sites[nth]


def edits(text: str, page: Page | None = None, *, quote: bool = False) -> list[Edit]:
    """The first edit of every kind that applies: claim kinds for a sentence; claim and quote
    kinds for the words of a quotation (each returned wrapped in quotation marks); the speaker
    kinds when the sentence carries one of the page's quotations."""
    kinds = CLAIM_KINDS + QUOTE_KINDS if quote else CLAIM_KINDS + SPEAKER_KINDS
    out = []
    for kind in kinds:
        e = edit(text, kind, page)
        if e is None:
            continue
        if quote and not e.quote:
            e = Edit(e.kind, f"“{e.text}”", e.before, e.after, e.speaker, True)
        out.append(e)
    return out


def count(text: str, kind: str, page: Page | None = None) -> int:
    """How many edits of this kind the text allows."""
    return len(_sites(text, kind, page))


def _sites(text: str, kind: str, page: Page | None) -> list[Edit]:
    if kind not in KINDS:
        raise ValueError(f"unknown edit kind: {kind}")
    if kind in SPEAKER_KINDS:
        return _speaker_edits(text, kind, page)
    if text.rstrip(" ”\"’'").endswith("?"):
        return []  # a question asserts nothing to contradict
    fn = _EDITORS[kind]
    a = _analysed(text)
    if not a.tokens:
        return []
    got: list[Edit] = fn(a, page)
    return [e for e in got if e.text != _tidy(text)]


def quotation(sentence: str) -> str | None:
    """The words inside the sentence's quotation marks, if it quotes at least four words (an
    opening mark with no closing one runs to the end of the sentence)."""
    m = re.search(r"[“\"«]([^”\"»]+)(?:[”\"»]|$)", sentence)
    if not m:
        return None
    q = m.group(1).strip().rstrip(",")
    return q if len(q.split()) >= 4 else None


# --- agent and patient


def _roles(a: Analysed, page: Page | None) -> list[Edit]:
    pg = page or Page(a.text, caps=capitalised_words(a))
    names = _name_runs(a, pg.caps)
    out: list[Edit] = []
    sem = lexicon.semantics()
    for x, (i1, j1) in enumerate(names):
        for i2, j2 in names[x + 1 :]:
            if any(a.breaks[k] and not _inside_numbers(a, k) for k in range(j1, i2 + 1)):
                break  # one clause only (the comma of "6-4, 6-0" does not end it)
            between = list(range(j1, i2))
            words = [a.words[k] for k in between]
            if not words or words[-1] in ("and", "or", "&", "nor") or words[0] in ("and", "or", "&", "nor"):
                continue  # "X and Y": swapping a coordination changes nothing
            if any(a.tokens[k].kind != WORD for k in between) and not _possessive(a, j1 - 1):
                continue
            s1, e1 = _run_span(a, i1, j1)
            s2, e2 = _run_span(a, i2, j2)
            n1, n2 = a.text[s1:e1], a.text[s2:e2]
            if _classify(n1, pg) != _classify(n2, pg) or set(n1.lower().split()) & set(n2.lower().split()):
                continue
            if _possessive(a, j1 - 1):
                # "X's (6-4, 6-0) victory over Y"
                if words[-1] not in _ROLE_PREPOSITIONS or len(between) > 6:
                    continue
            else:
                preds = [k for k in between if is_predicate(a, k) and a.words[k] not in sem.reporting]
                others = [k for k in between if k not in preds and a.words[k] not in function_words()
                          and a.words[k] not in sem.modality and a.words[k] not in sem.negators]
                if len(preds) != 1 or others or len(between) > 5:
                    continue
            new = a.text[:s1] + n2 + a.text[e1:s2] + n1 + a.text[e2:]
            out.append(Edit("roles", _tidy(new), f"{n1} … {n2}", f"{n2} … {n1}"))
    return out


def _inside_numbers(a: Analysed, k: int) -> bool:
    return 0 < k < len(a.tokens) and a.tokens[k - 1].kind == NUMBER and a.tokens[k].kind == NUMBER


# --- dates


def _weekday(a: Analysed, page: Page | None) -> list[Edit]:
    days = _weekdays()
    out = []
    for k, w in enumerate(a.words):
        if a.tokens[k].kind == WORD and w in days and _surface(a, k)[:1].isupper():
            new = days[(days.index(w) + 1) % len(days)]
            old = _surface(a, k)
            out.append(Edit("weekday", _splice(a.text, a.tokens[k].start, a.tokens[k].end, _cased(old, new)), old,
                            _cased(old, new)))
    return out


def _month(a: Analysed, page: Page | None) -> list[Edit]:
    months = _months()
    abbrev = _raw_semantics()["calendar"]["month_abbreviations"]
    short = {}
    for ab, n in sorted(abbrev.items(), key=lambda kv: len(kv[0])):
        short.setdefault(int(n), ab)
    out = []
    for k, w in enumerate(a.words):
        old = _surface(a, k)
        if a.tokens[k].kind != WORD or not old[:1].isupper():
            continue
        if w in months:
            n = months.index(w) + 1
        elif w in abbrev and _neighbour_number(a, k):
            n = int(abbrev[w])
        else:
            continue
        if w == "may" and not _neighbour_number(a, k) and _prev_word(a, k) not in ("in", "of", "since", "until", "by"):
            continue  # "May" the modal or the name, unless it reads as a date
        if k > 0 and not a.breaks[k] and _surface(a, k - 1)[:1].isupper() and a.tokens[k - 1].kind == WORD:
            continue  # "Theresa May", "Brian May"
        m = n % 12 + 1
        new = months[m - 1] if w in months else short.get(m, months[m - 1])
        new = _cased(old, new)
        out.append(Edit("month", _splice(a.text, a.tokens[k].start, a.tokens[k].end, new), old, new))
    return out


def _neighbour_number(a: Analysed, k: int) -> bool:
    return any(0 <= j < len(a.tokens) and a.tokens[j].kind in (NUMBER, ORDINAL) for j in (k - 1, k + 1))


def _year(a: Analysed, page: Page | None) -> list[Edit]:
    sem = lexicon.semantics()
    out = []
    for k, t in enumerate(a.tokens):
        if not is_year(t) or (k + 1 < len(a.tokens) and a.tokens[k + 1].kind == UNIT):
            continue
        old = _surface(a, k)
        if not old.isdigit():
            continue
        # move the year the way that makes the statement stronger, not weaker: "before 2012" is
        # also true "before 2013"
        rel = _relation_before(a, k, sem.temporal_relations)
        step = -1 if rel == "before" or _prev_word(a, k) == "by" else 1
        new = str(int(old) + step)
        out.append(Edit("year", _splice(a.text, t.start, t.end, new), old, new))
    return out


def _relation_before(a: Analysed, k: int, table: dict[str, str], reach: int = 3) -> str | None:
    for j in range(k - 1, max(-1, k - 1 - reach), -1):
        if a.breaks[j + 1]:
            break
        found = a.phrase_ending(j, table)
        if found:
            return table[found[0]]
    return None


# --- hedges


def _markers(a: Analysed) -> list[tuple[int, int, str, str]]:
    """(first token, last token, marker, class) of every modality marker, in order."""
    sem = lexicon.semantics()
    out = []
    k = 0
    while k < len(a.tokens):
        best = None
        for j in range(min(len(a.tokens) - 1, k + sem.max_marker_words - 1), k - 1, -1):
            found = a.phrase_ending(j, sem.modality)
            if found and found[1] == k:
                best = (k, j, found[0], sem.modality[found[0]])
                break
        if best is not None and a.tokens[k].kind == WORD:
            out.append(best)
            k = best[1] + 1
        else:
            k += 1
    return out


@lru_cache(maxsize=1)
def _transparent_words() -> frozenset[str]:
    return frozenset(_raw_semantics()["transparent"]["members"])


def _be_before(a: Analysed, k: int) -> int | None:
    """The token of a form of "be" before token k ("is expected to", "is still likely to"), if any."""
    transparent = _transparent_words()
    j = k - 1
    while j >= 0 and not a.breaks[j + 1] and a.words[j] in transparent:
        j -= 1
    if j >= 0 and not a.breaks[j + 1] and a.tokens[j].kind == WORD and "be" in lexicon.lemmas(a.words[j]) and \
            a.words[j] not in ("be", "been", "being"):
        return j
    return None


def _past(word: str) -> bool:
    tags = _tags_of(word)
    return bool(tags) and tags[0] in ("VBD", "VBN")


def _hedge_move(a: Analysed, page: Page | None) -> list[Edit]:
    sem = lexicon.semantics()
    will, may = _class_head("modality", "future"), _class_head("modality", "possible")
    out = []
    for k, j, marker, cls in _markers(a):
        nxt = _next_word(a, j)
        old_s, old_e = a.tokens[k].start, a.tokens[j].end
        if cls == "future":
            # "will", "would", "shall" before a verb (not "going to", "'ll")
            if k != j or marker not in _MODAL_PAST and marker not in _PAST_MODALS:
                continue
            if not (_base_verb(nxt) or nxt in sem.negators):
                continue
            new = _MODAL_PAST[may] if marker in _PAST_MODALS else may
        elif cls in ("possible", "probable", "intended"):
            be = _be_before(a, k)
            if nxt == "to" and (marker.endswith(" to") is False):
                # "plans to build", "is likely to win", "hoped to"
                end_tok = j + 1
            elif marker.endswith(" to"):
                end_tok = j
            elif k == j and _base_verb(nxt) and cls != "intended":
                end_tok = j  # "may take", "could rise", "should open"
            else:
                continue
            if end_tok != j and marker in sem.modality and _verb_follows(a, end_tok) is False:
                continue
            start_tok = be if be is not None else k
            # the tense is the be-form's ("was expected to"), else the marker verb's ("planned to")
            past = _past(a.words[be]) if be is not None else (_past(a.words[k]) or marker in _PAST_MODALS)
            new = _MODAL_PAST[will] if past else will
            old_s, old_e = a.tokens[start_tok].start, a.tokens[end_tok].end
        else:
            continue
        old = a.text[old_s:old_e]
        new = _cased(old, new)
        out.append(Edit("hedge_move", _splice(a.text, old_s, old_e, new), old, new))
    return out


def _verb_follows(a: Analysed, k: int) -> bool:
    return _base_verb(_next_word(a, k))


def _subject_tag(a: Analysed, k: int) -> str:
    """VBZ after a singular subject, VBP after a plural one or I/we/you/they (the word before k)."""
    prev = _prev_word(a, k)
    if prev in ("i", "we", "you", "they"):
        return "VBP"
    if prev.endswith("s") and not prev.endswith("ss") and "n" in lexicon.parts_of_speech(prev) and (
            lexicon.lemmas(prev) - {prev}) and not _surface(a, k - 1)[:1].isupper():
        return "VBP"
    return "VBZ"


def _hedge_drop(a: Analysed, page: Page | None) -> list[Edit]:
    out = []
    for k, j, marker, cls in _markers(a):
        if cls not in ("possible", "probable", "apparent"):
            continue
        nxt = _next_word(a, j)
        pos = lexicon.parts_of_speech(marker) if k == j else ""
        adverb = _prev_word(a, k) not in ("most", "more", "less", "least", "the", "a", "an") and (
            nxt == "" or "v" in lexicon.parts_of_speech(nxt) or nxt in lexicon.semantics().modality)
        if k == j and "r" in pos and "v" not in pos and nxt != "to" and marker not in _PAST_MODALS and adverb:
            # an adverb: "reportedly paid", "will likely win", "Perhaps, …"
            s, e = a.tokens[k].start, a.tokens[k].end
            if a.text[e : e + 1] == ",":
                e += 1
            old = a.text[s:e]
            rest = a.text[e:].lstrip()
            if s == 0:
                rest = rest[:1].upper() + rest[1:]
            new_text = a.text[:s] + rest
            out.append(Edit("hedge_drop", _tidy(new_text), old, ""))
            continue
        if k == j and (marker in _MODAL_PAST or marker in _PAST_MODALS) and nxt in _transparent_words():
            continue  # "could still rise": leave the adverb's sentence alone
        if k == j and _base_verb(nxt) and (marker in _MODAL_PAST or marker in _PAST_MODALS):
            # "may take" -> "takes"
            verb_k = j + 1
            tag = _subject_tag(a, k)
            start = a.tokens[k].start
        elif (nxt == "to" or marker.endswith(" to")) and cls in ("apparent", "probable"):
            # "appears to have broken" -> "has broken"; "is expected to rise" -> "rises"
            to_k = j if marker.endswith(" to") else j + 1
            verb_k = to_k + 1
            if not _base_verb(_word(a, verb_k)) or (verb_k < len(a.tokens) and a.breaks[verb_k]):
                continue
            be = _be_before(a, k)
            carrier = a.words[be] if be is not None else a.words[k]
            tags = _tags_of(carrier) or (["VBZ"] if carrier == "is" else [])
            if carrier in ("is", "was", "are", "were", "am"):
                tags = ["VBD" if carrier in ("was", "were") else "VBZ" if carrier == "is" else "VBP"]
            if not tags or tags[0] not in ("VBD", "VBZ", "VBP"):
                continue
            tag = tags[0]
            start = a.tokens[be].start if be is not None else a.tokens[k].start
        else:
            continue
        if verb_k >= len(a.tokens):
            continue
        verb = _word(a, verb_k)
        lem = _verb_lemma(verb)
        if lem is None:
            continue
        form = _inflect(lem, tag)
        if form is None:
            continue
        end = a.tokens[verb_k].end
        old = a.text[start:end]
        form = _cased(old, form)
        out.append(Edit("hedge_drop", _splice(a.text, start, end, form), old, form))
    return out


# --- quantities and numbers


def _vague(a: Analysed, page: Page | None) -> list[Edit]:
    sem = lexicon.semantics()
    mags = _magnitude_words()
    out = []
    for v in vague_quantities(a):
        k = v.start
        w = a.words[k]
        mag = sem.vague_quantities[w]
        approx = _relation_before(a, k, sem.approximators)
        up = approx != "under"  # "up to hundreds" is also true of thousands: go down there
        higher = [m for m in mags if m[0] > mag]
        lower = [m for m in mags if m[0] < mag]
        pick = (higher[0] if higher else lower[-1]) if up else (lower[-1] if lower else None)
        if pick is None:
            continue
        old = _surface(a, k)
        new = _cased(old, pick[1] if w.endswith("s") else pick[1].rstrip("s"))
        out.append(Edit("vague_quantity", _splice(a.text, a.tokens[k].start, a.tokens[k].end, new), old, new))
    return out


def _pair_tokens(a: Analysed) -> set[int]:
    out: set[int] = set()
    for p in number_pairs(a):
        out |= {p.start, p.end}
    return out


def _number_sites(a: Analysed) -> list[tuple[int, str, str]]:
    """(token, old surface, new surface ×10) for every number it is safe to change: not a year,
    not a day of a month, not after an approximator of the "under" class ("fewer than 30" is also
    true of 300)."""
    sem = lexicon.semantics()
    months = set(sem.months)
    out = []
    for k, t in enumerate(a.tokens):
        if t.kind not in (NUMBER, ORDINAL) or is_year(t):
            continue
        old = a.text[t.start : t.end]
        m = re.search(r"\d+(?:[,.]\d+)*", old)
        if m is None:
            if t.kind == ORDINAL:
                continue
            value = _decimal(t.norm)
            if value is None:
                continue
            new = _format(value * 10, False)
        else:
            value = _decimal(m.group(0).replace(",", ""))
            if value is None:
                continue
            commas = "," in m.group(0) or ("." not in m.group(0) and value < 1000)
            new = old[: m.start()] + _format(value * 10, commas) + old[m.end() :]
        if value == 0 or any(0 <= j < len(a.words) and a.words[j] in months for j in (k - 1, k + 1)):
            continue  # ten times nothing is nothing; a day of a month is a date
        if _relation_before(a, k, sem.approximators) == "under":
            continue
        out.append((k, old, new))
    return out


def _decimal(s: str) -> Decimal | None:
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


def _format(v: Decimal, commas: bool) -> str:
    v = v.normalize()
    if v == v.to_integral_value():
        n = int(v)
        return f"{n:,}" if (commas and n >= 1000) or n >= 10000 else str(n)
    return format(v, "f")


def _number(a: Analysed, page: Page | None) -> list[Edit]:
    out = []
    for k, old, new in _number_sites(a):
        t = a.tokens[k]
        out.append(Edit("number", _splice(a.text, t.start, t.end, new), old, new))
    return out


def _pair(a: Analysed, page: Page | None) -> list[Edit]:
    out = []
    for p in number_pairs(a):
        t1, t2 = a.tokens[p.start], a.tokens[p.end]
        if p.first == p.second or (is_year(t1) and is_year(t2)):
            continue  # "2012-2016" is a span of years, not an ordered pair of values
        s1, s2 = a.text[t1.start : t1.end], a.text[t2.start : t2.end]
        new = a.text[: t1.start] + s2 + a.text[t1.end : t2.start] + s1 + a.text[t2.end :]
        out.append(Edit("pair", _tidy(new), f"{s1} … {s2}", f"{s2} … {s1}"))
    # "from Chelsea to Arsenal": names in a from/to pair
    pg = Page(a.text, caps=capitalised_words(a))
    runs = _name_runs(a, pg.caps)
    for (i1, j1), (i2, j2) in zip(runs, runs[1:], strict=False):
        if _prev_word(a, i1) == "from" and i2 == j1 + 1 and a.words[j1] == "to":
            s1, e1 = _run_span(a, i1, j1)
            s2, e2 = _run_span(a, i2, j2)
            n1, n2 = a.text[s1:e1], a.text[s2:e2]
            new = a.text[:s1] + n2 + a.text[e1:s2] + n1 + a.text[e2:]
            out.append(Edit("pair", _tidy(new), f"{n1} … {n2}", f"{n2} … {n1}"))
    return out


# --- opposites


def _antonym_sites(a: Analysed) -> list[tuple[int, str]]:
    """(token, replacement) for every content word with an opposite in the lexicon, inflected as
    the word. Only direct opposites count (the word is the opposite's opposite too: WordNet's
    "sharp"/"dull", not the "arid" it reaches through similar adjectives), of the part of speech the
    word has here; the supplement's oppositions ("rise"/"fall") first, then the shortest."""
    sem = lexicon.semantics()
    closed = set(sem.modality) | set(sem.negators) | set(sem.reporting) | set(sem.vague_quantities) | set(
        sem.quantifiers) | set(sem.approximators)
    in_markers = {i for k, j, _, _ in _markers(a) for i in range(k, j + 1)}
    out = []
    for k, t in enumerate(a.tokens):
        if t.kind != WORD or k in in_markers:
            continue
        old = _surface(a, k)
        w = a.words[k]
        if old[:1].isupper() and (k > 0 and not a.breaks[k] or k + 1 < len(a.tokens) and _surface(a, k + 1)[:1].isupper()):
            continue  # a name, or the first word of one ("Downing Street")
        if w in titles() or w in closed or len(w) < 2 or "'" in w or "’" in w:
            continue
        own = lexicon.lemmas(w)
        supplement = set().union(*(sem.opposites.get(x, frozenset()) for x in own))
        if w in function_words() and not supplement:
            continue  # "on"/"off": grammatical glue, unless the oppositions name it ("for"/"against")
        if w in function_words() and k > 0 and not a.breaks[k] and is_predicate(a, k - 1) and not (
                lexicon.lemmas(a.words[k - 1]) & _PRIMARY_AUXILIARIES):
            continue  # a particle of a phrasal verb: "pushed up prices", "growing up"
        if a.text[t.start - 1 : t.start] == "-" or a.text[t.end : t.end + 1] == "-":
            continue  # part of a compound ("quarter-finals")
        verb = is_predicate(a, k)
        tags = _tags_of(w)
        noun = not verb and bool(tags) and tags[0] == "NNS"
        own_pos = {"n"} if noun else set(lexicon.parts_of_speech(w)) - ({"n", "a", "r"} if verb else {"v"})
        candidates = [c for c in _opposites(w) if c in supplement or set(lexicon.parts_of_speech(c)) & own_pos]
        for opp in candidates:
            form = _inflect_like(opp, w, verb)
            if form and form != w and lexicon.known(form):
                out.append((k, _cased(old, form)))
                break
    return out


@lru_cache(maxsize=1 << 12)
def _opposite_candidates(word: str) -> tuple[str, ...]:
    own = lexicon.lemmas(word)
    supplement = set().union(*(lexicon.semantics().opposites.get(x, frozenset()) for x in own))
    found = [c for c in lexicon.antonym_lemmas(word) - own
             if re.fullmatch(r"[a-z]+", c) and lexicon.antonym_lemmas(c) & own]
    return tuple(sorted(found, key=lambda c: (c not in supplement, len(c), c)))


@lru_cache(maxsize=1 << 12)
def _opposites(word: str) -> tuple[str, ...]:
    """The word's opposites, the likeliest first: the supplement's oppositions, then WordNet's
    where the word is among the opposite's own first three (a head's direct antonym, not a
    satellite's inherited one: "new"/"old", not "new"/"frayed"), then the rest, shortest first."""
    own = lexicon.lemmas(word)
    supplement = set().union(*(lexicon.semantics().opposites.get(x, frozenset()) for x in own))
    cands = _opposite_candidates(word)
    mutual = [c for c in cands if c in supplement or own & set(_opposite_candidates(c)[:3])]
    return tuple(mutual + [c for c in cands if c not in mutual])


def _antonym(a: Analysed, page: Page | None) -> list[Edit]:
    out = []
    for k, new in _antonym_sites(a):
        t = a.tokens[k]
        out.append(Edit("antonym", _splice(a.text, t.start, t.end, new), _surface(a, k), new))
    return out


# --- names


def _entity_sites(a: Analysed, page: Page | None) -> list[tuple[int, int, str, str]]:
    """(start, end, old, new) for every name of the sentence that has another of its kind on the page."""
    if page is None:
        return []
    names = _names_in(a, page)
    out = []
    for n in names:
        if n.words & page.outlets:
            continue  # the outlet is the attribution, not the content
        other = _other_name(n, page, names)
        if other is None:
            continue
        for m in re.finditer(r"(?<![\w'’])" + re.escape(n.text) + r"(?![\w])", a.text):
            out.append((m.start(), m.end(), n.text, other.text))
            break
    return out


def _entity(a: Analysed, page: Page | None) -> list[Edit]:
    return [Edit("entity", _splice(a.text, s, e, new), old, new) for s, e, old, new in _entity_sites(a, page)]


# --- polarity


def _auxiliary_sites(a: Analysed) -> list[int]:
    """Tokens of auxiliaries that can carry "not": a modal before a verb, or a form of be, have
    or do, not already negated, not an infinitive ("to be")."""
    sem = lexicon.semantics()
    out = []
    for k, t in enumerate(a.tokens):
        if t.kind != WORD:
            continue
        w = a.words[k]
        nxt = _next_word(a, k)
        if nxt in sem.negators or "'" in w or "’" in w or _prev_word(a, k) == "to":
            continue
        modal = w in sem.modality and sem.modality[w] in ("future", "possible", "probable") and (
            _base_verb(nxt) or nxt in ("be", "have"))
        primary = bool(lexicon.lemmas(w) & _PRIMARY_AUXILIARIES) and w not in ("be", "been", "being", "having",
                                                                              "doing", "done") and nxt != "to"
        if (modal or primary) and nxt and not (k + 1 < len(a.tokens) and a.breaks[k + 1]):
            out.append(k)
    return out


def _finite_verb_sites(a: Analysed) -> list[tuple[int, str]]:
    """(token, tag) of finite lexical verbs that are not reporting verbs: "approved" (VBD)."""
    sem = lexicon.semantics()
    out = []
    for k, t in enumerate(a.tokens):
        if t.kind != WORD or not is_predicate(a, k):
            continue
        w = a.words[k]
        if w in sem.reporting or w in sem.modality or lexicon.lemmas(w) & _PRIMARY_AUXILIARIES:
            continue
        prev = _prev_word(a, k)
        if prev == "to" or prev in sem.modality or lexicon.lemmas(prev) & _PRIMARY_AUXILIARIES or prev in sem.negators:
            continue
        tags = _tags_of(w)
        tag = next((x for x in tags if x in ("VBD", "VBZ")), None)
        if tag is None:
            continue
        if tag == "VBZ" and prev not in ("he", "she", "it") and not is_verb_like(w):
            continue  # "British troops": an -s form is a verb only after its subject
        out.append((k, tag))
    return out


def _negation_insert(a: Analysed, page: Page | None) -> list[Edit]:
    sites: list[tuple[int, Edit]] = []
    for k in _auxiliary_sites(a):
        t = a.tokens[k]
        old = _surface(a, k)
        sites.append((k, Edit("negation_insert", _splice(a.text, t.start, t.end, old + " not"), old, old + " not")))
    for k, tag in _finite_verb_sites(a):
        t = a.tokens[k]
        lem = _verb_lemma(a.words[k])
        if lem is None:
            continue
        do = {"VBD": "did", "VBZ": "does"}[tag]
        old = _surface(a, k)
        new = _cased(old, f"{do} not {lem}")
        sites.append((k, Edit("negation_insert", _splice(a.text, t.start, t.end, new), old, new)))
    return [e for _, e in sorted(sites, key=lambda s: s[0])]


def _negator_sites(a: Analysed) -> list[tuple[int, int, str]]:
    """(start, end, positive replacement) for every negation that can be dropped."""
    sem = lexicon.semantics()
    fw = function_words()
    out = []
    for k, t in enumerate(a.tokens):
        if t.kind != WORD:
            continue
        w = a.words[k].replace("’", "'")
        old = _surface(a, k)
        if w in ("not", "never"):
            out.append((t.start, t.end, ""))
        elif w == "no" and _next_word(a, k) == "longer":
            out.append((t.start, a.tokens[k + 1].end, ""))
        elif w == "no" and _next_word(a, k) and _next_word(a, k) not in fw:
            out.append((t.start, t.end, ""))
        elif w == "cannot":
            out.append((t.start, t.end, _cased(old, "can")))
        elif w.endswith("n't") and len(w) > 3:
            stem = w[:-3]
            out.append((t.start, t.end, _cased(old, _CONTRACTED_STEM.get(stem, stem))))
        elif w in sem.implicit_negatives and _next_word(a, k) == "to" and _base_verb(_word(a, k + 2)):
            # "refused to pay" -> "paid"
            tags = [x for x in _tags_of(w) if x in ("VBD", "VBZ", "VBP", "VBG", "VBN")]
            lem = _verb_lemma(_word(a, k + 2))
            if not tags or lem is None:
                continue
            form = _inflect(lem, tags[0])
            if form:
                out.append((t.start, a.tokens[k + 2].end, _cased(old, form)))
    return out


def _negation_drop(a: Analysed, page: Page | None) -> list[Edit]:
    return [Edit("negation_drop", _splice(a.text, s, e, new), a.text[s:e], new) for s, e, new in _negator_sites(a)]


# --- editorial marks (quotations)


def _ellipsis_negation(a: Analysed, page: Page | None) -> list[Edit]:
    out = []
    for k, t in enumerate(a.tokens):
        if t.kind != WORD:
            continue
        w = a.words[k]
        end = t.end
        if w == "no" and _next_word(a, k) == "longer":
            end = a.tokens[k + 1].end
        elif w not in ("not", "never"):
            continue
        if k == 0 or end == a.tokens[-1].end:
            continue  # an ellipsis at either end of the quotation is a cut, not a gap
        old = a.text[t.start : end]
        out.append(_wrap(Edit("ellipsis_negation", _splice(a.text, t.start, end, "…"), old, "…")))
    return out


def _wrap(e: Edit) -> Edit:
    return Edit(e.kind, f"“{e.text}”", e.before, e.after, e.speaker, True)


def _bracket_antonym(a: Analysed, page: Page | None) -> list[Edit]:
    out = []
    for k, new in _antonym_sites(a):
        t = a.tokens[k]
        out.append(_wrap(Edit("bracket_antonym", _splice(a.text, t.start, t.end, f"[{new}]"), _surface(a, k),
                              f"[{new}]")))
    return out


def _bracket_number(a: Analysed, page: Page | None) -> list[Edit]:
    out = []
    for k, old, new in _number_sites(a):
        t = a.tokens[k]
        out.append(_wrap(Edit("bracket_number", _splice(a.text, t.start, t.end, f"[{new}]"), old, f"[{new}]")))
    return out


def _bracket_not(a: Analysed, page: Page | None) -> list[Edit]:
    out = []
    for k in _auxiliary_sites(a):
        t = a.tokens[k]
        old = _surface(a, k)
        out.append(_wrap(Edit("bracket_not", _splice(a.text, t.start, t.end, old + " [not]"), old, old + " [not]")))
    return out


def _bracket_name(a: Analysed, page: Page | None) -> list[Edit]:
    return [_wrap(Edit("bracket_name", _splice(a.text, s, e, f"[{new}]"), old, f"[{new}]"))
            for s, e, old, new in _entity_sites(a, page)]


# --- speakers


def _speaker_edits(sentence: str, kind: str, page: Page | None) -> list[Edit]:
    """The page's quotation in this sentence given to a person the page does not give it to."""
    if page is None:
        return []
    at = page.text.find(sentence)
    if at < 0:
        return []
    span = (at, at + len(sentence))
    out = []
    for q in page.quotes:
        if q.span[1] <= span[0] or q.span[0] >= span[1]:
            continue
        if kind == "speaker_named" and q.named:
            said = Name(q.named, "person", frozenset(w.lower() for w in q.named.split()))
            other = _other_name(said, page, [])
        elif kind == "speaker_anonymous" and q.anonymous:
            people = page.people()
            other = people[0] if people else None
        else:
            continue
        if other is None:
            continue
        text = f"{other.text} said: “{q.text}”"
        out.append(Edit(kind, text, q.named or "(unnamed)", other.text, speaker=other.text, quote=True))
    return out


_EDITORS = {
    "roles": _roles,
    "weekday": _weekday,
    "month": _month,
    "year": _year,
    "hedge_move": _hedge_move,
    "hedge_drop": _hedge_drop,
    "vague_quantity": _vague,
    "antonym": _antonym,
    "entity": _entity,
    "pair": _pair,
    "negation_insert": _negation_insert,
    "negation_drop": _negation_drop,
    "number": _number,
    "ellipsis_negation": _ellipsis_negation,
    "bracket_antonym": _bracket_antonym,
    "bracket_number": _bracket_number,
    "bracket_not": _bracket_not,
    "bracket_name": _bracket_name,
}


def page_cases(text: str, page: Page | None = None, kinds: tuple[str, ...] = KINDS) -> list[tuple[str, Edit]]:
    """Every (original, edit) the page's sentences give: the sentence as a claim, and the words
    of its quotation as a quote. `original` is the sentence or the quotation's words."""
    page = page or Page.of(text)
    out: list[tuple[str, Edit]] = []
    for s, e in sentence_spans(text):
        sentence = text[s:e].strip()
        if len(sentence.split()) < 4:
            continue
        out.extend((sentence, ed) for ed in edits(sentence, page) if ed.kind in kinds)
        q = quotation(sentence)
        if q:
            out.extend((q, ed) for ed in edits(q, page, quote=True) if ed.kind in kinds)
    return out


def edited_outside_quote(e: Edit, original: str, checked_as: str, checked_text: str) -> bool:
    """Whether a sentence-level edit changed only the speech cue of a quotation the verifier
    checked as the attributed quote: the quoted words are the original's, and the rest of the
    sentence is a cue and its circumstances ("“…,” she told Radio 4's Today programme on Friday"),
    with no verb of its own but a reporting verb. A sentence whose quotation is a fragment of a
    statement of its own ("Starmer said he hoped to reach 3% of GDP, “as conditions allow”") is
    not: its statement is what it claims. Nor is a changed person's name (the speaker is
    checked), a speaker kind or a swap of roles."""
    if e.kind in SPEAKER_KINDS or e.kind == "roles" or e.quote or checked_as != "quote":
        return False
    words = " ".join(checked_text.split())
    flat = " ".join(original.split())
    if not words or words not in flat:
        return False
    if e.kind in ("entity", "bracket_name") and _classify(e.before, None) == "person":
        return False
    rest = _analysed(flat.replace(words, " "))
    reporting = lexicon.semantics().reporting
    return not any(
        t.kind == WORD and is_predicate(rest, k) and rest.words[k] not in reporting
        # a verb, not a noun that can be one ("evening", "interview"): only a verb, or inflected as one
        and (is_verb_like(rest.words[k]) or any(x in ("VBD", "VBZ", "VBN") for x in _tags_of(rest.words[k])))
        for k, t in enumerate(rest.tokens)
    )
