"""The number vocabulary the tokenizer reads, and the raw lexical units it reads it from: number
words, ordinals, magnitudes ("bn", "million"), currencies, fractions ("two-thirds", "half of") and
digit groups ("30,000", "1.234.567"). Values are `Decimal`; `normalize.tokenize` turns them into
canonical number tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "hundredth": 100,
}
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.I)
_MAGNITUDES = {
    "hundred": Decimal(100), "thousand": Decimal(1000), "k": Decimal(1000),
    "million": Decimal(10) ** 6, "millions": Decimal(10) ** 6, "m": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6, "mln": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9, "billions": Decimal(10) ** 9, "bn": Decimal(10) ** 9,
    "b": Decimal(10) ** 9, "trillion": Decimal(10) ** 12, "tn": Decimal(10) ** 12, "trn": Decimal(10) ** 12,
}
_SCALE_WORDS = {"hundred", "thousand", "million", "billion", "trillion"}
_CURRENCY_SYMBOLS = {"£": "gbp", "$": "usd", "€": "eur", "¥": "jpy", "₹": "inr"}
_CURRENCY_WORDS = {
    "pound": "gbp", "pounds": "gbp", "sterling": "gbp", "gbp": "gbp", "dollar": "usd", "dollars": "usd",
    "usd": "usd", "euro": "eur", "euros": "eur", "eur": "eur", "yen": "jpy", "rupees": "inr",
}
_CURRENCY_PREFIX_WORDS = {"us": "usd", "a": None}  # "US$5bn": the "US" belongs to the symbol

# Raw lexical units, found on the original text so offsets stay exact.
_RAW = re.compile(
    r"""
    (?P<ellipsis>\.{3}|…|\.\s\.\s\.)
  | (?P<open>[\[(])
  | (?P<close>[\])])
  | (?P<cur>[£$€¥₹])
  | (?P<num>\d+(?:[,.]\d+)*)
  | (?P<pct>%)
  | (?P<word>[^\W\d_]+(?:['’\u02bc][^\W\d_]+)*)
    """,
    re.VERBOSE,
)


def _format_number(value: Decimal) -> str:
    value = value.normalize()
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _parse_digits(s: str) -> Decimal | None:
    # "30,000" and "1,234.5" are thousands separators; "18.4" is a decimal; "1.234.567" (European) too.
    if s.count(",") and re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", s):
        s = s.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3}){2,}", s):
        s = s.replace(".", "")
    elif "," in s:
        return None
    try:
        return Decimal(s)
    except InvalidOperation:
        return None


@dataclass
class _Raw:
    kind: str
    text: str
    start: int
    end: int


def _raw_units(text: str) -> list[_Raw]:
    return [_Raw(m.lastgroup or "", m.group(), m.start(), m.end()) for m in _RAW.finditer(text)]


_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10,
}


def _fraction(raws: list[_Raw], i: int, text: str) -> tuple[Decimal, int] | None:
    """"two-thirds", "three quarters", "a third of", "half of": (value, index of the last unit)."""
    r = raws[i]
    low = r.text.lower()
    if r.kind == "word" and low == "half" and i + 1 < len(raws) and raws[i + 1].text.lower() in ("of", "a", "an"):
        return Decimal("0.5"), i
    if i + 1 >= len(raws) or raws[i + 1].kind != "word":
        return None
    den_word = raws[i + 1].text.lower()
    if den_word not in _DENOMINATORS or raws[i + 1].start - r.end > 1:
        return None
    if den_word in ("third", "fourth", "fifth", "sixth", "eighth", "tenth") and low not in ("a", "one"):
        return None  # "the third time" is an ordinal; "a third", "one third" a fraction
    if r.kind == "num":
        num = _parse_digits(r.text)
    elif low in ("a", "one"):
        num = Decimal(1)
    elif low in _NUMBER_WORDS:
        num = Decimal(_NUMBER_WORDS[low])
    else:
        return None
    if num is None or den_word == "half" or (den_word == "halves" and num < 2):
        return None
    value = (num / Decimal(_DENOMINATORS[den_word])).quantize(Decimal("0.001"))
    return value, i + 1


def _parse_number_words(raws: list[_Raw], j: int) -> tuple[Decimal | None, int, int]:
    """Parse "thirty thousand", "two hundred and fifty", "ten" starting at raws[j]."""
    total = Decimal(0)
    current = Decimal(0)
    end = raws[j].end
    seen = False
    k = j
    while k < len(raws) and raws[k].kind == "word":
        w = raws[k].text.lower()
        if w in _NUMBER_WORDS:
            current += _NUMBER_WORDS[w]
        elif w in _SCALE_WORDS and seen:
            scale = _MAGNITUDES[w]
            if scale == 100:
                current *= scale
            else:
                total += current * scale
                current = Decimal(0)
        elif w == "and" and seen and k + 1 < len(raws) and raws[k + 1].text.lower() in _NUMBER_WORDS:
            k += 1
            continue
        else:
            break
        seen = True
        end = raws[k].end
        k += 1
        if k < len(raws) and raws[k].start - end > 2:  # "-" or a space only between number words
            break
    if not seen:
        return None, j, raws[j].end
    return total + current, k, end
