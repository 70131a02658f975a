"""Enforcement-harm benchmark (issue #9): does enforcing the glossary on good MT ever make it worse?

Replays the recorded WMT21–23 system outputs in both directions (``../shared/corpora/en-ru/
mt-outputs``) through :class:`tolmach.engines.replay.ReplayEngine`, enforces the glossary sentence by
sentence as ``tolmach translate`` does (``Glossary.enforce``, then, with ``--align``, the bench
model's word alignment for terms spelling cannot place: :func:`tolmach.glossary.aligned.enforce_aligned`),
and prints per test set and system:

* term accuracy raw → enforced: the share of (sentence, term) pairs the glossary check passes;
* the share of sentences whose sentence-level chrF (sacrebleu) against the reference drops by more
  than 2 points after enforcement (goal ≤ 0.5 %);
* repeated-word artefacts introduced: sentences where enforcement created two equal words in a row
  («Court Court»), by this script's own test, not the enforcement's (goal 0);
* false claims: terms the outcome lists as enforced that the check then rejects (goal 0);
* unverified: replacements enforcement tried and undid (their terms stay fuzzy and named).

Glossaries: ``bench/data/<year>.<pair>.glossary.csv`` where it exists, else the year's en-ru
glossary used the other way, else the WMT21 EN→RU glossary (``wmt21.en-ru.glossary.csv``, drawn
from the WMT21 EN→RU test set: on other sets it covers only the names they share, and the output
says "borrowed"). A glossary works in both directions. See bench/README.md, section *Enforcement harm*.

Run from the repository root::

    python bench/enforcement_bench.py [--shared ../shared] [--max-sentences N] [--no-align] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import zipfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from glossary_bench import DEFAULT_SHARED, read_lines, repair_mojibake  # noqa: E402  (reuse, not copy)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "data"
BORROWED = DATA / "wmt21.en-ru.glossary.csv"
YEARS = {"wmt21": "newstest2021", "wmt22": "generaltest2022", "wmt23": "generaltest2023"}
PAIRS = (("en", "ru"), ("ru", "en"))
DROP = 2.0  # chrF points
GOAL_DROP_SHARE = 0.5  # % of sentences


@dataclass
class TestSet:
    name: str  # wmt21 en-ru
    langs: tuple[str, str]
    src: list[str]
    ref: list[str]
    systems: dict[str, Path]
    glossary: Path
    borrowed: bool


def find_sets(shared: Path, glossary_dir: Path) -> list[TestSet]:
    sets = []
    for year, prefix in YEARS.items():
        for sl, tl in PAIRS:
            pair = f"{sl}-{tl}"
            base = shared / "corpora/en-ru/wmt-general" / year
            src_path = base / f"{prefix}.{pair}.src.{sl}"
            refs = sorted(base.glob(f"{prefix}.{pair}.ref.*.{tl}"))
            sysout = shared / "corpora/en-ru/mt-outputs" / f"{year}-sysout"
            systems = {p.name.split(".hyp.")[1][: -len(tl) - 1]: p for p in sorted(sysout.glob(f"{prefix}.{pair}.hyp.*.{tl}"))}
            if not src_path.is_file() or not refs or not systems:
                continue
            src = read_lines(src_path)
            ref = [repair_mojibake(line)[0] for line in read_lines(refs[0])]
            own = [glossary_dir / f"{year}.{pair}.glossary.csv", glossary_dir / f"{year}.en-ru.glossary.csv"]
            glossary = next((p for p in own if p.is_file()), BORROWED)
            # not drawn from this set: another year's glossary, or the year's en-ru one used RU→EN
            borrowed = glossary.name != f"{year}.{pair}.glossary.csv"
            sets.append(TestSet(f"{year} {pair}", (sl, tl), src, ref, systems, glossary, borrowed))
    return sets


# --------------------------------------------------------------------------- the per-system run

_REPEAT = re.compile(r"(?<!\w)(\w+)[ \t\u00a0]+\1(?!\w)", re.IGNORECASE)


def repeated_words(text: str) -> Counter:
    """Two equal words in a row, case-insensitive (this script's own test, independent of enforcement)."""
    return Counter(m.group(0).casefold() for m in _REPEAT.finditer(text))


_W: dict = {}


def _init_worker(glossary_path: str, align_dir: str | None, langs: tuple[str, str]) -> None:
    from sacrebleu.metrics import CHRF

    from tolmach.glossary import load_glossary

    _W["g"] = load_glossary(glossary_path)
    _W["chrf"] = CHRF()
    _W["engine"] = None
    if align_dir:
        from tolmach.engines.argos import ArgosEngine

        _W["engine"] = ArgosEngine(align_dir, intra_threads=1)


def _run_system(job) -> dict:
    from tolmach.engines.replay import ReplayEngine
    from tolmach.glossary.aligned import enforce_aligned

    name, langs, src, ref, hyps = job
    g, chrf, aligner = _W["g"], _W["chrf"], _W["engine"]
    started = time.perf_counter()
    engine = ReplayEngine(dict(zip(src, hyps)), *langs, name)  # replayed as translate would get it
    raw = engine.translate(src)
    with_terms = [i for i, s in enumerate(src) if g.find(s, langs[0])]
    outcomes = {i: g.enforce(src[i], raw[i], *langs) for i in with_terms}
    aligned = 0
    if aligner is not None:
        stuck = [i for i, o in outcomes.items() if o.unplaced]
        if stuck:
            alignments = aligner.align([src[i] for i in stuck], [raw[i] for i in stuck])
            for i, alignment in zip(stuck, alignments):
                before = outcomes[i]
                outcomes[i] = enforce_aligned(g, src[i], raw[i], alignment, *langs, first=before)
                aligned += outcomes[i].text != before.text
    pairs = ok_raw = ok_enf = changed = drops = repeats = false_claims = unverified = unplaced = enforced = 0
    examples: dict[str, list] = {"drop": [], "repeat": [], "false claim": []}
    reasons: Counter = Counter()
    for i in with_terms:
        s, h, out = src[i], raw[i], outcomes[i]
        terms = list(dict.fromkeys(m.term for m in g.find(s, langs[0])))
        bad_raw = {x.term for x in g.check(s, h, *langs)}
        bad_enf = {x.term for x in g.check(s, out.text, *langs)} if out.text != h else bad_raw
        pairs += len(terms)
        ok_raw += sum(t not in bad_raw for t in terms)
        ok_enf += sum(t not in bad_enf for t in terms)
        enforced += len(out.enforced)
        unplaced += len(out.unplaced)
        unverified += len(getattr(out, "unverified", ()))
        for why in getattr(out, "reasons", {}).values():
            reasons[re.sub(r" [(«].*", "", why)] += 1
        claims = [t for t in out.enforced if t in bad_enf]
        false_claims += len(claims)
        if claims and len(examples["false claim"]) < 3:
            examples["false claim"].append({"line": i + 1, "terms": [t.source for t in claims], "raw": h, "enforced": out.text})
        if out.text == h:
            continue
        changed += 1
        delta = chrf.sentence_score(out.text, [ref[i]]).score - chrf.sentence_score(h, [ref[i]]).score
        if delta < -DROP:
            drops += 1
            if len(examples["drop"]) < 3:
                examples["drop"].append({"line": i + 1, "delta": round(delta, 2), "raw": h, "enforced": out.text})
        if repeated_words(out.text) - repeated_words(h):
            repeats += 1
            if len(examples["repeat"]) < 3:
                examples["repeat"].append({"line": i + 1, "raw": h, "enforced": out.text})
    return {
        "system": name, "sentences": len(src), "with_terms": len(with_terms), "pairs": pairs,
        "acc_raw": ok_raw / pairs if pairs else None, "acc_enforced": ok_enf / pairs if pairs else None,
        "changed": changed, "drops": drops, "repeats": repeats, "false_claims": false_claims,
        "enforced": enforced, "unverified": unverified, "unplaced": unplaced, "aligned_changes": aligned,
        "seconds": round(time.perf_counter() - started, 2), "examples": examples, "reasons": dict(reasons),
    }  # fmt: skip


def _package_dir(shared: Path, langs: tuple[str, str], workdir: Path) -> Path | None:
    """The bench model for the direction, unpacked once (its word alignment places stuck terms)."""
    archive = shared / "models" / "bench" / f"translate-{langs[0]}_{langs[1]}-bench.argosmodel"
    if not archive.is_file():
        return None
    target = workdir / archive.stem
    if not target.exists():
        with zipfile.ZipFile(archive) as z:
            z.extractall(target)
    meta = next(target.rglob("metadata.json"), None)
    return meta.parent if meta else None


def pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.2f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    ap.add_argument("--glossary-dir", type=Path, default=DATA, help="where <year>.<pair>.glossary.csv are")
    ap.add_argument("--max-sentences", type=int, default=0,
                    help="the first N sentences of each test set (default: all)")
    ap.add_argument("--no-align", action="store_true", help="spelling-only enforcement (no bench model)")
    ap.add_argument("--sets", nargs="*", help='only these sets, e.g. "wmt21 en-ru"')
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/tolmach-enforcement-bench"))
    ap.add_argument("--show", type=int, default=2, help="examples to print per goal missed")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if not (args.shared / "corpora/en-ru/mt-outputs").is_dir():
        print(f"skipped: {args.shared}/corpora/en-ru/mt-outputs is absent", file=sys.stderr)
        return 0
    try:
        import sacrebleu  # noqa: F401
    except ImportError:
        print("needs sacrebleu: pip install -e '.[bench]'", file=sys.stderr)
        return 2
    started = time.perf_counter()
    sets = [s for s in find_sets(args.shared, args.glossary_dir) if not args.sets or s.name in args.sets]
    args.workdir.mkdir(parents=True, exist_ok=True)
    report, totals, reasons = [], Counter(), Counter()
    from tolmach.errors import TolmachError
    from tolmach.glossary import load_glossary

    for ts in sets:
        try:
            load_glossary(ts.glossary)  # here, not in a worker: one line, not a broken pool
        except TolmachError as err:
            print(f"{ts.name}: skipped, the glossary does not load: {err}", file=sys.stderr)
            continue
        n = min(len(ts.src), args.max_sentences) if args.max_sentences else len(ts.src)
        align_dir = None if args.no_align else _package_dir(args.shared, ts.langs, args.workdir)
        jobs = [
            (name, ts.langs, ts.src[:n], ts.ref[:n], read_lines(path)[:n])
            for name, path in ts.systems.items()
        ]
        with ProcessPoolExecutor(
            args.jobs, initializer=_init_worker, initargs=(str(ts.glossary), str(align_dir) if align_dir else None, ts.langs)
        ) as pool:
            rows = list(pool.map(_run_system, jobs))
        label = f"{ts.glossary}{' (borrowed)' if ts.borrowed else ''}"
        print(f"\n{ts.name}: {n} sentences per system, {len(rows)} systems; glossary {label}; "
              f"alignment {'bench model' if align_dir else 'off'}")
        print(f"{'system':<20} {'pairs':>5} {'raw %':>7} {'enf %':>7} {'changed':>7} {'chrF<-2':>7} "
              f"{'repeats':>7} {'false':>5} {'unverif':>7} {'unplaced':>8}")
        for r in rows:
            print(f"{r['system']:<20} {r['pairs']:>5} {pct(r['acc_raw']):>7} {pct(r['acc_enforced']):>7} "
                  f"{r['changed']:>7} {r['drops']:>7} {r['repeats']:>7} {r['false_claims']:>5} "
                  f"{r['unverified']:>7} {r['unplaced']:>8}")
            for key in ("sentences", "pairs", "changed", "drops", "repeats", "false_claims", "unverified", "unplaced"):
                totals[key] += r[key]
            reasons.update(r["reasons"])
            totals["ok_raw"] += round((r["acc_raw"] or 0) * r["pairs"])
            totals["ok_enf"] += round((r["acc_enforced"] or 0) * r["pairs"])
        pairs = sum(r["pairs"] for r in rows)
        raw = sum((r["acc_raw"] or 0) * r["pairs"] for r in rows) / pairs if pairs else None
        enf = sum((r["acc_enforced"] or 0) * r["pairs"] for r in rows) / pairs if pairs else None
        print(f"{'all systems':<20} {pairs:>5} {pct(raw):>7} {pct(enf):>7}")
        shown = 0
        for r in rows:
            for kind, items in r["examples"].items():
                for ex in items:
                    if shown < args.show:
                        print(f"  {kind}: {r['system']} line {ex['line']}: {json.dumps(ex, ensure_ascii=False)}")
                        shown += 1
        report.append({"set": ts.name, "glossary": ts.glossary.name, "borrowed": ts.borrowed, "sentences": n,
                       "align": bool(align_dir), "systems": rows})
    s = totals
    drop_share = 100 * s["drops"] / s["sentences"] if s["sentences"] else 0.0
    print(f"\nall sets: {s['sentences']} system sentences, {s['pairs']} (sentence, term) pairs")
    if s["pairs"]:
        print(f"term accuracy raw {100 * s['ok_raw'] / s['pairs']:.2f} % -> enforced {100 * s['ok_enf'] / s['pairs']:.2f} %")
    print(f"sentences changed by enforcement: {s['changed']}")
    print(f"chrF drop > {DROP:g} points: {s['drops']} sentences = {drop_share:.3f} % of all "
          f"(goal <= {GOAL_DROP_SHARE} %){'' if drop_share <= GOAL_DROP_SHARE else '  MISSED'}")
    print(f"repeated-word artefacts introduced: {s['repeats']} (goal 0){'' if not s['repeats'] else '  MISSED'}")
    print(f"'enforced' claims the check rejects: {s['false_claims']} (goal 0){'' if not s['false_claims'] else '  MISSED'}")
    print(f"replacements undone by verification (unverified): {s['unverified']}; unplaced: {s['unplaced']}")
    for why, n in reasons.most_common():
        print(f"  {n:>5}  {why}")
    print(f"time: {time.perf_counter() - started:.0f} s, {args.jobs} processes")
    if args.json:
        args.json.write_text(json.dumps({"sets": report, "totals": dict(s)}, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
