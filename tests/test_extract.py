import json
from datetime import datetime
from pathlib import Path

import pytest

from verifier.extract.document import document_from_fetch, extract_document, normalise_ws
from verifier.models import FetchResult

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "real-pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
OUTLET = {
    "TheGuardian_2024_02_24": "The Guardian",
    "TheTelegraph_2024_09_17": "The Telegraph",
    "BBC_2026_04_25": "BBC News",
    "Reuters_2024_03_07": "Reuters",
}


@pytest.mark.parametrize("page", sorted(EXPECTED))
@pytest.mark.parametrize("with_url", [True, False])
def test_real_page_body(page: str, with_url: bool) -> None:
    exp = EXPECTED[page]
    html = (PAGES / f"{page}.html").read_bytes()
    doc = extract_document(html, location=f"{page}.html", url=exp["url"] if with_url else None)
    assert doc.error is None
    assert doc.outlet == OUTLET[page]
    assert doc.method == "selectors"
    wanted = [normalise_ws(p) for p in exp["body_paragraphs"]]
    missing = [p for p in wanted if p not in doc.paragraphs]
    assert missing == []
    extra = [p for p in doc.paragraphs if p not in wanted]
    assert extra == []  # measured: no extraneous paragraphs on these four pages
    assert doc.title == exp["title"]
    assert doc.published is not None
    assert datetime.fromisoformat(doc.published) == datetime.fromisoformat(exp["publishing_date"])
    assert not doc.paywalled and doc.paywall_reason is None
    assert doc.canonical_url and doc.canonical_url.startswith("https://")


def test_guardian_details() -> None:
    page = "TheGuardian_2024_02_24"
    doc = extract_document((PAGES / f"{page}.html").read_bytes(), location="g", url=EXPECTED[page]["url"])
    # Standfirst kept as metadata AND as the first paragraph (quotes are lifted from standfirsts).
    assert doc.standfirst == normalise_ws(EXPECTED[page]["body_paragraphs"][0])
    assert doc.paragraphs[0] == doc.standfirst
    assert doc.byline == "Associated Press in Valencia"
    assert not any("newsletter" in p.lower() for p in doc.paragraphs)


def test_reuters_hidden_link_text_and_json_ld_flag() -> None:
    page = "Reuters_2024_03_07"
    doc = extract_document((PAGES / f"{page}.html").read_bytes(), location="r", url=EXPECTED[page]["url"])
    # The visually hidden ", opens new tab" inside links must not leak into the text.
    assert not any("opens new tab" in p for p in doc.paragraphs)
    # JSON-LD says isAccessibleForFree=false, but the full text is on the page.
    assert not doc.paywalled
    assert doc.byline == "Maya Gebeily, Anthony Deutsch"


def test_fallback_without_registry_matches_still_finds_body() -> None:
    from verifier.registry import Registry

    page = "TheGuardian_2024_02_24"
    doc = extract_document((PAGES / f"{page}.html").read_bytes(), location="g", registry=Registry([]))
    assert doc.method in ("trafilatura", "itemprop", "json-ld", "text")
    wanted = [normalise_ws(p) for p in EXPECTED[page]["body_paragraphs"][1:]]
    assert sum(p in doc.paragraphs for p in wanted) >= len(wanted) - 1


FT_BARRIER = """<!doctype html><html><head><title>Subscribe to read | Financial Times</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Bank raises rates","datePublished":"2025-02-20T19:10:00Z","isAccessibleForFree":"False",
"publisher":{"@type":"Organization","name":"Financial Times"}}</script></head>
<body><div id="barrier-page"><h1>Bank raises rates</h1><p>Subscribe to unlock this article</p>
<p>Try unlimited access. Only $1 for 4 weeks.</p></div></body></html>"""

TIMES_TEASER = """<!doctype html><html><head><title>Minister quits | World | The Times</title>
<meta property="og:title" content="Minister quits">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Minister quits","isAccessibleForFree":false,
"hasPart":{"@type":"WebPageElement","isAccessibleForFree":false,"cssSelector":".paid"}}</script></head>
<body><article id="article-main">
<div class="responsive__HeadlineContainer-abc"><h1>Minister quits</h1></div>
<div class="responsive__StandfirstContainer-x1">The minister resigned after a row over expenses</div>
<div class="responsive__ArticleContent-q2w3"><p>The minister resigned last night, telling colleagues that
his position had become untenable after the disclosures.</p></div>
<div id="paywall-portal-article-footer"><p>Subscribe to continue reading</p></div>
</article></body></html>"""


def test_ft_barrier_is_paywalled() -> None:
    doc = extract_document(FT_BARRIER, location="ft", url="https://www.ft.com/content/0000")
    assert doc.outlet == "Financial Times"
    assert doc.paywalled
    assert doc.paywall_reason and "barrier-page" in doc.paywall_reason
    assert not any("Subscribe to unlock" in p for p in doc.paragraphs)


def test_times_teaser_is_paywalled_but_keeps_teaser() -> None:
    doc = extract_document(TIMES_TEASER, location="t", url="https://www.thetimes.com/world/article/x-123")
    assert doc.outlet == "The Times"
    assert doc.paywalled
    assert doc.paywall_reason
    assert doc.title == "Minister quits"
    assert doc.standfirst == "The minister resigned after a row over expenses"
    assert any(p.startswith("The minister resigned last night") for p in doc.paragraphs)


