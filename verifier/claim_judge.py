"""Judge a paraphrased claim against a source: confirmed only when every element is accounted for.

The rule (README, "Verdict rules"): a claim is `supported` only when every content element of the
claim is in one passage of the source (the same word, an inflection of it, a synonym WordNet
vouches for, or an equal number form), and the relations between them hold there:

- each clause's facts (numbers, dates, predicates) come from one source sentence, so two facts
  the source keeps apart cannot be merged; names may come from the sentences before (coreference);
- the modality and polarity of each shared word agree ("may" vs "will", "not" vs none, "declined
  to"), and so do quantifiers, approximators, temporal relations and relative times;
- who did what to whom survives voice ("X was nominated by Y" = "Y nominated X"), ordered number
  pairs keep their direction, numbers stay with their entity, and the restrictor of a share ("30
  percent of all voters") keeps its scope.

Whatever cannot be accounted for is named: a substituted word with its counterpart in the source,
a missing statement, or a word the source puts differently (`paraphrase`). Topic overlap is never
support: when too little of the claim is in any passage, the verdict is `not_found`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from . import lexicon
from .claim_elements import (
    CONTENT,
    DATE,
    ENTITY,
    FRAME,
    NUMBER_EL,
    QUANTITY,
    Analysed,
    ClaimShape,
    Element,
    analyse,
    capitalised_words,
    class_words_before,
    grammatical_words,
    is_predicate,
    is_year,
    markers_before,
    shape,
    titles,
)
from .models import Difference, Reason
from .normalize import GAP, NEGATIONS, NUMBER, ORDINAL, UNIT, WORD, Token, stem, tokenize
from .speakers import resolve_mention

# A claim with less than this share of its content in the best passage is about something else.
NOT_FOUND_BELOW = 0.5


@dataclass
class ClaimIndex:
    """A source document prepared for claim judging (built once per document)."""

    text: str
    tokens: list[Token]
    analysed: Analysed
    sentences: list[tuple[int, int]]  # token ranges
    paragraph_of: list[int]  # sentence -> paragraph number
    sentence_of: list[int]  # token -> sentence
    keys: dict[str, list[int]]  # match key -> token positions
    token_keys: list[frozenset[str]]
    names: frozenset[str]  # words the source writes capitalised inside a sentence


def word_key_forms(word: str) -> str:
    """The form a word is looked up in: without a possessive ending ("year's" -> "year")."""
    w = word.replace("’", "'")
    if w.endswith("'s") or w.endswith("s'"):
        w = w[:-2] if w.endswith("'s") else w[:-1]
    return w


def _token_keys(a: Analysed, k: int, capitalised_run_keys: dict[int, set[str]]) -> frozenset[str]:
    """Index keys of a source token. A claim word matches when it shares a key of the right kind:
    L (a lemma), T/S (a synset that is a main sense of one of the two words), H (the claim's main
    sense is this word's hypernym), St (the stem, for words no dictionary knows), A (acronyms)."""
    t = a.tokens[k]
    keys: set[str] = set()
    if t.kind == NUMBER:
        keys.add("N:" + t.norm)
    elif t.kind == UNIT:
        keys.add("U:" + t.norm)
    elif t.kind == WORD:
        w = word_key_forms(t.norm)
        sem = lexicon.semantics()
        if w in sem.months:
            keys.add(f"M:{sem.months[w]}")
        # a grammatical word ("is", "had") stands only for its main senses: "costing" is not "is"
        # for sharing WordNet's rare {cost, be} synset, but "hold" is "have" ({have, hold})
        grammatical = w in grammatical_words()
        for lem in lexicon.lemmas(w):
            keys.add("L:" + lem)
            ss = lexicon.senses(lem)
            keys.update("T:" + x for x in ss.top)
            if grammatical:
                continue
            keys.update("S:" + x for x in ss.all)
            keys.update("H:" + x for x in ss.hypernyms)
        if not lexicon.in_wordnet(w) and len(lexicon.lemmas(w)) == 1:
            keys.add("St:" + stem(w))
        keys.update(capitalised_run_keys.get(k, ()))
    else:
        keys.add("O:" + t.norm)
    return frozenset(keys)


def _acronym_keys(a: Analysed) -> dict[int, set[str]]:
    """Initials of capitalised runs ("Federal Deposit Insurance Corporation" -> FDIC) and acronyms
    written with or without dots ("U.S.", "FDIC"), so each can find the other."""
    out: dict[int, set[str]] = defaultdict(set)
    toks = a.tokens
    n = len(toks)
    k = 0
    while k < n:
        if toks[k].kind == WORD and a.text[toks[k].start : toks[k].start + 1].isupper():
            run = [k]
            j = k + 1
            while j < n and toks[j].kind == WORD and (
                a.text[toks[j].start : toks[j].start + 1].isupper() or a.words[j] in ("of", "for", "and", "the")
            ) and not a.breaks[j]:
                run.append(j)
                j += 1
            while run and a.words[run[-1]] in ("of", "for", "and", "the"):
                run.pop()
            while run and a.words[run[0]] in ("the", "a", "an"):
                run.pop(0)
            caps = [r for r in run if a.words[r] not in ("of", "for", "and", "the")]
            # dotted single letters ("U.S.") are one acronym
            if all(len(a.words[r]) == 1 for r in caps) and len(caps) > 1:
                key = "A:" + "".join(a.words[r] for r in caps)
                for r in caps:
                    out[r].add(key)
            elif len(caps) > 1:
                # every leading part of the run: "Centers for Disease Control and Prevention" is
                # also "CDC"
                for size in range(2, len(caps) + 1):
                    key = "A:" + "".join(a.words[r][0] for r in caps[:size])
                    for r in caps[:size]:
                        out[r].add(key)
            for r in caps:
                s = a.text[toks[r].start : toks[r].end]
                if len(s) > 1 and s.isupper():
                    out[r].add("A:" + s.lower())
            k = j if j > k else k + 1
        else:
            k += 1
    return out


def _compound_keys(a: Analysed) -> dict[int, set[str]]:
    """A hyphenated compound is also its closed form: "play-off" is "playoff", "e-mail" "email"."""
    out: dict[int, set[str]] = defaultdict(set)
    for k in range(len(a.tokens) - 1):
        t, u = a.tokens[k], a.tokens[k + 1]
        if t.kind == WORD and u.kind == WORD and a.text[t.end : u.start] == "-":
            out[k].add("L:" + a.words[k] + a.words[k + 1])
    return out


def build_index(text: str, tokens: list[Token], sentences: list[tuple[int, int]], paragraph_of: list[int]) -> ClaimIndex:
    a = analyse(text, tokens)
    acr = _acronym_keys(a)
    for k, keys in _compound_keys(a).items():
        acr.setdefault(k, set()).update(keys)
    keys: dict[str, list[int]] = defaultdict(list)
    token_keys = []
    for k in range(len(tokens)):
        tk = _token_keys(a, k, acr)
        token_keys.append(tk)
        for key in tk:
            keys[key].append(k)
    sentence_of = [0] * len(tokens)
    for si, (s, e) in enumerate(sentences):
        for k in range(s, e):
            sentence_of[k] = si
    lower = {a.words[k] for k in range(len(tokens)) if tokens[k].kind == WORD and not a.text[tokens[k].start].isupper()}
    # the names a source uses: written with a capital inside a sentence, never in lower case
    return ClaimIndex(text, tokens, a, sentences, paragraph_of, sentence_of, dict(keys), token_keys,
                      frozenset(w for w in capitalised_words(a) if w not in lower))


# ------------------------------------------------------------------------------------ claim side


@dataclass
class ClaimJudgement:
    reason: Reason
    coverage: float  # 0..1: share of the claim's content weight accounted for in the passage
    start: int  # character span of the passage in the source
    end: int
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what differs, in words, for the explanation
    missing: list[str] = field(default_factory=list)
    severity: float = 0.0  # how many things are wrong (see _severity)
    rest_coverage: float = 1.0  # coverage of the claim without the words of its first difference


_CLAUSE_SPLIT = re.compile(
    r";|,\s*(?:and|but|while|whereas|nor|saying|although|though)\s+|\s+but\s+|,\s+(?=who|which)|,\s+(?=(?:up|down)\s)|"
    # a subordinate clause ("after waiting 18 months", "because they said …") is a statement of its own
    r"\s(?=(?:after|before|because|although|though|while|whereas|despite|until|unless)\s+"
    r"(?:\w+ing|he|she|they|it|we|the|a|an|his|her|its|their)\b)|"
    r"\s+and\s+(?=(?:it|its|his|her|their|he|she|they|we|the|a|an|had|has|have|was|were|is|are|will|would|"
    r"could|should|may|might|must|can|did|does|also|then|said|that)\s)"
)


# An apposition is a statement of its own ("Waverly Crenshaw, a Tennessee district court nominee, was
# confirmed"): the source may make it in another sentence.
_APPOSITION = re.compile(
    r",\s+(?:a|an|the|who|which|whose)\s[^,;]{3,80}?,"
    # "Thames Water, Britain's biggest water company, has won": a description between a name and its verb
    r"|(?<=[A-Z][\w'’.-]),\s+[^,;]{3,80}?,(?=\s+(?:has|had|have|is|was|were|are|will|would|said|says|\w+ed)\b)")


_AUXILIARIES = frozenset("is are was were be been has have had will would could can may might must shall should "
                         "did does do".split())


def _join_verbless_clauses(sh: ClaimShape) -> None:
    """A part split off at "and" with no verb of its own is a coordinated phrase, not a statement
    ("the 5-Star Movement and the National Front"): it belongs to the clause before."""
    clauses = sorted({e.clause for e in sh.elements if e.clause < 1000})
    a = sh.analysed
    for c in clauses[1:]:
        members = [e for e in sh.elements if e.clause == c]
        span = range(min(e.index for e in members), max(e.index for e in members) + 1) if members else range(0)
        has_aux = any(a.words[k] in _AUXILIARIES for k in span) or (
            members and any(a.words[k] in _AUXILIARIES for k in range(max(0, span.start - 3), span.start)))
        if members and not has_aux and not any(e.verb_like or e.cls == FRAME for e in members):
            prev = max((x for x in clauses if x < c), default=None)
            if prev is not None:
                for e in members:
                    e.clause = prev


def _clauses(text: str, tokens: list[Token]) -> list[int]:
    appositions = [(m.start(), m.end()) for m in _APPOSITION.finditer(text)]
    # a split inside an apposition (", which began …,") does not start a clause of the sentence
    bounds = [m.end() for m in _CLAUSE_SPLIT.finditer(text)
              if not any(s <= m.start() < e for s, e in appositions)]
    out = []
    for t in tokens:
        inside = next((i for i, (s, e) in enumerate(appositions) if s <= t.start < e), None)
        if inside is not None:
            out.append(1000 + inside)
        else:
            out.append(sum(1 for b in bounds if b <= t.start))
    return out


def _claim_keys(shape_: ClaimShape, el: Element, acr: dict[int, set[str]]) -> set[str]:
    a = shape_.analysed
    t = a.tokens[el.index]
    keys: set[str] = set()
    if t.kind == NUMBER:
        keys.add("N:" + t.norm)
    elif t.kind == WORD:
        sem = lexicon.semantics()
        w = word_key_forms(t.norm)
        if w in sem.months:
            keys.add(f"M:{sem.months[w]}")
        # a grammatical word ("is", "had") stands for no sense of its own: "costing" is not "is"
        # for sharing WordNet's {cost, be} synset
        grammatical = w in grammatical_words()
        for lem in lexicon.lemmas(w):
            keys.add("L:" + lem)
            if grammatical:
                continue
            ss = lexicon.senses(lem)
            if el.cls == ENTITY:
                # a name matches only in its main senses ("Mexican" pertains to "Mexico"); a
                # capitalised "House" is not any house
                keys.update("T:" + x for x in ss.top)
            else:
                keys.update("S:" + x for x in ss.top)  # my main sense is one of its senses
                keys.update("T:" + x for x in ss.all)  # or one of mine is its main sense
                keys.update("H:" + x for x in ss.top)  # or mine is its hypernym
        if el.cls == ENTITY:
            keys.update(acr.get(el.index, ()))
        if not lexicon.in_wordnet(w) and len(lexicon.lemmas(w)) == 1:
            keys.add("St:" + stem(w))
    else:
        keys.add("O:" + t.norm)
    return keys


# ------------------------------------------------------------------------------------- judging


@dataclass
class _Found:
    element: Element
    status: str  # strong | context | elsewhere | weak | substituted | absent
    positions: list[int] = field(default_factory=list)  # source token positions
    counterpart: str = ""
    reason: Reason | None = None  # for a substitution: what kind of difference it is


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
             Reason.PARTLY_SUPPORTED, Reason.PARAPHRASE]
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
    key_runs = [r for r in runs if any(e.cls in (NUMBER_EL, ENTITY, DATE) for e in r)]
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


