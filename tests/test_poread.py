"""The fast PO reader of `tolmach check` (tolmach.checks.poread) gives exactly what polib gives.

polib (through ``load_catalog``) is the reference: ``runner.read_po_with_polib``. For every file the
fast path either hands over (answers None, and polib reads it: today's result or today's error line)
or returns the very same CheckEntry list and skipped-fuzzy count. Proven here by a differential
property test over generated catalogs -- written the way GNU gettext (Tolmach's writer, proven equal
to msgcat in test_pofile.py) and polib write them, in several charsets, with CRLF and byte order
marks -- and over the same catalogs broken line by line; and on real files: the repository's
catalogs, catalogs Tolmach itself writes, msgcat's and msgmerge's output, and the bench project.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tolmach.checks import poread, runner
from tolmach.errors import TolmachError
from tolmach.pofile import format_catalog

ROOT = Path(__file__).resolve().parents[1]
RU_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"\\/()[]{}<>-_+=*&%$#@|~`^"
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯё"
LATIN = "éèüößàçñÉÜ"
WIDE = "«»„“”—–…№°€\u00a0\u202f中文。😀e\u0301\u00ad\u200b"
# what str.splitlines() breaks at and a PO string holds as it is (gettext splits only at line ends)
BREAKS = "\u2028\u2029\x85\x1c\x1d\x1e"
CONTROLS = "\a\b\f\v\x01\x1b"  # gettext writes the first four as escapes, the others as they are
# (alphabet, charsets its text can be written in)
SCRIPTS = [
    (ASCII + LATIN + WIDE + BREAKS + CONTROLS + CYRILLIC, ["UTF-8"]),
    (ASCII + CYRILLIC, ["UTF-8", "KOI8-R", "CP1251"]),
    (ASCII + LATIN, ["UTF-8", "ISO-8859-1", "CP1252"]),
]


def outcome(path: Path, include_fuzzy: bool, reader) -> tuple:
    counts: dict = {}
    try:
        return "ok", reader(path, include_fuzzy, counts), counts.get("skipped_fuzzy", 0)
    except TolmachError as err:
        return "error", str(err), err.path, err.line


def assert_same(path: Path) -> bool:
    """The fast path agrees with polib on ``path`` (both ways of fuzzy); whether it took the file."""
    taken = []
    for include_fuzzy in (False, True):
        want = outcome(path, include_fuzzy, runner.read_po_with_polib)
        counts: dict = {}
        fast = poread.read_entries(path, include_fuzzy, counts)
        if fast is not None:
            assert want[0] == "ok", (want, _why(path))
            assert fast == want[1]
            assert counts.get("skipped_fuzzy", 0) == want[2]
        taken.append(fast is not None)
        assert outcome(path, include_fuzzy, runner.read_po) == want
    return all(taken)


def _why(path: Path) -> str:
    """Why the fast path hands a file over (for messages)."""
    try:
        text, charset = poread.decode(path.read_bytes(), path)
        poread.parse(text, str(path), charset=charset)
    except (poread.HandOver, TolmachError) as err:
        return f"{type(err).__name__}: {err}"
    return "taken"


# --- generated catalogs ---------------------------------------------------------------------------


@st.composite
def texts(draw, alphabet: str, max_words: int = 30) -> str:
    long = st.text(alphabet=alphabet[:3] + alphabet[-3:] + "-", min_size=70, max_size=120)
    word = st.text(alphabet=alphabet, min_size=1, max_size=12) | long
    sep = st.sampled_from([" ", " ", " ", "  ", "\n", "\t", ", ", "\\n", '"', "\\", ""])
    words = draw(st.lists(word, min_size=1, max_size=max_words))
    return "".join(w + draw(sep) for w in words)


@st.composite
def comment_lines(draw, alphabet: str) -> str:
    line = st.text(alphabet=alphabet, min_size=1, max_size=90).map(str.strip).filter(bool)
    extra = st.sampled_from(["tolmach: skip-check numbers", "tolmach: body, unit 1 of 3", "  indented", ""])
    return "\n".join(draw(st.lists(line | extra, max_size=3)))


@st.composite
def entries(draw, index: int, alphabet: str) -> polib.POEntry:
    entry = polib.POEntry(
        msgctxt=draw(st.none() | st.just("") | st.sampled_from(["body-0-1", "title:ab12"]) | texts(alphabet, 3)),
        msgid=f"{index} " + draw(texts(alphabet)),
        tcomment=draw(comment_lines(alphabet)),
        comment=draw(comment_lines(alphabet)),
        occurrences=draw(st.lists(st.tuples(st.sampled_from(["a.md", "news/b c.md", "x.txt"]),
                                            st.sampled_from(["1", "20", ""])), max_size=4)),
        flags=draw(st.lists(st.sampled_from(["fuzzy", "python-format", "no-numbers-check", "no-wrap"]),
                            max_size=3, unique=True)),
        obsolete=draw(st.integers(0, 6)) == 0,
    )
    if draw(st.integers(0, 3)) == 0:
        entry.msgid_plural = draw(texts(alphabet, 6))
        entry.msgstr_plural = {i: draw(st.just("") | texts(alphabet, 12)) for i in range(draw(st.integers(1, 3)))}
    else:
        entry.msgstr = draw(st.just("") | texts(alphabet))
    if draw(st.booleans()):
        entry.previous_msgid = draw(texts(alphabet, 10))
        entry.previous_msgctxt = draw(st.none() | st.just("body-1a2b"))
        if entry.msgid_plural and draw(st.booleans()):
            entry.previous_msgid_plural = draw(texts(alphabet, 5))
    if entry.obsolete:
        entry.occurrences = []
        entry.msgstr = entry.msgstr or "x"
    return entry


@st.composite
def po_files(draw) -> tuple[bytes, str]:
    """(file bytes, folder it lies in) of a catalog as a translator's tools write it."""
    alphabet, charsets = draw(st.sampled_from(SCRIPTS))
    charset = draw(st.sampled_from(charsets))
    writer = draw(st.sampled_from(["gettext", "gettext-no-wrap", "polib"]))
    po = polib.POFile(wrapwidth=0 if writer == "gettext-no-wrap" else (78 if writer == "polib" else 79))
    # (polib writes a header comment line ":x" or ",x" as "#:x", "#,x", which it cannot read back)
    # and "charset=" in a header comment would be the file's charset
    po.header = "\n".join(line for line in draw(comment_lines(alphabet)).split("\n")
                          if line in (":", ",") or not line.startswith((":", ","))).replace("charset=", "")
    metadata = {"Project-Id-Version": "article", "Content-Type": f"text/plain; charset={charset}",
                "Content-Transfer-Encoding": "8bit"}
    language = draw(st.sampled_from(["ru", "en", "ru_RU", "de", "", None]))
    if language is not None:
        metadata["Language"] = language
    source = draw(st.sampled_from(["en", "ru", "", None]))
    if source is not None:
        metadata["X-Source-Language"] = source
    if draw(st.booleans()):
        metadata["Plural-Forms"] = RU_PLURALS
    po.metadata = metadata
    if draw(st.booleans()):
        po.metadata_is_fuzzy = ["fuzzy"]
    for i in range(draw(st.integers(0, 6))):
        po.append(draw(entries(i, alphabet)))
    text = str(po) if writer == "polib" else format_catalog(po)
    if draw(st.integers(0, 5)) == 0:  # no header at all (and so UTF-8)
        text = text.split("\n\n", 1)[1] if "\n\n" in text else ""
        charset = "UTF-8"
    text = draw(st.sampled_from(["", "", "", "\n", "# top\n\n", "#\n", "\n\n# top\n"])) + text
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\r\n")
    data = text.encode(charset)
    if charset == "UTF-8" and draw(st.integers(0, 5)) == 0:
        data = b"\xef\xbb\xbf" + data
    folder = draw(st.sampled_from(["ru/LC_MESSAGES", "en/LC_MESSAGES", "de/LC_MESSAGES", "po"]))
    return data, folder


