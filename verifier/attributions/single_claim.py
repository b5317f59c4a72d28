"""Read one claim sentence as the attribution it is (the `verifier claim` input).

"Calderon told CNBC: “We are not going to pay”" is a quote by Calderon, not a claim whose words
include "Calderon told CNBC": the attribution finder reads the sentence as it reads an article, so
the quote is aligned word for word and the speaker is checked as a speaker. A text wrapped whole
in quotation marks is a bare quote; a sentence with no reporting frame is a plain claim.
"""

from __future__ import annotations

import re
from functools import lru_cache

from verifier.attributions.finder import find_attributions
from verifier.models import ArticleText, Attribution
from verifier.registry import Registry

_QUOTE_WRAP = re.compile(r"^\s*[\"“«‘'„](?P<q>.+?)[\"”»’'“]\s*$", re.S)
_PREPOSITIONS = frozenset("to on of about at in with for from by over into onto against".split())
_QUOTED = re.compile(r"[“\"«]([^”\"»]+)[”\"»]")


def claim_attribution(
    text: str, registry: Registry, *, speaker: str | None = None, outlet: str | None = None
) -> Attribution:
    """The attribution a single quote or claim sentence makes. `speaker` and `outlet`, when given,
    are who the user says it is attributed to, and win over what the sentence names."""
    canonical = registry.find(outlet) if outlet else None
    outlet_name = canonical.name if canonical else outlet
    m = _QUOTE_WRAP.match(text)
    if m and not _QUOTED.search(m.group("q")):
        body = m.group("q").strip()
        start = text.find(body)
        return Attribution("a1", "quote", body, (start, start + len(body)), text.strip(), "",
                           outlet_name, speaker, [], False, (0, len(text)))
    found = find_attributions(ArticleText(text, "<claim>", "txt"), registry)
    best = _main_attribution(found, text)
    framed = _framed_quote(text)
    if framed is not None and (best is None or best.kind == "claim"):
        # “…,” said X / X said: “…” — the quotation is the whole content whatever the finder made of it
        q, s = framed
        who = best.speaker if best is not None else None
        cue = best.cue if best is not None else ""
        best = Attribution("a1", "quote", q, (s, s + len(q)), text.strip(), cue,
                           best.outlet if best is not None else None, who, [], False, (0, len(text)))
    if best is not None:
        quoted = [q for q in _QUOTED.finditer(text)]
        longest = max(quoted, key=lambda q: len(q.group(1)), default=None)
        if best.kind == "claim" and longest is not None and longest.group(1) not in best.text and (
            len(longest.group(1).split()) >= 3
        ):
            # the finder took the frame for the content ("“Who is …?” Rubio said on a call")
            q = longest.group(1).strip(" ,.;:")
            s = text.find(q)
            best = Attribution("a1", "quote", q, (s, s + len(q)), text.strip(), best.cue, best.outlet,
                               best.speaker, [], False, (0, len(text)))
        best.id = "a1"
        if best.kind == "claim":
            best = _whole_statement(best, text, registry)
        best.speaker = speaker or best.speaker
        best.outlet = outlet_name or best.outlet
        return best
    body = text.strip()
    fragments = [f.strip(" ,.;:") for f in _QUOTED.findall(body)]
    framed_by = _trailing_frame(body)
    if framed_by is not None:
        # "…, the USA TODAY/Rock the Vote poll found.": the frame names who says it; the claim is
        # what comes before it
        content, who, cue = framed_by
        named = registry.mentions(who)
        start = text.find(content)
        return Attribution("a1", "claim", content, (start, start + len(content)), body, cue,
                           outlet_name or (named[0][2].name if named else None), speaker or who,
                           [f for f in fragments if f], False, (0, len(text)))
    start = text.find(body)
    return Attribution("a1", "claim", body, (start, start + len(body)), body, "", outlet_name, speaker,
                       [f for f in fragments if f], False, (0, len(text)))


_FRAME_AT_END = re.compile(r",\s+(?P<who>(?:the|a|an|[A-Z])[^,;:“”\"]{0,80}?)\s+(?P<verb>[a-z]+)\s*[.!?]?\s*$")


def _trailing_frame(body: str) -> tuple[str, str, str] | None:
    """A claim sentence closing on its attribution (", the poll found.", ", officials said."): the
    content, who it is attributed to and the cue. The finder leaves frames whose teller is a
    document or a survey to the claim; a reporting verb ending the sentence after a comma is one."""
    from verifier.lexicon import semantics

    m = _FRAME_AT_END.search(body)
    if not m or m.group("verb") not in semantics().reporting or len(m.group("who").split()) > 8:
        return None
    content = body[: m.start()].strip()
    if len(content.split()) < 3:
        return None
    return content, m.group("who").strip(), body[m.start() + 1 :].strip(" .!?")


