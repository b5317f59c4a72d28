"""Measure the verifier on labelled cases: `verifier eval [DIR]`.

A case is a folder with `case.toml` (or `expected.toml`): the article, its sources, an optional
replay map of linked URLs to local pages or failures, and one `[[expect]]` per attribution the
article contains. Linked URLs are served from a loopback replay server, so the real fetch stage runs.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.match.normalize import clean_chars
from verifier.models import Attribution, Finding, Reason, Report, Verdict
from verifier.registry import Registry, default_registry

CASE_FILES = ("case.toml", "expected.toml")


@dataclass
class Expectation:
    text: str
    kind: str
    outlet: str
    speaker: str
    verdict: str
    reason: str
    note: str = ""


@dataclass
class Case:
    name: str
    dir: Path
    article: Path
    date: str | None
    description: str
    sources: list[str]  # "NAME=path" or "path", paths absolute
    replay: dict[str, str]  # URL -> absolute file path or "status:NNN"/"timeout"
    expect: list[Expectation]


@dataclass
class Outcome:
    case: str
    expected: Expectation | None
    finding: Finding | None
    outlet_ok: bool | None = None
    speaker_ok: bool | None = None

    @property
    def got_verdict(self) -> str:
        return self.finding.verdict.value if self.finding else "missing"

    @property
    def got_reason(self) -> str:
        return self.finding.reason.value if self.finding else "missing"


@dataclass
class EvalResult:
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    round_trips: list[Any] = field(default_factory=list)  # verifier.match.roundtrip.RoundTrip

    def round_trip_failures(self) -> list[Any]:
        return [r for r in self.round_trips if not r.ok]

    # ---- metrics
    @property
    def labelled(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.expected is not None]

    @property
    def extra(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.expected is None]

    def accuracy(self) -> float:
        lab = self.labelled
        return sum(o.got_verdict == o.expected.verdict for o in lab) / len(lab) if lab else 0.0

    def reason_accuracy(self) -> float:
        lab = self.labelled
        return sum(o.got_reason == o.expected.reason for o in lab) / len(lab) if lab else 0.0

    def false_confirms(self) -> list[Outcome]:
        return [o for o in self.labelled if o.got_verdict == "confirmed" and o.expected.verdict != "confirmed"]

    def extraction(self) -> dict[str, float]:
        lab = self.labelled
        found = sum(1 for o in lab if o.finding is not None)
        recall = found / len(lab) if lab else 0.0
        total_found = found + len(self.extra)
        precision = found / total_found if total_found else 0.0
        matched = [o for o in lab if o.finding is not None]
        outlet = sum(1 for o in matched if o.outlet_ok) / len(matched) if matched else 0.0
        speaker = sum(1 for o in matched if o.speaker_ok) / len(matched) if matched else 0.0
        return {"recall": recall, "precision": precision, "outlet_accuracy": outlet, "speaker_accuracy": speaker}

    def confusion(self) -> dict[str, dict[str, int]]:
        rows: dict[str, Counter[str]] = {}
        for o in self.labelled:
            rows.setdefault(o.expected.verdict, Counter())[o.got_verdict] += 1
        return {k: dict(v) for k, v in rows.items()}

    def reason_recall(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for r in Reason:
            items = [o for o in self.labelled if o.expected.reason == r.value]
            if items:
                hit = sum(o.got_reason == r.value for o in items)
                out[r.value] = {"n": len(items), "recall": hit / len(items)}
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": len({o.case for o in self.outcomes}),
            "labelled": len(self.labelled),
            "accuracy": self.accuracy(),
            "reason_accuracy": self.reason_accuracy(),
            "confusion": self.confusion(),
            "reason_recall": self.reason_recall(),
            "extraction": self.extraction(),
            "false_confirms": [_outcome_dict(o) for o in self.false_confirms()],
            "mismatches": [
                _outcome_dict(o)
                for o in self.labelled
                if o.got_verdict != o.expected.verdict or o.got_reason != o.expected.reason
            ],
            "unlabelled_found": [
                {"case": o.case, "text": o.finding.attribution.text, "kind": o.finding.attribution.kind}
                for o in self.extra
                if o.finding
            ],
            "round_trips": {
                "verbatim": sum(1 for r in self.round_trips if r.kind == "verbatim"),
                "verbatim_confirmed": sum(1 for r in self.round_trips if r.kind == "verbatim" and r.ok),
                "altered": sum(1 for r in self.round_trips if r.kind != "verbatim"),
                "altered_confirmed": sum(1 for r in self.round_trips if r.kind != "verbatim" and not r.ok),
                "failures": [
                    {"page": r.page, "kind": r.kind, "text": r.text, "got": f"{r.finding.verdict}/{r.finding.reason}"}
                    for r in self.round_trip_failures()
                ],
            },
            "errors": self.errors,
        }


def _outcome_dict(o: Outcome) -> dict[str, Any]:
    e = o.expected
    return {
        "case": o.case,
        "text": e.text if e else (o.finding.attribution.text if o.finding else ""),
        "expected": f"{e.verdict}/{e.reason}" if e else None,
        "got": f"{o.got_verdict}/{o.got_reason}",
        "explanation": o.finding.explanation if o.finding else "attribution not found in the article",
        "note": e.note if e else "",
    }


# ------------------------------------------------------------------------------------- loading


def load_case(path: Path) -> Case:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    base = path.parent
    sources = []
    for s in data.get("sources", []):
        loc = s["location"]
        if "://" not in loc:
            loc = str((base / loc).resolve())
        sources.append(f"{s['name']}={loc}" if s.get("name") else loc)
    replay = {}
    for url, spec in data.get("replay", {}).items():
        replay[url] = spec if spec.startswith("status:") or spec in ("timeout",) else str((base / spec).resolve())
    expect = [
        Expectation(
            text=e["text"], kind=e.get("kind", ""), outlet=e.get("outlet", ""), speaker=e.get("speaker", ""),
            verdict=e["verdict"], reason=e["reason"], note=e.get("note", ""),
        )
        for e in data.get("expect", [])
    ]
    name = base.name
    return Case(name, base, (base / data["article"]).resolve(), data.get("date"), data.get("description", ""),
                sources, replay, expect)


def find_cases(root: Path) -> list[Path]:
    found = []
    for name in CASE_FILES:
        found += root.rglob(name)
    return sorted(set(found))


# ------------------------------------------------------------------------------------- running


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", clean_chars(s)).strip(" .,;:\"'").lower()


def _outlet_ok(expected: str, got: str | None, reg: Registry) -> bool:
    if not expected:
        return got is None
    if got is None:
        return False
    e = reg.find(expected)
    g = reg.find(got)
    if e and g:
        return e.name == g.name
    return _norm(expected) == _norm(got)


def _speaker_ok(expected: str, got: str | None) -> bool:
    if not expected:
        return got is None or not got.strip()
    if not got:
        return False
    e, g = _norm(expected), _norm(got)
    if e in g or g in e:
        return True
    # "FAA" for "Federal Aviation Administration"
    initials = "".join(w[0] for w in re.findall(r"[A-Z][\w'’-]+", expected))
    if len(initials) >= 2 and initials == got.strip():
        return True
    caps_e = [w for w in re.findall(r"[A-Z][\w'’-]+", expected)]
    caps_g = [w for w in re.findall(r"[A-Z][\w'’-]+", got)]
    if caps_e and caps_g and caps_e[-1] == caps_g[-1]:
        return True
    we, wg = set(e.split()), set(g.split())
    return len(we & wg) / max(1, len(we)) >= 0.6


def _match(expect: list[Expectation], found: list[Attribution]) -> list[tuple[Expectation | None, Attribution | None]]:
    used: set[int] = set()
    pairs: list[tuple[Expectation | None, Attribution | None]] = []
    for e in expect:
        et = _norm(e.text)
        hit = None
        for i, a in enumerate(found):
            if i in used:
                continue
            at = _norm(a.text)
            if et in at or (at in et and len(at) >= 0.5 * len(et)):
                hit = i
                break
        if hit is not None:
            used.add(hit)
            pairs.append((e, found[hit]))
        else:
            pairs.append((e, None))
    for i, a in enumerate(found):
        if i not in used:
            pairs.append((None, a))
    return pairs


def _fold_continuations(pairs: list[tuple[Expectation | None, Attribution | None]], by_attr: dict[int, Finding]
                        ) -> dict[int, Finding]:
    """A quote split around its cue or run over paragraphs is labelled once but found as parts
    sharing one cue. The parts after the first count with it, and its verdict is the worst part's."""
    matched = {id(a): e for e, a in pairs if e is not None and a is not None}
    order = [a for _, a in sorted(((a.span[0], a) for _, a in pairs if a is not None), key=lambda x: x[0])]
    folded: dict[int, Finding] = {}
    head: Attribution | None = None
    for a in order:
        if id(a) in matched:
            head = a if a.kind == "quote" else None
            continue
        if head is not None and a.kind == "quote" and a.cue == head.cue and a.speaker == head.speaker:
            folded[id(a)] = by_attr[id(a)]
            lead = by_attr[id(head)]
            if Verdict(by_attr[id(a)].verdict).rank < Verdict(lead.verdict).rank:
                by_attr[id(head)] = by_attr[id(a)]
        else:
            head = None
    return folded


