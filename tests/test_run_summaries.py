"""`translate --dry-run` changes nothing on disk and says what the real run will do; a summary says
what was written, nothing more (issue 9). Real catalogs, the real CLI, recorded MT output."""

from __future__ import annotations

import json
from pathlib import Path

from tolmach.catalog import load_catalog, save_catalog

from helpers import assert_valid_po, tolmach

ARTICLE = "Russia and NATO talk\n\nThe Kremlin said Moscow would reply.\n\nNATO disagrees.\n"
TITLE, KREMLIN, NATO = ARTICLE.split("\n\n")
NATO = NATO.strip()
OUTPUTS = {TITLE: "Россия и НАТО ведут переговоры", KREMLIN: "Кремль заявил, что Москва ответит.",
           NATO: "НАТО не согласно."}
REVIEWED_TITLE = "Россия и НАТО говорят"


def _files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (hidden ones too: the memory lives in .tolmach)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _recorded(root: Path, outputs: dict[str, str]) -> Path:
    path = root / "mt.tsv"
    path.write_text("".join(f"{s}\t{t}\n" for s, t in outputs.items()), encoding="utf-8")
    return path


def _project(root: Path, *names: str) -> list[Path]:
    """Catalogs of the same article under each name, the first with its title reviewed."""
    paths = []
    for name in names:
        (root / f"{name}.txt").write_text(ARTICLE, encoding="utf-8")
        assert tolmach("extract", f"{name}.txt", cwd=root).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=root).exit_code == 0
    for name in names:
        paths.append(root / f"locales/ru/LC_MESSAGES/{name}.po")
    po = load_catalog(paths[0])
    po.find(TITLE).msgstr = REVIEWED_TITLE
    save_catalog(po, paths[0])
    return paths


def _translate(root: Path, paths, *args: str):
    res = tolmach("translate", *paths, "--no-glossary", "--engine", "recorded", "--recorded", root / "mt.tsv",
                  *args, cwd=root)
    assert res.exit_code == 0, res.output
    return res.output


# --- B: a dry run writes nothing, the memory included ---------------------------------------------


def test_a_dry_run_creates_no_memory_and_finds_what_the_real_run_will(tmp_path):
    # regression: the dry run created .tolmach/memory.sqlite and put the reviewed pairs into it
    paths = _project(tmp_path, "one", "two")
    _recorded(tmp_path, OUTPUTS)
    before = _files(tmp_path)
    dry = _translate(tmp_path, paths, "--dry-run")
    assert _files(tmp_path) == before and not (tmp_path / ".tolmach").exists()
    # two.po's title is one.po's reviewed one: the dry run finds it, as the real run does
    assert "would fill 5 entries in 2 catalogs: 1 from memory, 4 by machine translation" in dry, dry
    real = _translate(tmp_path, paths)
    assert dry.replace("would fill", "filled").replace("would go to", "sent to") == real
    assert load_catalog(paths[1]).find(TITLE).msgstr == REVIEWED_TITLE


def test_a_dry_run_reads_an_existing_memory_and_leaves_it_as_it_is(tmp_path):
    paths = _project(tmp_path, "one", "two")
    _recorded(tmp_path, OUTPUTS)
    _translate(tmp_path, paths[:1])  # the memory and the MT cache now hold one.po's work
    po = load_catalog(paths[0])  # a new review, not yet in the memory
    po.find(NATO).msgstr, po.find(NATO).flags = "НАТО не согласен.", []
    save_catalog(po, paths[0])
    before = _files(tmp_path)
    assert ".tolmach/memory.sqlite" in before
    dry = _translate(tmp_path, paths, "--dry-run")
    assert _files(tmp_path) == before  # no new row, no -wal or -shm file beside it
    assert "would fill 3 entries in 2 catalogs: 2 from memory, 1 by machine translation" in dry, dry
    assert "1 cached, 0 would go to the model" in dry, dry
    real = _translate(tmp_path, paths)
    assert dry.replace("would fill", "filled").replace("would go to", "sent to") == real
    assert load_catalog(paths[1]).find(NATO).msgstr == "НАТО не согласен."
    assert_valid_po(paths[1])


# --- C: what the recorded file lacks is known before the run ----------------------------------------


