"""Translation speed benchmark (issue #5): argostranslate vs `tolmach translate` vs raw CTranslate2.

For each direction, N articles are built from WMT newstest sentences (see ``make_articles.py``) and
translated three ways, each in its own process, with the same model, threads, beam size and
compute type:

(a) argostranslate's own ``translate()`` called once per article, as its users do;
(b) ``tolmach translate`` over all the catalogs of the project (process start included);
(c) raw CTranslate2 ``translate_batch`` over all the sentences at once (the practical limit).

(b) and (c) run ``--repeat`` times (default 2, interleaved) and the best run is reported, because
timings on a shared machine vary; (a) runs once (it is the slow one).

It prints wall time, source words per second and peak RSS of each, whether (b) and (c) give
identical output (sentence by sentence), a re-run of (b) on the unchanged project and one with the
catalogs reset (both must send 0 sentences to the model), ``tolmach --help`` start-up time and,
where ``tolmach check`` exists, ``bench/check_speed.py``. Figures only: this is not a test.

    python bench/speed.py                          # 30 articles x 20 sentences, both directions, ~8 min on 2 cores
    python bench/speed.py --articles 100 --direction en-ru --json out.json

Models: ``../shared/models/bench/translate-{src}_{tgt}-bench.argosmodel`` when present, else the
tiny test model of ``tolmach.devtools.tinymodel`` (with a warning: its speed means nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared"
BENCH_MODELS = SHARED / "models" / "bench"
sys.path.insert(0, str(HERE))

from make_articles import NEWSTEST, make_articles  # noqa: E402


# ----------------------------------------------------------------------------------- processes


def run_measured(cmd: list[str], env: dict | None = None, cwd: Path | None = None,
                 timeout: float | None = None) -> dict:
    """Run ``cmd``; return rc, wall seconds, peak RSS (MB) of the process, stdout, stderr."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=full_env, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "rc": proc.returncode,
            "wall_s": wall,
            "peak_rss_mb": usage.ru_maxrss / 1024,  # KiB on Linux
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def check_ok(what: str, res: dict) -> dict:
    if res["rc"] != 0:
        sys.stderr.write(res["stdout"][-3000:] + res["stderr"][-3000:])
        raise SystemExit(f"bench: {what} failed with exit code {res['rc']}")
    return res


def tolmach_cmd() -> list[str]:
    script = Path(sys.executable).with_name("tolmach")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tolmach"]


# ----------------------------------------------------------------------------------- drivers
# Each runs in its own process: ``python -c DRIVER spec.json``; it writes outputs + timings to
# spec["out"]. Sentences/articles come from files so that the command line stays short.

ARGOS_DRIVER = r"""
import json, sys, time
t0 = time.perf_counter()
spec = json.load(open(sys.argv[1], encoding="utf-8"))
import argostranslate.translate as at
t_import = time.perf_counter() - t0
outputs = []
t1 = time.perf_counter()
for path in spec["articles"]:
    text = open(path, encoding="utf-8").read()
    outputs.append(at.translate(text, spec["src"], spec["tgt"]))
t_translate = time.perf_counter() - t1
json.dump({"outputs": outputs, "import_s": t_import, "translate_s": t_translate},
          open(spec["out"], "w", encoding="utf-8"), ensure_ascii=False)
"""

CT2_DRIVER = r"""
import json, sys, time
t0 = time.perf_counter()
spec = json.load(open(sys.argv[1], encoding="utf-8"))
import ctranslate2, sentencepiece
sp = sentencepiece.SentencePieceProcessor(model_file=spec["package"] + "/sentencepiece.model")
tr = ctranslate2.Translator(spec["package"] + "/model", device="cpu", compute_type=spec["compute_type"],
                            intra_threads=spec["threads"], inter_threads=1)
t_load = time.perf_counter() - t0
sentences = json.load(open(spec["sentences"], encoding="utf-8"))
t1 = time.perf_counter()
tokens = sp.encode(sentences, out_type=str)
prefix = [[spec["target_prefix"]]] * len(tokens) if spec["target_prefix"] else None
results = tr.translate_batch(tokens, target_prefix=prefix, beam_size=spec["beam_size"],
                             max_batch_size=spec["max_batch_tokens"], batch_type="tokens",
                             length_penalty=0.2, max_decoding_length=256, replace_unknowns=True)
outputs = []
for r in results:
    text = sp.decode_pieces(r.hypotheses[0])
    if spec["target_prefix"] and text.startswith(spec["target_prefix"]):
        text = text[len(spec["target_prefix"]):]
    outputs.append(text.strip())
t_translate = time.perf_counter() - t1
json.dump({"outputs": outputs, "import_s": t_load, "translate_s": t_translate},
          open(spec["out"], "w", encoding="utf-8"), ensure_ascii=False)
"""