def _one_clause_holds(sh: ClaimShape, found: dict[int, _Found]) -> bool:
    """A claim of several clauses one of which the passage carries (three words or more)."""
    clauses = {e.clause for e in sh.elements if e.weight and e.clause < 1000}
    if len(clauses) < 2:
        return False
    for c in clauses:
        els = [e for e in sh.elements if e.clause == c and e.weight]
        total = sum(e.weight for e in els)
        got = sum(e.weight for e in els if found[e.index].status in ("strong", "context"))
        if len(els) >= 3 and total and got / total >= 0.8:
            return True
    return False


def _negated_run(sh: ClaimShape, run: list[Element]) -> bool:
    a = sh.analysed
    k = run[0].index - 1
    while k >= 0 and a.words[k] in ("a", "an", "the", "any"):
        k -= 1
    return k >= 0 and (a.words[k] in NEGATIONS or a.words[k] in lexicon.semantics().negators)


def _clause_text(sh: ClaimShape, c: int) -> str:
    els = [e for e in sh.elements if e.clause == c]
    a = sh.analysed
    return a.text[a.tokens[els[0].index].start : a.tokens[els[-1].index].end] if els else ""


def _unsupported_clauses(sh: ClaimShape, found: dict[int, _Found]) -> set[int]:
    """Clauses (of a claim with several) of which less than half is in the passage."""
    clauses = {e.clause for e in sh.elements if e.weight and e.clause < 1000}
    if len(clauses) < 2:
        return set()
    out = set()
    for c in clauses:
        els = [e for e in sh.elements if e.clause == c and e.weight]
        total = sum(e.weight for e in els)
        got = sum(e.weight for e in els if found[e.index].status in ("strong", "context", "weak"))
        if total and got / total < 0.5:
            out.add(c)
    return out