def run_case(case: Case, registry: Registry | None = None, options: Any = None) -> tuple[Report, list[Outcome]]:
    from verifier.fetch.client import FetchConfig
    from verifier.pipeline import Options, verify_article
    from verifier.read.reader import read_article
    from verifier.sources.discover.replay import ProviderReplay

    reg = registry or default_registry()
    replay = ProviderReplay()
    for url, spec in case.replay.items():
        if spec.startswith("status:"):
            code = int(spec.split(":", 1)[1])
            replay.add(url, status=code, body=f"<html><body><h1>{code}</h1></body></html>", content_type="text/html")
        elif spec == "timeout":  # answers after the 1 s read timeout below
            replay.add(url, body="<html><body><p>late</p></body></html>", content_type="text/html", delay=2.0)
        else:
            replay.add(url, file=spec)
    with replay as rs:
        opts = options or Options(
            fetch=FetchConfig(allow_private=True, read_timeout=1.0, total_timeout=5.0, retries=0,
                              ignore_robots=True),
            registry=reg,
            discover=False,  # cases name their sources; discovery is measured by its own replays
        )
        opts.transport = rs.transport
        art = read_article(str(case.article))
        report = verify_article(art, sources=case.sources, options=opts, input_name=case.name)
    by_attr = {id(f.attribution): f for f in report.findings}
    pairs = _match(case.expect, [f.attribution for f in report.findings])
    folded = _fold_continuations(pairs, by_attr)
    outcomes = []
    for e, a in pairs:
        if e is None and a is not None and id(a) in folded:
            continue
        f = by_attr[id(a)] if a is not None else None
        o = Outcome(case.name, e, f)
        if e is not None and a is not None:
            o.outlet_ok = _outlet_ok(e.outlet, a.outlet, reg)
            o.speaker_ok = _speaker_ok(e.speaker, a.speaker)
        outcomes.append(o)
    return report, outcomes


