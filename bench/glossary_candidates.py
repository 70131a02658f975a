"""Draft glossary candidates from a WMT test set (issue #11): the first step of building a bench
glossary, before every row is read against the source and the reference.

EN→RU: capitalised word runs of the English source (names of people, places, organisations; 1-4
words, "of"/"the"/"de" allowed inside), each with the Russian rendering the reference uses most: the
run of reference words that spells most like it (transliteration, rapidfuzz), put in the nominative
by pymorphy3. RU→EN: capitalised runs of the Russian source in the nominative, each with the English
reference words that spell most like them. Rows that occur in at least ``--min`` sentences are
printed as glossary CSV with two extra columns (``sentences``, ``votes``: how often the chosen
rendering was found) for the reader; nothing here is final.

    python bench/glossary_candidates.py wmt22 en-ru [--min 2] > draft.csv
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from glossary_bench import SETS, load_set  # noqa: E402

_CAP = r"(?:[A-Z][\w'’.&-]*[\w]|[A-Z])"
_EN_RUN = re.compile(rf"{_CAP}(?:\s+(?:(?:of|the|de|al|bin|von|van|da|del)\s+)?{_CAP})*")
_RU_RUN = re.compile(r"[А-ЯЁ][а-яёА-ЯЁ'’-]*(?:\s+[А-ЯЁ][а-яёА-ЯЁ'’-]*)*")
_STOP_EN = set("The A An I In On At For But And Or If When While This That These Those It He She We They You "
               "His Her Their Our My Your Its As By To From With After Before Mr Mrs Ms Dr So Yes No Not "
               "What Who Why How Where There Here Then Now Also Still Just Even More Most Some Many All "
               "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
               "June July August September October November December".split())


def _nominative(words: list[str]) -> str:
    from tolmach.glossary.russian import parses

    out = []
    for w in words:
        ps = [p for p in parses(w.lower()) if p.tag.POS in ("NOUN", "ADJF")]
        if not ps:
            out.append(w)
            continue
        p = max(ps, key=lambda p: p.score)
        nf = p.inflect({"nomn", p.tag.number or "sing"}) or p
        word = nf.word
        out.append(word[:1].upper() + word[1:] if w[:1].isupper() else word)
    return " ".join(out)


def en_ru(src: list[str], ref: list[str], minimum: int):
    from tolmach.glossary.locate import fuzzy_window
    from tolmach.glossary.russian import tokenize, translit

    where: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(src):
        for m in _EN_RUN.finditer(s):
            words = m.group(0).split()
            while words and words[0] in _STOP_EN:
                words = words[1:]
            if not words or len(words) > 4 or (len(words) == 1 and len(words[0]) < 3):
                continue
            run = " ".join(words)
            if i not in where[run]:
                where[run].append(i)
    for run, lines in sorted(where.items(), key=lambda kv: -len(kv[1])):
        if len(lines) < minimum:
            continue
        votes: Counter = Counter()
        for i in lines:
            tokens = tokenize(ref[i])
            want = [translit(run)]
            best = fuzzy_window(tokens, ref[i], want, len(run.split()), [], False, 60.0)
            if best:
                words = [t.text for t in tokens[best[0] : best[1] + 1]]
                votes[_nominative(words) if re.search("[а-яё]", " ".join(words), re.I) else " ".join(words)] += 1
            elif run in ref[i]:
                votes[run] += 1
        target, n = votes.most_common(1)[0] if votes else ("", 0)
        yield run, target, len(lines), n


def ru_en(src: list[str], ref: list[str], minimum: int):
    from tolmach.glossary.russian import translit

    where: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(src):
        for m in _RU_RUN.finditer(s):
            words = m.group(0).split()
            if m.start() == 0 or s[: m.start()].rstrip()[-1:] in ".!?:«\"—-":
                words = words[1:] if len(words) > 1 else []  # a sentence's first word says nothing
            if not words or len(words) > 3 or any(w.isupper() and len(w) > 1 for w in words[:0]):
                continue
            run = _nominative(words)
            if i not in where[run]:
                where[run].append(i)
    for run, lines in sorted(where.items(), key=lambda kv: -len(kv[1])):
        if len(lines) < minimum:
            continue
        votes: Counter = Counter()
        want = translit(run)
        n_words = len(run.split())
        for i in lines:
            words = re.findall(r"[A-Z][\w'’-]*", ref[i])
            best, score = None, 0.0
            from rapidfuzz import fuzz

            for k in range(len(words) - n_words + 1):
                cand = " ".join(words[k : k + n_words])
                sc = fuzz.ratio(translit(cand), want)
                if sc > score:
                    best, score = cand, sc
            if best and score >= 60:
                votes[best] += 1
        source, n = votes.most_common(1)[0] if votes else ("", 0)
        yield source, run, len(lines), n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("year", choices=sorted({k.split(".")[0] for k in SETS}))
    ap.add_argument("direction", choices=("en-ru", "ru-en"))
    ap.add_argument("--min", type=int, default=2, help="sentences a candidate must occur in")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args()
    data = load_set(args.shared, f"{args.year}.{args.direction}")
    ref = data.refs["A"]
    rows = en_ru(data.src, ref, args.min) if args.direction == "en-ru" else ru_en(data.src, ref, args.min)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["source", "target", "kind", "note", "forbidden", "alternatives", "case_sensitive", "dnt",
                  "sentences", "votes"])
    for a, b, n, v in rows:
        out.writerow([a, b, "", "", "", "", "", "", n, v])
    return 0


if __name__ == "__main__":
    sys.exit(main())
