"""One request -> the gate -> the report `verifier check --format json` prints for the same draft.

`parse_check` / `parse_claim` turn a request body into a `CheckSpec` (422 problems for anything
wrong with it); `run_spec` runs one on the calling (worker) thread through `verifier.gate.core`, with the
server's shared options, and returns a `GateResult`.

What a request can never do: read a local file (sources, links in the draft and the draft's URL
must be http/https, and the fetch layer is told to read no file at all), reach a private address
(the SSRF guard stays on unless the *server* was started with --allow-private), or loosen the
server's policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from verifier.gate.core import GateResult
from verifier.gate.policy import ConfigError, GateConfig, parse_reason_rule
from verifier.serve.problems import Problem

MAX_SOURCES = 50
MAX_URL = 2048
MAX_NAME = 200
INPUT_FIELDS = {"text": "txt", "markdown": "md", "html": "html", "url": None}
DEFAULT_NAMES = {"txt": "draft.txt", "md": "draft.md", "html": "draft.html"}
_CHECK_KEYS = {*INPUT_FIELDS, "sources", "policy", "date", "name", "callback_url"}
_CLAIM_KEYS = {"text", "sources", "outlet", "speaker", "policy", "name", "callback_url"}
_POLICY_KEYS = ("fail_on", "reasons", "skip_outlets")
_STATUS_RANK = {"pass": 0, "warn": 1, "fail": 2}


@dataclass
class CheckSpec:
    """A validated request: what to check and how (plain data, handed to a worker thread)."""

    kind: str  # "article" | "claim"
    name: str
    text: str | None = None
    format: str = "txt"  # how to read `text`: txt | md | html
    url: str | None = None  # the draft itself is at this URL
    sources: list[str] = field(default_factory=list)  # "NAME=URL" or a bare URL
    policy: GateConfig = field(default_factory=GateConfig)
    date: str | None = None
    callback_url: str | None = None
    outlet: str | None = None  # claims
    speaker: str | None = None


def _one_line(s: str) -> str:
    return " ".join(s.split())


def check_url(value: Any, what: str) -> str:
    """An http(s) URL with a host, or a 422 problem. Local paths and file:// are refused."""
    if not isinstance(value, str) or not value.strip():
        raise Problem(422, f"{what} must be an http(s) URL", "invalid_request")
    v = value.strip()
    if len(v) > MAX_URL:
        raise Problem(422, f"{what} is longer than {MAX_URL} characters", "invalid_request")
    parts = urlsplit(v)
    if parts.scheme.lower() not in ("http", "https"):
        if parts.scheme.lower() in ("", "file") or re.match(r"^[A-Za-z]:[\\/]", v):
            raise Problem(422, f"{what}: local files are refused; give an http(s) URL, not {v!r}",
                          "local_file_refused")
        raise Problem(422, f"{what}: unsupported scheme {parts.scheme!r}; give an http(s) URL", "invalid_request")
    if not parts.hostname:
        raise Problem(422, f"{what}: no host in {v!r}", "invalid_request")
    if any(c in v for c in "\r\n\t ") or any(ord(c) < 32 for c in v):
        raise Problem(422, f"{what}: a URL cannot contain spaces or control characters", "invalid_request")
    return v


def _name(value: Any, default: str) -> str:
    if value is None:
        return default
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_NAME or any(ord(c) < 32 for c in value):
        raise Problem(422, f"name must be one line of at most {MAX_NAME} characters", "invalid_request")
    return value.strip()


def _short_text(value: Any, what: str, limit: int = 200) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > limit or any(ord(c) < 32 for c in value):
        raise Problem(422, f"{what} must be one line of at most {limit} characters", "invalid_request")
    return value.strip() or None


def parse_sources(value: Any) -> list[str]:
    """{"Guardian": "https://…"} or ["Guardian=https://…", "https://…"] -> NAME=URL strings."""
    if value is None:
        return []
    items: list[tuple[str | None, Any]]
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        items = []
        for v in value:
            if not isinstance(v, str):
                raise Problem(422, "sources: each item must be \"NAME=URL\" or a URL", "invalid_request")
            from verifier.sources.resolve import SourceSpec

            spec = SourceSpec.parse(v)
            items.append((spec.name, spec.location))
    else:
        raise Problem(422, "sources must be an object {NAME: URL} or a list of \"NAME=URL\"", "invalid_request")
    if len(items) > MAX_SOURCES:
        raise Problem(422, f"sources: at most {MAX_SOURCES}", "invalid_request")
    out = []
    for name, loc in items:
        url = check_url(loc, f"sources[{name!r}]" if name else "sources")
        if name is not None and name.strip():
            n = _short_text(name, "a source name")
            if n and ("=" in n or "/" in n):
                raise Problem(422, f"source name {n!r} cannot contain '=' or '/'", "invalid_request")
            out.append(f"{n}={url}" if n else url)
        else:
            out.append(url)
    return out


