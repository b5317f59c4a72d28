"""A Markdown draft into plain text: markers stripped, paragraphs kept, links at their anchors' offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from verifier.models import ArticleText, Link
from verifier.read.text_links import _TRAILING_PUNCT

_FRONT_RE = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_REFDEF_RE = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+[\"'(].*[\"')])?\s*$", re.M)
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_HR_RE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$")
_SETEXT_RE = re.compile(r"^\s*(?:=+|-+)\s*$")
_LIST_RE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_QUOTE_RE = re.compile(r"^\s*(?:>\s?)+")
# Inline tokens, tried left to right; protected spans (code, links, URLs) are not touched by
# emphasis stripping, so underscores in URLs survive.
_INLINE_RE = re.compile(
    r"""
    (?P<code>`+)(?P<codetext>.+?)(?P=code)
  | (?P<img>!\[(?P<alt>[^\]]*)\]\((?P<imgurl>[^)\s]*)(?:\s+"[^"]*")?\))
  | \[(?P<anchor>(?:[^\[\]]|\[[^\]]*\])+)\]\((?P<url><[^>\n]+>|(?:[^()\s\\]|\\.|\((?:[^()\s\\]|\\.|\([^()\s]*\))*\))+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)
  | \[(?P<refanchor>[^\]]+)\]\s?\[(?P<ref>[^\]]*)\]
  | <(?P<auto>https?://[^>\s]+)>
  | (?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)
  | (?P<bare>https?://[^\s<>()\[\]"']+(?:\([^\s()]*\)[^\s<>()\[\]"']*)*)
  | \\(?P<esc>[\\`*_{}\[\]()#+\-.!>~|])
    """,
    re.X,
)
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_EM_UNDER_RE = re.compile(r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])")
_STRIKE_RE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")


@dataclass
class _Out:
    text: list[str] = field(default_factory=list)
    length: int = 0
    links: list[Link] = field(default_factory=list)

    def add(self, s: str) -> None:
        self.text.append(s)
        self.length += len(s)

    def add_link(self, anchor: str, url: str) -> None:
        if anchor:
            self.links.append(Link(url=url, start=self.length, end=self.length + len(anchor), text=anchor))
        self.add(anchor)


def _strip_emphasis(s: str) -> str:
    for _ in range(3):  # nested emphasis: ***x***, **_x_**
        new = _STRIKE_RE.sub(r"\1", _STRONG_RE.sub(r"\2", s))
        new = _EM_UNDER_RE.sub(r"\1", _EM_STAR_RE.sub(r"\1", new))
        if new == s:
            break
        s = new
    return s


def _inline(s: str, out: _Out, refs: dict[str, str], in_link: bool = False) -> None:
    # Protected tokens (code, links, URLs, escapes) are swapped for private-use placeholders
    # so emphasis is stripped over the whole block, including pairs that enclose a link
    # ("**the [Guardian](url) newspaper**"), without touching underscores inside URLs.
    tokens: list[re.Match[str]] = []

    def mask(m: re.Match[str]) -> str:
        tokens.append(m)
        return chr(_PUA + len(tokens) - 1)

    s = _FOOTNOTE_SUP.sub("", s)
    masked = _strip_emphasis(_INLINE_RE.sub(mask, s)) if len(s) < 50_000 else s
    plain: list[str] = []
    for ch in masked:
        i = ord(ch) - _PUA
        if not 0 <= i < len(tokens):
            plain.append(ch)
            continue
        if plain:
            out.add("".join(plain))
            plain.clear()
        _emit(tokens[i], out, refs, in_link)
    if plain:
        out.add("".join(plain))


# a footnote marker after a word ("had<sup>1</sup>") is not part of it; "1<sup>st</sup>" keeps its letters
_FOOTNOTE_SUP = re.compile(r"(?<=[^\s\d])<sup>\s*\[?\d{1,3}\]?\s*</sup>", re.I)
_PUA = 0xF0000  # Supplementary Private Use Area-A: never in real copy


def _emit(m: re.Match[str], out: _Out, refs: dict[str, str], in_link: bool) -> None:
    if m.group("esc"):
        out.add(m.group("esc"))
    elif m.group("code") is not None:
        out.add(m.group("codetext").strip(" ") or m.group("codetext"))
    elif m.group("img") is not None:
        out.add(_strip_emphasis(m.group("alt")))
    elif m.group("anchor") is not None:
        anchor = _anchor_text(m.group("anchor"))
        url = m.group("url")
        # CommonMark: <...> destinations may hold spaces; backslash escapes (\( \)) are literal
        url = url[1:-1] if url.startswith("<") and url.endswith(">") else re.sub(r"\\(.)", r"\1", url)
        out.add(anchor) if in_link else out.add_link(anchor, url)
    elif m.group("refanchor") is not None:
        url = refs.get((m.group("ref") or m.group("refanchor")).strip().lower())
        if url is None:  # "[sic]" and friends: not a link, keep as written
            out.add(m.group(0))
        else:
            anchor = _anchor_text(m.group("refanchor"))
            out.add(anchor) if in_link else out.add_link(anchor, url)
    elif m.group("tag") is not None:
        pass  # inline HTML (<em>, <sup>, <span …>) is markup, not words
    elif m.group("auto") is not None:
        url = m.group("auto")
        out.add(url) if in_link else out.add_link(url, url)
    elif m.group("bare") is not None:
        url = m.group("bare")
        stripped = url.rstrip(_TRAILING_PUNCT)
        if in_link:
            out.add(url)
        else:
            out.add_link(stripped, stripped)
            out.add(url[len(stripped) :])


def _anchor_text(raw: str) -> str:
    sub = _Out()
    _inline(raw, sub, {}, in_link=True)
    return "".join(sub.text)


def markdown_to_article(md: str, source: str) -> ArticleText:
    """Plain text of a Markdown article: one paragraph per block, blank line between blocks;
    soft-wrapped lines inside a paragraph are joined with a space (as Markdown renders them)."""
    md = md.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    title = published = None
    fm = _FRONT_RE.match(md)
    if fm:
        meta = _front_matter(fm.group(1))
        title = meta.get("title")
        published = meta.get("date") or meta.get("published") or meta.get("pubdate")
        md = md[fm.end() :]
    refs = {m.group(1).strip().lower(): m.group(2) for m in _REFDEF_RE.finditer(md)}
    md = _REFDEF_RE.sub("", md)

    # Group lines into blocks: paragraphs (joined), headings and list items (one block each).
    blocks: list[tuple[str, str]] = []  # (kind, raw text)
    para: list[str] = []
    in_fence = False
    fence: list[str] = []

    def end_para() -> None:
        if para:
            blocks.append(("p", " ".join(x.strip() for x in para)))
            para.clear()

    lines = md.split("\n")
    for i, line in enumerate(lines):
        if _FENCE_RE.match(line):
            if in_fence:
                blocks.append(("code", "\n".join(fence)))
                fence.clear()
            else:
                end_para()
            in_fence = not in_fence
            continue
        if in_fence:
            fence.append(line)
            continue
        if not line.strip():
            end_para()
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if (
            para
            and _SETEXT_RE.match(line)
            and line.strip()[0] in "=-"
            and len(para) == 1
            and not _HR_RE.match(nxt)
        ):
            blocks.append(("h", para.pop()))
            continue
        if _HR_RE.match(line):
            end_para()
            continue
        if h := _HEADING_RE.match(line):
            end_para()
            blocks.append(("h", h.group(1)))
            continue
        line = _QUOTE_RE.sub("", line)
        if _LIST_RE.match(line):
            end_para()
            blocks.append(("li", _LIST_RE.sub("", line, count=1)))
            continue
        if blocks and blocks[-1][0] == "li" and not para and line[:1] in " \t":
            # continuation line of a list item
            blocks[-1] = ("li", blocks[-1][1] + " " + line.strip())
            continue
        para.append(line)
    end_para()
    if in_fence and fence:
        blocks.append(("code", "\n".join(fence)))

    out = _Out()
    prev_kind = None
    for kind, raw in blocks:
        if kind == "code":
            body = raw
        else:
            body = raw.strip()
        if not body.strip():
            continue
        if prev_kind is not None:
            # List items stay on consecutive lines; everything else is a paragraph.
            out.add("\n" if kind == "li" and prev_kind == "li" else "\n\n")
        if kind == "code":
            out.add(body)
        else:
            _inline(body, out, refs)
        prev_kind = kind
    text = "".join(out.text)
    return ArticleText(
        text=text, source=source, format="md", title=title, published=published, links=out.links
    )


def _front_matter(block: str) -> dict[str, str]:
    """Flat `key: value` pairs from YAML front matter (no YAML dependency; nested keys ignored)."""
    meta: dict[str, str] = {}
    for line in block.split("\n"):
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", line)
        if not m or not m.group(2):
            continue
        value = m.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        meta[m.group(1).lower()] = value
    return meta