def _unstated_clauses(sh: ClaimShape, found: dict[int, _Found]) -> set[int]:
    """Clauses whose predicates (verbs) are all absent from the passage, with no related word."""
    out = set()
    for c in {e.clause for e in sh.elements}:
        preds = [e for e in sh.elements if e.clause == c and e.verb_like and e.cls == CONTENT]
        if preds and all(found[e.index].status == "absent" for e in preds):
            out.add(c)
    return out


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


def r_text(sh: ClaimShape, run: list[Element]) -> str:
    a = sh.analysed
    return a.text[a.tokens[run[0].index].start : a.tokens[run[-1].index].end]


def _runs(sh: ClaimShape, fs: list[_Found]) -> list[list[Element]]:
    """Group missing elements that stand next to each other in the claim."""
    order = sorted((f.element for f in fs), key=lambda e: e.index)
    content_idx = [e.index for e in sh.elements]
    runs: list[list[Element]] = []
    for e in order:
        if runs and content_idx.index(e.index) == content_idx.index(runs[-1][-1].index) + 1:
            runs[-1].append(e)
        else:
            runs.append([e])
    return runs


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


def _unit_after(ix: ClaimIndex, p: int) -> str | None:
    nxt = ix.tokens[p + 1] if p + 1 < len(ix.tokens) else None
    return nxt.norm if nxt is not None and nxt.kind == UNIT else None


