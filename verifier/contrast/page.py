"""The page an edited sentence comes from (`Page`): its names (people, organisations, places) and
its quotations with their speakers, so that an edit can put another name of the same page, or
give a quotation to another person of the page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from verifier import lexicon
from verifier.contrast.common import _INDEFINITE, _analysed, _is_first_name, _raw_semantics, _surface
from verifier.match.elements import Analysed, capitalised_words, function_words, is_entity
from verifier.match.source_index import sentence_spans

# ------------------------------------------------------------------------------ the page


@dataclass(frozen=True)
class Name:
    text: str  # as written: "Katie Boulter", "Boulter", "Thames Water"
    kind: str  # "person" | "organisation" | "other"
    words: frozenset[str]


@dataclass(frozen=True)
class PageQuote:
    text: str  # the quotation's words
    span: tuple[int, int]  # in the page text
    named: str | None  # the person the page's cue names ("said Carlo Buontempo"), if any
    anonymous: bool  # the cue gives an unnamed speaker ("a spokesperson", "one official")


@dataclass
class Page:
    """What the edits need to know of the page a sentence comes from: its names and quotations."""

    text: str
    names: list[Name] = field(default_factory=list)
    quotes: list[PageQuote] = field(default_factory=list)
    caps: frozenset[str] = frozenset()
    outlets: frozenset[str] = frozenset()

    @classmethod
    def of(cls, text: str) -> Page:
        page = cls(text)
        a = _analysed(text)
        page.caps = capitalised_words(a)
        from verifier.registry import default_registry

        reg = default_registry()
        page.outlets = frozenset(w.lower() for s, e, _ in reg.mentions(text) for w in text[s:e].split())
        seen: dict[str, Name] = {}
        for s, e in sentence_spans(text):
            for name in _names_in(_analysed(text[s:e]), page):
                seen.setdefault(name.text, name)
        # a surname is a person's once the page has the full name ("Boulter" after "Katie Boulter")
        page.names = list(seen.values())
        page.names = [Name(n.text, _classify(n.text, page), n.words) for n in page.names]
        page.quotes = _page_quotes(text, page)
        return page

    def people(self) -> list[Name]:
        return [n for n in self.names if n.kind == "person" and len(n.words) > 1]

    def full_name(self, mention: Name) -> Name | None:
        """The page's full name for a surname-only mention ("Boulter" -> "Katie Boulter")."""
        if len(mention.words) > 1:
            return mention
        for n in self.names:
            if len(n.words) > 1 and n.text.split()[-1].lower() == mention.text.lower():
                return n
        return None


def _name_runs(a: Analysed, caps: frozenset[str]) -> list[tuple[int, int]]:
    """Token ranges [i, j) of consecutive name words within one clause: initials ("U.S."), a
    capitalised sentence-initial word before a name ("Food Standards Agency"), and "of"/"for"
    between capitalised words ("Office for Budget Responsibility") belong to the name."""
    runs: list[tuple[int, int]] = []
    k = 0
    n = len(a.tokens)

    def name_word(i: int) -> bool:
        after_initial = i > 0 and _initial(a, i - 1) and _surface(a, i)[:1].isupper()
        return is_entity(a, i, caps) or _initial(a, i) or after_initial

    while k < n:
        if name_word(k) or (k == 0 and n > 1 and _surface(a, 0)[:1].isupper() and not a.breaks[1]
                            and name_word(1) and a.words[0] not in function_words()):
            j = k + 1
            while j < n and not a.breaks[j] and not _possessive(a, j - 1):
                if name_word(j):
                    j += 1
                elif a.words[j] in _NAME_CONNECTORS and j + 1 < n and not a.breaks[j + 1] and is_entity(a, j + 1, caps):
                    j += 2
                else:
                    break
            runs.append((k, j))
            k = j
        else:
            k += 1
    return runs


# Lower-case words inside a name: "Bank of England", "Office for Budget Responsibility".
_NAME_CONNECTORS = frozenset({"of", "for"})


def _initial(a: Analysed, k: int) -> bool:
    """A capital letter written as an initial or inside an abbreviation: "U.S.", "George W. Bush"."""
    s = _surface(a, k)
    return len(s) == 1 and s.isupper() and a.text[a.tokens[k].end : a.tokens[k].end + 1] == "."


def _possessive(a: Analysed, k: int) -> bool:
    s = _surface(a, k)
    return s.endswith("'s") or s.endswith("’s")


def _run_span(a: Analysed, i: int, j: int) -> tuple[int, int]:
    """Character span of a name run, without a possessive "'s"."""
    start, end = a.tokens[i].start, a.tokens[j - 1].end
    if _possessive(a, j - 1):
        end -= 2
    elif _initial(a, j - 1):
        end += 1  # "U.S."
    return start, end


