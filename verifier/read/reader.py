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
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bs4 import BeautifulSoup, Tag

from verifier import errors
from verifier.extract.document import element_text, extract_document
from verifier.fetch.files import DEFAULT_MAX_BYTES, LocalReadError, human_size, read_local
from verifier.models import ArticleText, FetchResult, Link, SourceDocument
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


# ---------------------------------------------------------------- HTML input


def html_to_article(
    html: str, source: str, page_url: str | None = None, doc: SourceDocument | None = None
) -> ArticleText:
    """Plain text of an HTML article (paragraphs joined by a blank line) with its links. `doc` is
    the page's extracted document when the caller already has it (saves extracting twice)."""
    if doc is None:
        doc = extract_document(html, location=source, url=page_url)
    soup = BeautifulSoup(html, "lxml")
    if doc.method in ("selectors", "json-ld", "itemprop") and doc.paragraphs:
        paragraphs = doc.paragraphs
    else:
        # A plain draft (no outlet markup): a straightforward walk of its block elements keeps
        # every paragraph the writer typed, which trafilatura's precision mode may drop.
        paragraphs = _simple_paragraphs(soup) or doc.paragraphs
    text = "\n\n".join(paragraphs)
    title = doc.title
    if not title:
        h1 = soup.find("h1")
        title = element_text(h1) if isinstance(h1, Tag) else None
    return ArticleText(
        text=text,
        source=source,
        format="html",
        title=title or None,
        published=doc.published,
        links=_html_links(soup, paragraphs, page_url),
    )


_SIMPLE_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")
_SKIP = frozenset({"nav", "header", "footer", "aside", "form", "figure", "figcaption", "script", "style"})


def _simple_paragraphs(soup: BeautifulSoup) -> list[str]:
    root = soup.find("article") or soup.find("main") or soup.body or soup
    out: list[str] = []
    # a dek or standfirst under the title ("<header><h1>…</h1><h2 class="dek">…</h2>") is text the
    # writer typed, and may carry an attribution ("EU tariffs coming ‘very soon’: Trump"); the h1
    # is the title, the rest of the header (byline, date) is not text
    header = root.find_previous("header") if root is not soup and root is not soup.body else None
    if isinstance(header, Tag) and not any(p.name in ("nav", "footer", "aside") for p in header.parents):
        for el in header.find_all(("h2", "h3", "h4", "h5", "h6")):
            t = element_text(el)
            if t:
                out.append(t)
    for el in root.find_all(_SIMPLE_BLOCKS):
        if el.find(_SIMPLE_BLOCKS):  # take innermost blocks only
            continue
        if any(p.name in _SKIP for p in el.parents):
            continue
        t = element_text(el)
        if t:
            out.append(t)
    return out


def _html_links(soup: BeautifulSoup, paragraphs: list[str], page_url: str | None) -> list[Link]:
    """Links whose anchors sit in an extracted paragraph, at their offsets in the joined text."""
    from urllib.parse import urljoin

    starts: dict[str, list[int]] = {}
    pos = 0
    for p in paragraphs:
        starts.setdefault(p, []).append(pos)
        pos += len(p) + 2
    cursor: dict[int, int] = {}  # paragraph start -> search position, so repeated anchors advance
    links: list[Link] = []
    text_cache: dict[int, str] = {}
    for a in soup.find_all("a", href=True):
        href = str(a["href"]).strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        if page_url:
            href = urljoin(page_url, href)
        anchor = element_text(a)
        if not anchor:
            continue
        for parent in a.parents:
            if parent.name in ("body", "html", "[document]"):
                break
            key = id(parent)
            if key not in text_cache:
                text_cache[key] = element_text(parent)
            ptext = text_cache[key]
            if ptext in starts:
                pstart = starts[ptext][0]
                i = ptext.find(anchor, cursor.get(pstart, 0))
                if i < 0:
                    i = ptext.find(anchor)
                if i >= 0:
                    cursor[pstart] = i + len(anchor)
                    links.append(Link(url=href, start=pstart + i, end=pstart + i + len(anchor), text=anchor))
                break
    links.sort(key=lambda link: link.start)
    return links


# ---------------------------------------------------------------- Markdown input

