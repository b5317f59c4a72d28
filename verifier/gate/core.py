"""Compatibility: the names `verifier.gate.core` held before the gate was split into
files.py (inputs, git), waivers.py, positions.py, assess.py (policy per finding), options.py
(pipeline options from a policy), run.py (run_check, the pool) and verifier/report/results.py
(the result data classes). New code imports from those modules or from `verifier.gate`."""

from verifier.errors import GateError
from verifier.gate.assess import DEFAULT_REASON_RULES, apply_overrides, assess, evaluate
from verifier.gate.files import (
    ARTICLE_EXTS,
    changed_files,
    default_base,
    discover,
    discover_inputs,
    own_report,
    read_draft,
)
from verifier.gate.options import Resources, build_options
from verifier.gate.positions import Locator
from verifier.gate.run import CheckRequest, check_article, gate_article, run_check
from verifier.gate.waivers import find_waivers
from verifier.report.results import STATUSES, FileError, FileResult, GateFinding, GateResult, Waiver

_Resources = Resources  # the server's name for it (verifier/serve/options.py)

__all__ = ["ARTICLE_EXTS", "DEFAULT_REASON_RULES", "STATUSES", "CheckRequest", "FileError", "FileResult", "GateError",
           "GateFinding", "GateResult", "Locator", "Resources", "Waiver", "apply_overrides", "assess",
           "build_options", "changed_files", "check_article", "default_base", "discover", "discover_inputs",
           "evaluate", "find_waivers", "gate_article", "own_report", "read_draft", "run_check"]
