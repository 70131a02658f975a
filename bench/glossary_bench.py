"""Glossary benchmark (issue #6): term accuracy, false positives and recall on WMT21 EN→RU.

Reads the WMT21 news test set and the recorded outputs of nine WMT21 systems from ``../shared`` (see
``bench/README.md``, section *Glossary*, for the metrics), replays each system through
:class:`tolmach.engines.replay.ReplayEngine`, applies :meth:`Glossary.enforce` as the translate
pipeline does, and prints:

1. term accuracy of every system, raw and after enforcement, with chrF against reference A;
2. the checker's raw flag rate on the human references A and B, each flag sorted by the category it
   was given in ``bench/data/wmt21.reference-errors.tsv`` (reference error, omission, checker false
   positive, glossary gap), and the false-positive rate = (checker false positives + glossary gaps +
   flags not yet classified) / (pairs − reference errors − omissions);
3. the checker's recall on copies of reference A with planted errors (a forbidden variant, a word of a
   multi-word term put out of agreement, a misspelt transliteration).

Run from the repository root::

    python bench/glossary_bench.py [--shared ../shared] [--json OUT] [--show 10]

This is a script that prints figures, not a timed test.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
DATA = REPO / "bench" / "data"
DEFAULT_GLOSSARY = DATA / "wmt21.en-ru.glossary.csv"
# Every flag the checker raises on the human references, read and classified (one row per flagged
# (reference, line, term)). See bench/README.md, section Glossary, for the categories.
DEFAULT_REFERENCE_ERRORS = DATA / "wmt21.reference-errors.tsv"
TEST_SET = "corpora/en-ru/wmt-general/wmt21"
SYSOUT = "corpora/en-ru/mt-outputs/wmt21-sysout"
SRC = "newstest2021.en-ru.src.en"
REFS = {"A": "newstest2021.en-ru.ref.A.ru", "B": "newstest2021.en-ru.ref.B.ru"}
HYP_GLOB = "newstest2021.en-ru.hyp.*.ru"


@dataclass(frozen=True)
class SetSpec:
    """One test set in one direction, with its glossary and its classified flags."""

    folder: str
    src: str
    refs: dict
    hyp_glob: str
    sysout: str
    glossary: Path
    reference_errors: Path
    langs: tuple[str, str]


def _wmt(year: int, prefix: str, direction: str, ref: str) -> SetSpec:
    s, t = direction.split("-")
    return SetSpec(
        f"corpora/en-ru/wmt-general/wmt{year % 100}", f"{prefix}.{direction}.src.{s}",
        {"A": f"{prefix}.{direction}.ref.{ref}.{t}"}, f"{prefix}.{direction}.hyp.*.{t}",
        f"corpora/en-ru/mt-outputs/wmt{year % 100}-sysout", DATA / f"wmt{year % 100}.{direction}.glossary.csv",
        DATA / f"wmt{year % 100}.{direction}.reference-errors.tsv", (s, t),
    )  # fmt: skip


SETS = {
    "wmt21.en-ru": SetSpec(TEST_SET, SRC, REFS, HYP_GLOB, SYSOUT, DEFAULT_GLOSSARY, DEFAULT_REFERENCE_ERRORS, ("en", "ru")),
    "wmt22.en-ru": _wmt(2022, "generaltest2022", "en-ru", "A"),
    "wmt22.ru-en": _wmt(2022, "generaltest2022", "ru-en", "A"),
    "wmt23.en-ru": _wmt(2023, "generaltest2023", "en-ru", "refA"),
    "wmt23.ru-en": _wmt(2023, "generaltest2023", "ru-en", "refA"),
}

# Reference B (0-based lines 743-754) is shifted by one sentence against the source in the
# distributed files: B[743] translates source 744, and source 754 is split over B[753] and B[754].
# Checking those lines would measure the misalignment, not the checker.
MISALIGNED = {"B": frozenset(range(743, 755))}
MISALIGNED_BY_SET = {"wmt21.en-ru": MISALIGNED}

ERROR_KINDS = ("forbidden", "agreement", "misspelling", "missing")

# Categories of a classified flag on a human reference. The first two are correct flags under the
# check's specification (the term does not appear in a correct form); the last two are false positives.
CATEGORIES = {
    "reference-error": "the reference is wrong where the term is (typo, misspelt or wrong name, "
                       "declension, letter case, mistranslation)",
    "omission": "the reference leaves the term out or puts something that is not the term in its place "
                "(a description, a pronoun, another title)",
    "checker-fp": "the reference renders the term in a correct, listed form and the checker misses it",
    "glossary-gap": "the reference uses a correct rendering that the glossary does not list",
}
CORRECT_FLAGS = ("reference-error", "omission")
UNCLASSIFIED = "unclassified"
TSV_COLUMNS = ("reference", "line", "term", "found", "category", "why")


# --------------------------------------------------------------------------- data


def read_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


_MOJIBAKE = re.compile("[À-ÿ]{3,}")


def repair_mojibake(line: str) -> tuple[str, bool]:
    """Reference A has a few lines of CP1251 read as Latin-1 (``Ðåöåíçèÿ``); decode them back."""
    if not _MOJIBAKE.search(line):
        return line, False
    for enc in ("cp1252", "latin-1"):
        try:
            return line.encode(enc).decode("cp1251"), True
        except UnicodeError:
            continue
    return line, False


@dataclass
class TestSet:
    src_path: Path
    src: list[str]
    refs: dict[str, list[str]]
    repaired: dict[str, list[int]]
    systems: dict[str, Path]


def load_set(shared: Path, name: str) -> TestSet:
    spec = SETS[name]
    base = shared / spec.folder
    src_path = base / spec.src
    src = read_lines(src_path)
    refs, repaired = {}, {}
    for ref_name, fname in spec.refs.items():
        lines, fixed = [], []
        for i, line in enumerate(read_lines(base / fname)):
            line, was = repair_mojibake(line)
            lines.append(line)
            if was:
                fixed.append(i)
        if len(lines) != len(src):
            raise SystemExit(f"{base / fname}: {len(lines)} lines, source has {len(src)}")
        refs[ref_name], repaired[ref_name] = lines, fixed
    suffix = "." + spec.langs[1]
    systems = {
        p.name.split(".hyp.")[1][: -len(suffix)]: p for p in sorted((shared / spec.sysout).glob(spec.hyp_glob))
    }
    return TestSet(src_path, src, refs, repaired, systems)


def load_test_set(shared: Path) -> TestSet:
    return load_set(shared, "wmt21.en-ru")


@dataclass(frozen=True)
class VerifiedFlag:
    """One flag on a human reference, read against the source and classified."""

    reference: str
    line: int  # 1-based
    term: str  # the term's source
    found: str  # what the reference has where the term should be; "-" when nothing stands in its place
    category: str  # a key of CATEGORIES
    why: str

    @property
    def subkind(self) -> str:
        """The ``why`` text's prefix: typo, letter case, paraphrase, surname only…"""
        return self.why.split(":", 1)[0]


