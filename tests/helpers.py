"""Helpers shared by the tests: run the real CLI, and validate PO files the way users' tools do."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from click.testing import CliRunner

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).resolve().parents[1] / "articles" / "moscow-times-taliban.txt"
SHARED = Path(__file__).resolve().parents[2] / "shared"


def tolmach(*args, cwd=None, env=None, input=None):
    """Run `tolmach` in-process with click's runner; returns the click Result."""
    from tolmach.cli import main

    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        return runner.invoke(main, [str(a) for a in args], env=env, input=input, catch_exceptions=False)
    finally:
        os.chdir(old)


def tolmach_process(*args, cwd=None, env=None, timeout=300):
    """Run `tolmach` as a real process (for exit codes and 'no traceback' checks)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tolmach", *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_one_line_error(proc, *needles):
    """Exit code 2, one line on stderr naming what is wrong, no traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    err = proc.stderr.strip()
    assert "Traceback" not in err, err
    assert len(err.splitlines()) == 1, err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


def assert_valid_po(path):
    """msgfmt --check accepts it, it is formatted as msgcat formats it, and polib reads it back;
    returns the polib file."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is required (apt-get install gettext)"
    proc = subprocess.run([msgfmt, "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert_msgcat_identical(path)
    return polib.pofile(str(path))


def assert_msgcat_identical(path):
    """The file is byte for byte what GNU gettext's ``msgcat`` writes for it (Poedit and msgmerge
    format the same way), except for flags gettext does not know (Tolmach's ``no-<id>-check``),
    which msgcat drops and Tolmach keeps, as it keeps an untranslated obsolete entry that holds a
    translator's comment. A file in ``--no-wrap`` style is compared with
    ``msgcat --no-wrap``, one with CRLF line ends with msgcat's lines."""
    import re

    msgcat = shutil.which("msgcat")
    assert msgcat, "gettext's msgcat is required (apt-get install gettext)"
    data = Path(path).read_bytes()
    declared = re.search(rb"charset=([A-Za-z0-9_.:-]+)", data)
    charset = declared.group(1).decode() if declared and declared.group(1) != b"CHARSET" else "utf-8"
    ours = data.decode(charset)  # msgcat writes a catalog in the charset its header declares
    if ours.count("\n") == ours.count("\r\n"):  # a CRLF file: as msgcat writes it on Windows
        ours = ours.replace("\r\n", "\n")
        data = data.replace(b"\r\n", b"\n")  # (gettext elsewhere reads a CR as text)
    known = re.compile(r"fuzzy|(?:no-)?[a-z-]+-format|range: .*|no-wrap")

    def gettext_flags(match):
        flags = [f for f in match.group(1).split(", ") if known.fullmatch(f)]
        return "#, " + ", ".join(flags) + "\n" if flags else ""

    ours = re.sub(r"^#, (.*)\n", gettext_flags, ours, flags=re.M)
    # an obsolete entry without translation that keeps a translator's comment: msgcat drops it
    ours = "\n\n".join(b for b in ours.rstrip("\n").split("\n\n")
                       if not re.search(r'^#~ msgstr(?:\[0\])? ""\n(?!#~ ")', b + "\n", flags=re.M)) + "\n"
    for style in ([], ["--no-wrap"]):  # a file written --no-wrap stays so
        proc = subprocess.run([msgcat, *style, "-"], input=data, capture_output=True)
        assert proc.returncode == 0, proc.stderr.decode()
        if proc.stdout.decode(charset) == ours:
            return
    proc = subprocess.run([msgcat, "-"], input=data, capture_output=True)
    theirs = proc.stdout.decode(charset)
    assert theirs == ours, "".join(difflib.unified_diff(
        ours.splitlines(True), theirs.splitlines(True), "tolmach", "msgcat"))
