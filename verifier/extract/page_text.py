"""The words of a page: which elements are text (not hidden, not furniture), their cleaned text, and
the paragraphs a set of selectors picks. Shared knowledge of what a body is lives here too."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

# Below this many words a page holds a teaser, not an article: used both to decide that a
# stage found "a body" and that a page behind a barrier is paywalled.
_MIN_BODY_WORDS = 40
_PAYWALL_MAX_WORDS = 150
_FLAG_ONLY_MAX_WORDS = 60

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain", "text/markdown", "text/x-markdown")

# Elements whose text is never article text.
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "svg",
    "template",
    "iframe",
    "button",
    "select",
    "math",
    "canvas",
)
# Containers inside a body that hold promos, captions and embeds rather than paragraphs.
_SKIP_CONTAINERS = frozenset({"figure", "figcaption", "aside", "nav", "footer", "form", "header"})
_BLOCK_TAGS = ("p", "h2", "h3", "blockquote", "li")
_PARA_TAGS = frozenset({"p", "h2", "h3", "h4"})

# Paragraph-level junk seen inside real article bodies (ads, newsletter promos, share prompts).
_JUNK_RE = re.compile(
    r"""^(?:
        advertisement|advert|sponsored(?:\s+content)?|
        skip\s+past\s+newsletter.*|sign\s+up\s+(?:to|for)\b.*|newsletter\s+promotion.*|
        (?:read|see)\s+more:?|related(?:\s+(?:articles?|stories|content))?:?|most\s+(?:read|viewed)|
        share\s+(?:this|on)\b.*|follow\s+us\b.*|click\s+here\b.*|
        (?:image|photo(?:graph)?|video)\s*(?:source|caption)?\s*:.*|
        (?:reporting|writing|editing|additional\s+reporting)\s+by\b.{0,200}|
        our\s+standards:.*|
        this\s+(?:video|content)\s+can\s*not\s+be\s+played.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Phrases used by barrier pages in general; outlets add their own in outlets.toml.
_GENERIC_PAYWALL_MARKERS = (
    "Subscribe to read",
    "Subscribe to continue reading",
    "Subscribe to unlock this article",
    "This article is for subscribers only",
    "This content is for subscribers only",
    "Subscribe to keep reading",
    "Create a free account to continue reading",
)
_GENERIC_PAYWALL_SELECTORS = ("#paywall", ".paywall", "#barrier-page", '[data-testid="paywall"]')
_GENERIC_STANDFIRST_SELECTORS = (
    '[data-gu-name="standfirst"]',
    '[data-test="standfirst"]',
    ".standfirst",
    '[class*="standfirst"]',
)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|clip\s*:\s*rect\(\s*0|clip-path\s*:\s*inset\(\s*50%", re.I)
_HIDDEN_CLASS_RE = re.compile(
    r"(?:^|[-_\s])(?:sr-only|visually-hidden|visuallyhidden|screen-reader|a11y-hidden)", re.I
)
_WS_RE = re.compile(r"\s+")
_TITLE_SEP_RE = re.compile(r"\s+[|\u2013\u2014-]\s+")


def normalise_ws(s: str) -> str:
    """Collapse all whitespace (incl. NBSP, newlines) to single spaces and strip."""
    return _WS_RE.sub(" ", s.replace("\u00a0", " ").replace("\u200b", "")).strip()


def _words(paragraphs: Iterable[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)




def _is_hidden(el: Tag) -> bool:
    if el.attrs is None:
        return False
    if el.has_attr("hidden") or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    if isinstance(style, str) and _HIDDEN_STYLE_RE.search(style):
        return True
    cls = el.get("class")
    if cls:
        joined = " ".join(cls) if isinstance(cls, list) else str(cls)
        if _HIDDEN_CLASS_RE.search(joined):
            return True
    return False


def _strings(el: Tag) -> Iterator[str]:
    for child in el.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # skip comments, CDATA, doctype
                yield str(child)
        elif isinstance(child, Tag):
            if child.name == "br":
                yield " "
            elif child.name in _DROP_TAGS or _is_hidden(child):
                continue
            else:
                yield from _strings(child)


def element_text(el: Tag) -> str:
    """Visible text of an element, whitespace-normalised. Inline children are joined without
    separators (so "report<svg/><span hidden>, opens new tab</span> by" reads "report by")."""
    return normalise_ws("".join(_strings(el)))


def _inside_skipped(el: Tag, stop: Tag | None) -> bool:
    for parent in el.parents:
        if parent is stop or parent is None:
            return False
        if parent.name in _SKIP_CONTAINERS or parent.get("id") == "sign-in-gate":
            return True
    return False


def _clean_paragraphs(texts: Iterable[str]) -> list[str]:
    out: list[str] = []
    for t in texts:
        t = normalise_ws(t)
        if not t or _JUNK_RE.match(t):
            continue
        if any(t == m for m in _GENERIC_PAYWALL_MARKERS):
            continue
        if out and out[-1] == t:  # responsive pages repeat blocks for mobile/desktop
            continue
        out.append(t)
    return out


def _select_paragraphs(soup: BeautifulSoup, selectors: Iterable[str]) -> list[str]:
    """Paragraph texts for the selectors, in document order. A matched container is expanded
    to its paragraph-level children; nested matches are not emitted twice."""
    sels = [s for s in selectors if s.strip()]
    if not sels:
        return []
    matched: list[Tag] = []
    for sel in sels:
        try:
            matched.extend(soup.select(sel))
        except Exception:  # noqa: BLE001 - a bad selector in a user's outlets file must not kill extraction
            continue
    if not matched:
        return []
    order = {id(el): i for i, el in enumerate(soup.find_all(True))}
    matched = sorted({id(el): el for el in matched}.values(), key=lambda el: order.get(id(el), 0))
    seen: set[int] = set()
    texts: list[str] = []
    for el in matched:
        if id(el) in seen or any(id(p) in seen for p in el.parents):
            continue
        seen.add(id(el))
        if el.name in _PARA_TAGS or not el.find(_BLOCK_TAGS):
            texts.append(element_text(el))
            continue
        for child in el.find_all(_BLOCK_TAGS):
            if id(child) in seen or any(id(p) in seen for p in child.parents if p is not el):
                continue
            # <li> holds a <p> sometimes: take the innermost block only.
            if child.find(_BLOCK_TAGS):
                continue
            if _inside_skipped(child, el):
                continue
            seen.add(id(child))
            texts.append(element_text(child))
    return _clean_paragraphs(texts)


def _first_text(soup: BeautifulSoup, selectors: Iterable[str], sep: str | None = None) -> str | None:
    for sel in selectors:
        try:
            els = soup.select(sel)
        except Exception:  # noqa: BLE001 - bad user selector
            continue
        if not els:
            continue
        if el_meta := [e.get("content") for e in els if e.name == "meta" and e.get("content")]:
            return normalise_ws(str(el_meta[0]))
        if sep is None:
            t = element_text(els[0])
        else:
            t = sep.join(dict.fromkeys(x for x in (element_text(e) for e in els) if x))
        if t:
            return t
    return None
