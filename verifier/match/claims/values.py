"""Dates, durations, relative times, vague quantities and ordered pairs compared as values."""

from __future__ import annotations

from verifier import lexicon

# A claim with less than this share of its content in the best passage is about something else.
from verifier.match.claims.index import ClaimIndex, _in_range, _span, _sub_analysed, _window_tokens
from verifier.match.claims.shape import _Found
from verifier.match.elements import (
    ClaimShape,
)
from verifier.models import Difference, Reason


def _durations(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
               problems: list) -> None:
    """Spans of time compare as values: "nearly 18 months" is "almost a year and a half"."""
    from verifier.match.elements import durations

    s0, s1 = _window_tokens(main, ix)
    sub = _sub_analysed(ix, s0, s1)
    # durations: "18 months" = "a year and a half"; their number and unit words are accounted for
    s_durs = durations(sub)
    for d in sh.durations:
        same = [x for x in s_durs if abs(x.days - d.days) <= 0.02 * max(d.days, 1)]
        if same:
            for e in sh.elements:
                if d.start <= e.index < d.end and found[e.index].status != "strong":
                    found[e.index].status = "strong"
                    found[e.index].positions = [s0 + same[0].start]
            # the claim's approximator must be true of the source's figure
            if d.approximator in ("over", "under") and same[0].approximator not in (d.approximator,):
                problems.append((Reason.QUANTITY_DIFFERS, "the claim's approximation differs from the source's",
                                 Difference(_span(sh.analysed, d.start, d.end), "", "number")))
        else:
            # a weaker bound is entailed: "more than 20 years" by the source's "more than 30 years"
            # (never a stronger one, nor an exact figure: "30 years" is not "more than three years")
            weaker = [x for x in s_durs if x.approximator == d.approximator == "over" and d.days <= x.days
                      or x.approximator == d.approximator == "under" and d.days >= x.days]
            if weaker:
                for e in sh.elements:
                    if d.start <= e.index < d.end:
                        found[e.index].status = "strong"
                        found[e.index].positions = [s0 + weaker[0].start]


def _values(sh: ClaimShape, found: dict[int, _Found], main: dict[int, tuple[int, int]], ix: ClaimIndex,
            problems: list, article_date: str | None = None) -> None:
    """Durations, relative times, vague quantities, ordered pairs and temporal relations."""
    from verifier.match.elements import number_pairs, relative_times, vague_quantities

    # relative times, vague quantities and pairs are read in the claim's own sentences only
    m0 = ix.sentences[min(span[0] for span in main.values())][0]
    m1 = ix.sentences[max(span[1] for span in main.values())][1]
    own = _sub_analysed(ix, m0, m1)
    # relative times: "last week" is not "last month" nor "this week"
    s_rel = relative_times(own)
    for r in sh.relative_times:
        if any(x.unit == r.unit and x.offset == r.offset for x in s_rel):
            continue
        if r.unit == "year" and article_date and article_date[:4].isdigit():
            # "last year" in an article of 2025 is "2024" in a source
            year = str(int(article_date[:4]) + r.offset)
            if any(own.tokens[k].norm == year for k in range(len(own.tokens))):
                continue
        other = [x for x in s_rel if x.unit == r.unit or x.offset == r.offset]
        art = _span(sh.analysed, r.start, r.end)
        src = _span(own, other[0].start, other[0].end) if other else ""
        problems.append((Reason.DATE_DIFFERS, f"article '{art}' vs source '{src or 'no such time'}'",
                         Difference(art, src, "date")))
    # vague quantities: hundreds < thousands
    s_vague = vague_quantities(own)
    for v in sh.vague:
        if s_vague and not any(x.magnitude == v.magnitude for x in s_vague):
            art = _span(sh.analysed, v.start, v.end)
            src = _span(own, s_vague[0].start, s_vague[0].end)
            problems.append((Reason.QUANTITY_DIFFERS, f"article '{art}' vs source '{src}'", Difference(art, src, "quantity")))
            for e in sh.elements:
                if v.start <= e.index < v.end and found[e.index].status in ("absent", "weak"):
                    found[e.index].status = "substituted"
    # ordered pairs keep their direction: "30 to 12" is not "12 to 30"
    s_pairs = number_pairs(own)
    for pr in sh.pairs:
        if any((x.first, x.second) == (pr.second, pr.first) and pr.first != pr.second for x in s_pairs) and not any(
                (x.first, x.second) == (pr.first, pr.second) for x in s_pairs):
            art = _span(sh.analysed, pr.start, pr.end + 1)
            problems.append((Reason.ROLES_DIFFER, f"the figures are the other way round in the source ({art})",
                             Difference(art, f"{pr.second} to {pr.first}", "roles")))
    # temporal relations: "after he left office" is not "while he was in office"
    sem = lexicon.semantics()
    c_rel = {sem.temporal_relations[w] for k, w in enumerate(sh.analysed.words) if w in sem.temporal_relations
             and not _in_range(sh, k)}
    s_rel_cls = {sem.temporal_relations[w] for k, w in enumerate(own.words) if w in sem.temporal_relations}
    for cls in c_rel - s_rel_cls:
        if not s_rel_cls:
            continue  # the source places nothing in time here; the claim's own words decide
        words = [w for w in sh.analysed.words if sem.temporal_relations.get(w) == cls]
        problems.append((Reason.DATE_DIFFERS, f"the source does not place it '{words[0]}' the same way",
                         Difference(words[0], " / ".join(sorted(s_rel_cls)) or "", "date")))
