"""Translation memory (reviewed paragraphs) and the machine-translation cache, in one SQLite file.

The translation memory holds one row per (language pair, whitespace-normalised source paragraph):
the latest reviewed translation wins. ``translate`` asks it for an exact match first, then for
fuzzy suggestions, and only then calls the model. The MT cache holds raw model output per
*sentence*, keyed by the engine signature (model + settings), so that re-running on an unchanged
project calls the model zero times.

Storage notes:

* Exact lookup goes through a 64-bit hash of (languages, normalised source) with a unique index,
  so it stays one index probe however large the memory grows.
* Fuzzy lookup keeps the sources of one language pair in memory, sorted by length. For
  ``fuzz.ratio`` a score of ``t`` is impossible unless the lengths are within
  ``[n * t / (200 - t), n * (200 - t) / t]``, so only that slice goes to ``rapidfuzz``. The
  in-memory copy is rebuilt when this or another process has written to the file
  (``PRAGMA data_version``).
* WAL journal, a busy timeout and ``BEGIN IMMEDIATE`` write transactions: several processes may
  sync into one memory at once.
* A dry run only reads: the file is opened read-only (or, where there is none yet, an empty memory
  in RAM stands for it), and the units a real run would add first are kept beside it in RAM
  (:class:`PlannedMemory`), so that its lookups find what the real run's will.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import sqlite3
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from .errors import TolmachError
from .fsutil import atomic_write_bytes
from .xmlinput import xml_safe

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 60_000
_CHUNK = 500  # bound parameters per statement, well under SQLite's limit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS tm_units (
    id          INTEGER PRIMARY KEY,
    key         INTEGER NOT NULL UNIQUE,   -- hash of (source_lang, target_lang, normalised source)
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source      TEXT NOT NULL,
    target      TEXT NOT NULL,
    origin      TEXT NOT NULL DEFAULT '',
    updated     REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS tm_units_pair ON tm_units (source_lang, target_lang);
CREATE TABLE IF NOT EXISTS mt_cache (
    key         BLOB PRIMARY KEY,          -- hash of (signature, normalised sentence)
    signature   TEXT NOT NULL,
    sentence    TEXT NOT NULL,
    translation TEXT NOT NULL,
    created     REAL NOT NULL
) WITHOUT ROWID;
"""

def normalize_text(text: str) -> str:
    """The form lookups compare: NFC, whitespace runs collapsed to one space, ends stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def normalize_lang(lang: str) -> str:
    """``ru_RU``, ``ru-RU``, ``RU`` -> ``ru``: the memory is keyed by base language."""
    from .potext import base_language

    base = base_language(lang)
    if not base:
        raise TolmachError(f"empty language code {lang!r}")
    return base


def _unit_key(norm_source: str, source_lang: str, target_lang: str) -> int:
    digest = hashlib.blake2b(
        f"{source_lang}\0{target_lang}\0{norm_source}".encode(), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


def _cache_key(signature: str, norm_sentence: str) -> bytes:
    return hashlib.blake2b(f"{signature}\0{norm_sentence}".encode(), digest_size=16).digest()


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _refuse_tables(tables: set[str], path: Path) -> None:
    """Tables of an existing SQLite file that make it somebody else's, not a translation memory."""
    if tables and not {"schema_version", "tm_units"} <= tables:
        names = ", ".join(sorted(tables)[:5])
        raise TolmachError(f"not a translation memory: an SQLite file with other tables ({names}); nothing written",
                           path)


