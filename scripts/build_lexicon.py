#!/usr/bin/env python3
"""Build the lexical tables the claim judge reads (verifier/data/lexicon/), from real resources.

    python3 scripts/build_lexicon.py [--wordnet /usr/share/wordnet] [--out verifier/data/lexicon]

Sources:
- **WordNet 3.0** (Princeton; Debian package `wordnet-base`, files in /usr/share/wordnet). Its
  licence allows redistributing derived data with its notice, which is written next to the tables.
- **lemminflect** (PyPI, MIT; its lookup table `lemma_lu.csv.gz`): inflected form -> lemma, so that
  "won"/"win" and "appointed"/"appoint" compare by lemma without a hand-typed irregular-verb list.

Output (tab-separated, gzip):
- `senses.tsv.gz`: `lemma  top  senses  hypernyms  related  pos  flag  classes  verbs` (all parts of
  speech on one line; `classes` the lexicographer files of the lemma's main noun senses, such as
  `person`, `group` or `cognition`, which tell a speaker from a document or an estimate; `pos` the parts of speech of the form, letters n v a r; flag `P` marks a proper name WordNet
  never writes in lower case, such as "clinton"). `top` = the synsets of the lemma's first
  STRONG_SENSES senses (WordNet lists senses by corpus frequency); `verbs` the verb synsets a noun's
  main senses are derived from (see `event_verbs`); two words that share a strong
  synset are synonyms for the judge ("outlawed" = "banned"). `weak` = every sense's synset, plus
  one step of hypernym, similar-to, verb-group, also-see and derivational links: words that share
  only a weak synset (the column lists those not already strong) are *related* (a paraphrase a reader recognises) but never prove a claim.
- `antonyms.tsv.gz`: `a  b` lemma pairs: WordNet's direct antonyms, plus for adjectives the
  antonyms of the head of the satellite's cluster ("persuaded" is the opposite of "unconvinced").
- `kinds.tsv.gz`: `name  kinds`: for each proper name, the one-word nouns of its instance and class
  hypernyms up to KIND_DEPTH steps, so "the state" can be read as a state named before.
- Phrasal verbs (a verb and an adverb particle of `semantics.toml` [phrasal], "pass_through",
  "go_up") have rows of their own in `senses.tsv.gz`, so "went up" can be read as one verb.
- A word one step below another word's main sense that lexicalises the same opposition ("rise"
  under "increase", since "fall" is in "decrease") has that main sense among its own main senses
  (see `parallel_troponyms`).
- `lemmas.tsv.gz`: `form  lemma[,lemma]` for nouns and verbs (not comparative adjectives: "better"
  must not equal "good").

Synset ids are written in base 36 with a one-letter POS prefix to keep the files small.
Deterministic: the same inputs give byte-identical output (gzip mtime 0, sorted lines).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import tomllib
from collections import defaultdict
from pathlib import Path

STRONG_SENSES = 2  # a synonym must be one of the first two senses of *both* words
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
WEAK_POINTERS = {"@", "@i", "~", "~i", "&", "$", "^", "+", "="}  # hypernym/hyponym/similar/group/also/deriv
# An adjective that pertains to a noun names the same thing ("Mexican" immigration = immigration from
# "Mexico", "economic" = of the "economy"): the noun's synset counts as one of the adjective's own.
STRONG_POINTERS = {"\\"}
_WORD = re.compile(r"^[a-z][a-z'-]*$")
# Phrasal verbs are WordNet lemmas of their own ("pass_through", "go_up", "turn_down"): a verb and
# an adverb particle, the closed class listed in verifier/data/semantics.toml ([phrasal]). The judge
# reads "passed through" as the lemma pass_through, whose main sense ({transit, pass_through,
# move_through}) it shares with "moved through".
PARTICLES = tuple(tomllib.loads((Path(__file__).resolve().parent.parent / "verifier" / "data" / "semantics.toml")
                                .read_text(encoding="utf-8"))["phrasal"]["particles"])
_PHRASAL = re.compile(r"^[a-z][a-z'-]*_(?:" + "|".join(PARTICLES) + ")$")
# WordNet's lexicographer file numbers for nouns (lexnames(5WN)): every synset is filed under one
NOUN_LEXNAMES = {
    3: "Tops", 4: "act", 5: "animal", 6: "artifact", 7: "attribute", 8: "body", 9: "cognition",
    10: "communication", 11: "event", 12: "feeling", 13: "food", 14: "group", 15: "location",
    16: "motive", 17: "object", 18: "person", 19: "phenomenon", 20: "plant", 21: "possession",
    22: "process", 23: "quantity", 24: "relation", 25: "shape", 26: "state", 27: "substance", 28: "time",
}
lexname: dict[str, str] = {}  # noun synset id -> its lexicographer file


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


def sid(pos: str, offset: str) -> str:
    p = "a" if pos == "s" else pos
    return p + _b36(int(offset))


proper: set[str] = set()  # lemmas WordNet writes capitalised ("Clinton", "Mexico")
common: set[str] = set()  # lemmas it writes in lower case at least once ("trump", "house")


def read_data(wn: Path) -> tuple[dict, dict]:
    """synset id -> (words, pointers); lexical antonym pairs."""
    synsets: dict[str, tuple[list[str], list[tuple[str, str, int, int]]]] = {}
    antonyms: set[tuple[str, str]] = set()
    for name in POS_FILES.values():
        for line in (wn / f"data.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            body = line.split(" | ", 1)[0].split()
            offset, ss_type = body[0], body[2]
            n_words = int(body[3], 16)
            raw_words = [re.sub(r"\(.*\)$", "", body[4 + 2 * i]) for i in range(n_words)]  # "(a)", "(p)"
            for w in raw_words:
                (proper if w[:1].isupper() else common).add(w.lower())
            words = [w.lower() for w in raw_words]
            k = 4 + 2 * n_words
            n_ptr = int(body[k])
            ptrs = []
            for i in range(n_ptr):
                sym, off, ppos, st = body[k + 1 + 4 * i : k + 5 + 4 * i]
                ptrs.append((sym, sid(ppos, off), int(st[:2], 16), int(st[2:], 16)))
            synsets[sid(ss_type, offset)] = (words, ptrs)
            if ss_type == "n":
                lexname[sid(ss_type, offset)] = NOUN_LEXNAMES.get(int(body[1]), "")
    for _, (words, ptrs) in synsets.items():
        for sym, target, src, dst in ptrs:
            if sym == "!" and src and dst:
                a = words[src - 1]
                b = synsets[target][0][dst - 1]
                antonyms.add((a, b))
    return synsets, antonyms


def read_index(wn: Path) -> dict[tuple[str, str], list[str]]:
    """(lemma, pos) -> synset ids in sense order (most frequent sense first)."""
    out: dict[tuple[str, str], list[str]] = {}
    for name in POS_FILES.values():
        for line in (wn / f"index.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            f = line.split()
            lemma, p, n_syn, n_ptr = f[0], f[1], int(f[2]), int(f[3])
            offsets = f[6 + n_ptr : 6 + n_ptr + n_syn]
            out[(lemma.lower(), p)] = [sid(p, o) for o in offsets]
    return out


def satellite_antonyms(
    synsets: dict, antonyms: set[tuple[str, str]], index: dict[tuple[str, str], list[str]]
) -> set[tuple[str, str]]:
    """Adjective satellites inherit the opposition of their cluster head ("unconvinced" is similar
    to "unpersuaded", whose antonym is "persuaded"), for the satellite word's own main senses only
    (a rare sense would make "double" the opposite of "single" and of "widowed")."""
    extra = set()
    by_word = defaultdict(set)
    for a, b in antonyms:
        by_word[a].add(b)
    for s, (words, ptrs) in synsets.items():
        for sym, target, _, _ in ptrs:
            if sym != "&":
                continue
            heads = synsets[target][0]
            for h in heads:
                for opp in by_word.get(h, ()):
                    for w in words:
                        if w not in heads and s in index.get((w, "a"), [])[:STRONG_SENSES]:
                            extra.add((w, opp))
    return extra


def build(wn: Path, out: Path) -> None:
    synsets, antonyms = read_data(wn)
    index = read_index(wn)
    antonyms |= satellite_antonyms(synsets, antonyms, index)
    top_of: dict[str, set[str]] = defaultdict(set)  # main senses (+ the noun an adjective pertains to)
    senses_of: dict[str, set[str]] = defaultdict(set)  # every sense
    hyper_of: dict[str, set[str]] = defaultdict(set)  # direct hypernyms of the main senses
    related_of: dict[str, set[str]] = defaultdict(set)  # one step of any weak link, every sense
    pos_of: dict[str, set[str]] = defaultdict(set)  # parts of speech the surface form has
    for (lemma, pos), ids in index.items():
        if not (_WORD.match(lemma) or (pos == "v" and _PHRASAL.match(lemma))):
            continue
        pos_of[lemma].add("a" if pos == "s" else pos)
        top_of[lemma].update(ids[:STRONG_SENSES])
        senses_of[lemma].update(ids)
        for s in ids[:STRONG_SENSES]:
            for sym, target, src, _ in synsets[s][1]:
                if sym in STRONG_POINTERS and (not src or synsets[s][0][src - 1] == lemma):
                    top_of[lemma].add(target)
                if sym in ("@", "@i"):
                    hyper_of[lemma].add(target)
        for s in ids:
            for sym, target, src, _ in synsets[s][1]:
                if sym in WEAK_POINTERS:
                    # derivation/also-see are lexical: only the ones from this very word count
                    if src and synsets[s][0][src - 1] != lemma:
                        continue
                    related_of[lemma].add(target)
    verbs_of = event_verbs(synsets, index)
    for lemma, extra in parallel_troponyms(synsets, index).items():
        top_of[lemma] |= extra
    # one line per lemma, all parts of speech:
    #   lemma  top  other-senses  hypernyms  related  pos  flag  classes  verbs
    # flag "P" for a proper name only (WordNet never writes it in lower case: "clinton", "mexico")
    rows = []
    for lemma in sorted(top_of):
        top = top_of[lemma]
        others = senses_of[lemma] - top
        related = related_of[lemma] - top - others
        rows.append("\t".join([
            lemma, " ".join(sorted(top)), " ".join(sorted(others)), " ".join(sorted(hyper_of[lemma])),
            " ".join(sorted(related)), "".join(sorted(pos_of[lemma])),
            "P" if lemma in proper and lemma not in common else "",
            " ".join(sorted({lexname[i] for i in index.get((lemma, "n"), [])[:STRONG_SENSES]} - {""})),
            " ".join(sorted(verbs_of.get(lemma, ()))),
        ]))
    pairs = sorted({(a, b) for a, b in antonyms if _WORD.match(a) and _WORD.match(b)}
                   | {(b, a) for a, b in antonyms if _WORD.match(a) and _WORD.match(b)})
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "senses.tsv.gz", rows)
    _write(out / "kinds.tsv.gz", _kinds(synsets, index))
    _write(out / "antonyms.tsv.gz", [f"{a}\t{b}" for a, b in pairs])
    _write(out / "lemmas.tsv.gz", _lemmas())
    notice = (wn.parent / "doc" / "wordnet-base" / "copyright")
    text = notice.read_text() if notice.exists() else ""
    (out / "NOTICE").write_text(
        "senses.tsv.gz, kinds.tsv.gz and antonyms.tsv.gz are derived from WordNet 3.0 by scripts/build_lexicon.py.\n\n"
        "WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.\n"
        "License: https://wordnet.princeton.edu/license-and-commercial-use\n\n"
        + _wordnet_licence(text)
        + "\nlemmas.tsv.gz is derived from lemminflect's lookup table (MIT licence,"
        " https://github.com/bjascob/LemmInflect).\n"
    )
    print(f"senses {len(rows)}, antonym pairs {len(pairs)} -> {out}")


def event_verbs(synsets: dict, index: dict[tuple[str, str], list[str]]) -> dict[str, set[str]]:
    """noun lemma -> the verb synsets its main senses are derived from, WordNet's derivational
    pointers between main senses of both words: "decision" -> {decide, make_up_one's_mind,
    determine}, "statement" -> {state, say, tell}. With a light verb ("make a decision") the noun is
    the predicate, and the pair says what the verb says."""
    out: dict[str, set[str]] = defaultdict(set)
    for (lemma, pos), ids in index.items():
        if pos != "n" or not _WORD.match(lemma):
            continue
        for s in ids[:STRONG_SENSES]:
            words, ptrs = synsets[s]
            for sym, target, src, dst in ptrs:
                if sym != "+" or target[0] != "v" or not src or words[src - 1] != lemma:
                    continue
                verb = synsets[target][0][dst - 1]
                if target in index.get((verb, "v"), [])[:STRONG_SENSES]:
                    out[lemma].add(target)
    return out


def parallel_troponyms(synsets: dict, index: dict[tuple[str, str], list[str]]) -> dict[str, set[str]]:
    """Words one step below another word's main sense that lexicalise the same opposition:
    "rise" ({wax, mount, climb, rise}) is a kind of "increase" (its first sense), and the opposite
    of "rise" ("fall") is in the opposite of that sense ({decrease, diminish, lessen, fall}). Such a
    word says the same as the more general one, no manner added: "rose 3.5 percent" is "increased
    3.5 percent", while "murdered" (no opposite) or "exploded" (none) stay more specific than
    "killed" or "increased". The general word's main synset counts as one of the specific word's
    main senses. The opposition is read from WordNet's antonym pointers on both sides, so a word
    whose opposite is another pair's ("keep" against "lose") is never joined to it."""
    opposite_words: dict[tuple[str, str], set[str]] = defaultdict(set)  # (word, pos) -> its antonyms
    for s, (words, ptrs) in synsets.items():
        for sym, target, src, dst in ptrs:
            if sym == "!" and src and dst:
                opposite_words[(words[src - 1], s[0])].add(synsets[target][0][dst - 1])
    out: dict[str, set[str]] = defaultdict(set)
    for s, (words, ptrs) in synsets.items():
        pos = s[0]
        for sym, general, _, _ in ptrs:
            if sym != "@":
                continue
            for h in synsets[general][0]:
                if index.get((h, pos), [None])[0] != general:
                    continue  # only the general word's main (first) sense
                # the opposite of that sense, as WordNet points to it from the general word
                opposite = {w for sym2, t2, src2, _ in synsets[general][1]
                            if sym2 == "!" and (not src2 or synsets[general][0][src2 - 1] == h)
                            for w in synsets[t2][0]}
                if not opposite:
                    continue
                for c in words:
                    if c != h and _WORD.match(c) and opposite_words[(c, pos)] & opposite:
                        out[c].add(general)
    return out


