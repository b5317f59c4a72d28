"""Locate a quote or a claim in a source text.

Quotes: a word-level alignment (edit distance over canonical tokens, free start and end in the
source) run only on the few source windows where the quote's words line up (offset voting over a
token index), so every changed, added or dropped word is known by position. Editorial brackets are
free to drop or stand in for a word; ellipses split the quote into parts found in order.

Claims: the sentence window (one to three neighbouring sentences) that covers most of the claim's
content words (stemmed), then checks that every number, negation and quoted fragment agrees.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .normalize import (
    GAP,
    NEGATIONS,
    NUMBER,
    ORDINAL,
    STOPWORDS,
    UNIT,
    WORD,
    Token,
    content_stem,
    content_stems,
    tokenize,
)


@dataclass
class SourceIndex:
    """A source text tokenised once, with lookups the matcher needs. Build with `index_text`."""

    text: str
    tokens: list[Token]
    positions: dict[str, list[int]]  # norm -> token indexes
    sentences: list[tuple[int, int]]  # token index ranges [start, end)
    sentence_stems: list[list[str]]
    stem_sentences: dict[str, set[int]]
    sentence_paragraph: list[int]
    derived: dict[str, object] = field(default_factory=dict)  # per-document indexes other stages build lazily


@dataclass
class DiffOp:
    article: list[Token]
    source: list[Token]
    editorial: str = ""  # set when an editorial bracket or ellipsis hid this change: why it may not


@dataclass
class QuoteMatch:
    score: float  # 0..100: share of the quote's words found in place
    start: int  # character offsets of the aligned passage in the source text
    end: int
    diffs: list[DiffOp] = field(default_factory=list)
    normalised: bool = False  # equal only after normalisation or editorial marks
    exact: bool = False  # no differences at all
    hidden: list[tuple[str, str]] = field(default_factory=list)  # (article, source) an editorial mark stood for

    @property
    def found(self) -> bool:
        return self.score > 0


@dataclass
class ClaimMatch:
    coverage: float  # 0..1 share of the claim's content words present in the passage
    start: int
    end: int
    missing: list[str] = field(default_factory=list)  # claim words not in the passage (surface)
    number_diffs: list[tuple[str, str]] = field(default_factory=list)
    negation_diffs: list[tuple[str, str]] = field(default_factory=list)
    antonym_diffs: list[tuple[str, str]] = field(default_factory=list)
    weak_clauses: list[str] = field(default_factory=list)
    best_clause: float = 0.0  # coverage of the best-supported clause, when the claim has several


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)]*\s+(?=[\"'“‘«(]?[A-Z0-9])|(?:(?<=\.\.\.)|(?<=…))(?=[A-Z])|\n+")


@lru_cache(maxsize=1)
def _abbreviation_end() -> re.Pattern[str]:
    """A full stop that ends an abbreviation, not a sentence: a title ("Sen.", "Gov.", from the
    titles in data/semantics.toml), a middle initial ("Harry M. Reid"), "No.", "U.S.", "e.g."."""
    from .claim_elements import titles

    words = sorted({t.capitalize() for t in titles()} | {"No", "vs", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec"})
    return re.compile(r"(?:\b(?:" + "|".join(map(re.escape, words)) + r")|\b[A-Z]|U\.S|U\.K|e\.g|i\.e)\.$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of sentences (newlines always end one)."""
    spans = []
    start = 0
    abbreviation = _abbreviation_end()
    for m in _SENTENCE_END.finditer(text):
        prev = text[max(0, m.start() - 6) : m.start()]
        if abbreviation.search(prev):
            continue
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


# In a source, the cue between two parts of one speaker's quotation (“…,” she said. “…”) may be
# dropped by copy that quotes both parts as one; its words are free to skip when aligning a quote.
_INTERJECTION = re.compile(
    r"[”\"’»]\s*(?P<mid>[^“”\"«»\n]{1,100}?)\s*[“\"‘«]"
)
_INTERJECTION_VERB = re.compile(r"\b(?:said|says|added|adds|told|continued|explained|insisted|warned|according)\b")


