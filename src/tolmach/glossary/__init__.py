"""The domain glossary: terms, matching on both sides, checking and enforcement.

Modules: ``model`` (Term, Glossary, results), ``io`` (CSV/TSV files), ``english`` and ``russian``
(matching), ``locate`` (where a term is rendered), ``verify`` (the check), ``enforce`` (rewriting a
machine translation), ``lint``, ``tbx`` and ``forms`` (interchange).
"""

from .io import COLUMNS, load_glossary, read_glossary_file, write_glossary
from .model import KINDS, Enforcement, Glossary, Term, TermIssue, TermMatch

__all__ = [
    "COLUMNS",
    "KINDS",
    "Enforcement",
    "Glossary",
    "Term",
    "TermIssue",
    "TermMatch",
    "load_glossary",
    "read_glossary_file",
    "write_glossary",
]
