"""Who says the words in the source, and whether that is who the article says.

The source is read by the same attribution finder that reads articles (`find_attributions`), once
per document. The attribution covering the matched passage gives the source's speaker as written
("Tobias said", "said one western official", "she said"). A pronoun is resolved to the person the
source last made the subject of a sentence; a description ("a spokesperson", "the 36-year-old")
that names nobody stays unnamed. Then:

- a different named person -> conflict ("it gives them to Carl Tobias, not John Cornyn");
- an unnamed speaker where the article names someone -> conflict: the source does not say it was
  that person;
- an article attribution with no speaker, or a generic one ("officials"), passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verifier import lexicon
from verifier.match.elements import titles
from verifier.models import ArticleText, Attribution

_PRONOUNS = frozenset("he she they it we i him her them his hers".split())
_GENERIC = re.compile(
    r"\b(?:official|officials|source|sources|spokesman|spokeswoman|spokesperson|aide|aides|diplomat|"
    r"diplomats|analyst|analysts|expert|experts|people|person|someone|witness|residents|critics|"
    r"observers|insiders|lawmakers|economists|executives)\b",
    re.I,
)
_NAME_WORD = re.compile(r"[A-Z][\w'’.-]*")
_SENTENCE_SUBJECT = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=[.!?][”\"]\s)|\n)(?:(?:[A-Z][a-z]+|At|In|On)\b[^.\n]{0,40}?,\s*)?"
    r"(?P<name>(?:[A-Z][\w'’.-]+\s+){0,3}[A-Z][\w'’-]+)(?=,|\s+(?:is|was|has|had|said|says|told|added|"
    r"wrote|argued|insisted|[a-z]+ed|[a-z]+s)\b)"
)


@dataclass
class SourceSpeaker:
    mention: str  # as the source writes it: "Tobias", "she", "one western official"
    name: str | None  # the named person or body it resolves to, if any
    cue: str = ""  # the source's whole cue ("said Stephen Miller, the White House deputy chief of staff")


def source_attributions(text: str, cache: dict[str, object]) -> list[Attribution]:
    found = cache.get("attributions")
    if found is None:
        from verifier.attributions.finder import find_attributions

        found = find_attributions(ArticleText(text, "<source>", "txt"))
        cache["attributions"] = found
    return found  # type: ignore[return-value]


def speaker_at(
    text: str, cache: dict[str, object], start: int, end: int, *, quotes_only: bool = True
) -> SourceSpeaker | None:
    """The source's own speaker for the passage [start, end), if the source attributes it."""
    best: Attribution | None = None
    overlap = 0
    for a in source_attributions(text, cache):
        o = min(end, a.span[1]) - max(start, a.span[0])
        if quotes_only and a.kind != "quote":
            o = o // 2  # a claim quoting the words ("testified that “…”") counts, a quote first
        if o > overlap:
            best, overlap = a, o
    if best is None or not best.speaker or not _plausible_speaker(best.speaker):
        return None
    mention = _mention(best)
    head = _head_words(mention)
    cue = best.cue or ""
    # resolve from the sentence the words are in (an attribution in parts starts further back)
    here = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start)) + 1
    if head and head[0].lower() in _PRONOUNS and len(head) == 1:
        return SourceSpeaker(mention, _resolve_pronoun(text, here, head[0]), cue)
    if head and head[0].lower() == "the" and not _names(mention):
        # a definite description ("the agency", "the presumptive nominee") points back to a name
        return SourceSpeaker(mention, _resolve_pronoun(text, here, mention), cue)
    names = _names(mention)
    return SourceSpeaker(mention, mention if names else None, cue)