def _in(ix: ClaimIndex, p: int, span: tuple[int, int]) -> bool:
    return span[0] <= ix.sentence_of[p] <= span[1]


def _tokens_of(ix: ClaimIndex, span: tuple[int, int]) -> tuple[int, int]:
    return ix.sentences[span[0]][0], ix.sentences[span[1]][1]


def _context(main: int, ix: ClaimIndex) -> range:
    """Sentences whose names a sentence may refer back to ("he", "its", "the senator"): up to three
    before it, over a paragraph break if need be."""
    return range(max(0, main - 3), main)


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


def _slot(lp: int | None, rp: int | None, s0: int, s1: int) -> tuple[int, int]:
    """Source token range between two anchors (or a few tokens beside the one there is)."""
    lo = lp + 1 if lp is not None else max(s0, (rp if rp is not None else s1) - 5)
    hi = rp if rp is not None and (lp is None or rp > lp) else min(s1, (lp if lp is not None else s0) + 6)
    return lo, hi


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


def _after_preposition(a: Analysed, k: int) -> bool:
    """Whether the name at k is inside a prepositional phrase ("in Puerto Rico", "of the Senate")."""
    j = k - 1
    while j >= 0 and not a.breaks[j + 1] and (a.words[j] in ("the", "a", "an") or a.words[j] in titles()
                                               or (a.tokens[j].kind == WORD and a.text[a.tokens[j].start].isupper())):
        j -= 1
    return j >= 0 and not a.breaks[j + 1] and a.words[j] in _PREP


