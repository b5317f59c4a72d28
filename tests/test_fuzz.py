"""Fuzz the reader, the attribution finder and the matcher (issue 12) with hypothesis: random
Unicode, nested markup, unbalanced quotes and brackets, huge words. Every input either gives a
result or a one-line InputError, never another exception, and each example finishes within the
hypothesis deadline. Bounded examples with a fixed seed: deterministic and quick enough for CI."""

from __future__ import annotations

import io
from datetime import timedelta

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from verifier.attributions.finder import find_attributions
from verifier.match.quotes import index_text, match_claim, match_quote
from verifier.models import ArticleText
from verifier.read.reader import InputError, html_to_article, markdown_to_article, read_article

SETTINGS = settings(max_examples=100, deadline=timedelta(seconds=5), derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# pieces that matter to the parsers: quotation marks of every kind, brackets, markup, cues
PIECES = st.sampled_from([
    "“", "”", "‘", "’", '"', "'", "«", "»", "„", "[", "]", "(", ")", "<", ">", "*", "_", "`", "#", "\n", "\n\n",
    " said", " the Guardian reported", " told the BBC", ", according to Reuters,", "[our]", "(…)", "...", "…",
    "<p>", "</p>", "<a href='x'>", "</a>", "<script>", "](", "](http://", "<!--", "-->", "\\", "&amp;", "&#",
    "\u202e", "\x00", "\ufeff", "\u200b", "£14.8bn", "30,000", "not", " ", "Minister", "Ms Reeves",
])
WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=12)
HUGE = st.integers(min_value=1000, max_value=20000).map(lambda n: "x" * n)
CHUNKS = st.lists(st.one_of(PIECES, WORDS, HUGE), min_size=0, max_size=60).map("".join)


def nested(depth: int) -> st.SearchStrategy[str]:
    """Markup nested `depth` deep: [[[...]]], ((( ))), <b><i>..., “‘“…”’”."""
    opens = st.sampled_from([("[", "]"), ("(", ")"), ("<b>", "</b>"), ("“", "”"), ("‘", "’"), ("**", "**"), ("_", "_")])
    return st.lists(opens, min_size=1, max_size=depth).flatmap(
        lambda pairs: CHUNKS.map(lambda mid: "".join(o for o, _ in pairs) + mid + "".join(c for _, c in reversed(pairs)))
    )


TEXTS = st.one_of(CHUNKS, nested(40), st.lists(nested(8), max_size=10).map(" ".join))


@seed(12)
@SETTINGS
@given(TEXTS)
def test_reader_never_fails_unexpectedly(text: str) -> None:
    for read in (lambda: markdown_to_article(text, "x.md"), lambda: html_to_article(text, "x.html"),
                 lambda: read_article("-", stdin=io.StringIO(text))):
        try:
            art = read()
        except InputError as e:
            assert "\n" not in str(e)
            continue
        for link in art.links:
            assert 0 <= link.start <= link.end <= len(art.text)


@seed(12)
@SETTINGS
@given(TEXTS)
def test_finder_never_fails_and_spans_point_into_the_text(text: str) -> None:
    art = ArticleText(text=text, source="<fuzz>", format="txt")
    for a in find_attributions(art):
        s, e = a.span
        assert 0 <= s <= e <= len(text)


@seed(12)
@SETTINGS
@given(quote=TEXTS, source=TEXTS)
def test_matcher_never_fails(quote: str, source: str) -> None:
    index = index_text(source)
    q = match_quote(quote, index)
    c = match_claim(quote, index)
    assert 0 <= q.score <= 100 and 0 <= c.coverage <= 1
    for m in (q, c):
        assert 0 <= m.start <= m.end <= len(source)
