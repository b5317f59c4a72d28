#!/usr/bin/env python3
"""Regenerate the inflected forms in verifier/data/cues.toml from its lemmas.

    pip install lemminflect      # (in the test extra)
    python scripts/build_cues.py [--check]

Forms come from lemminflect's morphology data (Penn tags VBD/VBN, VBZ, VB/VBP, VBG for verbs;
NN/NNS for nouns), so irregular forms ("said", "told", "wrote", "thought", "taught") are right
and nothing is typed by hand. A multi-word lemma inflects its first word ("pointed out").
`--check` exits 1 when the file is not what the lemmas generate (run by the test suite).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

CUES = Path(__file__).resolve().parent.parent / "verifier" / "data" / "cues.toml"

VERB_TAGS = {"past": ("VBD", "VBN"), "third": ("VBZ",), "base": ("VB", "VBP"), "gerund": ("VBG",)}
NOUN_TAGS = {"singular": ("NN",), "plural": ("NNS",)}
NOUN_TABLES = ("nouns", "agents")


def _inflect(lemma: str, tags: tuple[str, ...], upos: str, oov: bool = True) -> list[str]:
    from lemminflect import getAllInflections, getAllInflectionsOOV

    if upos == "NOUN" and " " in lemma:  # a compound noun inflects its last word ("press releases")
        first, _, last = lemma.rpartition(" ")
        return [f"{first} {f}" for f in _inflect(last, tags, upos, oov)]
    head, _, rest = lemma.partition(" ")
    table = getAllInflections(head, upos=upos) or (getAllInflectionsOOV(head, upos=upos) if oov else {})
    if not table:
        return []
    out: list[str] = []
    for tag in tags:
        forms = table.get(tag, ())
        if not forms and tag == "VBN":
            forms = table.get("VBD", ())
        if not forms and tag in ("VB", "VBP", "NN"):
            forms = (head,)
        for f in forms:
            word = f"{f} {rest}".strip()
            if word not in out:
                out.append(word)
    return out


def generate(text: str) -> str:
    doc = tomllib.loads(text)
    for table, body in doc.items():
        lemmas = body.get("lemmas")
        if not isinstance(lemmas, list):
            continue
        kinds = NOUN_TAGS if table in NOUN_TABLES else VERB_TAGS
        upos = "NOUN" if table in NOUN_TABLES else "VERB"
        for key, tags in kinds.items():
            forms: list[str] = []
            for lemma in dict.fromkeys(lemmas):
                for f in _inflect(lemma, tags, upos):
                    if f not in forms:
                        forms.append(f)
            line = f"{key} = [{', '.join(_quote(f) for f in sorted(forms))}]"
            text = _replace(text, table, key, line)
        if table in ("speech", "report"):
            third = {f for lemma in lemmas for f in _inflect(lemma, ("VBZ",), "VERB")}
            plural = {f for lemma in lemmas for f in _inflect(lemma, ("NNS",), "NOUN", oov=False)
                      if " " not in lemma}
            line = f"noun_homographs = [{', '.join(_quote(f) for f in sorted(third & plural))}]"
            text = _replace(text, table, "noun_homographs", line)
    return text


def _replace(text: str, table: str, key: str, line: str) -> str:
    """Replace `key = [...]` inside [table] only."""
    start = re.search(rf"^\[{table}\]$", text, re.M).start()
    nxt = re.search(r"^\[", text[start + 1 :], re.M)
    end = start + 1 + nxt.start() if nxt else len(text)
    section = re.sub(rf"^{key} = \[[^\]]*\]", line.replace("\\", "\\\\"), text[start:end], count=1, flags=re.M)
    return text[:start] + section + text[end:]


def _quote(s: str) -> str:
    return '"' + s.replace('"', '\\"') + '"'


def main() -> int:
    current = CUES.read_text(encoding="utf-8")
    new = generate(current)
    if "--check" in sys.argv:
        if new != current:
            print("verifier/data/cues.toml is out of date: run python scripts/build_cues.py", file=sys.stderr)
            return 1
        return 0
    CUES.write_text(new, encoding="utf-8")
    print(f"wrote {CUES}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
