"""Lexical knowledge for judging claims: lemmas, synonyms, related words, antonyms and the closed
word classes (modality, negation, quantifiers, approximators, time words).

Everything here is read from data files, built from real resources or written from reference
grammars (see the headers of `data/semantics.toml` and `scripts/build_lexicon.py`):

- `data/lexicon/lemmas.tsv.gz` (from lemminflect): inflected noun and verb forms -> lemma.
- `data/lexicon/senses.tsv.gz` (from WordNet 3.0): each lemma's synsets. Two words are
  *synonyms* when they share one of the first two senses of each (WordNet orders senses by corpus
  frequency), or when an adjective pertains to the noun ("Mexican"/"Mexico"). They are *related*
  when they share any sense, a hypernym, a similar-to or a derivational link: a reader recognises
  the paraphrase, but related words never prove a claim. Phrasal verbs are lemmas of their own
  ("pass_through"), and a word one step below another's main sense that lexicalises the same
  opposition ("rise" under "increase": "fall" is in "decrease") has that sense among its main ones.
  A noun lists the verbs its main senses are derived from ("decision": decide), for a light verb
  and its noun ("make decisions").
- `data/lexicon/antonyms.tsv.gz` (from WordNet 3.0): opposite lemmas.

The tables load lazily, once per process, the first time a claim is judged, so commands that never
judge a claim do not pay for them. A table is kept as its sorted lines and looked up by binary search:
one claim needs a few hundred of WordNet's 80,000 lemmas, so building a dict of them all cost more
than the rest of judging the claim (bench/README.md, "startup").
"""

from __future__ import annotations

import gzip
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_DATA = resources.files("verifier") / "data"


def _read_gz(name: str) -> str:
    return gzip.decompress((_DATA / "lexicon" / name).read_bytes()).decode("utf-8")


class _Table:
    """A tab-separated table (key, tab, value; one row a line, sorted, as scripts/build_lexicon.py
    writes it), looked up by binary search in its text: nothing is built but the text itself."""

    def __init__(self, text: str) -> None:
        self._text = text

    def _first_at_or_after(self, prefix: str) -> int:
        """The offset of the first line not sorting before `prefix`."""
        text = self._text
        lo, hi = 0, len(text)  # both are line starts (or the end)
        while lo < hi:
            mid = (lo + hi) // 2
            start = text.rfind("\n", 0, mid) + 1
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            if text[start:end] < prefix:
                lo = end + 1
            else:
                hi = start
        return min(lo, len(text))

    def values(self, key: str) -> list[str]:
        """The value of every row for `key`, in file order ([] when there is none)."""
        text, prefix = self._text, key + "\t"
        at = self._first_at_or_after(prefix)
        out = []
        while text.startswith(prefix, at):
            end = text.find("\n", at)
            end = len(text) if end < 0 else end
            out.append(text[at + len(prefix) : end])
            at = end + 1
        return out

    def get(self, key: str) -> str | None:
        """The value of the key's row (the last one, as a dict built from the rows would keep)."""
        found = self.values(key)
        return found[-1] if found else None

    def __contains__(self, key: str) -> bool:
        return self._text.startswith(key + "\t", self._first_at_or_after(key + "\t"))


@lru_cache(maxsize=1)
def _lemma_table() -> _Table:
    return _Table(_read_gz("lemmas.tsv.gz"))


@lru_cache(maxsize=1)
def _sense_table() -> _Table:
    return _Table(_read_gz("senses.tsv.gz"))


@lru_cache(maxsize=1)
def _antonym_rows() -> _Table:
    return _Table(_read_gz("antonyms.tsv.gz"))


@lru_cache(maxsize=1 << 14)
def _antonyms_of(lemma: str) -> frozenset[str]:
    return frozenset(_antonym_rows().values(lemma))


