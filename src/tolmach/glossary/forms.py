"""Export every inflected form of each Russian term, for systems that match strings exactly.

Weblate's glossary and DeepL-style glossaries compare strings, not lemmas; listing every form lets
them recognise «Комсомольской правде» as «Комсомольская правда». The output is a two-column TSV
without a header (DeepL's format): ``source<TAB>form`` for EN→RU, ``form<TAB>source`` for RU→EN;
one line per distinct form, the nominative singular first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..fsutil import atomic_write_text
from .model import Glossary, Term


def inflected_forms(glossary: Glossary, term: Term) -> list[str]:
    """Every distinct form of the term's target and alternatives (titles without their quotes too)."""
    from .russian import all_forms

    compiled = glossary.russian.compiled(term)
    out: list[str] = []
    for pattern in compiled.accepted:
        for _case, _number, text in all_forms(pattern, term.kind):
            for form in (text, text[1:-1]) if pattern.quoted else (text,):
                if form not in out:
                    out.append(form)
    return out


def forms_tsv(glossary: Glossary, direction: str = "en-ru", terms: Sequence[Term] | None = None) -> str:
    lines = []
    for term in terms if terms is not None else glossary.terms:
        for form in inflected_forms(glossary, term):
            pair = (term.source, form) if direction == "en-ru" else (form, term.source)
            lines.append("\t".join(" ".join(x.split()) for x in pair))
    return "\n".join(lines) + ("\n" if lines else "")


def export_forms(glossary: Glossary, path: str | Path, direction: str = "en-ru") -> None:
    atomic_write_text(path, forms_tsv(glossary, direction))
