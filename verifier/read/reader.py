"""Read the INPUT article (the one being checked) into an ArticleText.

Offsets matter: every later stage reports spans into `ArticleText.text`, and links are
recorded as spans of their anchor text in it. So:
  * .txt: `text` is the decoded file exactly, except that "\\r\\n" (and a lone "\\r") become
    "\\n" and a UTF-8 BOM is dropped. Bare URLs in it are recorded as links.
  * .md: converted to plain text (markers stripped, paragraphs kept, separated by a blank
    line); `[anchor](url)`, `<url>` and bare URLs become Links at the anchor's offsets.
  * .html: body paragraphs joined by "\\n\\n"; `<a href>` inside them become Links.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from verifier import errors
from verifier.fetch.files import DEFAULT_MAX_BYTES, LocalReadError, human_size, read_local
from verifier.models import ArticleText, FetchResult, Link
from verifier.read.html_input import html_to_article
from verifier.read.markdown_input import markdown_to_article
from verifier.read.text_links import _bare_url_links
from verifier.textcodec import decode_text, looks_binary
from verifier.unicode_clean import clean_text

TXT_EXTS = {".txt", ".text"}
MD_EXTS = {".md", ".markdown", ".mdown", ".mkd"}
HTML_EXTS = {".html", ".htm", ".xhtml"}

_MAGIC = (
    (b"%PDF", "a PDF"),
    (b"PK\x03\x04", "a ZIP/Office document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"{\\rtf", "an RTF document"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)


# The input article cannot be read; the message is one human-readable line. (Defined with the
# rest of the error tree, raised and re-exported here.)
InputError = errors.InputError


# ---------------------------------------------------------------- decoding


def decode_article(data: bytes, name: str) -> str:
    """The text of an article file's bytes (verifier.textcodec: BOM, strict UTF-8, then detection;
    a file's own <meta charset> is not trusted over its bytes). InputError, naming `name`, when
    the bytes are a binary format or not text in any encoding."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name} looks like {what}, not an article (use .txt, .md or .html)")
    if looks_binary(data):
        raise InputError(f"{name} is binary, not text")
    text = decode_text(data, markup=False).text
    sample = text[:8192]
    if sample:
        bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
        if bad / len(sample) > 0.02:
            raise InputError(f"{name} is binary or not in a text encoding")
    return text


def _looks_like_markdown(text: str) -> bool:
    """A .txt draft written in Markdown (links, headings, front matter or bold): read as Markdown so
    its link targets and markers are not taken for words. Bullets alone do not make Markdown."""
    head = text[:4000].lstrip()
    return head.startswith("---\n") or bool(
        re.search(r"\[[^\]\n]+\]\([^)\s]+\)|^#{1,6}\s+\S|\*\*[^*\n]+\*\*|^\[[^\]]+\]:\s*https?://", head, re.M)
    )


def sniff_format(text: str) -> str:
    """"html", "md" or "txt" for a text with no telling file extension (stdin, odd names)."""
    head = text[:4000].lstrip()
    if re.match(r"(?i)<!doctype\s+html|<html\b|<head\b|<body\b", head) or re.search(
        r"(?i)<(?:p|div|article|h1|br)\b[^>]*>", head
    ):
        return "html"
    if head.startswith("---\n") or re.search(
        r"\[[^\]\n]+\]\([^)\s]+\)|^#{1,6}\s+\S|^\s*[-*+]\s+\S", head, re.M
    ):
        return "md"
    return "txt"


# ---------------------------------------------------------------- entry point


