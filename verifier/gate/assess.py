"""What the gate makes of one checked file: each finding's status under the policy (`evaluate`),
the command-line overrides of a policy (`apply_overrides`), and positions plus waivers plus policy
for a verified article (`assess`), giving the `FileResult` every report format renders."""

from __future__ import annotations

from collections.abc import Iterable

from verifier.errors import GateError
from verifier.gate.policy import GateConfig, ReasonRule, parse_reason_rule
from verifier.gate.positions import Locator, line_col
from verifier.gate.waivers import apply_waivers, find_waivers
from verifier.models import ArticleText, Attribution, Finding, Report, Verdict
from verifier.report.results import FailOn, FileResult, GateFinding, GateResult, Status


def _named_person(a: Attribution) -> bool:
    """Attributed to a named person: a speaker with a capitalised word (past a leading article),
    and no outlet."""
    if a.outlet or not a.speaker:
        return False
    words = a.speaker.split()
    if words and words[0].lower() in ("a", "an", "the", "one"):
        words = words[1:]
    return any(w[:1].isupper() for w in words)


def _rule_applies(rule: ReasonRule, a: Attribution) -> bool:
    if rule.only == "people":
        return _named_person(a)
    if rule.only == "outlets":
        return bool(a.outlet)
    return True


def evaluate(f: Finding, cfg: GateConfig) -> tuple[Status, str]:
    """(status, why) of one finding under a policy (waivers not considered)."""
    v = f.verdict
    fail_on = FailOn(cfg.fail_on)
    if v is Verdict.CONFIRMED:
        status, why = Status.PASS, "confirmed"
    elif fail_on is FailOn.NONE:
        status, why = Status.WARN, f"{v.value} (fail_on=none)"
    elif v is Verdict.PARTIAL and fail_on is FailOn.UNVERIFIED:
        status, why = Status.WARN, "partial does not fail (fail_on=unverified)"
    else:
        status, why = Status.FAIL, f"{v.value} fails (fail_on={fail_on})"
    rule = cfg.reasons.get(f.reason.value) or DEFAULT_REASON_RULES.get(f.reason.value)
    if rule and _rule_applies(rule, f.attribution):
        status = _LEVEL_STATUS[rule.level]
        scope = f" for {rule.only}" if rule.only else ""
        why = f"reason {f.reason.value} set to {rule.level}{scope} by policy"
    return status, why


_LEVEL_STATUS = {"fail": Status.FAIL, "warn": Status.WARN, "allow": Status.PASS}  # a reason rule's level

# The default policy: an honest paraphrase the verifier cannot prove word for word is a warning,
# not a failure, so it does not block publishing; every other difference fails (at fail_on=partial).
DEFAULT_REASON_RULES: dict[str, ReasonRule] = {"paraphrase": ReasonRule("warn")}


def apply_overrides(
    cfg: GateConfig,
    *,
    fail_on: str | None = None,
    reasons: Iterable[str] = (),
    skip_outlets: Iterable[str] = (),
    store: str | None = None,
    deadline: float | None = None,
    timeout: float | None = None,
    offline: bool = False,
) -> GateConfig:
    """A copy of `cfg` with command-line flags applied on top. `reasons` items are
    CODE=LEVEL or CODE=LEVEL:people|outlets."""
    c = cfg.copy()
    if fail_on:
        c.fail_on = fail_on
    for item in reasons:
        code, sep, rest = item.partition("=")
        if not sep:
            raise GateError(f"--reason wants CODE=LEVEL (e.g. paywalled=warn), not {item!r}")
        level, _, only = rest.partition(":")
        c.reasons[code.strip()] = parse_reason_rule(  # ConfigError: a UsageError, like GateError
            code.strip(), {"level": level.strip(), **({"only": only.strip()} if only else {})}, "--reason"
        )
    c.skip_outlets = c.skip_outlets + list(skip_outlets)
    if store:
        c.store = store
    if deadline:
        c.deadline = deadline
    if timeout:
        c.timeout = timeout
    if offline:
        c.offline = True
    return c


def assess(
    path: str,
    article: ArticleText,
    raw: str,
    report: Report,
    skipped: list[Attribution],
    cfg: GateConfig,
) -> FileResult:
    """Positions, waivers and policy for one checked file."""
    fmt = article.format
    loc = Locator(raw or article.text, fmt if raw else "txt")
    by_id = {f.attribution.id: f for f in report.findings}
    skipped_ids = {a.id for a in skipped}
    attributions = sorted([f.attribution for f in report.findings] + skipped, key=lambda a: a.span[0])
    waivers = find_waivers(raw, fmt) if raw else []
    gfs: list[GateFinding] = []
    for a in attributions:
        start, end = loc.locate(a.text, a.span, len(article.text))
        line, col = line_col(loc.raw, start)
        eline, ecol = line_col(loc.raw, end)
        if a.id in skipped_ids:
            gf = GateFinding(a, None, Status.SKIPPED, f"outlet {a.outlet} is in skip_outlets")
        else:
            status, why = evaluate(by_id[a.id], cfg)
            gf = GateFinding(a, by_id[a.id], status, why)
        gf.line, gf.column, gf.end_line, gf.end_column = line, col, eline, ecol
        gfs.append(gf)
    apply_waivers(waivers, gfs, loc.raw)
    return FileResult(path, article, raw, report, gfs, cfg, waivers)


def report_result(report: Report, article: ArticleText | None = None, raw: str = "") -> GateResult:
    """A plain `verify_article` Report as a GateResult (default policy, waivers in `raw`), so the
    `article` command can use every format: render(report_result(report, art, raw), "html")."""
    art = article or ArticleText("\n\n".join(f.attribution.sentence for f in report.findings), report.input, "txt")
    return GateResult(files=[assess(report.input, art, raw, report, [], GateConfig())])
