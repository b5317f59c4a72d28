"""Find attributed quotes and claims in an article, and who they are attributed to.

The finder works paragraph by paragraph on the article's plain text, so every span is an offset into
exactly the text the caller gave:

1. quotation marks are paired (curly, straight, single, guillemets; a paragraph that ends inside a
   quote continues into the next paragraph that opens with a mark);
2. sentences are split outside quotes;
3. each sentence is read for a reporting cue: a verb of saying with its subject ("the Guardian
   newspaper said", "Trump said"), "according to X", "per X", "X quoted Y as saying", "told X",
   "speaking to X", "in an interview with X", or a headline-style "…: Name";
4. a quote next to a cue is a `quote` attribution; otherwise the sentence's content clause is a
   `claim`, and short quoted words inside it are its `fragments`;
5. the cue's subject is resolved to an outlet (registry aliases, or "the newspaper"/"the paper"
   anaphora to the last cited outlet), a collective source ("UK media", "reports"), or a speaker
   (pronouns resolve to the last named speaker).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any, cast

from verifier.attributions.cues import alternation, lexicon
from verifier.models import ArticleText, Attribution
from verifier.registry import Outlet, Registry, default_registry

_OPEN_CLOSE = {"“": "”", "«": "»", "„": "“", "‘": "’", "‹": "›", '"': '"', "'": "'"}

_LEX = lexicon()
# Verbs of saying and reporting come from the cue lexicon (cues.toml, forms generated from real
# morphology data); a few multi-word cues with an inner object stay as patterns.
_FINITE_FORMS = _LEX.finite
_BASE_ONLY = _LEX.speech_base - _FINITE_FORMS  # "say", "argue": need a plural subject ("critics say")
_SAY = (
    r"quoted .{1,60}? as saying|cited .{1,60}? as saying|was quoted as saying|is reported to have said|"
    r"told reporters|has learned|has learnt|has reported|had reported|has said|had said|will say|"
    rf"(?:{alternation(_FINITE_FORMS | _LEX.speech_base)})(?![\w'’-])"
)
_TAIL_VERBS = rf"(?:{alternation(_FINITE_FORMS)})(?![\w'’-])"
_DAYS = (
    r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|"
    r"last (?:week|month|night|year)|this (?:week|month|morning)|earlier|previously|late \w+|on \w+ \d+|"
    r"(?:a (?:few |couple of )?|\w+ )?(?:days?|weeks?|months?|years?) (?:later|ago|earlier))"
)
_NP = r"[^,;:“”\"«»]{1,90}?"
# adverbs between a subject and its verb of saying: "The paper also reported", "Smith later said"
# (a negated cue, "has not said", "did not report", keeps its negation out of the subject)
_ADV = r"(?:(?:(?!daily\b|weekly\b|monthly\b|quarterly\b)[a-z]+ly|also|later|separately|earlier|previously|further|first|then|too|again|had|has|have|once|not|never|did|does|do|didn[’']t|doesn[’']t|hasn[’']t|haven[’']t|hadn[’']t)\s+){0,3}"
# a subject with an appositive: "Mel Stride, the shadow chancellor,"
_NP_APPOS = rf"{_NP}(?:,\s+[^,;:“”\"«»]{{1,130}},)?"

# "…, the Guardian newspaper said (on Thursday)." / "…, UK media reported Thursday."
_TAIL_SUBJ_VERB = re.compile(
    rf"^[\s,\"”’']*(?P<np>{_NP})\s+{_ADV}(?P<verb>{_SAY})(?P<rest>(?:\s+{_DAYS})?(?:,?\s+(?:citing|quoting)\b[^.!?]{{0,80}}|\s+(?:in|on|at)\b(?!\s+least\b|\s+most\b)[^.!?,]{{0,60}}|\s+\w+){{0,2}}"
    r"(?:,?\s+(?:while|as|after|before|when)\s+\w+ing\b[^.!?]*|,\s+(?:\w+ing|the|a|an|as|which|after|amid|with|in)\b[^.!?]*)?)"
    r"[.!?]?[”\"’']?[.!?]?\s*$"  # a programme's title may close the sentence: said on “Fox News Sunday.”
)
# after a closing quote the whole rest of the sentence may be the cue:
# "…,” she told BBC Radio 4's Today programme on Thursday."
_TAIL_SUBJ_VERB_QUOTE = re.compile(
    rf"^[\s,\"”’']*(?P<np>{_NP_APPOS})\s+{_ADV}(?P<verb>{_SAY})(?P<rest>[^.!?]{{0,120}})[.!?]?\s*$"
)
# "…, said the Guardian." / "…, says Smith, the company's chief executive."
_TAIL_VERB_SUBJ = re.compile(
    rf"^[\s,\"”’']*(?P<verb>{_TAIL_VERBS})\s+(?P<np>(?:[^.!?]|\.(?=\s?[A-Z])){{1,120}}?)[.!?]?\s*$"
)
_TAIL_ACCORDING = re.compile(
    r"^[\s,\"”’'—–-]*(?:(?P<verb>according to|per|citing)\s+(?P<np>[^.!?]{1,160}?)|(?P<verb2>(?:as\s+)?(?:(?:was|were|had been|has been)\s+)?"
    r"(?:first\s+|originally\s+|previously\s+|initially\s+|also\s+)?(?:reported|revealed|disclosed|published)\s+"
    r"(?:\w+\s+)?(?:by|in))\s+(?P<np2>[^.!?,]{1,80}?))[.!?]?\s*$"
)
# "The Times reported (on Thursday) (that) …" / "Smith told the BBC: …"
_HEAD = re.compile(
    rf"^(?P<pre>(?:[A-Z][^,]{{0,120}},\s+)?)(?P<np>{_NP_APPOS})\s+{_ADV}(?P<verb>{_SAY})"
    rf"(?P<obj>\s+(?!that\b)[^,:“\"]{{1,60}}?)??(?:\s+{_DAYS})?(?:\s*,)?(?:\s+that\b|\s*:|\s*,)?\s+(?P<content>.+)$"
)
# the same without a leading adverbial, for "The New York Times, which first reported it, said …"
_HEAD_NOPRE = re.compile(_HEAD.pattern.replace("(?P<pre>(?:[A-Z][^,]{0,120},\\s+)?)", "(?P<pre>)", 1))
_COLON_CUE = re.compile(
    rf"^(?:[A-Z][^,]{{0,60}},\s+)?(?P<np>{_NP_APPOS})\s+{_ADV}(?P<verb>{_SAY})(?P<obj>\s+[^:“\"]{{1,80}}?)?\s*:$"
)
_HEAD_ACCORDING = re.compile(r"^(?P<verb>According to|Per|As reported by)\s+(?P<np>[^,]{1,120}),\s*(?P<content>.+)$")
_HEAD_SPEAKING = re.compile(
    r"^(?P<verb>Speaking to|Talking to|Writing in|Writing for|In an interview with|Interviewed by|"
    r"In comments to|In a statement to)\s+(?P<np>[^,]{1,80}),\s*(?P<content>.+)$"
)
# "In a September Washington Post-ABC News poll, 75 percent of Republicans said …"
_HEAD_IN_NOUN = re.compile(
    r"^(?P<verb>In (?:a|an|the|its|his|her|their))\s+(?P<np>[^,“”\"]{0,60}?\b(?:poll|survey|report|interview|study|"
    r"analysis|op-ed|column|editorial|article|statement|letter|memo|post|tweet|speech|broadcast|podcast))"
    r"(?:\s+[^,“”\"]{0,50})?,\s*(?P<content>.+)$"
)
_QUOTED_AS = re.compile(r"\b(?P<verb>quoted|cited)\s+(?P<np>[^,;]{1,80}?)\s+as\s+(?:saying|telling\s+\w+)\b")
_CITING = re.compile(r",\s*citing\s+(?P<np>[^,.;]{1,80})")
_SAYING = re.compile(r"(?<![\w'’-])saying(?:\s+that)?\s+")
_TOLD = re.compile(r"\b(?:told|telling|speaking to|talking to|in an interview with)\s+(?P<obj>[^,.;:]{1,60})")
_HEADLINE = re.compile(r"^(?P<content>[^:]{10,}?):\s*(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})\s*$")
# "PARIS:", "LONDON (Reuters) -", "MANCHESTER, Feb 24 -", "INDIAN WELLS, California, March 17 -"
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'’/-]{2,40}(?:,\s*[A-Z][A-Za-z.]+(?:\s+\d{1,2})?){0,3}(?:\s*\([\w .]+\))?\s*[:—–-]{1,2}\s+)"
)
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)])\s+")

_PRONOUNS = {"he", "she", "they", "it", "him", "her"}
_ANAPHORA = re.compile(
    r"^(?:the|that|this)\s+(?:newspaper|paper|daily|broadsheet|tabloid|weekly|outlet|publication|"
    r"broadcaster|news agency|agency|wire service|website|site|magazine|network|channel|title|report|"
    r"article|organisation|organization)$",
    re.I,
)
_COLLECTIVE = re.compile(
    r"\b(?:media|reports|press|newspapers|outlets|broadcasters|reporting|news reports|local media|"
    r"state media|papers|tabloids)\b",
    re.I,
)
_NOT_SPEAKER = re.compile(
    r"^(?:it is|it was|this is|there is|there are|which|what|who|when|where|whether|how|and|but|or|"
    r"if|as|because|while|although|though|so|the (?:report|study|statement|plan|proposal))\b",
    re.I,
)
_NAME = re.compile(r"\b[A-Z][a-zà-ÿ'’-]+(?:\s+(?:de|van|von|al|bin|le|la|du)?\s*[A-Z][a-zà-ÿ'’-]+)+")
# a person's name on its own: "Tricia McLaughlin", "Laurence H. Tribe", "Sir Wyn Williams"
_PERSON_NAME = re.compile(r"(?:(?:Sir|Dame|Dr|Mr|Mrs|Ms|Lord|Lady)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'’-]+){1,2}")
_SPEAKER_LEAD = re.compile(r"^(?:the\s+)?(?:(?:boy|girl|man|woman|family|victim)'s\s+)", re.I)


@dataclass
class _Quote:
    start: int  # offset of the first character inside the marks
    end: int  # offset just past the last character inside the marks
    open_at: int  # offset of the opening mark
    close_at: int  # offset just past the closing mark (== end when unclosed)
    closed: bool
    para: int


@dataclass
class _Context:
    last_outlet: str | None = None
    last_speaker: str | None = None
    last_speaker_outlet: str | None = None
    last_subject_outlet: bool = False  # the last cue's subject was an outlet ("it said" refers to it)
    cited: list[str] = field(default_factory=list)  # outlets cited so far, each once, last cited last
    last_person: str | None = None  # last named individual speaker ("he"/"she" refer to them)
    text: str = ""
    pos: int = 0  # start of the sentence being read
    pending: _Cue | None = None  # "Boyle told the Telegraph:" at a paragraph end: the next quote's cue
    prev_sentence: tuple[int, int] | None = None
    persons: list[str] = field(default_factory=list)  # named speakers, in order of last mention
    interviews: dict[str, str] = field(default_factory=dict)  # speaker's surname -> outlet spoken to
    found: list[Attribution] = field(default_factory=list)
    cue_words: list[int] = field(default_factory=list)  # where a verb of saying or "according to" starts


def _cue_words_in(ctx: _Context, s: int, e: int) -> list[int]:
    """Start offsets of the cue words in text[s:e] (the article is scanned once, up front)."""
    return ctx.cue_words[bisect_left(ctx.cue_words, s) : bisect_left(ctx.cue_words, e)]


_LINE = re.compile(r"[^\n]+")
_open_at = attrgetter("open_at")


class _MemoRegistry:
    """The registry, with `mentions` remembered for the length of one article: the finder asks
    about the same phrases many times while it tries its cue patterns."""

    def __init__(self, reg: Registry) -> None:
        self._reg = reg
        self._mentions: dict[str, list[tuple[int, int, Outlet]]] = {}

    def mentions(self, text: str) -> list[tuple[int, int, Outlet]]:
        found = self._mentions.get(text)
        if found is None:
            found = self._mentions[text] = self._reg.mentions(text)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reg, name)


def find_attributions(article: ArticleText | str, registry: Registry | None = None) -> list[Attribution]:
    """All attributed quotes and claims in the article, in reading order."""
    text = article.text if isinstance(article, ArticleText) else article
    reg = cast(Registry, _MemoRegistry(registry or default_registry()))
    ctx = _Context(text=text)
    ctx.cue_words = [m.start() for m in _CUE_WORD_START.finditer(text)]
    paragraphs = [(m.start(), m.end()) for m in _LINE.finditer(text) if not m.group().isspace()]
    quotes = _find_quotes(text, paragraphs)
    by_para: dict[int, list[_Quote]] = {}
    for q in quotes:
        by_para.setdefault(q.para, []).append(q)
    for pi, (ps, pe) in enumerate(paragraphs):
        _read_paragraph(text, ps, pe, by_para.get(pi, []), quotes, reg, ctx)
    for n, a in enumerate(ctx.found, 1):
        a.id = f"a{n}"
    return ctx.found


# ------------------------------------------------------------------------------------------ quotes


def _is_opening(text: str, i: int, ch: str, ps: int = 0) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in "“«„‹":
        return not after.isspace()
    if ch == "‘" or ch == "'":
        # an apostrophe sits between letters or after one ("don't", "Jones'"); an opening quote
        # follows a space, a bracket or a dash and precedes a word
        return (before.isspace() or before in "([—–-\"“") and (after.isalnum() or after in "“\"")
    if ch == '"':
        return (before.isspace() or before in "([—–-'‘") and not after.isspace()
    if ch == "”":
        # a mis-curled opening mark (word processors turn a mark typed after a line break into a
        # closing one): at the start of a paragraph, before a word
        return not text[ps:i].strip() and after.isalnum()
    return False


def _closing_for(ch: str) -> str:
    return _OPEN_CLOSE.get(ch, "”")


# every character that can open or close a quotation: the scan jumps from one to the next
_MARKS = re.compile(r"[“”«»„‹›‘’\"'`]")


def _closes(text: str, j: int, ch: str, close: str) -> bool:
    """Whether the mark at j closes a quotation opened with `ch` (whose closing mark is `close`)."""
    c = text[j]
    if c == close or (ch in "“”" and c in "\"”") or (ch == '"' and c == "”"):
        return True
    # a mis-curled closing mark: “… percent.“ at the end of a quote, before a space or the end
    return ch in "“”" and c == "“" and not text[j - 1].isspace() and (j + 1 >= len(text) or not text[j + 1].isalnum())


def _find_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[_Quote]:
    """Every quotation in every paragraph, outermost only (a quote inside a quote is part of it).

    Marks: curly, straight, single, guillemets, and the doubled apostrophes of some wire and
    newspaper exports (''…'' and ``…''). The scan jumps from mark to mark (a regex search), so it
    costs one pass over the text."""
    quotes: list[_Quote] = []
    for pi, (ps, pe) in enumerate(paragraphs):
        i = ps
        while i < pe:
            mm = _MARKS.search(text, i, pe)
            if mm is None:
                break
            i = mm.start()
            ch = text[i]
            if text[i : i + 2] in ("''", "``") and _is_opening(text, i + 1, '"') and text[i + 2 : i + 3] != "'":
                end = text.find("''", i + 2, pe)
                while end >= 0 and text[end + 2 : end + 3] == "'":  # a nested quote closes at the same place
                    end += 1
                if end >= 0 and text[i + 2 : end].strip():
                    quotes.append(_Quote(i + 2, end, i, end + 2, True, pi))
                    i = end + 2
                    continue
                if end < 0:  # unclosed: runs to the end of the paragraph
                    qe = _rstrip(text, i + 2, pe)
                    if qe > i + 2:
                        quotes.append(_Quote(i + 2, qe, i, qe, False, pi))
                    break
                i += 2
                continue
            if (ch in _OPEN_CLOSE or ch == "”") and _is_opening(text, i, ch, ps):
                close = _closing_for(ch)
                found = -1
                j = i + 1
                while True:
                    cm = _MARKS.search(text, j, pe)
                    if cm is None:
                        break
                    j = cm.start()
                    if _closes(text, j, ch, close):
                        nxt = text[j + 1] if j + 1 < len(text) else " "
                        if close in "'’" and nxt.isalpha():  # an apostrophe inside the quote
                            j += 1
                            continue
                        found = j
                        break
                    j += 1
                if found >= 0:
                    if text[i + 1 : found].strip():
                        quotes.append(_Quote(i + 1, found, i, found + 1, True, pi))
                    i = found + 1
                    continue
                if ch in "'‘”":  # an unclosed single mark is an apostrophe, not a quote
                    i += 1
                    continue
                # unclosed: the quote runs to the end of the paragraph (and may continue in the next)
                end = _rstrip(text, i + 1, pe)
                quotes.append(_Quote(i + 1, end, i, end, False, pi))
                break
            i += 1
    return quotes


_WORDS = re.compile(r"\w+")


def _word_count(s: str) -> int:
    return len(_WORDS.findall(s))


# ------------------------------------------------------------------------------------- sentences


def _sentences(text: str, ps: int, pe: int, quotes: list[_Quote]) -> list[tuple[int, int]]:
    """Sentence spans in a paragraph; never split inside a quotation."""
    spans: list[tuple[int, int]] = []
    start = ps
    for m in re.finditer(r"[.!?]+[\"'”’»)]*\s+(?=[\"'“‘«(\[]*[A-Z0-9])", text[ps:pe]):
        cut = ps + m.end()
        inner = ps + m.start()
        # a full stop inside a quotation does not end the sentence unless the quotation closes
        # right after it (“… anyone.” The paper reported …)
        if any(q.open_at < cut - 1 < q.close_at for q in quotes):
            continue
        if _is_abbreviation(text, max(ps, inner - 12), inner):
            continue
        spans.append((start, cut))
        start = cut
    if start < pe:
        spans.append((start, pe))
    return [(s, _rstrip(text, s, e)) for s, e in spans if text[s:e].strip()]


_WORD_BEFORE_STOP = re.compile(r"(?:^|(?<=[^\w.]))([A-Za-z][A-Za-z.]*)$")


def _is_abbreviation(text: str, s: int, stop: int) -> bool:
    """Whether the full stop at `stop` ends an abbreviation ("Sen.", "Calif.", "U.S.", "W.")."""
    m = _WORD_BEFORE_STOP.search(text, s, stop)
    if not m:
        return False
    word = m.group(1)
    return word[0].isupper() and (len(word) == 1 or "." in word or word.lower() in _LEX.abbreviations)


def _rstrip(text: str, s: int, e: int) -> int:
    while e > s and text[e - 1].isspace():
        e -= 1
    return e


def _strip_span(text: str, s: int, e: int, chars: str = " \t,;:—–-") -> tuple[int, int]:
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars + ".":
        e -= 1
    return s, e


# ------------------------------------------------------------------------------------ subjects


@dataclass
class _Subject:
    outlet: str | None = None
    speaker: str | None = None
    collective: bool = False
    valid: bool = True
    outlets: list[str] = field(default_factory=list)  # "The Times and the Guardian both reported"
    outlet_from: str = "cue"  # "context": inherited through a pronoun or an earlier interview


def _clean_np(np: str) -> str:
    np = np.strip(" ,;:—–-\t")
    # "On Monday night No 10 confirmed", "Earlier this week the minister said": a leading time
    # adverbial is not part of the speaker
    np = re.sub(
        r"^(?:(?:on|late on|early on|by|since)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
        r"(?:\s+(?:night|morning|afternoon|evening))?|earlier(?:\s+this\s+(?:week|month|year))?|"
        r"later|last\s+(?:week|month|year|night)|this\s+(?:week|morning)|yesterday|today|previously)\s+",
        "",
        np,
        flags=re.I,
    )
    # "Mel Stride, the shadow chancellor" -> "Mel Stride": the name is what identifies the speaker
    if "," in np:
        head, _, appos = np.partition(",")
        if re.match(r"(?:a|an|the)\s", head.strip(), re.I) and _PERSON_NAME.fullmatch(appos.strip()):
            np = appos.strip()  # "a Homeland Security spokeswoman, Tricia McLaughlin": the name
        elif (
            _NAME.search(head)
            or re.fullmatch(r"[A-Z][\w'’-]+", head.strip())  # "Powell, speaking to reporters,"
            or appos.strip().lower().startswith(("the ", "a ", "an "))
        ):
            np = head.strip()
        elif _NAME.search(appos):  # "the inquiry chairman, Sir Wyn Williams"
            np = appos.strip()
    np = re.sub(r"^(?:and|but|while|as|so)\s+", "", np, flags=re.I)
    return np


_OUTLET_POSSESSIVE = re.compile(r"(?P<o>(?:[Tt]he\s+)?[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})['’]s?\s+(?=[a-z])")


_SUBORDINATE_PRONOUN = re.compile(
    r"^(?P<main>.+?)\s+(?:as|when|after|because|while|since|before|and|but|so|until)\s+(?P<pro>it|he|she|they)$"
)
_LEADING_NAME = re.compile(r"(?:[Tt]he\s+)?[A-Z][\w'’.&-]*(?:\s+(?:of\s+|for\s+|and\s+)?[A-Z][\w'’.&-]*){0,5}(?=\s+[a-z])")


_POSSESSIVE_ANAPHORA = re.compile(r"^((?:the|that|this)\s+\w+)['’]s\s+(.+)$", re.I)
_BE_FORMS = frozenset(("were", "was", "is", "are", "be", "been", "being"))


def _resolve_subject(
    np: str, reg: Registry, ctx: _Context, *, allow_person: bool = True, quote: bool = False
) -> _Subject:
    raw = np
    np = _clean_np(np)
    # "The Bank of England cut rates as it warned that …": the pronoun after the subordinator is the
    # subject of the cue, and it refers to the main clause's subject
    sub = _SUBORDINATE_PRONOUN.match(np) if np.endswith((" it", " he", " she", " they")) else None
    if sub:
        lead = _LEADING_NAME.match(sub.group("main"))
        if lead is None:
            np = sub.group("pro")
        elif found := reg.mentions(lead.group()):
            return _Subject(outlet=_prefer_cited(found[0][2].name, lead.group(), reg, ctx))
        else:
            return _Subject(speaker=lead.group())
    # "The BBC's political editor, Laura Kuenssberg," / "the Times's defence editor": a byline or
    # programme of an outlet makes that outlet the outlet, the person in it the speaker
    owner = _OUTLET_POSSESSIVE.search(raw) if ("'" in raw or "’" in raw) else None
    if owner and (found := reg.mentions(owner.group("o"))) and found[0][1] == len(owner.group("o")):
        person = _NAME.search(np) or _NAME.search(raw[owner.end() :])
        outlet = _prefer_cited(found[0][2].name, owner.group("o"), reg, ctx)
        return _Subject(outlet=outlet, speaker=person.group() if person else None)
    # ("WHO Director-General …" is a speaker, "who said" is not: acronyms are exempt)
    if (
        not np
        or _word_count(np) > 14
        or (_NOT_SPEAKER.match(np) and not np.split()[0].isupper())
        or np.lower() in ("a", "an", "the", "this", "that")
        # a passive ("the result had been confirmed", "were also said to be") has no speaker
        or np.rsplit(None, 1)[-1] in _BE_FORMS
    ):
        return _Subject(valid=False)
    low = np.lower()
    mentions = reg.mentions(np)
    if mentions:
        outlet = mentions[0][2]
        name = _prefer_cited(outlet.name, np[mentions[0][0] : mentions[0][1]], reg, ctx)
        # "The Times and the Guardian (both)": a coordination of outlets names every one of them
        joins = [np[mentions[k][1] : mentions[k + 1][0]] for k in range(len(mentions) - 1)]
        if joins and all(re.fullmatch(r"\s*(?:,|,?\s+and|,?\s+as well as|&)\s+(?:the\s+)?", j, re.I) for j in joins):
            names = list(dict.fromkeys(_prefer_cited(m[2].name, np[m[0] : m[1]], reg, ctx) for m in mentions))
            return _Subject(outlet=names[0], outlets=names)
        return _Subject(outlet=name, speaker=_speaker_beside_outlet(np, mentions[0]))
    short = re.fullmatch(r"(?:[Tt]he\s+)?([A-Z][\w'’-]+)", np)
    if short and (back := _back_reference(short.group(1), reg, ctx)):
        return _Subject(outlet=back)
    poss = _POSSESSIVE_ANAPHORA.match(np) if ("'s " in np or "’s " in np) else None
    if poss and _ANAPHORA.match(poss.group(1)) and ctx.last_outlet:  # "the paper's sources"
        return _Subject(outlet=ctx.last_outlet, speaker=poss.group(2))
    if _ANAPHORA.match(np) and ctx.last_outlet:
        if re.search(r"report|article", low):
            return _Subject(outlet=ctx.last_outlet)
        return _Subject(outlet=ctx.last_outlet)
    if low in _PRONOUNS:
        if low == "it" and ctx.last_subject_outlet and ctx.last_outlet:
            return _Subject(outlet=ctx.last_outlet)
        if low == "it":
            return _Subject(valid=False)
        if low in ("he", "she", "him", "her") and ctx.last_person:
            # a singular pronoun is a person, not "four cabinet ministers": the nearest named
            # person whose first name does not say otherwise ("she" is not Mark Jones)
            person = _compatible_person(low, ctx)
            outlet = ctx.last_speaker_outlet if person == ctx.last_speaker else None
            return _Subject(outlet=outlet, speaker=person, outlet_from="context")
        return _Subject(outlet=ctx.last_speaker_outlet, speaker=ctx.last_speaker or np, outlet_from="context")
    described = _described_person(np, ctx)
    if described:
        return _Subject(speaker=described)
    if _COLLECTIVE.search(np) and not _NAME.search(re.sub(r"^[A-Z]{2,}\b", "", np)):
        return _Subject(speaker=None, collective=True)
    if not allow_person:
        return _Subject(valid=False)
    # A lower-case start that is not a determiner is most likely a clause, not a speaker.
    first = np.split()[0]
    # After a closing quote the subject is a speaker ("former subpostmistress Jo Hamilton"); before
    # a claim a lower-case start is more often a clause than a person.
    head_noun = np.split()[-1].lower().removesuffix("'s").removesuffix("’s").rstrip("'’")
    if first[0].islower() and not (quote and _word_count(np) <= 8) and head_noun not in _LEX.agents and first.lower() not in {
        "a", "an", "the", "one", "two", "three", "several", "some", "many", "his", "her", "their", "its",
        "unnamed", "senior", "western", "officials", "sources", "analysts", "experts", "police", "critics",
        "diplomats", "ministers", "aides", "people", "another", "other", "both", "residents", "witnesses",
        "researchers", "scientists", "doctors", "authorities", "prosecutors", "investigators", "economists",
        "lawyers", "campaigners", "activists", "organisers", "organizers", "health", "government", "local",
        "former", "independent", "federal", "state", "company", "party", "union",
    }:
        return _Subject(valid=False)
    return _Subject(speaker=_SPEAKER_LEAD.sub("", np) if "'s " in np else np)


_NOT_FIRST_NAMES = {
    "the", "a", "an", "this", "that", "these", "those", "in", "on", "at", "for", "by", "with", "and", "but", "or",
    "if", "as", "of", "to", "from", "after", "before", "when", "while", "his", "her", "their", "its", "our", "my",
}
_FEMALE = {"she", "her"}
_MALE = {"he", "him"}


def _compatible_person(pronoun: str, ctx: _Context) -> str | None:
    """The most recent named speaker a singular pronoun can refer to. First names are read with
    gender-guesser's name data; a name it does not know (or knows as unisex) is compatible."""
    names = [m.group() for m in _NAME.finditer(ctx.text, max(0, ctx.pos - 1500), ctx.pos)]
    for person in reversed(names):
        words = person.split()
        # the first word that is a known first name and is followed by another name ("Chancellor
        # Rachel Reeves" -> Rachel); "The Times" or "Downing Street" name no person
        g = next((gw for k, w in enumerate(words[:-1]) if w.lower() not in _NOT_FIRST_NAMES
                  and (gw := _gender_of(w)) not in ("unknown", "andy")), None)
        if g is None:
            continue
        if (pronoun in _FEMALE and g in ("female", "mostly_female")) or (pronoun in _MALE and g in ("male", "mostly_male")):
            return _known_form(person, ctx)
    for person in reversed(ctx.persons):
        first = re.sub(r"^(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Prof|Gov|Sen|Rep)\.?\s+", "", person).split()[0]
        g = _gender_of(first)
        if (pronoun in _FEMALE and g in ("male", "mostly_male")) or (pronoun in _MALE and g in ("female", "mostly_female")):
            continue
        if person.startswith(("Mrs", "Ms", "Miss", "Dame", "Lady")) and pronoun in _MALE:
            continue
        if person.startswith(("Mr ", "Mr.", "Sir", "Lord")) and pronoun in _FEMALE:
            continue
        return person
    return ctx.last_person


