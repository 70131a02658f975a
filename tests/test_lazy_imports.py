"""Lazy imports (issue #5): commands that do not translate never load the MT stack.

Every command of the CLI is discovered from ``tolmach.cli.main``; each one that does not translate
is run on real small inputs (a project built from the seed article) in a fresh Python process that
then reports which of the heavy modules ended up in ``sys.modules``. None may: they cost seconds of
start-up (torch alone ~1-2 s) and ``tolmach --help`` / ``tolmach check`` must stay fast.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import polib
import pytest

from tolmach.cli import main

# The seed article (the worked example at the top of the repository).
SEED = Path(__file__).resolve().parents[1] / "articles" / "moscow-times-taliban.txt"

MT_STACK = ("ctranslate2", "argostranslate", "stanza", "torch", "spacy", "sentencepiece", "ray")

# Commands that translate (or talk to the package index) and may load the MT stack.
TRANSLATING = {"translate", "translate-article", "batch", "models install", "models remove"}

MARK = "@@lazy-imports@@"

# Runs one CLI command in this process, then prints which MT modules it loaded. argv[1]: JSON
# list of CLI arguments; argv[2]: JSON list of modules to import first (only for the self-test).
DRIVER = f"""
import json, sys
args, preload = json.loads(sys.argv[1]), json.loads(sys.argv[2])
for name in preload:
    __import__(name)
sys.argv = ["tolmach", *args]
rc = 0
try:
    from tolmach.cli import main
    main(prog_name="tolmach")
except SystemExit as exc:
    rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
loaded = sorted(m for m in {MT_STACK!r} if m in sys.modules)
print({MARK!r} + json.dumps({{"rc": rc, "loaded": loaded}}))
"""


def leaf_commands(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[str]:
    out = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if isinstance(cmd, click.Group):
            out.extend(leaf_commands(cmd, prefix + (name,)))
        else:
            out.append(" ".join(prefix + (name,)))
    return out


def run_driver(args: list[str], cwd: Path, env: dict, preload: tuple[str, ...] = ()) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(args), json.dumps(list(preload))],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(MARK)]
    assert lines, f"driver failed for {args}:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    report = json.loads(lines[-1][len(MARK):])
    report["output"] = (proc.stdout.replace(lines[-1], "") + proc.stderr)[-1500:]
    return report


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A small project: the seed article extracted, a Russian catalog half reviewed, a glossary."""
    root = tmp_path_factory.mktemp("lazy")
    (root / "tolmach.toml").write_text("", encoding="utf-8")
    (root / "articles").mkdir()
    shutil.copy(SEED, root / "articles" / "seed.txt")
    (root / "glossaries").mkdir()
    (root / "glossaries" / "terms.csv").write_text(
        "source,target,kind,note,forbidden,alternatives,case_sensitive,dnt\n"
        "Taliban,Талибан,organisation,,,,yes,\n"
        "Kremlin,Кремль,organisation,,,,yes,\n",
        encoding="utf-8",
    )
    env = dict(os.environ)
    env["TOLMACH_MODELS_DIR"] = str(root / "models")  # empty: `models list` has nothing to show
    env.pop("TOLMACH_CACHE_DIR", None)
    return root, env


def _fill_catalog(po_path: Path) -> None:
    """Review half of the entries (so memory sync / build / check have something to work on)."""
    po = polib.pofile(str(po_path))
    for i, entry in enumerate(e for e in po if not e.obsolete):
        if i % 2 == 0:
            entry.msgstr = f"Перевод абзаца номер {i} про Талибан."
    po.save(str(po_path))


def recipes() -> list[tuple[str, list[str], set[int]]]:
    """(command, argv, accepted exit codes), in an order where each step's inputs exist."""
    po = "locales/ru/LC_MESSAGES/seed.po"
    return [
        ("segment", ["segment", "articles/seed.txt"], {0}),
        ("extract", ["extract", "articles/seed.txt", "-d", "locales"], {0}),
        ("init", ["init", "-l", "ru", "-d", "locales"], {0}),
        ("update", ["update", "-d", "locales"], {0}),
        # -- the catalog is half filled here (see test_non_translating_commands) --
        ("build", ["build", po, "-o", "seed.ru.txt"], {0}),
        ("check", ["check", "locales/ru"], {0, 1}),  # 1: findings
        ("stats", ["stats", "locales"], {0}),
        ("compile", ["compile", "locales"], {0}),
        ("glossary lint", ["glossary", "lint"], {0, 1}),
        ("glossary find", ["glossary", "find", "The Taliban met the Kremlin."], {0, 1}),
        ("glossary export", ["glossary", "export", "--tbx", "terms.tbx"], {0}),
        ("glossary import", ["glossary", "import", "--tbx", "terms.tbx", "-o", "back.csv", "--force"], {0}),
        ("memory sync", ["memory", "sync", "locales", "--memory", "tm.sqlite"], {0}),
        ("memory export", ["memory", "export", "--tmx", "tm.tmx", "--memory", "tm.sqlite"], {0}),
        ("memory import", ["memory", "import", "--tmx", "tm.tmx", "--memory", "tm2.sqlite"], {0}),
        ("memory lookup", ["memory", "lookup", "Перевод абзаца", "--from", "ru", "--to", "en",
                           "--memory", "tm.sqlite"], {0, 1}),
        ("models list", ["models", "list"], {0}),
        ("export", ["export", "--xliff", "seed.xlf", po], {0}),
        ("import", ["import", "--xliff", "seed.xlf"], {0}),
    ]


