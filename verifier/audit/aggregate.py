"""The run's running aggregate: verdict counts per (citing outlet, cited outlet) pair and per day,
and the worst misquotes (`misquote_rank`: a changed number or negation first)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from verifier.audit.plan import AGG_TOP_MISQUOTES
from verifier.models import Reason

# ------------------------------------------------------------------------------ aggregates


class Aggregate:
    """What the summary needs from one judge task: small, mergeable counts."""

    def __init__(self) -> None:
        self.pairs: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.pair_reasons: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.timeline: dict[str, Counter[str]] = defaultdict(Counter)
        self.totals: Counter[str] = Counter()
        self.worst: list[dict[str, Any]] = []

    def add_article(self, day: str) -> None:
        self.totals["articles"] += 1
        self.timeline[day]["articles"] += 1

    def add(self, row: dict[str, Any]) -> None:
        v = row["verdict"]
        self.totals["attributions"] += 1
        self.totals[v] += 1
        self.timeline[row["date"]][v] += 1
        if row["outlet"]:
            key = (row["citing_outlet"] or "", row["outlet"])
            c = self.pairs[key]
            c["attributions"] += 1
            c["linked"] += int(bool(row["linked"]))
            c[v] += 1
            self.pair_reasons[key][row["reason"]] += 1
        if misquote_rank(row) is not None:
            self.worst.append({k: row[k] for k in ("article_url", "citing_outlet", "outlet", "speaker", "kind", "text", "verdict",
                                                   "reason", "score", "explanation", "evidence", "differences", "date")})
            self.worst.sort(key=misquote_rank)  # type: ignore[arg-type]
            del self.worst[AGG_TOP_MISQUOTES:]

    def to_dict(self) -> dict[str, Any]:
        return {
            "pairs": [[a, b, dict(c), dict(self.pair_reasons[(a, b)])] for (a, b), c in sorted(self.pairs.items())],
            "timeline": {d: dict(c) for d, c in sorted(self.timeline.items())},
            "totals": dict(self.totals),
            "worst": self.worst,
        }


# A changed number or negation in a quote misleads most; then changed words; the closer the
# rest of the quote is to the source, the more it reads as the outlet's own words.
_SEVERITY = {Reason.NUMBER_DIFFERS.value: 0, Reason.NEGATION_DIFFERS.value: 0, Reason.WORDING_DIFFERS.value: 1,
             Reason.SPEAKER_DIFFERS.value: 2, Reason.MISATTRIBUTED.value: 2, Reason.FRAGMENT_MISSING.value: 3}


def misquote_rank(row: dict[str, Any]) -> tuple[int, int, float, str, str] | None:
    """Sort key of a misquote (lower is worse), or None when the finding is not one: a partial
    verdict whose source says something else than the article puts in its mouth."""
    if row["verdict"] != "partial" or row["reason"] not in _SEVERITY or row.get("evidence") is None:
        return None
    return (_SEVERITY[row["reason"]], 0 if row["kind"] == "quote" else 1, -float(row["score"]),
            row["article_url"], row.get("text") or "")
