"""Draft confidence: scored by the real tiny CTranslate2 model, written as a translator comment
that survives msgcat/msgmerge, dropped when a person rewrites the draft, and the review queue."""

from __future__ import annotations

import json
import shutil
import subprocess

import polib
import pytest

from tolmach.catalog import init_catalog, load_catalog, save_catalog, template_for
from tolmach.confidence import assess, paragraph_confidence
from tolmach.devtools.tinymodel import build_tiny_package
from tolmach.engines.argos import ArgosEngine
from tolmach.engines.replay import ReplayEngine
from tolmach.glossary import Glossary, Term
from tolmach.notes import current_confidence, read_confidence, write_confidence
from tolmach.segment import segment_text
from tolmach.translate import TranslateOptions, translate_catalogs

from helpers import assert_valid_po, tolmach

DICTIONARY = {"General": "Генерал", "Scaparrotti": "Кузнецов", "told": "сказал", "NATO": "НАТО",
              "about": "об", "this": "этом", "Russia": "Россия"}
# the copy model writes "Генерал Кузнецов сказал НАТО об этом." for the first sentence
SENTENCES = [
    "General Scaparrotti told NATO about this.",
    "NATO told Russia about this.",
    "Russia told NATO about Scaparrotti.",
]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    folder = build_tiny_package(tmp_path_factory.mktemp("confidence"), dictionary=DICTIONARY)
    engine = ArgosEngine(folder, beam_size=2)
    yield engine
    engine.close()


def _catalog(tmp_path, paragraphs, name="a"):
    text = "\n\n".join(paragraphs)
    art = segment_text(text, lang="en", path=f"{name}.txt")
    path = tmp_path / f"{name}.po"
    save_catalog(init_catalog(template_for(art, f"{name}.txt"), "ru"), path)
    return path


def _entry(path, msgid):
    return next(e for e in load_catalog(path) if e.msgid == msgid)


def test_the_model_is_sure_of_its_own_output_and_not_of_other_words(model):
    out = model.translate(SENTENCES[:1])[0]
    assert out == "Генерал Кузнецов сказал НАТО об этом."
    own, edited = model.score(SENTENCES[:1] * 2, [out, "Генерал Кузнецов сказал НАТО об эхом."])
    assert own.words == ("Генерал", "Кузнецов", "сказал", "НАТО", "об", "этом.")
    assert max(own.word_log_probs) <= 0 and min(own.word_log_probs) > -0.01
    assert min(edited.word_log_probs) == edited.word_log_probs[-1] < -10
    scores = assess(model, ("en", "ru"), {SENTENCES[0]: out})
    edited_scores = assess(model, ("en", "ru"), {SENTENCES[0]: "Генерал Кузнецов сказал НАТО об эхом."})
    assert scores[SENTENCES[0]].score > edited_scores[SENTENCES[0]].score
    assert scores[SENTENCES[0]].unsure == ()
    assert [w for w, _ in edited_scores[SENTENCES[0]].unsure] == ["эхом"]


def test_paragraph_score_is_its_weakest_sentence():
    from tolmach.confidence import SentenceConfidence

    para = paragraph_confidence([SentenceConfidence(0.8, (("a", -3.0),)),
                                 SentenceConfidence(0.3, (("b", -9.0), ("c", -2.0)))])
    assert para.score == 0.3 and para.unsure == ("b", "a", "c")
    assert paragraph_confidence([SentenceConfidence(0.8), None]).score is None


def test_translate_writes_the_score_of_the_enforced_text(tmp_path, model):
    # the glossary replaces the model's «Кузнецов» by «Скапаротти»: the note scores what is written
    glossary = Glossary([Term("Scaparrotti", "Скапаротти", "person")])
    path = _catalog(tmp_path, ["NATO told Russia about this.", "Russia told NATO about Scaparrotti."])
    translate_catalogs([path], lambda s, t: model, TranslateOptions(glossary=glossary))
    assert_valid_po(path)
    sure = _entry(path, "NATO told Russia about this.")
    unsure = _entry(path, "Russia told NATO about Scaparrotti.")
    assert unsure.msgstr == "Россия сказал НАТО об Скапаротти."
    note_sure, note_unsure = current_confidence(sure), current_confidence(unsure)
    assert note_sure is not None and note_unsure is not None
    assert note_sure.unsure == () and note_unsure.unsure == ("Скапаротти",)
    assert note_unsure.score < note_sure.score
    # a translator comment, one line, in the form the README shows
    assert unsure.tcomment.startswith(f"tolmach: confidence {note_unsure.score:.2f}; unsure: «Скапаротти»; draft ")
    assert "\n" not in unsure.tcomment
    assert "#. " not in unsure.tcomment and "confidence" not in unsure.comment
    text = path.read_text(encoding="utf-8")
    assert f"# tolmach: confidence {note_unsure.score:.2f}; unsure: «Скапаротти»; draft" in text


