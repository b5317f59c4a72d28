"""Edit family: agent and patient swapped ("X beat Y" -> "Y beat X")."""

from __future__ import annotations

from verifier import lexicon
from verifier.contrast.common import _ROLE_PREPOSITIONS, Edit, _tidy
from verifier.contrast.page import Page, _classify, _name_runs, _possessive, _run_span
from verifier.match.elements import Analysed, capitalised_words, function_words, is_predicate
from verifier.match.normalize import NUMBER, WORD

# --- agent and patient


def _roles(a: Analysed, page: Page | None) -> list[Edit]:
    pg = page or Page(a.text, caps=capitalised_words(a))
    names = _name_runs(a, pg.caps)
    out: list[Edit] = []
    sem = lexicon.semantics()
    for x, (i1, j1) in enumerate(names):
        for i2, j2 in names[x + 1 :]:
            if any(a.breaks[k] and not _inside_numbers(a, k) for k in range(j1, i2 + 1)):
                break  # one clause only (the comma of "6-4, 6-0" does not end it)
            between = list(range(j1, i2))
            words = [a.words[k] for k in between]
            if not words or words[-1] in ("and", "or", "&", "nor") or words[0] in ("and", "or", "&", "nor"):
                continue  # "X and Y": swapping a coordination changes nothing
            if any(a.tokens[k].kind != WORD for k in between) and not _possessive(a, j1 - 1):
                continue
            s1, e1 = _run_span(a, i1, j1)
            s2, e2 = _run_span(a, i2, j2)
            n1, n2 = a.text[s1:e1], a.text[s2:e2]
            if _classify(n1, pg) != _classify(n2, pg) or set(n1.lower().split()) & set(n2.lower().split()):
                continue
            if _possessive(a, j1 - 1):
                # "X's (6-4, 6-0) victory over Y"
                if words[-1] not in _ROLE_PREPOSITIONS or len(between) > 6:
                    continue
            else:
                preds = [k for k in between if is_predicate(a, k) and a.words[k] not in sem.reporting]
                others = [k for k in between if k not in preds and a.words[k] not in function_words()
                          and a.words[k] not in sem.modality and a.words[k] not in sem.negators]
                if len(preds) != 1 or others or len(between) > 5:
                    continue
            new = a.text[:s1] + n2 + a.text[e1:s2] + n1 + a.text[e2:]
            out.append(Edit("roles", _tidy(new), f"{n1} … {n2}", f"{n2} … {n1}"))
    return out


def _inside_numbers(a: Analysed, k: int) -> bool:
    return 0 < k < len(a.tokens) and a.tokens[k - 1].kind == NUMBER and a.tokens[k].kind == NUMBER
