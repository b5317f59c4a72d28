"""The source side of the claim judge: each token's keys (lemma, WordNet senses, hypernyms, stems,
acronyms) and the sentence/paragraph geometry the other parts read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from verifier import lexicon
from verifier.match.elements import (
    Analysed,
    ClaimShape,
    analyse,
    capitalised_words,
    grammatical_words,
    is_predicate,
    titles,
)
from verifier.match.normalize import NEGATIONS, NUMBER, UNIT, WORD, Token, stem

# A claim with less than this share of its content in the best passage is about something else.



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
        if not grammatical:
            keys.update(phrasal_keys(a, k, source=True))
            keys.update(event_keys(a, k, source=True))
        if not lexicon.in_wordnet(w) and len(lexicon.lemmas(w)) == 1:
            keys.add("St:" + stem(w))
        keys.update(capitalised_run_keys.get(k, ()))
    else:
        keys.add("O:" + t.norm)
    return frozenset(keys)


_NOUN_SIGNALS = frozenset("a an the his her its their our my your this these those".split())


def verb_use(a: Analysed, k: int) -> bool:
    """Whether the word at k is used as a verb: `is_predicate`, or an inflected verb form not
    after an article or a possessive ("messages that passed through", not "the rose garden" or
    "Boulter's win over Parry")."""
    if is_predicate(a, k):
        return True
    if not lexicon.inflected_verb(a.words[k]):
        return False
    if k == 0 or a.breaks[k]:
        return True
    prev = a.text[a.tokens[k - 1].start : a.tokens[k - 1].end].lower().replace("’", "'")
    return a.words[k - 1] not in _NOUN_SIGNALS and not prev.endswith("'s")


_EVENT_DETERMINERS = frozenset("a an the his her its their our my your".split())


def eventive_noun(a: Analysed, k: int) -> int | None:
    """The action noun a light verb at k takes as its object ("make decisions", "took the
    decision", "gave its approval"): the index of a noun WordNet derives from a verb, right after
    the light verb or after one article or possessive. None for anything else: "made no decision"
    (a negative determiner), "made a final decision" (a modifier the judge would have to compare)."""
    if a.tokens[k].kind != WORD or not (lexicon.lemmas(a.words[k]) & lexicon.semantics().light_verbs):
        return None
    if k > 0 and not a.breaks[k] and a.words[k - 1] in _NOUN_SIGNALS:
        return None  # "the make of the car": a noun (an action noun after it shows the verb)
    j = k + 1
    if j < len(a.tokens) and not a.breaks[j] and a.words[j] in _EVENT_DETERMINERS:
        j += 1
    if j >= len(a.tokens) or a.breaks[j] or a.tokens[j].kind != WORD:
        return None
    if a.text[a.tokens[j].start].isupper() or not lexicon.event_verbs(word_key_forms(a.tokens[j].norm)):
        return None
    return j


def event_keys(a: Analysed, k: int, *, source: bool) -> set[str]:
    """Keys that let a light verb and its action noun meet a plain verb: "make decisions" is
    "decide". A light-verb construction carries the noun's verb (V: on the claim side, W: on the
    source side) and a plain verb its own verb senses (V: all senses on the source side, W: main
    senses on the claim side), so only a construction and a plain verb meet: never two
    constructions ("gave control" and "took control" share the noun, not the meaning), and never a
    noun ("control")."""
    n = eventive_noun(a, k)
    if n is not None:
        return {("W:" if source else "V:") + v for v in lexicon.event_verbs(word_key_forms(a.tokens[n].norm))}
    if not verb_use(a, k):
        return set()
    own = lexicon.verb_senses(word_key_forms(a.tokens[k].norm), main_only=not source)
    return {("V:" if source else "W:") + x for x in own}


def phrasal_keys(a: Analysed, k: int, *, source: bool) -> set[str]:
    """Keys of the phrasal verb a verb makes with the particle right after it ("passed through" is
    pass_through, "moved through" move_through: both {transit, pass_through, move_through}). Only
    the phrase's main senses count ("went up" is not "burned up"), and they meet only verbs: the
    other side's phrasal verb (P:), or its plain verb (a claim's phrase against a source verb's
    senses, V:; a claim verb's main senses against a source's phrase, W:; see `event_keys`). Not
    a noun: "keeping down" ({number, keep_down}) is not "a number of"."""
    if k + 1 >= len(a.tokens) or a.breaks[k + 1] or a.tokens[k + 1].kind != WORD:
        return set()
    if not verb_use(a, k):
        return set()  # "Boulter's win over Parry" is a noun and a preposition, not win_over
    ph = lexicon.phrasal_senses(word_key_forms(a.tokens[k].norm), a.words[k + 1])
    if not ph.pos:
        return set()
    return {"P:" + x for x in ph.top} | {("W:" if source else "V:") + x for x in ph.top}


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


def _slot(lp: int | None, rp: int | None, s0: int, s1: int) -> tuple[int, int]:
    """Source token range between two anchors (or a few tokens beside the one there is)."""
    lo = lp + 1 if lp is not None else max(s0, (rp if rp is not None else s1) - 5)
    hi = rp if rp is not None and (lp is None or rp > lp) else min(s1, (lp if lp is not None else s0) + 6)
    return lo, hi


def _after_preposition(a: Analysed, k: int) -> bool:
    """Whether the name at k is inside a prepositional phrase ("in Puerto Rico", "of the Senate")."""
    j = k - 1
    while j >= 0 and not a.breaks[j + 1] and (a.words[j] in ("the", "a", "an") or a.words[j] in titles()
                                               or (a.tokens[j].kind == WORD and a.text[a.tokens[j].start].isupper())):
        j -= 1
    return j >= 0 and not a.breaks[j + 1] and a.words[j] in _PREP


def _first_in(positions: list[int], s0: int, s1: int) -> int | None:
    return next((p for p in positions if s0 <= p < s1), None)


def _unit_word(ix: ClaimIndex, p: int) -> bool:
    """"percent", "points": a word that belongs to the number before it."""
    return p > 0 and ix.tokens[p - 1].kind in (NUMBER, UNIT) and ix.analysed.words[p] in (
        "percent", "points", "point", "percentage", "cent")


def _contentful(ix: ClaimIndex, p: int) -> bool:
    """A source token that says something of its own (not a function word, a title, a function
    adverb such as "now" or "still", a marker word or a unit)."""
    from verifier.match.elements import _transparent, function_words

    t = ix.tokens[p]
    if t.kind == NUMBER:
        return True
    if t.kind != WORD:
        return False
    w = ix.analysed.words[p]
    sem = lexicon.semantics()
    return not (w in function_words() or w in titles() or w in _transparent() or w in sem.modality
                or w in sem.negators or w in sem.quantifiers or w in sem.approximators or _unit_word(ix, p))


def _contentful_claim(a: Analysed, k: int) -> bool:
    from verifier.match.elements import _transparent, function_words

    w = a.words[k]
    return a.tokens[k].kind != UNIT and w not in function_words() and w not in _transparent() and w not in NEGATIONS


def _commitment(classes: frozenset[str]) -> str:
    if not classes:
        return "a plain statement"
    names = {"future": "'will'", "possible": "'may'", "probable": "'likely'", "apparent": "'appears'",
             "intended": "an intention", "decided": "a decision"}
    return " and ".join(names.get(c, c) for c in sorted(classes))


def _window_tokens(main: dict[int, tuple[int, int]], ix: ClaimIndex) -> tuple[int, int]:
    first = min(span[0] for span in main.values())
    lo = min(_context(first, ix).start, first)
    hi = max(span[1] for span in main.values())
    return ix.sentences[lo][0], ix.sentences[hi][1]


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


_SUBJECT_PRONOUNS = frozenset("i we you he she it they".split())


_BE = frozenset("be is are was were been being 's".split())


_PREP = frozenset("to in at on for from with into onto over under of about against between among across".split())


def _span_text(ix: ClaimIndex, p: int, reach: int = 6) -> str:
    s0, s1 = ix.sentences[ix.sentence_of[p]]
    lo, hi = max(s0, p - 1), min(s1, p + reach)
    return ix.text[ix.tokens[lo].start : ix.tokens[hi - 1].end]


def _function_words() -> frozenset[str]:
    from verifier.match.elements import function_words

    return function_words()


def _sentence_start(ix: ClaimIndex, p: int) -> bool:
    s = ix.sentence_of[p]
    return ix.sentences[s][0] == p
