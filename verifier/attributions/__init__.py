"""Stage 2 — find attributions: every attributed quote and claim in an `ArticleText`, with its outlet(s),
speaker, cue and span (`find_attributions`). The cue grammar is data (`verifier/data/cues.toml`, read by
`cues.py`); `single_claim.py` reads the one sentence a `verifier claim` user types."""

from verifier.attributions.finder import find_attributions

__all__ = ["find_attributions"]
