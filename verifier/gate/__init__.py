"""On top: the pre-publication gate behind `verifier check`: files -> policy -> `GateResult`
(see docs/gate.md). `policy` reads `verifier.toml` / `[tool.verifier]`.

    from verifier.gate import CheckRequest, run_check
    result = run_check(CheckRequest(paths=["drafts/"]))
"""

from verifier.gate.core import (
    CheckRequest,
    FileResult,
    GateError,
    GateFinding,
    GateResult,
    build_options,
    check_article,
    gate_article,
    run_check,
)

__all__ = ["CheckRequest", "FileResult", "GateError", "GateFinding", "GateResult", "build_options",
           "check_article", "gate_article", "run_check"]
