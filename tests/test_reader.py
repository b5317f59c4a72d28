import io
import os
from pathlib import Path

import pytest

from verifier.models import FetchResult
from verifier.read.reader import InputError, read_article

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "real-pages"


def _check_links(art) -> None:  # type: ignore[no-untyped-def]
    for link in art.links:
        assert art.text[link.start : link.end] == link.text


def test_txt_exact_text_with_crlf_normalised(tmp_path: Path) -> None:
    raw = "Headline\r\n\r\nThe fire killed 10, the Guardian newspaper said.  \r\nSee https://www.theguardian.com/a.\r\n"
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbf" + raw.encode("utf-8"))
    art = read_article(str(p))
    assert art.format == "txt"
    assert art.text == raw.replace("\r\n", "\n")  # only CRLF -> LF and BOM removal
    assert [lk.url for lk in art.links] == ["https://www.theguardian.com/a"]
    _check_links(art)


def test_txt_cp1252_fallback(tmp_path: Path) -> None:
    p = tmp_path / "w.txt"
    p.write_bytes("\u201cWe will not resign,\u201d he told the Financial Times. Caf\u00e9.".encode("cp1252"))
    art = read_article(str(p))
    assert "\u201cWe will not resign,\u201d" in art.text and "Caf\u00e9" in art.text


def test_markdown_links_front_matter_and_markers(tmp_path: Path) -> None:
    md = """---
title: "Valencia fire toll rises"
date: 2024-02-25
tags: [a, b]
---
# Valencia fire

The toll rose to 10, **the [Guardian](https://www.theguardian.com/world/a_b) newspaper** said,
citing _police_. Earlier figures came from <https://apnews.com/x> and https://www.bbc.co.uk/news/1.

* Reuters reported [a *different* figure][r].
* Second item

[r]: https://www.reuters.com/world/r
"""
    p = tmp_path / "story.md"
    p.write_text(md, encoding="utf-8")
    art = read_article(str(p))
    assert art.format == "md"
    assert art.title == "Valencia fire toll rises"
    assert art.published == "2024-02-25"
    assert art.text.startswith(
        "Valencia fire\n\nThe toll rose to 10, the Guardian newspaper said, citing police."
    )
    assert "**" not in art.text and "#" not in art.text and "](" not in art.text and "---" not in art.text
    assert "Reuters reported a different figure.\nSecond item" in art.text
    by_text = {lk.text: lk.url for lk in art.links}
    assert by_text["Guardian"] == "https://www.theguardian.com/world/a_b"
    assert by_text["https://apnews.com/x"] == "https://apnews.com/x"
    assert by_text["https://www.bbc.co.uk/news/1"] == "https://www.bbc.co.uk/news/1"  # trailing "." dropped
    assert by_text["a different figure"] == "https://www.reuters.com/world/r"
    _check_links(art)
    assert [lk.start for lk in art.links] == sorted(lk.start for lk in art.links)


def test_html_draft_links_and_metadata(tmp_path: Path) -> None:
    html = """<!doctype html><html><head><title>Draft: fire</title>
<meta property="article:published_time" content="2024-02-25T08:00:00Z"></head>
<body><nav><a href="/home">Home</a></nav><h1>Fire toll rises</h1>
<p>The toll rose to 10, the <a href="https://www.theguardian.com/world/x">Guardian</a> newspaper said.</p>
<p>Police said <em>more</em> searches would follow, <a href="https://www.bbc.co.uk/news/y">the BBC</a> reported.</p>
<footer><p>Copyright</p></footer></body></html>"""
    p = tmp_path / "draft.html"
    p.write_text(html, encoding="utf-8")
    art = read_article(str(p))
    assert art.format == "html"
    assert art.text == (
        "The toll rose to 10, the Guardian newspaper said.\n\nPolice said more searches would follow, the BBC reported."
    )
    assert art.title == "Fire toll rises"
    assert art.published == "2024-02-25T08:00:00+00:00"
    assert [(lk.text, lk.url) for lk in art.links] == [
        ("Guardian", "https://www.theguardian.com/world/x"),
        ("the BBC", "https://www.bbc.co.uk/news/y"),
    ]
    _check_links(art)


def test_html_real_page_body(tmp_path: Path) -> None:
    art = read_article(str(PAGES / "Reuters_2024_03_07.html"))
    assert art.text.startswith("BEIRUT/THE HAGUE, March 7 (Reuters)")
    assert "\n\nIDENTIFIED AS PRESS\n\n" in art.text
    assert any("tno.nl" in lk.url for lk in art.links)
    _check_links(art)


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "a.article").write_text(
        "<html><body><p>Hello, the FT said.</p></body></html>", encoding="utf-8"
    )
    assert read_article(str(tmp_path / "a.article")).format == "html"
    (tmp_path / "b").write_text("Plain words, the FT said.\n", encoding="utf-8")
    assert read_article(str(tmp_path / "b")).format == "txt"
    (tmp_path / "c.draft").write_text("# Title\n\nSee [the FT](https://ft.com/x).\n", encoding="utf-8")
    c = read_article(str(tmp_path / "c.draft"))
    assert c.format == "md" and c.links[0].text == "the FT"


