"""Tolmach's notes among other tools' comments: a note cut by a PO writer that wraps comments is read
back whole, and another tool's ``#.`` line is never taken for the rest of a note."""

from __future__ import annotations

import io
from pathlib import Path

import polib
import pytest

from tolmach.catalog import load_catalog
from tolmach.notes import comment_lines, fingerprint, read_notes
from tolmach.state import EntryState, entry_state

from helpers import assert_valid_po, tolmach

HEADER = (
    'msgid ""\nmsgstr ""\n"Language: ru\\n"\n"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
    '"X-Source-Language: en\\n"\n\n'
)
SOURCE = "The general did not comment."
NOTES = [
    "tolmach: body, unit 12 of 140",
    "tolmach: markup **",
    "mt: argos:translate-en_ru@1.9|en->ru|beam=4|compute=int8|lp=0.2; draft 3f2a91c0d4e5",
    "glossary: enforced Curtis Scaparrotti → Кертис Скапаротти, «Комсомольская правда», Талибан",
    "glossary: could not place Syed Mohammad Akbar Agha: check by hand",
    "suggestion: 81% Генерал армии Кертис Скапаротти заявил сенатскому комитету, что Россия может "
    "снабжать «Талибан»",
]
FOREIGN = ["Translators: keep the headline short", "Editor: keep it short", "x"]


def test_another_tools_comment_after_a_tolmach_line_stays_its_own(tmp_path):
    # regression: "#. tolmach: body, unit 1 of 1" + "#. Editor: keep it short" became one line
    po_path = tmp_path / "a.po"
    po_path.write_text(HEADER + f'#. tolmach: body, unit 1 of 1\n#. Editor: keep it short\nmsgctxt "body:1"\n'
                                f'msgid "{SOURCE}"\nmsgstr ""\n', encoding="utf-8")
    mt = tmp_path / "mt.tsv"
    mt.write_text(f"{SOURCE}\tГенерал не дал комментариев.\n", encoding="utf-8")
    res = tolmach("translate", po_path, "--no-glossary", "--no-memory", "--no-confidence",
                  "--engine", "recorded", "--recorded", mt, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    (entry,) = [e for e in assert_valid_po(po_path) if e.msgid]
    lines = entry.comment.splitlines()
    assert lines[:2] == ["tolmach: body, unit 1 of 1", "Editor: keep it short"]
    assert read_notes(entry).other == ("Editor: keep it short",)
    assert entry_state(load_catalog(po_path)[0]) is EntryState.MACHINE_DRAFT


@pytest.mark.parametrize("foreign", FOREIGN)
def test_as_tolmach_writes_them_every_line_is_its_own(foreign):
    # Tolmach's writer never wraps: a foreign line after any note of Tolmach's is not its rest
    for i in range(len(NOTES)):
        comment = NOTES[: i + 1] + [foreign] + NOTES[i + 1:]
        assert comment_lines("\n".join(comment)) == comment, (i, foreign)


def _polib_wrapped(comment: list[str], width: int) -> str:
    po = polib.POFile(wrapwidth=width)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid=SOURCE, msgstr="Генерал не дал комментариев.", comment="\n".join(comment)))
    return po.__unicode__()


def _babel_wrapped(comment: list[str]) -> str:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="ru")
    catalog.add(SOURCE, "Генерал не дал комментариев.", auto_comments=comment)
    out = io.BytesIO()
    write_po(out, catalog, omit_header=True)
    return out.getvalue().decode("utf-8")


@pytest.mark.parametrize("writer", ["polib-76", "polib-78", "polib-79", "babel"])
def test_notes_cut_by_a_writer_that_wraps_comments_are_read_whole(tmp_path, writer):
    """polib and babel cut long #. comments at their width (GNU gettext and Tolmach do not): the
    notes come back whole, and a foreign line after a note that was not cut stays its own."""
    comment = NOTES[:2] + [FOREIGN[0]] + NOTES[2:] + [FOREIGN[1]]
    text = _babel_wrapped(comment) if writer == "babel" else _polib_wrapped(comment, int(writer.split("-")[1]))
    physical = [line for line in text.splitlines() if line.startswith("#.")]
    assert len(physical) > len(comment)  # it really was cut
    path = Path(tmp_path / "wrapped.po")
    path.write_text(text, encoding="utf-8")
    (entry,) = [e for e in polib.pofile(str(path)) if e.msgid]
    assert comment_lines(entry.comment) == comment
    notes = read_notes(entry)
    assert notes.machine is not None and notes.machine.draft == "3f2a91c0d4e5"
    assert notes.other == (FOREIGN[0], FOREIGN[1])


def test_glossary_and_markup_claims_leave_a_text_a_person_changed(tmp_path):
    """``glossary: enforced …`` and ``markup: …`` say something of the machine draft's words; they
    stayed on translations a person rewrote (fuzzy or reviewed), so Poedit showed terms as enforced
    in a text nobody enforced anything in. The next ``translate`` that writes the catalog drops them
    there; the provenance, suggestions and alternatives stay, and an untouched draft keeps them all."""
    mt_line = "mt: argos:translate-en_ru@1.9|en->ru|beam=4|compute=int8|lp=0.2; draft "
    claims = ["glossary: enforced НАТО", "markup: ** placed by position: check it"]
    help_ = ["suggestion: 81% Генерал не стал это комментировать.", "alternative: Генерал промолчал."]
    entries = [  # (source, draft, text now, fuzzy)
        ("The general did not comment.", "Генерал не комментировал.", "Генерал не дал комментариев.", True),
        ("NATO did not comment.", "НАТО не комментировало.", "В НАТО комментариев не дали.", False),
        ("NATO was silent.", "НАТО молчало.", "НАТО молчало.", True),
    ]
    text = HEADER
    for i, (source, draft, now, fuzzy) in enumerate(entries):
        comment = "".join(f"#. {line}\n" for line in [mt_line + fingerprint(source, draft), *claims, *help_])
        flag = "#, fuzzy\n" if fuzzy else ""
        text += f'{comment}{flag}msgctxt "p{i}"\nmsgid "{source}"\nmsgstr "{now}"\n\n'
    text += 'msgctxt "p9"\nmsgid "Moscow was silent."\nmsgstr ""\n'
    po_path = tmp_path / "a.po"
    po_path.write_text(text, encoding="utf-8")
    mt = tmp_path / "mt.tsv"
    mt.write_text("Moscow was silent.\tМосква молчала.\n", encoding="utf-8")
    res = tolmach("translate", po_path, "--no-glossary", "--no-memory", "--no-confidence",
                  "--engine", "recorded", "--recorded", mt, cwd=tmp_path)
    assert res.exit_code == 0 and "filled 1 entry" in res.output, res.output
    po = assert_valid_po(po_path)
    by_ctxt = {e.msgctxt: e for e in po if e.msgid}
    assert by_ctxt["p9"].msgstr == "Москва молчала."
    for ctxt, (source, draft, now, fuzzy) in zip(("p0", "p1", "p2"), entries):
        entry = by_ctxt[ctxt]
        assert entry.msgstr == now and entry.fuzzy == fuzzy
        lines = comment_lines(entry.comment)
        assert lines[0] == mt_line + fingerprint(source, draft) and lines[-2:] == help_
        assert lines[1:-2] == (claims if now == draft else []), ctxt
