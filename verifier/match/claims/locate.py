"""Where each claim element is in the source: the main sentence (or two) of each clause, context
sentences before it, coreference by name or description, and names displaced by others."""

from __future__ import annotations

from collections import defaultdict

from verifier import lexicon

# A claim with less than this share of its content in the best passage is about something else.
from verifier.match.claims.index import (
    ClaimIndex,
    _after_preposition,
    _contentful,
    _context,
    _first_in,
    _function_words,
    _in,
    _sentence_start,
    _slot,
    _tokens_of,
    _unit_after,
    _unit_word,
    word_key_forms,
)
from verifier.match.claims.shape import _Found
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
    titles,
)
from verifier.match.normalize import NUMBER, UNIT, WORD


def _names_are_not_words(sh: ClaimShape, els: list[Element], positions: dict[int, list[int]], ix: ClaimIndex) -> None:
    """A common word of the claim is not found in a name of the source: "beats" is not "Trump",
    "said" is not "State" ("get the better of" and "state" are senses of those names' words)."""
    for e in els:
        if e.cls not in (CONTENT, FRAME, QUANTITY):
            continue
        lem = lexicon.lemmas(word_key_forms(sh.analysed.tokens[e.index].norm))
        positions[e.index] = [
            p for p in positions[e.index]
            if not (ix.text[ix.tokens[p].start].isupper() and not _sentence_start(ix, p)
                    and not (lexicon.lemmas(word_key_forms(ix.tokens[p].norm)) & lem))
        ]


def _units_agree(sh: ClaimShape, els: list[Element], positions: dict[int, list[int]], ix: ClaimIndex) -> None:
    """A number matches only with the same unit ("$5" is not "5%")."""
    for e in els:
        if e.cls not in (NUMBER_EL, DATE) or not e.unit:
            continue
        keep = []
        for p in positions[e.index]:
            nxt = ix.tokens[p + 1] if p + 1 < len(ix.tokens) else None
            if nxt is None or nxt.kind != UNIT or nxt.norm == e.unit:
                keep.append(p)
        positions[e.index] = keep


def _antonym_sentences(e: Element, ix: ClaimIndex) -> set[int]:
    w = e.surface.lower()
    out = set()
    for ant in lexicon.antonym_lemmas(w):
        for p in ix.keys.get("L:" + ant, ()):
            out.add(ix.sentence_of[p])
    return out


def _best_sentence(els: list[Element], positions: dict[int, list[int]], ix: ClaimIndex, near: int | None) -> int:
    score: dict[int, float] = defaultdict(float)
    for e in els:
        seen = set()
        for p in positions[e.index]:
            s = ix.sentence_of[p]
            if s in seen:
                continue
            seen.add(s)
            # facts weigh more than names: names recur, a figure or a predicate places the claim
            score[s] += e.weight * (1.5 if e.cls in (NUMBER_EL, DATE) or e.verb_like else 1.0)
        if e.verb_like:
            # a sentence saying the opposite ("supported" for "opposed") is about the same thing
            for s in _antonym_sentences(e, ix):
                if s not in seen:
                    score[s] += 0.75
    if not score:
        return near if near is not None else 0
    if near is not None:
        # a clause of the same claim is near the others: far sentences pay for the distance
        for s in score:
            score[s] -= 0.25 * max(0, abs(s - near) - 1) + (100 if abs(s - near) > 6 else 0)
    return max(score, key=lambda s: (score[s], -abs(s - near) if near is not None else 0, -s))


