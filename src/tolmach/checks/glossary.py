"""The glossary check: every glossary term found in a source must be rendered by the glossary.

Per entry (``glossary``, error): a term missing from the translation, a forbidden variant, words of
a term that do not agree («Комсомольская правды»), the wrong letter case of a case-sensitive term,
or the source term left untranslated, or a misspelt or untranslated occurrence next to correct ones. A correct
rendering with a capital letter the glossary does not write («Лигу Чемпионов» for «Лига чемпионов»,
not at a sentence start) is a warning of the same check (issue kind ``style``): it is the same
term, and house style may allow it.

Across the project (``glossary-consistency``, warning, from :meth:`GlossaryCheck.finish`): a source
term rendered in different ways within one direction (EN→RU renderings with each other, RU→EN ones
with each other), compared by lemmas so that inflection does not count. Since the
per-entry check already requires the glossary's form, this only reports what the errors do not say
on their own: a project that mixes the main rendering with an accepted *alternative* («Талибан» in
some entries, «талибы» in others), and, for a term that keeps failing, which different wrong
renderings (forbidden variants, misspellings, the English left as is) it is spread over. Entries the
runner does not pass in (fuzzy ones, unless asked; entries that skip the check) are not counted.

A unit of a Markdown or HTML article is checked as the model saw it, in its words without the
markup (:func:`~tolmach.checks.markup.words`): «[Кертис](https://…) Скапаротти» renders the term,
«*Совет* Союз» is the forbidden variant. A finding's ``start`` and ``end`` are in the msgstr as
written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable

from ..glossary.russian import visible
from ..glossary.verify import check_pair
from .base import ERROR, WARNING, Check, CheckEntry, Finding
from .markup import entry_markup, may_change_words, original_range, words

if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Glossary, Term


def _entries(n: int) -> str:
    return "entry" if n == 1 else "entries"


_MEMO_SIZE = 100_000  # texts remembered per run (then forgotten all at once: memory stays bounded)


class GlossaryCheck(Check):
    id = "glossary"
    severity = ERROR
    description = "glossary terms in the source are rendered in a correct form of the glossary target"
    consistency_id = "glossary-consistency"

    def __init__(self, glossary: "Glossary"):
        self.glossary = glossary
        # per file, in the order checked: (term, source language, target language, lemma key, entry,
        # text) for every rendering seen; renderings are compared within one direction only (never
        # «Талибан» with "Taliban")
        self._seen: dict[str, list[tuple]] = {}
        # (source, target, source language, target language) -> (issues, renderings recorded)
        self._memo: dict[tuple[str, str, str, str], tuple[list, list[tuple]]] = {}
        self._rendered: list[tuple] = []  # the renderings of the entry being checked

    def _record(self, term: "Term", key: str, text: str, start: int, end: int) -> None:
        self._rendered.append((term, key, text))

    def check(self, entry: CheckEntry) -> Iterable[Finding]:
        source, target = entry.source, entry.target
        if not target.strip() or not source.strip():
            return []
        if entry.source_lang == "en" and entry.target_lang == "ru" and self.glossary.english.has_none(visible(source)):
            # most texts: no term, told by one search (the one ``check_pair`` starts with, of the
            # source without its soft hyphens and other invisible characters); markup only adds
            # characters between the words it needs (a term is never split inside a word of the source)
            return []
        fmt = (may_change_words(source) or may_change_words(target)) and entry_markup(entry)
        if fmt:
            source, target = words(source, fmt), words(target, fmt)

        # the issues of a translation and how it renders each term depend only on the two texts and
        # the direction (the glossary is fixed for the run): a text seen before in this run (a
        # credit line, a repeated paragraph) is not checked again
        key = (source, target, entry.source_lang, entry.target_lang)
        known = self._memo.get(key)
        if known is None:
            self._rendered = renderings = []
            issues = check_pair(self.glossary, source, target, entry.source_lang, entry.target_lang, self._record, warnings=True)
            if issues or renderings:  # (a text without a term is told as fast as it is looked up)
                if len(self._memo) >= _MEMO_SIZE:
                    self._memo.clear()
                self._memo[key] = (issues, renderings)
        else:
            issues, renderings = known
        if renderings:
            # all finish() needs of the entry (a small cache state): where it is, and its msgstr lines
            where = (entry.path, entry.line, entry.msgctxt, entry.msgstr_line, entry.msgstr_end_line)
            seen = self._seen.setdefault(entry.path, [])
            for term, k, text in renderings:
                seen.append((term, entry.source_lang, entry.target_lang, k, where, text))
        if not issues:
            return []
        if target != entry.target:  # the positions are in the words: put them in the msgstr
            issues = [self._in_msgstr(issue, entry.target, target) for issue in issues]
        return [
            self.finding(
                entry,
                issue.message,
                severity=WARNING if issue.is_warning else self.severity,
                term=issue.term.source,
                expected=issue.expected,
                found=issue.found,
                extra={"issue": issue.kind, "start": issue.start, "end": issue.end, "glossary": issue.term.location()},
            )
            for issue in issues
        ]

    @staticmethod
    def _in_msgstr(issue, msgstr: str, plain: str):
        if issue.start is None or issue.end is None:
            return issue
        start, end = original_range(msgstr, plain, issue.start, issue.end)
        return replace(issue, start=start, end=end)

    def file_state(self, path: str) -> list[tuple]:
        return self._seen.get(path, [])

    def add_file_state(self, path: str, state: list[tuple]) -> None:
        self._seen[path] = list(state)

    def _renderings(self) -> dict[tuple["Term", str, str], tuple["Term", dict[str, list]]]:
        """(term, source language, target language) -> (term, lemma key -> [count, (path, line,
        msgctxt) of the first, first text]), in the order first seen."""
        out: dict[tuple["Term", str, str], tuple["Term", dict[str, list]]] = {}
        for records in self._seen.values():
            for term, source_lang, target_lang, key, where, text in records:
                group = out.get((term, source_lang, target_lang))
                if group is None:
                    group = out[(term, source_lang, target_lang)] = (term, {})
                seen = group[1]
                slot = seen.get(key)
                if slot is None:
                    seen[key] = [1, where, text]
                else:
                    slot[0] += 1
        return out

    def finish(self) -> Iterable[Finding]:
        out = []
        for (_, _, target_lang), (term, seen) in self._renderings().items():
            if len(seen) < 2:
                continue
            counts = Counter({k: v[0] for k, v in seen.items()})
            (main, _), *others = counts.most_common()
            main_text = seen[main][2]
            for key, n in others:
                _, (path, line, msgctxt, msgstr_line, msgstr_end_line), text = seen[key]
                message = (
                    f'term "{term.source}" is rendered inconsistently: «{text.strip("«»")}» here'
                    f"{f' and in {n - 1} more {_entries(n - 1)}' if n > 1 else ''}, "
                    f"«{main_text.strip('«»')}» in {counts[main]} {_entries(counts[main])}"
                )
                out.append(
                    Finding(
                        check_id=self.consistency_id,
                        severity=WARNING,
                        message=message,
                        path=path,
                        line=line,
                        msgctxt=msgctxt,
                        msgstr_line=msgstr_line,
                        msgstr_end_line=msgstr_end_line,
                        term=term.source,
                        expected=term.target if target_lang == "ru" else term.source,
                        found=text,
                        extra={"renderings": {seen[k][2]: c for k, c in counts.items()}},
                    )
                )
        return sorted(out, key=lambda f: (f.path, f.line))