_VERB = r"(?:said|says|say|added|adds|told|tells|wrote|writes|asked|asks|explained|insisted|argued|warned|continued|noted|tweeted)"
_NAME = r"(?P<{}>(?:[A-Z][\w'’.-]+\s+){{0,4}}[A-Z][\w'’.-]+|[Hh]e|[Ss]he|[Ii]t|[Tt]hey|[Ww]e)"
_CUE_AFTER = re.compile(r"^[”\"’]?\s*[,?!]?\s*[”\"’]?\s*(?:" + _VERB + r"\s+" + _NAME.format("n1") + r"|"
                        + _NAME.format("n2") + r"\s+" + _VERB + r")\b")
# "told X" names the listener, not the speaker
_CUE_BEFORE = re.compile(r"(?:" + _NAME.format("n1") + r"\s+" + _VERB + r"(?:\s+[A-Z][\w.'’ -]{0,30})?|"
                         + _VERB.replace("told|tells|", "") + r"\s+" + _NAME.format("n2")
                         + r")\s*[,:.]?\s*[“\"‘]?\s*$")


def cue_beside(text: str, start: int, end: int) -> SourceSpeaker | None:
    """The speaker named by a cue right beside a passage ("…,” said Murphy", "It added, "…"),
    for quotes the attribution finder did not read."""
    after = text[end : end + 100].split("\n", 1)[0]
    m = _CUE_AFTER.search(after)
    if m is None:
        before = text[max(0, start - 100) : start].rsplit("\n", 1)[-1]
        m = _CUE_BEFORE.search(before)
    if m is None:
        return None
    mention = m.group("n1") or m.group("n2")
    if mention.lower() in _PRONOUNS:
        return SourceSpeaker(mention, _resolve_pronoun(text, start, mention), m.group(0))
    return SourceSpeaker(mention, mention if _names(mention) else None, m.group(0))


def _plausible_speaker(speaker: str) -> bool:
    """A speaker phrase names someone (a capitalised word), or is a pronoun or a description."""
    words = speaker.split()
    return bool(words) and (any(w[:1].isupper() for w in words) or words[0].lower() in _PRONOUNS
                            or words[0].lower() in ("a", "an", "the", "one", "two", "three", "some", "several"))


def _mention(a: Attribution) -> str:
    """The speaker as the source writes it in the cue ("she", "the agency"), which the finder may
    already have replaced by a name it guessed."""
    cue = a.cue or ""
    if a.speaker and a.speaker.lower() in cue.lower():
        return a.speaker
    m = re.search(r"\b(he|she|they|it|we)\b", cue, re.I)
    if m:
        return m.group(1)
    # "said the agency", "the agency said": a description next to the verb
    m = re.search(r"(?:\b" + _VERB + r"\s+(?P<d1>the\s+\w+(?:\s+\w+)?)\b)|(?P<d2>\bthe\s+\w+(?:\s+\w+)?)\s+" + _VERB, cue)
    if m:
        d = m.group("d1") or m.group("d2")
        if not _names(d):
            return d
    return a.speaker or ""


def person_name(speaker: str | None) -> str | None:
    """The name in a speaker phrase, without the titles and roles before it: "House Minority Leader
    Nancy Pelosi" -> "Nancy Pelosi"; "Former Mexican President Felipe Calderon" -> "Felipe Calderon"."""
    if not speaker:
        return None
    head = re.split(r",|\s+(?:of|at|from|who|which|with)\s+", speaker)[0]
    words = re.findall(r"[\w'’.-]+", head)
    run: list[str] = []
    for w in reversed(words):
        bare = w.strip(".").lower()
        if not w[:1].isupper() or bare in titles() or bare in _PRONOUNS:
            break
        if run and lexicon.known(bare):
            break
        run.append(w.strip("."))
    if not run or (len(run) == 1 and lexicon.known(run[0].lower()) and (
            _GENERIC.search(speaker) or lexicon.lemmas(run[0].lower()) - {run[0].lower()})):
        return None  # "officials", "Projections": ordinary words, not a name
    return " ".join(reversed(run))


