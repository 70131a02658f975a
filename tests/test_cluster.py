"""The batch job on Ray (issue 14): a real local Ray cluster and the tiny CTranslate2 model.

One local cluster (``ray.init(num_cpus=2)``) serves the whole module. Each test compares the job's
catalogs and drafts with what ``tolmach translate-article`` writes for the same articles; the two
date headers (when a file was made) are the only lines allowed to differ.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import assert_one_line_error, assert_valid_po, tolmach

ray = pytest.importorskip("ray", reason='Ray is not installed (pip install -e ".[ray]")')

WORDS = ["Russia", "Moscow", "president", "government", "minister", "war", "peace", "city", "people",
         "news", "report", "talks", "week", "country", "economy", "police", "court", "election"]


def _sentence(i: int, j: int) -> str:
    words = [WORDS[(i * 7 + j * 3 + k) % len(WORDS)] for k in range(3 + (i + j) % 6)]
    return f"The {' and the '.join(words)} met on day {i * 10 + j}."


def make_articles(folder: Path, n: int, paragraphs: int = 4) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        paras = [f"Story number {i} about {WORDS[i % len(WORDS)]}"]
        paras += [" ".join(_sentence(i, j * 2 + k) for k in range(2)) for j in range(paragraphs)]
        path = folder / f"story-{i:03d}.txt"
        path.write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        out.append(path)
    return out


DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.M)


def assert_same(locales: Path, expected: dict[str, str]) -> None:
    """The job's files are the local run's: same names, same text (a diff of the first that is not)."""
    import difflib

    got = outputs(locales)
    assert sorted(got) == sorted(expected)
    for name in expected:
        if got[name] != expected[name]:
            diff = difflib.unified_diff(expected[name].splitlines(), got[name].splitlines(), "local", "ray",
                                        lineterm="")
            pytest.fail(f"{name} differs from the local run:\n" + "\n".join(list(diff)[:40]))


def outputs(locales: Path) -> dict[str, str]:
    """Every file under LOCALES, date headers masked."""
    return {p.relative_to(locales).as_posix(): DATES.sub(r'"\1: <date>\\n"', p.read_text(encoding="utf-8"))
            for p in sorted(locales.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, tiny_package):
    """20 articles and what `tolmach translate-article` makes of them (the reference output)."""
    root = tmp_path_factory.mktemp("corpus")
    make_articles(root / "articles", 20)
    (root / "tolmach.toml").write_text("", encoding="utf-8")
    # enforced in the workers: Moscow the model gets right, minister it leaves in English (placed by
    # the model's word alignment, which needs the model: so in the translation actors)
    (root / "glossaries").mkdir()
    (root / "glossaries" / "terms.csv").write_text(
        "source,target,kind,note,forbidden,alternatives,case_sensitive,dnt\n"
        "Moscow,Москва,place,,,,yes,\nminister,министр,title,,,,,\n", encoding="utf-8")
    env = {"TOLMACH_MODELS_DIR": str(root / "models"), "TOLMACH_PACKAGE_INDEX": "http://127.0.0.1:9/"}
    assert tolmach("models", "install", "--file", tiny_package["en_ru"], env=env).exit_code == 0
    local = project(root, "local")
    res = tolmach("translate-article", *sorted((local / "articles").glob("*.txt")), "--to", "ru",
                  cwd=local, env=env)
    assert res.exit_code == 0, res.output
    expected = outputs(local / "locales")
    assert len(expected) == 60  # 20 templates, catalogs, drafts
    # the test sees enforcement (with the tiny model's mostly English output, verification refuses
    # to put «министр» inside a run of Latin words, and says so: that is glossary work in the actors too)
    assert "glossary: not enforced министр" in expected["ru/LC_MESSAGES/story-000.po"]
    return root, env, expected


def project(root: Path, name: str) -> Path:
    work = root / name
    work.mkdir()
    for part in ("articles", "glossaries"):
        shutil.copytree(root / part, work / part)
    (work / "tolmach.toml").write_text("", encoding="utf-8")
    return work


def run_in(work: Path, env: dict, sources, progress=None, **options):
    """The job, in this process, on the module's cluster (cwd and models as the CLI would have)."""
    from tolmach.cli.pipeline import _glossary, _rules
    from tolmach.cluster import BatchOptions, run_batch
    from tolmach.config import load_config

    old_cwd, old_env = os.getcwd(), dict(os.environ)
    os.chdir(work)
    os.environ.update(env)
    try:
        config = load_config()
        opts = BatchOptions(locales=Path("locales"), to_lang="ru", engine={"beam_size": 4, "compute_type": "int8"},
                            memory_path=Path(".tolmach/memory.sqlite"), rules=_rules(config),
                            glossary=_glossary(config, (), False), **options)
        return run_batch(sources, opts, progress)
    finally:
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)


