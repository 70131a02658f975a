"""Glossary check precision on real names (issue #11): each class of false alarm the held-out WMT
references showed, with examples of our own, and the errors that must still be caught beside them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tolmach.checks.base import CheckEntry
from tolmach.checks.glossary import GlossaryCheck
from tolmach.cli import main
from tolmach.glossary import Glossary, Term, load_glossary
from tolmach.glossary.lint import lint_paths
from tolmach.glossary.russian import all_forms

HEADER = "source,target,kind,note,forbidden,alternatives,case_sensitive,dnt,gender,indeclinable\n"


def P(source, target, kind="person", **kw):
    return Term(source, target, kind, **kw)


G = Glossary(
    [
        P("Macy's", "Macy's", "organisation", dnt=True, alternatives=("Мэйсис",)),
        P("Yahoo!", "Yahoo!", "organisation", dnt=True),
        P("AT&T", "AT&T", "organisation", dnt=True),
        P("Xi Jinping", "Си Цзиньпин"),
        P("Li Keqiang", "Ли Кэцян"),
        P("Kim Jong Un", "Ким Чен Ын"),
        P("Nguyen Phu Trong", "Нгуен Фу Чонг"),
        P("Yoon Suk Yeol", "Юн Сок Ёль"),
        P("Jules Verne", "Жюль Верн"),
        P("Jan Kowalski", "Ян Ковальский"),
        P("Nikola Pasic", "Никола Пашич"),
        P("Nikola Tesla", "Никола Тесла"),
        P("Jean-Luc Melenchon", "Жан-Люк Меланшон"),
        P("Pierre-Emerick Aubameyang", "Пьер-Эмерик Обамеянг"),
        P("Hillary Clinton", "Хиллари Клинтон"),
        P("Bill Clinton", "Билл Клинтон"),
        P("Julie Bertin", "Жюли Бертен", gender="femn"),
        P("Alex Morgan", "Алекс Морган", gender="both"),
        P("Marc Jacobs", "Марк Джейкобс", "organisation", indeclinable=("*",)),
        P("Maduro", "Мадуро"),
        P("Donald Trump", "Дональд Трамп"),
        P("UN", "ООН", "organisation"),
        P("Sterling", "Стерлинг"),
        P("Moscow", "Москва", "place"),
        P("Taliban", "«Талибан»", "organisation", alternatives=("талибы",)),
    ]
)


def issues(source, target):
    return [(i.kind, i.term.source) for i in G.check(source, target, "en", "ru")]


# --- Latin names with an apostrophe, a dot or an ampersand, kept in Latin -----------------------


@pytest.mark.parametrize(
    "source, target",
    [
        ("She shopped at Macy's.", "Она ходила за покупками в Macy's."),
        ("She shopped at Macy's.", "Она ходила за покупками в Macy’s."),
        ("a Yahoo! account", "учётная запись Yahoo!"),
        ("AT&T said", "AT&T сообщила"),
    ],
)
def test_latin_brand_names_with_punctuation_match(source, target):
    assert issues(source, target) == []


def test_a_latin_brand_name_torn_apart_is_still_an_error():
    assert issues("She shopped at Macy's.", "Она ходила в Macy s.") != []
    assert issues("AT&T said", "AT T сообщила") != []


# --- East Asian names: only the last part declines ----------------------------------------------


@pytest.mark.parametrize(
    "source, target",
    [
        ("He met Xi Jinping.", "Он встретился с Си Цзиньпином."),
        ("Li Keqiang said", "по словам Ли Кэцяна"),
        ("talks with Kim Jong Un", "переговоры с Ким Чен Ыном"),
        ("Kim Jong Un's sister", "сестра Ким Чен Ына"),
        ("Nguyen Phu Trong visited", "визит Нгуен Фу Чонга"),
        ("Yoon Suk Yeol said", "заявление Юн Сок Ёля"),
        ("Kim Jong Un said", "Ким Чен Ын заявил"),
    ],
)
def test_east_asian_names_decline_only_their_last_part(source, target):
    assert issues(source, target) == []


def test_east_asian_names_declined_in_every_part_are_errors_and_forms_are_sane():
    assert issues("talks with Kim Jong Un", "переговоры с Кимом Ченом Ыном") != []
    forms = {case: text for case, _, text in all_forms(G.russian.compiled(G.terms[5]).target, "person")}
    assert forms["gent"] == "Ким Чен Ына" and forms["ablt"] == "Ким Чен Ыном"


# --- first names: the analysis comes from the whole name ----------------------------------------


@pytest.mark.parametrize(
    "source, target",
    [
        ("Jules Verne wrote", "романы Жюля Верна"),
        ("Jules Verne wrote", "Жюль Верн написал"),
        ("Jan Kowalski wrote", "письмо Яна Ковальского"),
        ("Nikola Pasic said", "правительство Николы Пашича"),
        ("Nikola Tesla worked", "опыты Николы Теслы"),
        ("Nikola Tesla worked", "музей Николы Тесла"),  # a surname in -а is often left undeclined
    ],
)
def test_first_names_the_dictionary_misreads(source, target):
    assert issues(source, target) == []


def test_a_gender_column_decides_a_surname():
    assert issues("Julie Bertin said", "Жюли Бертен заявила") == []
    assert issues("Julie Bertin said", "слова Жюли Бертен") == []
    assert issues("Julie Bertin said", "слова Жюли Бертена") != []  # a woman's surname does not decline
    # "both": one entry for a man and a woman of that name, declined or not
    assert issues("Alex Morgan scored", "гол Алекс Морган") == []
    assert issues("Alex Morgan scored", "гол Алекса Моргана") == []


# --- hyphenated names decline their last part ----------------------------------------------------


def test_hyphenated_first_names_decline_their_last_part():
    assert issues("Jean-Luc Melenchon said", "по словам Жан-Люка Меланшона") == []
    assert issues("with Jean-Luc Melenchon", "с Жан-Люком Меланшоном") == []
    assert issues("Pierre-Emerick Aubameyang scored", "гол Пьер-Эмерика Обамеянга") == []
    assert issues("Jean-Luc Melenchon said", "по словам Жана-Люка Меланшона") != []


# --- indeclinable and gender marks ---------------------------------------------------------------


def test_foreign_womens_surnames_do_not_decline_mens_do():
    assert issues("Hillary Clinton said", "Хиллари Клинтон заявила") == []
    assert issues("Hillary Clinton said", "слова Хиллари Клинтон") == []
    assert issues("Hillary Clinton said", "слова Хиллари Клинтона") != []
    assert issues("Bill Clinton said", "слова Билла Клинтона") == []


def test_indeclinable_column_and_note(tmp_path):
    assert issues("at Marc Jacobs", "в компании Марк Джейкобс") == []
    assert issues("at Marc Jacobs", "в компании Марка Джейкобса") != []
    f = tmp_path / "g.csv"
    f.write_text(
        HEADER
        + "Sean Penn,Шон Пенн,person,,,,,,,Пенн\n"
        + "Ivan Kraus,Иван Краус,person,actor; indeclinable,,,,,,\n"
        + "Kraus Maffei,Краус Маффеи,organisation,,,,,,,yes\n"
        + "Kate Moss,Кейт Мосс,person,,,,,,f,\n",
        encoding="utf-8",
    )
    g = load_glossary(f)
    assert [t.indeclinable for t in g.terms] == [("пенн",), ("краус",), ("*",), ()]
    assert [t.gender for t in g.terms] == ["", "", "", "femn"]
    check = lambda s, t: [i.term.source for i in g.check(s, t, "en", "ru")]  # noqa: E731
    assert check("with Sean Penn", "с Шоном Пенн") == []
    assert check("with Sean Penn", "с Шоном Пенном") == ["Sean Penn"]
    assert check("Ivan Kraus said", "слова Ивана Краус") == []
    assert check("Ivan Kraus said", "слова Ивана Крауса") == ["Ivan Kraus"]
    assert check("Kate Moss said", "слова Кейт Мосс") == []
    assert check("Kate Moss said", "слова Кейт Мосса") == ["Kate Moss"]


# --- a neighbouring word is not a misspelling of the term ----------------------------------------


def test_a_neighbouring_word_next_to_a_correct_rendering_is_not_a_misspelling():
    assert issues("Maduro visited the island of Madura", "Мадуро посетил остров Мадура") == []
    # the source names the term twice, the translation renders it once correctly: the other is misspelt
    assert issues("Maduro met Maduro's brother", "Мадуро встретил брата Мадура") == [("wrong-form", "Maduro")]
    # the rest of a multi-word term beside it
    assert issues("Donald Trump and Trump", "Дональд Трамп и Дональда Трмпа") != []


# --- letter case ---------------------------------------------------------------------------------


def test_capitalised_english_terms_and_acronyms_keep_their_case():
    assert G.find("Kim Jong Un met Trump", "en")[0].term.source == "Donald Trump" or all(
        m.term.source != "UN" for m in G.find("Kim Jong Un met Trump", "en")
    )
    assert [m.term.source for m in G.find("He has a sterling record at the UN", "en")] == ["UN"]
    assert [m.text for m in G.find("STERLING SIGNS FOR CITY; Sterling's goal", "en")] == ["STERLING", "Sterling's"]
    # an entry that says otherwise
    loose = Glossary([P("Sterling", "Стерлинг", case_sensitive=False)])
    assert [m.text for m in loose.find("a sterling record", "en")] == ["sterling"]


def test_an_inner_capital_in_a_russian_word_is_a_case_error():
    assert issues("in Moscow", "в МОскве") == [("wrong-form", "Moscow")]
    assert issues("in Moscow", "В МОСКВЕ") == []
    assert issues("in Moscow", "в Москве") == []


# --- kinds: an open vocabulary ---------------------------------------------------------------------


def test_other_kinds_are_read_and_linted_not_refused(tmp_path):
    f = tmp_path / "kinds.csv"
    rows = [
        "Bank of Russia,Банк России,institution", "TASS,ТАСС,media", "Spartak,«Спартак»,sport",
        "World Cup,чемпионат мира,event", "Labour,лейбористы,political", "NATO troops,войска НАТО,military",
        "Kremlin,Кремль,building",
    ]  # fmt: skip
    f.write_text(HEADER + "".join(r + ",,,,,,,\n" for r in rows), encoding="utf-8")
    g = load_glossary(f)
    assert [t.kind for t in g.terms][:3] == ["organisation", "organisation", "organisation"]
    assert [t.label for t in g.terms][-1] == "building"
    assert g.check("the Bank of Russia said", "Банк России заявил", "en", "ru") == []
    warnings = [x for x in lint_paths(f) if x.code == "unknown-kind"]
    assert len(warnings) == 1 and "'building'" in warnings[0].message and warnings[0].severity == "warning"
    po = tmp_path / "a.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: ru\\n"\n\n'
        'msgid "the Bank of Russia said"\nmsgstr "Банк России заявил"\n',
        encoding="utf-8",
    )
    res = CliRunner().invoke(main, ["check", str(po), "--glossary", str(f)])
    assert res.exit_code == 0, res.output


def test_a_mans_surname_left_undeclined_after_his_declined_first_name_is_an_agreement_error():
    """pymorphy3's lexeme of the man's «Клинтон» also holds the woman's forms, undeclined in every
    case: «Билла Клинтон» and «Биллом Клинтон» passed, with a ``gender`` column of m or without."""
    g = Glossary([P("Bill Clinton", "Билл Клинтон", gender="masc"), P("Donald Trump", "Дональд Трамп"),
                  P("Hillary Clinton", "Хиллари Клинтон"), P("Clinton", "Клинтон", gender="both")])  # fmt: skip
    for source, target in (("Words of Bill Clinton.", "Слова Билла Клинтон."),
                           ("He met Bill Clinton.", "Он встретился с Биллом Клинтон."),
                           ("Words of Donald Trump.", "Слова Дональда Трамп.")):  # fmt: skip
        assert [i.kind for i in g.check(source, target, "en", "ru")] == ["agreement"], target
    for source, target in (("Words of Bill Clinton.", "Слова Билла Клинтона."),
                           ("He met Bill Clinton.", "Он встретился с Биллом Клинтоном."),
                           ("Words of Donald Trump.", "Слова Дональда Трампа."),
                           ("He met Hillary Clinton.", "Он встретился с Хиллари Клинтон."),
                           ("She met Clinton.", "Она встретилась с Клинтон."),
                           ("He met Clinton.", "Он встретился с Клинтоном.")):  # fmt: skip
        assert g.check(source, target, "en", "ru") == [], target


def test_a_persons_role_as_kind_is_matched_as_a_person(tmp_path):
    """"politician" was not a documented kind: matched as an organisation (capitalised target), it
    took the README's own correct «с Ким Чен Ыном» and «Нгуен Фу Чонга» for misspellings."""
    f = tmp_path / "people.csv"
    rows = ["Kim Jong Un,Ким Чен Ын,politician", "Nguyen Phu Trong,Нгуен Фу Чонг,leader",
            "Lionel Messi,Лионель Месси,footballer"]  # fmt: skip
    f.write_text(HEADER + "".join(r + ",,,,,,,\n" for r in rows), encoding="utf-8")
    g = load_glossary(f)
    assert [t.kind for t in g.terms] == ["person"] * 3 and [t.label for t in g.terms][0] == "politician"
    assert g.check("They met Kim Jong Un.", "Они встретились с Ким Чен Ыном.", "en", "ru") == []
    assert g.check("The words of Nguyen Phu Trong.", "Слова Нгуен Фу Чонга.", "en", "ru") == []
    assert g.check("A goal by Lionel Messi.", "Гол Лионеля Месси.", "en", "ru") == []
    assert g.check("The words of Nguyen Phu Trong.", "Слова Нгуена Фу Чонга.", "en", "ru")  # only the last part declines
    assert not [x for x in lint_paths(f) if x.code == "unknown-kind"]