_LEADING_QUOTE = re.compile(r"^\s*[“\"](?P<q>[^”\"]{8,})[”\"]")
_TRAILING_QUOTE = re.compile(r"[:,]\s*[“\"](?P<q>[^”\"]{8,})[”\"]\s*[.!?]?\s*$")


def _framed_quote(text: str) -> tuple[str, int] | None:
    """A sentence that is a quotation plus its frame: the quotation and its offset."""
    m = _LEADING_QUOTE.match(text) or _TRAILING_QUOTE.search(text)
    if not m:
        return None
    q = m.group("q").strip().rstrip(",.")
    # the frame must be short: a sentence that goes on after the quotation states more than it
    rest = (text[: m.start("q")] + text[m.end("q") :]).split()
    if len(rest) > 25:
        return None
    return q, text.find(q)


_QUANTITY = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
    r"ninety|hundred|half|halves|third|thirds|quarter|quarters|fourths|percent|per cent|majority|most|many|few|"
    r"all|none|some|several|dozens|hundreds|thousands|millions)\b", re.I)


def states_a_quantity(speaker: str) -> bool:
    """"52 percent of voters", "Two-thirds of Millennials", "most economists": a share of a group
    said to say something; the share is part of what is claimed."""
    return bool(_QUANTITY.search(speaker))


@lru_cache(maxsize=1)
def _trailing_time() -> re.Pattern[str]:
    """A time at the end of a speaker phrase ("on Thursday", "last week", "in August"), from the
    weekday and month classes of data/semantics.toml."""
    from verifier.lexicon import semantics

    sem = semantics()
    days = "|".join(sorted(sem.weekdays | {"yesterday", "today", "tonight"}))
    months = "|".join(sorted(sem.months))
    return re.compile(
        rf"\s+(?:on\s+)?(?:(?:last|this|next)\s+)?(?:{days}|(?:last|this|next)\s+(?:week|month|year|night|morning)"
        # a month only with its preposition or day: "Theresa May" is a name
        rf"|(?:in|on)\s+(?:{months})(?:\s+\d{{1,2}})?|(?:{months})\s+\d{{1,2}})\s*$", re.I)


def _whole_statement(a: Attribution, text: str, registry: Registry) -> Attribution:
    """A claim sentence asserts everything but who it is attributed to: "Last year in Iowa, Clinton
    announced a plan …" keeps "Last year in Iowa" and "announced". The speaker (and an outlet named
    as the teller) is checked as the attribution, so it is taken out of the words to find."""
    from verifier.match.speakers import person_name

    body = text.strip()
    removed = []
    # only a named speaker is the attribution: "52 percent of voters say …" and "Two-thirds of
    # Millennials say …" state the share
    if a.speaker and a.speaker in body and not states_a_quantity(a.speaker) and (
            person_name(a.speaker) or re.search(r"[A-Z]", a.speaker[1:])):
        # a time the speaker phrase runs into ("President Trump on Thursday threatened") is the
        # claim's, not the speaker's
        removed.append(_trailing_time().sub("", a.speaker))
    for start, end, _ in registry.mentions(body):
        lead = re.search(r"(?:(?:according to|told|in an interview with)\s+)?(?:the\s+)?$", body[:start], re.I)
        removed.append(body[lead.start() if lead else start : end])
    m = re.match(r"\s*according to [^,]+,", body, re.I)
    if m:
        removed.append(m.group(0))
    for r in sorted(set(removed), key=len, reverse=True):
        body = body.replace(r, " ")
    body = re.sub(r"\s+", " ", body).strip(" ,")
    if len(body.split()) < 3:
        return a
    start = text.find(body[:20]) if body[:20] in text else a.span[0]
    a.text = body
    a.span = (start, start + len(body))
    return a


def _main_attribution(found: list[Attribution], text: str) -> Attribution | None:
    """The attribution that carries most of the sentence (a claim sentence makes one)."""
    best = None
    for a in found:
        if len(a.text.split()) < 2:
            continue
        if best is None or len(a.text) > len(best.text):
            best = a
    if best is None:
        return None
    # reported content is a clause or a quotation; "Trump responded to Calderon's remarks" names
    # an event, and the verb is part of the claim
    first = best.text.split()[0].lower() if best.text.split() else ""
    if best.kind == "claim" and not best.fragments and first in _PREPOSITIONS:
        return None
    # a frame around a sliver of the sentence ("X said of Y") is not the sentence's attribution
    if best.kind == "claim" and not best.fragments and len(best.text) < 0.4 * len(text) and not _QUOTED.search(text):
        return None
    return best