def _free_interjections(text: str, tokens: list[Token]) -> list[Token]:
    spans = [
        (m.start("mid"), m.end("mid"))
        for m in _INTERJECTION.finditer(text)
        if _INTERJECTION_VERB.search(m.group("mid"))
    ]
    if not spans:
        return tokens
    out = []
    k = 0
    for t in tokens:
        while k < len(spans) and spans[k][1] <= t.start:
            k += 1
        if k < len(spans) and spans[k][0] <= t.start < spans[k][1]:
            t = replace(t, optional=True)
        out.append(t)
    return out


def index_text(text: str) -> SourceIndex:
    tokens = _free_interjections(text, tokenize(text))
    positions: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(tokens):
        positions[t.norm].append(i)
    sents: list[tuple[int, int]] = []
    paragraph_of: list[int] = []
    para_breaks = [m.start() for m in re.finditer(r"\n\s*\n", text)]
    ti = 0
    for s, e in sentence_spans(text):
        first = ti
        while ti < len(tokens) and tokens[ti].start < e:
            ti += 1
        if ti > first:
            sents.append((first, ti))
            paragraph_of.append(sum(1 for b in para_breaks if b < s))
    sent_stems = [content_stems(tokens[a:b]) for a, b in sents]
    stem_sents: dict[str, set[int]] = defaultdict(set)
    for si, stems in enumerate(sent_stems):
        for st in stems:
            stem_sents[st].add(si)
    return SourceIndex(text, tokens, dict(positions), sents, sent_stems, dict(stem_sents), paragraph_of)


# --------------------------------------------------------------------------------------------- quotes

_ALIGN_SLACK = 8


def _segments(tokens: list[Token]) -> list[list[Token]]:
    """Split a quote at ellipses: each part must be found, in order."""
    parts: list[list[Token]] = [[]]
    for t in tokens:
        if t.kind == GAP:
            if parts[-1]:
                parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if p]


def _candidate_starts(seg: list[Token], index: SourceIndex, min_pos: int, limit: int = 4) -> list[int]:
    """Source token positions where the segment probably starts (offset voting on shared words)."""
    votes: Counter[int] = Counter()
    for ai, t in enumerate(seg):
        pos = index.positions.get(t.norm)
        if not pos or len(pos) > 200:  # very common words carry no position information
            continue
        weight = 0.3 if len(t.norm) <= 3 else 1.0
        for p in pos:
            if p >= min_pos:
                votes[p - ai] += weight
    if not votes:
        return []
    # merge neighbouring offsets (an inserted or dropped word shifts the diagonal by one)
    merged: Counter[int] = Counter()
    for off, v in votes.items():
        merged[off] += v
        merged[off - 1] += v * 0.5
        merged[off + 1] += v * 0.5
    best = [off for off, _ in merged.most_common(limit * 3)]
    out: list[int] = []
    for off in best:
        if all(abs(off - o) > 2 for o in out):
            out.append(off)
        if len(out) >= limit:
            break
    return out


_BAND = 24  # how far (in words) an alignment may drift from its diagonal: insertions minus deletions


def _exact_at(seg: list[Token], index: SourceIndex, offset: int) -> tuple[float, int, int, list] | None:
    """The alignment when the segment is the source's words exactly at (or next to) the voted
    offset: linear, for the common verbatim case and for very long quotes. The full alignment would
    pair the same words at no cost. None otherwise: any difference goes through the full alignment."""
    n = len(seg)
    toks = index.tokens
    for start in (offset, offset - 1, offset + 1, offset - 2, offset + 2):
        if start < 0 or start + n > len(toks):
            continue
        if all(seg[i].norm == toks[start + i].norm for i in range(n)):
            return 0.0, start, start + n, [("equal", list(seg), list(toks[start : start + n]))]
    return None


