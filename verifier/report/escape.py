"""Escaping text from drafts and sources for each output.

Everything a report prints comes from outside (the draft, a fetched page, a server's headers),
so no output may read it as markup: rich would take `[/bold]` as a closing tag (and crash on an
unmatched one), Markdown and GitHub's renderer would run `<img onerror=…>`, a terminal would obey
an escape sequence, and XML 1.0 has no way to carry most control characters at all.
"""

from __future__ import annotations

import re

__all__ = ["md_code", "md_text", "terminal_text", "xml_text"]

# C0/C1 controls other than tab and newline, plus the bidi overrides that can make a line read
# differently from what it holds (CVE-2021-42574, "Trojan Source").
_TERMINAL_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_text(s: object) -> str:
    """`s` with control characters and bidi overrides shown as \\xNN / \\uNNNN, never obeyed."""
    text = str(s)

    def show(m: re.Match[str]) -> str:
        cp = ord(m.group(0))
        return f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}"

    return _TERMINAL_UNSAFE.sub(show, text)


# Markdown punctuation that can start or end emphasis, links, code, headings, tables or HTML.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def md_text(s: object) -> str:
    """Text as literal Markdown (GitHub flavour): HTML is shown, not rendered; emphasis, links,
    code and table pipes are backslash-escaped; line breaks become spaces (safe in a table cell)."""
    text = " ".join(terminal_text(s).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_code(s: object) -> str:
    """An inline code span holding `s` literally, whatever backticks it contains."""
    text = " ".join(terminal_text(s).split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


_XML_INVALID = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(s: object) -> str:
    """`s` without the characters XML 1.0 cannot hold (shown as \\xNN instead)."""
    return _XML_INVALID.sub(lambda m: f"\\x{ord(m.group(0)):02x}", str(s))