def load_reference_errors(path: Path | None) -> list[VerifiedFlag]:
    if path is None or not path.is_file():
        return []
    lines = read_lines(path)
    if not lines or tuple(lines[0].split("\t")) != TSV_COLUMNS:
        raise SystemExit(f"{path}:1: expected the header {chr(9).join(TSV_COLUMNS)!r}")
    out, seen = [], set()
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != len(TSV_COLUMNS):
            raise SystemExit(f"{path}:{n}: expected {len(TSV_COLUMNS)} tab-separated columns, "
                             f"got {len(cols)}")
        row = VerifiedFlag(cols[0], int(cols[1]), cols[2], cols[3], cols[4], cols[5])
        if row.category not in CATEGORIES:
            raise SystemExit(f"{path}:{n}: category {row.category!r} is not one of "
                             f"{', '.join(CATEGORIES)}")
        key = (row.reference, row.line, row.term)
        if key in seen:
            raise SystemExit(f"{path}:{n}: reference {row.reference} line {row.line} {row.term!r} "
                             "is listed twice")
        seen.add(key)
        out.append(row)
    return out


# --------------------------------------------------------------------------- scoring


def source_terms(glossary, src: list[str], lang: str = "en") -> list[list]:
    """The distinct glossary terms found in each source sentence."""
    out = []
    for s in src:
        seen = []
        for m in glossary.find(s, lang):
            if m.term not in seen:
                seen.append(m.term)
        out.append(seen)
    return out


