"""Run checks over PO files: read entries, discover checks, honour disabling, collect findings.

The one call the CLI makes is :func:`check_paths`; the pieces it is made of (:func:`find_po_files`,
:func:`read_po`, :func:`build_checks`, :func:`run_checks`) are public for other callers (the
pipeline, tests, a pre-commit hook).

Checks come from the ``tolmach.checks`` entry point group, one entry point per check id
(``numbers = "tolmach.checks.qa:NumbersCheck"``). A check class is created with the keyword
arguments its ``__init__`` asks for, by name:

* ``glossary`` -- the project's :class:`tolmach.glossary.Glossary`; a check that requires it is left
  out when the project has no glossary;
* ``allowed_latin`` -- strings allowed in Latin letters in Russian text (the glossary's
  do-not-translate terms and Latin targets);
* any other name -- an option from the configuration table ``[checks.<id>]``.

Disabling, from the widest to the narrowest: configuration ``[checks] disable = [...]`` and
``--disable ID`` for a project; ``--only ID`` to run just some checks; and for one entry a
``#, no-<id>-check`` flag or a ``#. tolmach: skip-check <id>[, <id>...]`` comment (``all`` skips
every check). Disabling an id also drops findings with that id (``glossary-consistency``).
"""

from __future__ import annotations

import inspect
import re
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..errors import TolmachError
from ..fsutil import not_found, unique_files
from .base import ERROR, INFO, WARNING, Check, CheckEntry, Finding
from .cache import ResultCache, cacheable, fingerprint

ENTRY_POINT_GROUP = "tolmach.checks"
GLOSSARY_CHECK = "glossary"
# The checks Tolmach itself ships (also registered as entry points in pyproject.toml).
BUILTIN_CHECKS = {
    "numbers": "tolmach.checks.qa:NumbersCheck",
    "quotes": "tolmach.checks.qa:QuotesCheck",
    "punctuation": "tolmach.checks.qa:PunctuationCheck",
    "untranslated": "tolmach.checks.qa:UntranslatedCheck",
    "latin": "tolmach.checks.qa:LatinCheck",
    "urls": "tolmach.checks.qa:UrlsCheck",
    "placeholders": "tolmach.checks.qa:PlaceholdersCheck",
    "length-ratio": "tolmach.checks.qa:LengthRatioCheck",
    "double-space": "tolmach.checks.qa:DoubleSpaceCheck",
    "sentence-count": "tolmach.checks.qa:SentenceCountCheck",
    "brackets": "tolmach.checks.qa:BracketsCheck",
    "acronyms": "tolmach.checks.qa:AcronymsCheck",
    "repeated-words": "tolmach.checks.qa:RepeatedWordsCheck",
    "markup": "tolmach.checks.markup:MarkupCheck",
    "confidence": "tolmach.checks.confidence:ConfidenceCheck",
    "glossary": "tolmach.checks.glossary:GlossaryCheck",
}
# ids that checks report besides their own (from ``finish()``), so they can be disabled too
EXTRA_FINDING_IDS = ("glossary-consistency",)
DEFAULT_PATHS = ("locales",)
GLOSSARY_FOLDER = "glossaries"

_SKIP_COMMENT_RE = re.compile(r"tolmach:\s*skip-checks?\s+(.+)", re.IGNORECASE)
_NO_CHECK_FLAG_RE = re.compile(r"no-(.+)-check$")
_ID_SEPARATOR_RE = re.compile(r"[\s,;]+")


@dataclass
class CheckResult:
    """What one run found, and over what."""

    findings: list[Finding]
    files: list[str]
    entries: int  # PO entries checked (a plural entry once, however many forms it has)
    checks: list[Check] = field(default_factory=list)
    skipped_fuzzy: int = 0  # fuzzy entries left out (no --fuzzy)
    glossary_used: bool = False  # the glossary check ran
    glossary_wanted: bool = False  # it would have run, had a glossary applied (not switched off)
    checked: list[CheckEntry] = field(default_factory=list)  # the translations themselves (JUnit test cases)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failing(self, strict: bool = False) -> list[Finding]:
        """Findings that make ``tolmach check`` exit 1: errors, and warnings when ``strict``."""
        levels = (ERROR, WARNING) if strict else (ERROR,)
        return [f for f in self.findings if f.severity in levels]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.failing(strict))