def _write(root: str, folder: str, data: bytes) -> Path:
    path = Path(root) / folder / "article.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@settings(max_examples=200, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(po_files())
def test_the_fast_path_reads_every_written_catalog_as_polib_does(case):
    data, folder = case
    with tempfile.TemporaryDirectory() as root:
        path = _write(root, folder, data)
        assert assert_same(path), _why(path)


# Lines a hand edit, a merge gone wrong or another tool may leave; each may be read by polib, or
# be an error, or be read differently from what it looks like.
ODD_LINES = [
    "", " ", "\t", "#", "# ", "#.", "#. ", "#:", "#,", "#, fuzzy", "#,fuzzy", "#|", '#| msgid "old"', '#| "more"',
    "#~", '#~ msgid "gone"', '#~ msgstr "ушло"', '#~ "more"', '#~| msgid "old"', "##x", "#x", "# trailing  ",
    '  msgid "indented"', 'msgid "trailing"  ', 'msgid  "two spaces"', 'msgid\t"tab"', 'msgid"glued"',
    '"continued"', '"unterminated', 'msgid "a"b"', 'msgid "a\\"', 'msgid ""', 'msgstr ""', 'msgctxt "c"',
    'msgctxt ""', 'msgid_plural "many"', 'msgstr[0] "один"', 'msgstr[1] "два"', 'msgstr[10] "десять"',
    'msgstr[0]"x"', 'msgstr "x" "y"', "msgid", "msgstr", "garbage", 'msgid "\u2028"', "#. \u2028x", "# \x85",
    '"Language: en\\n"', '"X-Source-Language: ru\\n"', '"Content-Type: text/plain; charset=KOI8-R\\n"',
    "# \u00a0", "\u00a0", '\u00a0msgid "nbsp"', '"\\q\\z\\\\"', 'msgid "\\\\"', "\r", "\x0c",
    "#.  ", "#. x  ", "#, fuzzy  ", "#,  ", "#: a.md:1 ", "#: \u00a0", "# \u00a0x", 'msgstr[\u0663] "x"',
    "#:  ", "#:x", "#.x", "#~|", "#~|x", "#~ ",
]


