"""Tolmach writes PO files byte for byte as GNU gettext's msgcat does (and keeps --no-wrap style)."""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tolmach.catalog import load_catalog, save_catalog
from tolmach.errors import TolmachError
from tolmach.pofile import detect_no_wrap, format_catalog, restore_obsolete_previous, string_lines

from helpers import assert_valid_po

MSGCAT = shutil.which("msgcat")
pytestmark = pytest.mark.skipif(MSGCAT is None, reason="gettext's msgcat is required (apt-get install gettext)")

RU_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)


def msgcat(text: str, *options: str) -> str:
    proc = subprocess.run([MSGCAT, *options, "-"], input=text.encode("utf-8"), capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode("utf-8")


# Characters news catalogs hold: ASCII with the escapes, Cyrillic, typographic punctuation, CJK, and some more.
ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    " .,;:!?'\"\\/()[]{}<>-_+=*&%$#@|~`^"
    "абвгдежзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯё"
    "«»„“”‘’—–…№°€£\u00a0\u202f"
    "中文新闻记者北京东京。、「」（）！？ひらがなカタカナー"
    "한국어עברית😀👍🏽🇷🇺e\u0301\u00ad\u200b"  # Hangul, Hebrew, emoji, combining accent, soft hyphen, ZWSP
)
word = st.text(alphabet=ALPHABET, min_size=1, max_size=14) | st.text(alphabet="abcяж中-", min_size=60, max_size=130)
separator = st.sampled_from([" ", " ", " ", "  ", "\n", "\t", " - ", ", ", "\\n", ""])


@st.composite
def texts(draw, min_words=1, max_words=40):
    words = draw(st.lists(word, min_size=min_words, max_size=max_words))
    seps = draw(st.lists(separator, min_size=len(words), max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps))
    if draw(st.booleans()):
        text = text.rstrip("\n") + "\n"
    return text


# (polib reads a blank comment line back as nothing, and strips them: lines are never blank)
comment_line = st.text(alphabet=ALPHABET.replace("\\", ""), min_size=1, max_size=150).map(str.strip).filter(bool)
comments = st.lists(comment_line, max_size=3).map("\n".join)
reference = st.tuples(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz/._-", min_size=1, max_size=40).filter(lambda p: p.strip("./")),
    st.integers(1, 99999).map(str) | st.just(""),
)


@st.composite
def entries(draw, index):
    plural = draw(st.integers(0, 4)) == 0
    entry = polib.POEntry(
        msgctxt=draw(st.none() | texts(1, 3).map(lambda t: t.replace("\n", " ").strip() or "c")),
        msgid=f"{index} " + draw(texts()),
        tcomment=draw(comments),
        comment=draw(comments),
        occurrences=draw(st.lists(reference, max_size=25)),
        flags=draw(st.lists(st.sampled_from(["fuzzy", "python-format", "no-c-format", "no-wrap"]),
                            max_size=2, unique=True)),
        obsolete=draw(st.integers(0, 5)) == 0,
    )
    if plural:
        entry.msgid_plural = draw(texts(1, 8))
        entry.msgstr_plural = {i: draw(st.just("") | texts(1, 15)) for i in range(3)}
    else:
        entry.msgstr = draw(st.just("") | texts())
    if "fuzzy" in entry.flags and draw(st.booleans()):
        entry.previous_msgid = draw(texts(1, 20))
        entry.previous_msgctxt = draw(st.none() | st.just("body-1a2b"))
    if entry.obsolete:  # gettext drops an untranslated obsolete entry
        entry.occurrences = []
        entry.msgstr_plural = {i: "x" for i in entry.msgstr_plural}
        entry.msgstr = entry.msgstr or "x"
    return entry


