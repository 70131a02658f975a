"""HTML articles: trafilatura finds the article, chrome is skipped with reasons, the page is rebuilt
in place with its attributes, links and scripts."""

from __future__ import annotations

import re

import pytest
from lxml import html as lhtml

from tolmach.build import build_document
from tolmach.catalog import init_catalog, load_catalog, save_catalog, template_for
from tolmach.engines.argos import ArgosEngine
from tolmach.formats.html import PHRASING_TAGS
from tolmach.segment import segment_text
from tolmach.translate import TranslateOptions, translate_catalogs

from helpers import assert_valid_po, tolmach

PARA = ("The Kremlin has been <a href=\"https://example.com/kremlin-statement?id=1&amp;lang=en\" "
        "class=\"ext\">watching the talks in Moscow</a> closely, and <strong>Russia</strong> said "
        "it would <em>not</em> send troops, a senior official told reporters on Thursday.")

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Russia May be Supplying the Taliban, U.S. General Says</title>
<script>window.dataLayer = [{{"page": "news"}}];</script>
<style>.share {{ color: red; }}</style>
</head>
<body>
<header class="site-header"><a href="/" class="logo">Daily News</a>
<nav><ul><li><a href="/world">World news from everywhere</a></li><li><a href="/politics">Politics and the elections</a></li>
<li><a href="/sport">Sport results and football scores</a></li></ul></nav></header>
<main>
<article class="story">
<h1>Russia May be Supplying the Taliban, U.S. General Says</h1>
<div class="share-bar"><a href="https://twitter.com/share">Share on Twitter</a>
<a href="https://facebook.com/share">Share this story on Facebook with friends</a></div>
<figure><img src="/img/general.jpg" alt="General">
<figcaption>General Curtis Scaparrotti speaks to NATO in Brussels. <span class="credit">Allauddin Khan / AP</span></figcaption></figure>
<p>{PARA}</p>
<p>A top U.S. general said on Thursday that Russia may be supplying the Taliban in Afghanistan with
weapons, a claim that Moscow has repeatedly denied in recent months.</p>
<h2>What NATO says about the Kremlin</h2>
<p>General Curtis Scaparrotti told the Senate that the <code>NATO-2024</code> plan had not changed,
and that Russia<sup>1</sup> was increasing its influence in the region around Afghanistan.</p>
<ul><li>Russia denies supplying weapons to the Taliban fighters.</li>
<li>NATO officials say that the evidence has been growing for a year.</li></ul>
<blockquote><p>We have seen Russia's influence increasing in the region, the general told the Senate.</p></blockquote>
<p>The Kremlin did not respond to a request for comment on Thursday evening.</p>
</article>
<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Moscow hosts peace talks with Taliban leaders again</a></li>
<li><a href="/b">NATO ministers meet in Brussels to discuss the budget</a></li></ul></aside>
<div class="newsletter-box"><p>Sign up for our daily newsletter and get the news first every morning.</p></div>
</main>
<footer><p>Copyright 2026 Daily News. All rights reserved worldwide.</p></footer>
<script src="/js/app.js"></script>
</body>
</html>
"""


def _article(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    return path, segment_text(PAGE, path=str(path), lang="en")


def test_units_are_the_article_and_chrome_is_skipped_with_reasons(tmp_path):
    _, art = _article(tmp_path)
    assert art.fmt == "html"
    units = [(b.kind, b.markup, b.text) for b in art.units]
    assert units[0] == ("title", "<title>", "Russia May be Supplying the Taliban, U.S. General Says")
    assert units[1] == ("title", "<h1>", "Russia May be Supplying the Taliban, U.S. General Says")
    kinds = [k for k, _, _ in units]
    assert kinds.count("credit") == 1 and ("credit", "<span>", "Allauddin Khan / AP") in units
    assert ("body", "<p>", PARA) in units
    assert ("heading", "<h2>", "What NATO says about the Kremlin") in units
    assert any(t.startswith("Russia denies supplying") for k, m, t in units if m == "<li>")
    assert any(t.startswith("We have seen") for k, m, t in units if m == "<p>")
    caption = next(t for k, m, t in units if m == "<figcaption>")
    assert caption == 'General Curtis Scaparrotti speaks to NATO in Brussels. <span class="credit">Allauddin Khan / AP</span>'
    skipped = {b.text: b.reason for b in art.skipped}
    assert skipped["World news from everywhere"] == "navigation"
    assert skipped["Share this story on Facebook with friends"] == "share buttons"
    assert skipped["Moscow hosts peace talks with Taliban leaders again"] == "related links"
    assert skipped["Sign up for our daily newsletter and get the news first every morning."] == "newsletter box"
    assert skipped["Copyright 2026 Daily News. All rights reserved worldwide."] == "page footer"
    assert not any("dataLayer" in b.text for b in art.blocks)
    assert all(b.line > 1 for b in art.blocks[1:])


def _translated(tmp_path, tiny_package):
    path, art = _article(tmp_path)
    po_path = tmp_path / "ru.po"
    save_catalog(init_catalog(template_for(art), "ru"), po_path)
    translate_catalogs([po_path], lambda s, t: ArgosEngine(tiny_package["en_ru_dir"], beam_size=1),
                       TranslateOptions())
    return path, po_path


def test_inline_tags_survive_and_the_page_is_rebuilt_in_place(tmp_path, tiny_package):
    path, po_path = _translated(tmp_path, tiny_package)
    assert_valid_po(po_path)
    po = load_catalog(po_path)
    entry = next(e for e in po if e.msgid == PARA)
    assert entry.msgstr == PARA.replace("The Kremlin", "The Кремль").replace("in Moscow", "in Москва").replace(
        "<strong>Russia</strong>", "<strong>Россия</strong>").replace("Thursday", "четверг")
    text, report = build_document(po, PAGE, "html")
    page = lhtml.document_fromstring(text)
    assert page.get("lang") == "ru"
    assert page.find(".//title").text == "Россия May be Supplying the Талибан, U.S. General Says"
    # every link of the page is still there, with its attributes
    links = [(a.get("href"), a.get("class")) for a in page.iter("a")]
    source = lhtml.document_fromstring(PAGE)
    assert links == [(a.get("href"), a.get("class")) for a in source.iter("a")]
    assert [s.get("src") for s in page.iter("script")] == [s.get("src") for s in source.iter("script")]
    assert "window.dataLayer" in text
    body = page.find(".//article")
    assert "Кремль" in body.text_content() and "<code>NATO-2024</code>" in text
    assert "Russia<sup>1</sup>" not in text and "Россия<sup>1</sup>" in text
    # chrome is left as it was
    assert "Share on Twitter" in text and "World news from everywhere" in text
    assert page.find(".//span[@class='credit']").text == "Allauddin Khan / AP"
    # the article alone, by option
    alone, _ = build_document(po, PAGE, "html", article_only=True)
    doc = lhtml.document_fromstring(alone)
    assert doc.find(".//article") is not None and doc.find(".//nav") is None
    assert doc.get("lang") == "ru"


def test_translate_article_and_build_html_through_the_cli(tmp_path, tiny_env):
    env = tiny_env  # both tiny models installed (conftest)
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    res = tolmach("extract", "page.html", cwd=tmp_path)
    assert res.exit_code == 0 and "paragraphs skipped as chrome" in res.output
    res = tolmach("translate-article", "page.html", "--to", "ru", "--no-glossary", cwd=tmp_path, env=env)
    assert res.exit_code == 0, res.output
    draft = (tmp_path / "locales/ru/page.html").read_text(encoding="utf-8")
    assert lhtml.document_fromstring(draft).get("lang") == "ru"
    res = tolmach("build", "locales/ru/LC_MESSAGES/page.po", "--article-only", cwd=tmp_path)
    assert res.exit_code == 0 and "<nav>" not in res.output and "<article" in res.output
    # and back to English
    res = tolmach("translate-article", "locales/ru/page.html", "--from", "ru", "--to", "en", "--no-glossary", cwd=tmp_path, env=env)
    assert res.exit_code == 0, res.output
    back = lhtml.document_fromstring((tmp_path / "locales/en/ru-page.html").read_text(encoding="utf-8"))
    assert back.get("lang") == "en"
    assert [a.get("href") for a in back.iter("a")] == [a.get("href") for a in lhtml.document_fromstring(PAGE).iter("a")]
    assert "<strong>Russia</strong>" in lhtml.tostring(back, encoding="unicode")


@pytest.mark.parametrize("bad", ["", "   \n"])
def test_an_empty_page_is_one_clear_error(tmp_path, bad):
    (tmp_path / "empty.html").write_text(bad, encoding="utf-8")
    res = tolmach("extract", "empty.html", cwd=tmp_path)
    assert res.exit_code == 2 and "empty.html" in res.output


def test_model_output_cannot_inject_markup_into_the_page(tmp_path):
    from tolmach.markup import HTML, protect, restore

    path, art = _article(tmp_path)
    po = init_catalog(template_for(art), "ru")
    for e in po:
        p = protect(e.msgid, HTML)
        words = p.plain.split()
        noisy = ["<script>alert(1)</script>" if i == 0 else "&amp; <b>" if i == 1 else w.upper()
                 for i, w in enumerate(words)]
        e.msgstr = restore(p, [p.plain], [" ".join(noisy)], [list(range(len(words)))]).text
    text, _ = build_document(po, PAGE, "html")
    page, source = lhtml.document_fromstring(text), lhtml.document_fromstring(PAGE)
    assert [s.text for s in page.iter("script")] == [s.text for s in source.iter("script")]
    assert [a.get("href") for a in page.iter("a")] == [a.get("href") for a in source.iter("a")]
    assert len(list(page.iter("b"))) == 0 and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_text_between_blocks_is_a_unit_and_the_page_keeps_its_shape():
    from tolmach.formats.html import html_blocks, rebuild_html
    from tolmach.segment import Rules

    page = ("<html><head><title>Town news</title></head><body><main><article>\n"
            "<h1>Council approves the new budget for the town</h1>\n"
            '<div class="post-body">The town council approved the new budget on Monday after a long debate '
            "that lasted for several hours.<br><br>\nMembers voted <b>seven to two</b> in favour of the plan."
            "<p>The mayor said the vote was a great day for the town and thanked the residents.</p>"
            "Closing words of the article come here after the paragraph and they are long enough.</div>\n"
            "</article></main></body></html>")
    doc, blocks = html_blocks(page, "en", Rules.from_config())
    texts = [(b.kind, b.markup, b.text) for b in blocks]
    assert ("title", "<h1>", "Council approves the new budget for the town") in texts
    assert ("body", "<div>", "The town council approved the new budget on Monday after a long debate that "
            "lasted for several hours.<br><br> Members voted <b>seven to two</b> in favour of the plan.") in texts
    assert ("body", "<div>", "Closing words of the article come here after the paragraph and they are long "
            "enough.") in texts
    out = rebuild_html(doc, {b.index: b.text.upper() for b in blocks}, "ru")
    assert not out.startswith("<!DOCTYPE") and "tolmach-run" not in out
    tree = lhtml.document_fromstring(out)
    div = tree.find(".//div")
    assert div.text.startswith("THE TOWN COUNCIL") and div.find("p").tail == "CLOSING WORDS OF THE ARTICLE COME HERE AFTER THE PARAGRAPH AND THEY ARE LONG ENOUGH."
    assert [e.tag for e in div] == ["br", "br", "b", "p"]


def test_a_page_in_windows_1251_is_read_as_it_declares_and_written_as_utf8(tmp_path):
    page = PAGE.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
    page = page.replace("Daily News</a>", "Ежедневные новости</a>")
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1251"))
    (tmp_path / "locales").mkdir()
    res = tolmach("extract", "page.html", "--from", "en", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    res = tolmach("init", "-l", "ru", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    res = tolmach("build", "locales/ru/LC_MESSAGES/page.po", "-o", "out.html", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    out = (tmp_path / "out.html").read_text(encoding="utf-8")
    assert "Ежедневные новости" in out and '<meta charset="utf-8">' in out and "windows-1251" not in out


def test_a_page_in_windows_1251_with_a_nul_byte_is_refused_in_one_line(tmp_path):
    """A NUL byte says the file is no text whatever its <meta> declares: refused as a UTF-8 page
    would be (the file's line named, exit 2, nothing written), not decoded into the catalog."""
    page = PAGE.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">')
    path = tmp_path / "page.html"
    data = page.encode("cp1251")
    cut = data.index(b"</p>")
    path.write_bytes(data[:cut] + b"\x00" + data[cut:])
    (tmp_path / "locales").mkdir()
    res = tolmach("extract", "page.html", "--from", "en", cwd=tmp_path)
    assert res.exit_code == 2, res.output
    line = data.count(b"\n", 0, cut) + 1
    assert res.output == f"tolmach: error: page.html:{line}: binary data (a NUL byte), expected an HTML page in windows-1251\n"
    assert "Traceback" not in res.output and list((tmp_path / "locales").iterdir()) == []


def test_the_body_class_of_a_blog_page_says_nothing_about_its_parts(tmp_path):
    page = PAGE.replace("<body>", '<body class="post-template single comments-open social-share">').replace(
        '<article class="story">', '<article class="story has-comments share-enabled">')
    art = segment_text(page, path=str(tmp_path / "p.html"), lang="en")
    assert ("body", "<p>", PARA) in [(b.kind, b.markup, b.text) for b in art.units]
    assert {b.text: b.reason for b in art.skipped}["World news from everywhere"] == "navigation"


# Paragraphs holding elements outside markup.INLINE_TAGS: the HTML standard's phrasing content
# and the obsolete inline tags pages still use.
INLINE_PARAS = (
    'More than 2,000 people were evacuated <script>loadAd("inline-1")</script> from their homes, '
    "the emergency ministry said.",
    'The regional governor <font color="red">Vasily Golubev</font> declared a state of emergency on Monday.',
    "Rescue teams <nobr>worked through</nobr> the night to reach the villages <tt>cut off</tt> by the water.",
    "Water rose <big>two metres</big> in <bdi>Kalach-on-Don</bdi>, where<wbr>residents <data value=\"1200\">"
    "1,200</data> in all had been warned.",
    "The dam, <ruby>Tsimlyansk<rt>ts</rt></ruby> reservoir, held <noscript>(see the map)</noscript> "
    'through the night <iframe src="/map.html"></iframe> officials said.',
    'The ministry published a map <svg width="10" height="10"><circle r="4"></circle></svg> of the '
    "flooded districts on its website.",
)
INLINE_PAGE = ("<!DOCTYPE html>\n<html><head><title>Floods in the Volgograd region</title></head><body>\n"
               '<header class="site-header"><a href="/" class="logo">Daily News</a></header>\n<main><article>\n'
               "<h1>Floods in the Volgograd region force thousands from their homes</h1>\n"
               + "".join(f"<p>{p}</p>\n" for p in INLINE_PARAS) + "</article></main></body></html>\n")


def test_an_inline_element_outside_the_inline_tags_stays_inside_its_paragraph(tmp_path):
    """<script>, <font>, <nobr>, <tt>, <bdi>, <ruby>, <svg>... inside a <p> are phrasing content:
    the paragraph is one unit that holds them as marks, nothing of it is reported as skipped, and
    the build puts the paragraph back whole (no words glued, the script as it was)."""
    art = segment_text(INLINE_PAGE, path=str(tmp_path / "floods.html"), lang="en")
    paras = [b for b in art.units if b.markup == "<p>"]
    # (a void element libxml2 does not know is closed in the msgid, so that it is read back as void)
    assert [b.text for b in paras] == [p.replace("<wbr>", "<wbr></wbr>") for p in INLINE_PARAS]
    assert [b.text for b in art.skipped] == ["Daily News"]
    po_path = tmp_path / "ru.po"
    save_catalog(init_catalog(template_for(art), "ru"), po_path)
    po = assert_valid_po(po_path)
    font = next(e for e in po if "Golubev" in e.msgid)
    font.msgstr = 'Губернатор <font color="red">Василий Голубев</font> в понедельник ввёл режим ЧС.'
    text, report = build_document(po, INLINE_PAGE, "html")
    page, source = lhtml.document_fromstring(text), lhtml.document_fromstring(INLINE_PAGE)
    ps = page.findall(".//p")
    assert len(ps) == len(INLINE_PARAS) and report.paragraphs == len(INLINE_PARAS) + 2
    assert ps[1].find("font").text == "Василий Голубев" and ps[1].find("font").get("color") == "red"
    for built, original in zip(ps[:1] + ps[2:], source.findall(".//p")[:1] + source.findall(".//p")[2:]):
        assert built.text_content() == original.text_content()
        assert [e.tag for e in built.iter()] == [e.tag for e in original.iter()]
    assert '<script>loadAd("inline-1")</script>' in text and "where<wbr>residents" in text and "</wbr>" not in text


# Elements of a paragraph that are no words of it: the model must see nothing of them
EMBEDDED = ('<script>loadAd("inline-1")</script>', "<noscript>(see the map)</noscript>",
            '<iframe src="/map.html"></iframe>', '<svg width="10" height="10"><circle r="4"></circle></svg>')


def test_a_script_or_an_svg_in_a_paragraph_is_no_text_for_the_model_and_comes_back_as_written(tmp_path,
                                                                                              tiny_package):
    """A <script> was a pair of tags around words the model translated (the bench model wrote
    `<script>погружение в "Адлин-1</script>"`), a <noscript>'s fallback text too, and an <svg> got
    a space inside it."""
    art = segment_text(INLINE_PAGE, path=str(tmp_path / "floods.html"), lang="en")
    sentences = [s for b in art.units for s in b.sentences]
    assert not any(w in s for s in sentences for w in ("loadAd", "inline-1", "see the map"))
    assert ("More than 2,000 people were evacuated from their homes, the emergency ministry said."
            in sentences)
    seen: list[str] = []

    class Recording(ArgosEngine):
        def translate_in_batches(self, batch, on_batch, progress=None):
            seen.extend(batch)
            return super().translate_in_batches(batch, on_batch, progress)

    po_path = tmp_path / "ru.po"
    save_catalog(init_catalog(template_for(art), "ru"), po_path)
    translate_catalogs([po_path], lambda s, t: Recording(tiny_package["en_ru_dir"], beam_size=1), TranslateOptions())
    assert seen and not any(w in s for s in seen for w in ("loadAd", "see the map", "<"))
    po = assert_valid_po(po_path)
    for element in EMBEDDED:  # in the draft as in the msgid, byte for byte
        entry = next(e for e in po if element in e.msgid)
        assert entry.msgstr.count(element) == 1, entry.msgstr
    text, _ = build_document(po, INLINE_PAGE, "html")
    built, source = lhtml.document_fromstring(text), lhtml.document_fromstring(INLINE_PAGE)
    for tag in ("script", "noscript", "iframe", "svg"):
        assert ([lhtml.tostring(e, encoding="unicode", with_tail=False) for e in built.iter(tag)]
                == [lhtml.tostring(e, encoding="unicode", with_tail=False) for e in source.iter(tag)])
    for element in EMBEDDED:
        assert element in text


@pytest.mark.parametrize("element", [*EMBEDDED, "<style>b{color:red}</style>", "<template><b>Hi</b></template>",
                                     "<math><mi>x</mi><mo>&lt;</mo><mn>2</mn></math>",
                                     '<video src="v.mp4" controls>Your browser cannot play it.</video>',
                                     '<audio src="a.mp3"></audio>', '<canvas id="c">No canvas.</canvas>',
                                     '<object data="m.swf"><param name="q" value="1">A map.</object>',
                                     "<select><option>One</option><option>Two</option></select>",
                                     "<textarea>Write here &amp; there</textarea>", '<input type="checkbox">'])
def test_an_embedded_element_is_an_atom_whatever_the_model_writes(element):
    from tolmach.markup import HTML, inventory, protect, restore

    unit = f"The ministry published a map {element} of the flooded districts."
    p = protect(unit, HTML)
    assert p.plain == "The ministry published a map of the flooded districts."
    assert [(a.kind, a.source) for a in p.atoms] == [("embedded", element)] and not p.spans
    for out, alignment in (("Министерство опубликовало карту затопленных районов.", [0, 1, 4, 7, 7]),
                           ("<b> & КАРТА </p> районов", None)):
        restored = restore(p, [p.plain], [out], [alignment])
        assert restored.text.count(element) == 1, restored.text
        assert inventory(restored.text, HTML) == inventory(unit, HTML)
    placed = restore(p, [p.plain], ["Министерство опубликовало карту затопленных районов."], [[0, 1, 4, 7, 7]])
    assert placed.text == f"Министерство опубликовало карту {element} затопленных районов." and placed.confident



_VOID = {"area", "br", "embed", "img", "input", "link", "meta", "param", "source", "track", "wbr"}


def _story(paragraph: str) -> str:
    return ("<html><head><title>Troops leave</title></head><body><main><article>\n"
            "<h1>Troops leave the northern province</h1>\n<p>The first paragraph of the story tells readers "
            "that the government in Kabul has confirmed a withdrawal of foreign troops.</p>\n"
            f"{paragraph}\n<p>The last paragraph of the story adds that the talks will resume next month "
            "in Doha, diplomats said.</p>\n</article></main></body></html>\n")


@pytest.mark.parametrize("tag", sorted(PHRASING_TAGS | {"my-byline"}))
def test_a_paragraph_holding_any_phrasing_element_is_a_unit(tmp_path, tag):
    """trafilatura deletes some elements with their text (<time>, <label>, <output>, <progress>,
    <button>...) and its parser lets a void element it does not know (<embed>, <source>, <track>)
    take the rest of the paragraph: the paragraph no longer matched its output and was skipped
    as "not part of the article", left in English without a word."""
    element = f'<{tag} class="x">' if tag in _VOID else f'<{tag} class="x">March 3</{tag}>'
    para = f"<p>The ceasefire that began on {element} has largely held, officials in Kabul told reporters on Thursday.</p>"
    art = segment_text(_story(para), path=str(tmp_path / "p.html"), lang="en")
    assert [b.text for b in art.skipped] == []
    unit = next(b for b in art.units if "ceasefire" in b.text)
    assert unit.kind == "body" and element in unit.text


def test_a_time_in_running_text_is_translated_with_its_paragraph(tmp_path):
    item = '<li>Talks begin on <time datetime="2017-04-14">April 14</time> in Doha.</li>'
    page = _story(f"<ul>{item}<li>Both delegations will arrive a day earlier, officials said.</li></ul>")
    art = segment_text(page, path=str(tmp_path / "p.html"), lang="en")
    unit = next(b for b in art.units if "Talks" in b.text)
    assert unit.sentences == ("Talks begin on April 14 in Doha.",)  # the model sees the date
    po_path = tmp_path / "ru.po"
    save_catalog(init_catalog(template_for(art), "ru"), po_path)
    po = load_catalog(po_path)
    entry = next(e for e in po if e.msgid == unit.text)
    entry.msgstr = 'Переговоры начнутся <time datetime="2017-04-14">14 апреля</time> в Дохе.'
    text, _ = build_document(po, page, "html")
    assert '<li>Переговоры начнутся <time datetime="2017-04-14">14 апреля</time> в Дохе.</li>' in text


def test_a_table_cell_is_never_page_chrome_or_a_credit(tmp_path):
    """<th>Share</th> of an election table was skipped as "share buttons" and left in English."""
    table = ("<table><caption>Read more</caption><tr><th>Party</th><th>Votes</th><th>Share</th></tr>"
             "<tr><td>Advertisement</td><td>9,700,000</td><td>Allauddin Khan / AP</td></tr></table>")
    art = segment_text(_story(table), path=str(tmp_path / "p.html"), lang="en")
    assert [b.text for b in art.skipped] == []
    kinds = {b.text: b.kind for b in art.units}
    assert all(kinds[t] == "body" for t in ("Read more", "Share", "Advertisement", "Allauddin Khan / AP"))

def test_a_paragraph_of_invisible_characters_is_no_unit(tmp_path):
    # regression: <p>&shy;</p> was a unit, which the model translated as «Вкусный»
    art = segment_text(_story("<p>&shy;</p>\n<p>&#8203;</p>"), path=str(tmp_path / "p.html"), lang="en")
    assert "\u00ad" not in "".join(b.text for b in art.units) and "\u200b" not in "".join(b.text for b in art.units)
    assert [(b.text, b.reason) for b in art.skipped] == [("\u00ad", "no words to translate"),
                                                         ("\u200b", "no words to translate")]
    assert len(art.units) == 4  # the <title>, the headline and the two paragraphs with words


WORDPRESS = """<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8"><title>Floods force thousands from their homes &#8211; Volga Herald</title></head>
<body class="post-template-default single single-post">
<div id="page">
{site_header}
<div id="content" class="post">
<header class="entry-header"><h1 class="entry-title">Floods force thousands from their homes</h1></header>
<div class="entry-content">
<p>More than 2,000 people were evacuated from their homes on Monday, the emergency ministry said in a statement.</p>
<p>Water levels on the Don rose by two metres overnight, and rescue teams worked through the night to reach villages.</p>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/news">Regional news</a></span></footer>
</div>
</div>
</body></html>
"""


@pytest.mark.parametrize("site_header", [
    '<header id="masthead" class="site-header"><p class="site-title"><a href="/" rel="home">Volga Herald</a></p>'
    '<nav><ul><li><a href="/news">Regional news</a></li></ul></nav></header>',
    '<header><h1><a href="/">Volga Herald</a></h1></header>',
    '<header role="banner"><h1>Volga Herald</h1></header>',
])
def test_the_headline_in_a_header_outside_any_article_element_is_translated(tmp_path, site_header):
    """WordPress without <article>/<main>: the entry's <header> with the <h1> before the body's div
    is the article's, so its headline is translated; the site's header (logo, navigation, a link
    home, role="banner") before it is still page chrome."""
    page = WORDPRESS.format(site_header=site_header)
    art = segment_text(page, path=str(tmp_path / "floods.html"), lang="en")
    assert ("title", "<h1>", "Floods force thousands from their homes") in [(b.kind, b.markup, b.text) for b in art.units]
    skipped = {b.text: b.reason for b in art.skipped}
    assert skipped["Volga Herald"] == "page header" and skipped["Posted in Regional news"] == "page footer"
    po_path = tmp_path / "ru.po"
    save_catalog(init_catalog(template_for(art), "ru"), po_path)
    po = assert_valid_po(po_path)
    next(e for e in po if e.msgid == "Floods force thousands from their homes").msgstr = "Наводнение выгнало тысячи людей из домов"
    text, _ = build_document(po, page, "html")
    built = lhtml.document_fromstring(text)
    assert built.find(".//h1[@class='entry-title']").text == "Наводнение выгнало тысячи людей из домов"
    assert built.find(".//header").text_content() == lhtml.document_fromstring(page).find(".//header").text_content()
    alone, _ = build_document(po, page, "html", article_only=True)
    assert "Наводнение выгнало тысячи людей из домов" in alone and "Volga Herald" not in alone.split("</title>")[1]


def test_build_omit_leaves_out_what_has_no_translation(tmp_path):
    """`build --untranslated omit` on a page: an untranslated paragraph, list item or text between
    blocks goes (it was kept in the source language); a table cell and the <title> are emptied,
    so the table keeps its columns; chrome and the translated units stay."""
    page = ("<!DOCTYPE html>\n<html><head><title>Floods in the Volgograd region</title></head><body>\n"
            '<nav><a href="/world">World news from everywhere</a></nav>\n<main><article>\n'
            "<h1>Floods in the Volgograd region force thousands from their homes</h1>\n"
            "<p>More than 2,000 people were evacuated from their homes, the emergency ministry said.</p>\n"
            "<p>Water levels on the Don rose by two metres overnight, officials in the region said.</p>\n"
            "<ul><li>Rescue teams worked through the night to reach the villages.</li>\n"
            "<li>Schools in three districts of the region were closed until Friday.</li></ul>\n"
            "<table><tr><th>District</th><th>People evacuated</th></tr><tr><td>Kalach-on-Don</td><td>1,200</td></tr></table>\n"
            "<div>The governor said the water would fall by the end of the week.<p>Officials said they "
            "would meet again on Tuesday to discuss the situation.</p></div>\n"
            "</article></main></body></html>\n")
    (tmp_path / "floods.html").write_text(page, encoding="utf-8")
    assert tolmach("extract", "floods.html", cwd=tmp_path).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=tmp_path).exit_code == 0
    po_path = tmp_path / "locales/ru/LC_MESSAGES/floods.po"
    po = load_catalog(po_path)
    done = {"More than 2,000 people were evacuated from their homes, the emergency ministry said.":
            "Более 2000 человек эвакуированы из домов, сообщило МЧС.",
            "Rescue teams worked through the night to reach the villages.": "Спасатели всю ночь пробивались к сёлам.",
            "District": "Район", "1,200": "1200",
            "Officials said they would meet again on Tuesday to discuss the situation.": "Чиновники встретятся во вторник."}
    for e in po:
        e.msgstr = done.get(e.msgid, "")
    save_catalog(po, po_path)
    assert_valid_po(po_path)
    res = tolmach("build", po_path, "--untranslated", "omit", "-o", "out.html", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert "12 paragraphs (5 reviewed, 0 machine drafts, 0 human drafts, 7 untranslated)" in res.output
    built = lhtml.document_fromstring((tmp_path / "out.html").read_text(encoding="utf-8"))
    assert built.find(".//title").text is None and built.find(".//h1") is None
    assert [p.text_content() for p in built.iter("p")] == [done[k] for k in done if k.startswith(("More", "Officials"))]
    assert [li.text_content() for li in built.iter("li")] == ["Спасатели всю ночь пробивались к сёлам."]
    assert [[c.text_content() for c in row] for row in built.iter("tr")] == [["Район", ""], ["", "1200"]]
    assert (built.find(".//div").text or "").strip() == "" and built.find(".//nav").text_content() == "World news from everywhere"
    # without the option, the page keeps the source of what is not translated
    res = tolmach("build", po_path, "-o", "source.html", cwd=tmp_path)
    kept = lhtml.document_fromstring((tmp_path / "source.html").read_text(encoding="utf-8"))
    assert len(list(kept.iter("p"))) == 3 and kept.find(".//h1") is not None


def test_a_credit_inside_a_translated_caption_gets_its_own_translation(tmp_path):
    """The caption and its credit are two units: both translations are in the built page (the
    credit's was written into the element the caption's translation had taken out of the page)."""
    path, art = _article(tmp_path)
    po = init_catalog(template_for(art), "ru")
    caption = next(e for e in po if e.msgid.startswith("General Curtis Scaparrotti speaks"))
    caption.msgstr = 'Генерал Кертис Скапаротти выступает в НАТО в Брюсселе. <span class="credit">Allauddin Khan / AP</span>'
    next(e for e in po if e.msgid == "Allauddin Khan / AP").msgstr = "Аллауддин Хан / AP"
    for missing in ("source", "omit"):
        text, _ = build_document(po, PAGE, "html", missing=missing)
        figcaption = lhtml.document_fromstring(text).find(".//figcaption")
        assert figcaption.text_content() == "Генерал Кертис Скапаротти выступает в НАТО в Брюсселе. Аллауддин Хан / AP"


TITLE_TEXT = "Code &lt;b&gt; tags, AT&T and <3 &copy readers"  # the <title>'s text, as a reader sees it
TITLE_PAGE = ("<!DOCTYPE html>\n<html><head><title>Code &amp;lt;b&amp;gt; tags, AT&amp;T and &lt;3 &amp;copy readers"
              "</title></head><body><main><article>\n<h1>Why the code of a page is escaped</h1>\n"
              "<p>More than 2,000 readers asked why the tags of a page are written as entities.</p>\n"
              "</article></main></body></html>\n")


def test_the_title_is_unescaped_once(tmp_path):
    """The <title>'s msgid is HTML like every unit's: escaped where HTML needs it (a bare & stays),
    read so by the markup protection, unescaped once by the build. With the empty catalog, with a
    translation and with --article-only, the built title is the text it was or was translated to
    (it was unescaped twice: "Code &lt;b&gt; tags" came out as "Code <b> tags")."""
    (tmp_path / "code.html").write_text(TITLE_PAGE, encoding="utf-8")
    assert tolmach("extract", "code.html", cwd=tmp_path).exit_code == 0
    assert tolmach("init", "-l", "ru", cwd=tmp_path).exit_code == 0
    po_path = tmp_path / "locales/ru/LC_MESSAGES/code.po"
    po = assert_valid_po(po_path)
    assert po[0].msgid == "Code &amp;lt;b&amp;gt; tags, AT&T and &lt;3 &amp;copy readers"
    for args in ((), ("--article-only",)):
        res = tolmach("build", po_path, *args, "-o", "out.html", cwd=tmp_path)
        assert res.exit_code == 0, res.output
        built = (tmp_path / "out.html").read_text(encoding="utf-8")
        assert lhtml.document_fromstring(built).find(".//title").text == TITLE_TEXT
    translated = "Код &lt;b&gt; тегов, AT&T и <3 &copy читателей"
    tsv = tmp_path / "mt.tsv"
    tsv.write_text(f"{TITLE_TEXT}\t{translated}\n", encoding="utf-8")
    res = tolmach("translate", po_path, "--engine", "recorded", "--recorded", tsv, "--recorded-missing", "skip",
                  "--no-memory", "--no-glossary", cwd=tmp_path)
    assert res.exit_code == 0, res.output
    assert_valid_po(po_path)
    res = tolmach("build", po_path, "-o", "out.html", cwd=tmp_path)
    assert lhtml.document_fromstring((tmp_path / "out.html").read_text(encoding="utf-8")).find(".//title").text == translated


def test_no_break_spaces_stay_in_the_msgid_and_the_page(tmp_path):
    """`2&nbsp;%` and `10&#8239;000` keep their no-break spaces in the msgid and in the built page,
    with the empty catalog as with a translation that has them; a `<p>&nbsp;</p>` spacer is still
    no unit."""
    page = ("<!DOCTYPE html>\n<html><head><title>Prices rose by 2&nbsp;% in March</title></head><body><main><article>\n"
            "<h1>Prices rose by 2&nbsp;% in March</h1>\n"
            "<p>Prices rose by 2&nbsp;% in March, and the fund   holds 10&#8239;000 <b>roubles</b>, officials said.</p>\n"
            "<p>&nbsp;</p>\n<p>The central bank said it would meet again on Friday to discuss the rate.</p>\n"
            "</article></main></body></html>\n")
    art = segment_text(page, path=str(tmp_path / "prices.html"), lang="en")
    assert [b.text for b in art.units] == [
        "Prices rose by 2\u00a0% in March", "Prices rose by 2\u00a0% in March",
        "Prices rose by 2\u00a0% in March, and the fund holds 10\u202f000 <b>roubles</b>, officials said.",
        "The central bank said it would meet again on Friday to discuss the rate."]
    po_path = tmp_path / "ru.po"
    save_catalog(init_catalog(template_for(art), "ru"), po_path)
    po = assert_valid_po(po_path)
    text, _ = build_document(po, page, "html")
    built, source = lhtml.document_fromstring(text), lhtml.document_fromstring(page)
    assert built.find(".//title").text == source.find(".//title").text == "Prices rose by 2\u00a0% in March"
    def collapsed(doc):  # the breaking spaces collapsed, as a unit has them
        return [re.sub(r"[ \n]+", " ", p.text_content()).strip() for p in doc.iter("p")]

    assert collapsed(built) == collapsed(source) and "10\u202f000" in collapsed(built)[0]
    po[2].msgstr = "Цены выросли на 2\u00a0%, в фонде 10\u202f000 <b>рублей</b>."
    text, _ = build_document(po, page, "html")
    assert lhtml.document_fromstring(text).find(".//p").text_content() == "Цены выросли на 2\u00a0%, в фонде 10\u202f000 рублей."


NBSP_PAGE = ("<!DOCTYPE html>\n<html><head><title>Prices in March</title></head><body><main><article>\n"
             "<h1>Prices rose by 2&nbsp;% in March</h1>\n"
             "<p>Prices rose by 2&nbsp;% in <b>Moscow</b>, and the fund holds 10&#8239;000 roubles, officials said.</p>\n"
             "</article></main></body></html>\n")


def test_the_model_gets_the_no_break_spaces_of_an_html_unit(tmp_path, tiny_package):
    """The markup protection made every no-break space of an HTML unit (a unit with a tag, or
    any unit: the title too) a space in the sentences for the model, where a plain-text article's
    sentences keep them; the marks are still placed by the alignment."""
    from tolmach.markup import HTML, protect, restore

    art = segment_text(NBSP_PAGE, path=str(tmp_path / "prices.html"), lang="en")
    assert [b.sentences for b in art.units] == [
        ("Prices in March",), ("Prices rose by 2\u00a0% in March",),
        ("Prices rose by 2\u00a0% in Moscow, and the fund holds 10\u202f000 roubles, officials said.",)]
    unit = art.units[2].text
    p = protect(unit, HTML)
    target = "Цены выросли на 2 % в Москве, а в фонде 10 000 рублей, сообщили чиновники."
    # (the model's words: "2" and "%" are two, as SentencePiece and the alignment count them)
    alignment = [0, 1, 2, 3, 4, 5, 6, 7, 5, 9, 11, 12, 13, 15, 14]
    placed = restore(p, [p.plain], [target], [alignment])
    assert placed.text == "Цены выросли на 2 % в <b>Москве</b>, а в фонде 10 000 рублей, сообщили чиновники."
    assert placed.confident
    # a Markdown unit's too (its text is made by the same code)
    assert protect("Prices rose by 2&nbsp;% in **March**,\n 10\u202f000 in all.").plain == (
        "Prices rose by 2\u00a0% in March, 10\u202f000 in all.")
    seen: list[str] = []

    class Recording(ArgosEngine):
        def translate_in_batches(self, batch, on_batch, progress=None):
            seen.extend(batch)
            return super().translate_in_batches(batch, on_batch, progress)

    po_path = tmp_path / "ru.po"
    save_catalog(init_catalog(template_for(art), "ru"), po_path)
    translate_catalogs([po_path], lambda s, t: Recording(tiny_package["en_ru_dir"], beam_size=1), TranslateOptions())
    assert sorted(seen) == sorted(s for b in art.units for s in b.sentences)
    entry = next(e for e in assert_valid_po(po_path) if "<b>" in e.msgid)
    assert "<b>Москва</b>" in entry.msgstr and "markup:" not in entry.comment, (entry.msgstr, entry.comment)


# --- property: whatever the model writes, an HTML unit keeps its tags, hrefs and code -------------

from hypothesis import given, settings, strategies as st  # noqa: E402

_W = st.sampled_from(["Russia", "talks", "the", "Kremlin", "said", "NATO", "a", "new"])
_NOISE = st.sampled_from(["<b>", "&", "</p>", "<script>x</script>", "*", "\"", "'", "&amp;"])


@st.composite
def _fragment(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["w", "w", "w", "a", "em", "strong", "code", "br", "sup"] if depth < 2 else ["w"]))
        if kind == "w":
            parts.append(draw(_W))
        elif kind == "a":
            parts.append(f'<a href="https://x.org/{draw(_W)}?a=1&amp;b=2" class="c">{draw(_fragment(depth + 1))}</a>')
        elif kind in ("em", "strong"):
            parts.append(f"<{kind}>{draw(_fragment(depth + 1))}</{kind}>")
        elif kind == "code":
            parts.append(f"<code>{draw(_W)}.py</code>")
        elif kind == "br":
            parts.append("<br>")
        else:
            parts.append("<sup>1</sup>")
    return " ".join(parts)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(fragment=_fragment(), data=st.data())
def test_any_model_output_keeps_the_tags_of_an_html_unit(fragment, data):
    from tolmach.markup import HTML, inventory, protect, restore

    p = protect(fragment, HTML)
    words = p.plain.split()
    out = [data.draw(_NOISE) if data.draw(st.integers(0, 3)) == 0 else w.upper() for w in words]
    out.reverse()
    alignment = [len(words) - 1 - j for j in range(len(out))] if data.draw(st.booleans()) else None
    restored = restore(p, [p.plain], [" ".join(out)], [alignment]).text
    source, target = inventory(fragment, HTML), inventory(restored, HTML)
    assert target["url"] == source["url"] and target["code"] == source["code"]
    root = lhtml.fragment_fromstring(restored, create_parent="div")
    assert sorted(e.tag for e in root.iter() if e is not root) == sorted(
        e.tag for e in lhtml.fragment_fromstring(fragment, create_parent="div").iter() if e.tag != "div")
