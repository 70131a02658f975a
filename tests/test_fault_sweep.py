"""A scripted sweep over malformed inputs (issue #12): every one ends in exit code 2, one error line
naming the file, no traceback, and nothing on disk changed.

Each case is a small project (files written by the test) and a command line run as a real process.
Configuration files are swept in tests/test_trust.py. `translate` reads every catalog before it
opens (or creates) the translation memory, so the memory is part of "nothing changed" here.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from helpers import assert_one_line_error, tolmach_process

PO_HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n'
    '"X-Tolmach-Source-Language: en\\n"\n\n'
)
GOOD_PO = PO_HEADER + 'msgctxt "body:1"\nmsgid "The war."\nmsgstr ""\n'
GLOSSARY_HEAD = "source,target,kind,note,forbidden,alternatives,case_sensitive,dnt\n"


def _po(body: str) -> bytes:
    return (PO_HEADER + body).encode("utf-8")


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


META = b'{"from_code": "en", "to_code": "ru", "package_version": "1.0", "type": "translate"}'
PACKAGE_FILES = {"pkg/metadata.json": META, "pkg/model/model.bin": b"x", "pkg/sentencepiece.model": b"junk"}

# id -> (files, argv, needle in the error line)
CASES: dict[str, tuple[dict[str, bytes], list[str], str]] = {
    # --- PO catalogs, through stats / compile / translate / check / build
    "po-nul-late": ({"a.po": _po("# c\n" * 3000 + 'msgid "a\0"\nmsgstr ""\n')}, ["stats", "a.po"], "NUL byte"),
    "po-utf16": ({"a.po": GOOD_PO.encode("utf-16")}, ["compile", "a.po"], "UTF-16"),
    "po-latin1-undeclared": ({"a.po": _po('msgid "caf\xe9"\nmsgstr ""\n').replace(b"\xc3\xa9", b"\xe9")},
                             ["stats", "a.po"], "a.po"),
    "po-unterminated": ({"a.po": _po('msgid "open\nmsgstr ""\n')}, ["translate", "a.po", "--no-glossary"], "malformed PO"),
    "po-duplicate": ({"a.po": _po('msgid "x"\nmsgstr ""\n\nmsgid "x"\nmsgstr ""\n')}, ["check", "a.po"], "duplicate"),
    "po-garbage": ({"a.po": b"this is not a catalog at all\n"}, ["stats", "a.po"], "a.po"),
    "po-empty": ({"a.po": b""}, ["translate", "a.po"], "empty file"),
    "po-whitespace": ({"a.po": b"\n\n  \n"}, ["compile", "a.po"], "empty file"),
    "po-mo-file": ({"a.po": b"\xde\x12\x04\x95" + b"\0" * 40}, ["stats", "a.po"], "a.po"),
    "po-no-language": ({"a.po": b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                b'msgid "x"\nmsgstr ""\n'}, ["translate", "a.po", "--no-glossary"], "Language"),
    "po-bad-charset": ({"a.po": b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=NOPE-9\\n"\n\n'
                                b'msgid "x"\nmsgstr ""\n'}, ["stats", "a.po"], "a.po"),
    "po-build-binary": ({"a.po": b"\0\1\2" * 100}, ["build", "a.po"], "a.po"),
    "po-memory-sync": ({"locales/ru/LC_MESSAGES/a.po": GOOD_PO.encode(), "locales/ru/LC_MESSAGES/b.po": b"\0"},
                       ["memory", "sync", "locales"], "b.po"),
    "po-folder-empty": ({"locales/ru/README": b"hi"}, ["compile", "locales/ru"], "no PO catalogs"),
    # --- articles
    "article-nul-late": ({"a.txt": b"Text here.\n" * 1000 + b"\0"}, ["extract", "a.txt"], "NUL byte"),
    "article-utf16": ({"a.txt": "Moscow said.\n".encode("utf-16-le")}, ["segment", "a.txt"], "UTF-16LE"),
    "article-cp1251": ({"a.txt": "Москва заявила.\n".encode("cp1251")}, ["extract", "a.txt"], "not valid UTF-8"),
    "article-empty": ({"a.txt": b"\n\n"}, ["extract", "a.txt"], "empty article"),
    "article-dir": ({"a.txt/x": b"x"}, ["extract", "a.txt"], "expected an article"),
    "article-translate-utf16": ({"a.txt": "Moscow said.\n".encode("utf-16")},
                                ["translate-article", "a.txt", "--to", "ru", "--no-glossary"], "UTF-16"),
    # --- CSV glossaries
    "csv-no-header": ({"g.csv": b"war,\xd0\xb2\xd0\xbe\xd0\xb9\xd0\xbd\xd0\xb0\n"}, ["glossary", "find", "war", "-g", "g.csv"],
                      "bad header"),
    "csv-utf16": ({"g.csv": (GLOSSARY_HEAD + "war,война,term,,,,,\n").encode("utf-16")},
                  ["glossary", "lint", "g.csv"], "UTF-16"),
    "csv-nul": ({"g.csv": (GLOSSARY_HEAD + "war,война,term,,,,,\n" * 500).encode() + b"\0"},
                ["glossary", "export", "g.csv", "--tbx", "out.tbx"], "NUL byte"),
    "csv-bad-utf8": ({"g.csv": GLOSSARY_HEAD.encode() + b"war,\xff\xfe,term,,,,,\n"},
                     ["glossary", "find", "war", "-g", "g.csv"], "not valid UTF-8"),
    "csv-unclosed-quote": ({"g.csv": (GLOSSARY_HEAD + '"war,война,term,,,,,\n').encode()},
                           ["glossary", "find", "war", "-g", "g.csv"], "g.csv"),
    "csv-folder-empty": ({"gl/readme.txt": b"x"}, ["glossary", "lint", "gl"], "no *.csv"),
    # --- TBX
    "tbx-not-xml": ({"g.tbx": b"<martif><text>"}, ["glossary", "import", "--tbx", "g.tbx", "-o", "g.csv"], "not a TBX"),
    "tbx-html-root": ({"g.tbx": b"<?xml version='1.0'?><html/>"}, ["glossary", "import", "--tbx", "g.tbx", "-o", "g.csv"],
                      "root element is <html>"),
    "tbx-entity-bomb": ({"g.tbx": b'<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa">'
                                  b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                                  b"<martif><text><body><termEntry><langSet xml:lang='en'><tig><term>&c;</term></tig>"
                                  b"</langSet></termEntry></body></text></martif>"},
                        ["glossary", "import", "--tbx", "g.tbx", "-o", "g.csv"], "no terms"),
    "tbx-binary": ({"g.tbx": os.urandom(2000)}, ["glossary", "import", "--tbx", "g.tbx", "-o", "g.csv"], "g.tbx"),
    # --- TMX
    "tmx-not-xml": ({"m.tmx": b"<tmx><body>"}, ["memory", "import", "--tmx", "m.tmx", "--memory", "mem.sqlite"], "m.tmx"),
    "tmx-wrong-root": ({"m.tmx": b"<?xml version='1.0'?><xliff/>"},
                       ["memory", "import", "--tmx", "m.tmx", "--memory", "mem.sqlite"], "m.tmx"),
    "tmx-binary": ({"m.tmx": b"\0" * 100}, ["memory", "import", "--tmx", "m.tmx", "--memory", "mem.sqlite"], "m.tmx"),
    "tmx-no-body": ({"m.tmx": b"<?xml version='1.0'?><tmx version='1.4'><header srclang='en'/></tmx>"},
                    ["memory", "import", "--tmx", "m.tmx", "--memory", "mem.sqlite"], "m.tmx"),
    # --- model packages
    "pkg-not-zip": ({"p.argosmodel": b"PK but not really"}, ["models", "install", "--file", "p.argosmodel"], "not a zip"),
    "pkg-truncated": ({"p.argosmodel": _zip(PACKAGE_FILES)[:-30]}, ["models", "install", "--file", "p.argosmodel"],
                      "p.argosmodel"),
    "pkg-bad-sentencepiece": ({"p.argosmodel": _zip(PACKAGE_FILES)}, ["models", "install", "--file", "p.argosmodel"],
                              "corrupt sentencepiece.model"),
    "pkg-metadata-list": ({"p.argosmodel": _zip({**PACKAGE_FILES, "pkg/metadata.json": b"[1, 2]"})},
                          ["models", "install", "--file", "p.argosmodel"], "from_code/to_code"),
    "pkg-metadata-types": ({"p.argosmodel": _zip({**PACKAGE_FILES, "pkg/metadata.json": b'{"from_code": 1, "to_code": []}'})},
                           ["models", "install", "--file", "p.argosmodel"], "from_code/to_code"),
    "pkg-two-tops": ({"p.argosmodel": _zip({**PACKAGE_FILES, "other/x": b"x"})},
                     ["models", "install", "--file", "p.argosmodel"], "one top-level folder"),
    "pkg-zip-bomb": ({"p.argosmodel": _zip({**PACKAGE_FILES, "pkg/zeros": b"\0" * (32 * 2**20)})},
                     ["models", "install", "--file", "p.argosmodel"], "fold"),
    "pkg-slip": ({"p.argosmodel": _zip({**PACKAGE_FILES, "pkg/../../x": b"x"})},
                 ["models", "install", "--file", "p.argosmodel"], "unsafe entry"),
    "pkg-folder-model": ({"pkgdir/metadata.json": b"{}", "a.po": GOOD_PO.encode()},
                         ["translate", "a.po", "--no-glossary", "--no-memory", "--model", "pkgdir"], "pkgdir"),
}


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    out = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        if rel.startswith(("models", "cache")):
            continue
        out[rel] = (p.read_bytes() if p.is_file() else b"<dir>", p.stat().st_mode)
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_input_is_one_error_line_and_changes_nothing(tmp_path, case):
    files, argv, needle = CASES[case]
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    env = {
        "TOLMACH_MODELS_DIR": str(tmp_path / "models"),
        "TOLMACH_CACHE_DIR": str(tmp_path / "cache"),
        "TOLMACH_PACKAGE_INDEX": "http://127.0.0.1:9/",
    }
    before = _snapshot(tmp_path)
    proc = tolmach_process(*argv, cwd=tmp_path, env=env, timeout=120)
    assert_one_line_error(proc, needle)
    assert _snapshot(tmp_path) == before
    models = tmp_path / "models"
    assert not models.exists() or list(models.iterdir()) == []