def _gender_fits(name: str, pronoun: str) -> bool:
    """Whether a pronoun can refer to the named person (a first name gender-guesser does not know
    fits either)."""
    first = re.sub(r"^(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s+", "", name).split()[0]
    g = _gender_of(first)
    if pronoun in _FEMALE:
        return g not in ("male", "mostly_male") and not name.startswith(("Mr ", "Mr.", "Sir", "Lord"))
    return g not in ("female", "mostly_female") and not name.startswith(("Mrs", "Ms", "Miss", "Dame", "Lady"))


def _known_form(person: str, ctx: _Context) -> str:
    """The speaker's name as already used for them ("Aalst" for "Pieter Aalst" when that is how
    they were cited), so one person keeps one name across findings."""
    last = person.split()[-1]
    for known in reversed(ctx.persons):
        if known.split()[-1] == last:
            return known
    return person


@lru_cache(maxsize=4096)
def gender_of(first_name: str) -> str:
    """gender-guesser's reading of a first name: male, female, mostly_*, andy (unisex), unknown."""
    return _gender_detector().get_gender(first_name)


_gender_of = gender_of


@lru_cache(maxsize=1)
def _gender_detector():  # noqa: ANN202 - gender_guesser has no type hints
    import gender_guesser.detector as gd  # loaded only when a pronoun has to be resolved

    return gd.Detector(case_sensitive=False)


