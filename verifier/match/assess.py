"""One attribution against one source document: the reason, score, evidence passage and the
differences (`assess`). Quotes go through the word alignment (`quotes.match_quote`), claims
through the claim judge (`claims.judge_claim`); then the speaker checks (who the source gives the
words to, a "made no comment", a description of the speaker the source does not give). `judge`
(`verdict.py`) picks the best of these over an attribution's sources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from verifier.attributions.single_claim import states_a_quantity
from verifier.match.claims import ClaimIndex, build_index, judge_claim
from verifier.match.named_speakers import speaker_conflict_by_name
from verifier.match.normalize import NEGATIONS, NUMBER, ORDINAL, UNIT
from verifier.match.quotes import DiffOp, QuoteMatch, match_quote
from verifier.match.source_index import SourceIndex, sentence_spans
from verifier.match.speakers import (
    cue_beside,
    description_conflict,
    gave_no_comment,
    person_name,
    refers_to_someone,
    speaker_at,
    speaker_conflict,
)
from verifier.models import (
    REASON_VERDICT,
    Attribution,
    Difference,
    Evidence,
    Reason,
    SourceDocument,
    Verdict,
)

QUOTE_PARTIAL_MIN = 50.0  # below this share of words in place, a quote is "not found"
CLAIM_SUPPORTED_MIN = 0.6  # share of a claim's content words that one passage must carry
CLAIM_PARTIAL_MIN = 0.45  # below this the passage is unrelated: "not found"


@dataclass
class Thresholds:
    quote_partial_min: float = QUOTE_PARTIAL_MIN
    claim_supported_min: float = CLAIM_SUPPORTED_MIN
    claim_partial_min: float = CLAIM_PARTIAL_MIN


@dataclass
class Assessment:
    reason: Reason
    score: float
    explanation: str
    evidence: Evidence | None = None
    differences: list[Difference] = field(default_factory=list)
    matched: tuple[int, int] | None = None  # the aligned words themselves, before widening to sentences

    @property
    def verdict(self) -> Verdict:
        return REASON_VERDICT[self.reason]

    def rank(self) -> tuple[int, float]:
        return self.verdict.rank, self.score


def source_name(doc: SourceDocument) -> str:
    return doc.outlet or doc.final_url or doc.url or doc.location


def assess(a: Attribution, doc: SourceDocument, index: SourceIndex, th: Thresholds,
            article_date: str | None = None) -> Assessment:
    if a.kind == "quote":
        got = _assess_quote(a.text, doc, index, th)
        if got.reason is Reason.NORMALISED and len(a.parts) > 1:
            # a quotation in parts (split around its cue) is joined with " … " to be found in order;
            # when every part is word for word, the joining is not an edit of the speaker's words
            parts = [match_quote(a.text_of(p), index) for p in range(len(a.parts))]
            if all(m.exact and not m.normalised for m in parts):
                got = Assessment(Reason.VERBATIM, 100.0, f"Found word for word in {source_name(doc)}.", got.evidence)
        negated = _NEGATED_CUE.search(a.cue or "")
        if got.verdict is Verdict.CONFIRMED and negated:
            # "“…,” Blackwell did not continue": the article denies the words were said, and the
            # source has them said
            got = Assessment(
                Reason.NEGATION_DIFFERS, got.score,
                f"The words are in {source_name(doc)}, but the article says they were not said"
                f" ('{negated.group(0).strip()}').", got.evidence,
                [Difference(negated.group(0).strip(), "", "negation")],
            )
    else:
        got = _assess_claim(a, doc, index, th, article_date)
    if got.verdict is Verdict.CONFIRMED and got.evidence is not None:
        start, end = got.matched or (got.evidence.start, got.evidence.end)
        other = _speaker_in_source(a, doc, index, start, end)
        if other:
            got = Assessment(
                Reason.SPEAKER_DIFFERS, got.score,
                f"The words are in {source_name(doc)}, but it gives them to {other}, not {a.speaker}.",
                got.evidence,
                [Difference(a.speaker or "", other, "speaker")],
            )
    if got.verdict is not Verdict.CONFIRMED and got.reason is not Reason.NOT_FOUND:
        silent = gave_no_comment(a.speaker, doc.text)
        if silent:
            # words put in the mouth of someone the source says made no comment are invented
            got = Assessment(
                Reason.NOT_FOUND, got.score,
                f"{source_name(doc)} does not carry these words: it says {a.speaker} made no comment"
                f" (\u201c{silent[:200]}\u201d).", got.evidence, got.differences,
            )
    if got.verdict is Verdict.CONFIRMED:
        described = description_conflict(a.speaker, a.cue, doc.text) if refers_to_someone(a.speaker) else None
        if described:
            missing, sentence = described
            got = Assessment(
                Reason.ENTITY_DIFFERS, got.score,
                f"The words are in {source_name(doc)}, but it does not describe {a.speaker} that way: '{missing}'"
                f" is not in what it says of them (\u201c{sentence[:200]}\u201d).",
                got.evidence, [Difference(missing, sentence[:200], "speaker")],
            )
    return got


def _speaker_in_source(a: Attribution, doc: SourceDocument, index: SourceIndex, start: int, end: int) -> str | None:
    """Who the source gives the passage to, when that is not the attribution's speaker."""
    if not refers_to_someone(a.speaker):
        return None
    if a.kind != "quote":
        # a claim's passage may run from a sentence that only names the speaker to the one that
        # says it ("Brantner, the co-leader, said … . Habeck, the candidate, said he would not …"):
        # the last sentence, where the statement is, must not give it to someone else
        last = max((s for s, _ in sentence_spans(doc.text[start:end])), default=0)
        if last > 0:
            own = speaker_at(doc.text, index.derived, start + last, end, quotes_only=False)
            other = speaker_conflict(a.speaker, own) if own is not None and own.name else None
            if other:
                return other
    spoken = speaker_at(doc.text, index.derived, start, end, quotes_only=a.kind == "quote")
    if spoken is None and a.kind == "quote":
        spoken = cue_beside(doc.text, start, end)
    if spoken is not None:
        return speaker_conflict(a.speaker, spoken)
    name = person_name(a.speaker)
    if name and not re.search(rf"\b{re.escape(name.split()[-1])}\b", doc.text):
        return "no one it names as " + name + " (the source never mentions them)"
    return speaker_conflict_by_name(a.speaker, doc.text, start, end)