# --------------------------------------------------------------------------------------------------
# Reading PO files


def find_po_files(paths: Iterable[str | Path] | None = None) -> list[Path]:
    """PO files named in ``paths``, folders searched recursively for ``*.po``; sorted, no repeats."""
    paths = list(paths or DEFAULT_PATHS)
    found: dict[Path, None] = {}
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*.po") if f.is_file())
            if not files:
                raise TolmachError("no PO files (*.po) in this folder", p)
            found.update(dict.fromkeys(files))
        elif p.is_file():
            found[p] = None
        else:
            what = "default folder" if raw in DEFAULT_PATHS and len(paths) == 1 else "file or folder"
            raise not_found(p, what)
    return unique_files(found)


def read_po(
    path: str | Path, include_fuzzy: bool = False, counts: dict | None = None, data: bytes | None = None
) -> list[CheckEntry]:
    """The translated entries of one PO file as :class:`CheckEntry` objects.

    Leaves out the header, obsolete and untranslated entries, and fuzzy ones unless ``include_fuzzy``.
    Target language: the header's ``Language``; source: ``X-Source-Language`` (default: the other
    one of en/ru). Any way the file can be unreadable raises :class:`TolmachError` naming it.
    ``counts``: where to add the number of fuzzy entries left out (key ``"skipped_fuzzy"``).

    ``data``: the file's bytes where the caller has read them already (the check cache hashes the
    very bytes that are checked).

    A file as GNU gettext writes it is read by the fast path :mod:`tolmach.checks.poread`; any
    other (and every malformed one, for its error) by polib, :func:`read_po_with_polib`.
    """
    from .poread import read_entries

    entries = read_entries(path, include_fuzzy, counts, data)
    if entries is None:
        entries = read_po_with_polib(path, include_fuzzy, counts, data)
    return entries


def read_po_with_polib(
    path: str | Path, include_fuzzy: bool = False, counts: dict | None = None, data: bytes | None = None
) -> list[CheckEntry]:
    """:func:`read_po` through :func:`tolmach.catalog.load_catalog` (polib): the reference the
    fast path is tested against, and the reader of every file the fast path hands over. ``data``
    as for :func:`read_po`: the entries and their msgstr lines are those of these bytes."""
    from ..catalog import load_catalog
    from ..state import nplurals, untranslated_forms
    from .poread import check_languages

    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            load_catalog(path)  # says what is wrong, in its words
            raise TolmachError(f"cannot read PO file: {err.strerror}", path) from None
    po = load_catalog(path, data)
    source_lang, target_lang = check_languages(po.metadata, path)
    plural_count = nplurals(po)
    name = str(path)
    entries: list[CheckEntry] = []
    msgstr_lines = _MsgstrLines(data)
    for e in po:
        if e.obsolete or not e.msgid:
            continue
        fuzzy = "fuzzy" in e.flags
        if fuzzy and not include_fuzzy:
            if counts is not None and (e.msgstr or e.msgid_plural):
                counts["skipped_fuzzy"] = counts.get("skipped_fuzzy", 0) + 1
            continue
        flags = tuple(e.flags)
        comments = tuple(e.comment.splitlines()) + tuple(e.tcomment.splitlines())
        targets = sorted((int(i), v) for i, v in e.msgstr_plural.items()) if e.msgid_plural else [(0, e.msgstr)]
        empty, missing = untranslated_forms(e, plural_count)  # told on the first form checked
        gap_lines = msgstr_lines.span(e.linenum, _gap_forms(e, empty, missing)) if empty or missing else (0, 0)
        for index, target in targets:
            if not target:
                continue
            first, last = msgstr_lines.find(e.linenum, index if e.msgid_plural else None)
            entries.append(
                CheckEntry(
                    path=name,
                    line=e.linenum,
                    msgctxt=e.msgctxt,
                    source=e.msgid if index == 0 or not e.msgid_plural else e.msgid_plural,
                    target=target,
                    source_lang=source_lang,
                    target_lang=target_lang,
                    fuzzy=fuzzy,
                    flags=flags,
                    comments=comments,
                    msgstr_line=first,
                    msgstr_end_line=last,
                    empty_forms=tuple(empty),
                    missing_forms=tuple(missing),
                    gap_lines=gap_lines,
                )
            )
            empty = missing = []
            gap_lines = (0, 0)
    return entries