@st.composite
def broken_po_files(draw) -> tuple[bytes, str]:
    data, folder = draw(po_files())
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        encoding = "latin-1"
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "insert", "swap", "edit", "block"]))
        if action == "insert":
            lines.insert(at, draw(st.sampled_from(ODD_LINES)))
        elif action == "block" and "" in lines:  # an entry twice, or an entry moved
            blocks = "\n".join(lines).split("\n\n")
            i = draw(st.integers(0, len(blocks) - 1))
            blocks.insert(draw(st.integers(0, len(blocks))), blocks[i])
            lines = "\n\n".join(blocks).split("\n")
        elif at < len(lines):
            if action == "delete":
                del lines[at]
            elif action == "duplicate":
                lines.insert(at, lines[at])
            elif action == "swap" and at + 1 < len(lines):
                lines[at], lines[at + 1] = lines[at + 1], lines[at]
            elif action == "edit" and lines[at]:
                i = draw(st.integers(0, len(lines[at])))
                char = draw(st.sampled_from(['"', "\\", " ", "\t", "\u00a0", "#", "~", "|", ",", "[", "x", "\r", "\u2028", "\x85"]))
                lines[at] = lines[at][:i] + char + lines[at][i:]
    text = "\n".join(lines)
    try:
        return text.encode(encoding), folder
    except UnicodeEncodeError:
        return text.encode("utf-8"), folder


@settings(max_examples=350, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_po_files())
def test_a_broken_catalog_gives_what_polib_gives_result_or_error(case):
    data, folder = case
    with tempfile.TemporaryDirectory() as root:
        assert_same(_write(root, folder, data))


# --- hand-over, errors --------------------------------------------------------------------------

GOOD = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\n'
    '#. tolmach: body, unit 1 of 1\n#: a.md:1\nmsgctxt "body-1"\nmsgid "The war."\nmsgstr "Война."\n'
)


@pytest.mark.parametrize(
    "text,needle",
    [
        (GOOD + '\nmsgctxt "body-1"\nmsgid "The war."\nmsgstr "Война!"\n', "duplicate entry"),
        (GOOD + '\nmsgid "open\nmsgstr ""\n', "unterminated or malformed string"),
        (GOOD + '\nmsgid "no msgstr"\n\nmsgid "next"\nmsgstr "x"\n', "entry has no msgstr"),
        (GOOD + "\nfoo bar\n", "malformed PO file"),
        (GOOD + '\n#| foo "x"\nmsgid "b"\nmsgstr "c"\n', "malformed PO file"),
        (GOOD.replace("UTF-8", "NOPE-9").replace("Война", "War"), "unknown charset"),
        (GOOD.replace("UTF-8", "KOI8-R"), "the text is UTF-8"),
        (GOOD + "\0", "NUL byte"),
    ],
)
def test_a_malformed_catalog_is_handed_to_polib_for_the_same_error(tmp_path, text, needle):
    path = tmp_path / "ru" / "LC_MESSAGES" / "bad.po"
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode("utf-8"))
    assert poread.read_entries(path) is None
    with pytest.raises(TolmachError, match=needle) as fast_err:
        runner.read_po(path)
    with pytest.raises(TolmachError) as polib_err:
        runner.read_po_with_polib(path)
    assert (str(fast_err.value), fast_err.value.line) == (str(polib_err.value), polib_err.value.line)