def _best_span(els: list[Element], positions: dict[int, list[int]], ix: ClaimIndex, near: int) -> tuple[int, int]:
    """The sentence (or two adjacent sentences) a clause's facts come from. Two sentences only when
    they carry clearly more of the clause, and each carries one unbroken part of it: a claim may
    join "X cost $10 trillion." and "That would double the deficit." in that order, but a figure
    from the second sentence set in the middle of the first sentence's statement is a merge."""
    single = _best_sentence(els, positions, ix, near)

    def weight(lo: int, hi: int) -> float:
        return sum(e.weight for e in els if any(lo <= ix.sentence_of[p] <= hi for p in positions[e.index]))

    best, best_w = (single, single), weight(single, single)
    for lo in (single - 1, single):
        hi = lo + 1
        if lo < 0 or hi >= len(ix.sentences):
            continue
        w = weight(lo, hi)
        if w < best_w + 1.0:
            continue
        sents_of = {e.index: {ix.sentence_of[p] for p in positions[e.index]} for e in els}
        only_lo = [e for e in els if sents_of[e.index] & {lo, hi} == {lo}]
        only_hi = [e for e in els if sents_of[e.index] & {lo, hi} == {hi}]
        # each sentence must give a fact of its own, not just a name ("Sen. Bernie Sanders and
        # Hillary Clinton. Sanders has called for …" does not make Clinton the one who called)
        if not (any(e.cls != ENTITY for e in only_lo) and any(e.cls != ENTITY for e in only_hi)):
            continue
        # across a paragraph break, nor just a verb: "…one Reeves filed earlier. ¶ Bryant expects an
        # appeal of the ruling" does not say an appeal was filed. A new paragraph lends an action
        # only with something it acts on or a figure; inside one paragraph the topic carries over
        if ix.paragraph_of[lo] != ix.paragraph_of[hi] and not (
                any(not e.verb_like and e.cls != ENTITY for e in only_lo)
                and any(not e.verb_like and e.cls != ENTITY for e in only_hi)):
            continue
        # background the sentences before already give ("Pennsylvania", "the poll") may sit
        # anywhere; what each sentence lends must be one unbroken part of the claim
        before = set(_context(lo, ix))
        a_idx = [e.index for e in only_lo if not sents_of[e.index] & before] or [e.index for e in only_lo]
        b_idx = [e.index for e in only_hi if not sents_of[e.index] & before] or [e.index for e in only_hi]
        if not (max(a_idx) < min(b_idx) or max(b_idx) < min(a_idx)):
            continue
        # a value taken from the other sentence must not have a rival of its kind in the sentence it
        # joins: "Two-thirds [next sentence] … say [this sentence, which has "three-fourths"]"
        major, minor = (only_lo, only_hi) if len(only_lo) >= len(only_hi) else (only_hi, only_lo)
        major_s = lo if major is only_lo else hi
        used = {p for e in els for p in positions[e.index]}
        units = {e.unit for e in minor if e.cls in (NUMBER_EL, DATE)}
        if units and any(ix.tokens[p].kind == NUMBER and p not in used and _unit_after(ix, p) in units
                         for p in range(*ix.sentences[major_s])):
            continue
        best, best_w = (lo, hi), w
    return best


def _locate(e: Element, pos: list[int], span: tuple[int, int], ix: ClaimIndex, sh: ClaimShape) -> _Found:
    in_main = [p for p in pos if _in(ix, p, span)]
    if in_main:
        return _Found(e, "strong", in_main)
    main = span[0]
    ctx = set(_context(main, ix))
    in_ctx = [p for p in pos if ix.sentence_of[p] in ctx]
    if in_ctx and (e.cls == ENTITY or (e.cls == CONTENT and not e.verb_like)):
        if e.cls == ENTITY and _describes_another(e, span, ix, sh):
            return _Found(e, "absent")
        return _Found(e, "context", in_ctx)
    if e.cls == ENTITY and _named_elsewhere(e, sh, ix, main):
        return _Found(e, "context", pos[:1])
    # a figure, a date or a quantity from another sentence is a fact the source states of
    # something else: joining it to this sentence's statement is a merge
    near = [p for p in pos if main - 2 <= ix.sentence_of[p] <= span[1] + 2]
    if near and e.weight and e.cls in (NUMBER_EL, DATE, QUANTITY):
        return _Found(e, "elsewhere", near)
    if e.cls == ENTITY and pos:
        described = _description_of(e, span, ix, sh)
        if described is not None:
            return _Found(e, "context", [described])
    # related words in the main sentence: a paraphrase a reader recognises, not proof
    s0, s1 = _tokens_of(ix, span)
    if e.cls in (CONTENT, FRAME, QUANTITY):
        for p in range(s0, s1):
            t = ix.tokens[p]
            if t.kind == WORD and len(t.norm) > 2 and _contentful(ix, p) and lexicon.related(
                    sh.analysed.tokens[e.index].norm, t.norm):
                return _Found(e, "weak", [p], ix.text[t.start : t.end])
    return _Found(e, "absent")


