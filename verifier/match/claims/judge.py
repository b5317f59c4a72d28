"""The decision: from what was accounted for and what differs, a reason and the notes that say why."""

from __future__ import annotations

import re
from collections import defaultdict

# A claim with less than this share of its content in the best passage is about something else.
from verifier.match.claims.index import ClaimIndex, _acronym_keys, _compound_keys
from verifier.match.claims.locate import (
    _best_sentence,
    _best_span,
    _displaced_names,
    _locate,
    _names_are_not_words,
    _one_to_one,
    _units_agree,
)
from verifier.match.claims.markers import _markers
from verifier.match.claims.particles import _eventive_nouns, _opposite_words, _particles
from verifier.match.claims.roles import _number_company, _roles
from verifier.match.claims.shape import (
    ClaimJudgement,
    _claim_keys,
    _clause_text,
    _clauses,
    _Found,
    _join_verbless_clauses,
    _negated_run,
    _one_clause_holds,
    _runs,
    _unstated_clauses,
    _unsupported_clauses,
    r_text,
)
from verifier.match.claims.substitutions import _scope, _substitutions
from verifier.match.claims.values import _durations, _values
from verifier.match.elements import (
    DATE,
    ENTITY,
    NUMBER_EL,
    ClaimShape,
    Element,
    shape,
)
from verifier.match.normalize import GAP, tokenize
from verifier.models import Difference, Reason

# A claim with less than this share of its content in the best passage is about something else.
NOT_FOUND_BELOW = 0.5