def _align(seg: list[Token], index: SourceIndex, offset: int) -> tuple[float, int, int, list]:
    """Semi-global word alignment of one segment to the source window around `offset`.

    Every article word must be accounted for; source words before and after the passage are free.
    Costs: a changed, added or dropped word costs 1; words in editorial brackets cost nothing to
    drop, and a bracketed article word may stand in for a source word (judged afterwards by
    `_editorial_ops`). Returns (cost, source token start, source token end, ops).

    The alignment is banded: it keeps within `_BAND` words of the diagonal the offset vote found,
    so time and memory are linear in the quote's length (a 10,000-word quote against a
    20,000-word source costs a band of 49 cells per word, not a 10,000 x 10,000 table).
    """
    n = len(seg)
    exact = _exact_at(seg, index, offset)
    if exact is not None:
        return exact
    lo = max(0, offset - _ALIGN_SLACK)
    hi = min(len(index.tokens), offset + n + _ALIGN_SLACK)
    window = index.tokens[lo:hi]
    w = len(window)
    if not w:
        return float(n), lo, lo, []
    inf = float("inf")
    width = 2 * _BAND + 1
    centre = offset - lo  # the window column where the segment's first word is expected
    base = centre - _BAND  # column of band cell 0 in row 0; row i is shifted right by i
    # back[i * width + b]: 1 diag, 2 up (article word dropped), 3 left (source word skipped)
    back = bytearray((n + 1) * width)
    prev = [0.0 if 0 <= base + b <= w else inf for b in range(width)]  # free start anywhere in the band
    for i in range(1, n + 1):
        a = seg[i - 1]
        del_cost = 0.0 if a.optional else 1.0
        row = [inf] * width
        off = i * width
        shift = base + i
        for b in range(width):
            j = shift + b
            if j < 0 or j > w:
                continue
            best = inf
            move = 0
            if j > 0 and prev[b] < inf:  # diagonal: (i-1, j-1) is band cell b of the row above
                c = window[j - 1]
                # a bracketed word standing in for another costs a hair more than leaving it out, so
                # a bracket pairs with a source word only where the source has one to replace
                diag = prev[b] + (0.0 if a.norm == c.norm else 0.01 if a.optional else 1.0)
                best, move = diag, 1
            if b + 1 < width and prev[b + 1] + del_cost < best:  # up: (i-1, j)
                best, move = prev[b + 1] + del_cost, 2
            if b > 0 and j > 0 and row[b - 1] + (0.0 if window[j - 1].optional else 1.0) < best:  # left
                best, move = row[b - 1] + (0.0 if window[j - 1].optional else 1.0), 3
            row[b] = best
            back[off + b] = move
        prev = row
    # on a tie prefer the later end: a changed last word reads as a substitution, not a drop
    end_b = min(range(width), key=lambda b: (prev[b], -b))
    cost = prev[end_b]
    if cost == inf:
        return float(n), lo, lo, []
    steps = []
    i, b = n, end_b
    while i > 0:
        move = back[i * width + b]
        j = base + i + b
        if move == 1:
            steps.append(("pair", seg[i - 1], window[j - 1]))
            i -= 1
        elif move == 2:
            steps.append(("art", seg[i - 1], None))
            i -= 1
            b += 1
        else:
            steps.append(("src", None, window[j - 1]))
            b -= 1
    steps.reverse()
    start = base + b  # row 0 column where the path begins
    end = base + n + end_b
    # group into equal / editorial / diff runs
    ops: list[tuple[str, list[Token], list[Token]]] = []
    for kind, a, c in steps:
        if kind == "pair" and a.norm == c.norm:
            ops.append(("equal", [a], [c]))
            continue
        editorial = (kind == "pair" and a.optional) or (kind == "art" and a.optional) or (
            kind == "src" and c.optional
        )
        tag = "editorial" if editorial else "diff"
        arts = [a] if a is not None else []
        srcs = [c] if c is not None else []
        if ops and ops[-1][0] == tag and tag == "diff":
            ops[-1][1].extend(arts)
            ops[-1][2].extend(srcs)
        else:
            ops.append((tag, arts, srcs))
    # free source words at either end (a skipped cue after the quote) are not part of the passage
    while ops and ops[-1][0] == "editorial" and not ops[-1][1]:
        end -= len(ops.pop()[2])
    while ops and ops[0][0] == "editorial" and not ops[0][1]:
        start += len(ops.pop(0)[2])
    return cost, lo + start, lo + end, ops


_REFERRING = frozenset("he she it they him her them his hers its their theirs this that these those we us our i me my "
                       "you your there here who which".split())


