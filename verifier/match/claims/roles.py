"""Who did what to whom: the agent and patient of shared verbs, and which name a figure goes with."""

from __future__ import annotations

from verifier import lexicon

# A claim with less than this share of its content in the best passage is about something else.
from verifier.match.claims.index import (
    _BE,
    _PREP,
    _SUBJECT_PRONOUNS,
    ClaimIndex,
    _function_words,
    _sentence_start,
    _span_text,
)
from verifier.match.claims.locate import _pairs
from verifier.match.claims.shape import _Found
from verifier.match.elements import (
    CONTENT,
    DATE,
    ENTITY,
    FRAME,
    NUMBER_EL,
    Analysed,
    ClaimShape,
    Element,
    grammatical_words,
    is_year,
    titles,
)
from verifier.match.normalize import UNIT, WORD
from verifier.match.speakers import resolve_mention
from verifier.models import Difference, Reason


def _voice(a: Analysed, k: int) -> str:
    """'passive' when the verb at k is a participle after a form of "be" or followed by "by"."""
    j = k - 1
    while j >= 0 and k - j <= 3 and not a.breaks[j + 1]:
        if a.words[j] in _BE:
            return "passive"
        if a.words[j] not in ("not", "never", "also", "likely", "just", "still", "already", "being"):
            break
        j -= 1
    for j in range(k + 1, min(len(a.words), k + 4)):
        if a.breaks[j]:
            break
        if a.words[j] == "by":
            return "passive"
    if k > 0 and not a.breaks[k] and a.words[k - 1] not in _BE and a.words[k].endswith("ed"):
        # reduced relative: "a case filed by", "a projection prepared for"
        prev = a.tokens[k - 1]
        if prev.kind == WORD and a.words[k - 1] not in ("had", "has", "have", "who", "which", "that") and not (
            a.text[prev.start].isupper()):
            return "reduced"
    return "active"


def _argument_head(a: Analysed, i: int, is_entity) -> bool:
    """A name that can be a verb's subject or object: the last word of its name, not a modifier
    of a noun ("a Senate bill", "the Cadillac tax"), not a possessive ("Obama's comments") and not
    inside a prepositional phrase ("in Puerto Rico", "the state of Ohio")."""
    if not is_entity(i):
        return False
    if i + 1 < len(a.words) and not a.breaks[i + 1]:
        if is_entity(i + 1):
            return False
        nxt = a.tokens[i + 1]
        # a noun after the name makes it a modifier ("a Senate bill"); a modal or auxiliary does
        # not ("Republicans might include": "might" is also a noun)
        if nxt.kind == WORD and a.words[i + 1] not in _BE and a.words[i + 1] not in grammatical_words() and (
                a.words[i + 1] not in lexicon.semantics().modality) and lexicon.parts_of_speech(a.words[i + 1]) in ("n", "na", "an"):
            return False
    surface = a.text[a.tokens[i].start : a.tokens[i].end]
    if surface.endswith(("'s", "’s")):
        return False
    j = i - 1
    while j >= 0 and not a.breaks[j + 1] and (is_entity(j) or a.words[j] in ("the", "a", "an") or a.words[j] in titles()):
        j -= 1
    return not (j >= 0 and not a.breaks[j + 1] and a.words[j] in _PREP | {"by"})


def _arguments(a: Analysed, k: int, is_entity, lo: int = 0, hi: int | None = None) -> tuple[int | None, int | None]:
    """(agent, patient) token indexes of the verb at k, from the nearest names around it within
    [lo, hi) (its sentence)."""
    hi = len(a.words) if hi is None else hi
    voice = _voice(a, k)

    def head(i: int) -> bool:
        return _argument_head(a, i, is_entity)

    before = None
    j = k - 1
    reporting = lexicon.semantics().reporting
    while j >= lo and k - j <= 10:
        if head(j):
            before = j
            break
        # "Pepper said the party will appeal": the subject of a reported clause is inside it;
        # the name before the reporting verb is who said it, unless the clause's subject is a
        # pronoun pointing back to them ("Clinton told investigators she had advised …")
        if a.words[j] == "whom" or (a.words[j] in reporting and j < k - 1 and not any(
                w in _SUBJECT_PRONOUNS for w in a.words[j + 1 : k])):
            before = None
            break
        j -= 1
    # "Ginsburg, whom Clinton appointed": the relative pronoun's antecedent is the object
    whom_obj = None
    for j in range(max(lo, k - 10), k):
        if a.words[j] == "whom":
            for i in range(j - 1, max(lo - 1, j - 6), -1):
                if is_entity(i):
                    whom_obj = i
                    break
            for i in range(j + 1, k):
                if head(i):
                    before = i
            break
    after = None
    by_agent = None
    j = k + 1
    prep = False
    while j < hi and j - k <= 8 and not (a.breaks[j] and j > k + 1):
        w = a.words[j]
        if w == "by":
            for i in range(j + 1, min(hi, j + 6)):
                if is_entity(i):
                    by_agent = i
                    while by_agent + 1 < hi and is_entity(by_agent + 1) and not a.breaks[by_agent + 1]:
                        by_agent += 1
                    break
            break
        if w in _PREP:
            prep = True
        if head(j) and not prep:
            after = j
            break
        if a.tokens[j].kind == WORD and is_entity(j) is False and w not in ("the", "a", "an") and w not in _PREP \
                and lexicon.parts_of_speech(w) and not prep and after is None and w not in titles():
            # a common noun object comes first ("filed a lawsuit against X"): X is not the object
            if "n" in lexicon.parts_of_speech(w) and "v" not in lexicon.parts_of_speech(w):
                break
        j += 1
    if voice == "passive" or voice == "reduced":
        return by_agent, before
    if whom_obj is not None:
        return before, whom_obj
    return before, after