def read_article(
    source: str,
    *,
    stdin: IO[str] | None = None,
    fetcher: Callable[[str], FetchResult] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ArticleText:
    """Read the article to check from a path, "-" (stdin) or an http(s) URL.

    Files and stdin are read up to `max_bytes` (the HTTP body cap); special files (devices,
    FIFOs, sockets) are refused. Raises InputError with a one-line message when it cannot be
    read or has no text."""
    if re.match(r"(?i)^https?://", source):
        return _read_url(source, fetcher)
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin
        try:
            raw = _read_stream(stream, max_bytes)
        except UnicodeDecodeError as e:
            raise InputError("standard input is not valid text") from e
        if isinstance(raw, bytes):  # a binary stream was passed in
            raw = decode_article(raw, "standard input")
        text = raw.lstrip("\ufeff")
        if "\x00" in text[:8192]:
            raise InputError("standard input is binary, not text")
        return parse_article(text, source, sniff_format(text), "standard input")

    return read_article_file(source, max_bytes)[0]


def read_article_file(source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[ArticleText, str]:
    """(article, the decoded file text) for an article file: one read serves both the article and
    what reports point into (line/column of each attribution, waiver markers). InputError as
    `read_article`."""
    path = Path(source)
    data = read_article_bytes(source, max_bytes)
    text = decode_article(data, source)
    ext = path.suffix.lower()
    fmt = (
        ("md" if _looks_like_markdown(text) else "txt")
        if ext in TXT_EXTS
        else "md"
        if ext in MD_EXTS
        else "html"
        if ext in HTML_EXTS
        else sniff_format(text)
    )
    return parse_article(text, source, fmt, source), text


def read_article_bytes(source: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of an article file, bounded; InputError (one line) when it cannot be read."""
    try:
        data, _ = read_local(source, max_bytes)
    except LocalReadError as e:
        if e.kind == "missing":
            raise InputError(f"no such file: {source}") from None
        if e.kind == "directory":
            raise InputError(f"{source} is a directory, not an article file") from None
        if e.kind == "denied":
            raise InputError(f"cannot read {source}: permission denied") from None
        if e.kind == "special":
            raise InputError(f"{e.message} (use - to read standard input)") from None
        raise InputError(e.message) from None
    return data


def _read_stream(stream: IO[str] | IO[bytes], max_bytes: int) -> str | bytes:
    """At most `max_bytes` of a stream (bytes when it has a binary buffer, else text)."""
    binary = getattr(stream, "buffer", None)
    raw = (binary or stream).read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise InputError(f"standard input is too large (over the {human_size(max_bytes)} limit; --max-size raises it)")
    return raw


def parse_article(text: str, source: str, fmt: str, name: str) -> ArticleText:
    """Decoded text in format `fmt` ("txt", "md", "html") as an ArticleText (`name` in messages).
    InputError when it holds no article text."""
    if not text.strip():
        raise InputError(f"{name} is empty")
    if fmt == "html":
        art = html_to_article(text, source)
    elif fmt == "md":
        art = markdown_to_article(text, source)
    else:
        plain = text.replace("\r\n", "\n").replace("\r", "\n")
        art = ArticleText(text=plain, source=source, format="txt", links=_bare_url_links(plain))
    if not art.text.strip():
        raise InputError(f"no article text found in {name}")
    return _cleaned(art)


def _cleaned(art: ArticleText) -> ArticleText:
    """The article with invisible characters dropped and NFC applied; link offsets follow."""
    text = art.text
    if text.isascii():
        return art
    cleaned = clean_text(text)
    if cleaned == text:
        return art
    # re-find each link's anchor in the cleaned text, in order (removed or composed characters
    # shift what follows)
    links, pos = [], 0
    for lk in art.links:
        anchor = clean_text(lk.text)
        k = cleaned.find(anchor, pos)
        if k >= 0:
            links.append(Link(lk.url, k, k + len(anchor), anchor))
            pos = k + len(anchor)
    art.links = links
    art.text = cleaned
    return art


def _read_url(url: str, fetcher: Callable[[str], FetchResult] | None) -> ArticleText:
    if fetcher is None:
        raise InputError(f"cannot fetch {url}: no fetcher available")
    try:
        result = fetcher(url)
    except Exception as e:  # noqa: BLE001 - any fetch failure is an input problem for the user
        raise InputError(f"could not fetch {url}: {e}") from e
    if result.error:
        raise InputError(f"could not fetch {url}: {result.error}")
    html = result.text or (result.body.decode("utf-8", "replace") if result.body else "")
    if not html.strip():
        raise InputError(f"{url} returned an empty page")
    art = html_to_article(html, url, page_url=result.final_url or url)
    if not art.text.strip():
        raise InputError(f"no article text found at {url}")
    return art


__all__ = ["HTML_EXTS", "MD_EXTS", "TXT_EXTS", "InputError", "decode_article", "html_to_article",
           "markdown_to_article", "parse_article", "read_article", "read_article_bytes",
           "read_article_file", "sniff_format"]


# The names the gate, the server and the audit used before these were public (kept for them).
_TXT_EXT, _MD_EXT, _HTML_EXT = TXT_EXTS, MD_EXTS, HTML_EXTS
_decode, _sniff_format, _parse = decode_article, sniff_format, parse_article
