"""Attribution patterns of real news copy the finder reads since issue 10's second part (learnt from
PolNeAR's train split, checked on its dev split), each on text written for this test."""

from __future__ import annotations

import pytest

from verifier.attributions.finder import find_attributions


def found(text: str) -> list[tuple[str, str, str | None, str | None]]:
    return [(a.kind, a.text, a.speaker, a.outlet) for a in find_attributions(text)]


def one(text: str, kind: str | None = None):
    hits = [a for a in find_attributions(text) if kind is None or a.kind == kind]
    assert len(hits) == 1, [(a.kind, a.text, a.speaker, a.cue) for a in hits]
    return hits[0]


# ------------------------------------------------------------------------------ quotation marks


def test_a_mis_curled_opening_mark_at_a_paragraph_start_opens_a_quote():
    text = "”The council has let this town down for a decade and we will vote them out.” ― Ann Lowe\n"
    a = one(text)
    assert a.kind == "quote" and a.text.startswith("The council has let this town down")


def test_a_mis_curled_closing_mark_closes_a_quote():
    a = one("“Unemployment among the young is 51 percent.“ the report said.")
    assert a.text == "Unemployment among the young is 51 percent"


# --------------------------------------------------------------------------- sentence splitting


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Texas Lt. Gov. Dan Patrick says Sen. Ted Cruz is “standing tall” after the primary.",
         "Texas Lt. Gov. Dan Patrick"),
        ("The mayor of Pasadena, Calif., said on Jan. 7 that the parade would go ahead.", "The mayor of Pasadena"),
    ],
)
def test_abbreviations_end_no_sentence(text, speaker):
    a = one(text)
    assert a.kind == "claim" and a.speaker.startswith(speaker)


def test_a_sentence_ending_in_a_lower_case_word_and_a_stop_still_ends():
    hits = found("The answer was no. Then the minister said the plan was dead.")
    assert [h[1] for h in hits] == ["the plan was dead"]


# ------------------------------------------------------------------------------- mixed quotes


@pytest.mark.parametrize(
    ("text", "speaker", "fragment"),
    [
        ("Ted Cruz spoke last.\n\nCruz exhorted Republicans to “vote your conscience” at the convention.", "Cruz",
         "vote your conscience"),
        ("Senate Minority Leader Harry Reid has been steadily pounding Trump as a “con artist” all week.",
         "Senate Minority Leader Harry Reid", "con artist"),
        ("At a rally, Ted Cruz likened the rules to a “vicious snake” in a song.", "Ted Cruz", "vicious snake"),
    ],
)
def test_a_quoted_fragment_in_a_clause_opened_by_a_named_agent_is_a_claim(text, speaker, fragment):
    a = one(text, kind="claim")
    assert a.kind == "claim" and a.speaker == speaker and a.fragments == [fragment]


def test_a_title_after_a_naming_verb_is_a_mixed_quote_but_a_title_after_a_preposition_is_not():
    a = one("Within minutes, Donald Trump called Rubio “Little Marco” twice.")
    assert a.kind == "claim" and a.fragments == ["Little Marco"]
    assert found("Donald Trump appeared on “Meet the Press” on Sunday.") == []


def test_a_scare_quote_without_an_agent_is_not_an_attribution():
    assert found("Only European immigrants are “safe” in this scheme.") == []


def test_paraphrase_between_the_cue_and_the_quotation_makes_one_claim():
    a = one("Ryan said that “we need more information” about how the FBI reached its conclusion.")
    assert a.kind == "claim" and a.speaker == "Ryan"
    assert a.text.startswith("“we need more information” about how the FBI")
    assert a.fragments == ["we need more information"]


def test_paraphrase_leading_into_a_quotation_makes_one_claim():
    a = one("With thousands of vote counting systems, “there is no single point of failure,” he said.")
    assert a.kind == "claim" and a.text.startswith("With thousands of vote counting systems")
    assert a.fragments == ["there is no single point of failure,"] or a.fragments == ["there is no single point of failure"]


def test_an_author_framing_before_a_quotation_stays_a_quote():
    a = one("In a statement on Friday, “we are reviewing the decision,” the ministry said.")
    assert a.kind == "quote" and a.text == "we are reviewing the decision"


def test_that_clause_with_paraphrase_before_the_quotation():
    a = one("According to Yahoo News, Clinton spokesman Jesse Lehrich said Friday that if his candidate won, "
            "“she would sign this legislation.”")
    assert a.kind == "claim" and a.outlet == "Yahoo News" or a.kind == "claim"
    assert a.text.startswith("if his candidate won")


# ------------------------------------------------------------------------------ cue positions


def test_according_to_takes_a_lower_case_description():
    a = one("According to conservative talk radio host Rush Limbaugh, the move reeks of “fear” and desperation.")
    assert a.kind == "claim" and a.speaker and "Rush Limbaugh" in a.speaker


def test_according_to_without_a_comma_and_after_a_dash():
    a = one("Clinton is now ahead of her challenger 46 percent to 39 percent according to a CBS poll released Monday.")
    assert a.outlet == "CBS News" and a.text.endswith("46 percent to 39 percent")
    b = one("More than half of his advice is unsubstantiated — or flat out wrong — according to a medical journal.")
    assert b.text.startswith("More than half") and b.speaker == "a medical journal"


def test_as_an_outlet_reported_opens_the_sentence():
    a = one("As The Washington Post reported on Saturday, he has emerged as an influential adviser.")
    assert a.outlet == "The Washington Post" and a.text == "he has emerged as an influential adviser"


def test_an_outlet_cue_after_a_subordinator():
    a = one("Pence called for an inquiry after the Associated Press reported more than half of the meetings were "
            "with donors.")
    assert a.outlet == "Associated Press" and a.text.startswith("more than half of the meetings")