def _editorial_verdict(art: list[Token], src: list[Token], art_text: str = "", src_text: str = "") -> str:
    """Whether an editorial bracket may stand where it stands: "" when it may, else why not.

    A bracket may stand in for a compatible reference (a name for "he", a clarifying noun for
    "it"), change a tense (same lemma) or add a clarifying word. It may never bring in or take out
    a negation or a number, put an opposite in place of a word, or put one name in place of another.
    """
    from . import lexicon

    words = art + src
    if any(t.norm in NEGATIONS for t in words):
        return "an editorial mark may not add or remove a negation"
    if any(t.kind in (NUMBER, ORDINAL, UNIT) for t in words):
        return "an editorial mark may not change a number"
    if not src:
        return ""  # a clarifying word inserted
    if not art:
        return ""
    a_words = [t.norm for t in art]
    s_words = [t.norm for t in src]
    if all(w in _REFERRING for w in s_words) or all(w in _REFERRING for w in a_words):
        return ""  # "[Mr Smith]" for "he", "[the plan]" for "it", "[he]" for "Smith"
    for x in a_words:
        for y in s_words:
            if lexicon.antonyms(x, y):
                return "an editorial mark may not put an opposite in place of a word"
    if any(lexicon.same_lemma(x, y) or lexicon.synonyms(x, y) for x in a_words for y in s_words):
        return ""  # "[is]" for "was", a synonym that clarifies
    a_caps = any(art_text[t.start : t.start + 1].isupper() for t in art)
    s_caps = any(src_text[t.start : t.start + 1].isupper() and t.norm not in _REFERRING for t in src)
    if a_caps and s_caps and not _same_name(art, src, art_text, src_text):
        return "an editorial mark may not put one name in place of another"
    return "an editorial mark may only stand in for a reference, a tense or a clarifying word"


def _same_name(art: list[Token], src: list[Token], art_text: str, src_text: str) -> bool:
    """"[The EU]" for "The European Union": an acronym in the bracket whose letters start the
    capitalised words around the source word."""
    acronyms = [art_text[t.start : t.end] for t in art if art_text[t.start : t.end].isupper() and t.end - t.start > 1]
    if not acronyms or not src:
        return False
    around = src_text[max(0, src[0].start - 60) : src[-1].end + 20]
    caps = [w for w in re.findall(r"[A-Z][\w'’-]*", around) if w not in ("The", "A", "An")]
    initials = "".join(w[0] for w in caps)
    return any(a in initials for a in acronyms)


def _ellipsis_verdict(index: SourceIndex, gap_start: int, gap_end: int) -> str:
    """What an ellipsis dropped (source tokens [gap_start, gap_end)) may not include."""
    from .lexicon import semantics

    dropped = index.tokens[gap_start:gap_end]
    if any(t.norm in NEGATIONS for t in dropped):
        return "the ellipsis drops a negation"
    sem = semantics()
    if any(t.norm in sem.modality and sem.modality[t.norm] != "fact" for t in dropped):
        return "the ellipsis drops a hedge"
    if dropped and dropped[0].kind == UNIT:
        return "the ellipsis drops a number's unit"
    if len(dropped) > 60:
        return "the ellipsis joins words too far apart to be one statement"
    # joining two sentences is fine only when the first part ends where its sentence ends
    ends = [e for _, e in index.sentences]
    starts = {a for a, _ in index.sentences}
    if any(gap_start < e < gap_end for e in ends) and gap_start not in starts and gap_start not in ends:
        return "the ellipsis splices two sentences into a statement neither makes"
    return ""