def _gap_forms(entry, empty: list[int], missing: list[int]) -> list[int]:
    """The msgstr[N] a finding about these forms points at: the empty ones, and where forms are
    missing the highest one there is (the missing ones go after it)."""
    forms = list(empty)
    if missing and entry.msgstr_plural:
        forms.append(max(int(i) for i in entry.msgstr_plural))
    return forms


class _MsgstrLines:
    """Where an entry's ``msgstr`` (or ``msgstr[n]``) and its continuation lines are in the file.

    polib only knows where an entry starts (its first comment line); the translator edits the
    msgstr lines, and that is where a CI annotation belongs. Scanned on bytes: ``msgstr`` and ``"``
    are ASCII in every charset a PO file may use, and line numbers are the same as polib's.
    """

    def __init__(self, data: bytes):
        self.lines = data.split(b"\n")

    def find(self, start: int, plural_index: int | None = None) -> tuple[int, int]:
        keyword = b"msgstr" if plural_index is None else b"msgstr[%d]" % plural_index
        lines = self.lines
        i = max(start - 1, 0)
        while i < len(lines):
            line = lines[i].lstrip()
            if line.startswith(keyword) and line[len(keyword):len(keyword) + 1] in (b" ", b"\t", b'"'):
                end = i + 1
                while end < len(lines) and lines[end].lstrip().startswith(b'"'):
                    end += 1
                return i + 1, end  # 1-based, inclusive
            if i > start - 1 and not line.strip():
                break  # past the entry: a blank line ends it
            i += 1
        return 0, 0

    def span(self, start: int, plural_indexes: Iterable[int]) -> tuple[int, int]:
        """From the first line of the first of these ``msgstr[n]`` to the last line of the last."""
        found = [lines for lines in (self.find(start, i) for i in plural_indexes) if lines[0]]
        if not found:
            return 0, 0
        return min(first for first, _ in found), max(last for _, last in found)


# --------------------------------------------------------------------------------------------------
# Discovering and building checks


def discover_checks() -> dict[str, Any]:
    """Entry points of the ``tolmach.checks`` group by check id, not yet loaded."""
    return dict(_entry_points())


@lru_cache(maxsize=1)
def _entry_points() -> tuple[tuple[str, Any], ...]:
    # reading every installed distribution's metadata costs tens of milliseconds, and a run asks
    # three or four times (validating ids, building checks): once per process is enough
    from importlib.metadata import entry_points

    found: dict[str, Any] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(ep.name, ep)  # an editable install can list the same distribution twice
    if not found:
        # Package metadata missing or broken (a copied tree, a bundler): the built-in checks
        # still run, as babel's checkers fall back to its own list, rather than "no problems".
        from importlib.metadata import EntryPoint

        found = {name: EntryPoint(name, value, ENTRY_POINT_GROUP) for name, value in BUILTIN_CHECKS.items()}
    return tuple(found.items())


def known_check_ids() -> list[str]:
    return sorted({*discover_checks(), *EXTRA_FINDING_IDS})


def load_check_class(ep: Any) -> type[Check]:
    try:
        cls = ep.load()
    except ImportError as err:
        raise TolmachError(f"check {ep.name!r} cannot be loaded from {ep.value}: {err}") from None
    if not (isinstance(cls, type) and issubclass(cls, Check)):
        raise TolmachError(f"check {ep.name!r} ({ep.value}) is not a tolmach.checks.base.Check subclass")
    return cls


def check_classes(include_glossary: bool = True) -> list[type[Check]]:
    """Every installed check class (for ``--list-checks``); the glossary check only if importable."""
    classes = []
    for name, ep in discover_checks().items():
        if name == GLOSSARY_CHECK:
            if not include_glossary or not _glossary_check_available():
                continue
        classes.append(load_check_class(ep))
    return classes


