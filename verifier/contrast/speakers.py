"""Edit family: a page's quotation given to a person the page does not give it to."""

from __future__ import annotations

from verifier.contrast.common import Edit
from verifier.contrast.page import Name, Page, _other_name

# --- speakers


def _speaker_edits(sentence: str, kind: str, page: Page | None) -> list[Edit]:
    """The page's quotation in this sentence given to a person the page does not give it to."""
    if page is None:
        return []
    at = page.text.find(sentence)
    if at < 0:
        return []
    span = (at, at + len(sentence))
    out = []
    for q in page.quotes:
        if q.span[1] <= span[0] or q.span[0] >= span[1]:
            continue
        if kind == "speaker_named" and q.named:
            said = Name(q.named, "person", frozenset(w.lower() for w in q.named.split()))
            other = _other_name(said, page, [])
        elif kind == "speaker_anonymous" and q.anonymous:
            people = page.people()
            other = people[0] if people else None
        else:
            continue
        if other is None:
            continue
        text = f"{other.text} said: “{q.text}”"
        out.append(Edit(kind, text, q.named or "(unnamed)", other.text, speaker=other.text, quote=True))
    return out