def _organisation_heads() -> frozenset[str]:
    return frozenset(_raw_semantics()["organisations"]["heads"])


def _person_in(run: str) -> str | None:
    """The person's name at the end of a name run, from its first given name on: "Defence
    Secretary John Healey" -> "John Healey" (gender-guesser's first-name table decides)."""
    words = run.split()
    for i, w in enumerate(words[:-1]):
        if _is_first_name(w):
            return " ".join(words[i:])
    return None


def _classify(text: str, page: Page | None) -> str:
    words = text.split()
    if len(words) > 1 and _is_first_name(words[0]):
        return "person"
    if len(words) == 1 and page is not None:
        for n in page.names:
            if n.kind == "person" and len(n.words) > 1 and n.text.split()[-1] == text:
                return "person"
    if words and words[-1].lower() in _organisation_heads():
        return "organisation"
    if len(words) == 1 and "a" in lexicon.parts_of_speech(text.lower()):
        return "demonym"  # "British", "Mexican": swapped only for another of their kind
    return "other"


def _names_in(a: Analysed, page: Page | None) -> list[Name]:
    """The names of an analysed sentence, a person's name without the titles and roles before it
    ("Treasury Secretary Scott Bessent" -> "Scott Bessent")."""
    out: list[Name] = []
    caps = page.caps if page is not None else capitalised_words(a)
    for i, j in _name_runs(a, caps):
        s, e = _run_span(a, i, j)
        if len(a.text[s:e].replace(".", "")) < 2:
            continue  # an initial
        raw = a.text[s:e]
        if " " in raw and raw.isupper():
            continue  # a headline in capitals, not a name
        if " " not in raw and not raw.isupper() and lexicon.lemmas(raw.lower()) - {raw.lower()} and \
                lexicon.known(raw.lower()):
            continue  # "Crossed", "Rules": a common word inflected, capitalised in a title
        text = _person_in(a.text[s:e]) or a.text[s:e]
        kind = _classify(text, page)
        out.append(Name(text, kind, frozenset(w.lower() for w in text.split())))
    return out


def _page_quotes(text: str, page: Page) -> list[PageQuote]:
    from verifier.attributions.finder import find_attributions
    from verifier.models import ArticleText
    out = []
    for a in find_attributions(ArticleText(text, "<page>", "txt")):
        if a.kind != "quote" or not a.speaker or len(a.text.split()) < 4:
            continue
        # only a speaker the cue writes out: a pronoun the finder resolved is its guess, not the page's
        written = a.speaker.lower() in (a.cue or "").lower()
        named = _person_in(a.speaker) if written else None
        first = a.speaker.split()[0].lower()
        anonymous = written and named is None and first in _INDEFINITE and not any(
            w[:1].isupper() and _is_first_name(w) for w in a.speaker.split())
        if named is None and not anonymous:
            continue
        out.append(PageQuote(a.text, a.span, named, anonymous))
    return out


def _other_name(mention: Name, page: Page, exclude: list[Name]) -> Name | None:
    """Another name of the same kind on the page, sharing no word with the mention or with the
    sentence's other names, not an outlet, and not the mention's acronym (or the other way)."""
    full = page.full_name(mention) if mention.kind == "person" else mention
    taken = set(mention.words) | (full.words if full else set())
    for n in exclude:
        taken |= n.words
    for cand in page.names:
        if cand.kind != mention.kind or cand.words & taken or cand.words & page.outlets:
            continue
        if _acronym_of(cand.text, mention.text) or _acronym_of(mention.text, cand.text):
            continue
        if full is not None and (_acronym_of(cand.text, full.text) or _acronym_of(full.text, cand.text)):
            continue
        if mention.kind == "person" and len(mention.words) == 1:
            # a surname for a surname
            return Name(cand.text.split()[-1], cand.kind, frozenset({cand.text.split()[-1].lower()}))
        if mention.kind == "person" and len(cand.words) < 2:
            continue
        return cand
    return None


def _acronym_of(short: str, long: str) -> bool:
    """"IDF" / "Nato" / "OBR" abbreviates "Israel Defense Forces" / "North Atlantic Treaty Organisation"."""
    s = short.replace(".", "")
    if " " in s or len(s) < 2:
        return False
    if s.isupper() and long.replace(" ", "").lower().startswith(s.lower()):
        return True  # "EU" for "Europe", "UN" for "United Nations"
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’-]*", long) if w[0].isupper())
    return len(initials) >= 2 and initials.lower().startswith(s.lower())