def judge_claim(claim: str, ix: ClaimIndex, trace: list[str] | None = None, *,
                article_date: str | None = None) -> ClaimJudgement:
    """Judge `claim` against the indexed source. `trace`, when a list, collects one line per
    element saying how it was accounted for (for debugging). `article_date` (YYYY-MM-DD) is the
    claim's own date, so its "last year" can meet the source's "2024"."""
    ctoks = [t for t in tokenize(claim) if t.kind != GAP]
    clause_of = _clauses(claim, ctoks)
    sh = shape(claim, ctoks, clause_of, ix.names)
    _join_verbless_clauses(sh)
    els = [e for e in sh.elements]
    content = [e for e in els if e.weight > 0]
    if not content or not ix.sentences:
        return ClaimJudgement(Reason.NOT_FOUND, 0.0, 0, 0, missing=[e.surface for e in content])
    acr = _acronym_keys(sh.analysed)
    compounds = _compound_keys(sh.analysed)
    claim_keys = {e.index: _claim_keys(sh, e, acr) | compounds.get(e.index, set()) for e in els}
    positions = {e.index: sorted({p for key in claim_keys[e.index] for p in ix.keys.get(key, ())}) for e in els}
    _units_agree(sh, els, positions, ix)
    _names_are_not_words(sh, els, positions, ix)

    # the main sentence of each clause: where most of its weight is
    by_clause: dict[int, list[Element]] = defaultdict(list)
    for e in content:
        by_clause[e.clause].append(e)
    overall = _best_sentence(content, positions, ix, None)
    main: dict[int, tuple[int, int]] = {}
    for c, cels in by_clause.items():
        main[c] = _best_span(cels, positions, ix, overall)
    found: dict[int, _Found] = {}
    for e in els:
        found[e.index] = _locate(e, positions[e.index], main.get(e.clause, (overall, overall)), ix, sh)

    _one_to_one(sh, found, main, ix)
    _eventive_nouns(sh, found, ix)
    _displaced_names(sh, found, main, ix)
    early: list[tuple[Reason, str, Difference]] = []
    _durations(sh, found, main, ix, early)
    total = sum(e.weight for e in content)
    got = sum(e.weight for e in content if found[e.index].status in ("strong", "context"))
    coverage = got / total if total else 0.0
    sents = sorted({x for span in main.values() for x in span})
    used = {ix.sentence_of[p] for f in found.values() if f.status in ("strong", "context") for p in f.positions[:1]}
    lo = min(sents + [s for s in used if min(sents) - 2 <= s <= max(sents)])
    hi = max(sents)
    start = ix.tokens[ix.sentences[lo][0]].start
    end = ix.tokens[ix.sentences[hi][1] - 1].end
    j = ClaimJudgement(Reason.SUPPORTED, coverage, start, end)
    if coverage < NOT_FOUND_BELOW and not _one_clause_holds(sh, found):
        j.reason = Reason.NOT_FOUND
        j.missing = [f.element.surface for f in found.values() if f.status not in ("strong", "context") and f.element.weight]
        return j

    problems: list[tuple[Reason, str, Difference]] = list(early)
    _substitutions(sh, found, main, ix, problems)
    _markers(sh, found, main, ix, problems)
    _particles(sh, found, main, ix, problems)
    _opposite_words(sh, found, main, ix, problems)
    _values(sh, found, main, ix, problems, article_date)
    _roles(sh, found, main, ix, problems)
    _number_company(sh, found, main, ix, problems)
    _scope(sh, found, main, ix, problems)

    if trace is not None:
        for f in found.values():
            where = ",".join(f"{ix.sentence_of[p]}:{ix.analysed.words[p]}" for p in f.positions[:3])
            trace.append(f"{f.element.cls:8s} {f.element.surface:20s} {f.status:11s} {where} {f.counterpart}")
        trace.append(f"main={main} problems={[(str(r), n) for r, n, _ in problems]}")
    merged = [f for f in found.values() if f.status == "elsewhere" and f.element.weight]
    absent = [f for f in found.values() if f.status == "absent" and f.element.weight]
    weak = [f for f in found.values() if f.status == "weak" and f.element.weight]
    j.missing = [f.element.surface for f in absent + weak + merged]
    if merged:
        words = ", ".join(dict.fromkeys(f.element.surface for f in merged))
        problems.append((Reason.PARTLY_SUPPORTED,
                         f"the claim joins facts the source gives in separate sentences ({words})",
                         Difference(words, "", "wording")))
    runs = _runs(sh, absent)
    for r in runs:
        key = any(e.cls in (NUMBER_EL, ENTITY, DATE) for e in r)
        # "passed without a vote" where the passage mentions no vote: a negated statement it does
        # not make, not a word put otherwise
        negated = _negated_run(sh, r)
        reason = Reason.PARTLY_SUPPORTED if len(r) >= 3 or key or negated else Reason.PARAPHRASE
        problems.append((reason, f"the source does not say '{r_text(sh, r)}'", Difference(r_text(sh, r), "", "wording")))
    for f in weak:
        problems.append((Reason.PARAPHRASE, f"'{f.element.surface}' is put in other words ({f.counterpart})",
                         Difference(f.element.surface, f.counterpart, "wording")))
    j.severity = _severity(problems, runs, weak)
    if not problems:
        return j
    order = [Reason.NEGATION_DIFFERS, Reason.ROLES_DIFFER, Reason.HEDGE_DIFFERS, Reason.DATE_DIFFERS,
             Reason.NUMBER_DIFFERS, Reason.QUANTITY_DIFFERS, Reason.ENTITY_DIFFERS, Reason.SCOPE_DIFFERS,
             Reason.WORDING_DIFFERS, Reason.PARTLY_SUPPORTED, Reason.PARAPHRASE]
    problems.sort(key=lambda p: order.index(p[0]))
    for _, note, diff in problems:
        if note not in j.notes:
            j.notes.append(note)
            j.differences.append(diff)
    # a clause whose every predicate is missing states something the source does not: when that is
    # the whole claim, it is not found; when one of several clauses, the claim is partly supported
    unstated = _unstated_clauses(sh, found) | _unsupported_clauses(sh, found)
    clauses = {e.clause for e in content if e.clause < 1000}
    if unstated and unstated >= clauses:
        j.reason = Reason.NOT_FOUND
        return j
    # facts the claim adds that the passage has nothing for (figures, names, dates): one may be a
    # detail the source leaves out; two or more are a statement the source does not make
    # a name the document carries elsewhere is the source's, only not in this passage: a merge of
    # its facts, not an invented one
    key_runs = [r for r in runs if any(e.cls in (NUMBER_EL, DATE) or (e.cls == ENTITY and not positions[e.index])
                                       for e in r)]
    if len(key_runs) >= 2 and not unstated and coverage < 0.8:
        j.reason = Reason.NOT_FOUND
        return j
    if unstated:
        words = "; ".join(_clause_text(sh, c) for c in sorted(unstated))
        problems.insert(0, (Reason.PARTLY_SUPPORTED, f"the source does not say: {words}",
                            Difference(words, "", "wording")))
        j.notes.insert(0, problems[0][1])
        j.differences.insert(0, problems[0][2])
        involved = {e.index for e in content if e.clause in unstated}
    else:
        # "exactly one thing wrong" is a recognisable version of the source's statement: set aside
        # the words of the first difference, and the rest of the claim must be in the passage.
        # When it is not, several things differ at once and the source does not make this
        # statement at all.
        involved = _involved(sh, problems[0][2])
    rest = [e for e in content if e.index not in involved]
    rest_total = sum(e.weight for e in rest)
    # words the source puts in related words count: the question here is whether this is the
    # source's statement at all, not whether every word is proven
    rest_got = sum(e.weight for e in rest if found[e.index].status in ("strong", "context", "weak"))
    j.rest_coverage = rest_got / rest_total if rest_total else 1.0
    # a short claim cannot afford a share: one more word missing from three is still one word
    if j.rest_coverage < ONE_THING_WRONG and not (rest_total - rest_got <= 1.0 and j.rest_coverage >= 0.5):
        j.reason = Reason.NOT_FOUND
    else:
        j.reason = problems[0][0]
    return j


