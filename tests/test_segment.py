import json

import pytest

from tolmach.segment import (
    BODY,
    CHROME,
    CREDIT,
    TITLE,
    SegmentReport,
    detect_language,
    segment_file,
    segment_text,
    split_sentences,
    unit_ids,
)

from helpers import SEED, assert_one_line_error, assert_valid_po, tolmach, tolmach_process


def test_seed_article_units_and_chrome():
    art = segment_file(SEED)
    kinds = [b.kind for b in art.blocks]
    assert art.lang == "en"
    assert kinds.count(BODY) == 9
    assert kinds.count(TITLE) == 1 and kinds.count(CREDIT) == 1
    assert kinds.count(CHROME) == 5
    title = next(b for b in art.blocks if b.kind == TITLE)
    assert title.text == "Russia May be Supplying Afghanistan's Taliban, U.S. General Says"
    credit = next(b for b in art.blocks if b.kind == CREDIT)
    assert credit.text == "Allauddin Khan / AP"
    skipped = {b.text[:25]: b.reason for b in art.skipped}
    assert skipped["Support The Moscow Times!"] == "donation appeal"
    assert skipped["Read more"] == "read-more link"
    appeal = [b for b in art.skipped if b.reason == "donation appeal"]
    assert len(appeal) == 4  # "Support..." + the closing 3-paragraph appeal
    assert [b.line for b in art.blocks if b.kind == BODY][0] == 7
    # nothing is lost: every paragraph of the input is a block
    assert len(art.blocks) == 16


def test_seed_sentences():
    art = segment_file(SEED)
    quote = next(b for b in art.blocks if b.text.startswith("“Of course"))
    assert len(quote.sentences) >= 3
    assert " ".join(quote.sentences) == quote.text
    reuters = next(b for b in art.blocks if "Reuters" in b.text)
    assert len(reuters.sentences) == 2


def test_russian_sentences_with_razdel():
    text = "В 2007 г. связи укрепились. Об этом сообщил т. н. источник. «Мы едины», — сказал он."
    assert detect_language(text) == "ru"
    assert split_sentences(text, "ru") == [
        "В 2007 г. связи укрепились.",
        "Об этом сообщил т. н. источник.",
        "«Мы едины», — сказал он.",
    ]


def test_markdown_headings_and_title():
    md = "# Главный заголовок\n\nПервый абзац. Второе предложение.\n\n## Подзаголовок\n\nЕщё абзац,\nна двух строках.\n"
    art = segment_text(md, path="a.md")
    assert art.fmt == "markdown" and art.lang == "ru"
    assert [(b.kind, b.markup) for b in art.blocks] == [
        ("title", "# "), ("body", ""), ("heading", "## "), ("body", ""),
    ]
    assert art.blocks[3].text == "Ещё абзац, на двух строках."
    assert art.blocks[3].line == 7


def test_ids_do_not_shift_when_a_paragraph_is_inserted():
    text = SEED.read_text(encoding="utf-8")
    before = SegmentReport.of(segment_text(text)).ids
    inserted = text.replace("A top U.S. General", "A brand new first paragraph.\n\nA top U.S. General")
    after_art = segment_text(inserted)
    after = SegmentReport.of(after_art).ids
    assert set(before.values()) <= set(after.values())
    assert len(after) == len(before) + 1


def test_repeated_paragraph_gets_distinct_ids():
    art = segment_text("Same text here.\n\nSame text here.\n\nOther text here.", lang="en")
    ids = unit_ids(art.units)
    assert len(set(ids)) == 3 and ids[1].endswith("#2")


