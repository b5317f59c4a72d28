"""Discovery: find the cited original of an attribution that came with no source.

    attribution -> Query -> providers (Guardian API, news sitemaps, GDELT) -> ranked candidates
    -> fetch the top few (Wayback copy when paywalled or gone) -> verify each -> keep the best

Fetching pages and judging an attribution against one are the pipeline's jobs: it hands them in
as `Ports` (two callables), so discovery never imports the orchestrator or the verdict stage. It
returns what it chose (`DiscoveryOutcome`, `Discovery`); the pipeline adds the chosen sources to
its own state.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from verifier.fetch.client import FetchConfig
from verifier.models import (
    ArticleText,
    Attribution,
    Finding,
    Origin,
    Reason,
    SourceDocument,
    SourceRef,
    Verdict,
)
from verifier.registry import Registry, default_registry
from verifier.sources.discover.config import DiscoveryConfig
from verifier.sources.discover.gdelt import GdeltProvider
from verifier.sources.discover.guardian import GuardianProvider
from verifier.sources.discover.http import Context
from verifier.sources.discover.query import article_date, build_query
from verifier.sources.discover.rank import rank
from verifier.sources.discover.sitemap import SitemapProvider
from verifier.sources.discover.types import Candidate, Provider, ProviderError, Query
from verifier.sources.discover.wayback import closest_snapshot

log = logging.getLogger("verifier.sources.discover")

PROVIDERS: dict[str, type] = {
    "guardian_api": GuardianProvider,
    "sitemap": SitemapProvider,
    "gdelt": GdeltProvider,
}


@dataclass(frozen=True)
class Ports:
    """What discovery needs from the pipeline, passed in rather than imported."""

    # fetch and extract these URLs (concurrently); documents keyed by the URL as given
    documents: Callable[[list[str]], dict[str, SourceDocument]]
    # judge one attribution against one candidate source and the document read from it
    score: Callable[[Attribution, SourceRef, SourceDocument], Finding]


@dataclass
class Discovery:
    """What discovery found for one attribution."""

    attribution_id: str
    query: Query | None = None
    candidates: list[Candidate] = field(default_factory=list)  # ranked
    chosen: Candidate | None = None
    ref: SourceRef | None = None  # the source added for the attribution
    alternatives: list[str] = field(default_factory=list)  # other candidate URLs, best first
    tried: list[str] = field(default_factory=list)  # "guardian_api: 3 candidates", "gdelt: rate limited ..."
    documents: dict[str, SourceDocument] = field(default_factory=dict)
    archived: str | None = None  # why the Wayback copy was used, when it was

    @property
    def providers_tried(self) -> list[str]:
        return [t.split(":", 1)[0] for t in self.tried]


@dataclass
class DiscoveryOutcome:
    """Discovery over a whole article: per attribution, plus every document already read."""

    by_attribution: dict[str, Discovery] = field(default_factory=dict)
    documents: dict[str, SourceDocument] = field(default_factory=dict)
    # the sources discovery adds, per attribution id, in order (the caller appends them)
    sources: dict[str, list[SourceRef]] = field(default_factory=dict)
    skipped: str | None = None  # why discovery did not run (offline, disabled)
    date: date | None = None
    date_from: str = ""


def make_context(options: Any = None, registry: Registry | None = None) -> Context:
    """The providers' context from a run's options (`verifier.pipeline.Options`, or anything with
    its `discovery`, `registry`, `fetch`, `store` and `transport` attributes)."""
    cfg: DiscoveryConfig = getattr(options, "discovery", None) or DiscoveryConfig()
    fetch = getattr(options, "fetch", None)
    return Context(
        config=cfg,
        registry=registry or getattr(options, "registry", None) or default_registry(),
        fetch=fetch if fetch is not None else FetchConfig(),
        store=getattr(options, "store", None),
        transport=getattr(options, "transport", None),
    )


def providers_for(ctx: Context) -> list[Provider]:
    out: list[Provider] = []
    for name in ctx.config.providers:
        cls = PROVIDERS.get(name)
        if cls is None:
            log.warning("unknown discovery provider %r ignored", name)
            continue
        out.append(cls(ctx))
    return out


def find_candidates(query: Query, ctx: Context, providers: list[Provider] | None = None) -> tuple[list[Candidate], list[str]]:
    """Ask each applicable provider in turn (stopping once a candidate is good enough); return the
    ranked candidates and one line per provider tried."""
    found: list[Candidate] = []
    tried: list[str] = []
    ranked: list[Candidate] = []
    for p in providers if providers is not None else providers_for(ctx):
        if not p.applies(query):
            continue
        if _out_of_time(ctx):
            tried.append(f"{p.name}: deadline reached")
            continue
        try:
            got = p.candidates(query)
        except ProviderError as e:
            tried.append(f"{p.name}: {e.message.removeprefix(p.name + ': ')}")
            continue
        except Exception as e:  # a provider bug must not sink the run
            tried.append(f"{p.name}: internal error {type(e).__name__}: {e}"[:200])
            continue
        found.extend(got)
        ranked = rank(query, list(found), ctx.registry)
        usable = sum(1 for c in ranked if c.provider == p.name)
        tried.append(f"{p.name}: {usable} candidate{'s' if usable != 1 else ''}"
                     + (f" ({len(got)} returned)" if len(got) != usable else ""))
        if ranked and ranked[0].score >= ctx.config.good_enough:
            break
    return ranked, tried


def _body_document(c: Candidate) -> SourceDocument:
    """A document straight from a provider's body text (Guardian bodyText): no page fetch."""
    paras = [p.strip() for p in re.split(r"\n\s*\n|\n", c.body) if p.strip()]
    return SourceDocument(
        location=c.url, url=c.url, final_url=c.url, status=200, outlet=c.outlet, title=c.title,
        standfirst=c.standfirst or None, published=c.published.isoformat() if c.published else None,
        paragraphs=paras, method="guardian-api", sha256=hashlib.sha256(c.body.encode()).hexdigest(),
    )


