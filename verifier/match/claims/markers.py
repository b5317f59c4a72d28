"""Modality and polarity of every shared word, and of each clause as a whole."""

from __future__ import annotations

from functools import lru_cache

from verifier import lexicon

# A claim with less than this share of its content in the best passage is about something else.
from verifier.match.claims.index import ClaimIndex, _commitment, _contentful_claim, _tokens_of
from verifier.match.claims.locate import _pairs
from verifier.match.claims.shape import _Found
from verifier.match.elements import (
    CONTENT,
    FRAME,
    NUMBER_EL,
    QUANTITY,
    Analysed,
    ClaimShape,
    _capitalised,
    _governing_negative,
    _sentence_initial,
    _split_contraction,
    class_words_before,
    closed_class_word,
    grammatical_words,
    is_predicate,
    markers_before,
)
from verifier.match.normalize import NEGATIONS, NUMBER, ORDINAL, WORD
from verifier.models import Difference, Reason


def _unshared_hedge(hedges: tuple[str, ...], other_words: list[str]) -> bool:
    """A hedge adverb or modal ("likely", "reportedly", "could") the other side never uses. A verb
    form in front of a noun ("the proposed agreement") describes the thing, not the claim's verb."""
    return any("v" not in lexicon.parts_of_speech(h.split()[0]) for h in hedges) and not any(
        h.split()[0] in other_words for h in hedges
    )


def _markers(
    sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex, problems: list
) -> None:
    """Modality and polarity of every shared word agree; so do its quantifier and approximator."""
    sem = lexicon.semantics()
    a = sh.analysed
    seen_hedge = seen_neg = False
    for f, ps in _pairs(found, main, ix, sh):
        e = f.element
        if e.cls not in (CONTENT, FRAME, QUANTITY, NUMBER_EL) or not ps:
            continue  # (an element accounted for without a position of its own has no markers)
        cm = markers_before(a, e.index)
        sms = [markers_before(ix.analysed, p) for p in ps]
        word = e.surface
        if not any(sm.negative == cm.negative for sm in sms) and not seen_neg:
            sm = sms[0]
            seen_neg = True
            art = " ".join((*cm.negators, word)) if cm.negative else word
            src = (
                " ".join((*sm.negators, ix.analysed.words[ps[0]]))
                if sm.negative
                else ix.analysed.words[ps[0]]
            )
            problems.append(
                (
                    Reason.NEGATION_DIFFERS,
                    f"the passage has the opposite polarity (article '{art}' vs source '{src}')",
                    Difference(art, src, "negation"),
                )
            )
        elif (
            not any(sm.modality == cm.modality for sm in sms)
            and not seen_hedge
            and (
                e.verb_like
                or e.cls == FRAME
                or is_predicate(a, e.index)
                # "likely hacked computers": a hedge adverb the other side never uses, whatever
                # part of speech the word after it is taken for ("likely voters" keeps its "likely")
                or _unshared_hedge(cm.hedges, ix.analysed.words[slice(*_tokens_of(ix, main[e.clause]))])
                or _unshared_hedge(sms[0].hedges, a.words)
            )
        ):
            sm = sms[0]
            seen_hedge = True
            art = " ".join((*cm.hedges, word))
            src = " ".join((*sm.hedges, ix.analysed.words[ps[0]]))
            problems.append(
                (
                    Reason.HEDGE_DIFFERS,
                    f"the claim is {_commitment(cm.modality)} where the source is {_commitment(sm.modality)}"
                    f" (article '{art}' vs source '{src}')",
                    Difference(art, src, "hedge"),
                )
            )
        cq = class_words_before(a, e.index, sem.quantifiers)
        sq = [class_words_before(ix.analysed, p, sem.quantifiers) for p in ps]
        if cq and all(x and x[0][1] != cq[0][1] for x in sq):
            problems.append(
                (
                    Reason.QUANTITY_DIFFERS,
                    f"article '{cq[0][0]} {word}' vs source '{sq[0][0][0]} {word}'",
                    Difference(f"{cq[0][0]} {word}", f"{sq[0][0][0]} {word}", "quantity"),
                )
            )
        elif (
            not cq
            and all(x and x[0][1] in ("few", "none", "some", "most") for x in sq)
            and e.cls != NUMBER_EL
        ):
            problems.append(
                (
                    Reason.SCOPE_DIFFERS,
                    f"the source says '{sq[0][0][0]} {word}'",
                    Difference(word, f"{sq[0][0][0]} {word}", "quantity"),
                )
            )
        if e.cls in (NUMBER_EL, QUANTITY):
            ca = class_words_before(a, e.index, sem.approximators)
            sa = [class_words_before(ix.analysed, p, sem.approximators) for p in ps]
            c_dir = ca[0][1] if ca else None
            s_dirs = [x[0][1] if x else None for x in sa]
            if (
                c_dir in ("over", "under")
                and c_dir not in s_dirs
                or (c_dir is None and all(d in ("over", "under") for d in s_dirs))
            ):
                art = f"{ca[0][0]} {word}" if ca else word
                src = f"{sa[0][0][0]} {word}" if sa[0] else word
                problems.append(
                    (
                        Reason.QUANTITY_DIFFERS,
                        f"article '{art}' vs source '{src}'",
                        Difference(art, src, "number"),
                    )
                )
    if not seen_neg:
        _clause_polarity(sh, found, main, ix, problems)
    if not seen_hedge:
        _clause_modality(sh, found, main, ix, problems)
    _clause_opposites(sh, found, main, ix, problems)
    # exclusives ("the only Republican") must be in the source too
    for k, w in enumerate(a.words):
        if w in sem.exclusive and a.tokens[k].kind == WORD:
            if not any(
                ix.analysed.words[p] in sem.exclusive
                for span in main.values()
                for p in range(*_tokens_of(ix, span))
            ):
                problems.append(
                    (Reason.SCOPE_DIFFERS, f"the source does not say '{w}'", Difference(w, "", "wording"))
                )