def _entity_names(e: Element, sh: ClaimShape) -> list[str]:
    """The claim's name at element e as WordNet may list it: with a capitalised neighbour first
    ("saudi arabia"), then alone."""
    a = sh.analysed
    name = a.words[e.index]
    names = [name]
    if e.index + 1 < len(a.words) and not a.breaks[e.index + 1] and a.text[a.tokens[e.index + 1].start].isupper():
        names.insert(0, f"{name} {a.words[e.index + 1]}")
    if e.index > 0 and not a.breaks[e.index] and a.text[a.tokens[e.index - 1].start].isupper():
        names.insert(0, f"{a.words[e.index - 1]} {name}")
    return names


def _descriptions(e: Element, span: tuple[int, int], ix: ClaimIndex, sh: ClaimShape) -> list[tuple[int, str | None]]:
    """Definite descriptions in the passage of the kind the claim's name is ("the state" for
    Pennsylvania), each with what it refers back to: the name of that kind the text has named most
    before it (salience: "the state" in a story on the Pennsylvania primary that also lists
    Connecticut once), None when no one name leads."""
    names = _entity_names(e, sh)
    kinds = next((k for k in (lexicon.kinds(n) for n in names) if k), frozenset())
    if not kinds:
        return []
    s0, s1 = _tokens_of(ix, span)
    w = ix.analysed
    out = []
    for p in range(s0 + 1, s1):
        if w.words[p] not in kinds or w.words[p - 1] != "the" or w.breaks[p] or ix.text[ix.tokens[p].start].isupper():
            continue
        mentions: dict[str, int] = defaultdict(int)
        q = 0
        while q < p:
            t = ix.tokens[q]
            if t.kind == WORD and ix.text[t.start].isupper():
                pair = f"{w.words[q]} {w.words[q + 1]}" if q + 1 < p and ix.text[ix.tokens[q + 1].start].isupper() else ""
                if pair and w.words[p] in lexicon.kinds(pair):
                    mentions[pair] += 1
                    q += 2
                    continue
                if w.words[p] in lexicon.kinds(w.words[q]):
                    mentions[w.words[q]] += 1
            q += 1
        ranked = sorted(mentions.items(), key=lambda kv: -kv[1])
        lead = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None
        out.append((p, lead))
    return out


def _description_of(e: Element, span: tuple[int, int], ix: ClaimIndex, sh: ClaimShape) -> int | None:
    """Where the passage refers back to the claim's name by what it is: "registered voters in the
    state" after the text has named Pennsylvania (WordNet: Pennsylvania is a state)."""
    names = set(_entity_names(e, sh))
    return next((p for p, lead in _descriptions(e, span, ix, sh) if lead in names), None)


def _describes_another(e: Element, span: tuple[int, int], ix: ClaimIndex, sh: ClaimShape) -> bool:
    """The passage's "the state" means another state than the claim's, named more often before."""
    names = set(_entity_names(e, sh))
    return any(lead is not None and lead not in names for _, lead in _descriptions(e, span, ix, sh))