def _glossary_check_available() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("tolmach.checks.glossary") is not None
    except (ImportError, ValueError):
        return False


def validate_ids(ids: Iterable[str], where: str) -> list[str]:
    """Check ids as given, or a :class:`TolmachError` naming the unknown ones and ``where`` they came from."""
    ids = [i.strip() for i in ids if i and i.strip()]
    known = set(known_check_ids())
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise TolmachError(
            f"unknown check id{'s' * (len(unknown) > 1)} {', '.join(map(repr, unknown))} in {where} "
            f"(known: {', '.join(sorted(known))})"
        )
    return ids


def allowed_latin_from(glossary: Any) -> set[str]:
    """Strings a Russian text may keep in Latin letters: do-not-translate terms, Latin targets."""
    allowed: set[str] = set()
    latin = re.compile(r"[A-Za-z]")
    for term in getattr(glossary, "terms", ()) or ():
        source = getattr(term, "source", "") or ""
        target = getattr(term, "target", "") or ""
        if getattr(term, "dnt", False):
            allowed.add(source)
            if target:
                allowed.add(target)
        elif latin.search(target):
            allowed.add(target)
        allowed.update(a for a in getattr(term, "alternatives", ()) or () if latin.search(a))
    allowed.discard("")
    return allowed


def build_checks(
    *,
    glossary: Any = None,
    disable: Iterable[str] = (),
    only: Iterable[str] = (),
    options: dict[str, dict[str, Any]] | None = None,
) -> list[Check]:
    """Instances of the installed checks, less the disabled ones (``only``: just these ids).

    The glossary check is loaded only when a ``glossary`` is given. ``options`` maps a check id to
    keyword arguments for its class (from the configuration table ``[checks.<id>]``).
    """
    disabled = set(disable)
    wanted = set(only)
    options = options or {}
    allowed_latin = allowed_latin_from(glossary) if glossary is not None else set()
    checks: list[Check] = []
    for name, ep in discover_checks().items():
        if name in disabled or (wanted and name not in wanted):
            continue
        if name == GLOSSARY_CHECK and glossary is None:
            continue
        cls = load_check_class(ep)
        if cls.id in disabled or (wanted and cls.id not in wanted and name not in wanted):
            continue
        check = _instantiate(cls, name, glossary, allowed_latin, options.get(name) or options.get(cls.id) or {})
        if check is not None:
            checks.append(check)
    return checks


def _instantiate(cls: type[Check], name: str, glossary: Any, allowed_latin: set[str], opts: dict) -> Check | None:
    params = _parameters(cls)
    kwargs: dict[str, Any] = {}
    if "glossary" in params:
        if glossary is None and params["glossary"].default is inspect.Parameter.empty:
            return None  # needs a glossary the project does not have
        kwargs["glossary"] = glossary
    if "allowed_latin" in params:
        kwargs["allowed_latin"] = allowed_latin
    accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    for key, value in opts.items():
        option = key.replace("-", "_")
        if option in ("glossary", "allowed_latin") or (option not in params and not accepts_any):
            settable = [p for p in params if p not in ("glossary", "allowed_latin", "self")]
            raise TolmachError(
                f"check {name!r} has no option {key!r}"
                + (f" (options: {', '.join(settable)})" if settable else " (it takes no options)")
            )
        kwargs[option] = value
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as err:
        raise TolmachError(f"check {name!r}: bad options {opts!r}: {err}") from None


def _parameters(cls: type) -> Any:
    """``inspect.signature(cls).parameters``. A class that takes nothing (``object``'s ``__init__``
    and ``__new__``, ``type``'s ``__call__``, no ``__signature__``) has none: said without asking
    inspect, which works that out from ``object``'s text signature and compiles tokenize's large
    pattern for it (~3 ms of every run's start-up)."""
    if (cls.__init__ is object.__init__ and cls.__new__ is object.__new__
            and type(cls).__call__ is type.__call__ and getattr(cls, "__signature__", None) is None):
        return {}
    return inspect.signature(cls).parameters


