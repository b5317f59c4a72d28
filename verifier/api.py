"""Compatibility import: the orchestrator is `verifier.pipeline` (this module's old name)."""

from verifier.pipeline import *  # noqa: F403
from verifier.pipeline import Options, fetch_documents, verify_article, verify_attributions, verify_claim

__all__ = ["Options", "fetch_documents", "verify_article", "verify_attributions", "verify_claim"]