def test_a_missing_file_or_a_folder_is_handed_over_for_the_same_error(tmp_path):
    for path in (tmp_path / "none.po", tmp_path):
        assert poread.read_entries(path) is None
        with pytest.raises(TolmachError) as err:
            runner.read_po(path)
        assert str(err.value) in (f"{path}: no such catalog", f"{path}: is a directory, expected a PO file")


@pytest.mark.parametrize(
    "text,why",
    [
        (GOOD + '\nmsgctxt "b"\n#, fuzzy\nmsgid "b"\nmsgstr "c"\n', "unrecognised text"),  # polib reads it
        (GOOD + '\nmsgid "b\rc"\nmsgstr "c"\n', "line break"),  # polib splits the line there
        (GOOD + '\nmsgid "b"\nmsgstr[0] "c"\n', "unrecognised text"),  # a plural without msgid_plural
        ('msgctxt "x"\nmsgid ""\nmsgstr ""\n\nmsgid "b"\nmsgstr "c"\n', "empty msgid"),  # polib's header?
    ],
)
def test_what_the_fast_path_does_not_know_goes_to_polib_with_a_reason(text, why):
    with pytest.raises(poread.HandOver, match=why):
        poread.parse(text, "a.po")


def test_a_multibyte_charset_goes_to_polib():
    text = GOOD.replace("UTF-8", "Shift_JIS")
    with pytest.raises(poread.HandOver, match="charset"):
        poread.parse(text, "a.po", charset="Shift_JIS")
    for charset in ("UTF-8", "utf8", "KOI8-R", "CP1251", "ISO-8859-1", "ascii"):
        poread.parse(text, "a.po", charset=charset)  # lines decode byte by byte: read here


def test_comment_marks_without_a_space_are_read_here_as_load_catalog_reads_them(tmp_path):
    """``#,fuzzy``, ``#.text``, ``#:ref``, ``#~msgid``: what gettext reads as the marks with a space."""
    path = tmp_path / "a.po"
    path.write_text(
        "#header\n" + GOOD.replace("#. ", "#.").replace("#: ", "#:")
        + '\n#note\n#,fuzzy\n#|msgid "c"\nmsgid "b"\nmsgstr "c"\n\n#~msgid "d"\n#~msgstr "e"\n',
        encoding="utf-8",
    )
    assert assert_same(path)  # taken by the fast path, and the same as polib's
    entries = poread.read_entries(path, include_fuzzy=True)
    assert [(e.source, e.fuzzy, e.comments) for e in entries] == [
        ("The war.", False, ("tolmach: body, unit 1 of 1",)), ("b", True, ("note",))]


def test_line_numbers_are_polibs_and_the_msgstr_lines_are_found(tmp_path):
    path = tmp_path / "a.po"
    path.write_text(
        GOOD + '\n#\n# translator  \n#.\n#, fuzzy\nmsgid ""\n"Two "\n"lines"\nmsgstr ""\n"Две "\n"строки"\n'
        '\nmsgid "one"\nmsgid_plural "many"\nmsgstr[0] "один"\nmsgstr[1] ""\n"много"\n',
        encoding="utf-8",
    )
    entries = poread.read_entries(path, include_fuzzy=True)
    assert entries == runner.read_po_with_polib(path, include_fuzzy=True)
    assert [(e.line, e.msgstr_line, e.msgstr_end_line) for e in entries] == [(6, 10, 10), (12, 19, 21),
                                                                              (23, 25, 25), (23, 26, 27)]
    assert entries[1].comments == ("translator",) and entries[1].fuzzy and entries[1].source == "Two lines"
    assert [e.source for e in entries[2:]] == ["one", "many"]


# --- real files -----------------------------------------------------------------------------------


