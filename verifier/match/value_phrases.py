"""Values a claim states in more than one word, read from an `Analysed` span: durations ("a year
and a half", "more than four years"), relative times ("last year"), number pairs ("3 of 10") and
vague quantities ("dozens", "hundreds of thousands"). The claim judge compares them as values."""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier import lexicon
from verifier.match.analysed import Analysed, class_words_before
from verifier.match.normalize import NUMBER, UNIT, WORD


@dataclass
class Duration:
    days: float
    start: int  # token range
    end: int
    approximator: str | None = None


_HALF = {"half": 0.5, "quarter": 0.25, "0.5": 0.5, "0.25": 0.25}


def durations(a: Analysed) -> list[Duration]:
    """Spans of time: "18 months", "a year and a half", "a decade", "more than four years"."""
    sem = lexicon.semantics()
    out: list[Duration] = []
    n = len(a.tokens)
    k = 0
    while k < n:
        w = a.words[k]
        value: float | None = None
        start = k
        if a.tokens[k].kind == NUMBER and k + 1 < n and a.words[k + 1] in sem.durations:
            try:
                value = float(a.tokens[k].norm) * sem.durations[a.words[k + 1]]
            except ValueError:
                value = None
            k += 2
        elif w in ("a", "an", "one") and k + 1 < n and a.words[k + 1] in sem.durations:
            value = sem.durations[a.words[k + 1]]
            k += 2
        elif w in sem.durations and (k == 0 or a.words[k - 1] in ("the", "next", "past", "last", "this")):
            value = sem.durations[w]
            k += 1
        elif w in ("half", "0.5") and k + 2 < n and a.words[k + 1] in ("a", "an") and a.words[k + 2] in sem.durations:
            value = 0.5 * sem.durations[a.words[k + 2]]
            k += 3
        else:
            k += 1
            continue
        if value is None:
            continue
        if k + 2 < n and a.words[k] == "and" and a.words[k + 1] in ("a", "an") and a.words[k + 2] in _HALF:
            value += _HALF[a.words[k + 2]] * sem.durations[a.words[k - 1]]
            k += 3
        approx = class_words_before(a, start, sem.approximators)
        out.append(Duration(value, start, k, approx[0][1] if approx else None))
    return out


@dataclass
class RelativeTime:
    unit: str
    offset: int
    start: int
    end: int


def relative_times(a: Analysed) -> list[RelativeTime]:
    """Deictic times: "last week", "this year", "next month", "yesterday"."""
    sem = lexicon.semantics()
    out = []
    for k, w in enumerate(a.words):
        surface = a.text[a.tokens[k].start : a.tokens[k].end]
        if surface.isupper() and len(surface) > 1:
            continue  # "USA TODAY" is a name
        if w in sem.relative_words:
            unit, off = sem.relative_words[w]
            out.append(RelativeTime(unit, off, k, k + 1))
        elif w in sem.relative_anchors and k + 1 < len(a.words) and a.words[k + 1] in sem.relative_units:
            if w == "this" and a.words[k + 1] in sem.weekdays:
                continue
            out.append(RelativeTime(a.words[k + 1], sem.relative_anchors[w], k, k + 2))
    return out


@dataclass
class NumberPair:
    """An ordered pair: "from 11 to 5.5", "30 to 12", "46%-35%", "by 92-0"."""

    first: str
    second: str
    start: int
    end: int


def number_pairs(a: Analysed) -> list[NumberPair]:
    out = []
    toks = a.tokens
    nums = [k for k, t in enumerate(toks) if t.kind == NUMBER]
    for x, y in zip(nums, nums[1:], strict=False):
        between = a.text[toks[x].end : toks[y].start]
        words_between = [a.words[j] for j in range(x + 1, y) if toks[j].kind == WORD]
        units_between = [j for j in range(x + 1, y) if toks[j].kind == UNIT]
        if len(words_between) > 2 or len(units_between) > 1:
            continue
        if re.fullmatch(r"\s*(?:%|percent|per cent|points?|votes?)?\s*(?:-|–|to)\s*", between.replace("percent", "%")) or (
            words_between in (["to"], ["percent", "to"], ["votes", "to"], ["points", "to"])
        ):
            out.append(NumberPair(toks[x].norm, toks[y].norm, x, y))
    return out


@dataclass
class VagueQuantity:
    magnitude: int  # power of ten
    start: int
    end: int


def vague_quantities(a: Analysed) -> list[VagueQuantity]:
    """"hundreds of protesters" (10^2), "tens of thousands" (10^4), "hundreds of billions" (10^11)."""
    sem = lexicon.semantics()
    out = []
    k = 0
    n = len(a.words)
    while k < n:
        w = a.words[k]
        if w in sem.vague_quantities and a.tokens[k].kind == WORD:
            mag = sem.vague_quantities[w]
            j = k
            while j + 2 < n and a.words[j + 1] == "of" and a.words[j + 2] in sem.vague_quantities:
                mag += sem.vague_quantities[a.words[j + 2]]
                j += 2
            out.append(VagueQuantity(mag, k, j + 1))
            k = j + 1
        else:
            k += 1
    return out