def strictest(base: GateConfig, overrides: Any) -> GateConfig:
    """The server's policy with a request's `policy` object applied, which may only tighten it.

    Tightening is judged by the gate's own rules (`gate.evaluate`): for every reason code, and for
    attributions to a named person, to an outlet and to neither, the status under the new policy
    must be at least as strict (pass < warn < fail) as under the server's."""
    if overrides is None:
        return base
    if not isinstance(overrides, dict):
        raise Problem(422, "policy must be an object", "invalid_request")
    unknown = sorted(set(overrides) - set(_POLICY_KEYS))
    if unknown:
        raise Problem(422, f"policy: unknown key(s) {', '.join(unknown)} (a request may set "
                      f"{', '.join(_POLICY_KEYS)}; the rest is the server's)", "invalid_policy")
    c = base.copy()
    if "fail_on" in overrides:
        v = overrides["fail_on"]
        if v not in ("partial", "unverified", "none"):
            raise Problem(422, "policy.fail_on must be partial, unverified or none", "invalid_policy")
        c.fail_on = v
    reasons = overrides.get("reasons") or {}
    if not isinstance(reasons, dict):
        raise Problem(422, "policy.reasons must be an object {reason_code: level}", "invalid_policy")
    for code, rule in reasons.items():
        try:
            c.reasons[code] = parse_reason_rule(code, rule, "policy.reasons")
        except ConfigError as e:
            raise Problem(422, str(e), "invalid_policy") from None
    skip = overrides.get("skip_outlets") or []
    if not isinstance(skip, list) or not all(isinstance(x, str) and 0 < len(x) <= 200 for x in skip):
        raise Problem(422, "policy.skip_outlets must be a list of outlet names", "invalid_policy")
    c.skip_outlets = c.skip_outlets + [x for x in skip if x not in c.skip_outlets]
    looser = _loosened(base, c)
    if looser:
        raise Problem(422, f"policy: a request may tighten the server's policy, not loosen it ({looser})",
                      "policy_loosened")
    return c


def _loosened(base: GateConfig, new: GateConfig) -> str | None:
    from verifier.gate.core import evaluate
    from verifier.models import REASON_VERDICT, Attribution, Finding

    who = {
        "a named person": Attribution("a1", "quote", "x", (0, 1), "x", "", outlet=None, speaker="Jane Smith"),
        "an outlet": Attribution("a1", "quote", "x", (0, 1), "x", "", outlet="Outlet", speaker=None),
        "no one named": Attribution("a1", "quote", "x", (0, 1), "x", "", outlet=None, speaker=None),
    }
    for reason, verdict in REASON_VERDICT.items():
        for label, a in who.items():
            f = Finding(a, verdict, reason, 0.0, "")
            old, _ = evaluate(f, base)
            now, _ = evaluate(f, new)
            if _STATUS_RANK[now] < _STATUS_RANK[old]:
                return f"{reason.value} for {label} would {now} where the server says {old}"
    return None


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d\d-\d\d", value.strip()):
        raise Problem(422, "date must be YYYY-MM-DD", "invalid_request")
    from verifier.sources.discover.query import parse_date

    if parse_date(value) is None:
        raise Problem(422, f"date: not a date: {value!r}", "invalid_request")
    return value.strip()