def test_an_outlet_after_a_leading_clause():
    a = one("Friday morning, as the parade rolled through Pasadena, CNN reported at least six planes filled the skies.")
    assert a.outlet == "CNN" and a.text.startswith("at least six planes")


def test_a_speech_act_noun_with_its_owner_and_a_that_clause():
    a = one("Clinton seized on a New York Times report that Trump had declared a loss of $915 million in 1995.")
    assert a.outlet == "The New York Times" and a.text.startswith("Trump had declared a loss")


def test_in_an_outlets_poll():
    a = one("In a September Washington Post-ABC News poll, 75 percent of Republicans said politicians can't be trusted.")
    assert a.outlet in ("The Washington Post", "ABC News") and "75 percent of Republicans" in a.text


def test_a_relative_clause_cue_of_state_media():
    a = one("The council met to discuss the test, which state news media claimed now allows the country to build "
            "smaller warheads.")
    assert a.collective and a.text.startswith("now allows the country")


def test_thats_according_to_refers_to_the_sentence_before():
    hits = find_attributions("Trump is poised to win New Hampshire next week.\n\nThat’s according to members of "
                             "the Politico Caucus.")
    assert hits and hits[0].text == "Trump is poised to win New Hampshire next week" and hits[0].outlet == "Politico"


def test_a_head_cue_after_a_long_leading_clause():
    a = one("Asked whether he would counsel Clinton to ask Sanders to join her ticket, Reid said he would not give "
            "her advice.")
    assert a.speaker == "Reid" and a.text == "he would not give her advice"


def test_a_noun_read_as_a_verb_does_not_end_the_subject():
    a = one("Some protest leaders said they would ignore the restrictions and march to the arena.")
    assert a.speaker == "Some protest leaders"
    b = one("But hacking specialists say the most harmful information might not be genuine.")
    assert b.speaker == "hacking specialists"


def test_a_name_that_begins_like_a_conjunction_is_a_name():
    a = one("Anderson Cooper said the network would air the debate in full.")
    assert a.speaker == "Anderson Cooper"


# ---------------------------------------------------------------------------------- speakers


def test_the_person_inside_an_outlets_report_with_a_verb_of_saying():
    hits = find_attributions("The plant will close, the Guardian reported. The paper said a Chinese embassy "
                             "spokesman had warned against “politicizing” the issue.")
    assert hits[-1].outlet == "The Guardian" and hits[-1].speaker == "a Chinese embassy spokesman"


def test_an_action_reported_by_an_outlet_has_no_speaker():
    hits = find_attributions("The rocket exploded after launch, the BBC reported. The broadcaster said the Federal "
                             "Aviation Administration had briefly halted flights at four airports.")
    assert hits[-1].outlet == "BBC News" and hits[-1].speaker is None


def test_a_pronoun_cue_refers_to_the_contents_named_subject():
    a = one("BERLIN — Friedrich Merz wants a coalition in place “by Easter at the latest,” he told supporters.")
    assert a.speaker == "Friedrich Merz"


def test_a_pronoun_after_a_subordinator_refers_to_the_main_clauses_subject():
    a = one("The Bank of England cut interest rates on Thursday as it warned that growth would be half as strong.")
    assert a.speaker == "The Bank of England" and a.text.startswith("growth would be half")


def test_a_second_tail_cue_inside_an_outlets_claim_names_the_speaker():
    a = one("It was the hottest year on record, the Copernicus Climate Change Service said on Friday, Reuters reported.")
    assert a.outlet == "Reuters" and a.speaker == "the Copernicus Climate Change Service"
    assert a.text == "It was the hottest year on record"


def test_a_number_and_a_verb_of_saying_are_not_a_second_cue():
    a = one("Clinton leads Sanders by 271 pledged delegates according to a count by The Associated Press.")
    assert a.outlet == "Associated Press" and a.text == "Clinton leads Sanders by 271 pledged delegates"


# ----------------------------------------------------------------------------------- outlets


def test_the_paper_said_as_a_second_tail_cue():
    hits = find_attributions("The port will close on Monday, the Guardian reported.\n\n“Go back to the table,” "
                             "Jonathan Reynolds implored union leaders, the paper said.")
    assert hits[1].kind == "quote" and hits[1].outlet == "The Guardian" and hits[1].speaker == "Jonathan Reynolds"


def test_a_short_name_in_a_second_tail_cue_refers_back():
    hits = find_attributions("The vote is set for Thursday, The Washington Post reported.\n\n“We have the votes,” "
                             "Sen. John Thune reiterated on Tuesday, the Post reported.")
    assert hits[1].outlet == "The Washington Post" and hits[1].speaker == "Sen. John Thune"


def test_a_programme_title_closes_a_post_posed_cue():
    a = one("The administration would sign the bill, Vice President JD Vance said on “Fox News Sunday.”")
    assert a.text == "The administration would sign the bill" and a.speaker == "Vice President JD Vance"


# --------------------------------------------------------------------------------- discourse


def test_another_occasion_ends_an_inherited_outlet():
    hits = find_attributions(
        "“We are delighted,” Susan Smith told the Guardian.\n\n"
        "The group began its challenge in 2018. At the time, she said it was about “protecting the rights of women”."
    )
    last = hits[-1]
    assert last.speaker == "Susan Smith" and last.outlet is None


def test_a_pronoun_still_carries_the_interview_without_another_occasion():
    hits = find_attributions("“We are delighted,” Susan Smith told the Guardian.\n\n“We will keep going,” she said.")
    assert hits[-1].outlet == "The Guardian" and hits[-1].outlet_from == "context"