def _negations_in(a: Analysed, lo: int, hi: int, unaccounted: set[int] | None = None) -> list[str]:
    """The negators in tokens [lo, hi). With `unaccounted`, a negator whose head (the next content
    word) is one of those is left out: "passed without a vote" against a passage with no vote at
    all is a missing phrase, not the opposite polarity."""
    sem = lexicon.semantics()
    out = []
    for k in range(lo, hi):
        w = a.words[k]
        if _split_contraction(w)[1] or w in NEGATIONS or w in sem.negators or _governing_negative(a, k):
            if unaccounted is not None:
                head = next((j for j in range(k + 1, min(hi, k + 5)) if _contentful_claim(a, j)), None)
                if head is not None and head in unaccounted:
                    continue
            out.append(w)
    return out


def _clause_polarity(
    sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex, problems: list
) -> None:
    """The polarity of a clause as a whole: a "not" the passage puts between the claim's words
    ("2024 was not among the five warmest years") that no shared word carries is still a negation."""
    a = sh.analysed
    for c in main:
        cels = [e for e in sh.elements if e.clause == c]
        aligned = [p for f, ps in _pairs(found, main, ix, sh) if f.element.clause == c for p in ps[:1]]
        if len(aligned) < 2 or not cels:
            continue
        s_neg = _negations_in(
            ix.analysed,
            max(ix.sentences[ix.sentence_of[min(aligned)]][0], min(aligned) - 3),
            max(aligned) + 1,
        )
        # as on the source side, the words just before the clause's first element belong to it
        # ("No further cases …": "no" is no element of its own)
        c_lo = min(e.index for e in cels)
        while (
            c_lo > 0
            and min(e.index for e in cels) - c_lo < 3
            and not a.breaks[c_lo]
            and not any(e.index == c_lo - 1 for e in sh.elements if e.clause != c)
        ):
            c_lo -= 1
        c_neg = _negations_in(
            a,
            c_lo,
            max(e.index for e in cels) + 1,
            unaccounted={e.index for e in cels if found[e.index].status not in ("strong", "context")},
        )
        if len(s_neg) % 2 != len(c_neg) % 2:
            art = " ".join(c_neg) or "(no negation)"
            src = " ".join(s_neg) or "(no negation)"
            problems.append(
                (
                    Reason.NEGATION_DIFFERS,
                    f"the passage has the opposite polarity (article {art} vs source {src})",
                    Difference(art, src, "negation"),
                )
            )
            return


