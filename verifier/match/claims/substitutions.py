"""Words the passage has in a claim word's place (another name, an antonym, a number) and the
scope of qualifiers."""

from __future__ import annotations

from verifier import lexicon

# A claim with less than this share of its content in the best passage is about something else.
from verifier.match.claims.index import ClaimIndex, _contentful, _sentence_start, _tokens_of
from verifier.match.claims.shape import _Found, _negated_run, _runs, r_text
from verifier.match.elements import (
    CONTENT,
    DATE,
    ENTITY,
    FRAME,
    NUMBER_EL,
    QUANTITY,
    Analysed,
    ClaimShape,
    Element,
    is_year,
)
from verifier.match.normalize import NUMBER, ORDINAL, UNIT, WORD
from verifier.models import Difference, Reason


def _substitutions(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
                   problems: list) -> None:
    """Pair each run of unaccounted claim elements with the source words between the same anchors:
    "the House unanimously passed" against "the Senate unanimously passed" -> House / Senate."""
    content = [e for e in sh.elements if e.weight]
    matched_pos = {p for f in found.values() if f.status == "strong" for p in f.positions}
    for c, span in main.items():
        cels = [e for e in content if e.clause == c]
        missing = [e for e in cels if found[e.index].status in ("absent", "weak")]
        if not missing:
            continue
        s0, s1 = _tokens_of(ix, span)
        for run in _runs(sh, [found[e.index] for e in missing]):
            if _negated_run(sh, run):
                continue  # "without a vote": a negated phrase the passage lacks is missing, not swapped
            left = [e for e in cels if e.index < run[0].index and found[e.index].status == "strong"]
            right = [e for e in cels if e.index > run[-1].index and found[e.index].status == "strong"]
            lp = max((p for p in found[left[-1].index].positions if s0 <= p < s1), default=None) if left else None
            rp = min((p for p in found[right[0].index].positions if s0 <= p < s1), default=None) if right else None
            if lp is not None and rp is not None and lp >= rp:
                lp = None
            lo = lp + 1 if lp is not None else max(s0, (rp or s1) - 4)
            hi = rp if rp is not None else min(s1, (lp or s0) + 5)
            # a date stands against the sentence's own date ("on Wednesday" against "on Tuesday")
            # wherever the sentence puts it
            slot = _same_class(run, sh, ix, s0, s1, matched_pos) if all(e.cls == DATE for e in run) else []
            if not slot:
                slot = [p for p in range(lo, hi) if p not in matched_pos and _contentful(ix, p)]
            if not slot:
                slot = _same_class(run, sh, ix, s0, s1, matched_pos)
            if not slot:
                continue
            if len(slot) > 8:
                continue  # nothing in particular stands in its place: the words are just missing
            counterpart = ix.text[ix.tokens[slot[0]].start : ix.tokens[slot[-1]].end]
            reason = _classify(run, slot, sh, ix)
            if reason is None:
                continue
            words = r_text(sh, run)
            for e in run:
                found[e.index].status = "substituted"
                found[e.index].counterpart = counterpart
                found[e.index].reason = reason
            kind = {Reason.NUMBER_DIFFERS: "number", Reason.NEGATION_DIFFERS: "negation"}.get(reason, "wording")
            problems.append((reason, f"article '{words}' vs source '{counterpart}'", Difference(words, counterpart, kind)))


def _same_class(run: list[Element], sh: ClaimShape, ix: ClaimIndex, s0: int, s1: int, matched: set[int]) -> list[int]:
    """With no slot between anchors, a value of the same kind elsewhere in the sentence: a number
    for a number, a date for a date."""
    cls = {e.cls for e in run}
    if cls <= {NUMBER_EL}:
        kinds = {sh.analysed.tokens[e.index].kind for e in run}
        return [p for p in range(s0, s1) if p not in matched and ix.tokens[p].kind in kinds
                and not is_year(ix.tokens[p])][:1]
    if cls <= {DATE}:
        sem = lexicon.semantics()
        return [p for p in range(s0, s1) if p not in matched and (
            is_year(ix.tokens[p]) or ix.analysed.words[p] in sem.months or ix.analysed.words[p] in sem.weekdays)][:1]
    return []