def test_a_human_edit_drops_the_note_and_keeps_human_comments(tmp_path, model):
    path = _catalog(tmp_path, ["NATO told Russia about this.", "Russia told NATO about this."])
    translate_catalogs([path], lambda s, t: model, TranslateOptions())
    po = load_catalog(path)
    edited = next(e for e in po if e.msgid == "NATO told Russia about this.")
    untouched = next(e for e in po if e.msgid == "Russia told NATO about this.")
    assert current_confidence(edited) is not None
    # a translator rewrites the draft in Poedit and adds a comment of her own
    edited.msgstr = "НАТО рассказало России об этом."
    edited.tcomment = "проверить у редактора\n" + edited.tcomment
    # (and the article gains a paragraph: the next machine step has something to write; a step
    # that redoes the untouched draft to the same text writes nothing)
    po.append(polib.POEntry(msgid="Russia told NATO.", msgstr=""))
    save_catalog(po, path)
    po = load_catalog(path)
    edited = next(e for e in po if e.msgid == "NATO told Russia about this.")
    assert read_confidence(edited) is not None and current_confidence(edited) is None  # stale: not shown
    # so is a note of a draft whose paragraph changed since (update keeps the old msgstr, fuzzy)
    untouched_copy = polib.POEntry(msgid="Russia told NATO about it.", msgstr=untouched.msgstr,
                                   flags=["fuzzy"], tcomment=untouched.tcomment)
    assert current_confidence(untouched) is not None and current_confidence(untouched_copy) is None
    # the next machine step that writes the catalog removes the stale note, and only it
    translate_catalogs([path], lambda s, t: model, TranslateOptions(retranslate_fuzzy=True))
    po = load_catalog(path)
    edited = next(e for e in po if e.msgid == "NATO told Russia about this.")
    assert edited.msgstr == "НАТО рассказало России об этом."
    assert edited.tcomment == "проверить у редактора"
    assert current_confidence(next(e for e in po if e.msgid == untouched.msgid)) is not None
    assert_valid_po(path)


def test_a_regenerated_draft_gets_a_new_note(tmp_path, model):
    path = _catalog(tmp_path, ["NATO told Russia about this."])
    first = ReplayEngine({"NATO told Russia about this.": "НАТО сказал Россия об эхом."}, "en", "ru",
                         scorer=model)
    translate_catalogs([path], lambda s, t: first, TranslateOptions())
    before = current_confidence(_entry(path, "NATO told Russia about this."))
    assert before.unsure == ("эхом",)
    translate_catalogs([path], lambda s, t: model, TranslateOptions(retranslate_fuzzy=True))
    entry = _entry(path, "NATO told Russia about this.")
    after = current_confidence(entry)
    assert entry.msgstr == "НАТО сказал Россия об этом."
    assert after is not None and after.unsure == () and after.score > before.score
    assert entry.tcomment.count("tolmach: confidence") == 1


def test_an_engine_that_cannot_score_says_no_confidence(tmp_path):
    path = _catalog(tmp_path, ["NATO told Russia about this."])
    replay = ReplayEngine({"NATO told Russia about this.": "НАТО сообщило России об этом."}, "en", "ru")
    translate_catalogs([path], lambda s, t: replay, TranslateOptions())
    entry = _entry(path, "NATO told Russia about this.")
    assert entry.tcomment.startswith("tolmach: no confidence; draft ")
    note = current_confidence(entry)
    assert note is not None and note.score is None


