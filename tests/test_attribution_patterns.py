"""Every attribution pattern named in issue 10, each on text written for this test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from verifier.attributions.cues import lexicon
from verifier.attributions.finder import find_attributions
from verifier.sources.resolve import SourceSpec, resolve_sources

ROOT = Path(__file__).resolve().parent.parent


def one(text: str, kind: str | None = None):
    found = [a for a in find_attributions(text) if kind is None or a.kind == kind]
    assert len(found) == 1, [(a.kind, a.text, a.cue) for a in found]
    return found[0]


# ---------------------------------------------------------------------------- cue verbs from data


@pytest.mark.parametrize(
    ("text", "speaker", "quote"),
    [
        ("“Go register,” Trump implored.", "Trump", "Go register"),
        ("“It was wonderful,” Clinton gushed.", "Clinton", "It was wonderful"),
        ("“The reforms are overdue,” the minister conceded.", "the minister", "The reforms are overdue"),
        ("“We knew the risks,” Ms Patel acknowledged on Monday.", "Ms Patel", "We knew the risks"),
        ("“Nobody was ready for this,” the senator pointed out.", "the senator", "Nobody was ready for this"),
    ],
)
def test_cue_verbs_beyond_said(text, speaker, quote):
    a = one(text)
    assert a.kind == "quote" and a.text == quote and a.speaker == speaker


def test_reiterated_with_a_quote_in_two_parts():
    a = one("“We will never give up on this,” the CNN host reiterated, “never.”")
    assert a.outlet == "CNN" and "reiterated" in a.cue
    assert len(a.parts) == 2 and a.text == "We will never give up on this … never"


def test_naming_verb_makes_a_mixed_quote_a_claim():
    a = one("Trump called it “one of the great miscarriages of justice”.")
    assert a.kind == "claim" and a.speaker == "Trump"
    assert a.fragments == ["one of the great miscarriages of justice"]


def test_mixed_quote_after_a_verb_of_attack():
    a = one("He hammered the “disgusting” media for its coverage of the rally.")
    assert a.kind == "claim" and a.fragments == ["disgusting"]


def test_cue_lexicon_forms_come_from_morphology():
    lex = lexicon()
    # irregular past forms come from the morphology data, not a hand list
    assert {"said", "told", "wrote", "implored", "reiterated", "pointed out"} <= lex.finite
    assert "thought" in lex.cognition and "statements" in lex.nouns
    assert "comments" in lex.homographs and "says" not in lex.homographs
    assert "according to" in lex.according


def test_cue_lexicon_is_what_the_script_generates():
    pytest.importorskip("lemminflect")
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_cues.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_noun_homograph_after_a_possessive_is_not_a_cue():
    assert find_attributions("Ryan's comments come two days after the vote in Indiana.") == []
    assert find_attributions("The three states last voted for a Republican nominee in 1988.") == []


# ---------------------------------------------------------------------------- speakers


def test_post_posed_speaker_at_an_organisation():
    a = one("“Inflation will stay sticky into the spring,” said Chris Low at FTN Financial.")
    assert a.speaker == "Chris Low" and a.outlet is None


def test_post_posed_speaker_with_title_and_programme_outlet():
    a = one("“We are going to win this,” vice presidential candidate Mike Pence said on “Fox News Sunday.”")
    assert a.text == "We are going to win this"
    assert "Mike Pence" in a.speaker and a.outlet == "Fox News"


def test_apposition_after_a_post_posed_speaker_and_the_outer_report():
    a = one("“We will not retreat,” said Jane Smith, the defence secretary, the Times reported.")
    assert a.speaker == "Jane Smith" and a.outlet == "The Times"


def test_pronoun_resolves_to_nearest_compatible_named_person():
    text = ("Mark Jones spoke first. Later, Anna Lee said the plan had failed. "
            "He told the BBC's Today programme that the talks would go on.")
    found = find_attributions(text)
    assert found[-1].speaker == "Mark Jones" and found[-1].outlet == "BBC News"
    assert found[-1].outlet_from == "cue"


def test_orphan_quote_is_reported_with_a_null_speaker():
    text = "The hall fell silent.\n\n“This is the end of an era and everyone here knows it.”"
    a = one(text)
    assert a.kind == "quote" and a.speaker is None and a.outlet is None


def test_titles_and_scare_quotes_are_not_attributions():
    assert find_attributions("Later he appeared on “Meet the Press” to talk about the budget.") == []
    assert find_attributions("It wasn’t so much a “truce” as it was mutual exhaustion.") == []
    assert find_attributions("The “Orange is the New Black” star Dascha Polanco opened up about it.") == []


def test_doubled_apostrophe_quotes():
    a = one("''I don't feel like I made light of anyone's pain,'' Ms. Sherry said at her home.")
    assert a.kind == "quote" and a.text == "I don't feel like I made light of anyone's pain"
    assert a.speaker == "Ms. Sherry"


def test_quote_running_over_paragraphs_is_one_attribution():
    text = ("“We were not ready,” the mayor said. “Nobody was.\n\n"
            "“And we will not be ready next year either.”")
    a = one(text)
    assert a.speaker == "the mayor" and len(a.parts) == 3
    assert a.text.endswith("And we will not be ready next year either")


# ---------------------------------------------------------------------------- outlets


def test_wrote_the_post_which_refers_back_to_the_cited_post():
    text = ("The Washington Post reported the talks on Monday.\n\n"
            "“The plan is dead,” wrote The Post, which first reported the talks.")
    assert find_attributions(text)[-1].outlet == "The Washington Post"


def test_the_newspaper_wrote_while_acknowledging():
    text = ("The Guardian reported the figures on Monday.\n\n"
            "The Labour leader had no plan for growth, the newspaper wrote while acknowledging that his "
            "poll lead was large.")
    a = find_attributions(text)[-1]
    assert a.outlet == "The Guardian" and a.text == "The Labour leader had no plan for growth"


def test_polled_by_an_outlet():
    a = one("Economists polled by Reuters had expected a rate of 3.7%.")
    assert a.kind == "claim" and a.outlet == "Reuters" and "3.7%" in a.text


def test_first_published_by():
    a = one("Plans to close the plant were first published by the Observer on Sunday.")
    assert a.outlet == "The Observer" and a.text == "Plans to close the plant"


def test_reported_that_citing_sources_keeps_the_outlet():
    a = one("Sky News reported that the prime minister would resign, citing two cabinet sources.")
    assert a.outlet == "Sky News" and a.text == "the prime minister would resign"
    assert a.speaker == "two cabinet sources"


def test_an_outlets_byline_makes_it_the_outlet():
    a = one("The BBC's political editor, Laura Kuenssberg, said the cabinet was split.")
    assert a.outlet == "BBC News" and a.speaker == "Laura Kuenssberg"


def test_several_outlets_in_one_cue_are_each_checked():
    a = one("The Times and the Guardian both reported that the deal had collapsed.")
    assert a.outlets == ["The Times", "The Guardian"] and a.outlet == "The Times"
    refs = resolve_sources([a], None, [SourceSpec.parse("Times=times.html"), SourceSpec.parse("Guardian=g.html")])
    assert [r.location for r in refs[a.id]] == ["times.html", "g.html"]


def test_told_an_outlet_with_a_colon():
    a = one("Calderon told CNBC: “We will cut rates when inflation is beaten.”")
    assert a.outlet == "CNBC" and a.speaker == "Calderon" and a.outlet_from == "cue"


# ---------------------------------------------------------------------------- discourse


def test_interview_outlet_carries_over_until_another_occasion():
    text = ("Pieter Aalst told the FT that the company would expand in Asia.\n\n"
            "The company has 4,000 staff.\n\n"
            "“We are not retreating from Europe,” Aalst said.\n\n"
            "Aalst later told reporters in Brussels that prices would rise.\n\n"
            "“We will hire,” Aalst said.")
    found = find_attributions(text)
    assert [(a.outlet, a.outlet_from) for a in found] == [
        ("Financial Times", "cue"), ("Financial Times", "context"), (None, None), (None, None),
    ]


def test_single_claim_sentence_without_an_article():
    a = one("Calderon told CNBC: “We will cut rates.”")
    assert a.text == "We will cut rates" and a.cue.startswith("Calderon told CNBC")