def test_a_dry_run_with_recorded_missing_skip_counts_what_the_file_lacks(tmp_path):
    # regression: the dry run said "would fill 3 entries … 3 by machine translation", the real run
    # "filled 2 entries … 1 entry left untranslated (no recorded output)"
    paths = _project(tmp_path, "one")
    _recorded(tmp_path, {TITLE: OUTPUTS[TITLE], NATO: OUTPUTS[NATO]})
    po = load_catalog(paths[0])
    po.find(TITLE).msgstr = ""  # nothing reviewed: three entries to fill, one sentence missing
    save_catalog(po, paths[0])
    dry = _translate(tmp_path, paths, "--no-memory", "--recorded-missing", "skip", "--dry-run")
    assert "would fill 2 entries in 1 catalog: 0 from memory, 2 by machine translation" in dry, dry
    assert "1 entry left untranslated (no recorded output)" in dry
    real = _translate(tmp_path, paths, "--no-memory", "--recorded-missing", "skip")
    assert dry.replace("would fill", "filled").replace("would go to", "sent to") == real
    # without skip, the dry run stops where the real run would, naming the sentence
    po = load_catalog(paths[0])
    for entry in po:
        entry.msgstr, entry.flags, entry.comment = "", [], ""
    save_catalog(po, paths[0])
    res = tolmach("translate", *paths, "--no-glossary", "--no-memory", "--engine", "recorded",
                  "--recorded", tmp_path / "mt.tsv", "--dry-run", cwd=tmp_path)
    assert res.exit_code != 0 and "no recorded output for 'The Kremlin said Moscow would reply.'" in res.output


# --- E: a machine draft the recorded file cannot redo keeps its draft, and the summary says so ----


def test_a_stale_draft_without_recorded_output_is_reported_as_kept(tmp_path):
    # regression: "1 entry left untranslated (no recorded output)" for an entry that kept its draft
    paths = _project(tmp_path, "one")
    _recorded(tmp_path, OUTPUTS)
    _translate(tmp_path, paths, "--no-memory")
    article = tmp_path / "one.txt"
    article.write_text(ARTICLE.replace("NATO disagrees.", "NATO disagrees strongly."), encoding="utf-8")
    assert tolmach("update", "--no-memory", cwd=tmp_path).exit_code == 0  # NATO's draft is stale now
    for dry in (True, False):
        out = _translate(tmp_path, paths, "--no-memory", "--recorded-missing", "skip",
                         *(["--dry-run"] if dry else []))
        assert f"{'would fill' if dry else 'filled'} 0 entries" in out, out
        assert "1 machine draft left as it was (no recorded output)" in out, out
        assert "untranslated" not in out and "stale machine draft among them" not in out, out
    entry = assert_valid_po(paths[0]).find("NATO disagrees strongly.")
    assert entry.msgstr == OUTPUTS[NATO] and entry.previous_msgid == NATO  # the old draft, as it was
    # with the line added, the stale draft is redone
    _recorded(tmp_path, {**OUTPUTS, "NATO disagrees strongly.": "НАТО категорически не согласно."})
    out = _translate(tmp_path, paths, "--no-memory")
    assert "filled 1 entry" in out and "1 stale machine draft among them" in out, out


def test_an_empty_machine_translation_is_no_fill_and_is_not_counted(tmp_path):
    # regression: a zero-width space's unit came back empty from the model; the summary said
    # "filled 4 entries … 4 by machine translation", the entry kept an empty msgstr with an "mt:"
    # note and a "no confidence; draft" note, and every run after said "filled 1 entry" again
    (path,) = _project(tmp_path, "one")
    _recorded(tmp_path, {**OUTPUTS, NATO: ""})
    before = path.read_bytes()
    for dry in (True, False):
        out = _translate(tmp_path, [path], "--no-memory", *(["--dry-run"] if dry else []))
        verb = "would fill" if dry else "filled"
        assert f"{verb} 1 entry in 1 catalog: 0 from memory, 1 by machine translation (2 sentences" in out, out
        assert "somebody else" not in out, out
    entry = assert_valid_po(path).find(NATO)
    assert (entry.msgstr, entry.flags, entry.comment, entry.tcomment) == ("", [], "tolmach: body, unit 3 of 3", "")
    assert path.read_bytes() != before  # (the other entry was written)
    again = path.read_bytes()
    out = _translate(tmp_path, [path], "--no-memory")
    assert "filled 0 entries" in out, out
    assert path.read_bytes() == again