def flagged_terms(glossary, source: str, target: str, langs: tuple[str, str] = ("en", "ru")) -> dict:
    """term -> its first issue, for the terms the checker reports in ``target``."""
    out = {}
    for issue in glossary.check(source, target, *langs):
        out.setdefault(issue.term, issue)
    return out


@dataclass
class Tally:
    pairs: int = 0
    flagged: int = 0
    kinds: Counter = field(default_factory=Counter)
    examples: list = field(default_factory=list)
    found: int = 0  # flagged although the glossary's Russian finder sees the term in the target
    entries: int = 0  # sentences that name at least one term

    @property
    def rate(self) -> float:
        return self.flagged / self.pairs if self.pairs else 0.0

    @property
    def accuracy(self) -> float:
        return 1.0 - self.rate if self.pairs else 0.0


def score(glossary, src, hyps, terms, skip=frozenset(), keep_examples=0, classify=False, langs=("en", "ru")) -> Tally:
    t = Tally()
    for i, (s, h) in enumerate(zip(src, hyps)):
        if i in skip or not terms[i]:
            continue
        t.entries += 1
        flagged = flagged_terms(glossary, s, h, langs)
        seen = {m.term for m in glossary.find(h, langs[1])} if classify and flagged else set()
        for term in terms[i]:
            t.pairs += 1
            issue = flagged.get(term)
            if issue is not None:
                t.flagged += 1
                t.kinds[issue.kind] += 1
                t.found += term in seen
                if len(t.examples) < keep_examples:
                    t.examples.append(
                        {"line": i + 1, "term": f"{term.source} → {term.target}", "kind": issue.kind, "key": term.source,
                         "message": issue.message, "found": issue.found, "source": s, "target": h}
                    )
    return t


def chrf(hyps: list[str], refs: list[str]) -> float | None:
    try:
        from sacrebleu.metrics import CHRF
    except ImportError:  # the bench extra is not installed
        return None
    return CHRF().corpus_score(hyps, [refs]).score


# Worker state for the process pool: loaded once per process.
_W: dict = {}


def _init_worker(glossary_path: str, src_path: str, src: list[str], ref_a: list[str]) -> None:
    from tolmach.glossary import load_glossary

    _W["g"] = load_glossary(glossary_path)
    _W["src_path"], _W["src"], _W["ref"] = src_path, src, ref_a
    _W["terms"] = source_terms(_W["g"], src)


def _run_system(job: tuple[str, str, int]) -> dict:
    from tolmach.engines.replay import ReplayEngine

    name, hyp_path, show = job
    g, src, terms = _W["g"], _W["src"], _W["terms"]
    started = time.perf_counter()
    engine = ReplayEngine.from_files(_W["src_path"], hyp_path, "en", "ru", name)
    raw = engine.translate(src)
    enforced, unplaced = [], 0
    for s, h in zip(src, raw):
        e = g.enforce(s, h, "en", "ru")
        enforced.append(e.text)
        unplaced += len(e.unplaced)
    before = score(g, src, raw, terms)
    after = score(g, src, enforced, terms, keep_examples=show)
    return {
        "system": name,
        "engine": engine.info.signature(),
        "pairs": before.pairs,
        "raw_accuracy": before.accuracy,
        "enforced_accuracy": after.accuracy,
        "raw_issues": dict(before.kinds),
        "enforced_issues": dict(after.kinds),
        "unplaced": unplaced,
        "chrf_raw": chrf(raw, _W["ref"]),
        "chrf_enforced": chrf(enforced, _W["ref"]),
        "changed_sentences": sum(a != b for a, b in zip(raw, enforced)),
        "misses": after.examples,
        "seconds": time.perf_counter() - started,
    }


