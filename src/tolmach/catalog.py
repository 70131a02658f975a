"""Catalogs: an article's units as gettext PO/POT files, read and written with polib.

* :func:`template_for` turns a segmented :class:`~tolmach.segment.Article` into a POT: one entry per
  paragraph, ``msgctxt`` = the unit id (kind + text hash, see :func:`tolmach.segment.unit_id`), a
  ``#:`` reference to the article file and line, ``#.`` comments saying what the unit is.
* :func:`init_catalog` makes a locale's PO from a template, with babel's plural forms.
* :func:`update_catalog` merges a new template into a PO the way msgmerge does, but never loses a
  reviewed translation (see its docstring).
* :func:`load_catalog` / :func:`save_catalog` read and write atomically, with errors naming the file.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import polib

from . import __version__
from .errors import TolmachError
from .fsutil import atomic_path
from .segment import Article, unit_ids

UNIT_COMMENT = "tolmach: "  # extracted comments written from the template start with this
# Extracted-comment lines that Tolmach's machine steps add to a PO entry (not from the template);
# update keeps them, as they say where the current msgstr came from.
PROVENANCE_PREFIXES = ("mt: ", "memory: ", "glossary: ", "suggestion: ", "markup: ", "credit: ")
WRAP_WIDTH = 79  # what Poedit and msgmerge use
SOURCE_LANG_HEADER = "X-Source-Language"

LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}


def slugify(path: str | Path) -> str:
    stem = Path(path).stem
    slug = re.sub(r"[^\w]+", "-", stem.lower(), flags=re.UNICODE).strip("-")
    return slug or "article"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


def template_path(locales: str | Path, slug: str) -> Path:
    return Path(locales) / "templates" / f"{slug}.pot"


def catalog_path(locales: str | Path, lang: str, slug: str) -> Path:
    return Path(locales) / lang / "LC_MESSAGES" / f"{slug}.po"


def _new_file(metadata: dict[str, str]) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP_WIDTH)
    po.metadata = metadata
    return po


def template_for(article: Article, reference: str | None = None) -> polib.POFile:
    """The POT for an article. ``reference`` is the path written in ``#:`` lines."""
    ref = reference or article.path
    slug = slugify(article.path)
    pot = _new_file(
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
            "X-Generator": f"Tolmach {__version__}",
        }
    )
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
            "Language-Team": f"{LANGUAGE_NAMES.get(lang, lang)} <>",
            "Plural-Forms": plural_forms(lang),
        }
    )
    po = _new_file(metadata)
    po.header = template.header
    for entry in template:
        po.append(_copy_entry(entry))
    return po


def _copy_entry(entry: polib.POEntry, **changes) -> polib.POEntry:
    values = dict(
        msgctxt=entry.msgctxt,
        msgid=entry.msgid,
        msgstr=entry.msgstr,
        occurrences=list(entry.occurrences),
        comment=entry.comment,
        tcomment=entry.tcomment,
        flags=list(entry.flags),
        previous_msgctxt=entry.previous_msgctxt,
        previous_msgid=entry.previous_msgid,
        obsolete=entry.obsolete,
    )
    values.update(changes)
    return polib.POEntry(**values)


def base_language(code: str | None) -> str:
    """``ru_RU``, ``ru-RU``, ``RU``, ``ru@latin`` -> ``ru``."""
    return re.split(r"[-_@.]", (code or "").strip(), maxsplit=1)[0].lower()


def language_pair(po: polib.POFile, path: str | Path | None = None) -> tuple[str, str]:
    """(source, target) languages of a catalog.

    Target: the ``Language`` header, else the ``<lang>/LC_MESSAGES`` folder the file is in.
    Source: ``X-Source-Language`` (Tolmach writes it), else the other one of en/ru.
    """
    target = base_language(po.metadata.get("Language"))
    if not target and path is not None:
        parent = Path(path).parent
        target = parent.parent.name.lower() if parent.name == "LC_MESSAGES" else ""
    if not target:
        raise TolmachError("no Language in the PO header; cannot tell the target language", path)
    source = base_language(po.metadata.get(SOURCE_LANG_HEADER))
    if not source:
        if target not in ("en", "ru"):
            raise TolmachError(f"target language {target!r}: set {SOURCE_LANG_HEADER} in the PO header", path)
        source = "ru" if target == "en" else "en"
    return source, target


# --- update -------------------------------------------------------------------------------------

FUZZY_MATCH_THRESHOLD = 60.0  # rapidfuzz ratio (0-100) for an edited paragraph to keep its draft