def _real_catalogs(root: Path) -> list[Path]:
    """Catalogs as they are found in projects: the repository's, and what Tolmach, msgcat and
    msgmerge write from them."""
    from tolmach.catalog import init_catalog, load_catalog, save_catalog, template_for
    from tolmach.segment import segment_file

    found = sorted(p for p in ROOT.glob("locales/**/*.po"))
    assert found, "the repository's own catalogs"
    article = segment_file(ROOT / "articles" / "moscow-times-taliban.txt")
    pot = template_for(article, "articles/moscow-times-taliban.txt")
    po = init_catalog(pot, "ru")
    for i, entry in enumerate(po):
        entry.msgstr = f"Перевод {i}: «{entry.msgid[:40]}»" if i % 3 else ""
        if i % 5 == 0:
            entry.flags.append("fuzzy")
    written = save_catalog(po, root / "ru" / "LC_MESSAGES" / "written.po")
    found.append(written)
    wrapped = load_catalog(found[0])
    wrapped.wrapwidth = 0
    found.append(save_catalog(wrapped, root / "ru" / "LC_MESSAGES" / "no-wrap.po"))
    for tool, args in (("msgcat", ["--no-wrap"]), ("msgcat", ["--width=40"]), ("msgmerge", [])):
        exe = shutil.which(tool)
        if exe is None:
            continue
        out = root / "ru" / "LC_MESSAGES" / f"{tool}{len(found)}.po"
        extra = [str(root / "t.pot")] if tool == "msgmerge" else []
        if tool == "msgmerge":
            pot.metadata["Language"] = "ru"
            save_catalog(pot, root / "t.pot")
        subprocess.run([exe, *args, str(found[0]), *extra, "-o", str(out)], check=True, capture_output=True)
        found.append(out)
    return found


def test_the_fast_path_takes_every_real_catalog_and_agrees(tmp_path):
    files = _real_catalogs(tmp_path)
    bench = ROOT / "bench" / "check_speed.py"
    spec = importlib.util.spec_from_file_location("check_speed", bench)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    files += runner.find_po_files([module.make_project(tmp_path / "bench", 3, 40)])
    handed_over = [str(p) for p in files if not assert_same(p)]
    assert handed_over == [], [_why(Path(p)) for p in handed_over]
    assert len(files) >= 6


def test_check_reads_without_polib_when_the_fast_path_takes_the_files(tmp_path):
    path = tmp_path / "ru" / "LC_MESSAGES" / "a.po"
    path.parent.mkdir(parents=True)
    path.write_text(GOOD, encoding="utf-8")
    code = (
        "import json, sys\nfrom tolmach.checks import runner\n"
        f"entries = runner.read_po({str(path)!r})\n"
        "print(json.dumps([len(entries), sorted(m for m in ('polib', 'tolmach.catalog') if m in sys.modules)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [1, []]


def test_read_po_checks_the_bytes_it_is_given(tmp_path):
    """The check cache hashes a file's bytes and passes the same bytes in, so that the results it
    keeps under that hash are of that content, even if the file is saved again in between."""
    from tolmach.checks.runner import read_po

    po = tmp_path / "a.po"
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\n'
    po.write_text(header + 'msgid "Old."\nmsgstr "Старый."\n', encoding="utf-8")
    hashed = po.read_bytes()
    po.write_text(header + 'msgid "New."\nmsgstr "Новый."\n', encoding="utf-8")  # saved meanwhile
    assert [e.source for e in read_po(po, data=hashed)] == ["Old."]
    assert [e.source for e in read_po(po)] == ["New."]


def test_a_file_handed_to_polib_is_read_from_the_bytes_given_too(tmp_path):
    """The same for a file the fast path hands over (a multi-byte charset): polib read the file
    again from disk, so the results were of the newer save but kept under the hash of the bytes
    given, and a later run over those bytes would have been told the newer file's findings; the
    msgstr lines were found in a third read."""
    from tolmach.checks.runner import read_po

    po = tmp_path / "a.po"
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=Shift_JIS\\n"\n"Language: ru\\n"\n\n'
    po.write_text(header + 'msgid "Old."\nmsgstr "Stary."\n', encoding="shift_jis")
    hashed = po.read_bytes()
    assert poread.read_entries(po, data=hashed) is None  # polib's to read
    po.write_text(header + '\n\n\nmsgid "New."\nmsgstr ""\n"Novy."\n', encoding="shift_jis")  # saved meanwhile
    entries = read_po(po, data=hashed)
    assert [(e.source, e.target, e.msgstr_line) for e in entries] == [("Old.", "Stary.", 7)]
    assert [(e.source, e.msgstr_line, e.msgstr_end_line) for e in read_po(po)] == [("New.", 10, 11)]