def test_the_note_survives_msgcat_and_msgmerge(tmp_path, model):
    if not (shutil.which("msgcat") and shutil.which("msgmerge")):
        pytest.skip("GNU gettext (msgcat, msgmerge) not installed")
    path = _catalog(tmp_path, ["NATO told Russia about this.", "Russia told NATO about Scaparrotti."])
    glossary = Glossary([Term("Scaparrotti", "Скапаротти", "person")])
    translate_catalogs([path], lambda s, t: model, TranslateOptions(glossary=glossary))
    notes = {e.msgid: current_confidence(e) for e in load_catalog(path) if e.msgid}
    assert all(notes.values())
    pot = tmp_path / "a.pot"
    po = load_catalog(path)
    template = polib.POFile()
    template.metadata = dict(po.metadata)
    for e in po:
        if e.msgid:
            template.append(polib.POEntry(msgid=e.msgid, msgctxt=e.msgctxt, comment="from the template",
                                          occurrences=e.occurrences))
    template.save(str(pot))
    cat = tmp_path / "cat.po"
    merged = tmp_path / "merged.po"
    subprocess.run(["msgcat", "-o", str(cat), str(path)], check=True)
    subprocess.run(["msgmerge", "--quiet", "-o", str(merged), str(path), str(pot)], check=True)
    for out in (cat, merged):
        got = {e.msgid: current_confidence(e) for e in polib.pofile(str(out)) if e.msgid}
        assert got == notes, out.name
    # msgmerge did replace the extracted comments: the mt: line is gone, the note is not
    assert all("mt:" not in e.comment for e in polib.pofile(str(merged)) if e.msgid)


def test_write_confidence_keeps_the_line_short_enough_not_to_wrap():
    entry = polib.POEntry(msgid="x", msgstr="y", flags=["fuzzy"])
    write_confidence(entry, 0.12345, ["Превысокомногорассмотрительствующий", "ab", "cd", "ef", "gh"])
    assert len("# " + entry.tcomment) <= 78
    assert current_confidence(entry).score == 0.12
    # a wrapped note (another tool wraps comments) is still read
    entry.tcomment = "a person's note\n" + entry.tcomment.replace("; draft ", ";\ndraft ")
    assert current_confidence(entry).score == 0.12
    from tolmach.notes import human_comment

    assert human_comment(entry) == "a person's note"


def test_review_queue_lists_least_confident_first(tmp_path, model):
    recorded = SCORED_DRAFTS
    a, b = _scored_project(tmp_path, model)
    res = tolmach("review-queue", str(tmp_path), "--format", "json")
    assert res.exit_code == 0, res.output
    queue = json.loads(res.output)["drafts"]
    assert [d["source"] for d in queue] == [list(recorded)[i] for i in (2, 1, 0)]
    assert [d["path"] for d in queue] == [str(b), str(a), str(a)]
    scores = [d["confidence"] for d in queue]
    assert scores == sorted(scores) and scores[0] < scores[-1]
    assert queue[1]["unsure"] == ["эхом"]
    assert queue[0]["line"] == _entry(b, list(recorded)[2]).linenum
    text = tolmach("review-queue", str(tmp_path)).output
    lines = [ln for ln in text.splitlines() if ln.startswith(str(tmp_path))]
    assert lines[0].startswith(f"{b}:{queue[0]['line']}") and "«эхом»" in lines[1]
    cut = json.loads(tolmach("review-queue", str(tmp_path), "--format", "json", "--below",
                             str(scores[2]), "-n", "1").output)["drafts"]
    assert [d["source"] for d in cut] == [queue[0]["source"]]


def test_the_review_queue_of_a_locale_names_its_files_as_that_of_the_folder(tmp_path, model):
    folder = tmp_path / "locales" / "ru" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = _catalog(folder, list(SCORED_DRAFTS))
    translate_catalogs([po], lambda s, t: ReplayEngine(SCORED_DRAFTS, "en", "ru", scorer=model), TranslateOptions())
    by_folder = tolmach("review-queue", "locales", cwd=tmp_path).output
    assert by_folder.startswith("locales/ru/LC_MESSAGES/a.po:"), by_folder
    # a locale code, or nothing (the project's locales folder), as `check` without paths: the same
    assert tolmach("review-queue", "ru", cwd=tmp_path).output == by_folder
    assert tolmach("review-queue", cwd=tmp_path).output == by_folder
    check = tolmach("check", "--no-glossary", "--no-cache", "--min-confidence", "0.99", "--only", "confidence",
                    cwd=tmp_path)
    assert check.stdout.startswith("locales/ru/LC_MESSAGES/a.po:"), check.stdout


