"""verifier: check quotes and claims attributed to other outlets against the originals.

    from verifier import verify_article, verify_claim, read_article
    report = verify_article(read_article("story.md"), sources={"Guardian": "https://www.theguardian.com/..."})
    for finding in report.findings:
        print(finding.verdict, finding.reason, finding.explanation)

The names below are imported lazily so that `verifier --help` does not pay for httpx, lxml and
rapidfuzz at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "verify_article": "verifier.pipeline",
    "verify_claim": "verifier.pipeline",
    "verify_attributions": "verifier.pipeline",
    "fetch_documents": "verifier.pipeline",
    "Options": "verifier.pipeline",
    "read_article": "verifier.read.reader",
    "InputError": "verifier.read.reader",
    "find_attributions": "verifier.attributions.finder",
    "Attribution": "verifier.models",
    "ArticleText": "verifier.models",
    "SourceDocument": "verifier.models",
    "Finding": "verifier.models",
    "Report": "verifier.models",
    "Verdict": "verifier.models",
    "Reason": "verifier.models",
    "Evidence": "verifier.models",
    "Difference": "verifier.models",
}

__all__ = [
    "__version__", "verify_article", "verify_claim", "verify_attributions", "fetch_documents", "Options",
    "read_article", "InputError", "find_attributions", "Attribution", "ArticleText", "SourceDocument",
    "Finding", "Report", "Verdict", "Reason", "Evidence", "Difference",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")