# ----------------------------------------------------------------------------------- models


def get_model(src: str, tgt: str, work: Path) -> tuple[Path, bool]:
    """The .argosmodel file for the direction; (path, is_bench_model)."""
    bench = BENCH_MODELS / f"translate-{src}_{tgt}-bench.argosmodel"
    if bench.is_file():
        return bench, True
    print(f"bench: WARNING: {bench} not found; using the tiny test model "
          "(tolmach.devtools.tinymodel). Its figures say nothing about real translation speed.",
          file=sys.stderr)
    from tolmach.devtools.tinymodel import build_tiny_package

    tmp = work / f"tiny-{src}_{tgt}"
    pkg = build_tiny_package(tmp, from_code=src, to_code=tgt)
    try:  # argostranslate with ARGOS_CHUNK_TYPE=SPACY needs a spaCy pipeline in the package
        import spacy

        spacy.blank(src).to_disk(pkg / "spacy")
    except ImportError:
        pass
    dest = work / f"{pkg.name}.argosmodel"
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(pkg.rglob("*")):
            zf.write(f, Path(pkg.name) / f.relative_to(pkg))
    return dest, False


def unzip_package(model_file: Path, dest_root: Path) -> Path:
    """Unzip an .argosmodel into dest_root (a folder holding only this package); return its folder."""
    dest_root.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(model_file) as zf:
        top = {Path(n).parts[0] for n in zf.namelist()}
        zf.extractall(dest_root)
    (name,) = top
    return dest_root / name


# ----------------------------------------------------------------------------------- benchmark


SUMMARY_RX = re.compile(r"(\d+) sent to the model")


def words(sentences) -> int:
    return sum(len(s.split()) for s in sentences)