def test_non_translating_commands_do_not_import_the_mt_stack(project):
    root, env = project
    known = leaf_commands()
    offenders: dict[str, list[str]] = {}
    failed: dict[str, str] = {}
    ran: set[str] = set()

    def run(name: str, args: list[str], ok: set[int]) -> None:
        report = run_driver(args, root, env)
        if report["loaded"]:
            offenders[" ".join(args)] = report["loaded"]
        if report["rc"] not in ok:
            failed[" ".join(args)] = f"exit {report['rc']}: {report['output']}"
        ran.add(name)

    run("--help", ["--help"], {0})
    run("--version", ["--version"], {0})
    for name, args, ok in recipes():
        if name not in known:  # a command not (yet) in this version of the CLI
            continue
        if name == "build":
            _fill_catalog(root / "locales/ru/LC_MESSAGES/seed.po")
        run(name, args, ok)
    # Commands added later without a recipe here: at least their --help and a bare call.
    for name in known:
        if name in TRANSLATING or name in ran:
            continue
        run(name, [*name.split(), "--help"], {0})
        run(name, name.split(), {0, 1, 2})
    # Every command's --help, translating ones included, must not load the stack either.
    for name in known:
        run(name, [*name.split(), "--help"], {0})

    assert not offenders, f"non-translating commands imported the MT stack: {offenders}"
    assert not failed, f"commands did not run on their inputs (the test would prove nothing): {failed}"
    assert {"segment", "extract", "init"} <= ran


def test_the_detector_sees_an_imported_module(project):
    """The check above can fail: a command run after importing sentencepiece is reported."""
    root, env = project
    report = run_driver(["--help"], root, env, preload=("sentencepiece",))
    assert report["loaded"] == ["sentencepiece"]
    assert report["rc"] == 0


def test_only_the_cluster_module_imports_ray():
    """Ray is an optional extra (issue 14): every other module of the package loads without it."""
    code = (
        "import importlib, pkgutil, sys, tolmach\n"
        "for m in pkgutil.walk_packages(tolmach.__path__, 'tolmach.'):\n"
        "    if m.name not in ('tolmach.cluster', 'tolmach.__main__') and not m.name.startswith('tolmach.devtools'):\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n == 'ray' or n.startswith('ray.')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]", proc.stdout


def test_every_command_module_is_in_the_lazy_table():
    """A command defined in a module of tolmach.cli but missing from ``LAZY_COMMANDS`` would vanish
    from the CLI: every top-level click command of every module (a group's own subcommands aside)
    must be in the table, under its name and the module and attribute it is defined at."""
    import importlib
    import pkgutil

    import tolmach.cli
    from tolmach.cli import LAZY_COMMANDS

    declared = {}
    for info in pkgutil.iter_modules(tolmach.cli.__path__):
        module = importlib.import_module(f"tolmach.cli.{info.name}")
        commands = {attr: v for attr, v in vars(module).items() if isinstance(v, click.Command)}
        in_groups = {id(c) for g in commands.values() if isinstance(g, click.Group) for c in g.commands.values()}
        for attr, command in commands.items():
            if id(command) not in in_groups:
                declared[command.name] = (info.name, attr)
    assert declared == LAZY_COMMANDS


def test_check_does_not_import_the_other_command_modules(tmp_path):
    """`tolmach check` loads click and check.py, not the translation pipeline's command tables."""
    po = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "a.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\n'
                  'msgid "Hello."\nmsgstr "Привет."\n', encoding="utf-8")
    code = ("import sys\nfrom tolmach.cli import main\ntry:\n    main(['check', '--no-cache', 'locales'])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('tolmach.cli.')))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "No problems found" in proc.stdout, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "['tolmach.cli.check']"


def test_check_without_the_cache_loads_only_what_checking_uses(tmp_path):
    """`tolmach check --no-cache` loads neither the segmenter (markup takes its BREAKING_SPACE from
    tolmach.spaces) nor what only the result cache (hashlib, pickle), a file writer (secrets) or the
    JSON report use, nor html.entities (only a character reference in a unit needs its table): each
    costs milliseconds of a small project's start-up."""
    po = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "a.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\n'
                  'msgid "The *Taliban* said [more](https://example.com) on 5 May."\n'
                  'msgstr "*Талибан* сообщил [больше](https://example.com) 5 мая."\n', encoding="utf-8")
    unwanted = ("tolmach.segment", "hashlib", "pickle", "secrets", "json", "html.entities")
    code = ("import sys\nfrom tolmach.cli import main\ntry:\n    main(['check', '--no-cache', '--no-glossary', 'locales'])\n"
            "except SystemExit:\n    pass\n"
            f"print(sorted(m for m in {unwanted!r} if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "No problems found" in proc.stdout, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"