# --- consistency is computed per direction -------------------------------------------------------


def test_consistency_compares_renderings_of_one_direction():
    check = GlossaryCheck(G)
    en_ru = CheckEntry("ru.po", 1, None, "Taliban fighters", "боевики «Талибана»", "en", "ru")
    ru_en = CheckEntry("en.po", 1, None, "боевики «Талибана»", "Taliban fighters", "ru", "en")
    for e in (en_ru, ru_en, en_ru):
        list(check.check(e))
    assert list(check.finish()) == []
    # within one direction, mixing the alternative is still reported
    list(check.check(CheckEntry("ru.po", 9, None, "Taliban fighters", "боевики талибов", "en", "ru")))
    assert [f.check_id for f in check.finish()] == ["glossary-consistency"]


SEED = Path(__file__).resolve().parents[1] / "glossaries"


def test_a_full_name_rendered_by_the_surname_alone():
    assert issues("President Donald Trump", "второй срок Трампу") == []
    assert issues("Donald Trump said", "Трамп заявил") == []
    # the given name there and not agreeing, or misspelt, is still an error
    assert issues("Donald Trump said", "слова Дональда Трампу") == [("agreement", "Donald Trump")]
    assert issues("Donald Trump said", "слова Донлда Трампа") != []
    assert issues("Jules Verne wrote", "романы Жуля Верна") != []


