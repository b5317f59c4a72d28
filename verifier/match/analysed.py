"""A tokenised span read for the claim judge (`Analysed`): lower-cased words, clause breaks, the
longest closed-class phrase ending at a token; and the word lists that reading needs (function
words, grammatical words, transparent words, titles, from `data/semantics.toml` and
`lexicon.semantics()`, loaded on first use). Shared by `elements`, `value_phrases` and the claim
judge."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from verifier import lexicon
from verifier.match.normalize import NUMBER, STOPWORDS, UNIT, WORD, Token

_BREAK = re.compile(r"[,;:()\[\]—–]|[.!?](?:\s|$)|\s-\s|\n")

@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """Grammatical words with no checkable content of their own. The shared STOPWORDS less the
    words of the closed classes, which are compared as classes instead of ignored."""
    sem = lexicon.semantics()
    classed = (
        set(sem.quantifiers) | set(sem.approximators) | set(sem.temporal_relations) | set(sem.exclusive)
        | set(sem.negators)
    )
    keep = {w for w in STOPWORDS if w not in classed or w in ("some", "about", "over", "under", "up", "down")}
    return frozenset(keep | set(sem.reporting) | {"percent", "cent"} | _extra_function_words())


@lru_cache(maxsize=1)
def _extra_function_words() -> frozenset[str]:
    import tomllib
    from importlib import resources

    raw = tomllib.loads((resources.files("verifier") / "data" / "semantics.toml").read_text(encoding="utf-8"))
    return frozenset(raw["function_words"]["members"])


@dataclass
class Analysed:
    """A tokenised span with its lower-cased words and clause breaks."""

    text: str
    tokens: list[Token]
    words: list[str]
    breaks: list[bool]  # breaks[i]: a clause boundary (comma, colon, dash, sentence end) before token i

    def phrase_ending(self, k: int, table: dict[str, str] | frozenset[str]) -> tuple[str, int] | None:
        """The longest marker of `table` ending at token k: (marker, its first token index)."""
        longest = lexicon.semantics().max_marker_words
        for n in range(longest, 0, -1):
            s = k - n + 1
            if s < 0 or any(self.breaks[j] for j in range(s + 1, k + 1)):
                continue
            phrase = " ".join(self.words[s : k + 1])
            if phrase in table:
                return phrase, s
        return None


def analyse(text: str, tokens: list[Token]) -> Analysed:
    words = []
    for t in tokens:
        if t.kind == WORD:
            w = text[t.start : t.end].lower().replace("’", "'")
            words.append(w[:-2] if w.endswith("'s") and len(w) > 3 else w)
        else:
            words.append(t.norm)
    breaks = [True]
    for i, (a, b) in enumerate(zip(tokens, tokens[1:], strict=False)):
        gap = text[a.end : b.start]
        brk = bool(_BREAK.search(gap))
        if brk and gap.strip() == "." and (words[i] in titles() or len(words[i]) == 1):
            brk = False  # "Mrs. Clinton", "James C. Cacheris": an abbreviation, not a sentence end
        breaks.append(brk)
    return Analysed(text, tokens, words, breaks)


@lru_cache(maxsize=1)
def grammatical_words() -> frozenset[str]:
    """Function words a scan for markers walks over (not the reporting verbs: "did not respond to
    emailed questions" does not negate "emailed")."""
    return frozenset(function_words() - lexicon.semantics().reporting)


@lru_cache(maxsize=1)
def _transparent() -> frozenset[str]:
    import tomllib
    from importlib import resources

    raw = tomllib.loads((resources.files("verifier") / "data" / "semantics.toml").read_text(encoding="utf-8"))
    return frozenset(raw["transparent"]["members"])


@lru_cache(maxsize=1)
def titles() -> frozenset[str]:
    import tomllib
    from importlib import resources

    raw = tomllib.loads((resources.files("verifier") / "data" / "semantics.toml").read_text(encoding="utf-8"))
    return frozenset(raw["titles"]["members"])


def class_words_before(a: Analysed, i: int, table: dict[str, str], reach: int = 4) -> list[tuple[str, str]]:
    """Markers of one class (quantifier, approximator, temporal relation) just before token i:
    [(word, class)], nearest first, within the clause."""
    out = []
    k = i - 1
    steps = 0
    fw = function_words()
    while k >= 0 and steps < reach and not a.breaks[k + 1]:
        hit = a.phrase_ending(k, table)
        if hit:
            out.append((hit[0], table[hit[0]]))
            k, steps = hit[1] - 1, steps + 1
            continue
        w = a.words[k]
        if w in fw or a.tokens[k].kind in (NUMBER, UNIT) or w in _transparent():
            k -= 1
            steps += 1
            continue
        break
    return out
