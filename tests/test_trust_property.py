"""Property: whatever sequence of machine and human steps runs over a project, no msgstr a person
wrote is ever changed or lost — not from the catalog, not from the translation memory (issue 9).

Steps: machine translate, retranslate-fuzzy, a human edit of a fuzzy draft, a human review, an
article edit, update, and a concurrent save by another process while translate writes. Real
catalogs, the tiny real CTranslate2 model, a real saver process, the real SQLite memory.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tolmach.catalog import load_catalog, save_catalog
from tolmach.memory import TranslationMemory

from helpers import assert_valid_po, tolmach
from test_trust import _SAVER

PARAGRAPHS = [
    "Russia and NATO talk",
    "The Kremlin said Moscow would reply on Thursday.",
    "Russia denies the claims. NATO disagrees.",
    "Moscow and the Kremlin will talk to NATO again in May.",
    "NATO said Russia and the Kremlin had not replied.",
]

STEPS = ("translate", "retranslate", "edit", "review", "article", "update", "concurrent")


class Project:
    def __init__(self, root: Path, env: dict):
        self.root, self.env = root, env
        self.article = root / "story.txt"
        self.po = root / "locales/ru/LC_MESSAGES/story.po"
        self.paragraphs = list(PARAGRAPHS)
        self.human: set[str] = set()  # every msgstr a person wrote (or approved) and has not replaced
        self.reviewed: dict[str, str] = {}  # source -> the translation a person last reviewed
        self.unsynced: dict[str, str] = {}  # reviews made since the memory was last synced
        self.counter = 0
        self.write_article()
        res = tolmach("translate-article", self.article, "--to", "ru", "--no-glossary", cwd=root, env=env)
        assert res.exit_code == 0, res.output

    def write_article(self) -> None:
        self.article.write_text("\n\n".join(self.paragraphs) + "\n", encoding="utf-8")

    def cli(self, *args) -> None:
        res = tolmach(*args, cwd=self.root, env=self.env)
        assert res.exit_code == 0, res.output

    def human_text(self, kind: str) -> str:
        self.counter += 1
        return f"{kind} переводчика номер {self.counter}."

    def live(self, predicate):
        return [e for e in load_catalog(self.po) if not e.obsolete and e.msgid and predicate(e)]

    # -- steps ----------------------------------------------------------------------------------

    def translate(self, retranslate: bool = False) -> None:
        self.cli("translate", self.po, "--no-glossary", *(["--retranslate-fuzzy"] if retranslate else []))

    def edit(self, pick: int) -> None:
        drafts = self.live(lambda e: e.fuzzy and e.msgstr)
        if drafts:
            self._human_write(drafts[pick % len(drafts)].msgctxt, self.human_text("Правка"), fuzzy=True)

    def review(self, pick: int, rewrite: bool) -> None:
        candidates = self.live(lambda e: e.msgstr)
        if not candidates:
            return
        entry = candidates[pick % len(candidates)]
        self._human_write(entry.msgctxt, self.human_text("Рецензия") if rewrite else entry.msgstr, fuzzy=False)

    def _human_write(self, msgctxt: str, text: str, fuzzy: bool) -> None:
        po = load_catalog(self.po)
        entry = next(e for e in po if e.msgctxt == msgctxt and not e.obsolete)
        self.human.discard(entry.msgstr)  # the person replaces their own earlier text, if it was
        entry.msgstr = text
        if fuzzy and "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        if not fuzzy:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            self.unsynced[entry.msgid] = text
        self.human.add(text)
        save_catalog(po, self.po)

    def edit_article(self, pick: int, how: int) -> None:
        i = pick % len(self.paragraphs)
        if how == 0:
            self.paragraphs[i] = self.paragraphs[i].rstrip(".") + " today."
        elif how == 1:
            self.paragraphs.insert(i, f"A new paragraph number {self.counter} about Russia.")
            self.counter += 1
        elif len(self.paragraphs) > 2:
            del self.paragraphs[i]
        self.write_article()

    def update(self) -> None:
        self.cli("update", "-d", "locales")

    def concurrent(self, pick: int) -> None:
        """translate runs while the translator's editor saves a review of one entry."""
        po = load_catalog(self.po)
        live = [e for e in po if not e.obsolete and e.msgid]
        entry = live[pick % len(live)]
        self.human.discard(entry.msgstr)
        text = self.human_text("Сохранение")
        entry.msgstr, entry.flags = text, []
        theirs = self.root / "theirs.po"
        save_catalog(po, theirs)
        ready = self.root / "ready"
        ready.unlink(missing_ok=True)
        script = self.root / "saver.py"
        script.write_text(_SAVER.replace("+ 60", "+ 5"), encoding="utf-8")
        saver = subprocess.Popen([sys.executable, str(script), str(self.po), str(theirs), str(ready)])
        while not ready.exists():
            time.sleep(0.001)
        try:
            self.translate()
        finally:
            saved = saver.wait(timeout=30) == 0
        if not saved:
            # translate had nothing to write, so the editor never saw it write: save now
            theirs.replace(self.po)
        self.human.add(text)
        # saved after this run's memory sync: the next run must take it
        return {entry.msgid: text}

    # -- the property ---------------------------------------------------------------------------------

    def check(self, memory_synced: bool) -> None:
        po = assert_valid_po(self.po)
        texts = {e.msgstr for e in po}
        lost = self.human - texts
        assert not lost, f"human text lost from the catalog: {lost}"
        if memory_synced:
            self.reviewed.update(self.unsynced)
            self.unsynced.clear()
            with TranslationMemory(self.root / ".tolmach/memory.sqlite") as tm:
                for source, target in self.reviewed.items():
                    assert tm.exact(source, "en", "ru") == target, (source, target)


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(STEPS), st.integers(0, 50), st.integers(0, 2)),
                min_size=4, max_size=9))
def test_no_human_text_is_ever_lost(tiny_env, steps):
    with tempfile.TemporaryDirectory() as folder:
        project = Project(Path(folder), tiny_env)
        for step, pick, how in steps:
            synced = step in ("translate", "retranslate", "update", "concurrent")
            if step == "translate":
                project.translate()
            elif step == "retranslate":
                project.translate(retranslate=True)
            elif step == "edit":
                project.edit(pick)
            elif step == "review":
                project.review(pick, rewrite=bool(how))
            elif step == "article":
                project.edit_article(pick, how)
            elif step == "update":
                project.update()
            else:
                late = project.concurrent(pick)
            project.check(memory_synced=synced)
            if step == "concurrent":
                project.unsynced.update(late)
