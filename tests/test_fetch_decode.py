"""The one bytes -> text decoder (verifier.textcodec) and the three readers that use it: the HTTP
client and the store (fetched bodies), extraction (pages given as bytes) and the article reader."""

from __future__ import annotations

import codecs

import pytest

from verifier.extract.document import extract_document
from verifier.read.reader import InputError, decode_article
from verifier.textcodec import decode_text, looks_binary, normalise_encoding

QUOTE = "The minister said \u201cwe will not resign\u201d on Tuesday in Besan\u00e7on. "


def test_cp1252_smart_quotes_without_declaration() -> None:
    raw = (QUOTE * 20).encode("cp1252")
    text, enc = decode_text(raw)
    assert enc == "cp1252" and "\u201cwe will not resign\u201d" in text


def test_short_western_text_is_not_taken_for_a_central_european_code_page() -> None:
    assert decode_text("Besan\u00e7on".encode("cp1252")).text == "Besan\u00e7on"


@pytest.mark.parametrize("label", ["latin-1", "ISO-8859-1", "ascii", "us-ascii"])
def test_whatwg_labels_mean_windows_1252(label: str) -> None:
    assert normalise_encoding(label) == "cp1252"
    assert decode_text("\u201cquoted\u201d".encode("cp1252"), label).text == "\u201cquoted\u201d"


def test_order_bom_then_declared_then_markup_then_utf8() -> None:
    page = '<html><head><meta charset="iso-8859-2"></head><body>\u0141\u00f3d\u017a</body></html>'
    latin2 = page.encode("iso-8859-2")
    assert decode_text(latin2) == (page, "iso8859-2")  # the markup's declaration
    utf8 = page.encode("utf-8")
    # the transport's charset outranks the markup's; a BOM outranks both
    assert decode_text(utf8, "utf-8").text == page
    assert decode_text(codecs.BOM_UTF8 + utf8, "iso-8859-2") == (page, "utf-8-sig")
    # markup=False (the article reader): the bytes' own UTF-8 validity wins over a <meta>
    assert decode_text(utf8, markup=False) == (page, "utf-8")


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_byte_order_marks(codec: str) -> None:
    data = "caf\u00e9 \u201cok\u201d".encode(codec)  # Python writes the BOM
    assert not looks_binary(data)
    assert decode_text(data).text == "caf\u00e9 \u201cok\u201d"


def test_never_raises_and_unknown_labels_are_ignored() -> None:
    assert decode_text(b"") == ("", None)
    assert decode_text(b"plain", "no-such-charset") == ("plain", "utf-8")
    text, enc = decode_text(bytes(range(256)) * 4)
    assert isinstance(text, str) and enc


def test_extraction_and_reader_use_the_same_decoder(tmp_path) -> None:
    html = ("<html><head><title>t</title></head><body><article><p>" + QUOTE * 3 + "</p></article></body></html>")
    raw = html.encode("cp1252")
    doc = extract_document(raw, location="p.html")
    assert doc.ok and "\u201cwe will not resign\u201d" in doc.text
    assert decode_article(raw, "p.html") == decode_text(raw, markup=False).text
    assert "binary" in (extract_document(b"\x00\x01abc", location="b").error or "")
    with pytest.raises(InputError, match="binary"):
        decode_article(b"ab\x00cd", "x.txt")