def match_quote(quote: str, index: SourceIndex) -> QuoteMatch:
    """Best alignment of `quote` in the indexed source. score 0 means nothing close.

    Editorial marks are edits the article owns up to: a bracket may stand in for a compatible
    word and an ellipsis may drop words, but neither may hide a change of meaning (a negation, a
    number, an opposite, another name, a hedge, two sentences spliced into one). A mark that does
    becomes a difference with its reason; what the allowed marks stood for is in `hidden`."""
    qtokens = tokenize(quote, editorial_parens=True)
    segments = _segments(qtokens)
    required = sum(1 for t in qtokens if t.kind != GAP and not t.optional)
    if not segments or required == 0:
        return QuoteMatch(0.0, 0, 0)
    total_cost = 0.0
    start_char: int | None = None
    end_char = 0
    diffs: list[DiffOp] = []
    hidden: list[tuple[str, str]] = []
    normalised = any(t.optional for t in qtokens) or len(segments) > 1
    prev_end: int | None = None
    chosen = _place_segments(segments, index)
    for seg, best in zip(segments, chosen, strict=True):
        seg_required = sum(1 for t in seg if not t.optional)
        if best is None or best[0] >= seg_required:
            total_cost += seg_required
            diffs.append(DiffOp([t for t in seg if not t.optional], []))
            continue
        cost, s, e, ops = best
        edge = _bracket_at_edge(seg, index, s, e, quote)
        if edge is not None:
            diffs.append(edge)
            total_cost += 1
        if prev_end is not None and s > prev_end:
            why = _ellipsis_verdict(index, prev_end, s)
            if why:
                diffs.append(DiffOp([], list(index.tokens[prev_end:s]), why))
                total_cost += 1
            else:
                hidden.append(("…", _surface(index, prev_end, s)))
        total_cost += cost
        prev_end = e
        if start_char is None:
            start_char = index.tokens[s].start
        end_char = index.tokens[e - 1].end if e > s else end_char
        for tag, art, src in ops:
            if tag == "diff":
                diffs.append(DiffOp(list(art), list(src)))
            elif tag == "editorial":
                normalised = True
                why = _editorial_verdict([t for t in art if t.optional], list(src), quote, index.text)
                if why:
                    diffs.append(DiffOp([t for t in art if t.optional], list(src), why))
                    total_cost += 1
                elif art and src:
                    hidden.append((" ".join(t.surface for t in art), " ".join(t.surface for t in src)))
            elif any(x.surface != y.surface for x, y in zip(art, src, strict=False)):
                normalised = True
    score = max(0.0, 100.0 * (1 - total_cost / required))
    if start_char is None:
        return QuoteMatch(0.0, 0, 0, diffs)
    return QuoteMatch(
        score, start_char, end_char, diffs, normalised=normalised and not diffs, exact=not diffs, hidden=hidden
    )


def _place_segments(segments: list[list[Token]], index: SourceIndex) -> list[tuple[float, int, int, list] | None]:
    """Where each part of a quote split by ellipses is in the source, in order. The longest part
    is placed first (it is the least ambiguous); the parts before and after it take the best
    alignment on their side of it, nearest to it on a tie ("The Post Office … knew" takes the
    "Post Office" of the same sentence, not one a paragraph earlier)."""
    options: list[list[tuple[float, int, int, list]]] = []
    for seg in segments:
        starts = _candidate_starts(seg, index, 0, limit=6)
        # a part found word for word needs no alignment elsewhere (nothing can cost less), unless
        # it is short enough to occur more than once
        exact = [x for x in (_exact_at(seg, index, off) for off in starts) if x is not None]
        if exact and len(seg) >= 12:
            options.append(exact)
            continue
        cands = [_align(seg, index, off) for off in starts]
        options.append(sorted(cands, key=lambda c: c[0]))
    chosen: list[tuple[float, int, int, list] | None] = [None] * len(segments)
    if not segments:
        return chosen
    anchor = max(range(len(segments)), key=lambda k: sum(1 for t in segments[k] if not t.optional))
    chosen[anchor] = options[anchor][0] if options[anchor] else None
    lo_bound = chosen[anchor][1] if chosen[anchor] else len(index.tokens)
    for k in range(anchor - 1, -1, -1):  # leftwards: end before the next part, nearest to it
        fits = [c for c in options[k] if c[2] <= lo_bound]
        chosen[k] = min(fits, key=lambda c: (c[0], lo_bound - c[2])) if fits else None
        if chosen[k]:
            lo_bound = chosen[k][1]
    hi_bound = chosen[anchor][2] if chosen[anchor] else 0
    for k in range(anchor + 1, len(segments)):  # rightwards: start after the previous part
        fits = [c for c in options[k] if c[1] >= hi_bound]
        chosen[k] = min(fits, key=lambda c: (c[0], c[1] - hi_bound)) if fits else None
        if chosen[k]:
            hi_bound = chosen[k][2]
    return chosen


