"""Catalogs: an article's units as gettext PO/POT files, read and written with polib.

* :func:`template_for` turns a segmented :class:`~tolmach.segment.Article` into a POT: one entry per
  paragraph, ``msgctxt`` = the unit id (kind + text hash, see :func:`tolmach.segment.unit_id`), a
  ``#:`` reference to the article file and line, ``#.`` comments saying what the unit is.
* :func:`init_catalog` makes a locale's PO from a template, with babel's plural forms.
* :func:`update_catalog` merges a new template into a PO the way msgmerge does, but never loses a
  reviewed translation (see its docstring).
* :func:`load_catalog` / :func:`save_catalog` read and write atomically, with errors naming the file;
  files are written exactly as GNU gettext writes them (:mod:`tolmach.pofile`), in the charset,
  the wrapping style and the line ends (CRLF or LF) the file had (in UTF-8 where its charset
  cannot encode the new text).
* :func:`touch_revision` stamps ``PO-Revision-Date`` and ``X-Generator`` when translations change.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

import polib

from . import __version__
from .errors import TolmachError
from .fsutil import ConcurrentChange, atomic_path, not_found, refuse_binary, unique_files
from .notes import UNIT as UNIT_COMMENT
from .notes import ENGINE_NOT_RECORDED, MachineNote, current_confidence, format_notes, human_comment, read_notes
from .pofile import detect_no_wrap, format_catalog, restore_obsolete_previous
from .potext import CHARSET_FIELD, PLACEHOLDER_CHARSET, SOURCE_LANG_HEADER, is_utf8, languages, unescape
from .potext import space_comment_marks
from .potext import decode as _decode
from .segment import Article, spacing_key, unit_ids
from .state import EntryState, entry_state, has_translation
from .state import nplurals as header_nplurals

WRAP_WIDTH = 79  # what Poedit and msgmerge use; a POFile with wrapwidth 0 is written unwrapped
GENERATOR = f"Tolmach {__version__}"

LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}


def slugify(path: str | Path) -> str:
    return _slug_text(Path(path).stem)


def _slug_text(text: str) -> str:
    slug = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return slug or "article"


# GNU gettext (0.20+) writes a file name that contains spaces between these two marks
# (FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE) in ``#:`` lines, so it stays one reference.
_FSI, _PDI = "\u2068", "\u2069"


def quote_reference(path: str) -> str:
    return f"{_FSI}{path}{_PDI}" if any(c.isspace() for c in path) else path


# A line break (or another control character: polib splits lines at some of them too) in a
# ``#:`` reference cuts the comment line in two, and the rest is read as a PO keyword: msgcat and
# Tolmach refuse the file. GNU gettext has no escape for it (xgettext writes the name as it is).
_UNWRITABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _visible(text: str) -> str:
    return _UNWRITABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def refuse_unwritable_reference(name: str, what: str, path: str | Path | None = None,
                                line: int | None = None) -> None:
    """A TolmachError when ``name`` (an article's path or a record id, ``what`` it is) cannot be a
    ``#:`` reference. Named by ``path`` (and ``line``), else by ``name`` shown with its escapes."""
    if _UNWRITABLE.search(name):
        if path is None:
            path = _visible(name)
        else:
            what = f"{what} '{_visible(name)}'"
        raise TolmachError(f"{what} has a line break or another control character, which a PO file's "
                           "`#:` reference cannot hold; rename it", path, line)


def unquote_reference(ref: str) -> str:
    return ref[1:-1] if ref.startswith(_FSI) and ref.endswith(_PDI) else ref


def _join_quoted_references(po: polib.POFile) -> None:
    """polib splits ``#:`` lines at spaces; put a quoted file name back together."""
    for entry in po:
        occ = entry.occurrences
        if not any(_FSI in name for name, _ in occ):
            continue
        joined: list[tuple[str, str]] = []
        parts: list[str] | None = None
        for name, line in occ:
            text = f"{name}:{line}" if line else name
            if parts is None and name.startswith(_FSI) and not (_PDI in text):
                parts = [text]
                continue
            if parts is not None:
                parts.append(text)
                if _PDI not in text:
                    continue
                text, parts = " ".join(parts), None
            head, sep, tail = text.rpartition(":")
            name, line = (head, tail) if sep and tail.isdigit() else (text, "")
            joined.append((unquote_reference(name), line))
        entry.occurrences = joined


def template_reference(pot_path: Path) -> str | None:
    """The article file a template was extracted from (its first ``#:`` reference)."""
    for entry in load_catalog(pot_path):
        for name, _ in entry.occurrences:
            return name
    return None


def _same_article(stored: str, reference: str) -> bool:
    if stored == reference:
        return True
    a, b = Path(stored), Path(reference)
    if a.exists() and b.exists():
        return a.resolve() == b.resolve()
    # extracted from another working folder: the same file name in a folder of the same name
    return a.name == b.name and a.parent.name == b.parent.name


def article_slug(locales: str | Path, reference: str, taken: dict[str, str] | None = None) -> str:
    """The catalog name of the article at ``reference``: unique in ``locales``.

    ``a/story.txt`` is ``story``; a second ``b/story.txt`` becomes ``b-story`` (then, should that
    be taken too, a name with a hash of the path), so that it never takes over another article's
    catalog. An article keeps the name its template already has. ``taken``: slug -> reference
    assigned earlier in the same run (not on disk yet).
    """
    taken = taken if taken is not None else {}
    path = Path(reference)
    digest = hashlib.blake2b(reference.encode(), digest_size=3).hexdigest()
    base = slugify(path)
    candidates = list(dict.fromkeys([base, _slug_text(f"{path.parent.name}-{path.stem}"), f"{base}-{digest}"]))
    owners: dict[str, str | None] = {}
    for slug in candidates:
        if slug in taken:
            owners[slug] = taken[slug]
        else:
            pot = template_path(locales, slug)
            owners[slug] = template_reference(pot) if pot.exists() else None
            if pot.exists() and owners[slug] is None:
                owners[slug] = ""  # an empty template: somebody's, not ours
    for slug in candidates:
        if owners[slug] is not None and _same_article(owners[slug], reference):
            return slug
    for slug in candidates:
        if owners[slug] is None:
            taken[slug] = reference
            return slug
    raise TolmachError(f"no free catalog name for {reference} (tried {', '.join(candidates)})", reference)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


def template_path(locales: str | Path, slug: str) -> Path:
    return Path(locales) / "templates" / f"{slug}.pot"


def catalog_path(locales: str | Path, lang: str, slug: str) -> Path:
    return Path(locales) / lang / "LC_MESSAGES" / f"{slug}.po"


def _new_file(metadata: dict[str, str], wrapwidth: int = WRAP_WIDTH) -> polib.POFile:
    po = polib.POFile(wrapwidth=wrapwidth)
    po.metadata = metadata
    return po


def _ordered(metadata: dict[str, str]) -> dict[str, str]:
    """A new header's fields in the order xgettext/msginit write them (the rest sorted)."""
    po = polib.POFile()
    po.metadata = dict(metadata)
    return dict(po.ordered_metadata())


def _with_field(metadata: dict[str, str], key: str, value: str) -> dict[str, str]:
    """``metadata`` with ``key`` set: in its place, or, new, where msgmerge puts it: before the
    first field that comes after it in gettext's order (the other fields keep theirs)."""
    if key in metadata:
        return {**metadata, key: value}
    order = list(_ordered({**metadata, key: value}))
    later = set(order[order.index(key) + 1:])
    items = list(metadata.items())
    at = next((i for i, (k, _) in enumerate(items) if k in later), len(items))
    return dict(items[:at] + [(key, value)] + items[at:])


def touch_revision(po: polib.POFile) -> None:
    """Mark the catalog as revised now, by Tolmach: call when a step changes translations."""
    po.metadata["PO-Revision-Date"] = _now()
    po.metadata["X-Generator"] = GENERATOR


def template_for(article: Article, reference: str | None = None) -> polib.POFile:
    """The POT for an article. ``reference`` is the path written in ``#:`` lines."""
    ref = reference or article.path
    slug = slugify(article.path)
    pot = _new_file(_ordered(
        {
            "Project-Id-Version": slug,
            "Report-Msgid-Bugs-To": "",
            "POT-Creation-Date": _now(),
            "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
            "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
            "Language-Team": "LANGUAGE <LL@li.org>",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            SOURCE_LANG_HEADER: article.lang,
            "X-Generator": GENERATOR,
        }
    ))
    pot.header = (
        f"Translation template for {Path(article.path).name}.\n"
        f"Source language: {LANGUAGE_NAMES.get(article.lang, article.lang)}. "
        "One entry per paragraph; msgctxt is the paragraph's stable id."
    )
    units = article.units
    for number, (block, uid) in enumerate(zip(units, unit_ids(units)), 1):
        comment = [f"{UNIT_COMMENT}{block.kind}, unit {number} of {len(units)}"]
        if block.markup:
            comment.append(f"{UNIT_COMMENT}markup {block.markup.strip()}")
        if article.fmt in ("markdown", "html"):  # inline markup is protected through MT
            comment.append(f"{UNIT_COMMENT}format {article.fmt}")
        if block.kind == "credit":
            comment.append(f"{UNIT_COMMENT}photo credit: names and agencies are kept as in the source")
        comment += [
            f"{UNIT_COMMENT}{OVERLONG_NOTE.format(words=words, pieces=pieces)}"
            for words, pieces in block.overlong
        ]
        pot.append(
            polib.POEntry(
                msgctxt=uid,
                msgid=block.text,
                msgstr="",
                occurrences=[(ref, str(block.line))],
                comment="\n".join(comment),
            )
        )
    return pot


# What the model is told about a paragraph whose sentence is too long for it (issue #12).
OVERLONG_NOTE = "a sentence of {words:,} words goes to the model in {pieces} pieces"


def plural_forms(lang: str) -> str:
    from babel.core import UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        return get_plural(lang).plural_forms
    except (UnknownLocaleError, ValueError):
        raise TolmachError(f"unknown locale {lang!r}") from None


def init_catalog(template: polib.POFile, lang: str) -> polib.POFile:
    """A new PO for ``lang`` from a template: header filled in, every entry untranslated."""
    metadata = dict(template.metadata)
    metadata.update(
        {
            "PO-Revision-Date": _now(),
            "Language": lang,
            "Last-Translator": "",
            # Tolmach does not know the team: left empty (msgfmt --check accepts it), not made up
            "Language-Team": "",
            "Plural-Forms": plural_forms(lang),
            "X-Generator": GENERATOR,
        }
    )
    po = _new_file(_ordered(metadata), template.wrapwidth)
    po.header = _translation_header(template.header, lang)
    for entry in template:
        po.append(_copy_entry(entry))
    return po


def _translation_header(header: str | None, lang: str) -> str:
    """The template's header comment, saying what a PO file is: a translation, not a template."""
    name = LANGUAGE_NAMES.get(lang, lang)
    return re.sub(r"^Translation template for ", f"{name} translation of ", header or "", flags=re.M)


def _copy_entry(entry: polib.POEntry, **changes) -> polib.POEntry:
    values = dict(
        msgctxt=entry.msgctxt,
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        msgid_plural=entry.msgid_plural,
        msgstr_plural=dict(entry.msgstr_plural or {}),
        occurrences=list(entry.occurrences),
        comment=entry.comment,
        tcomment=entry.tcomment,
        flags=list(entry.flags),
        previous_msgctxt=entry.previous_msgctxt,
        previous_msgid=entry.previous_msgid,
        previous_msgid_plural=entry.previous_msgid_plural,
        obsolete=entry.obsolete,
    )
    values.update(changes)
    return polib.POEntry(**values)


def language_pair(po: polib.POFile, path: str | Path | None = None) -> tuple[str, str]:
    """(source, target) languages of a catalog.

    Target: the ``Language`` header, else the ``<lang>/LC_MESSAGES`` folder the file is in.
    Source: ``X-Source-Language`` (Tolmach writes it), else the other one of en/ru.
    """
    return languages(po.metadata, path)  # the rules live in potext, shared with check's fast reader


# --- update -------------------------------------------------------------------------------------

FUZZY_MATCH_THRESHOLD = 60.0  # rapidfuzz ratio (0-100) for an edited paragraph to keep its draft


@dataclass
class UpdateReport:
    kept: int = 0  # same unit, same text
    moved: int = 0  # same text under another id (kind changed)
    changed: list[str] = field(default_factory=list)  # ids of edited units (old translation, fuzzy)
    added: list[str] = field(default_factory=list)  # ids of new, untranslated units
    obsoleted: list[str] = field(default_factory=list)  # ids that left the article, kept as ``#~``
    removed: list[str] = field(default_factory=list)  # ids that left it untranslated: no trace kept

    @property
    def touched(self) -> bool:
        return bool(self.moved or self.changed or self.added or self.obsoleted or self.removed)


def update_catalog(po: polib.POFile, template: polib.POFile) -> tuple[polib.POFile, UpdateReport]:
    """Merge ``template`` into ``po`` (as msgmerge does) and return the new catalog.

    * a unit whose id and text are unchanged keeps its translation, flags and comments;
    * a unit whose text is unchanged but whose id changed (its kind changed) keeps them too, and
      so does one whose text changed only in its spaces (a no-break space an older Tolmach read as
      a space), unless it is a machine draft: that one is redone, as for an edit;
    * an edited unit takes the translation of the most similar old unit as ``fuzzy``, with the old
      source in ``#|`` (``previous_msgid``), so the reviewer sees what changed; an old translation
      goes to one unit, the most similar pairs being matched first;
    * a new unit is untranslated; a unit that left the article becomes obsolete (``#~``) with its
      translation, and comes back with it if the paragraph returns; one without a translation is
      dropped (``removed``), as msgmerge drops it.

    Translator comments (``#``) always travel with the translation (Tolmach's confidence note
    only with a machine draft, see :func:`_carry`); those of an untranslated unit go to the edited
    unit most similar to it, which stays untranslated (msgmerge would drop them). A reviewed
    (non-fuzzy) translation is only ever kept as is, moved to an edited unit as ``fuzzy``, or
    obsoleted.
    """
    report = UpdateReport()
    old_active = [e for e in po if not e.obsolete]
    old_obsolete = [e for e in po.obsolete_entries()]
    by_key = {(e.msgctxt, e.msgid): e for e in old_obsolete + old_active}  # an active entry wins
    by_msgid: dict[str, polib.POEntry] = {}
    by_spacing: dict[str, polib.POEntry] = {}
    for e in old_active + old_obsolete:
        by_msgid.setdefault(e.msgid, e)
        if entry_state(e) is not EntryState.MACHINE_DRAFT:  # its draft note is for the old msgid
            by_spacing.setdefault(spacing_key(e.msgid), e)
    used: set[int] = set()

    new = _new_file(dict(po.metadata), po.wrapwidth)
    new.header = po.header
    new.metadata_is_fuzzy = po.metadata_is_fuzzy  # a "#, fuzzy" header stays so, as msgmerge keeps it
    # the template's own fields, as msgmerge takes them from the POT (the rest is the catalog's:
    # its Project-Id-Version too), and the article's language; Tolmach's templates leave
    # Report-Msgid-Bugs-To empty, so an address the newsroom wrote into a catalog stays
    for key in ("Report-Msgid-Bugs-To", "POT-Creation-Date", SOURCE_LANG_HEADER):
        if key in template.metadata and (template.metadata[key] or key != "Report-Msgid-Bugs-To"):
            new.metadata = _with_field(new.metadata, key, template.metadata[key])

    pending: list[tuple[int, polib.POEntry]] = []
    merged: list[polib.POEntry | None] = []
    for t in template:
        old = by_key.get((t.msgctxt, t.msgid))
        if old is not None and id(old) not in used:
            report.kept += 1
        else:
            old = by_msgid.get(t.msgid)
            if old is not None and id(old) in used:
                old = None
            if old is None:
                old = by_spacing.get(spacing_key(t.msgid))
                if old is not None and id(old) in used:
                    old = None
            if old is not None:
                report.moved += 1
        if old is not None:
            used.add(id(old))
            merged.append(_carry(t, old))
        else:
            pending.append((len(merged), t))
            merged.append(None)

    # Edited paragraphs: each takes the translation of a similar unused old entry, the most similar
    # pairs first over the whole article (taken in article order, a paragraph merely similar to an
    # old one would take its translation before that one's own edit, further down, came to it)
    unused = [e for e in old_active + old_obsolete if id(e) not in used]
    matches = _most_similar([t.msgid for _, t in pending], [e for e in unused if has_translation(e)])
    # an untranslated one takes the translator comment of a similar old untranslated entry (a
    # person's note on the paragraph, which msgmerge drops); it stays untranslated
    left = [n for n in range(len(pending)) if n not in matches]
    noted = _most_similar([pending[n][1].msgid for n in left],
                          [e for e in unused if not has_translation(e) and human_comment(e)])
    notes = {left[n]: old for n, old in noted.items()}
    for n, (slot, t) in enumerate(pending):
        match = matches.get(n)
        if match is not None:
            used.add(id(match))
            entry = _carry(t, match, edited=True)
            report.changed.append(t.msgctxt)
        else:
            entry = _copy_entry(t, msgstr="", msgstr_plural={k: "" for k in t.msgstr_plural or {}},
                                flags=[f for f in t.flags if f != "fuzzy"])
            if n in notes:
                used.add(id(notes[n]))
                entry.tcomment = human_comment(notes[n])
            report.added.append(t.msgctxt)
        merged[slot] = entry

    for entry in merged:
        assert entry is not None
        new.append(entry)
    for old in old_active + old_obsolete:
        if id(old) in used:
            continue
        # an untranslated unit that left (no edited paragraph took its comment) needs no trace:
        # msgmerge and msgcat drop an obsolete entry without a translation (a translator comment
        # on it too), and so does Tolmach
        if has_translation(old):
            if not old.obsolete:
                report.obsoleted.append(old.msgctxt or old.msgid[:30])
            new.append(_copy_entry(old, obsolete=True, occurrences=[]))
        elif not old.obsolete:
            report.removed.append(old.msgctxt or old.msgid[:30])
    return new, report


def _most_similar(texts: list[str], candidates: list[polib.POEntry]) -> dict[int, polib.POEntry]:
    """{index in ``texts``: the candidate it takes}: each text the candidate whose msgid is most
    similar to it (at least FUZZY_MATCH_THRESHOLD), each candidate to one text, the most similar
    pairs first (equal scores: the first text, the first candidate)."""
    from rapidfuzz import fuzz, process

    choices = [c.msgid for c in candidates]
    pairs = sorted(
        (-score, n, c)
        for n, text in enumerate(texts)
        for _, score, c in process.extract(
            text, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_MATCH_THRESHOLD, limit=None
        )
    ) if choices else []
    matches: dict[int, polib.POEntry] = {}
    taken: set[int] = set()
    for _, n, c in pairs:
        if n not in matches and c not in taken:
            matches[n] = candidates[c]
            taken.add(c)
    return matches


def _carry(template_entry: polib.POEntry, old: polib.POEntry, edited: bool = False) -> polib.POEntry:
    """The template's entry with the old entry's translation, state and human comments.

    ``edited``: the paragraph changed, so the translation becomes fuzzy with the old source in
    ``#|`` (the source it was made for, if it was fuzzy with one already). A machine draft keeps
    its machine note, or gets one where only its confidence note proved it (it is then a *stale*
    machine draft, which ``translate`` redoes); a reviewed translation loses any machine note it still had, since a
    person approved it: demoted, it is a human draft, never something a machine may replace. It
    loses the confidence note too: that note also proves a machine draft by its fingerprint, which
    would match again once the edit is reverted (and so would call the review an untouched draft).
    """
    notes = read_notes(template_entry)
    old_notes = read_notes(old)
    drafted = not edited or entry_state(old) is EntryState.MACHINE_DRAFT
    if drafted:
        machine = old_notes.machine
        proof = current_confidence(old) if edited and (machine is None or machine.draft is None) else None
        if proof is not None:
            # a draft proved by its confidence note alone (a translator's msgmerge dropped the #.
            # note): that note proves a draft of the current source only, so the fingerprint goes
            # into a machine note, which tells a draft of the previous source (``#|``) too
            machine = MachineNote(machine.origin, machine.detail, proof.draft) if machine else \
                MachineNote("mt", ENGINE_NOT_RECORDED, proof.draft)  # only engine drafts are scored
        notes = replace(notes, machine=machine, annotations=old_notes.annotations)
    flags = list(dict.fromkeys(template_entry.flags + old.flags))
    previous_msgid = old.previous_msgid if "fuzzy" in old.flags else None
    previous_msgctxt = old.previous_msgctxt if "fuzzy" in old.flags else None
    previous_msgid_plural = old.previous_msgid_plural if "fuzzy" in old.flags else None
    if edited:
        if "fuzzy" not in flags:
            flags.insert(0, "fuzzy")
        # the source the translation was made for: the old msgid, unless the old entry was
        # already fuzzy with one in "#|" (edited twice before anyone looked), as msgmerge
        # --previous keeps it. Only that source tells a stale machine draft (whose note has the
        # fingerprint of the source it translated) from a person's, and shows the reviewer what
        # the translation says
        if previous_msgid is None:
            previous_msgid, previous_msgctxt, previous_msgid_plural = old.msgid, old.msgctxt, old.msgid_plural
    return _copy_entry(
        template_entry,
        msgstr=old.msgstr,
        msgid_plural=old.msgid_plural or template_entry.msgid_plural,
        msgstr_plural=dict(old.msgstr_plural or {}),
        tcomment=old.tcomment if drafted else human_comment(old),
        comment=format_notes(notes),
        flags=flags,
        previous_msgid=previous_msgid,
        previous_msgctxt=previous_msgctxt,
        previous_msgid_plural=previous_msgid_plural or None,
        obsolete=False,
    )


# --- I/O -----------------------------------------------------------------------------------------


_POLIB_LINE = re.compile(r"\(line (\d+)\)|line (\d+)")
# polib silently drops an entry whose string never ends (and with it, on save, the translation):
# every line that starts a string must be a keyword and one well-formed string.
# (obsolete "#~" and previous "#|" lines too; an escape is one msgfmt knows: "\q" or "\?" is
# refused by it, and polib would keep the backslash, which Tolmach would then write doubled)
_BAD_STRING_LINE = re.compile(
    r'^[ \t]*(?:#~[ \t]*)?(?:#?\|[ \t]*)?(?=msg|")'
    r'(?!(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?[ \t]*"'
    r'(?:[^"\\\n]|\\[ntbrfva\\"]|\\[0-7]{1,3}|\\x[0-9A-Fa-f]+)*"[ \t]*$)',
    re.MULTILINE,
)
# A string line with an escape polib does not read (polib.unescape knows \n \t \r \v \b \f \\ \"
# only, and would keep "\a" as a backslash and an "a"): its inside, to be given to polib as the
# text gettext reads (potext.unescape), escaped as polib reads it.
_GETTEXT_ONLY_ESCAPE = re.compile(r"\\[a0-7x]")
_STRING_LINE = re.compile(
    r'^([^\S\n]*(?:#~[^\S\n]*)?(?:#?\|[^\S\n]*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[^\S\n]*)?")'
    r'((?:[^"\\\n]|\\[^\n])*\\(?:[^"\\\n]|\\[^\n])*)("[^\S\n]*)$',
    re.MULTILINE,
)


class _PoText(str):
    """PO text as polib must split it: only at line ends (``\\n``, and a lone ``\\r``, as polib reads
    a file), where polib would split a text given to it with ``str.splitlines()``, also at
    U+2028, U+2029, NEL, FS, GS, RS, VT and FF: characters a PO string may hold as they are
    (gettext splits lines only at line ends, and writes them inside strings unescaped)."""

    def splitlines(self, keepends: bool = False) -> list[str]:
        return _LINE_END.split(self)


_LINE_END = re.compile(r"\r\n?|\n")


def _for_polib(text: str, charset: str, path: Path) -> str:
    """``text`` with each string that holds an escape polib does not read (``\\a``, an octal or
    hex escape) rewritten to escapes polib reads, so that polib reads what gettext reads."""
    if not _GETTEXT_ONLY_ESCAPE.search(text):
        return text

    def rewrite(m: re.Match) -> str:
        body = m.group(2)
        if not _GETTEXT_ONLY_ESCAPE.search(body):
            return m.group(0)
        try:
            value = unescape(body, charset)
        except ValueError as err:
            raise TolmachError(f"malformed PO file: {err}", path, text.count("\n", 0, m.start()) + 1) from None
        if polib.unescape(body) == value:
            return m.group(0)
        return m.group(1) + polib.escape(value) + m.group(3)

    return _STRING_LINE.sub(rewrite, text)


def load_catalog(path: str | Path, data: bytes | None = None) -> polib.POFile:
    """Read a PO/POT file; every way it can be wrong becomes one TolmachError naming the file.

    A catalog in another charset than UTF-8 is read with the charset its header names, and is
    written back in it (see :func:`save_catalog`).

    ``data``: the file's bytes, where the caller has read them (the catalog is then theirs, not a
    second read's; not knowing when they were read, :func:`rewrite_catalog` reads it again before
    writing).
    """
    p = Path(path)
    snapshot = None
    if data is None:
        if p.is_dir():
            raise TolmachError("is a directory, expected a PO file", p)
        if not p.is_file():  # not there, a link that leads nowhere, or a named pipe (whose reader would wait)
            raise not_found(p, "catalog")
        # what identifies the content, taken *before* it is read: a save made while the file is
        # read and parsed then shows as a change when Tolmach writes (taken after, it would be
        # taken for the content read, and Tolmach's write would revert that save)
        snapshot = _snapshot(p)
        try:
            data = p.read_bytes()
        except OSError as err:
            raise TolmachError(f"cannot read catalog: {err.strerror}", p) from None
    refuse_binary(data, p, "a PO file (a compiled .mo?)")
    text, charset = _decode(data, p)
    text = space_comment_marks(text)  # "#,fuzzy" is "#, fuzzy" to gettext; polib refuses it
    bad = _BAD_STRING_LINE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise TolmachError("malformed PO file: unterminated or malformed string", p, line)
    missing = _missing_msgstr(text)
    if missing:
        raise TolmachError("malformed PO file: entry has no msgstr", p, missing)
    lines = _PoText(_for_polib(text, charset, p))
    try:
        po = polib.pofile(lines, wrapwidth=0 if detect_no_wrap(text) else WRAP_WIDTH)
    except (OSError, ValueError, UnicodeError, IndexError, KeyError) as err:
        m = _POLIB_LINE.search(str(err))
        line = int(m.group(1) or m.group(2)) if m else None
        msg = str(err).split(" (line")[0] if m else str(err)
        raise TolmachError(f"malformed PO file: {msg}", p, line) from None
    po.fpath = str(p)
    restore_obsolete_previous(po, text, charset)
    po.encoding = charset
    po.tolmach_newline = _line_end(data)
    _check_duplicates(po, p)
    _check_plurals(po, p)
    _join_quoted_references(po)
    po.tolmach_snapshot = snapshot
    return po


def _line_end(data: bytes) -> str:
    """How the file's first line ends, ``"\r\n"`` or ``"\n"``: the catalog is written back so."""
    end = data.find(b"\n")
    return "\r\n" if end > 0 and data[end - 1] == 0x0D else "\n"


def _line_end_for(po: polib.POFile, target: Path) -> str:
    """The line end to write ``po`` to ``target`` with: the one it was read with, else the one of the
    file it replaces (a template made anew keeps the old one's), else ``"\n"``."""
    newline = getattr(po, "tolmach_newline", None)
    if newline is None:
        try:
            with target.open("rb") as fh:
                newline = _line_end(fh.readline())
        except OSError:
            newline = "\n"
    return newline


def _check_plurals(po: polib.POFile, path: Path) -> None:
    """What msgfmt refuses and polib reads into something else: ``msgstr[N]`` without a
    ``msgid_plural`` (polib keeps it where nothing looks, and ``translate`` would fill the plain
    msgstr over a translation), a ``msgid_plural`` with a plain ``msgstr``, a plural form the
    header's ``nplurals`` does not have, and a ``msgctxt`` with nothing after it."""
    nplurals = header_nplurals(po)  # (a template's "nplurals=INTEGER" says nothing)
    for e in po:
        where = e.linenum or None
        if e.msgstr_plural and not e.msgid_plural:
            raise TolmachError("malformed PO file: msgstr[N] without msgid_plural", path, where)
        if e.msgid_plural and not e.msgstr_plural:
            raise TolmachError("malformed PO file: msgid_plural without msgstr[N]", path, where)
        highest = max((int(i) for i in e.msgstr_plural), default=-1)
        if nplurals is not None and highest >= nplurals:
            raise TolmachError(
                f"malformed PO file: msgstr[{highest}], but the header's Plural-Forms has nplurals={nplurals}",
                path, where,
            )
        if not e.msgid and e.msgctxt is not None and not e.msgstr and not e.msgstr_plural and not e.obsolete:
            raise TolmachError("malformed PO file: msgctxt without msgid and msgstr", path, where)


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr)(\[\d+\])?[ \t]")


