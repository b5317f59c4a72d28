"""The library API: the whole pipeline behind two calls.

    read input -> find attributions -> resolve sources -> fetch -> extract -> match -> verdict -> report
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import httpx

from verifier.attributions.finder import find_attributions
from verifier.attributions.single_claim import claim_attribution
from verifier.extract.document import document_from_fetch
from verifier.fetch.client import FetchConfig, ProgressFn, fetch_many
from verifier.fetch.soft404 import soft_404
from verifier.fetch.store import EvidenceStore
from verifier.match.verdict import DocumentIndexCache, Thresholds, judge
from verifier.models import (
    ArticleText,
    Attribution,
    Finding,
    Origin,
    Reason,
    Report,
    SourceDocument,
    SourceRef,
    Verdict,
)
from verifier.registry import Registry, default_registry
from verifier.sources.discover.config import DiscoveryConfig
from verifier.sources.discover.core import (
    DiscoveryOutcome,
    Ports,
    annotate_findings,
    discover_for_article,
    make_context,
)
from verifier.sources.resolve import (
    LocalPolicy,
    SourceSpec,
    all_locations,
    refused_locations,
    resolve_sources,
)

SourcesArg = Mapping[str, str] | Iterable[str | SourceSpec] | None
# Pipeline events for live progress displays (the server's Server-Sent Events): on_event(kind, data)
# with kind "attributions" (what will be checked), "source" (a source fetched or read),
# "discovered" (discovery's pick for an attribution) and "verdict" (one finding). It runs on the
# checking thread, so keep it quick; an exception it raises aborts the run (a caller's way to stop
# a check past its deadline), except inside fetching, where it is logged and ignored.
EventFn = Callable[[str, dict[str, Any]], None]


@dataclass
class Options:
    """Everything a run can be tuned with; the CLI builds one of these from its flags."""

    offline: bool = False
    fetch: FetchConfig = field(default_factory=FetchConfig)
    registry: Registry | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    # What answers HTTP requests (httpx's model); None: the network, through the SSRF guard.
    # A replay (verifier.sources.discover.replay, `--replay`) answers from recorded pages.
    transport: httpx.AsyncBaseTransport | None = None
    store: EvidenceStore | None = None  # the evidence store (verifier.fetch.store.Store), when one is used
    # Find the cited original (Guardian API, news sitemaps, GDELT, Wayback) for attributions to an
    # outlet that come with no link or --source; see docs/discovery.md
    discover: bool = True
    discovery: DiscoveryConfig = field(default_factory=DiscoveryConfig)
    progress: ProgressFn | None = None  # called as sources finish fetching
    on_event: EventFn | None = None  # see EventFn above
    # Extracted documents and their match indexes kept across runs (a long-running server): a page
    # read again, with the same body, is not parsed and tokenised again. None: nothing is kept.
    documents: DocumentCache | None = None
    # Folders whose files links inside the article (and untrusted SourceSpecs) may name; nothing
    # else local is read from a link (verifier.sources.resolve.LocalPolicy). Empty: no local links at all.
    local_sources: tuple[str, ...] = ()


class DocumentCache:
    """Extracted SourceDocuments keyed by what they were extracted from (URL, final URL, content
    type and the body's sha256), and SourceIndexes keyed by the text they index. Both bounded
    (least recently used out first) and safe to share between threads; the same inputs always
    give the same document, so a cached one changes no verdict."""

    def __init__(self, size: int = 256) -> None:
        import threading
        from collections import OrderedDict

        self.size = size
        self._lock = threading.Lock()
        self._docs: OrderedDict[tuple[Any, ...], SourceDocument] = OrderedDict()
        self._indexes: OrderedDict[str, Any] = OrderedDict()

    @staticmethod
    def _key(res: Any) -> tuple[Any, ...] | None:
        if res.error is not None or not res.sha256:
            return None
        return (res.url or res.location, res.final_url, res.content_type, res.sha256)

    def document(self, res: Any, registry: Registry) -> SourceDocument:
        """The document for a FetchResult: a copy of the kept one, or freshly extracted."""
        from dataclasses import replace

        key = self._key(res)
        if key is not None:
            with self._lock:
                doc = self._docs.get(key)
                if doc is not None:
                    self._docs.move_to_end(key)
            if doc is not None:
                return replace(doc, location=res.location, url=res.url, final_url=res.final_url, status=res.status,
                               fetched_at=res.fetched_at, sha256=res.sha256, paragraphs=list(doc.paragraphs))
        doc = document_from_fetch(res, registry)
        if key is not None and doc.error is None:
            with self._lock:
                self._docs[key] = replace(doc, paragraphs=list(doc.paragraphs))
                while len(self._docs) > self.size:
                    self._docs.popitem(last=False)
        return doc

    def index_cache(self) -> DocumentIndexCache:
        """A DocumentIndexCache for one run that reuses the indexes of earlier runs."""
        return _SharedIndexCache(self)

    def index(self, text: str) -> Any:
        from verifier.match.quotes import index_text

        with self._lock:
            got = self._indexes.get(text)
            if got is not None:
                self._indexes.move_to_end(text)
                return got
        got = index_text(text)
        with self._lock:
            self._indexes[text] = got
            while len(self._indexes) > self.size:
                self._indexes.popitem(last=False)
        return got


class _SharedIndexCache(DocumentIndexCache):
    def __init__(self, shared: DocumentCache) -> None:
        super().__init__()
        self._shared = shared

    def get(self, doc: SourceDocument) -> Any:
        return self._shared.index(doc.text)


def _specs(sources: SourcesArg) -> list[SourceSpec]:
    if sources is None:
        return []
    if isinstance(sources, Mapping):
        return [SourceSpec(loc, name or None) for name, loc in sources.items()]
    out = []
    for s in sources:
        out.append(s if isinstance(s, SourceSpec) else SourceSpec.parse(s))
    return out


def fetch_documents(
    locations: list[str], options: Options | None = None
) -> dict[str, SourceDocument]:
    """Fetch and extract every location (concurrently); keyed by the location as given."""
    opts = options or Options()
    reg = opts.registry or default_registry()
    cfg = opts.fetch
    if opts.offline and not cfg.offline:
        cfg = FetchConfig(**{**cfg.__dict__, "offline": True})
    progress = opts.progress
    if opts.on_event is not None:
        progress = _source_events(opts.on_event, opts.progress)
    unique = list(dict.fromkeys(locations))
    results = fetch_many(unique, cfg, store=opts.store, progress=progress, transport=opts.transport)
    docs: dict[str, SourceDocument] = {}
    for loc in unique:
        res = results[loc]
        doc = opts.documents.document(res, reg) if opts.documents is not None else document_from_fetch(res, reg)
        if doc.ok:
            why = soft_404(doc)
            if why:  # a "page not found" template served with 200: the source is unavailable
                doc.error = why
        if opts.store is not None and res.url and res.error is None and not res.from_store:
            # keep the text the verdicts were computed from next to the evidence body
            try:
                opts.store.set_text(res.url, doc.text, res.sha256)
            except Exception:  # a broken store must not break verification (fetch logs it too)
                pass
        doc.location = loc
        docs[loc] = doc
    return docs


def _source_events(on_event: EventFn, inner: Any) -> Any:
    """A fetch ProgressFn that also reports each finished source as a "source" event."""

    def progress(done: int, total: int, location: str | None, result: Any) -> None:
        if inner is not None:
            inner(done, total, location, result)
        if result is not None:
            on_event("source", {
                "location": location, "ok": result.error is None,
                "error": result.error, "from_store": result.from_store, "done": done, "total": total,
            })

    return progress


def discovery_ports(options: Options) -> Ports:
    """What discovery needs from the pipeline: fetching and extracting pages, and judging one
    attribution against one document (with the default thresholds, as a candidate is picked)."""

    def score(a: Attribution, ref: SourceRef, doc: SourceDocument) -> Finding:
        return judge(a, [ref], {ref.location: doc})

    return Ports(documents=lambda urls: fetch_documents(urls, options), score=score)


def _discover(attributions: list[Attribution], article: ArticleText | None,
              mapping: dict[str, list[SourceRef]], opts: Options) -> DiscoveryOutcome:
    """Discovery for the attributions without a source, unless switched off or offline."""
    if not opts.discover:
        return DiscoveryOutcome(skipped="discovery disabled (--no-discover)")
    if opts.offline or opts.fetch.offline:
        return DiscoveryOutcome(skipped="discovery skipped in offline mode")
    return discover_for_article(attributions, article, mapping, make_context(opts), discovery_ports(opts))


def _emit(opts: Options, kind: str, data: dict[str, Any]) -> None:
    if opts.on_event is not None:
        opts.on_event(kind, data)


def verify_article(
    article: str | ArticleText,
    *,
    sources: SourcesArg = None,
    options: Options | None = None,
    input_name: str | None = None,
) -> Report:
    """Find every attribution in `article` (its text, or an `ArticleText` from `read_article`) and
    check each against its sources. `sources` is a mapping NAME -> LOCATION, or a list of
    "NAME=LOCATION" / bare "LOCATION" strings (URLs or file paths)."""
    opts = options or Options()
    reg = opts.registry or default_registry()
    art = article if isinstance(article, ArticleText) else ArticleText(article, input_name or "<text>", "txt")
    attributions = find_attributions(art, reg)
    return verify_attributions(attributions, art, sources=sources, options=opts, input_name=input_name)


def verify_attributions(
    attributions: list[Attribution],
    article: ArticleText | None = None,
    *,
    sources: SourcesArg = None,
    options: Options | None = None,
    input_name: str | None = None,
    refs: dict[str, list[SourceRef]] | None = None,
) -> Report:
    """Check already-found attributions (the middle of the pipeline, for callers who edit them).
    `refs` maps attribution ids to their sources when the caller has already decided them."""
    opts = options or Options()
    # one deadline for the whole run: discovery, fetching and matching share it
    opts = replace(opts, fetch=opts.fetch.run_deadline())
    reg = opts.registry or default_registry()
    _emit(opts, "attributions", {"count": len(attributions), "attributions": [
        {"id": a.id, "kind": a.kind, "outlet": a.outlet, "speaker": a.speaker, "text": a.text} for a in attributions
    ]})
    mapping = {aid: list(rs) for aid, rs in refs.items()} if refs is not None else resolve_sources(
        attributions, article, _specs(sources), reg, LocalPolicy.of(opts.local_sources))
    found = _discover(attributions, article, mapping, opts)
    for aid, added in found.sources.items():
        mapping.setdefault(aid, []).extend(added)
    for aid, d in found.by_attribution.items():
        _emit(opts, "discovered", {"id": aid, "url": d.ref.location if d.ref else None,
                                   "provider": d.ref.provider if d.ref else None, "tried": list(d.tried)})
    cited = all_locations(mapping)
    documents = fetch_documents([c for c in cited if c not in found.documents], opts)
    documents.update(found.documents)
    refused = refused_locations(mapping)
    for loc, why in refused.items():  # nothing is read from these
        documents.setdefault(loc, SourceDocument(location=loc, error=f"refused: {why}"))
    cache = opts.documents.index_cache() if opts.documents is not None else DocumentIndexCache()
    # the article's date places its relative times ("last year") against a source's absolute ones
    article_date = opts.discovery.article_date or (article.published if article else None)
    findings = []
    # Matching is cheap next to fetching, so sources read in time are judged even when the fetch
    # stage ended at the deadline; past a short grace the rest are reported as not checked.
    deadline = opts.fetch.deadline or 0.0
    grace = max(1.0, 0.1 * deadline)
    for a in attributions:
        remaining = opts.fetch.remaining()
        if remaining is not None and remaining + grace <= 0:
            findings.append(Finding(
                a, Verdict.UNVERIFIED, Reason.SOURCE_UNAVAILABLE, 0.0,
                f"Not checked: the run's deadline ({deadline:g}s) was reached before this attribution.",
                sources_tried=[r.location for r in mapping[a.id]]))
            continue
        f = judge(a, mapping[a.id], documents, cited=cited, cache=cache, thresholds=opts.thresholds,
                  article_date=article_date)
        findings.append(f)
        _emit(opts, "verdict", {"id": a.id, "verdict": f.verdict.value, "reason": f.reason.value,
                                "score": round(f.score, 1), "outlet": a.outlet, "speaker": a.speaker})
    for f in findings:
        own = mapping[f.attribution.id]
        if f.reason is Reason.SOURCE_UNAVAILABLE and own and all(r.refused for r in own):
            f.reason = Reason.SOURCE_REFUSED
            f.explanation = "Source refused, nothing was read: " + "; ".join(
                dict.fromkeys(f"{r.location}: {r.refused}" for r in own)) + "."
    findings = annotate_findings(findings, mapping, found)
    name = input_name or (article.source if article else "<text>")
    return Report(name, findings, list(documents.values()))


def verify_claim(
    text: str,
    *,
    sources: SourcesArg,
    outlet: str | None = None,
    speaker: str | None = None,
    options: Options | None = None,
) -> Report:
    """Check one quote or claim. Text wrapped in quotation marks is a quote; a sentence with a
    reporting frame ("X said: “…”", "X told the FT that …") is read as that attribution, its
    speaker checked as the speaker; anything else is a claim (whose own quoted words are checked
    verbatim as fragments). `outlet` and `speaker` say who it is attributed to."""
    opts = options or Options()
    reg = opts.registry or default_registry()
    a = claim_attribution(text, reg, speaker=speaker, outlet=outlet)
    # every source given for a single claim is that claim's source, whatever its NAME, and whether
    # or not the outlet is in the registry: nothing is left for discovery to look for
    refs = [SourceRef(s.location, Origin.GIVEN, s.name) for s in _specs(sources)]
    return verify_attributions([a], None, options=opts, input_name="<claim>", refs={a.id: refs})
