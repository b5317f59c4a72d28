"""Who the text around a passage names as speaking, by name ("…," said the Liberal Democrat leader
Sir Ed Davey): the fallback speaker check when no quotation frame or cue gives the passage's
speaker (`speakers.speaker_at`), so that words the source gives to someone else are not confirmed
for the attribution's speaker."""

from __future__ import annotations

import re

_GENERIC_SPEAKER = re.compile(
    r"\b(?:official|officials|source|sources|spokesman|spokeswoman|spokesperson|aide|diplomat|analyst|"
    r"minister|ministry|government|police|he|she|they|people|person|expert|executive|one)\b",
    re.I,
)
_SPEECH_AFTER = re.compile(r"\b(?:said|says|told|added|according to|warned|wrote|argued|insisted)\b(?P<after>[^.;!?\n“”\"]{0,120})")
_SPEECH_BEFORE = re.compile(
    r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})(?:,[^,]{1,80},)?\s+(?:said|says|told|added|warned|wrote|argued)\b"
)
_CAP_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")
_NOT_NAMES = {"The", "A", "An", "He", "She", "They", "It", "We", "I", "But", "And", "In", "On", "This", "That",
              "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def _surname(speaker: str) -> str | None:
    names = [w for w in re.findall(r"[A-Z][\w'’-]+", speaker) if w not in _NOT_NAMES]
    return names[-1] if names else None


def speaker_conflict_by_name(speaker: str | None, text: str, start: int, end: int) -> str | None:
    """Who the source says spoke, when that is clearly someone other than `speaker`; else None."""
    if not speaker:
        return None
    surname = _surname(speaker)
    if not surname or (_GENERIC_SPEAKER.search(speaker) and not re.search(r"[A-Z][a-z]+ [A-Z][a-z]+", speaker)):
        return None  # generic speakers ("a western official") cannot be checked by name
    # the paragraph holding the passage, and the one before it (a pronoun may point back there)
    p_start = text.rfind("\n\n", 0, start)
    p_start = text.rfind("\n\n", 0, p_start) if p_start > 0 else 0
    # the paragraph where the passage starts: a window running into the next paragraph must not
    # borrow that paragraph's speaker
    p_end = text.find("\n\n", start)
    context = text[max(0, p_start) : p_end if p_end >= 0 else len(text)]
    # any of the speaker's own names will do: "Sir Keir said" is Keir Starmer
    titles = {"Sir", "Dame", "Lord", "Lady", "Mr", "Mrs", "Ms", "Dr", "Prof", "President", "Minister", "Prime",
              "Secretary", "Chancellor", "Governor", "Senator", "General", "Judge"}
    own = {w for w in re.findall(r"[A-Z][\w'’-]+", speaker) if w not in _NOT_NAMES and w not in titles}
    lowered = context.lower()
    if any(re.search(rf"\b{re.escape(w.lower())}\b", lowered) for w in own | {surname}):
        return None
    local_start = text.rfind("\n\n", 0, start) + 1
    local = text[local_start : p_end if p_end >= 0 else len(text)]
    for name in _source_speakers(local):
        return name
    return None


def _source_speakers(passage: str) -> list[str]:
    """Named people the passage presents as speaking ("said the Liberal Democrat leader Sir Ed Davey")."""
    names: list[str] = []
    for m in _SPEECH_AFTER.finditer(passage):
        after = m.group("after").split(",")[0]
        runs = [r for r in _CAP_RUN.findall(after) if r.split()[0] not in _NOT_NAMES]
        if runs:
            names.append(runs[-1])
    for m in _SPEECH_BEFORE.finditer(passage):
        words = [w for w in m.group("name").split() if w not in _NOT_NAMES]
        if words:
            names.append(" ".join(words))
    return names
