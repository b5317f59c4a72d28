"""Judge a paraphrased claim against a source: confirmed only when every element is accounted for.

The rule (README, "Verdict rules"): a claim is `supported` only when every content element of the
claim is in one passage of the source (the same word, an inflection of it, a synonym WordNet
vouches for, or an equal number form), and the relations between them hold there:

- each clause's facts (numbers, dates, predicates) come from one source sentence, so two facts
  the source keeps apart cannot be merged; names may come from the sentences before (coreference);
- the modality and polarity of each shared word agree ("may" vs "will", "not" vs none, "declined
  to"), and so do quantifiers, approximators, temporal relations and relative times;
- who did what to whom survives voice ("X was nominated by Y" = "Y nominated X"), ordered number
  pairs keep their direction, numbers stay with their entity, and the restrictor of a share ("30
  percent of all voters") keeps its scope.

Whatever cannot be accounted for is named: a substituted word with its counterpart in the source,
a missing statement, or a word the source puts differently (`paraphrase`). Topic overlap is never
support: when too little of the claim is in any passage, the verdict is `not_found`.

Parts: index (the source side), shape (the claim side), locate, substitutions, markers, values,
roles, judge (the decision).
"""

from verifier.match.claims.index import ClaimIndex, build_index, word_key_forms
from verifier.match.claims.judge import judge_claim
from verifier.match.claims.shape import ClaimJudgement

__all__ = ["ClaimIndex", "ClaimJudgement", "build_index", "judge_claim", "word_key_forms"]
