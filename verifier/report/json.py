"""`--format json`: {"version", "passed", "summary", "reports": [...], "errors": [...]}; see docs/gate.md."""

from __future__ import annotations

import json as _json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verifier.report.results import GateResult


def render_json(result: GateResult) -> str:
    return _json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
