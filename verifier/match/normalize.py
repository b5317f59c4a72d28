"""Text normalisation shared by the matcher: tokens with canonical forms and source offsets.

Both sides of every comparison go through the same `tokenize`, so a normalisation rule can only make
two spellings of the *same* thing compare equal; the rules are deliberately narrow (word lists rather
than suffix rules where a suffix rule could merge two different words, e.g. "filled"/"filed").
The number vocabulary (number words, magnitudes, currencies, fractions) is in `number_words.py`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from verifier.match.number_words import (
    _CURRENCY_SYMBOLS,
    _CURRENCY_WORDS,
    _MAGNITUDES,
    _NUMBER_WORDS,
    _ORDINAL_DIGITS,
    _ORDINAL_WORDS,
    _format_number,
    _fraction,
    _parse_digits,
    _parse_number_words,
    _raw_units,
)

# Token kinds
WORD = "word"
NUMBER = "number"
UNIT = "unit"  # currency or percent, placed after its number
GAP = "gap"  # an ellipsis: words were left out here

NEGATIONS = frozenset(
    """not no never none nobody nothing neither nor cannot without nowhere
    don't doesn't didn't won't wouldn't can't couldn't shouldn't isn't aren't wasn't weren't
    hasn't haven't hadn't mustn't mightn't needn't shan't ain't""".split()
)

_QUOTE_CHARS = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
        "`": "'", "\u00b4": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
        "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
    }
)


def clean_chars(text: str) -> str:
    """NFKC plus one form for quotes, apostrophes, dashes and spaces (length may change)."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTE_CHARS)


# British -> American pairs (one direction only; applied to both sides). Word lists, not suffix
# rules, except the -ise/-isation/-yse endings, which never separate two real English words.
_SPELLING_PAIRS = """
colour color colours colors coloured colored favour favor favours favors favoured favored
favourite favorite favourable favorable honour honor honours honors honoured honored
labour labor labours labors laboured labored neighbour neighbor neighbours neighbors
neighbourhood neighborhood behaviour behavior behaviours behaviors humour humor rumour rumor
rumours rumors harbour harbor harbours harbors vigour vigor armour armor armoured armored
endeavour endeavor valour valor saviour savior flavour flavor odour odor rigour rigor
centre center centres centers centred centered theatre theater theatres theaters metre meter
metres meters litre liter litres liters fibre fiber calibre caliber spectre specter sombre somber
defence defense defences defenses offence offense offences offenses licence license pretence pretense
travelled traveled travelling traveling traveller traveler travellers travelers cancelled canceled
cancelling canceling labelled labeled labelling labeling modelled modeled modelling modeling
signalled signaled signalling signaling fuelled fueled fuelling fueling counselled counseled
levelled leveled totalled totaled channelled channeled marshalled marshaled funnelled funneled
quarrelled quarreled rivalled rivaled tunnelled tunneled jewellery jewelry
programme program programmes programs catalogue catalog dialogue dialog analogue analog
cheque check cheques checks grey gray tyre tire tyres tires kerb curb plough plow
manoeuvre maneuver manoeuvres maneuvers paediatric pediatric orthopaedic orthopedic
anaesthetic anesthetic foetus fetus oestrogen estrogen diarrhoea diarrhea haemorrhage hemorrhage
leukaemia leukemia anaemia anemia encyclopaedia encyclopedia mediaeval medieval
ageing aging judgement judgment acknowledgement acknowledgment enrol enroll enrolment enrollment
fulfil fulfill fulfilment fulfillment instalment installment skilful skillful wilful willful
sceptic skeptic sceptical skeptical scepticism skepticism aluminium aluminum
storey story storeys stories draught draft draughts drafts pyjamas pajamas mould mold moult molt
smoulder smolder practise practice practised practiced practising practicing
towards toward afterwards afterward amongst among whilst while learnt learned spelt spelled
burnt burned dreamt dreamed leapt leaped
"""
_SPELLING: dict[str, str] = {}
_words = _SPELLING_PAIRS.split()
for _i in range(0, len(_words) - 1, 2):
    _SPELLING[_words[_i]] = _words[_i + 1]
del _words

