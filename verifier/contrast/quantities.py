"""Edit family: vague quantities ("hundreds" -> "thousands"), numbers, and the order of a
from/to pair or a score."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from verifier import lexicon
from verifier.contrast.common import Edit, _cased, _magnitude_words, _prev_word, _splice, _surface, _tidy
from verifier.contrast.dates import _relation_before
from verifier.contrast.page import Page, _name_runs, _run_span
from verifier.match.elements import Analysed, capitalised_words, is_year, number_pairs, vague_quantities
from verifier.match.normalize import NUMBER, ORDINAL

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
