"""Bytes to text, once for the whole tool: fetched bodies, stored evidence, local source files,
extracted pages and the input article all go through `decode_text`.

The order is the web's (WHATWG Encoding): a byte-order mark wins, then the charset the transport
declared (an HTTP Content-Type), then one the markup declares (`<meta charset>`, an XML
declaration), then strict UTF-8, then detection. Labels are read as browsers read them: "latin-1",
"iso-8859-1" and "ascii" mean windows-1252, whose curly quotes (0x93/0x94) news CMSes send under
those labels. Detection tries Western newsroom copy (windows-1252) first, because a statistical
detector takes a short text with one "ç" for a Central European code page ("Besançon" ->
"Besanńon"); then charset-normalizer, limited to encodings web pages use. Nothing here raises:
undecodable bytes become U+FFFD, and callers that must refuse binary input check `looks_binary`
first.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

# How far into a body a markup charset declaration is looked for (the HTML prescan reads 1024
# bytes; long <head>s of news pages put it later, and extraction has always looked at 4096).
MARKUP_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""", re.IGNORECASE)
# Browsers (WHATWG Encoding) treat these labels as windows-1252.
_WHATWG_ALIASES = {"latin1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252"}
# Code pages a detector may propose that web pages and newsroom files never use.
_NOT_WEB = re.compile(r"^(cp(437|7\d\d|8\d\d|1125)|mac_|ptcp|hp_|kz)")
# UTF-32 before UTF-16: the UTF-32 LE mark begins with the UTF-16 LE one.
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# What undeclared Western newsroom copy in cp1252 (Word exports) holds beyond ASCII: accented Latin
# letters and typographic punctuation.
_CP1252_PLAUSIBLE = frozenset(
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝßœŒšŠžŽ"
    "“”‘’„–—…•€£¥©®°±·«»¢§¶×÷¼½¾¹²³ºª¿¡\xa0"
)


class Decoded(NamedTuple):
    text: str
    encoding: str | None  # the codec used; None for an empty body


def decode_text(data: bytes, declared: str | None = None, *, markup: bool = True) -> Decoded:
    """Decode `data`: BOM, `declared` charset, markup declaration (when `markup`), strict UTF-8,
    then detection. Never raises; a leading BOM is not part of the text."""
    if not data:
        return Decoded("", None)
    bom = bom_encoding(data)
    if bom:
        return Decoded(data.decode(bom, errors="replace"), bom)
    for label in (declared, sniff_markup_charset(data) if markup else None):
        enc = normalise_encoding(label)
        if enc:
            return Decoded(data.decode(enc, errors="replace"), enc)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    enc = detect_encoding(data)
    return Decoded(data.decode(enc, errors="replace"), enc)


def bom_encoding(data: bytes) -> str | None:
    """The codec a byte-order mark at the start of `data` names, if there is one."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            return enc
    return None


def looks_binary(data: bytes, sample: int = 8192) -> bool:
    """NUL bytes near the start and no UTF-16/32 byte-order mark: not text in any web encoding."""
    return b"\x00" in data[:sample] and bom_encoding(data) is None


def sniff_markup_charset(data: bytes) -> str | None:
    """The charset label of an XML declaration or `<meta charset>` near the start of `data`."""
    head = data[:MARKUP_SNIFF_BYTES]
    m = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", errors="ignore") if m else None


def normalise_encoding(label: str | None) -> str | None:
    """Python's codec name for a charset label as browsers read it; None when unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _WHATWG_ALIASES.get(name, name)


def detect_encoding(data: bytes) -> str:
    """The likeliest web encoding of undeclared, non-UTF-8 bytes."""
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None:
        extra = [ch for ch in western if ord(ch) > 127]
        if extra and sum(ch in _CP1252_PLAUSIBLE for ch in extra) >= 0.95 * len(extra):
            return "cp1252"
    try:
        from charset_normalizer import from_bytes  # late: slow to import, and rarely needed

        for match in from_bytes(data):
            # among equally plausible web encodings prefer windows-1252, the web's legacy default
            web = [c for c in (match.could_be_from_charset or [match.encoding]) if not _NOT_WEB.match(c)]
            if web:
                return normalise_encoding("cp1252" if "cp1252" in web else web[0]) or web[0]
    except Exception:  # noqa: BLE001 - detection is best-effort; fall back to windows-1252
        pass
    return "cp1252"


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """A Content-Type header value as (media type, lower case; charset label), either None."""
    if not value:
        return None, None
    parts = [p.strip() for p in value.split(";")]
    mime = parts[0].lower() or None
    charset = None
    for p in parts[1:]:
        key, _, val = p.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return mime, charset