def _text(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise Problem(422, f"{what} must be a string", "invalid_request")
    if len(value.encode("utf-8")) > limit:
        raise Problem(413, f"{what} is larger than {limit} bytes", "draft_too_large")
    text = value.lstrip("\ufeff").replace("\r\n", "\n")  # form posts send CRLF line ends
    if not text.strip():
        raise Problem(422, f"{what} is empty", "empty_draft")
    if "\x00" in text:
        raise Problem(422, f"{what} is binary, not text", "invalid_request")
    return text


def parse_check(body: Any, policy: GateConfig, max_bytes: int) -> CheckSpec:
    if not isinstance(body, dict):
        raise Problem(422, "the request body must be a JSON object", "invalid_request")
    unknown = sorted(set(body) - _CHECK_KEYS)
    if unknown:
        raise Problem(422, f"unknown field(s): {', '.join(unknown)}", "invalid_request")
    given = [k for k in INPUT_FIELDS if body.get(k) is not None]
    if len(given) != 1:
        raise Problem(422, "give exactly one of text, markdown, html or url", "invalid_request")
    key = given[0]
    spec = CheckSpec(kind="article", name="")
    if key == "url":
        spec.url = check_url(body["url"], "url")
        spec.name = _name(body.get("name"), spec.url)
    else:
        spec.format = INPUT_FIELDS[key] or "txt"
        spec.text = _text(body[key], key, max_bytes)
        spec.name = _name(body.get("name"), DEFAULT_NAMES[spec.format])
    spec.sources = parse_sources(body.get("sources"))
    spec.policy = strictest(policy, body.get("policy"))
    spec.date = _date(body.get("date"))
    if body.get("callback_url") is not None:
        spec.callback_url = check_url(body["callback_url"], "callback_url")
    return spec


def parse_claim(body: Any, policy: GateConfig, max_bytes: int) -> CheckSpec:
    if not isinstance(body, dict):
        raise Problem(422, "the request body must be a JSON object", "invalid_request")
    unknown = sorted(set(body) - _CLAIM_KEYS)
    if unknown:
        raise Problem(422, f"unknown field(s): {', '.join(unknown)}", "invalid_request")
    text = _text(body.get("text"), "text", max_bytes)
    spec = CheckSpec(kind="claim", name=_name(body.get("name"), "<claim>"), text=text)
    spec.sources = parse_sources(body.get("sources"))
    if not spec.sources:
        raise Problem(422, "give at least one source for the claim", "invalid_request")
    spec.outlet = _short_text(body.get("outlet"), "outlet")
    spec.speaker = _short_text(body.get("speaker"), "speaker")
    spec.policy = strictest(policy, body.get("policy"))
    if body.get("callback_url") is not None:
        spec.callback_url = check_url(body["callback_url"], "callback_url")
    return spec


# -------------------------------------------------------------------------------- running


def check_options(base: Any, spec: CheckSpec, *, fetch_deadline: float | None, on_event: Any, discover: bool) -> Any:
    """Per-check api.Options from the server's shared ones: no local files, the check's deadline
    and date, its progress hook. The evidence store and registry are shared."""
    fetch = replace(base.fetch, local_files=False)
    if fetch_deadline is not None:
        fetch = replace(fetch, deadline=min(fetch.deadline or fetch_deadline, fetch_deadline))
    discovery = replace(base.discovery, article_date=spec.date or base.discovery.article_date)
    return replace(base, fetch=fetch, discovery=discovery, on_event=on_event, progress=None, discover=discover)


def run_spec(spec: CheckSpec, options: Any) -> tuple[GateResult, Any]:
    """Run one check on this thread: (the GateResult, the ArticleText it read or None)."""
    from verifier.gate.core import FileError, assess, check_article, gate_article
    from verifier.models import ArticleText
    from verifier.read.reader import InputError

    if spec.kind == "claim":
        from verifier.pipeline import verify_claim

        assert spec.text is not None
        report = verify_claim(spec.text, sources=spec.sources, outlet=spec.outlet, speaker=spec.speaker,
                              options=options)
        report.input = spec.name
        art = ArticleText(spec.text, spec.name, "txt")
        return GateResult(files=[assess(spec.name, art, "", report, [], spec.policy)]), art
    try:
        if spec.url is not None:
            from verifier.fetch.client import fetch
            from verifier.read.reader import read_article

            art = read_article(spec.url, fetcher=lambda u: fetch(u, options.fetch, store=options.store))
            fr = gate_article(art, art.text, spec.policy, sources=spec.sources, options=options,
                              input_name=spec.name)
        else:
            assert spec.text is not None
            fr = check_article(spec.text, sources=spec.sources, config=spec.policy, format=spec.format,
                               input_name=spec.name, options=options)
    except InputError as e:
        return GateResult(errors=[FileError(spec.name, str(e))]), None
    return GateResult(files=[fr]), fr.article
