"""How fast is `tolmach check`? Generates a 10,000-entry project and times the real command.

    python bench/check_speed.py [--files 100] [--entries 100] [--runs 5] [--glossary PATH | --no-glossary]

Prints wall and CPU times (interpreter start included) for `tolmach check` in each format, without
the glossary and with it (default: the project's seed glossary in ``glossaries/``), each four
ways: a cold run (``--no-cache``: every file checked), a first run (the cache on but empty, as on a
fresh CI runner: every file checked and the results written), a warm one (the files unchanged
since the last run, their results reused from the check cache, see ``tolmach.checks.cache``) and
one after an edit of one catalog (``edit1``: that file checked, 99 from the cache); then translate-toolkit's
``pofilter`` over the same files, and the ratio; and an in-process breakdown: reading the PO files,
building the checks, running them. Not a test: figures only. Target (issue #11): 0.5 s in one
process with the glossary, for 100 files x 100 entries. First it times the fixed cost of a run
(two entries: start-up, imports, the glossary read and the checks built). On a machine shared
with other jobs the CPU time (user + system of the child) is the steadier figure.

About 30 % of the entries mention a seed-glossary name, a third of those in a wrong form (a
forbidden variant, broken agreement, a misspelling, the English left as is). Every entry carries its
own number (100 up, unique in the project), so no two entries have the same source or the same
translation: a check cannot get fast by only remembering what it has seen. (Before 2026-12-02 the
numbers repeated every 900 entries and five templates had none: 10,000 entries held only 458
distinct pairs, so figures from before then are not comparable.)
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
        'The Taliban took control of {n} districts on August 15, 2021, and the president fled the country. '
        'He said: "We will not leave."',
        "Талибы взяли под контроль {n} районов 15 августа 2021 года, а президент бежал из страны. "
        "Он сказал: «Мы не уйдём».",
    ),
    (
        "Prices rose by 3.5% in March, according to data published at https://example.com/stats/{n}.",
        "По данным, опубликованным на https://example.com/stats/{n}, в марте цены выросли на 3,5%.",
    ),
    ("Photo {n}: Allauddin Khan / AP", "Фото {n}: Аллауддин Хан / AP"),
    (
        "More than 2.4 billion people in {n} countries use the service every month, the report said.",
        "Сервисом ежемесячно пользуются более 2,4 млрд человек в {n} странах, говорится в отчёте.",
    ),
    # planted problems
    ("The price rose to 1,500 rubles in {n} shops.", "Цена выросла до 1 600 рублей в {n} магазинах."),
    ('He called it "a disaster" {n} times.', 'Он назвал это "катастрофой" {n} раз.'),
    ("Read more at {site} ({n}).", "Подробнее на сайте ({n})"),
    ("The government said the talks had failed {n} times.", "The government said the talks had failed {n} times."),
    ("Officials met in Moscow {n} times.", "Officials  встретились в Москве {n} раз"),
]
# Entries that name seed-glossary terms (glossaries/news.en-ru.csv): correct renderings first, then
# wrong ones. "{n}" becomes the entry's own number in both texts.
GLOSSARY_PAIRS = [
    (
        "NATO's Supreme Allied Commander Curtis Scaparrotti told the Senate Armed Services Committee "
        "that {n} troops would stay.",
        "Верховный главнокомандующий ОВС НАТО Кертис Скапаротти заявил комитету по вооружённым силам "
        "Сената США, что {n} военнослужащих останутся.",
    ),
    (
        "The Taliban have controlled most of Afghanistan since {n} days after the withdrawal.",
        "«Талибан» контролирует большую часть Афганистана уже {n} дней после вывода войск.",
    ),
    (
        "The Kremlin declined to comment on the report, Reuters said on Tuesday ({n} words).",
        "Кремль отказался комментировать сообщение, передаёт агентство Рейтер во вторник ({n} слов).",
    ),
    (
        "Komsomolskaya Pravda published {n} letters from readers in Central Asia.",
        "«Комсомольская правда» опубликовала {n} писем читателей из Центральной Азии.",
    ),
    (
        "Taliban leader Syed Mohammad Akbar Agha said {n} prisoners had been released.",
        "Лидер талибов Саид Мохаммад Акбар Ага заявил, что освобождены {n} заключённых.",
    ),
    (
        "After the collapse of the Soviet Union, The Moscow Times counted {n} new parties.",
        "После распада Советского Союза The Moscow Times насчитала {n} новых партий.",
    ),
    # wrong forms
    ("General Scaparrotti said {n} soldiers were wounded.", "Генерал Скапарротти сказал, что ранены {n} солдат."),
    (
        "Komsomolskaya Pravda sent {n} reporters to Central Asia.",
        "«Комсомольская правды» направила {n} корреспондентов в Среднюю Азию.",
    ),
    ("The Kremlin said NATO had moved {n} tanks.", "Кремлин заявил, что Нато перебросило {n} танков."),
]


def make_project(root: Path, files: int, entries: int) -> Path:
    locales = root / "locales" / "ru" / "LC_MESSAGES"
    locales.mkdir(parents=True)
    for f in range(files):
        parts = [HEADER]
        for i in range(entries):
            # one entry in ten has a planted problem, three in ten name glossary terms
            if i % 10 == 9:
                src, tgt = PAIRS[5 + (i // 10) % 5]
            elif i % 10 in (1, 4, 7):
                src, tgt = GLOSSARY_PAIRS[(f * entries + i) % len(GLOSSARY_PAIRS)]
            else:
                src, tgt = PAIRS[i % 5]
            n = str(100 + f * entries + i)  # unique in the project
            src, tgt = _numbered(src, n), _numbered(tgt, n)
            kind = "credit" if "/ AP" in src else "body"
            parts.append(
                f"#. tolmach: {kind}, unit {i + 1} of {entries}\n#: article{f}.md:{i * 2 + 1}\n"
                f'msgctxt "{kind}-{f}-{i}"\nmsgid "{_q(src)}"\nmsgstr "{_q(tgt)}"\n\n'
            )
        (locales / f"article{f:03d}.po").write_text("".join(parts), encoding="utf-8")
    return root / "locales"


_EDITS = [0]  # edits made so far in this run (each adds an entry of its own)


def _edit_one(locales: Path, n: int) -> None:
    """A translator's change to one catalog: one entry added (another file each run)."""
    files = sorted((locales / "ru" / "LC_MESSAGES").glob("*.po"))
    path = files[(n * 37) % len(files)]
    _EDITS[0] += 1
    k = 900_000 + _EDITS[0]  # unique in the project, as every entry's number is
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f'\nmsgctxt "edit-{k}"\nmsgid "Officials met {k} times."\nmsgstr "Чиновники встречались {k} раз."\n')


