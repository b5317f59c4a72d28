"""Edit family, quotations only: editorial marks, a negation dropped through an ellipsis or a word
replaced through a bracket."""

from __future__ import annotations

from verifier.contrast.common import Edit, _next_word, _splice, _surface
from verifier.contrast.names import _entity_sites
from verifier.contrast.opposites import _antonym_sites
from verifier.contrast.page import Page
from verifier.contrast.polarity import _auxiliary_sites
from verifier.contrast.quantities import _number_sites
from verifier.match.elements import Analysed
from verifier.match.normalize import WORD

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