def evaluate(root: Path, registry: Registry | None = None, real_pages: Path | None = None) -> EvalResult:
    """Run every case under `root`; with `real_pages` (a folder with expected.json), the round trips too."""
    result = EvalResult()
    if real_pages is not None and (real_pages / "expected.json").is_file():
        from verifier.match.roundtrip import run_round_trips

        result.round_trips = run_round_trips(real_pages)
    for path in find_cases(root):
        try:
            case = load_case(path)
            _, outcomes = run_case(case, registry)
            result.outcomes += outcomes
        except Exception as e:  # one broken case must not hide the others' numbers
            result.errors.append(f"{path}: {type(e).__name__}: {e}")
    return result


def render_eval_text(result: EvalResult) -> str:
    d = result.to_dict()
    ex = d["extraction"]
    lines = [
        f"cases: {d['cases']}  labelled attributions: {d['labelled']}",
        f"verdict accuracy: {d['accuracy']:.1%}   reason accuracy: {d['reason_accuracy']:.1%}",
        f"extraction: recall {ex['recall']:.1%}  precision {ex['precision']:.1%}  "
        f"outlet right {ex['outlet_accuracy']:.1%}  speaker right {ex['speaker_accuracy']:.1%}",
        "",
        "confusion (expected -> got):",
    ]
    cols = [v.value for v in Verdict] + ["missing"]
    lines.append(f"  {'':12}" + "".join(f"{c:>12}" for c in cols))
    for v in [v.value for v in Verdict]:
        row = d["confusion"].get(v, {})
        lines.append(f"  {v:12}" + "".join(f"{row.get(c, 0):>12}" for c in cols))
    lines += ["", "per-reason recall:"]
    for r, info in d["reason_recall"].items():
        lines.append(f"  {r:20} {info['recall']:6.1%}  (n={info['n']})")
    rt = d["round_trips"]
    if rt["verbatim"] or rt["altered"]:
        lines += [
            "",
            f"real-page round trips: verbatim confirmed {rt['verbatim_confirmed']}/{rt['verbatim']}, "
            f"altered confirmed {rt['altered_confirmed']}/{rt['altered']} (must be 0)",
        ]
        for f in rt["failures"]:
            lines.append(f"  [{f['page']}] {f['kind']}: {f['text'][:70]!r} -> {f['got']}")
    lines += ["", f"false confirms: {len(d['false_confirms'])}"]
    for fc in d["false_confirms"]:
        lines.append(f"  [{fc['case']}] {fc['text'][:70]!r}: expected {fc['expected']}")
    if d["mismatches"]:
        lines += ["", "mismatches:"]
        for m in d["mismatches"]:
            lines.append(f"  [{m['case']}] {m['text'][:60]!r}: expected {m['expected']}, got {m['got']}")
            lines.append(f"      {m['explanation'][:200]}")
    if d["unlabelled_found"]:
        lines += ["", "found but not labelled (extraction false positives):"]
        for u in d["unlabelled_found"]:
            lines.append(f"  [{u['case']}] {u['kind']}: {u['text'][:80]!r}")
    for err in d["errors"]:
        lines.append(f"error: {err}")
    return "\n".join(lines)
