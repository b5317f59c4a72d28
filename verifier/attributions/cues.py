"""The cue lexicon (cues.toml) as word sets and compiled alternations for the attribution finder."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class CueLexicon:
    speech_past: frozenset[str]  # "said", "implored", "pointed out"
    speech_third: frozenset[str]  # "says", "implores"
    speech_base: frozenset[str]  # "say", "implore" (plural subjects: "critics say")
    speech_gerund: frozenset[str]  # "saying", "adding"
    report_past: frozenset[str]
    report_third: frozenset[str]
    homographs: frozenset[str]  # "comments", "states": also plural nouns
    naming: frozenset[str]  # "called", "labelled": cues for a quotation right after them
    naming_gerund: frozenset[str]  # "calling", "labelling"
    cognition: frozenset[str]  # every form of a cognition verb
    nouns: frozenset[str]  # "statement", "statements", "interview", ...
    according: tuple[str, ...]  # "according to", "as reported by", ...
    abbreviations: frozenset[str]  # "sen", "calif", "sept": a full stop after them ends no sentence
    agents: frozenset[str]  # "spokesman", "officials", "groups": nouns for people or bodies

    @property
    def finite(self) -> frozenset[str]:
        """Forms that can head a reporting clause after a singular subject."""
        return self.speech_past | self.speech_third | self.report_past | self.report_third


@lru_cache(maxsize=1)
def lexicon() -> CueLexicon:
    doc = tomllib.loads(resources.files("verifier").joinpath("data", "cues.toml").read_text(encoding="utf-8"))
    sp, rp, cg, nn = doc["speech"], doc["report"], doc["cognition"], doc["nouns"]
    return CueLexicon(
        speech_past=frozenset(sp["past"]),
        speech_third=frozenset(sp["third"]),
        speech_base=frozenset(sp["base"]),
        speech_gerund=frozenset(sp["gerund"]),
        report_past=frozenset(rp["past"]),
        report_third=frozenset(rp["third"]),
        homographs=frozenset(sp["noun_homographs"] + rp["noun_homographs"]),
        naming=frozenset(doc["naming"]["past"] + doc["naming"]["third"] + doc["naming"]["base"]),
        naming_gerund=frozenset(doc["naming"]["gerund"]),
        cognition=frozenset(cg["past"] + cg["third"] + cg["base"]),
        nouns=frozenset(nn["singular"] + nn["plural"]),
        according=tuple(doc["phrases"]["according"]),
        abbreviations=frozenset(doc["abbreviations"]["words"]),
        agents=frozenset(doc["agents"]["singular"] + doc["agents"]["plural"]),
    )


def alternation(words: set[str] | frozenset[str]) -> str:
    """A regex alternation of `words` as a prefix trie, so a match costs one pass over the input
    word rather than one try per word (the lexicon has hundreds of forms). Longest forms first at
    every branch; multi-word forms may be separated by any whitespace."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        branches = [(_esc(ch) + emit(child)) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return emit(trie)


def _esc(ch: str) -> str:
    return r"\s+" if ch == " " else re.escape(ch)
