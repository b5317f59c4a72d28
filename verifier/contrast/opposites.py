"""Edit family: a word for its opposite (WordNet antonyms and the opposition pairs of
`lexicon.antonym_lemmas`), inflected like the word it replaces."""

from __future__ import annotations

import re
from functools import lru_cache

from verifier import lexicon
from verifier.contrast.common import (
    _PRIMARY_AUXILIARIES,
    Edit,
    _cased,
    _inflect_like,
    _splice,
    _surface,
    _tags_of,
)
from verifier.contrast.hedges import _markers
from verifier.contrast.page import Page
from verifier.match.elements import Analysed, function_words, is_predicate, titles
from verifier.match.normalize import WORD

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
