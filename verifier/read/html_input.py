"""An HTML draft into an ArticleText: body paragraphs joined by blank lines, `<a href>` as Links."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag

from verifier.extract.document import element_text, extract_document
from verifier.models import ArticleText, Link, SourceDocument


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
