"""Docs and CLI agree (issue 12, item 18), the way sqlite-utils tests its docs: every option the
README and docs/ name for a command exists on that command, and every reason code is documented."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer

from verifier.cli.app import app
from verifier.models import Reason

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
ROOT_GROUP = typer.main.get_command(app)


def command(path: list[str]) -> Any:
    cmd: Any = ROOT_GROUP
    for name in path:
        assert name in getattr(cmd, "commands", {}), f"no command `verifier {' '.join(path)}`"
        cmd = cmd.commands[name]
    return cmd


def options_of(cmd: Any) -> set[str]:
    return {opt for p in cmd.params for opt in (*p.opts, *p.secondary_opts) if opt.startswith("-")}


def _command_path(words: list[str]) -> tuple[list[str], list[str]]:
    path: list[str] = []
    cmd: Any = ROOT_GROUP
    for i, w in enumerate(words):
        if w in getattr(cmd, "commands", {}):
            path.append(w)
            cmd = cmd.commands[w]
        else:
            return path, words[i:]
    return path, []


def documented_command_lines(docs: list[Path] = DOCS) -> list[tuple[str, list[str]]]:
    """(doc, words after `verifier`) for every `verifier ...` line in a code block of the docs."""
    out = []
    for doc in docs:
        in_block = False
        pending = ""
        for line in doc.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("```"):
                in_block = not in_block
                continue
            if not in_block:
                continue
            line = pending + line.split(" # ", 1)[0]
            if line.rstrip().endswith("\\"):
                pending = line.rstrip()[:-1] + " "
                continue
            pending = ""
            m = re.search(r"(?:^|\$ |\| )verifier (.*)", line)
            if not m:
                continue
            try:
                words = shlex.split(m.group(1).replace("…", "x"))
            except ValueError:
                continue
            out.append((doc.name, words))
    return out


def documented_invocations() -> list[tuple[str, list[str], str]]:
    """(doc, command path, option) for every option of a `verifier ...` line in a code block."""
    out = []
    for doc, words in documented_command_lines():
        path, rest = _command_path(words)
        if not path:
            continue
        for w in rest:
            if "|" in w and not w.startswith("-"):  # "list|show URL|export --warc F": alternatives
                name = w.split("|")[-1]
                if name in getattr(command(path), "commands", {}):
                    path = [*path, name]
                elif name in getattr(command(path[:-1]), "commands", {}):
                    path = [*path[:-1], name]
                continue
            if re.fullmatch(r"--?[a-zA-Z][\w-]*(=.*)?", w):
                out.append((doc, path, w.split("=", 1)[0]))
    return out


INVOCATIONS = documented_invocations()


def test_docs_have_invocations_to_check() -> None:
    assert len(INVOCATIONS) > 25


@pytest.mark.parametrize("doc,path,option", INVOCATIONS, ids=[f"{d}:{' '.join(p)} {o}" for d, p, o in INVOCATIONS])
def test_every_documented_option_exists(doc: str, path: list[str], option: str) -> None:
    assert option in options_of(command(path)), f"{doc}: `verifier {' '.join(path)}` has no option {option}"


def _readme_option_rows() -> list[tuple[str, str]]:
    """(option, command) for each row of the README's shared-options table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("| option | commands | meaning |"):]
    rows = []
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        opts = [o.split()[0] for o in re.findall(r"`(--[^`]+)`", cells[0])]
        for o in opts:
            for cmd in re.findall(r"`(\w+)`", cells[1]):
                rows.extend((part, cmd) for part in o.split("/"))
    return rows


README_ROWS = _readme_option_rows()


@pytest.mark.parametrize("option,cmd", README_ROWS, ids=[f"{c} {o}" for o, c in README_ROWS])
def test_readme_shared_options_exist_on_the_commands_named(option: str, cmd: str) -> None:
    assert option in options_of(command([cmd])), f"README: `verifier {cmd}` has no option {option}"


def test_gate_doc_flag_table_matches_check() -> None:
    text = (ROOT / "docs" / "gate.md").read_text(encoding="utf-8")
    table = text[text.index("| flag | what it does |"):text.index("Precedence: command-line flag")]
    named = {o.split("/")[0].split()[0] for o in re.findall(r"`(--[\w-]+(?:/-\w)?)", table)}
    assert named and named <= options_of(command(["check"])), named - options_of(command(["check"]))


def test_format_help_matches_the_formats_each_command_takes() -> None:
    from typer.testing import CliRunner

    runner = CliRunner()
    for name in ("extract", "fetch", "outlets", "eval", "find"):
        out = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"}).output
        assert "<text|json>" in out and "markdown" not in out, name
        assert runner.invoke(app, [name, "x", "--format", "markdown"]).exit_code == 2, name  # never silently text
    for name in ("article", "claim", "check"):
        out = runner.invoke(app, [name, "--help"], env={"COLUMNS": "200"}).output
        assert "<text|json|markdown|github|junit|html>" in out, name


def test_every_reason_code_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    gate = (ROOT / "docs" / "gate.md").read_text(encoding="utf-8")
    schema = json.loads((ROOT / "docs" / "check-report.schema.json").read_text(encoding="utf-8"))
    reasons = schema["$defs"]["finding"]["properties"]["reason"]["enum"] if "$defs" in schema else None
    for r in Reason:
        assert f"`{r.value}`" in readme, f"README reason table lacks {r.value}"
        assert r.value in gate, f"docs/gate.md lacks {r.value}"
    if reasons is not None:
        assert set(reasons) == {r.value for r in Reason} | {"skipped_outlet"}


README_LINES = documented_command_lines([ROOT / "README.md"])


def test_every_command_the_readme_shows_exists() -> None:
    """`verifier WORD` in a README code block names a command (and `verifier sources WORD` a
    sub-command, or alternatives written `list|show URL|...`); a renamed command fails here."""
    assert len(README_LINES) > 10
    for doc, words in README_LINES:
        if not words or words[0].startswith("-") or words[0].endswith(":"):  # `verifier --help`; output lines
            continue
        path, rest = _command_path(words)
        assert path, f"{doc}: `verifier {' '.join(words)}`: no command {words[0]!r}"
        group = command(path)
        if getattr(group, "commands", None) and rest and not rest[0].startswith("-"):
            names = rest[0].split("|") if "|" in rest[0] else [rest[0]]
            for name in names:
                name = name.split()[0] if name.split() else name
                assert name in group.commands, f"{doc}: `verifier {' '.join(path)} {name}`: no such sub-command"


def _all_commands(group: Any = ROOT_GROUP, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    out = []
    for name, cmd in sorted(getattr(group, "commands", {}).items()):
        sub = (*path, name)
        out.append((sub, cmd))
        out.extend(_all_commands(cmd, sub))
    return out


ALL_COMMANDS = _all_commands()


@pytest.mark.parametrize("path", [p for p, _ in ALL_COMMANDS], ids=[" ".join(p) for p, _ in ALL_COMMANDS])
def test_every_command_help_has_an_example(path: tuple[str, ...]) -> None:
    """`verifier CMD --help` shows a runnable example line for the command itself."""
    from typer.testing import CliRunner

    out = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"}).output
    cmd = command(list(path))
    if getattr(cmd, "commands", None):  # a group (`sources`): its sub-commands carry the examples
        assert all(f"verifier {' '.join(path)} {name}" in (sub.help or "") for name, sub in cmd.commands.items())
        return
    assert re.search(rf"Example: verifier {re.escape(' '.join(path))}\b", out), f"`verifier {' '.join(path)} --help` has no example"