@dataclass
class UpdateReport:
    kept: int = 0  # same unit, same text
    moved: int = 0  # same text under another id (kind changed)
    changed: list[str] = field(default_factory=list)  # ids of edited units (old translation, fuzzy)
    added: list[str] = field(default_factory=list)  # ids of new, untranslated units
    obsoleted: list[str] = field(default_factory=list)  # ids that left the article

    @property
    def touched(self) -> bool:
        return bool(self.moved or self.changed or self.added or self.obsoleted)


def comment_lines(comment: str | None) -> list[str]:
    """An entry's extracted comments as logical lines.

    PO writers (polib, babel, xgettext) wrap long comments at the line width; a line that does not
    start with one of Tolmach's prefixes but follows one that does is the rest of it, and is joined
    back. Other tools' comments are left as they are.
    """
    ours = (UNIT_COMMENT, *PROVENANCE_PREFIXES)
    out: list[str] = []
    for line in (comment or "").splitlines():
        if out and out[-1].startswith(ours) and not line.startswith(ours):
            out[-1] += " " + line
        else:
            out.append(line)
    return out


def _provenance(entry: polib.POEntry) -> list[str]:
    return [ln for ln in comment_lines(entry.comment) if ln.startswith(PROVENANCE_PREFIXES)]


def update_catalog(po: polib.POFile, template: polib.POFile) -> tuple[polib.POFile, UpdateReport]:
    """Merge ``template`` into ``po`` (as msgmerge does) and return the new catalog.

    * a unit whose id and text are unchanged keeps its translation, flags and comments;
    * a unit whose text is unchanged but whose id changed (its kind changed) keeps them too;
    * an edited unit takes the translation of the most similar old unit as ``fuzzy``, with the old
      source in ``#|`` (``previous_msgid``), so the reviewer sees what changed;
    * a new unit is untranslated; a unit that left the article becomes obsolete (``#~``) with its
      translation, and comes back with it if the paragraph returns.

    Translator comments (``#``) always travel with the translation. A reviewed (non-fuzzy)
    translation is only ever kept as is, moved to an edited unit as ``fuzzy``, or obsoleted.
    """
    from rapidfuzz import fuzz, process

    report = UpdateReport()
    old_active = [e for e in po if not e.obsolete]
    old_obsolete = [e for e in po.obsolete_entries()]
    by_key = {(e.msgctxt, e.msgid): e for e in old_active + old_obsolete}
    by_msgid: dict[str, polib.POEntry] = {}
    for e in old_active + old_obsolete:
        by_msgid.setdefault(e.msgid, e)
    used: set[int] = set()

    new = _new_file(dict(po.metadata))
    new.header = po.header
    for key in ("POT-Creation-Date", SOURCE_LANG_HEADER, "Project-Id-Version"):
        if key in template.metadata:
            new.metadata[key] = template.metadata[key]

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
            if old is not None:
                report.moved += 1
        if old is not None:
            used.add(id(old))
            merged.append(_carry(t, old))
        else:
            pending.append((len(merged), t))
            merged.append(None)

    # Edited paragraphs: best similar unused old entry that has a translation.
    candidates = [e for e in old_active + old_obsolete if id(e) not in used and e.msgstr]
    for slot, t in pending:
        match = None
        if candidates:
            best = process.extractOne(
                t.msgid,
                [c.msgid for c in candidates],
                scorer=fuzz.ratio,
                score_cutoff=FUZZY_MATCH_THRESHOLD,
            )
            if best is not None:
                match = candidates.pop(best[2])
        if match is not None:
            used.add(id(match))
            entry = _carry(t, match)
            if "fuzzy" not in entry.flags:
                entry.flags.insert(0, "fuzzy")
            entry.previous_msgid = match.msgid
            entry.previous_msgctxt = match.msgctxt
            report.changed.append(t.msgctxt)
        else:
            entry = _copy_entry(t, msgstr="", flags=[f for f in t.flags if f != "fuzzy"])
            report.added.append(t.msgctxt)
        merged[slot] = entry

    for entry in merged:
        assert entry is not None
        new.append(entry)
    for old in old_active + old_obsolete:
        if id(old) in used:
            continue
        if not old.obsolete:
            report.obsoleted.append(old.msgctxt or old.msgid[:30])
        if old.msgstr or old.tcomment:  # an untranslated unit that left needs no trace
            new.append(_copy_entry(old, obsolete=True, occurrences=[]))
    return new, report