def _named_elsewhere(e: Element, sh: ClaimShape, ix: ClaimIndex, main: int) -> bool:
    """A first name or title next to a surname the passage uses ("Hillary" in "Hillary Clinton" when
    the passage says "Mrs. Clinton"): accounted for when the document names the person in full."""
    a = sh.analysed
    k = e.index
    near = set(_context(main, ix)) | {main}
    for j in (k - 1, k + 1):
        if 0 <= j < len(a.tokens) and a.tokens[j].kind == WORD:
            # the neighbour (the surname) must itself be in the passage
            keys = {"L:" + lem for lem in lexicon.lemmas(word_key_forms(a.tokens[j].norm))}
            if not any(ix.sentence_of[p] in near for key in keys for p in ix.keys.get(key, ())):
                continue
            pair = (a.tokens[min(j, k)].norm, a.tokens[max(j, k)].norm)
            for p in ix.keys.get("L:" + pair[0], ()):
                if p + 1 < len(ix.tokens) and ix.tokens[p + 1].norm == pair[1]:
                    return True
    return False


def _unmatched_names(ix: ClaimIndex, lo: int, hi: int, matched: set[int]) -> list[int]:
    """Names in source tokens [lo, hi) that no claim element accounts for."""
    sem = lexicon.semantics()
    out = []
    for p in range(lo, hi):
        t = ix.tokens[p]
        w = ix.analysed.words[p]
        if (t.kind == WORD and p not in matched and ix.text[t.start].isupper()
                and (not _sentence_start(ix, p) or not lexicon.known(w) or w in ix.names)
                and w not in titles() and w not in sem.months and w not in sem.weekdays and len(w) > 1
                and w not in _function_words()):
            out.append(p)
    return out


def _displaced_names(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex) -> None:
    """A name the claim puts where the source names someone else is not accounted for by the
    source mentioning it nearby:

    - "Senate Minority Leader Harry Reid insisted" does not support "Nancy Pelosi insisted"
      because Pelosi is named a sentence earlier: a name found only in the sentences before, when
      the main sentence has another name in its place, is a substitution;
    - "the complex in Saudi Arabia" does not support "the complex in Lebanon" because Lebanon is
      named elsewhere in the sentence: the same for a name after a preposition."""
    matched = {p for f in found.values() if f.status in ("strong", "context") for p in f.positions}
    for c, span in main.items():
        s0, s1 = _tokens_of(ix, span)
        _context_words_in_slot(sh, found, c, s0, s1, matched, ix)
        strangers = set(_unmatched_names(ix, s0, s1, matched))
        if not strangers:
            continue
        cels = [e for e in sh.elements if e.clause == c and (e.weight or e.cls == FRAME)]
        for i, e in enumerate(cels):
            f = found[e.index]
            if e.cls != ENTITY or f.status not in ("strong", "context"):
                continue
            left = next((x for x in reversed(cels[:i]) if found[x.index].status == "strong"), None)
            right = next((x for x in cels[i + 1 :] if found[x.index].status == "strong"), None)
            lp = _first_in(found[left.index].positions, s0, s1) if left else None
            rp = _first_in(found[right.index].positions, s0, s1) if right else None
            if f.status == "context":
                lo, hi = _slot(lp, rp, s0, s1)
                if left is None and _before_appositive(sh.analysed, e.index):
                    # the claim opens with a name and its appositive: the name's place in the
                    # source is everything before the appositive's words ("Anneliese Dodds, the
                    # international development minister, is considering …")
                    lo = s0
                # a name in a prepositional phrase ("a judge in Alexandria") does not compete with
                # a subject or object, and the other way round
                in_pp = _after_preposition(sh.analysed, e.index)
                if any(p in strangers and _after_preposition(ix.analysed, p) == in_pp for p in range(lo, hi)):
                    f.status = "absent"
                continue
            a = sh.analysed
            # "in Lebanon": the claim's name follows a preposition after a word the source has
            if left is None or lp is None or e.index < 2 or a.words[e.index - 1] not in ("in", "at", "of", "from", "for", "by"):
                continue
            # the rival sits in the same slot: after a preposition too ("Texas Sen. Ted Cruz" after
            # "voters — 39 percent — while" is a new subject, not where the voters are)
            window = range(lp + 1, min(s1, lp + 5))
            if not any(p in window for p in f.positions) and any(
                    p in strangers and _after_preposition(ix.analysed, p) for p in window):
                f.status = "absent"


