"""Lexical knowledge for judging claims: lemmas, synonyms, related words, antonyms and the closed
word classes (modality, negation, quantifiers, approximators, time words).

Everything here is read from data files, built from real resources or written from reference
grammars (see the headers of `data/semantics.toml` and `scripts/build_lexicon.py`):

- `data/lexicon/lemmas.tsv.gz` (from lemminflect): inflected noun and verb forms -> lemma.
- `data/lexicon/senses.tsv.gz` (from WordNet 3.0): each lemma's synsets. Two words are
  *synonyms* when they share one of the first two senses of each (WordNet orders senses by corpus
  frequency), or when an adjective pertains to the noun ("Mexican"/"Mexico"). They are *related*
  when they share any sense, a hypernym, a similar-to or a derivational link: a reader recognises
  the paraphrase, but related words never prove a claim.
- `data/lexicon/antonyms.tsv.gz` (from WordNet 3.0): opposite lemmas.

The tables load lazily, once per process, the first time a claim is judged, so commands that never
judge a claim do not pay for them.
"""

from __future__ import annotations

import gzip
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_DATA = resources.files("verifier") / "data"


def _read_gz(name: str) -> list[str]:
    return gzip.decompress((_DATA / "lexicon" / name).read_bytes()).decode("utf-8").splitlines()


@lru_cache(maxsize=1)
def _lemma_table() -> dict[str, str]:
    return dict(line.split("\t", 1) for line in _read_gz("lemmas.tsv.gz"))


@lru_cache(maxsize=1)
def _sense_table() -> dict[str, str]:
    return dict(line.split("\t", 1) for line in _read_gz("senses.tsv.gz"))


@lru_cache(maxsize=1)
def _antonym_table() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for line in _read_gz("antonyms.tsv.gz"):
        a, b = line.split("\t")
        out.setdefault(a, set()).add(b)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1 << 16)
def lemmas(word: str) -> frozenset[str]:
    """The word itself and every noun/verb lemma it can be a form of ("won" -> win, won)."""
    w = word.lower()
    found = _lemma_table().get(w)
    if not found:
        return frozenset((w,))
    return frozenset((w, *found.split(",")))


@lru_cache(maxsize=1 << 16)
def _synsets(lemma: str) -> tuple[frozenset[str], frozenset[str]]:
    row = _sense_table().get(lemma)
    if row is None:
        return frozenset(), frozenset()
    strong, _, weak = row.partition("\t")
    s = frozenset(strong.split())
    return s, s | frozenset(weak.split())


def known(word: str) -> bool:
    """Whether the word (or one of its lemmas) is an English dictionary word."""
    return any(lem in _sense_table() or lem in _lemma_table() for lem in lemmas(word))


def same_lemma(a: str, b: str) -> bool:
    return a == b or bool(lemmas(a) & lemmas(b))


@lru_cache(maxsize=1 << 16)
def synonyms(a: str, b: str) -> bool:
    """Same lemma, or a shared main sense (WordNet): "banned"/"outlawed" is not, "answer"/"respond" is."""
    if same_lemma(a, b):
        return True
    sa = frozenset().union(*(_synsets(x)[0] for x in lemmas(a)))
    if not sa:
        return False
    return any(sa & _synsets(y)[0] for y in lemmas(b))


@lru_cache(maxsize=1 << 16)
def related(a: str, b: str) -> bool:
    """Recognisably the same notion in other words: any shared sense, hypernym or derivation."""
    if synonyms(a, b):
        return True
    wa = frozenset().union(*(_synsets(x)[1] for x in lemmas(a)))
    if not wa:
        return False
    return any(wa & _synsets(y)[1] for y in lemmas(b))


@lru_cache(maxsize=1 << 16)
def antonyms(a: str, b: str) -> bool:
    """WordNet says the two are opposites (or a small set of verb oppositions WordNet lacks)."""
    table = _antonym_table()
    extra = semantics().opposites
    for x in lemmas(a):
        opp = table.get(x, frozenset()) | extra.get(x, frozenset())
        if opp & lemmas(b):
            return True
    return False


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
    opposites: dict[str, frozenset[str]]
    max_marker_words: int


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
        opposites={k: frozenset(v) for k, v in opposites.items()},
        max_marker_words=max(len(w.split()) for w in multi),
    )
