"""How fast is `tolmach check`? Generates a 10,000-entry project and times the real command.

    python bench/check_speed.py [--files 100] [--entries 100] [--runs 5]

Prints wall times (interpreter start included) for `tolmach check` in each format, and an in-process
breakdown: reading the PO files, building the checks, running them. Not a test: figures only.
Target: under 1 s for 100 files x 100 entries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Language: ru\\n"\n"X-Source-Language: en\\n"\n\n'
)
# A realistic mix: clean paragraphs, and a few with planted problems for every check.
PAIRS = [
    (
        "The company said on Monday that 1,000 people attended the event in 2007.",
        "В понедельник компания сообщила, что на мероприятии в 2007 году присутствовали 1 000 человек.",
    ),
    (
        'The Taliban took control of Kabul on August 15, 2021, and the president fled the country. '
        'He said: "We will not leave."',
        "Талибы взяли Кабул под контроль 15 августа 2021 года, а президент бежал из страны. "
        "Он сказал: «Мы не уйдём».",
    ),
    (
        "Prices rose by 3.5% in March, according to data published at https://example.com/stats.",
        "По данным, опубликованным на https://example.com/stats, в марте цены выросли на 3,5%.",
    ),
    ("Allauddin Khan / AP", "Аллауддин Хан / AP"),
    (
        "More than 2.4 billion people use the service every month, the report said.",
        "Сервисом ежемесячно пользуются более 2,4 млрд человек, говорится в отчёте.",
    ),
    # planted problems
    ("The price rose to 1,500 rubles.", "Цена выросла до 1 600 рублей."),
    ('He called it "a disaster".', 'Он назвал это "катастрофой".'),
    ("Read more at {site}.", "Подробнее на сайте"),
    ("The government said the talks had failed.", "The government said the talks had failed."),
    ("Officials met in Moscow.", "Officials  встретились в Москве"),
]


def make_project(root: Path, files: int, entries: int) -> Path:
    locales = root / "locales" / "ru" / "LC_MESSAGES"
    locales.mkdir(parents=True)
    for f in range(files):
        parts = [HEADER]
        for i in range(entries):
            # one entry in ten has a planted problem
            src, tgt = PAIRS[5 + (i // 10) % 5] if i % 10 == 9 else PAIRS[i % 5]
            kind = "credit" if "/ AP" in src else "body"
            parts.append(
                f"#. tolmach: {kind}, unit {i + 1} of {entries}\n#: article{f}.md:{i * 2 + 1}\n"
                f'msgctxt "{kind}-{f}-{i}"\nmsgid "{_q(src)}"\nmsgstr "{_q(tgt)}"\n\n'
            )
        (locales / f"article{f:03d}.po").write_text("".join(parts), encoding="utf-8")
    return root / "locales"


def _q(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def tolmach_command() -> list[str]:
    script = Path(sys.executable).with_name("tolmach")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tolmach"]


def time_command(args: list[str], cwd: Path, runs: int) -> tuple[list[float], list[float], int]:
    """Wall times and CPU times (user + system, of the child): on a busy machine the CPU time is
    the steadier figure."""
    import resource

    times, cpu = [], []
    rc = 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(args, cwd=cwd, capture_output=True)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        rc = proc.returncode
    return times, cpu, rc


def in_process(locales: Path) -> None:
    from tolmach.checks import runner

    start = time.perf_counter()
    files = runner.find_po_files([locales])
    entries = [e for f in files for e in runner.read_po(f)]
    read = time.perf_counter()
    checks = runner.build_checks()
    built = time.perf_counter()
    findings = runner.run_checks(entries, checks)
    done = time.perf_counter()
    print(
        f"in process: read {len(files)} files / {len(entries)} entries {read - start:.3f} s, "
        f"build checks {built - read:.3f} s, run {done - built:.3f} s ({len(findings)} findings)"
    )
    for check in checks:
        t = time.perf_counter()
        runner.run_checks(entries, [check])
        print(f"    {check.id:<16} {time.perf_counter() - t:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tolmach-bench-") as tmp:
        root = Path(tmp)
        locales = make_project(root, args.files, args.entries)
        total = args.files * args.entries
        print(f"{args.files} files x {args.entries} entries = {total} entries, {os.cpu_count()} CPUs")
        print(f"load average {os.getloadavg()[0]:.2f}")
        base, base_cpu, _ = time_command([sys.executable, "-c", "pass"], root, args.runs)
        print(f"python -c pass               wall min {min(base):.3f} s, cpu min {min(base_cpu):.3f} s")
        cmd = tolmach_command()
        for fmt in ("text", "json", "sarif", "junit", "github"):
            times, cpu, rc = time_command(
                [*cmd, "check", "--no-glossary", "--format", fmt, str(locales)], root, args.runs
            )
            print(
                f"tolmach check --format {fmt:<6} wall min {min(times):.3f} s, median "
                f"{statistics.median(times):.3f} s; cpu min {min(cpu):.3f} s (exit {rc})"
            )
        in_process(locales)


if __name__ == "__main__":
    main()
