"""Line/column positions of attributions in the raw file.

For .txt files the plain text is the file, so positions are exact. For .md/.html the reader's plain
text differs from the file (markup, entities, joined lines), so each attribution is located in the
raw file by its words, in article order (markup between words is ignored); if even its first word
cannot be found the position is estimated proportionally. Lines and columns are 1-based; columns
count characters.
"""

from __future__ import annotations

import re

HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)

def line_of(raw: str, offset: int) -> int:
    return raw.count("\n", 0, offset) + 1


def line_col(raw: str, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(raw)))
    return line_of(raw, offset), offset - (raw.rfind("\n", 0, offset) + 1) + 1


def raw_offset(raw: str, line: int, col: int) -> int:
    lines = raw.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + col - 1


def blank(m: re.Match[str]) -> str:
    """Replace a match with spaces, keeping its newlines (line numbers stay put)."""
    return re.sub(r"[^\n]", " ", m.group(0))


_WORD = re.compile(r"\w+", re.U)


def mask_markup(raw: str, fmt: str) -> str:
    """Raw text with markup replaced by spaces (same length) so only prose words remain."""
    if fmt == "html":
        s = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", blank, raw)
        s = HTML_COMMENT.sub(blank, s)
        s = re.sub(r"<[^>]*>", blank, s)
        return re.sub(r"&#?\w+;", blank, s)
    if fmt == "md":
        s = HTML_COMMENT.sub(blank, raw)
        s = re.sub(r"\]\((?:[^()\s\\]|\\.|\((?:[^()\s\\]|\\.|\([^()\s]*\))*\))*(?:\s+\"[^\"]*\")?\)", blank, s)  # link targets
        s = re.sub(r"^\s*\[[^\]]+\]:\s*\S+.*$", blank, s, flags=re.M)  # reference definitions
        return re.sub(r"<[^>\n]*>", blank, s)
    return raw


class Locator:
    """Finds attributions in the raw file by their word sequence, in article order."""

    def __init__(self, raw: str, fmt: str) -> None:
        self.raw = raw
        masked = mask_markup(raw, fmt)
        self.tokens = [(m.group(0).casefold(), m.start(), m.end()) for m in _WORD.finditer(masked)]
        self.words = [t[0] for t in self.tokens]
        self.cursor = 0

    def _find(self, words: list[str], start: int) -> int | None:
        k = len(words)
        if not k:
            return None
        first = words[0]
        for i in range(start, len(self.words) - k + 1):
            if self.words[i] == first and self.words[i : i + k] == words:
                return i
        return None

    def locate(self, text: str, fallback: tuple[int, int], plain_len: int) -> tuple[int, int]:
        """(start, end) raw offsets of `text`; `fallback` is its span in the plain text."""
        words = [w.casefold() for w in _WORD.findall(text)]
        idx = None
        used = 0
        for k in (8, 5, 3, 2, 1):
            k = min(k, len(words))
            if k == 0:
                break
            idx = self._find(words[:k], self.cursor)
            if idx is None:
                idx = self._find(words[:k], 0)
            if idx is not None:
                used = k
                break
        if idx is None:
            ratio = len(self.raw) / max(plain_len, 1)
            return int(fallback[0] * ratio), int(fallback[1] * ratio)
        self.cursor = idx
        start = self.tokens[idx][1]
        end = self.tokens[idx + used - 1][2]
        if len(words) > used:
            tail = words[-min(4, len(words) - used) :]
            j = self._find(tail, idx + used)
            if j is not None and j - idx < len(words) * 3:
                end = self.tokens[j + len(tail) - 1][2]
            else:
                end = start + len(text)
        return start, min(end, len(self.raw))