def _roles(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
           problems: list) -> None:
    """Who did what to whom: the agent and patient of each shared verb are the same entities, and
    each shared number stays with the name right next to it."""
    a = sh.analysed
    ent_claim = {e.index for e in sh.elements if e.cls == ENTITY}
    same = _entity_identity(sh, found, ix)

    def c_is_entity(i: int) -> bool:
        return i in ent_claim

    s_ent = {p for f in found.values() if f.element.cls == ENTITY for p in f.positions}

    def s_is_entity(p: int) -> bool:
        return p in s_ent or (ix.tokens[p].kind == WORD and ix.text[ix.tokens[p].start].isupper()
                              and ix.analysed.words[p] not in titles() and not _sentence_start(ix, p)
                              and ix.analysed.words[p] not in _function_words())

    for f, ps in _pairs(found, main, ix, sh):
        e = f.element
        if not e.verb_like or e.cls not in (CONTENT, FRAME):
            continue
        p = ps[0]
        sw = ix.analysed.words[p]
        if sw.endswith("ing") and not a.words[e.index].endswith("ing"):
            continue  # a participle clause ("telling Breitbart") takes its subject from elsewhere
        c_ag, c_pa = _arguments(a, e.index, c_is_entity)
        s0, s1 = ix.sentences[ix.sentence_of[p]]
        s_ag, s_pa = _arguments(ix.analysed, p, s_is_entity, s0, s1)
        if s_ag is None and c_ag is not None and c_ag in same:
            # "the Ohio governor earned 51 percent": a description stands for someone named before
            meant = _described_subject(ix, p, s0, a, same)
            if meant is not None and meant != c_ag and not same[c_ag] & same.get(meant, set()):
                problems.append((Reason.ROLES_DIFFER,
                                 f"in the source the one who '{ix.analysed.words[p]}' is {a.words[meant].title()},"
                                 f" not '{a.text[a.tokens[c_ag].start:a.tokens[c_ag].end]}'",
                                 Difference(a.words[c_ag], a.words[meant], "roles")))
                return
        for role, c, s in (("agent", c_ag, s_ag), ("object", c_pa, s_pa)):
            if c is None or s is None:
                continue
            cid = same.get(c)
            if cid is None or s in cid:
                continue
            # only a contradiction when the source's entity is one the claim also names, itself or
            # through a description of them ("the Ohio governor earned 51 percent" after Kasich)
            if not [i for i, ps2 in same.items() if s in ps2]:
                continue
            art, src = a.words[c], ix.analysed.words[s]
            problems.append((Reason.ROLES_DIFFER,
                             f"in the source '{ix.text[ix.tokens[s].start:ix.tokens[s].end]}' is the {role} of"
                             f" '{e.surface}', not '{a.text[a.tokens[c].start:a.tokens[c].end]}'",
                             Difference(art, src, "roles")))
            return
    # a share or a sum stays with the name right beside it: "Clinton 51 percent", "41 percent for
    # Trump" (a bare number, such as a score, is checked as an ordered pair instead)
    for f, ps in _pairs(found, main, ix, sh):
        e = f.element
        if e.cls != NUMBER_EL or is_year(a.tokens[e.index]) or not e.unit:
            continue
        c_ent = _nearest(a, e.index, c_is_entity)
        if c_ent is None or c_ent not in same:
            continue
        p = ps[0]
        s_ent_near = _nearest(ix.analysed, p, s_is_entity, ix.sentences[ix.sentence_of[p]][0],
                              ix.sentences[ix.sentence_of[p]][1])
        if s_ent_near is None or s_ent_near in same[c_ent]:
            continue
        if [i for i, ps2 in same.items() if s_ent_near in ps2 and i != c_ent]:
            problems.append((Reason.ROLES_DIFFER,
                             f"in the source {e.surface} goes with '{ix.analysed.words[s_ent_near]}', not '{a.words[c_ent]}'",
                             Difference(f"{e.surface} {a.words[c_ent]}", f"{e.surface} {ix.analysed.words[s_ent_near]}",
                                        "roles")))
            return