@lru_cache(maxsize=1 << 16)
def lemmas(word: str) -> frozenset[str]:
    """The word itself and every noun/verb lemma it can be a form of ("won" -> win, won)."""
    w = word.lower()
    found = _lemma_table().get(w)
    extra = _suppletive().get(w, ())
    if not found:
        return frozenset((w, *_morphy(w), *extra))
    return frozenset((w, *found.split(","), *extra))


@lru_cache(maxsize=1)
def _suppletive() -> dict[str, tuple[str, ...]]:
    raw = tomllib.loads((_DATA / "semantics.toml").read_text(encoding="utf-8"))
    return {p: (s,) for p, s in raw.get("inflection", {}).get("suppletive_plurals", {}).items()}


# WordNet's morphy detachment rules (morph(7WN)): regular suffixes of nouns and verbs, tried on a
# form the lemma table does not list ("landlines", "cellphones"); a base counts only when WordNet
# has it in that part of speech
_DETACH = {"n": (("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"), ("men", "man"),
                 ("ies", "y"), ("s", "")),
           "v": (("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""),
                 ("s", ""))}


def _morphy(w: str) -> tuple[str, ...]:
    if w in _sense_table():
        return ()
    out = []
    for pos, rules in _DETACH.items():
        for suffix, repl in rules:
            if w.endswith(suffix) and len(w) > len(suffix) + 2:
                base = w[: -len(suffix)] + repl
                if pos in senses(base).pos:
                    out.append(base)
                    break
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class Senses:
    """One lemma's WordNet synsets (see scripts/build_lexicon.py)."""

    top: frozenset[str]  # its main senses (and the noun an adjective pertains to)
    all: frozenset[str]  # every sense
    hypernyms: frozenset[str]  # direct hypernyms of the main senses
    related: frozenset[str]  # every sense plus one step of similar/derived/hyponym links
    pos: str  # parts of speech: letters of "nvar"
    proper: bool  # a name WordNet never writes in lower case
    # lexicographer files of the main noun senses ("person", "group", "cognition", ...)
    classes: frozenset[str] = frozenset()
    # the verb synsets a noun's main senses are derived from ("decision" -> {decide, determine})
    event_verbs: frozenset[str] = frozenset()


_NO_SENSES = Senses(frozenset(), frozenset(), frozenset(), frozenset(), "", False)


@lru_cache(maxsize=1 << 16)
def senses(lemma: str) -> Senses:
    row = _sense_table().get(lemma)
    if row is None:
        return _NO_SENSES
    top, others, hyper, related, pos, flag, classes, verbs = (row.split("\t") + ["", ""])[:8]
    t = frozenset(top.split())
    a = t | frozenset(others.split())
    return Senses(t, a, frozenset(hyper.split()), a | frozenset(related.split()), pos, flag == "P",
                  frozenset(classes.split()), frozenset(verbs.split()))


@lru_cache(maxsize=1 << 14)
def phrasal_senses(verb: str, particle: str) -> Senses:
    """The senses of a phrasal verb WordNet lists as a lemma of its own: "passed" + "through" ->
    pass_through ({transit, pass_through, move_through}, ...); "went" + "up" -> go_up ({rise, go_up,
    climb}, ...). Empty when WordNet has no such verb."""
    for lem in sorted(lemmas(verb)):
        s = senses(f"{lem}_{particle.lower()}")
        if "v" in s.pos:
            return s
    return _NO_SENSES


@lru_cache(maxsize=1 << 15)
def event_verbs(noun: str) -> frozenset[str]:
    """The verb synsets the noun's main senses are derived from ("decisions" -> {decide, ...}):
    what "make decisions" says, with a light verb."""
    return _union(noun.lower(), "event_verbs")


@lru_cache(maxsize=1 << 15)
def verb_senses(word: str, *, main_only: bool) -> frozenset[str]:
    """The verb synsets of the word's lemmas (its main senses only, or all)."""
    return frozenset(x for x in _union(word.lower(), "top" if main_only else "all") if x.startswith("v"))


def _union(word: str, field_name: str) -> frozenset[str]:
    return frozenset().union(*(getattr(senses(x), field_name) for x in lemmas(word)))


def known(word: str) -> bool:
    """Whether the word (or one of its lemmas) is an ordinary English word, not only a name
    ("trump" and "house" are words; "clinton" and "mexico" are names)."""
    for lem in lemmas(word):
        s = senses(lem)
        if s.pos and not s.proper:
            return True
        if lem in _lemma_table():
            return True
    return False


@lru_cache(maxsize=1)
def _kind_table() -> _Table:
    return _Table(_read_gz("kinds.tsv.gz"))


@lru_cache(maxsize=1 << 14)
def kinds(name: str) -> frozenset[str]:
    """What WordNet says a proper name is, as one-word nouns: "Pennsylvania" -> {state, province,
    district, ...}, "Saudi Arabia" -> {country, land, ...}. Empty for a name it does not know."""
    row = _kind_table().get(name.lower().replace("’", "'"))
    return frozenset(row.split()) if row else frozenset()


def noun_classes(word: str) -> frozenset[str]:
    """WordNet's lexicographer classes of the word's main noun senses: "officials" -> {person},
    "projections" -> {cognition, communication}. Empty for a word WordNet does not know as a noun."""
    return _union(word.lower(), "classes")


def in_wordnet(word: str) -> bool:
    return any(senses(lem).pos for lem in lemmas(word))


@lru_cache(maxsize=1 << 16)
def inflected_verb(word: str) -> bool:
    """Whether the form is an inflection of a verb ("passed", "keeping"; not "pass" or "win")."""
    w = word.lower()
    return any(lem != w and "v" in senses(lem).pos for lem in lemmas(w))


@lru_cache(maxsize=1 << 16)
def parts_of_speech(word: str) -> str:
    """Every WordNet part of speech the form can have, itself or as an inflection ("advised": a, v;
    "filed": v via "file"; "leads": n, v)."""
    w = word.lower()
    own = set(senses(w).pos)
    for lem in lemmas(w) - {w}:
        # an inflection is a noun or verb form of its lemma: "leads" is n (lead) and v (lead)
        own.update(p for p in senses(lem).pos if p in "nv")
    return "".join(sorted(own))


def same_lemma(a: str, b: str) -> bool:
    return a == b or bool(lemmas(a) & lemmas(b))


@lru_cache(maxsize=1 << 16)
def synonyms(a: str, b: str) -> bool:
    """Same lemma, or a shared synset that is a main sense of at least one of the two words
    ("back"/"support", "answer"/"respond"; not "banned"/"outlawed", whose shared sense is rare for both)."""
    if same_lemma(a, b):
        return True
    return bool(_union(a, "top") & _union(b, "all")) or bool(_union(a, "all") & _union(b, "top"))


@lru_cache(maxsize=1 << 16)
def more_general(claim_word: str, source_word: str) -> bool:
    """The claim uses a direct hypernym of the source's word ("increased" for "rose"): true of it."""
    return bool(_union(claim_word, "top") & _union(source_word, "hypernyms"))


@lru_cache(maxsize=1 << 16)
def related(a: str, b: str) -> bool:
    """Recognisably the same notion in other words: any shared sense, hypernym or derivation."""
    if synonyms(a, b):
        return True
    # one step from one word's senses to the other's (a hypernym, a derivation, a similar
    # adjective), not two: "force" and "spearhead" share a distant hypernym, but neither is a
    # sense next to the other
    return bool(_union(a, "related") & _union(b, "all")) or bool(_union(b, "related") & _union(a, "all"))


@lru_cache(maxsize=1 << 16)
def antonyms(a: str, b: str) -> bool:
    """WordNet says the two are opposites (or a small set of verb oppositions WordNet lacks)."""
    extra = semantics().opposites
    for x in lemmas(a):
        opp = _antonyms_of(x) | extra.get(x, frozenset())
        if opp & lemmas(b):
            return True
    return False


@lru_cache(maxsize=1 << 14)
def antonym_lemmas(word: str) -> frozenset[str]:
    """The lemmas WordNet (or the opposition supplement) gives as opposites of the word."""
    extra = semantics().opposites
    out: set[str] = set()
    for x in lemmas(word):
        out |= _antonyms_of(x) | extra.get(x, frozenset())
    return frozenset(out)


# ------------------------------------------------------------------------------ closed classes


@dataclass(frozen=True)
class Semantics:
    """The closed classes of `data/semantics.toml`, as lookups."""

    modality: dict[str, str]  # marker (may be several words) -> class
    negators: frozenset[str]
    implicit_negatives: frozenset[str]
    quantifiers: dict[str, str]
    exclusive: frozenset[str]
    approximators: dict[str, str]
    vague_quantities: dict[str, int]
    durations: dict[str, float]
    temporal_relations: dict[str, str]
    relative_anchors: dict[str, int]
    relative_units: frozenset[str]
    relative_words: dict[str, tuple[str, int]]
    months: dict[str, int]
    weekdays: frozenset[str]
    reporting: frozenset[str]
    neutral_reporting: frozenset[str]
    opposites: dict[str, frozenset[str]]
    no_comment: tuple[str, ...]
    max_marker_words: int
    prepositions: frozenset[str] = frozenset()
    light_verbs: frozenset[str] = frozenset()


def _classes(table: dict[str, list[str]]) -> dict[str, str]:
    return {w: cls for cls, words in table.items() for w in words}


@lru_cache(maxsize=1)
def semantics() -> Semantics:
    raw = tomllib.loads((_DATA / "semantics.toml").read_text(encoding="utf-8"))
    modality = _classes({k: v for k, v in raw["modality"].items() if k != "certain"})
    modality.update({w: "fact" for w in raw["modality"]["certain"]})
    months = {m: i + 1 for i, m in enumerate(raw["calendar"]["months"])}
    months.update(raw["calendar"]["month_abbreviations"])
    opposites: dict[str, set[str]] = {}
    for a, b in raw.get("opposites", {}).get("pairs", []):
        opposites.setdefault(a, set()).add(b)
        opposites.setdefault(b, set()).add(a)
    multi = [
        w
        for section in ("modality", "approximators", "temporal_relations", "quantifiers")
        for words in raw[section].values()
        for w in words
    ] + raw["polarity"]["negators"] + raw["polarity"]["implicit"] + raw["reporting"]["verbs"]
    return Semantics(
        modality=modality,
        negators=frozenset(raw["polarity"]["negators"]),
        implicit_negatives=frozenset(raw["polarity"]["implicit"]),
        quantifiers=_classes(raw["quantifiers"]),
        exclusive=frozenset(raw["exclusive"]["members"]),
        approximators=_classes(raw["approximators"]),
        vague_quantities=dict(raw["vague_quantities"]),
        durations=dict(raw["durations"]),
        temporal_relations=_classes(raw["temporal_relations"]),
        relative_anchors=dict(raw["relative_time"]["anchors"]),
        relative_units=frozenset(raw["relative_time"]["units"]),
        relative_words={k: (v[0], int(v[1])) for k, v in raw["relative_time"]["words"].items()},
        months=months,
        weekdays=frozenset(raw["calendar"]["weekdays"]),
        reporting=frozenset(raw["reporting"]["verbs"]),
        neutral_reporting=frozenset(raw["reporting"]["neutral"]),
        opposites={k: frozenset(v) for k, v in opposites.items()},
        no_comment=tuple(raw["no_comment"]["patterns"]),
        max_marker_words=max(len(w.split()) for w in multi),
        prepositions=frozenset(raw["prepositions"]["members"]),
        light_verbs=frozenset(raw["light_verbs"]["members"]),
    )