def _missing_msgstr(text: str) -> int | None:
    """The line of the first msgid that no msgstr follows (polib would glue it to the next entry)."""
    open_line = None  # line of a msgid still waiting for its msgstr
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if line.startswith("#~"):
            line = line[2:].strip()
        m = _KEYWORD.match(line)
        if open_line is None:
            if m and m.group(1) == "msgid":
                open_line = number
            continue
        if line.startswith('"') or (m and m.group(1) == "msgid_plural"):
            continue  # the msgid goes on
        if m and m.group(1) == "msgstr":
            open_line = None
            continue
        return open_line
    return open_line


def _snapshot(path: Path) -> tuple | None:
    """What identifies the file's current content on disk (a safe save replaces the inode)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _check_duplicates(po: polib.POFile, path: Path) -> None:
    """Two entries with one msgctxt and msgid, as msgfmt refuses them ("duplicate message
    definition"): obsolete ones too. A hand-resolved merge leaves an entry both active and
    obsolete, and ``update`` could not tell which of the two translations is the one to keep."""
    seen: dict[tuple[str | None, str], polib.POEntry] = {}
    for e in po:
        key = (e.msgctxt, e.msgid)
        first = seen.setdefault(key, e)
        if first is not e:
            also = ", active and obsolete (#~)" if first.obsolete != e.obsolete else ""
            raise TolmachError(
                f"malformed PO file: duplicate entry msgctxt={e.msgctxt!r}{also}", path, e.linenum
            )


@dataclass(frozen=True)
class CharsetChange:
    """A catalog written in UTF-8 instead of its own charset, which lacks characters of its text."""

    path: str
    charset: str  # the charset the file had
    lacking: str  # the characters of the text it cannot encode

    def __str__(self) -> str:
        shown = [c if c.isprintable() and not c.isspace() else f"U+{ord(c):04X}" for c in self.lacking[:5]]
        more = ", …" if len(self.lacking) > 5 else ""
        return (f"{self.path}: converted from {self.charset} to UTF-8: the new text has characters "
                f"{self.charset} cannot encode ({', '.join(shown)}{more})")


def _set_charset(po: polib.POFile, charset: str) -> None:
    po.metadata["Content-Type"] = CHARSET_FIELD.sub(f"charset={charset}", po.metadata["Content-Type"], count=1)
    po.encoding = charset


def _encoded(po: polib.POFile, target: Path) -> tuple[bytes, CharsetChange | None]:
    """The file's bytes in the charset its header declares, as msgcat writes them.

    Where that charset cannot encode the text (machine output with «», a dash, a letter it lacks),
    the catalog is converted to UTF-8, header included, as Poedit converts a catalog on saving:
    the returned :class:`CharsetChange` says so. A header without a charset, or with xgettext's
    placeholder ``CHARSET``, means UTF-8 (the placeholder is replaced, as msginit replaces it).
    """
    m = CHARSET_FIELD.search(po.metadata.get("Content-Type", ""))
    charset = m.group(1) if m else "UTF-8"
    if charset.upper() == PLACEHOLDER_CHARSET:
        charset = "UTF-8"
        _set_charset(po, charset)
    if is_utf8(charset):
        return format_catalog(po).encode("utf-8"), None
    text = format_catalog(po, charset)
    try:
        return text.encode(charset), None
    except UnicodeEncodeError:
        lacking = "".join(c for c in dict.fromkeys(text) if not c.encode(charset, "ignore"))
    _set_charset(po, "UTF-8")
    return format_catalog(po).encode("utf-8"), CharsetChange(str(target), charset, lacking)


def _write_po(po: polib.POFile, path: Path, target: Path) -> CharsetChange | None:
    """Serialise the catalog to ``path`` (the temporary file that becomes ``target``); a reference
    with spaces is quoted as GNU gettext quotes it. A reference with a line break is refused, never
    written (the file would not read again)."""
    for entry in po:
        for name, line in entry.occurrences:
            refuse_unwritable_reference(f"{name}:{line}" if line else name, "the reference")
    kept = [(entry, entry.occurrences) for entry in po if any(" " in n for n, _ in entry.occurrences)]
    for entry, occurrences in kept:
        entry.occurrences = [(quote_reference(n), line) for n, line in occurrences]
    try:
        data, change = _encoded(po, target)
        path.write_bytes(data)
    finally:
        for entry, occurrences in kept:
            entry.occurrences = occurrences
    return change


def save_catalog(po: polib.POFile, path: str | Path) -> Path:
    """Write atomically, as ``msgcat`` would, in the charset the header declares (or, where that
    cannot encode the text, in UTF-8: ``po.tolmach_converted`` is then the :class:`CharsetChange`):
    the old file stays whole until the new one is complete."""
    target = Path(path)
    po.tolmach_newline = _line_end_for(po, target)
    with atomic_path(target) as tmp:
        converted = _write_po(po, tmp, target)
        written = _snapshot(tmp)  # the file's own: a rename keeps inode, size and mtime
    po.fpath = str(target)
    po.tolmach_snapshot = written
    po.tolmach_converted = converted
    return target


def charset_change(po: polib.POFile | None) -> str:
    """Why the catalog ``po``, as :func:`save_catalog` or :func:`rewrite_catalog` wrote it (None:
    nothing written), is in UTF-8 and not in its header's charset (the :class:`CharsetChange`'s
    line); "" when it is in its own charset."""
    change = getattr(po, "tolmach_converted", None)
    return str(change) if change else ""


MAX_REWRITE_ATTEMPTS = 50


def rewrite_catalog(
    path: str | Path,
    change: Callable[[polib.POFile], polib.POFile | None],
    po: polib.POFile | None = None,
) -> polib.POFile | None:
    """Apply ``change`` to the catalog at ``path`` and save the result, never over a save that
    somebody else made in the meantime.

    ``change`` gets the catalog as it is on disk and returns the catalog to write (it may be the
    same object, changed), or None when there is nothing to write. If the file was replaced or
    written after it was read — a translator's editor saved it while Tolmach worked — the new
    content is read again and ``change`` applied to *it*; so ``change`` must decide from the
    catalog it is given (fill only what is still untranslated, and so on), never from what it saw
    before. ``po``: the catalog already read from ``path``, to save a read. Returns what was written
    (written as :func:`save_catalog` writes, ``tolmach_converted`` included).
    """
    target = Path(path)
    for _ in range(MAX_REWRITE_ATTEMPTS):
        if po is None:
            po = load_catalog(target)
        expected = getattr(po, "tolmach_snapshot", None)
        new = change(po)
        if new is None:
            return None
        new.tolmach_newline = _line_end_for(po, target)  # the file's, as on disk (a merge makes a new catalog)
        try:
            with atomic_path(target, unchanged=lambda: _snapshot(target) == expected) as tmp:
                converted = _write_po(new, tmp, target)
                # what was written, not what is on disk a moment after the rename (a save
                # made in between would be taken for Tolmach's own file)
                written = _snapshot(tmp)
        except ConcurrentChange:
            po = None  # somebody saved it meanwhile: start again from their version
            continue
        new.fpath = str(target)
        new.tolmach_snapshot = written
        new.tolmach_converted = converted
        return new
    raise TolmachError("the catalog keeps changing while Tolmach writes it; try again", target)


def is_translated(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def iter_catalog_paths(paths: Iterable[str | Path], suffix: str = ".po") -> list[Path]:
    """Expand folders into the PO files under them (sorted); files are taken as given. A file named
    twice (``a.po ./a.po``, a folder and a file in it, a link to it) is there once, as first named."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(q for q in p.rglob(f"*{suffix}") if q.is_file())
            if not found:
                raise TolmachError(f"no {suffix} catalogs in this folder", p)
            out.extend(found)
        elif not p.is_file():  # (a named pipe would be opened, and wait for ever)
            raise not_found(p)
        else:
            refuse_empty_catalog(p)
            out.append(p)
    return unique_files(out)


def refuse_empty_catalog(path: Path) -> None:
    """A named file with nothing in it is a mistake (a wrong path, a truncated copy): say so
    instead of reporting zero of everything."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return  # the reader reports it
    if not head.strip():
        raise TolmachError("empty file: no PO catalog in it", path)


def relative_reference(article_path: str | Path, base: str | Path | None = None) -> str:
    """The article path as written in ``#:`` lines: relative to ``base`` (default cwd) if inside."""
    ap = Path(article_path).resolve()
    root = Path(base or os.getcwd()).resolve()
    try:
        return ap.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(ap, root)).as_posix()