# --- D: after a concurrent save, the summary counts what was written --------------------------------


def test_the_summary_after_a_save_made_meanwhile_counts_what_was_written(tmp_path):
    """A translator saves the catalog while Tolmach writes it, translating one entry the memory
    would have filled and one the model would have: the summary counts Tolmach's writes only."""
    import subprocess
    import sys

    from test_trust import _SAVER, _big_catalog

    po_path = tmp_path / "locales/ru/LC_MESSAGES/big.po"
    _big_catalog(po_path)  # big enough that writing it takes a while
    sources = [e.msgid for e in load_catalog(po_path)]
    sibling = po_path.with_name("reviewed.po")  # its reviewed entry is the memory's match for entry 5
    _big_catalog(sibling, 6)
    po = load_catalog(sibling)
    po[5].msgstr = "Россия и НАТО сказали это в день 5."
    save_catalog(po, sibling)
    _recorded(tmp_path, {s: f"Перевод {i}." for i, s in enumerate(sources)})
    theirs = load_catalog(po_path)  # the translator's own save: entries 5 and 7 translated in Poedit
    theirs[5].msgstr, theirs[7].msgstr = "Перевод переводчика 5.", "Перевод переводчика 7."
    saved = tmp_path / "theirs.po"
    save_catalog(theirs, saved)
    script, ready = tmp_path / "saver.py", tmp_path / "ready"
    script.write_text(_SAVER, encoding="utf-8")
    saver = subprocess.Popen([sys.executable, str(script), str(po_path), str(saved), str(ready)])
    try:
        while not ready.exists():
            pass
        out = _translate(tmp_path, [po_path], "--memory", tmp_path / "memory.sqlite")
        assert saver.wait(timeout=30) == 0, "the translator's save never happened: " + out
    finally:
        saver.kill()
    # regression: "filled 398 entries in 1 catalog: 1 from memory, 399 by machine translation"
    assert "filled 398 entries in 1 catalog: 0 from memory, 398 by machine translation" in out, out
    assert "2 entries changed by somebody else meanwhile, left as they are" in out, out
    po = assert_valid_po(po_path)
    assert (po[5].msgstr, po[7].msgstr) == ("Перевод переводчика 5.", "Перевод переводчика 7.")


# --- counts read as English: one of a thing is singular ---------------------------------------------


def test_every_summary_says_one_of_a_thing_in_the_singular(tmp_path):
    """"1 human drafts", "1 sentences", "1 units", "1 paragraphs", "1 messages", "1 catalogs"."""
    (tmp_path / "a.txt").write_text(KREMLIN + "\n", encoding="utf-8")
    assert "1 paragraph, 1 unit, 0 skipped" in tolmach("segment", "a.txt", cwd=tmp_path).output
    res = tolmach("extract", "a.txt", cwd=tmp_path)
    assert "a.pot: 1 unit (0 paragraphs skipped as chrome)" in res.output, res.output
    assert "a.po: created, 1 unit" in tolmach("init", "-l", "ru", cwd=tmp_path).output
    mt = _recorded(tmp_path, {KREMLIN: OUTPUTS[KREMLIN]})
    args = ("translate-article", "a.txt", "--to", "ru", "--no-memory", "--no-glossary", "--engine", "recorded",
            "--recorded", mt)
    out = tolmach(*args, cwd=tmp_path).output
    assert "(1 sentence, 1 unique, 0 cached, 1 sent to the model)" in out, out
    assert "(1 machine draft to review, 0 human drafts, 0 reviewed)" in out, out
    po_path = tmp_path / "locales/ru/LC_MESSAGES/a.po"
    po = load_catalog(po_path)
    po.find(KREMLIN).msgstr = "Кремль сказал, что Москва ответит."  # a translator's edit: a human draft
    save_catalog(po, po_path)
    out = tolmach(*args, cwd=tmp_path).output
    assert "1 human draft kept as written" in out, out
    assert "(0 machine drafts to review, 1 human draft, 0 reviewed)" in out, out
    out = tolmach("build", po_path, "-o", tmp_path / "a.ru.txt", cwd=tmp_path).output
    assert "1 paragraph (0 reviewed, 0 machine drafts, 1 human draft, 0 untranslated)" in out, out
    po.find(KREMLIN).flags.remove("fuzzy")
    save_catalog(po, po_path)
    out = tolmach("compile", po_path, cwd=tmp_path).output
    assert "a.mo: 1 message\n1 catalog compiled" in out, out