def _back_reference(short: str, reg: Registry, ctx: _Context) -> str | None:
    """The cited outlet a bare short name points back to: "the Times" after The New York Times,
    "the Post" after The Washington Post (the registry's `back_references`)."""
    word = short.split()[-1]
    for cited in reversed(ctx.cited):
        o = reg.find(cited)
        if o is not None and word in o.back_references:
            return cited
    return None


def _described_person(np: str, ctx: _Context) -> str | None:
    """"the 23-year-old" -> the last named person; "the prime minister" -> the name that followed
    "Prime Minister" earlier in the article."""
    m = re.fullmatch(r"the\s+([a-z][a-z\s-]{2,40}|\d+-year-old)", np.strip())
    if not m:
        return None
    role = m.group(1)
    if role.endswith("year-old"):
        return ctx.last_person
    before = ctx.text[max(0, ctx.pos - 4000) : ctx.pos]
    if role.split()[0] not in before.lower():
        return None
    found = None
    for hit in re.finditer(rf"(?i:\b{re.escape(role)})\s+((?:[A-Z][\w'’.-]+\s+){{0,2}}[A-Z][\w'’-]+)", before):
        found = hit.group(1)
    return found


def _prefer_cited(name: str, surface: str, reg: Registry, ctx: _Context) -> str:
    """A bare short name ("The Times") refers back to a cited outlet that uses it, unless the outlet
    it normally names has itself been cited."""
    if name in ctx.cited:
        return name
    words = [w for w in surface.split() if w.lower() != "the"]
    if len(words) == 1:
        return _back_reference(words[0], reg, ctx) or name
    return name


def _speaker_beside_outlet(np: str, mention: tuple[int, int, Outlet]) -> str | None:
    """In "the paper's defence editor" or "Smith, writing in the FT" find the person, if any."""
    rest = (np[: mention[0]] + " " + np[mention[1] :]).strip(" ,'’s")
    rest = re.sub(r"^(?:the|newspaper|paper|daily|website)\s*", "", rest, flags=re.I).strip()
    if rest and _NAME.search(rest):
        return _NAME.search(rest).group()
    return None


def _object_outlet(segment: str, np: str, verb: str, reg: Registry, ctx: _Context) -> str | None:
    """An outlet named in the cue after its verb: "told …", "speaking to …", "quoted by …"."""
    at = segment.find(verb, segment.find(np) + len(np) if np in segment else 0)
    rest = segment[at + len(verb) :] if at >= 0 else ""
    mentions = reg.mentions(rest)
    if mentions:
        return _prefer_cited(mentions[0][2].name, rest[mentions[0][0] : mentions[0][1]], reg, ctx)
    # "according to the Post" after The Washington Post was cited
    for short in re.findall(r"\b(?:according to|told|by|to|in|with)\s+the\s+([A-Z][\w'’-]+)", rest):
        if back := _back_reference(short, reg, ctx):
            return back
    m = _TOLD.search(segment)
    if m and ctx.last_outlet and _ANAPHORA.match(" ".join(m.group("obj").split()[:2])):
        return ctx.last_outlet  # "told the paper", "in an interview with the broadcaster"
    return None


# ------------------------------------------------------------------------------------ paragraphs


@dataclass
class _Cue:
    start: int
    end: int
    subject: _Subject
    content: tuple[int, int] | None = None  # for claims: the content clause


def _read_paragraph(
    text: str,
    ps: int,
    pe: int,
    pquotes: list[_Quote],
    all_quotes: list[_Quote],
    reg: Registry,
    ctx: _Context,
) -> None:
    line = text[ps:pe]
    # Headline-style attribution: "Ready to resume diplomacy …: Trump" (no final full stop).
    body_start = ps + (_BULLET.match(line).end() if _BULLET.match(line) else 0)
    hl = _HEADLINE.match(text[body_start:pe].rstrip()) if ":" in line else None
    if hl and not re.search(r"[.!?”\"]$", line.strip()) and _word_count(hl.group("content")) <= 25:
        name = hl.group("name")
        if not _DATELINE.match(text[body_start:pe]) and not reg.mentions(hl.group("content")):
            s, e = body_start + hl.start("content"), body_start + hl.end("content")
            s, e = _strip_span(text, s, e)
            outlet_m = reg.mentions(name)
            subj = _Subject(outlet=outlet_m[0][2].name) if outlet_m else _Subject(speaker=name)
            _emit(text, ctx, "claim", s, e, (ps, pe), name, subj, all_quotes)
            return
    if ctx.pending is not None and not (pquotes and pquotes[0].open_at - ps <= 2):
        ctx.pending = None
    for ss, se in _sentences(text, ps, pe, pquotes):
        squotes = [q for q in pquotes if ss <= q.open_at < se]
        _read_sentence(text, ss, se, squotes, all_quotes, reg, ctx)


def _read_sentence(
    text: str,
    ss: int,
    se: int,
    squotes: list[_Quote],
    all_quotes: list[_Quote],
    reg: Registry,
    ctx: _Context,
) -> None:
    first_new = len(ctx.found)
    extended = ctx.found[-1] if ctx.found else None
    parts_before = len(extended.parts) if extended else 0
    _read_cues(text, ss, se, squotes, all_quotes, reg, ctx)
    covered = [p for a in ctx.found[first_new:] for p in (a.parts or [a.span])]
    if extended is not None and len(extended.parts) > parts_before:  # a continuation was added to it
        covered += extended.parts[parts_before:]
    orphans = [q for q in squotes if not any(min(q.end, e) > max(q.start, s) for s, e in covered)]
    if orphans:
        _read_orphan_quotes(text, ss, se, orphans, all_quotes, reg, ctx)
    ctx.prev_sentence = (ss, se)


