"""Soft 404s: a page answered with 200 whose content is a "page not found" template.

Judged against it, every quote would come out `not_found`, blaming the article; the truth is
that the source could not be read. The phrases are data (verifier/data/soft404.toml)."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from verifier.models import SourceDocument

__all__ = ["soft_404"]


@lru_cache(maxsize=1)
def _data() -> tuple[tuple[str, ...], int]:
    doc = tomllib.loads(resources.files("verifier").joinpath("data", "soft404.toml").read_text(encoding="utf-8"))
    phrases = tuple(_norm(p) for p in doc.get("phrases", []) if isinstance(p, str) and p.strip())
    return phrases, int(doc.get("max_body_words", 150))


def _norm(s: str) -> str:
    return " ".join(s.replace("\u2019", "'").replace("\u2018", "'").lower().split())


def soft_404(doc: SourceDocument) -> str | None:
    """Why `doc` is a soft 404 ("soft 404: the page says “Page not found”"), or None."""
    if doc.status is not None and not 200 <= doc.status < 300:
        return None
    phrases, max_words = _data()
    title = _norm(doc.title or "")
    body = _norm(doc.text)
    # "Page not found | The Guardian": a whole segment of the title is the phrase
    segments = {seg.strip(" .!:-–—|") for seg in re.split(r"\s[|–—:-]\s|\|", title)}
    hit = next((p for p in phrases if p in segments), None)
    if hit is None and len(body.split()) <= max_words:
        # an error template is short; a long article may discuss missing pages
        hit = next((p for p in phrases if p in title or p in body), None)
    return f"soft 404: the page says “{hit}”" if hit else None
