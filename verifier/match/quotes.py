"""Locate a quote in a source text.

A word-level alignment (edit distance over canonical tokens, free start and end in the source) run
only on the few source windows where the quote's words line up (offset voting over a token index),
so every changed, added or dropped word is known by position. Editorial brackets are free to drop
or stand in for a word; ellipses split the quote into parts found in order.

The source index (`source_index.py`) and the sentence-window claim matcher (`claim_window.py`) used
to live here; their names are re-exported so `from verifier.match.quotes import ...` keeps working.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from verifier.match.claim_window import ClaimMatch, match_claim
from verifier.match.normalize import (
    GAP,
    NEGATIONS,
    NUMBER,
    ORDINAL,
    UNIT,
    WORD,
    Token,
    tokenize,
)
from verifier.match.source_index import SourceIndex, index_text, sentence_spans

__all__ = ["ClaimMatch", "DiffOp", "QuoteMatch", "SourceIndex", "index_text", "match_claim", "match_quote",
           "sentence_spans"]


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
    from verifier import lexicon

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
    from verifier.lexicon import semantics

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
