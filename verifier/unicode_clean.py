"""One Unicode form for the words of drafts and sources before anything is compared.

Invisible characters carry no wording: a soft hyphen (U+00AD) is a hyphenation hint, a zero-width
space or word joiner inside "not" is not a different word, and a name typed in NFD ("e" + combining
acute) is the same name as its NFC form. Both the reader (drafts) and the extractor (source pages)
pass text through `clean_text`, so spans reported for a draft are offsets into the cleaned text.
"""

from __future__ import annotations

import re
import unicodedata

# soft hyphen, zero-width space, word joiner, zero-width no-break space (a BOM inside text),
# Mongolian vowel separator: never visible, never a word
_ALWAYS_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\u180e]")
# zero-width non-joiner / joiner shape some scripts and emoji sequences; between Latin letters
# they are stray (pasted from a web page) and are dropped
_STRAY_JOINER = re.compile(r"(?<=[A-Za-z\u00c0-\u024f])[\u200c\u200d](?=[A-Za-z\u00c0-\u024f])")


def clean_text(text: str) -> str:
    """NFC, without soft hyphens and zero-width characters inside words."""
    if text.isascii():
        return text
    text = _ALWAYS_INVISIBLE.sub("", text)
    text = _STRAY_JOINER.sub("", text)
    return unicodedata.normalize("NFC", text)