def _unusable(doc: SourceDocument) -> str | None:
    if not doc.ok:
        return f"the original could not be read ({doc.error})"
    if not doc.paragraphs:
        return "the original had no article text"
    if doc.paywalled:
        return "the original is paywalled"
    return None


def _rescue(ctx: Context, c: Candidate, why: str, ports: Ports, tried: list[str]) -> tuple[str, SourceDocument] | None:
    """The closest Wayback snapshot of a paywalled or dead candidate, when it reads better."""
    try:
        snap = closest_snapshot(ctx, c.url, c.published)
    except ProviderError as e:
        tried.append(f"wayback: {e.message.removeprefix('Wayback: ')}")
        return None
    if snap is None:
        tried.append(f"wayback: no snapshot of {c.url}")
        return None
    ts, raw = snap
    doc = ports.documents([raw])[raw]
    if doc.ok and doc.paragraphs and not doc.paywalled:
        tried.append(f"wayback: snapshot {ts} used ({why})")
        return ts, doc
    tried.append(f"wayback: snapshot {ts} not usable ({_unusable(doc) or 'paywalled'})")
    return None


def discover_sources(
    a: Attribution,
    article: ArticleText | None,
    ctx: Context,
    ports: Ports,
    *,
    on_date: date | None = None,
    providers: list[Provider] | None = None,
    read: Callable[[Candidate], SourceDocument] | None = None,
) -> Discovery:
    """Find, fetch and verify candidates for one attribution; the best becomes `Discovery.ref`.

    `providers` replaces the configured ones and `read` gives a candidate's document instead of
    fetching it (`verifier audit` searches an archive it already holds this way)."""
    cfg = ctx.config
    day = on_date or article_date(article, cfg.article_date)[0]
    query = build_query(a, ctx.registry, day, days_before=cfg.days_before, days_after=cfg.days_after)
    result = Discovery(a.id, query)
    ranked, result.tried = find_candidates(query, ctx, providers)
    result.candidates = ranked
    top = ranked[: max(1, cfg.max_fetch)]
    if not top:
        return result
    best: tuple[Any, ...] | None = None
    for c in top:
        if best is not None and _out_of_time(ctx):
            break  # keep what was verified in time
        # candidates come best first and the pick is (verdict, candidate score): once one is
        # confirmed no later candidate can beat it, so stop fetching
        if read is not None:
            doc = read(c)
        else:
            doc = _body_document(c) if c.body else ports.documents([c.url])[c.url]
        loc = c.url
        archived = None
        why = _unusable(doc)
        if why and cfg.wayback:
            rescued = _rescue(ctx, c, why, ports, result.tried)
            if rescued:
                ts, doc = rescued
                loc = doc.location
                c.archived_url = loc
                archived = f"{why}; read from the Wayback Machine snapshot of {ts[:4]}-{ts[4:6]}-{ts[6:8]}"
        provider = "wayback" if archived else c.provider
        ref = SourceRef(loc, Origin.DISCOVERED, None, provider=provider)
        f = ports.score(a, ref, doc)
        key = (Verdict(f.verdict).rank, round(c.score, 1), f.score)
        if best is None or key > best[0]:
            best = (key, c, ref, doc, archived)
        if f.verdict is Verdict.CONFIRMED:
            break
    assert best is not None
    _, c, ref, doc, archived = best
    result.chosen, result.ref, result.archived = c, ref, archived
    result.documents[ref.location] = doc
    result.alternatives = [x.url for x in ranked if x is not c][:5]
    return result