# --------------------------------------------------------------------------- planted errors


class Planter:
    """Plants one error of a given kind into the reference's rendering of a term."""

    def __init__(self, seed: int, glossary=None):
        import pymorphy3

        self.glossary = glossary
        self.morph = pymorphy3.MorphAnalyzer()
        self.rng = random.Random(seed)

    def _parse(self, word: str):
        return [p for p in self.morph.parse(word) if p.tag.case is not None]

    def _cases(self, word: str) -> set[str]:
        return {p.tag.case for p in self._parse(word)}

    def _declinable(self, word: str) -> bool:
        """False for indeclinable words (Моди, Дини): any case of theirs agrees with anything."""
        parses = self._parse(word)
        if not parses or any("Fixd" in p.tag for p in parses):
            return False
        forms = {f.word for c in ("nomn", "gent", "datv", "ablt") if (f := parses[0].inflect({c}))}
        return len(forms) > 1

    def forbidden(self, term, span_text: str) -> str | None:
        if not term.forbidden:
            return None
        variant = self.rng.choice(term.forbidden)
        words, model = variant.split(), span_text.split()
        if len(words) == len(model):  # put the variant in the case the reference uses
            words = [self._inflect_like(w, m) for w, m in zip(words, model)]
        return " ".join(words)

    def _inflect_like(self, word: str, model: str) -> str:
        if not re.search("[а-яё]", word, re.I):
            return word
        cases = [p.tag.case for p in self._parse(model)]
        parses = self._parse(word)
        if not cases or not parses:
            return word
        form = parses[0].inflect({cases[0]})
        if form is None:
            return word
        return _match_case(form.word, word)

    def agreement(self, term, span_text: str) -> str | None:
        """Re-inflect one word of a multi-word term so that the words no longer agree in case."""
        words = span_text.split()
        target_words = term.bare_target.split()
        if len(words) < 2 or len(words) != len(target_words):
            return None
        # Only terms whose words agree in the nominative (adjective + noun, first name + surname):
        # in «министр внутренних дел» the genitive is governed, and changing it is a different error.
        if not all("nomn" in self._cases(w) for w in target_words if re.search("[а-яё]", w, re.I)):
            return None
        cyr = [k for k, w in enumerate(words) if re.fullmatch(r"[А-Яа-яЁё]+", w)]
        # a person's foreign name in -о/-и/-у/-е/-э/-ю does not decline («Родриго Бентанкуром» agrees)
        if term.kind == "person" and any(w[-1:].lower() in "оиуеэю" for w in target_words):
            return None
        if len(cyr) < 2 or not all(self._declinable(words[k]) for k in cyr):
            return None
        # a foreign name of a club or a company declines its last word only («с „Астон Виллой“»):
        # re-inflecting it plants a correct form. Outside people's names, only dictionary words.
        if term.kind != "person" and not all(any(p.is_known for p in self._parse(words[k])) for k in cyr):
            return None
        for k in sorted(cyr, key=lambda k: (k != cyr[-1], k)):  # the head noun first
            others = set.intersection(*[self._cases(words[j]) for j in cyr if j != k])
            if not others:
                continue
            for p in self._parse(words[k]):
                for case in ("gent", "datv", "ablt", "nomn", "loct"):
                    form = p.inflect({case})
                    if form is None or form.word == words[k].lower():
                        continue
                    if self._cases(form.word) & others:
                        continue  # still agrees with the other words in some case
                    planted = list(words)
                    planted[k] = _match_case(form.word, words[k])
                    return " ".join(planted)
        return None

    def misspelling(self, term, span_text: str, lang: str = "ru") -> str | None:
        """Drop or double one inner letter of the longest word of a name (Cyrillic in Russian)."""
        if term.kind not in ("person", "place", "organisation"):
            return None
        words = span_text.split()
        letters = r"[А-Яа-яЁё-]{4,}" if lang == "ru" else r"[A-Za-z-]{4,}"
        # words of the term only: not a coordinated modifier inside the span («Канарских и Балеарских островов»)
        stems = {w[:3].lower() for w in (term.bare_target if lang == "ru" else term.source).split()}
        cands = [k for k, w in enumerate(words) if re.fullmatch(letters, w) and w[:3].lower() in stems]
        if not cands:
            return None
        k = max(cands, key=lambda k: len(words[k]))
        w = words[k]
        pos = self.rng.randrange(1, len(w) - 2)
        if w[pos] == "-":
            pos += 1
        if self.rng.random() < 0.5:
            new = w[:pos] + w[pos + 1 :]
        else:
            new = w[:pos] + w[pos] + w[pos:]
        if self.glossary is not None and lang == "ru":
            from tolmach.glossary.russian import norm

            forms = {f for p in self.glossary.russian.compiled(term).accepted for w in p.words for f in w.forms}
            if norm(new) in forms:
                return None  # the "misspelling" is another correct form (Одесской -> Одессой)
        planted = list(words)
        planted[k] = new
        return " ".join(planted)


