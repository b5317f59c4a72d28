"""The attribution finder: kinds, spans, cues, outlets, speakers, and the traps in issue 2 §1."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.attributions.finder import find_attributions

FOUNDING = (Path(__file__).resolve().parent.parent / "fixtures" / "founding" / "article.txt").read_text()


def _one(text: str):
    found = find_attributions(text)
    assert len(found) == 1, [(a.kind, a.text, a.cue) for a in found]
    return found[0]


def test_spans_point_at_the_text():
    for a in find_attributions(FOUNDING):
        assert FOUNDING[a.span[0] : a.span[1]] == a.text
        assert a.text in a.sentence


def test_founding_example_attributions():
    found = find_attributions(FOUNDING)
    by_outlet = {a.outlet: a for a in found if a.outlet}
    guardian = by_outlet["The Guardian"]
    assert guardian.kind == "claim"
    assert "air and maritime defence" in guardian.text
    assert guardian.fragments == ["minimal"]
    assert "the Guardian newspaper said" not in guardian.text
    times = by_outlet["The Times"]
    assert times.kind == "claim" and times.fragments == ["air cover"]
    assert times.text.startswith("a so-called US backstop")
    ft = by_outlet["Financial Times"]
    assert ft.kind == "quote" and ft.speaker == "a western official"
    assert ft.text.startswith("The area we have") and ft.text.endswith("ceasefire")
    afp = by_outlet["Agence France-Presse"]
    assert afp.text.startswith("France was working with European countries")
    assert afp.speaker == "a French source close to the discussions"
    collective = [a for a in found if a.collective]
    assert len(collective) == 1 and "reassurance force" in collective[0].text
    assert collective[0].cue.startswith("UK media reported")
    speakers = [a.speaker for a in found if a.speaker]
    assert any("Lavrov" in s for s in speakers)
    trump = [a for a in found if a.speaker == "Trump"]
    assert len(trump) == 2  # the headline-style key point and the body sentence
    assert any(a.text.startswith("Ready to resume diplomacy") for a in trump)
    # Zelensky "called for" a force: not a statement attributed to anyone
    assert not any("deterrence force" in a.text for a in found)


@pytest.mark.parametrize(
    "text,quote",
    [
        ("“We will win,” he said.", "We will win"),
        ('"We will win this fight," the minister said.', "We will win this fight"),
        ("‘We will win this fight,’ the minister said.", "We will win this fight"),
        ("«We will win this fight», the minister said.", "We will win this fight"),
        ("The minister said: “We will win this fight.”", "We will win this fight."),
    ],
)
def test_quote_mark_styles(text, quote):
    found = find_attributions(text)
    quotes = [a for a in found if a.kind == "quote"]
    assert quotes and quotes[0].text.rstrip(".") == quote.rstrip(".")


def test_quote_split_around_cue_shares_speaker():
    text = "“We were not winning,” Ratcliffe told the BBC. “That cannot go on.”"
    found = find_attributions(text)
    # one attribution in two parts: the cue is shared, the parts are found in order
    assert [a.text for a in found] == ["We were not winning … That cannot go on"]
    (a,) = found
    assert a.speaker == "Ratcliffe" and a.outlet == "BBC News"
    assert [text[s:e] for s, e in a.parts] == ["We were not winning", "That cannot go on"]
    assert a.span == (a.parts[0][0], a.parts[1][1])
    assert a.text_of(1) == "That cannot go on"


def test_multi_paragraph_quote_and_colon_cue():
    text = (
        "Dr Jane Roe, a consultant, told The Telegraph:\n\n"
        "“Patients are waiting more than twelve hours in corridors every single night.\n\n"
        "“We cannot call that a recovery.”\n"
    )
    found = find_attributions(text)
    assert len(found) == 1  # one quotation running over two paragraphs
    (a,) = found
    assert a.kind == "quote" and a.outlet == "The Telegraph" and a.speaker == "Dr Jane Roe"
    assert len(a.parts) == 2 and text[a.parts[1][0] : a.parts[1][1]] == "We cannot call that a recovery"


def test_pronoun_speaker_resolves_to_last_named():
    text = (
        "“The figures are bad,” Rachel Reeves told the Guardian.\n"
        "“We will not be coming back with more,” she told BBC Radio 4."
    )
    found = find_attributions(text)
    assert found[1].speaker == "Rachel Reeves"
    assert found[1].outlet == "BBC News"


def test_anaphora_refers_to_last_outlet():
    text = (
        "The Treasury had to find £14.8bn of savings, the Guardian reported.\n"
        "The newspaper said the cuts would fall on welfare.\n"
        "The paper also reported that ministers were split."
    )
    found = find_attributions(text)
    assert [a.outlet for a in found] == ["The Guardian"] * 3
    assert found[2].text == "ministers were split"


@pytest.mark.parametrize(
    "text,outlet,speaker",
    [
        ("Ministers will cut the budget by a third, The Times reported.", "The Times", None),
        ("The Times reported that ministers will cut the budget by a third.", "The Times", None),
        ("According to the Financial Times, ministers will cut the budget.", "Financial Times", None),
        ("Ministers will cut the budget by a third, according to the FT.", "Financial Times", None),
        ("Ministers will cut the budget by a third, per Reuters.", "Reuters", None),
        ("The Telegraph understands that ministers will cut the budget.", "The Telegraph", None),
        ("Ministers will cut the budget, Smith told the BBC.", "BBC News", "Smith"),
        ("The Guardian cited officials as saying ministers would cut the budget.", "The Guardian", "officials"),
        ("In an interview with Sky News, Jane Smith said ministers would cut the budget.", "Sky News", "Jane Smith"),
        ("Speaking to AFP, a senior diplomat said ministers would cut the budget.", "Agence France-Presse",
         "a senior diplomat"),
        ("Ministers will cut the budget, the chancellor wrote in the Observer.", None, "the chancellor"),
    ],
)
def test_cue_forms(text, outlet, speaker):
    a = _one(text)
    if outlet is not None:
        assert a.outlet == outlet
    assert (a.speaker or None) == speaker
    assert "minister" in a.text.lower()


@pytest.mark.parametrize(
    "text",
    [
        "The boy's legal guardian said he would appeal the ruling on Monday.",
        "At the time, she said the decision was final and would not be revisited.",
        "Families face hard financial times this winter, charities said.",
        "The FTSE 100 closed 0.3% higher, traders said.",
    ],
)
def test_outlet_traps_are_not_outlet_attributions(text):
    for a in find_attributions(text):
        assert a.outlet is None


def test_times_educational_supplement_is_a_different_outlet():
    a = _one("Teachers are leaving in record numbers, the Times Educational Supplement reported.")
    assert a.outlet != "The Times"


def test_headline_style_attribution():
    a = _one("Ready to resume diplomacy with Russian president to end the war: Trump")
    assert a.kind == "claim" and a.speaker == "Trump"
    assert a.text == "Ready to resume diplomacy with Russian president to end the war"


def test_scare_quotes_without_cue_are_not_attributions():
    assert find_attributions("Britain plans a European “reassurance force” for Ukraine.") == []


def test_collective_source():
    a = _one("Britain and France are drawing up plans for a peace force, reports said.")
    assert a.collective and a.outlet is None


def test_wire_dateline_and_time_adverbial_are_not_content_or_speaker():
    found = find_attributions(
        "BEIRUT/THE HAGUE, March 7 (Reuters) - An Israeli tank crew killed a reporter in Lebanon, "
        "according to a report published on Thursday.\n"
        "On Monday night No 10 confirmed that the commissioner had declined to investigate."
    )
    assert found[0].text.startswith("An Israeli tank crew")
    assert found[1].speaker == "No 10"


def test_outlet_with_relative_clause_and_name_with_appositive():
    found = find_attributions(
        "The New York Times, which first reported the meeting, said Bessent had pressed for lower rates.\n"
        'Powell, speaking to reporters after the meeting, said the economy was "in a good place".'
    )
    assert found[0].outlet == "The New York Times" and found[0].text.startswith("Bessent had pressed")
    assert found[1].speaker == "Powell" and found[1].fragments == ["in a good place"]


def test_orders_and_non_statements_are_not_attributions():
    assert find_attributions("She told her children to leave the house before the fire spread.") == []
    assert find_attributions("He has said little about his plans since taking office in July.") == []


def test_told_outlet_that_and_possessive_anaphora():
    found = find_attributions(
        "A government spokesperson told the Times that no decision had been taken.\n"
        "The paper's sources said ministers had discussed a subscription model."
    )
    assert found[0].outlet == "The Times" and found[0].text == "no decision had been taken"
    assert found[1].outlet == "The Times" and found[1].speaker == "sources"


def test_told_the_paper_is_the_listener_not_the_statement():
    found = find_attributions(
        "The Telegraph reported that ministers would publish a draft bill.\n"
        "Smith told the paper the campaign had cost its supporters more than £230,000 in legal fees.\n"
        "Jones told the BBC the plan was dead."
    )
    assert (found[1].outlet, found[1].speaker) == ("The Telegraph", "Smith")
    assert found[1].text.startswith("the campaign had cost")
    assert (found[2].outlet, found[2].text) == ("BBC News", "the plan was dead")


@pytest.mark.parametrize(
    "text,outlet",
    [
        ("Ministers, the Guardian reported, are planning further cuts to welfare.", "The Guardian"),
        ("Ministers are, according to the Times, planning cuts to welfare.", "The Times"),
        ("On Tuesday, the BBC reported, the minister resigned.", "BBC News"),
    ],
)
def test_parenthetical_cues(text, outlet):
    a = _one(text)
    assert a.outlet == outlet and a.cue in a.text


def test_parenthetical_cue_is_left_out_when_matching():
    from verifier.extract.document import extract_document
    from verifier.match.verdict import judge
    from verifier.models import Reason, SourceRef

    a = _one("Ministers, the Guardian reported, are planning further cuts to welfare.")
    doc = extract_document("<html><body><article><p>Ministers are planning further cuts to welfare, "
                           "officials said.</p></article></body></html>", location="g.html")
    f = judge(a, [SourceRef("g.html", "given")], {"g.html": doc})
    assert f.reason is Reason.SUPPORTED