def bench_direction(src: str, tgt: str, args, work: Path) -> dict:
    import polib

    d = work / f"{src}-{tgt}"
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    model_file, is_bench = get_model(src, tgt, work)
    package = unzip_package(model_file, d / "argos-packages")
    meta = json.loads((package / "metadata.json").read_text(encoding="utf-8"))
    models_dir = d / "tolmach-models"
    env_t = {"TOLMACH_MODELS_DIR": str(models_dir)}
    check_ok("tolmach models install",
             run_measured([*tolmach_cmd(), "models", "install", "--file", str(model_file)], env_t))

    project = d / "project"
    (project / "articles").mkdir(parents=True)
    (project / "tolmach.toml").write_text("", encoding="utf-8")
    made = make_articles(src, args.articles, args.sentences, project / "articles")
    sentences = [s for _, paras in made for s in paras]
    n_words = words(sentences)
    print(f"\n== {src}->{tgt}: {len(made)} articles, {len(sentences)} sentences, {n_words} source words; "
          f"model {package.name}{'' if is_bench else ' (TINY TEST MODEL)'}; beam {args.beam_size}, "
          f"{args.threads} threads, int8", flush=True)
    rel = [str(p.relative_to(project)) for p, _ in made]
    check_ok("tolmach extract", run_measured([*tolmach_cmd(), "extract", *rel, "-d", "locales"], env_t, project))
    check_ok("tolmach init", run_measured([*tolmach_cmd(), "init", "-l", tgt, "-d", "locales"], env_t, project))
    catalogs = sorted(str(p.relative_to(project)) for p in (project / "locales" / tgt / "LC_MESSAGES").glob("*.po"))
    # Sanity: the catalogs hold exactly our sentences, one entry each.
    msgids = [e.msgid for c in catalogs for e in polib.pofile(str(project / c)) if not e.obsolete]
    if sorted(msgids) != sorted(sentences):
        raise SystemExit(f"bench: the catalogs' entries differ from the article sentences "
                         f"({len(msgids)} vs {len(sentences)})")

    results: dict = {"direction": f"{src}-{tgt}", "model": package.name, "bench_model": is_bench,
                     "articles": len(made), "sentences": len(sentences), "words": n_words,
                     "beam_size": args.beam_size, "threads": args.threads}
    sent_file = d / "sentences.json"
    sent_file.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")

    # (c) raw CTranslate2, all sentences at once, and (b) tolmach translate over the whole project,
    # interleaved (c, b, c, b, ...) when repeated; the best run of each is reported.
    spec_c = {"package": str(package), "compute_type": "int8", "threads": args.threads,
              "beam_size": args.beam_size, "max_batch_tokens": args.max_batch_tokens,
              "target_prefix": meta.get("target_prefix", "") or "", "sentences": str(sent_file),
              "out": str(d / "out-c.json")}
    (d / "spec-c.json").write_text(json.dumps(spec_c), encoding="utf-8")
    memory = d / "memory.sqlite"
    tcmd = [*tolmach_cmd(), "translate", *catalogs, "--beam-size", str(args.beam_size),
            "--intra-threads", str(args.threads), "--inter-threads", "1", "--compute-type", "int8",
            "--max-batch-tokens", str(args.max_batch_tokens), "--no-glossary"]
    tcmd += ["--memory", str(memory)] if not args.no_memory else ["--no-memory"]
    tcmd += ["--no-confidence"] if args.no_confidence else []
    runs_b, runs_c = [], []
    for rep in range(args.repeat):
        print("  (c) raw CTranslate2 ...", end="", flush=True)
        res_c = check_ok("(c) raw CTranslate2",
                         run_measured([sys.executable, "-c", CT2_DRIVER, str(d / "spec-c.json")]))
        out_c = json.loads((d / "out-c.json").read_text(encoding="utf-8"))
        print(f" {res_c['wall_s']:.1f} s", flush=True)
        runs_c.append(_figures(res_c, out_c, n_words))
        if rep:  # back to a fresh project: every entry pending, empty memory (no MT cache)
            memory.unlink(missing_ok=True)
            check_ok("tolmach init --force",
                     run_measured([*tolmach_cmd(), "init", "-l", tgt, "-d", "locales", "--force"], env_t, project))
        print("  (b) tolmach translate ...", end="", flush=True)
        res_b = check_ok("(b) tolmach translate", run_measured(tcmd, env_t, project))
        print(f" {res_b['wall_s']:.1f} s", flush=True)
        runs_b.append(_figures(res_b, None, n_words))
        runs_b[-1]["summary"] = res_b["stdout"].strip().splitlines()[-1] if res_b["stdout"].strip() else ""
    c_outputs = dict(zip(sentences, out_c["outputs"]))
    results["c"] = min(runs_c, key=lambda f: f["wall_s"])
    results["b"] = min(runs_b, key=lambda f: f["wall_s"])
    results["c"]["all_wall_s"] = [f["wall_s"] for f in runs_c]
    results["b"]["all_wall_s"] = [f["wall_s"] for f in runs_b]
    b_outputs = {e.msgid: e.msgstr for c in catalogs for e in polib.pofile(str(project / c)) if not e.obsolete}
    same = sum(b_outputs.get(s) == c_outputs[s] for s in sentences)
    results["b_equals_c"] = same
    results["b_differs_c_examples"] = [
        {"source": s, "b": b_outputs.get(s), "c": c_outputs[s]}
        for s in sentences if b_outputs.get(s) != c_outputs[s]
    ][:5]

    # (b) re-run on the unchanged project: nothing pending
    res_r = check_ok("(b) re-run", run_measured(tcmd, env_t, project))
    results["rerun"] = _rerun(res_r)
    # (b) re-run with every catalog reset (all entries pending again): the MT cache must serve all
    check_ok("tolmach init --force", run_measured([*tolmach_cmd(), "init", "-l", tgt, "-d", "locales", "--force"],
                                                  env_t, project))
    res_k = check_ok("(b) cached re-run", run_measured(tcmd, env_t, project))
    results["rerun_reset"] = _rerun(res_k)

    # (a) argostranslate, one translate() call per article
    if args.skip_argos:
        results["a"] = None
    else:
        spec_a = {"articles": [str(p) for p, _ in made], "src": src, "tgt": tgt, "out": str(d / "out-a.json")}
        (d / "spec-a.json").write_text(json.dumps(spec_a), encoding="utf-8")
        env_a = {
            "ARGOS_PACKAGES_DIR": str(d / "argos-packages"),
            "ARGOS_CHUNK_TYPE": "SPACY",
            "ARGOS_DEVICE_TYPE": "cpu",
            "ARGOS_COMPUTE_TYPE": "int8",
            "ARGOS_INTRA_THREADS": str(args.threads),
            "ARGOS_INTER_THREADS": "1",
            "ARGOS_BEAM_SIZE": str(args.beam_size),
            # keep argostranslate's own data and cache folders out of the user's home
            "XDG_DATA_HOME": str(d / "xdg-data"),
            "XDG_CACHE_HOME": str(d / "xdg-cache"),
            "XDG_CONFIG_HOME": str(d / "xdg-config"),
        }
        print("  (a) argostranslate per article ...", end="", flush=True)
        res_a = check_ok("(a) argostranslate", run_measured([sys.executable, "-c", ARGOS_DRIVER, str(d / "spec-a.json")],
                                                            env_a))
        print(f" {res_a['wall_s']:.1f} s", flush=True)
        out_a = json.loads((d / "out-a.json").read_text(encoding="utf-8"))
        results["a"] = _figures(res_a, out_a, n_words)
        a_sents = [ln.strip() for text in out_a["outputs"] for ln in text.split("\n") if ln.strip()]
        results["a_equals_c"] = (sum(x == c_outputs[s] for x, s in zip(a_sents, sentences))
                                 if len(a_sents) == len(sentences) else None)
    return results