_FRONT_RE = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_REFDEF_RE = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+[\"'(].*[\"')])?\s*$", re.M)
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_HR_RE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$")
_SETEXT_RE = re.compile(r"^\s*(?:=+|-+)\s*$")
_LIST_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_QUOTE_RE = re.compile(r"^\s*(?:>\s?)+")
# Inline tokens, tried left to right; protected spans (code, links, URLs) are not touched by
# emphasis stripping, so underscores in URLs survive.
_INLINE_RE = re.compile(
    r"""
    (?P<code>`+)(?P<codetext>.+?)(?P=code)
  | (?P<img>!\[(?P<alt>[^\]]*)\]\((?P<imgurl>[^)\s]*)(?:\s+"[^"]*")?\))
  | \[(?P<anchor>(?:[^\[\]]|\[[^\]]*\])+)\]\((?P<url><[^>\n]+>|(?:[^()\s\\]|\\.|\((?:[^()\s\\]|\\.|\([^()\s]*\))*\))+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)
  | \[(?P<refanchor>[^\]]+)\]\s?\[(?P<ref>[^\]]*)\]
  | <(?P<auto>https?://[^>\s]+)>
  | (?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)
  | (?P<bare>https?://[^\s<>()\[\]"']+(?:\([^\s()]*\)[^\s<>()\[\]"']*)*)
  | \\(?P<esc>[\\`*_{}\[\]()#+\-.!>~|])
    """,
    re.X,
)
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_EM_UNDER_RE = re.compile(r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])")
_STRIKE_RE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_TRAILING_PUNCT = ".,;:!?'\""


@dataclass
class _Out:
    text: list[str] = field(default_factory=list)
    length: int = 0
    links: list[Link] = field(default_factory=list)

    def add(self, s: str) -> None:
        self.text.append(s)
        self.length += len(s)

    def add_link(self, anchor: str, url: str) -> None:
        if anchor:
            self.links.append(Link(url=url, start=self.length, end=self.length + len(anchor), text=anchor))
        self.add(anchor)


def _strip_emphasis(s: str) -> str:
    for _ in range(3):  # nested emphasis: ***x***, **_x_**
        new = _STRIKE_RE.sub(r"\1", _STRONG_RE.sub(r"\2", s))
        new = _EM_UNDER_RE.sub(r"\1", _EM_STAR_RE.sub(r"\1", new))
        if new == s:
            break
        s = new
    return s


def _inline(s: str, out: _Out, refs: dict[str, str], in_link: bool = False) -> None:
    # Protected tokens (code, links, URLs, escapes) are swapped for private-use placeholders
    # so emphasis is stripped over the whole block, including pairs that enclose a link
    # ("**the [Guardian](url) newspaper**"), without touching underscores inside URLs.
    tokens: list[re.Match[str]] = []

    def mask(m: re.Match[str]) -> str:
        tokens.append(m)
        return chr(_PUA + len(tokens) - 1)

    s = _FOOTNOTE_SUP.sub("", s)
    masked = _strip_emphasis(_INLINE_RE.sub(mask, s)) if len(s) < 50_000 else s
    plain: list[str] = []
    for ch in masked:
        i = ord(ch) - _PUA
        if not 0 <= i < len(tokens):
            plain.append(ch)
            continue
        if plain:
            out.add("".join(plain))
            plain.clear()
        _emit(tokens[i], out, refs, in_link)
    if plain:
        out.add("".join(plain))


# a footnote marker after a word ("had<sup>1</sup>") is not part of it; "1<sup>st</sup>" keeps its letters
_FOOTNOTE_SUP = re.compile(r"(?<=[^\s\d])<sup>\s*\[?\d{1,3}\]?\s*</sup>", re.I)
_PUA = 0xF0000  # Supplementary Private Use Area-A: never in real copy


def _emit(m: re.Match[str], out: _Out, refs: dict[str, str], in_link: bool) -> None:
    if m.group("esc"):
        out.add(m.group("esc"))
    elif m.group("code") is not None:
        out.add(m.group("codetext").strip(" ") or m.group("codetext"))
    elif m.group("img") is not None:
        out.add(_strip_emphasis(m.group("alt")))
    elif m.group("anchor") is not None:
        anchor = _anchor_text(m.group("anchor"))
        url = m.group("url")
        # CommonMark: <...> destinations may hold spaces; backslash escapes (\( \)) are literal
        url = url[1:-1] if url.startswith("<") and url.endswith(">") else re.sub(r"\\(.)", r"\1", url)
        out.add(anchor) if in_link else out.add_link(anchor, url)
    elif m.group("refanchor") is not None:
        url = refs.get((m.group("ref") or m.group("refanchor")).strip().lower())
        if url is None:  # "[sic]" and friends: not a link, keep as written
            out.add(m.group(0))
        else:
            anchor = _anchor_text(m.group("refanchor"))
            out.add(anchor) if in_link else out.add_link(anchor, url)
    elif m.group("tag") is not None:
        pass  # inline HTML (<em>, <sup>, <span …>) is markup, not words
    elif m.group("auto") is not None:
        url = m.group("auto")
        out.add(url) if in_link else out.add_link(url, url)
    elif m.group("bare") is not None:
        url = m.group("bare")
        stripped = url.rstrip(_TRAILING_PUNCT)
        if in_link:
            out.add(url)
        else:
            out.add_link(stripped, stripped)
            out.add(url[len(stripped) :])