H = Glossary(
    [
        P("Mateusz Morawiecki", "Матеуш Моравецкий"),
        P("Jacinda Ardern", "Джасинда Ардерн"),
        P("France", "Франция", "place"),
        P("DeBerry", "Деберри"),
        P("Taliban", "«Талибан»", "organisation"),
        P("Serbia", "Сербия", "place"),
        P("NATO", "НАТО", "organisation"),
    ]
)


def h_issues(source, target):
    return [(i.kind, i.term.source) for i in H.check(source, target, "en", "ru")]


def test_more_name_classes_from_the_wmt22_references():
    # an adjectival surname after a first name declines as an adjective
    assert h_issues("talks with Mateusz Morawiecki", "переговоры с Матеушем Моравецким") == []
    # a woman's first name the dictionary lacks: her surname stays as written
    assert h_issues("called Jacinda Ardern", "назвала Джасинду Ардерн") == []
    # a region's name is not the country
    assert h_issues("the Hauts-de-France region", "регион О-де-Франс") == []
    # a capital after a transcribed prefix is a habit; two capitals in a row are a typo
    assert h_issues("DeBerry said", "ДеБерри сказал") == []
    assert h_issues("the Pakistani Taliban", "пакистанский ТАлибан") == [("wrong-form", "Taliban")]