def discover_for_article(
    attributions: list[Attribution],
    article: ArticleText | None,
    sources: Mapping[str, list[SourceRef]],
    ctx: Context,
    ports: Ports,
) -> DiscoveryOutcome:
    """Run discovery for every attribution that names an outlet (or is collective) and has no
    source in `sources` (which is not changed); `DiscoveryOutcome.sources` says what to add."""
    out = DiscoveryOutcome()
    out.date, out.date_from = article_date(article, ctx.config.article_date)
    for a in attributions:
        if sources.get(a.id) or a.collective or not a.outlet:
            continue
        if _out_of_time(ctx):
            out.by_attribution[a.id] = Discovery(a.id, tried=["discovery: deadline reached"])
            continue
        d = discover_sources(a, article, ctx, ports, on_date=out.date)
        out.by_attribution[a.id] = d
        if d.ref is not None:
            out.sources.setdefault(a.id, []).append(d.ref)
            out.documents.update(d.documents)
    for a in attributions:
        if not a.collective or sources.get(a.id):
            continue
        found = [d for d in out.by_attribution.values() if d.ref is not None]
        if not found and _out_of_time(ctx):
            out.by_attribution[a.id] = Discovery(a.id, tried=["discovery: deadline reached"])
            continue
        if not found:
            d = discover_sources(a, article, ctx, ports, on_date=out.date)
            out.by_attribution[a.id] = d
            if d.ref is not None:
                out.documents.update(d.documents)
                found = [d]
        refs = out.sources.setdefault(a.id, [])
        for d in found:
            assert d.ref is not None
            if all(r.location != d.ref.location for r in refs):
                refs.append(SourceRef(d.ref.location, d.ref.origin, None, provider=d.ref.provider))
    return out


def _out_of_time(ctx: Context) -> bool:
    remaining = ctx.fetch.remaining()
    return remaining is not None and remaining <= 0


# ----------------------------------------------------------------------------- findings

# How a provider call ends when the network (or the run's time) is the problem rather than the
# provider's answer: no provider could say whether the original exists.
_UNREACHABLE = ("could not resolve host", "connection refused", "connection failed", "network unreachable",
                "timed out", "deadline reached", "TLS error", "connection broken")


def _unreachable(tried: list[str]) -> bool:
    outcomes = [t.split(":", 1)[1].strip() if ":" in t else t for t in tried]
    return bool(outcomes) and all(any(k in o for k in _UNREACHABLE) for o in outcomes)

def _discovered_by(ref: SourceRef | None) -> str:
    """Finding.discovered_by: the discovery provider, "link", or "given"."""
    if ref is not None and ref.origin is Origin.DISCOVERED:
        return ref.provider or Origin.DISCOVERED.value
    return "link" if ref is not None and ref.origin is Origin.LINK else "given"


def annotate_findings(
    findings: list[Finding],
    mapping: Mapping[str, list[SourceRef]],
    outcome: DiscoveryOutcome | None,
) -> list[Finding]:
    """The findings (copies; the given ones are not changed), each saying how its source was found
    (discovered_by, candidate URL, alternatives), and on no_source findings which providers were
    tried."""
    origins: dict[str, SourceRef] = {}  # location -> the ref that brought it in (not a CITED copy)
    for refs in mapping.values():
        for r in refs:
            if r.origin is not Origin.CITED:
                origins.setdefault(r.location, r)
    by_loc: dict[str, Discovery] = {}
    if outcome:
        for d in outcome.by_attribution.values():
            if d.ref is not None:
                by_loc.setdefault(d.ref.location, d)
    annotated: list[Finding] = []
    for f in findings:
        f = replace(f)
        annotated.append(f)
        a = f.attribution
        refs = mapping.get(a.id, [])
        d_own = outcome.by_attribution.get(a.id) if outcome else None
        if not refs:
            if outcome is None:
                continue
            if outcome.skipped and (a.outlet or a.collective):
                f.explanation += f" ({outcome.skipped}.)"
            elif d_own is not None:
                f.providers_tried = [p for p in d_own.providers_tried if p != "discovery"]
                tried = "; ".join(d_own.tried) or "no provider applies to this outlet"
                if _unreachable(d_own.tried):
                    # nothing says the original does not exist: the search itself could not run
                    why = "deadline reached" if all("deadline" in t for t in d_own.tried) else "network unreachable"
                    f.reason = Reason.SOURCE_UNAVAILABLE
                    f.explanation = (
                        f"Could not search for the original of {a.outlet or a.cue or 'this attribution'} ({why}):"
                        f" no discovery provider answered (tried: {tried})."
                    )
                    continue
                f.explanation = (
                    f"No source found for {a.outlet or a.cue or 'this attribution'}: the article gives no"
                    f" link, none was passed with --source, and discovery found no matching article"
                    f" (tried: {tried})."
                )
            continue
        used = None
        if f.evidence is not None:
            used = next((r for r in refs if r.location == f.evidence.url), None)
        used = used or refs[0]
        f.discovered_by = _discovered_by(used if used.origin is not Origin.CITED else origins.get(used.location))
        d = by_loc.get(used.location)
        if d is not None and d.chosen is not None:
            f.candidate_url = d.chosen.url
            f.alternatives = list(d.alternatives)
            f.providers_tried = d.providers_tried
            how = d.chosen.provider
            note = f" Source found by discovery ({how}): {d.chosen.url}"
            if d.archived:
                note += f"; an archived copy was used because {d.archived} ({used.location})"
            f.explanation += note + "."
        else:
            f.candidate_url = used.location
    return annotated