def refers_to_someone(speaker: str | None) -> bool:
    """Whether a speaker phrase can name who spoke: a name, a pronoun, or a description whose head
    noun WordNet files under persons or groups ("officials", "the council"). "Projections suggest"
    and "Studies show" cite estimates and documents: there is no speaker to compare."""
    if not speaker:
        return False
    if person_name(speaker):
        return True
    # the head of the phrase decides: "the Congressional Budget Office" and "they" are someone,
    # "the Quinnipiac poll" is a survey whatever names modify it
    words = re.findall(r"[A-Za-z][\w'’-]*", re.split(r",|\s+(?:of|for|at|from|with|who)\s+", speaker)[0])
    if not words:
        return False
    if (len(words) > 1 and words[-1][:1].isupper()) or words[-1].lower() in _PRONOUNS:
        return True
    classes = lexicon.noun_classes(words[-1])
    # a word WordNet does not know as a noun may be a name
    # a group of people ("the council") is someone; a body of information ("data", a collection
    # WordNet also files under groups) is a document
    return not classes or "person" in classes or ("group" in classes and not classes & {"cognition", "communication"})


_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twenty thirty forty "
                          "fifty sixty seventy eighty ninety hundred thousand million".split())


def _initials_match(short: str, long: str) -> bool:
    """"CDC" names "Centers for Disease Control and Prevention"."""
    # an acronym both phrases write ("U.S.") says nothing about the rest of them, and its own
    # letters are not the initials of the other phrase's words
    acronyms = [w.replace(".", "") for w in re.findall(r"\b[A-Z][A-Z.]+\b", short)
                if len(w.replace(".", "")) > 1 and not re.search(rf"\b{re.escape(w)}", long)]
    long = re.sub(r"\b(?:[A-Z]\.){2,}", " ", long)
    caps = [w for w in re.findall(r"[A-Z][\w'’-]*", long) if w not in ("The", "A", "An")]
    if not acronyms or len(caps) < 2:
        return False
    initials = "".join(w[0] for w in caps).lower()
    return any(initials.startswith(a.lower()) for a in acronyms)


def _capital_words(phrase: str) -> list[str]:
    """Every capitalised word of a name phrase but titles: "Senate Minority Leader Harry M. Reid"."""
    return [w.strip(".") for w in _NAME_WORD.findall(phrase) if w.strip(".").lower() not in titles()
            and len(w.strip(".")) > 1]


def _head_words(speaker: str) -> list[str]:
    return re.findall(r"[\w'’.-]+", speaker.split(",")[0])


def _names(speaker: str) -> list[str]:
    """The name words of a speaker phrase: capitalised, not a title, not an ordinary word written
    with a capital because it starts the phrase ("The", "Former")."""
    head = re.split(r",|\s+(?:of|at|from|who|which|with)\s+", speaker)[0]
    out = []
    for w in _NAME_WORD.findall(head):
        bare = w.strip(".").lower()
        sem = lexicon.semantics()
        if bare in titles() or bare in _PRONOUNS or bare.split("-")[0] in _NUMBER_WORDS or _closed_class(bare) or (
                bare in sem.weekdays or bare in sem.months):  # "X on Thursday said": a date is no name
            continue
        if lexicon.known(bare) and not _looks_like_name_in(head, w):
            continue
        out.append(w.strip("."))
    return out


def _looks_like_name_in(head: str, word: str) -> bool:
    """"Trump", "House", "Brown" are words too; as the last word of a speaker phrase they are the
    name ("Donald Trump"), before a lower-case word they are a modifier ("the Republican nominee")."""
    words = re.findall(r"[\w'’.-]+", head)
    return bool(words) and words[-1] == word


