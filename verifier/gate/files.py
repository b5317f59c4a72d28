"""The gate's inputs: which files to check (paths, directories, globs; with --changed-only, only
those git says changed) and how a draft is read (waiver markers taken out of the text the reader
sees, the raw file kept for positions)."""

from __future__ import annotations

import glob
import os
import re
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from verifier.errors import GateError
from verifier.fetch.files import DEFAULT_MAX_BYTES
from verifier.gate.waivers import without_markers
from verifier.models import ArticleText
from verifier.read.reader import (
    HTML_EXTS,
    MD_EXTS,
    TXT_EXTS,
    decode_article,
    parse_article,
    read_article,
    read_article_bytes,
    sniff_format,
)
from verifier.report.results import FileError

ARTICLE_EXTS = (".md", ".markdown", ".mdown", ".mkd", ".txt", ".text", ".html", ".htm", ".xhtml")
_SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", "build"}


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


def _format_of(path: str, raw: str) -> str:
    ext = Path(path).suffix.lower()
    if ext in TXT_EXTS:
        return "txt"
    if ext in MD_EXTS:
        return "md"
    if ext in HTML_EXTS:
        return "html"
    return sniff_format(raw)


def read_draft(
    path: str, fetcher: Callable[[str], Any] | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[ArticleText, str]:
    """(article, raw file text) for a checked file; raises GateError-free InputError from the
    reader for unreadable input. URLs and stdin are read by the reader as they are. Files are
    read up to `max_bytes` (special files refused)."""
    if path == "-" or "://" in path:
        art = read_article(path, fetcher=fetcher, max_bytes=max_bytes)
        return art, art.text
    raw = decode_article(read_article_bytes(path, max_bytes), path).lstrip("\ufeff")
    fmt = _format_of(path, raw)
    art = parse_article(without_markers(raw, fmt), path, fmt, path)
    return art, raw