@st.composite
def catalogs(draw):
    po = polib.POFile(wrapwidth=79)
    po.header = draw(comments)
    po.metadata = {
        "Project-Id-Version": "article",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2026-12-01 12:00+0000",
        "PO-Revision-Date": "2026-12-01 12:00+0000",
        "Language": "ru",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": RU_PLURALS,
        "X-Generator": "Tolmach 0.1.0",
    }
    for i in range(draw(st.integers(1, 6))):
        po.append(draw(entries(i)))
    return po


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogs())
def test_written_catalog_is_what_msgcat_writes(po):
    text = format_catalog(po)
    assert msgcat(text) == text
    # and Tolmach reads back what was written (polib, plus the #~| lines polib skips)
    back = polib.pofile(text, wrapwidth=79)
    restore_obsolete_previous(back, text)
    assert format_catalog(back) == text


@settings(max_examples=60, derandomize=True, deadline=None)
@given(catalogs())
def test_no_wrap_catalog_is_what_msgcat_no_wrap_writes(po):
    po.wrapwidth = 0
    text = format_catalog(po)
    assert msgcat(text, "--no-wrap") == text


def test_long_lines_break_after_the_space_like_gettext():
    text = ("The Taliban said on Monday that the talks would resume next week in Doha, "
            "according to a spokesman.")
    assert string_lines("msgid", text) == [
        'msgid ""',
        '"The Taliban said on Monday that the talks would resume next week in Doha, "',
        '"according to a spokesman."',
    ]


def test_a_polib_default_catalog_is_written_at_gettexts_width(tmp_path):
    po = polib.POFile()  # polib's default wrapwidth is 78
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="a " + "x" * 74 + " y", msgstr=""))
    path = tmp_path / "a.po"
    save_catalog(po, path)
    text = path.read_text(encoding="utf-8")
    assert f'\n"a {"x" * 74} "\n"y"\n' in text  # a 79-column line
    assert msgcat(text) == text


def test_an_obsolete_entry_keeps_its_translators_comment(tmp_path):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Gone.", msgstr="", obsolete=True, tcomment="ask the desk"))
    po.append(polib.POEntry(msgid="Gone too.", msgstr="", obsolete=True))  # nothing human: dropped
    po.append(polib.POEntry(msgid="Kept.", msgstr="Оставлено."))
    path = tmp_path / "a.po"
    save_catalog(po, path)
    text = path.read_text(encoding="utf-8")
    assert text.endswith('# ask the desk\n#~ msgid "Gone."\n#~ msgstr ""\n')
    assert "Gone too." not in text
    assert_valid_po(path)  # which tolerates exactly this difference from msgcat


def test_previous_msgid_of_an_obsolete_entry_survives_a_rewrite(tmp_path):
    text = msgcat(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '# tc\n#, fuzzy\n#~| msgctxt "body:1"\n#~| msgid ""\n'
        f'#~| "{"A long previous paragraph, as msgmerge left it, " * 2}"\n#~| "end."\n'
        '#~ msgctxt "body:2"\n#~ msgid "obs"\n#~ msgstr "o"\n'
    )
    path = tmp_path / "a.po"
    path.write_text(text, encoding="utf-8")
    po = load_catalog(path)
    assert po[0].previous_msgid.endswith("msgmerge left it, end.")  # polib alone reads None
    save_catalog(po, path)
    assert path.read_text(encoding="utf-8") == text


def test_no_wrap_style_is_detected_and_kept(tmp_path):
    po = polib.POFile(wrapwidth=79)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": RU_PLURALS}
    long = "A long paragraph of a news article that goes on well past the seventy-nine columns. " * 2
    po.append(polib.POEntry(msgid=long.strip(), msgstr=""))
    path = tmp_path / "a.po"
    path.write_text(msgcat(format_catalog(po), "--no-wrap"), encoding="utf-8")
    loaded = load_catalog(path)
    assert loaded.wrapwidth == 0
    loaded[0].msgstr = "Длинный абзац. " * 8
    save_catalog(loaded, path)
    text = path.read_text(encoding="utf-8")
    assert msgcat(text, "--no-wrap") == text
    assert msgcat(text) != text  # really unwrapped, not the default style
    # a wrapped file stays wrapped
    path.write_text(msgcat(text), encoding="utf-8")
    assert load_catalog(path).wrapwidth == 79