# --------------------------------------------------------------------------------------------------
# Running


def entry_disabled_checks(entry: CheckEntry) -> frozenset[str]:
    """Check ids switched off for one entry by its flags and comments (``"all"`` for every check)."""
    ids: set[str] = set()
    for flag in entry.flags:
        if flag.startswith("no-"):  # what the pattern starts with: most flags are "fuzzy" or "*-format"
            m = _NO_CHECK_FLAG_RE.match(flag)
            if m:
                ids.add(m.group(1))
    for comment in entry.comments:
        # "skip-check" has a "-", which Tolmach's own "tolmach: body, unit 3 of 12" notes lack
        # (the pattern ignores letter case, and so must this test: "# Tolmach: skip-check ID")
        if "-" in comment and "tolmach" in comment.lower():
            m = _SKIP_COMMENT_RE.search(comment)
            if m:
                ids.update(i for i in _ID_SEPARATOR_RE.split(m.group(1)) if i)
    return frozenset(ids) if ids else _NO_IDS


_NO_IDS: frozenset[str] = frozenset()


def run_checks(entries: Iterable[CheckEntry], checks: Sequence[Check], disable: Iterable[str] = ()) -> list[Finding]:
    """Every finding of ``checks`` over ``entries``, per-entry disabling honoured, sorted by place."""
    found, skipped_at = check_entries(entries, checks)
    return finish_checks(checks, found, skipped_at, disable)


SkippedAt = dict[tuple[str, int], frozenset[str]]  # (path, line) -> check ids an entry switches off


def check_entries(entries: Iterable[CheckEntry], checks: Sequence[Check]) -> tuple[list[Finding], SkippedAt]:
    """The per-entry findings of ``checks`` (not yet filtered), and the checks each entry skips.

    The entries go in chunks of :data:`CHUNK`, each check over a whole chunk in turn: one check's
    code and patterns stay hot in the processor's caches, which makes the run a quarter faster than
    all checks entry by entry. Nothing else changes: every check still sees the entries in their
    order, its findings are taken at once (a generator runs before the next call), they come out
    entry by entry and check by check as before, and a failure is reported for the first failing
    entry and check in that order, as an entry-by-entry run would have met it.
    """
    found: list[Finding] = []
    skipped_at: SkippedAt = {}
    # the bound methods once, not two attribute look-ups per entry and check
    ids = [check.id for check in checks]
    calls = [check.check for check in checks]
    source = iter(entries)
    while True:
        chunk: list[CheckEntry] = []
        skips: list[frozenset[str]] = []
        pending: BaseException | None = None
        try:
            for entry in source:
                # what is switched off, entry by entry and before its checks, as in an entry-by-entry run
                skip = _NO_IDS
                if entry.flags or entry.comments:
                    skip = entry_disabled_checks(entry)
                    if skip:
                        key = (entry.path, entry.line)
                        skipped_at[key] = skipped_at.get(key, _NO_IDS) | skip
                chunk.append(entry)
                skips.append(skip)
                if len(chunk) == CHUNK:
                    break
        except BaseException as err:  # reading the entries failed: check those read before it, then say so
            pending = err
        if chunk:
            _check_chunk(chunk, skips, ids, calls, found)
        if pending is not None:
            raise pending
        if len(chunk) < CHUNK:
            return found, skipped_at


CHUNK = 128  # entries checked together, each check over all of them in turn (see check_entries)


def _check_chunk(chunk: list[CheckEntry], skips: list[frozenset[str]], ids: list[str], calls: list, found: list[Finding]) -> None:
    per_entry: list[list[Finding] | None] = [None] * len(chunk)
    for k, call in enumerate(calls):
        check_id = ids[k]
        for i, entry in enumerate(chunk):
            skip = skips[i]
            if skip and (check_id in skip or "all" in skip):
                continue
            try:
                result = call(entry)  # a check returns an empty tuple (or list) when it finds nothing
                if result:
                    findings = per_entry[i]
                    if findings is None:
                        per_entry[i] = findings = []
                    findings.extend(result)
            except Exception as err:
                _raise_first_failure(chunk, skips, ids, calls, i, k, err)
    for findings in per_entry:
        if findings:
            found.extend(findings)