def _read_cues(
    text: str,
    ss: int,
    se: int,
    squotes: list[_Quote],
    all_quotes: list[_Quote],
    reg: Registry,
    ctx: _Context,
) -> None:
    sentence = text[ss:se]
    ctx.pos = ss
    # ---- quotes presented as someone's words
    # A quotation is presented as someone's words when it is long enough to be a statement, or when
    # it opens the sentence or follows a colon/comma ("“We will win,” he said"); shorter quoted words
    # inside a clause are fragments of a claim ("with “minimal” forces").
    full_quotes = [
        q
        for q in squotes
        if _word_count(text[q.start : q.end]) >= 4
        or not text[ss : q.open_at].strip()
        or text[ss : q.open_at].rstrip().endswith((":", ","))
    ]
    emitted_quote = False
    if full_quotes:
        cue = _quote_cue(text, ss, se, full_quotes, reg, ctx)
        if cue is not None and cue.content is None:
            cue.content = _mixed_content(text, ss, se, full_quotes, cue, reg, ctx)
        if cue is not None and cue.content is not None:
            # a mixed quote: paraphrase and quotation in one reported clause
            cs, ce = _strip_span(text, *cue.content)
            _emit(text, ctx, "claim", cs, ce, (ss, se), text[cue.start : cue.end], cue.subject, all_quotes)
            emitted_quote = True
        elif cue is not None:
            cont = _continuation(text, cue.start, cue.end)
            cue_end = cont[0] if cont else cue.end
            _emit_quote(text, ctx, full_quotes, (ss, se), text[cue.start : cue_end], cue.subject)
            if cont:  # "…,” Reeves told the BBC, adding that the party had not lost touch …
                _emit_continuation(text, ctx, cont[1], se, (ss, se), text[cue.start : cue_end], cue.subject,
                                   all_quotes, reg)
            emitted_quote = True
        elif ctx.pending is not None and not text[ss : full_quotes[0].open_at].strip():
            cue = ctx.pending
            ctx.pending = None
            _emit_quote(text, ctx, full_quotes, (ss, se), text[cue.start : cue.end], cue.subject)
            emitted_quote = True
        elif _is_continuation(text, ss, full_quotes, ctx):
            _extend_quote(text, ctx, full_quotes, (ss, se))
            emitted_quote = True
    if emitted_quote:
        return
    # ---- a cue that introduces the next paragraph's quote: "Boyle told The Telegraph:"
    if not squotes and sentence.rstrip().endswith(":"):
        m = _COLON_CUE.search(sentence.rstrip())
        if m:
            subj = _subject_for_cue(m.group("np"), m.group("verb"), sentence, reg, ctx)
            if subj.valid:
                ctx.pending = _Cue(ss + m.start("np"), ss + m.end("verb") + len(m.group("obj") or ""), subj)
                return
    # ---- claims: reported content with a cue
    claim = _claim_cue(text, ss, se, reg, ctx)
    if claim is None or claim.content is None:
        return
    cs, ce = claim.content
    # "The paper said X, and reported that Y" / "…, according to the AP, which also reported that Y"
    cont = _continuation(text, min(cs, claim.start), max(ce, claim.end))
    cue_end = claim.end
    if cont and cs <= cont[0] < ce:
        ce = _strip_span(text, cs, cont[0])[1]
    elif cont and claim.start <= cont[0] < claim.end:
        cue_end = cont[0]
    if _word_count(text[cs:ce]) < 3:
        return
    _emit(text, ctx, "claim", cs, ce, (ss, se), text[claim.start : cue_end], claim.subject, all_quotes)
    if cont:
        subj = claim.subject
        if re.match(r",?\s+which\b", text[cont[0] : cont[1]]):  # "…, according to the AP, which also reported"
            subj = _Subject(outlet=subj.outlet, collective=subj.collective)
        _emit_continuation(text, ctx, cont[1], se, (ss, se), text[claim.start : cue_end], subj, all_quotes, reg)
    del sentence


def _quote_parts(text: str, quotes: list[_Quote]) -> list[tuple[int, int]]:
    parts = []
    for q in quotes:
        qs, qe = _strip_span(text, q.start, q.end, " \t")
        qe = _trim_quote_end(text, qs, qe)
        if qe > qs:
            parts.append((qs, qe))
    return parts


def _emit_quote(
    text: str, ctx: _Context, quotes: list[_Quote], sentence_span: tuple[int, int], cue: str, subj: _Subject
) -> None:
    """One attribution for the quotation parts that share a cue (“…,” she said, “…”)."""
    parts = _quote_parts(text, quotes)
    if parts:
        _emit(text, ctx, "quote", parts[0][0], parts[-1][1], sentence_span, cue, subj, [], parts=parts)


def _extend_quote(text: str, ctx: _Context, quotes: list[_Quote], sentence_span: tuple[int, int]) -> None:
    """A quotation that goes on after its cue's sentence (“…,” she said. “…”), or in the next
    paragraph, is more of the same attribution: its parts are added to the last one."""
    last = ctx.found[-1]
    parts = (last.parts or [last.span]) + _quote_parts(text, quotes)
    last.parts = parts
    last.span = (parts[0][0], parts[-1][1])
    last.text = " … ".join(text[s:e] for s, e in parts)
    last.sentence_span = (last.sentence_span[0], max(last.sentence_span[1], sentence_span[1]))
    last.sentence = text[last.sentence_span[0] : last.sentence_span[1]].strip()


_LOOSE_VERBS = re.compile(
    rf"(?<![\w'’-])(?P<verb>{alternation(_FINITE_FORMS | _LEX.cognition | _LEX.naming)})(?![\w'’-])"
)
# a quoted fragment inside a clause is someone's words after any form of a verb of saying or naming,
# participles included ("…, saying he was “very encouraged”", "calling him “a total stiff”")
_MIXED_VERBS = re.compile(
    rf"(?<![\w'’-])(?P<verb>{alternation(_FINITE_FORMS | _LEX.cognition | _LEX.naming | _LEX.speech_gerund | _LEX.naming_gerund)})(?![\w'’-])"
)
_COGNITION_ONLY = _LEX.cognition - _FINITE_FORMS - _LEX.naming
_TITLE_SMALL = {"a", "an", "the", "of", "in", "on", "and", "or", "for", "to", "at", "by", "with", "is", "from", "vs"}
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Gen|Lt|Col|Prof|St|Jr|Sr|[A-Z])\.$")


def _looks_like_title(quote: str) -> bool:
    """A name, title or label in quotation marks (“Meet the Press”, “Make America Great Again”):
    short, and every word that is not a small function word starts with a capital or a digit."""
    words = re.findall(r"[\w'’-]+", quote)
    if not words or len(words) > 10 or re.search(r"[.!?;]\s+\S", quote):
        return False
    big = [w for w in words if w.lower() not in _TITLE_SMALL]
    return bool(big) and all(w[0].isupper() or w[0].isdigit() for w in big) and (
        len(words) > 1 or quote.strip()[-1:] not in "!?"
    )


def _loose_subject(text: str, s: int, e: int, reg: Registry, ctx: _Context) -> tuple[_Subject, int, int] | None:
    """The speaker of a verb of saying anywhere in text[s:e]: "… Sanders insisted to the cameras",
    "… asked Dunn, now a partner at …", "Iowa State University's Dianne Bystrom agreed."
    Returns the subject and the cue's span."""
    for m in _LOOSE_VERBS.finditer(text, s, e):
        vs, ve = m.start(), m.end()
        verb = m.group("verb")
        # subject before the verb: back to a clause boundary
        before = text[s:vs]
        cut = max(before.rfind(c) for c in ",;:“”\"«»()—–")
        np = before[cut + 1 :] if cut >= 0 else before
        np = re.sub(r"\s+(?:also|later|then|again|once|has|have|had|would|will|had\s+\w+ly|\w+ly)\s*$", "", np)
        if np.strip() and _word_count(np) <= 10:
            subj = _subject_for_cue(np.strip(), verb, text[s:e], reg, ctx, quote=True)
            if subj.valid and (subj.speaker or subj.outlet or subj.collective):
                return subj, s + (cut + 1 if cut >= 0 else 0) + (len(np) - len(np.lstrip())), ve
        # subject after the verb: "asked Dunn, …", "said the Times"
        if verb in _FINITE_FORMS and not text[s:vs].strip(" ,—–-\"”’'"):
            after = re.match(r"\s+((?:[^,.;:!?“”\"]|\.(?=\s?[A-Z]))+)", text[ve:e])
            if after:
                np = re.split(r"\s+(?:on|in|at|during|after|before|last|this|to|as|with|while)\s+", after.group(1))[0]
                subj = _subject_for_cue(np, verb, text[s:e], reg, ctx, quote=True)
                if subj.valid and (subj.speaker or subj.outlet):
                    return subj, vs, ve + after.end()
    return None


_NAMING_OR_SAYING = _FINITE_FORMS | _LEX.naming | _LEX.speech_gerund | _LEX.naming_gerund
_PREPOSITION_END = re.compile(r"\b(?:on|in|at|of|from|by|for|into|with|about|during|after|before|to)\s*$", re.I)


def _names_quote(text: str, verb_end: int, open_at: int) -> bool:
    """Whether the quotation at `open_at` is what the verb ending at `verb_end` says or names: close
    after it ("called him “Little Marco”"), not inside a prepositional phrase ("said on “Meet the
    Press”")."""
    between = text[verb_end:open_at]
    return _word_count(between) <= 5 and not _PREPOSITION_END.search(between) and not re.search(r"[.;:!?]", between)


# the subject of a clause and its verb: a name, an outlet or a personal pronoun, then up to three
# auxiliaries or adverbs ("has been steadily pounding"), then the verb
_AGENT = re.compile(
    r"(?P<np>(?:[Tt]he\s+)?(?:[A-Z][\w'’.-]*\s+(?:(?:of|for|de|van|von|al|and|the)\s+)?){0,5}[A-Z][\w'’.-]*"
    r"(?:\s+\([^)]{1,20}\))?|[Hh]e|[Ss]he|[Tt]hey)(?:,\s[^,;:“”\"]{3,80},)?"
    r"\s+(?P<aux>(?:(?:also|later|then|again|once|still|even|never|not|\w+ly|has|have|had|would|will|did|does|do|"
    r"could|can|may|might|been|being)\s+){0,3})(?P<verb>[a-z][\w'’-]+)\b"
)
_BE_OR_AUX_NEXT = re.compile(r"\s+(?:is|are|was|were|has|have|had|will|would|can|could|seem|seems)\b")
_NOT_AGENT_VERB = frozenset(
    "is was are were be been being am seems seemed appears appeared becomes became remains remained "
    "has have had who which that".split()
)
_CLAUSE_OPENER = re.compile(
    r"^(?:(?:(?:At|In|On|During|After|Before|Last|Earlier|Within|Then|Meanwhile|But|And|So|Yet|Still|However|"
    r"Now|Later|Since|For|From|With|Speaking|Asked|Also)\b[^,;:“”\"]{0,70},\s+)|(?:But|And|So|Yet|Still)\s+)"
)


def _clause_agent(text: str, ss: int, end: int, reg: Registry, ctx: _Context) -> tuple[_Subject, str, int, int] | None:
    """The named agent that opens the clause before `end` (after a dateline or a short adverbial),
    with its verb: (subject, verb, start of the subject, end of the verb)."""
    s = ss
    dl = _DATELINE.match(text, ss, end)
    if dl:
        s = dl.end()
    opener = _CLAUSE_OPENER.match(text[s:end])
    if opener:
        s += opener.end()
    m = _AGENT.match(text, s, end)
    if not m or m.group("verb") in _NOT_AGENT_VERB or m.group("verb") in _LEX.abbreviations:
        return None
    np = m.group("np")
    low = np.lower()
    if _BE_OR_AUX_NEXT.match(text, m.end("verb")):
        return None  # "Only European immigrants are “safe” …": "immigrants" is no verb, the clause a description
    if low in ("he", "she", "they"):
        if low == "they" and not ctx.last_speaker:
            return None
        subj = _resolve_subject(np, reg, ctx, quote=True)
    elif reg.mentions(np):
        subj = _resolve_subject(np, reg, ctx, quote=True)
    else:
        name = _NAME.search(np)
        if not name and not _known_surname(np.strip(), text, ss):
            return None
        subj = _Subject(speaker=_clean_np(np))
    if not subj.valid or not (subj.speaker or subj.outlet):
        return None
    return subj, m.group("verb"), m.start("np"), m.end("verb")