# three machine drafts of known, different confidence: sources -> the recorded MT output
SCORED_DRAFTS = {
    "NATO told Russia about this.": "НАТО сказал Россия об этом.",  # the model's own words
    "Russia told NATO about this.": "Россия сказал НАТО об эхом.",  # one odd word at the end
    "General Scaparrotti told NATO about this.": "Генерал Кузнецов рассказал НАТО об этом.",
}


def _scored_project(tmp_path, model):
    """Two catalogs: a holds the first two of SCORED_DRAFTS, b the third, translated and scored."""
    recorded = SCORED_DRAFTS
    a = _catalog(tmp_path, list(recorded)[:2], name="a")
    b = _catalog(tmp_path, list(recorded)[2:], name="b")
    replay = ReplayEngine(recorded, "en", "ru", scorer=model)
    translate_catalogs([a, b], lambda s, t: replay, TranslateOptions())
    return a, b


def test_check_min_confidence_warns_about_shaky_drafts(tmp_path, model):
    a, b = _scored_project(tmp_path, model)
    scores = sorted(current_confidence(e).score for p in (a, b) for e in load_catalog(p) if e.msgid)
    threshold = (scores[0] + scores[1]) / 2  # only the weakest draft is under it
    res = tolmach("check", "--no-glossary", "--fuzzy", "--min-confidence", str(threshold),
                  "--only", "confidence", "--format", "json", str(tmp_path))
    assert res.exit_code == 0, res.output  # a warning does not fail without --strict
    findings = json.loads(res.output)["findings"]
    assert [(f["check_id"], f["severity"], f["path"]) for f in findings] == [("confidence", "warning", str(b))]
    strict = tolmach("check", "--no-glossary", "--min-confidence", str(threshold), "--strict",
                     "--only", "confidence", str(tmp_path))
    assert strict.exit_code == 1 and "confidence" in strict.output
    # without a threshold the check says nothing
    quiet = tolmach("check", "--no-glossary", "--fuzzy", "--only", "confidence", "--format", "json", str(tmp_path))
    assert quiet.exit_code == 0 and json.loads(quiet.output)["findings"] == []


def test_configured_min_confidence_implies_fuzzy_as_the_option_does(tmp_path, model):
    a, b = _scored_project(tmp_path, model)
    scores = sorted(current_confidence(e).score for p in (a, b) for e in load_catalog(p) if e.msgid)
    threshold = (scores[0] + scores[1]) / 2
    (tmp_path / "tolmach.toml").write_text(f"[checks.confidence]\nmin_confidence = {threshold}\n")
    # the drafts are fuzzy: a threshold in the configuration checks them without --fuzzy, as
    # --min-confidence does (a CI gate set there must not pass silently)
    res = tolmach("check", "--no-glossary", "--no-cache", "--strict", "--format", "json", str(tmp_path))
    assert res.exit_code == 1, res.output
    report = json.loads(res.stdout)
    assert [(f["check_id"], f["path"]) for f in report["findings"] if f["check_id"] == "confidence"] == [
        ("confidence", str(b))]
    # switched off, the check implies nothing: fuzzy entries are left out again
    off = tolmach("check", "--no-glossary", "--no-cache", "--disable", "confidence", "--format", "json", str(tmp_path))
    assert off.exit_code == 0 and json.loads(off.stdout)["findings"] == []
    assert "3 fuzzy entries not checked" in off.stderr


def test_stats_shows_the_confidence_distribution_per_file(tmp_path, model):
    a, b = _scored_project(tmp_path, model)
    res = tolmach("stats", "--format", "json", str(tmp_path))
    assert res.exit_code == 0, res.output
    files = {f["path"]: f["confidence"] for f in json.loads(res.output)["files"]}
    assert files[str(a)]["drafts"] == 2 and files[str(b)]["drafts"] == 1
    assert files[str(b)]["min"] == min(current_confidence(e).score for e in load_catalog(b) if e.msgid)
    assert sum(files[str(a)][k] for k in ("low", "medium", "high")) == 2
    table = tolmach("stats", str(tmp_path)).output
    assert "Machine drafts by confidence" in table and f"{files[str(b)]['min']:.2f}" in table