def test_detect_no_wrap_needs_a_long_breakable_line():
    short = 'msgid ""\nmsgstr ""\n"Language: ru\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    assert not detect_no_wrap(short)
    unwrapped = f'msgid ""\nmsgstr ""\n"Plural-Forms: {RU_PLURALS}\\n"\n'
    assert detect_no_wrap(unwrapped)
    wrapped = unwrapped + '\nmsgid ""\n"A paragraph that was wrapped at the width, "\n"as gettext does."\nmsgstr ""\n'
    assert not detect_no_wrap(wrapped)


# --- catalogs in another charset than UTF-8 --------------------------------------------------------

# Three references that fit one 79-column line in KOI8-R/CP1251 bytes, not in UTF-8 ones.
CYRILLIC_PO = """\
msgid ""
msgstr ""
"Project-Id-Version: vesti\\n"
"Language: ru\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset={charset}\\n"
"Content-Transfer-Encoding: 8bit\\n"
"X-Source-Language: en\\n"

#. tolmach: body, unit 1 of 2
#: статьи/погода.txt:1 статьи/погода.txt:3 статьи/погода.txt:5
msgctxt "body:1"
msgid "The weather in Moscow was cold, and the forecast says it will stay cold all week."
msgstr "Погода в Москве была холодной, и прогноз говорит, что холод продержится всю неделю."

#. tolmach: body, unit 2 of 2
msgctxt "body:2"
msgid "Bye."
msgstr ""
"""


def _cyrillic_catalog(tmp_path, charset: str):
    """A catalog in ``charset`` as GNU gettext writes it (msgcat keeps a file's charset)."""
    path = tmp_path / "vesti.po"
    path.write_bytes(CYRILLIC_PO.format(charset=charset).encode(charset))
    proc = subprocess.run([MSGCAT, str(path)], capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    path.write_bytes(proc.stdout)
    return path


def _import_translation(tmp_path, path, target: str):
    """Export the catalog to XLIFF, give the untranslated unit ``target`` as a CAT tool would, import it."""
    from helpers import tolmach_process

    xlf = tmp_path / "vesti.xlf"
    assert tolmach_process("export", "--xliff", xlf, path.name, cwd=tmp_path).returncode == 0
    text = xlf.read_text(encoding="utf-8")
    xlf.write_text(text.replace("<source>Bye.</source>", f'<source>Bye.</source><target state="translated">{target}</target>'),
                   encoding="utf-8")
    return tolmach_process("import", "--xliff", xlf, cwd=tmp_path)


@pytest.mark.parametrize("charset", ["KOI8-R", "CP1251"])
def test_a_catalog_is_written_in_its_own_charset_as_msgcat_writes_it(tmp_path, charset):
    """A KOI8-R or CP1251 catalog came back as UTF-8 from every Tolmach write (import --xliff,
    translate, update): the whole file changed in git, and msgcat would have kept its charset."""
    path = _cyrillic_catalog(tmp_path, charset)
    before = path.read_bytes()
    save_catalog(load_catalog(path), path)  # no change: the same bytes
    assert path.read_bytes() == before
    proc = _import_translation(tmp_path, path, "Пока.")
    assert proc.returncode == 0 and "warning" not in proc.stderr, proc.stderr
    data = path.read_bytes()
    # what msgcat makes of the same content: the one new msgstr, in the file's own charset
    edited = CYRILLIC_PO.format(charset=charset).replace('msgid "Bye."\nmsgstr ""', 'msgid "Bye."\nmsgstr "Пока."')
    expected = subprocess.run([MSGCAT, "-"], input=edited.encode(charset), capture_output=True).stdout
    assert data == expected
    assert f"charset={charset}".encode() in data and "Пока.".encode(charset) in data
    assert_valid_po(path)


@pytest.mark.parametrize("charset, target, lacking", [
    ("KOI8-R", "Пока — «до встречи».", "—, «, »"),  # KOI8-R has no dashes or guillemets
    ("CP1251", "Пока, Jürgen.", "ü"),
])
def test_text_the_charset_cannot_encode_converts_the_catalog_to_utf8_and_says_so(tmp_path, charset, target,
                                                                                 lacking):
    path = _cyrillic_catalog(tmp_path, charset)
    proc = _import_translation(tmp_path, path, target)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == (f"tolmach: warning: {path.name}: converted from {charset} to UTF-8: the new text "
                           f"has characters {charset} cannot encode ({lacking})\n")
    text = path.read_bytes().decode("utf-8")
    assert "charset=UTF-8" in text and target in text
    # the rest as msgconv -t UTF-8 writes it: nothing lost or mangled
    edited = CYRILLIC_PO.format(charset="UTF-8").replace('msgid "Bye."\nmsgstr ""', f'msgid "Bye."\nmsgstr "{target}"')
    assert text == msgcat(edited)
    assert_valid_po(path)


# every escape GNU gettext writes, and control characters it writes as they are
CONTROLS = "\a\b\f\n\r\t\v\\\"\x01\x1b\x7f"


@pytest.mark.parametrize("char", CONTROLS)
def test_each_escape_round_trips_as_gettext_reads_and_writes_it(tmp_path, char):
    """Written as msgcat writes it, and read back as gettext reads it (polib alone leaves "\\a" a
    backslash and an "a"): by load_catalog, the fast reader of check, and the #~| lines."""
    from tolmach.checks import poread, runner

    text = f"Ring{char}twice{char}"
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "ru", "Plural-Forms": RU_PLURALS}
    forms = {i: f"{i}{char}" for i in range(3)}
    po.append(polib.POEntry(msgctxt=f"c{char}", msgid=text, msgstr=f"Звон{char}"))
    po.append(polib.POEntry(msgid=f"one{char}", msgid_plural=f"many{char}", msgstr_plural=dict(forms)))
    po.append(polib.POEntry(msgid="old", msgstr="старое", obsolete=True, flags=["fuzzy"], previous_msgid=text))
    path = tmp_path / "a.po"
    save_catalog(po, path)
    assert_valid_po(path)  # msgfmt --check, and byte for byte what msgcat writes
    written = path.read_bytes()
    back = load_catalog(path)
    assert (back[0].msgctxt, back[0].msgid, back[0].msgstr) == (f"c{char}", text, f"Звон{char}")
    assert (back[1].msgid_plural, back[1].msgstr_plural) == (f"many{char}", forms)
    assert back[2].previous_msgid == text
    save_catalog(back, path)
    assert path.read_bytes() == written
    fast = poread.read_entries(path)
    assert fast is not None and fast == runner.read_po_with_polib(path)
    assert [e.target for e in fast] == [f"Звон{char}", *forms.values()]


