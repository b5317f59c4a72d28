"""Edit family: polarity, a negation inserted ("will open" -> "will not open") or dropped."""

from __future__ import annotations

from verifier import lexicon
from verifier.contrast.common import (
    _CONTRACTED_STEM,
    _PRIMARY_AUXILIARIES,
    Edit,
    _base_verb,
    _cased,
    _inflect,
    _next_word,
    _prev_word,
    _splice,
    _surface,
    _tags_of,
    _verb_lemma,
    _word,
)
from verifier.contrast.page import Page
from verifier.match.elements import Analysed, function_words, is_predicate, is_verb_like
from verifier.match.normalize import WORD

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