def _evidence(doc: SourceDocument, start: int, end: int) -> Evidence:
    """The matched region widened to whole sentences, so a reader sees the context."""
    text = doc.text
    s, e = start, end
    for ss, se in sentence_spans(text):
        if ss <= start < se or (ss < end <= se):
            s, e = min(s, ss), max(e, se)
    return Evidence(
        url=doc.final_url or doc.url or doc.location,
        title=doc.title,
        passage=text[s:e],
        start=s,
        end=e,
        outlet=doc.outlet,
        fetched_at=doc.fetched_at,
        sha256=doc.sha256,
        paywalled=doc.paywalled,
    )


def _words(text: str, tokens: list) -> str:
    if not tokens:
        return ""
    return text[tokens[0].start : tokens[-1].end]


def _differences(quote: str, source: str, diffs: list[DiffOp]) -> list[Difference]:
    """Each changed stretch of a quote, with the kind of change it is."""
    from verifier.lexicon import antonyms, semantics

    sem = semantics()
    out = []
    for d in diffs:
        toks = d.article + d.source
        art = [t.norm for t in d.article]
        src = [t.norm for t in d.source]
        mod_a = {sem.modality[w] for w in art if w in sem.modality and sem.modality[w] != "fact"}
        mod_s = {sem.modality[w] for w in src if w in sem.modality and sem.modality[w] != "fact"}
        dates = sem.weekdays | set(sem.months)
        if any(t.norm in NEGATIONS for t in toks) or any(antonyms(x, y) for x in art for y in src):
            kind = "negation"
        elif any(t.kind in (NUMBER, UNIT, ORDINAL) for t in toks):
            kind = "number"
        elif any(w in dates for w in art) and any(w in dates for w in src):
            kind = "date"
        elif (mod_a or mod_s) and mod_a != mod_s:
            kind = "hedge"
        elif d.editorial:
            kind = "editorial"
        else:
            kind = "wording"
        out.append(Difference(_words(quote, d.article), _words(source, d.source), kind))
    return out