def _first_in(positions: list[int], s0: int, s1: int) -> int | None:
    return next((p for p in positions if s0 <= p < s1), None)


# ------------------------------------------------------------------------------- substitutions


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


def _unit_word(ix: ClaimIndex, p: int) -> bool:
    """"percent", "points": a word that belongs to the number before it."""
    return p > 0 and ix.tokens[p - 1].kind in (NUMBER, UNIT) and ix.analysed.words[p] in (
        "percent", "points", "point", "percentage", "cent")


def _contentful(ix: ClaimIndex, p: int) -> bool:
    """A source token that says something of its own (not a function word, a title, a function
    adverb such as "now" or "still", a marker word or a unit)."""
    from .claim_elements import _transparent, function_words

    t = ix.tokens[p]
    if t.kind == NUMBER:
        return True
    if t.kind != WORD:
        return False
    w = ix.analysed.words[p]
    sem = lexicon.semantics()
    return not (w in function_words() or w in titles() or w in _transparent() or w in sem.modality
                or w in sem.negators or w in sem.quantifiers or w in sem.approximators or _unit_word(ix, p))


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


# ------------------------------------------------------------------------------------- markers


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


def _unshared_hedge(hedges: tuple[str, ...], other_words: list[str]) -> bool:
    """A hedge adverb or modal ("likely", "reportedly", "could") the other side never uses. A verb
    form in front of a noun ("the proposed agreement") describes the thing, not the claim's verb."""
    return any("v" not in lexicon.parts_of_speech(h.split()[0]) for h in hedges) and not any(
        h.split()[0] in other_words for h in hedges)