def _figures(res: dict, out: dict | None, n_words: int) -> dict:
    f = {"wall_s": res["wall_s"], "words_per_s": n_words / res["wall_s"], "peak_rss_mb": res["peak_rss_mb"]}
    if out is not None:
        f["startup_s"] = out["import_s"]
        f["translate_s"] = out["translate_s"]
        f["translate_words_per_s"] = n_words / out["translate_s"]
    return f


def _rerun(res: dict) -> dict:
    line = res["stdout"].strip().splitlines()[-1] if res["stdout"].strip() else ""
    m = SUMMARY_RX.search(line)
    return {"wall_s": res["wall_s"], "peak_rss_mb": res["peak_rss_mb"], "summary": line,
            "model_calls": int(m.group(1)) if m else None}


def bench_help(repeat: int = 5) -> dict:
    times = []
    for _ in range(repeat):
        res = check_ok("tolmach --help", run_measured([*tolmach_cmd(), "--help"]))
        times.append(res["wall_s"])
    return {"best_s": min(times), "all_s": times}


def bench_check(args) -> dict | None:
    """`bench/check_speed.py` (owned elsewhere), if both it and `tolmach check` exist."""
    script = HERE / "check_speed.py"
    probe = run_measured([*tolmach_cmd(), "check", "--help"])
    if probe["rc"] != 0 or not script.exists():
        return {"available": False,
                "why": "tolmach check not available" if probe["rc"] != 0 else "bench/check_speed.py absent"}
    res = run_measured([sys.executable, str(script)], timeout=600)
    return {"available": True, "rc": res["rc"], "output": (res["stdout"] + res["stderr"]).strip()[-2000:]}


# ----------------------------------------------------------------------------------- report


def machine() -> str:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = 0
    import ctranslate2

    return (f"{model}, {cpus} CPUs, {mem:.0f} GiB RAM, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}, CTranslate2 {ctranslate2.__version__}")