def test_a_term_named_twice_and_rendered_once_with_a_near_word():
    source = "Much of western Serbia was dark as people in Serbia were told to save power."
    assert h_issues(source, "Большая часть западной Сербии осталась без света, жителей Сербии призвали экономить.") == []
    assert h_issues(source, "Большая часть западной Серии осталась без света, жителей Сербии призвали экономить.") == [
        ("wrong-form", "Serbia")
    ]
    assert h_issues("NATO will not expand; Ukraine's NATO hopes", "НТО не будет расширяться; мечты Украины о НАТО") != []


R = Glossary(
    [
        P("Kyiv", "Киев", "place"),
        P("Kiev", "Киев", "place"),
        P("Russia", "Россия", "place"),
        P("Russian", "Россия", "term", alternatives=("российский", "россиянин")),
        P("Moscow", "Москва", "place"),
        P("NATO", "НАТО", "organisation"),
        P("Olympics", "Олимпийские игры", "event"),
    ]
)


def r_issues(source, target):
    return [(i.kind, i.term.source) for i in R.check(source, target, "ru", "en")]


def test_ru_en_accepts_every_english_source_of_one_russian_target():
    assert r_issues("визит в Киев", "a visit to Kiev") == []
    assert r_issues("визит в Киев", "a visit to Kyiv") == []
    assert r_issues("президент России", "the Russian President") == []
    assert r_issues("38% россиян", "38% of Russians") == []
    assert r_issues("президент России", "the president") == [("missing", "Russia")]
    # a shared alternative makes entries variants of each other too
    g = Glossary([P("Britain", "Британия", "place", alternatives=("Великобритания",)), P("UK", "Великобритания", "place")])
    assert g.check("в Великобританию", "to the UK", "ru", "en") == []
    assert g.check("в Британию", "to the UK", "ru", "en") == []


