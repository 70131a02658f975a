"""Fit and measure Tolmach's draft confidence (src/tolmach/confidence.py) on held-out sentences.

Calibration data: ``../shared/corpora/en-ru/calibration/`` (FLORES-200 devtest, first 506 lines),
not in the shared bench models' training data. For each direction, with the shared bench model
(``../shared/models/bench/translate-{en_ru,ru_en}-bench.argosmodel``, Tolmach's default engine
settings):

1. translate every line (timed) and score the output (timed: the overhead of confidence);
2. take the features of :func:`tolmach.confidence.features` and sentence chrF against the
   reference (sacrebleu, chrF2);
3. 5-fold cross-validation of the logistic model (fit on four fifths, predict the fifth), and print,
   per direction, on the held-out predictions: Spearman and Pearson between confidence and chrF,
   and the share of the worst chrF decile that falls in the lowest-confidence 20 %;
4. fit on all lines and, with ``--write``, store the parameters in
   ``src/tolmach/confidence_params.py``.

    python bench/confidence_fit.py [--write] [--cache DIR] [--threads N] [--overhead-rounds 4]

The translations and features are cached in ``--cache`` (default: a temp folder), so refitting
does not translate again.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CALIBRATION = SHARED / "corpora" / "en-ru" / "calibration"
MODELS = SHARED / "models" / "bench"
PARAMS_FILE = ROOT / "src" / "tolmach" / "confidence_params.py"
DIRECTIONS = (("en", "ru"), ("ru", "en"))
FOLDS = 5
REPEATS = 5  # cross-validation repeated over this many random fold splits (figures: mean ± sd)
L2 = 1e-3


def unzip(archive: Path, into: Path) -> Path:
    with zipfile.ZipFile(archive) as zf:
        top = zf.namelist()[0].split("/")[0]
        if not (into / top).exists():
            zf.extractall(into)
    return into / top


def collect(src: str, tgt: str, cache: Path, threads: int) -> dict:
    """Translations, raw scores, chrF and timings of one direction (cached; features are
    computed from the raw scores at fit time, so changing them needs no model run)."""
    cached = cache / f"{src}-{tgt}.raw.json"
    if not cached.exists():
        import sacrebleu

        from tolmach.engines.argos import ArgosEngine

        sources = (CALIBRATION / f"flores200-devtest-half.{src}").read_text(encoding="utf-8").splitlines()
        refs = (CALIBRATION / f"flores200-devtest-half.{tgt}").read_text(encoding="utf-8").splitlines()
        package = unzip(MODELS / f"translate-{src}_{tgt}-bench.argosmodel", cache / "models")
        engine = ArgosEngine(package, intra_threads=threads)
        engine.translate(sources[:8])  # load the model and warm up before timing
        t0 = time.perf_counter()
        hyps = engine.translate(sources)
        t_translate = time.perf_counter() - t0
        t0 = time.perf_counter()
        scored = engine.score(sources, hyps)
        t_score = time.perf_counter() - t0
        rows = [{"source": s, "hypothesis": h, "chrf": sacrebleu.sentence_chrf(h, [r]).score,
                 "scored": asdict(sc)} for s, h, r, sc in zip(sources, hyps, refs, scored)]
        data = {"rows": rows, "translate_s": t_translate, "score_s": t_score,
                "corpus_chrf": sacrebleu.corpus_chrf(hyps, [refs]).score}
        cached.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    data = json.loads(cached.read_text(encoding="utf-8"))
    from tolmach.confidence import features
    from tolmach.engines.base import ScoredText

    for row in data["rows"]:
        sc = row["scored"]
        scored = ScoredText(**{**sc, "words": tuple(sc["words"]), "word_log_probs": tuple(sc["word_log_probs"])})
        row["features"] = features(row["source"], row["hypothesis"], scored)
    return data


def fit(x: np.ndarray, y: np.ndarray) -> dict:
    """Least squares of sigmoid(bias + w . standardized x) against y (chrF/100), L2 on w;
    Gauss-Newton steps (a handful of features, a few hundred lines)."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    theta = np.zeros(z.shape[1])
    theta[0] = math.log(y.mean() / (1 - y.mean()))
    reg = L2 * len(x) * np.eye(z.shape[1])
    reg[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-(z @ theta)))
        j = z * (p * (1 - p))[:, None]
        step = np.linalg.solve(j.T @ j + reg, j.T @ (y - p) - reg @ theta)
        theta += step
        if np.abs(step).max() < 1e-8:
            break
    return {"bias": float(theta[0]), "mean": mean.tolist(), "scale": scale.tolist(),
            "weight": theta[1:].tolist()}


