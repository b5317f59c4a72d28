"""The package layout is the pipeline: no import cycles (function-level imports count, so none can
hide one), and no stage imports the orchestrator, the gate, the service or the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "verifier"

# read -> attributions -> sources -> fetch -> extract -> match -> report; these never import upwards
STAGES = ("read", "attributions", "sources", "fetch", "extract", "match", "report")
ABOVE = ("verifier.pipeline", "verifier.api", "verifier.cli", "verifier.gate", "verifier.serve", "verifier.audit",
         "verifier.evaluate")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                lines.update(range(sub.lineno, (sub.end_lineno or sub.lineno) + 1))
    return lines


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every verifier module `name` imports, at any level (type-checking imports aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("verifier"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("verifier"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in modules else target)
    return {m for m in out if m in modules and m != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_stages_never_import_upwards():
    bad = []
    for name, deps in _graph().items():
        if name.split(".")[1:2] and name.split(".")[1] in STAGES:
            bad += [(name, d) for d in deps if d.startswith(ABOVE)]
    assert bad == []


def test_the_cycle_check_sees_function_level_imports(tmp_path):
    """The checker itself: an import inside a function is an edge."""
    a = tmp_path / "a.py"
    a.write_text("def f():\n    from verifier.b import x\n")
    assert imports_of("verifier.a", a, {"verifier.a": a, "verifier.b": a}) == {"verifier.b"}
    assert _cycles({"verifier.a": {"verifier.b"}, "verifier.b": {"verifier.a"}}) == [["verifier.a", "verifier.b"]]


def test_python_dash_m_verifier_is_the_command():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "verifier", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "Usage: verifier" in out.stdout and out.stderr == ""


# One concern per module, and a module a reader can hold in their head. The finder is one algorithm
# (its cue grammar is data) and stays whole.
MAX_MODULE_LINES = 500
LONGER_ALLOWED = {
    "attributions/finder.py",
}


def test_no_module_over_500_lines():
    sizes = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    short = {name for name in LONGER_ALLOWED if sizes.get(name, 0) <= MAX_MODULE_LINES}
    assert not short, f"no longer over {MAX_MODULE_LINES} lines (or gone): take them off LONGER_ALLOWED: {short}"
    over = {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES and name not in LONGER_ALLOWED}
    assert over == {}, f"modules over {MAX_MODULE_LINES} lines (split them along a real seam): {over}"


def _loaded_after(imports: str, names: tuple[str, ...]) -> list[str]:
    import subprocess
    import sys

    code = f"import sys\n{imports}\nprint(' '.join(m for m in {names!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return out.stdout.split()


def test_start_up_imports_only_what_the_command_uses():
    """Start-up time is import time (bench/README.md, "startup"): the CLI's module imports no stage,
    and the orchestrator none of the service, the audit, the gate or the test-input generator."""
    heavy = ("httpx", "bs4", "lxml", "trafilatura", "rapidfuzz", "snowballstemmer", "sqlite3", "verifier.pipeline",
             "verifier.match", "verifier.fetch", "verifier.extract")
    assert _loaded_after("import verifier.cli.app", heavy) == []
    elsewhere = ("dask", "distributed", "pyarrow", "matplotlib", "starlette", "uvicorn", "lemminflect", "trafilatura",
                 "verifier.serve", "verifier.audit", "verifier.gate", "verifier.evaluate", "verifier.contrast")
    assert _loaded_after("import verifier.pipeline", elsewhere) == []
