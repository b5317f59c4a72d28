"""On top: the pre-publication gate behind `verifier check`: files -> policy -> `GateResult`
(see docs/gate.md). `policy` reads `verifier.toml` / `[tool.verifier]`.

    from verifier.gate import CheckRequest, run_check
    result = run_check(CheckRequest(paths=["drafts/"]))

    files.py      which files to check (paths, globs, git --changed-only); reading a draft
    waivers.py    inline `verifier: ignore` markers
    positions.py  line/column of each attribution in the raw file
    assess.py     each finding's status under the policy; positions + waivers + policy per file
    options.py    pipeline options (fetch, thresholds, store) from a policy
    run.py        run_check over files (a process pool with --jobs), check_article for one text
The results (GateResult, FileResult, GateFinding, ...) are plain data in verifier/report/results.py,
which every report format renders.
"""

from verifier.errors import GateError
from verifier.gate.options import build_options
from verifier.gate.run import CheckRequest, check_article, gate_article, run_check
from verifier.report.results import FileResult, GateFinding, GateResult

__all__ = ["CheckRequest", "FileResult", "GateError", "GateFinding", "GateResult", "build_options",
           "check_article", "gate_article", "run_check"]
