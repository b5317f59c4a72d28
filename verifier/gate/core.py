"""The pre-publication gate behind `verifier check`.

    discover files (paths, directories, globs; optionally only those changed in git)
    -> per file: config (walk up) -> read article (waiver markers taken out) -> verify
    -> line/column of each attribution in the file -> waivers -> policy -> GateResult

Statuses of a checked attribution (`GateFinding.status`):
  pass     confirmed, or its reason is allowed by the policy
  warn     reported but does not fail the gate (e.g. partial with fail_on="unverified")
  fail     fails the gate
  waived   would warn or fail, but an inline waiver marker covers it (reported, never hidden)
  skipped  attributed to an outlet in `skip_outlets`: not checked

Line/column positions: for .txt files the plain text is the file, so positions are exact. For
.md/.html the reader's plain text differs from the file (markup, entities, joined lines), so each
attribution is located in the raw file by its words, in article order (markup between words is
ignored); if even its first word cannot be found the position is estimated proportionally.
Lines and columns are 1-based; columns count characters.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.fetch.files import DEFAULT_MAX_BYTES
from verifier.gate.policy import (
    ConfigError,
    GateConfig,
    ReasonRule,
    config_for,
    load_config,
    parse_reason_rule,
)
from verifier.models import ArticleText, Attribution, Finding, Reason, Report, Verdict

ARTICLE_EXTS = (".md", ".markdown", ".mdown", ".mkd", ".txt", ".text", ".html", ".htm", ".xhtml")
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", "build"}
STATUSES = ("pass", "warn", "fail", "waived", "skipped")


class GateError(Exception):
    """Usage or input problem for the whole run (exit code 2)."""


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass
class Waiver:
    """An inline `verifier: ignore` marker. `reason` set to a reason code restricts it to a
    finding with that reason; `note` is free text for the reviewer."""

    line: int
    offset: int  # end of the marker in the raw file
    marker: str
    reason: str | None = None
    note: str | None = None
    applies_to: str | None = None  # attribution id it was matched to
    used: bool = False
    problem: str | None = None  # why it did not apply

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "reason": self.reason,
            "note": self.note,
            "applies_to": self.applies_to,
            "used": self.used,
            "problem": self.problem,
        }


@dataclass
class GateFinding:
    """A Finding (or a skipped attribution) with what the gate made of it."""

    attribution: Attribution
    finding: Finding | None  # None when skipped
    status: str
    policy: str  # one line: why this status
    line: int = 1
    column: int = 1
    end_line: int = 1
    end_column: int = 1
    waiver: Waiver | None = None

    @property
    def id(self) -> str:
        return self.attribution.id

    @property
    def verdict(self) -> str:
        return self.finding.verdict.value if self.finding else "skipped"

    @property
    def reason(self) -> str:
        return self.finding.reason.value if self.finding else "skipped_outlet"

    @property
    def explanation(self) -> str:
        if self.finding:
            return self.finding.explanation
        return f"Not checked: {self.attribution.outlet} is in skip_outlets."

    def to_dict(self) -> dict[str, Any]:
        if self.finding:
            d = self.finding.to_dict()
        else:
            a = self.attribution
            d = {
                "id": a.id, "kind": a.kind, "text": a.text, "sentence": a.sentence, "span": list(a.span),
                "outlet": a.outlet, "outlets": list(a.outlets), "outlet_from": a.outlet_from,
                "parts": [list(p) for p in a.parts],
                "speaker": a.speaker, "cue": a.cue, "fragments": list(a.fragments),
                "verdict": "skipped", "reason": "skipped_outlet", "score": 0.0,
                "explanation": self.explanation, "evidence": None, "differences": [], "sources_tried": [],
            }
        d.update(
            status=self.status,
            policy=self.policy,
            line=self.line,
            column=self.column,
            end_line=self.end_line,
            end_column=self.end_column,
            waiver=self.waiver.to_dict() if self.waiver else None,
        )
        return d


@dataclass
class FileResult:
    path: str  # as given on the command line (or found under a directory)
    article: ArticleText
    raw: str
    report: Report
    findings: list[GateFinding]
    config: GateConfig
    waivers: list[Waiver] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(g.status == "fail" for g in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        c = {v.value: 0 for v in Verdict} | {s: 0 for s in STATUSES}
        for g in self.findings:
            if g.finding:
                c[g.verdict] += 1
            c[g.status] += 1
        return c

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.path,
            "config": str(self.config.path) if self.config.path else None,
            "passed": self.passed,
            "summary": self.counts,
            "findings": [g.to_dict() for g in self.findings],
            "waivers": [w.to_dict() for w in self.waivers],
            "sources": [
                {"location": d.location, "url": d.url, "outlet": d.outlet, "error": d.error,
                 "paywalled": d.paywalled}
                for d in self.report.sources
            ],
        }


@dataclass
class FileError:
    path: str
    message: str


@dataclass
class GateResult:
    files: list[FileResult] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.errors and all(f.passed for f in self.files)

    @property
    def summary(self) -> dict[str, int]:
        total = {v.value: 0 for v in Verdict} | {s: 0 for s in STATUSES}
        for f in self.files:
            for k, n in f.counts.items():
                total[k] += n
        return {"files": len(self.files), "attributions": sum(len(f.findings) for f in self.files), **total,
                "errors": len(self.errors)}

    @property
    def exit_code(self) -> int:
        if self.errors:
            return 2
        return 0 if self.passed else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "passed": self.passed,
            "summary": self.summary,
            "reports": [f.to_dict() for f in self.files],
            "errors": [{"input": e.path, "message": e.message} for e in self.errors],
        }


# --------------------------------------------------------------------------------------------
# File discovery
# --------------------------------------------------------------------------------------------

_GLOB_CHARS = re.compile(r"[*?\[]")


def discover(paths: Iterable[str]) -> list[str]:
    """Files to check: files as given, directories recursed for article files (hidden and
    build directories skipped), globs expanded (`**` recursive). Raises GateError for a path that
    does not exist, a glob that matches nothing or a directory without article files."""
    files, errors = discover_inputs(paths)
    if errors:
        raise GateError(errors[0].message)
    return files


def discover_inputs(paths: Iterable[str], empty_dirs_ok: bool = False) -> tuple[list[str], list[FileError]]:
    """Like `discover`, but a path that does not exist, a glob that matches nothing or a
    directory with no article files is an error for that input only: the others are still
    checked (and the run exits 2). `empty_dirs_ok`: a directory is only a scope (--changed-only)."""
    out: list[str] = []
    errors: list[FileError] = []
    for p in paths:
        if re.match(r"(?i)^https?://", p) or p == "-":
            out.append(p)
        elif os.path.isdir(p):
            found = _walk(p)
            if not found and not empty_dirs_ok:
                errors.append(FileError(p, f"no article files ({' '.join(ARTICLE_EXTS)}) under {p}"))
            out.extend(found)
        elif os.path.exists(p) or os.path.islink(p):
            out.append(p)
        elif _GLOB_CHARS.search(p):
            hits = sorted(glob.glob(p, recursive=True))
            files = []
            for h in hits:
                if os.path.isdir(h):
                    files.extend(_walk(h))
                elif h.lower().endswith(ARTICLE_EXTS):
                    files.append(h)
            if not files:
                errors.append(FileError(p, f"no article files match {p}"))
            out.extend(files)
        else:
            errors.append(FileError(p, f"no such file or directory: {p}"))
    seen: set[str] = set()
    unique = []
    for p in out:
        key = p if "://" in p or p == "-" else os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique, errors


_REPORT_MARK = b'<meta name="generator" content="verifier">'


def own_report(path: str) -> bool:
    """True for an HTML report this tool wrote (it carries the generator mark near the top)."""
    if not path.lower().endswith((".html", ".htm", ".xhtml")) or not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as fh:
            return _REPORT_MARK in fh.read(4096)
    except OSError:
        return False


def _walk(directory: str) -> list[str]:
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(ARTICLE_EXTS):
                found.append(os.path.join(root, name))
    return found


def _git(args: list[str], cwd: str, stdin: str | None = None) -> str:
    try:
        cp = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, input=stdin)
    except FileNotFoundError as e:
        raise GateError("--changed-only needs git, which is not installed") from e
    except subprocess.TimeoutExpired as e:
        raise GateError(f"git {args[0]} took more than 60 s") from e
    if cp.returncode != 0:
        # git's first "fatal:"/"error:" line says what is wrong; later lines are usage hints
        lines = [x.strip() for x in cp.stderr.splitlines() if x.strip()]
        msg = next((x for x in lines if x.startswith(("fatal:", "error:"))), lines[0] if lines else "failed")
        raise GateError(f"git {args[0]}: {msg}")
    return cp.stdout


def _has_commit(ref: str, cwd: str) -> bool:
    cp = subprocess.run(["git", "rev-parse", "--verify", "--quiet", ref + "^{commit}"], cwd=cwd,
                        capture_output=True, text=True, timeout=60)
    return cp.returncode == 0


def default_base(cwd: str = ".") -> str:
    """Base ref for --changed-only: $GITHUB_BASE_REF on a pull request, else origin/HEAD, else
    the first of main/master that exists, else HEAD (uncommitted changes only)."""
    gh = os.environ.get("GITHUB_BASE_REF")
    candidates = [f"origin/{gh}", gh] if gh else []
    candidates += ["origin/HEAD", "origin/main", "main", "origin/master", "master"]
    for ref in candidates:
        if _has_commit(ref, cwd):
            return ref
    return "HEAD"


def changed_files(base: str | None = None, cwd: str = ".") -> set[str]:
    """Real paths of files changed against `base`: committed since the merge base, plus staged,
    unstaged and untracked files. Deleted files, and files .gitignore matches, are not included.
    GateError (one line) outside a repository, in one with no commits, or for an unknown base."""
    try:
        subprocess.run(["git", "--version"], capture_output=True, timeout=60)
    except FileNotFoundError as e:
        raise GateError("--changed-only needs git, which is not installed") from e
    inside = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, text=True,
                            timeout=60)
    if inside.returncode != 0:
        raise GateError(f"--changed-only: {os.path.abspath(cwd)} is not inside a git repository")
    top = inside.stdout.strip()
    if not _has_commit("HEAD", top):
        raise GateError(f"--changed-only: the git repository at {top} has no commits yet "
                        "(nothing to compare with; name the drafts to check instead)")
    if base is not None and not _has_commit(base, top):
        raise GateError(f"--base {base}: no such commit, branch or tag in {top}")
    base = base or default_base(top)
    names: list[str] = []
    if base != "HEAD":
        names += _git(["diff", "--name-only", "--diff-filter=ACMR", f"{base}...HEAD", "--"], top).splitlines()
    names += _git(["diff", "--name-only", "--diff-filter=ACMR", "HEAD", "--"], top).splitlines()
    names += _git(["diff", "--name-only", "--diff-filter=ACMR", "--cached", "--"], top).splitlines()
    names += _git(["ls-files", "--others", "--exclude-standard"], top).splitlines()
    names = list(dict.fromkeys(n for n in names if n.strip()))
    ignored = _gitignored(names, top)
    return {os.path.realpath(os.path.join(top, n)) for n in names if n not in ignored}


def _gitignored(names: list[str], top: str) -> set[str]:
    """Which of `names` (relative to the top) .gitignore matches, tracked or not."""
    if not names:
        return set()
    cp = subprocess.run(["git", "check-ignore", "--no-index", "--stdin", "-z"], cwd=top, capture_output=True,
                        text=True, timeout=60, input="\0".join(names) + "\0")
    return {n for n in cp.stdout.split("\0") if n} if cp.returncode in (0, 1) else set()


# --------------------------------------------------------------------------------------------
# Waivers and positions
# --------------------------------------------------------------------------------------------

_COMMENT_WAIVER = re.compile(r"<!--\s*verifier:\s*ignore\b(?P<args>.*?)-->", re.S | re.I)
_TEXT_WAIVER = re.compile(
    r"^[ \t]*(?:\[verifier:\s*ignore\b(?P<a1>[^\]\n]*)\]|#[ \t]*verifier:\s*ignore\b(?P<a2>[^\n]*))[ \t]*$",
    re.M | re.I,
)
_ARG = re.compile(r"(\w+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|(\S+))")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _line_of(raw: str, offset: int) -> int:
    return raw.count("\n", 0, offset) + 1


def _line_col(raw: str, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(raw)))
    return _line_of(raw, offset), offset - (raw.rfind("\n", 0, offset) + 1) + 1


def _parse_args(s: str) -> dict[str, str]:
    return {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ARG.finditer(s)}


def find_waivers(raw: str, fmt: str) -> list[Waiver]:
    """Every waiver marker in a raw file. md/html: `<!-- verifier: ignore reason=CODE note="…" -->`;
    txt: that comment too, or a line of its own `[verifier: ignore reason=CODE]` or
    `# verifier: ignore reason=CODE`."""
    hits: list[tuple[int, int, str]] = [(m.start(), m.end(), m.group("args")) for m in _COMMENT_WAIVER.finditer(raw)]
    if fmt == "txt":
        hits += [(m.start(), m.end(), m.group("a1") or m.group("a2") or "") for m in _TEXT_WAIVER.finditer(raw)]
    out = []
    for start, end, args in sorted(hits):
        kv = _parse_args(args.strip().rstrip("-").strip())
        out.append(Waiver(line=_line_of(raw, start), offset=end, marker=raw[start:end].strip(),
                          reason=kv.get("reason"), note=kv.get("note")))
    return out


def _blank(m: re.Match[str]) -> str:
    """Replace a match with spaces, keeping its newlines (line numbers stay put)."""
    return re.sub(r"[^\n]", " ", m.group(0))


def _without_markers(raw: str, fmt: str) -> str:
    """The file text the reader should see: waiver markers (and, for Markdown, HTML comments)
    blanked out so they never become article text."""
    if fmt == "txt":
        text = _COMMENT_WAIVER.sub(_blank, raw)
        # a marker line becomes empty (not spaces): the text reader keeps whitespace as text
        return _TEXT_WAIVER.sub("", text)
    if fmt == "md":
        return _HTML_COMMENT.sub(_blank, raw)
    return raw


_WORD = re.compile(r"\w+", re.U)


def _mask_markup(raw: str, fmt: str) -> str:
    """Raw text with markup replaced by spaces (same length) so only prose words remain."""
    if fmt == "html":
        s = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", _blank, raw)
        s = _HTML_COMMENT.sub(_blank, s)
        s = re.sub(r"<[^>]*>", _blank, s)
        return re.sub(r"&#?\w+;", _blank, s)
    if fmt == "md":
        s = _HTML_COMMENT.sub(_blank, raw)
        s = re.sub(r"\]\((?:[^()\s\\]|\\.|\((?:[^()\s\\]|\\.|\([^()\s]*\))*\))*(?:\s+\"[^\"]*\")?\)", _blank, s)  # link targets
        s = re.sub(r"^\s*\[[^\]]+\]:\s*\S+.*$", _blank, s, flags=re.M)  # reference definitions
        return re.sub(r"<[^>\n]*>", _blank, s)
    return raw


class _Locator:
    """Finds attributions in the raw file by their word sequence, in article order."""

    def __init__(self, raw: str, fmt: str) -> None:
        self.raw = raw
        masked = _mask_markup(raw, fmt)
        self.tokens = [(m.group(0).casefold(), m.start(), m.end()) for m in _WORD.finditer(masked)]
        self.words = [t[0] for t in self.tokens]
        self.cursor = 0

    def _find(self, words: list[str], start: int) -> int | None:
        k = len(words)
        if not k:
            return None
        first = words[0]
        for i in range(start, len(self.words) - k + 1):
            if self.words[i] == first and self.words[i : i + k] == words:
                return i
        return None

    def locate(self, text: str, fallback: tuple[int, int], plain_len: int) -> tuple[int, int]:
        """(start, end) raw offsets of `text`; `fallback` is its span in the plain text."""
        words = [w.casefold() for w in _WORD.findall(text)]
        idx = None
        used = 0
        for k in (8, 5, 3, 2, 1):
            k = min(k, len(words))
            if k == 0:
                break
            idx = self._find(words[:k], self.cursor)
            if idx is None:
                idx = self._find(words[:k], 0)
            if idx is not None:
                used = k
                break
        if idx is None:
            ratio = len(self.raw) / max(plain_len, 1)
            return int(fallback[0] * ratio), int(fallback[1] * ratio)
        self.cursor = idx
        start = self.tokens[idx][1]
        end = self.tokens[idx + used - 1][2]
        if len(words) > used:
            tail = words[-min(4, len(words) - used) :]
            j = self._find(tail, idx + used)
            if j is not None and j - idx < len(words) * 3:
                end = self.tokens[j + len(tail) - 1][2]
            else:
                end = start + len(text)
        return start, min(end, len(self.raw))


# --------------------------------------------------------------------------------------------
# Policy
# --------------------------------------------------------------------------------------------


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


def evaluate(f: Finding, cfg: GateConfig) -> tuple[str, str]:
    """(status, why) of one finding under a policy (waivers not considered)."""
    v = f.verdict
    if v is Verdict.CONFIRMED:
        status, why = "pass", "confirmed"
    elif cfg.fail_on == "none":
        status, why = "warn", f"{v.value} (fail_on=none)"
    elif v is Verdict.PARTIAL and cfg.fail_on == "unverified":
        status, why = "warn", "partial does not fail (fail_on=unverified)"
    else:
        status, why = "fail", f"{v.value} fails (fail_on={cfg.fail_on})"
    rule = cfg.reasons.get(f.reason.value) or DEFAULT_REASON_RULES.get(f.reason.value)
    if rule and _rule_applies(rule, f.attribution):
        status = {"fail": "fail", "warn": "warn", "allow": "pass"}[rule.level]
        scope = f" for {rule.only}" if rule.only else ""
        why = f"reason {f.reason.value} set to {rule.level}{scope} by policy"
    return status, why


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
        try:
            c.reasons[code.strip()] = parse_reason_rule(
                code.strip(), {"level": level.strip(), **({"only": only.strip()} if only else {})}, "--reason"
            )
        except ConfigError as e:
            raise GateError(str(e)) from e
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


# --------------------------------------------------------------------------------------------
# Options from config
# --------------------------------------------------------------------------------------------


def _cookie_lines(path: str, domains: tuple[str, ...] | None) -> list[str]:
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as e:
        raise GateError(f"cannot read cookies file {path}: {e.strerror or e}") from e
    out = []
    for line in lines:
        if not line.strip() or (line.startswith("#") and not line.startswith("#HttpOnly_")):
            continue
        host = line.split("\t", 1)[0].removeprefix("#HttpOnly_").lstrip(".").lower()
        if domains is None or any(host == d or host.endswith("." + d) for d in domains):
            out.append(line)
    return out


@dataclass
class _Resources:
    temp_files: list[str] = field(default_factory=list)
    stores: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        for s in self.stores.values():
            try:
                s.close()
            except Exception:  # noqa: BLE001 - closing must not mask the result
                pass
        for p in self.temp_files:
            try:
                os.unlink(p)
            except OSError:
                pass


def build_options(
    cfg: GateConfig,
    *,
    allow_private: bool = False,
    registry: Any = None,
    resources: _Resources | None = None,
    open_store: bool = True,
):
    """verifier.pipeline.Options for a policy: fetch settings, thresholds, and (with `open_store`) the
    policy's evidence store."""
    from verifier.fetch.client import FetchConfig
    from verifier.match.verdict import Thresholds
    from verifier.pipeline import Options
    from verifier.registry import default_registry

    reg = registry or default_registry()
    host_headers: dict[str, dict[str, str]] = {}
    cookie_lines: list[str] = []
    for name, spec in cfg.outlets.items():
        o = reg.find(name)
        domains = tuple(d.lower() for d in o.domains) if o and o.domains else (name.lower(),)
        for d in domains:
            if spec.headers:
                host_headers.setdefault(d, {}).update(spec.headers)
        if spec.cookies_file:
            cookie_lines += _cookie_lines(spec.cookies_file, domains)
    cookies_file = cfg.cookies_file
    if cookie_lines:
        if cookies_file:
            cookie_lines = _cookie_lines(cookies_file, None) + cookie_lines
        fd, cookies_file = tempfile.mkstemp(prefix="verifier-cookies-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("# Netscape HTTP Cookie File\n" + "\n".join(cookie_lines) + "\n")
        if resources is not None:
            resources.temp_files.append(cookies_file)
    fetch_cfg = FetchConfig(
        offline=cfg.offline,
        allow_private=allow_private,
        deadline=cfg.deadline,
        cookies_file=cookies_file,
        headers=dict(cfg.headers),
        host_headers=host_headers,
    )
    if cfg.timeout:
        fetch_cfg.set_timeout(cfg.timeout)
    store = None
    if cfg.store and open_store:
        key = os.path.realpath(cfg.store)
        if resources is not None and key in resources.stores:
            store = resources.stores[key]
        else:
            from verifier.fetch.store import Store, StoreError

            try:
                os.makedirs(os.path.dirname(key), exist_ok=True)
                store = Store(cfg.store, read_only=cfg.offline and os.path.isfile(key))
            except StoreError as e:
                raise GateError(str(e)) from None
            except OSError as e:
                raise GateError(f"cannot open evidence store {cfg.store}: {e.strerror or e}") from None
            if resources is not None:
                resources.stores[key] = store
    return Options(
        offline=cfg.offline,
        fetch=fetch_cfg,
        registry=registry,
        thresholds=Thresholds(**cfg.thresholds),
        store=store,
        local_sources=tuple(cfg.local_sources),
    )


# --------------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------------


def _format_of(path: str, raw: str) -> str:
    from verifier.read.reader import _HTML_EXT, _MD_EXT, _TXT_EXT, _sniff_format

    ext = Path(path).suffix.lower()
    if ext in _TXT_EXT:
        return "txt"
    if ext in _MD_EXT:
        return "md"
    if ext in _HTML_EXT:
        return "html"
    return _sniff_format(raw)


def read_draft(
    path: str, fetcher: Callable[[str], Any] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[ArticleText, str]:
    """(article, raw file text) for a checked file; raises GateError-free InputError from the
    reader for unreadable input. URLs and stdin are read by the reader as they are. Files are
    read up to `max_bytes` (special files refused)."""
    from verifier.read.reader import _decode, _parse, read_article, read_article_bytes

    if path == "-" or "://" in path:
        art = read_article(path, fetcher=fetcher, max_bytes=max_bytes)
        return art, art.text
    raw = _decode(read_article_bytes(path, max_bytes), path).lstrip("\ufeff")
    fmt = _format_of(path, raw)
    art = _parse(_without_markers(raw, fmt), path, fmt, path)
    return art, raw


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
    loc = _Locator(raw or article.text, fmt if raw else "txt")
    by_id = {f.attribution.id: f for f in report.findings}
    skipped_ids = {a.id for a in skipped}
    attributions = sorted([f.attribution for f in report.findings] + skipped, key=lambda a: a.span[0])
    waivers = find_waivers(raw, fmt) if raw else []
    gfs: list[GateFinding] = []
    for a in attributions:
        start, end = loc.locate(a.text, a.span, len(article.text))
        line, col = _line_col(loc.raw, start)
        eline, ecol = _line_col(loc.raw, end)
        if a.id in skipped_ids:
            gf = GateFinding(a, None, "skipped", f"outlet {a.outlet} is in skip_outlets")
        else:
            status, why = evaluate(by_id[a.id], cfg)
            gf = GateFinding(a, by_id[a.id], status, why)
        gf.line, gf.column, gf.end_line, gf.end_column = line, col, eline, ecol
        gfs.append(gf)
    _apply_waivers(waivers, gfs, loc.raw)
    return FileResult(path, article, raw, report, gfs, cfg, waivers)


def _raw_offset(raw: str, line: int, col: int) -> int:
    lines = raw.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + col - 1


def _apply_waivers(waivers: list[Waiver], gfs: list[GateFinding], raw: str) -> None:
    ordered = sorted(gfs, key=lambda g: (g.line, g.column))
    starts = [_raw_offset(raw, g.line, g.column) for g in ordered]
    valid = {r.value for r in Reason}
    for w in waivers:
        target = next((g for g, s in zip(ordered, starts, strict=True) if s >= w.offset), None)
        if target is None:
            w.problem = "no attribution after this marker"
            continue
        w.applies_to = target.id
        if target.waiver is not None:
            w.problem = f"{target.id} already has a waiver (line {target.waiver.line})"
            continue
        target.waiver = w
        if w.reason and w.reason in valid and target.finding and w.reason != target.reason:
            w.problem = f"marker is for {w.reason} but {target.id} is {target.reason}: not waived"
            target.policy += f"; waiver at line {w.line} not applied (reason {w.reason} != {target.reason})"
            continue
        if target.status in ("fail", "warn"):
            w.used = True
            target.policy = f"waived at line {w.line} (was {target.status}: {target.policy})"
            target.status = "waived"
        else:
            w.problem = f"{target.id} is {target.status}: nothing to waive"


@dataclass
class CheckRequest:
    paths: list[str]
    sources: list[str] = field(default_factory=list)
    config_file: str | None = None  # explicit --config (no discovery)
    no_config: bool = False
    fail_on: str | None = None
    reasons: list[str] = field(default_factory=list)
    skip_outlets: list[str] = field(default_factory=list)
    store: str | None = None
    deadline: float | None = None
    timeout: float | None = None
    offline: bool = False
    allow_private: bool = False
    outlets_files: list[str] = field(default_factory=list)
    changed_only: bool = False
    base: str | None = None
    jobs: int = 1  # worker processes over the input files (results stay in input order)
    local_sources: list[str] = field(default_factory=list)  # --local-sources: folders links may name
    exclude: list[str] = field(default_factory=list)  # files never checked: this run's report outputs
    discover: bool = True  # look for unlinked outlets' originals (docs/discovery.md)


def run_check(
    req: CheckRequest,
    progress: Callable[[str], Any] | None = None,
    total: Callable[[int], Any] | None = None,
    configure: Callable[[Any, GateConfig], Any] | None = None,
) -> GateResult:
    """The whole gate. GateError for usage problems; per-file input problems land in
    GateResult.errors (the other files are still checked).

    `progress(path)` is called after each file, `total(n)` once the files are known, and
    `configure(options, policy)` may adjust each file's api.Options (the CLI applies its shared
    fetch/store flags there; the policy's store is then left to it)."""
    from verifier.registry import default_registry, load_registry

    registry = None
    if req.outlets_files:
        for p in req.outlets_files:
            if not Path(p).is_file():
                raise GateError(f"no such outlet registry file: {p}")
        try:
            registry = load_registry([Path(p) for p in req.outlets_files])
        except ValueError as e:
            raise GateError(str(e).splitlines()[0]) from e
    reg = registry or default_registry()

    explicit: GateConfig | None = None
    if req.config_file:
        try:
            explicit = load_config(req.config_file)
        except ConfigError as e:
            raise GateError(str(e)) from e
    elif req.no_config:
        explicit = GateConfig()

    files, input_errors = discover_inputs(req.paths, empty_dirs_ok=req.changed_only)
    # never check the tool's own reports as drafts (--output files, verifier-report.html)
    outputs = {os.path.realpath(p) for p in req.exclude}
    files = [f for f in files if "://" in f or f == "-" or (os.path.realpath(f) not in outputs and not own_report(f))]
    if req.changed_only:
        base = req.base
        if base is None:
            first = next((f for f in files if "://" not in f and f != "-"), ".")
            try:
                base = (explicit or config_for(first)).base
            except ConfigError as e:
                raise GateError(str(e)) from e
        cwd = os.path.dirname(os.path.realpath(files[0])) if files and os.path.exists(files[0]) else "."
        changed = changed_files(base, cwd if os.path.isdir(cwd) else ".")
        files = [f for f in files if os.path.realpath(f) in changed]
    if total:
        total(len(files))

    result = GateResult(errors=input_errors)
    ctx = _CheckContext(req, explicit, registry, reg, configure)
    if req.jobs > 1 and len(files) > 1 and "-" not in files and _fork_context() is not None:
        _run_parallel(ctx, files, result, progress)
        return result
    resources = _Resources()
    configs: dict[str, GateConfig] = {}
    try:
        for path in files:
            try:
                got = _check_one(ctx, path, configs, resources)
                (result.files if isinstance(got, FileResult) else result.errors).append(got)
            finally:
                if progress:
                    progress(path)
    finally:
        resources.close()
    return result


@dataclass
class _CheckContext:
    """What every file of one `run_check` shares (inherited by --jobs workers through fork)."""

    req: CheckRequest
    explicit: GateConfig | None
    registry: Any
    reg: Any
    configure: Callable[[Any, GateConfig], Any] | None


def _check_one(
    ctx: _CheckContext, path: str, configs: dict[str, GateConfig], resources: _Resources
) -> FileResult | FileError:
    """One file through the gate. GateError (and whatever `configure` raises) aborts the run."""
    from verifier.attributions.finder import find_attributions
    from verifier.fetch.client import fetch
    from verifier.pipeline import verify_attributions
    from verifier.read.reader import InputError

    req, reg = ctx.req, ctx.reg
    try:
        if ctx.explicit is not None:
            base_cfg = ctx.explicit
        else:
            start = path if "://" not in path and path != "-" else "."
            base_cfg = _find_cached(start, configs)
        cfg = apply_overrides(
            base_cfg, fail_on=req.fail_on, reasons=req.reasons, skip_outlets=req.skip_outlets,
            store=req.store, deadline=req.deadline, timeout=req.timeout, offline=req.offline,
        )
        _check_source_files(req.sources)
        opts = build_options(cfg, allow_private=req.allow_private, registry=ctx.registry,
                             resources=resources, open_store=ctx.configure is None)
        opts.discover = req.discover
        opts.local_sources = (*opts.local_sources, *req.local_sources)
        if ctx.configure is not None:
            opts = ctx.configure(opts, cfg)
        try:
            art, raw = read_draft(path, fetcher=lambda url, o=opts: fetch(url, o.fetch, store=o.store),
                                  max_bytes=opts.fetch.max_bytes)
        except InputError as e:
            return FileError(path, str(e))
        found_atts = find_attributions(art, reg)
        skip = {(reg.find(n).name if reg.find(n) else n).casefold() for n in cfg.skip_outlets}
        skipped = [a for a in found_atts if a.outlet and a.outlet.casefold() in skip]
        checked = [a for a in found_atts if a not in skipped]
        report = verify_attributions(
            checked, art, sources=_policy_specs(cfg, req.sources), options=opts, input_name=path
        )
        return assess(path, art, raw, report, skipped, cfg)
    except ConfigError as e:
        raise GateError(str(e)) from e


# --jobs N: a process pool over the input files. The context is left in a module global before the
# pool forks, so neither it nor the CLI's `configure` closure has to be pickled; each worker keeps
# its own policy cache and stores, and sends back the (picklable) FileResult or FileError.
_WORKER: _CheckContext | None = None
_WORKER_CONFIGS: dict[str, GateConfig] = {}


def _fork_context() -> Any:
    import multiprocessing

    try:
        return multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: --jobs falls back to one process
        return None


def _worker_check(path: str) -> FileResult | FileError:
    assert _WORKER is not None
    resources = _Resources()
    try:
        return _check_one(_WORKER, path, _WORKER_CONFIGS, resources)
    finally:
        resources.close()


def _run_parallel(ctx: _CheckContext, files: list[str], result: GateResult,
                  progress: Callable[[str], Any] | None) -> None:
    global _WORKER
    from concurrent.futures import ProcessPoolExecutor

    from verifier import pipeline as api  # noqa: F401 - imported once, before the fork

    _WORKER = ctx
    _WORKER_CONFIGS.clear()
    pool = ProcessPoolExecutor(max_workers=min(ctx.req.jobs, len(files)), mp_context=_fork_context())
    try:
        futures = [pool.submit(_worker_check, path) for path in files]
        for path, fut in zip(files, futures, strict=True):
            try:
                got = fut.result()  # in input order; a worker's GateError is raised here, as with one job
                (result.files if isinstance(got, FileResult) else result.errors).append(got)
            finally:
                if progress:
                    progress(path)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _WORKER = None


def _find_cached(start: str, cache: dict[str, GateConfig]) -> GateConfig:
    from verifier.gate.policy import find_config_file

    found = find_config_file(start)
    key = str(found) if found else ""
    if key not in cache:
        cache[key] = load_config(found) if found else GateConfig()
    return cache[key]


def _policy_specs(cfg: GateConfig, trusted: list[str]) -> list[Any]:
    """Sources for one draft: the policy's (a pull request can edit the policy, so its local
    files obey the local_sources allow-list) and the command line's (trusted)."""
    from verifier.sources.resolve import SourceSpec

    return [*(SourceSpec.parse(s, trusted=False) for s in cfg.sources), *(SourceSpec.parse(s) for s in trusted)]


def _check_source_files(sources: list[str]) -> None:
    from verifier.sources.resolve import SourceSpec

    for s in sources:
        loc = SourceSpec.parse(s).location
        if "://" not in loc and not os.path.exists(loc):
            raise GateError(f"source file not found: {loc}")


def check_article(
    text: str,
    *,
    sources: list[str] | dict[str, str] | None = None,
    config: GateConfig | dict[str, Any] | str | Path | None = None,
    format: str = "txt",
    input_name: str = "<text>",
    allow_private: bool = False,
    options: Any = None,
) -> FileResult:
    """Gate one article given as text (for a CMS hook): waivers, positions and policy included.

    `config` is a GateConfig, a `[tool.verifier]`-style dict, a path to verifier.toml /
    pyproject.toml, or None (defaults). `format` is how to read `text`: "txt", "md" or "html".
    `options` (api.Options) replaces the ones built from the policy (the server passes its shared
    store, fetch settings and progress hook). `result.passed`, `result.findings[i].status`,
    `result.to_dict()`."""
    from verifier.gate.policy import parse_config
    from verifier.read.reader import _parse

    if config is None:
        cfg = GateConfig()
    elif isinstance(config, GateConfig):
        cfg = config
    elif isinstance(config, dict):
        cfg = parse_config(config)
    else:
        cfg = load_config(config)
    if isinstance(sources, dict):
        sources = [f"{k}={v}" if k else v for k, v in sources.items()]
    raw = text.lstrip("\ufeff")
    art = _parse(_without_markers(raw, format), input_name, format, input_name)
    resources = _Resources()
    try:
        opts = options or build_options(cfg, allow_private=allow_private, resources=resources)
        return gate_article(art, raw, cfg, sources=sources or [], options=opts, input_name=input_name)
    finally:
        resources.close()


def gate_article(
    article: ArticleText, raw: str, cfg: GateConfig, *, sources: list[str], options: Any, input_name: str
) -> FileResult:
    """One article already read (`raw`: the file text positions refer to, "" for none): its
    attributions, skip_outlets, verification against the policy's and the given sources, policy."""
    from verifier.attributions.finder import find_attributions
    from verifier.pipeline import verify_attributions
    from verifier.registry import default_registry

    reg = options.registry or default_registry()
    found = find_attributions(article, reg)
    skip = {(reg.find(n).name if reg.find(n) else n).casefold() for n in cfg.skip_outlets}
    skipped = [a for a in found if a.outlet and a.outlet.casefold() in skip]
    report = verify_attributions([a for a in found if a not in skipped], article,
                                 sources=_policy_specs(cfg, list(sources)), options=options, input_name=input_name)
    return assess(input_name, article, raw, report, skipped, cfg)