def _assess_quote(quote: str, doc: SourceDocument, index: SourceIndex, th: Thresholds) -> Assessment:
    m: QuoteMatch = match_quote(quote, index)
    where = source_name(doc)
    if not m.found or m.score < th.quote_partial_min:
        ev = _evidence(doc, m.start, m.end) if m.found and m.score >= 30 else None
        return Assessment(
            Reason.NOT_FOUND, m.score,
            f"Nothing close to these words in {where} (best alignment {m.score:.0f}/100).", ev,
        )
    ev = _evidence(doc, m.start, m.end)
    if m.exact and not m.normalised:
        return Assessment(Reason.VERBATIM, 100.0, f"Found word for word in {where}.", ev, matched=(m.start, m.end))
    if m.exact:
        stood = "; ".join(f"'{a}' for '{b}'" if a != "…" else f"'…' for '{b}'" for a, b in m.hidden[:4])
        return Assessment(
            Reason.NORMALISED, 100.0,
            f"Found in {where} once spelling, number forms, quotation marks and editorial brackets or"
            " ellipses are normalised." + (f" The editorial marks stand for: {stood}." if stood else ""),
            ev, matched=(m.start, m.end),
        )
    diffs = _differences(quote, doc.text, m.diffs)
    kinds = {d.kind for d in diffs}
    if "negation" in kinds:
        reason = Reason.NEGATION_DIFFERS
    elif "number" in kinds:
        reason = Reason.NUMBER_DIFFERS
    elif "date" in kinds:
        reason = Reason.DATE_DIFFERS
    elif "hedge" in kinds:
        reason = Reason.HEDGE_DIFFERS
    else:
        reason = Reason.WORDING_DIFFERS
    listed = "; ".join(_describe(d) for d in diffs[:4])
    marks = "; ".join(dict.fromkeys(d.editorial for d in m.diffs if d.editorial))
    return Assessment(
        reason, m.score,
        f"Close passage in {where}, but the quote is not word for word: {listed}."
        + (f" {marks[:1].upper()}{marks[1:]}." if marks else ""), ev, diffs,
    )


def _one_word_changed(claim: str, index: SourceIndex) -> tuple[str, str] | None:
    """(claim word, source word) when the claim is a source sentence word for word except one
    content word put in another's place."""
    qm = match_quote(claim, index)
    if not qm.found or qm.score < 75 or len(qm.diffs) != 1:
        return None
    d = qm.diffs[0]
    if len(d.article) != 1 or len(d.source) != 1 or d.editorial:
        return None
    x, y = d.article[0], d.source[0]
    if x.kind != "word" or y.kind != "word":
        return None
    return claim[x.start : x.end], index.text[y.start : y.end]


def _describe(d: Difference) -> str:
    if d.article and d.source:
        return f"article '{d.article}' vs source '{d.source}'"
    if d.article:
        return f"article adds '{d.article}'"
    return f"article drops '{d.source}'"


_ATTRIBUTION_ASIDE = re.compile(
    r"\s[—–-]+\s*(?:attributed to|according to|citing|cited by|as reported by|quoted by|sourced to)\b[^—–]{1,120}[—–]+\s"
    r"|,\s*(?:attributed to|according to|citing|cited by|as reported by|quoted by|sourced to)\b[^,]{1,120},"
    r"|,\s*(?:citing|according to)\b[^,.;]{1,120}$",
    re.I,
)


def _neutral_cue(a: Attribution) -> bool:
    """"X said/wrote/told …": a cue that reports speech and nothing else."""
    from verifier.lexicon import semantics

    words = re.findall(r"[a-z]+", (a.cue or "").lower())
    return any(w in semantics().neutral_reporting for w in words)


def claim_index(index: SourceIndex) -> ClaimIndex:
    """The claim judge's view of a source, built once per document."""
    ci = index.derived.get("claims")
    if ci is None:
        ci = build_index(index.text, index.tokens, index.sentences, index.sentence_paragraph)
        index.derived["claims"] = ci
    return ci  # type: ignore[return-value]