class _Database:
    """One connection to the memory file, schema checked, errors turned into TolmachError."""

    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = Path(path)
        if read_only:
            self._connect_read_only()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise TolmachError(f"cannot create the memory folder: {err.strerror}", self.path) from None
        if self.path.is_dir():
            raise TolmachError("is a directory, expected a translation memory file", self.path)
        self._refuse_foreign()
        with self.guard():
            # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE below)
            self.conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            try:
                self._setup_waiting()
            except BaseException:
                self.conn.close()
                raise

    def _refuse_foreign(self) -> None:
        """An SQLite file that holds other tables than a memory's (a browser's places.sqlite given as
        --memory by mistake) is refused before anything is written to it: setting a memory up
        switches the file to WAL and adds tables."""
        if not self.path.is_file() or self.path.stat().st_size == 0:
            return
        with self.guard():
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
            try:
                tables = _tables(conn)
            finally:
                conn.close()
        _refuse_tables(tables, self.path)

    def _connect_read_only(self) -> None:
        """Read the file as it is and change nothing on disk: no folder, file, table or journal mode
        is made. SQLite reading a WAL database makes its ``-wal`` and ``-shm`` files where they are
        not (and a reader cannot remove them): unless a writer has them open (both exist), the file
        is opened as immutable. No memory there yet: an empty one in RAM, as the real run would
        find it."""
        if self.path.is_dir():
            raise TolmachError("is a directory, expected a translation memory file", self.path)
        with self.guard():
            if self.path.exists():
                in_use = all(Path(f"{self.path}{suffix}").exists() for suffix in ("-wal", "-shm"))
                uri = f"{self.path.resolve().as_uri()}?{'mode=ro' if in_use else 'immutable=1'}"
                self.conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
                try:
                    tables = _tables(self.conn)
                    if {"schema_version", "tm_units", "mt_cache"} <= tables:
                        self._check_version()
                        return
                    _refuse_tables(tables, self.path)
                except BaseException:
                    self.conn.close()
                    raise
                self.conn.close()  # a file without the tables (empty): the real run would add them
            self.conn = sqlite3.connect(":memory:", isolation_level=None)
            self.conn.executescript(_SCHEMA)

    def _check_version(self) -> None:
        row = self.conn.execute("SELECT max(version) FROM schema_version").fetchone()
        if row[0] is not None and row[0] > SCHEMA_VERSION:
            raise TolmachError(
                f"translation memory has schema version {row[0]}; this Tolmach reads up to"
                f" {SCHEMA_VERSION} (upgrade Tolmach)",
                self.path,
            )

    def _setup_waiting(self) -> None:
        """:meth:`_setup`, waiting while another process sets the same file up.

        Two processes opening a new memory at once both switch it to WAL and create its tables;
        SQLite answers "database is locked" at once, without its busy handler, to the one that
        comes second during that switch (seen: 20 of 80 processes started in pairs). Waiting and
        trying again, within the busy timeout, is what the busy handler would have done.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        pause = 0.005
        while True:
            try:
                self._setup()
                return
            except sqlite3.OperationalError as err:
                if "locked" not in str(err) and "busy" not in str(err) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)

    def _setup(self) -> None:
        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise TolmachError(f"cannot switch the memory to WAL mode (got {mode})", self.path)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("BEGIN IMMEDIATE")  # not self.transaction(): its errors must reach the retry
        try:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
            if row[0] is None:
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
            else:
                self._check_version()
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as err:
            text = str(err)
            if "not a database" in text or "malformed" in text:
                text = f"not a valid translation memory (SQLite says: {text})"
            elif "locked" in text or "busy" in text:
                text = f"translation memory is busy ({text}); another process holds it too long"
            else:
                text = f"translation memory: {text}"
            raise TolmachError(text, self.path) from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; IMMEDIATE takes the write lock up front so writers queue, not fail."""
        with self.guard():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    def data_version(self) -> int:
        with self.guard():
            return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        self.conn.close()


@dataclass(frozen=True)
class MemoryMatch:
    """A translation-memory suggestion: the stored source, its translation, similarity 0-100."""

    source: str
    target: str
    score: float
    origin: str = ""