def _before_appositive(a: Analysed, k: int) -> bool:
    """Whether the name ending at or after token k is followed by a comma and a description."""
    j = k
    while j + 1 < len(a.words) and a.tokens[j + 1].kind == WORD and a.text[a.tokens[j + 1].start].isupper():
        j += 1
    return j + 2 < len(a.words) and a.text[a.tokens[j].end : a.tokens[j + 1].start].strip() == "," and a.words[
        j + 1] in ("the", "a", "an")


def _context_words_in_slot(sh: ClaimShape, found: dict[int, _Found], c: int, s0: int, s1: int,
                           matched: set[int], ix: ClaimIndex) -> None:
    """A common word found only in the sentences before ("in the country") does not stand for
    itself when the main sentence has other words in its place ("yet to vote")."""
    cels = [e for e in sh.elements if e.clause == c and e.weight]
    for i, e in enumerate(cels):
        f = found[e.index]
        if e.cls != CONTENT or f.status != "context":
            continue
        left = next((x for x in reversed(cels[:i]) if found[x.index].status == "strong"), None)
        right = next((x for x in cels[i + 1 :] if found[x.index].status == "strong"), None)
        lp = _first_in(found[left.index].positions, s0, s1) if left else None
        rp = _first_in(found[right.index].positions, s0, s1) if right else None
        if lp is None or rp is None or rp <= lp:
            continue
        lo, hi = _slot(lp, rp, s0, s1)
        if any(p not in matched and _contentful(ix, p) and ix.tokens[p].kind == WORD
               and not _unit_word(ix, p) for p in range(lo, hi)):
            f.status = "absent"


def _one_to_one(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex) -> None:
    """Each word of the source accounts for one word of the claim: "rose 0.8% … and rose another
    0.2%" needs two rises in the source, not one rise and a decline."""
    used: set[int] = set()
    last = -1
    for e in sorted(sh.elements, key=lambda x: x.index):
        f = found[e.index]
        if f.status != "strong" or e.cls == ENTITY:
            continue
        span = main.get(e.clause)
        in_main = [p for p in f.positions if span is None or _in(ix, p, span)]
        free = [p for p in in_main if p not in used]
        if not free:
            f.status = "absent"
            continue
        pick = min(free, key=lambda p: (p < last, abs(p - last)))
        used.add(pick)
        last = pick
        f.positions = [pick] + [p for p in f.positions if p != pick]


def _pairs(found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
           sh: ClaimShape | None = None) -> list[tuple[_Found, list[int]]]:
    """Each accounted element with the one source position it aligns with: in its clause's main
    sentence, the same lemma before a synonym ("couldn't recall" before "did remember"), then the
    position nearest the other elements of the clause."""
    centre: dict[int, float] = {}
    for c, span in main.items():
        firsts = [next((p for p in f.positions if _in(ix, p, span)), None)
                  for f in found.values() if f.status == "strong" and f.element.clause == c]
        firsts = [p for p in firsts if p is not None]
        centre[c] = sorted(firsts)[len(firsts) // 2] if firsts else 0
    out = []
    for f in found.values():
        if f.status != "strong":
            continue
        span = main.get(f.element.clause)
        ps = [p for p in f.positions if span is None or _in(ix, p, span)] or f.positions
        if sh is not None and len(ps) > 1:
            lem = lexicon.lemmas(word_key_forms(sh.analysed.tokens[f.element.index].norm))
            c = centre.get(f.element.clause, 0)
            ps = sorted(ps, key=lambda p: (not (lexicon.lemmas(word_key_forms(ix.tokens[p].norm)) & lem), abs(p - c)))
            ps = ps[:1]
        out.append((f, ps))
    return out