KIND_DEPTH = 4  # "Pennsylvania" -> American state -> state -> administrative district -> district


def _kinds(synsets: dict, index: dict[tuple[str, str], list[str]]) -> list[str]:
    """name -> the one-word nouns for what it is: its instance and class hypernyms up to
    KIND_DEPTH steps ("pennsylvania" -> state, province, district, territory, ...), so that "the
    state" can refer back to a state the text named. Names only: lemmas WordNet writes capitalised."""
    rows = []
    for (lemma, pos), ids in index.items():
        if pos != "n" or lemma not in proper or lemma in common:
            continue
        kinds: set[str] = set()
        frontier = set(ids[:STRONG_SENSES])
        for _ in range(KIND_DEPTH):
            nxt = set()
            for s in frontier:
                for sym, target, _, _ in synsets[s][1]:
                    if sym in ("@", "@i"):
                        nxt.add(target)
            kinds.update(w for t in nxt for w in synsets[t][0] if _WORD.match(w))
            frontier = nxt
        if kinds:
            rows.append(f"{lemma.replace('_', ' ')}\t{' '.join(sorted(kinds))}")
    return sorted(rows)


def _wordnet_licence(copyright_file: str) -> str:
    m = re.search(r"License: WordNet3.0\n(.*?)\n\n", copyright_file, re.S)
    if not m:
        return ""
    return "\n".join(line[1:] if line.startswith(" ") else line for line in m.group(1).splitlines()).replace(
        "\n.\n", "\n\n") + "\n"


def _lemmas() -> list[str]:
    import importlib.resources

    raw = importlib.resources.files("lemminflect").joinpath("resources/lemma_lu.csv.gz").read_bytes()
    table: dict[str, set[str]] = defaultdict(set)
    for form, upos, lemmas in csv.reader(io.StringIO(gzip.decompress(raw).decode("utf-8"))):
        if upos not in ("noun", "verb", "aux") or form[:1].isupper():  # names are not inflections
            continue
        f = form.lower()
        if not _WORD.match(f):
            continue
        for lem in lemmas.split("/"):
            lem = lem.lower()
            if lem != f and _WORD.match(lem):
                table[f].add(lem)
    return [f"{f}\t{','.join(sorted(ls))}" for f, ls in sorted(table.items())]


def _write(path: Path, lines: list[str]) -> None:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(data)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "verifier" / "data" / "lexicon"))
    args = ap.parse_args()
    build(Path(args.wordnet), Path(args.out))


if __name__ == "__main__":
    main()