def _numbered(text: str, n: str) -> str:
    """The text with its own number, so that entries differ (the planted number error stays)."""
    if "2007" in text:
        return text.replace("2007", f"1{n}")
    return text.replace("{n}", n)


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


def in_process(locales: Path, glossary: Path | None) -> None:
    from tolmach.checks import runner

    start = time.perf_counter()
    files = runner.find_po_files([locales])
    entries = [e for f in files for e in runner.read_po(f)]
    read = time.perf_counter()
    loaded = runner.load_project_glossary([glossary], True) if glossary else None
    checks = runner.build_checks(glossary=loaded)
    built = time.perf_counter()
    findings = runner.run_checks(entries, checks)
    done = time.perf_counter()
    print(
        f"in process{' with the glossary' if glossary else ''}: read {len(files)} files / {len(entries)} "
        f"entries {read - start:.3f} s, load glossary and build checks {built - read:.3f} s, "
        f"run {done - built:.3f} s ({len(findings)} findings)"
    )
    for check in checks:
        if loaded is not None and check.id == "glossary":
            check = runner.build_checks(glossary=loaded, only=["glossary"])[0]  # fresh: no consistency state
        t = time.perf_counter()
        runner.run_checks(entries, [check])
        print(f"    {check.id:<16} {time.perf_counter() - t:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--glossary",
        type=Path,
        help="time only with this glossary file or folder (default: without a glossary, then with glossaries/)",
    )
    parser.add_argument("--no-glossary", action="store_true", help="time only without a glossary")
    parser.add_argument("--formats", nargs="+", default=["text", "json", "sarif", "junit", "github"])
    args = parser.parse_args()
    if args.glossary is not None:
        setups = [args.glossary.resolve()]
    elif args.no_glossary:
        setups = [None]
    else:
        setups = [None, (Path(__file__).resolve().parent.parent / "glossaries")]
    # An installed package has its bytecode (pip compiles it); an editable checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would compile every module again in every run (about 0.05 s).
    import compileall

    import tolmach

    compileall.compile_dir(str(Path(tolmach.__file__).parent), quiet=1)
    with tempfile.TemporaryDirectory(prefix="tolmach-bench-") as tmp:
        root = Path(tmp)
        locales = make_project(root, args.files, args.entries)
        total = args.files * args.entries
        print(f"{args.files} files x {args.entries} entries = {total} entries, {os.cpu_count()} CPUs")
        print(f"load average {os.getloadavg()[0]:.2f}")
        base, base_cpu, _ = time_command([sys.executable, "-c", "pass"], root, args.runs)
        print(f"python -c pass               wall min {min(base):.3f} s, cpu min {min(base_cpu):.3f} s")
        cmd = tolmach_command()
        os.environ["TOLMACH_CACHE_DIR"] = str(root / "check-cache")  # not the user's cache
        # the fixed cost of a run: start-up, imports, the glossary and the checks built, two entries
        # checked (the second names glossary terms: what the glossary check loads only when it meets
        # a term, pymorphy3's dictionary, is part of it)
        one = make_project(root / "two-entries", 1, 2)
        for glossary in setups:
            option = ["--glossary", str(glossary)] if glossary else ["--no-glossary"]
            times, cpu, _ = time_command([*cmd, "check", *option, "--no-cache", str(one)], root, args.runs)
            print(
                f"start-up (2 entries, --no-cache, {'with the glossary' if glossary else 'no glossary'}): wall min "
                f"{min(times):.3f} s, median {statistics.median(times):.3f} s; cpu min {min(cpu):.3f} s, "
                f"median {statistics.median(cpu):.3f} s"
            )
        measured: dict[str, tuple[list[float], list[float]]] = {}  # with the glossary, first format
        for glossary in setups:
            option = ["--glossary", str(glossary)] if glossary else ["--no-glossary"]
            print(f"-- {'with the glossary ' + str(glossary) if glossary else 'without a glossary'}")
            for fmt in args.formats:
                # cold: --no-cache; first: the cache on but empty (a fresh CI runner: every file
                # checked and the results written); warm: every file unchanged since the last run
                for label, extra in (("cold", ["--no-cache"]), ("first", []), ("warm", []), ("edit1", [])):
                    run = [*cmd, "check", *option, "--format", fmt, *extra, str(locales)]
                    if label == "warm":
                        subprocess.run(run, cwd=root, capture_output=True)  # fills the cache
                    if label == "edit1":
                        # a commit that touched one catalog: the other 99 files' results come from
                        # the cache, the glossary and the checks are built for the one checked
                        times, cpu, rc = [], [], 0
                        for n in range(args.runs):
                            _edit_one(locales, n)
                            t, c, rc = time_command(run, root, 1)
                            times += t
                            cpu += c
                    elif label == "first":
                        times, cpu, rc = [], [], 0
                        for n in range(args.runs):
                            os.environ["TOLMACH_CACHE_DIR"] = str(root / f"check-cache-first-{fmt}-{n}")
                            t, c, rc = time_command(run, root, 1)
                            times += t
                            cpu += c
                        os.environ["TOLMACH_CACHE_DIR"] = str(root / "check-cache")
                    else:
                        times, cpu, rc = time_command(run, root, args.runs)
                    print(
                        f"tolmach check --format {fmt:<6} {label:<5}: wall min {min(times):.3f} s, median "
                        f"{statistics.median(times):.3f} s; cpu min {min(cpu):.3f} s, median "
                        f"{statistics.median(cpu):.3f} s (exit {rc})"
                    )
                    if glossary and fmt == args.formats[0]:
                        measured[label] = (times, cpu)
            in_process(locales, glossary)
        pofilter = Path(sys.executable).with_name("pofilter")
        if measured and pofilter.exists():
            out = root / "pofilter-out"
            runs = min(args.runs, 3)
            times, cpu, rc = time_command([str(pofilter), "--progress=none", "-i", str(locales), "-o", str(out)], root, runs)
            print(
                f"pofilter (translate-toolkit, no glossary) wall min {min(times):.3f} s, median "
                f"{statistics.median(times):.3f} s; cpu min {min(cpu):.3f} s, median {statistics.median(cpu):.3f} s (exit {rc})"
            )
            for label, (t, c) in measured.items():
                print(
                    f"pofilter / tolmach check with the glossary, {label}: wall medians "
                    f"{statistics.median(times) / statistics.median(t):.1f}x, cpu medians "
                    f"{statistics.median(cpu) / statistics.median(c):.1f}x"
                )


if __name__ == "__main__":
    main()