def test_octal_and_hex_escapes_are_read_as_gettext_reads_them(tmp_path):
    """gettext reads an octal or hex escape as a byte of the file's charset (msgcat writes the text
    it makes); polib kept the backslash, which a rewrite then doubled. Bytes that make no text, and
    escapes msgfmt refuses, are one clear error."""
    from tolmach.checks import poread, runner

    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\n'
    path = tmp_path / "a.po"
    path.write_text(head + 'msgid "o\\101 h\\x41 \\303\\251 \\x5c\\042\\a"\nmsgstr "\\320\\226"\n', encoding="utf-8")
    po = load_catalog(path)
    assert (po[0].msgid, po[0].msgstr) == ('oA hA é \\"\a', "Ж")
    save_catalog(po, path)
    assert path.read_text(encoding="utf-8") == msgcat(head + 'msgid "o\\101 h\\x41 \\303\\251 \\x5c\\042\\a"\n'
                                                             'msgstr "\\320\\226"\n')
    path.write_text(head + 'msgid "x\\x41"\nmsgstr "\\320\\226"\n', encoding="utf-8")
    assert poread.read_entries(path) == runner.read_po_with_polib(path)
    for body, needle in (('"\\303"', "not UTF-8 text"), ('"a\\000"', "NUL"), ('"\\?"', "malformed string")):
        path.write_text(head + f'msgid "x"\nmsgstr {body}\n', encoding="utf-8")
        with pytest.raises(TolmachError, match=needle) as err:
            load_catalog(path)
        assert err.value.line == 7
        assert poread.read_entries(path) is None  # the fast reader leaves it to load_catalog's error