_STEM = 5  # word prefix used as a token: "президент", "президента" -> "прези"
_PUNCT = str.maketrans({c: " " for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~«»—–…“”„‘’‚"})


def _stems(text: str) -> set[str]:
    """Prefixes of the words of 3+ characters (short function words say little)."""
    return {word[:_STEM] for word in text.translate(_PUNCT).split() if len(word) > 2}


class _PairIndex:
    """Sources of one language pair, lower-cased and normalised, sorted by length.

    Fuzzy search first keeps the length window that ``fuzz.ratio >= threshold`` allows (no match
    is lost). When that window is wider than ``exhaustive_limit`` rows, it ranks the window by
    shared word stems (an inverted index, built on first need) and scores only the best
    ``shortlist`` with rapidfuzz. That step could in theory miss a match that shares few words
    yet many characters; for prose a paragraph 75% similar by characters shares most stems.
    """

    exhaustive_limit = 4000
    shortlist = 400

    def __init__(self, rows: list[tuple[int, str]]):
        entries = sorted(((len(text), text, row_id) for row_id, text in rows), key=lambda e: e[0])
        self.lengths = [e[0] for e in entries]
        self.texts = [e[1] for e in entries]
        self.ids = [e[2] for e in entries]
        self._postings: dict | None = None  # stem -> numpy array of positions
        self._stem_counts = None

    def __len__(self) -> int:
        return len(self.texts)

    def search(self, query: str, threshold: float, limit: int) -> list[tuple[int, float]]:
        """``(row id, score)`` of the best matches, best first."""
        from rapidfuzz import fuzz, process

        n = len(query)
        # lossless for fuzz.ratio: 2*common/(n+m) >= t/100 needs m within these bounds
        low = bisect.bisect_left(self.lengths, n * threshold / (200 - threshold) - 1e-9)
        high = bisect.bisect_right(self.lengths, n * (200 - threshold) / threshold + 1e-9)
        if low >= high:
            return []
        if high - low <= self.exhaustive_limit:
            positions = range(low, high)
        else:
            positions = self._shortlist(query, low, high)
        choices = [self.texts[p] for p in positions]
        hits = process.extract(
            query, choices, scorer=fuzz.ratio, processor=None, score_cutoff=threshold, limit=limit
        )
        return [(self.ids[positions[i]], float(score)) for _, score, i in hits]

    def _shortlist(self, query: str, low: int, high: int) -> list[int]:
        import numpy as np

        if self._postings is None:
            postings: dict[str, list[int]] = {}
            counts = []
            get = postings.get
            for position, text in enumerate(self.texts):
                stems = _stems(text)
                counts.append(len(stems))
                for stem in stems:
                    bucket = get(stem)
                    if bucket is None:
                        postings[stem] = [position]
                    else:
                        bucket.append(position)
            self._postings = {s: np.asarray(p, dtype=np.int64) for s, p in postings.items()}
            self._stem_counts = np.asarray(counts, dtype=np.float32)
        stems = _stems(query)
        lists = [self._postings[s] for s in stems if s in self._postings]
        if not lists:
            return []
        hits = np.concatenate(lists)
        hits = hits[(hits >= low) & (hits < high)]
        shared = np.bincount(hits - low, minlength=high - low).astype(np.float32)
        # Dice coefficient of the stem sets
        dice = 2 * shared / (len(stems) + self._stem_counts[low:high])
        keep = min(self.shortlist, int(np.count_nonzero(shared)))
        if keep == 0:
            return []
        best = np.argpartition(-dice, keep - 1)[:keep]
        return sorted(int(b) + low for b in best)


class TranslationMemory:
    """Reviewed paragraph translations, looked up exactly (hash index) or fuzzily (rapidfuzz).

    ``read_only``: only look things up, and change nothing on disk (see :class:`_Database`).
    """

    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = Path(path)
        self._db = _Database(self.path, read_only)
        self._pairs: dict[tuple[str, str], _PairIndex] = {}
        self._seen_version: int | None = None
        self._own_writes = 0
        self._indexed_writes = 0

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._db.close()
        self._pairs.clear()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        with self._db.guard():
            return self._db.conn.execute("SELECT count(*) FROM tm_units").fetchone()[0]

    def pairs(self) -> dict[tuple[str, str], int]:
        """Number of units per (source language, target language)."""
        with self._db.guard():
            rows = self._db.conn.execute(
                "SELECT source_lang, target_lang, count(*) FROM tm_units"
                " GROUP BY source_lang, target_lang ORDER BY 1, 2"
            ).fetchall()
        return {(s, t): n for s, t, n in rows}

    # -- writing -----------------------------------------------------------------------------

    def add(
        self, source: str, target: str, source_lang: str, target_lang: str, origin: str = ""
    ) -> None:
        self.add_many([(source, target, source_lang, target_lang, origin)])

    def add_many(self, rows: Iterable[tuple[str, str, str, str, str]]) -> int:
        """Add or update units in one transaction; returns how many were new or changed.

        Rows are ``(source, target, source_lang, target_lang, origin)``. Empty sources or targets
        are skipped. A source already present for the pair takes the new target and origin.
        """
        now = time.time()
        prepared = []
        for source, target, source_lang, target_lang, origin in rows:
            norm = normalize_text(source)
            if not norm or not target.strip():
                continue
            sl, tl = normalize_lang(source_lang), normalize_lang(target_lang)
            prepared.append((_unit_key(norm, sl, tl), sl, tl, source, target, origin or "", now))
        if not prepared:
            return 0
        # one write per unit: where rows repeat a source (two catalogs of one paragraph), the last wins
        prepared = list({row[0]: row for row in prepared}.values())
        with self._db.transaction() as conn:
            before = conn.total_changes
            conn.executemany(
                "INSERT INTO tm_units (key, source_lang, target_lang, source, target, origin, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET source = excluded.source,"
                " target = excluded.target, origin = excluded.origin, updated = excluded.updated"
                " WHERE tm_units.target != excluded.target OR tm_units.source != excluded.source",
                prepared,
            )
            changed = conn.total_changes - before
        self._own_writes += 1
        return changed

    # -- exact lookup ------------------------------------------------------------------------

    def exact(self, source: str, source_lang: str, target_lang: str) -> str | None:
        return self.exact_many([source], source_lang, target_lang).get(source)

    def exact_many(
        self, sources: Sequence[str], source_lang: str, target_lang: str
    ) -> dict[str, str]:
        """Map each source (as given) that the memory holds to its translation."""
        sl, tl = normalize_lang(source_lang), normalize_lang(target_lang)
        wanted: dict[int, list[tuple[str, str]]] = {}
        for source in sources:
            norm = normalize_text(source)
            if norm:
                wanted.setdefault(_unit_key(norm, sl, tl), []).append((source, norm))
        found: dict[str, str] = {}
        keys = list(wanted)
        with self._db.guard():
            for chunk in _chunks(keys):
                marks = ",".join("?" * len(chunk))
                for key, stored_source, target in self._db.conn.execute(
                    f"SELECT key, source, target FROM tm_units WHERE key IN ({marks})", chunk
                ):
                    stored_norm = normalize_text(stored_source)
                    for source, norm in wanted[key]:
                        if norm == stored_norm:  # a hash collision must not give a wrong text
                            found[source] = target
        return found

    # -- fuzzy lookup ------------------------------------------------------------------------

    def fuzzy(
        self,
        source: str,
        source_lang: str,
        target_lang: str,
        threshold: float = 75,
        limit: int = 3,
    ) -> list[MemoryMatch]:
        """Up to ``limit`` stored units whose source is at least ``threshold`` similar (0-100).

        Similarity is rapidfuzz's ``fuzz.ratio`` (normalised edit similarity) on lower-cased,
        whitespace-normalised text: ``token_set_ratio`` would score a sentence that merely
        contains the query as 100, which is useless as a translation suggestion. Best first.
        """
        if not 0 < threshold <= 100:
            raise TolmachError(f"fuzzy threshold must be in (0, 100], got {threshold}")
        if limit < 1:
            return []
        query = normalize_text(source).lower()
        if not query:
            return []
        index = self._pair_index(normalize_lang(source_lang), normalize_lang(target_lang))
        hits = index.search(query, threshold, limit)
        if not hits:
            return []
        ids = [row_id for row_id, _ in hits]
        with self._db.guard():
            marks = ",".join("?" * len(ids))
            rows = {
                row_id: (src, tgt, origin)
                for row_id, src, tgt, origin in self._db.conn.execute(
                    f"SELECT id, source, target, origin FROM tm_units WHERE id IN ({marks})", ids
                )
            }
        matches = []
        for row_id, score in hits:
            if row_id in rows:  # gone if another process rewrote it since the index was built
                src, tgt, origin = rows[row_id]
                matches.append(MemoryMatch(src, tgt, round(score, 2), origin))
        return matches

    def _pair_index(self, sl: str, tl: str) -> _PairIndex:
        version = self._db.data_version()
        if version != self._seen_version or self._own_writes != self._indexed_writes:
            self._pairs.clear()
            self._seen_version = version
            self._indexed_writes = self._own_writes
        index = self._pairs.get((sl, tl))
        if index is None:
            with self._db.guard():
                rows = self._db.conn.execute(
                    "SELECT id, source FROM tm_units WHERE source_lang = ? AND target_lang = ?",
                    (sl, tl),
                ).fetchall()
            index = _PairIndex([(row_id, normalize_text(src).lower()) for row_id, src in rows])
            self._pairs[(sl, tl)] = index
        return index

    # -- catalogs ----------------------------------------------------------------------------

    def sync(self, po_paths: Iterable[Path]) -> int:
        """Take every reviewed unit (translated, not fuzzy, not obsolete) of the given catalogs.

        Languages come from the PO header: ``Language`` is the target, ``X-Source-Language`` the
        source (default: the other of en/ru). Plural entries are skipped: they are UI strings,
        not paragraphs. One transaction; where catalogs disagree on a source, the one saved last
        wins (:func:`reviewed_units_of`). Returns units new or changed.
        """
        return self.add_many(reviewed_units_of(po_paths))

    def sync_catalog(self, catalog, path: Path) -> int:
        """Take the reviewed units of a catalog already read from ``path``."""
        return self.add_many(reviewed_rows(catalog, Path(path)))

    # -- TMX ---------------------------------------------------------------------------------

    def export_tmx(
        self, path: str | Path, source_lang: str | None = None, target_lang: str | None = None
    ) -> int:
        """Write the memory (or one direction of it) as TMX 1.4, atomically; returns units written."""
        from translate.storage.tmx import tmxfile

        where, params = [], []
        if source_lang:
            where.append("source_lang = ?")
            params.append(normalize_lang(source_lang))
        if target_lang:
            where.append("target_lang = ?")
            params.append(normalize_lang(target_lang))
        sql = "SELECT source_lang, target_lang, source, target, origin FROM tm_units"
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._db.guard():
            rows = self._db.conn.execute(sql + " ORDER BY id", params).fetchall()
        target = Path(path)
        if target.exists() and target.resolve() == self.path.resolve():
            raise TolmachError("is the translation memory being exported: give the TMX file another name", path)
        for _sl, _tl, source, text, _origin in rows:
            if not (xml_safe(source) and xml_safe(text)):
                raise TolmachError(
                    f"a unit has control characters that XML cannot hold, nothing written (source {source[:40]!r})", path
                )
        source_langs = {row[0] for row in rows}
        store = tmxfile(sourcelanguage=source_langs.pop() if len(source_langs) == 1 else "en")
        header = store.document.getroot().find(store.namespaced("header"))
        if header is not None:
            header.set("segtype", "paragraph")  # memory units are PO entries, i.e. paragraphs
            if len({row[0] for row in rows}) > 1:
                header.set("srclang", "*all*")
        for sl, tl, source, target, origin in rows:
            store.addtranslation(source, sl, target, tl, comment=origin or None)
        buffer = io.BytesIO()
        store.serialize(buffer)
        atomic_write_bytes(path, buffer.getvalue())
        return len(rows)

    def import_tmx(self, path: str | Path) -> int:
        """Add the translation units of a TMX file; returns units new or changed.

        Each ``<tu>`` gives one unit per other language: from its ``srclang`` (or the header's,
        or its first ``<tuv>`` when that is ``*all*``) to each other language it holds.
        """
        return self.add_many(read_tmx(Path(path)))


class PlannedMemory:
    """The translation memory as a run has it once it added the reviewed units it was given, for a
    dry run, which must find what the real run will and write nothing: the file is only read, and
    the units given to :meth:`add_many` and :meth:`sync` stay here, in RAM, where they win over the
    stored ones as they would once written (a later unit over an earlier one, too)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._stored = TranslationMemory(self.path, read_only=True)
        self._units: dict[int, tuple[str, str, str, str, str]] = {}  # key -> (source, target, sl, tl, origin)
        self._pairs: dict[tuple[str, str], _PairIndex] = {}

    def close(self) -> None:
        self._stored.close()

    def __enter__(self) -> PlannedMemory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add_many(self, rows: Iterable[tuple[str, str, str, str, str]]) -> int:
        """As :meth:`TranslationMemory.add_many`, in RAM; returns the units taken."""
        taken = 0
        for source, target, source_lang, target_lang, origin in rows:
            norm = normalize_text(source)
            if not norm or not target.strip():
                continue
            sl, tl = normalize_lang(source_lang), normalize_lang(target_lang)
            self._units[_unit_key(norm, sl, tl)] = (source, target, sl, tl, origin or "")
            taken += 1
        self._pairs.clear()
        return taken

    def sync(self, po_paths: Iterable[Path]) -> int:
        return self.add_many(reviewed_units_of(po_paths))

    def _planned(self, source: str, sl: str, tl: str) -> tuple[str, str, str, str, str] | None:
        norm = normalize_text(source)
        unit = self._units.get(_unit_key(norm, sl, tl)) if norm else None
        return unit if unit is not None and normalize_text(unit[0]) == norm else None

    def exact_many(self, sources: Sequence[str], source_lang: str, target_lang: str) -> dict[str, str]:
        found = self._stored.exact_many(sources, source_lang, target_lang)
        sl, tl = normalize_lang(source_lang), normalize_lang(target_lang)
        for source in sources:
            unit = self._planned(source, sl, tl)
            if unit is not None:
                found[source] = unit[1]
        return found

    def fuzzy(self, source: str, source_lang: str, target_lang: str, threshold: float = 75,
              limit: int = 3) -> list[MemoryMatch]:
        """As :meth:`TranslationMemory.fuzzy`, over the stored units and the planned ones."""
        stored = self._stored.fuzzy(source, source_lang, target_lang, threshold, limit)
        query = normalize_text(source).lower()
        if not query or limit < 1:
            return stored
        sl, tl = normalize_lang(source_lang), normalize_lang(target_lang)
        index = self._pairs.get((sl, tl))
        if index is None:
            index = self._pairs[(sl, tl)] = _PairIndex(
                [(key, normalize_text(u[0]).lower()) for key, u in self._units.items() if u[2:4] == (sl, tl)])
        # the best of both are the best of all: a planned unit replaces the stored one of its source
        matches = {}
        for m in stored:
            unit = self._planned(m.source, sl, tl)
            matches[_unit_key(normalize_text(m.source), sl, tl)] = (
                m if unit is None else MemoryMatch(unit[0], unit[1], m.score, unit[4]))
        for key, score in index.search(query, threshold, limit):
            src, tgt, _, _, origin = self._units[key]
            matches[key] = MemoryMatch(src, tgt, round(score, 2), origin)
        return sorted(matches.values(), key=lambda m: -m.score)[:limit]


def read_tmx(path: Path) -> list[tuple[str, str, str, str, str]]:
    """``(source, target, source_lang, target_lang, origin)`` rows of a TMX file."""
    from lxml import etree
    from translate.misc.xml_helpers import getXMLlang, getXMLspace
    from translate.storage.tmx import tmxfile

    from .xmlinput import read_xml_input, xml_error_text

    data = read_xml_input(path, "TMX file")
    try:
        store = tmxfile.parsestring(data)
    except etree.XMLSyntaxError as err:
        line = err.lineno if getattr(err, "lineno", None) else None
        raise TolmachError(f"malformed TMX: {xml_error_text(err)}", path, line) from None
    except (AssertionError, AttributeError, ValueError) as err:
        raise TolmachError(f"not a TMX file ({str(err) or 'root element is not <tmx>'})", path) from None
    if store.body is None:
        raise TolmachError("not a TMX file (no <body>)", path)
    header_lang = store.sourcelanguage
    rows = []
    for unit in store.units:
        texts: list[tuple[str, str]] = []
        space = getXMLspace(unit.xmlelement, unit._default_xml_space)
        for node in unit.getlanguageNodes():
            lang = getXMLlang(node)
            text = unit.getNodeText(node, space)
            if lang and text:
                try:
                    texts.append((normalize_lang(lang), text))
                except TolmachError as err:
                    raise TolmachError(err.message, path, node.sourceline) from None
        if len(texts) < 2:
            continue
        src_lang = unit.xmlelement.get("srclang") or header_lang
        if not src_lang or src_lang.lower() == "*all*":
            src_lang = texts[0][0]
        try:
            src_lang = normalize_lang(src_lang)
        except TolmachError as err:
            raise TolmachError(err.message, path, unit.xmlelement.sourceline) from None
        sources = [text for lang, text in texts if lang == src_lang]
        if not sources:
            continue
        origin = unit.getnotes().strip() or path.name
        for lang, text in texts:
            if lang != src_lang:
                rows.append((sources[0], text, src_lang, lang, origin))
    return rows


def reviewed_units_of(paths: Iterable[str | Path]) -> list[tuple[str, str, str, str, str]]:
    """The reviewed units of every catalog of ``paths`` (each read, a bad one refused), those of
    the catalog saved last last: where two catalogs hold different reviewed translations of one
    source, the newer review is the one the memory keeps, whatever order the paths come in."""
    files = sorted(map(Path, paths), key=lambda p: (p.stat().st_mtime_ns, str(p)))
    return [row for p in files for row in reviewed_units(p)]


def reviewed_units(path: Path) -> list[tuple[str, str, str, str, str]]:
    """The TM rows of one catalog: translated, not fuzzy, not obsolete, not plural."""
    from .catalog import load_catalog

    return reviewed_rows(load_catalog(path), path)


def reviewed_rows(catalog, path: Path) -> list[tuple[str, str, str, str, str]]:
    from .catalog import language_pair
    from .state import EntryState, entry_state

    source, target = language_pair(catalog, path)
    origin = str(path)
    return [
        (entry.msgid, entry.msgstr, source, target, origin)
        for entry in catalog
        if entry.msgid
        and not entry.obsolete
        and not entry.msgid_plural
        and entry.msgstr.strip()
        and entry_state(entry) is EntryState.REVIEWED
    ]


class MTCache:
    """Raw engine output per sentence, keyed by the engine signature (model + settings).

    ``read_only``: only look output up, and change nothing on disk (see :class:`_Database`).
    """

    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = Path(path)
        self._db = _Database(self.path, read_only)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> MTCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        with self._db.guard():
            return self._db.conn.execute("SELECT count(*) FROM mt_cache").fetchone()[0]

    def get_many(self, signature: str, sentences: Sequence[str]) -> dict[str, str]:
        """Map each sentence (as given) already translated under ``signature`` to its output."""
        wanted: dict[bytes, list[tuple[str, str]]] = {}
        for sentence in sentences:
            norm = normalize_text(sentence)
            if norm:
                wanted.setdefault(_cache_key(signature, norm), []).append((sentence, norm))
        found: dict[str, str] = {}
        keys = list(wanted)
        with self._db.guard():
            for chunk in _chunks(keys):
                marks = ",".join("?" * len(chunk))
                for key, sig, stored, translation in self._db.conn.execute(
                    f"SELECT key, signature, sentence, translation FROM mt_cache"
                    f" WHERE key IN ({marks})",
                    chunk,
                ):
                    if sig != signature:
                        continue
                    for sentence, norm in wanted[key]:
                        if norm == stored:
                            found[sentence] = translation
        return found

    def put_many(self, signature: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Store ``(sentence, translation)`` pairs under ``signature`` (later ones replace)."""
        now = time.time()
        rows = []
        for sentence, translation in pairs:
            norm = normalize_text(sentence)
            if norm:
                rows.append((_cache_key(signature, norm), signature, norm, translation, now))
        if not rows:
            return
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO mt_cache (key, signature, sentence, translation, created)"
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def clear(self, signature: str | None = None) -> int:
        """Drop cached output (of one signature, or all); returns rows removed."""
        with self._db.transaction() as conn:
            if signature is None:
                return conn.execute("DELETE FROM mt_cache").rowcount
            return conn.execute("DELETE FROM mt_cache WHERE signature = ?", (signature,)).rowcount