_ISE = re.compile(r"^(\w{3,})is(e|es|ed|ing|ation|ations|er|ers)$")
_YSE = re.compile(r"^(\w{2,})ys(e|es|ed|ing)$")
# -ise words whose stem is not a -ize verb: leave them alone ("promise" must not become "promize").
_ISE_KEEP = frozenset(
    """advertise advise arise chastise circumcise comprise compromise concise demise despise devise
    disguise enterprise excise exercise expertise franchise improvise incise merchandise noise otherwise
    poise precise premise promise raise revise rise supervise surmise surprise televise treatise wise
    praise cruise bruise paradise""".split()
)

ORDINAL = "ordinal"
@dataclass(frozen=True)
class Token:
    norm: str  # canonical form compared by the matcher
    start: int  # offsets of the surface text in the tokenised string
    end: int
    surface: str  # lowercased, cleaned surface form: "same surface" means verbatim
    kind: str = WORD
    optional: bool = False  # inside editorial brackets: may be absent or replaced


def _fold(w: str) -> str:
    """Drop diacritics ("Šefčovič" -> "sefcovic"): copy often loses them. Surfaces keep them, so
    a quote that differs only here is "normalised", not "verbatim"."""
    if w.isascii():
        return w
    return "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))


def _canon_word(w: str) -> str:
    w = _fold(clean_chars(w).lower())
    if w in _SPELLING:
        return _SPELLING[w]
    if w not in _ISE_KEEP:
        m = _ISE.match(w)
        if m and not any(w == k or w.startswith(k) for k in _ISE_KEEP):
            return f"{m.group(1)}iz{m.group(2)}"
        m = _YSE.match(w)
        if m and len(w) > 6:
            return f"{m.group(1)}yz{m.group(2)}"
    return w