def test_stdin() -> None:
    art = read_article("-", stdin=io.StringIO("Officials told Reuters it was over.\n"))
    assert art.source == "-" and art.format == "txt"
    assert art.text == "Officials told Reuters it was over.\n"
    html = read_article("-", stdin=io.StringIO("<p>One, <a href='https://x.org/'>link</a>.</p>"))
    assert html.format == "html" and html.text == "One, link." and html.links[0].url == "https://x.org/"
    with pytest.raises(InputError, match="empty"):
        read_article("-", stdin=io.StringIO("  \n\t\n"))


def test_url_uses_fetcher() -> None:
    page = PAGES / "TheGuardian_2024_02_24.html"
    url = "https://www.theguardian.com/world/2024/feb/24/x"
    seen: list[str] = []

    def fetcher(u: str) -> FetchResult:
        seen.append(u)
        return FetchResult(
            location=u, url=u, final_url=u, status=200, content_type="text/html", body=page.read_bytes()
        )

    art = read_article(url, fetcher=fetcher)
    assert seen == [url]
    assert art.source == url and art.format == "html"
    assert art.text.startswith("Police in Spanish city continue to search debris")
    assert art.title and art.title.startswith("Death toll in Valencia fire")
    assert art.published == "2024-02-24T11:42:23+00:00"

    def failing(u: str) -> FetchResult:
        return FetchResult(location=u, url=u, error="HTTP 404")

    with pytest.raises(InputError, match="HTTP 404"):
        read_article(url, fetcher=failing)
    with pytest.raises(InputError, match="no fetcher"):
        read_article(url)


def test_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_article(str(tmp_path / "missing.txt"))
    with pytest.raises(InputError, match="directory"):
        read_article(str(tmp_path))
    (tmp_path / "bin.txt").write_bytes(b"abc\x00\x01\x02" * 100)
    with pytest.raises(InputError, match="binary"):
        read_article(str(tmp_path / "bin.txt"))
    (tmp_path / "doc.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    with pytest.raises(InputError, match="PDF"):
        read_article(str(tmp_path / "doc.txt"))
    (tmp_path / "empty.md").write_text("   \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_article(str(tmp_path / "empty.md"))
    (tmp_path / "nothing.html").write_text(
        "<html><head><title>x</title></head><body></body></html>", encoding="utf-8"
    )
    with pytest.raises(InputError, match="no article text"):
        read_article(str(tmp_path / "nothing.html"))
    (tmp_path / "fm.md").write_text("---\ntitle: only front matter\n---\n", encoding="utf-8")
    with pytest.raises(InputError, match="no article text"):
        read_article(str(tmp_path / "fm.md"))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read anything")
def test_unreadable(tmp_path: Path) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("x", encoding="utf-8")
    p.chmod(0)
    try:
        with pytest.raises(InputError, match="permission denied"):
            read_article(str(p))
    finally:
        p.chmod(0o600)


def test_error_messages_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_article(str(tmp_path / "nope.md"))
    assert "\n" not in str(exc.value)


# ---------------------------------------------------------------- issue 10: drafts as written


def test_cp1252_draft_keeps_its_accents(tmp_path):
    p = tmp_path / "draft.txt"
    p.write_bytes("Le maire de Besançon a dit « non », selon Le Monde.".encode("cp1252"))
    assert "Besançon" in read_article(str(p)).text


def test_utf16_draft_with_bom(tmp_path):
    p = tmp_path / "draft.txt"
    p.write_bytes("“We will not resign,” said Zoë Martin.".encode("utf-16"))
    assert read_article(str(p)).text == "“We will not resign,” said Zoë Martin."


def test_markdown_saved_as_txt_is_read_as_markdown(tmp_path):
    p = tmp_path / "draft.txt"
    p.write_text("# Cuts\n\nThe [Guardian](https://www.theguardian.com/a/b) said cuts were coming.\n", encoding="utf-8")
    art = read_article(str(p))
    assert art.format == "md" and "](" not in art.text
    assert [lk.url for lk in art.links] == ["https://www.theguardian.com/a/b"]
    assert art.text[art.links[0].start : art.links[0].end] == "Guardian"


def test_plain_txt_with_bullets_stays_text(tmp_path):
    p = tmp_path / "draft.txt"
    p.write_text("- one point\n- another point\n", encoding="utf-8")
    assert read_article(str(p)).format == "txt"


def test_inline_html_in_markdown_is_markup(tmp_path):
    p = tmp_path / "draft.md"
    p.write_text("The plan had<sup>1</sup> <em>failed</em> on the 1<sup>st</sup>, <span class='x'>she</span> said.\n",
                 encoding="utf-8")
    assert read_article(str(p)).text == "The plan had failed on the 1st, she said."


def test_unicode_is_normalised_in_drafts(tmp_path):
    p = tmp_path / "draft.txt"
    # a soft hyphen, a zero-width space inside "not", and a name in NFD
    p.write_text("“We will no\u200bt re\u00adsign,” said Zoe\u0308 Martin.", encoding="utf-8")
    assert read_article(str(p)).text == "“We will not resign,” said Zoë Martin."


def test_unicode_is_normalised_in_source_text():
    from verifier.extract.document import extract_document

    doc = extract_document("<html><body><article><p>We will no\u200bt re\u00adsign, said Zoe\u0308.</p></article></body></html>",
                           location="x.html")
    assert "We will not resign, said Zoë." in doc.text
