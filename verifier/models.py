"""Plain data classes passed between the pipeline stages.

read input -> ArticleText -> find attributions -> [Attribution]
-> resolve sources -> {attribution id: [SourceRef]} -> fetch -> FetchResult
-> extract -> SourceDocument -> match -> Match -> verdict -> Finding -> Report
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    CONFIRMED = "confirmed"
    PARTIAL = "partial"
    UNVERIFIED = "unverified"

    @property
    def rank(self) -> int:
        """How much the verdict vouches for the attribution: confirmed 2, partial 1, unverified 0."""
        return _VERDICT_RANK[self]


_VERDICT_RANK = {Verdict.CONFIRMED: 2, Verdict.PARTIAL: 1, Verdict.UNVERIFIED: 0}


class AttributionKind(StrEnum):
    """What an attribution reports: a direct quotation, or a claim in the article's own words. A
    `StrEnum`, so it compares equal to (and serialises as) "quote" and "claim"."""

    QUOTE = "quote"
    CLAIM = "claim"


class Reason(StrEnum):
    """Stable reason codes. Documented in the README; never rename one."""

    # confirmed
    VERBATIM = "verbatim"
    NORMALISED = "normalised"
    SUPPORTED = "supported"
    # partial
    WORDING_DIFFERS = "wording_differs"
    NUMBER_DIFFERS = "number_differs"
    NEGATION_DIFFERS = "negation_differs"
    FRAGMENT_MISSING = "fragment_missing"
    SPEAKER_DIFFERS = "speaker_differs"
    MISATTRIBUTED = "misattributed"
    PARTLY_SUPPORTED = "partly_supported"
    PARAPHRASE = "paraphrase"  # the passage says it in other words the verifier cannot prove equal
    DATE_DIFFERS = "date_differs"
    QUANTITY_DIFFERS = "quantity_differs"
    HEDGE_DIFFERS = "hedge_differs"
    ENTITY_DIFFERS = "entity_differs"
    ROLES_DIFFER = "roles_differ"
    SCOPE_DIFFERS = "scope_differs"
    # unverified
    NOT_FOUND = "not_found"
    NO_SOURCE = "no_source"
    SOURCE_UNAVAILABLE = "source_unavailable"
    PAYWALLED = "paywalled"
    SOURCE_REFUSED = "source_refused"  # a link the draft may not make us read (local file, scheme)


REASON_VERDICT: dict[Reason, Verdict] = {
    Reason.VERBATIM: Verdict.CONFIRMED,
    Reason.NORMALISED: Verdict.CONFIRMED,
    Reason.SUPPORTED: Verdict.CONFIRMED,
    Reason.WORDING_DIFFERS: Verdict.PARTIAL,
    Reason.NUMBER_DIFFERS: Verdict.PARTIAL,
    Reason.NEGATION_DIFFERS: Verdict.PARTIAL,
    Reason.FRAGMENT_MISSING: Verdict.PARTIAL,
    Reason.SPEAKER_DIFFERS: Verdict.PARTIAL,
    Reason.MISATTRIBUTED: Verdict.PARTIAL,
    Reason.PARTLY_SUPPORTED: Verdict.PARTIAL,
    Reason.PARAPHRASE: Verdict.PARTIAL,
    Reason.DATE_DIFFERS: Verdict.PARTIAL,
    Reason.QUANTITY_DIFFERS: Verdict.PARTIAL,
    Reason.HEDGE_DIFFERS: Verdict.PARTIAL,
    Reason.ENTITY_DIFFERS: Verdict.PARTIAL,
    Reason.ROLES_DIFFER: Verdict.PARTIAL,
    Reason.SCOPE_DIFFERS: Verdict.PARTIAL,
    Reason.NOT_FOUND: Verdict.UNVERIFIED,
    Reason.NO_SOURCE: Verdict.UNVERIFIED,
    Reason.SOURCE_UNAVAILABLE: Verdict.UNVERIFIED,
    Reason.PAYWALLED: Verdict.UNVERIFIED,
    Reason.SOURCE_REFUSED: Verdict.UNVERIFIED,
}


@dataclass
class Link:
    """A hyperlink in the input article: anchor text span in the plain text, and its target."""

    url: str
    start: int
    end: int
    text: str = ""


@dataclass
class ArticleText:
    """The article as plain text, with what the input format told us about it."""

    text: str
    source: str  # path, "-" or URL as given
    format: str  # "txt" | "md" | "html"
    title: str | None = None
    published: str | None = None  # ISO date when the input says
    links: list[Link] = field(default_factory=list)


@dataclass
class Attribution:
    id: str  # "a1", "a2", ... in article order
    kind: AttributionKind  # a plain "quote" or "claim" is accepted and converted
    text: str  # quote without marks, or the claim's content clause
    span: tuple[int, int]  # offsets of `text` in ArticleText.text
    sentence: str
    cue: str  # the reporting phrase as written ("the Guardian newspaper said")
    outlet: str | None = None  # canonical outlet name from the registry
    speaker: str | None = None  # person or body said to have said it
    fragments: list[str] = field(default_factory=list)  # quoted fragments inside a claim
    collective: bool = False  # "UK media reported", "reports said": checked against every source
    sentence_span: tuple[int, int] = (0, 0)
    # A quotation in several parts (split around its cue, “…,” she said. “…”, or running over
    # paragraphs) is one attribution: `parts` are the parts' spans, `span` runs from the first part's
    # start to the last part's end, and `text` joins the parts with " … " (found in order in the source).
    parts: list[tuple[int, int]] = field(default_factory=list)
    # Every outlet the cue names ("The Times and the Guardian both reported"); `outlet` is the first.
    outlets: list[str] = field(default_factory=list)
    # Where the outlet came from: "cue" (named in this attribution's own cue or sentence) or
    # "context" (carried over from an earlier interview: "X told the FT …" … “…,” X said); None: no outlet.
    outlet_from: str | None = None

    def __post_init__(self) -> None:
        self.kind = AttributionKind(self.kind)  # ValueError on anything but "quote" or "claim"

    def text_of(self, part: int) -> str:
        """The words of one part of a quotation in parts (the whole text when it has none)."""
        if not self.parts:
            return self.text
        return self.text.split(" … ")[part] if self.text.count(" … ") == len(self.parts) - 1 else self.text

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        d["sentence_span"] = list(self.sentence_span)
        d["parts"] = [list(p) for p in self.parts]
        return d


class Origin(StrEnum):
    """How a source came to be attached to an attribution."""

    GIVEN = "given"  # --source NAME=LOCATION (or a bare --source naming the attribution's outlet)
    CANDIDATE = "candidate"  # a bare --source that no attribution's outlet claims
    LINK = "link"  # a link in the article
    CITED = "cited"  # a source given for another attribution to the same outlet or speaker
    DISCOVERED = "discovered"  # found by discovery; `SourceRef.provider` says which provider


@dataclass
class SourceRef:
    """Where to look for the original of an attribution."""

    location: str  # URL or file path
    origin: Origin
    name: str | None = None  # the NAME of --source NAME=LOCATION
    refused: str | None = None  # why this location is not read at all (local-file policy)
    # the discovery provider that found it ("guardian_api", "sitemap", "gdelt", "wayback",
    # "archive"), when origin is DISCOVERED
    provider: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.origin, Origin):  # a plain string from older callers
            origin, _, provider = str(self.origin).partition(":")  # "discovered:gdelt" as it was written
            self.origin = Origin(origin)
            self.provider = self.provider or provider or None

    @property
    def label(self) -> str:
        """The origin as one string, as reports have always written it: "given", "discovered:gdelt"."""
        return f"{self.origin.value}:{self.provider}" if self.provider else self.origin.value


@dataclass
class FetchResult:
    """Raw outcome of getting one location (URL or file). `error` set means unusable."""

    location: str
    url: str | None = None  # requested URL (None for files)
    final_url: str | None = None  # after redirects
    status: int | None = None
    content_type: str | None = None
    body: bytes = b""
    text: str = ""  # decoded body
    encoding: str | None = None
    fetched_at: str | None = None  # ISO 8601 UTC
    sha256: str | None = None
    error: str | None = None  # one line: "HTTP 404", "timeout after 10s", "body larger than 5 MB", ...
    from_store: bool = False


@dataclass
class SourceDocument:
    """What the verifier reads from one source page."""

    location: str
    url: str | None = None
    final_url: str | None = None
    status: int | None = None
    outlet: str | None = None  # canonical outlet name, from the domain or page metadata
    title: str | None = None
    standfirst: str | None = None
    byline: str | None = None
    published: str | None = None
    canonical_url: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    paywalled: bool = False
    paywall_reason: str | None = None  # what made us decide it is paywalled
    method: str | None = None  # "selectors" | "json-ld" | "itemprop" | "trafilatura" | "text"
    fetched_at: str | None = None
    sha256: str | None = None
    error: str | None = None  # set when the source could not be read at all

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class Difference:
    article: str  # words as the article has them ("" when the article dropped them)
    source: str  # words as the source has them ("" when the article added them)
    # "wording" | "number" | "negation" | "fragment" | "speaker" | "date" | "quantity" | "hedge" |
    # "roles" | "scope" | "editorial" (what an editorial bracket or ellipsis hid)
    kind: str = "wording"


@dataclass
class Evidence:
    url: str | None
    title: str | None
    passage: str
    start: int  # offsets of the passage in the source document's text
    end: int
    outlet: str | None = None
    fetched_at: str | None = None
    sha256: str | None = None
    paywalled: bool = False


@dataclass
class Finding:
    attribution: Attribution
    verdict: Verdict
    reason: Reason
    score: float  # 0..100 alignment / support score of the best passage
    explanation: str
    evidence: Evidence | None = None
    differences: list[Difference] = field(default_factory=list)
    sources_tried: list[str] = field(default_factory=list)
    # how the source was found: "given" | "link" | "guardian_api" | "sitemap" | "gdelt" | "wayback"
    discovered_by: str | None = None
    candidate_url: str | None = None  # the original's URL (a discovered candidate, or the given source)
    alternatives: list[str] = field(default_factory=list)  # other discovery candidates, best first
    providers_tried: list[str] = field(default_factory=list)  # discovery providers asked

    def to_dict(self) -> dict[str, Any]:
        a = self.attribution
        return {
            "id": a.id,
            "kind": a.kind,
            "text": a.text,
            "sentence": a.sentence,
            "span": list(a.span),
            "outlet": a.outlet,
            "outlets": list(a.outlets),
            "outlet_from": a.outlet_from,
            "parts": [list(p) for p in a.parts],
            "speaker": a.speaker,
            "cue": a.cue,
            "fragments": list(a.fragments),
            "verdict": str(self.verdict),
            "reason": str(self.reason),
            "score": round(self.score, 1),
            "explanation": self.explanation,
            "evidence": asdict(self.evidence) if self.evidence else None,
            "differences": [asdict(d) for d in self.differences],
            "sources_tried": list(self.sources_tried),
            "discovered_by": self.discovered_by,
            "candidate_url": self.candidate_url,
            "alternatives": list(self.alternatives),
            "providers_tried": list(self.providers_tried),
        }


@dataclass
class Report:
    input: str
    findings: list[Finding] = field(default_factory=list)
    sources: list[SourceDocument] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        counts = {v.value: 0 for v in Verdict}
        for f in self.findings:
            counts[f.verdict.value] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "findings": [f.to_dict() for f in self.findings],
            "summary": self.summary,
        }