def _teller_not_in(a: Attribution, claim: str, text: str, told_by: object | None) -> list[str]:
    """The capitalised names of a teller that is no one (data, a poll, a report) that the source
    does not give: in the teller the passage itself names (`told_by`, its SourceSpeaker), else
    anywhere in the text."""
    if not a.speaker or refers_to_someone(a.speaker) or a.speaker in claim:
        return []
    # the outlet's own name ("the USA TODAY poll found") need not be in its own pages
    outlet_words = {w.lower() for o in [a.outlet, *a.outlets] if o for w in re.findall(r"[\w'’&-]+", o)}
    names = [w.strip(".") for w in re.findall(r"\b[A-Z][\w'’.&-]*", a.speaker)
             if w.lower() not in ("the", "a", "an") and w.strip(".").lower() not in outlet_words]
    cue = getattr(told_by, "cue", None) or getattr(told_by, "mention", None)
    where = cue if cue and re.search(r"[A-Z]", cue) else text
    return [n for n in names if n and not re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", where, re.I)]


def _aside_facts_not_in(aside: str, passage: str, told_by: object | None) -> list[str]:
    """The names, dates and numbers of an attribution aside (", according to figures released in
    August,") that neither the passage nor the teller it names has: the aside is not judged as
    content, but what it states about the source must still be so."""
    where = f"{passage} {getattr(told_by, 'cue', '') or ''}"
    # (the aside's own cue words, "according to", "citing", are lower case: only its facts match)
    facts = re.findall(r"\b(?:[A-Z][\w'’&-]*|\d[\d,.]*)", aside)
    return [f for f in facts if f.lower() not in ("the", "a", "an")
            and not re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", where, re.I)]


_NEGATED_CUE = re.compile(
    r"\b(?:(?:has|have|had|did|does|do|was|were|is|are|would|will|could)\s+)?(?:not|never)\s+\w+\s*$"
    r"|\b(?:didn|doesn|hasn|haven|hadn|wasn|weren)[’']t\s+\w+\s*$", re.I)


def _assess_claim(a: Attribution, doc: SourceDocument, index: SourceIndex, th: Thresholds,
                  article_date: str | None = None) -> Assessment:
    # a parenthetical cue inside the claim ("Ministers, the Guardian reported, are …") is not content
    claim = a.text
    if a.cue and re.search(r",\s*" + re.escape(a.cue) + r"\s*,", a.text):
        claim = a.text.replace(a.cue, " ")
    # an aside about where the claim comes from ("— attributed to unnamed western officials —",
    # ", citing two cabinet sources,") is attribution, not content
    asides = [m.group(0) for m in _ATTRIBUTION_ASIDE.finditer(claim)]
    claim = _ATTRIBUTION_ASIDE.sub(" ", claim)
    # a negated cue ("Reeves has not said …", "the paper did not report …") says the opposite of a
    # cue: the judged words keep its verb group, so the source's "Reeves has said" differs in polarity
    negated = _NEGATED_CUE.search(a.cue or "")
    if negated and not claim.lower().startswith(negated.group(0).lower()):
        claim = f"{negated.group(0)} {claim}"
    # the person said to have said it is part of what the claim asserts: "Sanders has called for"
    # is not supported by a sentence where Sanders is only named before "Clinton has called for"
    if a.speaker and states_a_quantity(a.speaker) and a.speaker not in claim:
        # "Two-thirds of Millennials say …": the share is part of the claim
        claim = f"{a.speaker} {claim}"
    name = person_name(a.speaker)
    if name and name.split()[-1].lower() not in claim.lower():
        # in reported speech a subject "he"/"she" is the speaker ("Clinton told investigators that
        # she had advised Powell"): say so, so that who-did-what is checked against the source
        claim = re.sub(r"\b(?:he|she)\b(?=\s+(?:had|has|have|was|is|would|will|could|did|[a-z]+ed)\b)", name, claim,
                       count=1)
    j = judge_claim(claim, claim_index(index), article_date=article_date)
    if name and name.split()[-1].lower() not in claim.lower() and j.reason is not Reason.NOT_FOUND:
        spoken = speaker_at(doc.text, index.derived, j.start, j.end, quotes_only=False)
        if (spoken is None or spoken.name is None) and not _neutral_cue(a):
            # "Clinton has called for …": the cue is the claim's own predicate, and the person is
            # the one the passage must be about
            j = judge_claim(f"{name} {claim}", claim_index(index), article_date=article_date)
    where = source_name(doc)
    score = round(100 * j.coverage, 1)
    if j.reason is Reason.NOT_FOUND:
        ev = _evidence(doc, j.start, j.end) if j.coverage >= 0.3 else None
        missing = f" Not in it: {', '.join(j.missing[:8])}." if j.missing else ""
        return Assessment(
            Reason.NOT_FOUND, score,
            f"No passage in {where} carries this claim: the best passage accounts for {score:.0f}% of its"
            f" content.{missing}", ev, j.differences,
        )
    ev = _evidence(doc, j.start, j.end)
    diffs = list(j.differences)
    notes = list(j.notes)
    reason = j.reason
    told_by = speaker_at(doc.text, index.derived, j.start, j.end, quotes_only=False)
    unnamed = _teller_not_in(a, claim, doc.text, told_by)
    unnamed += [n for aside in asides for n in _aside_facts_not_in(aside, doc.text[j.start:j.end], told_by)]
    if unnamed:
        # "according to data from Copernicus", "a CBS poll found": no one to check as a speaker, but
        # the names in the teller are part of what the claim asserts, and a source that never
        # names them does not say it ("according to data from Spain")
        notes.insert(0, f"the source never names {', '.join(repr(n) for n in unnamed)}, which the claim gives as"
                        " where this comes from")
        diffs.insert(0, Difference(" ".join(unnamed), "", "speaker"))
        if reason in (Reason.SUPPORTED, Reason.PARAPHRASE):
            reason = Reason.ENTITY_DIFFERS
    missing_frags = []
    for frag in a.fragments:
        fm = match_quote(frag, index)
        if not (fm.exact and fm.found):
            missing_frags.append(frag)
            close = _words(doc.text, [t for d in fm.diffs for t in d.source]) if fm.found else ""
            diffs.append(Difference(frag, close, "fragment"))
    if missing_frags:
        notes.insert(0, "the quoted words " + ", ".join(f"“{f}”" for f in missing_frags) + f" are not in {where} verbatim")
        invented = [f for f in missing_frags if len(f.split()) >= 6
                    and match_quote(f, index).score < th.quote_partial_min]
        if invented:
            # a quotation of six words or more with nothing close in the source was never said there
            return Assessment(
                Reason.NOT_FOUND, score,
                f"The quoted words “{invented[0]}” are not in {where}: nothing close to them (as for"
                " a quote below half its words in place).", ev, diffs,
            )
        if reason in (Reason.SUPPORTED, Reason.PARAPHRASE, Reason.PARTLY_SUPPORTED):
            reason = Reason.FRAGMENT_MISSING
    if reason is Reason.PARAPHRASE:
        swap = _one_word_changed(claim, index)
        if swap:
            # the claim is the source's sentence word for word but for one word: not a paraphrase
            # but a changed fact ("debated" for "passed", "arrested" for "questioned")
            reason = Reason.WORDING_DIFFERS
            notes.insert(0, f"the passage has the same sentence with '{swap[1]}' where the claim has '{swap[0]}'")
            diffs.insert(0, Difference(swap[0], swap[1], "wording"))
    if reason is Reason.SUPPORTED:
        return Assessment(
            Reason.SUPPORTED, score,
            f"Supported by a passage in {where}: every content word of the claim is there (or an inflection,"
            " a WordNet synonym or an equal number form), and its numbers, dates, negation, modality and"
            " who-did-what agree.", ev,
        )
    lead = {
        Reason.PARAPHRASE: f"The passage in {where} says this in other words; these words differ: ",
        Reason.PARTLY_SUPPORTED: f"Passage in {where} carries only part of the claim: ",
    }.get(reason, f"Passage in {where} matches in part: ")
    return Assessment(reason, score, lead + "; ".join(notes) + ".", ev, diffs)
