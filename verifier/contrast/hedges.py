"""Edit family: hedges moved ("may" -> "will") or dropped ("may take" -> "takes")."""

from __future__ import annotations

from functools import lru_cache

from verifier import lexicon
from verifier.contrast.common import (
    _MODAL_PAST,
    _PAST_MODALS,
    Edit,
    _base_verb,
    _cased,
    _class_head,
    _inflect,
    _next_word,
    _prev_word,
    _raw_semantics,
    _splice,
    _surface,
    _tags_of,
    _tidy,
    _verb_lemma,
    _word,
)
from verifier.contrast.page import Page
from verifier.match.elements import Analysed
from verifier.match.normalize import WORD

# --- hedges


def _markers(a: Analysed) -> list[tuple[int, int, str, str]]:
    """(first token, last token, marker, class) of every modality marker, in order."""
    sem = lexicon.semantics()
    out = []
    k = 0
    while k < len(a.tokens):
        best = None
        for j in range(min(len(a.tokens) - 1, k + sem.max_marker_words - 1), k - 1, -1):
            found = a.phrase_ending(j, sem.modality)
            if found and found[1] == k:
                best = (k, j, found[0], sem.modality[found[0]])
                break
        if best is not None and a.tokens[k].kind == WORD:
            out.append(best)
            k = best[1] + 1
        else:
            k += 1
    return out


@lru_cache(maxsize=1)
def _transparent_words() -> frozenset[str]:
    return frozenset(_raw_semantics()["transparent"]["members"])


def _be_before(a: Analysed, k: int) -> int | None:
    """The token of a form of "be" before token k ("is expected to", "is still likely to"), if any."""
    transparent = _transparent_words()
    j = k - 1
    while j >= 0 and not a.breaks[j + 1] and a.words[j] in transparent:
        j -= 1
    if j >= 0 and not a.breaks[j + 1] and a.tokens[j].kind == WORD and "be" in lexicon.lemmas(a.words[j]) and \
            a.words[j] not in ("be", "been", "being"):
        return j
    return None


def _past(word: str) -> bool:
    tags = _tags_of(word)
    return bool(tags) and tags[0] in ("VBD", "VBN")


def _hedge_move(a: Analysed, page: Page | None) -> list[Edit]:
    sem = lexicon.semantics()
    will, may = _class_head("modality", "future"), _class_head("modality", "possible")
    out = []
    for k, j, marker, cls in _markers(a):
        nxt = _next_word(a, j)
        old_s, old_e = a.tokens[k].start, a.tokens[j].end
        if cls == "future":
            # "will", "would", "shall" before a verb (not "going to", "'ll")
            if k != j or marker not in _MODAL_PAST and marker not in _PAST_MODALS:
                continue
            if not (_base_verb(nxt) or nxt in sem.negators):
                continue
            new = _MODAL_PAST[may] if marker in _PAST_MODALS else may
        elif cls in ("possible", "probable", "intended"):
            be = _be_before(a, k)
            if nxt == "to" and (marker.endswith(" to") is False):
                # "plans to build", "is likely to win", "hoped to"
                end_tok = j + 1
            elif marker.endswith(" to"):
                end_tok = j
            elif k == j and _base_verb(nxt) and cls != "intended":
                end_tok = j  # "may take", "could rise", "should open"
            else:
                continue
            if end_tok != j and marker in sem.modality and _verb_follows(a, end_tok) is False:
                continue
            start_tok = be if be is not None else k
            # the tense is the be-form's ("was expected to"), else the marker verb's ("planned to")
            past = _past(a.words[be]) if be is not None else (_past(a.words[k]) or marker in _PAST_MODALS)
            new = _MODAL_PAST[will] if past else will
            old_s, old_e = a.tokens[start_tok].start, a.tokens[end_tok].end
        else:
            continue
        old = a.text[old_s:old_e]
        new = _cased(old, new)
        out.append(Edit("hedge_move", _splice(a.text, old_s, old_e, new), old, new))
    return out


def _verb_follows(a: Analysed, k: int) -> bool:
    return _base_verb(_next_word(a, k))


def _subject_tag(a: Analysed, k: int) -> str:
    """VBZ after a singular subject, VBP after a plural one or I/we/you/they (the word before k)."""
    prev = _prev_word(a, k)
    if prev in ("i", "we", "you", "they"):
        return "VBP"
    if prev.endswith("s") and not prev.endswith("ss") and "n" in lexicon.parts_of_speech(prev) and (
            lexicon.lemmas(prev) - {prev}) and not _surface(a, k - 1)[:1].isupper():
        return "VBP"
    return "VBZ"


def _hedge_drop(a: Analysed, page: Page | None) -> list[Edit]:
    out = []
    for k, j, marker, cls in _markers(a):
        if cls not in ("possible", "probable", "apparent"):
            continue
        nxt = _next_word(a, j)
        pos = lexicon.parts_of_speech(marker) if k == j else ""
        adverb = _prev_word(a, k) not in ("most", "more", "less", "least", "the", "a", "an") and (
            nxt == "" or "v" in lexicon.parts_of_speech(nxt) or nxt in lexicon.semantics().modality)
        if k == j and "r" in pos and "v" not in pos and nxt != "to" and marker not in _PAST_MODALS and adverb:
            # an adverb: "reportedly paid", "will likely win", "Perhaps, …"
            s, e = a.tokens[k].start, a.tokens[k].end
            if a.text[e : e + 1] == ",":
                e += 1
            old = a.text[s:e]
            rest = a.text[e:].lstrip()
            if s == 0:
                rest = rest[:1].upper() + rest[1:]
            new_text = a.text[:s] + rest
            out.append(Edit("hedge_drop", _tidy(new_text), old, ""))
            continue
        if k == j and (marker in _MODAL_PAST or marker in _PAST_MODALS) and nxt in _transparent_words():
            continue  # "could still rise": leave the adverb's sentence alone
        if k == j and _base_verb(nxt) and (marker in _MODAL_PAST or marker in _PAST_MODALS):
            # "may take" -> "takes"
            verb_k = j + 1
            tag = _subject_tag(a, k)
            start = a.tokens[k].start
        elif (nxt == "to" or marker.endswith(" to")) and cls in ("apparent", "probable"):
            # "appears to have broken" -> "has broken"; "is expected to rise" -> "rises"
            to_k = j if marker.endswith(" to") else j + 1
            verb_k = to_k + 1
            if not _base_verb(_word(a, verb_k)) or (verb_k < len(a.tokens) and a.breaks[verb_k]):
                continue
            be = _be_before(a, k)
            carrier = a.words[be] if be is not None else a.words[k]
            tags = _tags_of(carrier) or (["VBZ"] if carrier == "is" else [])
            if carrier in ("is", "was", "are", "were", "am"):
                tags = ["VBD" if carrier in ("was", "were") else "VBZ" if carrier == "is" else "VBP"]
            if not tags or tags[0] not in ("VBD", "VBZ", "VBP"):
                continue
            tag = tags[0]
            start = a.tokens[be].start if be is not None else a.tokens[k].start
        else:
            continue
        if verb_k >= len(a.tokens):
            continue
        verb = _word(a, verb_k)
        lem = _verb_lemma(verb)
        if lem is None:
            continue
        form = _inflect(lem, tag)
        if form is None:
            continue
        end = a.tokens[verb_k].end
        old = a.text[start:end]
        form = _cased(old, form)
        out.append(Edit("hedge_drop", _splice(a.text, start, end, form), old, form))
    return out