# With the first difference set aside, this share of the rest of the claim must be in the passage
# for the claim to be "the source's statement with one thing wrong" (partial) rather than a
# statement the source does not make (not found).
ONE_THING_WRONG = 0.8


def _involved(sh: ClaimShape, diff: Difference) -> set[int]:
    """Claim element indexes whose words a difference quotes from the article: the elements inside
    the quoted stretch of the claim, else those whose words it names."""
    a = sh.analysed
    out: set[int] = set()
    if diff.article:
        for m in re.finditer(re.escape(diff.article), a.text):
            out |= {e.index for e in sh.elements if m.start() <= a.tokens[e.index].start < m.end()}
    if out:
        return out
    words = {w.lower().strip(".,;:'’") for w in re.findall(r"[\w'’$%.,-]+", diff.article)}
    return {e.index for e in sh.elements if a.words[e.index] in words or e.surface.lower() in words}


# How many things may be wrong before the passage is not this statement at all (see _severity).
NOT_FOUND_SEVERITY = 2.5


def _severity(problems: list, runs: list[list[Element]], weak: list[_Found]) -> float:
    """How far the claim is from the passage: each contradiction (negation, hedge, number, date,
    name, roles, scope, quantity) and each missing statement counts 1 (a missing run of three or
    more words 2), a word put in other words 0.5, a word only related to the source's 0.25."""
    total = 0.0
    for reason, _, _ in problems:
        if reason is Reason.PARAPHRASE:
            total += 0.5
        elif reason is not Reason.PARTLY_SUPPORTED:
            total += 1.0
    for r in runs:
        total += 2.0 if len(r) >= 3 else 0.5  # (the PARAPHRASE entry above already counted 0.5)
    total -= 0.5 * sum(1 for r in runs if len(r) < 3) - 0.5 * sum(1 for r in runs if len(r) < 3)
    total -= 0.25 * len(weak)  # a related word is half a paraphrase
    if any(reason is Reason.PARTLY_SUPPORTED and "separate sentences" in note for reason, note, _ in problems):
        total += 1.0
    return total