def _known_surname(word: str, text: str, before: int) -> bool:
    """A single capitalised word that the article has used as a person's surname before ("Cruz"
    after "Ted Cruz")."""
    if not re.fullmatch(r"[A-Z][\w'’-]+", word):
        return False
    return bool(re.search(rf"\b[A-Z][\w'’.-]+\s+(?:[A-Z]\.\s+)?{re.escape(word)}\b", text[max(0, before - 20000) : before]))


def _read_orphan_quotes(
    text: str, ss: int, se: int, orphans: list[_Quote], all_quotes: list[_Quote], reg: Registry, ctx: _Context
) -> None:
    """Quotations the cue rules did not attribute. Every quotation is read: a statement in quotation
    marks is reported (speaker found around it, or null); words in quotation marks inside a clause
    after a verb of saying or naming make that clause a claim (a mixed quote: "Ducey called the long
    lines “unacceptable”"); a title, a name or a scare quote is not an attribution."""
    statements: list[_Quote] = []
    covered_to = -1
    for q in orphans:
        inner = text[q.start : q.end]
        lead = text[ss : q.open_at]
        opens = not lead.strip() or bool(re.search(r"[:—–]\s*$", lead))
        title = _looks_like_title(inner)
        if opens and title:
            continue
        if not opens:
            if q.end <= covered_to:
                continue  # inside a clause already reported
            verb = None
            for m in _MIXED_VERBS.finditer(text, ss, q.open_at):
                verb = m
            if verb is not None and verb.group("verb") in _COGNITION_ONLY and not re.match(r"\s+that\b", text[verb.end() :]):
                verb = None  # "plans a “reassurance force”" is an intention about a thing, not words
            if verb is not None and title and not _names_quote(text, verb.end(), q.open_at):
                verb = None  # "said on “Meet the Press”": a title after the verb's object, not words
            if verb is not None and not re.search(r"[.;]\s", text[verb.end() : q.open_at]):
                np = text[ss : verb.start()]
                cut = max(np.rfind(c) for c in ",;:“”\"()—–")
                np = np[cut + 1 :] if cut >= 0 else np
                subj = _subject_for_cue(np.strip(), verb.group("verb"), text[ss:se], reg, ctx, quote=True)
                if not subj.valid:
                    subj = _Subject()
                cs = verb.end()
                m_that = re.match(r"\s+that\b", text[cs:se])
                if m_that:
                    cs += m_that.end()
                cs, ce = _strip_span(text, cs, se, " \t,;:—–-")
                if ce > cs and not any(a.span[0] <= cs < a.span[1] for a in ctx.found[-3:]):
                    _emit(text, ctx, "claim", cs, ce, (ss, se), text[verb.start() : verb.end()], subj, all_quotes)
                    covered_to = ce
                    statements = [x for x in statements if x.close_at <= cs]
                    if all(x.end <= covered_to for x in orphans):
                        break
                continue
            # a quoted fragment in a clause whose subject is a named agent is that agent's words,
            # whatever the verb ("Cruz exhorted Republicans to “vote your conscience”", "Reid has
            # been pounding Trump as a “con artist”"); a title needs a verb of saying or naming
            agent = _clause_agent(text, ss, q.open_at, reg, ctx)
            if agent is not None and (not title or (agent[1] in _NAMING_OR_SAYING and _names_quote(text, agent[3], q.open_at))):
                subj, _, vs, ve = agent
                cs, ce = _strip_span(text, ve, se, " \t,;:—–-")
                if ce > cs and not any(a.span[0] <= cs < a.span[1] for a in ctx.found[-3:]):
                    _emit(text, ctx, "claim", cs, ce, (ss, se), text[vs:ve], subj, all_quotes)
                    covered_to = ce
                    statements = [x for x in statements if x.close_at <= cs]
                continue
            if title or _word_count(inner) < 4 or q.para != orphans[0].para:
                continue  # a scare quote or a label ("the “gun violence” narrative")
        statements.append(q)
    if not statements:
        return
    # a speaker named around the quotes: in the sentence, or in the sentence before that leads into them
    found = None
    tail_s = statements[-1].close_at
    lead_text = text[ss : statements[0].open_at]
    for s, e in ((tail_s, se), (ss, statements[0].open_at) if lead_text.strip() else (0, 0)):
        if e > s:
            found = _loose_subject(text, s, e, reg, ctx)
            if found:
                break
    if found is None and ctx.prev_sentence and not lead_text.strip():
        ps, pe = ctx.prev_sentence
        prev = text[ps:pe].rstrip()
        gap = text[pe:ss]
        if gap.count("\n") <= 2 and not re.search(r"[“”\"«»]", prev) and (
            prev.endswith(":") or re.search(rf"(?:{_LOOSE_VERBS.pattern})[^.!?]{{0,40}}[.:]$", prev)
        ):
            found = _loose_subject(text, ps, pe, reg, ctx)
    if found:
        subj, cs, ce = found
        cue = text[cs:ce]
    else:
        subj, cue = _Subject(), ""
    _emit_quote(text, ctx, statements, (ss, se), cue, subj)


_CONTINUATION = re.compile(
    r",?\s+(?:which|who)\s+(?:also\s+)?(?:reported|said|wrote|added)(?:\s+that)?\s+"
    r"|,\s+adding(?:\s+that)?\s+"
    r"|,?\s+and\s+(?:also\s+)?(?:reported|said|wrote|added)(?:\s+that)?\s+"
)