def test_the_review_xliff_glossary_and_memory_summaries_say_one_in_the_singular(tmp_path):
    """"1 machine drafts", "exported 1 units", "1 translator comments", "1 reviewed translations",
    "1 error(s)", "wrote 1 terms", "1 units written"."""
    from lxml import etree

    from tolmach.xliff import XLIFF_NS

    (tmp_path / "a.txt").write_text(KREMLIN + "\n", encoding="utf-8")
    mt = _recorded(tmp_path, {KREMLIN: OUTPUTS[KREMLIN]})
    res = tolmach("translate-article", "a.txt", "--to", "ru", "--no-memory", "--no-glossary", "--engine",
                  "recorded", "--recorded", mt, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    po_path = tmp_path / "locales/ru/LC_MESSAGES/a.po"
    out = tolmach("review-queue", po_path, cwd=tmp_path).output
    assert out.endswith("\n1 machine draft, 1 not scored\n"), out
    out = tolmach("export", "--xliff", "job.xlf", po_path, cwd=tmp_path).output
    assert out.startswith("exported 1 unit from 1 catalog to job.xlf"), out
    xlf = tmp_path / "job.xlf"
    tree = etree.parse(str(xlf))
    ns = {"x": XLIFF_NS}
    (unit,) = [u for u in tree.iterfind(".//x:trans-unit", ns) if u.get("restype") is None]
    unit.find("x:target", ns).set("state", "translated")
    unit.find("x:target", ns).text = "Кремль сказал, что Москва ответит."
    etree.SubElement(unit, f"{{{XLIFF_NS}}}note", {"from": "translator"}).text = "Boris: checked"
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    out = tolmach("import", "--xliff", xlf, cwd=tmp_path).output
    assert out.endswith(": took 1 reviewed, 0 needing review, 0 unchanged, 1 translator comment\n"), out
    unit.find("x:target", ns).set("state", "needs-review-translation")
    unit.find("x:target", ns).text = "Кремль говорил, что Москва ответит."
    tree.write(str(xlf), xml_declaration=True, encoding="UTF-8")
    out = tolmach("import", "--xliff", xlf, cwd=tmp_path).output
    assert ": kept 1 reviewed translation that the XLIFF marks as needing review: " in out, out
    out = tolmach("memory", "sync", "locales", cwd=tmp_path).output
    assert out.startswith("1 unit new or changed from 1 catalog"), out
    out = tolmach("memory", "export", "--tmx", "tm.tmx", cwd=tmp_path).output
    assert out == "1 unit written to tm.tmx\n", out
    glossary = tmp_path / "g.csv"
    glossary.write_text("source,target,kind\nPravda,правды,organisation\n", encoding="utf-8")
    out = tolmach("glossary", "lint", glossary, cwd=tmp_path).output
    assert out.endswith("\n1 error, 0 warnings\n"), out
    out = tolmach("glossary", "export", glossary, "--tbx", "g.tbx", cwd=tmp_path).output
    assert "wrote 1 term to g.tbx" in out, out


# --- a file named twice is one file -----------------------------------------------------------


def test_a_catalog_named_twice_is_translated_checked_and_counted_once(tmp_path):
    # regression: `translate a.po ./a.po /abs/a.po` said "in 3 catalogs" and "4 entries changed by
    # somebody else meanwhile" (its own writes, seen through the other names); `check` and `stats`
    # counted the file's entries once per name
    (path,) = _project(tmp_path, "one")
    _recorded(tmp_path, OUTPUTS)
    names = [path, tmp_path / "locales/ru/LC_MESSAGES/./one.po", tmp_path / "locales"]
    out = _translate(tmp_path, names)
    assert "filled 2 entries in 1 catalog:" in out and "somebody else" not in out, out
    assert_valid_po(path)
    res = tolmach("check", "--no-cache", "--no-glossary", "--fuzzy", *names, cwd=tmp_path)
    assert "3 entries in 1 file checked" in res.output, res.output
    res = tolmach("stats", "--format", "json", *names, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    report = json.loads(res.output)
    assert len(report["files"]) == 1 and report["total"]["files"] == 1, res.output