def tokenize(text: str, *, editorial_parens: bool = False) -> list[Token]:
    """Canonical tokens of `text` with offsets into it.

    Numbers (digits or words, with magnitudes) become one NUMBER token with a plain decimal value;
    currencies and per cent become a UNIT token after their number, so "£18.4m", "18.4 million pounds"
    and "GBP 18.4mn" all read ["18400000", "gbp"]. Words inside [square brackets] are editorial and
    marked optional; with `editorial_parens` (used for the article's own quotes) (round brackets) too.
    An ellipsis becomes a GAP token.
    """
    raws = _raw_units(text)
    out: list[Token] = []
    depth = 0
    i = 0
    n = len(raws)
    while i < n:
        r = raws[i]
        optional = depth > 0
        if r.kind == "open":
            if r.text == "[" or editorial_parens:
                depth += 1
            i += 1
            continue
        if r.kind == "close":
            if depth > 0 and (r.text == "]" or editorial_parens):
                depth -= 1
            i += 1
            continue
        if r.kind == "ellipsis":
            out.append(Token("…", r.start, r.end, "…", GAP))
            i += 1
            continue
        if r.kind == "pct":
            out.append(Token("percent", r.start, r.end, "%", UNIT, optional))
            i += 1
            continue
        # Fractions are one value: "two-thirds" = 0.667, "three-fourths" = "three quarters" = 0.75,
        # "half" = 0.5, "a third" = 0.333 (so "two-thirds" does not meet "2-1" and "thirds" apart)
        frac = _fraction(raws, i, text)
        if frac is not None:
            value_f, end_i = frac
            out.append(Token(_format_number(value_f), r.start, raws[end_i].end,
                             clean_chars(text[r.start : raws[end_i].end]).lower(), NUMBER, optional))
            i = end_i + 1
            continue
        # Ordinals ("third", "3rd") are numbers too: "for the third time" vs "the second time".
        if r.kind == "word" and r.text.lower() in _ORDINAL_WORDS:
            value_o = _ORDINAL_WORDS[r.text.lower()]
            out.append(Token(f"#{value_o}", r.start, r.end, clean_chars(r.text).lower(), ORDINAL, optional))
            i += 1
            continue
        if r.kind == "num" and i + 1 < n and raws[i + 1].kind == "word" and raws[i + 1].start == r.end:
            m_ord = _ORDINAL_DIGITS.match(r.text + raws[i + 1].text)
            if m_ord:
                out.append(Token(f"#{int(m_ord.group(1))}", r.start, raws[i + 1].end,
                                 clean_chars(text[r.start : raws[i + 1].end]).lower(), ORDINAL, optional))
                i += 2
                continue
        # Numbers, with an optional currency before and magnitude/currency/percent after.
        currency: str | None = None
        cur_start = r.start
        j = i
        if r.kind == "cur" and j + 1 < n and raws[j + 1].kind == "num" and raws[j + 1].start == r.end:
            currency = _CURRENCY_SYMBOLS[r.text]
            j += 1
        elif (
            r.kind == "word"
            and r.text.lower() in _CURRENCY_WORDS
            and j + 1 < n
            and raws[j + 1].kind in ("num", "cur")
            and raws[j + 1].start - r.end <= 1
        ):
            # "US$5bn" or "GBP 18.4m": the word belongs to the currency
            if raws[j + 1].kind == "cur" and j + 2 < n and raws[j + 2].kind == "num":
                currency = _CURRENCY_SYMBOLS[raws[j + 1].text]
                j += 2
            elif raws[j + 1].kind == "num":
                currency = _CURRENCY_WORDS[r.text.lower()]
                j += 1
        elif (
            r.kind == "word"
            and r.text.lower() == "us"
            and j + 2 < n
            and raws[j + 1].kind == "cur"
            and raws[j + 1].start == r.end
            and raws[j + 2].kind == "num"
        ):
            currency = _CURRENCY_SYMBOLS[raws[j + 1].text]
            j += 2
        value: Decimal | None = None
        if raws[j].kind == "num":
            value = _parse_digits(raws[j].text)
            end = raws[j].end
            j += 1
        elif raws[j].kind == "word" and raws[j].text.lower() in _NUMBER_WORDS:
            value, j, end = _parse_number_words(raws, j)
        if value is None:
            if r.kind == "cur":
                i += 1
                continue
            if r.kind == "num":  # unparseable digits such as "1,2": keep as a literal
                out.append(Token(r.text, r.start, r.end, r.text, NUMBER, optional))
                i += 1
                continue
            w = _canon_word(r.text)
            out.append(Token(w, r.start, r.end, clean_chars(r.text).lower(), WORD, optional))
            i += 1
            continue
        # magnitude directly attached ("18.4m") or as the next word ("18.4 million")
        while j < n and raws[j].kind == "word" and raws[j].text.lower() in _MAGNITUDES:
            gap = text[end : raws[j].start]
            if gap.strip() not in ("", "-"):
                break
            value *= _MAGNITUDES[raws[j].text.lower()]
            end = raws[j].end
            j += 1
        unit: str | None = None
        unit_end = end
        if j < n and raws[j].kind == "pct" and raws[j].start - end <= 1:
            unit, unit_end = "percent", raws[j].end
            j += 1
        elif j < n and raws[j].kind == "word":
            low = raws[j].text.lower()
            nxt = raws[j + 1].text.lower() if j + 1 < n and raws[j + 1].kind == "word" else ""
            if low == "per" and nxt == "cent":
                unit, unit_end = "percent", raws[j + 1].end
                j += 2
            elif low in ("percent", "pct"):
                unit, unit_end = "percent", raws[j].end
                j += 1
            elif low in _CURRENCY_WORDS and currency is None:
                currency, unit_end = _CURRENCY_WORDS[low], raws[j].end
                j += 1
        surface = clean_chars(text[cur_start:end]).lower()
        out.append(Token(_format_number(value), cur_start, end, surface, NUMBER, optional))
        if currency:
            out.append(Token(currency, cur_start, unit_end, currency, UNIT, optional))
        if unit:
            out.append(Token(unit, end, unit_end, unit, UNIT, optional))
        i = j
    return out


@lru_cache(maxsize=1)
def _stemmer():  # snowballstemmer builds its tables on first use; do it once
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    # cached: the pure-Python Snowball stemmer dominated claim matching (bench/README.md)
    return _stemmer().stemWord(word)


STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from into onto upon as is are was were be been being
    am do does did has have had having will would shall should can could may might must that this these those
    there here it its it's they them their theirs he him his she her hers we us our ours you your i me my
    which who whom whose what when where why how than then so such also very just about over under up down
    out off again further once only own same too s t said says say told tell reported reports according
    per cent percent any all each every other another both either whether around approximately roughly
    nearly almost some""".split()
)


# Names a paraphrase may use for the same place or body. Used only for claims (a quote must keep
# the speaker's own word): "the UK-France plan" is supported by "Britain and France".
_ENTITY_GROUPS = [
    "uk britain british britons briton", "us america american americans usa",
    "russia russian russians moscow kremlin", "ukraine ukrainian ukrainians kyiv kiev",
    "france french", "germany german germans", "china chinese", "israel israeli israelis",
    "iran iranian iranians", "india indian indians", "japan japanese", "spain spanish", "italy italian",
]
_ENTITY: dict[str, str] = {}
for _group in _ENTITY_GROUPS:
    _words_g = _group.split()
    for _w in _words_g:
        _ENTITY.setdefault(_w, _words_g[0])


# Words a faithful paraphrase swaps freely (claims only; a quote keeps the speaker's words). The
# first word of a group is its canonical form; groups are compared after stemming.
_SYNONYM_GROUPS = [
    "increase rise climb grow jump surge soar rose risen grew",
    "decrease fall drop decline reduce lower slash fell fallen",
    "plan proposal scheme", "buy purchase acquire", "begin start launch", "finish conclude",
    "large big major huge", "ban prohibit outlaw", "allow permit", "help assist", "show reveal indicate",
    "warn caution", "company firm", "children kids", "doctor physician", "vehicle car", "people individuals",
]
_SYNONYM: dict[str, str] = {}
# Irregular verb forms the Snowball stemmer leaves apart ("had not found" / "did not find").
_IRREGULAR = """
found:find spoke:speak spoken:speak wrote:write written:write took:take taken:take gave:give given:give
went:go gone:go came:come made:make knew:know known:know saw:see seen:see thought:think told:tell
sold:sell bought:buy brought:bring began:begin begun:begin ran:run won:win lost:lose left:leave
held:hold kept:keep met:meet paid:pay sent:send spent:spend stood:stand understood:understand fell:fall
fallen:fall rose:rise risen:rise grew:grow grown:grow drew:draw drawn:draw threw:throw thrown:throw
chose:choose chosen:choose broke:break broken:break struck:strike fought:fight caught:catch taught:teach
sought:seek built:build led:lead fled:flee hid:hide shot:shoot shut:shut hit:hit cut:cut put:put set:set
bore:bear borne:bear wore:wear worn:wear drove:drive driven:drive flew:fly flown:fly forgot:forget
forgotten:forget froze:freeze frozen:freeze ate:eat eaten:eat fed:feed felt:feel heard:hear laid:lay
lay:lie lent:lend let:let meant:mean rode:ride rung:ring sang:sing sung:sing sank:sink sunk:sink
slept:sleep stole:steal stolen:steal swore:swear sworn:swear swam:swim woke:wake woken:wake
"""
_IRREGULAR_MAP = dict(pair.split(":") for pair in _IRREGULAR.split())


def _synonyms() -> dict[str, str]:
    if not _SYNONYM:
        for group in _SYNONYM_GROUPS:
            words = group.split()
            for w in words:
                _SYNONYM.setdefault(stem(w), stem(words[0]))
    return _SYNONYM


def content_stem(word: str) -> str:
    """The form a claim's content word is compared in: its place/body name group, else its stem
    (in its synonym group's form)."""
    if word.endswith("'s"):
        word = word[:-2]
    if word in _ENTITY:
        return _ENTITY[word]
    st = stem(_IRREGULAR_MAP.get(word, word))
    return _synonyms().get(st, st)


def content_stems(tokens: list[Token]) -> list[str]:
    """Stems of the tokens that carry meaning (numbers kept whole, stopwords dropped, place and
    body names in one form)."""
    out = []
    for t in tokens:
        if t.kind == GAP:
            continue
        if t.kind in (NUMBER, UNIT, ORDINAL):
            out.append(t.norm)
        elif t.norm not in STOPWORDS and t.norm not in NEGATIONS:
            out.append(content_stem(t.norm))
    return out
