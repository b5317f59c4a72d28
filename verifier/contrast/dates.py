"""Edit family: dates (the weekday, the month, the year)."""

from __future__ import annotations

from verifier import lexicon
from verifier.contrast.common import (
    Edit,
    _cased,
    _months,
    _prev_word,
    _raw_semantics,
    _splice,
    _surface,
    _weekdays,
)
from verifier.contrast.page import Page
from verifier.match.elements import Analysed, is_year
from verifier.match.normalize import NUMBER, ORDINAL, UNIT, WORD

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