def _markers(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
             problems: list) -> None:
    """Modality and polarity of every shared word agree; so do its quantifier and approximator."""
    sem = lexicon.semantics()
    a = sh.analysed
    seen_hedge = seen_neg = False
    for f, ps in _pairs(found, main, ix, sh):
        e = f.element
        if e.cls not in (CONTENT, FRAME, QUANTITY, NUMBER_EL):
            continue
        cm = markers_before(a, e.index)
        sms = [markers_before(ix.analysed, p) for p in ps]
        word = e.surface
        if not any(sm.negative == cm.negative for sm in sms) and not seen_neg:
            sm = sms[0]
            seen_neg = True
            art = " ".join((*cm.negators, word)) if cm.negative else word
            src = " ".join((*sm.negators, ix.analysed.words[ps[0]])) if sm.negative else ix.analysed.words[ps[0]]
            problems.append((Reason.NEGATION_DIFFERS, f"the passage has the opposite polarity (article '{art}' vs source '{src}')",
                             Difference(art, src, "negation")))
        elif not any(sm.modality == cm.modality for sm in sms) and not seen_hedge and (
                e.verb_like or e.cls == FRAME or is_predicate(a, e.index)
                # "likely hacked computers": a hedge adverb the other side never uses, whatever
                # part of speech the word after it is taken for ("likely voters" keeps its "likely")
                or _unshared_hedge(cm.hedges, ix.analysed.words[slice(*_tokens_of(ix, main[e.clause]))])
                or _unshared_hedge(sms[0].hedges, a.words)):
            sm = sms[0]
            seen_hedge = True
            art = " ".join((*cm.hedges, word))
            src = " ".join((*sm.hedges, ix.analysed.words[ps[0]]))
            problems.append((Reason.HEDGE_DIFFERS,
                             f"the claim is {_commitment(cm.modality)} where the source is {_commitment(sm.modality)}"
                             f" (article '{art}' vs source '{src}')",
                             Difference(art, src, "hedge")))
        cq = class_words_before(a, e.index, sem.quantifiers)
        sq = [class_words_before(ix.analysed, p, sem.quantifiers) for p in ps]
        if cq and all(x and x[0][1] != cq[0][1] for x in sq):
            problems.append((Reason.QUANTITY_DIFFERS, f"article '{cq[0][0]} {word}' vs source '{sq[0][0][0]} {word}'",
                             Difference(f"{cq[0][0]} {word}", f"{sq[0][0][0]} {word}", "quantity")))
        elif not cq and all(x and x[0][1] in ("few", "none", "some", "most") for x in sq) and e.cls != NUMBER_EL:
            problems.append((Reason.SCOPE_DIFFERS, f"the source says '{sq[0][0][0]} {word}'",
                             Difference(word, f"{sq[0][0][0]} {word}", "quantity")))
        if e.cls in (NUMBER_EL, QUANTITY):
            ca = class_words_before(a, e.index, sem.approximators)
            sa = [class_words_before(ix.analysed, p, sem.approximators) for p in ps]
            c_dir = ca[0][1] if ca else None
            s_dirs = [x[0][1] if x else None for x in sa]
            if c_dir in ("over", "under") and c_dir not in s_dirs or (
                    c_dir is None and all(d in ("over", "under") for d in s_dirs)):
                art = f"{ca[0][0]} {word}" if ca else word
                src = f"{sa[0][0][0]} {word}" if sa[0] else word
                problems.append((Reason.QUANTITY_DIFFERS, f"article '{art}' vs source '{src}'",
                                 Difference(art, src, "number")))
    if not seen_neg:
        _clause_polarity(sh, found, main, ix, problems)
    # exclusives ("the only Republican") must be in the source too
    for k, w in enumerate(a.words):
        if w in sem.exclusive and a.tokens[k].kind == WORD:
            if not any(ix.analysed.words[p] in sem.exclusive for span in main.values()
                       for p in range(*_tokens_of(ix, span))):
                problems.append((Reason.SCOPE_DIFFERS, f"the source does not say '{w}'", Difference(w, "", "wording")))


def _negations_in(a: Analysed, lo: int, hi: int, unaccounted: set[int] | None = None) -> list[str]:
    """The negators in tokens [lo, hi). With `unaccounted`, a negator whose head (the next content
    word) is one of those is left out: "passed without a vote" against a passage with no vote at
    all is a missing phrase, not the opposite polarity."""
    from .claim_elements import _governing_negative, _split_contraction

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


def _contentful_claim(a: Analysed, k: int) -> bool:
    from .claim_elements import _transparent, function_words

    w = a.words[k]
    return a.tokens[k].kind != UNIT and w not in function_words() and w not in _transparent() and w not in NEGATIONS


