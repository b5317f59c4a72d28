"""The generator's entry points: `edit`, `edits`, `count`, `page_cases` and `edited_outside_quote`;
each kind of edit is dispatched to its family's module."""

from __future__ import annotations

import re

from verifier import lexicon
from verifier.contrast.common import (
    CLAIM_KINDS,
    KINDS,
    QUOTE_KINDS,
    SPEAKER_KINDS,
    Edit,
    _analysed,
    _tags_of,
    _tidy,
)
from verifier.contrast.dates import _month, _weekday, _year
from verifier.contrast.editorial import (
    _bracket_antonym,
    _bracket_name,
    _bracket_not,
    _bracket_number,
    _ellipsis_negation,
)
from verifier.contrast.hedges import _hedge_drop, _hedge_move
from verifier.contrast.names import _entity
from verifier.contrast.opposites import _antonym
from verifier.contrast.page import Page, _classify
from verifier.contrast.polarity import _negation_drop, _negation_insert
from verifier.contrast.quantities import _number, _pair, _vague
from verifier.contrast.roles import _roles
from verifier.contrast.speakers import _speaker_edits
from verifier.match.elements import is_predicate, is_verb_like
from verifier.match.normalize import WORD
from verifier.match.source_index import sentence_spans

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