def _bracket_at_edge(seg: list[Token], index: SourceIndex, s: int, e: int, quote: str) -> DiffOp | None:
    """A bracket opening or closing a quote ("[Smith] was clear") replaces the source word next to
    the aligned words, if there is one in that sentence: it must be compatible with it too."""
    for opt, nb in ((_leading_optional(seg), s - 1), (_leading_optional(seg[::-1])[::-1], e)):
        if not opt or not (0 <= nb < len(index.tokens)):
            continue
        if any(index.sentences[k][0] <= nb < index.sentences[k][1] and index.sentences[k][0] <= (s if nb < s else e - 1)
               < index.sentences[k][1] for k in range(len(index.sentences))):
            neighbour = index.tokens[nb]
            if neighbour.kind != WORD:
                continue
            why = _editorial_verdict(opt, [neighbour], quote, index.text)
            if why and "only stand in" not in why:
                return DiffOp(list(opt), [neighbour], why)
    return None


def _leading_optional(seg: list[Token]) -> list[Token]:
    out = []
    for t in seg:
        if not t.optional:
            break
        out.append(t)
    return out


def _surface(index: SourceIndex, a: int, b: int) -> str:
    if b <= a:
        return ""
    return index.text[index.tokens[a].start : index.tokens[b - 1].end]


# --------------------------------------------------------------------------------------------- claims

_ANTONYMS = [
    ("increase", "decrease"), ("increase", "cut"), ("rise", "fall"), ("rose", "fell"), ("raise", "cut"),
    ("raise", "lower"), ("higher", "lower"), ("more", "less"), ("more", "fewer"), ("up", "down"),
    ("gain", "loss"), ("win", "lose"), ("won", "lost"), ("approve", "reject"), ("accept", "reject"),
    ("support", "oppose"), ("guilty", "innocent"), ("before", "after"), ("above", "below"),
    ("majority", "minority"), ("buy", "sell"), ("open", "close"), ("allow", "ban"), ("allow", "forbid"),
    ("include", "exclude"), ("start", "end"), ("maximum", "minimum"), ("strengthen", "weaken"),
    ("expand", "shrink"), ("profit", "loss"), ("success", "failure"), ("confirm", "deny"),
    ("agree", "disagree"), ("legal", "illegal"), ("likely", "unlikely"), ("possible", "impossible"),
    ("increase", "reduce"), ("grow", "shrink"), ("rising", "falling"), ("best", "worst"),
    ("first", "last"), ("east", "west"), ("north", "south"), ("lead", "trail"), ("boost", "cut"),
    ("surplus", "deficit"), ("acquit", "convict"), ("resume", "suspend"), ("lift", "impose"),
]
_ANTONYM_STEMS: dict[str, set[str]] = defaultdict(set)
for _a, _b in _ANTONYMS:
    _ANTONYM_STEMS[content_stem(_a)].add(content_stem(_b))
    _ANTONYM_STEMS[content_stem(_b)].add(content_stem(_a))

