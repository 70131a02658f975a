"""A catalog saved by Poedit/msgcat/msgmerge and run through Tolmach changes only where Tolmach
changed something (no re-wrapping "diff battles"), in the file's own wrapping style."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tolmach.catalog import load_catalog

from helpers import SEED, assert_valid_po, tolmach

MSGCAT = shutil.which("msgcat")
HEADER = "\"\""  # the header entry's key in _blocks
pytestmark = pytest.mark.skipif(MSGCAT is None, reason="gettext's msgcat is required (apt-get install gettext)")


@pytest.fixture
def installed(tmp_path, tiny_package):
    env = {"TOLMACH_MODELS_DIR": str(tmp_path / "models"), "TOLMACH_CACHE_DIR": str(tmp_path / "cache")}
    assert tolmach("models", "install", "--file", tiny_package["en_ru"], env=env).exit_code == 0
    return env


def _blocks(path) -> dict[str, str]:
    """The file's entries by quoted msgctxt (the header as HEADER), each as its exact text."""
    out = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        ctxt = next((ln for ln in block.splitlines() if ln.startswith(("msgctxt ", "#~ msgctxt "))), 'msgctxt ""')
        out[ctxt.split(" ", 1)[1] if not ctxt.startswith("#~") else ctxt] = block
    return out


def _as_poedit_saves_it(po_path, style: tuple[str, ...]) -> None:
    """A translator reviewed some entries in Poedit, which writes through gettext's formatting."""
    text = po_path.read_text(encoding="utf-8")
    text = text.replace('"X-Generator: Tolmach 0.1.0\\n"', '"X-Generator: Poedit 3.4.2\\n"')
    text = re.sub(r'"PO-Revision-Date: [^"]*"', r'"PO-Revision-Date: 2026-11-30 09:15+0300\\n"', text)
    po_path.write_text(text, encoding="utf-8")
    po = load_catalog(po_path)
    for entry in list(po)[:4]:
        entry.msgstr = "Проверено человеком: " + entry.msgid  # long enough to wrap
    po.save(str(po_path))  # polib's own formatting, then gettext's, as Poedit's save would leave it
    subprocess.run([MSGCAT, *style, "-o", str(po_path), str(po_path)], check=True)


@pytest.mark.parametrize("style", [(), ("--no-wrap",)], ids=["wrapped", "no-wrap"])
def test_translate_and_update_change_only_their_entries(tmp_path, installed, style):
    article = tmp_path / "taliban.txt"
    article.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert tolmach("extract", article, cwd=tmp_path).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=tmp_path).exit_code == 0
    po_path = tmp_path / "locales/ru/LC_MESSAGES/taliban.po"
    _as_poedit_saves_it(po_path, style)
    before = _blocks(po_path)
    reviewed = [k for k, b in before.items() if "Проверено человеком" in b]
    assert len(reviewed) == 4

    res = tolmach("translate", po_path, "--no-glossary", "--no-memory", cwd=tmp_path, env=installed)
    assert res.exit_code == 0, res.output
    assert_valid_po(po_path)
    text = po_path.read_text(encoding="utf-8")
    assert subprocess.run([MSGCAT, *style, str(po_path)], capture_output=True, text=True).stdout == text
    after = _blocks(po_path)
    assert after.keys() == before.keys()
    changed = {k for k in before if before[k] != after[k]}
    assert changed == set(before) - set(reviewed)  # every empty entry filled, no reviewed one touched
    header_diff = set(before[HEADER].splitlines()) ^ set(after[HEADER].splitlines())
    assert {ln.split(":")[0] for ln in header_diff} == {'"PO-Revision-Date', '"X-Generator'}
    assert '"X-Generator: Tolmach 0.1.0\\n"' in after[HEADER]

    # the article changes in one paragraph; update touches that entry (and the template date) only
    source = article.read_text(encoding="utf-8")
    assert "told a Senate Armed Services Committee" in source
    article.write_text(source.replace("told a Senate Armed", "told the Senate Armed"), encoding="utf-8")
    res = tolmach("update", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert_valid_po(po_path)
    again = _blocks(po_path)
    gone, new = set(after) - set(again), set(again) - set(after)
    assert len(gone) == 1 and len(new) == 1, (gone, new)
    assert "#| msgid" in again[new.pop()]
    assert {k for k in after.keys() & again.keys() if after[k] != again[k]} <= {HEADER}
    header_diff = set(after[HEADER].splitlines()) ^ set(again[HEADER].splitlines())
    assert {ln.split(":")[0] for ln in header_diff} <= {'"POT-Creation-Date'}  # same minute: none
