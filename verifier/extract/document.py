"""Turn a fetched source page into a SourceDocument: body paragraphs plus metadata.

Body extraction tries, in order, and takes the first stage that yields a real body
(>= _MIN_BODY_WORDS words; failing that, the first stage that yields anything):
  1. the outlet's CSS selectors from the registry   (method "selectors")
  2. JSON-LD articleBody                             (method "json-ld")
  3. [itemprop="articleBody"]                        (method "itemprop")
  4. trafilatura                                     (method "trafilatura")
  5. visible text of the page                        (method "text")

Nothing here raises on bad input: garbage gives a document with `error` set or no paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, Tag

from verifier.extract.metadata import (  # noqa: F401 - also this module's names, as before the split
    _article_ld,
    _falsy_flag,
    _iso,
    _json_ld,
    _ld_name,
    _meta,
    _strip_title_suffix,
)
from verifier.extract.page_text import (  # noqa: F401 - also this module's names, as before the split
    _BLOCK_TAGS,
    _DROP_TAGS,
    _FLAG_ONLY_MAX_WORDS,
    _GENERIC_PAYWALL_MARKERS,
    _GENERIC_PAYWALL_SELECTORS,
    _GENERIC_STANDFIRST_SELECTORS,
    _HTML_TYPES,
    _MIN_BODY_WORDS,
    _PAYWALL_MAX_WORDS,
    _TEXT_TYPES,
    _clean_paragraphs,
    _first_text,
    _inside_skipped,
    _select_paragraphs,
    _words,
    element_text,
    normalise_ws,
)
from verifier.models import FetchResult, SourceDocument
from verifier.registry import Outlet, Registry, default_registry
from verifier.textcodec import decode_text, looks_binary
from verifier.unicode_clean import clean_text

# ---------------------------------------------------------------- decoding


def _decode(data: bytes) -> str | None:
    """Decode an HTML/text body (verifier.textcodec); None when it is binary."""
    if looks_binary(data):
        return None
    return decode_text(data).text


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad / len(sample) > 0.05


# ---------------------------------------------------------------- main entry points


def _error_doc(location: str, url: str | None, error: str) -> SourceDocument:
    return SourceDocument(location=location, url=url, error=error)


def extract_document(
    html: str | bytes,
    *,
    location: str,
    url: str | None = None,
    registry: Registry | None = None,
) -> SourceDocument:
    """Extract body paragraphs and metadata from an HTML page. Never raises."""
    try:
        return _extract(html, location=location, url=url, registry=registry or default_registry())
    except Exception as e:  # noqa: BLE001 - the contract is "never raises"; report instead
        return _error_doc(location, url, f"could not parse page: {type(e).__name__}: {e}"[:200])


def _extract(html: str | bytes, *, location: str, url: str | None, registry: Registry) -> SourceDocument:
    if isinstance(html, bytes):
        decoded = _decode(html)
        if decoded is None:
            return _error_doc(location, url, "binary content, not an HTML page")
        html = decoded
    if not html.strip():
        return _error_doc(location, url, "empty page")
    if _looks_binary(html):
        return _error_doc(location, url, "binary content, not an HTML page")

    soup = BeautifulSoup(html, "lxml")
    meta = _meta(soup)
    ld_objs = _json_ld(soup)
    article = _article_ld(ld_objs) or {}

    canonical = None
    link = soup.find("link", rel=lambda v: v and "canonical" in (v if isinstance(v, list) else [v]))
    if isinstance(link, Tag) and isinstance(link.get("href"), str) and link["href"].strip():
        canonical = str(link["href"]).strip()
    canonical = canonical or meta.get("og:url")

    # Outlet: the URL's domain is authoritative; page metadata is next best.
    outlet: Outlet | None = None
    for u in (url, canonical):
        if u and outlet is None:
            outlet = registry.for_url(u)
    site_name = meta.get("og:site_name")
    publisher = _ld_name(article.get("publisher")) if article else None
    if outlet is None:
        for cand in (site_name, publisher, meta.get("article:publication"), meta.get("application-name")):
            if cand and (outlet := registry.find(cand)):
                break

    # Paywall evidence is read before junk removal: barrier elements can be <form>s or buttons.
    barrier = _barrier_evidence(soup, outlet)

    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()

    # ---- body
    paragraphs: list[str] = []
    method: str | None = None
    first_nonempty: tuple[list[str], str] | None = None
    for stage, produce in _stages(soup, html, article, outlet, registry):
        paras = produce()
        if not paras:
            continue
        if first_nonempty is None:
            first_nonempty = (paras, stage)
        if _words(paras) >= _MIN_BODY_WORDS:
            paragraphs, method = paras, stage
            break
    else:
        if first_nonempty is not None:
            paragraphs, method = first_nonempty

    # ---- metadata
    sels = outlet.headline_selectors if outlet else ()
    title = meta.get("og:title") or _first_text(soup, sels)
    if not title:
        h1 = soup.find("h1")
        title = element_text(h1) if isinstance(h1, Tag) else None
    if not title and isinstance(article.get("headline"), str):
        title = normalise_ws(article["headline"])
    if not title and soup.title is not None:
        title = _strip_title_suffix(normalise_ws(soup.title.get_text()), outlet, site_name)
    title = title or None

    standfirst = _first_text(
        soup, (outlet.standfirst_selectors if outlet else ()) + _GENERIC_STANDFIRST_SELECTORS
    )
    byline = _first_text(soup, outlet.byline_selectors if outlet else (), sep=", ")
    if not byline:
        byline = meta.get("author") or meta.get("article:author") or _ld_name(article.get("author"))
        if byline and byline.startswith("http"):  # Guardian/Facebook put profile URLs here
            byline = _ld_name(article.get("author"))
    published = _iso(
        meta.get("article:published_time")
        or meta.get("og:article:published_time")
        or (article.get("datePublished") if isinstance(article.get("datePublished"), str) else None)
        or meta.get("date")
        or meta.get("pubdate")
    )

    body_words = _words(paragraphs)
    # The standfirst is kept in `standfirst` AND prepended as the first paragraph when the body
    # does not already carry it: quotes and claims are often lifted from standfirsts, and the
    # matcher only searches paragraphs. It is excluded from the paywall word count below.
    if standfirst and not any(standfirst == p or standfirst in p for p in paragraphs[:3]):
        paragraphs = [standfirst, *paragraphs]

    # ---- paywall: decided from what text is actually present, flags are only hints
    flag_false = bool(article) and _falsy_flag(article.get("isAccessibleForFree"))
    paywalled = False
    reason = None
    # A barrier (element or text) with little text is a paywall. The JSON-LD flag alone is not:
    # Reuters and subscriber copies of FT pages carry it over the full text. It counts only when
    # almost nothing is there, or when the page's own wordCount says most of the text is missing.
    declared = _int(article.get("wordCount")) if article else None
    if barrier and body_words < _PAYWALL_MAX_WORDS:
        paywalled = True
        reason = f"{barrier}; only {body_words} words of body text on the page"
    elif flag_false and (body_words < _FLAG_ONLY_MAX_WORDS or (declared and declared > 1.5 * body_words + 20)):
        paywalled = True
        extra = f" of {declared} declared" if declared else ""
        reason = f"JSON-LD isAccessibleForFree is false; only {body_words} words{extra} of body text on the page"

    return SourceDocument(
        location=location,
        url=url,
        outlet=outlet.name if outlet else None,
        title=title,
        standfirst=standfirst,
        byline=byline or None,
        published=published,
        canonical_url=canonical,
        paragraphs=[clean_text(p) for p in paragraphs],
        paywalled=paywalled,
        paywall_reason=reason,
        method=method,
    )


def _barrier_evidence(soup: BeautifulSoup, outlet: Outlet | None) -> str | None:
    selectors = (outlet.paywall_selectors if outlet else ()) + _GENERIC_PAYWALL_SELECTORS
    try:  # one combined query first: pages almost never have a barrier, and each query walks the tree
        if soup.select_one(", ".join(selectors)) is None:
            selectors = ()
    except Exception:  # noqa: BLE001 - a bad user selector: fall back to one at a time
        pass
    for sel in selectors:
        try:
            if soup.select_one(sel) is not None:
                return f"paywall element {sel} present"
        except Exception:  # noqa: BLE001 - bad user selector
            continue
    markers = (outlet.paywall_markers if outlet else ()) + _GENERIC_PAYWALL_MARKERS
    # Only visible text counts: "Subscribe to read" inside a script's JSON is not a barrier.
    body = soup.body or soup
    text = normalise_ws(
        " ".join(s for s in body.find_all(string=True) if s.parent and s.parent.name not in _DROP_TAGS)
    )
    for mk in markers:
        if mk and mk.lower() in text.lower():
            return f"paywall text {mk!r} present"
    title = soup.title.get_text() if soup.title else ""
    if re.search(r"subscribe to read", title, re.I):
        return "page title says 'Subscribe to read'"
    return None


def _stages(
    soup: BeautifulSoup, html: str, article: dict[str, Any], outlet: Outlet | None, registry: Registry
) -> Iterator[tuple[str, Any]]:
    if outlet is not None:
        yield "selectors", lambda: _select_paragraphs(soup, outlet.body_selectors)
    else:
        yield "selectors", lambda: _best_outlet_selectors(soup, registry)
    yield "json-ld", lambda: _ld_body(article)
    yield "itemprop", lambda: _select_paragraphs(soup, ['[itemprop="articleBody"]'])
    yield "trafilatura", lambda: _trafilatura(html)
    yield "text", lambda: _visible_text(soup)


def _best_outlet_selectors(soup: BeautifulSoup, registry: Registry) -> list[str]:
    """Unknown host and no metadata: try every outlet's selectors, keep the richest result
    (mirrors and archive copies of known outlets keep the outlet's markup)."""
    best: list[str] = []
    for o in registry.outlets:
        if not o.body_selectors:
            continue
        paras = _select_paragraphs(soup, o.body_selectors)
        if _words(paras) > _words(best):
            best = paras
    return best


def _ld_body(article: dict[str, Any]) -> list[str]:
    body = article.get("articleBody") if article else None
    if not isinstance(body, str) or not body.strip():
        return []
    # articleBody is plain text; some publishers put HTML in it.
    if "<p" in body or "<br" in body:
        sub = BeautifulSoup(body, "lxml")
        paras = [element_text(p) for p in sub.find_all(_BLOCK_TAGS)]
        if paras:
            return _clean_paragraphs(paras)
        body = sub.get_text("\n")
    chunks = re.split(r"\n\s*\n", body) if "\n\n" in body.replace("\r", "") else body.splitlines()
    return _clean_paragraphs(chunks)


def _trafilatura(html: str) -> list[str]:
    try:
        import trafilatura  # slow import: only paid for when the cheaper stages failed
    except ImportError:
        return []
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    except Exception:  # noqa: BLE001 - trafilatura raises assorted errors on broken markup
        return []
    if not text:
        return []
    return _clean_paragraphs(text.splitlines())


def _visible_text(soup: BeautifulSoup) -> list[str]:
    root = soup.find("article") or soup.find("main") or soup.body or soup
    if not isinstance(root, Tag) and not isinstance(root, BeautifulSoup):
        return []
    blocks = [
        el for el in root.find_all(_BLOCK_TAGS) if not el.find(_BLOCK_TAGS) and not _inside_skipped(el, None)
    ]
    if blocks:
        return _clean_paragraphs(element_text(el) for el in blocks)
    text = root.get_text("\n")
    return _clean_paragraphs(text.splitlines())


def _split_text(text: str) -> list[str]:
    """Plain-text body: paragraphs are separated by blank lines; wrapped lines are joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return [p for p in (normalise_ws(c) for c in re.split(r"\n[ \t]*\n", text)) if p]


def document_from_fetch(result: FetchResult, registry: Registry | None = None) -> SourceDocument:
    """SourceDocument for a FetchResult: HTML is extracted, plain text split into paragraphs,
    anything else (PDF, images, binaries) is an error. Never raises."""
    reg = registry or default_registry()
    loc = result.location
    page_url = result.final_url or result.url

    def finish(doc: SourceDocument) -> SourceDocument:
        doc.location = loc
        doc.url = result.url
        doc.final_url = result.final_url
        doc.status = result.status
        doc.fetched_at = result.fetched_at
        doc.sha256 = result.sha256
        return doc

    if result.error:
        return finish(SourceDocument(location=loc, error=result.error))
    try:
        ctype = (result.content_type or "").split(";")[0].strip().lower()
        text = result.text
        if not text and result.body:
            decoded = _decode(result.body)
            if decoded is None:
                return finish(
                    SourceDocument(location=loc, error=f"unsupported content type {ctype or 'binary'}")
                )
            text = decoded
        path = (page_url or loc).lower().split("?")[0]
        looks_html = bool(re.match(r"\s*(?:<!doctype\s+html|<html|<head|<body)", text[:500], re.I))
        if ctype in _HTML_TYPES or (not ctype and (looks_html or path.endswith((".html", ".htm")))):
            doc = extract_document(text, location=loc, url=page_url, registry=reg)
            return finish(doc)
        if (
            ctype in _TEXT_TYPES
            or (not ctype and path.endswith((".txt", ".text", ".md")))
            or (not ctype and text and not _looks_binary(text))
        ):
            if _looks_binary(text):
                return finish(SourceDocument(location=loc, error="binary content in a text response"))
            outlet = reg.for_url(page_url) if page_url else None
            paras = [clean_text(p) for p in _split_text(text)]
            return finish(
                SourceDocument(
                    location=loc,
                    outlet=outlet.name if outlet else None,
                    paragraphs=paras,
                    method="text",
                    error=None if paras else "empty document",
                )
            )
        return finish(SourceDocument(location=loc, error=f"unsupported content type {ctype or 'unknown'}"))
    except Exception as e:  # noqa: BLE001 - never raise out of extraction
        return finish(
            SourceDocument(location=loc, error=f"could not read document: {type(e).__name__}: {e}"[:200])
        )


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
