"""Stage: match and verdict. An attribution and its source documents -> `Finding`.

- `normalize`: canonical tokens (quotation marks, spelling, numbers, currencies);
- `quotes`: word-by-word alignment of quotes, with the editorial-mark rules;
- `elements`, `claims`: the claim judge (every content element of the claim accounted for in one
  passage, its relations, values, modality and polarity);
- `speakers`: who the source gives a passage to;
- `verdict`: the verdict, reason, evidence and differing words.

    from verifier.match import judge
    finding = judge(attribution, refs, documents)
"""

from verifier.match.quotes import index_text, match_quote
from verifier.match.verdict import DocumentIndexCache, judge

__all__ = ["DocumentIndexCache", "index_text", "judge", "match_quote"]