_QUOTED_SPAN = re.compile(r"''.*?(?:''|$)|[“\"][^”\"\n]*[”\"]?", re.M)
_NAME_RUN = r"(?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’.-]*[\w’']"
_PERSON = re.compile(r"\b([A-Z][a-z]+)(?:\s+[A-Z]\.)?\s+[A-Z][\w'’-]*[a-zà-ÿ][\w'’-]*(?:\s+[A-Z][\w'’-]*[a-zà-ÿ])?")
# a speech cue's speaker: "Fallon said", "said Murphy", "wrote Nordstrom"
_VERB_NOT_TOLD = _VERB.replace("told|tells|", "")
_CUE_MENTION = re.compile(r"(?P<cue1>" + _NAME_RUN + r")\s+" + _VERB + r"\b|\b" + _VERB_NOT_TOLD + r"\s+(?P<cue2>"
                          + _NAME_RUN + r")")
# a sentence's subject: a name opening the sentence, before its verb or an apposition
_SUBJECT = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?][”\"]\s)|(?<=\n))(?P<subj>" + _NAME_RUN + r")(?=,|\s+[a-z])")


def _is_organisation(name: str) -> bool:
    heads = _organisation_heads()
    words = [w.strip(".,").lower() for w in name.split()]
    # the head of a name is its last word: "United Gun Group" is a body, "House Majority Leader
    # Kevin McCarthy" a person
    return ".com" in name.lower() or (bool(words) and words[-1] in heads) or (name.isupper() and len(name) > 1)


def _organisation_heads() -> frozenset[str]:
    import tomllib
    from importlib import resources

    global _ORG_HEADS
    if _ORG_HEADS is None:
        raw = tomllib.loads((resources.files("verifier") / "data" / "semantics.toml").read_text(encoding="utf-8"))
        _ORG_HEADS = frozenset(raw["organisations"]["heads"])
    return _ORG_HEADS


_ORG_HEADS: frozenset[str] | None = None


def _resolve_pronoun(text: str, quote_start: int, mention: str = "he") -> str | None:
    """The nearest compatible named person or body before the quote (within three paragraphs),
    as a sentence's subject or a speech cue's speaker, outside quotations: "he"/"she" take a person
    ("Christyn Gionfriddo, a 2009 graduate, is saddled …" then "“…,” she said"), "it" and "the
    agency" a body ("The State Department also said …" then "“…,” said the agency")."""
    window_start = quote_start
    for _ in range(4):
        p = text.rfind("\n", 0, max(0, window_start - 1))
        if p < 0:
            window_start = 0
            break
        window_start = p
    window = _QUOTED_SPAN.sub(lambda m: " " * len(m.group()), text[window_start:quote_start])
    if mention.lower() in ("he", "she", "him", "her", "his", "hers"):
        wants_body = False
    elif mention.lower() in ("it", "its"):
        wants_body = True
    else:  # a description: "the agency" is a body, "the presumptive nominee" a person
        wants_body = _is_organisation(mention)
    last = None
    found = [(m.start(), m.group("subj"), True) for m in _SUBJECT.finditer(window)
             if not re.search(r"\b(?:" + "|".join(sorted(titles())) + r")\.\s*$", window[: m.start()], re.I)]
    found += [(m.start(), m.group("cue1") or m.group("cue2"), False) for m in _CUE_MENTION.finditer(window)]
    # any full name of a person ("For the climate scientist Johan Rockström, …"): a first name
    # gender-guesser knows followed by a surname
    found += [(m.start(), m.group(0), False) for m in _PERSON.finditer(window)
              if not _closed_class(m.group(1)) and m.group(1).lower() not in titles()
              and _gender(m.group(1)) not in ("unknown",)]
    for _, name, is_subject in sorted(found):
        name = re.split(r"(?<![A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr))(?<!\bMrs)\.\s+", name)[-1].strip()
        if is_subject and name.split()[0].lower() in lexicon.semantics().prepositions:
            continue  # "Against Clinton, the Ohio governor …": a complement, not the subject
        if is_subject and not (any(not lexicon.known(w.strip(".").lower()) for w in name.split())
                               or _is_organisation(name)):
            continue  # "Sure", "But": a sentence opening with an ordinary word
        words = [w for w in name.split() if w.strip(".").lower() not in titles() and w.lower() not in _PRONOUNS
                 and not _closed_class(w)]
        if not words:
            continue
        name = " ".join(words)
        if not _names(name):
            continue
        if _is_organisation(name) != wants_body:
            continue
        if not wants_body and not _fits_pronoun(name, mention):
            continue
        last = name
    return last