def _match_case(form: str, model: str) -> str:
    if model.isupper():
        return form.upper()
    if model[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def remove_term(glossary, term, text: str, source: str, lang: str) -> str:
    """``text`` without any rendering of ``term`` that the checker would accept (every form, the
    alternatives, the name kept in Latin, a correct rendering inside a longer term)."""
    from tolmach.glossary.locate import locate_ru
    from tolmach.glossary.russian import token_keys, tokenize
    from tolmach.glossary.verify import _surname_alone

    for _ in range(10):
        if lang == "ru":
            tokens = tokenize(text)
            r = locate_ru(glossary, term, tokens, text, source=source)
            spans = [(m.start, m.end) for m in r.correct + r.alternatives + r.kept_foreign]
            if not spans and term.kind == "person":  # the surname alone passes for a full name
                spans = [(m.start, m.end) for m in _surname_alone(glossary, term, tokens, text, token_keys(tokens))]
        else:
            from tolmach.glossary.verify import english_renderings

            spans = [(m.start, m.end) for m in english_renderings(glossary, term, source, text)]
        if not spans:
            break
        for start, end in sorted(set(spans), reverse=True):
            text = text[:start] + text[end:]
    return text


def recall(glossary, src, ref, terms, seed: int, show: int, langs=("en", "ru")) -> dict:
    """Plant one error at a time into renderings the checker accepts. *missing* removes every
    rendering of the term from the sentence; in RU→EN only *misspelling* and *missing* apply (the
    glossary lists no English variants, and English names do not agree in case)."""
    planter = Planter(seed, glossary)
    kinds = ERROR_KINDS if langs[1] == "ru" else ("misspelling", "missing")
    out = {k: {"planted": 0, "caught": 0, "misses": []} for k in kinds}
    for i, s in enumerate(src):
        if not terms[i]:
            continue
        clean = flagged_terms(glossary, s, ref[i], langs)
        spans: dict = {}
        for m in glossary.find(ref[i], langs[1]):
            spans.setdefault(m.term, []).append(m)
        for term in terms[i]:
            if term in clean or term not in spans:
                continue  # plant only into renderings the checker accepts, so a flag means the plant
            m = spans[term][0]
            for kind in kinds:
                if kind == "missing":
                    planted = remove_term(glossary, term, ref[i], s, langs[1])
                    bad = "(removed)"
                else:
                    if kind == "misspelling":
                        bad = planter.misspelling(term, m.text, langs[1])
                    else:
                        bad = getattr(planter, kind)(term, m.text)
                    if bad is None or bad == m.text:
                        continue
                    planted = ref[i][: m.start] + bad + ref[i][m.end :]
                caught = term in flagged_terms(glossary, s, planted, langs)
                rec = out[kind]
                rec["planted"] += 1
                rec["caught"] += caught
                if not caught and len(rec["misses"]) < show:
                    rec["misses"].append(
                        {"line": i + 1, "term": f"{term.source} → {term.target}",
                         "reference": m.text, "planted": bad}
                    )
    for rec in out.values():
        rec["recall"] = rec["caught"] / rec["planted"] if rec["planted"] else None
    return out


# --------------------------------------------------------------------------- report


def pct(x: float | None) -> str:
    return "   n/a" if x is None else f"{100 * x:6.2f}"


def reference_flags(g, data: TestSet, terms, ref_errors, errors_name: str, langs, misaligned) -> dict:
    """Section 2 for one set: every flag on each reference, sorted by its classified category."""
    fp = {}
    for name, ref in data.refs.items():
        skip = misaligned.get(name, frozenset())
        t = score(g, data.src, ref, terms, skip=skip, keep_examples=10**6, classify=True, langs=langs)
        listed = {(e.line, e.term): e for e in ref_errors if e.reference == name}
        by_cat = Counter({c: 0 for c in (*CATEGORIES, UNCLASSIFIED)})
        subkinds = {c: Counter() for c in CATEGORIES}
        false_lines = set()
        for ex in t.examples:
            e = listed.pop((ex["line"], ex["key"]), None)
            ex["category"] = e.category if e else UNCLASSIFIED
            ex["why"] = e.why if e else None
            ex["reference_error"] = e.why if e and e.category == "reference-error" else None
            by_cat[ex["category"]] += 1
            if ex["category"] not in CORRECT_FLAGS:
                false_lines.add(ex["line"])
            if e is not None:
                subkinds[e.category][e.subkind] += 1
                if e.found != "-" and e.found not in ex["target"]:
                    print(f"warning: {errors_name}: ref {name} line {e.line}: {e.found!r} is not on that line")
        for e in listed.values():
            print(f"warning: {errors_name}: ref {name} line {e.line} {e.term!r} is listed "
                  f"({e.category}) but the checker does not flag it: re-read the line and drop the row")
        if by_cat[UNCLASSIFIED]:
            print(f"warning: ref {name}: {by_cat[UNCLASSIFIED]} flags are not in "
                  f"{errors_name}; they count as false positives until read and classified")
        correct = sum(by_cat[c] for c in CORRECT_FLAGS)
        false = t.flagged - correct  # checker-fp + glossary-gap + unclassified
        base = t.pairs - correct
        rate = false / base if base else 0.0
        n_entries = len(data.src) - len(skip)
        fp[name] = {"pairs": t.pairs, "flagged": t.flagged, "flag_rate": t.rate, "kinds": dict(t.kinds),
                    "by_category": dict(by_cat),
                    "subkinds": {c: dict(k) for c, k in subkinds.items() if k},
                    "verified_reference_errors": by_cat["reference-error"],
                    "omissions": by_cat["omission"],
                    "checker_false_positives": by_cat["checker-fp"],
                    "glossary_gaps": by_cat["glossary-gap"],
                    "unclassified": by_cat[UNCLASSIFIED],
                    "false_positives": false, "false_positive_base": base, "false_positive_rate": rate,
                    "entries": n_entries, "entries_with_terms": t.entries,
                    "false_alarm_entries": len(false_lines),
                    "false_alarm_entry_rate": len(false_lines) / n_entries if n_entries else 0.0,
                    "flagged_although_found": t.found, "examples": t.examples}
        print(f"ref {name}: raw {t.flagged}/{t.pairs} pairs flagged = {100 * t.rate:.2f}%  by kind "
              f"{dict(t.kinds)}; {t.found} of them where the finder sees the term")
        print(f"       correct flags: reference errors {by_cat['reference-error']} "
              f"{dict(subkinds['reference-error'])}, omissions/paraphrases {by_cat['omission']}")
        print(f"       false positives: checker {by_cat['checker-fp']}, glossary gaps "
              f"{by_cat['glossary-gap']}, unclassified {by_cat[UNCLASSIFIED]}  ->  "
              f"{false}/{base} = {100 * rate:.2f}% of term occurrences (pairs - reference errors - omissions); "
              f"{len(false_lines)}/{n_entries} = {100 * len(false_lines) / max(n_entries, 1):.2f}% of entries "
              f"({t.entries} name a term)")
    return fp


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared data folder")
    ap.add_argument("--set", dest="sets", nargs="*", choices=sorted(SETS),
                    help="test sets (default: every set whose data and glossary are there)")
    ap.add_argument("--glossary", type=Path, help="another glossary (with one --set)")
    ap.add_argument("--reference-errors", type=Path,
                    help="another file of classified flags (TSV: reference, line, term, found, category, why; "
                         "with one --set)")
    ap.add_argument("--systems", nargs="*", help="only these systems (default: all recorded)")
    ap.add_argument("--no-systems", action="store_true", help="skip the WMT21 system replay (section 1)")
    ap.add_argument("--jobs", type=int, default=2, help="processes for the systems (default 2)")
    ap.add_argument("--seed", type=int, default=6, help="seed for planting errors")
    ap.add_argument("--show", type=int, default=5, help="examples of misses to print per metric")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(REPO / "src"))
    started = time.perf_counter()
    names = args.sets or [n for n, spec in SETS.items() if spec.glossary.is_file()]
    report = {}
    summary = []
    for name in names:
        spec = SETS[name]
        if not (args.shared / spec.folder / spec.src).is_file():
            print(f"skipped {name}: the test set is not at {args.shared / spec.folder} "
                  "(the shared data folder is absent; pass --shared)")
            continue
        glossary_path = args.glossary if args.glossary and len(names) == 1 else spec.glossary
        errors_path = args.reference_errors if args.reference_errors and len(names) == 1 else spec.reference_errors
        print(f"\n===== {name} =====")
        report[name] = run_set(args, name, spec, glossary_path, errors_path)
        summary.append((name, report[name]))

    print("\n===== summary (human references; goals: false alarms <= 0.3 % of entries, recall >= 99.5 %) =====")
    print(f"{'set':12} {'ref':3} {'entries':>7} {'pairs':>5} {'ref. errors':>11} {'omissions':>9} "
          f"{'false':>5} {'% of pairs':>10} {'% of entries':>12}  recall: " + "  ".join(ERROR_KINDS))
    for name, r in summary:
        for ref_name, f in r["false_positives"].items():
            rec = "  ".join(
                f"{r['recall'][k]['caught']}/{r['recall'][k]['planted']}" if k in r["recall"] else "n/a"
                for k in ERROR_KINDS
            ) if ref_name == "A" else ""
            print(f"{name:12} {ref_name:3} {f['entries']:7d} {f['pairs']:5d} {f['verified_reference_errors']:11d} "
                  f"{f['omissions']:9d} {f['false_positives']:5d} {100 * f['false_positive_rate']:9.2f}% "
                  f"{100 * f['false_alarm_entry_rate']:11.2f}%  {rec}")
    elapsed = time.perf_counter() - started
    print(f"\n{elapsed:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"sets": report, "seconds": elapsed}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    return 0


def run_set(args, name: str, spec: SetSpec, glossary_path: Path, errors_path: Path) -> dict:
    from tolmach.glossary import load_glossary

    langs = spec.langs
    data = load_set(args.shared, name)
    g = load_glossary(glossary_path)
    terms = source_terms(g, data.src, langs[0])
    n_pairs = sum(map(len, terms))
    misaligned = MISALIGNED_BY_SET.get(name, {})
    print(f"glossary: {len(g)} terms ({glossary_path.name}); {name}: {len(data.src)} sentences, "
          f"{sum(1 for t in terms if t)} with terms, {n_pairs} (sentence, term) pairs; "
          f"{len({t for ts in terms for t in ts})} distinct terms occur")
    for ref_name, fixed in data.repaired.items():
        if fixed:
            print(f"note: reference {ref_name}: repaired CP1251 mojibake on {len(fixed)} lines "
                  f"({fixed[0] + 1}-{fixed[-1] + 1})")
    for ref_name, skip in misaligned.items():
        print(f"note: reference {ref_name}: lines {min(skip) + 1}-{max(skip) + 1} are misaligned with the "
              "source and left out of its false-positive figure")

    # 1. systems (WMT21 EN→RU: enforcement and term accuracy; bench/enforcement_bench.py covers the rest)
    results = []
    systems = {k: v for k, v in data.systems.items() if not args.systems or k in args.systems}
    if name == "wmt21.en-ru" and not args.no_systems:
        jobs = [(n, str(path), args.show) for n, path in systems.items()]
        init = (str(glossary_path), str(data.src_path), data.src, data.refs["A"])
        if args.jobs > 1 and len(jobs) > 1:
            with ProcessPoolExecutor(args.jobs, initializer=_init_worker, initargs=init) as pool:
                results = list(pool.map(_run_system, jobs))
        else:
            _init_worker(*init)
            results = [_run_system(j) for j in jobs]

        print("\n1. Term accuracy (pairs where the checker reports no issue for the term), chrF vs ref A")
        print(f"{'system':14} {'pairs':>5} {'raw %':>7} {'enforced %':>10} {'unplaced':>8} "
              f"{'chrF raw':>8} {'chrF enf':>8} {'Δ chrF':>7}")
        for r in results:
            d = (r["chrf_enforced"] - r["chrf_raw"]) if r["chrf_raw"] is not None else None
            print(f"{r['system']:14} {r['pairs']:5d} {pct(r['raw_accuracy']):>7} "
                  f"{pct(r['enforced_accuracy']):>10} {r['unplaced']:8d} "
                  f"{r['chrf_raw'] if r['chrf_raw'] is not None else float('nan'):8.2f} "
                  f"{r['chrf_enforced'] if r['chrf_enforced'] is not None else float('nan'):8.2f} "
                  f"{d if d is not None else float('nan'):+7.2f}")
        if results:
            mean = lambda k: sum(r[k] for r in results) / len(results)  # noqa: E731
            print(f"{'mean':14} {'':5} {pct(mean('raw_accuracy')):>7} {pct(mean('enforced_accuracy')):>10}")

    # 2. false positives on the references
    print(f"\n2. Checker flags on the human references: raw, by category ({errors_path.name}), "
          "and the false-positive rate")
    fp = reference_flags(g, data, terms, load_reference_errors(errors_path), errors_path.name, langs, misaligned)

    # 3. recall on planted errors
    print("\n3. Checker recall on reference A with planted errors")
    rec = recall(g, data.src, data.refs["A"], terms, args.seed, args.show, langs)
    for kind, r in rec.items():
        print(f"{kind:12} {r['caught']:4d}/{r['planted']:<4d} caught = {pct(r['recall'])}%")

    if args.show:
        print("\nExamples")
        for r in results:
            for ex in r["misses"][: args.show]:
                print(f"  after enforcement, {r['system']} line {ex['line']}: {ex['term']}: "
                      f"{ex['kind']}: {ex['message']}\n      {ex['target']}")
        order = (UNCLASSIFIED, "checker-fp", "glossary-gap", "omission")
        for ref_name, f in fp.items():
            shown = [e for e in f["examples"] if e["category"] in order]
            shown.sort(key=lambda e: (order.index(e["category"]), e["line"]))
            for ex in shown[: args.show]:
                why = f"\n      why: {ex['why']}" if ex["why"] else ""
                print(f"  flag [{ex['category']}], ref {ref_name} line {ex['line']}: {ex['term']}: {ex['kind']}: "
                      f"{ex['message']}\n      {ex['source']}\n      {ex['target']}{why}")
        for kind, r in rec.items():
            for ex in r["misses"]:
                print(f"  missed {kind}, line {ex['line']}: {ex['term']}: "
                      f"{ex['reference']!r} -> {ex['planted']!r}")
    return {
        "glossary": {"path": str(glossary_path), "terms": len(g)},
        "reference_errors": str(errors_path),
        "test_set": {"sentences": len(data.src), "pairs": n_pairs,
                     "repaired_lines": {k: [i + 1 for i in v] for k, v in data.repaired.items()},
                     "misaligned_lines": {k: [min(v) + 1, max(v) + 1] for k, v in misaligned.items()}},
        "systems": results, "false_positives": fp, "recall": rec,
    }


if __name__ == "__main__":
    sys.exit(main())