def test_ru_en_a_misspelt_occurrence_beside_a_correct_one():
    source = "В Москве заявили, что Москва не уступит."
    assert r_issues(source, "Moscow said that Moscow would not give in.") == []
    assert r_issues(source, "Mosow said that Moscow would not give in.") == [("wrong-form", "Moscow")]
    assert r_issues("НАТО и НАТО", "NAATO and NATO") == [("wrong-form", "NATO")]
    # the singular beside the plural is not a misspelling
    assert r_issues("Олимпийские игры", "the Olympics and the Olympic venues") == []


def test_a_short_alternative_inside_a_broken_target_does_not_rescue_it():
    g = Glossary([P("European Union", "Европейский союз", "organisation", alternatives=("европейский", "Евросоюз"))])
    check = lambda t: [i.kind for i in g.check("the European Union", t, "en", "ru")]  # noqa: E731
    assert check("решение Европейского союза") == []
    assert check("решение Европейского союзу") == ["agreement"]
    assert check("европейское решение") == []


def test_a_first_name_the_dictionary_has_only_as_a_womans():
    g = Glossary([P("Emmanuel Macron", "Эммануэль Макрон"), P("Hillary Clinton", "Хиллари Клинтон")])
    check = lambda s, t: [i.term.source for i in g.check(s, t, "en", "ru")]  # noqa: E731
    assert check("met Emmanuel Macron", "встретился с Эммануэлем Макроном") == []
    assert check("met Emmanuel Macron", "встретился с Эммануэль Макрон") == []
    assert check("Hillary Clinton said", "слова Хиллари Клинтона") == ["Hillary Clinton"]


def test_a_real_word_misspelling_beside_a_longer_term_rendering_the_same_name():
    g = Glossary([P("Vladimir Putin", "Владимир Путин"), P("Putin", "Путин")])
    source = 'close links to Vladimir Putin, dubbed "Putin\'s chef"'
    assert g.check(source, "связи с Владимиром Путиным, «повар Путина»", "en", "ru") == []
    # «Путна» is a dictionary word; Putin is named twice (once inside the full name), rendered once
    assert [i.term.source for i in g.check(source, "связи с Владимиром Путиным, «повар Путна»", "en", "ru")] == ["Putin"]


def test_a_misspelt_term_before_a_term_named_inside_a_longer_one():
    g = Glossary([P("Kremlin", "Кремль", "organisation"), P("Vladimir Putin", "Владимир Путин"), P("Putin", "Путин")])
    source = "The Kremlin said Vladimir Putin would meet them; Putin's aides agreed."
    target = "В Кремлине сказали, что Владимир Путин встретится с ними; помощники Путина согласились."
    assert [i.term.source for i in g.check(source, target, "en", "ru")] == ["Kremlin"]


# --- Russian name grammar (Rosenthal): particles, Russian-type surnames --------------------------


def _g(*terms):
    g = Glossary(list(terms))
    return lambda s, t: [(i.kind, i.term.source) for i in g.check(s, t, "en", "ru")], g


