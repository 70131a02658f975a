"""The batch job on Ray (issue 14): one machine vs Ray with 1 worker x 2 threads vs 2 workers x 1 thread.

200 articles made from WMT newstest sentences (bench/make_articles.py), the shared en->ru bench model
installed into a temporary TOLMACH_MODELS_DIR, each case in a fresh project:

(a) ``tolmach translate-article ARTICLES --to ru``             (one process, CTranslate2 on 2 threads)
(b) ``tolmach batch articles --to ru --workers 1 --threads 2``  (Ray: one actor, 2 threads)
(c) ``tolmach batch articles --to ru --workers 2 --threads 1``  (Ray: two actors, one model each)

(b) and (c) run against one local Ray cluster started before the timings (a cluster the user
already has); its start-up time is printed apart. Printed: wall time, source words/s, peak RSS of
the driver process (the command itself; Ray's workers are not the driver), and whether the
catalogs and drafts of (a), (b), (c) are identical (the two date headers masked). Figures only:
this is not a test.

    python bench/ray_bench.py                      # 200 articles x 6 sentences, ~10 min on a loaded 2-core VM
    python bench/ray_bench.py --articles 50 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from make_articles import NEWSTEST, make_articles  # noqa: E402

MODEL = ROOT.parent / "shared" / "models" / "bench" / "translate-en_ru-bench.argosmodel"
TOLMACH = [sys.executable, "-m", "tolmach"]
DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.M)

# Keeps a local Ray cluster alive for the timed runs; prints its address, ends when stdin closes.
CLUSTER = """
import sys, ray
ray.init(num_cpus=int(sys.argv[1]), include_dashboard=False, log_to_driver=False)
print(ray.get_runtime_context().gcs_address, flush=True)
sys.stdin.read()
"""


def timed(cmd: list[str], cwd: Path, env: dict) -> dict:
    """Run a command; wall time and its peak RSS (VmHWM, read while it runs: ru_maxrss would count
    the memory of this process, which the child is forked from)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        peak = 0
        status = Path(f"/proc/{proc.pid}/status")
        while True:
            pid, code, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            try:
                hwm = next(ln for ln in status.read_text().splitlines() if ln.startswith("VmHWM:"))
                peak = max(peak, int(hwm.split()[1]))
            except (OSError, StopIteration, ValueError):
                pass
            time.sleep(0.05)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(code)
        out.seek(0)
        err.seek(0)
        res = {"rc": proc.returncode, "wall_s": wall, "driver_peak_rss_mb": peak / 1024,
               "driver_cpu_s": usage.ru_utime + usage.ru_stime,  # the driver's own CPU: the serial part
               "stdout": out.read().decode("utf-8", "replace"), "stderr": err.read().decode("utf-8", "replace")}
    if res["rc"] != 0:
        sys.stderr.write(res["stdout"][-3000:] + res["stderr"][-3000:])
        raise SystemExit(f"bench: {' '.join(cmd[2:4])} failed with exit code {res['rc']}")
    return res


def outputs(locales: Path) -> dict[str, str]:
    return {p.relative_to(locales).as_posix(): DATES.sub(r'"\1: <date>\\n"', p.read_text(encoding="utf-8"))
            for p in sorted(locales.rglob("*")) if p.is_file()}


def project(work: Path, name: str, articles: Path) -> Path:
    root = work / name
    (root / "articles").mkdir(parents=True)
    for f in sorted(articles.glob("*.txt")):
        (root / "articles" / f.name).write_bytes(f.read_bytes())
    (root / "tolmach.toml").write_text("", encoding="utf-8")
    return root


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--sentences", type=int, default=6, help="sentences (paragraphs) per article")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    if not MODEL.is_file() or not NEWSTEST.is_dir():
        print(f"bench: needs {MODEL} and {NEWSTEST} (the shared folder); skipped", file=sys.stderr)
        return 0
    try:
        import ray  # noqa: F401
    except ImportError:
        print('bench: Ray is not installed (pip install -e ".[ray]"); skipped', file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="tolmach-ray-bench-") as tmp:
        work = Path(tmp)
        env = {**os.environ, "TOLMACH_MODELS_DIR": str(work / "models"), "TOLMACH_PACKAGE_INDEX": "http://127.0.0.1:9/",
               # Ray's token authentication, with a token of this run's own (not ~/.ray's)
               "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(32)}
        subprocess.run([*TOLMACH, "models", "install", "--file", str(MODEL)], env=env, check=True,
                       capture_output=True)
        made = make_articles("en", args.articles, args.sentences, work / "source")
        words = sum(len(p.split()) for _, paras in made for p in paras)
        print(f"bench: {len(made)} articles, {sum(len(p) for _, p in made)} sentences, {words} words; "
              f"model {MODEL.name}; {os.cpu_count()} CPUs (shared with other jobs: figures under load)")
        results: dict = {"articles": len(made), "words": words, "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d")}

        a = project(work, "a", work / "source")
        res = timed([*TOLMACH, "translate-article", *sorted(str(p) for p in (a / "articles").glob("*.txt")),
                     "--to", "ru", "--intra-threads", "2"], a, env)
        results["a"] = {"case": "translate-article (one process, 2 threads)", **_figures(res, words)}
        _print("a", results["a"])

        t0 = time.perf_counter()
        cluster = subprocess.Popen([sys.executable, "-c", CLUSTER, "3"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        address = cluster.stdout.readline().strip()
        results["cluster_start_s"] = round(time.perf_counter() - t0, 1)
        print(f"bench: local Ray cluster (3 logical CPUs: the workers' threads + 1 for the light tasks) "
              f"at {address}, started in {results['cluster_start_s']} s")
        try:
            for key, workers, threads in (("b", 1, 2), ("c", 2, 1)):
                root = project(work, key, work / "source")
                res = timed([*TOLMACH, "batch", "articles", "--to", "ru", "--ray", address,
                             "--workers", str(workers), "--threads", str(threads)], root, env)
                results[key] = {"case": f"batch --workers {workers} --threads {threads}", **_figures(res, words)}
                _print(key, results[key])
        finally:
            cluster.stdin.close()
            cluster.wait(timeout=120)

        ref = outputs(work / "a" / "locales")
        same = {k: outputs(work / k / "locales") == ref for k in ("b", "c")}
        results["identical"] = all(same.values())
        results["files_compared"] = len(ref)
        print(f"bench: catalogs and drafts identical (a)=(b): {same['b']}, (a)=(c): {same['c']} "
              f"({len(ref)} files each, date headers masked)")
        a_w, c_w = results["a"]["words_per_s"], results["c"]["words_per_s"]
        print(f"bench: (c)/(a) = {c_w / a_w:.2f} (goal >= 0.9); (c)/(b) = {c_w / results['b']['words_per_s']:.2f} "
              "(2 workers x 1 thread against 1 worker x 2 threads)")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0 if results["identical"] else 1


def _figures(res: dict, words: int) -> dict:
    return {"wall_s": round(res["wall_s"], 1), "words_per_s": round(words / res["wall_s"], 1),
            "driver_peak_rss_mb": round(res["driver_peak_rss_mb"]), "driver_cpu_s": round(res["driver_cpu_s"], 1),
            "summary": res["stdout"].strip().splitlines()[0]}


def _print(key: str, r: dict) -> None:
    print(f"  ({key}) {r['case']:<45} {r['wall_s']:>7.1f} s  {r['words_per_s']:>7.1f} words/s  "
          f"driver peak {r['driver_peak_rss_mb']:>5} MB, driver CPU {r['driver_cpu_s']:>5.1f} s")


if __name__ == "__main__":
    raise SystemExit(main())