def _raise_first_failure(chunk, skips, ids, calls, i: int, k: int, err: Exception) -> None:
    """Check ``k`` failed on entry ``i``. An entry-by-entry run would have met first any failure of a
    later check on an earlier entry: run those pairs, in that order, and report the first failure."""
    for j in range(i):
        for later in range(k + 1, len(calls)):
            skip = skips[j]
            if skip and (ids[later] in skip or "all" in skip):
                continue
            try:
                result = calls[later](chunk[j])
                if result:
                    list(result)
            except Exception as earlier:
                _raise_failure(ids[later], chunk[j], earlier)
    _raise_failure(ids[k], chunk[i], err)


def _raise_failure(check_id: str, entry: CheckEntry, err: Exception) -> None:
    if isinstance(err, TolmachError):
        raise err
    # a broken plug-in: say which check and where, exit 2
    raise TolmachError(f"check {check_id!r} failed: {type(err).__name__}: {err}", entry.path, entry.line) from err


def finish_checks(
    checks: Sequence[Check], found: list[Finding], skipped_at: SkippedAt, disable: Iterable[str] = ()
) -> list[Finding]:
    """Add the checks' findings across entries, drop what is switched off, sort by place."""
    found = list(found)
    for check in checks:
        try:
            found.extend(check.finish())
        except TolmachError:
            raise
        except Exception as err:
            raise TolmachError(f"check {check.id!r} failed: {type(err).__name__}: {err}") from err
    disabled = set(disable)
    kept = []
    for f in found:
        if f.check_id in disabled:
            continue
        skip = skipped_at.get((f.path, f.line))
        if skip and (f.check_id in skip or "all" in skip):
            continue
        kept.append(f)
    kept.sort(key=lambda f: (f.path, f.line))
    return kept


# --------------------------------------------------------------------------------------------------
# The whole run, as ``tolmach check`` does it


def glossary_paths(explicit: Sequence[str | Path] | None, config: Any) -> tuple[list[Path], bool]:
    """Where the glossary is, and whether the user named it (see :meth:`Config.glossary_paths`)."""
    return config.glossary_paths(explicit or ())


def load_project_glossary(paths: list[Path], required: bool) -> Any:
    """The glossary at ``paths``; ``None`` where there is none, or where glossary support is not
    installed and the glossary was only found by convention (``required`` false)."""
    if not paths:
        return None
    try:
        from ..glossary import load_glossary  # type: ignore[attr-defined]
        import tolmach.checks.glossary  # noqa: F401
    except ImportError as err:
        if required:
            raise TolmachError(f"glossary checks are not available in this installation ({err})") from None
        return None
    return load_glossary(paths)


