"""Stage: match and verdict. An attribution and its source documents -> `Finding`.

- `normalize` (with `number_words`): canonical tokens (quotation marks, spelling, numbers, currencies);
- `source_index`: a source tokenised once, with its sentences and stems (`index_text`);
- `quotes`: word-by-word alignment of quotes, with the editorial-mark rules;
- `claim_window`: the sentence-window coverage of a claim (`match_claim`);
- `analysed`, `elements`, `value_phrases`, `claims/`: the claim judge (every content element of the
  claim accounted for in one passage, its relations, values, modality and polarity);
- `speakers`, `named_speakers`: who the source gives a passage to;
- `assess`: one attribution against one document (reason, score, evidence, differences);
- `verdict`: the best of an attribution's sources, and the paywall and misattribution rules.

    from verifier.match import judge
    finding = judge(attribution, refs, documents)
"""

from verifier.match.quotes import index_text, match_quote
from verifier.match.verdict import DocumentIndexCache, judge

__all__ = ["DocumentIndexCache", "index_text", "judge", "match_quote"]