def print_table(report: dict) -> None:
    rows = [("case", "sentences", "words", "wall s", "words/s", "transl. words/s", "peak RSS MB")]
    for r in report["directions"]:
        dirn = r["direction"]
        for key, label in (("a", "(a) argostranslate translate() per article"),
                           ("b", "(b) tolmach translate, whole project"),
                           ("c", "(c) raw CTranslate2 translate_batch, all")):
            f = r.get(key)
            if f is None:
                rows.append((f"{dirn} {label}", "-", "-", "skipped", "-", "-", "-"))
                continue
            tw = f"{f['translate_words_per_s']:.0f}" if "translate_words_per_s" in f else "-"
            rows.append((f"{dirn} {label}", str(r["sentences"]), str(r["words"]), f"{f['wall_s']:.1f}",
                         f"{f['words_per_s']:.0f}", tw, f"{f['peak_rss_mb']:.0f}"))
        for key, label in (("rerun", "(b) re-run, unchanged project"),
                           ("rerun_reset", "(b) re-run, catalogs reset (MT cache)")):
            f = r[key]
            rows.append((f"{dirn} {label}", "-", "-", f"{f['wall_s']:.2f}",
                         f"model calls: {f['model_calls']}", "-", f"{f['peak_rss_mb']:.0f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        print("  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()
    for r in report["directions"]:
        a, b, c = r.get("a"), r["b"], r["c"]
        line = f"{r['direction']}: (b) vs (c) identical output: {r['b_equals_c']}/{r['sentences']} sentences"
        line += f"; (b)/(c) words/s: {b['words_per_s'] / c['words_per_s']:.2f}"
        line += f" (vs (c) translation only: {b['words_per_s'] / c['translate_words_per_s']:.2f})"
        if a:
            line += f"; (b)/(a) words/s: {b['words_per_s'] / a['words_per_s']:.2f}"
            line += f" (vs (a) translation only: {b['words_per_s'] / a['translate_words_per_s']:.2f})"
            if r.get("a_equals_c") is not None:
                line += f"; (a) vs (c) identical: {r['a_equals_c']}/{r['sentences']}"
        print(line)
        print(f"   (b) said: {b.get('summary', '')}")
        print(f"   runs (best reported): (b) {', '.join(f'{w:.1f}' for w in b['all_wall_s'])} s; "
              f"(c) {', '.join(f'{w:.1f}' for w in c['all_wall_s'])} s")
    h = report["help"]
    print(f"tolmach --help: best of {len(h['all_s'])}: {h['best_s']:.3f} s")
    ck = report.get("check")
    if ck is None:
        pass
    elif not ck["available"]:
        print(f"tolmach check on 10k entries: n/a ({ck['why']})")
    else:
        print(f"bench/check_speed.py (exit {ck['rc']}):\n{ck['output']}")
    print(f"machine: {report['machine']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Tolmach translation speed benchmark (issue #5).")
    ap.add_argument("--articles", type=int, default=30, help="articles per direction (default 30)")
    ap.add_argument("--sentences", type=int, default=20, help="sentences per article (default 20)")
    ap.add_argument("--direction", choices=["en-ru", "ru-en", "both"], default="both")
    ap.add_argument("--beam-size", type=int, default=4)
    default_threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    ap.add_argument("--threads", type=int, default=default_threads,
                    help=f"CTranslate2 intra threads for all three cases (default: all cores, {default_threads})")
    ap.add_argument("--max-batch-tokens", type=int, default=4096, help="for (b) and (c)")
    ap.add_argument("--repeat", type=int, default=2,
                    help="runs of (b) and (c), interleaved; the best is reported (default 2; (a) runs once)")
    ap.add_argument("--skip-argos", action="store_true", help="skip (a), the slow one")
    ap.add_argument("--no-memory", action="store_true", help="run (b) with --no-memory (no MT cache)")
    ap.add_argument("--no-confidence", action="store_true",
                    help="run (b) with --no-confidence (no scoring pass: the translation alone against (c))")
    ap.add_argument("--no-check", action="store_true", help="skip the `tolmach check` benchmark")
    ap.add_argument("--workdir", type=Path, help="keep the work files here (default: a temporary folder)")
    ap.add_argument("--json", type=Path, help="also write all figures to this JSON file")
    args = ap.parse_args(argv)

    if not NEWSTEST.is_dir():
        print(f"bench: {NEWSTEST} not found: the benchmark needs the shared WMT newstest corpora",
              file=sys.stderr)
        return 2
    directions = [("en", "ru"), ("ru", "en")] if args.direction == "both" else [tuple(args.direction.split("-"))]
    tmp = None
    if args.workdir:
        work = args.workdir.resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="tolmach-bench-")
        work = Path(tmp.name)
    try:
        report = {"machine": machine(), "command": " ".join(["python", "bench/speed.py", *(argv or sys.argv[1:])]),
                  "directions": [bench_direction(s, t, args, work) for s, t in directions]}
        report["help"] = bench_help()
        report["check"] = None if args.no_check else bench_check(args)
    finally:
        if tmp is not None:
            tmp.cleanup()
    print()
    print_table(report)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