def test_particles_of_a_name_never_decline():
    check, g = _g(
        P("Vasco da Gama", "Васко да Гама"),
        P("Charles de Gaulle", "Шарль де Голль"),
        P("Helmut von Moltke", "Хельмут фон Мольтке"),
        P("Rembrandt van Rijn", "Рембрандт ван Рейн"),
        P("Abdullah bin Zayed", "Абдалла бен Заид"),
        P("Marie von Ebner", "Мария фон дер Эбнер", gender="femn"),
    )
    assert check("the voyage of Vasco da Gama", "путь Васко да Гамы") == []
    assert check("under Charles de Gaulle", "при Шарле де Голле") == []
    assert check("with Helmut von Moltke", "с Хельмутом фон Мольтке") == []
    assert check("a painting by Rembrandt van Rijn", "картина Рембрандта ван Рейна") == []
    assert check("a visit by Abdullah bin Zayed", "визит Абдаллы бен Заида") == []
    assert check("the words of Marie von Ebner", "слова Марии фон дер Эбнер") == []
    # the surname alone, with its particles or without them
    assert check("Marie von Ebner said", "как сказала фон дер Эбнер") == []
    # a declined particle is an error
    assert check("a painting by Rembrandt van Rijn", "картина Рембрандта вана Рейна") != []
    assert check("a visit by Abdullah bin Zayed", "визит Абдаллы бена Заида") != []
    e = g.enforce("with Helmut von Moltke", "с Хельмутом фоном Мольтке", "en", "ru")
    assert e.text == "с Хельмутом фон Мольтке"
    e = g.enforce("talks with Marie von Ebner", "переговоры с Marie von Ebner", "en", "ru")
    assert e.text == "переговоры с Марией фон дер Эбнер" and e.enforced


def test_a_russian_type_womans_surname_the_dictionary_lacks_declines_like_an_adjective():
    check, g = _g(
        P("Liya Akhedzhakova", "Лия Ахеджакова"),
        P("Gulnara Shamsutdinova", "Гульнара Шамсутдинова"),
        P("Burmatova", "Бурматова", gender="femn"),
    )
    assert check("an interview with Liya Akhedzhakova", "интервью Лии Ахеджаковой") == []
    assert check("Gulnara Shamsutdinova was thanked", "благодарность Гульнаре Шамсутдиновой") == []
    assert check("they saw Liya Akhedzhakova", "они видели Лию Ахеджакову") == []
    assert check("with Gulnara Shamsutdinova", "с Гульнарой Шамсутдиновой") == []
    assert check("about Gulnara Shamsutdinova", "о Гульнаре Шамсутдиновой") == []
    assert check("Burmatova's bill", "законопроект Бурматовой") == []
    # the forms of a noun in -а are errors
    assert check("an interview with Liya Akhedzhakova", "интервью Лии Ахеджаковы") != []
    assert check("about Gulnara Shamsutdinova", "о Гульнаре Шамсутдинове") != []
    assert check("Burmatova's bill", "законопроект Бурматовы") != []
    e = g.enforce("with Gulnara Shamsutdinova", "с Gulnara Shamsutdinova", "en", "ru")
    assert e.text == "с Гульнарой Шамсутдиновой" and e.enforced
    e = g.enforce("about Gulnara Shamsutdinova", "о Gulnara Shamsutdinova", "en", "ru")
    assert e.text == "о Гульнаре Шамсутдиновой"


