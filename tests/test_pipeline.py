"""The pipeline end to end through the real CLI, with the tiny real CTranslate2 model."""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

from tolmach.catalog import load_catalog, save_catalog
from tolmach.devtools.tinymodel import apply_dictionary, default_dictionary

from helpers import SEED, assert_one_line_error, assert_valid_po, tolmach, tolmach_process

EN_RU = default_dictionary("en", "ru")


@pytest.fixture
def env(tmp_path):
    models = tmp_path / "models"
    return {
        "TOLMACH_MODELS_DIR": str(models),
        "TOLMACH_CACHE_DIR": str(tmp_path / "cache"),
        "TOLMACH_PACKAGE_INDEX": "http://127.0.0.1:9/",  # nothing listens there
    }


@pytest.fixture
def installed(env, tiny_package):
    for key in ("en_ru", "ru_en"):
        res = tolmach("models", "install", "--file", tiny_package[key], env=env)
        assert res.exit_code == 0, res.output
    return env


def _project(tmp_path, text=None, name="taliban.txt"):
    article = tmp_path / name
    article.write_text(text or SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return article


# --- models ------------------------------------------------------------------------------------


def test_models_install_list_remove(env, tiny_package):
    res = tolmach("models", "list", env=env)
    assert "no models installed" in res.output and "tolmach models install en ru" in res.output
    res = tolmach("models", "install", "--file", tiny_package["en_ru"], env=env)
    assert res.exit_code == 0 and "en->ru" in res.output
    folder = Path(env["TOLMACH_MODELS_DIR"]) / "translate-en_ru-1_0"
    assert (folder / "model" / "model.bin").is_file() and (folder / "metadata.json").is_file()
    # argostranslate reads what Tolmach installed
    from argostranslate.package import get_installed_packages

    pkgs = get_installed_packages([Path(env["TOLMACH_MODELS_DIR"])])
    assert [(p.from_code, p.to_code) for p in pkgs] == [("en", "ru")]
    assert "translate-en_ru-1_0" in tolmach("models", "list", env=env).output
    assert tolmach("models", "remove", "en", "ru", env=env).exit_code == 0
    assert not folder.exists()


def _serve(folder: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


def test_models_install_from_a_package_index_over_http(tmp_path, env, tiny_package):
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(tiny_package["en_ru"], site / "translate-en_ru-1_0.argosmodel")
    server = _serve(site)
    try:
        base = f"http://127.0.0.1:{server.server_port}/"
        index = [{
            "package_version": "1.0", "argos_version": "1.9", "type": "translate",
            "from_code": "en", "from_name": "English", "to_code": "ru", "to_name": "Russian",
            "links": [base + "translate-en_ru-1_0.argosmodel"],
        }]
        (site / "index.json").write_text(json.dumps(index), encoding="utf-8")
        env = dict(env, TOLMACH_PACKAGE_INDEX=base)
        res = tolmach("models", "list", "--available", env=env)
        assert "en->ru" in res.output
        res = tolmach("models", "install", "en", "ru", env=env)
        assert res.exit_code == 0, res.output
        assert "installed translate-en_ru-1_0" in res.output
        assert (Path(env["TOLMACH_MODELS_DIR"]) / "translate-en_ru-1_0" / "model" / "model.bin").exists()
        proc = tolmach_process("models", "install", "ru", "en", env=env)
        assert_one_line_error(proc, "no ru->en model")
    finally:
        server.shutdown()


def test_models_install_with_unreachable_index(env):
    proc = tolmach_process("models", "install", "en", "ru", env=env)
    assert_one_line_error(proc, "cannot download the package index")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "make, needle",
    [
        (lambda p, good: _write(p, b"not a zip at all"), "not a zip archive"),
        (lambda p, good: _write(p, good.read_bytes()[: good.stat().st_size // 2]),
         "not a zip archive"),
        (lambda p, good: _zip(p, {"pkg/metadata.json": b'{"from_code":"en","to_code":"ru"}',
                                  "pkg/model/model.bin": b"x", "pkg/sentencepiece.model": b"x",
                                  "pkg/../../escape.txt": b"gotcha"}), "unsafe entry"),
        (lambda p, good: _zip(p, {"/etc/evil/metadata.json": b"{}"}), "unsafe entry"),
        (lambda p, good: _zip(p, {"pkg/README.md": b"hello"}), "no metadata.json"),
        (lambda p, good: _zip(p, {"pkg/metadata.json": b"{not json"}), "corrupt metadata.json"),
        (lambda p, good: _zip(p, {"pkg/metadata.json": b'{"from_code":"en","to_code":"ru"}'}),
         "model/model.bin missing"),
    ],
)
def test_bad_model_archives_are_refused_and_leave_nothing(tmp_path, env, tiny_package, make, needle):
    bad = make(tmp_path / "bad.argosmodel", Path(tiny_package["en_ru"]))
    proc = tolmach_process("models", "install", "--file", bad, env=env)
    assert_one_line_error(proc, "bad.argosmodel", needle)
    models = Path(env["TOLMACH_MODELS_DIR"])
    assert not models.exists() or list(models.iterdir()) == []
    assert not (tmp_path / "escape.txt").exists()


def test_install_of_a_directory_or_missing_file(tmp_path, env):
    assert_one_line_error(tolmach_process("models", "install", "--file", tmp_path, env=env), "is a directory")
    assert_one_line_error(
        tolmach_process("models", "install", "--file", tmp_path / "x.argosmodel", env=env), "no such model file"
    )


# --- translate / build ---------------------------------------------------------------------------


def test_missing_model_says_how_to_install(tmp_path, env):
    article = _project(tmp_path)
    assert tolmach("extract", article, cwd=tmp_path).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=tmp_path).exit_code == 0
    proc = tolmach_process("translate", "locales/ru/LC_MESSAGES/taliban.po", cwd=tmp_path, env=env)
    assert_one_line_error(proc, "no en->ru model installed", "tolmach models install en ru")
    # nothing was changed
    assert all(not e.msgstr for e in load_catalog(tmp_path / "locales/ru/LC_MESSAGES/taliban.po"))


def test_translate_fills_marks_and_keeps_reviewed_entries(tmp_path, installed):
    article = _project(tmp_path)
    tolmach("extract", article, cwd=tmp_path)
    tolmach("init", "-l", "ru", cwd=tmp_path)
    po_path = tmp_path / "locales/ru/LC_MESSAGES/taliban.po"
    # a translator reviewed the credit before the machine ran
    po = load_catalog(po_path)
    po[1].msgstr = "Аллауддин Хан / AP"
    po[1].tcomment = "name checked"
    save_catalog(po, po_path)

    res = tolmach("translate", po_path, "--no-glossary", cwd=tmp_path, env=installed)
    assert res.exit_code == 0, res.output
    assert "filled 10 entries" in res.output
    po = assert_valid_po(po_path)
    for entry in po:
        if entry.msgctxt.startswith("credit"):
            assert entry.msgstr == "Аллауддин Хан / AP" and not entry.fuzzy
            assert entry.tcomment == "name checked"
            continue
        assert entry.fuzzy, entry.msgid
        assert entry.msgstr == apply_dictionary(entry.msgid, EN_RU)
        assert "mt: argos:translate-en_ru-1_0@1.0|en->ru|beam=4|compute=int8" in entry.comment
    assert "Скапарротти" in po_path.read_text(encoding="utf-8")

    # a human reviews one machine draft; re-running changes nothing and calls the model 0 times
    po = load_catalog(po_path)
    po[0].msgstr = "Россия может снабжать «Талибан», заявил американский генерал"
    po[0].flags.remove("fuzzy")
    save_catalog(po, po_path)
    before = po_path.read_bytes()
    for _ in range(2):
        res = tolmach("translate", po_path, "--no-glossary", cwd=tmp_path, env=installed)
        assert res.exit_code == 0 and "filled 0 entries" in res.output
    assert po_path.read_bytes() == before
    # even when asked to redo machine drafts, the reviewed entries stay
    res = tolmach("translate", po_path, "--no-glossary", "--retranslate-fuzzy", cwd=tmp_path, env=installed)
    # (redone from the MT cache, to the same text: said so, the catalog left as it was)
    assert "filled 0 entries" in res.output and "0 sent to the model" in res.output
    assert "9 machine drafts translated again to the same text" in res.output
    po = load_catalog(po_path)
    assert po[0].msgstr.startswith("Россия может снабжать «Талибан»") and not po[0].fuzzy
    assert po[1].msgstr == "Аллауддин Хан / AP"


def test_dry_run_changes_nothing(tmp_path, installed):
    article = _project(tmp_path)
    tolmach("extract", article, cwd=tmp_path)
    tolmach("init", "-l", "ru", cwd=tmp_path)
    po_path = tmp_path / "locales/ru/LC_MESSAGES/taliban.po"
    before = po_path.read_bytes()
    res = tolmach("translate", po_path, "--dry-run", "--no-glossary", cwd=tmp_path, env=installed)
    assert res.exit_code == 0 and "would fill 11 entries" in res.output
    assert po_path.read_bytes() == before


def test_all_files_go_to_the_model_in_one_stream_with_duplicates_once(tmp_path, installed):
    one = _project(tmp_path, "Russia and NATO.\n\nThe Kremlin said so. Moscow agreed.", "one.txt")
    two = _project(tmp_path, "A different title\n\nThe Kremlin said so. Moscow agreed.", "two.txt")
    assert tolmach("extract", one, two, cwd=tmp_path).exit_code == 0
    tolmach("init", "-l", "ru", cwd=tmp_path)
    res = tolmach("translate", "locales/ru", "--no-glossary", "--no-memory", cwd=tmp_path, env=installed)
    assert res.exit_code == 0, res.output
    assert "(6 sentences, 4 unique, 0 cached, 4 sent to the model)" in res.output
    po = load_catalog(tmp_path / "locales/ru/LC_MESSAGES/two.po")
    assert po[1].msgstr == "The Кремль said so. Москва agreed."


def test_build_reproduces_structure(tmp_path, installed):
    article = _project(tmp_path)
    tolmach("extract", article, cwd=tmp_path)
    tolmach("init", "-l", "ru", cwd=tmp_path)
    po_path = tmp_path / "locales/ru/LC_MESSAGES/taliban.po"
    po = load_catalog(po_path)
    po[3].msgstr = ""  # leave one unit untranslated
    save_catalog(po, po_path)
    res = tolmach("build", po_path, "-o", tmp_path / "out.txt", "--untranslated", "marker", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    text = (tmp_path / "out.txt").read_text(encoding="utf-8")
    paragraphs = text.rstrip("\n").split("\n\n")
    assert len(paragraphs) == 11
    assert paragraphs[0].startswith("[untranslated] Russia May be Supplying")
    assert paragraphs[1] == "[untranslated] Allauddin Khan / AP"
    tolmach("translate", po_path, "--no-glossary", cwd=tmp_path, env=installed)
    # entries reordered by hand still build in article order
    po = load_catalog(po_path)
    entries = list(po)
    po.clear() if hasattr(po, "clear") else None
    for e in reversed(entries):
        po.append(e)
    save_catalog(po, po_path)
    text = tolmach("build", po_path, cwd=tmp_path).output
    paragraphs = text.rstrip("\n").split("\n\n")
    assert paragraphs[0] == apply_dictionary(
        "Russia May be Supplying Afghanistan's Taliban, U.S. General Says", EN_RU)
    assert paragraphs[1] == "Allauddin Khan / AP"
    assert "Read more" not in text and "donation" not in text



def test_build_output_dash_is_stdout(tmp_path):
    # `-o -` wrote a file named "-"
    article = _project(tmp_path)
    tolmach("extract", article, cwd=tmp_path)
    tolmach("init", "-l", "ru", cwd=tmp_path)
    po_path = tmp_path / "locales/ru/LC_MESSAGES/taliban.po"
    res = tolmach("build", po_path, "-o", "-", cwd=tmp_path)
    assert res.exit_code == 0 and not (tmp_path / "-").exists()
    assert res.output == tolmach("build", po_path, cwd=tmp_path).output
    assert res.output.startswith("Russia May be Supplying")

def test_markdown_article_keeps_headings(tmp_path, installed):
    article = _project(tmp_path, "# Russia and NATO\n\nThe Kremlin said so.\n\n## Moscow\n\nMoscow agreed.\n\n"
                                 "- Russia first\n- NATO second\n\n> Kremlin quote\n", "note.md")
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=tmp_path, env=installed)
    assert res.exit_code == 0, res.output
    draft = (tmp_path / "locales/ru/note.md").read_text(encoding="utf-8")
    assert draft == ("# Россия and НАТО\n\nThe Кремль said so.\n\n## Москва\n\nМосква agreed.\n\n"
                     "- Россия first\n- НАТО second\n\n> Кремль quote\n")  # the tight list stays tight


def test_translate_article_both_directions(tmp_path, installed):
    article = _project(tmp_path)
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=tmp_path, env=installed)
    assert res.exit_code == 0, res.output
    assert "catalog: locales/ru/LC_MESSAGES/taliban.po" in res.output
    # the draft goes beside the catalogs, where `extract articles/*.txt` never picks it up
    assert "draft:   locales/ru/taliban.txt (11 machine drafts to review" in res.output
    assert_valid_po(tmp_path / "locales/ru/LC_MESSAGES/taliban.po")
    draft = (tmp_path / "locales/ru/taliban.txt").read_text(encoding="utf-8")
    assert len(draft.rstrip("\n").split("\n\n")) == 11

    ru = _project(tmp_path, "Кремль и НАТО\n\nРоссия заявила об этом в четверг. Москва согласилась.\n", "kreml.txt")
    res = tolmach("translate-article", ru, "--no-glossary", cwd=tmp_path, env=installed)
    assert res.exit_code == 0, res.output
    po = assert_valid_po(tmp_path / "locales/en/LC_MESSAGES/kreml.po")
    assert po.metadata["Language"] == "en" and po.metadata["X-Source-Language"] == "ru"
    assert po[1].msgstr == "Russia заявила об этом в четверг. Moscow согласилась."
    assert (tmp_path / "locales/en/kreml.txt").read_text(encoding="utf-8").startswith("Kremlin и NATO")

    # the article changes: re-running the main job keeps the review, translates only the new text
    po_path = tmp_path / "locales/ru/LC_MESSAGES/taliban.po"
    po = load_catalog(po_path)
    po[2].msgstr = "Высокопоставленный американский генерал обвинил Россию в связях с «Талибаном»."
    po[2].flags.remove("fuzzy")
    save_catalog(po, po_path)
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Army General", "NATO General").replace(
        "A top U.S. General", "Russia denies it.\n\nA top U.S. General"), encoding="utf-8")
    res = tolmach("translate-article", article, "--to", "ru", "--no-glossary", cwd=tmp_path, env=installed)
    assert res.exit_code == 0, res.output
    # the new paragraph, and the edited one: its machine draft, untouched, was made for the old text
    assert "filled 2 entries" in res.output and "1 stale machine draft among them" in res.output
    po = assert_valid_po(po_path)
    reviewed = next(e for e in po if e.msgid.startswith("A top U.S. General"))
    assert reviewed.msgstr.startswith("Высокопоставленный") and not reviewed.fuzzy
    edited = next(e for e in po if e.msgid.startswith("NATO General"))
    # translated again from the new text: no "#|" of the old one, which that draft was not made for
    assert edited.fuzzy and edited.previous_msgid is None
    assert edited.msgstr.startswith("НАТО General")
    new = next(e for e in po if e.msgid == "Russia denies it.")
    assert new.msgstr == "Россия denies it." and new.fuzzy