def predict(params: dict, x: np.ndarray) -> np.ndarray:
    from tolmach.confidence import combine

    return np.array([combine(row, params) for row in x])


def ranks(v: np.ndarray) -> np.ndarray:
    order = v.argsort(kind="stable")
    r = np.empty(len(v))
    r[order] = np.arange(len(v))
    # ties share their mean rank
    for value in np.unique(v):
        tie = v == value
        if tie.sum() > 1:
            r[tie] = r[tie].mean()
    return r


def pearson(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a, b)[0, 1])


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    return pearson(ranks(a), ranks(b))


def worst_decile_capture(conf: np.ndarray, chrf: np.ndarray) -> float:
    """Share of the worst 10 % by chrF that lies in the lowest-confidence 20 %."""
    n = len(conf)
    worst = set(np.argsort(chrf, kind="stable")[: max(1, n // 10)])
    low = set(np.argsort(conf, kind="stable")[: max(1, n // 5)])
    return len(worst & low) / len(worst)


def cross_validated(x: np.ndarray, y: np.ndarray, seed: int = 13) -> np.ndarray:
    folds = np.random.default_rng(seed).permutation(len(x)) % FOLDS
    out = np.empty(len(x))
    for k in range(FOLDS):
        train, test = folds != k, folds == k
        out[test] = predict(fit(x[train], y[train]), x[test])
    return out


def translate_overhead(src: str, tgt: str, cache: Path, lines: int, threads: int, rounds: int = 2) -> tuple[float, float]:
    """Wall time of a whole ``translate`` run (tolmach.translate.translate_catalogs: plan, model,
    glossary enforcement with the project's glossary, write) over ``lines`` calibration sentences
    as one catalog, without and with confidence scoring: the fastest of ``rounds`` runs each,
    alternating, as the machine is shared."""
    import polib

    from tolmach.engines.argos import ArgosEngine
    from tolmach.glossary.io import load_glossary
    from tolmach.translate import TranslateOptions, translate_catalogs

    sources = (CALIBRATION / f"flores200-devtest-half.{src}").read_text(encoding="utf-8").splitlines()[:lines]
    package = unzip(MODELS / f"translate-{src}_{tgt}-bench.argosmodel", cache / "models")
    glossary = load_glossary(ROOT / "glossaries")
    glossary.enforce(sources[0], sources[0], src, tgt)  # load the morphology once, before timing
    best = {False: math.inf, True: math.inf}
    for _ in range(rounds):
        for scoring in (False, True):
            po = polib.POFile(wrapwidth=78)
            po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": tgt,
                           "X-Source-Language": src}
            for i, line in enumerate(sources):
                po.append(polib.POEntry(msgctxt=f"p{i}", msgid=line, msgstr=""))
            path = cache / f"overhead-{src}-{tgt}.po"
            po.save(str(path))
            engine = ArgosEngine(package, intra_threads=threads)
            options = TranslateOptions(glossary=glossary, confidence=scoring)
            t0 = time.perf_counter()
            translate_catalogs([path], lambda s, t: engine, options)
            best[scoring] = min(best[scoring], time.perf_counter() - t0)
            engine.close()
    return best[False], best[True]


def write_params(params: dict) -> None:
    from tolmach.confidence import FEATURES

    lines = [
        '"""Fitted parameters of :func:`tolmach.confidence.combine`. Written by',
        "``bench/confidence_fit.py --write`` (FLORES-200 devtest calibration half, shared bench",
        'models); do not edit by hand, rerun the script."""',
        "",
        f"FEATURES = {tuple(FEATURES)!r}",
        "",
        "PARAMS = {",
    ]
    for key, p in params.items():
        lines.append(f"    {key!r}: {{")
        lines.append(f"        \"bias\": {p['bias']:.6g},")
        for field in ("mean", "scale", "weight"):
            lines.append(f"        {field!r}: [{', '.join(f'{v:.6g}' for v in p[field])}],".replace("'", '"'))
        lines.append("    },")
    lines.append("}")
    PARAMS_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="store the fitted parameters in the package")
    ap.add_argument("--cache", type=Path, help="folder for translations and features (default: temp)")
    ap.add_argument("--threads", type=int, default=0, help="CTranslate2 intra threads (0: all cores)")
    ap.add_argument("--overhead-lines", type=int, default=200,
                    help="sentences for the translate-time overhead runs (0: skip them)")
    ap.add_argument("--overhead-rounds", type=int, default=4,
                    help="alternating runs without and with scoring, the fastest of each kept (default 4)")
    args = ap.parse_args()
    if not CALIBRATION.is_dir() or not MODELS.is_dir():
        print(f"skipped: {CALIBRATION} or {MODELS} missing", file=sys.stderr)
        return 0
    from tolmach.confidence import FEATURES

    cache = args.cache or Path(tempfile.mkdtemp(prefix="tolmach-confidence-"))
    cache.mkdir(parents=True, exist_ok=True)
    fitted = {}
    print(f"{'direction':9} {'lines':>5} {'chrF':>5} {'Spearman':<11} {'Pearson':<11} "
          f"{'worst10%→low20%':>15} {'overhead':>8}  (held-out: {FOLDS}-fold CV x {REPEATS})")
    for src, tgt in DIRECTIONS:
        data = collect(src, tgt, cache, args.threads)
        x = np.array([r["features"] for r in data["rows"]], dtype=float)
        y = np.array([r["chrf"] for r in data["rows"]], dtype=float)
        figures = []
        for seed in range(REPEATS):
            held_out = cross_validated(x, y / 100, seed)
            figures.append((spearman(held_out, y), pearson(held_out, y), worst_decile_capture(held_out, y)))
        mean, sd = np.mean(figures, axis=0), np.std(figures, axis=0)
        overhead = data["score_s"] / data["translate_s"]
        print(f"{src}->{tgt:6} {len(y):5d} {data['corpus_chrf']:5.1f} {mean[0]:5.3f}±{sd[0]:.3f} "
              f"{mean[1]:5.3f}±{sd[1]:.3f} {mean[2]:9.0%}±{sd[2]:.0%} {overhead:8.1%}"
              f"   (one run: translate {data['translate_s']:.1f} s, score {data['score_s']:.1f} s)")
        if args.overhead_lines:
            plain, scored = translate_overhead(src, tgt, cache, args.overhead_lines, args.threads,
                                               args.overhead_rounds)
            print(f"          translate run over {args.overhead_lines} lines (glossary on, model load "
                  f"included, best of {args.overhead_rounds}): {plain:.1f} s, with confidence {scored:.1f} s: "
                  f"+{scored / plain - 1:.1%}")
        single = {name: spearman(x[:, i], y) for i, name in enumerate(FEATURES) if x[:, i].std() > 0}
        print("          one feature alone, Spearman: "
              + ", ".join(f"{k} {v:+.2f}" for k, v in single.items()))
        fitted[f"{src}-{tgt}"] = fit(x, y / 100)
    both = [fitted[f"{s}-{t}"] for s, t in DIRECTIONS]
    fitted["default"] = {k: (np.mean([p[k] for p in both], axis=0).tolist() if k != "bias"
                             else float(np.mean([p[k] for p in both]))) for k in both[0]}
    if args.write:
        write_params(fitted)
        print(f"parameters written to {PARAMS_FILE.relative_to(ROOT)}")
    print(f"cache: {cache}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
