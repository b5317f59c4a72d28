"""Verbs of more than one word. Phrasal verbs: a verb and its particle are one verb ("went up" is
{rise, go_up, climb}), so the particle is part of what must be accounted for: "went up" is not
"went down", "went around the port" is not "moved through the port", though each pair shares its
bare verb. Light verbs: "made a decision" says "decided", so the action noun is accounted for with
its verb."""

from __future__ import annotations

from verifier import lexicon
from verifier.match.claims.index import (
    ClaimIndex,
    event_keys,
    eventive_noun,
    phrasal_keys,
    verb_use,
    word_key_forms,
)
from verifier.match.claims.locate import _pairs
from verifier.match.claims.shape import _Found
from verifier.match.elements import CONTENT, Analysed, ClaimShape
from verifier.match.normalize import WORD
from verifier.models import Difference, Reason


def _phrasal_particle(a: Analysed, k: int) -> str | None:
    """The particle right after the verb at k when WordNet lists the two as one verb ("passed
    through" -> "through"); None for a preposition that only heads a phrase ("rose by 3 percent")."""
    if k + 1 >= len(a.tokens) or a.breaks[k + 1] or a.tokens[k + 1].kind != WORD:
        return None
    if lexicon.phrasal_senses(word_key_forms(a.tokens[k].norm), a.words[k + 1]).pos:
        return a.words[k + 1]
    return None


def _particles(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
               problems: list) -> None:
    """A claim verb and the source verb it stands for, each with a phrasal particle, are the same
    phrasal verb or share a main sense: "passed through" = "moved through"; "went up" is not "went
    down", "went around the port" is not "moved through it". A particle on one side only is left
    alone: after a verb it is as often a preposition ("held in detention", "passed by the Senate"),
    and the bare verb's own senses already had to match."""
    a = sh.analysed
    sa = ix.analysed
    for f, ps in _pairs(found, main, ix, sh):
        e = f.element
        if e.cls != CONTENT or not verb_use(a, e.index) or not ps:
            continue
        p = ps[0]
        c_part = _phrasal_particle(a, e.index)
        s_part = _phrasal_particle(sa, p) if verb_use(sa, p) else None
        if not (c_part and s_part) or c_part == s_part:
            continue
        if phrasal_keys(a, e.index, source=False) & phrasal_keys(sa, p, source=True):
            continue  # two phrasal verbs with a main sense in common
        claim_words = a.text[a.tokens[e.index].start : a.tokens[e.index + 1].end]
        source_words = ix.text[ix.tokens[p].start : ix.tokens[p + 1].end]
        opposite = lexicon.antonyms(c_part, s_part)
        reason = Reason.NEGATION_DIFFERS if opposite else Reason.WORDING_DIFFERS
        f.status = "substituted"
        f.counterpart = source_words
        f.reason = reason
        note = (f"the source says the opposite: article '{claim_words}' vs source '{source_words}'" if opposite
                else f"article '{claim_words}' vs source '{source_words}'")
        problems.append((reason, note, Difference(claim_words, source_words, "negation" if opposite else "wording")))


def _eventive_nouns(sh: ClaimShape, found: dict[int, _Found], ix: ClaimIndex) -> None:
    """"made a decision" against "decided": the light verb found the verb through its noun, and
    the noun is accounted for there too. Only when the source word carries what the noun says
    (the same derived verb): "made a decision" is not "made a change"."""
    a = sh.analysed
    for e in sh.elements:
        f = found[e.index]
        if f.status != "strong" or not f.positions:
            continue
        n = eventive_noun(a, e.index)
        if n is None or n not in found or found[n].status in ("strong", "context"):
            continue
        p = f.positions[0]
        if event_keys(a, e.index, source=False) & ix.token_keys[p]:
            found[n].status = "strong"
            found[n].positions = [p]


def _opposite_words(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
                    problems: list) -> None:
    """A claim word accounted for by a source word WordNet gives as its opposite is not accounted
    for: "keeping down" matched "breaking down" through one of the many senses of "break", but
    keep/break are antonyms. A shared sense never outweighs an antonym pair."""
    a = sh.analysed
    for f, ps in _pairs(found, main, ix, sh):
        e = f.element
        if e.cls != CONTENT or not ps or f.status != "strong":
            continue
        c_word = word_key_forms(a.tokens[e.index].norm)
        s_word = word_key_forms(ix.tokens[ps[0]].norm)
        if lexicon.same_lemma(c_word, s_word) or not lexicon.antonyms(c_word, s_word):
            continue
        claim_words = a.text[a.tokens[e.index].start : a.tokens[e.index].end]
        source_words = ix.text[ix.tokens[ps[0]].start : ix.tokens[ps[0]].end]
        f.status = "substituted"
        f.counterpart = source_words
        f.reason = Reason.NEGATION_DIFFERS
        problems.append((Reason.NEGATION_DIFFERS,
                         f"the source says the opposite: article '{claim_words}' vs source '{source_words}'",
                         Difference(claim_words, source_words, "negation")))
