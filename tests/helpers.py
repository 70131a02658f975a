"""Helpers shared by the tests: run the real CLI, and validate PO files the way users' tools do."""

from __future__ import annotations

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
    """msgfmt --check accepts it and polib reads it back; returns the polib file."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is required (apt-get install gettext)"
    proc = subprocess.run([msgfmt, "--check", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return polib.pofile(str(path))
