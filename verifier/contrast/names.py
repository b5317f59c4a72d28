"""Edit family: a name for another name of the same kind on the same page."""

from __future__ import annotations

import re

from verifier.contrast.common import Edit, _splice
from verifier.contrast.page import Page, _names_in, _other_name
from verifier.match.elements import Analysed

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
