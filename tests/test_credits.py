"""Photo credits are kept as in the source (not sent to the model), or only their label translated."""

from __future__ import annotations

from tolmach.catalog import init_catalog, load_catalog, save_catalog, template_for
from tolmach.credits import kept_credit
from tolmach.engines.argos import ArgosEngine
from tolmach.segment import segment_text
from tolmach.translate import TranslateOptions, translate_catalogs

from helpers import assert_valid_po, tolmach

ARTICLE = ("Russia and the Taliban\n\nAllauddin Khan / AP\n\nPhoto: Reuters\n\n"
           "The Kremlin said so on Thursday.\n")


def _run(tmp_path, tiny_package, **options):
    art = segment_text(ARTICLE, path="a.txt", lang="en")
    assert [b.kind for b in art.blocks] == ["title", "credit", "credit", "body"]
    po_path = tmp_path / "ru.po"
    save_catalog(init_catalog(template_for(art), "ru"), po_path)
    calls = []

    class Counting(ArgosEngine):
        def translate_in_batches(self, sentences, on_batch, progress=None):
            calls.extend(sentences)
            return super().translate_in_batches(sentences, on_batch, progress)

    result = translate_catalogs([po_path], lambda s, t: Counting(tiny_package["en_ru_dir"], beam_size=1),
                                TranslateOptions(**options))
    assert_valid_po(po_path)
    return {e.msgid: e for e in load_catalog(po_path)}, calls, result


def test_credits_are_kept_and_never_reach_the_model(tmp_path, tiny_package):
    entries, calls, result = _run(tmp_path, tiny_package)
    assert "Allauddin Khan / AP" not in calls and "Photo: Reuters" not in calls
    credit = entries["Allauddin Khan / AP"]
    assert credit.msgstr == "Allauddin Khan / AP" and "fuzzy" in credit.flags
    assert "credit: photo credit kept as in the source" in credit.comment
    assert entries["Photo: Reuters"].msgstr == "Photo: Reuters"
    assert entries["The Kremlin said so on Thursday."].msgstr == "The Кремль said so on четверг."
    assert result.files[0].credits == 2


def test_the_label_can_be_translated(tmp_path, tiny_package):
    entries, calls, _ = _run(tmp_path, tiny_package, credits="label")
    assert entries["Photo: Reuters"].msgstr == "Фото: Reuters"
    assert entries["Allauddin Khan / AP"].msgstr == "Allauddin Khan / AP"
    assert kept_credit("Picture by Ann Lee", "en", "ru", "label", {"Picture": "Снимок"})[0] == "Снимок: Ann Lee"
    assert kept_credit("Фото: ТАСС", "ru", "en", "label")[0] == "Photo: ТАСС"


def test_credits_can_go_to_the_model(tmp_path, tiny_package):
    entries, calls, _ = _run(tmp_path, tiny_package, credits="translate")
    assert "Allauddin Khan / AP" in calls


def test_a_heading_or_a_label_of_the_form_a_slash_b_is_no_credit(tmp_path, tiny_env):
    """`## Russia / Ukraine` and `<h2>Russia / Ukraine</h2>` were photo credits (never translated,
    "1 photo credit kept" in the summary); a body line of two one-word places was one too."""
    md = ("# Election results in the region\n\nThe commission published the final figures on Monday.\n\n"
          "## Russia / Ukraine\n\nTalks between the two sides resumed in Istanbul.\n\nRussia / Ukraine war\n\n"
          "Allauddin Khan / AP\n")
    kinds = {b.text: b.kind for b in segment_text(md, path="a.md", lang="en").blocks}
    assert kinds["Russia / Ukraine"] == "heading" and kinds["Russia / Ukraine war"] == "body"
    assert kinds["Allauddin Khan / AP"] == "credit"
    text = segment_text("Russia / Ukraine\n\nThe talks resumed.\n\nAllauddin Khan / AP\n", path="a.txt", lang="en")
    assert [b.kind for b in text.blocks] == ["title", "body", "credit"]
    page = ("<html><head><title>Talks</title></head><body><main><article><h1>Talks resume in Istanbul</h1>\n"
            "<p>Talks between the two sides resumed in Istanbul on Monday, the foreign ministry said.</p>\n"
            "<h2>Russia / Ukraine</h2>\n<p>Both delegations arrived a day earlier, officials told reporters.</p>\n"
            "</article></main></body></html>\n")
    kinds = {b.text: b.kind for b in segment_text(page, path="a.html", lang="en").blocks}
    assert kinds["Russia / Ukraine"] == "heading"
    (tmp_path / "a.md").write_text(md, encoding="utf-8")
    res = tolmach("translate-article", "a.md", "--to", "ru", "--no-glossary", cwd=tmp_path, env=tiny_env)
    assert res.exit_code == 0, res.output
    assert "1 photo credit kept" in res.output  # Allauddin Khan's, and only his
    assert "## Russia / Ukraine" not in (tmp_path / "locales/ru/a.md").read_text(encoding="utf-8")


def test_a_label_that_is_not_text_is_refused_naming_the_file(tmp_path, tiny_env):
    """`labels = { Photo = {a=1} }` wrote «{'a': 1}: John Smith / AP» into the catalog, exit 0."""
    from helpers import assert_one_line_error, tolmach_process

    project, elsewhere = tmp_path / "newsroom", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    (project / "b.txt").write_text("Big news\n\nThe talks go on.\n\nPhoto: John Smith / AP\n", encoding="utf-8")
    for labels in ("{ Photo = {a=1} }", "{ Photo = 5 }", '{ Photo = "" }'):
        (project / "tolmach.toml").write_text(f'[credits]\nmode = "label"\nlabels = {labels}\n', encoding="utf-8")
        proc = tolmach_process("translate-article", project / "b.txt", "--to", "ru", "-d", project / "work",
                               cwd=elsewhere, env=tiny_env)
        assert_one_line_error(proc, f"{project / 'tolmach.toml'}: configuration key 'credits.labels' must be "
                                    "a table of label = translation")
        assert sorted(p.name for p in project.iterdir()) == ["b.txt", "tolmach.toml"]


def test_the_summary_says_what_was_done_with_the_credits(tmp_path, tiny_env):
    """With --credits label the summary said "1 photo credit kept as in the source" of a credit
    whose label it had translated («Фото: John Smith / AP»)."""
    from helpers import tolmach

    (tmp_path / "b.txt").write_text("Big news\n\nThe talks go on.\n\nPhoto: John Smith / AP\n\nJane Doe / Reuters\n",
                                    encoding="utf-8")
    said = {}
    for mode in ("keep", "label", "translate"):
        res = tolmach("translate-article", "b.txt", "--to", "ru", "-d", mode, "--no-memory", "--credits", mode,
                      cwd=tmp_path, env=tiny_env)
        assert res.exit_code == 0, res.output
        said[mode] = res.output.splitlines()[0]
    entries = {e.msgid: e.msgstr for e in load_catalog(tmp_path / "label/ru/LC_MESSAGES/b.po")}
    assert entries["Photo: John Smith / AP"] == "Фото: John Smith / AP"
    assert said["keep"].endswith("; 2 photo credits kept as in the source"), said
    assert said["label"].endswith("; 1 photo credit with the label translated; 1 photo credit kept as in the source")
    assert "photo credit" not in said["translate"] and "4 by machine translation" in said["translate"]