# Where a claim joins two statements: "…, and …", "… but …", "… and had come first …".
_NOT_ENTITIES = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december no mr mrs ms dr sir lord lady dame st""".split()
)
_MISSING_RUN = 5  # consecutive content words missing from the passage that make an unsupported statement
_CLAUSE_SPLIT = re.compile(
    r";|,\s*(?:and|but|while|whereas)\s+|\s+but\s+|\s+and\s+(?=(?:it|its|his|her|their|our|he|she|they|we|the|a|an|had|has|have|"
    r"was|were|is|are|will|would|could|should|may|might|must|can|did|does|do|also|then|plans|said|that)\s)"
)


def _clause_spans(claim: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _CLAUSE_SPLIT.finditer(claim):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(claim)))
    return [(a, b) for a, b in spans if claim[a:b].strip()]


def _negation_scopes(tokens: list[Token], reach: int = 3) -> list[tuple[str, set[str], str]]:
    """(negation word, stems of the next `reach` content words, the first of them) per negation."""
    out = []
    for i, t in enumerate(tokens):
        if t.norm in NEGATIONS:
            scope: set[str] = set()
            head = ""
            for u in tokens[i + 1 : i + 8]:
                if u.norm in NEGATIONS:
                    break
                if u.kind in (NUMBER, ORDINAL):
                    scope.add(u.norm)
                elif u.kind == WORD and u.norm not in STOPWORDS:
                    scope.add(content_stem(u.norm))
                else:
                    continue
                head = head or (u.norm if u.kind != WORD else content_stem(u.norm))
                if len(scope) >= reach:
                    break
            out.append((t.surface, scope, head))
    return out


def _numbers(tokens: list[Token]) -> list[Token]:
    # "one" as a word is as often a pronoun as a number; only digits or larger number words count.
    return [t for t in tokens if t.kind == NUMBER and not (t.surface in ("one", "a") and t.norm == "1")]


def _window_tokens(index: SourceIndex, first: int, last: int) -> list[Token]:
    a = index.sentences[first][0]
    b = index.sentences[last][1]
    return index.tokens[a:b]


def _coverage(claim_stems: list[str], window_stems: set[str]) -> float:
    if not claim_stems:
        return 0.0
    weights = [1.5 if s[:1].isdigit() else 1.0 for s in claim_stems]
    got = sum(w for s, w in zip(claim_stems, weights, strict=True) if s in window_stems)
    return got / sum(weights)


def match_claim(claim: str, index: SourceIndex) -> ClaimMatch:
    """The best-supporting passage for `claim` and what in it disagrees."""
    ctokens = [t for t in tokenize(claim) if t.kind != GAP]
    cstems = content_stems(ctokens)
    if not cstems or not index.sentences:
        return ClaimMatch(0.0, 0, 0, missing=[t.surface for t in ctokens])
    # Only windows around sentences sharing words with the claim are scored.
    hits: Counter[int] = Counter()
    for s in set(cstems):
        for si in index.stem_sentences.get(s, ()):
            hits[si] += 1
    best: tuple[float, int, int] | None = None
    for si, _ in hits.most_common(30):
        for first in range(max(0, si - 2), si + 1):
            for last in range(si, min(len(index.sentences), first + 3)):
                if index.sentence_paragraph[first] != index.sentence_paragraph[last] and last - first > 1:
                    continue
                stems: set[str] = set()
                for k in range(first, last + 1):
                    stems.update(index.sentence_stems[k])
                cov = _coverage(cstems, stems)
                # prefer the shorter window on ties: a tighter passage is better evidence
                key = cov - 0.01 * (last - first)
                if best is None or key > best[0]:
                    best = (key, first, last)
    if best is None:
        return ClaimMatch(0.0, 0, 0, missing=[t.surface for t in ctokens])
    _, first, last = best
    wtokens = _window_tokens(index, first, last)
    wstems = {st for k in range(first, last + 1) for st in index.sentence_stems[k]}
    coverage = _coverage(cstems, wstems)
    start, end = wtokens[0].start, wtokens[-1].end
    m = ClaimMatch(coverage, start, end)
    seen_missing = set()
    for t in ctokens:
        if t.kind in (NUMBER, UNIT) or t.norm in NEGATIONS:
            continue
        st = content_stem(t.norm)
        if st in cstems and st not in wstems and st not in seen_missing:
            seen_missing.add(st)
            m.missing.append(t.surface)
    # numbers: every number in the claim must be in the passage. A missing number whose own clause
    # is otherwise unsupported is a missing statement (partly supported), not a wrong figure.
    clause_spans = _clause_spans(claim)
    wnums = {t.norm for t in _numbers(wtokens)}
    word_ords = {t.norm for t in wtokens if t.kind == ORDINAL}
    for t in [*_numbers(ctokens), *(t for t in ctokens if t.kind == ORDINAL)]:
        if t.norm in wnums or t.norm in word_ords:
            continue
        if t.kind == ORDINAL and not word_ords:
            continue  # "first" as a plain adverb; only a different ordinal contradicts it
        cs_, ce_ = next(((a, b) for a, b in clause_spans if a <= t.start < b), (0, len(claim)))
        clause = claim[cs_:ce_]
        clause_stems = [x for x in content_stems(tokenize(clause)) if not x[:1].isdigit() and x[:1] != "#"]
        clause_stems = [x for x in clause_stems if x not in ("gbp", "usd", "eur", "jpy", "inr", "percent")]
        # the words the figure counts ("£19bn of debts", "3 million appointments") must be in the
        # passage too; a figure for something the passage does not mention is not a wrong figure
        k = ctokens.index(t)
        near = [
            content_stem(u.norm)
            for u in ctokens[max(0, k - 3) : k + 4]
            if u.kind == WORD and u.norm not in STOPWORDS and u.norm not in NEGATIONS
        ]
        if (clause_stems and _coverage(clause_stems, wstems) < 0.6) or (near and not set(near) & wstems):
            if clause.strip() not in m.weak_clauses:
                m.weak_clauses.append(clause.strip())
            continue
        pool = word_ords if t.kind == ORDINAL else [u.surface for u in _numbers(wtokens)]
        others = [u.surface for u in wtokens if u.norm in pool] if t.kind == ORDINAL else list(pool)
        m.number_diffs.append((t.surface, ", ".join(dict.fromkeys(others)) if others else ""))
    # negations: compare polarity, not word positions (paraphrase moves words around). A negation
    # counts when its scope (the next few content words) touches what the two sides share.
    shared = set(cstems) & wstems
    c_scopes = _negation_scopes(ctokens)
    w_scopes = [sc for _, sc, head in _negation_scopes(wtokens) if head in set(cstems)]
    # the negated head word itself must be shared; if it is absent, the negated phrase is simply
    # unsupported (handled below), not contradicted
    c_relevant = [(w, sc) for w, sc, head in c_scopes if head in shared]
    if c_relevant and not w_scopes:
        for word, sc in c_relevant:
            m.negation_diffs.append((f"{word} {' '.join(sorted(sc & shared))}", " ".join(sorted(sc & shared))))
    elif w_scopes and not c_scopes:
        for sc in w_scopes:
            words = " ".join(sorted(sc & set(cstems)))
            m.negation_diffs.append((words, f"not {words}"))
    # a negated statement whose negated head word the passage never mentions ("passed without a
    # vote" against "passed through the Commons") is not supported by it
    # (unless the passage negates the same thing in its own words: "did not find" for "had not found")
    passage_negates = any(sc & set(cstems) for _, sc, _ in _negation_scopes(wtokens))
    for i, t in enumerate(ctokens):
        if t.norm not in NEGATIONS or passage_negates:
            continue
        scope = [u for u in ctokens[i + 1 : i + 5] if u.kind == WORD and u.norm not in STOPWORDS][:1]
        if scope and content_stem(scope[0].norm) not in wstems:
            m.weak_clauses.append(claim[t.start : scope[0].end])
    # antonyms: the claim says "rise" where the passage says "fall"
    for st in set(cstems) - wstems:
        for ant in _ANTONYM_STEMS.get(st, ()):
            if ant in wstems and ant not in cstems:
                m.antonym_diffs.append((st, ant))
    # a named entity (capitalised mid-claim) that the source never mentions is an unsupported
    # addition: "…in the Turks and Caicos Islands and the Bahamas" when only the first is reported
    for t in ctokens:
        if (
            t.kind == WORD
            and t.start > 0
            and claim[t.start].isupper()
            and t.norm not in STOPWORDS
            and t.norm not in _NOT_ENTITIES
            and len(t.norm) > 2
            and content_stem(t.norm) not in index.stem_sentences
        ):
            m.weak_clauses.append(claim[t.start : t.end])
    # a run of several consecutive content words absent from the passage is a statement the passage
    # does not make, even when the claim has no conjunction to split on
    run: list[Token] = []
    for t in ctokens + [Token("", 0, 0, "", WORD)]:
        if t.kind == WORD and (t.norm in STOPWORDS or t.norm in NEGATIONS) and t.norm:
            continue
        st = t.norm if t.kind != WORD else content_stem(t.norm)
        if t.norm and st not in wstems:
            run.append(t)
            continue
        if len(run) >= _MISSING_RUN:
            m.weak_clauses.append(claim[run[0].start : run[-1].end])
        run = []
    # clauses: a claim joining two statements must have both supported
    clauses = [c.strip() for c in _CLAUSE_SPLIT.split(claim) if c and len(c.split()) >= 3]
    if len(clauses) > 1:
        for c in clauses:
            cs = content_stems(tokenize(c))
            m.best_clause = max(m.best_clause, _coverage(cs, wstems) if cs else 0.0)
            if len(cs) >= 2 and _coverage(cs, wstems) < 0.5:
                whole = match_claim(c, index) if len(clauses) <= 4 else None
                if whole is None or whole.coverage < 0.5:
                    m.weak_clauses.append(c)
    return m
