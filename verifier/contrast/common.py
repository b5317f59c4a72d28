"""What every edit family shares: the kinds of edit, the `Edit` record, the data the edits draw on
(the closed classes of `data/semantics.toml`, gender-guesser's first names, lemminflect's
inflections, all loaded on first use) and the text helpers that splice an edit into a sentence."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from verifier import lexicon
from verifier.match.elements import Analysed, analyse
from verifier.match.normalize import WORD, tokenize

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
