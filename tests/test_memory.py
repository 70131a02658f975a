"""Translation memory and MT cache on real SQLite, PO and TMX files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from translate.storage.tmx import tmxfile

from tolmach.errors import TolmachError
from tolmach.memory import MemoryMatch, MTCache, TranslationMemory, read_tmx

PO_RU = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ru\\n"

#: article.md:1
msgid "The president met the press on Monday."
msgstr "Президент встретился с прессой в понедельник."

#, fuzzy
msgid "Prices rose sharply in March."
msgstr "Цены резко выросли в марте."

msgid "Nobody translated this yet."
msgstr ""

msgid "A paragraph with  odd\\n"
"  whitespace."
msgstr "Абзац со странными пробелами."

#~ msgid "An obsolete paragraph."
#~ msgstr "Устаревший абзац."
"""


@pytest.fixture()
def tm(tmp_path: Path):
    with TranslationMemory(tmp_path / ".tolmach" / "memory.sqlite") as memory:
        yield memory


def write_po(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_creates_file_with_wal_and_schema_version(tmp_path: Path):
    path = tmp_path / "deep" / "memory.sqlite"
    TranslationMemory(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
    conn.close()
    TranslationMemory(path).close()  # reopening is fine and does not add a second version row
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == 1
    conn.close()


def test_add_and_exact_normalises_whitespace_not_case(tm: TranslationMemory):
    tm.add("Hello,  world.\n", "Привет, мир.", "en", "ru", origin="a.po")
    assert tm.exact("Hello, world.", "en", "ru") == "Привет, мир."
    assert tm.exact("  Hello,\tworld. ", "en_US", "ru-RU") == "Привет, мир."
    assert tm.exact("hello, world.", "en", "ru") is None
    assert tm.exact("Hello, world.", "ru", "en") is None  # direction matters
    assert tm.exact("Hello, world.", "en", "de") is None


def test_add_replaces_translation_and_counts_changes(tm: TranslationMemory):
    assert tm.add_many([("One.", "Один.", "en", "ru", "a"), ("Two.", "Два.", "en", "ru", "a")]) == 2
    assert tm.add_many([("One.", "Один.", "en", "ru", "a")]) == 0  # unchanged
    assert tm.add_many([("One.", "Одно.", "en", "ru", "b")]) == 1
    assert tm.exact("One.", "en", "ru") == "Одно."
    assert len(tm) == 2
    assert tm.add_many([("", "x", "en", "ru", ""), ("Three.", "  ", "en", "ru", "")]) == 0


def test_exact_many_maps_each_given_source(tm: TranslationMemory):
    rows = [(f"Paragraph number {i}.", f"Абзац номер {i}.", "en", "ru", "") for i in range(1200)]
    assert tm.add_many(rows) == 1200
    asked = [f"Paragraph  number {i}." for i in range(0, 1300, 7)]
    found = tm.exact_many(asked, "en", "ru")
    assert found == {s: f"Абзац номер {s.split()[-1][:-1]}." for s in asked if int(s.split()[-1][:-1]) < 1200}


def test_fuzzy_threshold_order_and_limit(tm: TranslationMemory):
    tm.add_many([
        ("The minister visited Moscow on Tuesday.", "Министр посетил Москву во вторник.", "en", "ru", "a.po"),
        ("The minister visited Kazan on Tuesday.", "Министр посетил Казань во вторник.", "en", "ru", "b.po"),
        ("Completely unrelated text about weather.", "Погода.", "en", "ru", "c.po"),
    ])
    matches = tm.fuzzy("The minister visited Moscow on Wednesday.", "en", "ru", threshold=75)
    assert [m.target for m in matches] == [
        "Министр посетил Москву во вторник.",
        "Министр посетил Казань во вторник.",
    ]
    assert isinstance(matches[0], MemoryMatch) and matches[0].origin == "a.po"
    assert 75 <= matches[1].score < matches[0].score < 100
    assert len(tm.fuzzy("The minister visited Moscow on Wednesday.", "en", "ru", limit=1)) == 1
    assert tm.fuzzy("The minister visited Moscow on Wednesday.", "en", "ru", threshold=95) == []
    assert tm.fuzzy("The minister visited Moscow on Wednesday.", "ru", "en") == []
    assert tm.fuzzy("THE MINISTER VISITED MOSCOW ON TUESDAY.", "en", "ru")[0].score == 100
    with pytest.raises(TolmachError):
        tm.fuzzy("x", "en", "ru", threshold=0)


def test_fuzzy_sees_rows_added_after_the_index_was_built(tm: TranslationMemory, tmp_path: Path):
    tm.add("The cat sat on the mat.", "Кот сидел на коврике.", "en", "ru")
    assert tm.fuzzy("The dog sat on the mat.", "en", "ru")[0].target == "Кот сидел на коврике."
    with TranslationMemory(tm.path) as other:  # another connection, as another process would
        other.add("The dog sat on the mat!", "Собака сидела на коврике!", "en", "ru")
    assert tm.fuzzy("The dog sat on the mat.", "en", "ru")[0].target == "Собака сидела на коврике!"


def test_fuzzy_large_memory_shortlist_finds_the_same_as_exhaustive(tmp_path: Path):
    import random

    from tolmach import memory as memory_module

    rng = random.Random(7)
    vocab = ["".join(rng.choice("абвгдежзиклмнопрстуф") for _ in range(rng.randint(3, 9))) for _ in range(800)]
    rows = [(" ".join(rng.choice(vocab) for _ in range(25)), f"t{i}", "ru", "en", "") for i in range(12000)]
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        tm.add_many(rows)
        queries = []
        for source, *_ in rng.sample(rows, 30):
            words = source.split()
            words[3] = words[3][:-2] + "ой"  # an inflection-like change
            words[10] = rng.choice(vocab)
            queries.append(" ".join(words))
        short = [tm.fuzzy(q, "ru", "en", threshold=70) for q in queries]
        assert all(short)
        old = memory_module._PairIndex.exhaustive_limit
        memory_module._PairIndex.exhaustive_limit = 10**9
        try:
            tm._pairs.clear()
            full = [tm.fuzzy(q, "ru", "en", threshold=70) for q in queries]
        finally:
            memory_module._PairIndex.exhaustive_limit = old
        assert short == full


def test_sync_takes_only_reviewed_entries(tm: TranslationMemory, tmp_path: Path):
    po = write_po(tmp_path / "locales" / "ru" / "LC_MESSAGES" / "article.po", PO_RU)
    assert tm.sync([po]) == 2
    assert tm.exact("The president met the press on Monday.", "en", "ru") == (
        "Президент встретился с прессой в понедельник."
    )
    assert tm.exact("A paragraph with odd whitespace.", "en", "ru") == "Абзац со странными пробелами."
    assert tm.exact("Prices rose sharply in March.", "en", "ru") is None  # fuzzy
    assert tm.exact("Nobody translated this yet.", "en", "ru") is None
    assert tm.exact("An obsolete paragraph.", "en", "ru") is None
    assert tm.fuzzy("The president met the press on Monday.", "en", "ru")[0].origin == str(po)
    assert tm.sync([po]) == 0  # nothing new the second time
    assert tm.pairs() == {("en", "ru"): 2}


def test_sync_languages_from_header(tm: TranslationMemory, tmp_path: Path):
    en = write_po(tmp_path / "en.po", PO_RU.replace("Language: ru", "Language: en_GB"))
    assert tm.sync([en]) == 2
    assert tm.pairs() == {("ru", "en"): 2}
    de = write_po(tmp_path / "de.po", PO_RU.replace("Language: ru", "Language: de"))
    with pytest.raises(TolmachError, match="X-Source-Language"):
        tm.sync([de])
    de.write_text(PO_RU.replace('"Language: ru\\n"', '"Language: de\\n"\n"X-Source-Language: en\\n"'))
    assert tm.sync([de]) == 2
    assert tm.exact("Nobody translated this yet.", "en", "de") is None
    assert ("en", "de") in tm.pairs()


def test_sync_malformed_po_names_the_file(tm: TranslationMemory, tmp_path: Path):
    bad = write_po(tmp_path / "bad.po", 'msgid "a" "b"\nmsgstr "x"\n')
    with pytest.raises(TolmachError) as err:
        tm.sync([bad])
    assert str(bad) in str(err.value) and err.value.line == 1


def test_corrupt_database_names_the_file(tmp_path: Path):
    path = tmp_path / "memory.sqlite"
    path.write_bytes(b"this is not sqlite" * 400)
    with pytest.raises(TolmachError) as err:
        TranslationMemory(path)
    assert err.value.path == str(path)


def test_newer_schema_is_refused(tmp_path: Path):
    path = tmp_path / "memory.sqlite"
    TranslationMemory(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(TolmachError, match="schema version 99"):
        TranslationMemory(path)


def test_tmx_round_trip(tm: TranslationMemory, tmp_path: Path):
    tm.add_many([
        ("Snow fell in <Moscow> & St Petersburg.", "В Москве & Петербурге выпал снег.", "en", "ru", "a.po"),
        ("Second  paragraph.", "Второй абзац.", "en", "ru", ""),
        ("Третий абзац.", "Third paragraph.", "ru", "en", "b.po"),
    ])
    out = tmp_path / "out" / "memory.tmx"
    assert tm.export_tmx(out) == 3
    # read back with translate-toolkit directly
    store = tmxfile.parsestring(out.read_bytes())
    assert len(store.units) == 3
    assert store.units[0].source == "Snow fell in <Moscow> & St Petersburg."
    assert store.units[0].gettarget("ru") == "В Москве & Петербурге выпал снег."
    assert store.units[2].xmlelement.get("srclang") == "ru"
    assert store.units[2].gettarget("en") == "Third paragraph."

    with TranslationMemory(tmp_path / "copy.sqlite") as copy:
        assert copy.import_tmx(out) == 3
        assert copy.pairs() == {("en", "ru"): 2, ("ru", "en"): 1}
        assert copy.exact("Snow fell in <Moscow> & St Petersburg.", "en", "ru") == (
            "В Москве & Петербурге выпал снег."
        )
        assert copy.exact("Третий абзац.", "ru", "en") == "Third paragraph."
        assert copy.fuzzy("Snow fell in <Moscow> & St Petersburg!", "en", "ru")[0].origin == "a.po"
        assert copy.import_tmx(out) == 0

    one_way = tmp_path / "ru-en.tmx"
    assert tm.export_tmx(one_way, source_lang="ru", target_lang="en") == 1
    assert [r[:4] for r in read_tmx(one_way)] == [("Третий абзац.", "Third paragraph.", "ru", "en")]


def test_import_tmx_written_by_translate_toolkit(tm: TranslationMemory, tmp_path: Path):
    store = tmxfile(sourcelanguage="en-US")
    store.addtranslation("Good morning.", "en-US", "Доброе утро.", "ru-RU")
    store.addtranslation("Good night.", "en-US", "Спокойной ночи.", "ru-RU", comment="handmade")
    path = tmp_path / "tk.tmx"
    with path.open("wb") as fh:
        store.serialize(fh)
    assert tm.import_tmx(path) == 2
    assert tm.exact("Good night.", "en", "ru") == "Спокойной ночи."
    assert tm.fuzzy("Good night!", "en", "ru")[0].origin == "handmade"


@pytest.mark.parametrize(
    "content, line",
    [
        ('<?xml version="1.0"?>\n<tmx version="1.4">\n<header/>\n<body><tu>\n</body></tmx>', 5),
        ("not xml at all", 1),
    ],
)
def test_malformed_tmx_names_file_and_line(tm: TranslationMemory, tmp_path: Path, content, line):
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TolmachError) as err:
        tm.import_tmx(path)
    assert err.value.path == str(path) and err.value.line == line


def test_not_a_tmx_and_missing_tmx(tm: TranslationMemory, tmp_path: Path):
    other = tmp_path / "other.xml"
    other.write_text("<html><body/></html>")
    with pytest.raises(TolmachError, match="not a TMX"):
        tm.import_tmx(other)
    with pytest.raises(TolmachError, match="no such TMX"):
        tm.import_tmx(tmp_path / "missing.tmx")


def test_export_failure_leaves_old_file(tm: TranslationMemory, tmp_path: Path):
    out = tmp_path / "memory.tmx"
    out.write_text("old")
    tm.add("A.", "А.", "en", "ru")
    assert tm.export_tmx(out) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert "<tmx" in out.read_text()


def test_mt_cache_round_trip_and_signature(tmp_path: Path):
    path = tmp_path / "memory.sqlite"
    with MTCache(path) as cache:
        assert cache.get_many("argos:en-ru:beam=4", ["A cat."]) == {}
        cache.put_many("argos:en-ru:beam=4", [("A cat.", "Кошка."), ("A dog.", "Собака.")])
        cache.put_many("argos:en-ru:beam=8", [("A cat.", "Кот.")])
    with MTCache(path) as cache, TranslationMemory(path) as tm:  # same file as the memory
        assert cache.get_many("argos:en-ru:beam=4", ["A  cat.", "A dog.", "A cow."]) == {
            "A  cat.": "Кошка.",
            "A dog.": "Собака.",
        }
        assert cache.get_many("argos:en-ru:beam=8", ["A cat."]) == {"A cat.": "Кот."}
        cache.put_many("argos:en-ru:beam=8", [("A cat.", "Котик.")])
        assert cache.get_many("argos:en-ru:beam=8", ["A cat."]) == {"A cat.": "Котик."}
        assert len(cache) == 3 and len(tm) == 0
        many = [f"Sentence {i}." for i in range(1500)]
        cache.put_many("sig", [(s, s.upper()) for s in many])
        assert cache.get_many("sig", many) == {s: s.upper() for s in many}
        assert cache.clear("sig") == 1500


SYNC_WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tolmach.memory import TranslationMemory
    go, ready, db, *pos = sys.argv[1:]
    with TranslationMemory(db) as tm:
        Path(ready).touch()  # imported and connected: only the writing is left
        while not Path(go).exists():  # start both writers at the same moment
            time.sleep(0.005)
        start = time.time()
        for round in range(10):
            for po in pos:
                tm.sync([Path(po)])
                tm.add_many((f"Line {i} of {po}", f"Строка {i} {round}", "en", "ru", po) for i in range(50))
    print(start, time.time())
    """
)


def test_two_processes_syncing_at_once(tmp_path: Path):
    db = tmp_path / "memory.sqlite"
    pos_a, pos_b = [], []
    for i in range(12):
        text = PO_RU.replace("on Monday", f"on day {i}")
        po = write_po(tmp_path / "locales" / "ru" / "LC_MESSAGES" / f"a{i}.po", text)
        (pos_a if i % 2 else pos_b).append(str(po))
    shared = pos_a[:3]
    go = tmp_path / "go"
    ready = [tmp_path / "ready-a", tmp_path / "ready-b"]
    procs = [
        subprocess.Popen([sys.executable, "-c", SYNC_WORKER, str(go), str(flag), str(db), *pos, *shared],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for flag, pos in zip(ready, (pos_a, pos_b))
    ]
    deadline = time.time() + 60
    while not all(flag.exists() for flag in ready) and time.time() < deadline:
        time.sleep(0.01)
    go.touch()
    spans = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        spans.append([float(t) for t in out.split()])
    (a_start, a_end), (b_start, b_end) = spans
    assert a_start < b_end and b_start < a_end  # the two really wrote at the same time
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with TranslationMemory(db) as tm:
        for i in range(12):
            assert tm.exact(f"The president met the press on day {i}.", "en", "ru")
        # 12 president lines + 1 shared whitespace paragraph + 50 lines per distinct PO path
        assert len(tm) == 12 + 1 + 50 * 12


_OPEN_WORKER = """
import sys
from pathlib import Path
go = Path(sys.argv[1])
while not go.exists():
    pass
from tolmach.memory import MTCache, TranslationMemory
tm, cache = TranslationMemory(sys.argv[2]), MTCache(sys.argv[2])
tm.add_many([(f"s{i}", "t", "en", "ru", "x") for i in range(20)])
cache.put_many("sig", [(f"a{i}", "b") for i in range(20)])
tm.close()
cache.close()
"""


def test_two_processes_creating_one_memory_at_once(tmp_path: Path):
    """Two runs that start together on a project without a memory yet both open it (each with two
    connections). SQLite refused the second one at once ("database is locked") in 1 of 4 starts."""
    for attempt in range(8):
        db, go = tmp_path / f"m{attempt}.sqlite", tmp_path / f"go{attempt}"
        procs = [subprocess.Popen([sys.executable, "-c", _OPEN_WORKER, str(go), str(db)],
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
        time.sleep(0.5)  # both imported and waiting
        go.touch()
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err


# --- a dry run's memory: read, never written ----------------------------------------------------


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_planned_memory_finds_what_the_written_one_would_and_writes_nothing(tmp_path: Path):
    from tolmach.memory import PlannedMemory

    stored = [("The president met the press on Monday.", "Президент встретился с прессой в понедельник.",
               "en", "ru", "a.po"),
              ("The president met the press on Tuesday.", "Президент встретился с прессой во вторник.",
               "en", "ru", "a.po"),
              ("Prices rose sharply in March.", "Цены резко выросли в марте.", "en", "ru", "a.po")]
    planned = [("The president met the press on Tuesday.", "Во вторник президент встретился с прессой.",
                "en", "ru", "b.po"),  # a newer review of a stored source
               ("The president met the press on Friday.", "Президент встретился с прессой в пятницу.",
                "en", "ru", "b.po"),
               ("The president met the press on Friday.", "В пятницу президент встретился с прессой.",
                "en", "ru", "c.po")]  # the later one wins, as in the file
    written_path, read_path = tmp_path / "written" / "memory.sqlite", tmp_path / "read" / "memory.sqlite"
    for path in (written_path, read_path):
        with TranslationMemory(path) as tm:
            tm.add_many(stored)
    with TranslationMemory(written_path) as tm:
        tm.add_many(planned)
        queries = [row[0] for row in stored + planned] + ["The president met the press on Sunday.", "Nothing."]
        want_exact = tm.exact_many(queries, "en", "ru")
        want_fuzzy = [[(m.source, m.target, m.score) for m in tm.fuzzy(q, "en", "ru", threshold=60, limit=limit)]
                      for q in queries for limit in (1, 2, 5)]
    before = _listing(read_path.parent)
    with PlannedMemory(read_path) as memory:
        memory.add_many(planned)
        assert memory.exact_many(queries, "en", "ru") == want_exact
        got_fuzzy = [[(m.source, m.target, m.score) for m in memory.fuzzy(q, "en", "ru", threshold=60, limit=limit)]
                     for q in queries for limit in (1, 2, 5)]
        assert got_fuzzy == want_fuzzy
        assert _listing(read_path.parent) == before  # not even a -wal or -shm file while it reads
    assert _listing(read_path.parent) == before
    # no memory yet: an empty one, and none is created
    with PlannedMemory(tmp_path / "none" / "memory.sqlite") as memory:
        memory.add_many(planned[:1])
        assert memory.exact_many([planned[0][0]], "en", "ru") == {planned[0][0]: planned[0][1]}
    assert not (tmp_path / "none").exists()


def test_a_read_only_memory_reads_what_a_writer_is_adding(tmp_path: Path):
    db = tmp_path / "memory.sqlite"
    with TranslationMemory(db) as writer:
        writer.add("One.", "Один.", "en", "ru")
        with TranslationMemory(db, read_only=True) as reader:  # the writer's -wal and -shm are there
            assert reader.exact("One.", "en", "ru") == "Один."
            writer.add("Two.", "Два.", "en", "ru")
            assert reader.exact("Two.", "en", "ru") == "Два."
            with pytest.raises(TolmachError, match="translation memory"):
                reader.add("Three.", "Три.", "en", "ru")
    with TranslationMemory(db, read_only=True) as reader:
        assert len(reader) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["memory.sqlite"]
