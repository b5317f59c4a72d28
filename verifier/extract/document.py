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

import json
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from verifier.models import FetchResult, SourceDocument
from verifier.registry import Outlet, Registry, default_registry
from verifier.textcodec import decode_text, looks_binary
from verifier.unicode_clean import clean_text

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


# ---------------------------------------------------------------- element text


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


# ---------------------------------------------------------------- metadata


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in soup.find_all("meta"):
        key = m.get("property") or m.get("name") or m.get("itemprop")
        content = m.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            out.setdefault(key.strip().lower(), content.strip())
    return out


def _json_ld(soup: BeautifulSoup) -> list[dict[str, Any]]:
    """All JSON-LD objects on the page, flattened out of lists and @graph."""
    objs: list[dict[str, Any]] = []

    def walk(x: Any, depth: int = 0) -> None:
        if depth > 5:
            return
        if isinstance(x, list):
            for i in x:
                walk(i, depth + 1)
        elif isinstance(x, dict):
            objs.append(x)
            if "@graph" in x:
                walk(x["@graph"], depth + 1)

    for sc in soup.find_all("script", attrs={"type": re.compile(r"ld\+json", re.I)}):
        raw = sc.string or sc.get_text() or ""
        raw = raw.strip().removeprefix("<!--").removesuffix("-->").strip().rstrip(";")
        if not raw:
            continue
        try:
            walk(json.loads(raw, strict=False))
        except (ValueError, RecursionError):
            continue
    return objs


def _types(obj: dict[str, Any]) -> list[str]:
    t = obj.get("@type", [])
    return [str(x) for x in (t if isinstance(t, list) else [t])]


def _article_ld(objs: list[dict[str, Any]]) -> dict[str, Any] | None:
    for o in objs:
        if any(t.endswith("Article") or t in ("BlogPosting", "LiveBlogPosting", "Report") for t in _types(o)):
            return o
    return None


def _ld_name(x: Any) -> str | None:
    if isinstance(x, str):
        return x.strip() or None
    if isinstance(x, dict):
        n = x.get("name")
        return n.strip() if isinstance(n, str) and n.strip() else None
    if isinstance(x, list):
        names = [n for n in (_ld_name(i) for i in x) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _falsy_flag(v: Any) -> bool:
    return v is False or (isinstance(v, str) and v.strip().lower() == "false")


def _iso(value: str | None) -> str | None:
    """ISO 8601 form of a date string when it parses; the string as given otherwise."""
    if not value:
        return None
    v = value.strip()
    try:
        return datetime.fromisoformat(v.replace("Z", "+00:00")).isoformat()
    except ValueError:
        return v


def _strip_title_suffix(title: str, outlet: Outlet | None, site_name: str | None) -> str:
    """'Headline | Spain | The Guardian' -> 'Headline'. Only strips when the last segment is
    the site, so a headline containing ' - ' keeps its text."""
    parts = _TITLE_SEP_RE.split(title)
    if len(parts) < 2:
        return title
    names = {n.lower() for n in ([site_name] if site_name else [])}
    if outlet:
        names |= {outlet.name.lower(), *(a.lower() for a in outlet.aliases)}
    if parts[-1].strip().lower() in names or (" | " in title and len(parts) <= 4):
        return parts[0].strip()
    return title


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
