"""Read one claim sentence as the attribution it is (the `verifier claim` input).

"Calderon told CNBC: “We are not going to pay”" is a quote by Calderon, not a claim whose words
include "Calderon told CNBC": the attribution finder reads the sentence as it reads an article, so
the quote is aligned word for word and the speaker is checked as a speaker. A text wrapped whole
in quotation marks is a bare quote; a sentence with no reporting frame is a plain claim.
"""

from __future__ import annotations

import re

from .attributions import find_attributions
from .models import ArticleText, Attribution
from .registry import Registry

_QUOTE_WRAP = re.compile(r"^\s*[\"“«‘'„](?P<q>.+?)[\"”»’'“]\s*$", re.S)
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
    if best is not None:
        quoted = [q for q in _QUOTED.finditer(text)]
        longest = max(quoted, key=lambda q: len(q.group(1)), default=None)
        if best.kind == "claim" and longest is not None and longest.group(1) not in best.text and (
            len(longest.group(1).split()) >= 0.5 * len(text.split())
        ):
            # the finder took the frame for the content ("“Who is …?” Rubio said on a call")
            q = longest.group(1).strip(" ,.;:")
            s = text.find(q)
            best = Attribution("a1", "quote", q, (s, s + len(q)), text.strip(), best.cue, best.outlet,
                               best.speaker, [], False, (0, len(text)))
        best.id = "a1"
        best.speaker = speaker or best.speaker
        best.outlet = outlet_name or best.outlet
        return best
    body = text.strip()
    fragments = [f.strip(" ,.;:") for f in _QUOTED.findall(body)]
    start = text.find(body)
    return Attribution("a1", "claim", body, (start, start + len(body)), body, "", outlet_name, speaker,
                       [f for f in fragments if f], False, (0, len(text)))


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
    # a frame around a sliver of the sentence ("X said of Y") is not the sentence's attribution
    if best.kind == "claim" and not best.fragments and len(best.text) < 0.4 * len(text) and not _QUOTED.search(text):
        return None
    return best