def resolve_mention(text: str, at: int, mention: str) -> str | None:
    """Who a pronoun or a description at character `at` ("he", "the agency", "the Ohio governor")
    refers to: the nearest compatible name before it, or None."""
    return _resolve_pronoun(text, at, mention)


def _fits_pronoun(name: str, pronoun: str) -> bool:
    """Whether a person's name can be "he" or "she": a plural ("Americans") cannot, and a first
    name that is clearly of the other gender (gender-guesser's name data) cannot."""
    words = name.split()
    w0 = words[0].lower()
    if len(words) == 1 and w0.endswith("s") and not w0.endswith("ss") and (
            lexicon.lemmas(w0) - {w0} or (lexicon.in_wordnet(w0[:-1]) and not lexicon.in_wordnet(w0))):
        return False  # "Americans", "Democrats": many people
    want = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female", "hers": "female"}.get(
        pronoun.lower())
    if want is None or len(words) < 2:
        return True
    gender = _gender(words[0])
    return not (gender in ("male", "female") and gender != want)


def _gender(first_name: str) -> str:
    from verifier.attributions.finder import gender_of

    g = gender_of(first_name)
    return {"mostly_male": "male", "mostly_female": "female"}.get(g, g)


def _closed_class(word: str) -> bool:
    from verifier.match.elements import grammatical_words

    w = word.strip(".,").lower()
    return w in grammatical_words() or w in _CLOSED


_CLOSED = frozenset("among amid despite during after before since until unless although though because while "
                    "whether however meanwhile still yet also but and or so then thus here there now today "
                    "last next this that these those".split())


def speaker_conflict(claimed: str | None, source: SourceSpeaker | None) -> str | None:
    """How the source's speaker differs from the one the article names; None when it does not."""
    if not claimed or source is None:
        return None
    claimed_names = _names(claimed)
    if not claimed_names or (_GENERIC.search(claimed) and len(claimed_names) < 2):
        # "a western official": nothing to check a name against; but "a Homeland Security
        # spokeswoman" names a body, and a source that gives the words to someone of another body
        # ("Stephen Miller, the White House deputy chief of staff") gives them to someone else
        opposed = _opposed_description(claimed, source.cue or source.mention)
        if opposed:
            return f"{source.name or source.mention} ('{(source.cue or source.mention).strip()}'; {opposed})"
        bodies = [w for w in _capital_words(claimed) if w.lower() not in _PRONOUNS]
        if bodies and source.name and source.cue and not any(
                re.search(rf"\b{re.escape(b)}\b", source.cue) for b in bodies):
            return f"{source.name} ('{source.cue.strip()}')"
        return None
    if source.name is None:
        return f"an unnamed speaker ('{source.mention}')"
    source_names = _names(source.name) or [source.name]
    cl = {n.lower() for n in claimed_names} | {w.lower() for w in _capital_words(claimed)}
    sl = {n.lower() for n in source_names} | {w.lower() for w in _capital_words(source.name)}
    if claimed_names[-1].lower() in sl or source_names[-1].lower() in cl:
        return None
    if _initials_match(claimed, source.name) or _initials_match(source.name, claimed):
        return None
    return source.name if source.name == source.mention else f"{source.name} ('{source.mention}')"