def check_paths(
    paths: Iterable[str | Path] | None = None,
    *,
    glossary: Sequence[str | Path] | None = None,
    use_glossary: bool = True,
    include_fuzzy: bool = False,
    disable: Iterable[str] = (),
    only: Iterable[str] = (),
    config: Any = None,
    check_options: dict[str, dict[str, Any]] | None = None,
    cache: bool = True,
) -> CheckResult:
    """Check the PO files at ``paths`` (default ``locales``) as ``tolmach check`` does.

    With ``cache``, the results of a file whose bytes, glossary, settings and code are unchanged
    since the last run in this folder are reused (:mod:`tolmach.checks.cache`).

    ``config`` is a :class:`tolmach.config.Config` (default: the project ``paths`` are in); its
    ``[checks] disable`` list adds to ``disable`` and ``[checks.<id>]`` tables give check options;
    ``check_options`` (id -> options, from the command line) override those.
    """
    if config is None:
        from ..config import project_config

        paths = list(paths) if paths is not None else None
        config = project_config(paths or ())
    checks_cfg = config.get("checks", {}) or {}
    if not isinstance(checks_cfg, dict):
        raise TolmachError("[checks] must be a table", config.source)
    cfg_disable = checks_cfg.get("disable", []) or []
    if isinstance(cfg_disable, str):
        cfg_disable = [cfg_disable]
    where = f"configuration {config.source}" if config.source else "configuration"
    disabled = set(validate_ids(cfg_disable, f"{where} [checks] disable")) | set(validate_ids(disable, "--disable"))
    only_ids = validate_ids(only, "--only")
    options = {k: v for k, v in checks_cfg.items() if isinstance(v, dict)}
    validate_ids(options, f"{where} [checks.<id>]")  # a misspelt id's options would go nowhere
    for check_id, given in (check_options or {}).items():  # command-line options win over the configuration
        options[check_id] = {**options.get(check_id, {}), **given}

    files = find_po_files(paths)
    wants_glossary = use_glossary and GLOSSARY_CHECK not in disabled and (not only_ids or GLOSSARY_CHECK in only_ids)
    project_glossary = None
    if wants_glossary:
        gpaths, required = glossary_paths(glossary, config)
        project_glossary = load_project_glossary(gpaths, required)

    checks = build_checks(glossary=project_glossary, disable=disabled, only=only_ids, options=options)
    # a confidence threshold (--min-confidence or [checks.confidence]) implies --fuzzy: the drafts
    # it is about are fuzzy entries
    include_fuzzy = include_fuzzy or any(c.id == "confidence" and c.min_confidence is not None for c in checks)
    results = None
    if cache and cacheable(checks):
        settings = {
            "fuzzy": include_fuzzy, "disabled": sorted(disabled), "only": sorted(only_ids), "options": options,
            "checks": [c.id for c in checks],
        }  # fmt: skip
        gfiles = project_glossary.files if project_glossary is not None else ()
        results = ResultCache.for_folder(Path.cwd(), fingerprint(checks, gfiles, settings))
    found: list[Finding] = []
    skipped_at: SkippedAt = {}
    count = skipped_fuzzy = 0
    checked: list[CheckEntry] = []
    for f in files:
        name = str(f)
        digest = hit = data = None
        if results is not None:
            # read once: the results kept under this digest are those of these very bytes (a file
            # saved between a hash and a second read would be cached under the wrong content)
            data = _read_bytes(f)
            digest = ResultCache.digest(data)
            hit = results.get(name, digest)
        if hit is None:
            counts: dict = {"skipped_fuzzy": 0}
            entries = read_po(f, include_fuzzy=include_fuzzy, counts=counts, data=data)
            file_found, file_skipped = check_entries(entries, checks)
            # PO entries, not translations: the forms of a plural entry are one entry (as JUnit
            # counts its test cases)
            hit = (len({e.line for e in entries}), file_found, file_skipped, [c.file_state(name) for c in checks if _stateful(c)],
                   counts["skipped_fuzzy"], entries)
            if results is not None:
                results.put(name, digest, hit)
        else:
            for check, state in zip([c for c in checks if _stateful(c)], hit[3]):
                check.add_file_state(name, state)
        count += hit[0]
        found.extend(hit[1])
        skipped_at.update(hit[2])
        skipped_fuzzy += hit[4]
        checked.extend(hit[5])
    findings = finish_checks(checks, found, skipped_at, disabled)
    if results is not None:
        results.save()
    return CheckResult(findings=findings, files=[str(f) for f in files], entries=count, checks=checks,
                       skipped_fuzzy=skipped_fuzzy, glossary_used=any(c.id == GLOSSARY_CHECK for c in checks),
                       glossary_wanted=wants_glossary,
                       checked=checked)


def _stateful(check: Check) -> bool:
    return type(check).finish is not Check.finish


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise TolmachError(f"cannot read PO file: {err.strerror}", path) from None


__all__ = [
    "CheckResult",
    "ERROR",
    "WARNING",
    "INFO",
    "check_paths",
    "find_po_files",
    "read_po",
    "discover_checks",
    "known_check_ids",
    "check_classes",
    "build_checks",
    "run_checks",
    "entry_disabled_checks",
    "glossary_paths",
    "load_project_glossary",
    "allowed_latin_from",
    "validate_ids",
]