def test_project_rules_from_tolmach_toml(tmp_path):
    (tmp_path / "tolmach.toml").write_text(
        '[segment]\nchrome = ["^Follow us on"]\ncredit = ["^Illustration by "]\n', encoding="utf-8"
    )
    art_path = tmp_path / "a.txt"
    art_path.write_text(
        "A headline\n\nIllustration by Jane Doe\n\nBody text here.\n\nFollow us on Telegram\n", encoding="utf-8"
    )
    res = tolmach("segment", art_path, "--format", "json", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    kinds = [(b["kind"], b["reason"]) for b in data["blocks"]]
    assert kinds == [
        ("title", "first paragraph, headline form"),
        ("credit", "photo credit"),
        ("body", ""),
        ("chrome", "project rule"),
    ]
    assert data["units"] == 3 and data["skipped"] == 1
    assert data["blocks"][2]["sentences"][0]["id"].startswith("body:")


def test_segment_cli_text_output():
    res = tolmach("segment", SEED)
    assert res.exit_code == 0
    assert "16 paragraphs, 11 units, 5 skipped" in res.output
    assert "skipped (read-more link): Read more" in res.output
    assert res.output.count("skipped (donation appeal)") == 4


@pytest.mark.parametrize(
    "content, needle",
    [
        (b"", "empty article"),
        (b"  \n\n \n", "empty article"),
        (b"\x00\x01\x02binary", "binary data"),
        ("Привет, мир".encode("cp1251"), "not valid UTF-8"),
    ],
)
def test_bad_articles_get_one_clear_line(tmp_path, content, needle):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    proc = tolmach_process("segment", bad)
    assert_one_line_error(proc, str(bad), needle)


def test_directory_and_missing_article(tmp_path):
    assert_one_line_error(tolmach_process("segment", tmp_path), "is a directory")
    assert_one_line_error(tolmach_process("extract", tmp_path / "nope.txt"), "nope.txt", "no such")


def test_huge_article_refused(tmp_path):
    huge = tmp_path / "huge.txt"
    huge.write_text(("word " * 200 + "\n\n") * 2100, encoding="utf-8")
    assert_one_line_error(tolmach_process("segment", huge), "article too large")


def test_markdown_lists_and_quotes_are_units_with_their_marks():
    md = ("# Title here\n\nIntro paragraph.\n\n- first point,\n  continued\n- second point\n\n"
          "1. numbered\n\n> A quote from him.\n")
    art = segment_text(md, path="a.md", lang="en")
    got = [(b.kind, b.markup, b.text) for b in art.blocks]
    assert got == [
        ("title", "# ", "Title here"),
        ("body", "", "Intro paragraph."),
        ("body", "- ", "first point, continued"),
        ("body", "- ", "second point"),
        ("body", "1. ", "numbered"),
        ("body", "> ", "A quote from him."),
    ]


def test_no_break_spaces_are_kept_in_units_sentences_and_the_build(tmp_path):
    """A no-break space (U+00A0, the narrow U+202F of «10 000», the figure space) is the writer's:
    it stays in the msgid, in the sentences for the model (an over-long one's pieces too) and in
    the built article; only breaking whitespace is collapsed (str.split() took them all)."""
    from tolmach.segment import split_overlong

    nbsp, narrow = "\u00a0", "\u202f"
    text = (f"Prices rose by 2{nbsp}% in March.   The fund holds 10{narrow}000 roubles,\n"
            f"officials said.\n\nСм.{nbsp}т.{nbsp}е. главу{nbsp}2.\n")
    art = segment_text(text, path=str(tmp_path / "prices.txt"), lang="en")
    assert [b.text for b in art.units] == [
        f"Prices rose by 2{nbsp}% in March. The fund holds 10{narrow}000 roubles, officials said.",
        f"См.{nbsp}т.{nbsp}е. главу{nbsp}2."]
    assert art.units[0].sentences == (f"Prices rose by 2{nbsp}% in March.", f"The fund holds 10{narrow}000 roubles, officials said.")
    long = " ".join([f"word{nbsp}{i}," for i in range(150)])
    pieces = split_overlong(long)
    assert len(pieces) == 2 and " ".join(pieces) == long
    (tmp_path / "prices.txt").write_text(text, encoding="utf-8")
    (tmp_path / "locales").mkdir()
    assert tolmach("extract", "prices.txt", "--from", "en", cwd=tmp_path).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=tmp_path).exit_code == 0
    po_path = tmp_path / "locales/ru/LC_MESSAGES/prices.po"
    po = assert_valid_po(po_path)
    assert [e.msgid for e in po] == [b.text for b in art.units]
    res = tolmach("build", po_path, "-o", "out.txt", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "\n\n".join(b.text for b in art.units) + "\n"


def test_a_paragraph_of_invisible_characters_is_no_unit(tmp_path):
    # regression: a soft hyphen alone became a unit the model translated as «Вкусный», published in
    # the built draft; a zero-width space alone a unit left with an empty msgstr and an "mt:" note
    text = ("Headline of the story here\n\nThe officials denied the reports on Friday.\n\n\u00ad\n\n\u200b\n\n"
            "\u2060\ufeff\n")
    art = segment_text(text, path=str(tmp_path / "s.txt"), lang="en")
    assert [b.text for b in art.units] == ["Headline of the story here", "The officials denied the reports on Friday."]
    assert [(b.text, b.reason) for b in art.skipped] == [
        ("\u00ad", "no words to translate"), ("\u200b", "no words to translate"),
        ("\u2060\ufeff", "no words to translate")]
    (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    res = tolmach("extract", "s.txt", cwd=tmp_path)
    assert res.exit_code == 0 and "s.pot: 2 units (3 paragraphs skipped as chrome)" in res.output, res.output
    pot = assert_valid_po(tmp_path / "locales/templates/s.pot")
    assert [e.msgid for e in pot] == [b.text for b in art.units]