def test_same_catalogs_and_drafts_as_the_local_run(cluster, corpus):
    root, env, expected = corpus
    work = project(root, "folder")
    result = run_in(work, env, ["articles"], workers=1, threads=1, articles_per_batch=3, window=7)
    assert result.articles == 20 and not result.errors
    assert_same(work / "locales", expected)
    assert_valid_po(work / "locales/ru/LC_MESSAGES/story-000.po")
    # idempotent: a second run sends nothing to the model and changes no catalog
    before = {p: p.stat().st_mtime_ns for p in (work / "locales").rglob("*.po")}
    again = run_in(work, env, ["articles"], workers=1, threads=1)
    assert again.totals["model_calls"] == 0 and again.totals["written"] == 0
    assert before == {p: p.stat().st_mtime_ns for p in (work / "locales").rglob("*.po")}
    # the MT cache the driver wrote is complete: the local run, catalogs gone, needs no model call
    shutil.rmtree(work / "locales" / "ru")
    res = tolmach("translate-article", *sorted(Path("articles") / p.name for p in (work / "articles").glob("*.txt")),
                  "--to", "ru", cwd=work, env=env)
    assert res.exit_code == 0, res.output
    assert re.search(r"\((\d+) sentences, \1 unique, \1 cached, 0 sent to the model\)", res.output), res.output
    assert_same(work / "locales", expected)


def test_jsonl_records_give_the_same_catalogs(cluster, corpus):
    """An archive export (id, text, language): ids that are the articles' paths give the same files."""
    root, env, expected = corpus
    work = project(root, "jsonl")
    with (work / "archive.jsonl").open("w", encoding="utf-8") as fh:
        for path in sorted((root / "articles").glob("*.txt")):
            fh.write(json.dumps({"id": f"articles/{path.name}", "text": path.read_text(encoding="utf-8"),
                                 "language": "en"}, ensure_ascii=False) + "\n")
    result = run_in(work, env, ["archive.jsonl"], workers=1, threads=1, articles_per_batch=5)
    assert result.articles == 20 and not result.errors
    assert_same(work / "locales", expected)