def test_alternatives_of_a_low_confidence_sentence(tmp_path, model):
    glossary = Glossary([Term("Scaparrotti", "Скапаротти", "person")])
    path = _catalog(tmp_path, ["NATO told Russia about this.", "Russia told NATO about Scaparrotti."])
    translate_catalogs([path], lambda s, t: model, TranslateOptions(glossary=glossary, alternatives=2))
    assert_valid_po(path)
    weak = _entry(path, "Russia told NATO about Scaparrotti.")
    sure = _entry(path, "NATO told Russia about this.")
    alternatives = [ln for ln in weak.comment.splitlines() if ln.startswith("alternative: ")]
    assert len(alternatives) == 2, weak.comment + "\n" + str(weak.tcomment)
    assert all(a != "alternative: " + weak.msgstr for a in alternatives)
    assert all("Скапаротти" in a and "Кузнецов" not in a for a in alternatives), weak.comment  # glossary enforced
    assert "alternative: " not in sure.comment  # a confident draft gets none
    # regenerated without --alternatives: the old ones go with the old draft
    translate_catalogs([path], lambda s, t: model,
                       TranslateOptions(glossary=glossary, retranslate_fuzzy=True))
    assert "alternative: " not in _entry(path, "Russia told NATO about Scaparrotti.").comment


def test_alternatives_of_a_markdown_unit_keep_its_markup(tmp_path, model):
    from tolmach.markup import inventory

    glossary = Glossary([Term("Scaparrotti", "Скапаротти", "person")])
    text = "NATO told Russia about this. `Russia` told [NATO](https://www.nato.int/) *about* Scaparrotti.\n"
    path = tmp_path / "a.po"
    save_catalog(init_catalog(template_for(segment_text(text, lang="en", path="a.md"), "a.md"), "ru"), path)
    translate_catalogs([path], lambda s, t: model, TranslateOptions(glossary=glossary, alternatives=2))
    assert_valid_po(path)
    weak = _entry(path, text.strip())
    alternatives = [ln[len("alternative: "):] for ln in weak.comment.splitlines() if ln.startswith("alternative: ")]
    # (one of the two reads as the draft once its code span is back: it is not offered)
    assert alternatives and len(set(alternatives)) == len(alternatives), weak.comment
    # whole paragraphs a reviewer can copy: the link with its URL, the code span and the emphasis
    # are in each, put back as in the draft (around the words the engine aligned them to)
    assert inventory(weak.msgstr) == inventory(weak.msgid)
    for alt in alternatives:
        assert alt != weak.msgstr and "Скапаротти" in alt
        assert inventory(alt) == inventory(weak.msgid), alt
        assert "`Russia`" in alt and "[НАТО](https://www.nato.int/)" in alt, alt


class CountingEngine(ArgosEngine):
    """The real tiny engine, counting the sentences it is asked to score."""

    scored = 0

    def score(self, sources, targets):
        type(self).scored += len(sources)
        return super().score(sources, targets)


def test_scores_are_cached_with_the_translations(tmp_path, model):
    engine = CountingEngine(model.package_dir, beam_size=2)
    memory = tmp_path / "memory.sqlite"
    path = _catalog(tmp_path, ["NATO told Russia about this.", "Russia told NATO about this."])
    fresh = path.read_bytes()
    translate_catalogs([path], lambda s, t: engine, TranslateOptions(memory_path=memory))
    first = {e.msgid: current_confidence(e) for e in load_catalog(path) if e.msgid}
    assert CountingEngine.scored == 2
    path.write_bytes(fresh)  # the catalog reset: every sentence comes from the MT cache
    result = translate_catalogs([path], lambda s, t: engine, TranslateOptions(memory_path=memory))
    assert result.model_calls == 0 and CountingEngine.scored == 2  # nor was anything scored again
    assert {e.msgid: current_confidence(e) for e in load_catalog(path) if e.msgid} == first
    engine.close()