# Modality classes carried by auxiliaries and hedge words, compared clause against clause. The
# lexical verbs of intention and decision ("plans", "agreed") are content words of their own and are
# compared as words, so they are left out here.
_CLAUSE_MODALITIES = frozenset({"future", "possible", "probable", "apparent"})


def _windows(
    sh: ClaimShape,
    found: dict[int, _Found],
    main: dict[int, tuple[int, int]],
    ix: ClaimIndex,
    c: int,
    left: int = 4,
    right: int = 0,
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """For each word of the claim's clause `c` that aligns with the passage, the few words just
    before it (where its verb group's auxiliaries stand) and, with `right`, just after it, on both
    sides: (claim tokens [lo, hi), passage tokens [lo, hi)). A window stops at the neighbouring
    aligned word and at a clause break, so words of other phrases are not read into this one."""
    a, s = sh.analysed, ix.analysed
    pairs = [
        (f.element.index, ps[0]) for f, ps in _pairs(found, main, ix, sh) if f.element.clause == c and ps
    ]
    if len(pairs) < 2:
        return []
    c_marks = {e.index for e in sh.elements}
    # on the passage's side, a content word of its own ends a window as a claim element does
    s_marks = {p for _, p in pairs}
    s_lo_all = min(ix.sentences[ix.sentence_of[p]][0] for _, p in pairs)
    s_hi_all = max(ix.sentences[ix.sentence_of[p]][1] for _, p in pairs)
    s_marks |= {q for q in range(s_lo_all, s_hi_all) if _content_word(s, q)}

    def span(words: Analysed, k: int, marks: set[int], lo_limit: int) -> tuple[int, int, int]:
        lo = k
        while lo > lo_limit and k - lo < left and (lo - 1) not in marks and not words.breaks[lo]:
            lo -= 1
        hi = k + 1
        while hi < len(words.words) and hi - k <= right and hi not in marks and not words.breaks[hi]:
            hi += 1
        return lo, k, hi

    out = []
    for k, p in pairs:
        c_lo, _, c_hi = span(a, k, c_marks, 0)
        s_lo, _, s_hi = span(s, p, s_marks, ix.sentences[ix.sentence_of[p]][0])
        out.append(((c_lo, c_hi), (s_lo, s_hi)))
    return out


def _content_word(a: Analysed, k: int) -> bool:
    """A word the claim judge would count as content (see elements.shape): a number, or a word
    that is neither grammatical nor a member of a closed class (a negator or a word of a modal
    phrase included)."""
    if a.tokens[k].kind != WORD:
        return a.tokens[k].kind in (NUMBER, ORDINAL)
    w = a.words[k]
    return not (closed_class_word(a, k) or w in lexicon.semantics().negators or w in _marker_phrase_words())


@lru_cache(maxsize=1)
def _marker_phrase_words() -> frozenset[str]:
    """Every word of the multi-word modality markers ("expected to", "on track to")."""
    return frozenset(w for phrase in lexicon.semantics().modality if " " in phrase for w in phrase.split())


def _heads_a_verb_group(a: Analysed, k: int) -> bool:
    """Whether the word after a modality marker continues a verb group ("could double", "expected
    to open", "may not", "would be"), not a noun phrase the marker describes ("likely voters")."""
    if k >= len(a.words) or a.breaks[k]:
        return False
    w = a.words[k]
    pos = lexicon.parts_of_speech(w)
    # a plural noun that is no verb ("voters") is not a verb's third person
    return (
        w in grammatical_words()
        or w in NEGATIONS
        or "v" in pos
        and not ("n" in pos and w.endswith("s") and not w.endswith("ss") and "v" not in lexicon.parts_of_speech(w[:-1]))
    )


def _modalities_in(a: Analysed, lo: int, hi: int) -> dict[str, str]:
    """The auxiliary and hedge modality classes in tokens [lo, hi), each with the words that carry
    it. "May" with a capital inside a sentence is the month."""
    sem = lexicon.semantics()
    out: dict[str, str] = {}
    for k in range(lo, hi):
        modal, contracted = _split_contraction(a.words[k])
        hit = (modal, k) if contracted and modal in sem.modality else a.phrase_ending(k, sem.modality)
        if not hit or hit[1] < lo:
            continue
        cls = sem.modality[hit[0]]
        if cls not in _CLAUSE_MODALITIES or not _heads_a_verb_group(a, k + 1):
            continue
        if hit[0] == "may" and _capitalised(a, hit[1]) and not _sentence_initial(a, hit[1]):
            continue
        out.setdefault(cls, hit[0])
    return out


def _clause_modality(
    sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex, problems: list
) -> None:
    """The modality of a clause as a whole: "Merz opens talks" is not "Merz is expected to open
    talks", and "this would be her last" is not "this could be her last", whichever word the
    auxiliary stands before (a verb the judge took for a noun, or a copula it does not count)."""
    for c in main:
        windows = _windows(sh, found, main, ix, c)
        if not windows:
            continue
        cm: dict[str, str] = {}
        sm: dict[str, str] = {}
        for (c_lo, c_hi), (s_lo, s_hi) in windows:
            cm = _modalities_in(sh.analysed, c_lo, c_hi) | cm
            sm = _modalities_in(ix.analysed, s_lo, s_hi) | sm
        if set(cm) == set(sm):
            continue
        art = ", ".join(cm.values()) or "(plain statement)"
        src = ", ".join(sm.values()) or "(plain statement)"
        problems.append(
            (
                Reason.HEDGE_DIFFERS,
                f"the claim is {_commitment(frozenset(cm))} where the source is {_commitment(frozenset(sm))}"
                f" (article {art} vs source {src})",
                Difference(art, src, "hedge"),
            )
        )
        return


def _clause_opposites(
    sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex, problems: list
) -> None:
    """Grammatical words that are opposites in WordNet ("shares were up 1.4%" against "down 1.4%",
    "the former captain" against "the latter"): the judge does not count them as content, so an
    opposite in the aligned stretch of the passage, where the claim's own word is not, is checked here."""
    a = sh.analysed
    sem = lexicon.semantics()
    # quantifiers, modals and negators are compared as classes elsewhere
    classed = set(sem.quantifiers) | set(sem.modality) | set(sem.negators) | set(NEGATIONS)
    elements = {e.index for e in sh.elements}
    for c in main:
        for (c_lo, c_hi), (s_lo, s_hi) in _windows(sh, found, main, ix, c, left=2, right=2):
            s_words = set(ix.analysed.words[s_lo:s_hi])
            for k in range(c_lo, c_hi):
                w = a.words[k]
                if a.tokens[k].kind != WORD or k in elements or w in s_words or w in classed:
                    continue
                opposite = next((x for x in sorted(lexicon.antonym_lemmas(w)) if x in s_words), None)
                if opposite:
                    problems.append(
                        (
                            Reason.NEGATION_DIFFERS,
                            f"the passage has the opposite word (article '{w}' vs source '{opposite}')",
                            Difference(w, opposite, "negation"),
                        )
                    )
                    return