def _number_company(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
                    problems: list) -> None:
    """A figure keeps its company: the words right after it in the claim ("$130 billion more than
    last year", "29% of those who rate … inspiring") must be near it in the source too, not next
    to another figure of the same sentence."""
    a = sh.analysed
    aligned = {f.element.index: ps[0] for f, ps in _pairs(found, main, ix, sh) if ps}
    content = [e for e in sh.elements if e.weight and e.cls != ENTITY]
    for i, e in enumerate(content):
        if e.cls != NUMBER_EL or e.index not in aligned or is_year(a.tokens[e.index]):
            continue
        p = aligned[e.index]
        s = ix.sentence_of[p]
        company = []
        for x in content[i + 1 : i + 4]:
            if x.clause != e.clause or any(a.breaks[j] for j in range(e.index + 1, x.index + 1)):
                break
            if x.cls in (NUMBER_EL, DATE) or x.verb_like or any(
                    a.words[j] in _BE or a.words[j] in ("who", "which", "that", "has", "have", "had", "will", "would")
                    for j in range(e.index + 1, x.index)):
                break  # the counted noun phrase ends at its verb
            company.append(x)
        far = [x for x in company if x.index in aligned and ix.sentence_of[aligned[x.index]] == s
               and abs(aligned[x.index] - p) > 8
               and not any(abs(q - p) <= 8 for q in found[x.index].positions if ix.sentence_of[q] == s)]
        if far and len(far) * 2 >= len(company):
            words = " ".join(x.surface for x in far)
            problems.append((Reason.ROLES_DIFFER,
                             f"in the source {e.surface} does not go with '{words}'",
                             Difference(f"{e.surface} … {words}", _span_text(ix, p), "roles")))
            return


def _described_subject(ix: ClaimIndex, p: int, s0: int, a: Analysed, same: dict[int, set[int]]) -> int | None:
    """The claim entity a description right before the verb at p stands for: "the Ohio governor
    earned" is the person of that role named before it ("Kasich, … is the only Republican …").
    None when no description of a person is there, or it points to no one the claim names."""
    w = ix.analysed
    head = p - 1
    while head > s0 and w.words[head] in _BE | {"has", "have", "had", "also", "then"}:
        head -= 1
    if head <= s0 or w.breaks[head + 1] or "person" not in lexicon.noun_classes(w.words[head]) or (
            ix.text[ix.tokens[head].start].isupper()):
        return None
    lo = head
    while lo - 1 > s0 and not w.breaks[lo] and ix.text[ix.tokens[lo - 1].start].isupper():
        lo -= 1
    if w.breaks[lo] or w.words[lo - 1] != "the":
        return None
    start = ix.tokens[lo - 1].start
    name = resolve_mention(ix.text, start, ix.text[start : ix.tokens[head].end])
    if not name:
        return None
    words = {x.lower().strip(".") for x in name.split()}
    return next((i for i in same if a.words[i] in words), None)


def _entity_identity(sh: ClaimShape, found: dict[int, _Found], ix: ClaimIndex) -> dict[int, set[int]]:
    """Claim entity token -> source positions of the same entity: the whole capitalised run of
    each place it is named ("Sen. Harry M. Reid" is at every one of its words), not the names
    beside it ("Against Clinton, the Ohio governor": Ohio is not Clinton)."""
    out: dict[int, set[int]] = {}
    a = sh.analysed
    ents = [e for e in sh.elements if e.cls == ENTITY]
    groups: list[list[Element]] = []
    for e in ents:
        if groups and e.index == groups[-1][-1].index + 1 and not a.breaks[e.index]:
            groups[-1].append(e)
        else:
            groups.append([e])
    for g in groups:
        pos: set[int] = set()
        for e in g:
            f = found[e.index]
            if f.status in ("strong", "context"):
                for p in f.positions:
                    pos.update(_name_run(ix, p))
        if pos:
            for e in g:
                out[e.index] = pos
    return out


def _name_run(ix: ClaimIndex, p: int) -> range:
    """The capitalised run of words (with titles and initials) that token p is part of."""
    w = ix.analysed

    def capital(q: int) -> bool:
        t = ix.tokens[q]
        return t.kind == WORD and ix.text[t.start].isupper()

    lo, hi = p, p
    while lo - 1 >= 0 and not w.breaks[lo] and capital(lo - 1) and p - lo < 4:
        lo -= 1
    while hi + 1 < len(w.words) and not w.breaks[hi + 1] and capital(hi + 1) and hi - p < 4:
        hi += 1
    return range(lo, hi + 1)


def _nearest(a: Analysed, k: int, is_entity, lo: int = 0, hi: int | None = None, reach: int = 3) -> int | None:
    """The name nearest token k in its clause, at most `reach` words away, not counting units and
    titles ("41 percent for Mrs. Clinton" is two words from Clinton); the left one on a tie."""
    hi = len(a.tokens) if hi is None else hi

    def walk(step: int) -> tuple[int, int] | None:
        j, d = k, 0
        while True:
            nxt = j + step
            if not lo <= nxt < hi:
                return None
            # a clause break between j and nxt ends the walk
            if a.breaks[max(j, nxt)]:
                return None
            j = nxt
            if a.tokens[j].kind != UNIT and a.words[j] not in titles():
                d += 1
            if d > reach:
                return None
            if is_entity(j):
                return d, j

    left, right = walk(-1), walk(1)
    if left and (not right or left[0] <= right[0]):
        return left[1]
    return right[1] if right else None
