"""Matching and verdicts on real captured pages: verbatim quotes confirm, every misquote does not.

The misquote suite takes real sentences from the four captured outlet pages in fixtures/real-pages/
and alters each one the ways copy goes wrong: a word swapped, a word dropped, "not" inserted, a
number changed, two quotes spliced. None of them may come out `confirmed`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from verifier.extract.document import extract_document
from verifier.match.quotes import index_text, match_quote
from verifier.match.roundtrip import drop, negate, real_sentences, renumber, splice, swap
from verifier.match.verdict import judge
from verifier.models import Attribution, Reason, SourceRef, Verdict

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real-pages"
PAGES = ["BBC_2026_04_25", "Reuters_2024_03_07", "TheGuardian_2024_02_24", "TheTelegraph_2024_09_17"]


def _doc(name: str):
    return extract_document((REAL / f"{name}.html").read_bytes(), location=f"{name}.html")


SENTENCES = real_sentences(REAL)
DOCS = {name: _doc(name) for name in PAGES}


def _verdict(page: str, quote: str) -> tuple[Verdict, Reason, object]:
    doc = DOCS[page]
    a = Attribution("a1", "quote", quote, (0, len(quote)), quote, "said")
    f = judge(a, [SourceRef(doc.location, "given")], {doc.location: doc})
    return f.verdict, f.reason, f


def test_enough_real_sentences():
    assert len(SENTENCES) >= 30
    assert len({p for p, _ in SENTENCES}) == 4


@pytest.mark.parametrize("page,sentence", SENTENCES)
def test_verbatim_real_sentence_confirms(page, sentence):
    verdict, reason, _ = _verdict(page, sentence)
    assert verdict is Verdict.CONFIRMED, (sentence, reason)


VOCAB = sorted({w for _, s in SENTENCES for w in re.findall(r"[A-Za-z]{4,}", s)}, key=lambda w: (-len(w), w))


@pytest.mark.parametrize("page,sentence", SENTENCES)
def test_misquotes_never_confirm(page, sentence):
    altered = {
        "swap": swap(sentence, VOCAB),
        "drop": drop(sentence),
        "negation": negate(sentence),
    }
    number = renumber(sentence)
    if number:
        altered["number"] = number
    for kind, text in altered.items():
        assert text != sentence
        verdict, reason, f = _verdict(page, text)
        assert verdict is not Verdict.CONFIRMED, (kind, text, reason)
        if verdict is Verdict.PARTIAL:
            assert f.differences, "a partial quote must list its differences"
        if kind == "negation" and verdict is Verdict.PARTIAL:
            assert reason is Reason.NEGATION_DIFFERS
        if kind == "number" and verdict is Verdict.PARTIAL:
            assert reason is Reason.NUMBER_DIFFERS


@pytest.mark.parametrize("i", range(0, len(SENTENCES) - 1))
def test_spliced_quotes_never_confirm(i):
    (page_a, a), (_, b) = SENTENCES[i], SENTENCES[i + 1]
    spliced = splice(a, b)
    verdict, reason, _ = _verdict(page_a, spliced)
    assert verdict is not Verdict.CONFIRMED, (spliced, reason)


# ---- normalisation: the same words in another form still confirm, and say so

SOURCE = (
    "The plan would cost £18.4m and cut emissions by ten per cent, the minister said. "
    "“We will organise the defence of the centre,” she added. "
    "“The area we have a significant advantage over Russia is in the air and in [our] ability to respond to "
    "[any] flagrant abuses of a ceasefire,” said one western official. "
    "Fewer than thirty thousand troops would be deployed."
)


@pytest.mark.parametrize(
    "quote",
    [
        "The plan would cost 18.4 million pounds and cut emissions by 10%",
        "We will organize the defense of the center",
        "The area we have a significant advantage over Russia is in the air and in (our) ability to respond "
        "to flagrant abuses of a ceasefire",
        "The area we have a significant advantage over Russia … flagrant abuses of a ceasefire",
        "Fewer than 30,000 troops would be deployed",
    ],
)
def test_normalised_forms_confirm(quote):
    m = match_quote(quote, index_text(SOURCE))
    assert m.exact and m.normalised and m.score == 100


def test_verbatim_is_not_called_normalised():
    m = match_quote("We will organise the defence of the centre", index_text(SOURCE))
    assert m.exact and not m.normalised


def test_differences_name_the_words():
    m = match_quote("We will organise the defence of the city", index_text(SOURCE))
    assert not m.exact
    assert [(" ".join(t.surface for t in d.article), " ".join(t.surface for t in d.source)) for d in m.diffs] == [
        ("city", "centre")
    ]


def test_unrelated_quote_not_found():
    m = match_quote("Bananas are an excellent source of potassium for athletes", index_text(SOURCE))
    assert m.score < 60


# ---- claims: substance plus every number, negation and quoted fragment

CLAIM_SOURCE = (
    "The Treasury had to find £14.8bn of savings to restore its headroom, officials said. "
    "The company will appeal against the ruling, its lawyers said on Friday. "
    "Unemployment rose to 4.4% in the three months to January, the highest rate since 2021. "
    "The bill passed through the House of Commons in a single day. "
    "The bill was approved in the House of Commons in a single day. "
    "Debris was found on beaches in the Turks and Caicos Islands, officials there said."
)


def _claim(text: str, fragments: list[str] | None = None):
    doc = extract_document(f"<html><body><article><p>{CLAIM_SOURCE}</p></article></body></html>", location="s.html")
    a = Attribution("a1", "claim", text, (0, len(text)), text, "reported", fragments=fragments or [])
    return judge(a, [SourceRef("s.html", "given")], {"s.html": doc})


@pytest.mark.parametrize(
    "claim,reason",
    [
        ("the Treasury had to find £14.8 billion of savings to restore its headroom", Reason.SUPPORTED),
        ("the Treasury had to find £18.4bn of savings to restore its headroom", Reason.NUMBER_DIFFERS),
        ("the company would not appeal against the ruling", Reason.NEGATION_DIFFERS),
        ("unemployment fell to 4.4% in the three months to January", Reason.NEGATION_DIFFERS),  # rose/fell
        ("the bill passed without a vote in the House of Commons", Reason.PARTLY_SUPPORTED),
        ("debris was found on beaches in the Turks and Caicos Islands and the Bahamas", Reason.PARTLY_SUPPORTED),
        ("the company will appeal against the ruling and its chief executive will resign next week",
         Reason.PARTLY_SUPPORTED),
        ("bananas are an excellent source of potassium for athletes", Reason.NOT_FOUND),
        ("the bill was debated in the House of Commons in a single day", Reason.WORDING_DIFFERS),
    ],
)
def test_claim_rules(claim, reason):
    f = _claim(claim)
    assert f.reason is reason, f.explanation
    if f.verdict is Verdict.PARTIAL:
        assert f.differences


def test_claim_fragment_must_be_verbatim():
    ok = _claim("the company will appeal against the “ruling”", fragments=["ruling"])
    assert ok.reason is Reason.SUPPORTED
    bad = _claim("the company will appeal against the “verdict”", fragments=["verdict"])
    assert bad.reason is Reason.FRAGMENT_MISSING


def test_quote_joined_across_the_sources_own_cue_is_confirmed_normalised():
    ix = index_text("“We will win this fight,” she said on Tuesday. “We will never surrender to anyone.”")
    m = match_quote("We will win this fight. We will never surrender to anyone", ix)
    assert m.exact and m.normalised
    bad = match_quote("We will win this fight. We will always surrender to anyone", ix)
    assert not bad.exact


def test_speaker_check_accepts_any_of_the_speakers_names():
    from verifier.match.verdict import _speaker_conflict

    same = "“We will organise the defence of the realm,” Sir Keir said on Tuesday."
    other = "“We will organise the defence of the realm,” said the Liberal Democrat leader Sir Ed Davey."
    assert _speaker_conflict("Keir Starmer", same, 0, 40) is None
    assert _speaker_conflict("Prime Minister Keir Starmer", other, 0, 40) == "Sir Ed Davey"
    assert _speaker_conflict("a western official", other, 0, 40) is None  # generic: not checkable


def test_attribution_kind_is_an_enum_that_reads_as_its_string():
    import json

    from verifier.models import AttributionKind

    a = Attribution("a1", "quote", "We are ready", (0, 12), "We are ready", "said")
    assert a.kind is AttributionKind.QUOTE and a.kind == "quote" and f"{a.kind}" == "quote"
    assert json.loads(json.dumps(a.to_dict()))["kind"] == "quote"
    with pytest.raises(ValueError):
        Attribution("a1", "rumour", "x", (0, 1), "x", "")


def test_verdict_rank_orders_confirmed_over_partial_over_unverified():
    assert Verdict.CONFIRMED.rank > Verdict.PARTIAL.rank > Verdict.UNVERIFIED.rank
    assert sorted(Verdict, key=lambda v: v.rank) == [Verdict.UNVERIFIED, Verdict.PARTIAL, Verdict.CONFIRMED]


def test_lexicon_tables_are_sorted_for_the_binary_search():
    """The lexicon looks its tables up by binary search on their lines: an unsorted table would
    silently lose words, so every shipped table must be in sorted order, one row a line."""
    from verifier import lexicon

    for name in ("lemmas.tsv.gz", "senses.tsv.gz", "antonyms.tsv.gz", "kinds.tsv.gz"):
        lines = lexicon._read_gz(name).split("\n")
        lines = lines[:-1] if lines and lines[-1] == "" else lines
        assert lines == sorted(lines), name
        assert all("\t" in line for line in lines), name
    table = lexicon._Table("a\t1\nb\t2\nb\t3\nc\t4")
    assert table.values("b") == ["2", "3"] and table.get("b") == "3" and table.get("bb") is None
    assert "c" in table and "" not in table and "d" not in table and table.values("a") == ["1"]
    assert "win" in lexicon.lemmas("won") and lexicon.antonyms("rise", "fall")