def _clause_polarity(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
                     problems: list) -> None:
    """The polarity of a clause as a whole: a "not" the passage puts between the claim's words
    ("2024 was not among the five warmest years") that no shared word carries is still a negation."""
    a = sh.analysed
    for c in main:
        cels = [e for e in sh.elements if e.clause == c]
        aligned = [p for f, ps in _pairs(found, main, ix, sh) if f.element.clause == c for p in ps[:1]]
        if len(aligned) < 2 or not cels:
            continue
        s_neg = _negations_in(ix.analysed, max(ix.sentences[ix.sentence_of[min(aligned)]][0], min(aligned) - 3),
                              max(aligned) + 1)
        # as on the source side, the words just before the clause's first element belong to it
        # ("No further cases …": "no" is no element of its own)
        c_lo = min(e.index for e in cels)
        while c_lo > 0 and min(e.index for e in cels) - c_lo < 3 and not a.breaks[c_lo] and not any(
                e.index == c_lo - 1 for e in sh.elements if e.clause != c):
            c_lo -= 1
        c_neg = _negations_in(a, c_lo, max(e.index for e in cels) + 1,
                              unaccounted={e.index for e in cels if found[e.index].status not in ("strong", "context")})
        if len(s_neg) % 2 != len(c_neg) % 2:
            art = " ".join(c_neg) or "(no negation)"
            src = " ".join(s_neg) or "(no negation)"
            problems.append((Reason.NEGATION_DIFFERS,
                             f"the passage has the opposite polarity (article {art} vs source {src})",
                             Difference(art, src, "negation")))
            return


def _commitment(classes: frozenset[str]) -> str:
    if not classes:
        return "a plain statement"
    names = {"future": "'will'", "possible": "'may'", "probable": "'likely'", "apparent": "'appears'",
             "intended": "an intention", "decided": "a decision"}
    return " and ".join(names.get(c, c) for c in sorted(classes))


# -------------------------------------------------------------------------------------- values


def _window_tokens(main: dict[int, tuple[int, int]], ix: ClaimIndex) -> tuple[int, int]:
    first = min(span[0] for span in main.values())
    lo = min(_context(first, ix).start, first)
    hi = max(span[1] for span in main.values())
    return ix.sentences[lo][0], ix.sentences[hi][1]


def _durations(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
               problems: list) -> None:
    """Spans of time compare as values: "nearly 18 months" is "almost a year and a half"."""
    from .claim_elements import durations

    s0, s1 = _window_tokens(main, ix)
    sub = _sub_analysed(ix, s0, s1)
    # durations: "18 months" = "a year and a half"; their number and unit words are accounted for
    s_durs = durations(sub)
    for d in sh.durations:
        same = [x for x in s_durs if abs(x.days - d.days) <= 0.02 * max(d.days, 1)]
        if same:
            for e in sh.elements:
                if d.start <= e.index < d.end and found[e.index].status != "strong":
                    found[e.index].status = "strong"
                    found[e.index].positions = [s0 + same[0].start]
            # the claim's approximator must be true of the source's figure
            if d.approximator in ("over", "under") and same[0].approximator not in (d.approximator,):
                problems.append((Reason.QUANTITY_DIFFERS, "the claim's approximation differs from the source's",
                                 Difference(_span(sh.analysed, d.start, d.end), "", "number")))
        elif any(x.approximator == "over" and d.days > x.days for x in s_durs) or any(
                x.approximator == "under" and d.days < x.days for x in s_durs):
            for e in sh.elements:
                if d.start <= e.index < d.end:
                    found[e.index].status = "strong"