def _carry(template_entry: polib.POEntry, old: polib.POEntry) -> polib.POEntry:
    """The template's entry with the old entry's translation, state and human comments."""
    comment = "\n".join(comment_lines(template_entry.comment) + _provenance(old))
    return _copy_entry(
        template_entry,
        msgstr=old.msgstr,
        tcomment=old.tcomment,
        comment=comment,
        flags=list(dict.fromkeys(template_entry.flags + old.flags)),
        previous_msgid=old.previous_msgid if "fuzzy" in old.flags else None,
        previous_msgctxt=old.previous_msgctxt if "fuzzy" in old.flags else None,
        obsolete=False,
    )


# --- I/O -----------------------------------------------------------------------------------------


_POLIB_LINE = re.compile(r"\(line (\d+)\)|line (\d+)")
_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
# polib silently drops an entry whose string never ends (and with it, on save, the translation):
# every line that starts a string must be a keyword and one well-formed string.
_BAD_STRING_LINE = re.compile(
    r'^[ \t]*(?=msg|")(?!(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?[ \t]*"(?:[^"\\\n]|\\.)*"[ \t]*$)',
    re.MULTILINE,
)


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    """The file's text, decoded with the charset its header names (UTF-8 when it names none)."""
    m = _CHARSET.search(data[:4096])
    charset = m.group(1).decode("ascii") if m else "utf-8"
    if charset.upper() == "CHARSET":  # xgettext's placeholder in a fresh template
        charset = "utf-8"
    try:
        text = data.decode(charset)
    except LookupError:
        raise TolmachError(f"unknown charset {charset!r} in the PO header", path) from None
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        name = "UTF-8" if charset.lower().replace("-", "") == "utf8" else charset
        raise TolmachError(f"not valid {name} (byte 0x{data[err.start]:02x}); save the catalog as {name}",
                           path, line) from None
    return text.lstrip("\ufeff").replace("\r\n", "\n"), charset


def load_catalog(path: str | Path) -> polib.POFile:
    """Read a PO/POT file; every way it can be wrong becomes one TolmachError naming the file.

    A catalog in another charset than UTF-8 is read with the charset its header names, and comes
    back declared UTF-8: Tolmach writes UTF-8.
    """
    p = Path(path)
    if not p.exists():
        raise TolmachError("no such catalog", p)
    if p.is_dir():
        raise TolmachError("is a directory, expected a PO file", p)
    try:
        data = p.read_bytes()
    except OSError as err:
        raise TolmachError(f"cannot read catalog: {err.strerror}", p) from None
    if b"\x00" in data[:8192]:
        raise TolmachError("binary data, expected a PO file (compiled .mo?)", p)
    text, charset = _decode(data, p)
    bad = _BAD_STRING_LINE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise TolmachError("malformed PO file: unterminated or malformed string", p, line)
    try:
        po = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError, UnicodeError, IndexError, KeyError) as err:
        m = _POLIB_LINE.search(str(err))
        line = int(m.group(1) or m.group(2)) if m else None
        msg = str(err).split(" (line")[0] if m else str(err)
        raise TolmachError(f"malformed PO file: {msg}", p, line) from None
    po.fpath = str(p)
    if charset.lower().replace("-", "") != "utf8" and "Content-Type" in po.metadata:
        po.metadata["Content-Type"] = re.sub(r"charset=\S+", "charset=UTF-8", po.metadata["Content-Type"])
    _check_duplicates(po, p)
    return po


def _check_duplicates(po: polib.POFile, path: Path) -> None:
    seen: set[tuple[str | None, str]] = set()
    for e in po:
        if e.obsolete:
            continue
        key = (e.msgctxt, e.msgid)
        if key in seen:
            raise TolmachError(
                f"malformed PO file: duplicate entry msgctxt={e.msgctxt!r}", path, e.linenum
            )
        seen.add(key)


def save_catalog(po: polib.POFile, path: str | Path) -> Path:
    """Write atomically: the old file stays whole until the new one is complete."""
    target = Path(path)
    with atomic_path(target) as tmp:
        po.save(str(tmp))
    po.fpath = str(target)
    return target


def is_translated(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def iter_catalog_paths(paths: Iterable[str | Path], suffix: str = ".po") -> list[Path]:
    """Expand folders into the PO files under them (sorted); files are taken as given."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob(f"*{suffix}") if q.is_file()))
        elif not p.exists():
            raise TolmachError("no such file or folder", p)
        else:
            out.append(p)
    return out


def relative_reference(article_path: str | Path, base: str | Path | None = None) -> str:
    """The article path as written in ``#:`` lines: relative to ``base`` (default cwd) if inside."""
    ap = Path(article_path).resolve()
    root = Path(base or os.getcwd()).resolve()
    try:
        return ap.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(ap, root)).as_posix()