def test_json_ld_flag_alone_with_short_body_is_paywalled_and_full_body_is_not() -> None:
    short = (
        '<html><head><script type="application/ld+json">[{"@type":"NewsArticle","isAccessibleForFree":"false"}]'
        "</script></head><body><article><p>Only a teaser sentence here.</p></article></body></html>"
    )
    assert extract_document(short, location="s").paywalled
    long_body = "".join(
        f"<p>Paragraph {i} has quite a few words in it so the body is long enough.</p>" for i in range(30)
    )
    full = short.replace("<p>Only a teaser sentence here.</p>", long_body)
    doc = extract_document(full, location="f")
    assert not doc.paywalled
    assert len(doc.paragraphs) == 30


def test_json_ld_article_body_graph_and_list() -> None:
    body = "First paragraph of the body with enough words to count as text.\\n\\nSecond paragraph that follows it, also long enough for the threshold test."
    html = (
        '<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":['
        '{"@type":"WebPage"},{"@type":["NewsArticle"],"headline":"H","datePublished":"2025-01-02T03:04:05Z",'
        f'"articleBody":"{body}"'
        '}]}</script><script type="application/ld+json">{not json</script></head><body><div>x</div></body></html>'
    )
    doc = extract_document(html, location="j")
    assert doc.method == "json-ld"
    assert doc.paragraphs[0].startswith("First paragraph") and doc.paragraphs[1].startswith(
        "Second paragraph"
    )
    assert doc.title == "H"
    assert doc.published == "2025-01-02T03:04:05+00:00"


def test_itemprop_body_and_title_suffix() -> None:
    paras = "".join(f"<p>Sentence number {i} of the article body, with several words.</p>" for i in range(8))
    html = (
        "<html><head><title>Something happened | News | Example Gazette</title></head><body>"
        f'<div itemprop="articleBody">{paras}<p>Advertisement</p><figure><p>caption</p></figure></div></body></html>'
    )
    doc = extract_document(html, location="i")
    assert doc.method == "itemprop"
    assert len(doc.paragraphs) == 8
    assert "Advertisement" not in doc.paragraphs and "caption" not in doc.paragraphs
    assert doc.title == "Something happened"


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   \n ",
        b"",
        b"\x00\x01\x02\xff\xfe binary",
        b"%PDF-1.7\n\x00\x00",
        "<html><body><p>truncated <b>mark",
        "<<<>>>&&&;;",
        "<html><head><script type='application/ld+json'>[[[[</script></head></html>",
        "\ufffd" * 500,
        "<p>" * 5000,
    ],
)
def test_garbage_never_raises(garbage: str | bytes) -> None:
    doc = extract_document(garbage, location="junk")
    assert doc.location == "junk"
    assert doc.error is not None or isinstance(doc.paragraphs, list)


def test_empty_and_binary_are_errors() -> None:
    assert extract_document("", location="e").error == "empty page"
    assert "binary" in (extract_document(b"\x00\x01abc", location="b").error or "")


def _fr(**kw: object) -> FetchResult:
    base: dict[str, object] = {
        "location": "https://www.ft.com/content/1",
        "url": "https://www.ft.com/content/1",
        "final_url": "https://www.ft.com/content/1?x=1",
        "status": 200,
        "fetched_at": "2025-01-01T00:00:00Z",
        "sha256": "ab" * 32,
    }
    base.update(kw)
    return FetchResult(**base)  # type: ignore[arg-type]


def test_document_from_fetch_error_copies_fields() -> None:
    doc = document_from_fetch(_fr(error="HTTP 404", status=404))
    assert doc.error == "HTTP 404" and doc.paragraphs == []
    assert (doc.url, doc.final_url, doc.status, doc.sha256) == (
        "https://www.ft.com/content/1",
        "https://www.ft.com/content/1?x=1",
        404,
        "ab" * 32,
    )
    assert doc.fetched_at == "2025-01-01T00:00:00Z"


def test_document_from_fetch_html_text_and_binary() -> None:
    html_doc = document_from_fetch(_fr(content_type="text/html; charset=utf-8", text=FT_BARRIER))
    assert html_doc.paywalled and html_doc.outlet == "Financial Times" and html_doc.status == 200

    txt = "First para\nwrapped line.\n\nSecond para.\n\n\n"
    t = document_from_fetch(
        _fr(location="notes.txt", url=None, final_url=None, content_type=None, body=txt.encode())
    )
    assert t.method == "text" and t.paragraphs == ["First para wrapped line.", "Second para."]

    pdf = document_from_fetch(_fr(content_type="application/pdf", body=b"%PDF-1.4"))
    assert pdf.error and pdf.error.startswith("unsupported content type") and pdf.paragraphs == []
    img = document_from_fetch(_fr(content_type="image/png", body=b"\x89PNG\r\n"))
    assert img.error and "image/png" in img.error

    page = "BBC_2026_04_25"
    bbc = document_from_fetch(
        _fr(
            location=EXPECTED[page]["url"],
            url=EXPECTED[page]["url"],
            final_url=None,
            content_type="text/html",
            body=(PAGES / f"{page}.html").read_bytes(),
        )
    )
    assert bbc.outlet == "BBC News" and len(bbc.paragraphs) == len(EXPECTED[page]["body_paragraphs"])
