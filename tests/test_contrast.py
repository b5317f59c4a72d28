"""Contrast sets: a minimal meaning-changing edit of a sentence is never `confirmed` against the
page the sentence comes from.

The generator (`verifier/contrast/`) swaps agent and patient, changes a weekday, month, year or
number, moves or drops a hedge, changes a vague quantity, puts in an antonym, swaps a name for
another of the same page, reverses an ordered pair, inserts or drops a negation, drops a negation
through an ellipsis, replaces a word through an editorial bracket, and gives a quotation to another
person. Each edit is checked through the library API exactly as `verifier claim TEXT --source F`
checks it.

- The sweep runs the generator over the project's own fixture pages (the corpus sources, own text,
  and the captured real pages of fixtures/real-pages), each page read and indexed once.
- A hypothesis property runs the same edits over sentences built from templates (own text).
- Kinds the judge does not yet get right are `xfail(strict=True)` with what fails, and a ratchet
  keeps their counts from growing; each class of false confirm found is also pinned by a small
  own-text case below, so the fix can be checked one class at a time.

Not counted: an edit of a quote's cue only ("“…,” she said on Friday" for "on Thursday"), when the
verifier checks the quotation as the attributed words and the quoted words are unchanged (the cue's
circumstances are not what a quote check verifies). Speaker edits are always counted.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from verifier import contrast
from verifier.api import DocumentCache, Options, fetch_documents, verify_claim
from verifier.contrast import KINDS, Edit, Page, edit, edited_outside_quote, page_cases

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# At most this many edits of one kind per page in the sweep: every kind on every page, in time.
PER_PAGE = 4


def _options() -> Options:
    return Options(offline=True, discover=False, documents=DocumentCache())


# ------------------------------------------------------------------------------ the generator


def _only(text: str, kind: str, page_text: str | None = None) -> Edit | None:
    page = Page.of(page_text or text)
    return edit(text, kind, page)


@pytest.mark.parametrize(("kind", "sentence", "expected"), [
    ("roles", "Boulter's 6-4, 6-0 victory over Parry was her first on grass.",
     "Parry's 6-4, 6-0 victory over Boulter was her first on grass."),
    ("roles", "The council sued Harbour Water over the leak.", None),  # one name: nothing to swap
    ("weekday", "The stand opened on Tuesday.", "The stand opened on Wednesday."),
    ("month", "The stand opened in June 2024.", "The stand opened in July 2024."),
    ("month", "Theresa May said the vote may slip.", None),  # a name and a modal, not months
    ("year", "The stand opened in 2024.", "The stand opened in 2025."),
    ("year", "The stand will open before 2027.", "The stand will open before 2026."),  # stronger, not weaker
    ("hedge_move", "The council may cut the budget.", "The council will cut the budget."),
    ("hedge_move", "The council is expected to cut the budget.", "The council will cut the budget."),
    ("hedge_move", "The council said it would cut the budget.", "The council said it might cut the budget."),
    ("hedge_drop", "The council may cut the budget.", "The council cuts the budget."),
    ("hedge_drop", "The mayor reportedly resigned.", "The mayor resigned."),
    ("hedge_drop", "The council cut the budget.", None),
    ("vague_quantity", "Hundreds of fans watched.", "Thousands of fans watched."),
    ("vague_quantity", "Tens of thousands of fans watched.", "Hundreds of thousands of fans watched."),
    ("vague_quantity", "Up to thousands of fans watched.", "Up to hundreds of fans watched."),  # down under "up to"
    ("antonym", "The council approved the stand.", "The council disapproved the stand."),
    ("antonym", "Prices rose sharply in March.", "Prices fell sharply in March."),
    ("pair", "The council approved it by 30 votes to 12.", "The council approved it by 12 votes to 30."),
    ("pair", "The budget was cut from £11m to £5.5m.", "The budget was cut from £5.5m to £11m."),
    ("pair", "She won 6-4.", "She won 4-6."),
    ("pair", "The inquiry ran from 2012 to 2016.", None),  # a span of years is not an ordered pair of values
    ("negation_insert", "The stand will open in 2027.", "The stand will not open in 2027."),
    ("negation_insert", "The council approved the stand.", "The council did not approve the stand."),
    ("negation_drop", "The stand will not open in 2027.", "The stand will open in 2027."),
    ("negation_drop", "The club won't appeal.", "The club will appeal."),
    ("negation_drop", "The club refused to pay the fine.", "The club paid the fine."),
    ("number", "The stand cost £500 to build.", "The stand cost £5,000 to build."),
    ("number", "Fewer than 30 people came.", None),  # "fewer than 300" would be true as well
    ("ellipsis_negation", "We will never send British troops to the front line",
     "“We will … send British troops to the front line”"),
    ("ellipsis_negation", "We will send British troops to the front line", None),
    ("bracket_antonym", "The party supports the plan", "“The party [opposes] the plan”"),
    ("bracket_number", "The plan costs 500 pounds", "“The plan costs [5,000] pounds”"),
    ("bracket_not", "I will take a wildcard", "“I will [not] take a wildcard”"),
    ("negation_insert", "Is the plan dead?", None),  # a question asserts nothing
])
def test_each_kind_of_edit(kind, sentence, expected):
    got = _only(sentence, kind)
    if expected is None:
        assert got is None
    else:
        assert got is not None and got.kind == kind
        assert got.text == expected


def test_names_are_swapped_for_names_of_the_same_kind_on_the_page():
    page_text = ("Katie Boulter beat Diane Parry on Tuesday. Riverside Trust said the pitch was dry. "
                 "Boulter thanked Northgate Council. Harriet Dart watched.")
    e = _only("Boulter thanked Northgate Council.", "entity", page_text)
    assert e is not None and e.text == "Parry thanked Northgate Council."  # a surname for a surname
    e = edit("Boulter thanked Northgate Council.", "entity", Page.of(page_text), 1)
    assert e is not None and e.text == "Boulter thanked Riverside Trust."  # a body for a body
    e = _only("Katie Boulter beat Diane Parry on Tuesday", "bracket_name", page_text)
    assert e is not None and e.text == "“[Harriet Dart] beat Diane Parry on Tuesday”"
    # an acronym names the same body: never a swap
    page = Page.of("The Office for Budget Responsibility (OBR) cut its forecast. The OBR said so.")
    assert edit("The OBR said so.", "entity", page) is None


def test_speaker_edits_give_a_page_quotation_to_another_named_person():
    page_text = ("“We will never send British troops to the front line,” said Defence Secretary John Healey.\n\n"
                 "Katie Boulter said the pitch was dry.\n\n"
                 "“The plan is expected to cost £500,” a Treasury spokesperson said.")
    page = Page.of(page_text)
    named = edit("“We will never send British troops to the front line,” said Defence Secretary John Healey.",
                 "speaker_named", page)
    assert named is not None and named.speaker == "Katie Boulter"
    assert named.text == "Katie Boulter said: “We will never send British troops to the front line”"
    anonymous = edit("“The plan is expected to cost £500,” a Treasury spokesperson said.", "speaker_anonymous", page)
    assert anonymous is not None and anonymous.speaker in ("John Healey", "Katie Boulter")
    assert edit("Katie Boulter said the pitch was dry.", "speaker_named", page) is None


def test_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        edit("The stand opened.", "tense")


# ------------------------------------------------------------------------------ the fixture sweep


@dataclass(frozen=True)
class Checked:
    source: str
    original: str
    edit: Edit
    verdict: str
    reason: str
    frame: bool


def _fixture_sources() -> list[str]:
    pages = sorted((FIXTURES / "corpus").glob("*/sources/*.html")) + sorted((FIXTURES / "real-pages").glob("*.html"))
    return [str(p) for p in pages]


@pytest.fixture(scope="module")
def sweep() -> tuple[list[Checked], list[tuple[str, Edit, str]]]:
    opts = _options()
    docs = fetch_documents(_fixture_sources(), opts)
    checked: list[Checked] = []
    crashes: list[tuple[str, Edit, str]] = []
    for loc, doc in docs.items():
        if not doc.ok or not doc.paragraphs or doc.paywalled:
            continue  # barrier pages and teasers: nothing to contrast against
        per_kind: Counter[str] = Counter()
        for original, e in page_cases(doc.text, Page.of(doc.text)):
            if per_kind[e.kind] >= PER_PAGE:
                continue
            per_kind[e.kind] += 1
            try:
                f = verify_claim(e.text, sources=[loc], speaker=e.speaker, options=opts).findings[0]
            except Exception as exc:  # noqa: BLE001 - a crash is reported as a finding of this test
                crashes.append((loc, e, repr(exc)))
                continue
            frame = edited_outside_quote(e, original, f.attribution.kind, f.attribution.text)
            checked.append(Checked(loc, original, e, f.verdict.value, f.reason.value, frame))
    return checked, crashes


def _false_confirms(checked: list[Checked]) -> dict[str, list[Checked]]:
    out: dict[str, list[Checked]] = defaultdict(list)
    for c in checked:
        if c.verdict == "confirmed" and not c.frame:
            out[c.edit.kind].append(c)
    return out


def _show(cs: list[Checked]) -> str:
    return "\n".join(f"{Path(c.source).parent.parent.name}/{Path(c.source).name}: {c.edit.before!r} -> "
                     f"{c.edit.after!r}: {c.edit.text}" for c in cs[:10])


# Kinds the judge confirms some edits of today (issue 9; measured on this sweep). Each entry is
# the number of false confirms the sweep finds now: the ratchet below fails if one grows, and the
# kind's strict xfail fails once it reaches 0 (then delete both).
KNOWN_FALSE_CONFIRMS = {
    "antonym": 7,
    "entity": 14,
    "hedge_drop": 1,
    "hedge_move": 2,
    "month": 2,
    "negation_drop": 1,
    "negation_insert": 5,
    "weekday": 1,
}


def _kind_params() -> list:
    out = []
    for kind in KINDS:
        if kind in KNOWN_FALSE_CONFIRMS:
            out.append(pytest.param(kind, marks=pytest.mark.xfail(
                strict=True, reason=f"issue 9: the judge confirms {kind} edits (see KNOWN_FALSE_CONFIRMS)")))
        else:
            out.append(kind)
    return out


def test_the_sweep_checks_every_kind(sweep):
    checked, _ = sweep
    kinds = Counter(c.edit.kind for c in checked)
    assert set(kinds) == set(KINDS), set(KINDS) - set(kinds)
    assert len(checked) > 1000


@pytest.mark.parametrize("kind", _kind_params())
def test_no_edit_of_a_fixture_sentence_is_confirmed(sweep, kind):
    checked, _ = sweep
    bad = _false_confirms(checked).get(kind, [])
    assert not bad, f"{len(bad)} {kind} edits confirmed:\n{_show(bad)}"


def test_false_confirms_do_not_grow(sweep):
    checked, _ = sweep
    found = {k: len(v) for k, v in _false_confirms(checked).items()}
    grown = {k: (n, KNOWN_FALSE_CONFIRMS.get(k, 0)) for k, n in found.items() if n > KNOWN_FALSE_CONFIRMS.get(k, 0)}
    assert not grown, f"more false confirms than known (found, known): {grown}; all found: {found}"


def test_no_edit_crashes_the_verifier(sweep):
    _, crashes = sweep
    assert not crashes, "\n".join(f"{loc}: {e.text!r}: {err}" for loc, e, err in crashes)


# ------------------------------------------------------------------------------ the property

_FIRST = ["Maria", "Tomas", "Helen", "Omar", "Priya", "Lukas", "Grace", "Daniel"]
_LAST = ["Okafor", "Lindqvist", "Brennan", "Castillo", "Haddad", "Novak", "Whitfield", "Moreau"]
_CITIES = ["Leeds", "Lyon", "Porto", "Graz", "Bergen", "Cork"]
_BODIES = ["Northgate Council", "Harbour Water", "Riverside Trust", "Eastfield College"]


@st.composite
def _pages(draw) -> tuple[str, str]:
    """A short page of own text and one sentence of it, built from templates."""
    sem = contrast._raw_semantics()
    people = draw(st.lists(st.tuples(st.sampled_from(_FIRST), st.sampled_from(_LAST)), min_size=3, max_size=3,
                           unique_by=(lambda p: p[0], lambda p: p[1])))
    a, b, c = (f"{f} {s}" for f, s in people)
    city, other_city = draw(st.lists(st.sampled_from(_CITIES), min_size=2, max_size=2, unique=True))
    body, other_body = draw(st.lists(st.sampled_from(_BODIES), min_size=2, max_size=2, unique=True))
    day = draw(st.sampled_from(sem["calendar"]["weekdays"])).capitalize()
    month = draw(st.sampled_from(sem["calendar"]["months"][:-1])).capitalize()
    year = draw(st.integers(2015, 2030))
    x, y = draw(st.lists(st.integers(1, 60), min_size=2, max_size=2, unique=True))
    money = draw(st.sampled_from([120, 450, 800, 1500, 2300]))
    hedge = draw(st.sampled_from(["may", "could", "is expected to", "will"]))
    vague = draw(st.sampled_from(["Dozens", "Hundreds", "Thousands"]))
    templates = [
        f"{a} beat {b} {max(x, y) % 7 + 1}-{min(x, y) % 5} on {day} to reach the {city} final.",
        f"{body} {hedge} cut {x} jobs at its {city} depot by {month} {year}.",
        f"{body} approved the plan by {max(x, y)} votes to {min(x, y)}, raising the budget from £{x}m to £{y}m.",
        f"“We will not close the {city} depot before {month},” said {a}.",
        f"{vague} of residents marched from {city} to {other_city} on {day}.",
        f"“The new depot will cost £{money} a day to run,” a {other_body} spokesperson said.",
        f"{a} said {body} had refused to pay the £{money} fine.",
        f"{a} has said {body} will not raise prices before {month}.",
        f"Shares in {body} were down {x}% in afternoon trading on {day}.",
        f"{body} is expected to open talks with {other_body} this week.",
        f"{a}, the chair of {body}, is considering resigning over the cuts.",
        f"{body} declined to comment on the {city} depot.",
        f"The mayor of {city} said residents there look to {other_city} for leadership.",
    ]
    k = draw(st.integers(0, len(templates) - 1))
    filler = [f"{c} and {b} met officials of {other_body} in {other_city} last week.",
              f"{other_body} said it would publish its report in {year + 1}."]
    sentence = templates[k]
    page = "\n\n".join([filler[0], sentence, filler[1]])
    return page, sentence


@pytest.fixture(scope="module")
def page_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("contrast-pages")


@pytest.fixture(scope="module")
def property_options():
    return _options()


# Kinds the property does not hold for yet (issue 9), found by the sweep and by this property. Not
# strict: Hypothesis mixes constants from the modules a run has imported into what it draws, so the
# examples (and whether one of them hits a known failure) change with the rest of the suite; the
# sweep's strict xfails and the pinned cases say when a kind is fixed.
_PROPERTY_FAILING = {"hedge_drop", "antonym", "entity", "pair", "negation_insert"}


def _property_params() -> list:
    return [pytest.param(k, marks=pytest.mark.xfail(strict=False, reason=f"issue 9: {k} edits confirmed"))
            if k in _PROPERTY_FAILING else k for k in KINDS]


@pytest.mark.parametrize("kind", _property_params())
# no shrinking: a failing kind reports its first failing example at once (the kinds that fail today
# are xfail, and shrinking them would cost a minute)
@settings(max_examples=25, derandomize=True, database=None, deadline=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(drawn=_pages())
def test_property_no_edit_is_confirmed(kind, drawn, page_dir, property_options):
    page_text, sentence = drawn
    path = page_dir / (hashlib.sha1(page_text.encode()).hexdigest()[:16] + ".txt")
    if not path.exists():
        path.write_text(page_text, encoding="utf-8")
    page = Page.of(page_text)
    q = contrast.quotation(sentence)
    if kind in contrast.QUOTE_KINDS:
        targets = [(q or sentence, True)]  # editorial marks belong inside a quotation
    else:
        targets = [(sentence, False)] + ([(q, True)] if q else [])
    for text, quote in targets:
        for nth in range(contrast.count(text, kind, page)):
            e = edit(text, kind, page, nth)
            assert e is not None
            claim = f"“{e.text}”" if quote and not e.quote else e.text
            f = verify_claim(claim, sources=[str(path)], speaker=e.speaker, options=property_options).findings[0]
            if f.verdict.value == "confirmed" and edited_outside_quote(e, text, f.attribution.kind, f.attribution.text):
                continue
            assert f.verdict.value != "confirmed", (kind, claim, f.reason.value, page_text)


# ------------------------------------------------------------------------------ pinned false confirms

# One small own-text case per class of false confirm the sweep and the development script found
# (issue 9). Each is the page, a claim that changes one thing, and why it is wrong. Those in
# FIXED_SINCE the judge gets right (regression tests); the others fail today (strict xfail): when
# the judge gets one right it XPASSes, and it moves into FIXED_SINCE.
_NOTHING = "Officials gave no further details on Monday."
PINNED = [
    ("negated reporting verb ignored",
     f"Northgate Council has said it will not close the Leeds depot before June. {_NOTHING}",
     "Northgate Council has not said it will not close the Leeds depot before June."),
    ("negated copula ignored",
     "He was at Lord Brennan’s house on the night of the election – July 4 – to see the exit poll and watch "
     "early results come in, before going to his count at the town hall.\n\nThe peer has given him thousands of pounds.",
     "He was not at Lord Brennan’s house on the night of the election – July 4 – to see the exit poll and watch "
     "early results come in, before going to his count at the town hall."),
    ("hedge: will -> may in a reported clause",
     f"Harbour Water said hospitals will miss the interim target. {_NOTHING}",
     "Harbour Water said hospitals may miss the interim target."),
    ("hedge dropped: is expected to affect -> affects",
     f"The ruling is expected to affect bus fares across the county. {_NOTHING}",
     "The ruling affects bus fares across the county."),
    ("hedge: would -> might",
     f"The council warned that growth would be half as strong as expected this year. {_NOTHING}",
     "The council warned that growth might be half as strong as expected this year."),
    ("hedge: could -> would",
     f"Helen Brennan, 33, said this could be her last major tournament. {_NOTHING}",
     "Helen Brennan, 33, said this would be her last major tournament."),
    ("hedge dropped: could be -> is",
     f"Helen Brennan, 33, said this could be her last major tournament. {_NOTHING}",
     "Helen Brennan, 33, said this is her last major tournament."),
    ("hedge dropped: can take -> take",
     f"Member states can take collective action in response to a crisis. {_NOTHING}",
     "Member states take collective action in response to a crisis."),
    ("hedge dropped: may have been -> has been",
     f"A metallic ping may have been the bullet hitting a wall, investigators said. {_NOTHING}",
     "A metallic ping has been the bullet hitting a wall, investigators said."),
    ("antonym: down -> up",
     f"Shares in Harbour Water were down 1.4% in afternoon trading. {_NOTHING}",
     "Shares in Harbour Water were up 1.4% in afternoon trading."),
    ("antonym: begin -> end",
     f"Coalition talks are expected to begin within days. {_NOTHING}",
     "Coalition talks are expected to end within days."),
    ("antonym: privately -> publicly",
     f"Several councillors said privately that they could not vote for the budget. {_NOTHING}",
     "Several councillors said publicly that they could not vote for the budget."),
    ("entity: another person of the page in the subject",
     f"Tomas Novak, the transport minister, is considering resigning over the cuts. Maria Okafor defended the cuts. "
     f"{_NOTHING}",
     "Maria Okafor, the transport minister, is considering resigning over the cuts."),
    ("roles: X invaded Y -> Y invaded X",
     f"Both countries applied to join shortly after Ruritania invaded Freedonia. {_NOTHING}",
     "Both countries applied to join shortly after Freedonia invaded Ruritania."),
    ("roles: X's invasion of Y -> Y's invasion of X",
     f"The alliance described Ruritania's invasion of Freedonia as the gravest threat. {_NOTHING}",
     "The alliance described Freedonia's invasion of Ruritania as the gravest threat."),
    ("roles: X looks to Y -> Y looks to X",
     f"The leader has little time as Europe looks to Berlin for leadership. {_NOTHING}",
     "The leader has little time as Berlin looks to Europe for leadership."),
    ("roles: from X to Y -> from Y to X",
     f"Hundreds of residents marched from Leeds to Lyon on Monday. {_NOTHING}",
     "Hundreds of residents marched from Lyon to Leeds on Monday."),
    ("implicit negation dropped: declined to comment -> commented",
     "Harbour has emerged as the frontrunner to buy the water company.\n\nHarbour is among several parties to have "
     "bid.\n\nHarbour declined to comment.",
     "Harbour commented."),
    ("negation dropped: but not until -> but until",
     f"The chief said the country could join in the long term, but not until after the war had ended. {_NOTHING}",
     "The chief said the country could join in the long term, but until after the war had ended."),
    ("quote cut at its edge drops the negation: “no return …” -> “return …”",
     f"The minister said there would be “no return to the old rules” this year. {_NOTHING}",
     "“return to the old rules”"),
    ("claim with a quoted fragment checked as the fragment only: 3% -> 30%",
     f"Helen Brennan said she hoped to reach 3% of GDP in the next parliament, “as economic conditions allow”. "
     f"{_NOTHING}",
     "Helen Brennan said she hoped to reach 30% of GDP in the next parliament, “as economic conditions allow”."),
    ("statement after a quote unchecked: adding that … would not be",
     f"“We expect inflation to rise this year,” Governor Maria Okafor told reporters, adding that the rise would be "
     f"temporary. {_NOTHING}",
     "“We expect inflation to rise this year,” Governor Maria Okafor told reporters, adding that the rise would not be "
     "temporary."),
    ("speaker in the cue swapped for another speaker of the page",
     "“Nobody has ever said sorry to me,” former subpostmistress Maria Okafor told reporters.\n\n“I lost everything,” "
     "said Tomas Novak, who was made bankrupt after the company pursued him through the courts.\n\n"
     "More than 900 people were wrongly convicted.",
     "“I lost everything,” said Maria Okafor, who was made bankrupt after the company pursued him through the courts."),
]


# Pinned cases the judge of main at 22b53b9 (merged here) gets right.
FIXED_SINCE = {
    "negated copula ignored",
    "hedge: would -> might",
    "hedge dropped: may have been -> has been",
    "roles: X invaded Y -> Y invaded X",
    "roles: X looks to Y -> Y looks to X",
    # clause modality, opposite particles, negated cues, speakers of the stating sentence
    "negated reporting verb ignored",
    "hedge: will -> may in a reported clause",
    "hedge dropped: is expected to affect -> affects",
    "hedge: could -> would",
    "hedge dropped: could be -> is",
    "hedge dropped: can take -> take",
    "antonym: down -> up",
    "speaker in the cue swapped for another speaker of the page",
}


def _page_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(("why", "page", "claim"), [
    pytest.param(*case, id=case[0]) if case[0] in FIXED_SINCE else
    pytest.param(*case, id=case[0], marks=pytest.mark.xfail(strict=True, reason=f"issue 9: {case[0]}"))
    for case in PINNED
])
def test_pinned_false_confirm(tmp_path, why, page, claim):
    f = verify_claim(claim, sources=[_page_file(tmp_path, page)], options=_options()).findings[0]
    assert f.verdict.value != "confirmed", f"{why}: {claim!r} -> {f.verdict.value}/{f.reason.value}"


@pytest.mark.parametrize(("why", "page", "claim"), [pytest.param(*c, id=c[0]) for c in PINNED])
def test_pinned_originals_are_confirmed(tmp_path, why, page, claim):
    """The pinned pages are faithful to their own first sentence: the cases are not vacuous."""
    first = page.split("\n\n")[0].split(". ")[0].rstrip(".") + "."
    f = verify_claim(first, sources=[_page_file(tmp_path, page)], options=_options()).findings[0]
    assert f.verdict.value == "confirmed", (first, f.reason.value)


def test_more_than_a_number_crashes(tmp_path):
    """A bound proves no exact figure: "300 years" is not "more than 30 years" (this once crashed
    the judge, then confirmed it)."""
    page = f"The agreement was the result of more than 30 years of negotiations. {_NOTHING}"
    f = verify_claim("The agreement was the result of more than 300 years of negotiations.",
                     sources=[_page_file(tmp_path, page)], options=_options()).findings[0]
    assert f.verdict.value != "confirmed"


# ------------------------------------------------------------------------------ pending probe cases


def _pending_cases() -> list[Path]:
    return sorted((FIXTURES / "pending").glob("*/case.toml"))


@pytest.mark.parametrize("case_file", [
    pytest.param(p, id=p.parent.name, marks=pytest.mark.xfail(
        strict=True, reason="issue 9: labelled by reading the source; the verifier gets these wrong today"))
    for p in _pending_cases()
])
def test_pending_probe_case(case_file):
    """Probe cases in the corpus format that are not in the corpus yet: every label must hold
    (then the case moves into fixtures/corpus and this xfail goes)."""
    from verifier.evaluate import load_case, run_case

    case = load_case(case_file)
    _, outcomes = run_case(case)
    labelled = [o for o in outcomes if o.expected]
    assert len(labelled) == len(case.expect)
    wrong = [(o.expected.text, o.got_verdict, o.got_reason) for o in labelled
             if (o.got_verdict, o.got_reason) != (o.expected.verdict, o.expected.reason)]
    assert not wrong


@pytest.mark.parametrize("case_file", [pytest.param(p, id=p.parent.name) for p in _pending_cases()])
def test_pending_probe_case_is_no_false_confirm(case_file):
    """Wrong as they are, the pending cases are not confirmed either."""
    from verifier.evaluate import load_case, run_case

    _, outcomes = run_case(load_case(case_file))
    assert [o.expected.text for o in outcomes if o.expected and o.expected.verdict != "confirmed"
            and o.got_verdict == "confirmed"] == []