def _opposed_description(claimed: str, source: str) -> str | None:
    """A description of the speaker the source contradicts: a word whose WordNet opposite the
    source's description has ("the latter captain" / "the former captain"), or another age or
    number ("the 36-year-old" / "the 28-year-old")."""
    said = {w.lower() for w in re.findall(r"[A-Za-z][\w'’-]*", source)}
    for w in re.findall(r"[A-Za-z][\w'’-]*", claimed):
        lw = w.lower()
        if lw in said:
            continue
        opposite = next((x for x in sorted(lexicon.antonym_lemmas(lw)) if x in said), None)
        if opposite:
            return f"'{w}' vs '{opposite}'"
    negator = re.compile(r"\b(?:not|never|no|n[’']t)\b|n[’']t\b", re.I)
    if len(negator.findall(claimed)) % 2 != len(negator.findall(source)) % 2 and re.search(
            r"\b(?:who|which|that)\b", claimed):
        # "an independent paediatrician who was involved in the work" is not the one "who was not"
        return "a description of the opposite polarity"
    c_nums = set(re.findall(r"\d+", claimed))
    s_nums = set(re.findall(r"\d+", source))
    if c_nums and s_nums and not c_nums & s_nums:
        return f"'{', '.join(sorted(c_nums))}' vs '{', '.join(sorted(s_nums))}'"
    return None


def description_conflict(claimed: str | None, cue: str, text: str) -> tuple[str, str] | None:
    """The article's description of its speaker after the name ("Robert Klein, chairman of the
    National Institutes of Health", "Ross Eisenbrey of the Economic Policy Institute") is a claim
    too: the names in it must be in a source sentence that names the person. A title before the
    name ("Senate Minority Leader Harry Reid") is not checked: sources often drop it. Returns (the
    names the source lacks, the source sentence that names the person) or None."""
    if not claimed:
        return None
    names = _names(claimed)
    if not names:
        return None
    surname = names[-1]
    phrase = cue if surname in (cue or "") else claimed
    m = re.search(rf"\b{re.escape(surname)}\b(?:\s*,\s*|\s+(?=of\b|at\b|from\b))(?P<desc>[^,;:]{{3,120}})", phrase)
    if not m:
        return None
    desc = re.split(r"\b" + _VERB + r"\b", m.group("desc"))[0]  # the description ends at the verb
    described = [w for w in _capital_words(desc) if w.lower() not in _DESCRIPTION_GLUE]
    if not described:
        return None
    from verifier.match.source_index import sentence_spans

    best: tuple[int, str] | None = None
    pattern = re.compile(rf"\b{re.escape(surname)}\b")
    for s0, s1 in sentence_spans(text):
        sentence = text[s0:s1]
        if not pattern.search(sentence):
            continue
        missing = [w for w in described if not re.search(rf"\b{re.escape(w)}\b", sentence)]
        if not missing:
            return None
        if best is None or len(missing) < best[0]:
            best = (len(missing), sentence.strip())
    if best is None:
        return None  # the source never names the person: the speaker check says so
    missing_words = [w for w in described if not re.search(rf"\b{re.escape(w)}\b", best[1])]
    return " ".join(missing_words), best[1]


_DESCRIPTION_GLUE = frozenset("a an the of at for from in on and who which former then now its his her their".split())


def gave_no_comment(speaker: str | None, text: str) -> str | None:
    """The source sentence saying the speaker made no comment ("The FDIC declined to comment", "A
    Supreme Court spokeswoman did not immediately respond"), if there is one."""
    if not speaker:
        return None
    from verifier.lexicon import semantics
    from verifier.match.source_index import sentence_spans

    words = [w for w in _capital_words(speaker)] + [
        w for w in re.findall(r"[a-z]+", speaker) if _GENERIC.search(w)]
    if not words:
        return None
    phrases = semantics().no_comment
    for s0, s1 in sentence_spans(text):
        sentence = text[s0:s1]
        low = sentence.lower()
        if not any(p in low for p in phrases):
            continue
        head = re.escape(words[-1])
        # the speaker must be who made no comment: "The FDIC … declined to comment", not "Trump's
        # campaign did not respond"
        for p in phrases:
            if re.search(rf"\b{head}\b(?!['’]s)(?:\s*,[^,]{{0,160}},)?(?:\s+\w+){{0,3}}?\s+{re.escape(p)}", sentence, re.I):
                return sentence.strip()
    return None
