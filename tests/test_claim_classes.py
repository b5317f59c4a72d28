"""Contrast pairs for classes of claims the judge reads: a faithful claim is confirmed and a
minimal change of meaning is not. Each case stands for a class of inputs (named in its id), with
our own sentences, not items of any development set."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.pipeline import Options, verify_claim

CASES = {
    # a list continued in the next paragraph ("… Cruz 30 percent. ¶ … Kasich … 24 percent")
    "list-across-paragraphs": (
        "Trump earned 39 percent in the poll, while Cruz earned 30 percent.\n\n"
        "The results are bad news for Kasich, who is in third place with 24 percent.",
        "Trump has 39 percent, Cruz 30 percent and Kasich 24 percent.",
        ["Trump has 39 percent, Cruz 24 percent and Kasich 30 percent."],
    ),
    # a new paragraph lends no lone verb: "filed" belongs to another action
    "verb-from-another-paragraph": (
        "The ruling, like one the judge filed earlier in the week, blocks the law.\n\n"
        "The governor said he expects an aggressive appeal of the ruling.",
        "The governor said he expects an appeal of the ruling.",
        ["The governor said the state has filed an appeal of the ruling."],
    ),
    # an estimate or a survey is not a speaker to compare ("Projections suggest …")
    "non-person-teller": (
        "Back in 2009, the Congressional Budget Office cited the tax as a reason for optimism. "
        "Projections suggest it would generate $91 billion over the next decade.",
        "Projections suggest the tax would generate $91 billion over the next decade.",
        ["Projections suggest the tax would generate $81 billion over the next decade.",
         "The Treasury said the tax would generate $91 billion over the next decade."],
    ),
    # a hedge adverb before a word that could be an adjective ("likely hacked computers")
    "hedge-adverb": (
        "The Chinese government likely hacked computers at the agency in 2010, according to a congressional report.",
        "The Chinese government likely hacked computers at the agency in 2010.",
        ["The Chinese government hacked computers at the agency in 2010.",
         "The report concluded that the Chinese government hacked computers at the agency in 2010."],
    ),
    # a plural the lemma table does not list ("landlines") is still the noun
    "regular-plural-of-rare-noun": (
        "The poll was conducted via landlines and cellphones from March 30 to April 4.",
        "The poll was conducted by landline and cellphone from March 30 to April 4.",
        ["The poll was conducted by landline and cellphone from March 30 to April 14."],
    ),
    # "people" is the plural of "person" (= "individual")
    "suppletive-plural": (
        "Of the 154 meetings, 85 were with individuals who were not government employees.",
        "85 of the 154 meetings were with people who were not government employees.",
        ["85 of the 154 meetings were with companies that were not government employees."],
    ),
    # a description as the subject stands for the person named before ("the Ohio governor")
    "description-as-agent": (
        "Kasich is the only Republican who beat Clinton in hypothetical matchups. "
        "Against Clinton, the Ohio governor earned 51 percent to her 35 percent.",
        "In a hypothetical matchup, Kasich earned 51 percent to Clinton's 35 percent.",
        ["In a hypothetical matchup, Clinton earned 51 percent to Kasich's 35 percent."],
    ),
    # a frame closing the sentence (", the … poll found.") is the attribution, not content
    "closing-frame": (
        "The USA TODAY poll surveyed 1,000 young adults in January.\n\n"
        "By a lopsided 82%-12%, Millennials support background checks for all gun purchasers.",
        "By 82 percent to 12 percent, Millennials back background checks for all gun purchasers, the USA TODAY poll found.",
        ["By 72 percent to 12 percent, Millennials back background checks for all gun purchasers, the poll found.",
         "By 82 percent to 12 percent, Millennials back background checks for some gun purchasers, the poll found.",
         # a teller the source never names is not the source's ("the Gallup poll found")
         "By 82 percent to 12 percent, Millennials back background checks for all gun purchasers, the Gallup poll found."],
    ),
    # "the state" refers back to the state the text names most (WordNet: Pennsylvania is a state)
    "definite-description": (
        "Trump and Clinton lead in Pennsylvania, the poll found.\n\n"
        "Voters in Pennsylvania head to the polls on April 26, along with those in Connecticut.\n\n"
        "Pennsylvania is a swing state. Most voters have made up their minds.\n\n"
        "Quinnipiac surveyed 1,737 registered voters in the state from March 30 to April 4.",
        "Quinnipiac surveyed 1,737 registered Pennsylvania voters from March 30 to April 4.",
        ["Quinnipiac surveyed 1,737 registered Connecticut voters from March 30 to April 4.",
         "Quinnipiac surveyed 1,737 registered Ohio voters from March 30 to April 4."],
    ),
    # a negative determiner opening the claim is part of its clause ("No further cases …")
    "negative-determiner-first": (
        "Bird flu was found in a sheep. No further cases have been found in the rest of the flock, officials said.",
        "No further cases have been found in the rest of the flock.",
        ["Further cases have been found in the rest of the flock."],
    ),
    # "costing" does not match "is" through WordNet's rare {cost, be} sense
    "grammatical-word-senses": (
        "The tax applies to the most expensive health plans. It is designed to curb spending.",
        "The tax applies to the most expensive health plans.",
        ["The tax applies to health plans costing more than $10,200 a year."],
    ),
    # a phrasal verb is one verb (WordNet's pass_through = move_through = transit); its particle
    # is part of it: "went around" is not "moved through", though "go" and "move" share a sense
    "phrasal-verb": (
        "The grain shipment moved through the port of Rotterdam before it reached Hamburg on Monday, the company said.",
        "The grain shipment passed through the port of Rotterdam before it reached Hamburg.",
        ["The grain shipment went around the port of Rotterdam before it reached Hamburg.",
         "The grain shipment moved around the port of Rotterdam before it reached Hamburg.",
         "The grain shipment was turned back at the port of Rotterdam before it reached Hamburg."],
    ),
    # the particle carries the direction: "went up" is not "went down" (same bare verb)
    "phrasal-verb-direction": (
        "Diesel prices went down 3 percent in March, the energy agency said.",
        "Diesel prices fell 3% in March.",
        ["Diesel prices went up 3 percent in March.",
         "Diesel prices rose 3 percent in March."],
    ),
    # a word one step below another's main sense with the same opposition says the same thing
    # ("rise" under "increase": "fall" is in "decrease"); a manner troponym ("soared", "exploded")
    # or the opposite does not
    "same-opposition-troponym": (
        "Ticket sales at the league's twelve clubs increased 4.2 percent in the first half of the year, the league said.",
        "Ticket sales at the league's twelve clubs rose 4.2% in the first half of the year.",
        ["Ticket sales at the league's twelve clubs fell 4.2% in the first half of the year.",
         "Ticket sales at the league's twelve clubs soared 4.2% in the first half of the year.",
         "Ticket sales at the league's twelve clubs exploded 4.2% in the first half of the year."],
    ),
    "same-opposition-troponym-reversed": (
        "Ticket sales at the league's twelve clubs rose 4.2 percent in the first half of the year, the league said.",
        "Ticket sales at the league's twelve clubs increased 4.2% in the first half of the year.",
        ["Ticket sales at the league's twelve clubs decreased 4.2% in the first half of the year.",
         "Ticket sales at the league's twelve clubs doubled in the first half of the year."],
    ),
    # a light verb and an action noun say what the noun's verb says (WordNet: decision <- decide);
    # its negation, a hedge, another noun or a negative determiner are not the same
    "light-verb-nominalisation": (
        "The county board will make decisions on the permit applications within 60 days, the clerk said.",
        "The county board will decide on the permit applications within 60 days.",
        ["The county board will not decide on the permit applications within 60 days.",
         "The county board may decide on the permit applications within 60 days.",
         "The county board will reject the permit applications within 60 days.",
         "The county board will make changes to the permit applications within 60 days."],
    ),
    "light-verb-nominalisation-reversed": (
        "The county board decided on the permit applications on Tuesday, the clerk said.",
        "The county board made a decision on the permit applications on Tuesday.",
        ["The county board made no decision on the permit applications on Tuesday.",
         "The county board made a change to the permit applications on Tuesday."],
    ),
    # "take" and "give" are not light verbs for the judge: the noun changes hands
    "not-a-light-verb": (
        "The rebels took control of the northern province in May, officials said.",
        "The rebels took control of the northern province in May.",
        ["The rebels gave control of the northern province in May."],
    ),
    # a bound on a span of time proves a looser bound, never an exact figure
    "duration-bound": (
        "The treaty followed more than 30 years of talks between the two states, the ministry said.",
        "The treaty followed more than 20 years of talks between the two states.",
        ["The treaty followed 300 years of talks between the two states.",
         "The treaty followed more than 300 years of talks between the two states.",
         "The treaty followed 35 years of talks between the two states."],
    ),
    # an antonym pair outweighs a shared rare sense ("keep down" meets one of the senses of "break"),
    # and a phrasal verb's sense meets verbs only ("keep down" is WordNet's {number, keep_down}, not
    # the noun in "a number of")
    "antonym-through-shared-sense": (
        "The pollster asked renters about a number of different schemes. In breaking down the results, "
        "the pollster found most renters favoured the plan, the paper said.",
        "In breaking down the results, the pollster found most renters favoured the plan.",
        ["In keeping down the results, the pollster found most renters favoured the plan."],
    ),
    # modality of the whole clause, whatever word the auxiliary stands before: a verb the judge
    # may take for a noun ("opens"), or a copula it does not count ("would be her last")
    "clause-modality": (
        "Harbour Water is expected to open talks with the regulator this week. "
        "Maria Okafor, 33, said this could be her last season with the club.",
        "Harbour Water is expected to open talks with the regulator this week.",
        ["Harbour Water opens talks with the regulator this week.",
         "Harbour Water will open talks with the regulator this week."],
    ),
    "clause-modality-copula": (
        "Maria Okafor, 33, said this could be her last season with the club.",
        "Maria Okafor, 33, said this could be her last season with the club.",
        ["Maria Okafor, 33, said this would be her last season with the club.",
         "Maria Okafor, 33, said this is her last season with the club."],
    ),
    # grammatical words WordNet gives as opposites ("up"/"down") carry the claim's direction
    "opposite-particles": (
        "Northgate shares were down 2.1% in afternoon trading after the results.",
        "Northgate shares were down 2.1% in afternoon trading.",
        ["Northgate shares were up 2.1% in afternoon trading."],
    ),
    # a negated cue says the opposite of the cue ("has not said" is not "has said")
    "negated-cue": (
        "Council leader Helen Brennan has said she will not raise parking charges this year.",
        "Helen Brennan has said she will not raise parking charges this year.",
        ["Helen Brennan has not said she will not raise parking charges this year.",
         "Helen Brennan did not say she will not raise parking charges this year."],
    ),
    # a reporting verb that reports nothing is what the claim asserts
    "bare-reporting-verb": (
        "Riverside Trust declined to comment on the report. The trust has 40 staff.",
        "Riverside Trust declined to comment.",
        ["Riverside Trust commented."],
    ),
    # a teller that is no one ("data from X") must be the teller the passage names
    "document-teller": (
        "Global temperatures reached a record high in 2024, according to data from Copernicus.",
        "Global temperatures reached a record high in 2024, according to data from Copernicus.",
        ["Global temperatures reached a record high in 2024, according to data from Eurostat."],
    ),
    # the speaker's description is part of the claim ("the former captain" is not "the latter")
    "speaker-description": (
        "The former United captain said the cuts were damaging morale among staff.",
        "The former United captain said the cuts were damaging morale among staff.",
        ["The latter United captain said the cuts were damaging morale among staff."],
    ),
    # a body given as the speaker is not a person of another body ("U.S." written by both)
    "speaker-body": (
        "“The state has offered no lawful basis for the detention,” U.S. District Judge Omar Haddad wrote.",
        "U.S. District Judge Omar Haddad wrote that the state has offered no lawful basis for the detention.",
        ["The U.S. Justice Department wrote that the state has offered no lawful basis for the detention."],
    ),
    # the sentence that states the claim decides its speaker, not a sentence before it that
    # names another person of the same party
    "speaker-of-the-stating-sentence": (
        "Grace Novak, the party's co-leader, said the result was a wake-up call. "
        "Daniel Moreau, the party's candidate, said he would not seek a leading role in future.",
        "Daniel Moreau, the party's candidate, said he would not seek a leading role in future.",
        ["Grace Novak, the party's candidate, said he would not seek a leading role in future."],
    ),
    # a time the speaker phrase runs into is the claim's ("Trump on Friday threatened")
    "time-after-the-speaker": (
        "President Lukas Lindqvist on Thursday threatened a 200% tariff on imported wine.",
        "President Lukas Lindqvist on Thursday threatened a 200% tariff on imported wine.",
        ["President Lukas Lindqvist on Friday threatened a 200% tariff on imported wine."],
    ),
    # an attribution aside's facts are the source's ("figures released in August")
    "aside-facts": (
        "Sir Tomas Castillo accepted more than 20 free tickets, according to figures released in July.",
        "Sir Tomas Castillo accepted more than 20 free tickets, according to figures released in July.",
        ["Sir Tomas Castillo accepted more than 20 free tickets, according to figures released in August."],
    ),
}


def _verdict(tmp_path: Path, source: str, claim: str):
    path = tmp_path / "source.txt"
    path.write_text(source, encoding="utf-8")
    return verify_claim(claim, sources=[str(path)], options=Options(offline=True)).findings[0]


@pytest.mark.parametrize("case", sorted(CASES))
def test_faithful_claim_confirmed(tmp_path, case):
    source, faithful, _ = CASES[case]
    f = _verdict(tmp_path, source, faithful)
    assert str(f.verdict) == "confirmed", (case, f.reason, f.explanation)


@pytest.mark.parametrize("case,altered", [(c, x) for c in sorted(CASES) for x in CASES[c][2]])
def test_changed_claim_not_confirmed(tmp_path, case, altered):
    source, _, _ = CASES[case]
    f = _verdict(tmp_path, source, altered)
    assert str(f.verdict) != "confirmed", (case, altered, f.explanation)


def test_description_swap_is_a_role_difference(tmp_path):
    source, _, (swapped,) = CASES["description-as-agent"]
    assert str(_verdict(tmp_path, source, swapped).reason) == "roles_differ"


def test_dropped_hedge_adverb_is_a_hedge_difference(tmp_path):
    source, _, (dropped, _) = CASES["hedge-adverb"]
    assert str(_verdict(tmp_path, source, dropped).reason) == "hedge_differs"


def test_faithful_synthesis_of_near_sentences_is_partial_not_unverified(tmp_path):
    """Facts from sentences a paragraph or two apart are joined: not proven in one passage, but
    not an invention either."""
    source = ("Ryan and McConnell get two picks each for the oversight board.\n\n"
              "Pelosi and Reid each choose one.\n\nThe board will have seven members.")
    f = _verdict(tmp_path, source, "Ryan and McConnell each get two picks for the seven-member oversight board.")
    assert str(f.verdict) == "partial"


def test_opposite_particle_is_a_negation_difference(tmp_path):
    source, _, (opposite, _) = CASES["phrasal-verb-direction"]
    assert str(_verdict(tmp_path, source, opposite).reason) == "negation_differs"


def test_murder_is_not_kill(tmp_path):
    """A troponym with a manner and no opposite adds a fact ("murdered": with intent): not proven."""
    source = "Two guards were killed in the attack on the depot, the police said on Friday."
    f = _verdict(tmp_path, source, "Two guards were murdered in the attack on the depot.")
    assert str(f.verdict) != "confirmed"


def test_negated_light_verb_is_not_the_verb(tmp_path):
    """"made no decision" does not say "decided"."""
    source = "The county board made no decision on the permit applications on Tuesday, the clerk said."
    f = _verdict(tmp_path, source, "The county board decided on the permit applications on Tuesday.")
    assert str(f.verdict) != "confirmed"


def test_name_from_a_later_sentence_is_partial_not_unverified(tmp_path):
    """The passage gives the sentence, the page names the judge and the defendant further down: the
    claim joins facts of the source (partial), it does not invent them."""
    source = ("Taxi driver who hacked officials gets 52-month sentence.\n\n"
              "A hacker who broke into the accounts of officials was sentenced to more than four years in "
              "federal prison on Thursday by a district judge in Alexandria.\n\nThe hacker, a former taxi "
              "driver, had pleaded guilty in May.\n\nProsecutors had asked for a longer term.\n\n"
              "Judge Maria Castillo imposed a 52-month sentence on Tomas Novak.")
    f = _verdict(tmp_path, source, "District Judge Maria Castillo sentenced Tomas Novak to 52 months, more than "
                                   "four years, in federal prison.")
    assert str(f.verdict) == "partial", (f.reason, f.explanation)
