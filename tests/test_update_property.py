"""Property: over any sequence of article edits, updates, machine runs and human reviews, a
reviewed (non-fuzzy) translation is never overwritten by a Tolmach command."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tolmach.catalog import init_catalog, load_catalog, save_catalog, template_for, update_catalog
from tolmach.engines.base import Engine, EngineInfo
from tolmach.segment import segment_text
from tolmach.translate import TranslateOptions, translate_catalogs

WORDS = "russia taliban general kremlin army senate agency group border support ties news".split()


class PrefixEngine(Engine):
    """A deterministic engine: 'MT(' + sentence + ')'."""

    info = EngineInfo("prefix", "test", "1", "en", "ru")

    def translate(self, sentences, progress=None):
        return [f"MT({s})" for s in sentences]


sentence = st.lists(st.sampled_from(WORDS), min_size=2, max_size=6).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
paragraph = st.lists(sentence, min_size=1, max_size=2).map(" ".join)
action = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 20), paragraph),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("edit"), st.integers(0, 20), st.sampled_from(WORDS)),
    st.tuples(st.just("review"), st.integers(0, 20), st.text("абвгд ", min_size=1, max_size=12)),
    st.tuples(st.just("translate")),
)


def _text(paragraphs):
    return "\n\n".join(paragraphs) if paragraphs else "Placeholder paragraph."


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.lists(paragraph, min_size=1, max_size=5), actions=st.lists(action, max_size=12))
def test_reviewed_translations_survive_every_command(tmp_path, start, actions):
    path = tmp_path / "a.po"
    paragraphs = list(start)
    art = segment_text(_text(paragraphs), lang="en", path="a.txt")
    save_catalog(init_catalog(template_for(art, "a.txt"), "ru"), path)
    reviewed: dict[str, str] = {}  # msgid -> the human translation

    for act in actions:
        kind = act[0]
        if kind == "insert":
            paragraphs.insert(act[1] % (len(paragraphs) + 1), act[2])
        elif kind == "delete" and paragraphs:
            paragraphs.pop(act[1] % len(paragraphs))
        elif kind == "edit" and paragraphs:
            i = act[1] % len(paragraphs)
            paragraphs[i] = paragraphs[i][:-1] + " " + act[2] + "."
        elif kind == "review":
            po = load_catalog(path)
            active = [e for e in po if not e.obsolete]
            if active:
                e = active[act[1] % len(active)]
                # the reviewer overwrites what the entry carried: an old reviewed translation that
                # moved here with an edited paragraph is theirs to replace
                others = {x.msgid for x in active if x is not e}
                for msgid in [k for k, v in reviewed.items() if v == e.msgstr and k not in others]:
                    del reviewed[msgid]
                e.msgstr = act[2]
                if "fuzzy" in e.flags:
                    e.flags.remove("fuzzy")
                e.previous_msgid = None
                reviewed[e.msgid] = act[2]
                save_catalog(po, path)
            continue
        elif kind == "translate":
            translate_catalogs([path], lambda s, t: PrefixEngine(), TranslateOptions())
            _assert_kept(load_catalog(path), reviewed)
            continue
        art = segment_text(_text(paragraphs), lang="en", path="a.txt")
        merged, _ = update_catalog(load_catalog(path), template_for(art, "a.txt"))
        save_catalog(merged, path)
        _assert_kept(load_catalog(path), reviewed)


def _assert_kept(po, reviewed):
    active = {e.msgid: e for e in po if not e.obsolete}
    all_targets = [e.msgstr for e in po]
    for msgid, target in reviewed.items():
        entry = active.get(msgid)
        if entry is not None and "fuzzy" not in entry.flags and entry.msgstr:
            # the same source: its reviewed translation, untouched (or a newer review of it)
            assert entry.msgstr == target
        else:
            # the paragraph changed or left: the translation is still there (fuzzy or obsolete)
            assert target in all_targets
    for e in po:
        if not e.obsolete and e.msgstr and "fuzzy" not in e.flags:
            # no machine step ever produces a non-fuzzy entry
            assert reviewed.get(e.msgid) == e.msgstr