def _continuation(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where a second reported statement by the same subject starts inside a cue or claim."""
    chunk = text[start:end]
    if not ("which" in chunk or "who" in chunk or "adding" in chunk or " and " in chunk):
        return None
    m = _CONTINUATION.search(text, start, end)
    if m and _word_count(text[m.end() : end]) >= 3:
        return m.start(), m.end()
    return None


def _emit_continuation(
    text: str, ctx: _Context, start: int, se: int, sentence_span: tuple[int, int], cue: str, subject: _Subject,
    all_quotes: list[_Quote], reg: Registry,
) -> None:
    s, e = _strip_span(text, start, se)
    if _word_count(text[s:e]) >= 3:
        speaker = subject.speaker
        if subject.outlet and not speaker:  # "…, and reported that a Chinese embassy spokesman had warned …"
            speaker = _reported_agent(text, s, e, reg, ctx)
        _emit(text, ctx, "claim", s, e, sentence_span, cue, _Subject(subject.outlet, speaker,
                                                                     subject.collective), all_quotes)


def _trim_quote_end(text: str, qs: int, qe: int) -> int:
    # the comma or full stop before a closing mark belongs to the sentence, not the speaker's words
    while qe > qs and text[qe - 1] in ",;: ":
        qe -= 1
    return qe


def _is_continuation(text: str, ss: int, quotes: list[_Quote], ctx: _Context) -> bool:
    """A quote with no cue of its own continues the last quoted speaker when it opens its sentence
    right after (same or next paragraph) that speaker's quote."""
    if not ctx.found or ctx.found[-1].kind != "quote":
        return False
    first = quotes[0]
    if text[ss : first.open_at].strip():
        return False
    gap = text[ctx.found[-1].sentence_span[1] : ss]
    return gap.count("\n") <= 2  # the next paragraph, blank line or not


# words that open an author's framing of a quotation, not the speaker's paraphrase ("In a
# statement on Friday, “…,” she said")
_FRAMING = frozenset(
    "in at on during after before speaking asked later earlier separately meanwhile then outside inside from "
    "writing for to asked answering responding still yet but and also again now today yesterday".split()
)


def _mixed_content(
    text: str, ss: int, se: int, quotes: list[_Quote], cue: _Cue, reg: Registry, ctx: _Context
) -> tuple[int, int] | None:
    """The reported clause when quotation and paraphrase share one cue: “Ryan said that “we need
    more information” about how the FBI came to its conclusion" (the clause goes on after the
    quotation), "With thousands of systems, “there is no single point of failure,” he said" (the
    speaker's paraphrase leads into it). None when the quotation is the whole statement."""
    first, last = quotes[0], quotes[-1]
    if cue.end <= first.open_at:  # cue before the quotation
        after = text[last.close_at : se]
        if _word_count(after) >= 3 and not re.match(r"[\s,;:—–-]*$", after) and re.match(r"\s+[a-z]", after):
            if _tail_cue(text, last.close_at, se, reg, ctx, quote=True) is None:
                return cue.end, se
        return None
    if cue.start >= last.close_at:  # cue after the quotation
        s = ss
        dl = _DATELINE.match(text, ss, first.open_at)
        if dl:
            s = dl.end()
        lead = text[s : first.open_at].rstrip()
        words = re.findall(r"[\w'’-]+", lead)
        if (lead.endswith(",") and len(words) >= 4 and words[0].lower() not in _FRAMING
                and not _HEAD_SPEAKING.match(lead) and not _HEAD_ACCORDING.match(lead)):
            return s, last.close_at
    return None


_SAY_WORD = re.compile(rf"(?<![\w'’-])(?:{_SAY})")
_HEAD_QUOTE_CUE = re.compile(
    rf"(?<![\w.])(?P<np>{_NP_APPOS})\s+{_ADV}(?P<verb>{_SAY})"
    r"(?:(?P<obj>\s+[^,:“\"]{1,60}?)\s*[,:]|\s*[,:]|\s+that)?\s*$"
)


def _quote_cue(
    text: str, ss: int, se: int, quotes: list[_Quote], reg: Registry, ctx: _Context
) -> _Cue | None:
    """The reporting phrase that presents these quotes as someone's words, if any."""
    first, last = quotes[0], quotes[-1]
    # after the last quote: “…,” the Financial Times quoted a western official as saying.
    tail_start = last.close_at
    # text between two quotes of the same sentence: “…,” he said, “…”
    between = [(quotes[k].close_at, quotes[k + 1].open_at) for k in range(len(quotes) - 1)]
    lead = text[ss : first.open_at].rstrip()
    if lead and not lead.endswith((":", ",")):
        between, tail_start = [], se  # a quote inside a clause is a fragment of that clause's claim
    for bs, be in [*between, (tail_start, se)]:
        seg = text[bs:be]
        if not seg.strip() or not re.match(r"^[\s,;:—–-]*\S", seg):
            continue
        if len(seg.strip(" ,.;")) and not re.match(r"^\s*[,—–-]?\s*\S", seg):
            continue
        cue = _tail_cue(text, bs, be, reg, ctx, quote=True)
        if cue:
            return cue
    # before the first quote: Smith said: “…” / The FT quoted an official as saying: “…”
    head = text[ss : first.open_at]
    if head.strip():
        # the cue must end the head: find the verbs of saying first, and look for a subject only in
        # the reach of the last one (a subject and its appositive run at most ~230 characters)
        m = None
        verbs = [v.start() for v in _SAY_WORD.finditer(head)]
        if verbs:
            at = max(0, verbs[-1] - 240)
            m = _HEAD_QUOTE_CUE.search(head, at)
        if m and _SAY_WORD.search(m.group("np")) and not _QUOTED_AS.search(m.group("np")):
            m = None  # "Roberts said Friday that … but said “…”": a subject holds no verb of saying
        if m:
            subj = _subject_for_cue(m.group("np"), m.group("verb"), head, reg, ctx, quote=True)
            if subj.valid:
                # "… said Friday that if his candidate were to win, “…”": paraphrase between the cue
                # and the quotation makes the clause a claim with the quotation as its fragment
                obj = m.group("obj") or ""
                that = re.search(r"\bthat\s+(?=\S+\s+\S+\s+\S+)", obj)
                content = (ss + m.start("obj") + that.end(), se) if that else None
                # "In an interview with the Telegraph, Rose said: “…”" / "According to Yahoo News, …"
                lead = _HEAD_SPEAKING.match(head) or _HEAD_ACCORDING.match(head)
                if lead and subj.outlet is None and (found := reg.mentions(lead.group("np"))):
                    subj.outlet = _prefer_cited(found[0][2].name, lead.group("np")[found[0][0] : found[0][1]], reg, ctx)
                    return _Cue(ss, ss + m.end(), subj, content)
                return _Cue(ss + m.start("np"), ss + m.end(), subj, content)
        m = _HEAD_SPEAKING.match(head) or _HEAD_ACCORDING.match(head)
        if m:
            rest = m.group("content")
            inner = re.fullmatch(rf"(?P<np>{_NP_APPOS})\s+{_ADV}(?P<verb>{_SAY})\s*[,:]?\s*", rest)
            if not rest.strip() or inner:
                subj = _subject_for_cue(m.group("np"), m.group("verb"), head, reg, ctx)
                if inner:
                    person = _resolve_subject(inner.group("np"), reg, ctx, quote=True)
                    if person.valid and person.speaker:
                        subj.speaker = person.speaker
                return _Cue(ss, ss + len(head.rstrip(" ,:")), subj)
    return None


_PLURAL_PRONOUNS = {"they", "we", "i", "you", "people", "police", "staff", "others", "many", "some", "both",
                    "most", "few", "all"}


def _plural_subject(np: str) -> bool:
    words = re.findall(r"[\w'’-]+", np.lower())
    if not words:
        return False
    last = words[-1]
    return (last in _PLURAL_PRONOUNS or (last.endswith("s") and not last.endswith(("'s", "’s", "ss", "us", "is")))
            or " and " in f" {np.lower()} ")


def _names_agent(np: str, reg: Registry) -> bool:
    """Whether `np` can be the subject of a verb that is also a plural noun ("Trump claims", "he notes",
    "the paper reports"), rather than the noun's modifier ("Trump's claims", "the three states")."""
    words = re.findall(r"[\w'’.-]+", np)
    if not words:
        return False
    last = words[-1]
    if last.endswith(("'s", "’s", "s'")):
        return False
    return (last[0].isupper() or last.lower() in _PRONOUNS or last.lower() in ("who", "which")
            or bool(_ANAPHORA.match(" ".join(words[-2:]))) or bool(reg.mentions(np)))


def _subject_for_cue(
    np: str, verb: str, segment: str, reg: Registry, ctx: _Context, *, quote: bool = False
) -> _Subject:
    verb_l = verb.lower()
    if " ".join(verb_l.split()) in _BASE_ONLY and not _plural_subject(np):
        # a bare base form agrees with a plural or first/second-person subject only: "critics
        # argue", "they say" — "the police report" or "the Trump plan" is not a cue
        return _Subject(valid=False)
    if verb_l in _LEX.homographs and not _names_agent(np, reg):
        return _Subject(valid=False)  # "Ryan's comments come …", "the three states last voted …"
    qa = _QUOTED_AS.search(segment) if ("quoted" in segment or "cited" in segment) else None
    if verb_l.startswith(("according to", "per", "as reported by", "in a", "in an", "in the")):
        # what follows "according to" is always a source, lower-case description or not
        # ("according to conservative talk radio host Rush Limbaugh", "according to early results
        # of exit polls conducted for The Associated Press and television networks")
        subj = _resolve_subject(np, reg, ctx, quote=True)
        if not subj.valid and np.strip() and _word_count(np) <= 30:
            mentions = reg.mentions(np)
            if mentions:
                return _Subject(outlet=_prefer_cited(mentions[0][2].name, np[mentions[0][0] : mentions[0][1]], reg, ctx),
                                speaker=_clean_np(np))
            return _Subject(speaker=_clean_np(np))
        return subj
    if verb_l.startswith(("speaking to", "talking to", "in an interview with", "interviewed by", "in comments to",
                          "in a statement to", "writing in", "writing for")):
        mentions = reg.mentions(np)
        outlet = mentions[0][2].name if mentions else None
        return _Subject(outlet=outlet, valid=bool(outlet) or bool(np))
    subj = _resolve_subject(np, reg, ctx, quote=quote)
    if not subj.valid:
        return subj
    if qa:  # "the Financial Times quoted a western official as saying"
        subj.speaker = _clean_np(qa.group("np"))
    elif not reg.mentions(np):
        # "she told BBC Radio 4", "said, speaking to Sky News", "said, quoted by Le Monde", "said in
        # the same BBC interview": the outlet in the cue beats one inherited through a pronoun
        obj_outlet = _object_outlet(segment, np, verb, reg, ctx)
        if obj_outlet:
            subj.outlet, subj.outlet_from = obj_outlet, "cue"
    citing = _CITING.search(segment)
    if citing and subj.speaker is None:
        subj.speaker = _clean_np(citing.group("np"))
    return subj


_RX_SHORT_NAME = re.compile(r"(?:[Tt]he\s+)?([A-Z][\w'’-]+)")
_OUTER_REPORT = re.compile(rf",\s+(?P<o>[^,]{{2,60}}?)\s+{_ADV}(?:{_TAIL_VERBS})(?:\s+{_DAYS})?[.!?]?\s*$")


def _tail_cue(
    text: str, bs: int, be: int, reg: Registry, ctx: _Context, *, quote: bool, lead: int | None = None
) -> _Cue | None:
    """A cue after its content, in text[bs:be]. `lead` is where the content starts: a pronoun
    in the cue refers to a person named as the content's subject ("Merz wants a coalition in place
    “by Easter”, he told supporters")."""
    if not _cue_words_in(ctx, bs, be):
        return None
    seg = text[bs:be]
    for rx in (_TAIL_ACCORDING, _TAIL_VERB_SUBJ, _TAIL_SUBJ_VERB_QUOTE if quote else _TAIL_SUBJ_VERB):
        m = rx.match(seg)
        if not m:
            continue
        np = m.group("np") if m.group("np") is not None else m.group("np2")
        verb = m.group("verb") if m.group("verb") is not None else m.group("verb2")
        if rx is _TAIL_VERB_SUBJ:
            # "…, said the Guardian." names a speaker; "…, said the system would “…”" is a clause
            if re.search(r"[“”\"«»]|\b(?:would|will|had|has|have|was|were|is|are|could|should|may|might|can|that)\b", np.split(",")[0]):
                continue
            np = re.split(r",|\s+(?:on|in|at|during|after|before|last|this)\s+", np)[0]
            if re.match(r"^(?:that|it|in|on|to)\b", np.strip(), re.I) and np.strip().lower() != "it":
                continue
        subj = _subject_for_cue(np, verb, seg, reg, ctx, quote=quote)
        if not subj.valid:
            continue
        if lead is not None and np.strip().lower() in ("he", "she"):
            named = _PERSON_NAME.match(text, lead, bs)
            if named and re.match(r"\s+[a-z]", text[named.end() : named.end() + 2]) and _gender_fits(
                    named.group(), np.strip().lower()):
                subj.speaker, subj.outlet_from = named.group(), "cue"
        if subj.outlet is None and not subj.collective:
            outer = _OUTER_REPORT.search(seg)
            if outer and (named := reg.mentions(outer.group("o"))):
                subj.outlet = _prefer_cited(named[0][2].name, outer.group("o")[named[0][0] : named[0][1]], reg, ctx)
            elif outer and _ANAPHORA.match(outer.group("o").strip()) and ctx.last_outlet:
                subj.outlet = ctx.last_outlet  # "…,” Reynolds implored union leaders, the paper said
            elif outer and (short := _RX_SHORT_NAME.fullmatch(outer.group("o").strip())):
                subj.outlet = _back_reference(short.group(1), reg, ctx)  # "…, the Post reported"
        cs = bs + len(seg) - len(seg.lstrip(" ,;:—–-"))
        ce = bs + len(seg.rstrip(" .!?"))
        return _Cue(cs, ce, subj)
    return None


# a tail cue holds a verb of saying or reporting, "according to", "per" or "citing"
_TAIL_WORD = re.compile(rf"(?<![\w'’-])(?:{_SAY}|according to|per|citing|(?:reported|revealed|disclosed|published)\s+(?:\w+\s+)?(?:by|in))(?![\w'’-])")
# the other words a cue can hang on: "polled by", "first reported by", "In a … poll", "X's claim that"
_OTHER_CUE_WORD = re.compile(
    rf"(?<![\w'’-])(?:by|puts? it|(?i:according to|per|citing|speaking|talking|writing|interviewed)|"
    rf"{alternation(_LEX.nouns | _LEX.cognition | _LEX.report_past | _LEX.report_third)})(?![\w'’-])"
)
# where a cue word starts: zero-width, so cues that overlap ("quoted by Le Monde. The paper cited X
# as saying") are each found
_CUE_WORD_START = re.compile(rf"(?={_TAIL_WORD.pattern})")
# where a cue after its content may begin: a comma, a dash, or "according to" with no comma
# ("… 46 percent to 39 percent according to a CBS poll")
_TAIL_BOUNDARY = re.compile(r",[\"”’']?\s+(?=\S)|\s+[—–]\s*(?=\S)|\s-\s(?=\S)|\s(?=according to\b)")


def _claim_cue(text: str, ss: int, se: int, reg: Registry, ctx: _Context) -> _Cue | None:
    """A reporting cue in a sentence without a presented quote, with the content clause it reports."""
    sentence = text[ss:se]
    body_off = 0
    dl = _DATELINE.match(sentence)
    if dl:
        body_off = dl.end()
    body = sentence[body_off:]
    base = ss + body_off
    # every cue below holds a verb of saying or reporting, "according to", a speech-act noun or
    # "by": a sentence with none of them reports nothing (one pass, before the costlier rules)
    cue_words = _cue_words_in(ctx, base, se)
    if not cue_words and not _OTHER_CUE_WORD.search(text, base, se):
        return None
    # 1. cue at the end: "…, the Guardian newspaper said." / "…, according to X." (unless the
    # sentence opens with its own cue: "Speaking to AFP, a source …, saying …")
    opens_with_cue = bool(_HEAD_SPEAKING.match(body) or _HEAD_ACCORDING.match(body)
                          or ((m_in := _HEAD_IN_NOUN.match(body)) and reg.mentions(m_in.group("np"))))
    last_cue_word = cue_words[-1] if cue_words else -1
    for m in [] if opens_with_cue or not cue_words else _TAIL_BOUNDARY.finditer(body):
        tail_s = base + m.start()
        if tail_s > last_cue_word:
            break  # no verb of saying after this point: no tail cue
        cue = _tail_cue(text, tail_s, se, reg, ctx, quote=False, lead=base)
        if cue is not None and _word_count(text[base:tail_s]) < 3:
            continue  # "On Tuesday, the BBC reported, the minister resigned": not a tail cue
        if cue is not None and re.match(r"[,\s]*(?:citing|quoting)\b", text[tail_s:se]):
            head = _head_cue(text, base, tail_s, reg, ctx)
            if head is not None and head.content is not None:
                # the head names who reported it; "citing …" names the reporter's sources
                head.subject.speaker = head.subject.speaker or cue.subject.speaker
                return head
        if cue is not None:
            cs, ce = _strip_span(text, base, tail_s)
            cue.content = (cs, ce)
            # "Judge Brinkema wrote that …, according to The New York Times": the outlet is the
            # source, the person at the head is the speaker, the content follows "that"
            _inner_speaker(text, cue, reg, ctx)
            return cue
    # 2. "Speaking to AFP, a French source … saying …" / "According to X, …"
    for rx in (_HEAD_SPEAKING, _HEAD_ACCORDING, _HEAD_IN_NOUN):
        m = rx.match(body)
        if m:
            if rx is _HEAD_IN_NOUN and not reg.mentions(m.group("np")):
                continue  # "In a statement, …" names no source: the sentence's own cue does
            rest_s = base + m.start("content")
            subj = _subject_for_cue(m.group("np"), m.group("verb"), body, reg, ctx)
            inner = _head_cue(text, rest_s, se, reg, ctx)
            if inner is not None and rx is _HEAD_SPEAKING:
                if inner.subject.outlet is None:
                    inner.subject.outlet = subj.outlet
                inner.start = base
                return inner
            if subj.valid:
                cs, ce = _strip_span(text, rest_s, se)
                return _Cue(base, base + m.end("np"), subj, (cs, ce))
    # 3a. "Economists polled by Reuters had expected …": the outlet that asked them
    m = _POLLED.match(body)
    if m and (named := reg.mentions(m.group("o"))):
        # the people asked are the outlet's anonymous panel, not a named speaker
        subj = _Subject(outlet=_prefer_cited(named[0][2].name, m.group("o"), reg, ctx))
        # the claim is the whole sentence: the source says who expected what ("Economists polled by
        # Reuters had expected …"), so the cue stays in it
        cs, ce = _strip_span(text, base, se)
        return _Cue(base + m.start("np"), base + m.end("verb"), subj, (cs, ce))
    # 3b. "Plans to close the plant were first reported by the Observer": the passive's subject is
    # what was reported
    m = _PASSIVE_REPORT.match(body) if " by " in body else None
    if m:
        subj = _resolve_subject(m.group("np"), reg, ctx)
        if subj.valid and (subj.outlet or subj.speaker):
            cs, ce = _strip_span(text, base + m.start("content"), base + m.end("content"))
            return _Cue(base + m.start("cue"), base + m.end("np"), subj, (cs, ce))
    if _AS_REPORTED.match(body):
        return _embedded_cue(text, base, se, reg, ctx)
    # 3. cue at the start: "The Times reported that …" / "Trump said he is ready …"
    cue = _head_cue(text, base, se, reg, ctx)
    if cue is not None:
        _inner_speaker(text, cue, reg, ctx)
        return cue
    # 4. a parenthetical cue: "Ministers, the Guardian reported, are planning further cuts." The
    # claim is the whole sentence; the verdict stage leaves the cue out when matching.
    for rx in (_PARENTHETICAL, _PARENTHETICAL_ACCORDING):
        for m in rx.finditer(body):
            subj = _subject_for_cue(m.group("np"), m.group("verb"), m.group(0), reg, ctx)
            if subj.valid:
                cs, ce = _strip_span(text, base, se)
                return _Cue(base + m.start("cue"), base + m.end("cue"), subj, (cs, ce))
    return _embedded_cue(text, base, se, reg, ctx)


# "That's according to a CNN poll." : the statement is the sentence before
_THATS_ACCORDING = re.compile(
    r"^(?:That|This|It)(?:['’]s| is| was)\s+(?:(?:all|also|just|again)\s+)?(?P<verb>according to)\s+(?P<np>[^.!?]{2,160}?)[.!?]?\s*$"
)
# "As The Times reported on Saturday, he has …" / "As the paper noted, …"
_AS_REPORTED = re.compile(
    rf"(?:^|,\s+)(?:[Bb]ut,?\s+|[Aa]nd,?\s+)?[Aa]s\s+(?P<np>{_NP})\s+{_ADV}(?P<verb>{_TAIL_VERBS}|put it|puts it)(?![\w'’-])"
    rf"(?:\s+{_DAYS})?[^,;:“”\"]{{0,40}},\s+(?P<content>.+)$"
)
# a cue inside the sentence, after a subordinator or conjunction: "… after the Associated Press
# reports more than half of …", "… when CNN reported that the host had …"
_EMBEDDED = re.compile(
    rf"(?:(?:^|[,;]\s+|\s)(?:after|when|because|but|since|while|though|although|as|and|so|that|where|before|until|once|"
    rf"even as|even though|only|which|who)\s+|[:;—–]\s*)(?P<np>(?:the\s+|[Ss]ome\s+)?[A-Za-z0-9][^,;:“”\"()—–]{{0,60}}?)\s+{_ADV}(?P<verb>{_TAIL_VERBS})(?![\w'’-])"
    rf"(?:\s+{_DAYS})?(?:\s+that)?\s+(?P<content>[^.!?]{{10,}})"
)
# "…, as the parade rolled through Pasadena, CNN reported at least six planes …": an outlet opening
# the main clause after a leading subordinate clause
_OUTLET_AFTER_COMMA = re.compile(
    rf",\s+(?P<np>(?:the\s+)?[A-Z][^,;:“”\"()—–]{{0,40}}?)\s+{_ADV}(?P<verb>{_TAIL_VERBS})(?![\w'’-])(?:\s+{_DAYS})?"
    rf"(?:\s+that)?\s+(?P<content>[^.!?]{{10,}})"
)
# speech-act nouns with their owner and a that-clause: "Trump’s claim that …", "a New York Times
# report that …", "a report by Politico that …"
_NOUN_CUE = re.compile(
    rf"(?P<np>(?:[Tt]he\s+)?(?:[A-Z][\w'’.&-]*\s+){{0,4}}[A-Z][\w'’.&-]*?)(?:['’]s?)?\s+(?:(?:new|recent|latest|earlier|"
    rf"own|first|initial|original|widely\s+reported|\w+-\w+)\s+)?(?P<verb>{alternation(_LEX.nouns)})\s+that\s+(?P<content>[^.!?]{{10,}})"
    rf"|\b(?P<verb2>report|story|article|investigation|analysis|poll|survey|interview)\s+(?:by|in|from|with)\s+(?P<np2>[^,;:“”\"]{{2,50}}?)"
    rf"(?:\s+(?:this|last)\s+\w+|\s+on\s+\w+)?\s+(?:that|about|which found that|found that)\s+(?P<content2>[^.!?]{{10,}})"
)


def _embedded_cue(text: str, base: int, se: int, reg: Registry, ctx: _Context) -> _Cue | None:
    """Cues that are not at the sentence's edges: "That's according to X" (the sentence before is
    the claim), "As X reported, …", a reporting clause after a subordinator, a speech-act noun
    with a that-clause. The source must be an outlet or a named person."""
    body = text[base:se]
    m = _THATS_ACCORDING.match(body)
    if m and ctx.prev_sentence and not ctx.text[ctx.prev_sentence[1] : base].count("\n") > 2:
        subj = _subject_for_cue(m.group("np"), m.group("verb"), body, reg, ctx)
        ps, pe = ctx.prev_sentence
        if subj.valid and _word_count(text[ps:pe]) >= 3:
            cs, ce = _strip_span(text, ps, pe)
            return _Cue(base + m.start("verb"), base + m.end("np"), subj, (cs, ce))
    m = _AS_REPORTED.search(body)
    if m:
        subj = _subject_for_cue(m.group("np"), m.group("verb"), body[: m.start("content")], reg, ctx)
        if subj.valid and (subj.outlet or subj.speaker):
            cs, ce = _strip_span(text, base + m.start("content"), se)
            return _Cue(base + m.start(), base + m.start("content"), subj, (cs, ce))
    for m in _OUTLET_AFTER_COMMA.finditer(body):
        named = reg.mentions(m.group("np"))
        if named and named[0][0] <= 4 and named[0][1] >= len(m.group("np")) - 1 and _word_count(m.group("content")) >= 4:
            subj = _Subject(outlet=_prefer_cited(named[0][2].name, m.group("np")[named[0][0] : named[0][1]], reg, ctx))
            cs, ce = _strip_span(text, base + m.start("content"), se)
            return _Cue(base + m.start("np"), base + m.end("verb"), subj, (cs, ce))
    for m in _EMBEDDED.finditer(body):
        np = m.group("np")
        subj = _resolve_subject(np, reg, ctx)
        reporter = m.group("verb") in _LEX.report_past | _LEX.report_third  # "after BuzzFeed reported"
        if subj.valid and (subj.outlet or subj.collective or (subj.speaker and np[0].isupper() and (
                _NAME.search(subj.speaker) or (reporter and re.fullmatch(r"[A-Z][\w'’.-]+", subj.speaker))))):
            cs, ce = _strip_span(text, base + m.start("content"), se)
            return _Cue(base + m.start("np"), base + m.end("verb"), subj, (cs, ce))
    for m in _NOUN_CUE.finditer(body) if (" that " in body or " about " in body) else ():
        np = m.group("np") or m.group("np2")
        if not np:
            continue
        subj = _resolve_subject(np, reg, ctx)
        if subj.valid and (subj.outlet or (subj.speaker and (_NAME.search(subj.speaker) or _known_surname(
                subj.speaker, text, base)))):
            key = "content" if m.group("content") else "content2"
            cs, ce = _strip_span(text, base + m.start(key), se)
            return _Cue(base + m.start(), base + m.start(key), subj, (cs, ce))
    return None


_POLLED = re.compile(
    rf"^(?P<np>[A-Z][^,;:“”\"]{{0,60}}?)\s+(?:polled|surveyed|interviewed|questioned|contacted|consulted)\s+by\s+"
    rf"(?P<o>[^,;:“”\"]{{2,40}}?)\s+{_ADV}(?P<verb>{alternation(_FINITE_FORMS | _LEX.cognition)})(?![\w'’-])\s+(?P<content>.+)$"
)
_PASSIVE_REPORT = re.compile(
    r"^(?P<content>[^,;:]{10,}?)\s+(?P<cue>(?:was|were|has been|have been|had been|is|are)\s+(?:first\s+|also\s+|originally\s+)?"
    r"(?:reported|published|revealed|disclosed|broken|announced|aired|broadcast)\s+(?:\w+\s+)?by)\s+"
    r"(?P<np>[^,.;:]{2,60}?)(?=\s+(?:on|in|at|last|this|earlier)\b|[,.;:]|$)"
)


_PARENTHETICAL = re.compile(
    rf",\s+(?P<cue>(?P<np>{_NP})\s+{_ADV}(?P<verb>{_TAIL_VERBS})"
    rf"(?:\s+{_DAYS})?)\s*,\s+(?=[a-z])"
)
_PARENTHETICAL_ACCORDING = re.compile(
    r",\s+(?P<cue>(?P<verb>according to|(?:as\s+)?(?:first\s+|originally\s+|previously\s+)?(?:reported|revealed|published)\s+by)"
    r"\s+(?P<np>[^,]{1,80}))\s*,\s+(?=[a-z])"
)


_STRONG_SAY = re.compile(
    r"^(?:said|says|told|warned|argued|insisted|claimed|described|wrote|added|estimated|predicted|"
    r"confirmed|denied|admitted|acknowledged|conceded|suggested|urged|called)$"
)


# a second tail cue ends with its verb of saying and at most a time: "the service said on Friday"
_SAID_AT_END = re.compile(rf"\b(?:{_STRONG_SAY.pattern[4:-2]})(?:\s+{_DAYS})?$")


_ALL_CAPITALISED = re.compile(r"(?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’-]+")
_SAY_AT_END = re.compile(rf"(?<![\w'’-])({_SAY})\s*$")


def _inner_speaker(text: str, cue: _Cue, reg: Registry, ctx: _Context) -> None:
    """An outlet's report of someone's words: "…, according to the NYT" / "The Independent reported
    that the Royal College of Nursing described …" — the person inside is the speaker. Content after
    "X wrote that" is the reported statement itself."""
    if not cue.subject.outlet or cue.subject.speaker or cue.content is None:
        return
    cs, ce = cue.content
    # "…, the EU's Copernicus service said on Friday, Reuters reported": a second tail cue inside
    for m in _TAIL_BOUNDARY.finditer(text, cs, ce):
        inner_tail = _tail_cue(text, m.start(), ce, reg, ctx, quote=False)
        if inner_tail is not None and not _SAID_AT_END.search(text[inner_tail.start : inner_tail.end]):
            continue  # "…, Clinton leads Sanders by 271 pledged delegates": not a second cue
        if inner_tail is not None and _word_count(text[cs : m.start()]) >= 3:
            if inner_tail.subject.speaker and not inner_tail.subject.outlet and not inner_tail.subject.collective:
                cue.subject.speaker = inner_tail.subject.speaker
                cue.content = _strip_span(text, cs, m.start())
            return
    inner = _head_cue(text, cs, ce, reg, ctx)
    if inner is None or not inner.subject.speaker or inner.subject.outlet or not inner.content:
        # "Politico reported that Merz wanted …", "The paper said trans rights groups had
        # described …": the reported clause's own subject is the person inside the report
        cue.subject.speaker = _reported_agent(text, cs, ce, reg, ctx)
        return
    verb = _SAY_AT_END.search(text, max(inner.start, inner.end - 80), inner.end)
    if not verb or not _STRONG_SAY.match(verb.group(1).split()[0]):
        # "Sen. Maria Cantwell … hammered the plan as “…”, the newspaper wrote": quoted words in the
        # clause are the named subject's, whatever the verb (an action reported, "Trump threatened a
        # tariff", stays the outlet's own report); the content stays the whole clause
        if _ALL_CAPITALISED.fullmatch(inner.subject.speaker) and re.search(r"[“”\"]", text[inner.end : ce]):
            cue.subject.speaker = inner.subject.speaker
        return
    cue.subject.speaker = inner.subject.speaker
    if re.search(r"\bthat\s*$", text[inner.start : inner.content[0]]):
        cue.content = inner.content


# the subject of a reported clause and its verb of saying, naming or thinking, after up to two
# auxiliaries or adverbs: "a Chinese embassy spokesman had warned", "Merz wanted"
_REPORTED_VERB = re.compile(
    rf"\s+(?:(?:had|has|have|would|will|could|should|may|might|must|can|was|were|did|does|do|also|later|previously|"
    rf"privately|publicly|already|\w+ly)\s+){{0,2}}(?P<verb>{alternation(_FINITE_FORMS | _LEX.cognition | _LEX.naming)})(?![\w'’-])"
)


def _reported_agent(text: str, cs: int, ce: int, reg: Registry, ctx: _Context) -> str | None:
    """Who says what an outlet reports, when its clause opens with them and a verb of saying or
    naming: a named person or body, or a description ending in a noun for people or bodies ("a
    Chinese embassy spokesman had warned …", "trans rights groups had described …"). An action
    reported ("the FAA had halted flights") is the outlet's own report; so, for now, is a wish or
    belief ("Merz wanted …", see the README)."""
    m = _REPORTED_VERB.search(text, cs, min(ce, cs + 200))
    if not m or not 2 <= m.start() - cs <= 80 or re.search(r"[,;:“”\"()—–]", text[cs : m.start()]):
        return None
    np = text[cs : m.start()].strip()
    words = np.split()
    if not words or len(words) > 8 or reg.mentions(np):
        return None
    low = np.lower()
    verb = " ".join(m.group("verb").split())
    thinking = verb in _COGNITION_ONLY
    if low in ("he", "she"):
        subj = _resolve_subject(np, reg, ctx, quote=True)
        return subj.speaker if subj.valid else None
    if low in _PRONOUNS or low in ("it", "this", "that", "there", "they", "we", "i", "you"):
        return None
    last = words[-1].lower().strip("'’")
    if thinking:
        # "Politico reported that Merz wanted …" names Merz, but the judge's speaker check cannot yet
        # confirm a wish or belief in the source: left unnamed, as before
        return None
    if _NAME.search(np) or (last in _LEX.agents and words[0].lower() not in ("its", "his", "her", "their", "our")):
        return np
    return None


_THAT_CLAUSE = re.compile(r"\sthat\s+\S")
_FINITE_SOON = re.compile(rf"\s+[\w'’-]+(?:\s+[\w'’-]+)?\s+{_ADV}(?:{_TAIL_VERBS})")


def _head_cue(text: str, bs: int, se: int, reg: Registry, ctx: _Context) -> _Cue | None:
    # a head cue's verb comes within a subject's reach of the start (a leading clause, a subject and
    # its appositive): without a verb of saying there, there is nothing to match
    if not _cue_words_in(ctx, bs, min(se, bs + 380)):
        return None
    body = original = text[bs:se]
    for _ in range(3):
        # a cue at the very start first ("The paper said X, and reported that Y"), then after a
        # leading adverbial ("Asked whether …, Reid said …")
        m = _HEAD_NOPRE.match(body) or _HEAD.match(body)
        if not m:
            return None
        np = original[m.start("np") : m.end("np")]
        segment = original[: m.start("content")]
        if m.group("pre") and re.search(r",\s*$", segment) and body[m.start("content") : m.start("content") + 1].islower():
            # "Ministers, the Guardian reported, are planning …": the leading words are the subject of
            # the reported statement and the cue is parenthetical (read by the caller)
            return None
        subj = _subject_for_cue(np, m.group("verb"), segment, reg, ctx)
        if subj.valid and _THAT_CLAUSE.search(np):
            return None  # "Clinton seized on a Times report that Trump had declared …": a noun's clause, not a subject
        if subj.valid and " ".join(m.group("verb").lower().split()) in _BASE_ONLY and _FINITE_SOON.match(original, m.end("verb")):
            subj = _Subject(valid=False)  # "Some protest leaders said": the noun "protest" is not the verb
        if subj.valid:
            break
        # "Some protest leaders said …": "protest" was not the verb; read on past it (the word is
        # masked with a placeholder of the same length, so offsets stay those of the text)
        vs, ve = m.span("verb")
        body = body[:vs] + "x" * (ve - vs) + body[ve:]
    else:
        return None
    body = original
    cs = bs + m.start("content")
    # "… partially confirmed the reports, saying France was working …": the content follows "saying"
    saying = _SAYING.search(text, cs, se)
    told = m.group("verb").lower() in ("told", "tells")
    if saying:
        cs = saying.end()
    else:
        # "said in 2023 that …", "told reporters on Friday that …" (a short adverbial, not a clause:
        # "the reforms would cost £20m and that …" keeps its first statement)
        that = re.match(r"(?:[^\s,:“\"]+\s+){1,4}?that\s+", text[cs:se])
        if that and not re.search(r"\b(?:and|or|would|will|had|has|have|was|were|is|are|could|should)\b", that.group()
        ):
            named = reg.mentions(that.group())
            if not named:
                cs += that.end()
            elif told:  # "told the Times that …": the outlet spoken to, then the statement
                if subj.outlet is None or subj.outlet_from == "context":
                    subj.outlet = _prefer_cited(named[0][2].name, that.group()[named[0][0] : named[0][1]], reg, ctx)
                    subj.outlet_from = "cue"
                cs += that.end()
    if told and not saying:
        # "Smith told the paper the campaign had cost …": the listener is not part of the statement
        head2 = " ".join(text[cs:se].split()[:2])
        named = reg.mentions(text[cs : cs + 60])
        if _ANAPHORA.match(head2) and ctx.last_outlet:
            subj.outlet = subj.outlet or ctx.last_outlet
            cs += text[cs:se].find(head2.split()[1]) + len(head2.split()[1])
        elif named and named[0][0] <= 4 and not re.match(r"\s*(?:'s|’s)", text[cs + named[0][1] : cs + named[0][1] + 3]):
            if subj.outlet is None or subj.outlet_from == "context":
                subj.outlet, subj.outlet_from = _prefer_cited(named[0][2].name, text[cs + named[0][0] : cs + named[0][1]], reg, ctx), "cue"
            cs += named[0][1]
    rest = text[cs:se]
    # "She told her children to leave", "He has said little about …": an order or a non-statement
    if re.match(r"(?:little|nothing|much|very little|so|no more|otherwise)\b", rest, re.I) or (
        m.group("verb").lower() in ("told", "tells") and re.match(r"(?:[^\s,]+\s+){1,3}to\s+[a-z]+\b", rest)
        and not reg.mentions(rest[:40])
    ):
        return None
    cs, ce = _strip_span(text, cs, se)
    if text[cs : cs + 5].lower() == "that ":
        cs += 5
    return _Cue(bs + m.start("np"), bs + m.end("verb") + len(m.group("obj") or ""), subj, (cs, ce))


# ------------------------------------------------------------------------------------------ emit


def _emit(
    text: str,
    ctx: _Context,
    kind: str,
    s: int,
    e: int,
    sentence_span: tuple[int, int],
    cue: str,
    subj: _Subject,
    all_quotes: list[_Quote],
    parts: list[tuple[int, int]] | None = None,
) -> None:
    fragments: list[str] = []
    if kind == "claim":
        for q in all_quotes[bisect_left(all_quotes, s, key=_open_at):]:
            if q.open_at > e:
                break
            if q.close_at <= e + 1:
                frag = text[q.start : q.end].strip(" ,.;:")
                if frag:
                    fragments.append(frag)
    _carry_interview(ctx, cue, subj, sentence_span)
    a = Attribution(
        id="",
        kind=kind,
        text=text[s:e],
        span=(s, e),
        sentence=text[sentence_span[0] : sentence_span[1]].strip(),
        cue=cue.strip(" ,"),
        outlet=subj.outlet,
        speaker=subj.speaker,
        fragments=fragments,
        collective=subj.collective,
        sentence_span=sentence_span,
    )
    if parts and len(parts) > 1:
        a.parts = list(parts)
        a.text = " … ".join(text[ps:pe] for ps, pe in parts)
    if subj.outlet:
        a.outlets = list(subj.outlets) if len(subj.outlets) > 1 else [subj.outlet]
        a.outlet_from = subj.outlet_from
    ctx.found.append(a)
    if subj.outlet:
        ctx.last_outlet = subj.outlet
        if not ctx.cited or ctx.cited[-1] != subj.outlet:
            if subj.outlet in ctx.cited:  # each outlet once, in order of its last citation
                ctx.cited.remove(subj.outlet)
            ctx.cited.append(subj.outlet)
    ctx.last_subject_outlet = bool(subj.outlet and not subj.speaker)
    if subj.speaker and subj.speaker.lower() not in _PRONOUNS:
        ctx.last_speaker = subj.speaker
        ctx.last_speaker_outlet = subj.outlet
        if _NAME.search(subj.speaker) or re.fullmatch(r"[A-Z][\w'’-]+", subj.speaker):
            ctx.last_person = subj.speaker
            if subj.speaker in ctx.persons:
                ctx.persons.remove(subj.speaker)
            ctx.persons.append(subj.speaker)


# "X told the FT", "speaking to the BBC", "in an interview with Le Monde": the outlet is the one the
# speaker talked to, and X's further quotes in the story come from that interview
_LISTENER_CUE = re.compile(
    r"\b(?:told|tells|telling|speaking to|spoke to|talking to|talked to|in an interview with|interviewed by|"
    r"in comments to|said to|in a statement to)\b", re.I
)
# another occasion for the speaker's words: the carried-over interview no longer applies
_OTHER_OCCASION = re.compile(
    r"\b(?:reporters|journalists|press conference|news conference|briefing|statement|interview|speech|rally|"
    r"hearing|debate|tweet|post|wrote|later|earlier|separately|at the time|back then|previously|in the past|"
    r"in (?:19|20)\d\d|last (?:year|month|week)|years? ago|months? ago|once)\b", re.I
)


def _outside_quotes(text: str, s: int, e: int) -> str:
    """The sentence without its quoted words: the author's own framing."""
    return re.sub(r"[“\"«][^”\"»]*[”\"»]", " ", text[s:e])


def _surname(speaker: str | None) -> str | None:
    if not speaker or speaker.lower() in _PRONOUNS or not (_NAME.search(speaker) or re.fullmatch(r"[A-Z][\w'’-]+", speaker)):
        return None
    return speaker.split()[-1].strip("'’").lower()


def _carry_interview(ctx: _Context, cue: str, subj: _Subject, sentence_span: tuple[int, int] = (0, 0)) -> None:
    """Discourse carry-over: after "Aalst told the FT …", “…,” Aalst said carries the FT (from context)
    until another outlet or another occasion for Aalst's words is introduced."""
    key = _surname(subj.speaker)
    if key is None or subj.collective:
        return
    def other() -> bool:
        return bool(_OTHER_OCCASION.search(cue) or _OTHER_OCCASION.search(_outside_quotes(ctx.text, *sentence_span)))

    if subj.outlet and subj.outlet_from == "context" and other():
        # "At the time, she said …": not the interview she gave before
        subj.outlet, subj.outlets = None, []
        ctx.interviews.pop(key, None)
    elif subj.outlet:
        if _LISTENER_CUE.search(cue):
            ctx.interviews[key] = subj.outlet
        else:
            ctx.interviews.pop(key, None)
    elif key in ctx.interviews:
        if other():
            ctx.interviews.pop(key)
        else:
            subj.outlet, subj.outlet_from = ctx.interviews[key], "context"
