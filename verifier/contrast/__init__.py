"""Contrast sets: minimal meaning-changing edits of real-style sentences.

Each edit changes exactly one thing a careful reader would call a different statement: who did
what to whom, the day, month or year, the hedge, a vague quantity, a word for its opposite, a
name for another name of the same page, the order of a from/to pair or a score, the polarity, a
number, or (in quotations) a negation dropped through an ellipsis or a word replaced through an
editorial bracket, and the person a quotation is given to. A verifier must never confirm an
edited sentence against the page the original came from (`tests/test_contrast.py`,
`scripts/contrast_dev.py`).

Every edit returns the edited text and the kind of change, or refuses (None) when the sentence has
nothing to edit for that kind. The knowledge comes from the project's data, not from lists here:
the closed classes of `data/semantics.toml` (modality, negation, approximators, vague quantities,
temporal relations, calendar), WordNet antonyms and the opposition pairs
(`lexicon.antonym_lemmas`), the tokeniser's numbers, the attribution finder's speakers, the
outlet registry, and gender-guesser's table of first names to tell a person's name. Inflecting a
replacement word ("disapprove" -> "disapproved") uses lemminflect (a test dependency); without it
the edits that need an inflection refuse.

Nothing here is used to judge anything: it is a generator of test inputs.

One module per edit family (`roles`, `dates`, `hedges`, `quantities`, `opposites`, `names`,
`polarity`, `editorial`, `speakers`); `common` holds the kinds, the `Edit` record and the shared
data and helpers, `page` the page's names and quotations, `edits` the entry points.
"""

from verifier.contrast.common import CLAIM_KINDS, KINDS, QUOTE_KINDS, SPEAKER_KINDS, Edit, _raw_semantics
from verifier.contrast.edits import count, edit, edited_outside_quote, edits, page_cases, quotation
from verifier.contrast.page import Name, Page, PageQuote

__all__ = ["CLAIM_KINDS", "KINDS", "QUOTE_KINDS", "SPEAKER_KINDS", "Edit", "Name", "Page", "PageQuote", "_raw_semantics",
           "count", "edit", "edited_outside_quote", "edits", "page_cases", "quotation"]
