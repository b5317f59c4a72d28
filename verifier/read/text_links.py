"""Bare URLs in plain text as links (for .txt drafts and Markdown alike)."""

from __future__ import annotations

import re

from verifier.models import Link

_TRAILING_PUNCT = ".,;:!?'\""
_BARE_URL_RE = re.compile(r"https?://[^\s<>()\[\]\"']+(?:\([^\s()]*\)[^\s<>()\[\]\"']*)*")


def _bare_url_links(text: str) -> list[Link]:
    links = []
    for m in _BARE_URL_RE.finditer(text):
        url = m.group(0).rstrip(_TRAILING_PUNCT)
        links.append(Link(url=url, start=m.start(), end=m.start() + len(url), text=url))
    return links