def _values(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
            problems: list, article_date: str | None = None) -> None:
    """Durations, relative times, vague quantities, ordered pairs and temporal relations."""
    from .claim_elements import number_pairs, relative_times, vague_quantities

    # relative times, vague quantities and pairs are read in the claim's own sentences only
    m0 = ix.sentences[min(span[0] for span in main.values())][0]
    m1 = ix.sentences[max(span[1] for span in main.values())][1]
    own = _sub_analysed(ix, m0, m1)
    # relative times: "last week" is not "last month" nor "this week"
    s_rel = relative_times(own)
    for r in sh.relative_times:
        if any(x.unit == r.unit and x.offset == r.offset for x in s_rel):
            continue
        if r.unit == "year" and article_date and article_date[:4].isdigit():
            # "last year" in an article of 2025 is "2024" in a source
            year = str(int(article_date[:4]) + r.offset)
            if any(own.tokens[k].norm == year for k in range(len(own.tokens))):
                continue
        other = [x for x in s_rel if x.unit == r.unit or x.offset == r.offset]
        art = _span(sh.analysed, r.start, r.end)
        src = _span(own, other[0].start, other[0].end) if other else ""
        problems.append((Reason.DATE_DIFFERS, f"article '{art}' vs source '{src or 'no such time'}'",
                         Difference(art, src, "date")))
    # vague quantities: hundreds < thousands
    s_vague = vague_quantities(own)
    for v in sh.vague:
        if s_vague and not any(x.magnitude == v.magnitude for x in s_vague):
            art = _span(sh.analysed, v.start, v.end)
            src = _span(own, s_vague[0].start, s_vague[0].end)
            problems.append((Reason.QUANTITY_DIFFERS, f"article '{art}' vs source '{src}'", Difference(art, src, "quantity")))
            for e in sh.elements:
                if v.start <= e.index < v.end and found[e.index].status in ("absent", "weak"):
                    found[e.index].status = "substituted"
    # ordered pairs keep their direction: "30 to 12" is not "12 to 30"
    s_pairs = number_pairs(own)
    for pr in sh.pairs:
        if any((x.first, x.second) == (pr.second, pr.first) and pr.first != pr.second for x in s_pairs) and not any(
                (x.first, x.second) == (pr.first, pr.second) for x in s_pairs):
            art = _span(sh.analysed, pr.start, pr.end + 1)
            problems.append((Reason.ROLES_DIFFER, f"the figures are the other way round in the source ({art})",
                             Difference(art, f"{pr.second} to {pr.first}", "roles")))
    # temporal relations: "after he left office" is not "while he was in office"
    sem = lexicon.semantics()
    c_rel = {sem.temporal_relations[w] for k, w in enumerate(sh.analysed.words) if w in sem.temporal_relations
             and not _in_range(sh, k)}
    s_rel_cls = {sem.temporal_relations[w] for k, w in enumerate(own.words) if w in sem.temporal_relations}
    for cls in c_rel - s_rel_cls:
        if not s_rel_cls:
            continue  # the source places nothing in time here; the claim's own words decide
        words = [w for w in sh.analysed.words if sem.temporal_relations.get(w) == cls]
        problems.append((Reason.DATE_DIFFERS, f"the source does not place it '{words[0]}' the same way",
                         Difference(words[0], " / ".join(sorted(s_rel_cls)) or "", "date")))


def _in_range(sh: ClaimShape, k: int) -> bool:
    """'from' in "from 2006 to 2012" is a range, not a temporal relation."""
    a = sh.analysed
    return a.words[k] == "from" and k + 1 < len(a.tokens) and a.tokens[k + 1].kind == NUMBER


def _span(a: Analysed, s: int, e: int) -> str:
    e = min(e, len(a.tokens))
    if s >= e:
        return ""
    return a.text[a.tokens[s].start : a.tokens[e - 1].end]


def _sub_analysed(ix: ClaimIndex, s0: int, s1: int) -> Analysed:
    a = ix.analysed
    return Analysed(a.text, a.tokens[s0:s1], a.words[s0:s1], [True] + a.breaks[s0 + 1 : s1])


# --------------------------------------------------------------------------------------- roles

_SUBJECT_PRONOUNS = frozenset("i we you he she it they".split())
_BE = frozenset("be is are was were been being 's".split())
_PREP = frozenset("to in at on for from with into onto over under of about against between among across".split())


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


def _span_text(ix: ClaimIndex, p: int, reach: int = 6) -> str:
    s0, s1 = ix.sentences[ix.sentence_of[p]]
    lo, hi = max(s0, p - 1), min(s1, p + reach)
    return ix.text[ix.tokens[lo].start : ix.tokens[hi - 1].end]


def _function_words() -> frozenset[str]:
    from .claim_elements import function_words

    return function_words()


def _sentence_start(ix: ClaimIndex, p: int) -> bool:
    s = ix.sentence_of[p]
    return ix.sentences[s][0] == p


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


# --------------------------------------------------------------------------------------- scope


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
        from .claim_elements import function_words

        if nxt in function_words():
            return j, mods
        mods.append(w)
        j += 1
    return None, []