def _anchor_text(raw: str) -> str:
    sub = _Out()
    _inline(raw, sub, {}, in_link=True)
    return "".join(sub.text)


def markdown_to_article(md: str, source: str) -> ArticleText:
    """Plain text of a Markdown article: one paragraph per block, blank line between blocks;
    soft-wrapped lines inside a paragraph are joined with a space (as Markdown renders them)."""
    md = md.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    title = published = None
    fm = _FRONT_RE.match(md)
    if fm:
        meta = _front_matter(fm.group(1))
        title = meta.get("title")
        published = meta.get("date") or meta.get("published") or meta.get("pubdate")
        md = md[fm.end() :]
    refs = {m.group(1).strip().lower(): m.group(2) for m in _REFDEF_RE.finditer(md)}
    md = _REFDEF_RE.sub("", md)

    # Group lines into blocks: paragraphs (joined), headings and list items (one block each).
    blocks: list[tuple[str, str]] = []  # (kind, raw text)
    para: list[str] = []
    in_fence = False
    fence: list[str] = []

    def end_para() -> None:
        if para:
            blocks.append(("p", " ".join(x.strip() for x in para)))
            para.clear()

    lines = md.split("\n")
    for i, line in enumerate(lines):
        if _FENCE_RE.match(line):
            if in_fence:
                blocks.append(("code", "\n".join(fence)))
                fence.clear()
            else:
                end_para()
            in_fence = not in_fence
            continue
        if in_fence:
            fence.append(line)
            continue
        if not line.strip():
            end_para()
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if (
            para
            and _SETEXT_RE.match(line)
            and line.strip()[0] in "=-"
            and len(para) == 1
            and not _HR_RE.match(nxt)
        ):
            blocks.append(("h", para.pop()))
            continue
        if _HR_RE.match(line):
            end_para()
            continue
        if h := _HEADING_RE.match(line):
            end_para()
            blocks.append(("h", h.group(1)))
            continue
        line = _QUOTE_RE.sub("", line)
        if _LIST_RE.match(line):
            end_para()
            blocks.append(("li", _LIST_RE.sub("", line, count=1)))
            continue
        if blocks and blocks[-1][0] == "li" and not para and line[:1] in " \t":
            # continuation line of a list item
            blocks[-1] = ("li", blocks[-1][1] + " " + line.strip())
            continue
        para.append(line)
    end_para()
    if in_fence and fence:
        blocks.append(("code", "\n".join(fence)))

    out = _Out()
    prev_kind = None
    for kind, raw in blocks:
        if kind == "code":
            body = raw
        else:
            body = raw.strip()
        if not body.strip():
            continue
        if prev_kind is not None:
            # List items stay on consecutive lines; everything else is a paragraph.
            out.add("\n" if kind == "li" and prev_kind == "li" else "\n\n")
        if kind == "code":
            out.add(body)
        else:
            _inline(body, out, refs)
        prev_kind = kind
    text = "".join(out.text)
    return ArticleText(
        text=text, source=source, format="md", title=title, published=published, links=out.links
    )


def _front_matter(block: str) -> dict[str, str]:
    """Flat `key: value` pairs from YAML front matter (no YAML dependency; nested keys ignored)."""
    meta: dict[str, str] = {}
    for line in block.split("\n"):
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line)
        if not m or not m.group(2):
            continue
        value = m.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        meta[m.group(1).lower()] = value
    return meta


# ---------------------------------------------------------------- plain text

_BARE_URL_RE = re.compile(r"https?://[^\s<>()\[\]\"']+(?:\([^\s()]*\)[^\s<>()\[\]\"']*)*")


def _bare_url_links(text: str) -> list[Link]:
    links = []
    for m in _BARE_URL_RE.finditer(text):
        url = m.group(0).rstrip(_TRAILING_PUNCT)
        links.append(Link(url=url, start=m.start(), end=m.start() + len(url), text=url))
    return links


__all__ = ["HTML_EXTS", "MD_EXTS", "TXT_EXTS", "InputError", "decode_article", "html_to_article",
           "markdown_to_article", "parse_article", "read_article", "read_article_bytes",
           "read_article_file", "sniff_format"]


# The names the gate, the server and the audit used before these were public (kept for them).
_TXT_EXT, _MD_EXT, _HTML_EXT = TXT_EXTS, MD_EXTS, HTML_EXTS
_decode, _sniff_format, _parse = decode_article, sniff_format, parse_article