def test_an_error_about_a_record_names_the_export_and_its_line(cluster, corpus):
    """"big: article too large" named only the record id (the segmenter's path for it): every
    per-record error names FILE:LINE, with the id after the message."""
    root, env, _ = corpus
    work = project(root, "located")
    rows = [{"id": "ok1", "text": "The minister met the people."},
            {"id": "rus", "text": "Погода была холодной.", "language": "ru"}]
    (work / "located.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                        encoding="utf-8")
    result = run_in(work, env, ["located.jsonl"], workers=1, threads=1)
    assert result.articles == 2
    assert result.errors == ["located.jsonl:2: the article is already in ru (record 'rus')"]


@pytest.mark.parametrize("bad", ["big", "empty"])
def test_an_empty_or_too_large_record_stops_the_job_before_anything_is_written(cluster, corpus, bad):
    """Found only when the run reached it, after the articles before it had been written: now
    refused by the counting pass, naming FILE:LINE and the record, with nothing on disk changed."""
    from tolmach.errors import TolmachError
    from tolmach.segment import MAX_ARTICLE_CHARS

    root, env, _ = corpus
    work = project(root, f"refused-{bad}")
    text = {"big": "Word word word. " * (MAX_ARTICLE_CHARS // 16 + 1), "empty": "   "}[bad]
    rows = [{"id": "ok1", "text": "The minister met the people."}, {"id": bad, "text": text}]
    (work / "huge.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    before = sorted(p.relative_to(work) for p in work.rglob("*"))
    with pytest.raises(TolmachError) as err:
        run_in(work, env, ["huge.jsonl"], workers=1, threads=1)
    message = {"big": "article too large", "empty": "empty article: nothing to translate"}[bad]
    assert str(err.value).startswith(f"huge.jsonl:2: {message}") and str(err.value).endswith(f"(record '{bad}')")
    assert sorted(p.relative_to(work) for p in work.rglob("*")) == before


def test_an_empty_article_file_stops_the_command_before_anything_is_written(tmp_path, tiny_env):
    """The command's own run (a local cluster): an empty article in the folder failed only when
    the run reached it, after the first article's catalog was written. The summary wording ("1
    article", not "1 articles") is tested on the run that follows."""
    from helpers import tolmach_process

    work = tmp_path / "work"
    articles = work / "articles"
    articles.mkdir(parents=True)
    (articles / "a1.txt").write_text("The minister met the people.\n", encoding="utf-8")
    (articles / "a2.txt").write_text(" \n\n", encoding="utf-8")
    proc = tolmach_process("batch", "articles", "--to", "ru", "--workers", "1", cwd=work, env=tiny_env,
                           timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == "tolmach: error: articles/a2.txt: empty article: nothing to translate"
    assert sorted(p.name for p in work.rglob("*")) == ["a1.txt", "a2.txt", "articles"]
    (articles / "a2.txt").unlink()
    proc = tolmach_process("batch", "articles", "--to", "ru", "--workers", "1", cwd=work, env=tiny_env,
                           timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ("1 article: filled 1 entry, 0 from memory, 1 by machine translation "
                                   "(1 sentence, 0 cached, 1 sent to the model); 1 machine draft to review")
    assert "batch: 1/1 article" in proc.stderr


def _translator_pids() -> list[int]:
    """The processes of the live translation actors (from the GCS: no dashboard needed)."""
    from ray._private import state

    return [a["Pid"] for a in state.actors().values()
            if a["State"] == "ALIVE" and "_Translator" in a["ActorClassName"] and a.get("Pid")]


def test_a_killed_worker_is_replaced_and_every_catalog_is_complete(cluster, corpus):
    root, env, expected = corpus
    work = project(root, "killed-worker")
    killed: list[int] = []
    finished: list[str] = []

    def progress(done, total, article):
        finished.append(article.reference)
        if not killed:  # mid-run: the first article is back, the others are still in the pipeline
            for pid in _translator_pids():
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)

    result = run_in(work, env, ["articles"], progress, workers=1, threads=1, articles_per_batch=1, window=20)
    assert killed, "no translation worker was found to kill"
    assert not result.errors
    assert sorted(finished) == sorted(set(finished)) and len(finished) == 20  # each article once
    assert result.totals["model_calls"] == 20 * 9  # each article's 9 sentences, translated for it once
    assert_same(work / "locales", expected)


def test_a_restarted_driver_translates_only_the_unfinished_articles(cluster, corpus):
    root, env, expected = corpus
    work = project(root, "killed-driver")
    full_env = {**os.environ, **env}
    args = [sys.executable, "-m", "tolmach", "batch", "articles", "--to", "ru", "--ray", cluster,
            "--articles-per-batch", "1", "--window", "4"]
    proc = subprocess.Popen(args, cwd=work, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.time() + 240
    while time.time() < deadline:  # kill it once some, not all, catalogs are done
        done = _complete(work)
        if done >= 4:
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    time.sleep(2)  # the dead driver's tasks are being ended: let them go before counting
    first = _complete(work)
    assert 4 <= first < 20, f"{first} articles done when the driver was killed"
    again = subprocess.run(args, cwd=work, env=full_env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    filled = int(re.search(r"filled (\d+) entries", again.stdout).group(1))
    sent = int(re.search(r"(\d+) sent to the model", again.stdout).group(1))
    # an article is 5 entries and 9 sentences of its own: the re-run did the unfinished ones only,
    # and sent the model nothing of the finished ones
    assert filled % 5 == 0 and 0 < filled // 5 <= 20 - first, again.stdout
    assert sent == 9 * (filled // 5), again.stdout
    assert_same(work / "locales", expected)


def _complete(work: Path) -> int:
    """Catalogs whose every entry is filled (a catalog is written in one atomic step)."""
    import polib

    n = 0
    for p in (work / "locales/ru/LC_MESSAGES").glob("*.po") if (work / "locales/ru/LC_MESSAGES").is_dir() else ():
        try:
            po = polib.pofile(str(p))
        except OSError:
            continue
        n += bool(len(po)) and all(e.msgstr for e in po)
    return n


def test_without_ray_the_command_says_how_to_install_it(tmp_path):
    """A real process in which `import ray` fails: one line, exit 2, nothing written."""
    make_articles(tmp_path / "articles", 1)
    code = ("import sys; sys.modules['ray'] = None; from tolmach.cli import main; "
            "main(['batch', 'articles', '--to', 'ru'], prog_name='tolmach')")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert_one_line_error(proc, 'pip install "tolmach[ray]"')
    assert not (tmp_path / "locales").exists()


# --- input at archive scale (no cluster needed) ---------------------------------------------------


def test_articles_from_folders_globs_jsonl_and_parquet(tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tolmach.cluster import count_articles, iter_articles

    monkeypatch.chdir(tmp_path)
    make_articles(tmp_path / "archive" / "2024", 2)
    make_articles(tmp_path / "archive" / "2025", 1)
    (tmp_path / "archive" / "2025" / "story-000.ru.txt").write_text("Черновик.\n", encoding="utf-8")  # a draft
    (tmp_path / "locales" / "ru").mkdir(parents=True)
    (tmp_path / "locales" / "ru" / "story-000.txt").write_text("A draft.\n", encoding="utf-8")
    rows = [{"id": "e/1", "text": "One.", "language": "en"}, {"id": "e/2", "text": "Two.", "language": None}]
    (tmp_path / "export.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "export.parquet")
    sources = ["archive", "archive/2024/*.txt", "export.jsonl", "export.parquet", "."]
    refs = list(iter_articles(sources, Path("locales")))
    names = [r.reference for r in refs]
    three = ["archive/2024/story-000.txt", "archive/2024/story-001.txt", "archive/2025/story-000.txt"]
    assert names == [*three, *three[:2], "e/1", "e/2", "e/1", "e/2", *three]  # drafts and LOCALES left out
    assert [r.lang for r in refs[5:9]] == ["en", None, "en", None]
    assert count_articles(sources, Path("locales")) == len(refs)


def test_a_bad_record_stops_the_job_before_anything_is_written(tmp_path):
    from helpers import tolmach_process

    (tmp_path / "export.jsonl").write_text('{"id": "a", "text": "One."}\n{"id": "b"\n', encoding="utf-8")
    proc = tolmach_process("batch", "export.jsonl", "--to", "ru", cwd=tmp_path, timeout=120)
    assert_one_line_error(proc, "export.jsonl:2", "not JSON")
    assert not (tmp_path / "locales").exists()


def test_a_record_id_or_file_name_with_a_line_break_stops_the_job_before_anything_is_written(tmp_path):
    """The id is the article's `#:` reference: with a line break in it the template and catalog
    did not read again (msgcat rejected them), and every later run on the folder failed."""
    from helpers import tolmach_process

    (tmp_path / "ids.jsonl").write_text('{"id": "ok", "text": "One."}\n'
                                        '{"id": "line1\\nline2", "text": "Two."}\n', encoding="utf-8")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "we\nird.txt").write_text("The weather was cold.\n", encoding="utf-8")
    for source, needles in (("ids.jsonl", ("ids.jsonl:2: the record id 'line1\\nline2'",)),
                            ("articles", ("articles/we\\nird.txt: the article's path",))):  # fmt: skip
        proc = tolmach_process("batch", source, "--to", "ru", cwd=tmp_path, timeout=120)
        assert_one_line_error(proc, *needles, "line break or another control character")
        assert not (tmp_path / "locales").exists()


@pytest.mark.parametrize("bad, needle", [
    ({"id": "a3", "text": "The weather was cold.", "language": "de"}, "unsupported language 'de'"),
    ({"id": "a3", "text": None, "language": "en"}, 'a record needs an "id" and a "text"'),
    ({"id": None, "text": "The weather was cold.", "language": "en"}, 'a record needs an "id" and a "text"'),
    ({"id": "a\nb", "text": "The weather was cold.", "language": "en"}, "line break"),
])
def test_a_bad_parquet_record_stops_the_job_before_anything_is_written(tmp_path, bad, needle):
    """The counting pass read only id and text of a Parquet export and took any value: a bad row was
    found when the run reached it, after the articles before it were written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from helpers import tolmach_process

    rows = [{"id": "a1", "text": "Russia said it would talk.", "language": "en"},
            {"id": "a2", "text": "NATO spoke to the Senate.", "language": "en"}, bad]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "bad.parquet")
    (tmp_path / "bad.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for name in ("bad.parquet", "bad.jsonl"):  # the same check, the same line, for both
        proc = tolmach_process("batch", name, "--to", "ru", cwd=tmp_path, timeout=120)
        assert_one_line_error(proc, f"{name}:3: ", needle)
        assert not (tmp_path / "locales").exists()


def test_a_parquet_id_of_another_type_is_refused_by_the_counting_pass(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tolmach.cluster import count_articles
    from tolmach.errors import TolmachError

    for ids in ([1.5, 2.5], [True, False]):
        pq.write_table(pa.table({"id": ids, "text": ["One.", "Two."]}), tmp_path / "ids.parquet")
        with pytest.raises(TolmachError, match=r"ids\.parquet:1: a record needs"):
            count_articles([tmp_path / "ids.parquet"], tmp_path / "locales")
    pq.write_table(pa.table({"id": [1, 2], "text": ["One.", "Two."]}), tmp_path / "ids.parquet")
    assert count_articles([tmp_path / "ids.parquet"], tmp_path / "locales") == 2


def test_a_csv_export_is_refused_and_a_jsonl_export_matched_by_a_pattern_is_read_as_records(tmp_path):
    """A CSV export (named, or matched by a pattern) was translated as one plain-text article, exit
    0; a JSONL export matched by a pattern too."""
    from helpers import tolmach_process
    from tolmach.cluster import iter_articles

    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "a.jsonl").write_text('{"id": "a1", "text": "One."}\n{"id": "a2", "text": "Two."}\n',
                                                  encoding="utf-8")
    assert [r.reference for r in iter_articles([tmp_path / "exports" / "*"], tmp_path / "locales")] == ["a1", "a2"]
    (tmp_path / "exports" / "b.csv").write_text('id,text\nc1,"The weather in Oslo was cold."\n', encoding="utf-8")
    for source in ("exports/b.csv", "exports/*"):
        proc = tolmach_process("batch", source, "--to", "ru", cwd=tmp_path, timeout=120)
        assert_one_line_error(proc, "exports/b.csv: a CSV file is not an article", "JSONL or Parquet exports")
        assert not (tmp_path / "locales").exists()


def test_a_missing_model_stops_the_job_before_a_cluster_starts(tmp_path):
    from helpers import tolmach_process

    make_articles(tmp_path / "articles", 2)
    proc = tolmach_process("batch", "articles", "--to", "ru", cwd=tmp_path, timeout=120,
                           env={"TOLMACH_MODELS_DIR": str(tmp_path / "no-models")})
    assert_one_line_error(proc, "no en->ru model installed")
    assert not (tmp_path / "locales").exists()


def test_an_export_that_is_not_utf8_not_parquet_or_names_an_id_twice_stops_the_job(tmp_path):
    """A JSONL export with a Latin-1 byte, or a file called .parquet that is none, gave a
    traceback; one id for two texts made one catalog, the second article written over the first
    (the summary said 2 articles); a JSONL file with a byte order mark was refused."""
    from helpers import tolmach_process

    (tmp_path / "bad.jsonl").write_bytes(b'{"id": "a1", "text": "One."}\n{"id": "a2", "text": "Moscow \xff said."}\n')
    (tmp_path / "bad.parquet").write_bytes(b"PAR1garbagePAR1")
    (tmp_path / "dup.jsonl").write_text('{"id": "a1", "text": "Moscow said on Friday."}\n'
                                        '{"id": "a1", "text": "The Kremlin denied it."}\n', encoding="utf-8")
    for name, needles in (("bad.jsonl", ("bad.jsonl:2:", "not valid UTF-8 (byte 0xff)")),
                          ("bad.parquet", ("bad.parquet:", "not a readable Parquet file")),
                          ("dup.jsonl", ("dup.jsonl:2:", "'a1' is given twice", "dup.jsonl:1"))):  # fmt: skip
        proc = tolmach_process("batch", name, "--to", "ru", cwd=tmp_path, timeout=120)
        assert_one_line_error(proc, *needles)
        assert not (tmp_path / "locales").exists()
    from tolmach.cluster import count_articles

    (tmp_path / "bom.jsonl").write_bytes(b'\xef\xbb\xbf{"id": "a1", "text": "One."}\n')
    assert count_articles([tmp_path / "bom.jsonl"], tmp_path / "locales") == 1


def test_a_folder_of_html_pages_is_an_archive(tmp_path):
    # regression: a folder's walk took .txt and .md articles only, so an archive of saved pages gave
    # "0 articles"; Tolmach's own draft beside a page (NAME.ru.html) stays out
    from tolmach.cluster import iter_articles

    archive = tmp_path / "archive"
    archive.mkdir()
    for name in ("a.html", "a.ru.html", "b.htm", "c.md", "d.txt"):
        (archive / name).write_text("<p>The weather was cold.</p>\n", encoding="utf-8")
    refs = [Path(r.path).name for r in iter_articles([archive], tmp_path / "locales")]
    assert refs == ["a.html", "b.htm", "c.md", "d.txt"]
