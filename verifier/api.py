"""The library API: the whole pipeline behind two calls.

    read input -> find attributions -> resolve sources -> fetch -> extract -> match -> verdict -> report
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from .attributions import find_attributions
from .discover.config import DiscoveryConfig
from .extract import document_from_fetch
from .fetch import FetchConfig, fetch_many
from .models import ArticleText, Attribution, Finding, Reason, Report, SourceDocument, Verdict
from .registry import Registry, default_registry
from .soft404 import soft_404
from .sources import LocalPolicy, SourceSpec, all_locations, refused_locations, resolve_sources
from .verdict import DocumentIndexCache, Thresholds, judge

SourcesArg = Mapping[str, str] | Iterable[str | SourceSpec] | None


@dataclass
class Options:
    """Everything a run can be tuned with; the CLI builds one of these from its flags."""

    offline: bool = False
    fetch: FetchConfig = field(default_factory=FetchConfig)
    registry: Registry | None = None
    thresholds: Thresholds = field(default_factory=Thresholds)
    # Replay map: a URL (or URL prefix ending in "/") -> the location fetched in its place.
    # Lets tests and demos serve an outlet's pages from fixtures or a loopback server.
    url_map: dict[str, str] = field(default_factory=dict)
    store: object | None = None  # verifier.store.Store, when the evidence store is used
    # Find the cited original (Guardian API, news sitemaps, GDELT, Wayback) for attributions to an
    # outlet that come with no link or --source; see docs/discovery.md
    discover: bool = True
    discovery: DiscoveryConfig = field(default_factory=DiscoveryConfig)
    progress: object | None = None  # verifier.fetch.ProgressFn: called as sources finish fetching
    # Folders whose files links inside the article (and untrusted SourceSpecs) may name; nothing
    # else local is read from a link (verifier.sources.LocalPolicy). Empty: no local links at all.
    local_sources: tuple[str, ...] = ()


def _specs(sources: SourcesArg) -> list[SourceSpec]:
    if sources is None:
        return []
    if isinstance(sources, Mapping):
        return [SourceSpec(loc, name or None) for name, loc in sources.items()]
    out = []
    for s in sources:
        out.append(s if isinstance(s, SourceSpec) else SourceSpec.parse(s))
    return out


def _mapped(location: str, url_map: Mapping[str, str]) -> str:
    if location in url_map:
        return url_map[location]
    for prefix, target in url_map.items():
        if prefix.endswith("/") and location.startswith(prefix):
            return target + location[len(prefix) :]
    return location


def fetch_documents(
    locations: list[str], options: Options | None = None
) -> dict[str, SourceDocument]:
    """Fetch and extract every location (concurrently); keyed by the location as given."""
    opts = options or Options()
    reg = opts.registry or default_registry()
    cfg = opts.fetch
    if opts.offline and not cfg.offline:
        cfg = FetchConfig(**{**cfg.__dict__, "offline": True})
    targets = {loc: _mapped(loc, opts.url_map) for loc in locations}
    results = fetch_many(
        list(dict.fromkeys(targets.values())), cfg, store=opts.store, progress=opts.progress  # type: ignore[arg-type]
    )
    docs: dict[str, SourceDocument] = {}
    for loc, target in targets.items():
        res = results[target]
        doc = document_from_fetch(res, reg)
        if doc.ok:
            why = soft_404(doc)
            if why:  # a "page not found" template served with 200: the source is unavailable
                doc.error = why
        if opts.store is not None and res.url and res.error is None and not res.from_store:
            # keep the text the verdicts were computed from next to the evidence body
            try:
                opts.store.set_text(res.url, doc.text, res.sha256)  # type: ignore[attr-defined]
            except Exception:  # a broken store must not break verification (fetch logs it too)
                pass
        doc.location = loc
        if target != loc and "://" in loc:
            # replayed: report the original URL, and its outlet, not the replay location
            doc.url = loc
            doc.final_url = loc
            if doc.outlet is None:
                o = reg.for_url(loc)
                doc.outlet = o.name if o else None
        docs[loc] = doc
    return docs


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
) -> Report:
    """Check already-found attributions (the middle of the pipeline, for callers who edit them)."""
    opts = options or Options()
    # one deadline for the whole run: discovery, fetching and matching share it
    opts = replace(opts, fetch=opts.fetch.run_deadline())
    reg = opts.registry or default_registry()
    mapping = resolve_sources(attributions, article, _specs(sources), reg, LocalPolicy.of(opts.local_sources))
    from .discover import annotate_findings, discover_for_article

    found = discover_for_article(attributions, article, mapping, opts)
    cited = all_locations(mapping)
    documents = fetch_documents([c for c in cited if c not in found.documents], opts)
    documents.update(found.documents)
    refused = refused_locations(mapping)
    for loc, why in refused.items():  # nothing is read from these
        documents.setdefault(loc, SourceDocument(location=loc, error=f"refused: {why}"))
    cache = DocumentIndexCache()
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
        findings.append(judge(a, mapping[a.id], documents, cited=cited, cache=cache, thresholds=opts.thresholds))
    for f in findings:
        own = mapping[f.attribution.id]
        if f.reason is Reason.SOURCE_UNAVAILABLE and own and all(r.refused for r in own):
            f.reason = Reason.SOURCE_REFUSED
            f.explanation = "Source refused, nothing was read: " + "; ".join(
                dict.fromkeys(f"{r.location}: {r.refused}" for r in own)) + "."
    annotate_findings(findings, mapping, found)
    name = input_name or (article.source if article else "<text>")
    return Report(name, findings, list(documents.values()))


_QUOTE_WRAP = re.compile(r"^\s*[\"“«‘'„](?P<q>.+?)[\"”»’'“]\s*$", re.S)


def verify_claim(
    text: str,
    *,
    sources: SourcesArg,
    outlet: str | None = None,
    speaker: str | None = None,
    options: Options | None = None,
) -> Report:
    """Check one quote or claim. Text wrapped in quotation marks is a quote, anything else a claim
    (whose own quoted words are checked verbatim as fragments)."""
    opts = options or Options()
    reg = opts.registry or default_registry()
    m = _QUOTE_WRAP.match(text)
    if m:
        body, kind, fragments = m.group("q").strip(), "quote", []
    else:
        body, kind = text.strip(), "claim"
        fragments = [f.strip(" ,.;:") for f in re.findall(r"[“\"«]([^”\"»]+)[”\"»]", body)]
    canonical = reg.find(outlet) if outlet else None
    start = text.find(body)
    a = Attribution(
        id="a1",
        kind=kind,
        text=body,
        span=(start, start + len(body)),
        sentence=text.strip(),
        cue="",
        outlet=canonical.name if canonical else outlet,
        speaker=speaker,
        fragments=[f for f in fragments if f],
        sentence_span=(0, len(text)),
    )
    specs = _specs(sources)
    # every source given for a single claim is that claim's source, whatever its NAME
    specs = [SourceSpec(s.location, None) if not s.name else s for s in specs]
    if outlet:
        specs = [SourceSpec(s.location, s.name or outlet) for s in specs]
    return verify_attributions([a], None, sources=specs, options=opts, input_name="<claim>")