# --- what build says it wrote: the entry states, for every format --------------------------------

DRAFT_SOURCES = {
    "story.txt": "Floods in the Volgograd region\n\nMore than two thousand people were evacuated on Monday.\n\n"
                 "Rescue teams worked through the night to reach the villages.\n",
    "story.md": "# Floods in the Volgograd region\n\nMore than two thousand people were evacuated on Monday.\n\n"
                "Rescue teams worked through the night to reach the villages.\n",
    "story.html": "<!DOCTYPE html>\n<html><head><title>Floods in the Volgograd region</title></head><body>\n"
                  "<main><article>\n<h1>Floods in the Volgograd region</h1>\n"
                  "<p>More than two thousand people were evacuated on Monday.</p>\n"
                  "<p>Rescue teams worked through the night to reach the villages.</p>\n"
                  "</article></main></body></html>\n",
}
DRAFT_OUTPUTS = {
    "Floods in the Volgograd region": "Наводнения в Волгоградской области",
    "More than two thousand people were evacuated on Monday.": "Более двух тысяч человек эвакуированы в понедельник.",
    "Rescue teams worked through the night to reach the villages.": "Спасатели всю ночь пробивались к сёлам.",
}


@pytest.mark.parametrize("name", sorted(DRAFT_SOURCES))
def test_build_and_translate_article_count_the_entry_states_of_every_format(tmp_path, name):
    """The draft and build summaries count machine drafts, human drafts and reviewed entries by
    tolmach.state, as stats does, for Markdown and HTML catalogs as for plain text (they said
    "0 machine drafts to review, 0 human drafts" for every Markdown or HTML catalog)."""
    (tmp_path / name).write_text(DRAFT_SOURCES[name], encoding="utf-8")
    tsv = tmp_path / "mt.tsv"
    tsv.write_text("".join(f"{s}\t{t}\n" for s, t in DRAFT_OUTPUTS.items()), encoding="utf-8")
    args = ("translate-article", name, "--to", "ru", "--no-memory", "--no-glossary", "--engine", "recorded",
            "--recorded", tsv)
    res = tolmach(*args, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    po_path = tmp_path / "locales/ru/LC_MESSAGES/story.po"
    po = assert_valid_po(po_path)
    units = len(po)
    assert f"({units} machine drafts to review, 0 human drafts, 0 reviewed)" in res.output
    # a translator rewrites one draft and approves another
    edited, approved = (e for e in po if e.msgid.startswith(("More than", "Rescue")))
    edited.msgstr = "Эвакуированы более двух тысяч человек."
    approved.flags.remove("fuzzy")
    save_catalog(po, po_path)
    res = tolmach("build", po_path, "-o", tmp_path / "out", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    drafts = units - 2
    assert re.search(fr"{units} paragraphs \(1 reviewed, {drafts} machine drafts?, 1 human draft, 0 untranslated\)",
                     res.output), res.output
    res = tolmach(*args, cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert "1 human draft kept as written" in res.output
    assert re.search(fr"\({drafts} machine drafts? to review, 1 human draft, 1 reviewed\)", res.output), res.output
    stats = json.loads(tolmach("stats", po_path, "--format", "json", cwd=tmp_path).stdout)["total"]
    assert (stats["machine_draft"]["units"], stats["human_draft"]["units"], stats["translated"]["units"]) == (units - 2, 1, 1)


@pytest.mark.parametrize("name", sorted(DRAFT_SOURCES))
def test_a_draft_keeps_the_line_ends_and_the_bom_of_its_article(tmp_path, name):
    """An article written with CRLF line ends and a BOM (Windows) gets a draft written so: build
    wrote line feeds throughout (its code blocks, HTML blocks, front matter, scripts) and no BOM, and
    in git every line of it showed as changed. The catalog's units are as for line feeds."""
    source = DRAFT_SOURCES[name].replace("</body>", "<script>\nvar a = 1;\n</script>\n</body>")
    source += "\n```\ncode line\n```\n" if name.endswith(".md") else ""
    tsv = tmp_path / "mt.tsv"
    tsv.write_text("".join(f"{s}\t{t}\n" for s, t in DRAFT_OUTPUTS.items()), encoding="utf-8")
    drafts = {}
    for form, data in (("lf", source.encode()), ("crlf", b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode()),
                       ("mixed", source.replace("\n", "\r\n", 1).encode())):
        (tmp_path / form).mkdir()
        (tmp_path / form / name).write_bytes(data)
        res = tolmach("translate-article", name, "--to", "ru", "--no-memory", "--no-glossary", "--engine",
                      "recorded", "--recorded", tsv, "-o", "draft" + Path(name).suffix, cwd=tmp_path / form)
        assert res.exit_code == 0, res.output
        po = assert_valid_po(tmp_path / form / "locales/ru/LC_MESSAGES/story.po")
        assert not any("\r" in e.msgid or "\r" in e.msgstr for e in po)
        drafts[form] = (tmp_path / form / ("draft" + Path(name).suffix)).read_bytes()
        res = tolmach("build", "locales/ru/LC_MESSAGES/story.po", "-o", "built", cwd=tmp_path / form)
        assert res.exit_code == 0, res.output
        assert (tmp_path / form / "built").read_bytes() == drafts[form]
    assert b"\r" not in drafts["lf"] and "Наводнения".encode() in drafts["lf"]
    assert drafts["crlf"] == b"\xef\xbb\xbf" + drafts["lf"].replace(b"\n", b"\r\n")
    assert drafts["mixed"] == drafts["lf"]  # not one form throughout: line feeds, as read
    if name.endswith(".md"):  # and what is not translated is the source's, byte for byte
        res = tolmach("build", "locales/ru/LC_MESSAGES/story.po", "--no-fuzzy", "-o", "same", cwd=tmp_path / "crlf")
        assert (tmp_path / "crlf/same").read_bytes() == (tmp_path / "crlf" / name).read_bytes()


# --- the project's configuration, wherever a command is run from -------------------------------------


def _configured_project(root: Path) -> Path:
    """A project with its own memory path and page chrome, its catalog ready to translate."""
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "a.txt").write_text(
        "Big news today\n\nThe minister said the talks will go on.\n\nSubscribe to our newsletter\n", encoding="utf-8")
    (root / "tolmach.toml").write_text('memory = "tm/project.sqlite"\n[segment]\nchrome = ["^Subscribe to"]\n',
                                       encoding="utf-8")
    return root / "articles" / "a.txt"


def test_commands_take_the_configuration_of_the_project_their_files_are_in(tmp_path, installed):
    """Run from another folder, extract, translate and translate-article use the configuration of
    the project the files are in (its rules, its memory), as check does: translate created a
    memory in the current folder and ignored the project's."""
    article = _configured_project(tmp_path / "proj")
    locales = tmp_path / "proj" / "locales"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    res = tolmach("extract", article, "-d", locales, cwd=elsewhere, env=installed)
    assert res.exit_code == 0, res.output
    assert "(1 paragraph skipped as chrome)" in res.output  # the project's [segment] chrome
    assert tolmach("init", "-l", "ru", "-d", locales, cwd=elsewhere, env=installed).exit_code == 0
    res = tolmach("translate", locales / "ru" / "LC_MESSAGES" / "a.po", cwd=elsewhere, env=installed)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "proj" / "tm" / "project.sqlite").is_file()
    other = _project(tmp_path / "proj", "The talks went on.\n", name="articles/b.txt")
    res = tolmach("translate-article", other, "-d", locales, cwd=elsewhere, env=installed)
    assert res.exit_code == 0, res.output
    assert list(elsewhere.iterdir()) == []  # no memory, no cache made where it was run from


def test_files_of_two_projects_in_one_call_are_refused(tmp_path, installed):
    for name in ("one", "two"):
        article = _configured_project(tmp_path / name)
        assert tolmach("translate-article", article, "--no-memory", cwd=tmp_path / name, env=installed).exit_code == 0
    catalogs = [tmp_path / name / "locales/ru/LC_MESSAGES/a.po" for name in ("one", "two")]
    for po in catalogs:  # something left to translate
        po.write_text(re.sub(r'msgstr ".+"', 'msgstr ""', po.read_text(encoding="utf-8")), encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    proc = tolmach_process("translate", *catalogs, cwd=tmp_path, env=installed)
    assert_one_line_error(proc, str(catalogs[1]), f"in the project {tmp_path / 'two'}",
                          f"{catalogs[0]} is in the project {tmp_path / 'one'}")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_an_article_in_no_project_takes_the_current_folders_glossary(tmp_path, tiny_env):
    """An article saved outside any project (~/Downloads), translated from the newsroom's folder:
    the newsroom's glossary is enforced (regression: files in no project had no settings at all,
    so no glossary and a memory beside the article)."""
    newsroom, downloads = tmp_path / "newsroom", tmp_path / "downloads"
    (newsroom / "glossaries").mkdir(parents=True)
    (newsroom / "glossaries" / "g.csv").write_text("source,target,kind\nKremlin,Кремль,organisation\n", encoding="utf-8")
    downloads.mkdir()
    (downloads / "story.txt").write_text("The Kremlin said nothing.\n", encoding="utf-8")
    res = tolmach("translate-article", str(downloads / "story.txt"), "--to", "ru", cwd=newsroom, env=tiny_env)
    assert res.exit_code == 0, res.output
    assert "no glossary applies" not in res.output, res.output
    assert (newsroom / ".tolmach" / "memory.sqlite").exists() and not (downloads / ".tolmach").exists()