def test_both_parts_of_a_russian_double_surname_decline():
    check, g = _g(
        P("Ivan Sokolov-Mikitov", "Иван Соколов-Микитов"),
        P("Vasily Lebedev-Kumach", "Василий Лебедев-Кумач"),
        P("Vladimir Nemirovich-Danchenko", "Владимир Немирович-Данченко"),
        P("Yevdokiya Zhukova-Sibirtseva", "Евдокия Жукова-Сибирцева"),
        P("Jacob Rees-Mogg", "Джейкоб Рис-Могг"),
    )
    assert check("the stories of Ivan Sokolov-Mikitov", "рассказы Ивана Соколова-Микитова") == []
    assert check("songs by Vasily Lebedev-Kumach", "песни Василия Лебедева-Кумача") == []
    assert check("with Vasily Lebedev-Kumach", "с Василием Лебедевым-Кумачом") == []
    assert check("the theatre of Vladimir Nemirovich-Danchenko", "театр Владимира Немировича-Данченко") == []
    assert check("with Yevdokiya Zhukova-Sibirtseva", "с Евдокией Жуковой-Сибирцевой") == []
    # only the last part declined is an error now
    assert check("the stories of Ivan Sokolov-Mikitov", "рассказы Ивана Соколов-Микитова") != []
    assert check("with Yevdokiya Zhukova-Sibirtseva", "с Евдокией Жукова-Сибирцевой") != []
    # a double surname of another type declines its last part only, as a hyphenated first name does
    assert check("Jacob Rees-Mogg said", "слова Джейкоба Рис-Могга") == []
    assert check("Jacob Rees-Mogg said", "слова Джейкоба Риса-Могга") != []
    # RU→EN: the Russian form is found, so the English is checked
    assert [m.term.source for m in g.find("рассказы Ивана Соколова-Микитова", "ru")] == ["Ivan Sokolov-Mikitov"]
    assert g.check("рассказы Ивана Соколова-Микитова", "stories by Ivan Mikitov", "ru", "en") != []
    e = g.enforce("with Ivan Sokolov-Mikitov", "с Ivan Sokolov-Mikitov", "en", "ru")
    assert e.text == "с Иваном Соколовым-Микитовым" and e.enforced


def test_russian_surnames_in_ykh_and_ikh_never_decline():
    check, g = _g(
        P("Vladimir Dolgikh", "Владимир Долгих"),
        P("Pyotr Tolstykh", "Пётр Толстых"),
        P("Anna Sedykh", "Анна Седых"),
        P("Nicholas Roerich", "Николай Рерих"),
    )
    assert check("with Vladimir Dolgikh", "с Владимиром Долгих") == []
    assert check("a letter to Pyotr Tolstykh", "письмо Петру Толстых") == []
    assert check("with Anna Sedykh", "с Анной Седых") == []
    assert check("with Vladimir Dolgikh", "с Владимиром Долгихом") != []
    assert check("a letter to Pyotr Tolstykh", "письмо Петру Толстыху") != []
    # a foreign surname in -их declines
    assert check("paintings by Nicholas Roerich", "картины Николая Рериха") == []
    e = g.enforce("with Pyotr Tolstykh", "с Pyotr Tolstykh", "en", "ru")
    assert e.text == "с Петром Толстых" and e.enforced


def test_ru_en_a_source_naming_a_term_by_an_alternative():
    g = Glossary(
        [
            P("United Kingdom", "Соединённое Королевство", "country", alternatives=("Великобритания", "СК")),
            P("World Health Organization", "Всемирная организация здравоохранения", "organisation", alternatives=("ВОЗ",)),
            P("Norway", "Норвегия", "country", alternatives=("норвежский",)),
            P("Ebola", "Эбола", "term", alternatives=("лихорадка",)),
        ]
    )
    check = lambda s, t: [(i.kind, i.term.source) for i in g.check(s, t, "ru", "en")]  # noqa: E731
    # the English that corresponds to the alternative: the initials, a derived word
    assert check("Эксперты ВОЗ считают.", "WHO experts believe.") == []
    assert check("Эксперты ВОЗ считают.", "W.H.O. experts believe.") == []
    assert check("норвежский фонд", "the Norwegian fund") == []
    assert check("Эксперты ВОЗ считают.", "World Health Organization experts believe.") == []
    # still missing where none of them is there, and the target named needs the term itself
    assert check("Эксперты ВОЗ считают.", "Experts believe.") == [("missing", "World Health Organization")]
    assert check("Эксперты Всемирной организации здравоохранения считают.", "WHO experts believe.") == [
        ("missing", "World Health Organization")
    ]
    # enforcement agrees: the text is left alone, and a term the check still rejects is named
    e = g.enforce("Эксперты ВОЗ считают.", "WHO experts believe.", "ru", "en")
    assert e.text == "WHO experts believe." and not e.needs_review
    e = g.enforce("Вспышка лихорадки.", "An outbreak of fever.", "ru", "en")
    assert e.text == "An outbreak of fever." and [t.source for t in e.unplaced] == ["Ebola"]
    assert check("Вспышка лихорадки.", "An outbreak of fever.") == [("missing", "Ebola")]