def _classify(run: list[Element], slot: list[int], sh: ClaimShape, ix: ClaimIndex) -> Reason | None:
    """Which kind of difference a substitution is."""
    sem = lexicon.semantics()
    cls = {e.cls for e in run}
    slot_words = [ix.analysed.words[p] for p in slot]
    slot_numbers = [p for p in slot if ix.tokens[p].kind in (NUMBER, ORDINAL)]
    slot_dates = [p for p in slot if is_year(ix.tokens[p]) or slot_words[slot.index(p)] in sem.months
                  or slot_words[slot.index(p)] in sem.weekdays]
    for e in run:
        for p in slot:
            if ix.tokens[p].kind == WORD and lexicon.antonyms(sh.analysed.tokens[e.index].norm, ix.tokens[p].norm):
                return Reason.NEGATION_DIFFERS
    if DATE in cls and slot_dates:
        return Reason.DATE_DIFFERS
    if cls & {NUMBER_EL, DATE} and slot_numbers:
        return Reason.NUMBER_DIFFERS
    if QUANTITY in cls and any(w in sem.vague_quantities for w in slot_words):
        return Reason.QUANTITY_DIFFERS
    slot_caps = [p for p in slot if ix.tokens[p].kind == WORD and ix.text[ix.tokens[p].start].isupper()
                 and not _sentence_start(ix, p)]
    if ENTITY in cls and slot_caps:
        return Reason.ENTITY_DIFFERS
    if ENTITY in cls:
        return None  # a name with no other name in its place: a missing name, not a swapped one
    if cls <= {CONTENT, FRAME, QUANTITY}:
        return Reason.PARAPHRASE
    return None


def _scope(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
           problems: list) -> None:
    """The group a share or quantity is of must be the same group: "30 percent of all voters" is
    not "30 percent of Democratic voters"."""
    a = sh.analysed
    for k, w in enumerate(a.words):
        if w != "of" or k == 0 or not (a.tokens[k - 1].kind in (NUMBER, UNIT) or a.words[k - 1] in lexicon.semantics().quantifiers):
            continue
        c_head, c_mods = _restrictor(a, k + 1)
        if c_head is None:
            continue
        f = next((found[e.index] for e in sh.elements if e.index == c_head), None)
        if f is None or f.status != "strong":
            continue
        for p in f.positions:
            sa = ix.analysed
            j = p - 1
            s_mods = []
            while j >= 0 and sa.words[j] not in ("of", "among") and p - j <= 4 and not sa.breaks[j + 1]:
                if sa.words[j] not in ("the", "a", "an", "those", "these"):
                    s_mods.append(sa.words[j])
                j -= 1
            if j < 0 or sa.words[j] not in ("of", "among"):
                continue
            cm = {lexicon.lemmas(x) and min(lexicon.lemmas(x)) for x in c_mods}
            sm = {min(lexicon.lemmas(x)) for x in s_mods}
            if cm != sm:
                art = " ".join(c_mods + [a.words[c_head]])
                src = " ".join(list(reversed(s_mods)) + [sa.words[p]])
                problems.append((Reason.SCOPE_DIFFERS, f"article '{art}' vs source '{src}'", Difference(art, src, "scope")))
                for m in range(k + 1, c_head):
                    if found.get(m) and found[m].status in ("absent", "weak", "substituted"):
                        found[m].status = "scoped"
            return


def _restrictor(a: Analysed, k: int) -> tuple[int | None, list[str]]:
    mods = []
    j = k
    while j < len(a.words) and j - k <= 4 and (j == k or not a.breaks[j]):
        w = a.words[j]
        if w in ("the", "a", "an", "those", "these"):
            j += 1
            continue
        nxt = a.words[j + 1] if j + 1 < len(a.words) and not a.breaks[j + 1] else None
        if nxt is None or a.tokens[j + 1].kind != WORD or nxt in ("who", "that", "which", "say", "said", "says",
                                                                  "is", "are", "were", "was", "have", "had", "has"):
            return j, mods
        from verifier.match.elements import function_words

        if nxt in function_words():
            return j, mods
        mods.append(w)
        j += 1
    return None, []
